/**
 * The inbox list as state (issue 6), changed by pages loaded and by live frames. Pure: the page
 * dispatches, tests call it directly. Live changes never move rows under the agent's cursor:
 * a new ticket waits in `incoming` (announced as "N new") until the agent shows it, then goes on
 * top, marked new; a message or SLA warning on a listed ticket marks its row in place.
 */
import { matchesView, type InboxFilters, type InboxTicket, type Viewer } from './views.ts';

export type LiveFrame =
  | { type: 'ticket.created'; ticket: InboxTicket }
  | { type: 'ticket.message'; ticketId: string; eventId: number; visibility: 'public' | 'internal'; createdAt: string }
  | { type: 'ticket.sla'; ticketId: string; kind: 'warning' | 'breach'; clock: string; dueAt: string };

export interface InboxState {
  rows: InboxTicket[];
  /** Arrived live, matching the view, not yet shown (newest first). */
  incoming: InboxTicket[];
  /** Rows shown from `incoming`, marked until the view changes. */
  fresh: ReadonlySet<string>;
  /** Rows with a message since they were loaded. */
  messaged: ReadonlySet<string>;
  cursor: string | null;
  /** The focused row by ticket id, so rows added above it do not move the focus to another ticket. */
  focusId: string | null;
}

export type InboxAction =
  | { type: 'loaded'; items: InboxTicket[]; nextCursor: string | null }
  | { type: 'more'; items: InboxTicket[]; nextCursor: string | null }
  | { type: 'live'; frame: LiveFrame; filters: InboxFilters; me: Viewer }
  | { type: 'showIncoming' }
  | { type: 'focus'; id: string | null }
  | { type: 'move'; by: number };

export const EMPTY: InboxState = { rows: [], incoming: [], fresh: new Set(), messaged: new Set(), cursor: null, focusId: null };

const listed = (s: InboxState, id: string): boolean => s.rows.some((r) => r.id === id) || s.incoming.some((r) => r.id === id);
const withAdded = (set: ReadonlySet<string>, ids: string[]): ReadonlySet<string> => new Set([...set, ...ids]);

export function inboxReducer(s: InboxState, a: InboxAction): InboxState {
  switch (a.type) {
    case 'loaded': {
      const focusId = a.items.some((r) => r.id === s.focusId) ? s.focusId : (a.items[0]?.id ?? null);
      return { ...EMPTY, rows: a.items, cursor: a.nextCursor, focusId };
    }
    case 'more': {
      const seen = new Set(s.rows.map((r) => r.id));
      return { ...s, rows: [...s.rows, ...a.items.filter((r) => !seen.has(r.id))], cursor: a.nextCursor };
    }
    case 'showIncoming': {
      if (!s.incoming.length) return s;
      const ids = s.incoming.map((r) => r.id);
      return { ...s, rows: [...s.incoming, ...s.rows.filter((r) => !ids.includes(r.id))], incoming: [], fresh: withAdded(s.fresh, ids), focusId: s.focusId ?? ids[0] ?? null };
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

function applyLive(s: InboxState, f: LiveFrame, filters: InboxFilters, me: Viewer): InboxState {
  if (f.type === 'ticket.created') {
    if (listed(s, f.ticket.id) || !matchesView(filters, f.ticket, me)) return s;
    return { ...s, incoming: [f.ticket, ...s.incoming] };
  }
  const patch = (fn: (t: InboxTicket) => InboxTicket): Pick<InboxState, 'rows' | 'incoming'> => ({
    rows: s.rows.map((t) => (t.id === f.ticketId ? fn(t) : t)),
    incoming: s.incoming.map((t) => (t.id === f.ticketId ? fn(t) : t)),
  });
  if (!listed(s, f.ticketId)) return s;
  if (f.type === 'ticket.message') return { ...s, ...patch((t) => ({ ...t, updatedAt: f.createdAt })), messaged: withAdded(s.messaged, [f.ticketId]) };
  // A breach outranks a warning; a warning never downgrades a breach.
  const state = f.kind === 'breach' ? 'breached' : 'warning';
  return { ...s, ...patch((t) => (t.slaState === 'breached' ? t : { ...t, slaState: state, slaDueAt: f.dueAt })) };
}
