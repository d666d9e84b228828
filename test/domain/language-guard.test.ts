/**
 * The language guard (Q1): each category on its own sentences, the spans and suggestions it
 * offers, the channel rules (slang and emoji only online), exceptions and quotations, rules as
 * data, and precision and recall over the labelled set (≥ 0.95 each).
 */
import { describe, expect, it } from 'vitest';
import { blockingFindings, checkReply, DEFAULT_GUARD_RULES, describeFindings, isValidPattern, type GuardCategory, type GuardChannel, type GuardRule } from '../../src/domain/language-guard.ts';
import { LABELLED_REPLIES } from './language-guard-set.ts';

const check = (text: string, channel: GuardChannel = 'chat') => checkReply(text, channel, DEFAULT_GUARD_RULES);
const categories = (text: string, channel: GuardChannel = 'chat'): GuardCategory[] => check(text, channel).map((f) => f.category);

describe('each category', () => {
  const TABLE: [string, GuardCategory, string][] = [
    // text, expected category, the flagged text
    ['不知道,你问网点吧。', 'forbidden', '不知道'],
    ['我哪知道。', 'forbidden', '我哪知道'],
    ['这事不归我管。', 'forbidden', '这事不归我管'],
    ['这不关我的事。', 'forbidden', '这不关我的事'],
    ['你自己看着办。', 'forbidden', '你自己看着办'],
    ['随便你。', 'forbidden', '随便你'],
    ['你怎么不早说?', 'rhetorical', '你怎么不早说?'],
    ['你没查过单号吗?', 'rhetorical', '你没查过单号吗?'],
    ['你自己不会看吗?', 'rhetorical', '你自己不会看吗?'],
    ['是你自己填错地址了吧?', 'blame', '是你自己填错'],
    ['谁让你不保价。', 'blame', '谁让你'],
    ['我不能直接告诉你结果。', 'refusal', '我不能'],
    ['没办法。', 'refusal', '没办法'],
    ['不可能今天到。', 'refusal', '不可能'],
    ['emmm,稍等。', 'slang', 'emmm'],
    ['好的666', 'slang', '666'],
    ['好的😊', 'slang', '😊'],
    ['在中转场。', 'jargon', '中转场'],
    ['派件员会联系您。', 'jargon', '派件员'],
  ];
  it.each(TABLE)('%s → %s', (text, category, flagged) => {
    const findings = check(text);
    expect(findings.map((f) => [f.category, f.text])).toContainEqual([category, flagged]);
  });

  it('forbidden, rhetorical and blame block; refusal, slang and jargon warn', () => {
    const severity = (text: string) => check(text)[0]!.severity;
    expect(['不知道', '你怎么不早说?', '是你自己写错了'].map(severity)).toEqual(['block', 'block', 'block']);
    expect(['我不能帮您改', 'emmm', '中转场'].map(severity)).toEqual(['warn', 'warn', 'warn']);
  });
});

describe('spans and suggestions', () => {
  it('gives the offsets of each finding, in text order, and the approved wording', () => {
    const text = '您好,派件员说不知道,我不能帮你改。';
    const findings = check(text);
    expect(findings.map((f) => [f.ruleId, f.start, f.end, text.slice(f.start, f.end)])).toEqual([
      ['jargon.courier', 3, 6, '派件员'],
      ['forbidden.dont_know', 7, 10, '不知道'],
      ['refusal.cannot', 11, 14, '我不能'],
    ]);
    expect(findings.map((f) => f.suggestion)).toEqual(['送货师傅', '我帮您核实一下,马上给您答复', '我会帮您……(说能做什么,例如「我会帮您核实情况」)']);
    // Jargon's suggestion is the plain term: replacing the span gives the plain sentence.
    const f = findings[0]!;
    expect(text.slice(0, f.start) + f.suggestion + text.slice(f.end)).toBe('您好,送货师傅说不知道,我不能帮你改。');
  });

  it('counts offsets in UTF-16 units, so spans after an emoji still slice the text', () => {
    const text = '😊😊中转场';
    const [a, b, c] = check(text);
    expect([a!.start, a!.end, b!.start, c!.start, c!.end]).toEqual([0, 2, 2, 4, 7]);
    expect(text.slice(c!.start, c!.end)).toBe('中转场');
  });

  it('reports one finding for one problem: a match inside a longer one is dropped', () => {
    expect(check('我们已安排揽收员上门。').map((f) => f.text)).toEqual(['揽收员']);
  });

  it('describes findings for an error message; blockingFindings keeps the blocking ones', () => {
    const findings = check('不知道,没办法。');
    expect(blockingFindings(findings).map((f) => f.text)).toEqual(['不知道']);
    expect(describeFindings(blockingFindings(findings))).toBe('「不知道」(forbidden) → 我帮您核实一下,马上给您答复');
  });
});

describe('channels', () => {
  it('slang and emoji are flagged in chat and email, not on the phone', () => {
    for (const text of ['emmm,我查一下', '好的👍', '哈哈哈没事']) {
      expect(categories(text, 'chat'), text).toEqual(['slang']);
      expect(categories(text, 'email'), text).toEqual(['slang']);
      expect(categories(text, 'phone'), text).toEqual([]);
    }
  });
  it('the other categories apply on every channel', () => {
    for (const channel of ['chat', 'phone', 'email'] as const) {
      expect(categories('这不关我的事,中转场的问题,我没办法。', channel)).toEqual(['forbidden', 'jargon', 'refusal']);
    }
  });
  it('digits that contain 666 (waybills, pick-up codes, phone numbers) are not slang', () => {
    expect(check('单号SD6661234567,取件码6668,电话138xxxx6660')).toEqual([]);
  });
});

describe('innocent text', () => {
  it.each([
    '您不知道单号也没关系,我用手机号帮您查',
    '如果您不清楚具体地址,可以告诉我大概位置。',
    '不知道您现在方便接电话吗?',
    '照片不清楚,麻烦您再拍一张。',
    '您好,这里是顺达快递客服,已收到您的问题,正在为您核实,请稍等。',
    '您好,当前咨询量较大,我会尽快为您解答,请稍等~',
    '易燃易爆物品不能寄。',
    '我们一定想办法帮您找回快件。',
    '这不是您的责任。',
    '您备注里写了“不能倒置”,我已经提醒师傅。',
    '您反映快递员说「不关我的事」,非常抱歉。',
    '我们不能让您白跑一趟。',
  ])('%s', (text) => {
    expect(check(text)).toEqual([]);
  });
});

describe('rules are data', () => {
  it('takes the rules it is given: an added phrase is found, a removed rule is not', () => {
    const extra: GuardRule = { id: 'forbidden.custom', category: 'forbidden', phrases: ['回头再说'], severity: 'block', channels: ['chat'], suggestion: '请您稍等,我马上处理' };
    expect(checkReply('回头再说吧', 'chat', [...DEFAULT_GUARD_RULES, extra]).map((f) => f.ruleId)).toEqual(['forbidden.custom']);
    expect(checkReply('回头再说吧', 'phone', [...DEFAULT_GUARD_RULES, extra])).toEqual([]);
    expect(checkReply('不知道', 'chat', DEFAULT_GUARD_RULES.filter((r) => r.id !== 'forbidden.dont_know'))).toEqual([]);
  });
  it('escapes phrases (a phrase is literal text, not a pattern)', () => {
    const rule: GuardRule = { id: 'x', category: 'slang', phrases: ['(。)'], severity: 'warn', channels: ['chat'], suggestion: '-' };
    expect(checkReply('好的(。)', 'chat', [rule]).map((f) => f.text)).toEqual(['(。)']);
    expect(checkReply('好的。', 'chat', [rule])).toEqual([]);
  });
  it('every default pattern and exception compiles; ids are unique', () => {
    for (const r of DEFAULT_GUARD_RULES) for (const p of [r.pattern, ...(r.exceptions ?? [])]) if (p) expect(isValidPattern(p), p).toBe(true);
    expect(new Set(DEFAULT_GUARD_RULES.map((r) => r.id)).size).toBe(DEFAULT_GUARD_RULES.length);
    expect(isValidPattern('(unclosed')).toBe(false);
  });
});

describe('the labelled set', () => {
  it('has at least 150 sentences of both kinds', () => {
    expect(LABELLED_REPLIES.length).toBeGreaterThanOrEqual(150);
    expect(LABELLED_REPLIES.filter((r) => r.bad).length).toBeGreaterThanOrEqual(60);
    expect(LABELLED_REPLIES.filter((r) => !r.bad).length).toBeGreaterThanOrEqual(60);
  });
  it('precision and recall are both ≥ 0.95', () => {
    let tp = 0, fp = 0, fn = 0;
    const misses: string[] = [];
    for (const r of LABELLED_REPLIES) {
      const flagged = check(r.text, r.channel).length > 0;
      if (flagged && r.bad) tp++;
      else if (flagged) { fp++; misses.push(`false positive: ${r.text}`); }
      else if (r.bad) { fn++; misses.push(`missed: ${r.text}`); }
    }
    const precision = tp / (tp + fp);
    const recall = tp / (tp + fn);
    console.log(`language guard over ${LABELLED_REPLIES.length} sentences: precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)} (tp ${tp}, fp ${fp}, fn ${fn})${misses.length ? `\n${misses.join('\n')}` : ''}`);
    expect(precision).toBeGreaterThanOrEqual(0.95);
    expect(recall).toBeGreaterThanOrEqual(0.95);
  });
});
