/**
 * The waiting queue's numbers: how long a customer has waited, as m:ss (h:mm:ss past an hour), and
 * whether that is past the chat's first-reply norm (C4: 60 s), so the row can say so.
 */
export const FIRST_REPLY_TARGET_MS = 60_000;

/** Milliseconds from `sinceIso` to `now`; never negative (the browser's clock may run behind the server's). */
export function waitedMs(sinceIso: string, now: number): number {
  const t = Date.parse(sinceIso);
  return Number.isFinite(t) ? Math.max(0, now - t) : 0;
}

export function formatWait(ms: number): string {
  const total = Math.floor(Math.max(0, ms) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

export const pastTarget = (ms: number, targetMs = FIRST_REPLY_TARGET_MS): boolean => ms > targetMs;
