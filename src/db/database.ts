/**
 * One driver, one code path: `pg` talks to PostgreSQL (DATABASE_URL) or to the embedded PGlite
 * process over its socket. Nothing above this file knows which.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { embeddedFiles, isProcessAlive, type EmbeddedInfo } from './embedded-files.ts';

// bigint columns (counts, sequences) come back as numbers; our values stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

export type DatabaseKind = 'pglite' | 'postgresql';
export type Queryable = pg.Pool | pg.PoolClient;
export type Tx = pg.PoolClient;

export interface Database {
  kind: DatabaseKind;
  pool: pg.Pool;
  /** Connection settings for libraries that open their own pool (pg-boss). */
  connection: pg.PoolConfig;
  close(): Promise<void>;
}

export interface OpenOptions {
  databaseUrl: string | null;
  dataDir: string;
  poolSize?: number;
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  const poolSize = opts.poolSize ?? 10;
  if (opts.databaseUrl) {
    const connection: pg.PoolConfig = { connectionString: opts.databaseUrl };
    const pool = new pg.Pool({ ...connection, max: poolSize });
    pool.on('error', (err) => console.error('database pool error:', err.message));
    const db: Database = { kind: 'postgresql', pool, connection, close: () => pool.end() };
    poolDatabases.set(pool, db);
    return db;
  }
  const embedded = await startEmbedded(opts.dataDir);
  const connection: pg.PoolConfig = {
    host: embedded.info.host,
    port: embedded.info.port,
    user: 'postgres',
    database: 'postgres',
  };
  const pool = new pg.Pool({ ...connection, max: poolSize });
  pool.on('error', (err) => console.error('database pool error:', err.message));
  const db: Database = {
    kind: 'pglite',
    pool,
    connection,
    close: async () => {
      await pool.end();
      await embedded.stop();
    },
  };
  poolDatabases.set(pool, db);
  return db;
}

interface TxState {
  db: Database | null;
  beforeCommit: Array<(tx: Tx) => Promise<void>>;
  afterCommit: Array<() => void>;
}
const txStates = new WeakMap<pg.PoolClient, TxState>();
const poolDatabases = new WeakMap<pg.Pool, Database>();

/** The Database a pool or a withTx transaction belongs to (for the live bus), if known. */
export function databaseOf(q: Queryable): Database | null {
  if (q instanceof pg.Pool) return poolDatabases.get(q) ?? null;
  return txStates.get(q)?.db ?? null;
}

/** An object that lives as long as this withTx transaction (a key for per-transaction state), or null. */
export function txScope(q: Queryable): object | null {
  return q instanceof pg.Pool ? null : (txStates.get(q) ?? null);
}

/** Runs `fn` just before this transaction commits (inside it); outside withTx, at once. */
export async function beforeCommit(q: Queryable, key: string, fn: (tx: Tx) => Promise<void>): Promise<void> {
  const s = q instanceof pg.Pool ? undefined : txStates.get(q);
  if (!s) return fn(q as Tx);
  // One hook per key per transaction: a transaction writing many events runs it once.
  const tagged = fn as typeof fn & { key?: string };
  tagged.key = key;
  if (!s.beforeCommit.some((h) => (h as typeof tagged).key === key)) s.beforeCommit.push(tagged);
}

/** Runs `fn` once this transaction has committed (never if it rolls back); outside withTx, at once. */
export function afterCommit(q: Queryable, fn: () => void): void {
  const s = q instanceof pg.Pool ? undefined : txStates.get(q);
  if (s) s.afterCommit.push(fn);
  else fn();
}

export async function withTx<T>(db: Database | pg.Pool, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const pool = 'pool' in db ? db.pool : db;
  const client = await pool.connect();
  const state: TxState = { db: 'pool' in db ? db : (poolDatabases.get(db) ?? null), beforeCommit: [], afterCommit: [] };
  txStates.set(client, state);
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    for (const hook of state.beforeCommit) await hook(client);
    await client.query('COMMIT');
    txStates.delete(client);
    for (const hook of state.afterCommit) {
      try {
        hook();
      } catch (err) {
        console.error('after-commit hook failed:', err);
      }
    }
    return result;
  } catch (err) {
    txStates.delete(client);
    await client.query('ROLLBACK').catch(() => undefined /* connection already broken; the original error matters */);
    throw err;
  } finally {
    client.release();
  }
}

interface EmbeddedHandle {
  info: EmbeddedInfo;
  stop(): Promise<void>;
}

const serverScript = path.join(path.dirname(fileURLToPath(import.meta.url)), 'pglite-server.ts');
const tsxLoader = createRequire(import.meta.url).resolve('tsx');

function readInfo(dataDir: string): EmbeddedInfo | null {
  try {
    const info = JSON.parse(fs.readFileSync(embeddedFiles(dataDir).info, 'utf8')) as EmbeddedInfo;
    return isProcessAlive(info.pid) ? info : null;
  } catch {
    return null;
  }
}

async function canConnect(info: EmbeddedInfo): Promise<boolean> {
  const client = new pg.Client({ host: info.host, port: info.port, user: 'postgres', database: 'postgres' });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Joins the embedded database process already serving `dataDir` (e.g. the running server's),
 * or starts one owned by this process.
 */
async function startEmbedded(dataDir: string): Promise<EmbeddedHandle> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const existing = readInfo(dataDir);
    if (existing && (await canConnect(existing))) {
      // A joined process holds one connection for its whole life, so the embedded database
      // outlives the process that started it for as long as anyone still uses it.
      const keepalive = new pg.Client({ host: existing.host, port: existing.port, user: 'postgres', database: 'postgres' });
      await keepalive.connect();
      keepalive.on('error', () => undefined);
      return { info: existing, stop: () => keepalive.end().catch(() => undefined) };
    }

    const child: ChildProcess = spawn(process.execPath, ['--import', tsxLoader, serverScript, dataDir], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const outcome = await new Promise<{ info: EmbeddedInfo } | { exitCode: number | null }>((resolve) => {
      child.once('message', (msg) => resolve({ info: (msg as { info: EmbeddedInfo }).info }));
      child.once('exit', (code) => resolve({ exitCode: code }));
    });
    if ('info' in outcome) {
      child.unref();
      return {
        info: outcome.info,
        stop: () =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            // The embedded process flushes and exits once nobody else is connected; when other
            // processes still use it, it carries on without us and we stop waiting after 10 s.
            // The timer is not unref'd: the child is, so without it a process with nothing else
            // to do would exit here silently, before whatever follows the close (a benchmark's
            // results) — the flush of a large database takes seconds.
            const timer = setTimeout(resolve, 10_000);
            child.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            child.disconnect();
          }),
      };
    }
    if (outcome.exitCode !== 3) throw new Error(`embedded database failed to start (exit code ${outcome.exitCode})`);
    // Another process is starting it right now: wait for it to publish where it listens.
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`embedded database in ${dataDir} did not become reachable within 60 s`);
}
