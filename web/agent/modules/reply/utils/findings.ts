/**
 * The reply box's pure rules over the language guard's findings: their order, what one-click
 * "replace" inserts, applying it (the other findings' spans shifted, the caret placed), carrying
 * findings across the agent's edits until the next check answers, and the highlight segments.
 */
import type { GuardFinding, GuardSeverity } from '../../../../shared/api/client.ts';

export const SEVERITY_RANK: Record<GuardSeverity, number> = { block: 2, warn: 1 };

/** Blocking findings first, then warnings; each group in text order. */
export function orderFindings(findings: readonly GuardFinding[]): GuardFinding[] {
  return [...findings].sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.start - b.start || a.end - b.end);
}

export const hasBlocking = (findings: readonly GuardFinding[]): boolean => findings.some((f) => f.severity === 'block');

/** Where a template's blank is: the manuals write 「我会帮您……」 for "say what you can do". */
const BLANK = '……';
/** A hint to the agent in full- or half-width brackets at the end: (说能做什么,例如…). Not wording. */
const TRAILING_HINT = /\s*[((][^()()]*[))]\s*$/;

export type Replacement = { kind: 'replace'; text: string } | { kind: 'advice' };

/**
 * What the one-click replace inserts for a finding. The rules give one suggestion per finding; most
 * are the approved wording itself, some are advice to the agent (the finding says so: `advice`),
 * which is shown but not inserted.
 */
export function replacementFor(f: Pick<GuardFinding, 'suggestion' | 'advice'>): Replacement {
  const s = f.suggestion.trim();
  if (f.advice || s === '') return { kind: 'advice' };
  const text = s.replace(TRAILING_HINT, '');
  return text === '' ? { kind: 'advice' } : { kind: 'replace', text };
}

/**
 * Findings carried across one edit: the span [start, end) of the old text became `inserted`
 * characters. Findings before it stay, findings after it move by the difference, findings the edit
 * touches are dropped (their text changed; the next check decides).
 */
export function shiftForEdit(findings: readonly GuardFinding[], start: number, end: number, inserted: number): GuardFinding[] {
  const delta = inserted - (end - start);
  const kept: GuardFinding[] = [];
  for (const f of findings) {
    if (f.end <= start) kept.push(f);
    else if (f.start >= end) kept.push(delta === 0 ? f : { ...f, start: f.start + delta, end: f.end + delta });
  }
  return kept;
}

/**
 * The findings of `checked` moved onto `current` (the agent kept typing while the check ran): the
 * edit between them is the part outside their common prefix and suffix.
 */
export function rebaseFindings(findings: readonly GuardFinding[], checked: string, current: string): GuardFinding[] {
  if (checked === current) return [...findings];
  const max = Math.min(checked.length, current.length);
  let prefix = 0;
  while (prefix < max && checked.charCodeAt(prefix) === current.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < max - prefix && checked.charCodeAt(checked.length - 1 - suffix) === current.charCodeAt(current.length - 1 - suffix)) suffix++;
  const kept = shiftForEdit(findings, prefix, checked.length - suffix, current.length - suffix - prefix);
  // A safety net for edits the prefix/suffix reading places ambiguously (typing a character that
  // repeats its neighbour): keep only findings whose text is still where the shift put it.
  return kept.filter((f) => current.slice(f.start, f.end) === f.text);
}

export interface Applied {
  text: string;
  findings: GuardFinding[];
  /** The selection to set afterwards: the template's blank selected, or the caret after the insert. */
  selection: [number, number];
}

/**
 * Replaces a finding's span with `insert`. Null when the text no longer holds the finding there
 * (the agent edited it meanwhile): the caller re-checks instead.
 */
export function applyReplacement(text: string, findings: readonly GuardFinding[], target: GuardFinding, insert: string): Applied | null {
  if (target.start < 0 || target.end > text.length || text.slice(target.start, target.end) !== target.text) return null;
  const next = text.slice(0, target.start) + insert + text.slice(target.end);
  const others = findings.filter((f) => !(f.start === target.start && f.end === target.end && f.ruleId === target.ruleId));
  const blank = insert.indexOf(BLANK);
  const selection: [number, number] = blank >= 0 ? [target.start + blank, target.start + blank + BLANK.length] : [target.start + insert.length, target.start + insert.length];
  return { text: next, findings: shiftForEdit(others, target.start, target.end, insert.length), selection };
}

export interface Segment {
  text: string;
  /** The most severe finding covering this piece, or null for plain text. */
  finding: GuardFinding | null;
}

/** The text cut at every finding's edges, for the highlight layer behind the textarea. */
export function highlightSegments(text: string, findings: readonly GuardFinding[]): Segment[] {
  const valid = findings.filter((f) => f.start >= 0 && f.end <= text.length && f.start < f.end);
  const cuts = [...new Set([0, text.length, ...valid.flatMap((f) => [f.start, f.end])])].sort((a, b) => a - b);
  const out: Segment[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const [s, e] = [cuts[i]!, cuts[i + 1]!];
    let best: GuardFinding | null = null;
    for (const f of valid) if (f.start <= s && f.end >= e && (!best || SEVERITY_RANK[f.severity] > SEVERITY_RANK[best.severity])) best = f;
    const prev = out[out.length - 1];
    if (prev && prev.finding === best) prev.text += text.slice(s, e);
    else out.push({ text: text.slice(s, e), finding: best });
  }
  return out;
}

/** A stable key for a finding in lists and highlights. */
export const findingKey = (f: Pick<GuardFinding, 'ruleId' | 'start' | 'end'>): string => `${f.ruleId}:${f.start}:${f.end}`;

const SEVERITIES = new Set(['block', 'warn']);

/**
 * The findings a guard_blocked refusal carries in error.details (unknown JSON from the server):
 * only well-formed entries whose span holds their text in `sent`.
 */
export function findingsFromDetails(details: unknown, sent: string): GuardFinding[] {
  const list = (details as { findings?: unknown } | null | undefined)?.findings;
  if (!Array.isArray(list)) return [];
  return list.filter((f): f is GuardFinding => {
    if (typeof f !== 'object' || f === null) return false;
    const g = f as Record<string, unknown>;
    return (
      typeof g.ruleId === 'string' && typeof g.category === 'string' && typeof g.severity === 'string' && SEVERITIES.has(g.severity) &&
      typeof g.start === 'number' && typeof g.end === 'number' && typeof g.text === 'string' && typeof g.suggestion === 'string' && typeof g.advice === 'boolean' &&
      sent.slice(g.start, g.end) === g.text
    );
  });
}

/** The refusal's blocking findings with the warnings already shown for the same text (the refusal lists blocking ones only). */
export function mergeRefusal(refusal: readonly GuardFinding[], shown: readonly GuardFinding[]): GuardFinding[] {
  const keys = new Set(refusal.map(findingKey));
  return [...refusal, ...shown.filter((f) => f.severity !== 'block' && !keys.has(findingKey(f)))].sort((a, b) => a.start - b.start);
}
