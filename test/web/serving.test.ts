/**
 * The server serves the web build: the agent workspace at / and the portal under /portal/ (each
 * with SPA fallback and security headers), the widget loader and its demo page, hashed assets; the
 * portal and the widget load no agent code; without a build, a 503 that says what to do.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.ts';
import { DEFAULT_WEB_ROOT } from '../../src/http/web.ts';
import { startHarness, type Harness } from '../support/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const get = (p: string, init: RequestInit = {}) => fetch(h.url + p, { redirect: 'manual', ...init });

describe('serving the web build', () => {
  it('/portal redirects to /portal/', async () => {
    const res = await get('/portal');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/portal/');
  });

  it('/ and the agent workspace’s client routes answer its page, never cached, with a strict CSP; the API, portal and files keep theirs', async () => {
    const index = fs.readFileSync(path.join(DEFAULT_WEB_ROOT, 'agent/index.html'), 'utf8');
    for (const p of ['/', '/login', '/tickets', '/tickets/GD20261123000001', '/tickets/3f1c2d4e-0000-4000-8000-000000000000?x=1', '/inbox/mine']) {
      const res = await get(p);
      expect(res.status, p).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(await res.text(), p).toBe(index);
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'self'");
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    }
    // Not the workspace's: the API's JSON 404s, files that do not exist, the portal's page.
    for (const p of ['/api/v1/no-such-thing', '/api/nope', '/api', '/favicon.ico', '/assets/nope.js', '/robots.txt']) {
      const res = await get(p);
      expect(res.status, p).toBe(404);
      expect((await res.json()).error.code, p).toBe('not_found');
    }
    expect(await (await get('/portal/tickets')).text()).toBe(fs.readFileSync(path.join(DEFAULT_WEB_ROOT, 'portal/index.html'), 'utf8'));
    expect((await get('/healthz')).status).toBe(200);
    expect((await get('/api/openapi.json')).status).toBe(200);
    // Only GET: a POST to a client route is no page.
    expect((await get('/tickets', { method: 'POST' })).status).toBe(404);
  });

  it('code-splitting: nothing the portal (or the widget) can load contains agent code, and the agent loads no portal page', async () => {
    /** Every chunk an entry page can reach: its scripts and preloads, then their static and dynamic imports. */
    async function reachable(page: string): Promise<Map<string, string>> {
      const html = await (await get(page)).text();
      const todo = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
      const seen = new Map<string, string>();
      while (todo.length) {
        const a = todo.pop()!;
        if (seen.has(a)) continue;
        const js = await (await get(a)).text();
        seen.set(a, js);
        for (const m of js.matchAll(/(?:from\s*|import\s*\(?\s*)["'`]\.\/([^"'`]+\.js)["'`]/g)) todo.push(`/assets/${m[1]}`);
        // Vite lists a lazy page's dependencies by name for its preload helper.
        for (const m of js.matchAll(/["'`]assets\/([^"'`]+\.js)["'`]/g)) todo.push(`/assets/${m[1]}`);
      }
      return seen;
    }
    const portal = await reachable('/portal/');
    const agent = await reachable('/');
    const all = (chunks: Map<string, string>): string => [...chunks.values()].join('\n');
    // Markers: an agent dictionary key, the guard endpoint the reply box calls, a portal page's string.
    expect(all(agent)).toContain('override.confirm');
    expect(all(agent)).toContain('/guard/check');
    expect(all(portal)).toContain('chat.start.intro');
    expect(all(portal)).not.toContain('override.confirm');
    expect(all(portal)).not.toContain('/guard/check');
    expect(all(agent)).not.toContain('chat.start.intro');
    // The portal's chunks and the agent's overlap only in what they share (React, the API client, i18n core).
    const shared = [...portal.keys()].filter((k) => agent.has(k));
    expect(shared.some((k) => k.includes('/react-'))).toBe(true);
    const widget = await (await get('/widget.js')).text();
    expect(widget).not.toContain('override.confirm');
  });

  it('every /portal/ path answers the portal page, never cached, with a strict CSP', async () => {
    const index = fs.readFileSync(path.join(DEFAULT_WEB_ROOT, 'portal/index.html'), 'utf8');
    for (const p of ['/portal/', '/portal/chat', '/portal/tickets/GD20261123000001', '/portal/track?x=1']) {
      const res = await get(p);
      expect(res.status, p).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(await res.text()).toBe(index);
      const csp = res.headers.get('content-security-policy')!;
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'self'");
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    }
    // The widget's iframe may be framed by any site.
    const embed = await get('/portal/chat?embed=1&lang=en');
    expect(embed.headers.get('content-security-policy')).toContain('frame-ancestors *');
    expect(embed.headers.get('x-frame-options')).toBeNull();
  });

  it('serves the hashed assets the page names, cacheable for a year', async () => {
    const html = await (await get('/portal/')).text();
    const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets.some((a) => a.endsWith('.js'))).toBe(true);
    expect(assets.some((a) => a.endsWith('.css'))).toBe(true);
    for (const a of assets) {
      const res = await get(a);
      expect(res.status, a).toBe(200);
      expect(res.headers.get('cache-control')).toContain('immutable');
    }
    expect((await get('/assets/no-such-file.js')).status).toBe(404);
  });

  it('the widget loader is one small classic script with no imports and no React', async () => {
    const res = await get('/widget.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const js = await res.text();
    expect(js.length).toBeLessThan(4096);
    expect(js).not.toMatch(/\bimport\s*[({"'`]|\bimport\s+\w|\bexport\s/);
    expect(js).not.toContain('react');
    expect(js).toContain('/portal/chat?embed=1');
    const demo = await get('/widget-demo.html');
    expect(demo.status).toBe(200);
    expect(await demo.text()).toContain('<script src="/widget.js" async></script>');
  });

  it('the API keeps its JSON 404s next to the web routes', async () => {
    const res = await get('/api/v1/no-such-thing');
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('not_found');
  });
});

describe('without a build', () => {
  it('the server starts and the web paths answer 503 saying to run npm run build; the API works', async () => {
    const app = await buildApp(h.ctx, { webRoot: path.join(DEFAULT_WEB_ROOT, 'no-such-build') });
    try {
      for (const url of ['/portal/', '/portal/chat', '/widget.js', '/assets/portal.js']) {
        const res = await app.inject({ method: 'GET', url });
        expect(res.statusCode, url).toBe(503);
        expect(res.json().error).toMatchObject({ code: 'web_not_built' });
        expect(res.json().error.message).toContain('npm run build');
      }
      for (const url of ['/', '/tickets/1']) {
        const res = await app.inject({ method: 'GET', url });
        expect(res.statusCode, url).toBe(503);
        expect(res.json().error.code).toBe('web_not_built');
      }
      expect((await app.inject({ method: 'GET', url: '/portal' })).statusCode).toBe(302);
      expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});
