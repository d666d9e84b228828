/** Reconnect delays: exponential from `baseMs`, capped at `maxMs`, with jitter so clients do not reconnect in step. */
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 15_000 };

/** Delay before reconnect attempt `attempt` (0 = the first retry); `random` in [0, 1). */
export function backoffDelay(attempt: number, random: number, opts: BackoffOptions = DEFAULT_BACKOFF): number {
  const exp = Math.min(opts.maxMs, opts.baseMs * 2 ** Math.max(0, Math.min(attempt, 30)));
  // "Equal jitter": half fixed, half random, so a delay never collapses to zero.
  return Math.round(exp / 2 + (exp / 2) * Math.min(Math.max(random, 0), 1));
}
