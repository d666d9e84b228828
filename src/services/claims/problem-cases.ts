/**
 * Problem-shipment cases (X6): a ticket worked through the five steps of seed 000 三(三). The
 * rules of each step are src/domain/express/problem-case.ts; this records them, starts the
 * courier's call-back clock when priority delivery is requested, and keeps the ticket's timeline
 * and audit log in step.
 */
import { withTx, type Queryable, type Tx } from '../../db/database.ts';
import {
  CASE_STEPS,
  CAUSES,
  checkStep,
  followUpSentence,
  nextStep,
  SOLUTIONS,
  solutionSentence,
  sootheSentence,
  STEP_NAMES,
  type CaseStep,
  type ProblemKind,
  type Solution,
  type StepData,
} from '../../domain/express/problem-case.ts';
import type { Actor } from '../../domain/policy.ts';
import { workdayMinutes } from '../../domain/business-hours.ts';
import { AppError } from '../../http/errors.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { ServiceContext } from '../context.ts';
import { loadCalendar, refreshTicketSla, startClocks, stopClocks } from '../sla/clocks.ts';
import { appendEvent, loadTicket, loadTicketFor, touchTicket, type TicketRow } from '../tickets/ticket-row.ts';

export const PRIORITY_DELIVERY_TAG = '优先派件';

interface CaseRow {
  ticket_id: string;
  kind: ProblemKind;
  waybill: string | null;
  solution: Solution | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

interface StepRow {
  step: CaseStep;
  data: StepData;
  recorded_by: string | null;
  recorded_by_name: string | null;
  recorded_at: Date;
}

export interface ProblemCaseView {
  ticketId: string;
  ticketNumber: string;
  kind: ProblemKind;
  waybill: string | null;
  solution: Solution | null;
  steps: { step: CaseStep; nameZh: string; nameEn: string; data: StepData; recordedBy: string | null; recordedByName: string | null; recordedAt: string }[];
  nextStep: CaseStep | null;
  /** What the agent needs for the next step: the sentence to say, the causes and solutions to pick from. */
  guidance: {
    sootheSentence: string;
    causes: { code: string; zh: string; en: string }[];
    solutions: { code: Solution; sentence: string }[];
    followUpSentence: string | null;
  };
  claimIds: string[];
  createdAt: string;
}

async function loadCase(q: Queryable, ticketId: string, lock = false): Promise<CaseRow | null> {
  const { rows } = await q.query<CaseRow>(`SELECT * FROM problem_cases WHERE ticket_id = $1${lock ? ' FOR UPDATE' : ''}`, [ticketId]);
  return rows[0] ?? null;
}

async function present(q: Queryable, t: TicketRow, c: CaseRow): Promise<ProblemCaseView> {
  const steps = (
    await q.query<StepRow>(
      `SELECT s.step, s.data, s.recorded_by, u.display_name AS recorded_by_name, s.recorded_at
         FROM problem_case_steps s LEFT JOIN users u ON u.id = s.recorded_by WHERE s.ticket_id = $1`,
      [t.id],
    )
  ).rows.sort((a, b) => CASE_STEPS.indexOf(a.step) - CASE_STEPS.indexOf(b.step));
  const claims = await q.query<{ id: string }>('SELECT id FROM claims WHERE ticket_id = $1 ORDER BY created_at', [t.id]);
  const days = await paymentWorkingDays(q);
  return {
    ticketId: t.id,
    ticketNumber: t.number,
    kind: c.kind,
    waybill: c.waybill,
    solution: c.solution,
    steps: steps.map((s) => ({
      step: s.step,
      nameZh: STEP_NAMES[s.step].zh,
      nameEn: STEP_NAMES[s.step].en,
      data: s.data,
      recordedBy: s.recorded_by,
      recordedByName: s.recorded_by_name,
      recordedAt: s.recorded_at.toISOString(),
    })),
    nextStep: nextStep(steps.map((s) => s.step)),
    guidance: {
      sootheSentence: sootheSentence(c.kind),
      causes: CAUSES[c.kind],
      solutions: SOLUTIONS[c.kind].map((code) => ({ code, sentence: solutionSentence(c.kind, code) })),
      followUpSentence: c.solution ? followUpSentence(c.solution, days) : null,
    },
    claimIds: claims.rows.map((r) => r.id),
    createdAt: c.created_at.toISOString(),
  };
}

/**
 * How many working days the customer is promised for payment (seed 000: 3), read from the
 * compensation-payment clock's policy so the sentence and the clock never disagree.
 */
export async function paymentWorkingDays(q: Queryable): Promise<number> {
  const { rows } = await q.query<{ target_minutes: number; mode: string; calendar_id: string | null }>(
    `SELECT target_minutes::float8 AS target_minutes, mode, calendar_id FROM sla_policies
      WHERE active AND starts_on = 'claim_agreed' AND stops_on = 'claim_paid' ORDER BY target_minutes LIMIT 1`,
  );
  const p = rows[0];
  if (!p) return 3;
  if (p.mode === 'calendar') return Math.max(1, Math.ceil(p.target_minutes / (24 * 60)));
  return Math.max(1, Math.ceil(p.target_minutes / workdayMinutes(await loadCalendar(q, p.calendar_id))));
}

export async function openProblemCase(ctx: ServiceContext, actor: Actor, idOrNumber: string, input: { kind: ProblemKind; waybill?: string | undefined }): Promise<ProblemCaseView> {
  return withTx(ctx.db, async (tx) => {
    const t = await loadTicketFor(tx, actor, idOrNumber, 'ticket.update', true);
    if (await loadCase(tx, t.id)) throw new AppError('conflict', `ticket ${t.number} already has a problem-shipment case`);
    const waybill = input.waybill?.trim().toUpperCase() || t.waybills[0] || null;
    await tx.query('INSERT INTO problem_cases (ticket_id, kind, waybill, created_by) VALUES ($1, $2, $3, $4)', [t.id, input.kind, waybill, actor.userId]);
    if (waybill && !t.waybills.includes(waybill)) await tx.query('UPDATE tickets SET waybills = array_append(waybills, $2) WHERE id = $1', [t.id, waybill]);
    await appendEvent(tx, t.id, { kind: 'problem_case', actorId: actor.userId, body: `问题件(${input.kind})处理开始`, data: { kind: input.kind, waybill } });
    await touchTicket(tx, t.id);
    await recordAudit(tx, actor, { action: 'problem_case.open', entityType: 'ticket', entityId: t.id, data: { kind: input.kind, waybill } });
    return present(tx, await loadTicket(tx, t.id), (await loadCase(tx, t.id))!);
  });
}

export async function getProblemCase(ctx: ServiceContext, actor: Actor, idOrNumber: string): Promise<ProblemCaseView> {
  const t = await loadTicketFor(ctx.db.pool, actor, idOrNumber, 'ticket.read');
  const c = await loadCase(ctx.db.pool, t.id);
  if (!c) throw new AppError('not_found', `ticket ${t.number} has no problem-shipment case`);
  return present(ctx.db.pool, t, c);
}

export async function recordProblemCaseStep(ctx: ServiceContext, actor: Actor, idOrNumber: string, step: CaseStep, data: StepData): Promise<ProblemCaseView> {
  return withTx(ctx.db, async (tx) => {
    const t = await loadTicketFor(tx, actor, idOrNumber, 'ticket.update', true);
    const c = await loadCase(tx, t.id, true);
    if (!c) throw new AppError('not_found', `ticket ${t.number} has no problem-shipment case; open one first`);
    const done = (await tx.query<{ step: CaseStep }>('SELECT step FROM problem_case_steps WHERE ticket_id = $1', [t.id])).rows.map((r) => r.step);
    done.sort((a, b) => CASE_STEPS.indexOf(a) - CASE_STEPS.indexOf(b));
    const stored: StepData = step === 'soothe' ? { ...data, sentence: data.sentence?.trim() || sootheSentence(c.kind) } : data;
    const check = checkStep({ kind: c.kind, done }, step, stored);
    if (!check.ok) throw new AppError(done.includes(step) ? 'conflict' : 'validation_failed', check.reason);
    if (step === 'follow_up' && c.solution === 'compensation') await requireClaim(tx, t);

    const now = ctx.now();
    await tx.query('INSERT INTO problem_case_steps (ticket_id, step, data, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5)', [t.id, step, JSON.stringify(stored), actor.userId, now]);
    await tx.query(`UPDATE problem_cases SET updated_at = $2${step === 'solution' ? ', solution = $3' : ''} WHERE ticket_id = $1`, step === 'solution' ? [t.id, now, stored.solution] : [t.id, now]);
    await appendEvent(tx, t.id, { kind: 'problem_step', actorId: actor.userId, body: stepSummary(c.kind, step, stored), data: { step, ...stored } });
    if (step === 'solution' && stored.solution === 'priority_delivery') await requestPriorityDelivery(tx, actor, t, now);
    await touchTicket(tx, t.id);
    await recordAudit(tx, actor, { action: `problem_case.${step}`, entityType: 'ticket', entityId: t.id, data: { ...stored } });
    return present(tx, await loadTicket(tx, t.id), (await loadCase(tx, t.id))!);
  });
}

async function requireClaim(tx: Tx, t: TicketRow): Promise<void> {
  const { rowCount } = await tx.query(`SELECT 1 FROM claims WHERE ticket_id = $1 AND status <> 'rejected'`, [t.id]);
  if (!rowCount) throw new AppError('validation_failed', 'follow_up: the solution is compensation, but no claim has been submitted for this ticket yet');
}

function stepSummary(kind: ProblemKind, step: CaseStep, d: StepData): string {
  const name = `${STEP_NAMES[step].zh}`;
  switch (step) {
    case 'soothe':
      return `${name}:${d.sentence ?? ''}`;
    case 'verify':
      return `${name}:单号与收寄件人已核实${d.photos?.length ? `,照片 ${d.photos.length} 张` : ''}`;
    case 'cause':
      return `${name}:${CAUSES[kind].find((c) => c.code === d.cause)?.zh ?? d.cause} — ${d.findings ?? ''}`;
    case 'solution':
      return `${name}:${d.solution ? solutionSentence(kind, d.solution) : ''}`;
    case 'follow_up':
      return `${name}:${d.told ?? ''}`;
  }
}

/**
 * Delay solved by priority delivery: the ticket carries the 优先派件 tag for the outlet, an internal
 * note says so, and the courier's call-back clock (policy: 1 hour) starts.
 */
async function requestPriorityDelivery(tx: Tx, actor: Actor, t: TicketRow, now: Date): Promise<void> {
  if (!t.tags.includes(PRIORITY_DELIVERY_TAG)) await tx.query('UPDATE tickets SET tags = array_append(tags, $2) WHERE id = $1', [t.id, PRIORITY_DELIVERY_TAG]);
  await appendEvent(tx, t.id, { kind: 'note', actorId: actor.userId, body: '已备注优先派件:请网点优先派送,派件员尽快联系客户。', data: { priorityDelivery: true } });
  await startClocks(tx, t, 'priority_delivery_requested', now);
  await refreshTicketSla(tx, t.id);
}

/** The courier has called the customer back: the call-back clock stops (met or late). */
export async function recordCourierContact(ctx: ServiceContext, actor: Actor, idOrNumber: string, input: { note?: string | undefined }): Promise<ProblemCaseView> {
  return withTx(ctx.db, async (tx) => {
    const t = await loadTicketFor(tx, actor, idOrNumber, 'ticket.update', true);
    const c = await loadCase(tx, t.id, true);
    if (!c) throw new AppError('not_found', `ticket ${t.number} has no problem-shipment case`);
    if (c.solution !== 'priority_delivery') throw new AppError('invalid_transition', 'no priority delivery was requested for this case, so no courier call-back is awaited');
    const now = ctx.now();
    const stopped = await stopClocks(tx, t.id, 'courier_contacted', now);
    await refreshTicketSla(tx, t.id);
    await appendEvent(tx, t.id, { kind: 'courier_contacted', actorId: actor.userId, body: input.note?.trim() || '派件员已联系客户', data: { clocks: stopped } });
    await touchTicket(tx, t.id);
    await recordAudit(tx, actor, { action: 'problem_case.courier_contacted', entityType: 'ticket', entityId: t.id, data: { note: input.note ?? null } });
    return present(tx, await loadTicket(tx, t.id), c);
  });
}
