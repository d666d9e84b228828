/** The dashboard's KPI targets (setting reports.targets, fractions) as the percentages an admin types. */
export const TARGET_KEYS = ['slaCompliance', 'resolutionRate', 'csat'] as const;
export type TargetKey = (typeof TARGET_KEYS)[number];
export type Targets = Record<TargetKey, number>;

/** 0.95 → "95", 0.925 → "92.5". */
export const fractionToPercent = (f: number): string => String(Math.round(f * 1000) / 10);

/** "95" or "92.5" (a trailing % allowed) → 0.95 / 0.925; null unless a number from 0 to 100. */
export function percentToFraction(text: string): number | null {
  const t = text.trim().replace(/%$/, '').trim();
  if (!/^\d{1,3}(\.\d+)?$/.test(t)) return null;
  const n = Number(t);
  return n >= 0 && n <= 100 ? Math.round(n * 10) / 1000 : null;
}
