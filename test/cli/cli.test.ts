/**
 * The operator's CLI (`node bin/parceldesk.js <command>`), run as a real process against private
 * scratch databases (fresh PGlite folders, or fresh PostgreSQL databases when the run uses
 * DATABASE_URL): migrate, help, accounts and API keys (also while a server runs on the same
 * database), demo data, backup/restore round trips and audit-chain verification.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { withTx, type Database } from '../../src/db/database.ts';
import { embeddedFiles, isProcessAlive } from '../../src/db/embedded-files.ts';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../../src/demo/seed-demo.ts';
import { ROLES } from '../../src/domain/policy.ts';
import { startServer, type RunningServer } from '../../src/server.ts';
import { runCli, scratchDatabase, show, type ScratchDatabase } from '../support/cli.ts';
import { Client } from '../support/harness.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const MODE = inject('databaseUrl') ? 'postgresql' : 'pglite';
const SPAWN = 90_000; // per test: a few CLI processes, each 1–5 s

async function login(url: string, username: string, password: string): Promise<Client> {
  const res = await new Client(url).post<{ token: string }>('/api/v1/auth/login', { username, password });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return new Client(url, res.body.token);
}

function readEmbeddedPid(dataDir: string): number | null {
  try {
    return (JSON.parse(fs.readFileSync(embeddedFiles(dataDir).info, 'utf8')) as { pid: number }).pid;
  } catch {
    return null;
  }
}

/** Rewrites a sealed audit row behind the append-only trigger's back (what an attacker with DB access could do). */
async function behindTheGuard(db: Database, sql: string, params: unknown[]): Promise<number> {
  return withTx(db, async (tx) => {
    await tx.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_guard');
    const r = await tx.query(sql, params);
    await tx.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_guard');
    return r.rowCount ?? 0;
  });
}

describe(`CLI accounts while a server runs on the same database (${MODE})`, () => {
  let b: ScratchDatabase;
  let server: RunningServer;
  let embeddedPid: number | null = null;
  beforeAll(async () => {
    b = await scratchDatabase('accounts');
    // The server starts first and (PGlite) owns the embedded database process; the CLI must join it.
    server = await startServer(b.config(), { jobs: false });
    if (MODE === 'pglite') {
      embeddedPid = readEmbeddedPid(b.dataDir);
      expect(embeddedPid).not.toBeNull();
    }
  });
  afterAll(async () => {
    await server?.stop();
    await b?.drop();
  });

  it('create-user succeeds while the server is up, and the server sees the user (login works)', { timeout: SPAWN }, async () => {
    const username = `cli_agent_${Date.now()}`;
    const password = 'cli-password-42';
    const r = await runCli(['create-user', '--username', username, '--password', password, '--role', 'agent', '--display-name', '命令行坐席'], b.env);
    expect(r.code, show(r)).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`created user ${username} \\(agent\\) [0-9a-f-]{36}`));

    if (MODE === 'pglite') {
      // The CLI joined the server's embedded process instead of starting a second one, and
      // leaving did not take the database away from the server.
      expect(readEmbeddedPid(b.dataDir)).toBe(embeddedPid);
      expect(isProcessAlive(embeddedPid!)).toBe(true);
    }

    const client = await login(server.url, username, password);
    const me = await client.get('/api/v1/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ username, role: 'agent', displayName: '命令行坐席' });
    const row = await server.ctx.db.pool.query<{ role: string }>('SELECT role FROM users WHERE username = $1', [username]);
    expect(row.rows).toEqual([{ role: 'agent' }]);

    const wrong = await new Client(server.url).post('/api/v1/auth/login', { username, password: 'not-the-password' });
    expect(wrong.status).toBe(401);
  });

  it('create-user with an unknown role exits non-zero, says which roles exist, and creates nothing', { timeout: SPAWN }, async () => {
    const username = `cli_bad_${Date.now()}`;
    const r = await runCli(['create-user', '--username', username, '--password', 'cli-password-42', '--role', 'overlord'], b.env);
    expect(r.code, show(r)).not.toBe(0);
    expect(r.code).not.toBeNull();
    expect(r.stderr).toContain(`--role must be one of ${ROLES.join(', ')}`);
    const row = await server.ctx.db.pool.query('SELECT 1 FROM users WHERE username = $1', [username]);
    expect(row.rowCount).toBe(0);
  });

  it('create-api-key prints the key alone on the last line; it authenticates as Bearer with its role', { timeout: SPAWN }, async () => {
    const name = `cli key ${Date.now()}`;
    const r = await runCli(['create-api-key', '--name', name, '--role', 'admin'], b.env);
    expect(r.code, show(r)).toBe(0);
    const lines = r.stdout.split('\n').filter((l) => l !== '');
    const key = lines.at(-1)!;
    expect(key).toMatch(/^pdk_[A-Za-z0-9_-]+$/);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.slice(0, -1).join('\n')).not.toContain(key); // shown once, only there

    const me = await new Client(server.url, key).get('/api/v1/me');
    expect(me.status, JSON.stringify(me.body)).toBe(200);
    expect(me.body.role).toBe('admin');
    // A made-up key of the same shape is refused.
    const forged = await new Client(server.url, `pdk_${'x'.repeat(key.length - 4)}`).get('/api/v1/me');
    expect(forged.status).toBe(401);
  });
});

describe(`CLI migrate, demo data, backup/restore and audit verification (${MODE})`, () => {
  let a: ScratchDatabase; // source: demo data
  let b: ScratchDatabase; // fresh database: migrate, then restore target
  let dbA: Database;
  let dbB: Database;
  let backupFile = '';
  beforeAll(async () => {
    [a, b] = await Promise.all([scratchDatabase('src'), scratchDatabase('dst')]);
    backupFile = path.join(a.dataDir, 'backup.jsonl.gz');
  });
  afterAll(async () => {
    await a?.drop();
    await b?.drop();
  });

  it('migrate applies every migration on a fresh database, in order, then reports it is up to date', { timeout: SPAWN }, async () => {
    const all = fs.readdirSync(path.join(repoRoot, 'src/db/migrations')).filter((f) => /^\d{4}_.+\.sql$/.test(f)).map((f) => f.replace(/\.sql$/, '')).sort();
    expect(all[0]).toBe('0001_foundation');
    const first = await runCli(['migrate'], b.env);
    expect(first.code, show(first)).toBe(0);
    expect(first.stdout).toContain(`applied: ${all.join(', ')}`);
    const second = await runCli(['migrate'], b.env);
    expect(second.code, show(second)).toBe(0);
    expect(second.stdout.trim()).toBe('database is up to date');

    dbB = await b.open();
    const versions = (await dbB.pool.query<{ version: string }>('SELECT version FROM schema_migrations ORDER BY version')).rows.map((r) => r.version);
    expect(versions).toEqual(all);
    const audit = await dbB.pool.query("SELECT 1 FROM pg_tables WHERE schemaname = 'public' AND tablename = 'audit_log'");
    expect(audit.rowCount).toBe(1);
  });

  it('help lists every command and role; an unknown command exits non-zero with the usage', { timeout: SPAWN }, async () => {
    const help = await runCli(['help'], b.env);
    expect(help.code, show(help)).toBe(0);
    for (const cmd of ['start', 'migrate', 'seed-demo', 'create-user', 'create-api-key', 'backup', 'restore', 'verify-audit']) {
      expect(help.stdout).toMatch(new RegExp(`^\\s+${cmd}\\b`, 'm'));
    }
    for (const role of ROLES) expect(help.stdout).toContain(role);

    const unknown = await runCli(['frobnicate'], b.env);
    expect(unknown.code, show(unknown)).not.toBe(0);
    expect(unknown.code).not.toBeNull();
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
    expect(unknown.stderr).toContain('usage: parceldesk <command>');
    expect(unknown.stdout).toBe('');
  });

  it('seed-demo loads the demo data into a fresh database once; a second run says it is already present', { timeout: SPAWN }, async () => {
    const first = await runCli(['seed-demo'], a.env);
    expect(first.code, show(first)).toBe(0);
    const m = /demo data loaded: (\d+) users, (\d+) customers, (\d+) tickets/.exec(first.stdout);
    expect(m, show(first)).not.toBeNull();
    expect(Number(m![1])).toBe(DEMO_LOGINS.length + 1);
    expect(Number(m![2])).toBe(7); // six demo customers and the guest of the waiting chat
    expect(Number(m![3])).toBe(14); // twelve tickets and two chats

    const second = await runCli(['seed-demo'], a.env);
    expect(second.code, show(second)).toBe(0);
    expect(second.stdout.trim()).toBe('demo data already present');

    dbA = await a.open();
    const users = await dbA.pool.query<{ username: string; role: string }>('SELECT username, role FROM users WHERE username = ANY($1) ORDER BY username', [[...DEMO_LOGINS.map((l) => l.username), 'customer']]);
    expect(users.rows).toEqual(
      [...DEMO_LOGINS.map((l) => ({ username: l.username, role: l.role })), { username: 'customer', role: 'customer' }].sort((x, y) => x.username.localeCompare(y.username)),
    );
    const counts = await dbA.pool.query<{ tickets: number; customers: number }>('SELECT (SELECT count(*) FROM tickets)::int AS tickets, (SELECT count(*) FROM customers)::int AS customers');
    expect(counts.rows[0]).toEqual({ tickets: 14, customers: 7 }); // the second run added nothing
  });

  it('backup, then restore into the freshly migrated database reproduces tickets, customers and the audit chain; numbering continues', { timeout: SPAWN * 2 }, async () => {
    const backup = await runCli(['backup', backupFile], a.env);
    expect(backup.code, show(backup)).toBe(0);
    expect(backup.stdout).toMatch(/backup written to .*: \d+ rows from \d+ tables/);
    expect(fs.statSync(backupFile).size).toBeGreaterThan(0);

    // b was migrated by the first test (`migrate` then `restore`, as an operator moving servers would).
    const restored = await runCli(['restore', backupFile], b.env);
    expect(restored.code, show(restored)).toBe(0);
    const backedUpRows = Number(/: (\d+) rows/.exec(backup.stdout)![1]);
    expect(restored.stdout).toContain(`restored ${backedUpRows} rows into`);

    dbA ??= await a.open();
    dbB ??= await b.open();
    const tickets = async (db: Database) => (await db.pool.query<{ id: string; number: string; status: string; subject: string; customer_id: string | null }>('SELECT id, number, status, subject, customer_id FROM tickets ORDER BY number')).rows;
    const customers = async (db: Database) => (await db.pool.query('SELECT * FROM customers ORDER BY id')).rows;
    const ticketsA = await tickets(dbA);
    const ticketsB = await tickets(dbB);
    expect(ticketsA).toHaveLength(14);
    expect(ticketsB).toEqual(ticketsA);
    const customersA = await customers(dbA);
    expect(customersA).toHaveLength(7);
    expect(customersA.every((c) => typeof c.name_enc === 'string' && c.name_enc.startsWith('v1:'))).toBe(true);
    expect(await customers(dbB)).toEqual(customersA); // encrypted columns byte for byte

    // The sealed audit chain came across unchanged.
    const chain = async (db: Database) => (await db.pool.query('SELECT seq, prev_hash, hash, action FROM audit_log WHERE seq IS NOT NULL ORDER BY seq')).rows;
    const chainA = await chain(dbA);
    expect(chainA.length).toBeGreaterThan(12);
    expect((await chain(dbB)).slice(0, chainA.length)).toEqual(chainA);

    const verified = await runCli(['verify-audit'], b.env);
    expect(verified.code, show(verified)).toBe(0);
    const n = /audit log intact: (\d+) entries verified/.exec(verified.stdout);
    expect(n, show(verified)).not.toBeNull();
    const sealedB = await dbB.pool.query<{ n: number; max: number }>('SELECT count(*)::int AS n, max(seq)::int AS max FROM audit_log WHERE seq IS NOT NULL');
    expect(Number(n![1])).toBe(sealedB.rows[0]!.n);
    expect(sealedB.rows[0]!.max).toBe(sealedB.rows[0]!.n);
    // The restore itself is on the record, chained after the restored entries.
    const restoreEntry = await dbB.pool.query<{ seq: number | null }>("SELECT seq::int AS seq FROM audit_log WHERE action = 'system.restore'");
    expect(restoreEntry.rows).toHaveLength(1);
    expect(restoreEntry.rows[0]!.seq).toBeGreaterThan(chainA.length);

    // A server on the restored database: demo logins work, personal data decrypts with the same
    // secret, and a new ticket gets a number no restored ticket has (the daily sequence continued).
    const server = await startServer(b.config(), { jobs: false });
    try {
      const admin = await login(server.url, 'admin', DEMO_PASSWORD);
      const zhang = customersA.find((c) => typeof c.phone_hash === 'string');
      const revealed = await admin.post(`/api/v1/customers/${zhang!.id}/reveal`, { field: 'phone', reason: '备份恢复校验' });
      expect(revealed.status, JSON.stringify(revealed.body)).toBe(200);
      expect(revealed.body.value).toMatch(/^1[3-9]\d{9}$/);

      const agent = await login(server.url, 'agent', DEMO_PASSWORD);
      const created = await agent.post('/api/v1/tickets', { type: 'consultation', channel: 'phone', subject: '恢复后新建工单', customerId: ticketsA[0]!.customer_id });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const number = created.body.number as string;
      expect(number).toMatch(/^[A-Z]+\d{8}\d{6}$/);
      expect(ticketsA.map((t) => t.number)).not.toContain(number);
      const sameDay = ticketsA.filter((t) => t.number.slice(0, -6) === number.slice(0, -6)).map((t) => Number(t.number.slice(-6)));
      if (sameDay.length) expect(Number(number.slice(-6))).toBeGreaterThan(Math.max(...sameDay));
      expect((await tickets(dbB)).length).toBe(15);
    } finally {
      await server.stop();
    }
  });

  it('verify-audit exits 1 naming the entry whose sealed row was altered', { timeout: SPAWN }, async () => {
    const intact = await runCli(['verify-audit'], a.env);
    expect(intact.code, show(intact)).toBe(0);
    expect(intact.stdout).toMatch(/audit log intact: \d+ entries verified/);

    const { rows } = await dbA.pool.query<{ seq: number }>("SELECT seq::int AS seq FROM audit_log WHERE seq IS NOT NULL AND action = 'ticket.create' ORDER BY seq LIMIT 1 OFFSET 2");
    const seq = rows[0]!.seq;
    expect(seq).toBeGreaterThan(1);
    const changed = await behindTheGuard(dbA, `UPDATE audit_log SET data = data || '{"subject":"篡改"}'::jsonb WHERE seq = $1`, [seq]);
    expect(changed).toBe(1);

    const broken = await runCli(['verify-audit'], a.env);
    expect(broken.code, show(broken)).toBe(1);
    expect(broken.stderr).toMatch(new RegExp(`audit log BROKEN at entry ${seq}\\b`));
    expect(broken.stderr).toContain(`entry ${seq} was altered`);
    expect(broken.stdout).not.toContain('intact');
  });

  it('verify-audit exits 1 naming a deleted entry from the middle of the chain', { timeout: SPAWN }, async () => {
    const { rows } = await dbB.pool.query<{ max: number }>('SELECT max(seq)::int AS max FROM audit_log WHERE seq IS NOT NULL');
    const seq = Math.floor(rows[0]!.max / 2);
    expect(seq).toBeGreaterThan(1);
    const deleted = await behindTheGuard(dbB, 'DELETE FROM audit_log WHERE seq = $1', [seq]);
    expect(deleted).toBe(1);

    const broken = await runCli(['verify-audit'], b.env);
    expect(broken.code, show(broken)).toBe(1);
    expect(broken.stderr).toMatch(new RegExp(`audit log BROKEN at entry ${seq}\\b`));
    expect(broken.stderr).toContain(`entry ${seq} is missing`);
  });
});
