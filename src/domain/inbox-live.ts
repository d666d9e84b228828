/**
 * Which live ticket events a staff member's inbox socket passes on, and in what shape (issue 6):
 * a new ticket they may read, a new message or note on a ticket (notes only to those who read
 * internal notes), a change of status, owner, team, category or priority, an SLA warning or breach. Pure: the socket asks this for every bus event.
 */
import { can, listScope, type Actor } from './policy.ts';

export interface BusEvent {
  type: string;
  data: Record<string, unknown>;
}

/** Ticket events that change where a ticket is listed: status, owner or team, category and priority, a merge. */
export const INBOX_CHANGE_KINDS = ['status', 'assignment', 'handover', 'update', 'merge'] as const;
/** The events whose bus message carries the ticket as it stands (its summary): messages, notes and the changes. */
export const INBOX_EVENT_KINDS: ReadonlySet<string> = new Set(['message', 'note', ...INBOX_CHANGE_KINDS]);

type Ticket = Record<string, unknown>;

/**
 * `ticket` (the summary after the event, when the bus message has it) lets an inbox that does not
 * list the ticket tell whether it now belongs in its view, and one that lists it whether it left.
 */
export type InboxFrame =
  | { type: 'ticket.created'; ticket: Ticket }
  | { type: 'ticket.message'; ticketId: string; eventId: number; visibility: 'public' | 'internal'; createdAt: string; ticket?: Ticket }
  | { type: 'ticket.changed'; ticketId: string; eventId: number; kind: (typeof INBOX_CHANGE_KINDS)[number]; createdAt: string; ticket: Ticket }
  | { type: 'ticket.sla'; ticketId: string; kind: 'warning' | 'breach'; clock: string; dueAt: string; ticket?: Ticket };

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const isChange = (k: unknown): k is (typeof INBOX_CHANGE_KINDS)[number] => (INBOX_CHANGE_KINDS as readonly unknown[]).includes(k);

/** The event's ticket summary if it is one for this ticket and the actor may read it; null otherwise. */
function ticketOf(actor: Actor, v: unknown, ticketId: string): Ticket | null {
  if (!v || typeof v !== 'object') return null;
  const t = v as Ticket;
  if (t.id !== ticketId) return null;
  return can(actor, 'ticket.read', { customerId: str(t.customerId), ownerId: str(t.ownerId), teamId: str(t.teamId) }) ? t : null;
}

export function inboxFrameFor(actor: Actor, e: BusEvent): InboxFrame | null {
  const d = e.data;
  if (e.type === 'ticket.created') {
    const t = d.ticket as Record<string, unknown> | undefined;
    if (!t || typeof t.id !== 'string') return null;
    const resource = { customerId: str(t.customerId), ownerId: str(t.ownerId), teamId: str(t.teamId) };
    return can(actor, 'ticket.read', resource) && can(actor, 'ticket.list') ? { type: 'ticket.created', ticket: t } : null;
  }
  if (e.type === 'ticket.event') {
    const ticketId = str(d.ticketId);
    const createdAt = str(d.createdAt);
    if (!ticketId || !createdAt) return null;
    // Only those who read every ticket get its events (a customer's portal has its own socket).
    if (!canReadAny(actor)) return null;
    const ticket = ticketOf(actor, d.ticket, ticketId);
    if (isChange(d.kind)) return ticket ? { type: 'ticket.changed', ticketId, eventId: Number(d.id), kind: d.kind, createdAt, ticket } : null;
    if (d.kind !== 'message' && d.kind !== 'note') return null;
    const visibility = d.visibility === 'public' ? 'public' : 'internal';
    if (visibility === 'internal' && !can(actor, 'ticket.read_internal')) return null;
    return { type: 'ticket.message', ticketId, eventId: Number(d.id), visibility, createdAt, ...(ticket ? { ticket } : {}) };
  }
  if (e.type === 'ticket.sla') {
    const ticketId = str(d.ticketId);
    const clock = str(d.clock);
    const dueAt = str(d.dueAt);
    if (!ticketId || !clock || !dueAt || (d.kind !== 'warning' && d.kind !== 'breach')) return null;
    if (!canReadAny(actor)) return null;
    const ticket = ticketOf(actor, d.ticket, ticketId);
    return { type: 'ticket.sla', ticketId, kind: d.kind, clock, dueAt, ...(ticket ? { ticket } : {}) };
  }
  return null;
}

/** Whether the actor reads every ticket (staff), not only their own (customers). */
const canReadAny = (actor: Actor): boolean => listScope(actor).kind === 'all';
