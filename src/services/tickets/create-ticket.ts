import { createHash } from 'node:crypto';
import { withTx, type Queryable, type Tx } from '../../db/database.ts';
import { pickAgent, type Candidate, type Strategy } from '../../domain/assignment.ts';
import { can, type Actor } from '../../domain/policy.ts';
import { derivePriority, type Priority } from '../../domain/priority.ts';
import { AppError, forbidden } from '../../http/errors.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { ServiceContext } from '../context.ts';
import { createCustomer, findCustomersByPhone } from '../customers/customers.ts';
import { getSetting } from '../settings/settings.ts';
import { refreshTicketSla, startClocks } from '../sla/clocks.ts';
import { allocateTicketNumber } from './allocate-ticket-number.ts';
import { appendEvent, loadTicket, type Channel, type TicketRow } from './ticket-row.ts';

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

  const number = await allocateTicketNumber(ctx.db.pool, now);
  try {
    return await withTx(ctx.db, async (tx) => {
      if (idem) {
        // Taking the key first: a concurrent retry with the same key waits here, then conflicts.
        await tx.query(`INSERT INTO idempotency_keys (actor, key, request_hash, status, response) VALUES ($1, $2, $3, 201, '{}')`, [actorKey, idem.key, requestHash]);
      }
      const ticket = await insertTicket(tx, ctx, actor, input, number, now);
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

async function insertTicket(tx: Tx, ctx: ServiceContext, actor: Actor, input: CreateTicketInput, number: string, now: Date): Promise<TicketRow> {
  await checkReferences(tx, input);
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
    { groups: await getSetting(tx, 'tickets.special_groups'), goods: await getSetting(tx, 'tickets.urgent_goods') },
  );
  const goods = [...new Set(derived.reasons.filter((r) => r.kind === 'urgent_goods').map((r) => r.code))];

  // First-contact ownership (C3): an agent who takes the contact owns it; otherwise assignment decides.
  let ownerId = input.ownerId ?? null;
  const apiKeyUser = (await tx.query<{ username: string }>('SELECT username FROM users WHERE id = $1', [actor.userId])).rows[0]?.username.startsWith('apikey:') ?? false;
  if (!ownerId && !apiKeyUser && ['agent', 'team_lead'].includes(actor.role) && input.autoAssign !== true) ownerId = actor.userId;
  let teamId = input.teamId ?? null;
  if (!teamId && ownerId) teamId = (await tx.query<{ team_id: string }>('SELECT team_id FROM team_members WHERE user_id = $1 ORDER BY is_lead LIMIT 1', [ownerId])).rows[0]?.team_id ?? null;
  let assignedBy: 'first_contact' | 'explicit' | 'auto' | null = ownerId ? (input.ownerId ? 'explicit' : 'first_contact') : null;
  if (!ownerId && teamId && input.autoAssign !== false) {
    const skill = input.categoryId ? ((await tx.query<{ skill: string | null }>('SELECT skill FROM categories WHERE id = $1', [input.categoryId])).rows[0]?.skill ?? null) : null;
    ownerId = await autoAssign(tx, teamId, { skill, channel: input.channel }, now);
    if (ownerId) assignedBy = 'auto';
  }

  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO tickets (number, type, category_id, channel, priority, status, subject, description, customer_id, team_id, owner_id,
                          created_by, special_groups, goods, tags, waybills, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, 'new', $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16) RETURNING id`,
    [number, input.type, input.categoryId ?? null, input.channel, derived.priority, input.subject, input.description ?? '', customerId, teamId,
      ownerId, actor.userId, specialGroups, goods, normTags(input.tags), normWaybills(input.waybills), now],
  );
  const id = rows[0]!.id;
  await appendEvent(tx, id, {
    kind: 'created',
    actorId: actor.userId,
    visibility: 'public',
    body: input.description ?? null,
    data: { channel: input.channel, priority: derived.priority, requestedPriority: input.priority ?? 'normal', reasons: derived.reasons },
  });
  if (ownerId) await appendEvent(tx, id, { kind: 'assignment', actorId: actor.userId, data: { ownerId, teamId, by: assignedBy } });
  const ticket = await loadTicket(tx, id);
  await startClocks(tx, { id, type: ticket.type, priority: ticket.priority, channel: ticket.channel, category_code: ticket.category_code }, 'ticket_created', now);
  await refreshTicketSla(tx, id);
  await recordAudit(tx, actor, { action: 'ticket.create', entityType: 'ticket', entityId: id, data: { number, type: input.type, channel: input.channel, priority: derived.priority, ownerId, teamId } });
  return loadTicket(tx, id);
}

async function checkReferences(q: Queryable, input: CreateTicketInput): Promise<void> {
  const type = await q.query('SELECT 1 FROM ticket_types WHERE code = $1', [input.type]);
  if (!type.rowCount) throw new AppError('validation_failed', `unknown ticket type "${input.type}"`);
  const refs: [string, string, string | null | undefined][] = [
    ['categories', 'category', input.categoryId],
    ['customers', 'customer', input.customerId],
    ['teams', 'team', input.teamId],
    ['users', 'owner', input.ownerId],
  ];
  for (const [table, what, id] of refs) {
    if (!id) continue;
    const r = await q.query(`SELECT 1 FROM ${table} WHERE id = $1`, [id]);
    if (!r.rowCount) throw new AppError('validation_failed', `${what} ${id} does not exist`);
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
export async function autoAssign(tx: Queryable, teamId: string, req: { skill: string | null; channel: string | null }, now: Date): Promise<string | null> {
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
  if (picked) await tx.query('UPDATE users SET last_assigned_at = $2 WHERE id = $1', [picked, now]);
  return picked;
}
