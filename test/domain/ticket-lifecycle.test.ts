import { describe, expect, it } from 'vitest';
import {
  TICKET_STATUSES,
  allowedTransitions,
  isOpenStatus,
  transition,
} from '../../src/domain/ticket-lifecycle.ts';
import type { LifecycleTicket, TicketStatus, WaitingOn } from '../../src/domain/ticket-lifecycle.ts';

const NOTIFIED = new Date('2026-11-22T08:00:00Z');

function ticket(status: TicketStatus, waitingOn: WaitingOn | null = null, notified = true): LifecycleTicket {
  return { status, waitingOn, customerNotifiedAt: notified ? NOTIFIED : null };
}

type Ok = { status: TicketStatus; waitingOn: WaitingOn | null; clocks: 'run' | 'pause' | 'stop'; reopened: boolean };

describe('transition: every from × to (customer notified; pending targets wait on department)', () => {
  // from (waitingOn of a pending ticket: customer) → to; expected error code or the success result.
  const cases: [TicketStatus, TicketStatus, string | Ok][] = [
    ['new', 'new', 'same_status'],
    ['new', 'open', { status: 'open', waitingOn: null, clocks: 'run', reopened: false }],
    ['new', 'pending', { status: 'pending', waitingOn: 'department', clocks: 'run', reopened: false }],
    ['new', 'resolved', { status: 'resolved', waitingOn: null, clocks: 'stop', reopened: false }],
    ['new', 'closed', 'invalid_transition'],
    ['open', 'new', 'invalid_transition'],
    ['open', 'open', 'same_status'],
    ['open', 'pending', { status: 'pending', waitingOn: 'department', clocks: 'run', reopened: false }],
    ['open', 'resolved', { status: 'resolved', waitingOn: null, clocks: 'stop', reopened: false }],
    ['open', 'closed', 'invalid_transition'],
    ['pending', 'new', 'invalid_transition'],
    ['pending', 'open', { status: 'open', waitingOn: null, clocks: 'run', reopened: false }],
    ['pending', 'pending', { status: 'pending', waitingOn: 'department', clocks: 'run', reopened: false }],
    ['pending', 'resolved', { status: 'resolved', waitingOn: null, clocks: 'stop', reopened: false }],
    ['pending', 'closed', 'invalid_transition'],
    ['resolved', 'new', 'invalid_transition'],
    ['resolved', 'open', { status: 'open', waitingOn: null, clocks: 'run', reopened: true }],
    ['resolved', 'pending', 'invalid_transition'],
    ['resolved', 'resolved', 'same_status'],
    ['resolved', 'closed', { status: 'closed', waitingOn: null, clocks: 'stop', reopened: false }],
    ['closed', 'new', 'invalid_transition'],
    ['closed', 'open', { status: 'open', waitingOn: null, clocks: 'run', reopened: true }],
    ['closed', 'pending', 'invalid_transition'],
    ['closed', 'resolved', 'invalid_transition'],
    ['closed', 'closed', 'same_status'],
  ];

  it('covers all 25 pairs', () => {
    expect(new Set(cases.map(([f, t]) => `${f}>${t}`)).size).toBe(25);
  });

  it.each(cases)('%s → %s', (from, to, expected) => {
    const t = ticket(from, from === 'pending' ? 'customer' : null);
    const opts = to === 'pending' ? { waitingOn: 'department' as const } : undefined;
    const r = transition(t, to, opts);
    if (typeof expected === 'string') {
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe(expected);
        expect(r.error.message.length).toBeGreaterThan(10);
      }
    } else {
      expect(r).toEqual({ ok: true, ...expected });
    }
  });
});

describe('transition: pending and waitingOn', () => {
  it.each<[TicketStatus, WaitingOn | null, WaitingOn | undefined, string | Ok]>([
    ['new', null, undefined, 'waiting_on_required'],
    ['open', null, undefined, 'waiting_on_required'],
    ['new', null, 'customer', { status: 'pending', waitingOn: 'customer', clocks: 'pause', reopened: false }],
    ['open', null, 'customer', { status: 'pending', waitingOn: 'customer', clocks: 'pause', reopened: false }],
    ['open', null, 'department', { status: 'pending', waitingOn: 'department', clocks: 'run', reopened: false }],
    ['pending', 'customer', 'customer', 'same_status'],
    ['pending', 'department', 'department', 'same_status'],
    ['pending', 'customer', 'department', { status: 'pending', waitingOn: 'department', clocks: 'run', reopened: false }],
    ['pending', 'department', 'customer', { status: 'pending', waitingOn: 'customer', clocks: 'pause', reopened: false }],
    ['pending', 'customer', undefined, 'waiting_on_required'],
    // a pending ticket whose waitingOn was never recorded can be given one
    ['pending', null, 'customer', { status: 'pending', waitingOn: 'customer', clocks: 'pause', reopened: false }],
    ['resolved', null, 'customer', 'invalid_transition'],
    ['closed', null, 'department', 'invalid_transition'],
  ])('%s (waiting on %s) → pending with waitingOn=%s', (from, current, waitingOn, expected) => {
    const r = transition(ticket(from, current), 'pending', waitingOn === undefined ? undefined : { waitingOn });
    if (typeof expected === 'string') {
      expect(r).toMatchObject({ ok: false, error: { code: expected } });
    } else {
      expect(r).toEqual({ ok: true, ...expected });
    }
  });

  it.each<[TicketStatus, TicketStatus]>([
    ['pending', 'open'],
    ['pending', 'resolved'],
    ['new', 'open'],
  ])('%s → %s ignores a waitingOn option and clears waitingOn', (from, to) => {
    const r = transition(ticket(from, 'customer'), to, { waitingOn: 'customer' });
    expect(r).toMatchObject({ ok: true, status: to, waitingOn: null });
  });
});

describe('transition: closing needs the customer to have been told (闭环)', () => {
  it.each<[boolean, string | Ok]>([
    [true, { status: 'closed', waitingOn: null, clocks: 'stop', reopened: false }],
    [false, 'customer_not_notified'],
  ])('resolved → closed, notified=%s', (notified, expected) => {
    const r = transition(ticket('resolved', null, notified), 'closed');
    if (typeof expected === 'string') expect(r).toMatchObject({ ok: false, error: { code: expected } });
    else expect(r).toEqual({ ok: true, ...expected });
  });

  it('an invalid transition to closed reports invalid_transition, not customer_not_notified', () => {
    expect(transition(ticket('open', null, false), 'closed')).toMatchObject({ ok: false, error: { code: 'invalid_transition' } });
  });

  it('resolving does not need notification; reopening does not either', () => {
    expect(transition(ticket('open', null, false), 'resolved')).toMatchObject({ ok: true, status: 'resolved' });
    expect(transition(ticket('resolved', null, false), 'open')).toMatchObject({ ok: true, status: 'open', reopened: true });
  });

  it('error messages are readable English', () => {
    const r = transition(ticket('resolved', null, false), 'closed');
    expect(r).toEqual({
      ok: false,
      error: { code: 'customer_not_notified', message: 'The ticket cannot be closed before the customer has been told the result.' },
    });
    expect(transition(ticket('closed'), 'resolved')).toEqual({
      ok: false,
      error: { code: 'invalid_transition', message: 'A closed ticket cannot move to resolved.' },
    });
  });
});

describe('allowedTransitions', () => {
  it.each<[TicketStatus, WaitingOn | null, boolean, TicketStatus[]]>([
    ['new', null, false, ['open', 'pending', 'resolved']],
    ['open', null, false, ['pending', 'resolved']],
    ['pending', 'customer', false, ['open', 'pending', 'resolved']],
    ['pending', 'department', true, ['open', 'pending', 'resolved']],
    ['resolved', null, true, ['open', 'closed']],
    ['resolved', null, false, ['open']],
    ['closed', null, true, ['open']],
    ['closed', null, false, ['open']],
  ])('%s (waiting on %s, notified=%s) → %j', (status, waitingOn, notified, expected) => {
    expect(allowedTransitions(ticket(status, waitingOn, notified))).toEqual(expected);
  });
});

describe('isOpenStatus', () => {
  it.each<[TicketStatus, boolean]>([
    ['new', true],
    ['open', true],
    ['pending', true],
    ['resolved', false],
    ['closed', false],
  ])('%s → %s', (s, expected) => {
    expect(isOpenStatus(s)).toBe(expected);
  });

  it('TICKET_STATUSES lists the five statuses in lifecycle order', () => {
    expect(TICKET_STATUSES).toEqual(['new', 'open', 'pending', 'resolved', 'closed']);
  });
});
