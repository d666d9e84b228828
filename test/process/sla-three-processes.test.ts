/**
 * SPEC T5: "at breach … the responsible person and their lead are notified — once, even with
 * several servers running." Three real `parceldesk start` processes with background jobs on share
 * the run's database (PostgreSQL, or the one embedded PGlite process they all join), each queuing
 * an SLA sweep every 0.5 s. Tickets created through all three must warn their owner once and
 * notify owner and lead of each breach exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, startHarness, type Harness, type TestUser } from '../support/harness.ts';
import { spawnServer, stopServers, type ServerProcess } from '../support/processes.ts';

const TICKETS = 40;

let h: Harness;
let procs: ServerProcess[] = [];
let startedAt = 0;

beforeAll(async () => {
  startedAt = Date.now();
  h = await startHarness();
  // In parallel: they migrate under an advisory lock and start pg-boss side by side.
  const settled = await Promise.allSettled([0, 1, 2].map((i) => spawnServer({ name: `server-${i + 1}`, jobs: true, jobNames: ['sla-sweep', 'audit-seal'], jobIntervalScale: 0.1 })));
  procs = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  console.log(`3 server processes up in ${Date.now() - startedAt} ms (${h.ctx.db.kind})`);
}, 120_000);

afterAll(async () => {
  await stopServers(procs, 5_000);
  await h?.close();
  console.log(`three-process SLA test took ${Date.now() - startedAt} ms in all (${process.env.DATABASE_URL ? 'postgresql' : 'pglite'})`);
}, 60_000);

async function completedSweeps(): Promise<number> {
  // pg-boss keeps completed jobs in pgboss.job until they are archived (hours later).
  const { rows } = await h.ctx.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'sla-sweep' AND state = 'completed'`);
  return rows[0]!.n;
}

async function poll<T>(what: string, fn: () => Promise<T | false>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${procs.map((p) => `--- ${p.name} ---\n${p.output()}`).join('\n')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('SLA sweep with three server processes on one database', () => {
  it('notifies owner and lead exactly once per breached clock, and warns the owner once', async () => {
    for (const p of procs) expect((await fetch(`${p.url}/healthz`)).status).toBe(200);

    const admin = await h.user('admin');
    const teamId = await h.team();
    const lead: TestUser = await h.user('team_lead', { leadOf: [teamId] });
    const agent: TestUser = await h.user('agent', { teamIds: [teamId] });
    const code = `slatest_${h.uid()}`;
    const cat = await admin.client.post('/api/v1/categories', { code, nameZh: '多进程 SLA', nameEn: 'multi-process SLA', ticketType: 'consultation' });
    expect(cat.status).toBe(201);
    // Short targets for this category only; the warning at 10 % of the target (warnFraction 0.9)
    // leaves a wide window (5.4 s, 10.8 s) in which a sweep warns before the breach, even when
    // the database is busy with other test files.
    const policies = [
      { clock: 'first_response', targetMinutes: 0.1, stopsOn: 'agent_reply' }, // 6 s
      { clock: 'resolution', targetMinutes: 0.2, stopsOn: 'resolved' }, // 12 s
    ];
    for (const p of policies) {
      const res = await admin.client.post('/api/v1/sla-policies', { ...p, nameZh: '测试', nameEn: 'test', categoryCode: code, mode: 'calendar', warnFraction: 0.9, startsOn: 'ticket_created' });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }

    const sweepsBefore = await completedSweeps();
    // The agent's session works on every process: sessions live in the shared database.
    const clients = procs.map((p) => new Client(p.url, agent.client.token));
    // Round-robin over the processes, three requests to each at a time (a modest number of
    // database connections: other test files share the server).
    const created: { id: string; clocks: { clock: string; targetMs: number }[] }[] = [];
    for (let start = 0; start < TICKETS; start += 3 * clients.length) {
      const batch = Array.from({ length: Math.min(3 * clients.length, TICKETS - start) }, (_, k) => start + k);
      created.push(...(await Promise.all(batch.map(async (i) => {
        const res = await clients[i % clients.length]!.post('/api/v1/tickets', { type: 'consultation', channel: 'phone', categoryId: cat.body.id, subject: `多进程 SLA ${i}` });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        expect(res.body.ownerId).toBe(agent.id);
        expect(res.body.teamId).toBe(teamId);
        return res.body as { id: string; clocks: { clock: string; targetMs: number }[] };
      }))));
    }
    const ids = created.map((t) => t.id);
    expect(new Set(ids).size).toBe(TICKETS);
    for (const t of created) expect(t.clocks.map((c) => [c.clock, c.targetMs]).sort()).toEqual([['first_response', 6_000], ['resolution', 12_000]]);
    const createdAt = Date.now();

    // Nobody here sweeps: only the three processes' background jobs can mark these clocks.
    const breachedIn = await poll(
      `all ${TICKETS * 2} clocks to breach`,
      async () => {
        const { rows } = await h.ctx.db.pool.query<{ total: number; breached: number }>(
          'SELECT count(*)::int AS total, count(breached_at)::int AS breached FROM sla_clocks WHERE ticket_id = ANY($1)',
          [ids],
        );
        return rows[0]!.total === TICKETS * 2 && rows[0]!.breached === TICKETS * 2 ? Date.now() - createdAt : false;
      },
      60_000,
    );
    // A few more sweeps after the last breach: a duplicate would show up now if it ever did.
    const sweepsAtBreach = await completedSweeps();
    await poll('three more sweeps', async () => ((await completedSweeps()) >= sweepsAtBreach + 3 ? true : false), 30_000);
    console.log(`all ${TICKETS * 2} clocks breached ${breachedIn} ms after the tickets were created; ${(await completedSweeps()) - sweepsBefore} sweeps completed meanwhile (over all processes)`);

    const { rows } = await h.ctx.db.pool.query<{
      clock: string; ticket_id: string; owner_breach: number; lead_breach: number; owner_warn: number; lead_warn: number; others: number; breach_events: number; warn_events: number; state: string;
    }>(
      `SELECT c.clock, c.ticket_id,
              (SELECT count(*)::int FROM notifications n WHERE n.clock_id = c.id AND n.kind = 'sla_breach' AND n.user_id = $2) AS owner_breach,
              (SELECT count(*)::int FROM notifications n WHERE n.clock_id = c.id AND n.kind = 'sla_breach' AND n.user_id = $3) AS lead_breach,
              (SELECT count(*)::int FROM notifications n WHERE n.clock_id = c.id AND n.kind = 'sla_warning' AND n.user_id = $2) AS owner_warn,
              (SELECT count(*)::int FROM notifications n WHERE n.clock_id = c.id AND n.kind = 'sla_warning' AND n.user_id = $3) AS lead_warn,
              (SELECT count(*)::int FROM notifications n WHERE n.clock_id = c.id AND n.user_id NOT IN ($2, $3)) AS others,
              (SELECT count(*)::int FROM ticket_events e WHERE e.ticket_id = c.ticket_id AND e.kind = 'sla_breach' AND e.data->>'clock' = c.clock) AS breach_events,
              (SELECT count(*)::int FROM ticket_events e WHERE e.ticket_id = c.ticket_id AND e.kind = 'sla_warning' AND e.data->>'clock' = c.clock) AS warn_events,
              t.sla_state AS state
         FROM sla_clocks c JOIN tickets t ON t.id = c.ticket_id
        WHERE c.ticket_id = ANY($1)
        ORDER BY c.ticket_id, c.clock`,
      [ids, agent.id, lead.id],
    );
    expect(rows).toHaveLength(TICKETS * 2);
    const notExactlyOnce = rows.filter((r) => r.owner_breach !== 1 || r.lead_breach !== 1 || r.breach_events !== 1 || r.others !== 0);
    expect(notExactlyOnce).toEqual([]);
    const warnedWrongly = rows.filter((r) => r.owner_warn !== 1 || r.warn_events !== 1 || r.lead_warn !== 0);
    expect(warnedWrongly).toEqual([]);
    expect(rows.filter((r) => r.state !== 'breached')).toEqual([]);

    // In all: per ticket 2 warnings (owner) + 2 × 2 breaches (owner and lead), nothing else.
    const totals = await h.ctx.db.pool.query<{ notifications: number; events: number; audits: number }>(
      `SELECT (SELECT count(*)::int FROM notifications WHERE ticket_id = ANY($1)) AS notifications,
              (SELECT count(*)::int FROM ticket_events WHERE ticket_id = ANY($1) AND kind LIKE 'sla_%') AS events,
              (SELECT count(*)::int FROM audit_log WHERE action = 'sla.breach' AND entity_id = ANY($2)) AS audits`,
      [ids, ids],
    );
    expect(totals.rows[0]).toEqual({ notifications: TICKETS * 6, events: TICKETS * 4, audits: TICKETS * 2 });

    // What the people see through the API of any process: one breach per clock each.
    const leadView = await new Client(procs[2]!.url, lead.client.token).get<{ items: { kind: string; ticketId: string }[] }>('/api/v1/notifications');
    expect(leadView.status).toBe(200);
    const leadBreaches = leadView.body.items.filter((n) => n.kind === 'sla_breach' && ids.includes(n.ticketId));
    expect(leadBreaches).toHaveLength(TICKETS * 2);
    const ownerView = await new Client(procs[0]!.url, agent.client.token).get<{ items: { kind: string; ticketId: string }[] }>('/api/v1/notifications');
    expect(ownerView.body.items.filter((n) => n.kind === 'sla_warning' && ids.includes(n.ticketId))).toHaveLength(TICKETS * 2);

    // The processes are still healthy after all that.
    for (const p of procs) expect((await fetch(`${p.url}/healthz`)).status).toBe(200);
  }, 120_000);
});
