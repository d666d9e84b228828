import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  backoffDelayMs,
  BACKOFF_SCHEDULE_MS,
  isDelivered,
  mapTicketEvent,
  nextAttemptAt,
  redirectTarget,
  signatureHeader,
  signPayload,
  subscriptionWants,
  truncate,
  verifySignature,
  webhookUrlProblem,
  type TicketEventLike,
} from '../../src/domain/webhooks.ts';

const SECRET = 'whsec_test_secret_0123456789';
const BODY = '{"id":"e1","type":"ticket.created","createdAt":"2026-11-23T10:00:00.000Z","data":{"ticket":{"number":"GD1"}}}';

describe('signPayload: HMAC-SHA256 over "<t>.<raw body>", hex', () => {
  it('matches an independent computation', () => {
    const expected = createHmac('sha256', SECRET).update(`1700000000.${BODY}`).digest('hex');
    expect(signPayload(SECRET, 1_700_000_000, BODY)).toBe(expected);
    expect(expected).toMatch(/^[0-9a-f]{64}$/);
  });
  it('changes with the secret, the timestamp and every byte of the body', () => {
    const base = signPayload(SECRET, 1_700_000_000, BODY);
    expect(signPayload(`${SECRET}x`, 1_700_000_000, BODY)).not.toBe(base);
    expect(signPayload(SECRET, 1_700_000_001, BODY)).not.toBe(base);
    expect(signPayload(SECRET, 1_700_000_000, BODY.replace('GD1', 'GD2'))).not.toBe(base);
    expect(signPayload(SECRET, 1_700_000_000, `${BODY} `)).not.toBe(base);
  });
});

describe('signatureHeader', () => {
  it('one secret: t and one v1', () => {
    expect(signatureHeader([SECRET], 1_700_000_000, BODY)).toBe(`t=1700000000,v1=${signPayload(SECRET, 1_700_000_000, BODY)}`);
  });
  it('after a rotation: one v1 per secret, the new one first', () => {
    const h = signatureHeader(['new', 'old'], 5, 'x');
    expect(h).toBe(`t=5,v1=${signPayload('new', 5, 'x')},v1=${signPayload('old', 5, 'x')}`);
  });
});

describe('verifySignature', () => {
  const t = 1_700_000_000;
  const header = signatureHeader([SECRET], t, BODY);
  const cases: [string, string | null | undefined, string, string, number, { ok: boolean; reason?: string }][] = [
    ['valid, same second', header, BODY, SECRET, t, { ok: true }],
    ['valid, 299 s later', header, BODY, SECRET, t + 299, { ok: true }],
    ['valid, exactly at tolerance', header, BODY, SECRET, t + 300, { ok: true }],
    ['too old (replay)', header, BODY, SECRET, t + 301, { ok: false, reason: 'too_old' }],
    ['from the future', header, BODY, SECRET, t - 301, { ok: false, reason: 'too_new' }],
    ['wrong secret', header, BODY, 'whsec_other', t, { ok: false, reason: 'no_match' }],
    ['body changed', header, BODY.replace('GD1', 'GD9'), SECRET, t, { ok: false, reason: 'no_match' }],
    ['body re-serialised (whitespace)', header, JSON.stringify(JSON.parse(BODY), null, 1), SECRET, t, { ok: false, reason: 'no_match' }],
    ['timestamp changed in the header', header.replace(`t=${t}`, `t=${t + 1}`), BODY, SECRET, t, { ok: false, reason: 'no_match' }],
    ['rotated: the old secret still matches its v1', signatureHeader(['whsec_new', SECRET], t, BODY), BODY, SECRET, t, { ok: true }],
    ['rotated: the new secret matches too', signatureHeader(['whsec_new', SECRET], t, BODY), BODY, 'whsec_new', t, { ok: true }],
    ['missing header', undefined, BODY, SECRET, t, { ok: false, reason: 'malformed' }],
    ['empty header', '', BODY, SECRET, t, { ok: false, reason: 'malformed' }],
    ['no v1', `t=${t}`, BODY, SECRET, t, { ok: false, reason: 'malformed' }],
    ['no t', `v1=${signPayload(SECRET, t, BODY)}`, BODY, SECRET, t, { ok: false, reason: 'malformed' }],
    ['two t', `t=${t},t=${t},v1=${signPayload(SECRET, t, BODY)}`, BODY, SECRET, t, { ok: false, reason: 'malformed' }],
    ['t not a number', `t=abc,v1=${signPayload(SECRET, t, BODY)}`, BODY, SECRET, t, { ok: false, reason: 'malformed' }],
    ['v1 not hex', `t=${t},v1=zz`, BODY, SECRET, t, { ok: false, reason: 'malformed' }],
    ['v1 too short', `t=${t},v1=${signPayload(SECRET, t, BODY).slice(0, 63)}`, BODY, SECRET, t, { ok: false, reason: 'malformed' }],
    ['part without =', `t=${t},garbage`, BODY, SECRET, t, { ok: false, reason: 'malformed' }],
    ['unknown scheme ignored (v0), v1 checked', `t=${t},v0=abc,v1=${signPayload(SECRET, t, BODY)}`, BODY, SECRET, t, { ok: true }],
  ];
  it.each(cases)('%s', (_label, h, body, secret, now, expected) => {
    const r = verifySignature(h, body, secret, now);
    expect(r.ok).toBe(expected.ok);
    if (!r.ok) expect(r.reason).toBe(expected.reason);
    else expect(r.timestamp).toBe(t);
  });
  it('a custom tolerance', () => {
    expect(verifySignature(header, BODY, SECRET, t + 30, 10)).toEqual({ ok: false, reason: 'too_old' });
    expect(verifySignature(header, BODY, SECRET, t + 10, 10)).toEqual({ ok: true, timestamp: t });
  });
});

describe('back-off', () => {
  const S = 1_000;
  const M = 60 * S;
  const H = 60 * M;
  it.each([
    [1, 10 * S], [2, M], [3, 5 * M], [4, 30 * M], [5, 2 * H], [6, 6 * H], [7, 12 * H], [8, 24 * H], [9, 24 * H], [50, 24 * H],
  ])('after %i failed attempt(s): wait %i ms', (n, ms) => {
    expect(backoffDelayMs(n)).toBe(ms);
  });
  it('the schedule only grows', () => {
    for (let i = 1; i < BACKOFF_SCHEDULE_MS.length; i++) expect(BACKOFF_SCHEDULE_MS[i]!).toBeGreaterThan(BACKOFF_SCHEDULE_MS[i - 1]!);
  });
  it.each([0, -1, 1.5, Number.NaN])('refuses %s failed attempts', (n) => {
    expect(() => backoffDelayMs(n)).toThrow(RangeError);
  });

  const now = new Date('2026-11-23T10:00:00.000Z');
  it.each([
    [1, 8, '2026-11-23T10:00:10.000Z'],
    [2, 8, '2026-11-23T10:01:00.000Z'],
    [3, 8, '2026-11-23T10:05:00.000Z'],
    [7, 8, '2026-11-23T22:00:00.000Z'],
    [8, 8, null],
    [9, 8, null],
    [1, 1, null],
    [1, 2, '2026-11-23T10:00:10.000Z'],
    [2, 2, null],
  ])('after attempt %i of at most %i: next at %s', (attempts, max, expected) => {
    expect(nextAttemptAt(attempts, max, now)?.toISOString() ?? null).toBe(expected);
  });
  it('with the default 8 attempts a delivery is given up after about 20.6 hours of retrying', () => {
    let t = now;
    let attempts = 1;
    for (;;) {
      const next = nextAttemptAt(attempts, 8, t);
      if (!next) break;
      t = next;
      attempts += 1;
    }
    expect(attempts).toBe(8);
    expect((t.getTime() - now.getTime()) / 3_600_000).toBeCloseTo(10 / 3600 + 1 / 60 + 5 / 60 + 0.5 + 2 + 6 + 12, 6);
  });
});

describe('isDelivered: 2xx only', () => {
  it.each([[200, true], [201, true], [204, true], [299, true], [199, false], [300, false], [302, false], [400, false], [410, false], [500, false], [503, false]])('%i → %s', (s, ok) => {
    expect(isDelivered(s)).toBe(ok);
  });
});

describe('webhookUrlProblem', () => {
  it.each([
    ['https://hooks.example.com/parceldesk', null],
    ['http://127.0.0.1:8080/in', null],
    ['https://example.com:8443/a?b=c', null],
    ['ftp://example.com/x', 'only http and https'],
    ['file:///etc/passwd', 'only http and https'],
    ['javascript:alert(1)', 'only http and https'],
    ['data:text/plain,hi', 'only http and https'],
    ['gopher://example.com', 'only http and https'],
    ['example.com/hook', 'not an absolute URL'],
    ['/relative/path', 'not an absolute URL'],
    ['', 'not an absolute URL'],
    ['https://user:pass@example.com/', 'credentials'],
    ['https://token@example.com/', 'credentials'],
    ['https://example.com/#frag', 'fragment'],
    [`https://example.com/${'a'.repeat(2000)}`, 'longer than 2000'],
  ])('%s → %s', (url, problem) => {
    const p = webhookUrlProblem(url);
    if (problem === null) expect(p).toBeNull();
    else expect(p).toContain(problem);
  });
});

describe('redirectTarget: only 307/308 to the same origin', () => {
  const from = 'https://hooks.example.com/in';
  it.each([
    [307, '/v2/in', 'https://hooks.example.com/v2/in'],
    [308, 'https://hooks.example.com/other', 'https://hooks.example.com/other'],
    [307, 'https://evil.example.net/in', null],
    [308, 'http://hooks.example.com/in', null],
    [307, 'https://hooks.example.com:8443/in', null],
    [307, '//evil.example.net/in', null],
    [301, '/v2/in', null],
    [302, '/v2/in', null],
    [303, '/v2/in', null],
    [307, null, null],
    [307, 'http://[bad', null],
  ])('%i to %s → %s', (status, location, expected) => {
    expect(redirectTarget(from, status, location)).toBe(expected);
  });
});

describe('mapTicketEvent: which ticket events are webhooks', () => {
  const ev = (kind: string, over: Partial<TicketEventLike> = {}): TicketEventLike => ({
    id: 7, kind, actorId: 'u1', visibility: 'internal', body: null, data: {}, createdAt: '2026-11-23T10:00:00.000Z', ...over,
  });
  it.each([
    ['created', 'ticket.created'],
    ['message', 'message.created'],
    ['note', 'message.created'],
    ['status', 'ticket.updated'],
    ['assignment', 'ticket.updated'],
    ['handover', 'ticket.updated'],
    ['update', 'ticket.updated'],
    ['merge', 'ticket.updated'],
    ['sla_breach', 'sla.breached'],
    ['sla_warning', null],
    ['escalation', null],
    ['escalation_answer', null],
    ['link', null],
    ['call', null],
    ['walk_in', null],
    ['order', null],
    ['claim', null],
    ['problem_case', null],
    ['problem_step', null],
    ['courier_contacted', null],
    ['customer_notified', null],
    ['callback_request', null],
    ['something_new', null],
  ])('%s → %s', (kind, type) => {
    expect(mapTicketEvent(ev(kind))?.type ?? null).toBe(type);
  });

  it('a public message: body, author and visibility; not internal', () => {
    expect(mapTicketEvent(ev('message', { visibility: 'public', body: '您好', data: { author: 'customer' } }))).toEqual({
      type: 'message.created', internal: false,
      message: { id: 7, visibility: 'public', author: 'customer', authorId: 'u1', body: '您好', createdAt: '2026-11-23T10:00:00.000Z' },
    });
    expect(mapTicketEvent(ev('message', { visibility: 'public', body: 'x', data: { author: 'agent' } }))).toMatchObject({ internal: false, message: { author: 'agent' } });
  });
  it('an internal note is marked internal', () => {
    expect(mapTicketEvent(ev('note', { body: '内部', data: { author: 'agent' } }))).toMatchObject({ type: 'message.created', internal: true, message: { visibility: 'internal', body: '内部' } });
  });
  it('changes carry ids and field names, never free text (hand-over and merge reasons)', () => {
    expect(mapTicketEvent(ev('status', { data: { from: 'new', to: 'open', waitingOn: null, reason: 'first reply', reopened: false } }))).toEqual({
      type: 'ticket.updated', change: { kind: 'status', from: 'new', to: 'open', waitingOn: null, reopened: false },
    });
    expect(mapTicketEvent(ev('handover', { data: { fromOwnerId: 'a', fromTeamId: 't1', toOwnerId: 'b', toTeamId: 't2', reason: '客户私事' } }))).toEqual({
      type: 'ticket.updated', change: { kind: 'handover', fromOwnerId: 'a', fromTeamId: 't1', toOwnerId: 'b', toTeamId: 't2' },
    });
    expect(mapTicketEvent(ev('update', { data: { changes: { priority: { from: 'normal', to: 'high' }, category_id: { from: null, to: 'c' }, special_groups: { from: [], to: ['vip'] } } } }))).toEqual({
      type: 'ticket.updated', change: { kind: 'update', fields: ['priority', 'categoryId', 'specialGroups'] },
    });
    expect(mapTicketEvent(ev('merge', { data: { into: 'T2', intoNumber: 'GD2', reason: '重复' } }))).toEqual({ type: 'ticket.updated', change: { kind: 'merge', intoTicketId: 'T2', fromTicketId: null } });
    expect(mapTicketEvent(ev('assignment', { data: { ownerId: 'a', teamId: 't', by: 'take' } }))).toEqual({ type: 'ticket.updated', change: { kind: 'assignment', ownerId: 'a', teamId: 't', by: 'take' } });
    expect(JSON.stringify(mapTicketEvent(ev('handover', { data: { reason: '客户私事' } })))).not.toContain('客户私事');
  });
  it('an SLA breach names the clock and its deadline', () => {
    expect(mapTicketEvent(ev('sla_breach', { data: { clock: 'first_response', dueAt: '2026-11-23T09:00:00.000Z', notified: ['x'] } }))).toEqual({
      type: 'sla.breached', sla: { clock: 'first_response', dueAt: '2026-11-23T09:00:00.000Z' },
    });
  });
});

describe('subscriptionWants', () => {
  it.each([
    [['ticket.created'], false, 'ticket.created', false, true],
    [['ticket.created'], false, 'ticket.updated', false, false],
    [['message.created'], false, 'message.created', false, true],
    [['message.created'], false, 'message.created', true, false],
    [['message.created'], true, 'message.created', true, true],
    [['ticket.created'], true, 'message.created', true, false],
    [[], true, 'sla.breached', false, false],
  ])('events %j, includeInternal %s: %s (internal %s) → %s', (events, includeInternal, type, internal, wants) => {
    expect(subscriptionWants({ events, includeInternal }, type, internal)).toBe(wants);
  });
});

describe('truncate', () => {
  it.each([['abc', 5, 'abc'], ['abcde', 5, 'abcde'], ['abcdef', 5, 'abcde…'], ['', 5, '']])('%s / %i → %s', (s, n, out) => {
    expect(truncate(s, n)).toBe(out);
  });
});
