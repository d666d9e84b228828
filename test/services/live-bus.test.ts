/** The live bus: delivery on commit only, one NOTIFY per transaction, and across processes on PostgreSQL. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTx } from '../../src/db/database.ts';
import { openContext } from '../../src/server.ts';
import type { ServiceContext } from '../../src/services/context.ts';
import { liveBus, publishLive, stopLiveBus, type LiveEvent } from '../../src/services/live/live-bus.ts';
import { testConfig } from '../support/harness.ts';

let a: ServiceContext;
let b: ServiceContext;

beforeAll(async () => {
  a = await openContext(testConfig());
  b = await openContext(testConfig());
});
afterAll(async () => {
  await stopLiveBus(a.db);
  await stopLiveBus(b.db);
  await a.db.close();
  await b.db.close();
});

function collect(ctx: ServiceContext, topic: string): LiveEvent[] {
  const got: LiveEvent[] = [];
  liveBus(ctx.db).subscribe(topic, (e) => got.push(e));
  return got;
}

async function until(check: () => boolean, ms = 3_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
}

describe('live bus', () => {
  it('delivers an event published in a transaction once it commits, and never one rolled back', async () => {
    const topic = `t:${Math.random()}`;
    const got = collect(a, topic);
    await liveBus(a.db).ready();
    await withTx(a.db, async (tx) => {
      await publishLive(tx, { topic, type: 'x', data: { n: 1 } });
      await publishLive(tx, { topic, type: 'x', data: { n: 2 } });
      expect(got).toHaveLength(0); // not before commit
    });
    await until(() => got.length >= 2);
    expect(got.map((e) => e.data.n)).toEqual([1, 2]);
    await expect(
      withTx(a.db, async (tx) => {
        await publishLive(tx, { topic, type: 'x', data: { n: 3 } });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    await withTx(a.db, (tx) => publishLive(tx, { topic, type: 'x', data: { n: 4 } }));
    await until(() => got.length >= 3);
    await new Promise((r) => setTimeout(r, 100));
    expect(got.map((e) => e.data.n)).toEqual([1, 2, 4]);
  });

  it.runIf(!!process.env.DATABASE_URL)('on PostgreSQL another process (another pool and listener) receives it, split when large, without echo', async () => {
    const topic = `t:${Math.random()}`;
    const atA = collect(a, topic);
    const atB = collect(b, topic);
    await liveBus(a.db).ready();
    await liveBus(b.db).ready();
    const big = '件'.repeat(3_000); // 9 000 bytes: over one NOTIFY's limit
    await withTx(a.db, async (tx) => {
      for (let i = 0; i < 5; i++) await publishLive(tx, { topic, type: 'msg', data: { id: i, body: i === 2 ? big : `m${i}` } });
    });
    await until(() => atB.length >= 5);
    expect(atB.map((e) => e.data.id)).toEqual([0, 1, 2, 3, 4]);
    expect(atB[2]!.data).toEqual({ truncated: true, id: 2 });
    expect(atA).toHaveLength(5); // the publisher's own subscribers, once each
    expect(atA[2]!.data.body).toBe(big);
  });
});
