/**
 * Chains audit entries. Writers insert unsealed rows without waiting on one another; the sealer
 * takes rows whose transactions are all finished (txid below the oldest transaction running in this database),
 * orders them by (txid, id) — an order no later commit can change — and gives each its sequence
 * number and the hash of the previous entry. One sealer at a time (transaction advisory lock).
 */
import { withTx, type Database, type Queryable } from '../../db/database.ts';
import { entryHash, GENESIS_HASH, type AuditEntryData } from '../../domain/audit-chain.ts';

const SEAL_LOCK = 72_611_002;
const BATCH = 2000;

export const AUDIT_ENTRY_COLUMNS = `id, seq, prev_hash, hash, actor_id::text AS actor_id, actor_role, action, entity_type, entity_id, data,
  to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at_text`;

export interface AuditRow {
  id: number;
  seq: number | null;
  prev_hash: string | null;
  hash: string | null;
  actor_id: string | null;
  actor_role: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  data: unknown;
  at_text: string;
}

export function entryData(row: AuditRow, seq: number): AuditEntryData {
  return {
    seq,
    at: row.at_text,
    actorId: row.actor_id,
    actorRole: row.actor_role,
    action: row.action,
    entityType: row.entity_type,
    entityId: row.entity_id,
    data: row.data,
  };
}

/**
 * The oldest transaction still running *in this database* (or, if none, the snapshot's xmax):
 * entries below it can be chained, because no earlier transaction can still add one. Only this
 * database's transactions can write its audit log, so a long transaction in another database on
 * the same server (a bulk load, an index build) does not hold sealing back. In-progress xids of
 * the snapshot are matched to this database's backends on their low 32 bits (pg_stat_activity
 * shows a plain xid).
 */
const HORIZON = `WITH snap AS (SELECT pg_current_snapshot() AS s),
  ours AS (
    SELECT backend_xid::text::numeric AS x FROM pg_stat_activity WHERE datname = current_database() AND backend_xid IS NOT NULL
    UNION ALL SELECT transaction::text::numeric FROM pg_prepared_xacts WHERE database = current_database()),
  running AS (
    SELECT xip::text::numeric AS x FROM snap, pg_snapshot_xip(snap.s) AS xip
     WHERE mod(xip::text::numeric, 4294967296) IN (SELECT x FROM ours)),
  horizon AS (
    SELECT coalesce((SELECT min(x) FROM running), (SELECT pg_snapshot_xmax(s)::text::numeric FROM snap)) AS h)`;

/** Seals every entry that can be sealed now; returns how many were sealed. */
export async function sealAuditLog(db: Database): Promise<number> {
  let total = 0;
  for (;;) {
    const sealed = await withTx(db, (tx) => sealBatch(tx));
    total += sealed;
    if (sealed < BATCH) return total;
  }
}

async function sealBatch(tx: Queryable): Promise<number> {
  const locked = await tx.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS ok', [SEAL_LOCK]);
  if (!locked.rows[0]?.ok) return 0; // another process is sealing right now
  const head = await tx.query<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_log WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1');
  let seq = head.rows[0]?.seq ?? 0;
  let prev = head.rows[0]?.hash ?? GENESIS_HASH;
  const rows = await tx.query<AuditRow>(
    `${HORIZON}
     SELECT ${AUDIT_ENTRY_COLUMNS} FROM audit_log, horizon
      WHERE seq IS NULL AND txid::text::numeric < horizon.h
      ORDER BY txid, id LIMIT ${BATCH}`,
  );
  if (rows.rows.length === 0) return 0;
  const ids: number[] = [];
  const seqs: number[] = [];
  const prevs: string[] = [];
  const hashes: string[] = [];
  for (const row of rows.rows) {
    seq += 1;
    const hash = entryHash(prev, entryData(row, seq));
    ids.push(row.id);
    seqs.push(seq);
    prevs.push(prev);
    hashes.push(hash);
    prev = hash;
  }
  await tx.query(
    `UPDATE audit_log a SET seq = s.seq, prev_hash = s.prev_hash, hash = s.hash
       FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[]) AS s(id, seq, prev_hash, hash)
      WHERE a.id = s.id`,
    [ids, seqs, prevs, hashes],
  );
  return rows.rows.length;
}
