/**
 * Knowledge-base search over HTTP (issue 5): Chinese queries segmented with jieba and expanded
 * with synonyms, title matches first, helpful content boosted, a trigram fallback for typos,
 * highlights, audience rules (staff: internal + public; customers and the public portal: public
 * only; published only), re-indexing after an edit, and suggested scripts for a ticket from its
 * category, its text and the parcel's tracking status. Articles are inserted with SQL under a
 * category of this run, and every search is scoped to it, so other tests' content cannot interfere.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok } from '../support/expect-ok.ts';
import { startHarness, type Client, type Harness, type TestUser } from '../support/harness.ts';

let h: Harness;
let agent: TestUser;
let lead: TestUser;
let catCode: string;
let customer: TestUser;
let cat: string;
const ids: Record<string, string> = {};

interface Hit { id: string; title: string; audience: string; match: string; highlight: { title: string; body: string } }

async function article(key: string, a: { kind?: string; audience?: string; status?: string; title: string; body: string; appliesTo?: string[]; helpfulYes?: number; category?: string }): Promise<void> {
  const { rows } = await h.ctx.db.pool.query<{ id: string }>(
    `INSERT INTO kb_articles (kind, audience, category_id, status, title, body, applies_to, version, published_version, helpful_yes)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 1, CASE WHEN $4 = 'published' THEN 1 END, $8) RETURNING id`,
    [a.kind ?? 'article', a.audience ?? 'public', a.category ?? cat, a.status ?? 'published', a.title, a.body, a.appliesTo ?? [], a.helpfulYes ?? 0],
  );
  ids[key] = rows[0]!.id;
}

async function search(client: Client, q: string, extra = ''): Promise<Hit[]> {
  const res = await client.get(`/api/v1/kb/search?q=${encodeURIComponent(q)}&categoryId=${cat}${extra}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.hits;
}
const keysOf = (hits: Hit[]): string[] => hits.map((x) => Object.keys(ids).find((k) => ids[k] === x.id) ?? '?');

beforeAll(async () => {
  h = await startHarness();
  agent = await h.user('agent');
  lead = await h.user('team_lead');
  customer = await h.user('customer');
  catCode = `kbs-${h.uid()}`;
  const { rows } = await h.ctx.db.pool.query<{ id: string }>(`INSERT INTO kb_categories (code, name_zh, name_en) VALUES ($1, '搜索测试', 'Search test') RETURNING id`, [catCode]);
  cat = rows[0]!.id;
  await article('lost', { title: '快件丢失怎么办', body: '快件丢失后请提供运单号,我们会核实并办理赔付。' });
  await article('lostBody', { title: '赔付规则说明', body: '保价件按保价金额赔付,快件丢失或损坏都可以申请。' });
  await article('damagedInternal', { kind: 'script', audience: 'internal', title: '破损安抚话术', body: '非常抱歉您的快件破损了,请拍照发给我们,我们会为您补发或赔付。', appliesTo: ['damaged'] });
  await article('draft', { status: 'draft', title: '快件丢失草稿', body: '这是还没发布的草稿,快件丢失。' });
  await article('locker', { title: '丰巢快递柜取件码', body: '快件放入快递柜后会发送取件码短信。' });
  await article('sorting', { title: '快件停在分拣中心', body: '分拣中心件量大时可能延迟发出。' });
  await article('express', { title: '国际件 International Express 说明', body: '寄往海外的快件需要报关。' });
  await article('helpfulA', { title: '运费计算说明甲', body: '首重一公斤十元,续重每公斤两元。' });
  await article('helpfulB', { title: '运费计算说明乙', body: '首重一公斤十元,续重每公斤两元。', helpfulYes: 40 });
});
afterAll(async () => {
  await h?.close();
});

describe('KB search', () => {
  it('understands Chinese words and synonyms: 包裹丢了 finds 快件丢失, the title match first, with 【】 highlights', async () => {
    const hits = await search(agent.client, '我的包裹丢了');
    expect(keysOf(hits).slice(0, 2)).toEqual(['lost', 'lostBody']);
    expect(hits[0]!.match).toBe('fulltext');
    expect(hits[0]!.highlight.title).toBe('【快件丢失】怎么办');
    expect(hits[0]!.highlight.body).toBe('【快件丢失】后请提供运单号,我们会核实并办理赔付。');
  });

  it('staff see internal scripts; customers and the public portal do not; drafts never', async () => {
    expect(keysOf(await search(agent.client, '破损'))).toContain('damagedInternal');
    expect(keysOf(await search(customer.client, '破损'))).not.toContain('damagedInternal');
    const pub = await h.anon.get(`/api/v1/kb/public/search?q=${encodeURIComponent('快件破损')}&categoryId=${cat}`);
    expect(pub.status).toBe(200);
    expect(pub.body.hits.map((x: Hit) => x.id)).not.toContain(ids.damagedInternal);
    expect(pub.body.hits.every((x: Hit) => x.audience === 'public')).toBe(true);
    expect((await customer.client.get(`/api/v1/kb/search?q=abc&audience=internal`)).status).toBe(403);
    expect((await h.anon.get(`/api/v1/kb/search?q=abc`)).status).toBe(401);
    expect(keysOf(await search(agent.client, '丢失'))).not.toContain('draft');
    expect(keysOf(await search(agent.client, '破损', '&kind=article'))).not.toContain('damagedInternal');
  });

  it('boosts helpful content among equal matches', async () => {
    expect(keysOf(await search(agent.client, '续重怎么算')).slice(0, 2)).toEqual(['helpfulB', 'helpfulA']);
  });

  it('falls back to trigram matching for typos and partial words that full text cannot find', async () => {
    expect(keysOf(await search(agent.client, '丰巢快递柜取件马'))[0]).toBe('locker');
    for (const q of ['internatonal', 'expres', '分捡中心转运']) {
      const hits = await search(agent.client, q);
      expect(hits.length, q).toBeGreaterThan(0);
    }
    const partial = await search(agent.client, 'internatonal');
    expect(keysOf(partial)[0]).toBe('express');
    expect(partial[0]!.match).toBe('fuzzy');
    expect(keysOf(await search(agent.client, '分捡中心转运'))).toContain('sorting');
    // Nothing alike: nothing found rather than noise.
    expect(await search(agent.client, 'zzzzqqqq')).toEqual([]);
  });

  it('re-indexes a newly approved version at the next search', async () => {
    expect(keysOf(await search(agent.client, '驿站'))).not.toContain('sorting');
    // What an approval does to the row: the working copy becomes the published version.
    await h.ctx.db.pool.query(`UPDATE kb_articles SET body = body || ' 也可改送驿站。', version = version + 1, published_version = version + 1 WHERE id = $1`, [ids.sorting]);
    expect(keysOf(await search(agent.client, '驿站'))).toContain('sorting');
  });

  it('finds the approved version of an article whose edit waits for review, and the edit once approved', async () => {
    const a = await ok(agent.client.post('/api/v1/kb/articles', { kind: 'article', audience: 'public', categoryCode: catCode, title: '旧版标题:冷链生鲜寄递', body: '冷链生鲜请选择次日达。' }), 201);
    await ok(agent.client.post(`/api/v1/kb/articles/${a.id}/submit`));
    await ok(lead.client.post(`/api/v1/kb/articles/${a.id}/approve`, {}));
    ids.coldChain = a.id;
    expect(keysOf(await search(agent.client, '冷链生鲜'))).toContain('coldChain');
    // An edit waiting for review: search still finds and shows the approved text, not the draft's words.
    await ok(agent.client.patch(`/api/v1/kb/articles/${a.id}`, { title: '新版标题:榴莲不收寄', body: '榴莲气味大,暂不收寄。' }));
    const before = await search(agent.client, '冷链生鲜');
    expect(keysOf(before)).toContain('coldChain');
    expect(before.find((x) => x.id === a.id)!.title).toBe('旧版标题:冷链生鲜寄递');
    const pub = await h.anon.get(`/api/v1/kb/public/search?q=${encodeURIComponent('冷链生鲜')}&categoryId=${cat}`);
    expect(pub.status).toBe(200);
    expect((pub.body.hits as Hit[]).find((x) => x.id === a.id)?.title).toBe('旧版标题:冷链生鲜寄递');
    expect(keysOf(await search(agent.client, '榴莲'))).not.toContain('coldChain');
    // Approved: the new text is what is found.
    await ok(agent.client.post(`/api/v1/kb/articles/${a.id}/submit`));
    await ok(lead.client.post(`/api/v1/kb/articles/${a.id}/approve`, {}));
    const after = await search(agent.client, '榴莲');
    expect(after.find((x) => x.id === a.id)?.title).toBe('新版标题:榴莲不收寄');
    expect((await search(agent.client, '冷链生鲜')).filter((x) => x.id === a.id && x.match === 'fulltext')).toEqual([]);
    // Archived: gone from search.
    await ok(lead.client.post(`/api/v1/kb/articles/${a.id}/archive`));
    expect(keysOf(await search(agent.client, '榴莲'))).not.toContain('coldChain');
  });

  it('logs each search for the usage report and answers its id, which a click on a hit sends back', async () => {
    const res = await agent.client.get(`/api/v1/kb/search?q=${encodeURIComponent('快件丢失')}&categoryId=${cat}`);
    expect(res.status).toBe(200);
    const searchId = res.body.searchId as number;
    expect(searchId).toEqual(expect.any(Number));
    const { rows } = await h.ctx.db.pool.query('SELECT query, audience, user_id, hits FROM kb_searches WHERE id = $1', [searchId]);
    expect(rows).toEqual([{ query: '快件丢失', audience: 'staff', user_id: agent.id, hits: res.body.hits.length }]);
    const click = await agent.client.post(`/api/v1/kb/articles/${res.body.hits[0].id}/usage`, { kind: 'search_click', searchId, rank: 1, eventId: `click-${h.uid()}` });
    expect(click.status, JSON.stringify(click.body)).toBe(200);
    const pub = await h.anon.get(`/api/v1/kb/public/search?q=${encodeURIComponent('快递柜')}&categoryId=${cat}`);
    const { rows: p } = await h.ctx.db.pool.query('SELECT audience, user_id FROM kb_searches WHERE id = $1', [pub.body.searchId]);
    expect(p).toEqual([{ audience: 'public', user_id: null }]);
  });

  it('refuses an empty or over-long query', async () => {
    expect((await agent.client.get('/api/v1/kb/search?q=')).status).toBe(400);
    expect((await agent.client.get(`/api/v1/kb/search?q=${'长'.repeat(300)}`)).status).toBe(400);
  });
});

describe('suggested scripts for a ticket', () => {
  it('a damaged-parcel complaint lists the damage script first; a lost parcel the lost one', async () => {
    const ops = await h.apiKey('integration');
    const waybill = `SD${Date.now()}${Math.floor(Math.random() * 1000)}`.slice(0, 20);
    const ship = await ops.post('/api/v1/shipments', {
      waybill, sender: { name: '张伟', phone: '13800001111', address: '北京市朝阳区建国路88号' }, receiver: { name: '王芳', phone: '13900002222', address: '上海市浦东新区世纪大道100号' },
      origin: '110105', destination: '310115', weightKg: 2, shippedAt: new Date(Date.now() - 86_400_000).toISOString(),
    });
    expect(ship.status, JSON.stringify(ship.body)).toBe(200);
    const { rows } = await h.ctx.db.pool.query<{ id: string }>(`SELECT id FROM categories WHERE code = 'problem.damage'`);
    const damageCategory = rows[0]!.id;
    // A KB category serving the ticket category, holding a generic problem script (no situation).
    const { rows: kc } = await h.ctx.db.pool.query<{ id: string }>(`INSERT INTO kb_categories (code, name_zh, name_en, ticket_category_code, parent_id) VALUES ($1, '破损处理', 'Damage', 'problem.damage', $2) RETURNING id`, [`kbs-dmg-${h.uid()}`, cat]);
    await article('problemGeneric', { kind: 'script', audience: 'internal', title: '问题件跟进话术', body: '您的问题件我们已登记,会尽快跟进处理。', category: kc[0]!.id });
    await article('lostScript', { kind: 'script', audience: 'internal', title: '丢件安抚话术', body: '非常抱歉您的快件丢失了,我们会立即核实。', appliesTo: ['lost'] });

    const created = await agent.client.post('/api/v1/tickets', { type: 'problem_shipment', categoryId: damageCategory, channel: 'phone', subject: '快递外包装破了', description: '收到的包裹破损,里面的杯子坏了', waybills: [waybill] });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    // Other tests' scripts may share the database: assert on situations, not only on our ids.
    const res = await agent.client.get(`/api/v1/tickets/${created.body.id}/suggested-scripts?limit=20`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.parcelStatus).toBe('created');
    expect(res.body.ticketCategory).toBe('problem.damage');
    expect(res.body.situations).toContain('damaged');
    const got = res.body.scripts.map((s: { id: string }) => s.id);
    expect(res.body.scripts[0].appliesTo).toContain('damaged');
    expect(res.body.scripts[0].reasons).toContain('situation');
    expect(got).toContain(ids.damagedInternal);
    expect(got.indexOf(ids.damagedInternal)).toBeLessThan(got.indexOf(ids.problemGeneric));
    expect(got).toContain(ids.problemGeneric);
    expect(res.body.scripts.find((s: { id: string }) => s.id === ids.problemGeneric).reasons).toContain('category');
    expect(res.body.scripts.every((s: { kind: string }) => s.kind === 'script')).toBe(true);

    // The parcel is then confirmed lost: its tracking status now brings the lost script to the top.
    const ev = await ops.post('/api/v1/shipment-events', { events: [{ waybill, eventId: `${waybill}-ds`, occurredAt: new Date().toISOString(), code: 'DS', location: '上海', facility: '上海分拣中心', facilityType: 'sorting_centre' }] });
    expect(ev.status, JSON.stringify(ev.body)).toBe(200);
    const lostTicket = await agent.client.post('/api/v1/tickets', { type: 'problem_shipment', channel: 'phone', subject: '查询快件', waybills: [waybill] });
    const res2 = await agent.client.get(`/api/v1/tickets/${lostTicket.body.id}/suggested-scripts?limit=20`);
    expect(res2.body.parcelStatus).toBe('lost');
    expect(res2.body.scripts[0].appliesTo).toContain('lost');
    const got2: string[] = res2.body.scripts.map((s: { id: string }) => s.id);
    expect(got2).toContain(ids.lostScript);
    if (got2.includes(ids.damagedInternal!)) expect(got2.indexOf(ids.lostScript!)).toBeLessThan(got2.indexOf(ids.damagedInternal!));

    // Customers may not ask for internal suggestions.
    expect((await customer.client.get(`/api/v1/tickets/${created.body.id}/suggested-scripts`)).status).toBe(404);
  });
});
