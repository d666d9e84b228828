/**
 * Logical backup and restore that work the same on PGlite and PostgreSQL (pg_dump cannot dump
 * PGlite, and a file of rows is portable between the two). Tables are written in foreign-key
 * order inside one REPEATABLE READ snapshot; restore replaces all data in one transaction.
 */
import fs from 'node:fs';
import readline from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { withTx, type Database, type Queryable } from '../db/database.ts';
import { sealAuditLog } from '../services/audit/seal-audit-log.ts';
import { recordAudit } from '../services/audit/record-audit.ts';
import { forgetTicketSequences } from '../services/tickets/allocate-ticket-number.ts';

const FORMAT = 'parceldesk-backup';

/** Application tables in an order where every referenced table comes first. */
async function tablesInOrder(q: Queryable): Promise<string[]> {
  const tables = (await q.query<{ t: string }>(`SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations' ORDER BY tablename`)).rows.map((r) => r.t);
  const deps = await q.query<{ child: string; parent: string }>(
    `SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent FROM pg_constraint c
      JOIN pg_namespace n ON n.oid = c.connamespace WHERE c.contype = 'f' AND n.nspname = 'public'`,
  );
  const ordered: string[] = [];
  const visiting = new Set<string>();
  const visit = (t: string): void => {
    if (ordered.includes(t) || visiting.has(t)) return;
    visiting.add(t);
    for (const d of deps.rows) if (d.child === t && d.parent !== t) visit(d.parent);
    ordered.push(t);
  };
  tables.forEach(visit);
  return ordered;
}

export async function backupDatabase(db: Database, file: string): Promise<{ tables: number; rows: number }> {
  await sealAuditLog(db);
  const client = await db.pool.connect();
  let rows = 0;
  let tables = 0;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const migrations = (await client.query<{ version: string }>('SELECT version FROM schema_migrations ORDER BY version')).rows.map((r) => r.version);
    const order = await tablesInOrder(client);
    const sequences = (await client.query<{ name: string; value: number | null }>(
      `SELECT sequencename AS name, last_value AS value FROM pg_sequences WHERE schemaname = 'public' AND sequencename LIKE 'ticket\\_no\\_%'`,
    )).rows;
    async function* lines(): AsyncGenerator<string> {
      yield JSON.stringify({ format: FORMAT, version: 1, createdAt: new Date().toISOString(), database: db.kind, migrations, tables: order, sequences }) + '\n';
      for (const table of order) {
        tables += 1;
        await client.query(`DECLARE dump_cursor NO SCROLL CURSOR FOR SELECT row_to_json(x)::text AS j FROM ${table} x`);
        for (;;) {
          const batch = await client.query<{ j: string }>('FETCH 2000 FROM dump_cursor');
          if (batch.rows.length === 0) break;
          for (const r of batch.rows) {
            rows += 1;
            yield `{"t":"${table}","r":${r.j}}\n`;
          }
        }
        await client.query('CLOSE dump_cursor');
      }
    }
    await pipeline(Readable.from(lines()), zlib.createGzip(), fs.createWriteStream(file));
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
  return { tables, rows };
}

export async function restoreDatabase(db: Database, file: string): Promise<{ tables: number; rows: number }> {
  const input = readline.createInterface({ input: fs.createReadStream(file).pipe(zlib.createGunzip()), crlfDelay: Infinity });
  const it = input[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) throw new Error(`${file} is empty`);
  const header = JSON.parse(first.value) as { format: string; version: number; migrations: string[]; tables: string[]; sequences: { name: string; value: number | null }[] };
  if (header.format !== FORMAT) throw new Error(`${file} is not a Parceldesk backup`);
  let rows = 0;
  await withTx(db, async (tx) => {
    const applied = new Set((await tx.query<{ version: string }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
    const missing = header.migrations.filter((m) => !applied.has(m));
    if (missing.length) throw new Error(`the backup needs migrations this database lacks: ${missing.join(', ')} — upgrade Parceldesk first`);
    const current = await tablesInOrder(tx);
    // The audit log refuses TRUNCATE except inside a restore (migration 0009).
    await tx.query(`SET LOCAL parceldesk.restoring = 'on'`);
    await tx.query(`TRUNCATE ${current.join(', ')} RESTART IDENTITY CASCADE`);
    let table = '';
    let batch: unknown[] = [];
    const flush = async (): Promise<void> => {
      if (!batch.length) return;
      await tx.query(`INSERT INTO ${table} OVERRIDING SYSTEM VALUE SELECT * FROM json_populate_recordset(NULL::${table}, $1::json)`, [JSON.stringify(batch)]);
      rows += batch.length;
      batch = [];
    };
    for (;;) {
      const next = await it.next();
      if (next.done) break;
      if (next.value === '') continue;
      const line = JSON.parse(next.value) as { t: string; r: unknown };
      if (!current.includes(line.t)) throw new Error(`backup holds unknown table ${line.t}`);
      if (line.t !== table || batch.length >= 1000) {
        await flush();
        table = line.t;
      }
      batch.push(line.r);
    }
    await flush();
    // Identity columns continue after the restored ids.
    const idents = await tx.query<{ t: string; c: string }>(
      `SELECT table_name AS t, column_name AS c FROM information_schema.columns WHERE table_schema = 'public' AND is_identity = 'YES'`,
    );
    for (const { t, c } of idents.rows) {
      await tx.query(`SELECT setval(pg_get_serial_sequence('${t}', '${c}'), coalesce((SELECT max(${c}) FROM ${t}), 0) + 1, false)`);
    }
    for (const s of header.sequences) {
      if (!/^ticket_no_[a-z]+_\d{8}$/.test(s.name)) continue;
      await tx.query(`CREATE SEQUENCE IF NOT EXISTS ${s.name} MAXVALUE 999999 NO CYCLE`);
      // Never move a sequence backwards: numbers handed out since the backup stay used.
      if (s.value !== null) await tx.query(`SELECT setval('${s.name}', greatest($1::bigint, (SELECT coalesce(last_value, 1) FROM pg_sequences WHERE schemaname = 'public' AND sequencename = '${s.name}')))`, [s.value]);
    }
    await recordAudit(tx, null, { action: 'system.restore', entityType: 'database', entityId: null, data: { file, rows, tables: header.tables.length } });
  });
  forgetTicketSequences();
  return { tables: header.tables.length, rows };
}
