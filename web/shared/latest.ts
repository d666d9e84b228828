/**
 * Bookkeeping for work that runs while someone types (the agent's language guard, the help
 * centre's search): a debouncer (one pending call, restarted by each keystroke) and a sequence
 * that tells whether an answer is still the latest one asked for, so a slow answer to an older
 * text never replaces a newer one. Timers are passed in so the tests drive them.
 */

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof globalThis.setTimeout>),
};

export interface Debouncer {
  /** Runs `fn` after `ms` of quiet; a later call replaces an earlier pending one. */
  schedule(fn: () => void): void;
  /** Runs the pending call now (e.g. after a one-click replace), if there is one. */
  flush(): void;
  cancel(): void;
  readonly pending: boolean;
}

export function createDebouncer(ms: number, timers: Timers = realTimers): Debouncer {
  let handle: unknown = null;
  let fn: (() => void) | null = null;
  const cancel = (): void => {
    if (handle !== null) timers.clearTimeout(handle);
    handle = null;
    fn = null;
  };
  return {
    schedule(next) {
      cancel();
      fn = next;
      handle = timers.setTimeout(() => {
        const run = fn;
        handle = null;
        fn = null;
        run?.();
      }, ms);
    },
    flush() {
      const run = fn;
      cancel();
      run?.();
    },
    cancel,
    get pending() {
      return handle !== null;
    },
  };
}

/** Numbers each request; only the answer to the latest one counts. `invalidate` makes every answer in flight stale. */
export class LatestOnly {
  private seq = 0;
  begin(): number {
    return ++this.seq;
  }
  isLatest(ticket: number): boolean {
    return ticket === this.seq;
  }
  invalidate(): void {
    this.seq++;
  }
}
