/**
 * Putting a side tool's sentence into the reply box: at the caret (replacing a selection), with a
 * space between it and Latin text that does not already end a sentence or a line (Chinese runs on). Pure; the box applies it.
 */
export interface Insertion {
  text: string;
  /** Where the caret goes: right after the inserted sentence. */
  caret: number;
}

// Chinese runs on without spaces; other text gets one unless it already ends a word with a space.
const JOINS_WITHOUT_SPACE = /(^|\s|\p{Script=Han}|[。！？；，、,.!?;:：])$/u;

export function insertSnippet(text: string, start: number, end: number, snippet: string): Insertion {
  const from = Math.max(0, Math.min(start, end, text.length));
  const to = Math.min(text.length, Math.max(start, end, from));
  const before = text.slice(0, from);
  const after = text.slice(to);
  const clean = snippet.trim();
  const lead = JOINS_WITHOUT_SPACE.test(before) ? '' : ' ';
  const trail = after === '' || /^(\s|\p{Script=Han}|\p{P})/u.test(after) || /\p{Script=Han}|[。！？]$/u.test(clean) ? '' : ' ';
  const inserted = `${lead}${clean}${trail}`;
  return { text: before + inserted + after, caret: before.length + lead.length + clean.length };
}

/** A request from the ticket page to the reply box; a new seq is a new insertion. */
export interface InsertRequest {
  seq: number;
  text: string;
}
