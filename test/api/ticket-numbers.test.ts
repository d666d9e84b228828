/**
 * Ticket numbers (SPEC C2): unique, human-readable (GD + Shanghai date + daily sequence), never
 * reused — under concurrent HTTP creation, from several connection pools at once (as several
 * server processes would), and when a creation fails after its number was allocated.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/database.ts';
import { parseTicketNumber, ticketDay } from '../../src/domain/ticket-number.ts';
import { allocateTicketNumber } from '../../src/services/tickets/allocate-ticket-number.ts';
import { startHarness, type Client, type Harness, type TestUser } from '../support/harness.ts';

const NUMBER_RE = /^GD\d{8}\d{6}$/;

let h: Harness;
let agent: TestUser;
let admin: TestUser;
/** Every number this file has seen handed out, to check that later ones are greater. */
const seen: string[] = [];

beforeAll(async () => {
  h = await startHarness();
  agent = await h.user('agent');
  admin = await h.user('admin');
});
afterAll(async () => {
  await h?.close();
});

async function create(client: Client, body: Record<string, unknown> = {}): Promise<{ id: string; number: string }> {
  const res = await client.post<{ id: string; number: string }>('/api/v1/tickets', { type: 'consultation', channel: 'api', subject: '编号测试', ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  seen.push(res.body.number);
  return res.body;
}

/** Runs `task(i)` for i in 0..n-1 with at most `inFlight` at a time. */
async function pooled<T>(n: number, inFlight: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < n) {
        const i = next++;
        out[i] = await task(i);
      }
    }),
  );
  return out;
}

const today = (): string => ticketDay(new Date(), 'Asia/Shanghai');
const maxOf = (numbers: string[]): string => numbers.reduce((a, b) => (a > b ? a : b));

describe('ticket numbers', () => {
  it('consecutive creations get increasing numbers of today (Asia/Shanghai)', async () => {
    const day = today();
    const numbers: string[] = [];
    for (let i = 0; i < 5; i++) numbers.push((await create(agent.client)).number);
    for (const n of numbers) {
      expect(n).toMatch(NUMBER_RE);
      expect([day, today()]).toContain(n.slice(2, 10));
    }
    for (let i = 1; i < numbers.length; i++) {
      expect(numbers[i]! > numbers[i - 1]!, `${numbers[i]} after ${numbers[i - 1]}`).toBe(true);
      if (numbers[i]!.slice(2, 10) === numbers[i - 1]!.slice(2, 10)) {
        expect(parseTicketNumber(numbers[i]!)!.seq).toBeGreaterThan(parseTicketNumber(numbers[i - 1]!)!.seq);
      }
    }
  });

  it('200 tickets created over HTTP, 20 at a time, get 200 distinct numbers', async () => {
    const key = await h.apiKey('agent');
    const tag = `num_${h.uid()}`;
    const made = await pooled(200, 20, (i) => create(i % 2 ? key : agent.client, { tags: [tag], subject: `并发编号 ${i}` }));
    const numbers = made.map((t) => t.number);
    expect(numbers.every((n) => NUMBER_RE.test(n))).toBe(true);
    expect(new Set(numbers).size).toBe(200);
    expect(new Set(made.map((t) => t.id)).size).toBe(200);

    // The stored tickets carry the same 200 numbers (read back through the list, all pages).
    const stored = new Set<string>();
    let cursor: string | null = null;
    do {
      const res: { status: number; body: { items: { number: string }[]; nextCursor: string | null } } = await admin.client.get(`/api/v1/tickets?tag=${tag}&limit=200${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      for (const t of res.body.items) stored.add(t.number);
      cursor = res.body.nextCursor;
    } while (cursor);
    expect([...stored].sort()).toEqual([...numbers].sort());
  });

  it('allocateTicketNumber from three separate pools at once never hands out a number twice', async () => {
    const pools: Database[] = [];
    try {
      for (let i = 0; i < 3; i++) pools.push(await openDatabase({ databaseUrl: inject('databaseUrl'), dataDir: inject('dataDir'), poolSize: 4 }));
      const now = new Date();
      const perPool = 60;
      const results = await Promise.all(pools.map((db) => Promise.all(Array.from({ length: perPool }, () => allocateTicketNumber(db.pool, now)))));
      const all = results.flat();
      expect(all).toHaveLength(3 * perPool);
      expect(all.every((n) => NUMBER_RE.test(n))).toBe(true);
      expect(new Set(all).size).toBe(all.length);
      // None of them collides with a number a ticket of this file got.
      expect(all.filter((n) => seen.includes(n))).toEqual([]);
      seen.push(...all);

      // A day whose sequence does not exist yet: the three pools race to create it, and the
      // numbers are exactly 1…N, each once.
      const year = 2031 + Math.floor(Math.random() * 8);
      const fresh = new Date(Date.UTC(year, Math.floor(Math.random() * 12), 1 + Math.floor(Math.random() * 28), 4));
      const freshDay = ticketDay(fresh, 'Asia/Shanghai');
      const raced = (await Promise.all(pools.map((db) => Promise.all(Array.from({ length: 20 }, () => allocateTicketNumber(db.pool, fresh)))))).flat();
      expect(raced.every((n) => n.slice(2, 10) === freshDay)).toBe(true);
      expect(raced.map((n) => parseTicketNumber(n)!.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    } finally {
      await Promise.all(pools.map((db) => db.close()));
    }
  });

  it('a creation that fails after its number was allocated does not lead to a reused number', async () => {
    const tag = `rollback_${h.uid()}`;
    const before = await create(agent.client, { tags: [tag] });
    const highest = maxOf(seen);

    // Both fail inside the creating transaction, after the number was taken.
    const unknownCategory = await agent.client.post('/api/v1/tickets', { type: 'consultation', channel: 'api', subject: '失败', tags: [tag], categoryId: '00000000-0000-4000-8000-000000000001' });
    expect(unknownCategory.status).toBe(400);
    expect(unknownCategory.body.error.code).toBe('validation_failed');
    const badWaybill = await agent.client.post('/api/v1/tickets', { type: 'consultation', channel: 'api', subject: '失败', tags: [tag], waybills: ['SF-12 34!'] });
    expect(badWaybill.status).toBe(400);
    const unknownCustomer = await agent.client.post('/api/v1/tickets', { type: 'consultation', channel: 'api', subject: '失败', tags: [tag], customerId: '00000000-0000-4000-8000-000000000002' });
    expect(unknownCustomer.status).toBe(400);

    const after = await create(agent.client, { tags: [tag] });
    expect(after.number > highest, `${after.number} after ${highest}`).toBe(true);
    if (after.number.slice(2, 10) === before.number.slice(2, 10)) {
      expect(parseTicketNumber(after.number)!.seq).toBeGreaterThan(parseTicketNumber(before.number)!.seq);
    }
    // The failed attempts left no ticket behind.
    const list = await admin.client.get<{ items: { id: string; number: string }[] }>(`/api/v1/tickets?tag=${tag}`);
    expect(list.body.items.map((t) => t.id).sort()).toEqual([before.id, after.id].sort());
    // And nothing stored carries a number twice.
    const dupes = await h.ctx.db.pool.query('SELECT number FROM tickets GROUP BY number HAVING count(*) > 1');
    expect(dupes.rows).toEqual([]);
  });
});
