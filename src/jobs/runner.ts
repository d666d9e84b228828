/**
 * Background work on the database-backed queue pg-boss. Every process may run workers; jobs are
 * fetched with SKIP LOCKED, so each runs once. A "stately" queue holds at most one waiting and one
 * running job, so N processes asking for a sweep every few seconds still produce one sweep at a
 * time. The sweeps themselves are safe to run concurrently (see sweep-sla.ts), which is what
 * makes notifications exactly-once, not the queue.
 */
import PgBoss from 'pg-boss';
import { sealAuditLog } from '../services/audit/seal-audit-log.ts';
import { sweepChat } from '../services/chat/chat.ts';
import type { ServiceContext } from '../services/context.ts';
import { indexKbPending } from '../services/kb-search/index-articles.ts';
import { sendDueEmails } from '../services/email/outbox.ts';
import { sweepSla } from '../services/sla/sweep-sla.ts';
import { sweepWebhooks } from '../services/webhooks/send-webhooks.ts';

/** What some jobs need besides the context: the SMTP password (from the environment, never a setting). */
export interface JobEnv {
  smtpPassword: string | null;
}

export interface JobDefinition {
  name: string;
  everyMs: number;
  run(ctx: ServiceContext, env: JobEnv): Promise<unknown>;
}

export const JOBS: JobDefinition[] = [
  { name: 'sla-sweep', everyMs: 5_000, run: (ctx) => sweepSla(ctx.db) },
  { name: 'audit-seal', everyMs: 3_000, run: (ctx) => sealAuditLog(ctx.db) },
  // Sends due webhook deliveries (each by one process: subscriptions leased, deliveries claimed with SKIP LOCKED).
  { name: 'webhook-sweep', everyMs: 2_000, run: (ctx) => sweepWebhooks(ctx) },
  // Routes waiting chats and sends due busy notices (C4), each once (advisory lock, conditional claim).
  { name: 'chat-sweep', everyMs: 2_000, run: (ctx) => sweepChat(ctx) },
  // The e-mail outbox: claimed with SKIP LOCKED, so processes sweeping at once never send a mail twice.
  // Knowledge-base search index: segments new and edited articles (rows claimed with SKIP LOCKED, written only if the version is unchanged).
  { name: 'kb-index', everyMs: 5_000, run: (ctx) => indexKbPending(ctx.db) },
  { name: 'email-outbox', everyMs: 2_000, run: (ctx, env) => sendDueEmails(ctx.db, { crypto: ctx.crypto, smtpPassword: env.smtpPassword }) },
];

const JOB_SETUP_LOCK = 72_611_003;

export interface JobRunner {
  stop(): Promise<void>;
}

export async function startJobs(ctx: ServiceContext, opts: { intervalScale?: number; log?: (msg: string) => void; env?: Partial<JobEnv>; only?: string[] | null } = {}): Promise<JobRunner> {
  const db = ctx.db;
  const unknown = (opts.only ?? []).filter((n) => !JOBS.some((j) => j.name === n));
  if (unknown.length) throw new Error(`unknown job ${unknown.join(', ')}; jobs are ${JOBS.map((j) => j.name).join(', ')}`);
  const jobs = opts.only ? JOBS.filter((j) => opts.only!.includes(j.name)) : JOBS;
  const env: JobEnv = { smtpPassword: opts.env?.smtpPassword ?? null };
  const log = opts.log ?? ((m: string) => console.error(m));
  const boss = new PgBoss({
    db: { executeSql: (text: string, values?: unknown[]) => db.pool.query(text, values) },
    schema: 'pgboss',
    supervise: true,
    schedule: true,
  });
  boss.on('error', (err: Error) => log(`job runner error: ${err.message}`));
  // Processes starting together race inside pg-boss's install and queue creation (duplicate
  // schema, deadlocks on the queue partitions): one process at a time sets up, under a lock.
  const setup = await db.pool.connect();
  try {
    await setup.query('SELECT pg_advisory_lock($1)', [JOB_SETUP_LOCK]);
    await boss.start();
    for (const job of jobs) await boss.createQueue(job.name, { name: job.name, policy: 'stately', retryLimit: 2, expireInSeconds: 300 });
    await setup.query('SELECT pg_advisory_unlock($1)', [JOB_SETUP_LOCK]);
    setup.release();
  } catch (err) {
    setup.release(true); // closing the connection frees the lock
    throw err;
  }
  const timers: NodeJS.Timeout[] = [];
  for (const job of jobs) {
    await boss.work(job.name, { pollingIntervalSeconds: 0.5 }, async () => {
      await job.run(ctx, env);
    });
    // Safety net when every process was down for a while: a cron job per minute.
    await boss.schedule(job.name, '* * * * *', {}, { tz: 'UTC' });
    const every = Math.max(200, Math.round(job.everyMs * (opts.intervalScale ?? 1)));
    const tick = (): void => {
      boss.send(job.name, {}).catch((err: Error) => log(`could not queue ${job.name}: ${err.message}`));
    };
    tick();
    timers.push(setInterval(tick, every));
  }
  return {
    async stop() {
      for (const t of timers) clearInterval(t);
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
    },
  };
}
