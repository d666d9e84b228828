/** Who holds a ticket: taking, assigning, handing over (C3, T4), escalating, merging and linking. */
import { withTx } from '../../db/database.ts';
import type { Actor } from '../../domain/policy.ts';
import { AppError } from '../../http/errors.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { ServiceContext } from '../context.ts';
import { leadsFor, notify } from '../notifications/notifications.ts';
import { refreshTicketSla, startClocks, stopAllClocks, stopClocks } from '../sla/clocks.ts';
import { autoAssign } from './create-ticket.ts';
import { appendEvent, loadTicket, loadTicketFor, type TicketRow } from './ticket-row.ts';

async function checkAssignee(q: import('../../db/database.ts').Queryable, userId: string): Promise<void> {
  const { rows } = await q.query<{ role: string }>('SELECT role FROM users WHERE id = $1 AND disabled_at IS NULL', [userId]);
  if (!rows[0]) throw new AppError('validation_failed', `user ${userId} does not exist`);
  if (!['agent', 'team_lead', 'supervisor'].includes(rows[0].role)) throw new AppError('validation_failed', `user ${userId} is a ${rows[0].role} and cannot own tickets`);
}

async function checkTeam(q: import('../../db/database.ts').Queryable, teamId: string): Promise<void> {
  if (!(await q.query('SELECT 1 FROM teams WHERE id = $1', [teamId])).rowCount) throw new AppError('validation_failed', `team ${teamId} does not exist`);
}

/** An agent takes an unowned ticket. Taking someone else's ticket needs a hand-over. */
export async function takeTicket(ctx: ServiceContext, actor: Actor, idOrNumber: string): Promise<TicketRow> {
  return withTx(ctx.db, async (tx) => {
    const t = await loadTicketFor(tx, actor, idOrNumber, 'ticket.take', true);
    if (t.owner_id === actor.userId) return t;
    if (t.owner_id) throw new AppError('conflict', `ticket ${t.number} already has an owner; ask for a hand-over`);
    await checkAssignee(tx, actor.userId);
    await tx.query('UPDATE tickets SET owner_id = $2, updated_at = $3 WHERE id = $1', [t.id, actor.userId, ctx.now()]);
    await appendEvent(tx, t.id, { kind: 'assignment', actorId: actor.userId, data: { ownerId: actor.userId, teamId: t.team_id, by: 'take' } });
    await recordAudit(tx, actor, { action: 'ticket.take', entityType: 'ticket', entityId: t.id });
    return loadTicket(tx, t.id);
  });
}

export interface HandOverInput {
  toUserId?: string | null;
  toTeamId?: string | null;
  reason: string;
}

/**
 * Changes the owner with a recorded reason. The owner hands over their own ticket; leads,
 * supervisors and admins may move any. Handing to a team only lets the team's strategy pick.
 */
export async function handOverTicket(ctx: ServiceContext, actor: Actor, idOrNumber: string, input: HandOverInput): Promise<TicketRow> {
  if (input.reason.trim().length < 2) throw new AppError('validation_failed', 'a hand-over needs a reason');
  if (!input.toUserId && !input.toTeamId) throw new AppError('validation_failed', 'name the agent (toUserId) or the team (toTeamId) to hand over to');
  return withTx(ctx.db, async (tx) => {
    const t = await loadTicketFor(tx, actor, idOrNumber, 'ticket.handover', true);
    if (input.toUserId) await checkAssignee(tx, input.toUserId);
    if (input.toTeamId) await checkTeam(tx, input.toTeamId);
    const now = ctx.now();
    let teamId = input.toTeamId ?? t.team_id;
    if (input.toUserId && !input.toTeamId) {
      const member = await tx.query<{ team_id: string }>('SELECT team_id FROM team_members WHERE user_id = $1 ORDER BY (team_id = $2) DESC LIMIT 1', [input.toUserId, t.team_id]);
      teamId = member.rows[0]?.team_id ?? t.team_id;
    }
    const ownerId = input.toUserId ?? (teamId ? await autoAssign(tx, teamId, { skill: null, channel: t.channel }, now) : null);
    if (ownerId === t.owner_id && teamId === t.team_id) throw new AppError('validation_failed', 'the ticket already belongs there');
    await tx.query('UPDATE tickets SET owner_id = $2, team_id = $3, updated_at = $4 WHERE id = $1', [t.id, ownerId, teamId, now]);
    await appendEvent(tx, t.id, { kind: 'handover', actorId: actor.userId, data: { fromOwnerId: t.owner_id, fromTeamId: t.team_id, toOwnerId: ownerId, toTeamId: teamId, reason: input.reason.trim() } });
    if (ownerId) await notify(tx, { userIds: [ownerId], kind: 'handover', ticketId: t.id, title: `工单 ${t.number} 已转交给您`, body: input.reason.trim() });
    await recordAudit(tx, actor, { action: 'ticket.handover', entityType: 'ticket', entityId: t.id, data: { from: t.owner_id, to: ownerId, teamId, reason: input.reason.trim() } });
    return loadTicket(tx, t.id);
  });
}

/** A lead assigns an unowned ticket (to a named agent, or by the team's strategy). */
export async function assignTicket(ctx: ServiceContext, actor: Actor, idOrNumber: string, input: { ownerId?: string | null; teamId?: string | null }): Promise<TicketRow> {
  return withTx(ctx.db, async (tx) => {
    const t = await loadTicketFor(tx, actor, idOrNumber, 'ticket.assign', true);
    if (t.owner_id) throw new AppError('conflict', `ticket ${t.number} already has an owner; use a hand-over with a reason`);
    if (input.ownerId) await checkAssignee(tx, input.ownerId);
    if (input.teamId) await checkTeam(tx, input.teamId);
    const now = ctx.now();
    const teamId = input.teamId ?? t.team_id;
    const ownerId = input.ownerId ?? (teamId ? await autoAssign(tx, teamId, { skill: null, channel: t.channel }, now) : null);
    if (!ownerId) throw new AppError('conflict', 'no available agent with free capacity in that team');
    await tx.query('UPDATE tickets SET owner_id = $2, team_id = $3, updated_at = $4 WHERE id = $1', [t.id, ownerId, teamId, now]);
    await appendEvent(tx, t.id, { kind: 'assignment', actorId: actor.userId, data: { ownerId, teamId, by: input.ownerId ? 'lead' : 'auto' } });
    await notify(tx, { userIds: [ownerId], kind: 'assignment', ticketId: t.id, title: `新工单 ${t.number} 已分配给您`, body: t.subject });
    await recordAudit(tx, actor, { action: 'ticket.assign', entityType: 'ticket', entityId: t.id, data: { ownerId, teamId } });
    return loadTicket(tx, t.id);
  });
}

export interface EscalationInput {
  level: 'senior' | 'department' | 'supervisor';
  ownerId: string;
  targetTeamId?: string | null;
  reason: string;
  deadlineAt?: string | null;
}

export interface EscalationView {
  id: string;
  ticketId: string;
  level: string;
  ownerId: string;
  targetTeamId: string | null;
  reason: string;
  deadlineAt: string;
  status: string;
  createdAt: string;
  answeredAt: string | null;
}

interface EscalationRow {
  id: string;
  ticket_id: string;
  level: string;
  owner_id: string;
  target_team_id: string | null;
  reason: string;
  deadline_at: Date;
  status: string;
  created_at: Date;
  answered_at: Date | null;
}

function presentEscalation(r: EscalationRow): EscalationView {
  return {
    id: r.id, ticketId: r.ticket_id, level: r.level, ownerId: r.owner_id, targetTeamId: r.target_team_id, reason: r.reason,
    deadlineAt: r.deadline_at.toISOString(), status: r.status, createdAt: r.created_at.toISOString(), answeredAt: r.answered_at?.toISOString() ?? null,
  };
}

/**
 * Escalation to a senior agent, a department or a supervisor, with an owner and a deadline (T4).
 * The deadline defaults to the escalation-reply clock (24 h, SPEC T5) which starts here.
 */
export async function escalateTicket(ctx: ServiceContext, actor: Actor, idOrNumber: string, input: EscalationInput): Promise<EscalationView> {
  if (input.reason.trim().length < 2) throw new AppError('validation_failed', 'an escalation needs a reason');
  return withTx(ctx.db, async (tx) => {
    const t = await loadTicketFor(tx, actor, idOrNumber, 'ticket.escalate', true);
    if (t.status === 'closed') throw new AppError('conflict', `ticket ${t.number} is closed; reopen it first`);
    const owner = await tx.query<{ role: string }>('SELECT role FROM users WHERE id = $1 AND disabled_at IS NULL', [input.ownerId]);
    if (!owner.rows[0] || owner.rows[0].role === 'customer') throw new AppError('validation_failed', `user ${input.ownerId} cannot own an escalation`);
    if (input.targetTeamId) await checkTeam(tx, input.targetTeamId);
    const now = ctx.now();
    await startClocks(tx, { id: t.id, type: t.type, priority: t.priority, channel: t.channel, category_code: t.category_code }, 'escalated', now);
    const clock = await tx.query<{ due_at: Date | null }>(`SELECT due_at FROM sla_clocks WHERE ticket_id = $1 AND clock = 'escalation_reply'`, [t.id]);
    let deadline = input.deadlineAt ? new Date(input.deadlineAt) : (clock.rows[0]?.due_at ?? new Date(now.getTime() + 24 * 3_600_000));
    if (Number.isNaN(deadline.getTime())) throw new AppError('validation_failed', 'deadlineAt is not a valid date-time');
    if (deadline <= now) throw new AppError('validation_failed', 'the escalation deadline must be in the future');
    if (input.deadlineAt) {
      await tx.query(`UPDATE sla_clocks SET due_at = $2, target_ms = $3 WHERE ticket_id = $1 AND clock = 'escalation_reply' AND mode = 'calendar'`, [t.id, deadline, deadline.getTime() - now.getTime()]);
    }
    deadline = new Date(deadline);
    const { rows } = await tx.query<EscalationRow>(
      `INSERT INTO escalations (ticket_id, level, target_team_id, owner_id, reason, deadline_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7)
       RETURNING id, ticket_id, level, owner_id, target_team_id, reason, deadline_at, status, created_at, answered_at`,
      [t.id, input.level, input.targetTeamId ?? null, input.ownerId, input.reason.trim(), deadline, actor.userId],
    );
    const esc = rows[0]!;
    await refreshTicketSla(tx, t.id);
    await appendEvent(tx, t.id, { kind: 'escalation', actorId: actor.userId, data: { escalationId: esc.id, level: input.level, ownerId: input.ownerId, targetTeamId: input.targetTeamId ?? null, reason: input.reason.trim(), deadlineAt: deadline.toISOString() } });
    await notify(tx, { userIds: [input.ownerId], kind: 'escalation', ticketId: t.id, title: `工单 ${t.number} 升级给您处理`, body: `${input.reason.trim()}(截止 ${deadline.toISOString()})` });
    await recordAudit(tx, actor, { action: 'ticket.escalate', entityType: 'ticket', entityId: t.id, data: { escalationId: esc.id, level: input.level, ownerId: input.ownerId } });
    return presentEscalation(esc);
  });
}

export async function answerEscalation(ctx: ServiceContext, actor: Actor, idOrNumber: string, escalationId: string, answer: string): Promise<EscalationView> {
  if (answer.trim() === '') throw new AppError('validation_failed', 'the answer must not be empty');
  return withTx(ctx.db, async (tx) => {
    const t = await loadTicketFor(tx, actor, idOrNumber, 'ticket.note', true);
    const { rows } = await tx.query<EscalationRow>(
      `UPDATE escalations SET status = 'answered', answered_at = $3 WHERE id = $1 AND ticket_id = $2 AND status = 'open'
       RETURNING id, ticket_id, level, owner_id, target_team_id, reason, deadline_at, status, created_at, answered_at`,
      [escalationId, t.id, ctx.now()],
    );
    if (!rows[0]) throw new AppError('not_found', `open escalation ${escalationId} of ticket ${t.number} does not exist`);
    const open = await tx.query("SELECT 1 FROM escalations WHERE ticket_id = $1 AND status = 'open'", [t.id]);
    if (!open.rowCount) await stopClocks(tx, t.id, 'escalation_answered', ctx.now());
    await refreshTicketSla(tx, t.id);
    await appendEvent(tx, t.id, { kind: 'escalation_answer', actorId: actor.userId, body: answer.trim(), data: { escalationId } });
    await recordAudit(tx, actor, { action: 'ticket.escalation_answer', entityType: 'ticket', entityId: t.id, data: { escalationId } });
    return presentEscalation(rows[0]);
  });
}

export async function listEscalations(ctx: ServiceContext, actor: Actor, idOrNumber: string): Promise<EscalationView[]> {
  const t = await loadTicketFor(ctx.db.pool, actor, idOrNumber, 'ticket.read_internal');
  const { rows } = await ctx.db.pool.query<EscalationRow>(
    'SELECT id, ticket_id, level, owner_id, target_team_id, reason, deadline_at, status, created_at, answered_at FROM escalations WHERE ticket_id = $1 ORDER BY created_at',
    [t.id],
  );
  return rows.map(presentEscalation);
}

/**
 * Merges a duplicate into a surviving ticket: the duplicate is closed and points at the survivor,
 * whose timeline then shows both; waybills and tags are united. Nothing is deleted (T7).
 */
export async function mergeTickets(ctx: ServiceContext, actor: Actor, sourceIdOrNumber: string, targetIdOrNumber: string, reason: string): Promise<TicketRow> {
  return withTx(ctx.db, async (tx) => {
    const source = await loadTicketFor(tx, actor, sourceIdOrNumber, 'ticket.merge', true);
    const target = await loadTicketFor(tx, actor, targetIdOrNumber, 'ticket.merge', true);
    if (source.id === target.id) throw new AppError('validation_failed', 'a ticket cannot be merged into itself');
    if (source.merged_into_id) throw new AppError('conflict', `ticket ${source.number} was already merged`);
    if (target.merged_into_id) throw new AppError('conflict', `ticket ${target.number} was itself merged; merge into ${target.merged_into_id}`);
    if (target.status === 'closed') throw new AppError('conflict', `ticket ${target.number} is closed; reopen it first`);
    if (source.customer_id && target.customer_id && source.customer_id !== target.customer_id) {
      throw new AppError('conflict', 'tickets of different customers cannot be merged; link them instead');
    }
    const now = ctx.now();
    await tx.query(`UPDATE tickets SET merged_into_id = $2, status = 'closed', waiting_on = NULL, closed_at = $3, updated_at = $3 WHERE id = $1`, [source.id, target.id, now]);
    await stopAllClocks(tx, source.id, now);
    await refreshTicketSla(tx, source.id);
    await tx.query(
      `UPDATE tickets SET waybills = ARRAY(SELECT DISTINCT unnest(waybills || $2::text[])), tags = ARRAY(SELECT DISTINCT unnest(tags || $3::text[])),
              customer_id = coalesce(customer_id, $4), updated_at = $5 WHERE id = $1`,
      [target.id, source.waybills, source.tags, source.customer_id, now],
    );
    await appendEvent(tx, source.id, { kind: 'merge', actorId: actor.userId, data: { into: target.id, intoNumber: target.number, reason } });
    await appendEvent(tx, target.id, { kind: 'merge', actorId: actor.userId, data: { from: source.id, fromNumber: source.number, reason } });
    await tx.query(`INSERT INTO ticket_links (ticket_id, other_id, kind, created_by) VALUES ($1, $2, 'duplicate', $3), ($2, $1, 'duplicate', $3) ON CONFLICT DO NOTHING`, [source.id, target.id, actor.userId]);
    await recordAudit(tx, actor, { action: 'ticket.merge', entityType: 'ticket', entityId: target.id, data: { from: source.id, reason } });
    return loadTicket(tx, target.id);
  });
}

const INVERSE: Record<string, string> = { related: 'related', duplicate: 'duplicate', parent: 'child', child: 'parent' };

export async function linkTickets(ctx: ServiceContext, actor: Actor, idOrNumber: string, otherIdOrNumber: string, kind: 'related' | 'duplicate' | 'parent' | 'child'): Promise<{ ticketId: string; otherId: string; kind: string }> {
  return withTx(ctx.db, async (tx) => {
    const a = await loadTicketFor(tx, actor, idOrNumber, 'ticket.link', true);
    const b = await loadTicketFor(tx, actor, otherIdOrNumber, 'ticket.link');
    if (a.id === b.id) throw new AppError('validation_failed', 'a ticket cannot be linked to itself');
    await tx.query(
      `INSERT INTO ticket_links (ticket_id, other_id, kind, created_by) VALUES ($1, $2, $3, $5), ($2, $1, $4, $5)
       ON CONFLICT (ticket_id, other_id) DO UPDATE SET kind = EXCLUDED.kind`,
      [a.id, b.id, kind, INVERSE[kind], actor.userId],
    );
    await appendEvent(tx, a.id, { kind: 'link', actorId: actor.userId, data: { otherId: b.id, otherNumber: b.number, kind } });
    await appendEvent(tx, b.id, { kind: 'link', actorId: actor.userId, data: { otherId: a.id, otherNumber: a.number, kind: INVERSE[kind] } });
    await recordAudit(tx, actor, { action: 'ticket.link', entityType: 'ticket', entityId: a.id, data: { otherId: b.id, kind } });
    return { ticketId: a.id, otherId: b.id, kind };
  });
}

export async function listLinks(ctx: ServiceContext, actor: Actor, idOrNumber: string): Promise<{ otherId: string; otherNumber: string; kind: string; subject: string; status: string }[]> {
  const t = await loadTicketFor(ctx.db.pool, actor, idOrNumber, 'ticket.read');
  const { rows } = await ctx.db.pool.query<{ other_id: string; number: string; kind: string; subject: string; status: string }>(
    `SELECT l.other_id, o.number, l.kind, o.subject, o.status FROM ticket_links l JOIN tickets o ON o.id = l.other_id WHERE l.ticket_id = $1 ORDER BY l.created_at`,
    [t.id],
  );
  return rows.map((r) => ({ otherId: r.other_id, otherNumber: r.number, kind: r.kind, subject: r.subject, status: r.status }));
}
