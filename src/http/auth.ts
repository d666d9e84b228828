/** Who is calling: a session cookie (web UI) or a Bearer API key (integrations). */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor } from '../domain/policy.ts';
import { actorForApiKey, actorForSession } from '../services/accounts/accounts.ts';
import type { ServiceContext } from '../services/context.ts';
import { AppError } from './errors.ts';

export const SESSION_COOKIE = 'pd_session';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
}

export function registerAuth(app: FastifyInstance, ctx: ServiceContext): void {
  app.decorateRequest('actor', null);
  app.addHook('preHandler', async (req) => {
    if (!req.url.startsWith('/api/v1/')) return;
    const header = req.headers.authorization;
    if (header) {
      const m = /^Bearer\s+(\S+)$/i.exec(header);
      if (!m) throw new AppError('unauthenticated', 'Authorization header must be "Bearer <key>"');
      const token = m[1]!;
      req.actor = token.startsWith('pds_') ? await actorForSession(ctx.db.pool, token, ctx.now()) : await actorForApiKey(ctx.db.pool, token);
      if (!req.actor) throw new AppError('unauthenticated', 'the bearer token is unknown, revoked or expired, or its account is disabled');
      return;
    }
    const cookie = req.cookies[SESSION_COOKIE];
    if (cookie) req.actor = await actorForSession(ctx.db.pool, cookie, ctx.now());
  });
}

export function requireActor(req: FastifyRequest): Actor {
  if (!req.actor) throw new AppError('unauthenticated', 'log in first (session cookie) or send an API key as "Authorization: Bearer <key>"');
  return req.actor;
}
