/** Process start-up: configuration, database, migrations, HTTP, jobs — one function each role calls. */
import { openDatabase, type Database } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { seedDefaults } from './db/seed-defaults.ts';
import { buildApp, type App } from './http/app.ts';
import { startJobs, type JobRunner } from './jobs/runner.ts';
import type { Config } from './platform/config.ts';
import { loadSecret, piiCryptoFromSecret } from './platform/crypto.ts';
import type { ServiceContext } from './services/context.ts';
import { startEmailListener, type EmailListener } from './services/email/smtp-listener.ts';
import { getSetting } from './services/settings/settings.ts';
import { stopLiveBus } from './services/live/live-bus.ts';

export async function openContext(config: Config, opts: { poolSize?: number } = {}): Promise<ServiceContext> {
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, ...(opts.poolSize ? { poolSize: opts.poolSize } : {}) });
  try {
    await migrate(db);
    await seedDefaults(db);
  } catch (err) {
    await db.close();
    throw err;
  }
  const crypto = piiCryptoFromSecret(loadSecret(config.secret, config.dataDir));
  return { db, crypto, now: () => new Date() };
}

export interface RunningServer {
  app: App;
  ctx: ServiceContext;
  url: string;
  /** The SMTP listener's bound port when setting email.inbound has it enabled, else null. */
  smtpPort: number | null;
  stop(): Promise<void>;
}

export async function startServer(config: Config, opts: { jobs?: boolean; logger?: boolean; ctx?: ServiceContext; jobIntervalScale?: number; loginRateLimit?: number } = {}): Promise<RunningServer> {
  const ctx = opts.ctx ?? (await openContext(config, { poolSize: 20 }));
  const app = await buildApp(ctx, { logger: opts.logger ? { level: config.logLevel } : false, ...(opts.loginRateLimit ? { loginRateLimit: opts.loginRateLimit } : {}) });
  let jobs: JobRunner | null = null;
  if (opts.jobs ?? config.jobs) {
    jobs = await startJobs(ctx, { ...(opts.jobIntervalScale ? { intervalScale: opts.jobIntervalScale } : {}), env: { smtpPassword: config.smtpPassword ?? null }, only: config.jobNames ?? null });
  }
  const address = await app.listen({ port: config.port, host: config.host });
  const inbound = await getSetting(ctx.db.pool, 'email.inbound');
  let smtp: EmailListener | null = null;
  if (inbound.enabled) {
    try {
      smtp = await startEmailListener(ctx, { host: inbound.host, port: inbound.port, maxBytes: inbound.maxBytes });
    } catch (err) {
      await app.close();
      if (jobs) await jobs.stop();
      throw err;
    }
  }
  const url = address.replace('0.0.0.0', 'localhost').replace('[::]', 'localhost');
  return {
    app,
    ctx,
    url,
    smtpPort: smtp?.port ?? null,
    async stop() {
      if (smtp) await smtp.close();
      await app.close();
      if (jobs) await jobs.stop();
      await stopLiveBus(ctx.db);
      if (!opts.ctx) await ctx.db.close();
    },
  };
}

export type { Database };
