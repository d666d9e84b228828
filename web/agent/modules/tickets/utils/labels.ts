/** Dictionary keys for the server's codes; an unknown code (a newer server) gets a generic label, never a missing key. */
import type { TicketEvent } from '../../../../shared/api/client.ts';
import type { AgentMessageKey } from '../../../../shared/i18n/agent-dictionaries.ts';
import { roleKey } from '../../../app/nav.ts';

const STATUS: Record<string, AgentMessageKey> = {
  new: 'ticketStatus.new',
  open: 'ticketStatus.open',
  pending: 'ticketStatus.pending',
  resolved: 'ticketStatus.resolved',
  closed: 'ticketStatus.closed',
};
const CHANNEL: Record<string, AgentMessageKey> = {
  phone: 'channel.phone',
  chat: 'channel.chat',
  email: 'channel.email',
  walk_in: 'channel.walk_in',
  web: 'channel.web',
  api: 'channel.api',
};
const PRIORITY: Record<string, AgentMessageKey> = { low: 'priority.low', normal: 'priority.normal', high: 'priority.high', urgent: 'priority.urgent' };
const EVENT: Record<string, AgentMessageKey> = {
  ticket: 'event.ticket',
  created: 'event.ticket',
  message: 'event.message',
  note: 'event.note',
  status: 'event.status',
  assignment: 'event.assignment',
  handover: 'event.handover',
  escalation: 'event.escalation',
  customer_notified: 'event.customer_notified',
  guard_override: 'event.guard_override',
  call: 'event.call',
  email: 'event.email',
  sla_breach: 'event.sla_breach',
  link: 'event.link',
  merge: 'event.merge',
  escalation_answer: 'event.escalation_answer',
};

export const statusKey = (s: string): AgentMessageKey => STATUS[s] ?? 'event.other';
export const channelKey = (c: string): AgentMessageKey => CHANNEL[c] ?? 'event.other';
export const priorityKey = (p: string): AgentMessageKey => PRIORITY[p] ?? 'priority.normal';
export const eventKey = (k: string): AgentMessageKey => EVENT[k] ?? 'event.other';

/** Who wrote a message or note, as the timeline names them. */
export function authorKey(e: Pick<TicketEvent, 'actorId' | 'data'>, meId: string): AgentMessageKey {
  if (e.data.author === 'customer') return 'event.by.customer';
  if (e.actorId === null) return 'event.by.system';
  return e.actorId === meId ? 'event.by.me' : 'event.by.staff';
}

/**
 * Who acted on a timeline entry: a staff member by display name and role (and whether it is the
 * viewer), a customer or the system by kind alone (a customer's name is personal data, kept to
 * the masked customer panel). Without the server's `actor` (a reply just posted) it falls back to
 * authorKey's kinds.
 */
export function authorOf(e: Pick<TicketEvent, 'actorId' | 'data' | 'actor'>, meId: string): { key: AgentMessageKey; name: string | null; role: AgentMessageKey | null; me: boolean } {
  const me = e.actorId !== null && e.actorId === meId;
  if (e.actor === null || e.actorId === null) return { key: 'event.by.system', name: null, role: null, me: false };
  if (e.actor === undefined || e.actor.role === 'customer' || e.data.author === 'customer') return { key: authorKey(e, meId), name: null, role: null, me };
  return { key: me ? 'event.by.me' : 'event.by.staff', name: e.actor.displayName, role: roleKey(e.actor.role), me };
}

/** What a link or merge entry says about the other ticket (its number, as the server recorded it); null for other kinds. */
export function relatedLine(e: Pick<TicketEvent, 'kind' | 'data'>): { key: AgentMessageKey; number: string } | null {
  const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
  if (e.kind === 'merge' && str(e.data.intoNumber)) return { key: 'event.mergedInto', number: str(e.data.intoNumber)! };
  if (e.kind === 'merge' && str(e.data.fromNumber)) return { key: 'event.mergedFrom', number: str(e.data.fromNumber)! };
  if (e.kind === 'link' && str(e.data.otherNumber)) return { key: 'event.linkedWith', number: str(e.data.otherNumber)! };
  return null;
}
