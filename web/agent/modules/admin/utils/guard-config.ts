/**
 * The language guard's setting (`guard.rules`, version 2) edited without JSON: each lexicon class
 * as words one per line, each category's suggestion as text, rules as rows. Pure: the editor
 * keeps a draft config and these functions change it; the server has the last word (a pattern
 * that does not compile is refused with 422 naming the rule).
 */
export const GUARD_CATEGORIES = ['forbidden', 'rhetorical', 'blame', 'refusal', 'slang', 'jargon'] as const;
export type GuardCategory = (typeof GUARD_CATEGORIES)[number];
export const GUARD_CHANNELS = ['chat', 'phone', 'email'] as const;
export type GuardChannel = (typeof GUARD_CHANNELS)[number];

export interface GuardRule {
  id: string;
  category: GuardCategory;
  pattern?: string;
  phrases?: string[];
  severity: 'block' | 'warn';
  channels: GuardChannel[];
  suggestion?: string;
  advice?: boolean;
  exceptions?: string[];
  excuseAfter?: string[];
}

export interface GuardConfig {
  version: 2;
  classes: Record<string, string[]>;
  suggestions: Partial<Record<GuardCategory, string>>;
  adviceCategories?: GuardCategory[];
  rules: GuardRule[];
}

export const wordsToText = (words: readonly string[]): string => words.join('\n');

/** Lines to words: trimmed, blank lines dropped, each word once, in the order written. */
export function textToWords(text: string): string[] {
  return [...new Set(text.split('\n').map((w) => w.trim()).filter(Boolean))];
}

/** The lexicon classes a pattern names: {SELF}{KNOW} → SELF, KNOW ({~n} gaps are not classes). */
export function classesIn(pattern: string): string[] {
  return [...new Set([...pattern.matchAll(/\{([A-Z][A-Z0-9_]*)\}/g)].map((m) => m[1]!))];
}

export const isClassName = (name: string): boolean => /^[A-Z][A-Z0-9_]*$/.test(name);

/** What the rule form edits: the rule with its phrases as lines. */
export interface RuleDraft {
  id: string;
  category: GuardCategory;
  pattern: string;
  phrases: string;
  severity: 'block' | 'warn';
  channels: GuardChannel[];
  suggestion: string;
  advice: boolean;
}

export function toDraft(rule: GuardRule | null): RuleDraft {
  if (!rule) return { id: '', category: 'forbidden', pattern: '', phrases: '', severity: 'block', channels: ['chat', 'phone', 'email'], suggestion: '', advice: false };
  return { id: rule.id, category: rule.category, pattern: rule.pattern ?? '', phrases: wordsToText(rule.phrases ?? []), severity: rule.severity, channels: [...rule.channels], suggestion: rule.suggestion ?? '', advice: rule.advice ?? false };
}

export type RuleProblem =
  | { field: 'id'; problem: 'required' | 'taken' }
  | { field: 'pattern'; problem: 'required' | 'unknown_class'; name?: string }
  | { field: 'channels'; problem: 'required' };

/**
 * The draft as a rule, keeping what the form does not show (exceptions, excuseAfter) from the
 * rule it edits; or the draft's problems. `index` is the rule edited (null: a new one).
 */
export function fromDraft(draft: RuleDraft, config: GuardConfig, index: number | null): { ok: true; rule: GuardRule } | { ok: false; problems: RuleProblem[] } {
  const problems: RuleProblem[] = [];
  const id = draft.id.trim();
  if (!id) problems.push({ field: 'id', problem: 'required' });
  else if (config.rules.some((r, i) => r.id === id && i !== index)) problems.push({ field: 'id', problem: 'taken' });
  const pattern = draft.pattern.trim();
  const phrases = textToWords(draft.phrases);
  if (!pattern && phrases.length === 0) problems.push({ field: 'pattern', problem: 'required' });
  const unknown = classesIn(pattern).find((c) => !(c in config.classes));
  if (unknown) problems.push({ field: 'pattern', problem: 'unknown_class', name: unknown });
  if (draft.channels.length === 0) problems.push({ field: 'channels', problem: 'required' });
  if (problems.length) return { ok: false, problems };
  const { pattern: _p, phrases: _ph, suggestion: _s, advice: _a, ...kept } = index === null ? ({} as Partial<GuardRule>) : config.rules[index]!;
  const suggestion = draft.suggestion.trim();
  return {
    ok: true,
    rule: {
      ...kept, id, category: draft.category, severity: draft.severity, channels: GUARD_CHANNELS.filter((c) => draft.channels.includes(c)),
      ...(pattern ? { pattern } : {}), ...(phrases.length ? { phrases } : {}), ...(suggestion ? { suggestion } : {}), ...(draft.advice ? { advice: true } : {}),
    },
  };
}

export function putRule(config: GuardConfig, index: number | null, rule: GuardRule): GuardConfig {
  const rules = index === null ? [...config.rules, rule] : config.rules.map((r, i) => (i === index ? rule : r));
  return { ...config, rules };
}

export const removeRule = (config: GuardConfig, index: number): GuardConfig => ({ ...config, rules: config.rules.filter((_, i) => i !== index) });

export function setClassWords(config: GuardConfig, name: string, text: string): GuardConfig {
  return { ...config, classes: { ...config.classes, [name]: textToWords(text) } };
}

/** Adds an empty class; null when the name is not upper-case or exists. */
export function addClass(config: GuardConfig, name: string): GuardConfig | null {
  if (!isClassName(name) || name in config.classes) return null;
  return { ...config, classes: { ...config.classes, [name]: [] } };
}

/** Removes a class no rule names; null when one does (the server would refuse the rule). */
export function removeClass(config: GuardConfig, name: string): GuardConfig | null {
  const used = config.rules.some((r) => [r.pattern ?? '', ...(r.exceptions ?? []), ...(r.excuseAfter ?? [])].some((p) => classesIn(p).includes(name)));
  if (used) return null;
  const { [name]: _gone, ...classes } = config.classes;
  return { ...config, classes };
}

/** A category's default suggestion; an empty text removes it (the rule's own, if any, is used). */
export function setSuggestion(config: GuardConfig, category: GuardCategory, text: string): GuardConfig {
  const { [category]: _old, ...rest } = config.suggestions;
  const t = text.trim();
  return { ...config, suggestions: t ? { ...rest, [category]: t } : rest };
}

/** How a rule matches, in one line: its pattern, else its phrases. */
export function ruleMatchText(rule: GuardRule): string {
  return rule.pattern ?? (rule.phrases ?? []).join(' | ');
}
