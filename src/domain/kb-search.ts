/**
 * Knowledge-base search rules (issue 5, "Search that understands Chinese"): the express terms
 * jieba must keep whole, default synonym groups, turning segmented tokens into index text and a
 * tsquery, and highlighting matched terms. Pure: segmentation itself is done by the caller
 * (src/services/kb-search/segment.ts) and handed in as token lists.
 */

/** Express-delivery terms the segmenter keeps as one word (data; a high frequency makes jieba prefer them). */
export const EXPRESS_TERMS: readonly string[] = [
  '运单号', '快递单号', '单号', '分拣中心', '中转站', '中转场', '中转', '派件', '派送', '派送中', '揽收', '揽件',
  '驿站', '菜鸟驿站', '快递柜', '丰巢', '智能柜', '取件码', '签收', '代签收', '拒收', '改地址', '修改地址',
  '退件', '退回', '退货', '理赔', '赔偿', '保价', '禁寄', '违禁品', '续重', '首重', '到付', '寄付', '代收货款',
  '运费', '资费', '时效', '延误', '破损', '丢件', '丢失', '遗失', '少件', '错件', '投诉', '催件', '催派',
  '送货上门', '上门取件', '快递员', '送货师傅', '客服', '物流信息', '物流', '不更新', '虚假签收', '外包装',
  '易碎品', '生鲜', '冷链', '不能寄', '取件码', '同城', '次日达', '隔日达', '偏远地区', '身份证', '实名', '面单', '包装',
];

/** Default synonym groups (setting `kb.synonyms`): a query token is expanded into its whole group, OR-ed. */
export const DEFAULT_SYNONYMS: readonly (readonly string[])[] = [
  ['快递', '快件', '包裹', '件'],
  ['丢', '丢了', '丢失', '遗失', '找不到', '丢件', '不见'],
  ['坏', '坏了', '破损', '损坏', '摔坏', '压坏', '破了', '烂', '烂了', '碎了', '压扁'],
  ['多少钱', '运费', '资费', '价格', '收费', '费用'],
  ['多久', '几天', '时效', '多长时间', '什么时候'],
  ['改地址', '修改地址', '更改地址', '换地址'],
  ['赔偿', '理赔', '赔付', '索赔'],
  ['投诉', '举报'],
  ['快递员', '派件员', '送货师傅', '小哥', '快递小哥'],
  ['驿站', '菜鸟驿站', '代收点'],
  ['快递柜', '丰巢', '智能柜'],
  ['没收到', '未收到', '没到'],
  ['慢', '延误', '延迟', '太慢', '晚了', '晚到'],
  ['退件', '退回', '退货'],
  ['禁寄', '违禁品', '不能寄'],
  ['运单号', '单号', '快递单号'],
  ['催', '催件', '催派', '催促', '催一下'],
  ['查', '查询', '查件', '查快递'],
  ['约', '预约'],
  ['到', '送达', '到达'],
  // The words customers use for the manuals' terms (seed 000, 001).
  ['虚假签收', '冒领', '被人签收', '误签'],
  ['不更新', '没动静', '不动', '没更新'],
  ['活体', '活体动物', '动物', '宠物', '猫', '狗'],
  ['化妆品', '护肤品', '口红', '面霜'],
  ['生气', '发火', '情绪激动', '不满', '愤怒'],
  ['升级', '领导', '主管', '上级', '经理'],
  ['问候语', '开场白', '欢迎语'],
  ['结束语', '挂电话', '道别'],
  ['老人', '老年人', '大爷', '大妈', '长辈', '老年'],
  ['孕妇', '孕妈', '怀孕', '准妈妈'],
  ['国际', '国外', '海外', '出国', '境外'],
  ['发票', '开票', '报销'],
  ['服务时间', '营业时间', '几点', '下班', '上班', '工作时间'],
  ['道歉', '抱歉', '致歉', '对不起'],
  ['稍等', '排队', '繁忙', '等待'],
  ['生鲜', '海鲜', '大闸蟹', '冷链'],
  ['药', '药品', '医药', '急用'],
  ['双11', '双十一', '618', '大促', '促销'],
];

/** Words that carry no meaning for search (particles, pronouns, question fillers). */
export const STOP_WORDS: ReadonlySet<string> = new Set([
  '的', '了', '吗', '呢', '吧', '啊', '呀', '我', '我的', '你', '您', '他', '她', '它', '我们', '你们', '是', '在', '有',
  '和', '与', '就', '都', '也', '还', '又', '把', '被', '给', '让', '这', '那', '这个', '那个', '一个', '怎么', '怎么办',
  '怎样', '如何', '为什么', '请问', '一下', '什么', '哪里', '可以', '能', '要', '想', '会', '吗?', '嗯', '哦', '么', '哪', '来', '去', '了吗',
]);

const WORD = /^[\p{L}\p{N}]+$/u;

/** Lower-cases, drops punctuation, whitespace and stop words; keeps order, removes duplicates. */
export function cleanTokens(tokens: readonly string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const raw of tokens) {
    const t = raw.trim().toLowerCase();
    if (!t || !WORD.test(t) || STOP_WORDS.has(t) || seen.has(t)) continue;
    seen.add(t);
    out.push(t);
  }
  return out;
}

/** Index text: the cleaned tokens space-joined, so to_tsvector('simple', …) keeps each token whole. */
export function indexText(tokens: readonly string[]): string {
  const out: string[] = [];
  for (const raw of tokens) {
    const t = raw.trim().toLowerCase();
    if (t && WORD.test(t) && !STOP_WORDS.has(t)) out.push(t);
  }
  return out.join(' ');
}

/**
 * Each query token with its synonym group (the token first) and its sub-words (玻璃杯 → 玻璃, as
 * the indexer's search-mode segmentation stores them); tokens not in any group stand alone.
 */
export function expandTokens(tokens: readonly string[], synonyms: readonly (readonly string[])[], subWords: (token: string) => readonly string[] = () => []): string[][] {
  return tokens.map((t) => {
    const group = new Set<string>([t]);
    for (const g of synonyms) if (g.includes(t)) for (const s of g) group.add(s.toLowerCase());
    for (const s of subWords(t)) {
      const w = s.toLowerCase();
      if (w.length >= 2 && !STOP_WORDS.has(w)) group.add(w);
    }
    return [...group].filter((s) => WORD.test(s));
  });
}

const HAN = /^\p{Script=Han}+$/u;

/**
 * Words to try by sound: each query token or run of up to three adjacent tokens that spells 2–4
 * Chinese characters (冷 + 连 → 冷连, 取件 + 马 → 取件马), as a pinyin input method's slip splits them.
 */
export function soundWindows(tokens: readonly string[]): string[] {
  const out = new Set<string>();
  for (let i = 0; i < tokens.length; i++) {
    let w = '';
    for (let j = i; j < Math.min(tokens.length, i + 3); j++) {
      const t = tokens[j]!;
      if (!HAN.test(t)) break;
      w += t;
      if (w.length > 4) break;
      if (w.length >= 2) out.add(w);
    }
  }
  return [...out];
}

/**
 * Mends the groups of a query whose words occur nowhere (df 0): a window that sounds like indexed
 * words (`alikes`: 据收 → 拒收, found by pinyin) adds a group of those words and their synonyms; an
 * unknown token containing a synonym (寄猫 → 猫) adds that synonym's group. Known groups stay as
 * they are; the result has no duplicate groups.
 */
export function mendGroups(
  tokens: readonly string[],
  groups: readonly (readonly string[])[],
  df: ReadonlyMap<string, number>,
  alikes: ReadonlyMap<string, readonly string[]>,
  synonyms: readonly (readonly string[])[],
): string[][] {
  const out = groups.map((g) => [...g]);
  const seen = new Set(out.map((g) => g.join('|')));
  const add = (words: readonly string[]): void => {
    const g = new Set<string>();
    for (const w of words) {
      g.add(w);
      for (const syn of synonyms) if (syn.includes(w)) for (const s of syn) g.add(s.toLowerCase());
    }
    const group = [...g].filter((t) => WORD.test(t));
    const key = group.join('|');
    if (group.length && !seen.has(key)) {
      seen.add(key);
      out.push(group);
    }
  };
  const known = (w: string): boolean => (df.get(w) ?? 0) > 0;
  for (const w of soundWindows(tokens)) {
    if (known(w)) continue;
    const like = (alikes.get(w) ?? []).filter((t) => t !== w);
    if (like.length) add(like);
  }
  tokens.forEach((t, i) => {
    if ((groups[i] ?? [t]).some(known) || t.length < 2) return;
    for (const syn of synonyms) {
      const piece = syn.find((s) => s.length < t.length && t.includes(s));
      if (piece) add([piece]);
    }
  });
  return out;
}

/** A tsquery source for to_tsquery('simple', …): every term of every group OR-ed, each quoted. Null when nothing is left. */
export function buildTsQuery(groups: readonly (readonly string[])[]): string | null {
  const terms = [...new Set(groups.flat())].filter((t) => WORD.test(t));
  if (!terms.length) return null;
  return terms.map((t) => `'${t}'`).join(' | ');
}

/**
 * Words nearly every express article contains (快递, 包裹, 寄…): they help ranking a little but
 * must not decide what matches, or 「香水可以寄快递吗」 finds every article about 快递.
 */
export const GENERIC_WORDS: ReadonlySet<string> = new Set(['快递', '快件', '包裹', '件', '寄', '寄件', '收件', '物流', '客服', '东西', '哪些', '现在', '已经', '一直', '还是', '没有']);
export const GENERIC_WEIGHT = 0.25;

/**
 * How many articles (by document frequency) the words a query draws its candidates from may cover
 * together: the rarest specific groups are taken, in order, while their summed frequency stays
 * within this budget. Commoner groups only score the candidates (as Elasticsearch's common-terms
 * query does), so a query with 「到」 (in a tenth of a large KB) never ranks thousands of rows.
 */
export const CANDIDATE_DF_BUDGET = 1500;
/** At most this many rows per bounded tier (every word; a word in the title) are ranked. */
export const TIER_LIMIT = 200;
/** …and at most this many with any word anywhere (the last resort when a filter leaves the rare words out). */
export const ANY_TIER_LIMIT = 100;

export interface KbQueryPlan {
  /**
   * OR of the essential groups' terms (the rarest specific groups within CANDIDATE_DF_BUDGET):
   * every row it matches is a candidate. Null when every specific group is common.
   */
  essential: string | null;
  /** Every specific group that occurs anywhere, AND-ed (each an OR of its terms): rows with all the words. */
  every: string | null;
  /** OR of the specific groups' terms, matched against titles only (bounded tier; used when nothing is essential). */
  titleAny: string | null;
  /** Every term, for ts_rank_cd and highlights. */
  all: string;
  /** One tsquery per group with its weight: a row scores the sum of the groups it matches (coordination). */
  groups: { query: string; weight: number }[];
}

/**
 * Plans a query from expanded groups and the document frequency of each term (a term missing from
 * `df` occurs nowhere): null when no searchable word is left.
 */
export function planQuery(groups: readonly (readonly string[])[], df: ReadonlyMap<string, number> = new Map(), budget = CANDIDATE_DF_BUDGET): KbQueryPlan | null {
  const usable = groups.map((g) => [...new Set(g.filter((t) => WORD.test(t)))]).filter((g) => g.length > 0);
  if (!usable.length) return null;
  const generic = (g: readonly string[]): boolean => g.every((t) => GENERIC_WORDS.has(t));
  const groupDf = (g: readonly string[]): number => g.reduce((n, t) => n + (df.get(t) ?? 0), 0);
  const specificAll = usable.filter((g) => !generic(g));
  const deciding = specificAll.length ? specificAll : usable;
  const present = deciding.filter((g) => groupDf(g) > 0);
  const essentialGroups: string[][] = [];
  let covered = 0;
  for (const g of [...present].sort((a, b) => groupDf(a) - groupDf(b))) {
    const n = groupDf(g);
    if (covered + n > budget) break;
    essentialGroups.push(g);
    covered += n;
  }
  return {
    essential: essentialGroups.length ? buildTsQuery(essentialGroups) : null,
    every: present.length ? present.map((g) => `(${buildTsQuery([g])})`).join(' & ') : null,
    titleAny: present.length ? buildTsQuery(present) : null,
    all: buildTsQuery(usable)!,
    groups: usable.map((g) => ({ query: buildTsQuery([g])!, weight: generic(g) ? GENERIC_WEIGHT : 1 })),
  };
}

export interface Highlighted {
  text: string;
  /** [start, end) offsets (UTF-16, as JavaScript strings) of each matched term in `text` before marking. */
  spans: [number, number][];
}

export const MARK_OPEN = '【';
export const MARK_CLOSE = '】';

/**
 * Marks every occurrence of the terms in `text` with 【】 (plain text, not HTML), longest term
 * first so 分拣中心 wins over 中心; overlapping matches are merged. Returns the spans too.
 * When `maxChars` is given, the text is cut to a window around the first match.
 */
export function highlight(text: string, terms: readonly string[], maxChars?: number): Highlighted {
  const lower = text.toLowerCase();
  const sorted = [...new Set(terms.map((t) => t.toLowerCase()).filter((t) => t.length > 0))].sort((a, b) => b.length - a.length);
  const covered: boolean[] = new Array(text.length).fill(false);
  for (const term of sorted) {
    let from = 0;
    for (;;) {
      const i = lower.indexOf(term, from);
      if (i < 0) break;
      for (let k = i; k < i + term.length; k++) covered[k] = true;
      from = i + term.length;
    }
  }
  let start = 0;
  let end = text.length;
  if (maxChars !== undefined && text.length > maxChars) {
    const first = covered.indexOf(true);
    start = Math.max(0, (first < 0 ? 0 : first) - Math.floor(maxChars / 4));
    end = Math.min(text.length, start + maxChars);
  }
  const spans: [number, number][] = [];
  let out = start > 0 ? '…' : '';
  let i = start;
  while (i < end) {
    if (covered[i]) {
      let j = i;
      while (j < end && covered[j]) j++;
      spans.push([i, j]);
      out += MARK_OPEN + text.slice(i, j) + MARK_CLOSE;
      i = j;
    } else {
      let j = i;
      while (j < end && !covered[j]) j++;
      out += text.slice(i, j);
      i = j;
    }
  }
  if (end < text.length) out += '…';
  return { text: out, spans };
}

/** Helpfulness boost multiplied into the text rank: log-scaled, never below 1 (unhelpful content is not buried, just not lifted). */
export function helpfulBoost(helpfulYes: number, helpfulNo: number, usageCount: number): number {
  return 1 + 0.15 * Math.log1p(Math.max(0, helpfulYes - helpfulNo)) + 0.05 * Math.log1p(Math.max(0, usageCount));
}

/**
 * Situations (kb_articles.applies_to values) a ticket's words point to, besides the parcel's own
 * tracking status: a customer writing 破损 has a damaged parcel whatever the tracking says.
 */
export const SITUATION_WORDS: Readonly<Record<string, readonly string[]>> = {
  damaged: ['破损', '损坏', '坏了', '坏', '摔坏', '压坏', '破了', '漏液', '变形'],
  lost: ['丢失', '丢了', '丢', '遗失', '找不到', '丢件', '不见'],
  delayed: ['延误', '延迟', '太慢', '慢', '不更新', '没动', '多久', '催件'],
  delivery_failed: ['派送失败', '没送', '不送', '未派送', '联系不上'],
  delivered: ['签收', '已签收', '虚假签收', '代签收'],
  returned: ['退回', '退件', '拒收', '退货'],
  available_for_pickup: ['驿站', '快递柜', '丰巢', '取件码', '代收点'],
  address_change: ['改地址', '修改地址', '更改地址', '换地址'],
  prohibited: ['禁寄', '违禁品', '不能寄'],
  pricing: ['运费', '资费', '多少钱', '首重', '续重', '到付', '价格'],
};

/** The situations the (cleaned) tokens mention, in SITUATION_WORDS order. */
export function situationsFromTokens(tokens: readonly string[]): string[] {
  const set = new Set(tokens);
  return Object.entries(SITUATION_WORDS).filter(([, words]) => words.some((w) => set.has(w))).map(([s]) => s);
}
