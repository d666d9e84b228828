import { describe, expect, it } from 'vitest';
import { inRegions, isUrgent, noticeText, periodSentence, revisedPromise, type NoticePeriod } from '../../../src/domain/express/proactive-notice.ts';

const spring: NoticePeriod = { kind: 'holiday', name: '春节', extraMinDays: 1, extraMaxDays: 3, notice: null };

describe('periodSentence', () => {
  it('the seed’s holiday sentence', () => {
    expect(periodSentence(spring)).toBe('春节期间,快件时效延迟1-3天,请您谅解。');
  });
  it('one number when min = max; weather and promotion wording', () => {
    expect(periodSentence({ ...spring, kind: 'weather', name: '暴雪', extraMinDays: 2, extraMaxDays: 2 })).toBe('受暴雪影响,快件时效延迟2天,我们会尽快为您派送,请您谅解。');
    expect(periodSentence({ ...spring, kind: 'promotion', name: '双11' })).toBe('双11期间快件量较大,快件时效延迟1-3天,请您谅解。');
  });
  it('the admin’s own wording wins; blank wording does not', () => {
    expect(periodSentence({ ...spring, notice: ' 春节假期派送时效顺延,敬请谅解。 ' })).toBe('春节假期派送时效顺延,敬请谅解。');
    expect(periodSentence({ ...spring, notice: '   ' })).toBe('春节期间,快件时效延迟1-3天,请您谅解。');
  });
});

describe('noticeText', () => {
  it('names the parcel, the new date, and priority delivery for urgent goods', () => {
    expect(noticeText(spring, { waybill: 'SD000000000001', flags: [], revisedBy: '2026-02-19' })).toBe('【提前告知】您的快件(运单号SD000000000001):春节期间,快件时效延迟1-3天,请您谅解。预计2月19日前送达。');
    expect(noticeText(spring, { waybill: 'SD1', flags: ['fragile', 'medical'], revisedBy: null })).toBe('【提前告知】您的快件(运单号SD1):春节期间,快件时效延迟1-3天,请您谅解。您的快件已标注优先派件,我们会优先为您送达。');
  });
});

describe('isUrgent', () => {
  it.each([
    [['medical'], true],
    [['fresh'], true],
    [['cold_chain', 'fragile'], true],
    [['fragile'], false],
    [[], false],
  ])('%j → %s', (flags, urgent) => expect(isUrgent(flags)).toBe(urgent));
});

describe('revisedPromise', () => {
  const at = new Date('2026-02-15T10:00:00Z');
  it('adds the longest delay', () => expect(revisedPromise(at, null, 3)).toEqual(new Date('2026-02-18T10:00:00Z')));
  it('keeps a later earlier revision', () => expect(revisedPromise(at, new Date('2026-02-20T00:00:00Z'), 3)).toEqual(new Date('2026-02-20T00:00:00Z')));
  it('replaces an earlier, shorter one', () => expect(revisedPromise(at, new Date('2026-02-16T00:00:00Z'), 3)).toEqual(new Date('2026-02-18T10:00:00Z')));
  it('no promise: nothing to move', () => expect(revisedPromise(null, null, 3)).toBeNull());
  it('zero days', () => expect(revisedPromise(at, null, 0)).toEqual(at));
});

describe('inRegions', () => {
  it.each([
    ['110105', [], true],
    ['110105', ['11'], true],
    ['110105', ['1101'], true],
    ['110105', ['110105'], true],
    ['110105', ['31', '44'], false],
    ['440305', ['31', '4403'], true],
  ])('%s in %j → %s', (code, prefixes, yes) => expect(inRegions(code, prefixes)).toBe(yes));
});
