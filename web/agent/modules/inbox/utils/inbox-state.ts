/**
 * The inbox list as state (issue 6), changed by pages loaded and by live frames. Pure: the page
 * dispatches, tests call it directly. Live changes never move rows under the agent's cursor:
 * a ticket that comes into the view (new, or changed so that it now matches: handed to me, a new
 * message on a ticket of the chosen categories, an SLA warning in "at risk") waits in `incoming`,
 * announced as "N new / updated", until the agent shows it, then goes on top, marked; a listed
 * ticket that changes is updated in place, and one that no longer matches the view (taken by
 * someone else in "unassigned") stays where it is, marked `gone`, until the agent tidies the list.
 */
import { matchesView, type InboxFilters, type InboxTicket, type Viewer } from './views.ts';

/** The live socket's frames (src/domain/inbox-live.ts); `ticket` is the ticket as it stands after the event. */
export type LiveFrame =
  | { type: 'ticket.created'; ticket: InboxTicket }
  | { type: 'ticket.message'; ticketId: string; eventId: number; visibility: 'public' | 'internal'; createdAt: string; ticket?: InboxTicket }
  | { type: 'ticket.changed'; ticketId: string; eventId: number; kind: string; createdAt: string; ticket: InboxTicket }
  | { type: 'ticket.sla'; ticketId: string; kind: 'warning' | 'breach'; clock: string; dueAt: string; ticket?: InboxTicket };

export const LIVE_FRAME_TYPES: readonly string[] = ['ticket.created', 'ticket.message', 'ticket.changed', 'ticket.sla'];

export interface InboxState {
  rows: InboxTicket[];
  /** Came into the view live, not yet shown (newest first). */
  incoming: InboxTicket[];
  /** Those of `incoming` that existed before (updated into the view), not new tickets. */
  updated: ReadonlySet<string>;
  /** Rows shown from `incoming`, marked until the view changes. */
  fresh: ReadonlySet<string>;
  /** Rows with a message since they were loaded. */
  messaged: ReadonlySet<string>;
  /** Rows that no longer match the view: kept in place, marked, removed when the agent tidies. */
  gone: ReadonlySet<string>;
  cursor: string | null;
  /** The focused row by ticket id, so rows added above it do not move the focus to another ticket. */
  focusId: string | null;
}

export type InboxAction =
  | { type: 'loaded'; items: InboxTicket[]; nextCursor: string | null }
  | { type: 'more'; items: InboxTicket[]; nextCursor: string | null }
  | { type: 'live'; frame: LiveFrame; filters: InboxFilters; me: Viewer }
  /** Shows `incoming` on top and takes out the rows marked gone. */
  | { type: 'showIncoming' }
  | { type: 'focus'; id: string | null }
  | { type: 'move'; by: number };

const NONE: ReadonlySet<string> = new Set();
export const EMPTY: InboxState = { rows: [], incoming: [], updated: NONE, fresh: NONE, messaged: NONE, gone: NONE, cursor: null, focusId: null };

const listed = (s: InboxState, id: string): boolean => s.rows.some((r) => r.id === id) || s.incoming.some((r) => r.id === id);
const withAdded = (set: ReadonlySet<string>, ids: string[]): ReadonlySet<string> => (ids.every((id) => set.has(id)) ? set : new Set([...set, ...ids]));
const without = (set: ReadonlySet<string>, id: string): ReadonlySet<string> => {
  if (!set.has(id)) return set;
  const next = new Set(set);
  next.delete(id);
  return next;
};

/** How many tickets the "N new / updated" line announces, and how many rows tidying takes out. */
export function announcement(s: InboxState): { created: number; updated: number; gone: number } {
  const updated = s.incoming.filter((t) => s.updated.has(t.id)).length;
  return { created: s.incoming.length - updated, updated, gone: s.gone.size };
}

export function inboxReducer(s: InboxState, a: InboxAction): InboxState {
  switch (a.type) {
    case 'loaded': {
      const focusId = a.items.some((r) => r.id === s.focusId) ? s.focusId : (a.items[0]?.id ?? null);
      return { ...EMPTY, rows: a.items, cursor: a.nextCursor, focusId };
    }
    case 'more': {
      const seen = new Set([...s.rows, ...s.incoming].map((r) => r.id));
      return { ...s, rows: [...s.rows, ...a.items.filter((r) => !seen.has(r.id))], cursor: a.nextCursor };
    }
    case 'showIncoming': {
      if (!s.incoming.length && !s.gone.size) return s;
      const ids = s.incoming.map((r) => r.id);
      const rows = [...s.incoming, ...s.rows.filter((r) => !ids.includes(r.id) && !s.gone.has(r.id))];
      const focusId = rows.some((r) => r.id === s.focusId) ? s.focusId : (rows[0]?.id ?? null);
      return { ...s, rows, incoming: [], updated: NONE, gone: NONE, fresh: withAdded(s.fresh, ids), focusId };
    }
    case 'focus':
      return a.id === s.focusId ? s : { ...s, focusId: a.id };
    case 'move': {
      if (!s.rows.length) return s;
      const at = s.rows.findIndex((r) => r.id === s.focusId);
      const next = at < 0 ? 0 : Math.min(Math.max(at + a.by, 0), s.rows.length - 1);
      return { ...s, focusId: s.rows[next]!.id };
    }
    case 'live':
      return applyLive(s, a.frame, a.filters, a.me);
  }
}

/** The ticket after a frame: its own snapshot if it has one, else the listed row with the frame's news. */
function after(f: Exclude<LiveFrame, { type: 'ticket.created' }>, current: InboxTicket | undefined): InboxTicket | undefined {
  const base = f.ticket ?? current;
  if (!base) return undefined;
  if (f.type === 'ticket.message') return { ...base, updatedAt: base.updatedAt > f.createdAt ? base.updatedAt : f.createdAt };
  if (f.type === 'ticket.sla') {
    // A breach outranks a warning; a warning (even one arriving late) never downgrades a breach.
    if (f.kind === 'warning' && (current?.slaState === 'breached' || base.slaState === 'breached')) return { ...base, slaState: 'breached', slaDueAt: current?.slaDueAt ?? base.slaDueAt };
    return { ...base, slaState: f.kind === 'breach' ? 'breached' : 'warning', slaDueAt: f.dueAt };
  }
  return base;
}

function applyLive(s: InboxState, f: LiveFrame, filters: InboxFilters, me: Viewer): InboxState {
  if (f.type === 'ticket.created') {
    if (listed(s, f.ticket.id) || !matchesView(filters, f.ticket, me)) return s;
    return { ...s, incoming: [f.ticket, ...s.incoming] };
  }
  const id = f.ticketId;
  const row = s.rows.find((t) => t.id === id);
  const held = s.incoming.find((t) => t.id === id);
  const next = after(f, row ?? held);
  if (!next) return s;
  // Without the ticket's state (an older server) a frame only marks what is listed: it cannot tell the view.
  const matches = f.ticket ? matchesView(filters, next, me) : true;
  const messaged = f.type === 'ticket.message' && matches ? withAdded(s.messaged, [id]) : s.messaged;
  if (row) {
    const gone = !f.ticket ? s.gone : matches ? without(s.gone, id) : withAdded(s.gone, [id]);
    return { ...s, rows: s.rows.map((t) => (t.id === id ? next : t)), gone, messaged };
  }
  if (held) {
    if (!matches) return { ...s, incoming: s.incoming.filter((t) => t.id !== id), updated: without(s.updated, id), messaged: without(s.messaged, id) };
    return { ...s, incoming: s.incoming.map((t) => (t.id === id ? next : t)), messaged };
  }
  if (!matches) return s;
  return { ...s, incoming: [next, ...s.incoming], updated: withAdded(s.updated, [id]), messaged };
}
