import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, canonicalJson, entryHash, verifyChain } from '../../src/domain/audit-chain.ts';
import type { AuditEntryData, ChainedAuditEntry } from '../../src/domain/audit-chain.ts';

describe('canonicalJson', () => {
  it.each<[string, unknown, string]>([
    ['null', null, 'null'],
    ['top-level undefined', undefined, 'null'],
    ['true', true, 'true'],
    ['integer', 42, '42'],
    ['negative float', -1.5, '-1.5'],
    ['NaN', Number.NaN, 'null'],
    ['Infinity', Number.POSITIVE_INFINITY, 'null'],
    ['string with quotes and CJK', '他说"你好"\n', '"他说\\"你好\\"\\n"'],
    ['empty object', {}, '{}'],
    ['empty array', [], '[]'],
    ['keys sorted', { b: 1, a: 2, c: 3 }, '{"a":2,"b":1,"c":3}'],
    ['nested keys sorted', { z: { y: 1, x: [{ b: 1, a: 2 }] }, a: null }, '{"a":null,"z":{"x":[{"a":2,"b":1}],"y":1}}'],
    ['array order kept', [3, 1, 2], '[3,1,2]'],
    ['undefined dropped from objects', { a: undefined, b: 1 }, '{"b":1}'],
    ['undefined as null in arrays', [undefined, 1], '[null,1]'],
    ['functions dropped from objects', { f: () => 1, b: 1 }, '{"b":1}'],
    ['toJSON honoured', { when: new Date('2026-11-22T08:00:00.000Z') }, '{"when":"2026-11-22T08:00:00.000Z"}'],
    ['keys sorted by code unit', { 名: 1, B: 2, a: 3 }, '{"B":2,"a":3,"名":1}'],
    ['same object twice is not a cycle', (() => { const s = { k: 1 }; return { a: s, b: s }; })(), '{"a":{"k":1},"b":{"k":1}}'],
  ])('%s', (_name, value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
  });

  it('does not depend on key insertion order', () => {
    expect(canonicalJson({ a: 1, b: { c: 2, d: 3 } })).toBe(canonicalJson({ b: { d: 3, c: 2 }, a: 1 }));
  });

  it.each<[string, unknown]>([
    ['BigInt', { n: 10n }],
    ['cycle', (() => { const o: Record<string, unknown> = {}; o.self = o; return o; })()],
  ])('throws TypeError for %s', (_name, value) => {
    expect(() => canonicalJson(value)).toThrow(TypeError);
  });
});

const FIRST: AuditEntryData = {
  seq: 1,
  at: '2026-11-22T08:00:00.000Z',
  actorId: 'u1',
  actorRole: 'agent',
  action: 'ticket.create',
  entityType: 'ticket',
  entityId: 't1',
  data: { type: 'complaint', priority: 'high' },
};

describe('entryHash', () => {
  it('GENESIS_HASH is 64 zeros', () => {
    expect(GENESIS_HASH).toBe('0000000000000000000000000000000000000000000000000000000000000000');
  });

  it('is sha256 of prevHash, a newline and the canonical entry', () => {
    // computed independently from the literal canonical text
    expect(entryHash(GENESIS_HASH, FIRST)).toBe('074418dd668cb4337b9afe28c70c56bac56f59ee6ce2ca96b4e4d26d6a7e17e4');
  });

  it('ignores fields outside AuditEntryData (prevHash, hash, extras)', () => {
    const stored = { ...FIRST, prevHash: GENESIS_HASH, hash: 'whatever', id: 99 };
    expect(entryHash(GENESIS_HASH, stored)).toBe('074418dd668cb4337b9afe28c70c56bac56f59ee6ce2ca96b4e4d26d6a7e17e4');
  });

  it.each<[string, Partial<AuditEntryData>]>([
    ['seq', { seq: 2 }],
    ['at', { at: '2026-11-22T08:00:01.000Z' }],
    ['actorId', { actorId: 'u2' }],
    ['actorId null', { actorId: null }],
    ['actorRole', { actorRole: 'admin' }],
    ['action', { action: 'ticket.update' }],
    ['entityType', { entityType: 'customer' }],
    ['entityId', { entityId: 't2' }],
    ['data', { data: { type: 'complaint', priority: 'urgent' } }],
  ])('changes when %s changes', (_name, change) => {
    const h = entryHash(GENESIS_HASH, { ...FIRST, ...change });
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(h).not.toBe('074418dd668cb4337b9afe28c70c56bac56f59ee6ce2ca96b4e4d26d6a7e17e4');
  });

  it('changes with prevHash', () => {
    expect(entryHash('f'.repeat(64), FIRST)).not.toBe(entryHash(GENESIS_HASH, FIRST));
  });

  it('does not change with data key order', () => {
    expect(entryHash(GENESIS_HASH, { ...FIRST, data: { priority: 'high', type: 'complaint' } })).toBe(
      '074418dd668cb4337b9afe28c70c56bac56f59ee6ce2ca96b4e4d26d6a7e17e4',
    );
  });
});

function buildChain(n: number): ChainedAuditEntry[] {
  const out: ChainedAuditEntry[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const e: AuditEntryData = {
      seq,
      at: new Date(Date.UTC(2026, 10, 22, 8, 0, seq)).toISOString(),
      actorId: seq % 2 === 0 ? 'u2' : null,
      actorRole: seq % 2 === 0 ? 'supervisor' : null,
      action: 'ticket.status',
      entityType: 'ticket',
      entityId: `t${seq}`,
      data: { to: 'open', n: seq },
    };
    const hash = entryHash(prevHash, e);
    out.push({ ...e, prevHash, hash });
    prevHash = hash;
  }
  return out;
}

function at<T>(arr: T[], i: number): T {
  const v = arr[i];
  if (v === undefined) throw new Error(`no element ${i}`);
  return v;
}

type Verdict = ReturnType<typeof verifyChain>;

describe('verifyChain', () => {
  it.each<[string, (chain: ChainedAuditEntry[]) => ChainedAuditEntry[], Verdict]>([
    ['an intact chain', (c) => c, { ok: true, count: 5 }],
    ['an empty chain', () => [], { ok: true, count: 0 }],
    ['entries given out of order', (c) => [...c].reverse(), { ok: true, count: 5 }],
    ['only the first entry', (c) => c.slice(0, 1), { ok: true, count: 1 }],
    ['data edited without rehash', (c) => c.map((e) => (e.seq === 3 ? { ...e, data: { to: 'closed', n: 3 } } : e)), { ok: false, seq: 3, reason: 'hash_mismatch' }],
    ['actor edited without rehash', (c) => c.map((e) => (e.seq === 1 ? { ...e, actorId: 'intruder' } : e)), { ok: false, seq: 1, reason: 'hash_mismatch' }],
    ['hash replaced by garbage', (c) => c.map((e) => (e.seq === 5 ? { ...e, hash: 'a'.repeat(64) } : e)), { ok: false, seq: 5, reason: 'hash_mismatch' }],
    ['hash in upper case', (c) => c.map((e) => (e.seq === 2 ? { ...e, hash: e.hash.toUpperCase() } : e)), { ok: false, seq: 2, reason: 'hash_mismatch' }],
    [
      'entry edited and rehashed: the next entry no longer links',
      (c) =>
        c.map((e) => {
          if (e.seq !== 2) return e;
          const edited = { ...e, data: { to: 'resolved', n: 2 } };
          return { ...edited, hash: entryHash(edited.prevHash, edited) };
        }),
      { ok: false, seq: 3, reason: 'prev_mismatch' },
    ],
    ['first entry not anchored at genesis', (c) => c.map((e) => (e.seq === 1 ? { ...e, prevHash: 'f'.repeat(64) } : e)), { ok: false, seq: 1, reason: 'prev_mismatch' }],
    ['a deleted middle entry', (c) => c.filter((e) => e.seq !== 3), { ok: false, seq: 3, reason: 'gap' }],
    ['a deleted first entry', (c) => c.filter((e) => e.seq !== 1), { ok: false, seq: 1, reason: 'gap' }],
    ['two deleted entries: the first one is named', (c) => c.filter((e) => e.seq !== 2 && e.seq !== 4), { ok: false, seq: 2, reason: 'gap' }],
    ['a deleted last entry cannot be seen (tail truncation)', (c) => c.slice(0, 4), { ok: true, count: 4 }],
    ['a duplicated entry', (c) => [...c, at(c, 2)], { ok: false, seq: 3, reason: 'prev_mismatch' }],
    [
      'entries swapped in seq',
      (c) => c.map((e) => (e.seq === 2 ? { ...at(c, 2), seq: 2 } : e.seq === 3 ? { ...at(c, 1), seq: 3 } : e)),
      { ok: false, seq: 2, reason: 'prev_mismatch' },
    ],
  ])('%s', (_name, tamper, expected) => {
    expect(verifyChain(tamper(buildChain(5)))).toEqual(expected);
  });

  it('does not reorder the caller’s array', () => {
    const chain = buildChain(3).reverse();
    verifyChain(chain);
    expect(chain.map((e) => e.seq)).toEqual([3, 2, 1]);
  });

  it('accepts entries whose data went through JSON storage', () => {
    const chain = buildChain(4).map((e): ChainedAuditEntry => JSON.parse(JSON.stringify(e)));
    expect(verifyChain(chain)).toEqual({ ok: true, count: 4 });
  });
});
