/**
 * The language guard over HTTP and the WebSocket (issue 5, Q1): POST /guard/check answers with
 * findings and stores nothing; a staff member's public reply with blocking findings is refused
 * (422 guard_blocked, the findings in the message and as error.details.findings) unless it carries guardOverride { reason },
 * and every override is a guard_override ticket event and an audit entry; internal notes and
 * customers' messages are not guarded; a change to the guard.rules setting applies at once; an
 * agent's blocked chat message comes back as an error frame.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { V1_DEFAULT_GUARD_RULES } from '../../src/domain/language-guard-v1.ts';
import { ChatWs } from '../support/chat-client.ts';
import { startHarness, type Client, type Harness, type TestUser } from '../support/harness.ts';

let h: Harness;
let agent: TestUser;
let supervisor: TestUser;
const sockets: ChatWs[] = [];

beforeAll(async () => {
  h = await startHarness();
  agent = await h.user('agent');
  supervisor = await h.user('supervisor');
});
afterAll(async () => {
  for (const s of sockets) await s.close();
  await h?.close();
});

const check = (client: Client, text: string, channel = 'chat') => client.post('/api/v1/guard/check', { text, channel });

async function newTicket(channel = 'chat'): Promise<string> {
  const res = await agent.client.post('/api/v1/tickets', { type: 'consultation', channel, subject: '话术检查' });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}
async function events(ticketId: string): Promise<{ kind: string; body: string | null; data: any; visibility: string }[]> {
  const res = await agent.client.get(`/api/v1/tickets/${ticketId}/events`);
  expect(res.status).toBe(200);
  return res.body.items;
}
async function auditFor(ticketId: string, action: string): Promise<{ action: string; data: any }[]> {
  const res = await supervisor.client.get(`/api/v1/audit?entityType=ticket&entityId=${ticketId}&action=${action}&limit=50`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items;
}

describe('POST /api/v1/guard/check', () => {
  it('returns the findings with category, span, severity, suggestion and whether it is advice; an empty list for clean text', async () => {
    const text = '这事不归我管,派件员明天联系您😊';
    const res = await check(agent.client, text);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.findings.map((f: any) => [f.category, f.severity, text.slice(f.start, f.end), f.suggestion, f.advice])).toEqual([
      ['forbidden', 'block', '这事不归我管', '这个问题我来帮您联系相关同事处理,处理结果第一时间告诉您', false],
      ['jargon', 'warn', '派件员', '送货师傅', false],
      ['slang', 'warn', '😊', '请删去表情符号,用文字表达', true],
    ]);
    // The same text spoken on the phone: emoji are a written-channel rule.
    expect((await check(agent.client, text, 'phone')).body.findings.map((f: any) => f.category)).toEqual(['forbidden', 'jargon']);
    const clean = await check(agent.client, '您好,这里是顺达快递客服,已收到您的问题,正在为您核实,请稍等。');
    expect(clean.status).toBe(200);
    expect(clean.body).toEqual({ findings: [] });
    expect((await check(agent.client, '您不知道单号也没关系,我用手机号帮您查')).body.findings).toEqual([]);
  });

  it('is for staff and integrations: QA and an integration key may, a customer and a guest may not', async () => {
    const qa = await h.user('qa_inspector');
    const integration = await h.apiKey('integration');
    expect((await check(qa.client, '我哪知道')).body.findings[0].ruleId).toBe('forbidden.dont_know');
    expect((await check(integration, '我哪知道')).status).toBe(200);
    const customer = await h.user('customer');
    expect((await check(customer.client, '我哪知道')).status).toBe(403);
    expect((await check(h.anon, '我哪知道')).status).toBe(401);
  });

  it('refuses a bad body with 400', async () => {
    expect((await agent.client.post('/api/v1/guard/check', { text: '你好', channel: 'fax' })).status).toBe(400);
    expect((await agent.client.post('/api/v1/guard/check', { text: '', channel: 'chat' })).status).toBe(400);
    expect((await agent.client.post('/api/v1/guard/check', { channel: 'chat' })).status).toBe(400);
  });
});

describe('the reply endpoint runs the guard', () => {
  it('refuses a public reply with blocking findings (422 guard_blocked), stores nothing, and names the findings', async () => {
    const id = await newTicket();
    const before = await events(id);
    const res = await agent.client.post(`/api/v1/tickets/${id}/messages`, { body: '你怎么不早说?这不关我的事。', visibility: 'public' });
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error.code).toBe('guard_blocked');
    expect(res.body.error.message).toContain('「你怎么不早说?」(rhetorical)');
    expect(res.body.error.message).toContain('「这不关我的事」(forbidden)');
    expect(res.body.error.message).toContain('guardOverride');
    // The same findings as structured data, exactly as POST /guard/check answers (the web reply box shows them).
    expect(Object.keys(res.body.error).sort()).toEqual(['code', 'details', 'message']);
    const checked = await check(agent.client, '你怎么不早说?这不关我的事。');
    expect(res.body.error.details).toEqual({ findings: checked.body.findings.filter((f: any) => f.severity === 'block') });
    expect(res.body.error.details.findings.map((f: any) => [f.category, f.severity, f.text])).toEqual([
      ['rhetorical', 'block', '你怎么不早说?'],
      ['forbidden', 'block', '这不关我的事'],
    ]);
    expect(res.body.error.details.findings[0]).toEqual({ ruleId: expect.any(String), category: 'rhetorical', severity: 'block', start: 0, end: 7, text: '你怎么不早说?', suggestion: expect.any(String), advice: false });
    expect(await events(id)).toEqual(before);
    expect(await auditFor(id, 'ticket.reply')).toEqual([]);
  });

  it('lets warnings through, and the existing agents\u2019 wording stays clean', async () => {
    const id = await newTicket();
    const warn = await agent.client.post(`/api/v1/tickets/${id}/messages`, { body: '派件员明天上午联系您。', visibility: 'public' });
    expect(warn.status, JSON.stringify(warn.body)).toBe(201);
    const greet = await agent.client.post(`/api/v1/tickets/${id}/messages`, { body: '您好,这里是顺达快递客服,已收到您的问题,正在为您核实,请稍等。', visibility: 'public' });
    expect(greet.status).toBe(201);
    expect((await events(id)).filter((e) => e.kind === 'guard_override')).toEqual([]);
  });

  it('sends with guardOverride { reason }, recording the override as a ticket event and an audit entry for QA', async () => {
    const id = await newTicket();
    const body = '客户原话:不知道。我已记录。';
    const res = await agent.client.post(`/api/v1/tickets/${id}/messages`, { body, visibility: 'public', guardOverride: { reason: '复述客户原话' } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.body).toBe(body);
    const tl = await events(id);
    const override = tl.find((e) => e.kind === 'guard_override');
    expect(override).toMatchObject({ visibility: 'internal', body: '复述客户原话' });
    expect(override!.data.findings).toEqual([{ ruleId: 'forbidden.dont_know', category: 'forbidden', start: 5, end: 8, text: '不知道' }]);
    expect(tl.some((e) => e.kind === 'message' && e.body === body)).toBe(true);
    const entries = await auditFor(id, 'guard.override');
    expect(entries).toHaveLength(1);
    expect(entries[0]!.data).toMatchObject({ reason: '复述客户原话', findings: [{ ruleId: 'forbidden.dont_know' }] });
    // An empty reason is no override.
    expect((await agent.client.post(`/api/v1/tickets/${id}/messages`, { body, visibility: 'public', guardOverride: { reason: '  ' } })).status).toBe(400);
  });

  it('does not guard internal notes, nor the customer\u2019s own messages', async () => {
    const id = await newTicket();
    const note = await agent.client.post(`/api/v1/tickets/${id}/messages`, { body: '客户说:你自己看着办。', visibility: 'internal' });
    expect(note.status, JSON.stringify(note.body)).toBe(201);

    const customer = await h.user('customer');
    const own = await customer.client.post('/api/v1/tickets', { type: 'complaint', channel: 'web', subject: '投诉' });
    expect(own.status, JSON.stringify(own.body)).toBe(201);
    const msg = await customer.client.post(`/api/v1/tickets/${own.body.id}/messages`, { body: '你们怎么不早说?随便你们吧😡', visibility: 'public' });
    expect(msg.status, JSON.stringify(msg.body)).toBe(201);
  });

  it('guards replies on every channel of ticket (a phone or mail ticket too)', async () => {
    for (const channel of ['phone', 'email']) {
      const id = await newTicket(channel);
      const res = await agent.client.post(`/api/v1/tickets/${id}/messages`, { body: '是你自己填错地址了吧?', visibility: 'public' });
      expect(res.status, channel).toBe(422);
      expect(res.body.error.message).toContain('(blame)');
    }
  });
});

describe('error details', () => {
  it('only errors that carry details send them; the OpenAPI document describes the shared error shape', async () => {
    const missing = await agent.client.get(`/api/v1/tickets/${randomUUID()}`);
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
    // A schema refusal carries its issues (field, zod code, limits) for clients to word.
    const invalid = await agent.client.post('/api/v1/guard/check', { text: '', channel: 'chat' });
    expect(invalid.body).toEqual({ error: { code: 'validation_failed', message: expect.any(String), details: { issues: [expect.objectContaining({ field: 'text', code: 'too_small', minimum: 1 })] } } });
    const doc = (await h.anon.get('/api/openapi.json')).body;
    expect(doc.components.schemas.Error.properties.error.required).toEqual(['code', 'message']);
    expect(doc.components.schemas.Error.properties.error.properties.details.description).toContain('guard_blocked');
  });
});

describe('the rules are a setting', () => {
  const currentConfig = async (): Promise<any> => {
    const res = await supervisor.client.get('/api/v1/settings');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body['guard.rules'];
  };

  it('a change applies at once, without a restart: a rule, a word added to a lexicon class', async () => {
    const phrase = `测试禁语${randomUUID().slice(0, 6)}`;
    expect((await check(agent.client, `${phrase},请稍等`)).body.findings).toEqual([]);
    const config = await currentConfig();
    expect(config).toMatchObject({ version: 2, classes: { SELF: expect.arrayContaining(['我', '本人']) } });
    const extra = { id: 'forbidden.test', category: 'forbidden', phrases: [phrase], severity: 'block', channels: ['chat'], suggestion: '请稍等,我马上处理' };
    const advised = { id: 'jargon.test', category: 'jargon', phrases: [`测试行话${phrase.slice(4)}`], severity: 'warn', channels: ['chat'], suggestion: '请说清楚是哪一件', advice: true };
    const categoryDefault = { id: 'forbidden.test2', category: 'forbidden', phrases: [`测试默认${phrase.slice(4)}`], severity: 'block', channels: ['chat'] };
    const classes = { ...config.classes, CUSTOMER: [...config.classes.CUSTOMER, '阁下'] };
    const put = await supervisor.client.put('/api/v1/settings/guard.rules', { ...config, classes, adviceCategories: ['forbidden'], rules: [...config.rules, extra, advised, categoryDefault] });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    try {
      // `advice` is data: on a rule, and on a category's default suggestion.
      expect((await check(agent.client, `测试行话${phrase.slice(4)}`)).body.findings.map((f: any) => [f.ruleId, f.suggestion, f.advice])).toEqual([['jargon.test', '请说清楚是哪一件', true]]);
      expect((await check(agent.client, `测试默认${phrase.slice(4)}`)).body.findings.map((f: any) => [f.ruleId, f.advice])).toEqual([['forbidden.test2', true]]);
      expect((await supervisor.client.put('/api/v1/settings/guard.rules', { ...config, rules: [{ ...advised, advice: 'yes' }] })).status).toBe(400);
      expect((await check(agent.client, `${phrase},请稍等`)).body.findings).toMatchObject([{ ruleId: 'forbidden.test', start: 0, end: phrase.length }]);
      expect((await check(agent.client, '阁下怎么不早说?')).body.findings).toMatchObject([{ ruleId: 'rhetorical.why_not_earlier', text: '阁下怎么不早说?' }]);
      const id = await newTicket();
      const res = await agent.client.post(`/api/v1/tickets/${id}/messages`, { body: `${phrase},请稍等`, visibility: 'public' });
      expect(res.status).toBe(422);
      // A rule whose pattern does not compile, or names an unknown class, is refused (422, naming the rule).
      const bad = await supervisor.client.put('/api/v1/settings/guard.rules', { ...config, rules: [{ ...extra, phrases: undefined, pattern: '(unclosed' }] });
      expect(bad.status).toBe(422);
      expect(bad.body.error.details.ruleId).toBe('forbidden.test');
      const unknown = await supervisor.client.put('/api/v1/settings/guard.rules', { ...config, rules: [{ ...extra, phrases: undefined, pattern: '{NOPE}不知道' }] });
      expect(unknown.status).toBe(422);
      expect(unknown.body.error.message).toContain('unknown class {NOPE}');
      expect((await agent.client.put('/api/v1/settings/guard.rules', config)).status).toBe(403);
    } finally {
      expect((await supervisor.client.put('/api/v1/settings/guard.rules', config)).status).toBe(200);
    }
    expect((await check(agent.client, `${phrase},请稍等`)).body.findings).toEqual([]);
  });

  it('an old-shape value (a bare array of rules) still loads, stored or submitted, and is upgraded', async () => {
    const config = await currentConfig();
    const custom = { id: 'forbidden.legacy', category: 'forbidden', pattern: '回头(?:再)?说', severity: 'block', channels: ['chat', 'phone', 'email'], suggestion: '请您稍等,我马上处理' };
    try {
      // As an earlier version stored it: straight into the table.
      const editedEmoji = { ...V1_DEFAULT_GUARD_RULES.find((r) => r.id === 'slang.emoji')!, channels: ['chat'] };
      await h.ctx.db.pool.query(`INSERT INTO settings (key, value) VALUES ('guard.rules', $1) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`, [JSON.stringify([...V1_DEFAULT_GUARD_RULES.filter((r) => r.id !== 'slang.emoji'), editedEmoji, custom])]);
      const loaded = await currentConfig();
      expect(loaded.version).toBe(2);
      expect(loaded.rules.map((r: any) => r.id)).toEqual(expect.arrayContaining(['forbidden.legacy', 'forbidden.impatience']));
      expect((await check(agent.client, '回头再说吧')).body.findings.map((f: any) => f.ruleId)).toEqual(['forbidden.legacy']);
      expect((await check(agent.client, '这事儿不归我们这边管')).body.findings.map((f: any) => f.ruleId)).toEqual(['forbidden.not_my_business']);
      // Rules from before the advice field: the shipped advice stays advice, also in a rule the admin edited otherwise.
      expect((await check(agent.client, '好的😊')).body.findings.map((f: any) => [f.ruleId, f.advice])).toEqual([['slang.emoji', true]]);
      // A current-shape value stored before rules carried `advice` (and before adviceCategories).
      const { adviceCategories: _dropped, ...bare } = config;
      const unflagged = { ...bare, rules: config.rules.map(({ advice: _a, ...r }: any) => r) };
      await h.ctx.db.pool.query(`UPDATE settings SET value = $1 WHERE key = 'guard.rules'`, [JSON.stringify(unflagged)]);
      expect((await check(agent.client, '好的😊,派件员')).body.findings.map((f: any) => [f.ruleId, f.advice])).toEqual([['slang.emoji', true], ['jargon.courier', false]]);
      // Submitted in the old shape: accepted and stored upgraded.
      const put = await supervisor.client.put('/api/v1/settings/guard.rules', [...V1_DEFAULT_GUARD_RULES, custom]);
      expect(put.status, JSON.stringify(put.body)).toBe(200);
      expect(put.body.value.version).toBe(2);
      const { rows } = await h.ctx.db.pool.query<{ value: any }>(`SELECT value FROM settings WHERE key = 'guard.rules'`);
      expect(rows[0]!.value.version).toBe(2);
      expect((await supervisor.client.put('/api/v1/settings/guard.rules', [{ ...custom, pattern: '(unclosed' }])).status).toBe(422);
    } finally {
      expect((await supervisor.client.put('/api/v1/settings/guard.rules', config)).status).toBe(200);
    }
    expect((await check(agent.client, '回头再说吧')).body.findings).toEqual([]);
  });
});

describe('chat over the WebSocket', () => {
  it('an agent\u2019s blocked chat message comes back as an error frame, and nothing reaches the customer', async () => {
    const teamId = await h.team();
    const { rows } = await h.ctx.db.pool.query<{ code: string }>('SELECT code FROM teams WHERE id = $1', [teamId]);
    const chatAgent = await h.user('agent', { teamIds: [teamId] });
    await chatAgent.client.put('/api/v1/chat/presence', { status: 'online', capacity: 3 });
    const start = await h.anon.post('/api/v1/chat/conversations', { name: '李先生', phone: '13912345679', team: rows[0]!.code, message: '我的快递呢' });
    expect(start.status, JSON.stringify(start.body)).toBe(201);
    const conversationId = start.body.conversation.id;
    const cws = await ChatWs.open(h.url, { conversationId, token: start.body.visitorToken });
    sockets.push(cws);
    cws.send({ type: 'hello' });
    expect((await cws.next((f) => f.type === 'history')).conversation.status).toBe('active');
    const aws = await ChatWs.open(h.url, { bearer: chatAgent.client.token! });
    sockets.push(aws);
    aws.send({ type: 'watch', conversationId });
    await aws.next((f) => f.type === 'history');

    aws.send({ type: 'message', conversationId, clientId: `a-${randomUUID()}`, body: '我哪知道,你自己去查吧' });
    const err = await aws.next((f) => f.type === 'error');
    expect(err.code).toBe('guard_blocked');
    expect(err.message).toContain('「我哪知道」');

    aws.send({ type: 'message', conversationId, clientId: `a-${randomUUID()}`, body: '我帮您查一下' });
    const reply = await cws.next((f) => f.type === 'message' && f.message.author === 'agent');
    expect(reply.message.body).toBe('我帮您查一下');
    expect(cws.frames.filter((f) => f.type === 'message' && f.message.author === 'agent').map((f) => f.message.body)).toEqual(['我帮您查一下']);
    await chatAgent.client.put('/api/v1/chat/presence', { status: 'offline' });
  });
});
