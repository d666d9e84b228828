// Ticket lifecycle (SPEC T2): new → open → pending → resolved → closed, with reopen.
// Closed loop 受理 → 处理 → 反馈 → 闭环: a ticket cannot be closed before the customer was told the result.

export const TICKET_STATUSES = ['new', 'open', 'pending', 'resolved', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const WAITING_ON = ['customer', 'department'] as const;
export type WaitingOn = (typeof WAITING_ON)[number];

export interface LifecycleTicket {
  status: TicketStatus;
  waitingOn: WaitingOn | null;
  customerNotifiedAt: Date | null;
}

export type TransitionError = {
  code: 'invalid_transition' | 'customer_not_notified' | 'waiting_on_required' | 'same_status';
  message: string;
};

export type TransitionResult =
  | { ok: true; status: TicketStatus; waitingOn: WaitingOn | null; clocks: 'run' | 'pause' | 'stop'; reopened: boolean }
  | { ok: false; error: TransitionError };

// pending → pending is handled separately: it is a change of who we wait on, not a status change.
const NEXT: Readonly<Record<TicketStatus, readonly TicketStatus[]>> = {
  new: ['open', 'pending', 'resolved'],
  open: ['pending', 'resolved'],
  pending: ['open', 'resolved'],
  resolved: ['closed', 'open'],
  closed: ['open'],
};

export function isOpenStatus(s: TicketStatus): boolean {
  return s === 'new' || s === 'open' || s === 'pending';
}

function fail(code: TransitionError['code'], message: string): TransitionResult {
  return { ok: false, error: { code, message } };
}

function clocksFor(status: TicketStatus, waitingOn: WaitingOn | null): 'run' | 'pause' | 'stop' {
  if (status === 'resolved' || status === 'closed') return 'stop';
  // Waiting on another department is still our time; only waiting on the customer pauses SLA clocks.
  if (status === 'pending' && waitingOn === 'customer') return 'pause';
  return 'run';
}

export function transition(t: LifecycleTicket, to: TicketStatus, opts?: { waitingOn?: WaitingOn }): TransitionResult {
  const from = t.status;
  const waitingOn = to === 'pending' ? (opts?.waitingOn ?? null) : null;

  if (from === to) {
    if (to !== 'pending') return fail('same_status', `The ticket is already ${to}.`);
    if (waitingOn === null) {
      return fail('waiting_on_required', 'Moving a ticket to pending requires saying whether it waits on the customer or a department.');
    }
    if (waitingOn === t.waitingOn) return fail('same_status', `The ticket is already pending on the ${waitingOn}.`);
  } else {
    if (!NEXT[from].includes(to)) return fail('invalid_transition', `A ${from} ticket cannot move to ${to}.`);
    if (to === 'pending' && waitingOn === null) {
      return fail('waiting_on_required', 'Moving a ticket to pending requires saying whether it waits on the customer or a department.');
    }
    if (to === 'closed' && t.customerNotifiedAt === null) {
      return fail('customer_not_notified', 'The ticket cannot be closed before the customer has been told the result.');
    }
  }

  return {
    ok: true,
    status: to,
    waitingOn,
    clocks: clocksFor(to, waitingOn),
    reopened: to === 'open' && (from === 'resolved' || from === 'closed'),
  };
}

/**
 * Statuses the ticket may move to now, in TICKET_STATUSES order. 'pending' is listed when it is
 * reachable with a suitable waitingOn (from pending: the other party); 'closed' only once the
 * customer has been notified.
 */
export function allowedTransitions(t: LifecycleTicket): TicketStatus[] {
  return TICKET_STATUSES.filter((to) =>
    to === 'pending'
      ? WAITING_ON.some((waitingOn) => transition(t, to, { waitingOn }).ok)
      : transition(t, to).ok,
  );
}
