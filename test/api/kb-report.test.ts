/**
 * Knowledge-base usage and the report over HTTP (issue 5 leftovers): search clicks and views as
 * usage events (staff and help centre), once per eventId however often they are sent; searches
 * logged by recordKbSearch; GET /kb/reports/usage with its totals, pages, lists and query
 * click-through, dates on the company's clock; and 客户称呼 — a customer's salutation, encrypted,
 * masked like the name, and used by the script renderer.
 *
 * The database is shared with other test files: the report is read for a category this file
 * creates, and every assertion is narrowed to rows this file made.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normaliseKbQuery } from '../../src/domain/kb-report.ts';
import { recordKbSearch } from '../../src/services/kb/kb-usage.ts';
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

/** A KB category of this test's own (optionally under another), so the report sees only our articles. */
async function category(parentId: string | null = null): Promise<{ id: string; code: string }> {
  const code = `test.${h.uid()}`;
  const { rows } = await h.ctx.db.pool.query<{ id: string }>('INSERT INTO kb_categories (code, name_zh, name_en, parent_id) VALUES ($1, $2, $3, $4) RETURNING id', [code, '测试分类', 'Test category', parentId]);
  return { id: rows[0]!.id, code };
}

/** A published article written by agentA and approved by the lead. */
async function published(over: Record<string, unknown> = {}): Promise<any> {
  const a = await ok(agentA.client.post('/api/v1/kb/articles', {
    kind: 'article', audience: 'public', categoryCode: 'problem.damage', title: `报表文章 ${h.uid()}`, body: '{客户称呼}您好,快件破损请拍照登记。', tags: ['破损'], ...over,
  }), 201);
  await ok(agentA.client.post(`/api/v1/kb/articles/${a.id}/submit`));
  return ok(lead.client.post(`/api/v1/kb/articles/${a.id}/approve`, {}));
}

const ev = (): string => `ev-${randomUUID()}`;

async function usageRows(articleId: string): Promise<{ kind: string; user_id: string | null; ticket_id: string | null; query: string | null; rank: number | null; search_id: number | null; client_id: string | null }[]> {
  const { rows } = await h.ctx.db.pool.query('SELECT kind, user_id, ticket_id, query, rank, search_id, client_id FROM kb_usage WHERE article_id = $1 ORDER BY id', [articleId]);
  return rows;
}

async function auditFor(entityId: string): Promise<{ action: string; data: any }[]> {
  const { rows } = await h.ctx.db.pool.query<{ action: string; data: any }>('SELECT action, data FROM audit_log WHERE entity_id = $1 ORDER BY id', [entityId]);
  return rows;
}

describe('staff usage events: POST /kb/articles/{id}/usage', () => {
  it('records a search click with the normalised query, rank and ticket; a retry is not a second click', async () => {
    const a = await published({ audience: 'internal' });
    const t = await ok(agentA.client.post('/api/v1/tickets', { type: 'consultation', channel: 'phone', subject: '破损咨询' }), 201);
    const eventId = ev();
    const body = { kind: 'search_click', query: '  SF1234567890   破损 ', rank: 2, ticketId: t.number, eventId };
    expect(await ok(agentA.client.post(`/api/v1/kb/articles/${a.id}/usage`, body))).toEqual({ recorded: true });
    expect(await ok(agentA.client.post(`/api/v1/kb/articles/${a.id}/usage`, body))).toEqual({ recorded: false });
    // Several at once with one eventId still make one row.
    const burst = await Promise.all([1, 2, 3].map(() => agentA.client.post(`/api/v1/kb/articles/${a.id}/usage`, body)));
    expect(burst.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(burst.every((r) => r.body.recorded === false)).toBe(true);
    // The same eventId is the user's own: another agent's event with that id is a new one.
    expect(await ok(agentB.client.post(`/api/v1/kb/articles/${a.id}/usage`, body))).toEqual({ recorded: true });
    expect(await usageRows(a.id)).toEqual([
      { kind: 'search_click', user_id: agentA.id, ticket_id: t.id, query: '〔号码〕破损', rank: 2, search_id: null, client_id: null },
      { kind: 'search_click', user_id: agentB.id, ticket_id: t.id, query: '〔号码〕破损', rank: 2, search_id: null, client_id: null },
    ]);
    // The same eventId for a different event is refused, not silently taken as a retry.
    const other = await agentA.client.post(`/api/v1/kb/articles/${a.id}/usage`, { ...body, rank: 3 });
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('idempotency_mismatch');
    // A click is not a view: usageCount counts views and inserts.
    expect((await ok(agentA.client.get(`/api/v1/kb/articles/${a.id}`))).usageCount).toBe(0);
  });

  it('records a view (counted in usageCount); a search click may name its search instead of the query', async () => {
    const a = await published({ audience: 'internal' });
    expect(await ok(agentA.client.post(`/api/v1/kb/articles/${a.id}/usage`, { kind: 'view', eventId: ev() }))).toEqual({ recorded: true });
    expect((await ok(agentA.client.get(`/api/v1/kb/articles/${a.id}`))).usageCount).toBe(1);

    const s = await recordKbSearch(h.ctx, { userId: agentA.id, role: 'agent', customerId: null, teamIds: [] }, { query: '破损 怎么赔', hits: 3 });
    expect(s).toEqual({ searchId: expect.any(Number) });
    expect(await ok(agentA.client.post(`/api/v1/kb/articles/${a.id}/usage`, { kind: 'search_click', searchId: s!.searchId, rank: 1, eventId: ev() }))).toEqual({ recorded: true });
    // A query given with the searchId must be the search's.
    expect((await agentA.client.post(`/api/v1/kb/articles/${a.id}/usage`, { kind: 'search_click', searchId: s!.searchId, query: '破损  怎么赔', rank: 1, eventId: ev() })).status).toBe(200);
    expect((await agentA.client.post(`/api/v1/kb/articles/${a.id}/usage`, { kind: 'search_click', searchId: s!.searchId, query: '别的问题', rank: 1, eventId: ev() })).status).toBe(400);
    expect((await agentA.client.post(`/api/v1/kb/articles/${a.id}/usage`, { kind: 'search_click', searchId: 999999999999, rank: 1, eventId: ev() })).status).toBe(400);
    const rows = await usageRows(a.id);
    expect(rows.map((r) => [r.kind, r.query, r.search_id])).toEqual([['view', null, null], ['search_click', '破损 怎么赔', s!.searchId], ['search_click', '破损 怎么赔', s!.searchId]]);
  });

  it('bad input is a clear 4xx; only published content; roles', async () => {
    const a = await published({ audience: 'internal' });
    const url = `/api/v1/kb/articles/${a.id}/usage`;
    const bad: [unknown, number, RegExp?][] = [
      [{ kind: 'insert', eventId: ev() }, 400], // inserts are recorded by /render
      [{ kind: 'search_click', query: '破损', eventId: ev() }, 400, /rank/],
      [{ kind: 'search_click', rank: 1, eventId: ev() }, 400, /query/],
      [{ kind: 'search_click', query: '   ', rank: 1, eventId: ev() }, 400],
      [{ kind: 'search_click', query: '破损', rank: 0, eventId: ev() }, 400],
      [{ kind: 'search_click', query: '破损', rank: 1.5, eventId: ev() }, 400],
      [{ kind: 'view', query: '破损', eventId: ev() }, 400, /belong to a search_click/],
      [{ kind: 'view' }, 400],
      [{ kind: 'view', eventId: 'short' }, 400],
      [{ kind: 'view', eventId: 'has spaces in it' }, 400],
      [{ kind: 'view', eventId: ev(), extra: 1 }, 400],
      [{ kind: 'view', eventId: ev(), ticketId: randomUUID() }, 404],
    ];
    for (const [body, status, message] of bad) {
      const res = await agentA.client.post(url, body);
      expect(res.status, JSON.stringify([body, res.body])).toBe(status);
      if (message) expect(res.body.error.message).toMatch(message);
    }
    expect((await agentA.client.post(`/api/v1/kb/articles/${randomUUID()}/usage`, { kind: 'view', eventId: ev() })).status).toBe(404);
    const d = await ok(agentA.client.post('/api/v1/kb/articles', { kind: 'article', audience: 'internal', title: `草稿 ${h.uid()}`, body: '草稿正文' }), 201);
    expect((await agentA.client.post(`/api/v1/kb/articles/${d.id}/usage`, { kind: 'view', eventId: ev() })).status).toBe(409);
    expect((await customer.client.post(url, { kind: 'view', eventId: ev() })).status).toBe(403);
    expect((await ops.post(url, { kind: 'view', eventId: ev() })).status).toBe(403);
    expect((await h.anon.post(url, { kind: 'view', eventId: ev() })).status).toBe(401);
    expect(await usageRows(a.id)).toEqual([]);
  });
});

describe('help-centre usage events: POST /kb/public/{id}/usage', () => {
  it('records a click once per clientId and eventId; a retry or a burst is one click', async () => {
    const a = await published();
    const clientId = `c-${randomUUID()}`;
    const body = { kind: 'search_click', query: '破损 赔偿', rank: 1, clientId, eventId: ev() };
    expect(await ok(h.anon.post(`/api/v1/kb/public/${a.id}/usage`, body))).toEqual({ recorded: true });
    const burst = await Promise.all([1, 2, 3, 4].map(() => h.anon.post(`/api/v1/kb/public/${a.id}/usage`, body)));
    expect(burst.every((r) => r.status === 200 && r.body.recorded === false)).toBe(true);
    // Another browser's event with the same id is its own.
    expect(await ok(customer.client.post(`/api/v1/kb/public/${a.id}/usage`, { ...body, clientId: `c-${randomUUID()}` }))).toEqual({ recorded: true });
    const rows = await usageRows(a.id);
    expect(rows.map((r) => [r.kind, r.query, r.rank, r.user_id])).toEqual([['search_click', '破损 赔偿', 1, null], ['search_click', '破损 赔偿', 1, customer.id]]);
    expect(rows[0]!.client_id).toBe(clientId);
    expect((await h.anon.post(`/api/v1/kb/public/${a.id}/usage`, { ...body, rank: 5 })).status).toBe(422);
  });

  it('internal, draft and unknown articles do not exist; bad input is 400', async () => {
    const internal = await published({ audience: 'internal' });
    const pub = await published();
    const body = (): Record<string, unknown> => ({ kind: 'search_click', query: '破损', rank: 1, clientId: `c-${randomUUID()}`, eventId: ev() });
    expect((await h.anon.post(`/api/v1/kb/public/${internal.id}/usage`, body())).status).toBe(404);
    expect((await h.anon.post(`/api/v1/kb/public/${randomUUID()}/usage`, body())).status).toBe(404);
    for (const b of [{ ...body(), kind: 'view' }, { ...body(), clientId: undefined }, { ...body(), clientId: 'x' }, { ...body(), rank: undefined }, { ...body(), query: undefined }, { ...body(), eventId: undefined }, { ...body(), ticketId: 'GD1' }]) {
      expect((await h.anon.post(`/api/v1/kb/public/${pub.id}/usage`, b)).status, JSON.stringify(b)).toBe(400);
    }
    expect(await usageRows(pub.id)).toEqual([]);
  });
});

describe('recordKbSearch', () => {
  it('logs the normalised query, the hits and who searched (staff or public); nothing is logged for an empty query', async () => {
    const staff = await recordKbSearch(h.ctx, { userId: agentA.id, role: 'agent', customerId: null, teamIds: [] }, { query: '13812345678 改地址', hits: 4 });
    const anon = await recordKbSearch(h.ctx, null, { query: 'ＳＦ 破损', hits: 0 });
    const cust = await recordKbSearch(h.ctx, { userId: customer.id, role: 'customer', customerId: customer.customerId, teamIds: [] }, { query: '运费', hits: 2 });
    expect(await recordKbSearch(h.ctx, null, { query: '   ', hits: 0 })).toBeNull();
    const { rows } = await h.ctx.db.pool.query('SELECT query, audience, user_id, hits FROM kb_searches WHERE id = ANY($1) ORDER BY id', [[staff!.searchId, anon!.searchId, cust!.searchId]]);
    expect(rows).toEqual([
      { query: '〔号码〕改地址', audience: 'staff', user_id: agentA.id, hits: 4 },
      { query: 'sf 破损', audience: 'public', user_id: null, hits: 0 },
      { query: '运费', audience: 'public', user_id: customer.id, hits: 2 },
    ]);
  });
});

describe('the report: GET /kb/reports/usage', () => {
  it('per article: views, inserts, clicks, helpful answers and rate, last use, review date; totals; unused and mostly unhelpful; dates on the company clock', async () => {
    const cat = await category();
    const sub = await category(cat.id);
    const busy = await published({ categoryCode: cat.code, kind: 'script', audience: 'internal', body: '{客户称呼}您好,{公司}客服。' });
    const liked = await published({ categoryCode: cat.code });
    const disliked = await published({ categoryCode: sub.code });
    const idle = await published({ categoryCode: cat.code });
    const elsewhere = await published(); // another category: not in this report

    // busy: 2 inserts into replies, 1 staff view, 1 staff click.
    const t = await ok(agentA.client.post('/api/v1/tickets', { type: 'consultation', channel: 'phone', subject: '报表话术' }), 201);
    await ok(agentA.client.post(`/api/v1/kb/articles/${busy.id}/render`, { ticketId: t.id }));
    await ok(agentB.client.post(`/api/v1/kb/articles/${busy.id}/render`, { ticketId: t.id }));
    await ok(agentA.client.post(`/api/v1/kb/articles/${busy.id}/usage`, { kind: 'view', eventId: ev() }));
    await ok(agentA.client.post(`/api/v1/kb/articles/${busy.id}/usage`, { kind: 'search_click', query: '话术', rank: 1, eventId: ev() }));
    // liked: 2 public views, 1 click, 3 yes.
    await ok(h.anon.get(`/api/v1/kb/public/${liked.id}`));
    await ok(h.anon.get(`/api/v1/kb/public/${liked.id}`));
    await ok(h.anon.post(`/api/v1/kb/public/${liked.id}/usage`, { kind: 'search_click', query: '破损', rank: 3, clientId: `c-${randomUUID()}`, eventId: ev() }));
    for (let i = 0; i < 3; i++) await ok(h.anon.post(`/api/v1/kb/public/${liked.id}/feedback`, { helpful: true, clientId: `c-${randomUUID()}` }));
    // disliked (in the sub-category): 1 view, 1 yes and 5 no.
    await ok(h.anon.get(`/api/v1/kb/public/${disliked.id}`));
    for (const helpful of [true, false, false, false, false, false]) await ok(h.anon.post(`/api/v1/kb/public/${disliked.id}/feedback`, { helpful, clientId: `c-${randomUUID()}` }));
    await ok(h.anon.get(`/api/v1/kb/public/${elsewhere.id}`));
    // idle: nobody used it; its review date has passed.
    await h.ctx.db.pool.query(`UPDATE kb_articles SET review_due_at = now() - interval '3 days' WHERE id = $1`, [idle.id]);

    const report = await ok(lead.client.get(`/api/v1/kb/reports/usage?categoryId=${cat.id}`));
    expect(report.period).toMatchObject({ timeZone: 'Asia/Shanghai', start: expect.stringMatching(/T00:00:00\.000\+08:00$/), end: expect.stringMatching(/T00:00:00\.000\+08:00$/) });
    expect(report.filters).toEqual({ categoryId: cat.id, kind: null });
    const byId = new Map<string, any>(report.items.map((i: any) => [i.id, i]));
    expect(report.items.map((i: any) => i.id)).toEqual([busy.id, liked.id, disliked.id, idle.id]);
    expect(byId.get(busy.id)).toMatchObject({ kind: 'script', views: 1, inserts: 2, searchClicks: 1, uses: 4, helpfulYes: 0, helpfulNo: 0, helpfulRate: null, mostlyUnhelpful: false, unused: false, reviewOverdue: false, category: { id: cat.id, code: cat.code } });
    expect(byId.get(liked.id)).toMatchObject({ views: 2, inserts: 0, searchClicks: 1, uses: 3, helpfulYes: 3, helpfulNo: 0, helpfulRate: 1, mostlyUnhelpful: false });
    expect(byId.get(disliked.id)).toMatchObject({ views: 1, uses: 1, helpfulYes: 1, helpfulNo: 5, helpfulRate: 0.167, mostlyUnhelpful: true, category: { id: sub.id } });
    expect(byId.get(idle.id)).toMatchObject({ uses: 0, unused: true, lastUsedAt: null, reviewOverdue: true });
    expect(byId.get(busy.id).lastUsedAt).toMatch(/\+08:00$/);
    expect(byId.get(busy.id).reviewDueAt).toMatch(/\+08:00$/);
    expect(byId.get(busy.id).title).toBe(busy.title);
    expect(report.totals).toEqual({ articles: 4, views: 4, inserts: 2, searchClicks: 2, helpfulYes: 4, helpfulNo: 5, helpfulRate: 0.444, unused: 1, mostlyUnhelpful: 1, reviewOverdue: 1 });
    expect(report.unused.map((i: any) => i.id)).toEqual([idle.id]);
    expect(report.mostlyUnhelpful.map((i: any) => i.id)).toEqual([disliked.id]);
    expect(report.rules).toEqual({ mostlyUnhelpful: { minAnswers: 5, belowRate: 0.5 } });
    expect(report.nextCursor).toBeNull();

    // kind, the sub-category alone.
    expect((await ok(qa.client.get(`/api/v1/kb/reports/usage?categoryId=${cat.id}&kind=script`))).items.map((i: any) => i.id)).toEqual([busy.id]);
    expect((await ok(supervisor.client.get(`/api/v1/kb/reports/usage?categoryId=${sub.id}`))).items.map((i: any) => i.id)).toEqual([disliked.id]);

    // An edit under review: the report shows the live (published) title; archived content leaves the report.
    await ok(lead.client.patch(`/api/v1/kb/articles/${liked.id}`, { title: `改过的标题 ${h.uid()}` }));
    await ok(lead.client.post(`/api/v1/kb/articles/${idle.id}/archive`));
    const after = await ok(lead.client.get(`/api/v1/kb/reports/usage?categoryId=${cat.id}`));
    expect(after.items.map((i: any) => i.id)).toEqual([busy.id, liked.id, disliked.id]);
    expect(after.items[1].title).toBe(liked.title);
    expect(after.totals.unused).toBe(0);
  });

  it('the period is local dates in the company time zone; use outside it is not counted', async () => {
    const cat = await category();
    const a = await published({ categoryCode: cat.code });
    await ok(h.anon.get(`/api/v1/kb/public/${a.id}`));
    await ok(h.anon.get(`/api/v1/kb/public/${a.id}`));
    await ok(h.anon.post(`/api/v1/kb/public/${a.id}/feedback`, { helpful: false, clientId: `c-${randomUUID()}` }));
    // One view and the answer were 40 days ago, at 23:30 Shanghai time (15:30 UTC).
    const old = new Date(Date.now() - 40 * 86_400_000);
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(old);
    const at = new Date(`${day}T15:30:00Z`);
    await h.ctx.db.pool.query(`UPDATE kb_usage SET at = $2 WHERE id = (SELECT min(id) FROM kb_usage WHERE article_id = $1)`, [a.id, at]);
    await h.ctx.db.pool.query('UPDATE kb_feedback SET at = $2 WHERE article_id = $1', [a.id, at]);

    const recent = await ok(lead.client.get(`/api/v1/kb/reports/usage?categoryId=${cat.id}`));
    expect(recent.items[0]).toMatchObject({ views: 1, helpfulNo: 0 });
    const thatDay = await ok(lead.client.get(`/api/v1/kb/reports/usage?categoryId=${cat.id}&from=${day}&to=${day}`));
    expect(thatDay.period).toMatchObject({ from: day, to: day, start: `${day}T00:00:00.000+08:00` });
    expect(thatDay.items[0]).toMatchObject({ views: 1, helpfulNo: 1, unused: false });
    // The day after (in Shanghai) holds nothing, though 15:30 UTC is still that day in UTC.
    const next = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(at.getTime() + 86_400_000));
    expect((await ok(lead.client.get(`/api/v1/kb/reports/usage?categoryId=${cat.id}&from=${next}&to=${next}`))).items[0]).toMatchObject({ views: 0, unused: true });
  });

  it('pages with a keyset cursor: every article once, most used first', async () => {
    const cat = await category();
    const arts = [];
    for (let i = 0; i < 5; i++) arts.push(await published({ categoryCode: cat.code }));
    // Uses 3, 1, 1, 0, 0: ties are ordered by id.
    for (let i = 0; i < 3; i++) await ok(h.anon.get(`/api/v1/kb/public/${arts[0].id}`));
    await ok(h.anon.get(`/api/v1/kb/public/${arts[1].id}`));
    await ok(h.anon.get(`/api/v1/kb/public/${arts[2].id}`));
    const seen: any[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: any = await ok(lead.client.get(`/api/v1/kb/reports/usage?categoryId=${cat.id}&limit=2${cursor ? `&cursor=${cursor}` : ''}`));
      expect(res.items.length).toBeLessThanOrEqual(2);
      expect(res.totals.articles).toBe(5);
      seen.push(...res.items);
      cursor = res.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen.map((i) => i.uses)).toEqual([3, 1, 1, 0, 0]);
    expect(new Set(seen.map((i) => i.id)).size).toBe(5);
    expect(seen[0].id).toBe(arts[0].id);
    expect([seen[1].id, seen[2].id]).toEqual([arts[1].id, arts[2].id].sort());
    expect([seen[3].id, seen[4].id]).toEqual([arts[3].id, arts[4].id].sort());
  });

  it('searches: the top queries with click-through, and those after which nothing was opened', async () => {
    const a = await published({ audience: 'internal' });
    const staff = { userId: agentA.id, role: 'agent' as const, customerId: null, teamIds: [] };
    // Stored normalised (a run of digits in the uid would become 〔号码〕).
    const qx = normaliseKbQuery(`报表查询x${h.uid()}`);
    const qy = normaliseKbQuery(`报表查询y${h.uid()}`);
    // qx: 6 searches; one click names its search (twice: one search), one does not → 2 of 6 clicked.
    const sx = [];
    for (let i = 0; i < 6; i++) sx.push(await recordKbSearch(h.ctx, staff, { query: qx, hits: 3 }));
    await ok(agentA.client.post(`/api/v1/kb/articles/${a.id}/usage`, { kind: 'search_click', searchId: sx[0]!.searchId, rank: 1, eventId: ev() }));
    await ok(agentA.client.post(`/api/v1/kb/articles/${a.id}/usage`, { kind: 'search_click', searchId: sx[0]!.searchId, rank: 2, eventId: ev() }));
    await ok(agentA.client.post(`/api/v1/kb/articles/${a.id}/usage`, { kind: 'search_click', query: qx, rank: 1, eventId: ev() }));
    // qy: 5 searches that found nothing, no click.
    for (let i = 0; i < 5; i++) await recordKbSearch(h.ctx, null, { query: qy, hits: 0 });

    const report = await ok(lead.client.get('/api/v1/kb/reports/usage?limit=1'));
    const x = report.searches.topQueries.find((q: any) => q.query === qx);
    expect(x).toEqual({ query: qx, searches: 6, searchesWithClick: 2, searchesWithoutClick: 4, noResults: 0, clicks: 3, clickThroughRate: 0.333 });
    const y = report.searches.withoutClick.find((q: any) => q.query === qy);
    expect(y).toEqual({ query: qy, searches: 5, searchesWithClick: 0, searchesWithoutClick: 5, noResults: 5, clicks: 0, clickThroughRate: 0 });
    expect(report.searches.withoutClick.map((q: any) => q.query)).not.toContain(qx);
    expect(report.searches.searches).toBeGreaterThanOrEqual(11);
    expect(report.searches.searchesWithClick + report.searches.searchesWithoutClick).toBe(report.searches.searches);
    expect(report.searches.topQueries.length).toBeLessThanOrEqual(20);
  });

  it('who may see it; bad input is a 400', async () => {
    for (const c of [agentA.client, customer.client, ops]) expect((await c.get('/api/v1/kb/reports/usage')).status).toBe(403);
    expect((await h.anon.get('/api/v1/kb/reports/usage')).status).toBe(401);
    for (const c of [lead.client, qa.client, supervisor.client]) expect((await c.get('/api/v1/kb/reports/usage?limit=1')).status).toBe(200);
    for (const q of ['from=2026-05-02&to=2026-05-01', 'from=2026-13-01', 'to=tomorrow', 'from=2020-01-01&to=2026-01-01', `categoryId=${randomUUID()}`, 'categoryId=nope', 'kind=poem', 'limit=0', 'limit=500', 'cursor=bm9wZQ', 'cursor=%5B%5D']) {
      const res = await lead.client.get(`/api/v1/kb/reports/usage?${q}`);
      expect(res.status, `${q}: ${JSON.stringify(res.body)}`).toBe(400);
      expect(res.body.error.code).toMatch(/validation_failed|bad_request/);
    }
  });
});

describe('客户称呼: the customer salutation', () => {
  it('is set on create and update, stored encrypted, masked like the name, shown in full to the customer, revealed with a reason', async () => {
    const created = await ok(agentA.client.post('/api/v1/customers', { name: '张伟', phone: `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`, salutation: ' 张先生 ' }), 201);
    expect(created).toMatchObject({ name: '张*', salutation: '张**', masked: true });
    const { rows } = await h.ctx.db.pool.query<{ salutation_enc: string }>('SELECT salutation_enc FROM customers WHERE id = $1', [created.id]);
    expect(rows[0]!.salutation_enc).toMatch(/^v1:/);
    expect(rows[0]!.salutation_enc).not.toContain('张');
    expect(h.ctx.crypto.decrypt(rows[0]!.salutation_enc)).toBe('张先生');

    const updated = await ok(agentA.client.patch(`/api/v1/customers/${created.id}`, { salutation: '张总' }));
    expect(updated.salutation).toBe('张*');
    const revealed = await ok(agentA.client.post(`/api/v1/customers/${created.id}/reveal`, { field: 'salutation', reason: '核对客户称呼' }));
    expect(revealed).toEqual({ field: 'salutation', value: '张总' });
    // The audit names the fields, never the values.
    const audit = await auditFor(created.id);
    expect(audit.map((e) => e.action)).toEqual(['customer.create', 'customer.update', 'pii.reveal']);
    expect(audit[0]!.data.fields).toContain('salutation');
    expect(audit[1]!.data).toEqual({ fields: ['salutation'] });
    expect(JSON.stringify(audit)).not.toContain('张总');

    // The customer sees their own in full, and may correct it (P4).
    const own = await ok(customer.client.patch(`/api/v1/customers/${customer.customerId}`, { salutation: '刘女士' }));
    expect(own).toMatchObject({ salutation: '刘女士', masked: false });
    expect((await ok(agentA.client.get(`/api/v1/customers/${customer.customerId}`))).salutation).toBe('刘**');

    // Cleared with null or an empty string.
    expect((await ok(agentA.client.patch(`/api/v1/customers/${created.id}`, { salutation: null }))).salutation).toBeNull();
    expect((await ok(agentA.client.patch(`/api/v1/customers/${customer.customerId}`, { salutation: '' }))).salutation).toBeNull();

    for (const bad of ['{运单号}', '张'.repeat(21), '张先生13800001111', '张\n先生', 42]) {
      const res = await agentA.client.patch(`/api/v1/customers/${created.id}`, { salutation: bad });
      expect(res.status, JSON.stringify(bad)).toBe(400);
    }
    expect((await agentA.client.post('/api/v1/customers', { phone: `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`, salutation: '<王总>' })).status).toBe(400);
  });

  it('fills {客户称呼} in scripts; without one the script says 您, never a blank', async () => {
    const withSal = await ok(agentA.client.post('/api/v1/customers', { name: '李秀英', phone: `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`, salutation: '李阿姨' }), 201);
    const without = await ok(agentA.client.post('/api/v1/customers', { name: '王芳', phone: `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}` }), 201);
    const s = await published({ kind: 'script', audience: 'internal', body: '{客户称呼}好,{公司}快递客服。' });
    const t1 = await ok(agentA.client.post('/api/v1/tickets', { type: 'consultation', channel: 'phone', subject: '称呼', customerId: withSal.id }), 201);
    const t2 = await ok(agentA.client.post('/api/v1/tickets', { type: 'consultation', channel: 'phone', subject: '称呼', customerId: without.id }), 201);
    const t3 = await ok(agentA.client.post('/api/v1/tickets', { type: 'consultation', channel: 'phone', subject: '没有客户' }), 201);
    expect(await ok(agentA.client.post(`/api/v1/kb/articles/${s.id}/render`, { ticketId: t1.id }))).toMatchObject({ text: '李阿姨好,顺达快递客服。', missing: [] });
    expect(await ok(agentA.client.post(`/api/v1/kb/articles/${s.id}/render`, { ticketId: t2.id }))).toMatchObject({ text: '您好,顺达快递客服。', missing: [] });
    expect(await ok(agentA.client.post(`/api/v1/kb/articles/${s.id}/render`, { ticketId: t3.id }))).toMatchObject({ text: '您好,顺达快递客服。', missing: [] });
    // The ticket's customer is masked for the agent, salutation included.
    expect((await ok(agentA.client.get(`/api/v1/tickets/${t1.id}`))).customer).toMatchObject({ name: '李**', salutation: '李**', masked: true });
  });
});
