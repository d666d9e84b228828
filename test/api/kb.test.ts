/**
 * Knowledge base and scripts over HTTP (issue 5, SPEC K1–K3): the lifecycle draft → in_review →
 * published → archived with every version kept and self-review refused, the review-due list,
 * scripts rendered for a ticket with missing values left visible, the public help centre (drafts
 * and internal articles never shown), "was this helpful" once per client, permissions, the
 * seeded content, and an audit entry for every staff write.
 *
 * The database is shared with other test files: every assertion is narrowed to rows this file made.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KB_SEEDS } from '../../src/db/seed-kb.ts';
import { ok } from '../support/expect-ok.ts';
import { Client, startHarness, type Harness, type TestUser } from '../support/harness.ts';
import { kbStaff } from '../support/kb-staff.ts';

let h: Harness;
let agentA: TestUser;
let agentB: TestUser;
let lead: TestUser;
let qa: TestUser;
let supervisor: TestUser;
let customer: TestUser;
let ops: Client;

beforeAll(async () => {
  h = await startHarness();
  ({ agentA, agentB, lead, qa, supervisor, customer, ops } = await kbStaff(h));
});
afterAll(async () => {
  await h?.close();
});

async function auditActions(entityId: string): Promise<{ action: string; actor_id: string | null; data: any }[]> {
  const { rows } = await h.ctx.db.pool.query<{ action: string; actor_id: string | null; data: any }>(
    'SELECT action, actor_id, data FROM audit_log WHERE entity_id = $1 ORDER BY id',
    [entityId],
  );
  return rows;
}

const draft = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  kind: 'script', audience: 'internal', categoryCode: 'problem.damage', title: `破损安抚 ${h.uid()}`, body: '{客户称呼},非常抱歉您的快件{运单号}出现破损。', tags: ['破损'], appliesTo: ['damaged'], ...over,
});

/** A published article written by agentA and approved by the lead. */
async function published(over: Record<string, unknown> = {}): Promise<any> {
  const a = await ok(agentA.client.post('/api/v1/kb/articles', draft(over)), 201);
  await ok(agentA.client.post(`/api/v1/kb/articles/${a.id}/submit`));
  return ok(lead.client.post(`/api/v1/kb/articles/${a.id}/approve`, {}));
}

describe('lifecycle: draft → in_review → published → archived', () => {
  it('an agent drafts and submits, a lead approves; versions are kept; every step is audited', async () => {
    const a = await ok(agentA.client.post('/api/v1/kb/articles', draft({ note: '初稿' })), 201);
    expect(a).toMatchObject({ status: 'draft', version: 1, publishedVersion: null, createdBy: agentA.id, category: { code: 'problem.damage', nameZh: '破损' }, appliesTo: ['damaged'] });

    const v2 = await ok(agentA.client.patch(`/api/v1/kb/articles/${a.id}`, { body: '{客户称呼},非常抱歉,您的快件{运单号}破损了,我马上为您登记。', note: '语气更主动' }));
    expect(v2).toMatchObject({ status: 'draft', version: 2, title: a.title });

    const sub = await ok(agentA.client.post(`/api/v1/kb/articles/${a.id}/submit`));
    expect(sub).toMatchObject({ status: 'in_review', submittedBy: agentA.id });
    // Submitting twice is not a transition.
    expect((await agentA.client.post(`/api/v1/kb/articles/${a.id}/submit`)).status).toBe(409);

    const before = Date.now();
    const pub = await ok(lead.client.post(`/api/v1/kb/articles/${a.id}/approve`, {}));
    expect(pub).toMatchObject({ status: 'published', publishedVersion: 2, reviewedBy: lead.id, dueForReview: false });
    // Review date: publish + kb.review_days (180 by default).
    const dueInDays = (new Date(pub.reviewDueAt).getTime() - before) / 86_400_000;
    expect(dueInDays).toBeGreaterThan(179.9);
    expect(dueInDays).toBeLessThan(180.1);

    const versions = await ok(agentB.client.get(`/api/v1/kb/articles/${a.id}/versions`));
    expect(versions.items.map((v: any) => [v.version, v.note, v.createdBy, v.published])).toEqual([
      [2, '语气更主动', agentA.id, true],
      [1, '初稿', agentA.id, false],
    ]);
    expect(versions.items[1].body).toBe(a.body);

    const archived = await ok(supervisor.client.post(`/api/v1/kb/articles/${a.id}/archive`));
    expect(archived.status).toBe('archived');
    expect(archived.archivedAt).not.toBeNull();
    expect((await supervisor.client.post(`/api/v1/kb/articles/${a.id}/archive`)).status).toBe(409);
    expect((await lead.client.patch(`/api/v1/kb/articles/${a.id}`, { title: '再改一次' })).status).toBe(409);

    const audit = await auditActions(a.id);
    expect(audit.map((e) => [e.action, e.actor_id])).toEqual([
      ['kb.article.create', agentA.id],
      ['kb.article.update', agentA.id],
      ['kb.article.submit', agentA.id],
      ['kb.article.approve', lead.id],
      ['kb.article.archive', supervisor.id],
    ]);
    expect(audit[3]!.data).toMatchObject({ publishedVersion: 2 });
  });

  it('a reviewer must not be the author: self-approval is refused, another reviewer approves', async () => {
    const a = await ok(lead.client.post('/api/v1/kb/articles', draft()), 201);
    await ok(lead.client.post(`/api/v1/kb/articles/${a.id}/submit`));
    const self = await lead.client.post(`/api/v1/kb/articles/${a.id}/approve`, {});
    expect(self.status).toBe(403);
    expect(self.body.error.code).toBe('forbidden');
    expect((await ok(lead.client.get(`/api/v1/kb/articles/${a.id}`))).status).toBe('in_review');

    // A reviewer who edited the version under review is an author of it too.
    const b = await ok(agentA.client.post('/api/v1/kb/articles', draft()), 201);
    await ok(qa.client.patch(`/api/v1/kb/articles/${b.id}`, { body: 'QA 改过的正文,{公司}客服为您服务。' }));
    await ok(agentA.client.post(`/api/v1/kb/articles/${b.id}/submit`));
    expect((await qa.client.post(`/api/v1/kb/articles/${b.id}/approve`, {})).status).toBe(403);
    expect((await ok(supervisor.client.post(`/api/v1/kb/articles/${b.id}/approve`, {}))).status).toBe('published');
    expect((await ok(qa.client.post(`/api/v1/kb/articles/${a.id}/approve`, {}))).reviewedBy).toBe(qa.id);
    // Only the approvals that happened are in the audit log.
    expect((await auditActions(a.id)).map((e) => e.action)).toEqual(['kb.article.create', 'kb.article.submit', 'kb.article.approve']);
  });

  it('reject sends it back to draft with the reason; approving a draft is refused', async () => {
    const a = await ok(agentA.client.post('/api/v1/kb/articles', draft()), 201);
    expect((await lead.client.post(`/api/v1/kb/articles/${a.id}/approve`, {})).status).toBe(409);
    await ok(agentA.client.post(`/api/v1/kb/articles/${a.id}/submit`));
    expect((await lead.client.post(`/api/v1/kb/articles/${a.id}/reject`, {})).status).toBe(400);
    const r = await ok(lead.client.post(`/api/v1/kb/articles/${a.id}/reject`, { reason: '缺少赔付方式' }));
    expect(r.status).toBe('draft');
    const audit = await auditActions(a.id);
    expect(audit.at(-1)).toMatchObject({ action: 'kb.article.reject', actor_id: lead.id, data: { reason: '缺少赔付方式' } });
  });

  it('editing a published article makes a new draft version; the approved version stays public until the new one is approved', async () => {
    const a = await published({ kind: 'article', audience: 'public', categoryCode: 'problem.delay', title: `延误说明 ${h.uid()}`, body: '第一版正文:快件延误请联系客服。' });
    const edited = await ok(agentA.client.patch(`/api/v1/kb/articles/${a.id}`, { body: '第二版正文(未审核)' }));
    expect(edited).toMatchObject({ status: 'draft', version: 2, publishedVersion: 1 });
    const pub = await ok(h.anon.get(`/api/v1/kb/public/${a.id}`));
    expect(pub.body).toBe('第一版正文:快件延误请联系客服。');
    await ok(agentA.client.post(`/api/v1/kb/articles/${a.id}/submit`));
    await ok(qa.client.post(`/api/v1/kb/articles/${a.id}/approve`, {}));
    expect((await ok(h.anon.get(`/api/v1/kb/public/${a.id}`))).body).toBe('第二版正文(未审核)');
  });

  it('bad input is a 4xx, never a 5xx', async () => {
    expect((await agentA.client.post('/api/v1/kb/articles', draft({ categoryCode: 'no.such.category' }))).status).toBe(400);
    expect((await agentA.client.post('/api/v1/kb/articles', draft({ kind: 'poem' }))).status).toBe(400);
    expect((await agentA.client.post('/api/v1/kb/articles', { ...draft(), title: '' })).status).toBe(400);
    expect((await agentA.client.get(`/api/v1/kb/articles/${randomUUID()}`)).status).toBe(404);
    expect((await agentA.client.get('/api/v1/kb/articles/not-a-uuid')).status).toBe(400);
    const a = await ok(agentA.client.post('/api/v1/kb/articles', draft()), 201);
    expect((await agentA.client.patch(`/api/v1/kb/articles/${a.id}`, {})).status).toBe(400);
    await ok(agentA.client.post(`/api/v1/kb/articles/${a.id}/submit`));
    expect((await lead.client.post(`/api/v1/kb/articles/${a.id}/approve`, { reviewDueAt: 'yesterday-ish' })).status).toBe(400);
    expect((await lead.client.post(`/api/v1/kb/articles/${a.id}/approve`, { reviewDueAt: '2001-01-01T00:00:00Z' })).status).toBe(400);
  });
});

describe('permissions', () => {
  it('agents draft and submit but do not review; others may not touch the KB; agents edit only their own', async () => {
    const a = await ok(agentA.client.post('/api/v1/kb/articles', draft()), 201);
    expect((await agentB.client.patch(`/api/v1/kb/articles/${a.id}`, { title: '别人的稿子' })).status).toBe(403);
    expect((await agentB.client.post(`/api/v1/kb/articles/${a.id}/submit`)).status).toBe(403);
    await ok(agentA.client.post(`/api/v1/kb/articles/${a.id}/submit`));
    expect((await agentB.client.post(`/api/v1/kb/articles/${a.id}/approve`, {})).status).toBe(403);
    expect((await agentB.client.post(`/api/v1/kb/articles/${a.id}/reject`, { reason: '不行' })).status).toBe(403);
    expect((await agentB.client.post(`/api/v1/kb/articles/${a.id}/archive`)).status).toBe(403);
    // A lead may edit anyone's article.
    expect((await ok(lead.client.patch(`/api/v1/kb/articles/${a.id}`, { tags: ['破损', '安抚'] }))).version).toBe(2);

    for (const c of [customer.client, ops]) {
      expect((await c.get('/api/v1/kb/articles')).status).toBe(403);
      expect((await c.get(`/api/v1/kb/articles/${a.id}`)).status).toBe(403);
      expect((await c.get('/api/v1/kb/categories')).status).toBe(403);
      expect((await c.post('/api/v1/kb/articles', draft())).status).toBe(403);
    }
    expect((await h.anon.get('/api/v1/kb/articles')).status).toBe(401);
    expect((await h.anon.post('/api/v1/kb/articles', draft())).status).toBe(401);
    expect((await auditActions(a.id)).map((e) => e.action)).toEqual(['kb.article.create', 'kb.article.submit', 'kb.article.update']);
  });
});

describe('review dates (seed 001 5.2)', () => {
  it('dueForReview lists published content whose review date has come, oldest first', async () => {
    const a = await published();
    const b = await published();
    const c = await published();
    await h.ctx.db.pool.query(`UPDATE kb_articles SET review_due_at = now() - interval '2 days' WHERE id = $1`, [a.id]);
    await h.ctx.db.pool.query(`UPDATE kb_articles SET review_due_at = now() - interval '5 days' WHERE id = $1`, [b.id]);
    const due = await ok(lead.client.get('/api/v1/kb/articles?dueForReview=true&limit=200'));
    const mine = due.items.filter((i: any) => [a.id, b.id, c.id].includes(i.id));
    expect(mine.map((i: any) => i.id)).toEqual([b.id, a.id]);
    expect(mine.every((i: any) => i.dueForReview === true)).toBe(true);
    const notDue = await ok(lead.client.get('/api/v1/kb/articles?dueForReview=false&status=published&limit=200'));
    const ids = notDue.items.map((i: any) => i.id);
    expect(ids).not.toContain(a.id);
    // Archived content is never due.
    await ok(lead.client.post(`/api/v1/kb/articles/${b.id}/archive`));
    const after = await ok(lead.client.get('/api/v1/kb/articles?dueForReview=true&limit=200'));
    expect(after.items.map((i: any) => i.id)).not.toContain(b.id);
    expect(after.items.map((i: any) => i.id)).toContain(a.id);
  });

  it('an explicit review date on approval is honoured', async () => {
    const a = await ok(agentA.client.post('/api/v1/kb/articles', draft()), 201);
    await ok(agentA.client.post(`/api/v1/kb/articles/${a.id}/submit`));
    const when = new Date(Date.now() + 30 * 86_400_000).toISOString();
    expect((await ok(lead.client.post(`/api/v1/kb/articles/${a.id}/approve`, { reviewDueAt: when }))).reviewDueAt).toBe(when);
  });

  it('confirm-review: a reviewer confirms due content as current; the next date follows kb.review_days; the due list no longer shows it', async () => {
    const a = await published();
    await h.ctx.db.pool.query(`UPDATE kb_articles SET review_due_at = now() - interval '1 day' WHERE id = $1`, [a.id]);
    expect((await ok(lead.client.get(`/api/v1/kb/articles/${a.id}`))).dueForReview).toBe(true);
    expect((await agentA.client.post(`/api/v1/kb/articles/${a.id}/confirm-review`, {})).status).toBe(403);
    await ok(supervisor.client.put('/api/v1/settings/kb.review_days', { days: 30 }));
    try {
      const before = Date.now();
      const r = await ok(qa.client.post(`/api/v1/kb/articles/${a.id}/confirm-review`, {}));
      expect(r.dueForReview).toBe(false);
      const days = (new Date(r.reviewDueAt).getTime() - before) / 86_400_000;
      expect(days).toBeGreaterThan(29.9);
      expect(days).toBeLessThan(30.1);
    } finally {
      await ok(supervisor.client.put('/api/v1/settings/kb.review_days', { days: 180 }));
    }
    const due = await ok(lead.client.get('/api/v1/kb/articles?dueForReview=true&limit=200'));
    expect(due.items.map((i: any) => i.id)).not.toContain(a.id);
    expect((await auditActions(a.id)).at(-1)).toMatchObject({ action: 'kb.article.review', actor_id: qa.id });
    // Only published content is confirmed.
    const d = await ok(agentA.client.post('/api/v1/kb/articles', draft()), 201);
    expect((await lead.client.post(`/api/v1/kb/articles/${d.id}/confirm-review`, {})).status).toBe(409);
  });

  it('filters: status, kind, audience, category', async () => {
    const a = await published({ kind: 'article', audience: 'public', categoryCode: 'claim', title: `理赔筛选 ${h.uid()}` });
    const list = await ok(agentB.client.get('/api/v1/kb/articles?status=published&kind=article&audience=public&category=claim&limit=200'));
    expect(list.items.map((i: any) => i.id)).toContain(a.id);
    expect(list.items.every((i: any) => i.status === 'published' && i.kind === 'article' && i.audience === 'public' && i.category?.code === 'claim')).toBe(true);
    const scripts = await ok(agentB.client.get('/api/v1/kb/articles?kind=script&category=claim&limit=200'));
    expect(scripts.items.map((i: any) => i.id)).not.toContain(a.id);
  });
});

describe('scripts rendered into a reply', () => {
  it('fills 运单号, 预计送达, 公司 and 客户称呼 from the ticket, its parcel and settings; records the insert', async () => {
    const wb = `KB${Date.now()}${Math.floor(Math.random() * 1000)}`;
    const promisedAt = '2026-12-01T10:00:00.000Z';
    const parcel = await ops.post('/api/v1/shipments', {
      waybill: wb, origin: '110105', destination: '310115', promisedAt,
      sender: { name: '张伟', phone: '13800001111', address: '建国路88号' }, receiver: { name: '王芳', phone: '13900002222', address: '世纪大道100号' },
    });
    expect(parcel.status, JSON.stringify(parcel.body)).toBeLessThan(300);
    const customerId = await h.customer({ name: '王芳' });
    const t = await ok(agentA.client.post('/api/v1/tickets', { type: 'tracking', channel: 'chat', subject: '查件', customerId, waybills: [wb] }), 201);
    const s = await published({ body: '{客户称呼}好,{公司}快递客服。您的快件{运单号}预计{预计送达}送达。' });

    const r = await ok(agentB.client.post(`/api/v1/kb/articles/${s.id}/render`, { ticketId: t.id }));
    expect(r).toEqual({ articleId: s.id, version: 1, text: `您好,顺达快递客服。您的快件${wb.toUpperCase()}预计12月1日 18:00前送达。`, missing: [] });
    // Ticket numbers work too.
    expect((await ok(agentB.client.post(`/api/v1/kb/articles/${s.id}/render`, { ticketId: t.number }))).text).toBe(r.text);

    const { rows } = await h.ctx.db.pool.query<{ kind: string; user_id: string; ticket_id: string }>('SELECT kind, user_id, ticket_id FROM kb_usage WHERE article_id = $1 ORDER BY id', [s.id]);
    expect(rows).toEqual([{ kind: 'insert', user_id: agentB.id, ticket_id: t.id }, { kind: 'insert', user_id: agentB.id, ticket_id: t.id }]);
    expect((await ok(agentB.client.get(`/api/v1/kb/articles/${s.id}`))).usageCount).toBe(2);
  });

  it('a value not known stays visible and is listed in missing', async () => {
    const t = await ok(agentA.client.post('/api/v1/tickets', { type: 'consultation', channel: 'phone', subject: '没有单号的咨询' }), 201);
    const s = await published({ body: '您的快件{运单号}预计{预计送达}送达,{公司}客服。' });
    const r = await ok(agentA.client.post(`/api/v1/kb/articles/${s.id}/render`, { ticketId: t.id }));
    expect(r.text).toBe('您的快件「{运单号}」预计「{预计送达}」送达,顺达客服。');
    expect(r.missing).toEqual(['运单号', '预计送达']);

    // A waybill with no parcel record: the waybill is known, the expected delivery is not.
    const wb = `NP${String(Date.now()).slice(-10)}${Math.floor(Math.random() * 100)}`;
    const t2 = await ok(agentA.client.post('/api/v1/tickets', { type: 'tracking', channel: 'phone', subject: '查件', waybills: [wb] }), 201);
    const r2 = await ok(agentA.client.post(`/api/v1/kb/articles/${s.id}/render`, { ticketId: t2.id }));
    expect(r2.missing).toEqual(['预计送达']);
    expect(r2.text).toContain(wb.toUpperCase());
  });

  it('with an eventId an insert is recorded once: a retry returns the text again, another use of the id is refused', async () => {
    const t = await ok(agentA.client.post('/api/v1/tickets', { type: 'consultation', channel: 'phone', subject: '重试插入' }), 201);
    const s = await published({ body: '{公司}快递客服为您服务。' });
    const eventId = randomUUID();
    const first = await ok(agentA.client.post(`/api/v1/kb/articles/${s.id}/render`, { ticketId: t.id, eventId }));
    expect(first).toEqual({ articleId: s.id, version: 1, text: '顺达快递客服为您服务。', missing: [], recorded: true });
    const again = await ok(agentA.client.post(`/api/v1/kb/articles/${s.id}/render`, { ticketId: t.id, eventId }));
    expect(again).toEqual({ ...first, recorded: false });
    const { rows } = await h.ctx.db.pool.query('SELECT kind, user_id, ticket_id, event_id FROM kb_usage WHERE article_id = $1', [s.id]);
    expect(rows).toEqual([{ kind: 'insert', user_id: agentA.id, ticket_id: t.id, event_id: eventId }]);
    expect((await ok(agentA.client.get(`/api/v1/kb/articles/${s.id}`))).usageCount).toBe(1);
    // Another agent's event with the same id is their own.
    expect((await ok(agentB.client.post(`/api/v1/kb/articles/${s.id}/render`, { ticketId: t.id, eventId }))).recorded).toBe(true);
    // The same id for another script, or for a view, is a mistake, not a retry.
    const other = await published({ body: '另一条话术。' });
    const clash = await agentA.client.post(`/api/v1/kb/articles/${other.id}/render`, { ticketId: t.id, eventId });
    expect(clash.status).toBe(422);
    expect(clash.body.error.code).toBe('idempotency_mismatch');
    expect((await agentA.client.post(`/api/v1/kb/articles/${s.id}/usage`, { kind: 'view', eventId })).status).toBe(422);
    expect((await agentA.client.post(`/api/v1/kb/articles/${s.id}/render`, { ticketId: t.id, eventId: 'short' })).status).toBe(400);
    expect((await agentA.client.post(`/api/v1/kb/articles/${s.id}/render`, { ticketId: t.id, eventId: '<script>alert(1)</script>' })).status).toBe(400);
  });

  it('drafts are not inserted; an unknown ticket is 404; a customer may not render', async () => {
    const d = await ok(agentA.client.post('/api/v1/kb/articles', draft()), 201);
    const t = await ok(agentA.client.post('/api/v1/tickets', { type: 'consultation', channel: 'phone', subject: '草稿话术' }), 201);
    expect((await agentA.client.post(`/api/v1/kb/articles/${d.id}/render`, { ticketId: t.id })).status).toBe(409);
    const s = await published();
    expect((await agentA.client.post(`/api/v1/kb/articles/${s.id}/render`, { ticketId: randomUUID() })).status).toBe(404);
    expect((await customer.client.post(`/api/v1/kb/articles/${s.id}/render`, { ticketId: t.id })).status).toBe(403);
    expect((await ok(agentA.client.get(`/api/v1/kb/articles/${d.id}`))).usageCount).toBe(0);
  });
});

describe('the public help centre', () => {
  it('shows published public articles only: never drafts, articles in review, internal or archived content', async () => {
    const pub = await published({ kind: 'article', audience: 'public', categoryCode: 'order.prohibited', title: `公开文章 ${h.uid()}` });
    const internal = await published({ kind: 'article', audience: 'internal', title: `内部文章 ${h.uid()}` });
    const d = await ok(agentA.client.post('/api/v1/kb/articles', draft({ audience: 'public', title: `公开草稿 ${h.uid()}` })), 201);
    const inReview = await ok(agentA.client.post('/api/v1/kb/articles', draft({ audience: 'public', title: `审核中 ${h.uid()}` })), 201);
    await ok(agentA.client.post(`/api/v1/kb/articles/${inReview.id}/submit`));
    const gone = await published({ audience: 'public', title: `已归档 ${h.uid()}` });
    await ok(lead.client.post(`/api/v1/kb/articles/${gone.id}/archive`));

    const list = await ok(h.anon.get('/api/v1/kb/public?limit=200'));
    const ids = list.items.map((i: any) => i.id);
    expect(ids).toContain(pub.id);
    for (const hidden of [internal.id, d.id, inReview.id, gone.id]) {
      expect(ids).not.toContain(hidden);
      expect((await h.anon.get(`/api/v1/kb/public/${hidden}`)).status).toBe(404);
      expect((await h.anon.post(`/api/v1/kb/public/${hidden}/feedback`, { helpful: true, clientId: 'browser-123456' })).status).toBe(404);
    }
    const byCategory = await ok(h.anon.get('/api/v1/kb/public?category=order.prohibited&limit=200'));
    expect(byCategory.items.map((i: any) => i.id)).toContain(pub.id);
    expect(byCategory.items.every((i: any) => i.category.code === 'order.prohibited')).toBe(true);
    // The public view carries no staff fields.
    const one = await ok(h.anon.get(`/api/v1/kb/public/${pub.id}`));
    expect(Object.keys(one).sort()).toEqual(['body', 'category', 'helpfulNo', 'helpfulYes', 'id', 'kind', 'publishedAt', 'tags', 'title']);
    // Views are counted.
    const { rows } = await h.ctx.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM kb_usage WHERE article_id = $1 AND kind = 'view'`, [pub.id]);
    expect(rows[0]!.n).toBe(1);
  });

  it('was this helpful: once per client per article; a retry is not a second vote', async () => {
    const a = await published({ kind: 'article', audience: 'public', title: `反馈 ${h.uid()}` });
    const c1 = `c-${randomUUID()}`;
    const c2 = `c-${randomUUID()}`;
    expect(await ok(h.anon.post(`/api/v1/kb/public/${a.id}/feedback`, { helpful: true, clientId: c1, comment: '很清楚' }))).toEqual({ recorded: true, helpfulYes: 1, helpfulNo: 0 });
    expect(await ok(h.anon.post(`/api/v1/kb/public/${a.id}/feedback`, { helpful: true, clientId: c1 }))).toEqual({ recorded: false, helpfulYes: 1, helpfulNo: 0 });
    expect(await ok(h.anon.post(`/api/v1/kb/public/${a.id}/feedback`, { helpful: false, clientId: c1 }))).toEqual({ recorded: false, helpfulYes: 1, helpfulNo: 0 });
    expect(await ok(customer.client.post(`/api/v1/kb/public/${a.id}/feedback`, { helpful: false, clientId: c2 }))).toEqual({ recorded: true, helpfulYes: 1, helpfulNo: 1 });
    // Several at once from one client still count once.
    const c3 = `c-${randomUUID()}`;
    const burst = await Promise.all([1, 2, 3, 4].map(() => h.anon.post(`/api/v1/kb/public/${a.id}/feedback`, { helpful: true, clientId: c3 })));
    expect(burst.every((r) => r.status === 200)).toBe(true);
    expect(burst.filter((r) => r.body.recorded).length).toBe(1);
    const { rows } = await h.ctx.db.pool.query<{ client_id: string; helpful: boolean; comment: string | null; user_id: string | null }>(
      'SELECT client_id, helpful, comment, user_id FROM kb_feedback WHERE article_id = $1 ORDER BY id', [a.id],
    );
    expect(rows).toEqual([
      { client_id: c1, helpful: true, comment: '很清楚', user_id: null },
      { client_id: c2, helpful: false, comment: null, user_id: customer.id },
      { client_id: c3, helpful: true, comment: null, user_id: null },
    ]);
    expect((await ok(lead.client.get(`/api/v1/kb/articles/${a.id}`)))).toMatchObject({ helpfulYes: 2, helpfulNo: 1 });
    expect((await h.anon.post(`/api/v1/kb/public/${a.id}/feedback`, { helpful: 'yes', clientId: c1 })).status).toBe(400);
    expect((await h.anon.post(`/api/v1/kb/public/${a.id}/feedback`, { helpful: true, clientId: 'x' })).status).toBe(400);
  });
});

describe('the seeded knowledge base', () => {
  it('ships 40+ published Chinese entries in categories, with the greetings, closings, busy message and core processes', async () => {
    const all = await ok(lead.client.get('/api/v1/kb/articles?status=published&limit=200'));
    // The seeded entries (other test files add their own published articles to the shared database).
    const seedTitles = new Set(KB_SEEDS.map((k) => k[3]));
    const seeded = all.items.filter((i: any) => i.createdBy === null && seedTitles.has(i.title));
    expect(seeded.length).toBeGreaterThanOrEqual(40);
    expect(seeded.every((i: any) => i.category !== null && /[\u4e00-\u9fff]/.test(i.title) && i.tags.length > 0)).toBe(true);
    const bodies = seeded.map((i: any) => i.body);
    for (const phrase of ['您好,{公司}快递客服,请问有什么可以帮您?', '您好,{公司}话务员为您服务,请讲。', '请问还有其他需要帮助的吗?感谢您的理解与支持,再见!', '您好,当前咨询量较大,我会尽快为您解答,请稍等~']) {
      expect(bodies).toContain(phrase);
    }
    const titles = seeded.map((i: any) => i.title).join('|');
    for (const topic of ['查', '改地址', '破损', '丢', '理赔', '禁寄', '运费', '几天', '投诉', '回访', '老年', '孕妇', '残障']) expect(titles).toContain(topic);
    expect(seeded.filter((i: any) => i.appliesTo.includes('damaged')).length).toBeGreaterThanOrEqual(3);
    const pub = await ok(h.anon.get('/api/v1/kb/public?limit=200'));
    expect(pub.items.filter((i: any) => seeded.some((s: any) => s.id === i.id)).length).toBeGreaterThanOrEqual(10);
    const cats = await ok(agentA.client.get('/api/v1/kb/categories'));
    expect(cats.items.map((c: any) => c.code)).toEqual(expect.arrayContaining(['greeting', 'problem.damage', 'claim', 'complaint', 'special']));
    expect(cats.items.find((c: any) => c.code === 'problem.damage')).toMatchObject({ parentCode: 'problem', ticketCategoryCode: 'problem.damage' });
  });
});
