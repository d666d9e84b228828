/**
 * Sends a request again after a failure that may pass (the network, a 5xx), after each of the
 * given delays. The caller builds the request once, so every attempt carries the same eventId and
 * the server keeps the event once however many attempts reach it.
 */
import { ApiError } from '../api/client.ts';

export const CLICK_RETRY_DELAYS_MS: readonly number[] = [500, 2_000, 5_000];

/** A network failure, a timeout-like or server-side answer: worth sending again. A 4xx is not. */
export function isRetryable(e: unknown): boolean {
  if (!(e instanceof ApiError)) return false;
  return e.status === 0 || e.status === 408 || e.status === 429 || e.status >= 500;
}

export async function withRetry<T>(
  send: () => Promise<T>,
  opts: { delays?: readonly number[]; retryable?: (e: unknown) => boolean; sleep?: (ms: number) => Promise<void> } = {},
): Promise<T> {
  const delays = opts.delays ?? CLICK_RETRY_DELAYS_MS;
  const retryable = opts.retryable ?? isRetryable;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((resolve) => globalThis.setTimeout(resolve, ms)));
  for (let attempt = 0; ; attempt++) {
    try {
      return await send();
    } catch (e) {
      const delay = delays[attempt];
      if (delay === undefined || !retryable(e)) throw e;
      await sleep(delay);
    }
  }
}
