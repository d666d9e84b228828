/**
 * Proactive notices (提前告知, SPEC X7; seed 000 四(一)): when a holiday, a sales peak or bad
 * weather is declared for some regions, customers whose parcels are in flight there are told
 * before they ask («春节期间,快件时效延迟1-3天,请您谅解»), their parcels' promised dates move, and
 * urgent goods (medicines, fresh food) are marked 优先派件. Pure: no I/O, no clock.
 */

export type PeriodKind = 'holiday' | 'weather' | 'promotion';

export interface NoticePeriod {
  kind: PeriodKind;
  name: string;
  extraMinDays: number;
  extraMaxDays: number;
  /** The admin's own wording, used as given when present. */
  notice: string | null;
}

/** Shipment flags that make a parcel urgent (seed 000 四(一)3: 医疗用品、生鲜食品). */
export const URGENT_FLAGS = ['medical', 'fresh', 'cold_chain'] as const;

export function isUrgent(flags: readonly string[]): boolean {
  return flags.some((f) => (URGENT_FLAGS as readonly string[]).includes(f));
}

/** Statuses of a parcel no longer on its way: nothing to tell about a delay. */
export const SETTLED_STATUSES = ['delivered', 'returned', 'lost'] as const;

function days(p: NoticePeriod): string {
  return p.extraMinDays === p.extraMaxDays ? `${p.extraMaxDays}天` : `${p.extraMinDays}-${p.extraMaxDays}天`;
}

/** The period's sentence: the admin's wording, or the seed's pattern for its kind. */
export function periodSentence(p: NoticePeriod): string {
  if (p.notice && p.notice.trim() !== '') return p.notice.trim();
  switch (p.kind) {
    case 'holiday':
      return `${p.name}期间,快件时效延迟${days(p)},请您谅解。`;
    case 'promotion':
      return `${p.name}期间快件量较大,快件时效延迟${days(p)},请您谅解。`;
    case 'weather':
      return `受${p.name}影响,快件时效延迟${days(p)},我们会尽快为您派送,请您谅解。`;
  }
}

export interface NoticeParcel {
  waybill: string;
  flags: readonly string[];
  /** The new latest delivery date, local "YYYY-MM-DD", when known. */
  revisedBy: string | null;
}

/** The message one customer receives about one parcel. */
export function noticeText(p: NoticePeriod, parcel: NoticeParcel): string {
  const parts = [`【提前告知】您的快件(运单号${parcel.waybill}):${periodSentence(p)}`];
  if (parcel.revisedBy) parts.push(`预计${formatDate(parcel.revisedBy)}前送达。`);
  if (isUrgent(parcel.flags)) parts.push('您的快件已标注优先派件,我们会优先为您送达。');
  return parts.join('');
}

/** "2026-02-19" → "2月19日". */
function formatDate(ymd: string): string {
  const [, m, d] = ymd.split('-');
  return `${Number(m)}月${Number(d)}日`;
}

/** A promise moved by the period's longest delay; an earlier revision by another period is kept if later. */
export function revisedPromise(promisedAt: Date | null, alreadyRevised: Date | null, extraMaxDays: number): Date | null {
  if (promisedAt === null) return alreadyRevised;
  const moved = new Date(promisedAt.getTime() + extraMaxDays * 86_400_000);
  return alreadyRevised && alreadyRevised > moved ? alreadyRevised : moved;
}

/** Whether a region code falls in a period's regions (no prefixes: nationwide). */
export function inRegions(code: string, prefixes: readonly string[]): boolean {
  return prefixes.length === 0 || prefixes.some((p) => code.startsWith(p));
}
