/**
 * Compensation claims (X6): submitted → verified → approved → paid, or rejected with a reason.
 * The most payable comes from the compensation rules (src/domain/express/compensation.ts), who may
 * approve how much from the approval limits (a setting), and the payment deadline from the
 * compensation-payment SLA clock (3 working days on the working-day calendar by default), which
 * approval starts and payment stops. Every step is one transaction with its audit entry and a
 * line in the ticket's timeline.
 */
import { createHash } from 'node:crypto';
import { withTx, type Queryable, type Tx } from '../../db/database.ts';
import { checkApproval, claimActions, claimTransition, isOpenClaim, type ClaimAction, type ClaimKind, type ClaimStatus } from '../../domain/express/claim-lifecycle.ts';
import { can, type Actor } from '../../domain/policy.ts';
import { AppError, forbidden, notFound } from '../../http/errors.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { ServiceContext } from '../context.ts';
import { estimateClaimCompensation } from '../express/express-tools.ts';
import { getSetting } from '../settings/settings.ts';
import { refreshTicketSla, startClocks, stopClocks } from '../sla/clocks.ts';
import { appendEvent, loadTicket, loadTicketFor, touchTicket } from '../tickets/ticket-row.ts';

export interface ClaimRow {
  id: string;
  ticket_id: string;
  ticket_number: string;
  customer_id: string | null;
  waybill: string | null;
  kind: ClaimKind;
  status: ClaimStatus;
  claimed_amount: string;
  insured: boolean;
  declared_value: string | null;
  postage: string;
  max_payable: string;
  basis: string;
  description: string;
  approved_amount: string | null;
  reject_reason: string | null;
  payment_reference: string | null;
  payment_due_at: Date | null;
  submitted_by: string | null;
  verified_by: string | null;
  verified_at: Date | null;
  approved_by: string | null;
  approved_at: Date | null;
  paid_by: string | null;
  paid_at: Date | null;
  rejected_by: string | null;
  rejected_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

const CLAIM_COLUMNS = `c.*, (SELECT number FROM tickets t WHERE t.id = c.ticket_id) AS ticket_number`;

export interface ClaimFigures {
  kind: ClaimKind;
  claimedAmount: number;
  insured: boolean;
  declaredValue?: number | null | undefined;
  postage: number;
}

export interface SubmitClaimInput {
  kind: ClaimKind;
  claimedAmount: number;
  /** Needed only when the waybill is not a parcel Parceldesk knows; otherwise the parcel's own figures apply. */
  insured?: boolean | undefined;
  declaredValue?: number | null | undefined;
  postage?: number | undefined;
  ticketId: string;
  waybill?: string | undefined;
  description?: string | undefined;
}

export interface EvidenceView {
  id: string;
  kind: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  note: string;
  uploadedAt: string;
}

export interface ClaimView {
  id: string;
  ticketId: string;
  ticketNumber: string;
  customerId: string | null;
  waybill: string | null;
  kind: ClaimKind;
  status: ClaimStatus;
  claimedAmount: number;
  insured: boolean;
  declaredValue: number | null;
  postage: number;
  maxPayable: number;
  basis: string;
  description: string;
  approvedAmount: number | null;
  rejectReason: string | null;
  paymentReference: string | null;
  paymentDueAt: string | null;
  verifiedAt: string | null;
  approvedAt: string | null;
  paidAt: string | null;
  rejectedAt: string | null;
  /** What the caller may do next (for buttons). */
  actions: ClaimAction[];
  evidence: EvidenceView[];
  createdAt: string;
  updatedAt: string;
}

const num = (v: string | null): number | null => (v === null ? null : Number(v));
const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function presentClaim(c: ClaimRow, actor: Actor, evidence: EvidenceView[]): ClaimView {
  const may: Record<ClaimAction, boolean> = {
    verify: can(actor, 'claim.verify'),
    approve: can(actor, 'claim.approve'),
    pay: can(actor, 'claim.pay'),
    reject: can(actor, 'claim.verify'),
  };
  return {
    id: c.id,
    ticketId: c.ticket_id,
    ticketNumber: c.ticket_number,
    customerId: c.customer_id,
    waybill: c.waybill,
    kind: c.kind,
    status: c.status,
    claimedAmount: Number(c.claimed_amount),
    insured: c.insured,
    declaredValue: num(c.declared_value),
    postage: Number(c.postage),
    maxPayable: Number(c.max_payable),
    basis: c.basis,
    description: c.description,
    approvedAmount: num(c.approved_amount),
    rejectReason: c.reject_reason,
    paymentReference: c.payment_reference,
    paymentDueAt: iso(c.payment_due_at),
    verifiedAt: iso(c.verified_at),
    approvedAt: iso(c.approved_at),
    paidAt: iso(c.paid_at),
    rejectedAt: iso(c.rejected_at),
    actions: claimActions(c.status).filter((a) => may[a]),
    evidence,
    createdAt: c.created_at.toISOString(),
    updatedAt: c.updated_at.toISOString(),
  };
}

/** The most the compensation rules (the company's policy setting) pay for these figures, and the rule applied in Chinese. */
async function assess(q: Queryable, f: ClaimFigures): Promise<{ maxPayable: number; basis: string }> {
  const e = await estimateClaimCompensation(q, { kind: f.kind, insured: f.insured, declaredValue: f.declaredValue ?? undefined, postage: f.postage, claimedLoss: f.claimedAmount });
  return { maxPayable: e.amount, basis: e.basisZh };
}

async function loadClaim(q: Queryable, id: string, lock = false): Promise<ClaimRow> {
  const { rows } = await q.query<ClaimRow>(`SELECT ${CLAIM_COLUMNS} FROM claims c WHERE c.id = $1${lock ? ' FOR UPDATE OF c' : ''}`, [id]);
  if (!rows[0]) throw notFound('claim', id);
  return rows[0];
}

/** Customers see only their own claims; for anyone else "not found", not a hint that it exists. */
function assertVisible(actor: Actor, c: ClaimRow): void {
  const own = actor.customerId !== null && c.customer_id === actor.customerId;
  if (!can(actor, 'claim.read') || (actor.role === 'customer' && !own)) throw notFound('claim', c.id);
}

async function evidenceOf(q: Queryable, claimId: string): Promise<EvidenceView[]> {
  const { rows } = await q.query<{ id: string; kind: string; file_name: string; content_type: string; size_bytes: number; sha256: string; note: string; uploaded_at: Date }>(
    'SELECT id, kind, file_name, content_type, size_bytes, sha256, note, uploaded_at FROM claim_evidence WHERE claim_id = $1 ORDER BY uploaded_at, id',
    [claimId],
  );
  return rows.map((r) => ({ id: r.id, kind: r.kind, fileName: r.file_name, contentType: r.content_type, sizeBytes: r.size_bytes, sha256: r.sha256, note: r.note, uploadedAt: r.uploaded_at.toISOString() }));
}

async function view(q: Queryable, actor: Actor, id: string): Promise<ClaimView> {
  return presentClaim(await loadClaim(q, id), actor, await evidenceOf(q, id));
}

export async function getClaim(ctx: ServiceContext, actor: Actor, id: string): Promise<ClaimView> {
  const c = await loadClaim(ctx.db.pool, id);
  assertVisible(actor, c);
  return presentClaim(c, actor, await evidenceOf(ctx.db.pool, id));
}

export async function listClaims(ctx: ServiceContext, actor: Actor, f: { status?: ClaimStatus[] | undefined; ticketId?: string | undefined; limit?: number | undefined }): Promise<ClaimView[]> {
  if (!can(actor, 'claim.read')) throw forbidden('your role may not read claims');
  const where: string[] = [];
  const params: unknown[] = [];
  const p = (v: unknown): string => `$${params.push(v)}`;
  if (actor.role === 'customer') where.push(`c.customer_id = ${p(actor.customerId)}`);
  if (f.status?.length) where.push(`c.status = ANY(${p(f.status)}::text[])`);
  if (f.ticketId) where.push(`c.ticket_id = ${p(f.ticketId)}`);
  const { rows } = await ctx.db.pool.query<ClaimRow>(
    `SELECT ${CLAIM_COLUMNS} FROM claims c ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY c.created_at DESC, c.id LIMIT ${Math.min(Math.max(f.limit ?? 50, 1), 200)}`,
    params,
  );
  return rows.map((c) => presentClaim(c, actor, []));
}

export async function submitClaim(ctx: ServiceContext, actor: Actor, input: SubmitClaimInput): Promise<ClaimView> {
  return withTx(ctx.db, async (tx) => {
    const t = await loadTicketFor(tx, actor, input.ticketId, 'ticket.read', true);
    if (!can(actor, 'claim.create', { customerId: t.customer_id, ownerId: t.owner_id, teamId: t.team_id })) throw forbidden('your role may not submit claims');
    if (actor.role === 'customer' && t.customer_id !== actor.customerId) throw notFound('ticket', input.ticketId);
    const open = await tx.query<{ id: string; status: string }>(`SELECT id, status FROM claims WHERE ticket_id = $1 AND status IN ('submitted', 'verified', 'approved')`, [t.id]);
    if (open.rows[0]) throw new AppError('conflict', `ticket ${t.number} already has claim ${open.rows[0].id} in progress (${open.rows[0].status})`);
    const waybill = input.waybill?.trim().toUpperCase() || t.waybills[0] || null;
    const figures = await claimFigures(tx, waybill, input);
    const { maxPayable, basis } = await assess(tx, figures);
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO claims (ticket_id, customer_id, waybill, kind, claimed_amount, insured, declared_value, postage, max_payable, basis, description, submitted_by, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id`,
      [t.id, t.customer_id, waybill, input.kind, input.claimedAmount, figures.insured, figures.declaredValue ?? null, figures.postage, maxPayable, basis, input.description ?? '', actor.userId, ctx.now()],
    );
    const id = rows[0]!.id;
    await appendEvent(tx, t.id, { kind: 'claim', actorId: actor.userId, body: `赔付申请已提交:申请 ${input.claimedAmount.toFixed(2)} 元,按规则最高 ${maxPayable.toFixed(2)} 元`, data: { claimId: id, action: 'submit', claimedAmount: input.claimedAmount, maxPayable } });
    await touchTicket(tx, t.id);
    await recordAudit(tx, actor, { action: 'claim.submit', entityType: 'claim', entityId: id, data: { ticketId: t.id, kind: input.kind, claimedAmount: input.claimedAmount, insured: input.insured, declaredValue: input.declaredValue ?? null, postage: input.postage, maxPayable } });
    return view(tx, actor, id);
  });
}

/**
 * The parcel's insurance, declared value and postage come from the shipment record when the
 * waybill is a known parcel (the customer's word does not set what the company owes); otherwise
 * from the claim, to be checked at verification.
 */
async function claimFigures(tx: Tx, waybill: string | null, input: SubmitClaimInput): Promise<ClaimFigures> {
  if (waybill) {
    const { rows } = await tx.query<{ insured: boolean; declared_value: string | null; postage: string | null }>('SELECT insured, declared_value, postage FROM shipments WHERE waybill = $1', [waybill]);
    const s = rows[0];
    if (s && s.postage !== null) return { kind: input.kind, claimedAmount: input.claimedAmount, insured: s.insured, declaredValue: s.declared_value === null ? null : Number(s.declared_value), postage: Number(s.postage) };
  }
  if (input.postage === undefined) throw new AppError('validation_failed', `postage is required: ${waybill ? `waybill ${waybill} is not a parcel Parceldesk knows` : 'the claim names no waybill'}`);
  if (input.insured === undefined) throw new AppError('validation_failed', `insured is required: ${waybill ? `waybill ${waybill} is not a parcel Parceldesk knows` : 'the claim names no waybill'}`);
  return { kind: input.kind, claimedAmount: input.claimedAmount, insured: input.insured, declaredValue: input.declaredValue, postage: input.postage };
}

/** Loads a claim for a step, checks permission and the state machine, and returns the new status. */
async function beginStep(tx: Tx, actor: Actor, id: string, action: ClaimAction): Promise<{ c: ClaimRow; to: ClaimStatus }> {
  const c = await loadClaim(tx, id, true);
  assertVisible(actor, c);
  const need = action === 'reject' ? 'claim.verify' : (`claim.${action}` as const);
  if (!can(actor, need)) throw forbidden(`your role may not ${action} claims`);
  const move = claimTransition(c.status, action);
  if (!move.ok) throw new AppError('invalid_transition', move.reason);
  return { c, to: move.value };
}

async function finishStep(tx: Tx, actor: Actor, c: ClaimRow, action: ClaimAction, body: string, data: Record<string, unknown>): Promise<ClaimView> {
  await appendEvent(tx, c.ticket_id, { kind: 'claim', actorId: actor.userId, body, data: { claimId: c.id, action, ...data } });
  await touchTicket(tx, c.ticket_id);
  await recordAudit(tx, actor, { action: `claim.${action}`, entityType: 'claim', entityId: c.id, data: { ticketId: c.ticket_id, ...data } });
  return view(tx, actor, c.id);
}

/**
 * Verification checks the figures against the waybill and the evidence; the verifier may correct
 * them (an uninsured parcel the customer thought insured, the real postage), which re-assesses the
 * most payable.
 */
export async function verifyClaim(ctx: ServiceContext, actor: Actor, id: string, input: Partial<ClaimFigures> & { note?: string | undefined }): Promise<ClaimView> {
  return withTx(ctx.db, async (tx) => {
    const { c, to } = await beginStep(tx, actor, id, 'verify');
    const figures: ClaimFigures = {
      kind: input.kind ?? c.kind,
      claimedAmount: input.claimedAmount ?? Number(c.claimed_amount),
      insured: input.insured ?? c.insured,
      declaredValue: input.declaredValue !== undefined ? input.declaredValue : num(c.declared_value),
      postage: input.postage ?? Number(c.postage),
    };
    const { maxPayable, basis } = await assess(tx, figures);
    const now = ctx.now();
    await tx.query(
      `UPDATE claims SET status = $2, kind = $3, claimed_amount = $4, insured = $5, declared_value = $6, postage = $7, max_payable = $8, basis = $9,
              verified_by = $10, verified_at = $11, updated_at = $11 WHERE id = $1`,
      [c.id, to, figures.kind, figures.claimedAmount, figures.insured, figures.declaredValue ?? null, figures.postage, maxPayable, basis, actor.userId, now],
    );
    const corrected = Object.keys(input).filter((k) => k !== 'note');
    return finishStep(tx, actor, c, 'verify', `赔付申请已核实${corrected.length ? `(更正:${corrected.join('、')})` : ''}:按规则最高 ${maxPayable.toFixed(2)} 元${input.note ? `。${input.note}` : ''}`, {
      corrected: Object.fromEntries(corrected.map((k) => [k, (figures as unknown as Record<string, unknown>)[k]])),
      maxPayable,
      note: input.note ?? null,
    });
  });
}

/**
 * Approval within the role's limit agrees the amount (default: the most payable) and starts the
 * payment clock; the payment deadline is that clock's due time.
 */
export async function approveClaim(ctx: ServiceContext, actor: Actor, id: string, input: { amount?: number | undefined; note?: string | undefined }): Promise<ClaimView> {
  return withTx(ctx.db, async (tx) => {
    const { c, to } = await beginStep(tx, actor, id, 'approve');
    const limits = await getSetting(tx, 'claims.approval_limits');
    const check = checkApproval({ role: actor.role, amount: input.amount ?? Number(c.max_payable), claimedAmount: Number(c.claimed_amount), maxPayable: Number(c.max_payable), limits });
    if (!check.ok) throw check.refusal === 'authority' ? forbidden(check.reason) : new AppError('validation_failed', check.reason);
    const now = ctx.now();
    const t = await loadTicket(tx, c.ticket_id);
    await startClocks(tx, t, 'claim_agreed', now);
    await refreshTicketSla(tx, t.id);
    const due = await tx.query<{ due_at: Date | null }>(
      `SELECT due_at FROM sla_clocks WHERE ticket_id = $1 AND stopped_at IS NULL AND policy_id IN (SELECT id FROM sla_policies WHERE starts_on = 'claim_agreed') ORDER BY due_at LIMIT 1`,
      [t.id],
    );
    const dueAt = due.rows[0]?.due_at ?? null;
    await tx.query('UPDATE claims SET status = $2, approved_amount = $3, approved_by = $4, approved_at = $5, payment_due_at = $6, updated_at = $5 WHERE id = $1', [c.id, to, check.value, actor.userId, now, dueAt]);
    return finishStep(tx, actor, c, 'approve', `赔付已批准:${check.value.toFixed(2)} 元${dueAt ? `,应于 ${dueAt.toISOString()} 前到账` : ''}`, { amount: check.value, paymentDueAt: dueAt?.toISOString() ?? null, note: input.note ?? null });
  });
}

export async function payClaim(ctx: ServiceContext, actor: Actor, id: string, input: { reference: string }): Promise<ClaimView> {
  return withTx(ctx.db, async (tx) => {
    const { c, to } = await beginStep(tx, actor, id, 'pay');
    const now = ctx.now();
    await tx.query('UPDATE claims SET status = $2, payment_reference = $3, paid_by = $4, paid_at = $5, updated_at = $5 WHERE id = $1', [c.id, to, input.reference, actor.userId, now]);
    const stopped = await stopClocks(tx, c.ticket_id, 'claim_paid', now);
    await refreshTicketSla(tx, c.ticket_id);
    const late = c.payment_due_at !== null && now > c.payment_due_at;
    return finishStep(tx, actor, c, 'pay', `赔付 ${Number(c.approved_amount).toFixed(2)} 元已支付(凭证 ${input.reference})${late ? ',已超过承诺时限' : ''}`, { amount: Number(c.approved_amount), reference: input.reference, late, clocks: stopped });
  });
}

export async function rejectClaim(ctx: ServiceContext, actor: Actor, id: string, input: { reason: string }): Promise<ClaimView> {
  return withTx(ctx.db, async (tx) => {
    const { c, to } = await beginStep(tx, actor, id, 'reject');
    const now = ctx.now();
    await tx.query('UPDATE claims SET status = $2, reject_reason = $3, rejected_by = $4, rejected_at = $5, updated_at = $5 WHERE id = $1', [c.id, to, input.reason, actor.userId, now]);
    return finishStep(tx, actor, c, 'reject', `赔付申请未通过:${input.reason}`, { reason: input.reason });
  });
}

export const EVIDENCE_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/heic', 'application/pdf'] as const;
export const EVIDENCE_MAX_BYTES = 5 * 1024 * 1024;

export interface EvidenceInput {
  kind: 'photo' | 'invoice' | 'receipt' | 'document' | 'other';
  fileName: string;
  contentType: (typeof EVIDENCE_TYPES)[number];
  /** The file, base64-encoded. */
  content: string;
  note?: string | undefined;
}

/** Attaches a file while the claim is still open; the same file twice (a retry) is stored once. */
export async function addClaimEvidence(ctx: ServiceContext, actor: Actor, id: string, input: EvidenceInput): Promise<{ evidence: EvidenceView; created: boolean }> {
  const bytes = Buffer.from(input.content, 'base64');
  if (bytes.length === 0) throw new AppError('validation_failed', 'content: the file is empty or not base64');
  if (bytes.length > EVIDENCE_MAX_BYTES) throw new AppError('payload_too_large', `the file is ${bytes.length} bytes; evidence files may be at most ${EVIDENCE_MAX_BYTES} bytes`);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return withTx(ctx.db, async (tx) => {
    const c = await loadClaim(tx, id, true);
    assertVisible(actor, c);
    if (actor.role !== 'customer' && !can(actor, 'claim.verify')) throw forbidden('your role may not add evidence to claims');
    if (!isOpenClaim(c.status)) throw new AppError('invalid_transition', `a ${c.status} claim takes no more evidence`);
    const ins = await tx.query<{ id: string }>(
      `INSERT INTO claim_evidence (claim_id, kind, file_name, content_type, size_bytes, sha256, content, note, uploaded_by, uploaded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (claim_id, sha256) DO NOTHING RETURNING id`,
      [c.id, input.kind, input.fileName, input.contentType, bytes.length, sha256, bytes, input.note ?? '', actor.userId, ctx.now()],
    );
    const created = ins.rows.length > 0;
    if (created) {
      await appendEvent(tx, c.ticket_id, { kind: 'claim', actorId: actor.userId, body: `赔付凭证已上传:${input.fileName}`, data: { claimId: c.id, action: 'evidence', evidenceId: ins.rows[0]!.id, sha256 } });
      await recordAudit(tx, actor, { action: 'claim.evidence', entityType: 'claim', entityId: c.id, data: { evidenceId: ins.rows[0]!.id, fileName: input.fileName, sizeBytes: bytes.length, sha256 } });
    }
    const all = await evidenceOf(tx, c.id);
    return { evidence: all.find((e) => e.sha256 === sha256)!, created };
  });
}

export async function getClaimEvidenceContent(ctx: ServiceContext, actor: Actor, id: string, evidenceId: string): Promise<{ contentType: string; fileName: string; content: Buffer }> {
  const c = await loadClaim(ctx.db.pool, id);
  assertVisible(actor, c);
  const { rows } = await ctx.db.pool.query<{ content_type: string; file_name: string; content: Buffer }>('SELECT content_type, file_name, content FROM claim_evidence WHERE id = $1 AND claim_id = $2', [evidenceId, id]);
  if (!rows[0]) throw notFound('evidence', evidenceId);
  return { contentType: rows[0].content_type, fileName: rows[0].file_name, content: rows[0].content };
}
