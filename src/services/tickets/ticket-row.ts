import type { Queryable } from '../../db/database.ts';
import type { TicketStatus, WaitingOn } from '../../domain/ticket-lifecycle.ts';
import type { Priority } from '../../domain/priority.ts';
import { can, type Action, type Actor } from '../../domain/policy.ts';
import { forbidden, notFound } from '../../http/errors.ts';
import { fanOutTicketEvent } from './ticket-event-fanout.ts';

export const CHANNELS = ['phone', 'chat', 'email', 'walk_in', 'web', 'api'] as const;
export type Channel = (typeof CHANNELS)[number];

export interface TicketRow {
  id: string;
  number: string;
  type: string;
  category_id: string | null;
  category_code: string | null;
  channel: Channel;
  priority: Priority;
  status: TicketStatus;
  waiting_on: WaitingOn | null;
  subject: string;
  description: string;
  customer_id: string | null;
  team_id: string | null;
  owner_id: string | null;
  created_by: string | null;
  special_groups: string[];
  goods: string[];
  tags: string[];
  waybills: string[];
  customer_notified_at: Date | null;
  first_responded_at: Date | null;
  resolved_at: Date | null;
  closed_at: Date | null;
  merged_into_id: string | null;
  sla_state: string;
  sla_due_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export const TICKET_COLUMNS = `t.id, t.number, t.type, t.category_id, (SELECT code FROM categories c WHERE c.id = t.category_id) AS category_code,
  t.channel, t.priority, t.status, t.waiting_on, t.subject, t.description, t.customer_id, t.team_id, t.owner_id, t.created_by,
  t.special_groups, t.goods, t.tags, t.waybills, t.customer_notified_at, t.first_responded_at, t.resolved_at, t.closed_at,
  t.merged_into_id, t.sla_state, t.sla_due_at, t.created_at, t.updated_at`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Loads a ticket by id or number; `lock` takes a row lock for the caller's transaction. */
export async function loadTicket(q: Queryable, idOrNumber: string, lock = false): Promise<TicketRow> {
  const byId = UUID.test(idOrNumber);
  const { rows } = await q.query<TicketRow>(
    `SELECT ${TICKET_COLUMNS} FROM tickets t WHERE ${byId ? 't.id = $1' : 't.number = $1'}${lock ? ' FOR UPDATE OF t' : ''}`,
    [byId ? idOrNumber : idOrNumber.toUpperCase()],
  );
  if (!rows[0]) throw notFound('ticket', idOrNumber);
  return rows[0];
}

/** Loads and checks permission; a customer asking for someone else's ticket gets "not found", not a hint it exists. */
export async function loadTicketFor(q: Queryable, actor: Actor, idOrNumber: string, action: Action, lock = false): Promise<TicketRow> {
  const t = await loadTicket(q, idOrNumber, lock);
  const resource = { customerId: t.customer_id, ownerId: t.owner_id, teamId: t.team_id };
  if (!can(actor, 'ticket.read', resource)) throw notFound('ticket', idOrNumber);
  if (!can(actor, action, resource)) throw forbidden(`your role may not ${action.replace('ticket.', '')} this ticket`);
  return t;
}

export interface TicketEventInput {
  kind: string;
  actorId: string | null;
  visibility?: 'public' | 'internal';
  body?: string | null;
  data?: Record<string, unknown>;
  clientId?: string | null;
}

export async function appendEvent(q: Queryable, ticketId: string, e: TicketEventInput): Promise<{ id: number; created_at: Date }> {
  const { rows } = await q.query<{ id: number; created_at: Date }>(
    `INSERT INTO ticket_events (ticket_id, kind, actor_id, visibility, body, data, client_id) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id, created_at`,
    [ticketId, e.kind, e.actorId, e.visibility ?? 'internal', e.body ?? null, JSON.stringify(e.data ?? {}), e.clientId ?? null],
  );
  const row = rows[0]!;
  await fanOutTicketEvent(q, {
    id: row.id, ticketId, kind: e.kind, actorId: e.actorId, visibility: e.visibility ?? 'internal', body: e.body ?? null,
    data: e.data ?? {}, clientId: e.clientId ?? null, createdAt: row.created_at.toISOString(),
  });
  return row;
}

export async function touchTicket(q: Queryable, id: string): Promise<void> {
  await q.query('UPDATE tickets SET updated_at = now() WHERE id = $1', [id]);
}

export interface TicketSummary {
  id: string;
  number: string;
  type: string;
  categoryId: string | null;
  categoryCode: string | null;
  channel: Channel;
  priority: Priority;
  status: TicketStatus;
  waitingOn: WaitingOn | null;
  subject: string;
  customerId: string | null;
  teamId: string | null;
  ownerId: string | null;
  specialGroups: string[];
  goods: string[];
  tags: string[];
  waybills: string[];
  slaState: string;
  slaDueAt: string | null;
  mergedIntoId: string | null;
  customerNotifiedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export function presentTicketSummary(t: TicketRow): TicketSummary {
  return {
    id: t.id,
    number: t.number,
    type: t.type,
    categoryId: t.category_id,
    categoryCode: t.category_code,
    channel: t.channel,
    priority: t.priority,
    status: t.status,
    waitingOn: t.waiting_on,
    subject: t.subject,
    customerId: t.customer_id,
    teamId: t.team_id,
    ownerId: t.owner_id,
    specialGroups: t.special_groups,
    goods: t.goods,
    tags: t.tags,
    waybills: t.waybills,
    slaState: t.sla_state,
    slaDueAt: t.sla_due_at?.toISOString() ?? null,
    mergedIntoId: t.merged_into_id,
    customerNotifiedAt: t.customer_notified_at?.toISOString() ?? null,
    createdAt: t.created_at.toISOString(),
    updatedAt: t.updated_at.toISOString(),
  };
}
