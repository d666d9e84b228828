/**
 * The browser build (dist/web, made by `npm run build`): the agent workspace at / (every other
 * path outside the API, the portal and the assets answers its index.html, the app routes on the
 * client: /login, /tickets/…), the customer portal at /portal/… (likewise), hashed assets at
 * /assets/…, the chat widget loader at /widget.js and its demo page. Without a build the server
 * still runs and these answer 503 saying how to make one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { AppError } from './errors.ts';

export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../dist/web', import.meta.url));

/** Where scripts, styles and sockets may come from: this host only; nothing inline. */
function contentSecurityPolicy(embeddable: boolean): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    // The widget's iframe (?embed=1) sits on the company's own sites; the full portal is never framed.
    `frame-ancestors ${embeddable ? '*' : "'self'"}`,
  ].join('; ');
}

function notBuilt(): AppError {
  return new AppError('web_not_built', 'the web front end is not built; run `npm run build` (npm start does it first)');
}

/** Paths that are never the agent workspace's: the API's and the portal's own, and files. */
const NOT_AGENT = /^\/(?:api|portal|assets)(?:\/|$)/;

export async function registerWeb(app: FastifyInstance, root: string = DEFAULT_WEB_ROOT): Promise<void> {
  const portalIndex = path.join(root, 'portal', 'index.html');
  const agentIndex = path.join(root, 'agent', 'index.html');
  const built = (): boolean => fs.existsSync(portalIndex);
  const hidden = { schema: { hide: true } };

  async function sendFile(reply: FastifyReply, file: string, type: string, cache: string): Promise<FastifyReply> {
    let body: Buffer;
    try {
      body = await fs.promises.readFile(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw notBuilt();
      throw err;
    }
    return reply.header('content-type', type).header('cache-control', cache).header('x-content-type-options', 'nosniff').send(body);
  }

  // index.html names the current hashed bundles: never cached, so a new build shows at once.
  const sendIndex = (reply: FastifyReply, file: string, embeddable: boolean): Promise<FastifyReply> => {
    reply.header('content-security-policy', contentSecurityPolicy(embeddable)).header('referrer-policy', 'same-origin');
    if (!embeddable) reply.header('x-frame-options', 'SAMEORIGIN');
    return sendFile(reply, file, 'text/html; charset=utf-8', 'no-cache');
  };

  app.get('/portal', hidden, (_req, reply) => reply.redirect('/portal/'));
  app.get('/portal/*', hidden, async (req, reply) => {
    const embeddable = new URLSearchParams(req.url.split('?')[1] ?? '').get('embed') === '1';
    return sendIndex(reply, portalIndex, embeddable);
  });
  // The agent workspace: its client routes are any path the routes above and below do not take.
  // An unknown /api/… path keeps its JSON 404, and a path naming a file (favicon.ico) is no page.
  app.get('/*', hidden, async (req, reply) => {
    const p = req.url.split('?')[0]!;
    if (NOT_AGENT.test(p) || /\.[A-Za-z0-9]+$/.test(p)) return reply.callNotFound();
    return sendIndex(reply, agentIndex, false);
  });
  app.get('/widget.js', hidden, (_req, reply) => sendFile(reply, path.join(root, 'widget.js'), 'text/javascript; charset=utf-8', 'public, max-age=300'));
  app.get('/widget-demo.html', hidden, (_req, reply) => sendFile(reply, path.join(root, 'widget-demo.html'), 'text/html; charset=utf-8', 'no-cache'));

  const assets = path.join(root, 'assets');
  if (built() && fs.existsSync(assets)) {
    // Hashed names: a file never changes under its name, so browsers may keep it for a year.
    await app.register(fastifyStatic, { root: assets, prefix: '/assets/', decorateReply: false, immutable: true, maxAge: '365d', index: false, schemaHide: true });
  } else {
    app.get('/assets/*', hidden, () => {
      throw notBuilt();
    });
  }
}
