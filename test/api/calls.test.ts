/**
 * Phone calls over HTTP (issue 4, SPEC C4/C6): the telephony system posts call events; a call
 * opens or joins the caller's ticket, every event is kept once, holds and transfers record what
 * C6 asks, the measures (answer time against 15 s, talk, hold, abandoned) are kept per call, and
 * the agent's screen-pop shows the caller masked with their tickets and parcels.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Client, type Harness, type TestUser } from '../support/harness.ts';

let h: Harness;
let cti: Client;
let agent: TestUser;
let agentTwo: TestUser;
let extension: string;
let extensionTwo: string;

const t0 = Date.parse('2026-11-23T02:00:00Z');
const at = (s: number): string => new Date(t0 + s * 1000).toISOString();

beforeAll(async () => {
  h = await startHarness();
  cti = await h.apiKey('integration' as never);
  agent = await h.user('agent');
  agentTwo = await h.user('agent');
  extension = `8${h.uid().replace(/\D/g, '').padEnd(4, '1').slice(0, 4)}`;
  extensionTwo = `9${h.uid().replace(/\D/g, '').padEnd(4, '2').slice(0, 4)}`;
  const admin = await h.user('admin');
  for (const [u, ext] of [[agent, extension], [agentTwo, extensionTwo]] as const) {
    const res = await admin.client.patch(`/api/v1/users/${u.id}`, { phoneExtension: ext });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.phoneExtension).toBe(ext);
  }
  // One extension, one agent; and agents do not set their own.
  expect((await admin.client.patch(`/api/v1/users/${agentTwo.id}`, { phoneExtension: extension })).status).toBe(409);
  expect((await agent.client.patch(`/api/v1/users/${agent.id}`, { phoneExtension: '1234' })).status).toBe(403);
  expect((await admin.client.patch(`/api/v1/users/${agent.id}`, { phoneExtension: 'ext-1' })).status).toBe(400);
});
afterAll(async () => {
  await h?.close();
});

const phone = (): string => `137${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
const post = (body: Record<string, unknown>) => cti.post('/api/v1/telephony/events', body);

async function timeline(ticketId: string): Promise<{ kind: string; body: string }[]> {
  return (await agent.client.get(`/api/v1/tickets/${ticketId}/events`)).body.items;
}

describe('a call from a new caller', () => {
  it('opens a phone ticket, is answered, held with reason, transferred with consent, ended — measured and timed', async () => {
    const callId = `c-${h.uid()}`;
    const caller = phone();
    const ring = await post({ callId, event: 'ringing', at: at(0), caller, extension });
    expect(ring.status, JSON.stringify(ring.body)).toBe(200);
    const ticketId = ring.body.call.ticketId;
    expect(ticketId).toBeTruthy();
    expect(ring.body.call).toMatchObject({ status: 'ringing', caller: `${caller.slice(0, 3)}****${caller.slice(-4)}`, agentId: agent.id });

    // The screen-pop for the ringing agent.
    const panel = await agent.client.get('/api/v1/telephony/panel');
    expect(panel.status).toBe(200);
    expect(panel.body.call.callId).toBe(callId);
    expect(panel.body.customer.phone).toBe(`${caller.slice(0, 3)}****${caller.slice(-4)}`);
    expect(panel.body.recentTickets.map((t: { id: string }) => t.id)).toContain(ticketId);

    const answered = await post({ callId, event: 'answered', at: at(12), extension });
    expect(answered.body.call).toMatchObject({ status: 'answered', measures: { answerMs: 12_000, answeredWithinTarget: true } });
    // A retried event changes nothing.
    const retry = await post({ callId, event: 'answered', at: at(12), extension });
    expect(retry.body.duplicate).toBe(true);

    const noReason = await post({ callId, event: 'hold', eventId: 'h1', at: at(60) });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.message).toContain('expectedWaitSeconds');
    expect((await post({ callId, event: 'hold', eventId: 'h1', at: at(60), reason: '查询快件轨迹', expectedWaitSeconds: 60 })).body.call.status).toBe('on_hold');
    expect((await post({ callId, event: 'resume', eventId: 'r1', at: at(90) })).body.call.status).toBe('answered');

    const noConsent = await post({ callId, event: 'transfer', eventId: 't1', at: at(100), reason: '理赔问题', toExtension: extensionTwo });
    expect(noConsent.status).toBe(400);
    expect(noConsent.body.error.message).toContain('consent');
    const moved = await post({ callId, event: 'transfer', eventId: 't1', at: at(100), reason: '理赔问题', toExtension: extensionTwo, consent: true });
    expect(moved.body.call).toMatchObject({ agentId: agentTwo.id, agentExtension: extensionTwo });

    const ended = await post({ callId, event: 'ended', at: at(300), recordingUrl: 'https://pbx.example.com/rec/1.wav' });
    expect(ended.body.call).toMatchObject({
      status: 'ended',
      recordingUrl: 'https://pbx.example.com/rec/1.wav',
      measures: { answerMs: 12_000, answeredWithinTarget: true, holdMs: 30_000, holds: 1, talkMs: 300_000 - 12_000 - 30_000, abandoned: false },
    });
    expect((await post({ callId, event: 'hold', eventId: 'h2', at: at(310), reason: '再查一下', expectedWaitSeconds: 10 })).status).toBe(409);

    const events = await timeline(ticketId);
    const calls = events.filter((e) => e.kind === 'call').map((e) => e.body);
    expect(calls).toEqual([
      '来电振铃(分机 ' + extension + ')',
      '电话已接听,等待 12 秒',
      '通话保持:查询快件轨迹,告知客户预计等待 60 秒',
      '结束保持,继续通话',
      `转接至分机 ${extensionTwo}:理赔问题(客户已同意)`,
      '通话结束,通话 258 秒,保持 30 秒',
    ]);
    const ticket = (await agent.client.get(`/api/v1/tickets/${ticketId}`)).body;
    expect(ticket).toMatchObject({ channel: 'phone' });
    const audit = await h.ctx.db.pool.query<{ action: string }>('SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY id', [callId]);
    expect(audit.rows.map((r) => r.action)).toEqual(['call.ringing', 'call.answered', 'call.hold', 'call.resume', 'call.transfer', 'call.ended']);
    // The agent's panel is empty once the call is over.
    expect((await agentTwo.client.get('/api/v1/telephony/panel')).body.call).toBeNull();
  });

  it('a retried first event opens one ticket, not two', async () => {
    const callId = `c-${h.uid()}`;
    const caller = phone();
    const [a, b] = await Promise.all([post({ callId, event: 'ringing', at: at(0), caller }), post({ callId, event: 'ringing', at: at(0), caller })]);
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(a.body.call.ticketId).toBe(b.body.call.ticketId);
    expect([a.body.duplicate, b.body.duplicate].sort()).toEqual([false, true]);
  });
});

describe('a known caller, a slow answer, an abandoned call', () => {
  it('joins the caller’s open ticket; answered late; the next call is abandoned', async () => {
    const caller = phone();
    const customerId = await h.customer({ phone: caller });
    const open = await agent.client.post('/api/v1/tickets', { type: 'tracking', channel: 'chat', subject: '查件', customerId });
    expect(open.status).toBe(201);

    const late = `c-${h.uid()}`;
    const ring = await post({ callId: late, event: 'ringing', at: at(0), caller });
    expect(ring.body.call).toMatchObject({ ticketId: open.body.id, customerId });
    const answered = await post({ callId: late, event: 'answered', at: at(16), extension });
    expect(answered.body.call.measures).toMatchObject({ answerMs: 16_000, answeredWithinTarget: false });
    expect((await timeline(open.body.id)).some((e) => e.body === '电话已接听,等待 16 秒(超过接听时限)')).toBe(true);

    const gone = `c-${h.uid()}`;
    await post({ callId: gone, event: 'ringing', at: at(100), caller });
    const missed = await post({ callId: gone, event: 'missed', at: at(140) });
    expect(missed.body.call).toMatchObject({ status: 'missed', measures: { abandoned: true, answeredWithinTarget: false, answerMs: null } });

    // Walk-in too: every channel in one history, newest first.
    const visit = await agent.client.post('/api/v1/walk-ins', { customerId, outlet: '北京朝阳建国路网点', purpose: '取件', arrivedAt: at(200), greetedAt: at(201) });
    expect(visit.status).toBe(201);
    const history = await agent.client.get(`/api/v1/customers/${customerId}/history`);
    expect(history.status).toBe(200);
    const items = history.body.items as { kind: string; channel: string; summary: string; ticketId: string }[];
    expect(items.filter((i) => i.kind === 'call').map((i) => i.summary).sort()).toEqual(['未接通的来电', '通话中']);
    expect(items.some((i) => i.kind === 'ticket' && i.channel === 'chat' && i.ticketId === open.body.id)).toBe(true);
    expect(items.some((i) => i.kind === 'walk_in' && i.summary === '北京朝阳建国路网点:取件')).toBe(true);
    expect(items.some((i) => i.kind === 'ticket' && i.channel === 'walk_in')).toBe(true);
    const stranger = await h.user('customer');
    expect((await stranger.client.get(`/api/v1/customers/${customerId}/history`)).status).toBe(404);
  });

  it('a call-back message records name, contact and matter on the ticket, masked', async () => {
    const callId = `c-${h.uid()}`;
    const ring = await post({ callId, event: 'ringing', at: at(0), caller: phone() });
    const msg = await agent.client.post(`/api/v1/calls/${callId}/callback-message`, { name: '李女士', contact: '13812345678', matter: '快件破损要求理赔' });
    expect(msg.status, JSON.stringify(msg.body)).toBe(200);
    const events = await timeline(ring.body.call.ticketId);
    expect(events.find((e) => e.kind === 'callback_request')!.body).toBe('请回电:李女士,138****5678,事由:快件破损要求理赔');
    expect((await agent.client.post(`/api/v1/calls/${callId}/callback-message`, { name: '', contact: '1', matter: '' })).status).toBe(400);
  });
});

describe('who may post call events, and bad input', () => {
  it('only the telephony key; clear 400s; unknown calls and out-of-order starts are refused', async () => {
    const callId = `c-${h.uid()}`;
    expect((await agent.client.post('/api/v1/telephony/events', { callId, event: 'ringing', at: at(0), caller: phone() })).status).toBe(403);
    expect((await post({ callId, event: 'ringing', at: 'yesterday', caller: phone() })).status).toBe(400);
    expect((await post({ callId, event: 'ringing', at: at(0), caller: '12' })).status).toBe(400);
    expect((await post({ callId, event: 'hangup', at: at(0) })).status).toBe(400);
    expect((await post({ callId: 'bad id with spaces', event: 'ringing', at: at(0) })).status).toBe(400);
    const startWithHold = await post({ callId, event: 'hold', eventId: 'x', at: at(0), reason: '查询', expectedWaitSeconds: 5 });
    expect(startWithHold.status).toBe(409);
    expect((await h.ctx.db.pool.query('SELECT 1 FROM calls WHERE call_id = $1', [callId])).rowCount).toBe(0);
    expect((await agent.client.get('/api/v1/calls/nope')).status).toBe(404);
    expect((await h.anon.get('/api/v1/telephony/panel')).status).toBe(401);
  });
});
