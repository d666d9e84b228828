/**
 * The browser build (dist/web, made by `npm run build`): the agent workspace at / (a GET no route
 * takes, outside the API, the portal and the assets and not naming a file, answers its index.html;
 * the app routes on the client: /login, /tickets/…), the customer portal at /portal/… (every path
 * inside it answers the portal's index.html), hashed assets at /assets/…, the chat widget loader at
 * /widget.js and its demo page. Without a build the server still runs and these answer 503 saying
 * how to make one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
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

/** An app's index.html: it names the current hashed bundles, so it is never cached and a new build shows at once. */
function sendIndex(reply: FastifyReply, file: string, embeddable: boolean): Promise<FastifyReply> {
  reply.header('content-security-policy', contentSecurityPolicy(embeddable)).header('referrer-policy', 'same-origin');
  if (!embeddable) reply.header('x-frame-options', 'SAMEORIGIN');
  return sendFile(reply, file, 'text/html; charset=utf-8', 'no-cache');
}

/** Paths that are never the agent workspace's: the API's and the portal's own, the assets, and files. */
const NOT_AGENT = /^\/(?:api|portal|assets)(?:\/|$)|\.[A-Za-z0-9]+$/;

export type WebFallback = (req: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply> | null;

/**
 * The agent workspace's client routes, for the app's not-found handler: a GET or HEAD no route
 * took, outside NOT_AGENT, answers the workspace's page; anything else is null (a JSON 404).
 * A fallback rather than a catch-all route, so the router still refuses an API path it cannot
 * take (a parameter over 100 characters) with its own 400 instead of handing it to the page.
 */
export function agentFallback(root: string = DEFAULT_WEB_ROOT): WebFallback {
  const agentIndex = path.join(root, 'agent', 'index.html');
  return (req, reply) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return null;
    if (NOT_AGENT.test(req.url.split('?')[0]!)) return null;
    return sendIndex(reply.code(200), agentIndex, false);
  };
}

export async function registerWeb(app: FastifyInstance, root: string = DEFAULT_WEB_ROOT): Promise<void> {
  const portalIndex = path.join(root, 'portal', 'index.html');
  const built = (): boolean => fs.existsSync(portalIndex);
  const hidden = { schema: { hide: true } };
  app.get('/', hidden, (_req, reply) => sendIndex(reply, path.join(root, 'agent', 'index.html'), false));
  app.get('/portal', hidden, (_req, reply) => reply.redirect('/portal/'));
  app.get('/portal/*', hidden, async (req, reply) => {
    const embeddable = new URLSearchParams(req.url.split('?')[1] ?? '').get('embed') === '1';
    return sendIndex(reply, portalIndex, embeddable);
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
