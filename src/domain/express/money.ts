// Money is computed in integer fen (分) and shown in yuan with two decimals, so 0.1 + 0.2 never
// leaks into a price.

/** Yuan (a number with at most two decimals, as the API takes it) to integer fen. */
export function toFen(yuan: number): number {
  return Math.round(yuan * 100);
}

/** Integer fen to yuan. */
export function toYuan(fen: number): number {
  return Math.round(fen) / 100;
}

/** fen × rate, rounded half up to the fen; the rate is exact to 1/10 000 (basis points). */
export function fenTimesRate(fen: number, rate: number): number {
  const bp = Math.round(rate * 10_000);
  return Math.floor((fen * bp + 5_000) / 10_000);
}

/** 12.5 → "12.50" for sentences. */
export function formatYuan(fen: number): string {
  return (fen / 100).toFixed(2);
}
