import { describe, expect, it } from 'vitest';
import { CompensationError, DEFAULT_COMPENSATION_POLICY, estimateCompensation, type CompensationInput, type CompensationPolicy } from '../../../src/domain/express/compensation.ts';

const P = DEFAULT_COMPENSATION_POLICY;
const c = (input: CompensationInput, policy: CompensationPolicy = P) => estimateCompensation(input, policy);

describe('loss', () => {
  it.each<[string, CompensationInput, number, string, number]>([
    ['insured, loss below the declared value', { kind: 'loss', insured: true, declaredValue: 1000, postage: 12, claimedLoss: 800 }, 800, 'insured_claimed_loss', 1000],
    ['insured, loss equal to the declared value', { kind: 'loss', insured: true, declaredValue: 1000, postage: 12, claimedLoss: 1000 }, 1000, 'insured_claimed_loss', 1000],
    ['insured, loss above the declared value', { kind: 'loss', insured: true, declaredValue: 1000, postage: 12, claimedLoss: 1500 }, 1000, 'insured_declared_value', 1000],
    ['uninsured, 3× postage below the loss', { kind: 'loss', insured: false, postage: 12, claimedLoss: 500 }, 36, 'uninsured_postage_multiple', 36],
    ['uninsured, the loss below 3× postage', { kind: 'loss', insured: false, postage: 12, claimedLoss: 20 }, 20, 'uninsured_claimed_loss', 36],
    ['uninsured, loss exactly 3× postage', { kind: 'loss', insured: false, postage: 12, claimedLoss: 36 }, 36, 'uninsured_claimed_loss', 36],
    ['uninsured with a declared (not insured) value: still the postage rule', { kind: 'loss', insured: false, declaredValue: 2000, postage: 15.5, claimedLoss: 2000 }, 46.5, 'uninsured_postage_multiple', 46.5],
    ['nothing claimed, nothing paid', { kind: 'loss', insured: false, postage: 12, claimedLoss: 0 }, 0, 'uninsured_claimed_loss', 36],
    ['cents', { kind: 'loss', insured: false, postage: 10.33, claimedLoss: 99.99 }, 30.99, 'uninsured_postage_multiple', 30.99],
  ])('%s', (_label, input, amount, basis, cap) => {
    const r = c(input);
    expect(r.amount).toBe(amount);
    expect(r.basis).toBe(basis);
    expect(r.cap).toBe(cap);
    expect(r.options).toEqual(['compensation']);
    expect(r.basisZh.length).toBeGreaterThan(10);
  });

  it.each([
    [3, 36],
    [4, 48],
    [5, 60],
  ])('policy multiple %s× → %s 元', (multiple, amount) => {
    expect(c({ kind: 'loss', insured: false, postage: 12, claimedLoss: 1000 }, { ...P, uninsuredPostageMultiple: multiple }).amount).toBe(amount);
  });

  it('explains in Chinese with the numbers', () => {
    expect(c({ kind: 'loss', insured: false, postage: 12, claimedLoss: 500 }).basisZh).toBe('未保价件丢失，按运费12.00元的3倍赔付，即36.00元。');
    expect(c({ kind: 'loss', insured: true, declaredValue: 1000, postage: 12, claimedLoss: 1500 }).basisZh).toBe('保价件丢失，按保价金额赔付，最高1000.00元(实际损失1500.00元超过保价金额)。');
  });
});

describe('damage', () => {
  it('pays the claimed (partial) loss within the caps and offers re-shipment', () => {
    const r = c({ kind: 'damage', insured: true, declaredValue: 3000, postage: 20, claimedLoss: 450 });
    expect(r).toMatchObject({ amount: 450, basis: 'insured_claimed_loss', options: ['compensation', 'reshipment'] });
    expect(r.basisZh).toContain('客户也可选择补发快件代替赔付');
    expect(r.basisEn).toContain('re-shipment');
  });
  it('uninsured damage is capped by the postage multiple', () => {
    expect(c({ kind: 'damage', insured: false, postage: 20, claimedLoss: 450 })).toMatchObject({ amount: 60, basis: 'uninsured_postage_multiple' });
    expect(c({ kind: 'damage', insured: false, postage: 20, claimedLoss: 45 })).toMatchObject({ amount: 45, basis: 'uninsured_claimed_loss' });
  });
});

describe('delay', () => {
  it('refunds the postage (GB/T 27917.3), whatever loss is claimed', () => {
    const r = c({ kind: 'delay', insured: false, postage: 12, claimedLoss: 0 });
    expect(r).toMatchObject({ amount: 12, basis: 'delay_postage_refund', options: ['compensation'] });
    expect(r.basisZh).toBe('快件延误，退还运费的100%，即12.00元(不含保价费等附加费用)；超过彻底延误时限的，可按丢失处理。');
    expect(c({ kind: 'delay', insured: true, declaredValue: 500, postage: 12, claimedLoss: 300 }).amount).toBe(12);
  });
  it('a policy share of 50 %', () => {
    expect(c({ kind: 'delay', insured: false, postage: 12.35, claimedLoss: 0 }, { ...P, delayPostageRefundShare: 0.5 }).amount).toBe(6.18);
  });
});

describe('bad input', () => {
  it.each<[CompensationInput, string, string]>([
    [{ kind: 'loss', insured: true, postage: 12, claimedLoss: 100 }, 'declaredValue', 'an insured parcel needs its declaredValue'],
    [{ kind: 'loss', insured: true, declaredValue: 0, postage: 12, claimedLoss: 100 }, 'declaredValue', 'an insured parcel needs its declaredValue'],
    [{ kind: 'loss', insured: false, postage: -1, claimedLoss: 100 }, 'postage', 'postage must be 0 or more yuan (got -1)'],
    [{ kind: 'loss', insured: false, postage: 12, claimedLoss: -5 }, 'claimedLoss', 'claimedLoss must be 0 or more yuan'],
    [{ kind: 'damage', insured: true, declaredValue: -3, postage: 12, claimedLoss: 5 }, 'declaredValue', 'declaredValue must be 0 or more yuan'],
    [{ kind: 'loss', insured: false, postage: Number.NaN, claimedLoss: 5 }, 'postage', 'postage is required'],
  ])('%j → %s', (input, field, message) => {
    try {
      c(input);
      expect.unreachable('should have thrown');
    } catch (err) {
      expect(err).toBeInstanceOf(CompensationError);
      expect((err as CompensationError).field).toBe(field);
      expect((err as Error).message).toContain(message);
    }
  });
});
