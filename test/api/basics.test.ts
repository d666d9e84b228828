import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('service basics', () => {
  it('answers /healthz with the database kind', async () => {
    const res = await h.anon.get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', database: process.env.DATABASE_URL ? 'postgresql' : 'pglite' });
  });

  it('serves an OpenAPI document describing the ticket endpoints, and a docs page', async () => {
    const doc = await h.anon.get('/api/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/api/v1/tickets', '/api/v1/tickets/{id}', '/api/v1/customers/{id}/reveal']));
    expect(doc.body.paths['/api/v1/tickets'].post.requestBody.content['application/json'].schema.required).toEqual(expect.arrayContaining(['type', 'channel', 'subject']));
    const page = await fetch(`${h.url}/api/docs/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('swagger');
  });

  it('rejects unauthenticated calls with a JSON 401', async () => {
    const res = await h.anon.get('/api/v1/tickets');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthenticated');
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await h.anon.get('/api/v1/nope');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: 'not_found', message: 'no route GET /api/v1/nope' } });
  });
});
