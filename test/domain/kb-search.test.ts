import { describe, expect, it } from 'vitest';
import { buildTsQuery, cleanTokens, DEFAULT_SYNONYMS, EXPRESS_TERMS, expandTokens, GENERIC_WEIGHT, helpfulBoost, highlight, indexText, mendGroups, planQuery, situationsFromTokens, soundWindows } from '../../src/domain/kb-search.ts';
import { pinyinKey, segmentForIndex, segmentQuery, subWords } from '../../src/services/kb-search/segment.ts';

describe('segmentation with the express dictionary', () => {
  it.each([
    ['运单号查不到', ['运单号']],
    ['分拣中心显示派件中', ['分拣中心', '派件']],
    ['放在丰巢快递柜了', ['丰巢', '快递柜']],
    ['到付的件被拒收了要退件', ['到付', '拒收', '退件']],
    ['首重续重怎么算', ['首重', '续重']],
    ['代收货款和保价', ['代收货款', '保价']],
    ['驿站签收后申请理赔', ['驿站', '签收', '理赔']],
    ['这个能寄吗禁寄清单', ['禁寄']],
    ['中转太慢,揽收也慢', ['中转', '揽收']],
    ['我要改地址', ['改地址']],
  ])('%s keeps %j whole', (text, words) => {
    const tokens = segmentQuery(text);
    for (const w of words) expect(tokens).toContain(w);
  });

  it('index segmentation also stores the shorter words inside long ones', () => {
    const tokens = segmentForIndex('运单号和分拣中心');
    expect(tokens).toEqual(expect.arrayContaining(['运单号', '单号', '分拣中心', '中心']));
  });

  it('every express term is kept whole by the query segmenter', () => {
    for (const term of EXPRESS_TERMS) expect(segmentQuery(term), term).toEqual([term]);
  });

  it('sub-words of a long token', () => {
    expect(subWords('玻璃杯')).toContain('玻璃');
    expect(subWords('快递')).toEqual([]);
  });
});

describe('tokens', () => {
  it('drops punctuation, stop words and repeats, lower-cases', () => {
    expect(cleanTokens(['我', '的', '快递', ',', '快递', 'SF', '丢', '了', '吗', '?', ' '])).toEqual(['快递', 'sf', '丢']);
  });
  it('index text keeps repeats (term frequency) but not punctuation', () => {
    expect(indexText(['快递', ',', '快递', '破损', '!', 'A-1'])).toBe('快递 快递 破损');
  });
});

describe('synonym expansion', () => {
  it.each([
    ['快递', ['快递', '快件', '包裹']],
    ['丢了', ['丢了', '丢失', '遗失', '找不到']],
    ['坏了', ['坏了', '破损', '损坏']],
    ['多少钱', ['多少钱', '运费', '资费']],
    ['多久', ['多久', '几天', '时效']],
  ])('%s expands to its group', (token, group) => {
    const [g] = expandTokens([token], DEFAULT_SYNONYMS);
    expect(g![0]).toBe(token);
    expect(g).toEqual(expect.arrayContaining(group));
  });
  it('a word in no group stands alone; sub-words join its group', () => {
    expect(expandTokens(['香水'], DEFAULT_SYNONYMS)).toEqual([['香水']]);
    expect(expandTokens(['玻璃杯'], DEFAULT_SYNONYMS, () => ['玻璃', '杯'])).toEqual([['玻璃杯', '玻璃']]);
  });
  it('synonyms are data: a custom list replaces the defaults', () => {
    expect(expandTokens(['签收'], [['签收', '收货']])).toEqual([['签收', '收货']]);
  });
});

describe('query building', () => {
  it('ORs every term, quoted, without duplicates', () => {
    expect(buildTsQuery([['快递', '包裹'], ['破损', '快递']])).toBe("'快递' | '包裹' | '破损'");
    expect(buildTsQuery([])).toBeNull();
  });
  it('refuses anything that could break tsquery syntax', () => {
    expect(buildTsQuery([["a'b", 'x|y', '&', '!']])).toBeNull();
  });
  it('generic words rank but do not decide the match', () => {
    const df = new Map([['香水', 3], ['快递', 90_000], ['快件', 5_000], ['包裹', 20_000]]);
    const plan = planQuery([['香水'], ['快递', '快件', '包裹']], df)!;
    expect(plan.essential).toBe("'香水'");
    expect(plan.every).toBe("('香水')");
    expect(plan.all).toBe("'香水' | '快递' | '快件' | '包裹'");
    expect(plan.groups).toEqual([{ query: "'香水'", weight: 1 }, { query: "'快递' | '快件' | '包裹'", weight: GENERIC_WEIGHT }]);
  });
  it('a query of generic words only is decided by them', () => {
    const plan = planQuery([['快递']], new Map([['快递', 10]]))!;
    expect(plan.essential).toBe("'快递'");
    expect(planQuery([['?']])).toBeNull();
  });
  it('candidates come from the rarest groups within the frequency budget; common ones only score', () => {
    const df = new Map([['赔偿', 3], ['理赔', 7], ['多久', 3], ['几天', 1], ['到', 8_347], ['送达', 9]]);
    const plan = planQuery([['赔偿', '理赔'], ['多久', '几天'], ['到', '送达']], df, 100)!;
    // 多久|几天 (4) and 赔偿|理赔 (10) are drawn from; 到|送达 (8 356) is over the budget.
    expect(plan.essential).toBe("'多久' | '几天' | '赔偿' | '理赔'");
    expect(plan.every).toBe("('赔偿' | '理赔') & ('多久' | '几天') & ('到' | '送达')");
    expect(plan.groups.map((g) => g.weight)).toEqual([1, 1, 1]);
  });
  it('when every group is common nothing is essential: the bounded tiers (every word, title words) decide', () => {
    const df = new Map([['派送', 30_000], ['网点', 45_000]]);
    const plan = planQuery([['派送'], ['网点']], df, 1_500)!;
    expect(plan.essential).toBeNull();
    expect(plan.every).toBe("('派送') & ('网点')");
    expect(plan.titleAny).toBe("'派送' | '网点'");
  });
  it('a group that occurs nowhere neither draws candidates nor empties the every-word tier', () => {
    const plan = planQuery([['保阶'], ['理赔']], new Map([['理赔', 12]]))!;
    expect(plan.essential).toBe("'理赔'");
    expect(plan.every).toBe("('理赔')");
    expect(plan.all).toBe("'保阶' | '理赔'");
    const none = planQuery([['zzzz']], new Map())!;
    expect([none.essential, none.every, none.titleAny]).toEqual([null, null, null]);
  });
  it('the budget is a cumulative bound, taken rarest first', () => {
    const df = new Map([['a', 600], ['b', 500], ['c', 700]]);
    expect(planQuery([['a'], ['b'], ['c']], df, 1_500)!.essential).toBe("'b' | 'a'");
    expect(planQuery([['a'], ['b'], ['c']], df, 1_800)!.essential).toBe("'b' | 'a' | 'c'");
    expect(planQuery([['a'], ['b'], ['c']], df, 499)!.essential).toBeNull();
  });
});

describe('highlight', () => {
  it('wraps matches in 【】, the longest term first, merging overlaps', () => {
    expect(highlight('快件在分拣中心停留', ['中心', '分拣中心', '快件']).text).toBe('【快件】在【分拣中心】停留');
    expect(highlight('快件在分拣中心停留', ['分拣中心']).spans).toEqual([[3, 7]]);
  });
  it('is case-insensitive and leaves text without matches alone', () => {
    expect(highlight('下载APP查询', ['app']).text).toBe('下载【APP】查询');
    expect(highlight('没有匹配', ['快递'])).toEqual({ text: '没有匹配', spans: [] });
  });
  it('cuts long text to a window around the first match', () => {
    const text = `${'甲'.repeat(100)}破损${'乙'.repeat(100)}`;
    const h = highlight(text, ['破损'], 40);
    expect(h.text.startsWith('…')).toBe(true);
    expect(h.text.endsWith('…')).toBe(true);
    expect(h.text).toContain('【破损】');
    expect(h.text.length).toBeLessThanOrEqual(44);
  });
});

describe('situations from words', () => {
  it.each([
    [['快递', '破损'], ['damaged']],
    [['包裹', '丢了'], ['lost']],
    [['丰巢', '取件码'], ['available_for_pickup']],
    [['改地址'], ['address_change']],
    [['你好'], []],
  ])('%j → %j', (tokens, situations) => {
    expect(situationsFromTokens(tokens)).toEqual(situations);
  });
});

describe('helpfulness boost', () => {
  it('is 1 for new content, grows slowly, never falls below 1', () => {
    expect(helpfulBoost(0, 0, 0)).toBe(1);
    expect(helpfulBoost(0, 50, 0)).toBe(1);
    expect(helpfulBoost(10, 0, 0)).toBeGreaterThan(1);
    expect(helpfulBoost(100, 0, 0) - helpfulBoost(10, 0, 0)).toBeLessThan(helpfulBoost(10, 0, 0) - 1);
    expect(helpfulBoost(0, 0, 1000)).toBeGreaterThan(helpfulBoost(0, 0, 10));
  });
});

describe('mending words that occur nowhere', () => {
  it('tries each token and runs of up to three adjacent tokens that spell 2–4 Chinese characters', () => {
    expect(soundWindows(['大闸蟹', '走', '冷', '连'])).toEqual(['大闸蟹', '大闸蟹走', '走冷', '走冷连', '冷连']);
    expect(soundWindows(['取件', '马'])).toEqual(['取件', '取件马']);
    expect(soundWindows(['app', '下单'])).toEqual(['下单']);
    expect(soundWindows(['一二三四五'])).toEqual([]);
    expect(soundWindows([])).toEqual([]);
  });
  it('a word typed with the wrong character of the same sound gets the indexed word and its synonyms', () => {
    const df = new Map([['拒收', 12]]);
    const mended = mendGroups(['据收'], [['据收']], df, new Map([['据收', ['拒收']]]), [['拒收', '拒签']]);
    expect(mended).toEqual([['据收'], ['拒收', '拒签']]);
  });
  it('a split slip (冷 + 连) is mended as one word', () => {
    const mended = mendGroups(['冷', '连'], [['冷'], ['连']], new Map(), new Map([['冷连', ['冷链']]]), []);
    expect(mended).toEqual([['冷'], ['连'], ['冷链']]);
  });
  it('an unknown token containing a synonym adds that synonym group', () => {
    const syn = [['宠物', '猫', '狗']];
    expect(mendGroups(['寄猫'], [['寄猫']], new Map(), new Map(), syn)).toEqual([['寄猫'], ['猫', '宠物', '狗']]);
  });
  it('leaves known words alone and adds no group twice', () => {
    const df = new Map([['拒收', 3]]);
    expect(mendGroups(['拒收'], [['拒收']], df, new Map([['拒收', ['据收']]]), [])).toEqual([['拒收']]);
    const twice = mendGroups(['据收', '据收'], [['据收'], ['据收']], new Map(), new Map([['据收', ['拒收']]]), []);
    expect(twice).toEqual([['据收'], ['据收'], ['拒收']]);
  });
});

describe('pinyin keys', () => {
  it('words of 2–4 Chinese characters sound alike when a pinyin input method types them alike', () => {
    expect(pinyinKey('拒收')).toBe('jushou');
    expect(pinyinKey('据收')).toBe(pinyinKey('拒收'));
    expect(pinyinKey('冷连')).toBe(pinyinKey('冷链'));
    expect(pinyinKey('取件马')).toBe(pinyinKey('取件码'));
    expect(pinyinKey('理陪')).toBe(pinyinKey('理赔'));
    expect(pinyinKey('银行')).not.toBe(pinyinKey('行李'));
  });
  it('has no key for single characters, long runs, Latin letters or digits', () => {
    for (const w of ['猫', '一二三四五', 'app', '618', '双11']) expect(pinyinKey(w), w).toBeNull();
  });
});
