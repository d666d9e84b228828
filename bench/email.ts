/**
 * Inbound e-mail throughput (issue 4): `parceldesk start` runs as its own process with the SMTP
 * listener on (setting email.inbound) and jobs on; BENCH_EMAIL_CONNECTIONS (10) SMTP connections
 * (nodemailer, one pooled connection each, as an MTA delivers) send BENCH_EMAIL_MAILS (2 000)
 * mails. A quarter open tickets (new senders, who become customers); the rest answer an earlier
 * mail of the same sender (In-Reply-To), so they thread into its ticket. Each mail's time is from
 * the start of its SMTP transaction to the "250" (which Parceldesk sends once the mail is stored).
 * Afterwards the database must hold every mail once: new tickets and threaded messages as sent.
 *
 * Target: ≥ 50 mails/s into tickets, on PostgreSQL and on PGlite. `npm run bench -- email` runs
 * only this; BENCH_SKIP=email leaves it out of the full run; BENCH_DATABASES applies.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import pg from 'pg';
import { openDatabase, type Database } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { seedDefaults } from '../src/db/seed-defaults.ts';
import { putSetting, SETTINGS } from '../src/services/settings/settings.ts';
import { cpuBetween, cpuSnapshot, freePort, loadAvg, repoRoot, startServerProcess, waitForQuiet, type CpuUse, type ServerEnv } from './processes.ts';
import { percentiles, type Percentiles } from './stats.ts';

const env = process.env;
const num = (name: string, def: number): number => {
  const v = env[name];
  if (v === undefined || v === '') return def;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got "${v}"`);
  return n;
};
const MAILS = Math.round(num('BENCH_EMAIL_MAILS', 2000));
const CONNECTIONS = Math.round(num('BENCH_EMAIL_CONNECTIONS', 10));
const DATABASES = (env.BENCH_DATABASES ?? 'pglite,postgresql').split(',').map((s) => s.trim()).filter(Boolean) as ('pglite' | 'postgresql')[];
const PG_URL = env.BENCH_DATABASE_URL || env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
export const EMAIL_TARGET = { mailsPerSecond: 50 };
const TO = 'kefu@shunda.example';

const log = (msg: string): void => console.log(`[${new Date().toISOString().slice(11, 19)}] email: ${msg}`);

export interface EmailBenchResult {
  database: 'pglite' | 'postgresql';
  mails: number;
  connections: number;
  seconds: number;
  mailsPerSecond: number;
  latencyMs: Percentiles;
  newTickets: number;
  threaded: number;
  loadBefore: number[];
  loadAfter: number[];
  quiet: { waitedMs: number; busyCores: number | null };
  cpu: CpuUse;
  targetMet: boolean;
  errors: string[];
}

async function prepare(kind: 'pglite' | 'postgresql'): Promise<{ serverEnv: ServerEnv; smtpPort: number; dispose(): Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `parceldesk-bench-email-${kind}-`));
  let databaseUrl: string | null = null;
  let dropName: string | null = null;
  if (kind === 'postgresql') {
    dropName = `parceldesk_bench_email_${Date.now()}_${process.pid}`;
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    await c.query(`CREATE DATABASE ${dropName}`);
    await c.end();
    const url = new URL(PG_URL);
    url.pathname = `/${dropName}`;
    databaseUrl = url.toString();
  }
  // The listener starts with the server when the setting says so: set it before the server starts.
  const smtpPort = await freePort();
  const db = await openDatabase({ databaseUrl, dataDir, poolSize: 2 });
  try {
    await migrate(db);
    await seedDefaults(db);
    await putSetting(db.pool, 'email.inbound', { ...SETTINGS['email.inbound'].default, enabled: true, host: '127.0.0.1', port: smtpPort, addresses: [TO] }, null);
  } finally {
    await db.close();
  }
  return {
    serverEnv: { databaseUrl, dataDir },
    smtpPort,
    async dispose() {
      if (dropName) {
        const c = new pg.Client({ connectionString: PG_URL });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${dropName} WITH (FORCE)`);
        await c.end();
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Sends the mails over `CONNECTIONS` SMTP connections; mail i ≥ senders answers mail i − senders (same sender). */
async function blast(port: number, runId: string): Promise<{ ms: number[]; seconds: number; errors: string[] }> {
  const senders = Math.max(1, Math.floor(MAILS / 4));
  const acked: Promise<string | null>[] = new Array(MAILS);
  const resolvers: ((id: string | null) => void)[] = [];
  for (let i = 0; i < MAILS; i++) acked[i] = new Promise((r) => (resolvers[i] = r));
  const ms: number[] = [];
  const errors: string[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      const t = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, pool: true, maxConnections: 1, maxMessages: Infinity });
      try {
        for (;;) {
          const i = next++;
          if (i >= MAILS) break;
          const sender = i % senders;
          const parent = i >= senders ? await acked[i - senders]! : null;
          const t0 = performance.now();
          try {
            const info = await t.sendMail({
              from: { name: `客户 ${sender}`, address: `bench.${runId}.${sender}@customers.example` },
              to: TO,
              subject: parent ? `Re: 快件 ${sender} 未收到` : `快件 ${sender} 未收到`,
              text: `运单 SD${String(100000000000 + i)} 三天没有更新了,请帮忙查一下。(${i})`,
              ...(parent ? { inReplyTo: parent, references: [parent] } : {}),
            });
            ms.push(performance.now() - t0);
            resolvers[i]!(info.messageId);
          } catch (err) {
            if (errors.length < 10) errors.push(`mail ${i}: ${(err as Error).message}`);
            resolvers[i]!(null);
          }
        }
      } finally {
        t.close();
      }
    }),
  );
  return { ms, seconds: (performance.now() - started) / 1000, errors };
}

async function benchOne(kind: 'pglite' | 'postgresql'): Promise<EmailBenchResult> {
  const prepared = await prepare(kind);
  const errors: string[] = [];
  let db: Database | null = null;
  const server = await startServerProcess(prepared.serverEnv);
  try {
    db = await openDatabase({ databaseUrl: prepared.serverEnv.databaseUrl, dataDir: prepared.serverEnv.dataDir, poolSize: 2 });
    log(`${kind}: warming up (50 mails)`);
    const warmT = nodemailer.createTransport({ host: '127.0.0.1', port: prepared.smtpPort, ignoreTLS: true });
    for (let i = 0; i < 50; i++) await warmT.sendMail({ from: `warm.${i}@customers.example`, to: TO, subject: 'warm-up', text: 'warm-up' });
    warmT.close();
    const quiet = await waitForQuiet(60_000);
    const loadBefore = loadAvg();
    log(`${kind}: sending ${MAILS} mails over ${CONNECTIONS} SMTP connections (load average ${loadBefore.join(' ')}; machine busy ${quiet.busyCores ?? '?'} cores before start)`);
    const c0 = cpuSnapshot(server.pid);
    const runId = Date.now().toString(36);
    const r = await blast(prepared.smtpPort, runId);
    const cpu = cpuBetween(c0, cpuSnapshot(server.pid));
    const loadAfter = loadAvg();
    errors.push(...r.errors);
    const counts = (await db.pool.query<{ inbound: number; tickets: number; threaded: number }>(
      `SELECT (SELECT count(*)::int FROM email_messages WHERE direction = 'inbound') - 50 AS inbound,
              (SELECT count(*)::int FROM tickets WHERE channel = 'email') - 50 AS tickets,
              (SELECT count(*)::int FROM ticket_events WHERE kind = 'message' AND data->>'channel' = 'email') AS threaded`,
    )).rows[0]!;
    const senders = Math.max(1, Math.floor(MAILS / 4));
    if (counts.inbound !== r.ms.length) errors.push(`${r.ms.length} mails acknowledged with 250 but ${counts.inbound} stored`);
    if (r.ms.length === MAILS && (counts.tickets !== senders || counts.threaded !== MAILS - senders)) {
      errors.push(`expected ${senders} new tickets and ${MAILS - senders} threaded messages, found ${counts.tickets} and ${counts.threaded}`);
    }
    const mailsPerSecond = Math.round((r.ms.length / r.seconds) * 10) / 10;
    const latencyMs = percentiles(r.ms);
    log(`${kind}: ${mailsPerSecond} mails/s (${r.ms.length} in ${r.seconds.toFixed(1)} s), p50 ${latencyMs.p50} ms, p99 ${latencyMs.p99} ms; ` +
      `${counts.tickets} new tickets, ${counts.threaded} threaded; cpu cores: server ${cpu.serverCores}, postgres ${cpu.postgresCores}, bench ${cpu.benchCores}, machine ${cpu.machineBusyCores} (load average after ${loadAfter.join(' ')})`);
    return {
      database: kind, mails: r.ms.length, connections: CONNECTIONS, seconds: Math.round(r.seconds * 10) / 10, mailsPerSecond, latencyMs,
      newTickets: counts.tickets, threaded: counts.threaded, loadBefore, loadAfter, quiet, cpu, targetMet: mailsPerSecond >= EMAIL_TARGET.mailsPerSecond, errors,
    };
  } finally {
    if (db) await db.close();
    await server.stop();
    await prepared.dispose();
  }
}

export async function runEmailBench(): Promise<EmailBenchResult[]> {
  // Closing the embedded database waits for its process on unref'd handles only: without this,
  // Node would find nothing left to do and exit in the middle of the benchmark.
  const keepAlive = setInterval(() => undefined, 1000);
  try {
    const out: EmailBenchResult[] = [];
    for (const kind of DATABASES) out.push(await benchOne(kind));
    return out;
  } finally {
    clearInterval(keepAlive);
  }
}

export function emailSummary(rs: EmailBenchResult[]): string {
  const lines = ['', `Inbound e-mail over SMTP into tickets (target ≥ ${EMAIL_TARGET.mailsPerSecond} mails/s):`];
  for (const r of rs) {
    lines.push(`  ${r.database.padEnd(10)} ${String(r.mailsPerSecond).padStart(7)} mails/s  ${r.targetMet ? 'met' : 'MISSED'}  (${r.mails} mails, ${r.connections} connections, ${r.seconds} s; ` +
      `p50 ${r.latencyMs.p50} ms, p95 ${r.latencyMs.p95} ms, p99 ${r.latencyMs.p99} ms; load average ${r.loadBefore.join(' ')} → ${r.loadAfter.join(' ')}; server ${r.cpu.serverCores} cores, postgres ${r.cpu.postgresCores})`);
    for (const e of r.errors) lines.push(`    ERROR ${e}`);
  }
  return lines.join('\n');
}

export async function emailMain(): Promise<void> {
  log(`${os.cpus().length} × ${os.cpus()[0]?.model.trim()}; load average ${loadAvg().join(' ')}`);
  const rs = await runEmailBench();
  console.log(emailSummary(rs));
  const dir = path.join(repoRoot, '.bench');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `email-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(file, `${JSON.stringify({ cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model.trim(), node: process.version, settings: { mails: MAILS, connections: CONNECTIONS, databases: DATABASES }, results: rs }, null, 2)}\n`);
  console.log(`results written to ${path.relative(process.cwd(), file)}`);
  if (rs.some((r) => r.errors.length)) process.exitCode = 1;
}
