export interface Percentiles {
  n: number;
  mean: number;
  p50: number;
  p95: number;
  p97_5: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentiles of latencies in ms, rounded to 0.1 ms. */
export function percentiles(samples: number[]): Percentiles {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number): number => (s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]! : NaN);
  const r = (x: number): number => Math.round(x * 10) / 10;
  return {
    n: s.length,
    mean: r(s.reduce((a, b) => a + b, 0) / (s.length || 1)),
    p50: r(at(50)),
    p95: r(at(95)),
    p97_5: r(at(97.5)),
    p99: r(at(99)),
    max: r(s[s.length - 1] ?? NaN),
  };
}
