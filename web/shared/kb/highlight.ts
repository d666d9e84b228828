/**
 * The search's highlights are plain text with each matched term wrapped in 【】. They are shown as
 * text nodes and <mark> elements built from these segments, never as HTML.
 *
 * 【】 are ordinary Chinese brackets too (「【重要】」). When the unmarked text is known (a hit's
 * title), the marked text is aligned with it, so brackets that are part of the text stay text.
 * Without it (the body excerpt), a 【 opens a mark only if a 】 closes it later; a stray 】 or an
 * unclosed 【 is kept as text.
 */

export const MARK_OPEN = '【';
export const MARK_CLOSE = '】';

export interface Segment {
  text: string;
  marked: boolean;
}

function push(out: Segment[], text: string, marked: boolean): void {
  if (text === '') return;
  const last = out[out.length - 1];
  if (last && last.marked === marked) last.text += text;
  else out.push({ text, marked });
}

/** Splits a marked text into plain and marked segments (adjacent ones of the same kind merged). */
export function highlightSegments(marked: string, original?: string): Segment[] {
  if (original !== undefined) {
    const aligned = align(marked, original);
    if (aligned) return aligned;
  }
  const out: Segment[] = [];
  let i = 0;
  while (i < marked.length) {
    const open = marked.indexOf(MARK_OPEN, i);
    if (open < 0) break;
    const close = marked.indexOf(MARK_CLOSE, open + 1);
    if (close < 0) break;
    push(out, marked.slice(i, open), false);
    push(out, marked.slice(open + 1, close), true);
    i = close + 1;
  }
  push(out, marked.slice(i), false);
  return out;
}

/**
 * Aligns the marked text with the original: each character of the marked text is either the
 * original's next character or a marker. Where both fit, outside a mark a character is read as
 * text first, inside one a 】 closes the mark first (terms are words, not brackets); the other
 * reading is tried when the first leads nowhere. Null when the two do not fit together (then the
 * markers are read without the original).
 */
function align(marked: string, original: string): Segment[] | null {
  const chars = [...marked];
  const failed = new Set<string>();
  const out: Segment[] = [];
  const walk = (i: number, j: number, inMark: boolean): boolean => {
    if (i === chars.length) return j === original.length && !inMark;
    const key = `${i},${j},${inMark ? 1 : 0}`;
    if (failed.has(key)) return false;
    const ch = chars[i]!;
    const asText = (): boolean => {
      if (!original.startsWith(ch, j)) return false;
      out.push({ text: ch, marked: inMark });
      if (walk(i + 1, j + ch.length, inMark)) return true;
      out.pop();
      return false;
    };
    const asMarker = (): boolean => (inMark ? ch === MARK_CLOSE : ch === MARK_OPEN) && walk(i + 1, j, !inMark);
    const ok = inMark ? asMarker() || asText() : asText() || asMarker();
    if (!ok) failed.add(key);
    return ok;
  };
  if (!walk(0, 0, false)) return null;
  const merged: Segment[] = [];
  for (const seg of out) push(merged, seg.text, seg.marked);
  return merged;
}

/** The plain text of segments (what a screen reader or a copy gets): the marked text without its markers. */
export function segmentsText(segments: readonly Segment[]): string {
  return segments.map((s) => s.text).join('');
}
