import { describe, expect, it } from 'vitest';
import {
  CLAIM_ACTIONS,
  CLAIM_STATUSES,
  checkApproval,
  claimActions,
  claimTransition,
  DEFAULT_APPROVAL_LIMITS,
  isOpenClaim,
  roundYuan,
  type ClaimAction,
  type ClaimStatus,
} from '../../../src/domain/express/claim-lifecycle.ts';

describe('claim transitions: every status × action', () => {
  const allowed: Record<string, ClaimStatus> = {
    'submitted/verify': 'verified',
    'submitted/reject': 'rejected',
    'verified/approve': 'approved',
    'verified/reject': 'rejected',
    'approved/pay': 'paid',
  };
  for (const from of CLAIM_STATUSES) {
    for (const action of CLAIM_ACTIONS) {
      const key = `${from}/${action}`;
      it(key, () => {
        const r = claimTransition(from, action);
        if (allowed[key]) expect(r).toEqual({ ok: true, value: allowed[key] });
        else {
          expect(r.ok).toBe(false);
          if (!r.ok) expect(r.reason).toContain(from);
        }
      });
    }
  }

  it('claimActions lists exactly the allowed moves', () => {
    for (const from of CLAIM_STATUSES) {
      const expected = CLAIM_ACTIONS.filter((a: ClaimAction) => allowed[`${from}/${a}`]);
      expect(claimActions(from)).toEqual(expected);
    }
    expect(claimActions('paid')).toEqual([]);
    expect(claimActions('rejected')).toEqual([]);
  });

  it('open claims are the ones still moving', () => {
    expect(CLAIM_STATUSES.filter(isOpenClaim)).toEqual(['submitted', 'verified', 'approved']);
  });

  it('an approved claim is owed: it cannot be rejected', () => {
    const r = claimTransition('approved', 'reject');
    expect(r).toEqual({ ok: false, reason: 'a approved claim cannot be rejected; only a submitted or verified claim can' });
  });
});

describe('approval: amounts and limits per role', () => {
  const base = { claimedAmount: 800, maxPayable: 1000, limits: DEFAULT_APPROVAL_LIMITS };
  const cases: [role: string, amount: number, ok: boolean, reasonPart?: string][] = [
    ['agent', 500, true],
    ['agent', 500.01, false, 'agent approval limit of 500.00 元'],
    ['agent', 0.01, true],
    ['team_lead', 800, true],
    ['supervisor', 800, true],
    ['admin', 800, true],
    ['qa_inspector', 10, false, 'may not approve'],
    ['customer', 10, false, 'may not approve'],
    ['agent', 0, false, 'more than 0'],
    ['agent', -5, false, 'more than 0'],
    ['supervisor', 800.01, false, 'more than the loss claimed'],
    ['admin', Number.NaN, false, 'more than 0'],
  ];
  for (const [role, amount, ok, reasonPart] of cases) {
    it(`${role} approving ${amount} → ${ok ? 'ok' : reasonPart}`, () => {
      const r = checkApproval({ ...base, role, amount });
      expect(r.ok).toBe(ok);
      if (ok && r.ok) expect(r.value).toBe(roundYuan(amount));
      if (!r.ok) {
        expect(r.reason).toContain(reasonPart);
        expect(r.refusal).toBe(reasonPart === 'may not approve' || reasonPart?.includes('limit') ? 'authority' : 'amount');
      }
    });
  }

  it('never above what the compensation rules allow, whatever the role', () => {
    const r = checkApproval({ role: 'admin', amount: 300, claimedAmount: 2000, maxPayable: 30, limits: DEFAULT_APPROVAL_LIMITS });
    expect(r).toEqual({ ok: false, refusal: 'amount', reason: 'the approved amount 300.00 元 is more than the compensation rules allow for this parcel (30.00 元)' });
    expect(checkApproval({ role: 'admin', amount: 30, claimedAmount: 2000, maxPayable: 30, limits: DEFAULT_APPROVAL_LIMITS })).toEqual({ ok: true, value: 30 });
  });

  it('amounts are compared to the fen', () => {
    expect(checkApproval({ role: 'agent', amount: 0.1 + 0.2, claimedAmount: 0.3, maxPayable: 0.3, limits: DEFAULT_APPROVAL_LIMITS })).toEqual({ ok: true, value: 0.3 });
    expect(checkApproval({ role: 'agent', amount: 500.004, claimedAmount: 600, maxPayable: 600, limits: DEFAULT_APPROVAL_LIMITS })).toEqual({ ok: true, value: 500 });
  });

  it('limits are data: a company may let agents approve nothing, or leads anything', () => {
    const limits = { team_lead: null, supervisor: null };
    expect(checkApproval({ role: 'agent', amount: 1, claimedAmount: 5, maxPayable: 5, limits }).ok).toBe(false);
    expect(checkApproval({ role: 'team_lead', amount: 5, claimedAmount: 5, maxPayable: 5, limits }).ok).toBe(true);
    expect(checkApproval({ role: 'agent', amount: 1, claimedAmount: 5, maxPayable: 5, limits: { agent: 0 } })).toEqual({ ok: false, refusal: 'authority', reason: '1.00 元 is above the agent approval limit of 0.00 元; a role with a higher limit must approve it' });
  });
});
