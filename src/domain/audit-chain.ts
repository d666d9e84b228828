// Tamper-evident audit log (SPEC P3): each entry's hash covers the previous entry's hash, so an
// edit, deletion or insertion anywhere breaks the chain from that point on.
import { createHash } from 'node:crypto';

export interface AuditEntryData {
  seq: number;
  at: string; // ISO 8601
  actorId: string | null;
  actorRole: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  data: unknown;
}

export type ChainedAuditEntry = AuditEntryData & { prevHash: string; hash: string };

export const GENESIS_HASH = '0'.repeat(64);

function canonical(v: unknown, inArray: boolean, seen: Set<object>): string | undefined {
  if (v === null) return 'null';
  if (typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
    return canonical((v as { toJSON: () => unknown }).toJSON(), inArray, seen);
  }
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return JSON.stringify(v);
    case 'number':
      return Number.isFinite(v) ? JSON.stringify(v) : 'null';
    case 'bigint':
      throw new TypeError('canonicalJson: BigInt cannot be serialised');
    case 'undefined':
    case 'function':
    case 'symbol':
      // As JSON.stringify: dropped from objects, null inside arrays.
      return inArray ? 'null' : undefined;
    default:
      break;
  }
  const obj = v as object;
  if (seen.has(obj)) throw new TypeError('canonicalJson: circular structure');
  seen.add(obj);
  let out: string;
  if (Array.isArray(obj)) {
    out = `[${obj.map((item: unknown) => canonical(item, true, seen) ?? 'null').join(',')}]`;
  } else {
    const parts: string[] = [];
    const record = obj as Record<string, unknown>;
    for (const key of Object.keys(record).sort()) {
      const value = canonical(record[key], false, seen);
      if (value !== undefined) parts.push(`${JSON.stringify(key)}:${value}`);
    }
    out = `{${parts.join(',')}}`;
  }
  seen.delete(obj);
  return out;
}

/**
 * JSON with object keys sorted recursively and no whitespace. Otherwise follows JSON.stringify
 * (toJSON honoured, undefined dropped from objects, non-finite numbers as null), so a value that
 * round-trips through JSON storage hashes the same before and after. Top-level undefined is "null".
 */
export function canonicalJson(v: unknown): string {
  return canonical(v, false, new Set()) ?? 'null';
}

/** sha256 hex of prevHash + "\n" + canonicalJson(entry); only the AuditEntryData fields are hashed. */
export function entryHash(prevHash: string, e: AuditEntryData): string {
  const fields: AuditEntryData = {
    seq: e.seq,
    at: e.at,
    actorId: e.actorId,
    actorRole: e.actorRole,
    action: e.action,
    entityType: e.entityType,
    entityId: e.entityId,
    data: e.data,
  };
  return createHash('sha256').update(`${prevHash}\n${canonicalJson(fields)}`, 'utf8').digest('hex');
}

/**
 * Verifies a full chain starting at seq 1 (entries in any order; they are checked by seq).
 * Reports the first problem: 'gap' names the first missing seq, 'prev_mismatch' an entry that does
 * not point at its predecessor's hash (or whose seq repeats or precedes 1), 'hash_mismatch' an entry whose content
 * does not match its hash.
 */
export function verifyChain(
  entries: ChainedAuditEntry[],
): { ok: true; count: number } | { ok: false; seq: number; reason: 'hash_mismatch' | 'prev_mismatch' | 'gap' } {
  const sorted = [...entries].sort((a, b) => a.seq - b.seq);
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  for (const e of sorted) {
    if (e.seq < expectedSeq) return { ok: false, seq: e.seq, reason: 'prev_mismatch' };
    if (e.seq !== expectedSeq) return { ok: false, seq: expectedSeq, reason: 'gap' };
    if (e.prevHash !== prevHash) return { ok: false, seq: e.seq, reason: 'prev_mismatch' };
    if (entryHash(e.prevHash, e) !== e.hash) return { ok: false, seq: e.seq, reason: 'hash_mismatch' };
    prevHash = e.hash;
    expectedSeq += 1;
  }
  return { ok: true, count: sorted.length };
}
