/**
 * The express calculators over HTTP: quotes, delivery estimates, item checks, compensation
 * estimates and the region picker — answers, bad input (400 with a message naming the field)
 * and who may use them (everyone with express.tools, customers included; not an integration key).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Client, type Harness, type TestUser } from '../support/harness.ts';

let h: Harness;
let agent: TestUser;
let customer: TestUser;
let qa: TestUser;
let integration: Client;

beforeAll(async () => {
  h = await startHarness();
  agent = await h.user('agent');
  customer = await h.user('customer');
  qa = await h.user('qa_inspector');
  integration = await h.apiKey('integration');
});
afterAll(async () => {
  await h?.close();
});

async function bad(client: Client, path: string, body: unknown, fragment: string): Promise<void> {
  const res = await client.post(path, body);
  expect(res.status, JSON.stringify(res.body)).toBe(400);
  expect(res.body.error.code).toMatch(/validation_failed|invalid_json/);
  expect(res.body.error.message).toContain(fragment);
}

describe('POST /api/v1/quotes', () => {
  it('2 kg 同城 standard = 12 元 (seed 000)', async () => {
    const res = await agent.client.post('/api/v1/quotes', { origin: '110105', destination: '110108', weightKg: 2 });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ zone: 'same_city', chargeableWeightKg: 2, postage: 12, insuranceFee: 0, total: 12, product: 'standard' });
    expect(res.body.origin).toEqual({ code: '110105', fullName: '北京市朝阳区' });
  });

  it('volumetric weight, product and insurance', async () => {
    const res = await customer.client.post('/api/v1/quotes', { origin: '330106', destination: '440305', weightKg: 1, lengthCm: 40, widthCm: 30, heightCm: 20, product: 'express', declaredValue: 1000 });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ zone: 'inter_province', volumetricWeightKg: 4, chargeableWeightKg: 4, postage: 40, insured: true, insuranceFee: 5, total: 45 });
  });

  it.each([
    [{ origin: '999999', destination: '110105', weightKg: 1 }, 'origin 999999 is not a known region code'],
    [{ origin: '110105', destination: '12345', weightKg: 1 }, 'destination must be a 6-digit region code'],
    [{ origin: '110105', destination: '810100', weightKg: 1 }, 'outside the domestic service area'],
    [{ origin: '110105', destination: '110108', weightKg: -2 }, 'weightKg'],
    [{ origin: '110105', destination: '110108', weightKg: 0 }, 'weightKg'],
    [{ origin: '110105', destination: '110108', weightKg: '2' }, 'weightKg'],
    [{ origin: '110105', destination: '110108' }, 'weightKg'],
    [{ destination: '110108', weightKg: 1 }, 'origin'],
    [{ origin: '110105', destination: '110108', weightKg: 80 }, 'exceeds the 50 kg accepted per piece'],
    [{ origin: '110105', destination: '110108', weightKg: 1, lengthCm: 30 }, 'give all three of lengthCm, widthCm and heightCm'],
    [{ origin: '110105', destination: '310115', weightKg: 1, product: 'same_day' }, 'same_day (当日达) is not offered for inter_province (省际)'],
    [{ origin: '110105', destination: '110108', weightKg: 1, product: 'rocket' }, 'product'],
    [{ origin: '110105', destination: '110108', weightKg: 1, declaredValue: -5 }, 'declaredValue'],
  ])('400 for %j', async (body, fragment) => {
    await bad(agent.client, '/api/v1/quotes', body, fragment);
  });

  it('400 for a body that is not JSON', async () => {
    const res = await agent.client.request('POST', '/api/v1/quotes', '{"origin":', { 'content-type': 'application/json' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_json');
  });
});

describe('POST /api/v1/delivery-estimates', () => {
  it('北京 → 上海 standard = 2 days by its route override (seed 000)', async () => {
    const res = await agent.client.post('/api/v1/delivery-estimates', { origin: '110105', destination: '310115', shippedAt: '2030-06-10T10:00:00+08:00' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ zone: 'inter_province', minDays: 2, maxDays: 2, earliest: '2030-06-12', latest: '2030-06-12', sentence: '北京寄上海，标准快递预计2天到达，您的快件预计于6月12日送达。' });
    expect(res.body.routeOverride.from).toBe('1101');
  });

  it('standard 省际 3–5 days by default; shippedAt defaults to now', async () => {
    const res = await customer.client.post('/api/v1/delivery-estimates', { origin: '330106', destination: '440305', product: 'standard' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.baseMinDays).toBe(3);
    expect(res.body.baseMaxDays).toBe(5);
    expect(res.body.shippedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it.each([
    [{ origin: '110105', destination: '999999' }, 'destination 999999 is not a known region code'],
    [{ origin: '110105' }, 'destination'],
    [{ origin: '110105', destination: '310115', shippedAt: 'yesterday' }, 'shippedAt'],
    [{ origin: '110105', destination: '540102', product: 'cold_chain' }, 'cold_chain (冷链快递) is not offered for remote'],
    [{ origin: 110105, destination: '310115' }, 'origin'],
  ])('400 for %j', async (body, fragment) => {
    await bad(agent.client, '/api/v1/delivery-estimates', body, fragment);
  });
});

describe('POST /api/v1/item-checks', () => {
  it.each([
    ['一瓶汽油', 'prohibited', 'flammable_liquids'],
    ['充电宝 20000mAh', 'restricted', 'lithium_batteries'],
    ['打火机图案的T恤', 'allowed', null],
    ['遥控车(不含电池)', 'allowed', null],
  ])('%s → %s', async (description, verdict, category) => {
    const res = await customer.client.post('/api/v1/item-checks', { description });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.verdict).toBe(verdict);
    expect(res.body.category).toBe(category);
    expect(typeof res.body.reason).toBe('string');
  });

  it('cites the rule for prohibited items', async () => {
    const res = await agent.client.post('/api/v1/item-checks', { description: '春节烟花爆竹' });
    expect(res.body).toMatchObject({ verdict: 'prohibited', category: 'explosives', rule: '《禁止寄递物品指导目录》' });
  });

  it.each([
    [{}, 'description'],
    [{ description: '   ' }, 'description is empty'],
    [{ description: 42 }, 'description'],
    [{ description: 'x'.repeat(1001) }, 'description'],
    [{ description: '-1' }, 'names no goods'],
    [{ description: '123 456' }, 'names no goods'],
    [{ description: '衣服\u0000' }, 'control characters'],
  ])('400 for %j', async (body, fragment) => {
    await bad(agent.client, '/api/v1/item-checks', body, fragment);
  });

  it('GET /api/v1/item-catalogue lists the categories', async () => {
    const res = await agent.client.get('/api/v1/item-catalogue');
    expect(res.status).toBe(200);
    const categories = new Set(res.body.items.map((e: { category: string }) => e.category));
    for (const c of ['firearms', 'explosives', 'narcotics', 'wildlife', 'lithium_batteries']) expect(categories).toContain(c);
  });
});

describe('POST /api/v1/compensation-estimates', () => {
  it.each([
    [{ kind: 'loss', insured: true, declaredValue: 1000, postage: 12, claimedLoss: 1500 }, 1000, 'insured_declared_value'],
    [{ kind: 'loss', insured: false, postage: 12, claimedLoss: 500 }, 36, 'uninsured_postage_multiple'],
    [{ kind: 'loss', insured: false, postage: 12, claimedLoss: 20 }, 20, 'uninsured_claimed_loss'],
    [{ kind: 'damage', insured: false, postage: 20, claimedLoss: 45 }, 45, 'uninsured_claimed_loss'],
    [{ kind: 'delay', insured: false, postage: 12, claimedLoss: 0 }, 12, 'delay_postage_refund'],
  ])('%j → %s 元 (%s)', async (body, amount, basis) => {
    const res = await agent.client.post('/api/v1/compensation-estimates', body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.amount).toBe(amount);
    expect(res.body.basis).toBe(basis);
    expect(res.body.basisZh).toMatch(/[元赔]/);
    if (body.kind === 'damage') expect(res.body.options).toEqual(['compensation', 'reshipment']);
  });

  it.each([
    [{ kind: 'loss', insured: true, postage: 12, claimedLoss: 100 }, 'an insured parcel needs its declaredValue'],
    [{ kind: 'theft', insured: false, postage: 12, claimedLoss: 100 }, 'kind'],
    [{ kind: 'loss', insured: 'yes', postage: 12, claimedLoss: 100 }, 'insured'],
    [{ kind: 'loss', insured: false, postage: -12, claimedLoss: 100 }, 'postage'],
    [{ kind: 'loss', insured: false, postage: 12 }, 'claimedLoss'],
  ])('400 for %j', async (body, fragment) => {
    await bad(agent.client, '/api/v1/compensation-estimates', body, fragment);
  });
});

describe('GET /api/v1/regions', () => {
  it('finds 朝阳 by name', async () => {
    const res = await customer.client.get(`/api/v1/regions?q=${encodeURIComponent('朝阳')}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.items.map((r: { fullName: string }) => r.fullName)).toContain('北京市朝阳区');
  });
  it('finds by code prefix, with a limit', async () => {
    const res = await agent.client.get('/api/v1/regions?q=3101&limit=5');
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(5);
    expect(res.body.items.every((r: { code: string }) => r.code.startsWith('3101'))).toBe(true);
  });
  it('400 without q or with a bad limit', async () => {
    expect((await agent.client.get('/api/v1/regions')).status).toBe(400);
    const res = await agent.client.get('/api/v1/regions?q=3101&limit=0');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('limit');
  });
});

describe('who may use the tools', () => {
  const calls: [string, string, unknown][] = [
    ['POST', '/api/v1/quotes', { origin: '110105', destination: '110108', weightKg: 2 }],
    ['POST', '/api/v1/delivery-estimates', { origin: '110105', destination: '310115' }],
    ['POST', '/api/v1/item-checks', { description: '衣服' }],
    ['POST', '/api/v1/compensation-estimates', { kind: 'loss', insured: false, postage: 12, claimedLoss: 20 }],
    ['GET', '/api/v1/regions?q=110', undefined],
    ['GET', '/api/v1/item-catalogue', undefined],
  ];
  it.each(calls)('%s %s: 401 without auth, 403 for an integration key, 200 for agents, QA and customers', async (method, path, body) => {
    const anon = await h.anon.request(method, path, body);
    expect(anon.status).toBe(401);
    const key = await integration.request(method, path, body);
    expect(key.status).toBe(403);
    expect(key.body.error.message).toContain('express tools');
    for (const u of [agent, qa, customer]) expect((await u.client.request(method, path, body)).status, `${u.role} ${path}`).toBe(200);
  });

  it('the OpenAPI document lists the endpoints with Chinese and English summaries', async () => {
    const res = await h.anon.get('/api/openapi.json');
    expect(res.status).toBe(200);
    for (const p of ['/api/v1/quotes', '/api/v1/delivery-estimates', '/api/v1/item-checks', '/api/v1/compensation-estimates']) {
      expect(res.body.paths[p].post.summary, p).toMatch(/[\u4e00-\u9fff].*[A-Za-z]/);
    }
    expect(res.body.paths['/api/v1/quotes'].post.requestBody.content['application/json'].schema.required).toEqual(['origin', 'destination', 'weightKg']);
  });
});

describe('the rules are settings an admin edits, applied without a restart', () => {
  it('the uninsured multiple (3–5×); a broken tariff is refused', async () => {
    const supervisor = await h.user('supervisor');
    const body = { kind: 'loss', insured: false, postage: 12, claimedLoss: 500 };
    try {
      const put = await supervisor.client.put('/api/v1/settings/express.compensation', { uninsuredPostageMultiple: 5, delayPostageRefundShare: 1 });
      expect(put.status, JSON.stringify(put.body)).toBe(200);
      expect((await agent.client.post('/api/v1/compensation-estimates', body)).body.amount).toBe(60);
      const tooHigh = await supervisor.client.put('/api/v1/settings/express.compensation', { uninsuredPostageMultiple: 9, delayPostageRefundShare: 1 });
      expect(tooHigh.status).toBe(400);
      expect(tooHigh.body.error.message).toContain('uninsuredPostageMultiple');
      expect((await agent.client.put('/api/v1/settings/express.compensation', { uninsuredPostageMultiple: 4, delayPostageRefundShare: 1 })).status).toBe(403);
    } finally {
      await supervisor.client.put('/api/v1/settings/express.compensation', { uninsuredPostageMultiple: 3, delayPostageRefundShare: 1 });
    }
    expect((await agent.client.post('/api/v1/compensation-estimates', body)).body.amount).toBe(36);

    const badTariff = await supervisor.client.put('/api/v1/settings/express.tariff', { volumetricDivisor: -1 });
    expect(badTariff.status).toBe(400);
    const badZone = await supervisor.client.put('/api/v1/settings/express.zones', { remoteProvinces: ['54'], unservedProvinces: [], timeZone: 'Mars/Olympus' });
    expect(badZone.status).toBe(400);
    expect(badZone.body.error.message).toContain('IANA time zone');
    const settings = await supervisor.client.get('/api/v1/settings');
    expect(settings.body['express.tariff'].prices.standard.same_city).toEqual({ firstWeightKg: 1, firstPrice: 10, additionalUnitKg: 1, additionalPrice: 2 });
    expect(settings.body['express.route_overrides'][0]).toMatchObject({ from: '1101', to: '3101', minDays: 2, maxDays: 2 });
  });
});
