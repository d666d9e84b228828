import fastifyCookie from '@fastify/cookie';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { ServiceContext } from '../services/context.ts';
import { kbSearchRoutes } from './routes/kb-search/routes.ts';
import { registerAuth } from './auth.ts';
import { AppError, ERROR_STATUS, type ErrorCode } from './errors.ts';
import { auditRoutes } from './routes/audit/routes.ts';
import { callRoutes } from './routes/calls/routes.ts';
import { chatRoutes } from './routes/chat/routes.ts';
import { chatSocketRoutes } from './routes/chat/socket.ts';
import { liveSocketRoutes } from './routes/live/socket.ts';
import { savedViewRoutes } from './routes/saved-views/routes.ts';
import { claimRoutes } from './routes/claims/routes.ts';
import { authRoutes } from './routes/auth/routes.ts';
import { customerRoutes } from './routes/customers/routes.ts';
import { emailRoutes } from './routes/email/routes.ts';
import { kbRoutes } from './routes/kb/routes.ts';
import { expressToolRoutes } from './routes/express/routes.ts';
import { guardRoutes } from './routes/guard/routes.ts';
import { noticeRoutes } from './routes/notices/routes.ts';
import { notificationRoutes } from './routes/notifications/routes.ts';
import { orderRoutes } from './routes/orders/routes.ts';
import { problemCaseRoutes } from './routes/problem-cases/routes.ts';
import { reportRoutes } from './routes/reports/routes.ts';
import { settingsRoutes } from './routes/settings/routes.ts';
import { shipmentRoutes } from './routes/shipments/routes.ts';
import { ticketRoutes } from './routes/tickets/routes.ts';
import { userRoutes } from './routes/users/routes.ts';
import { walkInRoutes } from './routes/walk-ins/routes.ts';
import { webhookRoutes } from './routes/webhooks/routes.ts';
import { agentFallback, registerWeb } from './web.ts';

export type App = FastifyInstance;

export interface AppOptions {
  logger?: boolean | { level: string; stream?: { write(line: string): void } };
  /** Login attempts per IP per minute. */
  loginRateLimit?: number;
  /** The browser build to serve (default dist/web). */
  webRoot?: string;
}

/** PostgreSQL error codes that mean the client sent something wrong, never a server fault. */
const PG_CLIENT_ERRORS: Record<string, ErrorCode> = {
  '22P02': 'validation_failed', // invalid text representation (e.g. malformed uuid)
  '22007': 'validation_failed', // invalid datetime format
  '22008': 'validation_failed', // datetime out of range
  '22003': 'validation_failed', // numeric out of range
  '22001': 'validation_failed', // string too long
  '23503': 'validation_failed', // foreign key: a referenced row does not exist
  '23514': 'validation_failed', // check constraint
  '23505': 'conflict',
  '22021': 'validation_failed', // character not in repertoire: a NUL (\u0000) in text
  '22P05': 'validation_failed', // untranslatable character: a NUL (\u0000) in JSON stored as jsonb
};

/** The limits of a zod issue a client needs to word the message itself (zod v4 issue fields). */
const ISSUE_PARAMS = ['minimum', 'maximum', 'inclusive', 'origin', 'format', 'expected', 'values', 'keys'] as const;

/**
 * One schema validation issue as `error.details.issues[]` carries it: where (`path`, and `field`,
 * the top-level property, which is what a form names), zod's issue `code` (too_small,
 * invalid_format, invalid_type, …) and its limits, so a client can say it in its own language;
 * `message` is the server's English.
 */
export function validationIssue(where: string, v: { keyword: string; instancePath: string; message?: string | undefined; params: Record<string, unknown> }): Record<string, unknown> {
  const segments = v.instancePath.split('/').filter(Boolean);
  const issue: Record<string, unknown> = { path: [where, ...segments].join('.'), field: segments[0] ?? null, code: v.keyword, message: v.message ?? 'invalid' };
  for (const k of ISSUE_PARAMS) {
    const value = v.params[k];
    // bigint limits (zod's int64 bounds) do not survive JSON.
    if (value !== undefined) issue[k] = typeof value === 'bigint' ? Number(value) : value;
  }
  return issue;
}

/** A request as the log shows it: without its query string, where phone numbers and search text travel (P1). */
function logRequest(req: FastifyRequest): Record<string, unknown> {
  return { method: req.method, url: req.url.split('?')[0], host: req.host, remoteAddress: req.ip, remotePort: req.socket?.remotePort };
}

export async function buildApp(ctx: ServiceContext, opts: AppOptions = {}): Promise<App> {
  const app = Fastify({
    logger: opts.logger ? { ...(opts.logger === true ? { level: 'info' } : opts.logger), serializers: { req: logRequest } } : false,
    bodyLimit: 1_048_576,
    // Behind a proxy the client address comes from X-Forwarded-For; the login rate limit keys on it.
    trustProxy: true,
    // What the router refuses before any handler runs (a path parameter over 100 characters, a
    // malformed %-escape in the path) gets the same {"error":{code,message}} shape as everything else.
    // (The option's reply type is generic over route types no route has here, hence the cast.)
    frameworkErrors: (err, _req, reply) => {
      const code: ErrorCode = err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'validation_failed' : 'bad_request';
      const message = err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'a path parameter is longer than 100 characters' : err.message;
      void (reply as unknown as FastifyReply).code(ERROR_STATUS[code]).send({ error: { code, message } });
    },
  }).withTypeProvider<ZodTypeProvider>();
  // The API speaks JSON only: a text/plain body is 415, not a string the schemas then call the wrong type.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  app.setErrorHandler((err: FastifyError | AppError | Error, req, reply) => {
    if (err instanceof AppError) {
      // details are structured data a service chose to expose with the error (the guard's findings,
      // the field at fault): sent only when set, so other errors keep their two-key shape.
      const error = err.details === undefined ? { code: err.code, message: err.message } : { code: err.code, message: err.message, details: err.details };
      return reply.code(err.status).send({ error });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const where = err.validationContext ?? 'request';
      const message = err.validation
        .map((v) => `${where}${v.instancePath ? v.instancePath.replace(/\//g, '.') : ''}: ${v.message ?? 'invalid'}`)
        .join('; ');
      return reply.code(400).send({ error: { code: 'validation_failed', message, details: { issues: err.validation.map((v) => validationIssue(where, v)) } } });
    }
    const fe = err as FastifyError & { code?: string };
    if (fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (fe.statusCode === 400 && err instanceof SyntaxError)) {
      return reply.code(400).send({ error: { code: 'invalid_json', message: `request body is not valid JSON: ${err.message}` } });
    }
    if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      const limit = req.routeOptions.bodyLimit ?? 1_048_576;
      return reply.code(413).send({ error: { code: 'payload_too_large', message: `request body exceeds the ${limit >= 1_048_576 ? `${Math.round((limit / 1_048_576) * 10) / 10} MiB` : `${limit} bytes`} this endpoint accepts` } });
    }
    if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return reply.code(415).send({ error: { code: 'unsupported_media_type', message: `content type ${req.headers['content-type'] ?? '(none)'} is not accepted; send application/json` } });
    if (fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return reply.code(400).send({ error: { code: 'invalid_json', message: 'request body is empty; send a JSON object' } });
    const pgCode = fe.code && PG_CLIENT_ERRORS[fe.code];
    if (pgCode) {
      const detail = (err as { detail?: string }).detail;
      return reply.code(ERROR_STATUS[pgCode]).send({ error: { code: pgCode, message: detail ? `${err.message} (${detail})` : err.message } });
    }
    if (fe.statusCode === 429) return reply.code(429).send({ error: { code: 'rate_limited', message: err.message } });
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      return reply.code(fe.statusCode).send({ error: { code: 'bad_request', message: err.message } });
    }
    req.log.error({ err }, 'unhandled error');
    if (!opts.logger) console.error(err);
    return reply.code(500).send({ error: { code: 'internal', message: 'internal error; it has been logged' } });
  });
  // A page of the agent workspace (its client routes: /login, /tickets/…), else the JSON 404.
  const agentPage = agentFallback(opts.webRoot);
  app.setNotFoundHandler((req, reply) => agentPage(req, reply) ?? reply.code(404).send({ error: { code: 'not_found', message: `no route ${req.method} ${req.url.split('?')[0]}` } }));

  await app.register(fastifyCookie);
  await app.register(fastifyRateLimit, {
    global: false,
    // Thrown by the plugin and answered by the error handler above as rate_limited.
    errorResponseBuilder: (_req, c) => Object.assign(new Error(`too many attempts; retry in ${Math.ceil(c.ttl / 1000)} s`), { statusCode: 429 }),
  });
  // Chat frames are small: a message is at most 4 000 characters.
  await app.register(fastifyWebsocket, { options: { maxPayload: 64 * 1024 } });
  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'Parceldesk API', version: '1.0.0', description: '快递客服平台 API — tickets, customers, SLA, audit.' },
      components: {
        // Every 4xx/5xx answers this shape (one error handler writes it); routes do not repeat it.
        schemas: {
          Error: {
            type: 'object',
            required: ['error'],
            properties: {
              error: {
                type: 'object',
                required: ['code', 'message'],
                properties: {
                  code: { type: 'string', description: 'stable machine-readable code, e.g. validation_failed, not_found, guard_blocked' },
                  message: { type: 'string', description: 'for people; never parse it' },
                  details: {
                    description: 'structured data for some codes only, absent otherwise: guard_blocked → { findings: [{ ruleId, category, severity, start, end, text, suggestion, advice }] } (as POST /guard/check answers); validation_failed from the express tools and orders → { field } or { fields }, with the item check for a refused item; validation_failed from a request schema → { issues: [{ path, field, code, message, minimum?, maximum?, inclusive?, origin?, format?, expected?, values? }] } (zod issue codes: too_small, too_big, invalid_type, invalid_format, invalid_value, custom, …) so clients can word each field\'s message in their own language; a calendar\'s problems the same way (codes calendar_*); a guard rule refused → { ruleId, index, field }',
                  },
                },
              },
            },
          },
        },
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'API key (create-api-key) or session token' },
          cookie: { type: 'apiKey', in: 'cookie', name: 'pd_session' },
        },
      },
      security: [{ bearer: [] }, { cookie: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { schema: { hide: true } }, () => app.swagger());

  registerAuth(app, ctx);
  app.get('/healthz', { schema: { hide: true } }, async () => {
    await ctx.db.pool.query('SELECT 1');
    return { status: 'ok', database: ctx.db.kind };
  });

  await app.register(
    async (api) => {
      await authRoutes(api, ctx, { loginRateLimit: opts.loginRateLimit ?? 20 });
      await userRoutes(api, ctx);
      await customerRoutes(api, ctx);
      await ticketRoutes(api, ctx);
      await settingsRoutes(api, ctx);
      await notificationRoutes(api, ctx);
      await auditRoutes(api, ctx);
      await problemCaseRoutes(api, ctx);
      await claimRoutes(api, ctx);
      await orderRoutes(api, ctx);
      await expressToolRoutes(api, ctx);
      await shipmentRoutes(api, ctx);
      await noticeRoutes(api, ctx);
      await callRoutes(api, ctx);
      await guardRoutes(api, ctx);
      await walkInRoutes(api, ctx);
      await chatRoutes(api, ctx);
      await chatSocketRoutes(api, ctx);
      await liveSocketRoutes(api, ctx);
      await savedViewRoutes(api, ctx);
      await webhookRoutes(api, ctx);
      await emailRoutes(api, ctx);
      await kbRoutes(api, ctx);
      await kbSearchRoutes(api, ctx);
      await reportRoutes(api, ctx);
    },
    { prefix: '/api/v1' },
  );
  // After the API: the customer portal, the chat widget and their assets.
  await registerWeb(app, opts.webRoot);
  return app;
}
