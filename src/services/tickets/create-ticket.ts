import { createHash, randomUUID } from 'node:crypto';
import { withTx, type Queryable, type Tx } from '../../db/database.ts';
import { pickAgent, type Candidate, type Strategy } from '../../domain/assignment.ts';
import { can, type Actor } from '../../domain/policy.ts';
import { derivePriority, type Priority } from '../../domain/priority.ts';
import { AppError, forbidden } from '../../http/errors.ts';
import type { ServiceContext } from '../context.ts';
import { createCustomer, findCustomersByPhone } from '../customers/customers.ts';
import { settingValue, type SettingKey, type SettingValue } from '../settings/settings.ts';
import { planClocks, plannedSlaSummary, startClocksSql } from '../sla/clocks.ts';
import { allocateTicketNumber } from './allocate-ticket-number.ts';
import { publishLive } from '../live/live-bus.ts';
import { queueWebhooksForTicketEvent } from '../webhooks/webhook-outbox.ts';
import { loadTicket, presentTicketSummary, TICKET_COLUMNS, type Channel, type TicketRow } from './ticket-row.ts';

export interface CreateTicketInput {
  type: string;
  categoryId?: string | null;
  channel: Channel;
  priority?: Priority;
  subject: string;
  description?: string;
  customerId?: string | null;
  /** Intake by phone number: finds the customer through the keyed hash, or creates one. */
  customer?: { name?: string | null; phone?: string | null; email?: string | null } | null;
  teamId?: string | null;
  ownerId?: string | null;
  autoAssign?: boolean;
  specialGroups?: string[];
  goods?: string[];
  tags?: string[];
  waybills?: string[];
}

export interface IdempotencyInput {
  key: string;
}

/**
 * Creates a ticket with its number, priority (raised for special groups and urgent goods, T3),
 * first-contact owner (C3), assignment (T4), SLA clocks (T5), timeline entry and audit entry —
 * all in one transaction. With an idempotency key, a retry returns the first result (C7).
 */
export async function createTicket(
  ctx: ServiceContext,
  actor: Actor,
  input: CreateTicketInput,
  idem?: IdempotencyInput,
): Promise<{ ticket: TicketRow; replayed: boolean }> {
  if (!can(actor, 'ticket.create')) throw forbidden('your role may not create tickets');
  const now = ctx.now();
  const requestHash = createHash('sha256').update(JSON.stringify(input)).digest('hex');
  const actorKey = actor.userId;

  if (idem) {
    const prior = await ctx.db.pool.query<{ request_hash: string; response: { ticketId: string } }>(
      'SELECT request_hash, response FROM idempotency_keys WHERE actor = $1 AND key = $2',
      [actorKey, idem.key],
    );
    if (prior.rows[0]) return replay(ctx, prior.rows[0], requestHash);
  }

  const pre = await prefetch(ctx.db.pool, actor, input);
  const number = await allocateTicketNumber(ctx.db.pool, now, pre.settings['tickets.numbering']);
  try {
    return await withTx(ctx.db, async (tx) => {
      if (idem) {
        // Taking the key first: a concurrent retry with the same key waits here, then conflicts.
        await tx.query(`INSERT INTO idempotency_keys (actor, key, request_hash, status, response) VALUES ($1, $2, $3, 201, '{}')`, [actorKey, idem.key, requestHash]);
      }
      const ticket = await insertTicket(tx, ctx, actor, input, number, now, pre);
      // The creating statement writes its timeline entries itself (not through appendEvent's fan-out).
      await queueWebhooksForTicketEvent(tx, ticket.id, { id: null, kind: 'created', actorId: actor.userId, visibility: 'public', body: null, data: {}, createdAt: ticket.created_at.toISOString() });
      // Staff inboxes hear of it on commit (the live socket checks who may read it).
      await publishLive(tx, { topic: 'tickets', type: 'ticket.created', data: { ticket: presentTicketSummary(ticket) } });
      if (idem) await tx.query('UPDATE idempotency_keys SET response = $3 WHERE actor = $1 AND key = $2', [actorKey, idem.key, JSON.stringify({ ticketId: ticket.id })]);
      return { ticket, replayed: false };
    });
  } catch (err) {
    if (idem && (err as { code?: string }).code === '23505' && (err as { constraint?: string }).constraint === 'idempotency_keys_pkey') {
      const prior = await ctx.db.pool.query<{ request_hash: string; response: { ticketId: string } }>(
        'SELECT request_hash, response FROM idempotency_keys WHERE actor = $1 AND key = $2',
        [actorKey, idem.key],
      );
      if (prior.rows[0]) return replay(ctx, prior.rows[0], requestHash);
    }
    throw err;
  }
}

async function replay(ctx: ServiceContext, prior: { request_hash: string; response: { ticketId: string } }, requestHash: string): Promise<{ ticket: TicketRow; replayed: boolean }> {
  if (prior.request_hash !== requestHash) {
    throw new AppError('idempotency_mismatch', 'this Idempotency-Key was already used for a different request');
  }
  return { ticket: await loadTicket(ctx.db.pool, prior.response.ticketId), replayed: true };
}

/**
 * What creating a ticket reads besides the ticket itself, in one round trip: the settings it
 * applies, whether the referenced rows exist, and whether the actor is an API key's service user.
 * (Reading these a moment before the transaction starts changes nothing under READ COMMITTED.)
 */
interface Prefetched {
  settings: { [K in 'tickets.numbering' | 'tickets.special_groups' | 'tickets.urgent_goods']: SettingValue<K> };
  exists: { type: boolean; category: boolean; customer: boolean; team: boolean; owner: boolean };
  category: { code: string; skill: string | null } | null;
  apiKeyUser: boolean;
}

const PREFETCHED_SETTINGS = ['tickets.numbering', 'tickets.special_groups', 'tickets.urgent_goods'] as const;

async function prefetch(q: Queryable, actor: Actor, input: CreateTicketInput): Promise<Prefetched> {
  const { rows } = await q.query<{
    settings: Record<string, unknown> | null; type_ok: boolean; category: { code: string; skill: string | null } | null;
    customer_ok: boolean; team_ok: boolean; owner_ok: boolean; username: string | null;
  }>(
    `SELECT (SELECT jsonb_object_agg(key, value) FROM settings WHERE key = ANY($1::text[])) AS settings,
            EXISTS (SELECT 1 FROM ticket_types WHERE code = $2) AS type_ok,
            (SELECT jsonb_build_object('code', code, 'skill', skill) FROM categories WHERE id = $3::uuid) AS category,
            ($4::uuid IS NULL OR EXISTS (SELECT 1 FROM customers WHERE id = $4::uuid)) AS customer_ok,
            ($5::uuid IS NULL OR EXISTS (SELECT 1 FROM teams WHERE id = $5::uuid)) AS team_ok,
            ($6::uuid IS NULL OR EXISTS (SELECT 1 FROM users WHERE id = $6::uuid AND disabled_at IS NULL AND role IN ('agent', 'team_lead', 'supervisor'))) AS owner_ok,
            (SELECT username FROM users WHERE id = $7) AS username`,
    [PREFETCHED_SETTINGS, input.type, input.categoryId || null, input.customerId || null, input.teamId || null, input.ownerId || null, actor.userId],
  );
  const r = rows[0]!;
  const stored = (key: SettingKey): { value: unknown } | null => (r.settings && key in r.settings ? { value: r.settings[key] } : null);
  return {
    settings: {
      'tickets.numbering': settingValue('tickets.numbering', stored('tickets.numbering')),
      'tickets.special_groups': settingValue('tickets.special_groups', stored('tickets.special_groups')),
      'tickets.urgent_goods': settingValue('tickets.urgent_goods', stored('tickets.urgent_goods')),
    },
    exists: { type: r.type_ok, category: r.category !== null, customer: r.customer_ok, team: r.team_ok, owner: r.owner_ok },
    category: r.category,
    apiKeyUser: r.username?.startsWith('apikey:') ?? false,
  };
}

/**
 * Inside the transaction: customer, priority, owner and team are decided first; then the ticket, its
 * timeline entries (as appendEvent writes them), its SLA clocks (as startClocks writes them) and the
 * audit entry (as recordAudit writes it) go to the database in one statement, the ticket already
 * carrying the SLA summary its new clocks give (what refreshTicketSla would derive from them).
 * Every database round trip costs about as much as the work itself here, hence one statement.
 */
async function insertTicket(tx: Tx, ctx: ServiceContext, actor: Actor, input: CreateTicketInput, number: string, now: Date, pre: Prefetched): Promise<TicketRow> {
  checkReferences(input, pre.exists);
  let customerId = input.customerId ?? null;
  if (actor.role === 'customer') {
    customerId = actor.customerId; // customers open tickets for themselves only
  } else if (!customerId && input.customer && (input.customer.phone || input.customer.email || input.customer.name)) {
    const found = input.customer.phone ? await findCustomersByPhone(tx, ctx.crypto, input.customer.phone) : [];
    customerId = found[0]?.id ?? (await createCustomer(tx, ctx.crypto, actor, input.customer)).id;
  }
  const customerGroups = customerId
    ? ((await tx.query<{ special_groups: string[] }>('SELECT special_groups FROM customers WHERE id = $1', [customerId])).rows[0]?.special_groups ?? [])
    : [];
  const specialGroups = [...new Set([...(input.specialGroups ?? []), ...customerGroups])];
  const derived = derivePriority(
    { requested: input.priority ?? 'normal', specialGroups, goods: input.goods ?? [], text: `${input.subject}\n${input.description ?? ''}` },
    { groups: pre.settings['tickets.special_groups'], goods: pre.settings['tickets.urgent_goods'] },
  );
  const goods = [...new Set(derived.reasons.filter((r) => r.kind === 'urgent_goods').map((r) => r.code))];

  // First-contact ownership (C3): an agent who takes the contact owns it; otherwise assignment decides.
  let ownerId = input.ownerId ?? null;
  if (!ownerId && !pre.apiKeyUser && ['agent', 'team_lead'].includes(actor.role) && input.autoAssign !== true) ownerId = actor.userId;
  let teamId = input.teamId ?? null;
  if (!teamId && ownerId) teamId = (await tx.query<{ team_id: string }>('SELECT team_id FROM team_members WHERE user_id = $1 ORDER BY is_lead LIMIT 1', [ownerId])).rows[0]?.team_id ?? null;
  let assignedBy: 'first_contact' | 'explicit' | 'auto' | null = ownerId ? (input.ownerId ? 'explicit' : 'first_contact') : null;
  if (!ownerId && teamId && input.autoAssign !== false) {
    ownerId = await autoAssign(tx, teamId, { skill: pre.category?.skill ?? null, channel: input.channel }, now);
    if (ownerId) assignedBy = 'auto';
  }

  const clocks = await planClocks(tx, { type: input.type, priority: derived.priority, channel: input.channel, category_code: pre.category?.code ?? null }, 'ticket_created', now);
  const sla = plannedSlaSummary(clocks);
  const id = randomUUID();
  const events: unknown[][] = [
    ['created', 'public', input.description ?? null, { channel: input.channel, priority: derived.priority, requestedPriority: input.priority ?? 'normal', reasons: derived.reasons }],
  ];
  if (ownerId) events.push(['assignment', 'internal', null, { ownerId, teamId, by: assignedBy }]);
  const params: unknown[] = [
    id, number, input.type, input.categoryId ?? null, input.channel, derived.priority, input.subject, input.description ?? '', customerId, teamId,
    ownerId, actor.userId, specialGroups, goods, normTags(input.tags), normWaybills(input.waybills), now, sla.state, sla.dueAt,
    actor.role, JSON.stringify({ number, type: input.type, channel: input.channel, priority: derived.priority, ownerId, teamId }),
  ];
  const eventRows = events.map(([kind, visibility, body, data]) => {
    const n = params.length;
    params.push(kind, visibility, body, JSON.stringify(data));
    return `($1, $${n + 1}, $12, $${n + 2}, $${n + 3}, $${n + 4}, NULL)`;
  });
  const clockInsert = clocks.length ? `, c AS (${startClocksSql(clocks, '$1', params)})` : '';
  // Foreign keys to the new ticket are checked at the end of the statement, when it exists. The
  // events are one multi-row INSERT so their ids keep the order created → assignment.
  const { rows } = await tx.query<TicketRow>(
    `WITH t AS (
       INSERT INTO tickets (id, number, type, category_id, channel, priority, status, subject, description, customer_id, team_id, owner_id,
                            created_by, special_groups, goods, tags, waybills, sla_state, sla_due_at, created_at, updated_at)
       VALUES ($1::uuid, $2, $3, $4, $5, $6, 'new', $7, $8, $9, $10, $11, $12::uuid, $13, $14, $15, $16, $18, $19, $17, $17) RETURNING *),
     e AS (INSERT INTO ticket_events (ticket_id, kind, actor_id, visibility, body, data, client_id) VALUES ${eventRows.join(', ')}),
     a AS (INSERT INTO audit_log (actor_id, actor_role, action, entity_type, entity_id, data) VALUES ($12::uuid, $20, 'ticket.create', 'ticket', $1::text, $21))
     ${clockInsert}
     SELECT ${TICKET_COLUMNS} FROM t`,
    params,
  );
  return rows[0]!;
}

function checkReferences(input: CreateTicketInput, exists: Prefetched['exists']): void {
  if (!exists.type) throw new AppError('validation_failed', `unknown ticket type "${input.type}"`);
  const refs: [boolean, string, string | null | undefined][] = [
    [exists.category, 'category', input.categoryId],
    [exists.customer, 'customer', input.customerId],
    [exists.team, 'team', input.teamId],
    [exists.owner, 'owner', input.ownerId],
  ];
  for (const [ok, what, id] of refs) {
    if (!id) continue;
    if (!ok) throw new AppError('validation_failed', `${what} ${id} does not exist`);
  }
}

export function normTags(tags: string[] | undefined): string[] {
  return [...new Set((tags ?? []).map((t) => t.trim()).filter((t) => t !== ''))];
}

export function normWaybills(w: string[] | undefined): string[] {
  const out = [...new Set((w ?? []).map((x) => x.trim().toUpperCase()).filter((x) => x !== ''))];
  for (const x of out) if (!/^[A-Z0-9]{6,32}$/.test(x)) throw new AppError('validation_failed', `"${x}" is not a waybill number (6–32 letters or digits)`);
  return out;
}

/**
 * Picks an agent of the team by the team's strategy. The team row is locked for the transaction so
 * two concurrent assignments cannot both see the same free capacity.
 */
export async function autoAssign(tx: Queryable, teamId: string, req: { skill: string | null; channel: string | null }, _now: Date): Promise<string | null> {
  const team = await tx.query<{ strategy: Strategy }>('SELECT strategy FROM teams WHERE id = $1 FOR UPDATE', [teamId]);
  if (!team.rows[0]) return null;
  const { rows } = await tx.query<{ user_id: string; skills: string[]; channels: string[]; capacity: number; available: boolean; last_assigned_at: Date | null; open_count: number }>(
    `SELECT u.id AS user_id, u.skills, u.channels, u.capacity, u.available, u.last_assigned_at,
            (SELECT count(*)::int FROM tickets t WHERE t.owner_id = u.id AND t.status IN ('new', 'open', 'pending')) AS open_count
       FROM team_members m JOIN users u ON u.id = m.user_id
      WHERE m.team_id = $1 AND u.disabled_at IS NULL AND u.role IN ('agent', 'team_lead')`,
    [teamId],
  );
  const candidates: Candidate[] = rows.map((r) => ({
    userId: r.user_id, skills: r.skills, channels: r.channels, capacity: r.capacity, openCount: r.open_count, available: r.available, lastAssignedAt: r.last_assigned_at,
  }));
  const picked = pickAgent(candidates, { strategy: team.rows[0].strategy, skill: req.skill, channel: req.channel });
  // Stamped by the database clock while the team lock is held, so stamps follow the order the
  // assignments happened in; the request's own time would not (requests take the lock in any order).
  if (picked) await tx.query('UPDATE users SET last_assigned_at = clock_timestamp() WHERE id = $1', [picked]);
  return picked;
}
