/**
 * node bin/run-ts.js bench/webhooks.ts — what outgoing webhooks cost and carry, on PostgreSQL:
 *
 *  1. ticket creation through the use case (createTicket, WEBHOOK_BENCH_CONCURRENCY (10) at a time,
 *     WEBHOOK_BENCH_TICKETS (3 000) per round) with 0, 1 and 5 active subscriptions: the outbox's
 *     cost on the hottest write (one query with no subscription; payloads and delivery rows with);
 *  2. sending: deliveries per second from one sweep to a local receiver answering 204 at once,
 *     with 1 and with 8 subscriptions (one sender per subscription, subscriptions in parallel).
 *
 * Environment: WEBHOOK_BENCH_DATABASE_URL or DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres);
 * a fresh database is created there and dropped.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { openDatabase, withTx } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { seedDefaults } from '../src/db/seed-defaults.ts';
import type { Actor } from '../src/domain/policy.ts';
import { piiCryptoFromSecret } from '../src/platform/crypto.ts';
import { createUser } from '../src/services/accounts/accounts.ts';
import type { ServiceContext } from '../src/services/context.ts';
import { stopLiveBus } from '../src/services/live/live-bus.ts';
import { createTicket } from '../src/services/tickets/create-ticket.ts';

const env = process.env;
const BASE_URL = env.WEBHOOK_BENCH_DATABASE_URL || env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const TICKETS = Number(env.WEBHOOK_BENCH_TICKETS ?? 3000);
const CONCURRENCY = Number(env.WEBHOOK_BENCH_CONCURRENCY ?? 10);

async function main(): Promise<void> {
  const name = `parceldesk_whbench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: BASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(BASE_URL);
  url.pathname = `/${name}`;
  const db = await openDatabase({ databaseUrl: url.toString(), dataDir: '/tmp', poolSize: CONCURRENCY + 2 });
  const receiver = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(204).end());
  });
  try {
    await migrate(db);
    await seedDefaults(db);
    const ctx: ServiceContext = { db, crypto: piiCryptoFromSecret('bench-secret-0123456789abcdef'), now: () => new Date() };
    const user = await withTx(db, (tx) => createUser(tx, null, { username: 'bench_agent', password: null, role: 'agent', customerId: null, channels: ['web'] }));
    const actor: Actor = { userId: user.id, role: 'agent', customerId: null, teamIds: [] };
    const hasWebhooks = (await db.pool.query(`SELECT to_regclass('webhook_subscriptions') IS NOT NULL AS ok`)).rows[0].ok as boolean;
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/in`;

    const createRound = async (label: string): Promise<void> => {
      let next = 0;
      const started = process.hrtime.bigint();
      const worker = async (): Promise<void> => {
        while (next < TICKETS) {
          next += 1;
          await createTicket(ctx, actor, { type: 'consultation', channel: 'web', subject: `压测工单 ${next}`, description: '包裹三天没有更新' });
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      const s = Number(process.hrtime.bigint() - started) / 1e9;
      console.log(`create  ${label.padEnd(28)} ${TICKETS} tickets in ${s.toFixed(2)} s = ${(TICKETS / s).toFixed(0)} tickets/s`);
    };
    const addSubscriptions = async (n: number): Promise<void> => {
      for (let i = 0; i < n; i++) {
        await db.pool.query(`INSERT INTO webhook_subscriptions (url, events, secret_enc) VALUES ($1, $2, $3)`, [hook, ['ticket.created', 'ticket.updated', 'message.created', 'sla.breached'], ctx.crypto.encrypt(`whsec_bench_${i}`)]);
      }
    };

    await createRound('warm-up');
    await createRound('0 subscriptions');
    if (!hasWebhooks) {
      console.log('(no webhook tables: a base without webhooks)');
      return;
    }
    await createRound('0 subscriptions (again)');
    await addSubscriptions(1);
    await createRound('1 subscription');
    await addSubscriptions(4);
    await createRound('5 subscriptions');
    const pending = (await db.pool.query(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE state = 'pending'`)).rows[0].n as number;
    console.log(`outbox  ${pending} pending deliveries (expected ${TICKETS * 6})`);

    const { sweepWebhooks } = await import('../src/services/webhooks/send-webhooks.ts');
    // Sending with 5 subscriptions' backlog: one sweep, subscriptions in parallel.
    for (const parallel of [1, 8]) {
      await db.pool.query(`UPDATE webhook_deliveries SET state = 'pending', next_attempt_at = now() - interval '1 s', delivered_at = NULL, attempts = 0`);
      await db.pool.query('DELETE FROM webhook_delivery_attempts');
      const subsUsed = parallel === 1 ? 1 : 5;
      if (parallel === 1) await db.pool.query(`UPDATE webhook_subscriptions SET active = (id = (SELECT min(id::text)::uuid FROM webhook_subscriptions))`);
      else await db.pool.query('UPDATE webhook_subscriptions SET active = true');
      const started = process.hrtime.bigint();
      const r = await sweepWebhooks(ctx, { parallel, budgetMs: 20_000 });
      const s = Number(process.hrtime.bigint() - started) / 1e9;
      console.log(`send    ${subsUsed} subscription(s), parallel ${parallel}: ${r.delivered} delivered in ${s.toFixed(2)} s = ${(r.delivered / s).toFixed(0)} deliveries/s`);
    }
  } finally {
    receiver.close();
    await stopLiveBus(db);
    await db.close();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

await main();
