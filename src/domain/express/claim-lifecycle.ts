/**
 * Compensation claims (SPEC X6): submitted → verified → approved → paid, or rejected with a reason
 * before approval. Who may approve how much is data (approval limits per role); the most that may
 * be paid comes from the compensation rules and is passed in. Pure: no I/O, no clock.
 */

export const CLAIM_STATUSES = ['submitted', 'verified', 'approved', 'paid', 'rejected'] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

export const CLAIM_ACTIONS = ['verify', 'approve', 'pay', 'reject'] as const;
export type ClaimAction = (typeof CLAIM_ACTIONS)[number];

export const CLAIM_KINDS = ['loss', 'damage', 'delay'] as const;
export type ClaimKind = (typeof CLAIM_KINDS)[number];

const MOVES: Record<ClaimAction, { from: readonly ClaimStatus[]; to: ClaimStatus }> = {
  verify: { from: ['submitted'], to: 'verified' },
  approve: { from: ['verified'], to: 'approved' },
  pay: { from: ['approved'], to: 'paid' },
  // Once approved the company owes the money: an approved claim is paid, not rejected.
  reject: { from: ['submitted', 'verified'], to: 'rejected' },
};

export type Outcome<T> = { ok: true; value: T } | { ok: false; reason: string };

export function isOpenClaim(s: ClaimStatus): boolean {
  return s === 'submitted' || s === 'verified' || s === 'approved';
}

export function claimTransition(from: ClaimStatus, action: ClaimAction): Outcome<ClaimStatus> {
  const move = MOVES[action];
  if (move.from.includes(from)) return { ok: true, value: move.to };
  const need = move.from.join(' or ');
  return { ok: false, reason: `a ${from} claim cannot be ${PAST[action]}; only a ${need} claim can` };
}

const PAST: Record<ClaimAction, string> = { verify: 'verified', approve: 'approved', pay: 'paid', reject: 'rejected' };

/** The actions open to a claim in this status (for the UI's buttons). */
export function claimActions(from: ClaimStatus): ClaimAction[] {
  return CLAIM_ACTIONS.filter((a) => MOVES[a].from.includes(from));
}

/**
 * The most each role may approve on its own, in yuan; `null` means no limit. A role that is
 * absent may not approve at all.
 */
export type ApprovalLimits = Partial<Record<string, number | null>>;

export const DEFAULT_APPROVAL_LIMITS: ApprovalLimits = { agent: 500, team_lead: 2000, supervisor: null, admin: null };

export interface ApprovalInput {
  role: string;
  /** Amount to approve, yuan. */
  amount: number;
  /** What the customer claimed as their actual loss, yuan: never paid more than that. */
  claimedAmount: number;
  /** The compensation rules' ceiling for this parcel (declared value, or a multiple of the postage). */
  maxPayable: number;
  limits: ApprovalLimits;
}

export type ApprovalCheck = { ok: true; value: number } | { ok: false; reason: string; refusal: 'amount' | 'authority' };

/** Whether this role may approve this amount, and why not: the amount itself is wrong, or it is beyond the role's authority. */
export function checkApproval(a: ApprovalInput): ApprovalCheck {
  const amount = roundYuan(a.amount);
  if (!Number.isFinite(a.amount) || amount <= 0) return { ok: false, refusal: 'amount', reason: 'the approved amount must be more than 0 元' };
  if (amount > roundYuan(a.claimedAmount)) return { ok: false, refusal: 'amount', reason: `the approved amount ${fmt(amount)} is more than the loss claimed (${fmt(a.claimedAmount)})` };
  if (amount > roundYuan(a.maxPayable)) return { ok: false, refusal: 'amount', reason: `the approved amount ${fmt(amount)} is more than the compensation rules allow for this parcel (${fmt(a.maxPayable)})` };
  if (!(a.role in a.limits)) return { ok: false, refusal: 'authority', reason: `the ${a.role} role may not approve claims` };
  const limit = a.limits[a.role];
  if (limit !== null && limit !== undefined && amount > limit) {
    return { ok: false, refusal: 'authority', reason: `${fmt(amount)} is above the ${a.role} approval limit of ${fmt(limit)}; a role with a higher limit must approve it` };
  }
  return { ok: true, value: amount };
}

/** Money in yuan, rounded to the fen (0.1 + 0.2 compares equal to 0.3). */
export function roundYuan(v: number): number {
  return Math.round(v * 100) / 100;
}

function fmt(v: number): string {
  return `${roundYuan(v).toFixed(2)} 元`;
}
