/**
 * Walk-ins at an outlet (SPEC C4; seed 000 二(二)3): a visitor is greeted within 3 s of coming in
 * (「您好,请问需要办理什么业务?」). The agent records when the visitor arrived and was greeted; this
 * measures it. Pure: no I/O, no clock.
 */
export const WALK_IN_GREETING = '您好,请问需要办理什么业务?';

export function greetMeasure(arrivedAt: Date, greetedAt: Date, targetMs: number): { ok: true; greetMs: number; withinTarget: boolean } | { ok: false; reason: string } {
  const ms = greetedAt.getTime() - arrivedAt.getTime();
  if (Number.isNaN(ms)) return { ok: false, reason: 'arrivedAt and greetedAt must be date-times' };
  if (ms < 0) return { ok: false, reason: 'greetedAt is before arrivedAt' };
  if (ms > 12 * 3_600_000) return { ok: false, reason: 'greetedAt is more than 12 hours after arrivedAt; check the times' };
  return { ok: true, greetMs: ms, withinTarget: ms <= targetMs };
}
