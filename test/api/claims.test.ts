/**
 * Problem shipments and claims (SPEC X6) over HTTP: the five steps in order with what each must
 * contain, priority delivery starting the courier's one-hour clock, and claims moving submitted →
 * verified → approved → paid (or rejected) within the compensation rules and the approval limits,
 * with evidence, the payment clock of 3 working days, and every step in the ticket's timeline and
 * the audit log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addBusinessTime, weekdayCalendar } from '../../src/domain/business-hours.ts';
import { ok } from '../support/expect-ok.ts';
import { startHarness, type Client, type Harness, type TestUser } from '../support/harness.ts';

let h: Harness;
let agent: TestUser;
let lead: TestUser;
let supervisor: TestUser;
let qa: TestUser;
let custOne: TestUser;
let custTwo: TestUser;

beforeAll(async () => {
  h = await startHarness();
  agent = await h.user('agent');
  lead = await h.user('team_lead');
  supervisor = await h.user('supervisor');
  qa = await h.user('qa_inspector');
  custOne = await h.user('customer');
  custTwo = await h.user('customer');
});
afterAll(async () => {
  await h?.close();
});

interface Ticket {
  id: string;
  number: string;
  tags: string[];
  waybills: string[];
  clocks: { clock: string; status: string; dueAt: string | null; stoppedAt: string | null; targetMs: number }[];
}

async function ticket(opts: { customerId?: string | null; category?: string; waybill?: string } = {}): Promise<Ticket> {
  const body: Record<string, unknown> = { type: 'problem_shipment', channel: 'phone', subject: `问题件 ${h.uid()}` };
  if (opts.customerId !== null) body.customerId = opts.customerId ?? custOne.customerId;
  if (opts.waybill) body.waybills = [opts.waybill];
  const res = await agent.client.post<Ticket>('/api/v1/tickets', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return (await agent.client.get<Ticket>(`/api/v1/tickets/${res.body.id}`)).body;
}

const waybill = (): string => `SD${Date.now()}${Math.floor(Math.random() * 1000)}`;


async function timeline(t: Ticket): Promise<{ kind: string; body: string | null; data: Record<string, unknown> }[]> {
  const res = await agent.client.get<{ items: { kind: string; body: string | null; data: Record<string, unknown> }[] }>(`/api/v1/tickets/${t.id}/events`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items;
}

async function auditActions(entityId: string): Promise<string[]> {
  const { rows } = await h.ctx.db.pool.query<{ action: string }>('SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY id', [entityId]);
  return rows.map((r) => r.action);
}

describe('problem-shipment case: the five steps', () => {
  it('delay: in order, priority delivery tags the ticket and starts the courier’s one-hour clock; the call stops it', async () => {
    const wb = waybill();
    const t = await ticket({ waybill: wb });
    const opened = await ok(agent.client.post(`/api/v1/tickets/${t.number}/problem-case`, { kind: 'delay' }), 201);
    expect(opened).toMatchObject({ kind: 'delay', waybill: wb.toUpperCase(), nextStep: 'soothe', steps: [], solution: null });
    expect(opened.guidance.sootheSentence).toBe('非常抱歉,您的快件出现了延误的情况,给您带来不便,我非常理解您的心情。');
    expect(opened.guidance.solutions).toEqual([{ code: 'priority_delivery', sentence: '我们会帮您备注优先派件,派件员会在1小时内联系您。' }]);
    expect((await agent.client.post(`/api/v1/tickets/${t.id}/problem-case`, { kind: 'loss' })).status).toBe(409);

    const step = (body: Record<string, unknown>) => agent.client.post(`/api/v1/tickets/${t.id}/problem-case/steps`, body);
    const skipped = await step({ step: 'verify', waybillConfirmed: true, partiesConfirmed: true });
    expect(skipped.status).toBe(400);
    expect(skipped.body.error.message).toContain('record 安抚情绪 (soothe) first');

    const soothed = await ok(step({ step: 'soothe' }));
    expect(soothed.steps[0]).toMatchObject({ step: 'soothe', nameZh: '安抚情绪', data: { sentence: opened.guidance.sootheSentence }, recordedBy: agent.id });
    expect((await step({ step: 'soothe' })).status).toBe(409);

    const unverified = await step({ step: 'verify', waybillConfirmed: true });
    expect(unverified.status).toBe(400);
    expect(unverified.body.error.message).toContain('partiesConfirmed');
    await ok(step({ step: 'verify', waybillConfirmed: true, partiesConfirmed: true }));

    expect((await step({ step: 'cause', cause: 'packaging', findings: '轨迹显示分拣中心滞留' })).status).toBe(400);
    await ok(step({ step: 'cause', cause: 'sorting_delay', findings: '轨迹显示在分拣中心滞留两天,网点已确认' }));

    expect((await step({ step: 'solution', solution: 'compensation' })).status).toBe(400);
    const solved = await ok(step({ step: 'solution', solution: 'priority_delivery' }));
    expect(solved.solution).toBe('priority_delivery');
    expect(solved.nextStep).toBe('follow_up');
    expect(solved.guidance.followUpSentence).toContain('优先派件');

    const afterSolution = (await agent.client.get<Ticket>(`/api/v1/tickets/${t.id}`)).body;
    expect(afterSolution.tags).toContain('优先派件');
    const callback = afterSolution.clocks.find((c) => c.clock === 'courier_contact');
    expect(callback).toMatchObject({ status: 'running', targetMs: 60 * 60_000, stoppedAt: null });
    const msLeft = Date.parse(callback!.dueAt!) - Date.now();
    expect(msLeft).toBeGreaterThan(55 * 60_000);
    expect(msLeft).toBeLessThanOrEqual(60 * 60_000);

    await ok(agent.client.post(`/api/v1/tickets/${t.id}/problem-case/courier-contact`, { note: '派件员 14:05 已电话联系客户' }));
    const afterCall = (await agent.client.get<Ticket>(`/api/v1/tickets/${t.id}`)).body;
    expect(afterCall.clocks.find((c) => c.clock === 'courier_contact')).toMatchObject({ status: 'met' });

    const done = await ok(step({ step: 'follow_up', told: '已为您备注优先派件,派件员已联系您,预计今天送达。' }));
    expect(done.nextStep).toBeNull();
    expect(done.steps.map((s: { step: string }) => s.step)).toEqual(['soothe', 'verify', 'cause', 'solution', 'follow_up']);
    expect((await step({ step: 'follow_up', told: '再次回访客户' })).status).toBe(409);

    const events = await timeline(t);
    expect(events.filter((e) => e.kind === 'problem_step').map((e) => e.data.step)).toEqual(['soothe', 'verify', 'cause', 'solution', 'follow_up']);
    expect(events.some((e) => e.kind === 'courier_contacted')).toBe(true);
    expect(await auditActions(t.id)).toEqual(expect.arrayContaining(['problem_case.open', 'problem_case.soothe', 'problem_case.verify', 'problem_case.cause', 'problem_case.solution', 'problem_case.courier_contacted', 'problem_case.follow_up']));
  });

  it('damage: photos are required to verify, and the customer chooses re-shipment or compensation', async () => {
    const t = await ticket({ waybill: waybill() });
    await ok(agent.client.post(`/api/v1/tickets/${t.id}/problem-case`, { kind: 'damage' }), 201);
    const step = (body: Record<string, unknown>) => agent.client.post(`/api/v1/tickets/${t.id}/problem-case/steps`, body);
    await ok(step({ step: 'soothe', sentence: '非常抱歉,您的快件破损了,我非常理解您的心情。' }));
    const noPhotos = await step({ step: 'verify', waybillConfirmed: true, partiesConfirmed: true });
    expect(noPhotos.status).toBe(400);
    expect(noPhotos.body.error.message).toContain('photos');
    await ok(step({ step: 'verify', waybillConfirmed: true, partiesConfirmed: true, photos: ['外箱.jpg', '内件.jpg'] }));
    await ok(step({ step: 'cause', cause: 'packaging', findings: '外箱受压变形,内件玻璃杯碎裂' }));
    const unchosen = await step({ step: 'solution', solution: 'reshipment' });
    expect(unchosen.status).toBe(400);
    expect(unchosen.body.error.message).toContain('customer chooses');
    const solved = await ok(step({ step: 'solution', solution: 'reshipment', customerChose: true }));
    expect(solved.solution).toBe('reshipment');
    // No priority delivery: no courier clock, and no call-back to record.
    expect((await agent.client.get<Ticket>(`/api/v1/tickets/${t.id}`)).body.clocks.some((c) => c.clock === 'courier_contact')).toBe(false);
    expect((await agent.client.post(`/api/v1/tickets/${t.id}/problem-case/courier-contact`, {})).status).toBe(409);
  });

  it('loss solved by compensation cannot be followed up before a claim is submitted', async () => {
    const t = await ticket({ waybill: waybill() });
    await ok(agent.client.post(`/api/v1/tickets/${t.id}/problem-case`, { kind: 'loss' }), 201);
    const step = (body: Record<string, unknown>) => agent.client.post(`/api/v1/tickets/${t.id}/problem-case/steps`, body);
    await ok(step({ step: 'soothe' }));
    await ok(step({ step: 'verify', waybillConfirmed: true, partiesConfirmed: true }));
    await ok(step({ step: 'cause', cause: 'missed_scan', findings: '最后一条轨迹为网点到件,之后无扫描' }));
    await ok(step({ step: 'solution', solution: 'compensation' }));
    const early = await step({ step: 'follow_up', told: '您的赔付申请已提交' });
    expect(early.status).toBe(400);
    expect(early.body.error.message).toContain('no claim');
    const claim = await ok(agent.client.post('/api/v1/claims', { ticketId: t.id, kind: 'loss', claimedAmount: 200, insured: false, postage: 12 }), 201);
    const followed = await ok(step({ step: 'follow_up', told: '您的赔付申请已提交,预计3个工作日内到账' }));
    expect(followed.claimIds).toEqual([claim.id]);
    expect(followed.guidance.followUpSentence).toBe('您的赔付申请已提交,预计3个工作日内到账,我会跟进进度,有消息第一时间通知您。');
  });

  it('who may work a case, and bad input', async () => {
    const t = await ticket();
    expect((await custOne.client.post(`/api/v1/tickets/${t.id}/problem-case`, { kind: 'loss' })).status).toBe(403);
    expect((await agent.client.post(`/api/v1/tickets/${t.id}/problem-case`, { kind: 'stolen' })).status).toBe(400);
    expect((await agent.client.get(`/api/v1/tickets/${t.id}/problem-case`)).status).toBe(404);
    expect((await agent.client.post(`/api/v1/tickets/${t.id}/problem-case/steps`, { step: 'soothe' })).status).toBe(404);
    expect((await agent.client.post('/api/v1/tickets/GD20990101000001/problem-case', { kind: 'loss' })).status).toBe(404);
    await ok(agent.client.post(`/api/v1/tickets/${t.id}/problem-case`, { kind: 'loss' }), 201);
    expect((await agent.client.post(`/api/v1/tickets/${t.id}/problem-case/steps`, { step: 'celebrate' })).status).toBe(400);
    expect((await agent.client.post(`/api/v1/tickets/${t.id}/problem-case/steps`, { step: 'verify', waybillConfirmed: 'yes' })).status).toBe(400);
  });
});

describe('claims', () => {
  it('submitted → verified (figures corrected) → approved within limits → paid, with the payment clock', async () => {
    const t = await ticket({ waybill: waybill() });
    // The customer claims 2 000 元 for an uninsured parcel: the rules pay at most 3 × the postage.
    const submitted = await ok(custOne.client.post('/api/v1/claims', { ticketId: t.number, kind: 'loss', claimedAmount: 2000, insured: false, postage: 12, description: '包裹丢失,内有衣物' }), 201);
    expect(submitted).toMatchObject({ status: 'submitted', ticketId: t.id, customerId: custOne.customerId, claimedAmount: 2000, insured: false, postage: 12, maxPayable: 36, actions: [] });
    expect(submitted.basis).toContain('3倍');
    expect((await custOne.client.post('/api/v1/claims', { ticketId: t.id, kind: 'loss', claimedAmount: 2000, insured: false, postage: 12 })).status).toBe(409);

    // The verifier finds the parcel was insured at 1 500 元.
    const agentView = await ok(agent.client.get(`/api/v1/claims/${submitted.id}`));
    expect(agentView.actions).toEqual(['verify', 'reject']);
    const verified = await ok(agent.client.post(`/api/v1/claims/${submitted.id}/verify`, { insured: true, declaredValue: 1500, note: '运单显示已保价 1500 元' }));
    expect(verified).toMatchObject({ status: 'verified', insured: true, declaredValue: 1500, maxPayable: 1500 });
    expect(verified.basis).toContain('保价');
    expect((await agent.client.post(`/api/v1/claims/${submitted.id}/verify`, {})).status).toBe(409);

    // An agent may approve up to 500 元; more than the rules allow is wrong whoever asks.
    const overLimit = await agent.client.post(`/api/v1/claims/${submitted.id}/approve`, {});
    expect(overLimit.status).toBe(403);
    expect(overLimit.body.error.message).toContain('approval limit of 500.00 元');
    const overRules = await supervisor.client.post(`/api/v1/claims/${submitted.id}/approve`, { amount: 1600 });
    expect(overRules.status).toBe(400);
    expect(overRules.body.error.message).toContain('more than the compensation rules allow');
    expect((await supervisor.client.post(`/api/v1/claims/${submitted.id}/approve`, { amount: 12.345 })).status).toBe(400);
    expect((await qa.client.post(`/api/v1/claims/${submitted.id}/approve`, {})).status).toBe(403);

    const approved = await ok(supervisor.client.post(`/api/v1/claims/${submitted.id}/approve`, {}));
    expect(approved).toMatchObject({ status: 'approved', approvedAmount: 1500 });
    // Due 3 working days (27 office hours on the working-day calendar) after approval.
    const expectedDue = addBusinessTime(weekdayCalendar(), new Date(approved.approvedAt), 27 * 3_600_000);
    expect(approved.paymentDueAt).toBe(expectedDue.toISOString());
    const withClock = (await agent.client.get<Ticket>(`/api/v1/tickets/${t.id}`)).body;
    expect(withClock.clocks.find((c) => c.clock === 'compensation_payment')).toMatchObject({ dueAt: approved.paymentDueAt, stoppedAt: null });

    expect((await supervisor.client.post(`/api/v1/claims/${submitted.id}/reject`, { reason: '材料不全,无法核实' })).status).toBe(409);
    expect((await agent.client.post(`/api/v1/claims/${submitted.id}/pay`, { reference: 'TX-1' })).status).toBe(403);
    const paid = await ok(supervisor.client.post(`/api/v1/claims/${submitted.id}/pay`, { reference: 'ALIPAY-20261123-0001' }));
    expect(paid).toMatchObject({ status: 'paid', paymentReference: 'ALIPAY-20261123-0001', actions: [] });
    expect((await supervisor.client.post(`/api/v1/claims/${submitted.id}/pay`, { reference: 'ALIPAY-20261123-0001' })).status).toBe(409);
    const afterPay = (await agent.client.get<Ticket>(`/api/v1/tickets/${t.id}`)).body;
    expect(afterPay.clocks.find((c) => c.clock === 'compensation_payment')).toMatchObject({ status: 'met' });

    // The customer sees the outcome; every step is in the timeline and the audit log.
    expect(await ok(custOne.client.get(`/api/v1/claims/${submitted.id}`))).toMatchObject({ status: 'paid', approvedAmount: 1500 });
    const claimEvents = (await timeline(t)).filter((e) => e.kind === 'claim').map((e) => e.data.action);
    expect(claimEvents).toEqual(['submit', 'verify', 'approve', 'pay']);
    expect(await auditActions(submitted.id)).toEqual(['claim.submit', 'claim.verify', 'claim.approve', 'claim.pay']);
  });

  it('small claims: an agent approves within the limit; a lead up to 2 000 元', async () => {
    const a = await ok(agent.client.post('/api/v1/claims', { ticketId: (await ticket()).id, kind: 'damage', claimedAmount: 30, insured: false, postage: 15 }), 201);
    expect(a.maxPayable).toBe(30);
    await ok(agent.client.post(`/api/v1/claims/${a.id}/verify`, {}));
    expect(await ok(agent.client.post(`/api/v1/claims/${a.id}/approve`, { amount: 25.5 }))).toMatchObject({ status: 'approved', approvedAmount: 25.5 });

    const b = await ok(agent.client.post('/api/v1/claims', { ticketId: (await ticket()).id, kind: 'loss', claimedAmount: 1800, insured: true, declaredValue: 3000, postage: 20 }), 201);
    await ok(lead.client.post(`/api/v1/claims/${b.id}/verify`, {}));
    expect(await ok(lead.client.post(`/api/v1/claims/${b.id}/approve`, {}))).toMatchObject({ approvedAmount: 1800 });
  });

  it('a known parcel’s insurance and postage come from its record, not from the claimant', async () => {
    const ops = await h.apiKey('integration' as never);
    const wb = waybill();
    const parcel = await ops.post('/api/v1/shipments', {
      waybill: wb, origin: '110105', destination: '310115', insured: true, declaredValue: 300, postage: 12,
      sender: { name: '张伟', phone: '13800001111', address: '建国路88号' }, receiver: { name: '王芳', phone: '13900002222', address: '世纪大道100号' },
    });
    expect(parcel.status, JSON.stringify(parcel.body)).toBeLessThan(300);
    const t = await ticket({ waybill: wb });
    const c = await ok(custOne.client.post('/api/v1/claims', { ticketId: t.id, kind: 'loss', claimedAmount: 5000, insured: false, postage: 100 }), 201);
    expect(c).toMatchObject({ waybill: wb.toUpperCase(), insured: true, declaredValue: 300, postage: 12, maxPayable: 300 });
    // Without figures: the parcel record is enough.
    const t2 = await ticket({ waybill: wb });
    expect(await ok(agent.client.post('/api/v1/claims', { ticketId: t2.id, kind: 'delay', claimedAmount: 50 }), 201)).toMatchObject({ postage: 12, maxPayable: 12 });
    // An unknown waybill needs them.
    const t3 = await ticket({ waybill: waybill() });
    const missing = await agent.client.post('/api/v1/claims', { ticketId: t3.id, kind: 'loss', claimedAmount: 50 });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toContain('is not a parcel Parceldesk knows');
  });

  it('a delay claim refunds the postage', async () => {
    const c = await ok(agent.client.post('/api/v1/claims', { ticketId: (await ticket()).id, kind: 'delay', claimedAmount: 100, insured: false, postage: 18 }), 201);
    expect(c.maxPayable).toBe(18);
    expect(c.basis).toContain('退还运费');
  });

  it('rejected with a reason; then a new claim may be submitted for the ticket', async () => {
    const t = await ticket();
    const c = await ok(custOne.client.post('/api/v1/claims', { ticketId: t.id, kind: 'loss', claimedAmount: 80, insured: false, postage: 10 }), 201);
    expect((await agent.client.post(`/api/v1/claims/${c.id}/reject`, { reason: '否' })).status).toBe(400);
    expect((await custOne.client.post(`/api/v1/claims/${c.id}/reject`, { reason: '我不要了我不要了' })).status).toBe(403);
    const rejected = await ok(agent.client.post(`/api/v1/claims/${c.id}/reject`, { reason: '快件已由收件人签收,轨迹与签收照片为证' }));
    expect(rejected).toMatchObject({ status: 'rejected', rejectReason: '快件已由收件人签收,轨迹与签收照片为证' });
    expect((await agent.client.post(`/api/v1/claims/${c.id}/verify`, {})).status).toBe(409);
    await ok(custOne.client.post('/api/v1/claims', { ticketId: t.id, kind: 'loss', claimedAmount: 80, insured: false, postage: 10 }), 201);
  });

  it('evidence: stored once per file, readable by the claimant and staff, refused once the claim is closed', async () => {
    const t = await ticket();
    const c = await ok(custOne.client.post('/api/v1/claims', { ticketId: t.id, kind: 'damage', claimedAmount: 50, insured: false, postage: 20 }), 201);
    const photo = Buffer.from(`\x89PNG fake photo ${h.uid()}`);
    const body = { kind: 'photo', fileName: '破损照片.png', contentType: 'image/png', content: photo.toString('base64'), note: '外箱' };
    const first = await custOne.client.post(`/api/v1/claims/${c.id}/evidence`, body);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({ fileName: '破损照片.png', sizeBytes: photo.length, contentType: 'image/png' });
    const again = await custOne.client.post(`/api/v1/claims/${c.id}/evidence`, body);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    expect((await agent.client.get(`/api/v1/claims/${c.id}`)).body.evidence).toHaveLength(1);

    const file = await fetch(`${h.url}/api/v1/claims/${c.id}/evidence/${first.body.id}/content`, { headers: { authorization: `Bearer ${agent.client.token}` } });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await file.arrayBuffer()).equals(photo)).toBe(true);
    expect((await custTwo.client.get(`/api/v1/claims/${c.id}/evidence/${first.body.id}/content`)).status).toBe(404);

    expect((await custOne.client.post(`/api/v1/claims/${c.id}/evidence`, { ...body, content: '***not base64***' })).status).toBe(400);
    expect((await custOne.client.post(`/api/v1/claims/${c.id}/evidence`, { ...body, contentType: 'text/html' })).status).toBe(400);
    const big = Buffer.alloc(5 * 1024 * 1024 + 1, 1).toString('base64');
    const tooBig = await custOne.client.post(`/api/v1/claims/${c.id}/evidence`, { ...body, content: big });
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.error.message).toContain('evidence files may be at most 5242880 bytes');
    const overBody = await custOne.client.post(`/api/v1/claims/${c.id}/evidence`, { ...body, content: Buffer.alloc(8 * 1024 * 1024, 1).toString('base64') });
    expect(overBody.status).toBe(413);
    expect(overBody.body.error.message).toContain('MiB this endpoint accepts');
    expect((await custTwo.client.post(`/api/v1/claims/${c.id}/evidence`, body)).status).toBe(404);

    await ok(agent.client.post(`/api/v1/claims/${c.id}/reject`, { reason: '照片显示为使用痕迹,非运输破损' }));
    expect((await custOne.client.post(`/api/v1/claims/${c.id}/evidence`, { ...body, content: Buffer.from('another').toString('base64') })).status).toBe(409);
  });

  it('customers see and submit only their own claims; integrations see none', async () => {
    const mine = await ok(custTwo.client.post('/api/v1/claims', { ticketId: (await ticket({ customerId: custTwo.customerId })).id, kind: 'loss', claimedAmount: 10, insured: false, postage: 10 }), 201);
    expect((await custOne.client.get(`/api/v1/claims/${mine.id}`)).status).toBe(404);
    const listOne = await ok(custOne.client.get('/api/v1/claims?limit=200'));
    expect(listOne.items.every((c: { customerId: string }) => c.customerId === custOne.customerId)).toBe(true);
    expect(listOne.items.some((c: { id: string }) => c.id === mine.id)).toBe(false);
    const listTwo = await ok(custTwo.client.get('/api/v1/claims'));
    expect(listTwo.items.map((c: { id: string }) => c.id)).toContain(mine.id);
    // Someone else's ticket: not found, not forbidden.
    expect((await custOne.client.post('/api/v1/claims', { ticketId: mine.ticketId, kind: 'loss', claimedAmount: 10, insured: false, postage: 10 })).status).toBe(404);

    const integration: Client = await h.apiKey('integration' as never);
    expect((await integration.get('/api/v1/claims')).status).toBe(403);
    expect((await h.anon.get('/api/v1/claims')).status).toBe(401);
  });

  it('filters by status and ticket', async () => {
    const t = await ticket();
    const c = await ok(agent.client.post('/api/v1/claims', { ticketId: t.id, kind: 'loss', claimedAmount: 10, insured: false, postage: 10 }), 201);
    expect((await ok(agent.client.get(`/api/v1/claims?ticketId=${t.id}`))).items.map((x: { id: string }) => x.id)).toEqual([c.id]);
    expect((await ok(agent.client.get(`/api/v1/claims?ticketId=${t.id}&status=paid,rejected`))).items).toEqual([]);
    expect((await ok(agent.client.get(`/api/v1/claims?ticketId=${t.id}&status=submitted`))).items).toHaveLength(1);
    const bad = await agent.client.get('/api/v1/claims?status=lost');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('status "lost"');
  });

  it('bad input: clear 4xx and nothing written', async () => {
    const t = await ticket();
    const before = (await h.ctx.db.pool.query('SELECT count(*)::int AS n FROM claims WHERE ticket_id = $1', [t.id])).rows[0].n;
    const bad: [Record<string, unknown>, number, string][] = [
      [{ ticketId: t.id, kind: 'loss', claimedAmount: -5, insured: false, postage: 10 }, 400, 'claimedAmount'],
      [{ ticketId: t.id, kind: 'loss', claimedAmount: 0, insured: false, postage: 10 }, 400, 'claimedAmount'],
      [{ ticketId: t.id, kind: 'loss', claimedAmount: 10.001, insured: false, postage: 10 }, 400, 'two decimals'],
      [{ ticketId: t.id, kind: 'loss', claimedAmount: 10, insured: 'no', postage: 10 }, 400, 'insured'],
      [{ ticketId: t.id, kind: 'theft', claimedAmount: 10, insured: false, postage: 10 }, 400, 'kind'],
      [{ ticketId: t.id, kind: 'loss', claimedAmount: 10, insured: true, postage: 10 }, 400, 'declaredValue'],
      [{ ticketId: t.id, kind: 'loss', claimedAmount: 10, insured: false }, 400, 'postage'],
      [{ ticketId: 'GD20990101000001', kind: 'loss', claimedAmount: 10, insured: false, postage: 10 }, 404, 'does not exist'],
    ];
    for (const [body, status, part] of bad) {
      const res = await agent.client.post('/api/v1/claims', body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.error.message).toContain(part);
    }
    expect((await agent.client.get('/api/v1/claims/not-a-uuid')).status).toBe(400);
    expect((await agent.client.get('/api/v1/claims/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    const after = (await h.ctx.db.pool.query('SELECT count(*)::int AS n FROM claims WHERE ticket_id = $1', [t.id])).rows[0].n;
    expect(after).toBe(before);
  });
});
