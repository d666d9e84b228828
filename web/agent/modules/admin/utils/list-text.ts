/**
 * Friendly text forms of list settings: synonym groups one per line (words split by spaces,
 * commas or 、), and calendar dates one per line. Each parse names the first bad line.
 */
export function synonymsToText(groups: readonly (readonly string[])[]): string {
  return groups.map((g) => g.join(' ')).join('\n');
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; line: number; reason: 'one_word' | 'bad_date' };

export function textToSynonyms(text: string): Parsed<string[][]> {
  const groups: string[][] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const words = [...new Set(lines[i]!.split(/[\s,,、;;]+/).filter(Boolean))];
    if (words.length === 0) continue;
    if (words.length < 2) return { ok: false, line: i + 1, reason: 'one_word' };
    groups.push(words);
  }
  return { ok: true, value: groups };
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date written YYYY-MM-DD. */
export function isDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** Dates one per line (a trailing note after the date is allowed: "2026-10-01 国庆"), sorted, once each. */
export function textToDates(text: string): Parsed<string[]> {
  const out = new Set<string>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const first = lines[i]!.trim().split(/\s+/)[0] ?? '';
    if (!first) continue;
    if (!isDate(first)) return { ok: false, line: i + 1, reason: 'bad_date' };
    out.add(first);
  }
  return { ok: true, value: [...out].sort() };
}
