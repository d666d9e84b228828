import type { Database } from '../../db/database.ts';
import { entryHash, GENESIS_HASH } from '../../domain/audit-chain.ts';
import { AUDIT_ENTRY_COLUMNS, entryData, sealAuditLog, type AuditRow } from './seal-audit-log.ts';

export type AuditVerdict =
  | { ok: true; entries: number; unsealed: number }
  | { ok: false; seq: number; id: number | null; reason: string };

/**
 * Walks the whole chain in sequence order, recomputing every hash. The first entry whose stored
 * hash, previous-hash link or sequence number does not follow is reported.
 */
export async function verifyAuditLog(db: Database): Promise<AuditVerdict> {
  await sealAuditLog(db);
  let expectedSeq = 1;
  let prev = GENESIS_HASH;
  for (;;) {
    const { rows } = await db.pool.query<AuditRow>(
      `SELECT ${AUDIT_ENTRY_COLUMNS} FROM audit_log WHERE seq >= $1 ORDER BY seq LIMIT 5000`,
      [expectedSeq],
    );
    for (const row of rows) {
      const seq = row.seq!;
      if (seq !== expectedSeq) return { ok: false, seq: expectedSeq, id: null, reason: `entry ${expectedSeq} is missing (next present is ${seq})` };
      if (row.prev_hash !== prev) return { ok: false, seq, id: row.id, reason: `entry ${seq} does not link to entry ${seq - 1}` };
      if (entryHash(prev, entryData(row, seq)) !== row.hash) return { ok: false, seq, id: row.id, reason: `entry ${seq} was altered (hash mismatch)` };
      prev = row.hash!;
      expectedSeq += 1;
    }
    if (rows.length < 5000) break;
  }
  const unsealed = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log WHERE seq IS NULL');
  return { ok: true, entries: expectedSeq - 1, unsealed: unsealed.rows[0]?.n ?? 0 };
}
