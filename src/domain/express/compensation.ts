// Compensation estimate for a problem shipment (SPEC X6, N; seed 000 三、(三)): insured parcels up
// to the declared value, uninsured a multiple of the postage (3–5×, default 3×), never above the
// loss actually claimed; damage may be settled by re-shipment instead; delay refunds the postage
// (GB/T 27917.3: a delayed parcel's service fee is waived, insurance and other add-ons excluded).
// Amounts in integer fen internally, yuan out.
import { fenTimesRate, formatYuan, toFen, toYuan } from './money.ts';

export const COMPENSATION_KINDS = ['loss', 'damage', 'delay'] as const;
export type CompensationKind = (typeof COMPENSATION_KINDS)[number];

export interface CompensationPolicy {
  /** Uninsured loss/damage: at most this multiple of the postage (company policy, 3–5). */
  uninsuredPostageMultiple: number;
  /** Delay: this share of the postage is refunded (1 = all of it). */
  delayPostageRefundShare: number;
}

export const DEFAULT_COMPENSATION_POLICY: CompensationPolicy = { uninsuredPostageMultiple: 3, delayPostageRefundShare: 1 };

export interface CompensationInput {
  kind: CompensationKind;
  insured: boolean;
  declaredValue?: number | undefined;
  postage: number;
  claimedLoss: number;
}

export const BASIS_CODES = ['insured_claimed_loss', 'insured_declared_value', 'uninsured_claimed_loss', 'uninsured_postage_multiple', 'delay_postage_refund'] as const;
export type BasisCode = (typeof BASIS_CODES)[number];

export interface CompensationEstimate {
  amount: number;
  /** A short code of the rule applied. */
  basis: BasisCode;
  /** The rule and the numbers in Chinese, to read to the customer. */
  basisZh: string;
  basisEn: string;
  /** The cap the rule allows before the claimed loss is considered. */
  cap: number;
  /** Damage: the customer may choose re-shipment instead of money (seed 000). */
  options: ('compensation' | 'reshipment')[];
}

export class CompensationError extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
    this.name = 'CompensationError';
  }
}

function money(field: string, v: number | undefined): number {
  if (v === undefined || !Number.isFinite(v)) throw new CompensationError(field, `${field} is required (yuan)`);
  if (v < 0) throw new CompensationError(field, `${field} must be 0 or more yuan (got ${v})`);
  return toFen(v);
}

export function estimateCompensation(input: CompensationInput, policy: CompensationPolicy): CompensationEstimate {
  const postage = money('postage', input.postage);
  const claimed = money('claimedLoss', input.claimedLoss);
  const declared = input.declaredValue === undefined ? null : money('declaredValue', input.declaredValue);
  const kindZh = { loss: '丢失', damage: '破损', delay: '延误' }[input.kind];
  const options: CompensationEstimate['options'] = input.kind === 'damage' ? ['compensation', 'reshipment'] : ['compensation'];
  const reshipZh = input.kind === 'damage' ? '客户也可选择补发快件代替赔付。' : '';
  const reshipEn = input.kind === 'damage' ? ' The customer may choose re-shipment instead.' : '';
  const result = (amountFen: number, capFen: number, basis: BasisCode, basisZh: string, basisEn: string): CompensationEstimate => ({
    amount: toYuan(amountFen),
    basis,
    basisZh,
    basisEn,
    cap: toYuan(capFen),
    options,
  });
  const y = formatYuan;

  if (input.kind === 'delay') {
    // A refund of the service fee, not damages: the claimed loss does not cap it.
    const refund = fenTimesRate(postage, policy.delayPostageRefundShare);
    const share = Math.round(policy.delayPostageRefundShare * 100);
    return result(
      refund,
      refund,
      'delay_postage_refund',
      `快件延误，退还运费的${share}%，即${y(refund)}元(不含保价费等附加费用)；超过彻底延误时限的，可按丢失处理。`,
      `Delay: ${share}% of the postage is refunded (${y(refund)} yuan, add-on fees excluded); past the complete-delay limit it may be treated as lost.`,
    );
  }

  if (input.insured) {
    if (declared === null || declared === 0) throw new CompensationError('declaredValue', 'an insured parcel needs its declaredValue (> 0 yuan)');
    if (claimed <= declared) {
      return result(
        claimed,
        declared,
        'insured_claimed_loss',
        `保价件${kindZh}，按实际损失${y(claimed)}元赔付(未超过保价金额${y(declared)}元)。${reshipZh}`,
        `Insured, ${input.kind}: the actual loss of ${y(claimed)} yuan is paid (within the declared value of ${y(declared)} yuan).${reshipEn}`,
      );
    }
    return result(
      declared,
      declared,
      'insured_declared_value',
      `保价件${kindZh}，按保价金额赔付，最高${y(declared)}元(实际损失${y(claimed)}元超过保价金额)。${reshipZh}`,
      `Insured, ${input.kind}: paid up to the declared value of ${y(declared)} yuan (the claimed ${y(claimed)} yuan exceeds it).${reshipEn}`,
    );
  }

  const multiple = policy.uninsuredPostageMultiple;
  const cap = fenTimesRate(postage, multiple);
  if (claimed <= cap) {
    return result(
      claimed,
      cap,
      'uninsured_claimed_loss',
      `未保价件${kindZh}，按实际损失${y(claimed)}元赔付(未超过运费${y(postage)}元的${multiple}倍)。${reshipZh}`,
      `Uninsured, ${input.kind}: the actual loss of ${y(claimed)} yuan is paid (within ${multiple}× the postage of ${y(postage)} yuan).${reshipEn}`,
    );
  }
  return result(
    cap,
    cap,
    'uninsured_postage_multiple',
    `未保价件${kindZh}，按运费${y(postage)}元的${multiple}倍赔付，即${y(cap)}元。${reshipZh}`,
    `Uninsured, ${input.kind}: ${multiple}× the postage of ${y(postage)} yuan is paid, ${y(cap)} yuan.${reshipEn}`,
  );
}
