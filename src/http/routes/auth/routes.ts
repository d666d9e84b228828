import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorForUser, login, logout } from '../../../services/accounts/accounts.ts';
import type { ServiceContext } from '../../../services/context.ts';
import { requireActor, SESSION_COOKIE } from '../../auth.ts';
import { meSchema } from '../users/schema.ts';
import { presentMe } from '../users/presenters.ts';

export async function authRoutes(app: FastifyInstance, ctx: ServiceContext, opts: { loginRateLimit: number }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post('/auth/login', {
    config: { rateLimit: { max: opts.loginRateLimit, timeWindow: '1 minute' } },
    schema: {
      tags: ['auth'],
      summary: 'Log in with username and password; sets the session cookie and returns a session token',
      security: [],
      body: z.object({ username: z.string().min(1).max(128), password: z.string().min(1).max(256) }),
    },
  }, async (req, reply) => {
    const result = await login(ctx, req.body.username, req.body.password, req.ip);
    reply.setCookie(SESSION_COOKIE, result.token, { path: '/', httpOnly: true, sameSite: 'lax', expires: result.expiresAt, secure: req.protocol === 'https' });
    return { token: result.token, expiresAt: result.expiresAt.toISOString(), user: await presentMe(ctx, result.actor) };
  });

  r.post('/auth/logout', { schema: { tags: ['auth'], summary: 'End the session' } }, async (req, reply) => {
    const cookie = req.cookies[SESSION_COOKIE];
    if (cookie) await logout(ctx.db, cookie);
    const header = /^Bearer\s+(pds_\S+)$/i.exec(req.headers.authorization ?? '');
    if (header) await logout(ctx.db, header[1]!);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(204).send();
  });

  r.get('/me', { schema: { tags: ['auth'], summary: 'The caller: user, role, teams', response: { 200: meSchema } } }, async (req) => {
    const actor = requireActor(req);
    return presentMe(ctx, (await actorForUser(ctx.db.pool, actor.userId)) ?? actor);
  });
}
