/**
 * The language guard (Q1): checks an agent's reply before it is sent against the service
 * manual's communication rules (seed 000 二(三) 沟通语言准则, seed 002 2.2.1): forbidden phrases,
 * rhetorical questions aimed at the customer, blaming, negative refusals, internet slang and
 * emoji in written channels, and jargon that has a plain term.
 *
 * Pure: the rules are data (the `guard.rules` setting) passed in. How a reply is matched:
 *
 * 1. The text is normalised first — full-width letters and digits to half-width, ASCII
 *    punctuation to its Chinese form, spaces dropped (except between two Latin letters or digits),
 *    runs of one punctuation mark collapsed, Latin letters lower-cased, common traditional
 *    characters to simplified — keeping for each normalised character the offset it came from, so
 *    findings are reported as spans of the original text.
 * 2. Rule patterns are regular expressions (flags `gu`) that may name lexicon classes, `{SELF}`
 *    (我, 我们, 咱们, 本人, 我这边…), `{CUSTOMER}` (你, 您…), `{KNOW}` (知道, 晓得, 清楚…) and so on,
 *    and bounded gaps inside one clause, `{~4}` (up to four characters, no punctuation, shortest
 *    first; `{+4}` longest first). The
 *    classes are data in the same setting: an admin adds a word once and every rule naming the
 *    class knows it. `phrases` are literal alternatives.
 * 3. A match is excused when one of the rule's `exceptions` matches text overlapping it (「您不
 *    知道单号也没关系」: the customer's state, not the agent's answer); when it sits inside
 *    quotation marks (the agent quoting someone, 「写上“不能折叠”」) — except slang and emoji, never
 *    fine in a written reply; or, for a rule with `excuseAfter`, when a following clause offers
 *    help (「目前无法上门,我帮您约明天…」: a refusal followed by what the agent can do).
 */
import { DEFAULT_GUARD_ADVICE_CATEGORIES, DEFAULT_GUARD_CLASSES, DEFAULT_GUARD_RULES, DEFAULT_GUARD_SUGGESTIONS } from './language-guard-rules.ts';

export const GUARD_CHANNELS = ['chat', 'phone', 'email'] as const;
export type GuardChannel = (typeof GUARD_CHANNELS)[number];
export const GUARD_CATEGORIES = ['forbidden', 'rhetorical', 'blame', 'refusal', 'slang', 'jargon'] as const;
export type GuardCategory = (typeof GUARD_CATEGORIES)[number];
export type GuardSeverity = 'block' | 'warn';

export interface GuardRule {
  id: string;
  category: GuardCategory;
  /** Regular-expression source (flags `gu`) over the normalised text; may name `{CLASS}`es and `{~n}` gaps. */
  pattern?: string | undefined;
  /** Literal phrases (normalised like the text). */
  phrases?: string[] | undefined;
  severity: GuardSeverity;
  channels: GuardChannel[];
  /** The approved wording to offer instead; without one, the category's. */
  suggestion?: string | undefined;
  /**
   * True: the suggestion (its own, or the category's) is advice to the agent (「请删去表情符号…」),
   * shown but never inserted into the reply. False: it is wording. Absent: its own suggestion is
   * wording; the category's is advice when the category is in `adviceCategories`.
   */
  advice?: boolean | undefined;
  /** Patterns (as `pattern`): a match overlapping a finding excuses it. */
  exceptions?: string[] | undefined;
  /** Patterns (as `pattern`): a match in the two clauses after the finding's clause excuses it. */
  excuseAfter?: string[] | undefined;
}

/** The `guard.rules` setting: lexicon classes, the approved wording per category, and the rules. */
export interface GuardConfig {
  version: 2;
  /** Class name (`[A-Z][A-Z0-9_]*`) → words, matched literally (after normalisation). */
  classes: Record<string, string[]>;
  suggestions: Partial<Record<GuardCategory, string>>;
  /** Categories whose suggestion in `suggestions` is advice to the agent, not wording; absent: the defaults'. */
  adviceCategories?: GuardCategory[] | undefined;
  rules: GuardRule[];
}

export interface GuardFinding {
  ruleId: string;
  category: GuardCategory;
  severity: GuardSeverity;
  /** Offsets in UTF-16 code units into the checked text: text.slice(start, end) is the match. */
  start: number;
  end: number;
  text: string;
  suggestion: string;
  /** The suggestion is advice to the agent: show it, never insert it. */
  advice: boolean;
}

// ---- normalisation -------------------------------------------------------------------------

/** Traditional → simplified for the characters agents' replies use (one character for one). */
const TRADITIONAL = '這这 們们 關关 請请 說说 麼么 嗎吗 沒没 為为 讓让 會会 來来 問问 題题 樣样 辦办 點点 時时 幫帮 單单 號号 寫写 錯错 誰谁 還还 煩烦 應应 該该 聽听 過过 處处 負负 責责 與与 無无 個个 轉转 運运 場场 員员 攬揽 發发 濕湿 鐘钟 棟栋 歸归 給给 聯联 繫系 係系 館馆 話话 謝谢 對对 費费 層层 認认 識识 讀读 買买 賣卖 貨货 郵邮 遞递 據据 數数 碼码 簽签 務务 電电 腦脑 網网 線线 車车 區区 縣县 鄉乡 見见 覺觉 後后 從从 裡里 裏里 邊边 種种 經经 進进 遠远 達达 遲迟 誤误 礙碍 傷伤 壞坏 損损 賠赔 償偿 價价 險险 規规 則则 範范 圍围 職职 擔担 當当 氣气 態态 極极 難难 鬧闹 罵骂 曉晓 歡欢 別别 喲哟 囉啰 屬属 於于 麵面 趕赶 爭争 辭辞 託托 寶宝 貝贝 親亲 兒儿 頭头 幹干 寧宁 實实 際际 確确 況况 專专 門门 聲声 滿满 權权 樂乐 錢钱 條条 紙纸 標标 準准 結结 訂订 換换 補补 統统 決决 預预 約约 級级 導导 緊紧 張张 廣广 東东 華华 陸陆 萬万 億亿 歲岁 戶户 產产 業业 證证 義义 勞劳 顧顾 訴诉 絕绝 紹绍 優优 卻却 夠够 雖虽 總总 變变 輸输 創创 簡简 體体 醫医 藥药 錄录 開开 閉闭 間间 鐵铁 銀银 閃闪 鮮鲜 魚鱼 雞鸡 飛飞 機机 樓楼 廳厅';
const T2S = new Map<string, string>();
for (const pair of TRADITIONAL.split(' ')) T2S.set(pair[0]!, pair[1]!);
const ASCII_PUNCT: Record<string, string> = { ',': ',', '?': '?', '!': '!', ';': ';', ':': ':', '(': '(', ')': ')', '～': '~', '、': '、' };
/** Marks whose runs collapse to one (「???」→「?」, 「。。。」→「。」). */
const COLLAPSING = new Set([',', '。', '?', '!', ';', ':', '~', '…', '、', '-', '—']);
const isAsciiAlnum = (c: string | undefined): boolean => c !== undefined && /^[0-9A-Za-z]$/.test(c);

export interface NormalisedText {
  text: string;
  /** origin[i] is the offset in the original text of normalised code unit i. */
  origin: number[];
}

/** The normalised text and, per code unit, where it came from (characters are only mapped or dropped). */
export function normaliseText(text: string): NormalisedText {
  let out = '';
  const origin: number[] = [];
  for (let i = 0; i < text.length; i++) {
    let c = text[i]!;
    const code = c.charCodeAt(0);
    if (code >= 0xff01 && code <= 0xff5e) c = String.fromCharCode(code - 0xfee0);
    if (/\s/.test(c)) {
      // A space between two Latin words or numbers is kept (one); elsewhere it is layout.
      let j = i + 1;
      while (j < text.length && /\s/.test(text[j]!)) j++;
      const next = text[j];
      const nextHalf = next !== undefined && next.charCodeAt(0) >= 0xff01 && next.charCodeAt(0) <= 0xff5e ? String.fromCharCode(next.charCodeAt(0) - 0xfee0) : next;
      if (isAsciiAlnum(out[out.length - 1]) && isAsciiAlnum(nextHalf)) {
        out += ' ';
        origin.push(i);
      }
      i = j - 1;
      continue;
    }
    if (c === '.') {
      // A full stop, not a decimal point or part of a name (1.5 公斤, www.example.com).
      const prev = out[out.length - 1];
      if (!(isAsciiAlnum(prev) && isAsciiAlnum(text[i + 1]))) c = '。';
    } else if (c === '…' || c === '⋯') c = '…';
    else c = ASCII_PUNCT[c] ?? T2S.get(c) ?? c;
    if (c >= 'A' && c <= 'Z') c = c.toLowerCase();
    if (COLLAPSING.has(c) && out[out.length - 1] === c) continue;
    out += c;
    origin.push(i);
  }
  return { text: out, origin };
}

// ---- compiling rules -----------------------------------------------------------------------

/** Characters that end a clause in normalised text (gaps never cross them). */
const CLAUSE_END = ',。!?;:…~\\n';
const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
const REF = /\{([A-Z][A-Z0-9_]*|[~+]\d{1,2})\}/g;

/** A pattern's regular-expression source with its classes and gaps spelled out; throws on an unknown class. */
export function expandPattern(pattern: string, classes: Readonly<Record<string, readonly string[]>>): string {
  return pattern.replace(REF, (_m, name: string) => {
    if (name.startsWith('~')) return `[^${CLAUSE_END}]{0,${Number(name.slice(1))}}?`;
    if (name.startsWith('+')) return `[^${CLAUSE_END}]{0,${Number(name.slice(1))}}`;
    const words = classes[name];
    if (!words) throw new Error(`unknown class {${name}}`);
    const alts = [...new Set(words.map((w) => normaliseText(w).text).filter((w) => w.length > 0))].sort((a, b) => b.length - a.length).map(escapeRe);
    return alts.length > 0 ? `(?:${alts.join('|')})` : '(?!)';
  });
}

export function ruleSource(rule: Pick<GuardRule, 'pattern' | 'phrases'>, classes: Readonly<Record<string, readonly string[]>> = DEFAULT_GUARD_CLASSES): string | null {
  const parts: string[] = [];
  if (rule.pattern) parts.push(`(?:${expandPattern(rule.pattern, classes)})`);
  const phrases = (rule.phrases ?? []).map((p) => normaliseText(p).text).filter((p) => p.length > 0);
  if (phrases.length > 0) parts.push(phrases.sort((a, b) => b.length - a.length).map(escapeRe).join('|'));
  return parts.length > 0 ? parts.join('|') : null;
}

/** Pattern problems already found, per classes (by identity, then by content): a setting is validated on every read. */
const problemsByIdentity = new WeakMap<object, Map<string, string | null>>();
const problemsByContent = new Map<string, Map<string, string | null>>();
function problemMemo(classes: Readonly<Record<string, readonly string[]>>): Map<string, string | null> {
  let memo = problemsByIdentity.get(classes);
  if (!memo) {
    const key = JSON.stringify(classes);
    memo = problemsByContent.get(key);
    if (!memo) {
      memo = new Map();
      if (problemsByContent.size >= 20) problemsByContent.delete(problemsByContent.keys().next().value!);
      problemsByContent.set(key, memo);
    }
    problemsByIdentity.set(classes, memo);
  }
  return memo;
}

/** Why a pattern is not usable with these classes (an unknown class, not a regular expression), or null. */
export function patternProblem(pattern: string, classes: Readonly<Record<string, readonly string[]>> = DEFAULT_GUARD_CLASSES): string | null {
  const memo = problemMemo(classes);
  const known = memo.get(pattern);
  if (known !== undefined) return known;
  let problem: string | null = null;
  try {
    new RegExp(expandPattern(pattern, classes), 'gu');
  } catch (e) {
    problem = e instanceof Error ? e.message : String(e);
  }
  if (memo.size >= 5000) memo.clear();
  memo.set(pattern, problem);
  return problem;
}

/** Whether a pattern source compiles, with the default classes (for the setting's schema). */
export const isValidPattern = (source: string, classes?: Readonly<Record<string, readonly string[]>>): boolean => patternProblem(source, classes) === null;

interface CompiledRule {
  rule: GuardRule;
  re: RegExp;
  exceptions: RegExp[];
  excuseAfter: RegExp[];
  suggestion: string;
  advice: boolean;
}

function tryRegex(source: string | null): RegExp | null {
  if (source === null) return null;
  try {
    return new RegExp(source, 'gu');
  } catch {
    return null;
  }
}

function compileConfig(config: GuardConfig): CompiledRule[] {
  const out: CompiledRule[] = [];
  const expand = (p: string): RegExp | null => {
    try {
      return tryRegex(expandPattern(p, config.classes));
    } catch {
      return null;
    }
  };
  const adviceCategories = new Set(config.adviceCategories ?? DEFAULT_GUARD_ADVICE_CATEGORIES);
  for (const rule of config.rules) {
    let re: RegExp | null;
    try {
      re = tryRegex(ruleSource(rule, config.classes));
    } catch {
      re = null;
    }
    // A rule that does not compile (the schema refuses those; a stale stored value might not) is skipped.
    if (re === null) continue;
    out.push({
      rule,
      re,
      exceptions: (rule.exceptions ?? []).map(expand).filter((r): r is RegExp => r !== null),
      excuseAfter: (rule.excuseAfter ?? []).map(expand).filter((r): r is RegExp => r !== null),
      suggestion: rule.suggestion ?? config.suggestions[rule.category] ?? DEFAULT_GUARD_SUGGESTIONS[rule.category],
      advice: rule.advice ?? (rule.suggestion === undefined && adviceCategories.has(rule.category)),
    });
  }
  return out;
}

/** Compiled configurations: by identity, and by content for the copy a settings read makes per check. */
const byIdentity = new WeakMap<object, CompiledRule[]>();
const byContent = new Map<string, CompiledRule[]>();
function compiled(config: GuardConfig | readonly GuardRule[]): CompiledRule[] {
  const hit = byIdentity.get(config);
  if (hit) return hit;
  const full = toConfig(config);
  const key = JSON.stringify(full);
  let c = byContent.get(key);
  if (!c) {
    c = compileConfig(full);
    if (byContent.size >= 20) byContent.delete(byContent.keys().next().value!);
    byContent.set(key, c);
  }
  byIdentity.set(config, c);
  return c;
}

/** A bare list of rules (the old shape of the setting, and handy in tests) uses the default classes. */
function toConfig(config: GuardConfig | readonly GuardRule[]): GuardConfig {
  if (Array.isArray(config)) return { version: 2, classes: DEFAULT_GUARD_CLASSES, suggestions: DEFAULT_GUARD_SUGGESTIONS, adviceCategories: DEFAULT_GUARD_ADVICE_CATEGORIES, rules: config as GuardRule[] };
  return config as GuardConfig;
}

// ---- checking ------------------------------------------------------------------------------

const QUOTE_PAIRS: Record<string, string> = { '「': '」', '『': '』', '“': '”', '"': '"', '‘': '’', '《': '》' };

/** Spans [start, end) of text inside quotation marks (the marks excluded). */
function quotedSpans(text: string): [number, number][] {
  const spans: [number, number][] = [];
  let i = 0;
  while (i < text.length) {
    const close = QUOTE_PAIRS[text[i]!];
    if (close !== undefined) {
      const j = text.indexOf(close, i + 1);
      // An unclosed quote, or one spanning more than a sentence's worth, is not a quotation.
      if (j > i && j - i <= 60) {
        spans.push([i + 1, j]);
        i = j + 1;
        continue;
      }
    }
    i++;
  }
  return spans;
}

function* matches(text: string, re: RegExp): Generator<[number, number]> {
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    yield [m.index, m.index + m[0].length];
  }
}

const isClauseEnd = (c: string): boolean => CLAUSE_END.includes(c) || c === '\n';
/** The text of the two clauses after the one `end` falls in. */
function followingClauses(text: string, end: number): string {
  let i = end;
  while (i < text.length && !isClauseEnd(text[i]!)) i++;
  let j = i + 1;
  let clauses = 0;
  while (j < text.length && clauses < 2) {
    if (isClauseEnd(text[j]!)) clauses++;
    j++;
  }
  return text.slice(i, j);
}

const SEVERITY_RANK: Record<GuardSeverity, number> = { block: 2, warn: 1 };

/**
 * The findings for a reply on a channel, in text order. Clean text gives an empty list. A finding
 * wholly inside another of at least its severity is dropped (one problem, one finding).
 */
export function checkReply(text: string, channel: GuardChannel, config: GuardConfig | readonly GuardRule[]): GuardFinding[] {
  const rules = compiled(config);
  const norm = normaliseText(text);
  const t = norm.text;
  let quoted: [number, number][] | null = null;
  const inQuote = (s: number, e: number): boolean => (quoted ??= quotedSpans(t)).some(([qs, qe]) => s >= qs && e <= qe);
  const found: GuardFinding[] = [];
  for (const c of rules) {
    const { rule } = c;
    if (!rule.channels.includes(channel)) continue;
    let excuses: [number, number][] | null = null;
    for (const [start, end] of matches(t, c.re)) {
      if (rule.category !== 'slang' && inQuote(start, end)) continue;
      excuses ??= c.exceptions.flatMap((x) => [...matches(t, x)]);
      if (excuses.some(([s, e]) => s < end && e > start)) continue;
      if (c.excuseAfter.length > 0) {
        const after = followingClauses(t, end);
        if (c.excuseAfter.some((x) => ((x.lastIndex = 0), x.test(after)))) continue;
      }
      const oStart = norm.origin[start]!;
      const oEnd = norm.origin[end - 1]! + 1;
      found.push({ ruleId: rule.id, category: rule.category, severity: rule.severity, start: oStart, end: oEnd, text: text.slice(oStart, oEnd), suggestion: c.suggestion, advice: c.advice });
    }
  }
  found.sort((a, b) => a.start - b.start || b.end - b.start - (a.end - a.start) || SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]);
  const kept: GuardFinding[] = [];
  for (const f of found) {
    const covered = kept.some((k) => k.start <= f.start && k.end >= f.end && SEVERITY_RANK[k.severity] >= SEVERITY_RANK[f.severity]);
    if (!covered) kept.push(f);
  }
  return kept;
}

export const blockingFindings = (findings: readonly GuardFinding[]): GuardFinding[] => findings.filter((f) => f.severity === 'block');

/** One line per finding, for an error message: 「不知道」(forbidden) → 我帮您核实一下. */
export function describeFindings(findings: readonly GuardFinding[]): string {
  return findings.map((f) => `「${f.text}」(${f.category}) → ${f.suggestion}`).join('; ');
}

// ---- the setting's upgrade -----------------------------------------------------------------

const sameRule = (a: GuardRule, b: GuardRule): boolean => JSON.stringify(a, Object.keys(a).sort()) === JSON.stringify(b, Object.keys(b).sort());

/**
 * Rules stored before `advice` existed: one still offering the suggestion its id ships with, where
 * that suggestion is advice, gets `advice: true` (the flag belongs to the shipped text); anything
 * else is left as it is.
 */
export function markShippedAdvice(rules: readonly GuardRule[], current: GuardConfig): GuardRule[] {
  const shipped = new Map(current.rules.filter((r) => r.advice === true && r.suggestion !== undefined).map((r) => [r.id, r.suggestion]));
  return rules.map((r) => (r.advice === undefined && r.suggestion !== undefined && shipped.get(r.id) === r.suggestion ? { ...r, advice: true } : r));
}

/**
 * The current configuration for a stored value of the old shape (a bare array of rules, version
 * 1): rules the admin added or edited are kept as they are (their patterns still work: a version-1
 * pattern names no classes); rules still exactly as version 1 shipped them become the current
 * default of the same id (or go, if it has none); default rules new since then are added, except
 * where the admin had deleted the version-1 rule of that id; a kept rule still offering the
 * shipped advice is marked as advice (`markShippedAdvice`). Classes and suggestions are the defaults.
 */
export function upgradeGuardRules(stored: readonly GuardRule[], v1Defaults: readonly GuardRule[], current: GuardConfig): GuardConfig {
  const v1 = new Map(v1Defaults.map((r) => [r.id, r]));
  const now = new Map(current.rules.map((r) => [r.id, r]));
  const storedIds = new Set(stored.map((r) => r.id));
  const rules: GuardRule[] = [];
  for (const r of stored) {
    const shipped = v1.get(r.id);
    if (shipped && sameRule(r, shipped)) {
      const replacement = now.get(r.id);
      if (replacement) rules.push(replacement);
    } else rules.push(r);
  }
  for (const r of current.rules) if (!storedIds.has(r.id) && !v1.has(r.id)) rules.push(r);
  return { version: 2, classes: current.classes, suggestions: current.suggestions, adviceCategories: current.adviceCategories, rules: markShippedAdvice(rules, current) };
}

export { DEFAULT_GUARD_ADVICE_CATEGORIES, DEFAULT_GUARD_CLASSES, DEFAULT_GUARD_RULES, DEFAULT_GUARD_SUGGESTIONS };
export const DEFAULT_GUARD_CONFIG: GuardConfig = { version: 2, classes: DEFAULT_GUARD_CLASSES, suggestions: DEFAULT_GUARD_SUGGESTIONS, adviceCategories: DEFAULT_GUARD_ADVICE_CATEGORIES, rules: DEFAULT_GUARD_RULES };
