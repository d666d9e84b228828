import { describe, expect, it } from 'vitest';
import {
  angle,
  detectAutomated,
  messageIdDomain,
  normaliseAddress,
  normaliseMessageId,
  parseMessageIdList,
  referencesChain,
  replySubject,
  retryDelayMs,
  stripReplyPrefixes,
  ticketNumberFromSubject,
  type AutomationInput,
} from '../../src/domain/email.ts';

describe('normaliseMessageId', () => {
  it.each([
    ['<abc@Example.COM>', 'abc@example.com'],
    ['  <abc@example.com>  ', 'abc@example.com'],
    ['abc@example.com', 'abc@example.com'],
    ['<ABC.def+1@Mail.Example.com>', 'ABC.def+1@mail.example.com'],
    ['< spaced@example.com >', 'spaced@example.com'],
    ['<no-at-sign>', 'no-at-sign'],
    ['<a@b@C.com>', 'a@b@c.com'],
  ])('%j → %j', (raw, id) => {
    expect(normaliseMessageId(raw)).toBe(id);
  });
  it.each([[null], [undefined], [''], ['   '], ['<>'], ['<a b@c.com>'], ['<a<b@c.com>'], ['a@b.com>'.padStart(600, 'x')]])('%j is no id', (raw) => {
    expect(normaliseMessageId(raw)).toBeNull();
  });
});

describe('parseMessageIdList', () => {
  it.each([
    ['<a@x.com> <b@x.com>', ['a@x.com', 'b@x.com']],
    ['<a@x.com>\r\n\t<b@X.com>', ['a@x.com', 'b@x.com']],
    ['<a@x.com>,<b@x.com>', ['a@x.com', 'b@x.com']],
    ['<a@x.com> <a@x.com> <b@x.com>', ['a@x.com', 'b@x.com']],
    ['a@x.com b@x.com', ['a@x.com', 'b@x.com']],
    ['comment (x) <a@x.com>', ['a@x.com']],
    ['<>', []],
    ['', []],
  ])('%j → %j', (raw, ids) => {
    expect(parseMessageIdList(raw)).toEqual(ids);
  });
  it('accepts the parser’s arrays and nothing', () => {
    expect(parseMessageIdList(['<a@x.com>', '<b@x.com>'])).toEqual(['a@x.com', 'b@x.com']);
    expect(parseMessageIdList(null)).toEqual([]);
    expect(parseMessageIdList(undefined)).toEqual([]);
  });
  it('angle puts the brackets back', () => {
    expect(angle('a@x.com')).toBe('<a@x.com>');
  });
  it.each([
    ['a@X.com', 'x.com'],
    ['a@b@c.org', 'c.org'],
    ['no-domain', null],
    ['trailing@', null],
  ])('messageIdDomain(%j) → %j', (id, d) => {
    expect(messageIdDomain(id)).toBe(d);
  });
});

describe('referencesChain', () => {
  it('a first reply references its parent only', () => {
    expect(referencesChain({ messageId: 'p@x', references: [] })).toEqual(['p@x']);
  });
  it('appends the parent to its references, once', () => {
    expect(referencesChain({ messageId: 'c@x', references: ['a@x', 'b@x'] })).toEqual(['a@x', 'b@x', 'c@x']);
    expect(referencesChain({ messageId: 'b@x', references: ['a@x', 'b@x'] })).toEqual(['a@x', 'b@x']);
  });
  it('no parent, no references', () => {
    expect(referencesChain(null)).toEqual([]);
  });
  it('a long chain keeps the root and the newest', () => {
    const refs = Array.from({ length: 30 }, (_, i) => `m${i}@x`);
    const chain = referencesChain({ messageId: 'last@x', references: refs }, 5);
    expect(chain).toEqual(['m0@x', 'm27@x', 'm28@x', 'm29@x', 'last@x']);
    expect(referencesChain({ messageId: 'last@x', references: refs })).toHaveLength(20);
  });
});

describe('ticketNumberFromSubject', () => {
  it.each([
    ['Re: 快件未收到 [GD20261123000123]', 'GD20261123000123'],
    ['Re: 快件未收到 [GD20261123-000123]', 'GD20261123000123'],
    ['回复:快件未收到【GD20261123000123】', 'GD20261123000123'],
    ['about gd20261123000123 please', 'GD20261123000123'],
    ['工单GD20261123000123还没处理', 'GD20261123000123'],
    ['#GD20261123000123', 'GD20261123000123'],
    ['Re: GD20261122000001 and [GD20261123000123]', 'GD20261123000123'],
    ['Re: [GD20261122000001] Re: [GD20261123000123]', 'GD20261123000123'],
    ['SD20261123000009', 'SD20261123000009'],
  ])('%j → %j', (subject, number) => {
    expect(ticketNumberFromSubject(subject)).toBe(number);
  });
  it.each([
    ['快件未收到'],
    ['GD20261323000123'], // month 13
    ['GD20260230000123'], // 30 February
    ['GD20261123000000'], // sequence 0
    ['GD2026112300012'], // too short
    ['1GD20261123000123'], // glued to a digit before
    ['GD202611230001239'], // runs into more digits
    ['ABCDE20261123000123'], // prefix too long (the match would need a boundary)
    ['waybill SF1234567890123'],
  ])('%j has no ticket number', (subject) => {
    expect(ticketNumberFromSubject(subject)).toBeNull();
  });
  it('only the given prefixes, when given', () => {
    expect(ticketNumberFromSubject('[SD20261123000009]', ['GD'])).toBeNull();
    expect(ticketNumberFromSubject('[GD20261123000009]', ['GD'])).toBe('GD20261123000009');
  });
});

describe('reply subjects', () => {
  it.each([
    ['Re: RE: Fwd: 快件未收到', '快件未收到'],
    ['回复:答复: 快件未收到', '快件未收到'],
    ['转发:快件未收到', '快件未收到'],
    ['AW: Paket', 'Paket'],
    ['Re[2]: hello', 'hello'],
    ['Regarding my parcel', 'Regarding my parcel'],
    ['', ''],
  ])('stripReplyPrefixes(%j) → %j', (s, out) => {
    expect(stripReplyPrefixes(s)).toBe(out);
  });
  it.each([
    ['快件未收到', 'Re: 快件未收到 [GD20261123000123]'],
    ['Re: 快件未收到 [GD20261123000123]', 'Re: 快件未收到 [GD20261123000123]'],
    ['回复: Re: 快件未收到 [GD20261123-000123]', 'Re: 快件未收到 [GD20261123000123]'],
    ['Re: [GD20261123000123] 快件未收到', 'Re: 快件未收到 [GD20261123000123]'],
    ['【GD20261123000123】快件未收到', 'Re: 快件未收到 [GD20261123000123]'],
    ['', 'Re: [GD20261123000123]'],
    ['Re:', 'Re: [GD20261123000123]'],
  ])('replySubject(%j) → %j', (s, out) => {
    expect(replySubject(s, 'GD20261123000123')).toBe(out);
  });
  it('a reply subject carries a number the parser finds again', () => {
    expect(ticketNumberFromSubject(replySubject('快件未收到', 'GD20261123000123'))).toBe('GD20261123000123');
  });
});

describe('detectAutomated', () => {
  const base: AutomationInput = {
    headers: {},
    from: 'customer@example.com',
    envelopeFrom: 'customer@example.com',
    subject: '快件未收到',
    messageId: 'abc@example.com',
    ownMessageIdDomain: 'parceldesk.shunda.example',
    ownAddresses: ['service@shunda.example', 'kefu@shunda.example'],
  };
  const check = (over: Partial<AutomationInput>): ReturnType<typeof detectAutomated> => detectAutomated({ ...base, ...over });

  it('a person’s mail is not automated', () => {
    expect(check({})).toBeNull();
    expect(check({ headers: { 'auto-submitted': 'no' } })).toBeNull();
    expect(check({ headers: { 'auto-submitted': 'No ; comment' } })).toBeNull();
    expect(check({ headers: { precedence: 'first-class' } })).toBeNull();
    expect(check({ subject: 'Re: about my auto reply settings' })).toBeNull();
    expect(check({ envelopeFrom: null })).toBeNull();
  });
  it.each([
    [{ messageId: 'x@Parceldesk.Shunda.Example' }, 'loop'],
    [{ headers: { 'x-parceldesk-loop': '1' } }, 'loop'],
    [{ from: 'Service@Shunda.Example' }, 'loop'],
    [{ from: 'kefu@shunda.example' }, 'loop'],
    [{ headers: { 'auto-submitted': 'auto-replied' } }, 'auto_reply'],
    [{ headers: { 'auto-submitted': 'auto-generated' } }, 'auto_reply'],
    [{ headers: { 'x-autoreply': 'yes' } }, 'auto_reply'],
    [{ headers: { 'x-autorespond': 'whatever' } }, 'auto_reply'],
    [{ headers: { precedence: 'auto_reply' } }, 'auto_reply'],
    [{ headers: { precedence: 'bulk' } }, 'bulk'],
    [{ headers: { precedence: 'Junk' } }, 'bulk'],
    [{ headers: { precedence: 'list' } }, 'bulk'],
    [{ headers: { 'list-id': '<news.example.com>' } }, 'bulk'],
    [{ headers: { 'return-path': '<>' } }, 'auto_reply'],
    [{ headers: { 'return-path': '< >' } }, 'auto_reply'],
    [{ envelopeFrom: '' }, 'auto_reply'],
    [{ from: 'MAILER-DAEMON@mx.example.com' }, 'auto_reply'],
    [{ from: 'postmaster@example.com' }, 'auto_reply'],
    [{ from: 'noreply@example.com' }, 'auto_reply'],
    [{ from: 'do-not-reply@example.com' }, 'auto_reply'],
    [{ subject: '自动回复: 快件未收到' }, 'auto_reply'],
    [{ subject: '自动答复:快件未收到' }, 'auto_reply'],
    [{ subject: 'Auto-Reply: your mail' }, 'auto_reply'],
    [{ subject: 'AutoReply' }, 'auto_reply'],
    [{ subject: 'Automatic reply: 快件未收到' }, 'auto_reply'],
    [{ subject: 'Out of Office: back Monday' }, 'auto_reply'],
    [{ subject: 'Undeliverable: Re: 快件未收到' }, 'auto_reply'],
    [{ subject: 'Delivery Status Notification (Failure)' }, 'auto_reply'],
    [{ subject: '系统退信' }, 'auto_reply'],
  ] as [Partial<AutomationInput>, string][])('%j → %s', (over, kind) => {
    const r = check(over);
    expect(r?.kind).toBe(kind);
    expect(r?.reason.length).toBeGreaterThan(0);
  });
  it('a loop outranks an auto-reply, an auto-reply outranks bulk', () => {
    expect(check({ headers: { 'auto-submitted': 'auto-replied', 'x-parceldesk-loop': '1' } })?.kind).toBe('loop');
    expect(check({ headers: { 'auto-submitted': 'auto-replied', precedence: 'bulk' } })?.kind).toBe('auto_reply');
  });
});

describe('normaliseAddress', () => {
  it.each([
    [' Li.Lei@Example.COM ', 'li.lei@example.com'],
    ['a+b@mail.example.cn', 'a+b@mail.example.cn'],
  ])('%j → %j', (raw, out) => {
    expect(normaliseAddress(raw)).toBe(out);
  });
  it.each([[null], [undefined], [''], ['no-at'], ['a@b'], ['a b@c.com'], ['<a@b.com>'], ['a@b.com, c@d.com'], [`${'x'.repeat(250)}@b.com`]])('%j is no address', (raw) => {
    expect(normaliseAddress(raw)).toBeNull();
  });
});

describe('retryDelayMs', () => {
  const o = { baseMs: 60_000, maxMs: 3_600_000, maxAttempts: 6 };
  it.each([
    [1, 60_000],
    [2, 120_000],
    [3, 240_000],
    [4, 480_000],
    [5, 960_000],
    [6, null],
    [7, null],
  ])('after failure %i → %j', (attempt, ms) => {
    expect(retryDelayMs(attempt, o)).toBe(ms);
  });
  it('is capped', () => {
    expect(retryDelayMs(9, { baseMs: 60_000, maxMs: 300_000, maxAttempts: 20 })).toBe(300_000);
  });
  it('one attempt allowed: the first failure gives up', () => {
    expect(retryDelayMs(1, { ...o, maxAttempts: 1 })).toBeNull();
  });
  it.each([[0], [-1], [1.5], [Number.NaN]])('attempt %j is refused', (a) => {
    expect(() => retryDelayMs(a, o)).toThrow(RangeError);
  });
});
