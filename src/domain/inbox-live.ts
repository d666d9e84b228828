/**
 * Which live ticket events a staff member's inbox socket passes on, and in what shape (issue 6):
 * a new ticket they may read, a new message or note on a ticket (notes only to those who read
 * internal notes), an SLA warning or breach. Pure: the socket asks this for every bus event.
 */
import { can, listScope, type Actor } from './policy.ts';

export interface BusEvent {
  type: string;
  data: Record<string, unknown>;
}

export type InboxFrame =
  | { type: 'ticket.created'; ticket: Record<string, unknown> }
  | { type: 'ticket.message'; ticketId: string; eventId: number; visibility: 'public' | 'internal'; createdAt: string }
  | { type: 'ticket.sla'; ticketId: string; kind: 'warning' | 'breach'; clock: string; dueAt: string };

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

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
    if (!ticketId || !createdAt || (d.kind !== 'message' && d.kind !== 'note')) return null;
    const visibility = d.visibility === 'public' ? 'public' : 'internal';
    // Without the ticket's owner at hand only those who read every ticket get its messages.
    if (!canReadAny(actor) || (visibility === 'internal' && !can(actor, 'ticket.read_internal'))) return null;
    return { type: 'ticket.message', ticketId, eventId: Number(d.id), visibility, createdAt };
  }
  if (e.type === 'ticket.sla') {
    const ticketId = str(d.ticketId);
    const clock = str(d.clock);
    const dueAt = str(d.dueAt);
    if (!ticketId || !clock || !dueAt || (d.kind !== 'warning' && d.kind !== 'breach')) return null;
    if (!canReadAny(actor)) return null;
    return { type: 'ticket.sla', ticketId, kind: d.kind, clock, dueAt };
  }
  return null;
}

/** Whether the actor reads every ticket (staff), not only their own (customers). */
const canReadAny = (actor: Actor): boolean => listScope(actor).kind === 'all';
