/**
 * The language guard (Q1): each category on its own sentences, the spans and suggestions it
 * offers, the channel rules (slang and emoji only online), exceptions and quotations, normalisation
 * (width, spaces, traditional characters) with spans in the original text, lexicon classes and
 * rules as data, the upgrade of the old setting shape, and precision and recall (≥ 0.95 each)
 * over the labelled set, the development batch, the probe sentences and the held-out batch.
 */
import { describe, expect, it } from 'vitest';
import {
  blockingFindings, checkReply, DEFAULT_GUARD_CONFIG, DEFAULT_GUARD_RULES, DEFAULT_GUARD_SUGGESTIONS, describeFindings, GUARD_CATEGORIES, isValidPattern, markShippedAdvice, normaliseText, patternProblem, upgradeGuardRules,
  type GuardCategory, type GuardChannel, type GuardConfig, type GuardRule,
} from '../../src/domain/language-guard.ts';
import { V1_DEFAULT_GUARD_RULES } from '../../src/domain/language-guard-v1.ts';
import { REPLIES as DEV_REPLIES } from './language-guard-dev-set.ts';
import { REPLIES as HELDOUT_REPLIES } from './language-guard-heldout-set.ts';
import { PROBE_REPLIES } from './language-guard-probe-set.ts';
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
  it('every default pattern, exception and excuse compiles with the default classes; ids are unique', () => {
    for (const r of DEFAULT_GUARD_RULES) for (const p of [r.pattern, ...(r.exceptions ?? []), ...(r.excuseAfter ?? [])]) if (p) expect(patternProblem(p), p).toBeNull();
    expect(new Set(DEFAULT_GUARD_RULES.map((r) => r.id)).size).toBe(DEFAULT_GUARD_RULES.length);
    expect(isValidPattern('(unclosed')).toBe(false);
    expect(patternProblem('{NOPE}不知道')).toContain('unknown class {NOPE}');
  });
  it('a word added to a lexicon class reaches every rule that names the class', () => {
    const text = '阁下怎么不早说?都怪阁下。';
    expect(check(text)).toEqual([]);
    const config: GuardConfig = { ...DEFAULT_GUARD_CONFIG, classes: { ...DEFAULT_GUARD_CONFIG.classes, CUSTOMER: [...DEFAULT_GUARD_CONFIG.classes.CUSTOMER!, '阁下'] } };
    expect(checkReply(text, 'chat', config).map((f) => [f.ruleId, f.text])).toEqual([
      ['rhetorical.why_not_earlier', '阁下怎么不早说?'],
      ['blame.your_fault', '都怪阁下'],
    ]);
  });
  it('a rule without its own suggestion offers its category\u2019s; every category has one', () => {
    const rule: GuardRule = { id: 'x', category: 'blame', pattern: '{CUSTOMER}活该', severity: 'block', channels: ['chat'] };
    const config: GuardConfig = { ...DEFAULT_GUARD_CONFIG, rules: [rule] };
    expect(checkReply('你活该。', 'chat', config).map((f) => f.suggestion)).toEqual([DEFAULT_GUARD_SUGGESTIONS.blame]);
    expect(checkReply('你活该。', 'chat', { ...config, suggestions: { blame: '给您添麻烦了' } }).map((f) => f.suggestion)).toEqual(['给您添麻烦了']);
    for (const c of GUARD_CATEGORIES) expect(DEFAULT_GUARD_SUGGESTIONS[c].length).toBeGreaterThan(0);
  });
});

describe('normalisation', () => {
  it('maps width, spaces, punctuation runs, case and traditional characters, keeping where each character came from', () => {
    const n = normaliseText('這不關我們的事 , 請找 App ...??');
    expect(n.text).toBe('这不关我们的事,请找app。?');
    expect(n.origin.length).toBe(n.text.length);
    expect(normaliseText('单号 SD 1234, 1.5 公斤').text).toBe('单号sd 1234,1.5公斤');
  });
  it('reports spans of the original text', () => {
    const text = '這不關我們的事,請找寄件人。';
    expect(check(text).map((f) => [f.category, f.text, text.slice(f.start, f.end)])).toEqual([['forbidden', '這不關我們的事', '這不關我們的事']]);
    const spaced = 'App 上都有, 你就不能 自己查一下 ?';
    const [f] = check(spaced);
    expect([f!.category, spaced.slice(f!.start, f!.end)]).toEqual(['rhetorical', '你就不能 自己查一下 ?']);
    expect(check('ＥＭＭＭ,稍等').map((x) => x.text)).toEqual(['ＥＭＭＭ']);
    expect(check('😊 不知到').map((x) => [x.start, x.end, x.text])).toEqual([[0, 2, '😊'], [3, 6, '不知到']]);
  });
});

describe('paraphrases and context', () => {
  it.each([
    ['这事儿不归我们这边管。', 'forbidden'],
    ['此事与本人无关。', 'forbidden'],
    ['我咋晓得嘛。', 'forbidden'],
    ['你问快递员去。', 'forbidden'],
    ['你烦不烦啊。', 'forbidden'],
    ['我刚才不是已经跟你讲过了吗?', 'rhetorical'],
    ['你以为快递是飞过去的啊?', 'rhetorical'],
    ['明明是您自己选的经济件。', 'blame'],
    ['后果请自行承担。', 'blame'],
    ['您的退款要求我们无法满足。', 'refusal'],
    ['超过时间了,退不了。', 'refusal'],
    ['集美别急,包裹明天就到', 'slang'],
    ['包裹还在干线上。', 'jargon'],
  ] as [string, GuardCategory][])('%s → %s', (text, category) => {
    expect(categories(text)).toContain(category);
  });
  it.each([
    '您不记得单号也没关系,我用您的手机号帮您查。',
    '您不清楚包裹重量也没事,师傅上门会帮您称。',
    '抱歉,目前无法预约晚上9点后派送,帮您安排明天上午送达可以吗?',
    '很抱歉原快件不能直接改寄到外省,我们可以为您办理退回后重新寄出。',
    '您说“不知道是谁签收的”,我马上帮您调取签收记录。',
    '这个不是您的问题,是我们这边的失误,非常抱歉。',
    '您好,单号 666 开头的那一件已于今天上午签收。',
    '我们的电话是400-666-8888。',
    '东西摔坏是因为运输中受到挤压,我们全额赔付。',
  ])('innocent: %s', (text) => {
    expect(check(text)).toEqual([]);
  });
  it('a refusal followed by an offer of help is fine; the same refusal alone is a warning', () => {
    expect(check('目前无法上门,我帮您约明天上午,可以吗?')).toEqual([]);
    expect(check('我们目前无法上门。').map((f) => [f.category, f.severity])).toEqual([['refusal', 'warn']]);
    // The help must follow the refusal's clause, not be what is refused.
    expect(categories('我不能帮你改。')).toEqual(['refusal']);
  });
});

describe('the old shape of the setting', () => {
  const current = DEFAULT_GUARD_CONFIG;
  it('rules still as version 1 shipped them become the current defaults, with the new rules added', () => {
    const up = upgradeGuardRules(V1_DEFAULT_GUARD_RULES, V1_DEFAULT_GUARD_RULES, current);
    expect(up.version).toBe(2);
    expect(up.classes).toEqual(current.classes);
    expect(new Set(up.rules.map((r) => r.id))).toEqual(new Set(current.rules.map((r) => r.id)));
    expect(up.rules.find((r) => r.id === 'forbidden.dont_know')).toEqual(current.rules.find((r) => r.id === 'forbidden.dont_know'));
  });
  it('keeps what the admin added or edited, and what the admin deleted stays deleted', () => {
    const edited = { ...V1_DEFAULT_GUARD_RULES.find((r) => r.id === 'jargon.waybill')!, suggestion: '运单' };
    const added: GuardRule = { id: 'forbidden.custom', category: 'forbidden', phrases: ['回头再说'], severity: 'block', channels: ['chat'], suggestion: '请您稍等' };
    const stored = [...V1_DEFAULT_GUARD_RULES.filter((r) => r.id !== 'jargon.waybill' && r.id !== 'refusal.no_way'), edited, added];
    const up = upgradeGuardRules(stored, V1_DEFAULT_GUARD_RULES, current);
    expect(up.rules.find((r) => r.id === 'jargon.waybill')).toEqual(edited);
    expect(up.rules.find((r) => r.id === 'forbidden.custom')).toEqual(added);
    expect(up.rules.some((r) => r.id === 'refusal.no_way')).toBe(false);
    expect(up.rules.some((r) => r.id === 'forbidden.impatience')).toBe(true);
    // Version-1 patterns name no classes and still work.
    expect(checkReply('回头再说吧', 'chat', up).map((f) => f.ruleId)).toEqual(['forbidden.custom']);
    expect(checkReply('请看面单', 'chat', up).map((f) => f.suggestion)).toEqual(['运单']);
  });
  it('a rule kept from version 1 that still offers the shipped advice is marked advice; its findings say so', () => {
    const emoji = { ...V1_DEFAULT_GUARD_RULES.find((r) => r.id === 'slang.emoji')!, channels: ['chat'] as GuardChannel[] };
    const reworded = { ...V1_DEFAULT_GUARD_RULES.find((r) => r.id === 'slang.internet')!, channels: ['chat'] as GuardChannel[], suggestion: '好的' };
    const up = upgradeGuardRules([emoji, reworded], V1_DEFAULT_GUARD_RULES, current);
    expect(up.rules.slice(0, 2).map((r) => [r.id, r.advice])).toEqual([['slang.emoji', true], ['slang.internet', undefined]]);
    expect(checkReply('好的😊 666', 'chat', { ...up, rules: up.rules.slice(0, 2) }).map((f) => [f.ruleId, f.advice])).toEqual([['slang.emoji', true], ['slang.internet', false]]);
    expect(markShippedAdvice([{ ...emoji, advice: false }], current)[0]!.advice).toBe(false);
  });
});

function measure(replies: readonly { text: string; channel: GuardChannel; bad: boolean }[]): { precision: number; recall: number; line: string } {
  let tp = 0, fp = 0, fn = 0;
  const misses: string[] = [];
  for (const r of replies) {
    const flagged = check(r.text, r.channel).length > 0;
    if (flagged && r.bad) tp++;
    else if (flagged) { fp++; misses.push(`false positive: ${r.text}`); }
    else if (r.bad) { fn++; misses.push(`missed: ${r.text}`); }
  }
  const precision = tp / (tp + fp);
  const recall = tp / (tp + fn);
  return { precision, recall, line: `precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)} (tp ${tp}, fp ${fp}, fn ${fn})${misses.length ? `\n${misses.join('\n')}` : ''}` };
}

describe('the labelled set', () => {
  it('has at least 150 sentences of both kinds', () => {
    expect(LABELLED_REPLIES.length).toBeGreaterThanOrEqual(150);
    expect(LABELLED_REPLIES.filter((r) => r.bad).length).toBeGreaterThanOrEqual(60);
    expect(LABELLED_REPLIES.filter((r) => !r.bad).length).toBeGreaterThanOrEqual(60);
  });
  it('precision and recall are both ≥ 0.95', () => {
    const m = measure(LABELLED_REPLIES);
    console.log(`language guard over the labelled set (${LABELLED_REPLIES.length} sentences): ${m.line}`);
    expect(m.precision).toBeGreaterThanOrEqual(0.95);
    expect(m.recall).toBeGreaterThanOrEqual(0.95);
  });
});

describe('the development batch', () => {
  // 130 sentences written by someone who had not seen the rules; the unchanged version-1 guard
  // scored precision 0.974, recall 0.569 on it before the redesign was tuned with it.
  it('precision and recall are both ≥ 0.95', () => {
    expect(DEV_REPLIES.length).toBe(130);
    const m = measure(DEV_REPLIES);
    console.log(`language guard over the development batch (${DEV_REPLIES.length} sentences): ${m.line}`);
    expect(m.precision).toBeGreaterThanOrEqual(0.95);
    expect(m.recall).toBeGreaterThanOrEqual(0.95);
  });
  it('flags each bad sentence with its labelled category', () => {
    const wrong = DEV_REPLIES.filter((r) => r.bad && r.category && !categories(r.text, r.channel).includes(r.category)).map((r) => `${r.text} (${r.category}: ${categories(r.text, r.channel).join(',')})`);
    // The category picks the suggestion offered, so an unfamiliar paraphrase should land in its own.
    expect(wrong).toEqual([]);
  });
});

describe('the implementer\u2019s probe sentences (regression)', () => {
  it('precision and recall are both ≥ 0.95', () => {
    const m = measure(PROBE_REPLIES);
    console.log(`language guard over the probe sentences (${PROBE_REPLIES.length}): ${m.line}`);
    expect(m.precision).toBeGreaterThanOrEqual(0.95);
    expect(m.recall).toBeGreaterThanOrEqual(0.95);
  });
});

describe('the held-out batch', () => {
  // 130 sentences written by someone who never saw the rules, measured once on the guard before
  // anything was tuned on them: precision 1.000, recall 0.785 (tp 51, fp 0, fn 14) — the figure
  // reported as the guard's generalisation. The misses were then fixed with general patterns, so
  // from here on this is a regression check like the others, not an independent measure.
  it('precision and recall are both ≥ 0.95', () => {
    expect(HELDOUT_REPLIES.length).toBe(130);
    const m = measure(HELDOUT_REPLIES);
    console.log(`language guard over the held-out batch (${HELDOUT_REPLIES.length} sentences): ${m.line}`);
    expect(m.precision).toBeGreaterThanOrEqual(0.95);
    expect(m.recall).toBeGreaterThanOrEqual(0.95);
  });
  it('flags each bad sentence with its labelled category', () => {
    const wrong = HELDOUT_REPLIES.filter((r) => r.bad && r.category && !categories(r.text, r.channel).includes(r.category)).map((r) => `${r.text} (${r.category}: ${categories(r.text, r.channel).join(',')})`);
    expect(wrong).toEqual([]);
  });
});

describe('paraphrase families added after the held-out measurement', () => {
  // Variants of the held-out misses (not the held-out sentences themselves), and their look-alikes.
  it.each([
    ['唔关我哋事。', 'forbidden'],
    ['关我咩事,你揾快递员啦。', 'forbidden'],
    ['你自己看着弄吧。', 'forbidden'],
    ['该讲的我都讲过了。', 'forbidden'],
    ['单子上不是都印着吗?', 'rhetorical'],
    ['您收货时是没注意吗?', 'rhetorical'],
    ['提示你没看啊?', 'rhetorical'],
    ['你又来找我?', 'rhetorical'],
    ['那么容易的问题你也要问?', 'rhetorical'],
    ['问什么问,明天就到。', 'rhetorical'],
    ['我都告诉过您了,周三送。', 'rhetorical'],
    ['地址不全,这也能怪我们吗?', 'blame'],
    ['这可不能怪我们。', 'blame'],
    ['损失由您自己承担。', 'blame'],
    ['您没按时付款造成订单取消。', 'blame'],
    ['无法加急,已经发车了。', 'refusal'],
    ['233333,这单好快', 'slang'],
    ['快件滞留在网点。', 'jargon'],
    ['逆向快件已经发出。', 'jargon'],
  ] as [string, GuardCategory][])('%s → %s', (text, category) => {
    expect(categories(text)).toContain(category);
  });
  it.each([
    '这件事怪我们,我们马上处理。',
    '都怪我们没有提前通知您,非常抱歉。',
    '责任由我们承担,请您放心。',
    '您未收到短信导致的不便,我们深表歉意。',
    '我帮您看着处理,您放心。',
    '您之前没收到短信吗?我再发一次。',
    '您还要问我别的问题吗?',
    '不能让您久等,我马上查。',
    '不能寄的物品包括易燃易爆品。',
    '暂时无法上门,明天上午可以吗?',
    '这些都告诉您了,还有不清楚的随时找我。',
    '工号 2333 为您服务。',
    '金额是2333元。',
    '房间号2333,对吗?',
    '电话0571 8888 6666。',
  ])('innocent: %s', (text) => {
    expect(check(text)).toEqual([]);
  });
  it('jargon for a state gives the plain wording in place', () => {
    const text = '这票件现在是滞留状态,还没做出仓。';
    const replaced = check(text).reduceRight((t, f) => t.slice(0, f.start) + f.suggestion + t.slice(f.end), text);
    expect(replaced).toBe('这票件现在暂时没能送出,还没发出。');
  });
});
