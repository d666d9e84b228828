/**
 * npm run bench — issue 2's performance check, on the embedded PGlite and on PostgreSQL:
 *
 *  1. ticket creation over HTTP: autocannon, BENCH_CONNECTIONS (10) connections for BENCH_SECONDS
 *     (15) against `parceldesk start` running as its own process with background jobs on;
 *  2. list and search latency over BENCH_TICKETS (1 000 000) generated tickets: sequential
 *     requests per query kind after a warm-up, p50/p95/p99, EXPLAIN ANALYZE of any slow kind.
 *
 * Targets (2-core machine): PostgreSQL ≥ 1 500 tickets/s with p99 < 50 ms; list/search p95 < 100 ms
 * at 1 M tickets. A missed target is printed as MISSED; only errors make the exit code non-zero.
 *
 * Environment: BENCH_DATABASES (pglite,postgresql), BENCH_DATABASE_URL or DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/postgres; a fresh database is created there and dropped),
 * BENCH_SECONDS, BENCH_CONNECTIONS, BENCH_TICKETS, BENCH_PGLITE_BUDGET_SECONDS (300: tickets are
 * generated 100 000 at a time; on PGlite generation stops, and the summary says so, as soon as the
 * whole would take longer), BENCH_LIST_REQUESTS (200), BENCH_KIND_MAX_SECONDS (60: a query kind
 * slower than that is timed fewer times, at least 20), BENCH_EXPLAIN=all (plans of every kind,
 * not only the slow ones), BENCH_SKIP=create|list.
 *
 *  3. tracking on PostgreSQL (bench/tracking.ts): lookup by waybill and by phone over 1 M shipments
 *     with 5 M events, and event ingestion in batches; `npm run bench -- tracking` runs only this,
 *     BENCH_SKIP=tracking leaves it out, BENCH_TRACKING_SHIPMENTS scales it (10 M / 50 M).
 *
 *  4. live chat on PostgreSQL (bench/chat.ts): 1 000 WebSocket customers and 50 agents across two
 *     server processes, end-to-end delivery time and lost/duplicated counts; `npm run bench -- chat`
 *     runs only this, BENCH_SKIP=chat leaves it out, BENCH_CHAT_* scale it.
 *
 *  5. inbound e-mail (bench/email.ts): mails over SMTP into tickets (new and threaded), target
 *     ≥ 50 mails/s on each database; `npm run bench -- email` runs only this, BENCH_SKIP=email
 *     leaves it out, BENCH_EMAIL_MAILS (2 000) and BENCH_EMAIL_CONNECTIONS (10) scale it.
 *
 *  6. knowledge-base search (bench/kb.ts): recall@3 of 60 Chinese queries and search p95 over
 *     100 000 articles on each database; `npm run bench -- kb` runs only this (BENCH_KB_ARTICLES,
 *     BENCH_KB_ROUNDS scale it). Not part of the full run.
 *
 *  7. language guard (bench/guard.ts): time per reply check, pure; `npm run bench -- guard` runs
 *     only this. Not part of the full run.
 *
 * Run it on an otherwise idle machine: it prints how busy the machine was before each measurement
 * and the load average, but other work on two cores still skews the numbers.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase, type Database } from '../src/db/database.ts';
import { insertBenchTickets, searchSamples, seedBenchPeople } from './bulk-tickets.ts';
import { runCreateLoad, runGetLoad, type CreateLoadResult, type GetLoadResult } from './create-load.ts';
import { explain, measureKind, queryKinds, walkPages, type KindResult } from './list-latency.ts';
import { cpuBetween, cpuSnapshot, createApiKey, loadAvg, repoRoot, startServerProcess, waitForQuiet, type CpuUse, type ServerEnv, type ServerProcess } from './processes.ts';
import type { Percentiles } from './stats.ts';
import { chatMain, chatSummary, runChatBench } from './chat.ts';
import { emailMain, emailSummary, runEmailBench } from './email.ts';
import { guardMain } from './guard.ts';
import { kbMain } from './kb.ts';
import { runTrackingBench, trackingMain, trackingSummary } from './tracking.ts';

const env = process.env;
const num = (name: string, def: number): number => {
  const v = env[name];
  if (v === undefined || v === '') return def;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got "${v}"`);
  return n;
};

const SECONDS = num('BENCH_SECONDS', 15);
const CONNECTIONS = num('BENCH_CONNECTIONS', 10);
const TICKETS = Math.round(num('BENCH_TICKETS', 1_000_000));
const PGLITE_BUDGET_S = num('BENCH_PGLITE_BUDGET_SECONDS', 300);
const LIST_REQUESTS = Math.round(num('BENCH_LIST_REQUESTS', 200));
const LIST_WARMUP = 20;
const KIND_MAX_SECONDS = num('BENCH_KIND_MAX_SECONDS', 60);
const REFERENCE_SECONDS = 5;
const DEEP_PAGES = 50;
const BATCH = 100_000;
const DATABASES = (env.BENCH_DATABASES ?? 'pglite,postgresql').split(',').map((s) => s.trim()).filter(Boolean);
const SKIP = new Set((env.BENCH_SKIP ?? '').split(',').map((s) => s.trim()));
const PG_URL = env.BENCH_DATABASE_URL || env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

const TARGET = { createPerSecond: 1500, createP99Ms: 50, listP95Ms: 100 };

for (const d of DATABASES) if (d !== 'pglite' && d !== 'postgresql') throw new Error(`BENCH_DATABASES: unknown database "${d}" (pglite, postgresql)`);

interface CreatePhase {
  loadBefore: number[];
  loadAfter: number[];
  quiet: { waitedMs: number; busyCores: number | null };
  cpu: CpuUse;
  result: CreateLoadResult;
  ticketsInDatabase: number;
  targetMet: boolean | null;
  references: ({ name: string } & GetLoadResult)[];
}

interface ListPhase {
  tickets: number;
  requestedTickets: number;
  note: string | null;
  generateSeconds: number;
  loadBefore: number[];
  loadAfter: number[];
  cpu: CpuUse;
  kinds: (KindResult & { targetMet: boolean })[];
  deepWalks: { params: Record<string, string>; pages: number; totalMs: number }[];
  deepWalkPageLatency: Percentiles;
  plans: Record<string, string>;
}

interface DbResult {
  database: 'pglite' | 'postgresql';
  serverUrl: string;
  create: CreatePhase | null;
  list: ListPhase | null;
  errors: string[];
}

const log = (msg: string): void => console.log(`[${new Date().toISOString().slice(11, 19)}] ${msg}`);
const cleanups: (() => Promise<void>)[] = [];
let interrupted = false;
process.once('SIGINT', () => {
  interrupted = true;
  log('interrupted: cleaning up');
  void (async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    process.exit(130);
  })();
});

async function withPgAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function prepareDatabase(kind: 'pglite' | 'postgresql'): Promise<{ serverEnv: ServerEnv; dispose(): Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `parceldesk-bench-${kind}-`));
  const removeDir = async (): Promise<void> => fs.rmSync(dataDir, { recursive: true, force: true });
  if (kind === 'pglite') return { serverEnv: { databaseUrl: null, dataDir }, dispose: removeDir };
  const name = `parceldesk_bench_${Date.now()}_${process.pid}`;
  await withPgAdmin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return {
    serverEnv: { databaseUrl: url.toString(), dataDir },
    async dispose() {
      await withPgAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
      await removeDir();
    },
  };
}

async function openBenchDb(s: ServerEnv): Promise<Database> {
  // For PGlite this joins the embedded database the server started (one process owns the files).
  return openDatabase({ databaseUrl: s.databaseUrl, dataDir: s.dataDir, poolSize: 4 });
}

async function createPhase(kind: DbResult['database'], server: ServerProcess, apiKey: string, db: Database): Promise<CreatePhase> {
  log(`${kind}: warming up ticket creation (3 s)`);
  const warm = await runCreateLoad(server.url, apiKey, { connections: CONNECTIONS, seconds: 3 });
  // What the HTTP stack and the database connection manage on this machine at all, for scale:
  // GET /healthz (one trivial query) and GET /api/v1/ticket-types (API-key check + one query).
  const references: CreatePhase['references'] = [];
  for (const [name, path, auth] of [['GET /healthz', '/healthz', false], ['GET /api/v1/ticket-types', '/api/v1/ticket-types', true]] as const) {
    const r = await runGetLoad(server.url, path, auth ? apiKey : null, { connections: CONNECTIONS, seconds: REFERENCE_SECONDS });
    references.push({ name, ...r });
    log(`${kind}: reference ${name}: ${r.requestsPerSecond} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, non-2xx ${r.non2xx}`);
  }
  const quiet = await waitForQuiet(60_000);
  const loadBefore = loadAvg();
  log(`${kind}: creating tickets: ${CONNECTIONS} connections for ${SECONDS} s (load average ${loadBefore.join(' ')}; machine busy ${quiet.busyCores ?? '?'} cores before start)`);
  const c0 = cpuSnapshot(server.pid);
  const result = await runCreateLoad(server.url, apiKey, { connections: CONNECTIONS, seconds: SECONDS });
  const cpu = cpuBetween(c0, cpuSnapshot(server.pid));
  const loadAfter = loadAvg();
  // autocannon stops at the deadline without waiting for the requests in flight; those still commit.
  await new Promise((r) => setTimeout(r, 1000));
  const inDb = (await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM tickets')).rows[0]!.n;
  const expected = warm.ok + result.ok;
  if (inDb < expected || inDb > expected + 2 * CONNECTIONS) throw new Error(`${kind}: ${expected} tickets acknowledged with 2xx (+ at most ${2 * CONNECTIONS} in flight at the deadlines) but ${inDb} in the database`);
  const targetMet = kind === 'postgresql' ? result.requestsPerSecond >= TARGET.createPerSecond && result.latency.p99 < TARGET.createP99Ms : null;
  log(`${kind}: ${result.requestsPerSecond} tickets/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, non-2xx ${result.non2xx}, errors ${result.errors}; ` +
    `cpu cores used: server ${cpu.serverCores}, postgres ${cpu.postgresCores}, bench ${cpu.benchCores}, machine ${cpu.machineBusyCores} (load average after ${loadAfter.join(' ')})`);
  return { loadBefore, loadAfter, quiet, cpu, result, ticketsInDatabase: inDb, targetMet, references };
}

async function generateTickets(kind: DbResult['database'], db: Database): Promise<{ tickets: number; seconds: number; note: string | null }> {
  const started = performance.now();
  let done = 0;
  let note: string | null = null;
  while (done < TICKETS && !interrupted) {
    const to = Math.min(TICKETS, done + BATCH);
    await insertBenchTickets(db.pool, done, to);
    done = to;
    const elapsed = (performance.now() - started) / 1000;
    const projected = (elapsed / done) * TICKETS;
    log(`${kind}: generated ${done.toLocaleString('en')} tickets in ${elapsed.toFixed(0)} s${done < TICKETS ? ` (projected ${projected.toFixed(0)} s for ${TICKETS.toLocaleString('en')})` : ''}`);
    if (kind === 'pglite' && done < TICKETS && projected > PGLITE_BUDGET_S) {
      note = `PGlite: generating ${TICKETS.toLocaleString('en')} tickets was projected at ${projected.toFixed(0)} s (budget ${PGLITE_BUDGET_S} s): measured at ${done.toLocaleString('en')} tickets`;
      log(note);
      break;
    }
  }
  log(`${kind}: VACUUM ANALYZE tickets`);
  await db.pool.query('VACUUM (ANALYZE) tickets');
  return { tickets: done, seconds: Math.round((performance.now() - started) / 100) / 10, note };
}

async function listPhase(kind: DbResult['database'], server: ServerProcess, apiKey: string, db: Database): Promise<ListPhase> {
  const people = await seedBenchPeople(db.pool);
  const gen = await generateTickets(kind, db);
  const samples = await searchSamples(db.pool, people);
  const total = (await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM tickets')).rows[0]!.n;
  await waitForQuiet(60_000);
  const loadBefore = loadAvg();
  const c0 = cpuSnapshot(server.pid);
  log(`${kind}: list/search over ${total.toLocaleString('en')} tickets, ${LIST_REQUESTS} sequential requests per kind after ${LIST_WARMUP} warm-up (load average ${loadBefore.join(' ')})`);
  const deep = await walkPages(server.url, apiKey, [{}, { status: 'closed' }, { ownerId: people.agentIds[0]! }, { priority: 'high' }], DEEP_PAGES);
  const kinds: ListPhase['kinds'] = [];
  for (const k of queryKinds(samples, deep.cursors)) {
    const r = await measureKind(server.url, apiKey, k, { warmup: LIST_WARMUP, requests: LIST_REQUESTS, maxSeconds: KIND_MAX_SECONDS });
    if (k.expectHits && r.emptyPages > 0) throw new Error(`${kind}: "${k.name}" returned ${r.emptyPages} empty pages (e.g. ${r.example})`);
    const targetMet = r.latency.p95 < TARGET.listP95Ms;
    kinds.push({ ...r, targetMet });
    log(`${kind}:   ${k.name.padEnd(34)} p50 ${String(r.latency.p50).padStart(6)} ms  p95 ${String(r.latency.p95).padStart(6)} ms  p99 ${String(r.latency.p99).padStart(6)} ms  (${r.avgItems} items/page)${r.cappedAt ? ` [time cap: ${r.cappedAt} requests]` : ''}${targetMet ? '' : '  MISSED'}`);
  }
  const cpu = cpuBetween(c0, cpuSnapshot(server.pid));
  const loadAfter = loadAvg();
  const plans: Record<string, string> = {};
  for (const k of queryKinds(samples, deep.cursors)) {
    const r = kinds.find((x) => x.name === k.name)!;
    if (env.BENCH_EXPLAIN === 'all' || !r.targetMet) plans[k.name] = await explain(db.pool, k.params(LIST_WARMUP));
  }
  for (const [name, plan] of Object.entries(plans)) log(`${kind}: EXPLAIN ANALYZE — ${name}\n${plan}`);
  return {
    tickets: total,
    requestedTickets: TICKETS,
    note: gen.note,
    generateSeconds: gen.seconds,
    loadBefore,
    loadAfter,
    cpu,
    kinds,
    deepWalks: deep.walks,
    deepWalkPageLatency: deep.pageLatency,
    plans,
  };
}

async function benchDatabase(kind: DbResult['database']): Promise<DbResult> {
  const out: DbResult = { database: kind, serverUrl: '', create: null, list: null, errors: [] };
  const prepared = await prepareDatabase(kind);
  cleanups.push(() => prepared.dispose());
  let server: ServerProcess | null = null;
  let db: Database | null = null;
  try {
    log(`${kind}: starting the server (parceldesk start, jobs on)`);
    server = await startServerProcess(prepared.serverEnv);
    const s = server;
    cleanups.push(() => s.stop());
    out.serverUrl = server.url;
    const apiKey = await createApiKey(prepared.serverEnv, 'bench', 'agent');
    db = await openBenchDb(prepared.serverEnv);
    const d = db;
    cleanups.push(() => d.close());
    if (!SKIP.has('create') && !interrupted) {
      try {
        out.create = await createPhase(kind, server, apiKey, db);
        if (out.create.result.non2xx > 0 || out.create.result.errors > 0) {
          out.errors.push(`${kind}: ticket creation had ${out.create.result.non2xx} non-2xx responses and ${out.create.result.errors} errors: ${out.create.result.sampleErrors.join(' | ')}`);
        }
      } catch (err) {
        out.errors.push(`create: ${(err as Error).message}`);
      }
    }
    if (!SKIP.has('list') && !interrupted) {
      try {
        out.list = await listPhase(kind, server, apiKey, db);
      } catch (err) {
        out.errors.push(`list: ${(err as Error).stack ?? (err as Error).message}`);
      }
    }
  } catch (err) {
    out.errors.push((err as Error).message);
  } finally {
    if (db) await db.close().catch(() => undefined);
    if (server) {
      const stderr = server.stderr().trim();
      await server.stop();
      if (stderr) log(`${kind}: server stderr (last 2 000 characters):\n${stderr.slice(-2000)}`);
    }
    await prepared.dispose().catch((err: Error) => out.errors.push(`cleanup: ${err.message}`));
    cleanups.length = 0;
  }
  for (const e of out.errors) log(`ERROR ${e}`);
  return out;
}

function summary(results: DbResult[], meta: Record<string, unknown>): string {
  const lines: string[] = [];
  const pad = (s: string | number, n: number): string => String(s).padEnd(n);
  const lpad = (s: string | number, n: number): string => String(s).padStart(n);
  lines.push('', '='.repeat(100), `Parceldesk benchmark — ${meta.cpus} × ${meta.cpuModel}, Node ${process.version}, ${meta.at}`, '='.repeat(100));
  lines.push('', `Ticket creation: POST /api/v1/tickets, ${CONNECTIONS} connections, ${SECONDS} s (target on PostgreSQL: ≥ ${TARGET.createPerSecond}/s, p99 < ${TARGET.createP99Ms} ms)`);
  lines.push(`${pad('database', 12)}${lpad('tickets/s', 11)}${lpad('p50 ms', 9)}${lpad('p97.5 ms', 10)}${lpad('p99 ms', 9)}${lpad('max ms', 9)}${lpad('non-2xx', 9)}  ${pad('cpu cores: server/db/bench/machine', 36)}load avg before → after`);
  for (const r of results) {
    const c = r.create;
    if (!c) {
      lines.push(`${pad(r.database, 12)}  (not measured)`);
      continue;
    }
    const x = c.result;
    const flag = c.targetMet === false ? '  MISSED' : c.targetMet ? '  ok' : '';
    lines.push(`${pad(r.database, 12)}${lpad(x.requestsPerSecond, 11)}${lpad(x.latency.p50, 9)}${lpad(x.latency.p97_5, 10)}${lpad(x.latency.p99, 9)}${lpad(x.latency.max, 9)}${lpad(x.non2xx + x.errors, 9)}  ` +
      `${pad(`${c.cpu.serverCores}/${c.cpu.postgresCores}/${c.cpu.benchCores}/${c.cpu.machineBusyCores}`, 36)}${c.loadBefore.join(' ')} → ${c.loadAfter.join(' ')}${flag}`);
  }
  lines.push(`(cpu cores = CPU seconds per second during the run: the server's process tree — the embedded PGlite runs inside it —, the PostgreSQL processes,`,
    ` this benchmark process (autocannon), the whole machine of ${meta.cpus} cores. Machine busy in the 2 s before each run: ` +
    `${results.filter((r) => r.create).map((r) => `${r.database} ${r.create!.quiet.busyCores ?? '?'} cores`).join(', ')}.)`);
  const refs = results.filter((r) => r.create?.references.length);
  if (refs.length) {
    lines.push('', `For scale, the same ${CONNECTIONS} connections on lighter endpoints (${REFERENCE_SECONDS} s each):`);
    for (const r of refs) {
      for (const x of r.create!.references) lines.push(`${pad(r.database, 12)}${pad(x.name, 28)}${lpad(x.requestsPerSecond, 9)} req/s  p50 ${x.latency.p50} ms  p99 ${x.latency.p99} ms`);
    }
  }
  for (const r of results) {
    const l = r.list;
    if (!l) continue;
    lines.push('', `List/search on ${r.database}: ${l.tickets.toLocaleString('en')} tickets, ${LIST_REQUESTS} sequential requests per kind (target p95 < ${TARGET.listP95Ms} ms)` +
      `  — load avg ${l.loadBefore.join(' ')} → ${l.loadAfter.join(' ')}`);
    if (l.note) lines.push(`NOTE: ${l.note}`);
    lines.push(`${pad('query', 36)}${lpad('p50 ms', 9)}${lpad('p95 ms', 9)}${lpad('p99 ms', 9)}${lpad('max ms', 9)}${lpad('items', 7)}`);
    for (const k of l.kinds) {
      lines.push(`${pad(k.name, 36)}${lpad(k.latency.p50, 9)}${lpad(k.latency.p95, 9)}${lpad(k.latency.p99, 9)}${lpad(k.latency.max, 9)}${lpad(k.avgItems, 7)}${k.targetMet ? '' : '  MISSED'}${k.cappedAt ? ` (time cap: ${k.cappedAt} requests)` : ''}`);
    }
    lines.push(`${pad('walking 50 pages deep, per page', 36)}${lpad(l.deepWalkPageLatency.p50, 9)}${lpad(l.deepWalkPageLatency.p95, 9)}${lpad(l.deepWalkPageLatency.p99, 9)}${lpad(l.deepWalkPageLatency.max, 9)}`);
  }
  const errors = results.flatMap((r) => r.errors);
  if (errors.length) lines.push('', 'ERRORS:', ...errors.map((e) => `  ${e.split('\n')[0]}`));
  lines.push('');
  return lines.join('\n');
}

async function main(): Promise<void> {
  // `npm run bench -- tracking`: only the tracking benchmark (bench/tracking.ts).
  if (process.argv.slice(2).includes('tracking')) return trackingMain();
  // `npm run bench -- chat`: only the live-chat benchmark (bench/chat.ts).
  if (process.argv.slice(2).includes('chat')) return chatMain();
  // `npm run bench -- email`: only the inbound e-mail benchmark (bench/email.ts).
  if (process.argv.slice(2).includes('email')) return emailMain();
  // `npm run bench -- kb`: only the knowledge-base search benchmark (bench/kb.ts).
  if (process.argv.slice(2).includes('kb')) return kbMain();
  // `npm run bench -- guard`: only the language-guard micro-benchmark (bench/guard.ts).
  if (process.argv.slice(2).includes('guard')) return guardMain();
  const meta = {
    at: new Date().toISOString(),
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    memoryGb: Math.round(os.totalmem() / 1e9),
    node: process.version,
    settings: { seconds: SECONDS, connections: CONNECTIONS, tickets: TICKETS, listRequests: LIST_REQUESTS, listWarmup: LIST_WARMUP, databases: DATABASES, postgres: PG_URL.replace(/:[^:@/]*@/, ':***@') },
    targets: TARGET,
    loadAverageAtStart: loadAvg(),
  };
  log(`bench on ${meta.cpus} × ${meta.cpuModel}; load average ${meta.loadAverageAtStart.join(' ')}`);
  const results: DbResult[] = [];
  for (const kind of DATABASES as DbResult['database'][]) {
    if (interrupted) break;
    results.push(await benchDatabase(kind));
  }
  const text = summary(results, meta);
  console.log(text);
  const tracking = DATABASES.includes('postgresql') && !SKIP.has('tracking') && !interrupted ? await runTrackingBench() : null;
  if (tracking) console.log(trackingSummary(tracking));
  const chat = DATABASES.includes('postgresql') && !SKIP.has('chat') && !interrupted ? await runChatBench() : null;
  if (chat) console.log(chatSummary(chat));
  const email = !SKIP.has('email') && !interrupted ? await runEmailBench() : null;
  if (email) console.log(emailSummary(email));
  const dir = path.join(repoRoot, '.bench');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `results-${meta.at.replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(file, `${JSON.stringify({ ...meta, loadAverageAtEnd: loadAvg(), results, tracking, chat, email }, null, 2)}\n`);
  console.log(`results written to ${path.relative(process.cwd(), file)}`);
  if (results.some((r) => r.errors.length) || tracking?.errors.length || chat?.errors.length || email?.some((r) => r.errors.length)) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
