/**
 * The agent reply box's pure parts: the order of findings, what "replace" inserts (checked against
 * the default rules' findings, advice by the findings' `advice` field), applying a replacement with the other spans shifted and the
 * caret placed, carrying findings across edits, highlight segments, the debouncer and the
 * latest-answer bookkeeping, and the guard channel matching the server's.
 */
import { describe, expect, it, vi } from 'vitest';
import { checkReply, DEFAULT_GUARD_RULES, type GuardRule } from '../../src/domain/language-guard.ts';
import { guardChannelOf } from '../../src/services/guard/guard.ts';
import { CHANNELS } from '../../src/services/tickets/ticket-row.ts';
import type { GuardFinding } from '../../web/shared/api/client.ts';
import { applyReplacement, findingsFromDetails, hasBlocking, highlightSegments, mergeRefusal, orderFindings, rebaseFindings, replacementFor, shiftForEdit } from '../../web/agent/modules/reply/utils/findings.ts';
import { guardChannelFor } from '../../web/agent/modules/reply/utils/guard-channel.ts';
import { createDebouncer, LatestOnly } from '../../web/shared/latest.ts';

const check = (text: string): GuardFinding[] => checkReply(text, 'chat', DEFAULT_GUARD_RULES);
const spans = (text: string, fs: readonly GuardFinding[]): string[] => fs.map((f) => text.slice(f.start, f.end));

describe('order and severity', () => {
  it('puts blocking findings first, each group in text order', () => {
    const text = '派件员说这事不归我管,我哪知道😊';
    const ordered = orderFindings(check(text));
    expect(ordered.map((f) => [f.severity, f.text])).toEqual([
      ['block', '这事不归我管'],
      ['block', '我哪知道'],
      ['warn', '派件员'],
      ['warn', '😊'],
    ]);
    expect(hasBlocking(ordered)).toBe(true);
    expect(hasBlocking(ordered.filter((f) => f.severity === 'warn'))).toBe(false);
  });
});

describe('replacementFor', () => {
  it('inserts the approved wording, drops a trailing hint, and only shows what the finding marks as advice', () => {
    // The findings the default rules give (a sentence per rule), as the server sends them.
    const by = Object.fromEntries(
      ['我不知道', '派件员', '这个我们不能办。', '好的😊', '好的666'].flatMap((text) => check(text)).map((f) => [f.ruleId, replacementFor(f)]),
    );
    expect(by['forbidden.dont_know']).toEqual({ kind: 'replace', text: '我帮您核实一下,马上给您答复' });
    expect(by['jargon.courier']).toEqual({ kind: 'replace', text: '送货师傅' });
    expect(by['refusal.cannot']).toEqual({ kind: 'replace', text: '我会帮您……' });
    expect(by['slang.emoji']).toEqual({ kind: 'advice' });
    expect(by['slang.internet']).toEqual({ kind: 'advice' });
    // The field decides, not the wording: 请… is wording unless marked, and any text marked advice is advice.
    expect(replacementFor({ suggestion: '请稍等,我马上处理', advice: false })).toEqual({ kind: 'replace', text: '请稍等,我马上处理' });
    expect(replacementFor({ suggestion: '请删去这句', advice: false })).toEqual({ kind: 'replace', text: '请删去这句' });
    expect(replacementFor({ suggestion: '换个说法', advice: true })).toEqual({ kind: 'advice' });
    expect(replacementFor({ suggestion: '  ', advice: false })).toEqual({ kind: 'advice' });
    expect(replacementFor({ suggestion: '(说能做什么)', advice: false })).toEqual({ kind: 'advice' });
  });
  it('a rule’s advice flag reaches its findings; a rule taking an advice category’s default is advice too', () => {
    expect(check('好的😊').map((f) => [f.ruleId, f.advice])).toEqual([['slang.emoji', true]]);
    expect(check('派件员').map((f) => [f.ruleId, f.advice])).toEqual([['jargon.courier', false]]);
    const rules: GuardRule[] = [
      { id: 'jargon.x', category: 'jargon', phrases: ['票件'], severity: 'warn', channels: ['chat'] },
      { id: 'forbidden.x', category: 'forbidden', phrases: ['回头再说'], severity: 'block', channels: ['chat'] },
      { id: 'slang.x', category: 'slang', phrases: ['哈哈'], severity: 'warn', channels: ['chat'], suggestion: '好的', advice: false },
    ];
    expect(checkReply('票件回头再说,哈哈', 'chat', rules).map((f) => [f.ruleId, replacementFor(f).kind])).toEqual([['jargon.x', 'advice'], ['forbidden.x', 'replace'], ['slang.x', 'replace']]);
  });
});

describe('applyReplacement', () => {
  it('substitutes the span, shifts the findings after it, keeps those before, and puts the caret after the insert', () => {
    const text = '派件员说不知道,揽件员明天到';
    const fs = check(text);
    expect(spans(text, fs)).toEqual(['派件员', '不知道', '揽件员']);
    const target = fs[1]!;
    const r = applyReplacement(text, fs, target, '我帮您核实一下')!;
    expect(r.text).toBe('派件员说我帮您核实一下,揽件员明天到');
    expect(spans(r.text, r.findings)).toEqual(['派件员', '揽件员']);
    expect(r.findings.map((f) => f.text)).toEqual(['派件员', '揽件员']);
    expect(r.selection).toEqual([11, 11]);
    // What the server would now find is exactly what was carried over.
    expect(check(r.text).map((f) => [f.start, f.end])).toEqual(r.findings.map((f) => [f.start, f.end]));
  });

  it('a shorter replacement moves later spans left; replacing at the very start and end works', () => {
    const text = '派件员 面单';
    const fs = check(text);
    const a = applyReplacement(text, fs, fs[0]!, 'A')!;
    expect(a.text).toBe('A 面单');
    expect(spans(a.text, a.findings)).toEqual(['面单']);
    const b = applyReplacement(a.text, a.findings, a.findings[0]!, '快递单')!;
    expect(b.text).toBe('A 快递单');
    expect(b.findings).toEqual([]);
    expect(b.selection).toEqual([5, 5]);
  });

  it('selects the template blank so the agent types over it', () => {
    const text = '这个我们不能办。';
    const f = check(text).find((x) => x.ruleId === 'refusal.cannot');
    expect(f, JSON.stringify(check(text))).toBeDefined();
    const r = applyReplacement(text, [f!], f!, '我会帮您……')!;
    expect(r.text.slice(r.selection[0], r.selection[1])).toBe('……');
  });

  it('refuses a finding the text no longer holds there', () => {
    const fs = check('我哪知道');
    expect(applyReplacement('你好,我哪知道', fs, fs[0]!, 'x')).toBeNull();
    expect(applyReplacement('', fs, fs[0]!, 'x')).toBeNull();
  });

  it('leaves surrogate pairs whole (offsets are UTF-16 units, as the server counts)', () => {
    const text = '😊😊派件员';
    const fs = check(text);
    const courier = fs.find((f) => f.text === '派件员')!;
    expect(courier.start).toBe(4);
    const r = applyReplacement(text, fs, courier, '送货师傅')!;
    expect(r.text).toBe('😊😊送货师傅');
    expect(spans(r.text, r.findings)).toEqual(['😊', '😊']);
  });
});

describe('carrying findings across edits', () => {
  const text = '派件员说不知道';
  const fs = check(text);

  it('shiftForEdit keeps findings before, shifts findings after, drops those the edit touches', () => {
    expect(spans('您好,派件员说不知道', shiftForEdit(fs, 0, 0, 3))).toEqual(['派件员', '不知道']);
    expect(shiftForEdit(fs, 1, 2, 1).map((f) => f.text)).toEqual(['不知道']);
    expect(shiftForEdit(fs, 3, 3, 2).map((f) => [f.start, f.end])).toEqual([[0, 3], [6, 9]]);
  });

  it('rebaseFindings follows typing before, between and after the findings', () => {
    expect(rebaseFindings(fs, text, text)).toEqual(fs);
    for (const next of ['您好,派件员说不知道', '派件员刚才说不知道', '派件员说不知道。', '派件员说不知道吗?请稍等']) {
      expect(spans(next, rebaseFindings(fs, text, next)), next).toEqual(['派件员', '不知道']);
    }
    expect(spans('派件员说不太知道', rebaseFindings(fs, text, '派件员说不太知道'))).toEqual(['派件员']);
    expect(rebaseFindings(fs, text, '')).toEqual([]);
    // A deletion that removes a finding's characters drops it.
    expect(spans('派件员说', rebaseFindings(fs, text, '派件员说'))).toEqual(['派件员']);
  });
});

describe('highlightSegments', () => {
  it('cuts the text at the findings, concatenating back to it, with the most severe finding per piece', () => {
    const text = '好的,派件员说我哪知道啊';
    const fs = check(text);
    const segs = highlightSegments(text, fs);
    expect(segs.map((s) => s.text).join('')).toBe(text);
    expect(segs.map((s) => [s.text, s.finding?.severity ?? null])).toEqual([
      ['好的,', null],
      ['派件员', 'warn'],
      ['说', null],
      ['我哪知道', 'block'],
      ['啊', null],
    ]);
    const overlap: GuardFinding[] = [
      { ruleId: 'a', category: 'jargon', severity: 'warn', start: 0, end: 4, text: 'abcd', suggestion: 'x', advice: false },
      { ruleId: 'b', category: 'forbidden', severity: 'block', start: 2, end: 6, text: 'cdef', suggestion: 'y', advice: false },
    ];
    expect(highlightSegments('abcdefg', overlap).map((s) => [s.text, s.finding?.ruleId ?? null])).toEqual([['ab', 'a'], ['cdef', 'b'], ['g', null]]);
    expect(highlightSegments('', [])).toEqual([]);
    // A span past the end (a stale finding) is ignored rather than drawn.
    expect(highlightSegments('ab', overlap)).toEqual([{ text: 'ab', finding: null }]);
  });
});

describe('debouncer and latest-only', () => {
  it('runs once after the quiet period; each call restarts it; flush runs now; cancel drops it', () => {
    vi.useFakeTimers();
    try {
      const d = createDebouncer(300);
      const ran: string[] = [];
      d.schedule(() => ran.push('a'));
      vi.advanceTimersByTime(200);
      d.schedule(() => ran.push('b'));
      vi.advanceTimersByTime(299);
      expect(ran).toEqual([]);
      expect(d.pending).toBe(true);
      vi.advanceTimersByTime(1);
      expect(ran).toEqual(['b']);
      expect(d.pending).toBe(false);
      d.schedule(() => ran.push('c'));
      d.flush();
      expect(ran).toEqual(['b', 'c']);
      vi.advanceTimersByTime(1000);
      expect(ran).toEqual(['b', 'c']);
      d.schedule(() => ran.push('d'));
      d.cancel();
      vi.advanceTimersByTime(1000);
      d.flush();
      expect(ran).toEqual(['b', 'c']);
    } finally {
      vi.useRealTimers();
    }
  });

  it('only the latest request counts; invalidate makes answers in flight stale', () => {
    const l = new LatestOnly();
    const first = l.begin();
    const second = l.begin();
    expect(l.isLatest(first)).toBe(false);
    expect(l.isLatest(second)).toBe(true);
    l.invalidate();
    expect(l.isLatest(second)).toBe(false);
  });
});

describe('guard channel', () => {
  it('matches the channel the server guards a reply with, for every ticket channel', () => {
    for (const c of CHANNELS) expect(guardChannelFor(c), c).toBe(guardChannelOf(c));
  });
});

describe('a guard_blocked refusal’s details', () => {
  it('takes well-formed findings whose span holds their text, and keeps the warnings already shown', () => {
    const sent = '派件员说不知道';
    const all = check(sent);
    const blocking = all.filter((f) => f.severity === 'block');
    expect(findingsFromDetails({ findings: blocking }, sent)).toEqual(blocking);
    expect(findingsFromDetails({ findings: [...blocking, { ruleId: 'x' }, null, 3, { ...blocking[0]!, start: 0 }, { ...blocking[0]!, advice: 'no' }] }, sent)).toEqual(blocking);
    for (const bad of [undefined, null, 'x', {}, { findings: 'no' }]) expect(findingsFromDetails(bad, sent)).toEqual([]);
    expect(mergeRefusal(blocking, all).map((f) => f.text)).toEqual(['派件员', '不知道']);
    expect(mergeRefusal(blocking, []).map((f) => f.text)).toEqual(['不知道']);
  });
});
