/**
 * An admin's SLA target change on a business-hours policy (PATCH /sla-policies/{id}): every
 * running, un-met clock of an open ticket on that policy gets the deadline the calendar gives for
 * the new target less the time already consumed; a warning mark is lifted when the new deadline
 * lies ahead; stopped clocks stay as they were; and the change and its audit entry (with the number
 * of clocks re-timed) are one transaction. The journey browser test shows the same on the demo.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addBusinessTime, type BusinessCalendar } from '../../src/domain/business-hours.ts';
import { startHarness, type Harness, type TestUser } from '../support/harness.ts';

const MIN = 60_000;
let h: Harness;
let admin: TestUser;
let agent: TestUser;

beforeAll(async () => {
  h = await startHarness();
  admin = await h.user('admin');
  agent = await h.user('agent', { teamIds: [await h.team()] });
});
afterAll(async () => {
  await h?.close();
});

interface ClockRow {
  running_since: Date | null;
  consumed_ms: number;
  due_at: Date | null;
  warned_at: Date | null;
  stopped_at: Date | null;
  target_ms: number;
}
const clockRow = async (ticketId: string): Promise<ClockRow> =>
  (await h.ctx.db.pool.query<ClockRow>(`SELECT running_since, consumed_ms, due_at, warned_at, stopped_at, target_ms FROM sla_clocks WHERE ticket_id = $1 AND clock = 'resolution'`, [ticketId])).rows[0]!;

describe('retargeting a business-hours SLA policy', () => {
  it('re-times running clocks on the calendar, keeps consumed time, lifts warnings, leaves stopped clocks, audits once', async () => {
    const cals = await admin.client.get<{ items: { id: string; code: string; definition: BusinessCalendar }[] }>('/api/v1/calendars');
    const workdays = cals.body.items.find((c) => c.code === 'cn-workdays')!;
    const code = `retarget_${h.uid()}`;
    const cat = await admin.client.post('/api/v1/categories', { code, nameZh: '改时限测试', nameEn: 'Retarget test', ticketType: 'consultation' });
    expect(cat.status, JSON.stringify(cat.body)).toBe(201);
    const policy = await admin.client.post('/api/v1/sla-policies', {
      clock: 'resolution', nameZh: `工作日处理 ${code}`, nameEn: `Workday resolution ${code}`, categoryCode: code,
      targetMinutes: 2 * 9 * 60, mode: 'business', calendarId: workdays.id, startsOn: 'ticket_created', stopsOn: 'resolved',
    });
    expect(policy.status, JSON.stringify(policy.body)).toBe(201);
    const create = async (): Promise<string> => {
      const r = await agent.client.post<{ id: string }>('/api/v1/tickets', { type: 'consultation', channel: 'phone', subject: `改时限 ${code}`, categoryId: cat.body.id });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body.id;
    };
    const [fresh, halfway, done] = [await create(), await create(), await create()];
    // One clock has already used two business hours and was warned; another ticket is resolved (its clock stopped).
    await h.ctx.db.pool.query(`UPDATE sla_clocks SET consumed_ms = $2, warned_at = now() WHERE ticket_id = $1 AND clock = 'resolution'`, [halfway, 2 * 60 * MIN]);
    expect((await agent.client.post(`/api/v1/tickets/${done}/messages`, { body: '已为您处理完毕,请问还有其他需要帮助的吗?', visibility: 'public', notifiesResult: true })).status).toBe(201);
    expect((await agent.client.post(`/api/v1/tickets/${done}/status`, { status: 'resolved' })).status).toBe(200);
    const doneBefore = await clockRow(done);
    expect(doneBefore.stopped_at).not.toBeNull();

    const newTarget = 4 * 9 * 60; // four working days
    const res = await admin.client.patch(`/api/v1/sla-policies/${policy.body.id}`, { targetMinutes: newTarget });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ targetMinutes: newTarget, retargetedClocks: 2 });

    for (const id of [fresh, halfway]) {
      const row = await clockRow(id);
      expect(row.target_ms).toBe(newTarget * MIN);
      // Business hours respected: the deadline is the calendar's, for what is left of the new target.
      const expected = addBusinessTime(workdays.definition, row.running_since!, newTarget * MIN - row.consumed_ms);
      expect(row.due_at!.toISOString()).toBe(expected.toISOString());
      const view = (await agent.client.get<{ clocks: { clock: string; dueAt: string; targetMs: number }[] }>(`/api/v1/tickets/${id}`)).body.clocks.find((c) => c.clock === 'resolution')!;
      expect(view).toMatchObject({ dueAt: expected.toISOString(), targetMs: newTarget * MIN });
    }
    expect((await clockRow(halfway)).consumed_ms).toBe(2 * 60 * MIN);
    expect((await clockRow(halfway)).warned_at).toBeNull(); // the new deadline lies ahead: it may warn again
    expect(await clockRow(done)).toEqual(doneBefore);

    const audit = await h.ctx.db.pool.query<{ data: { targetMinutes: number; retargetedClocks: number } }>(
      `SELECT data FROM audit_log WHERE action = 'sla_policy.update' AND entity_id = $1`, [policy.body.id]);
    expect(audit.rows.map((r) => r.data)).toEqual([expect.objectContaining({ targetMinutes: newTarget, retargetedClocks: 2 })]);
  });

  it('a refused change (not an admin) re-times nothing and audits nothing', async () => {
    const { rows } = await h.ctx.db.pool.query<{ id: string; target_minutes: number }>(`SELECT id, target_minutes FROM sla_policies WHERE active ORDER BY id LIMIT 1`);
    const before = await h.ctx.db.pool.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'sla_policy.update' AND entity_id = $1`, [rows[0]!.id]);
    const res = await agent.client.patch(`/api/v1/sla-policies/${rows[0]!.id}`, { targetMinutes: rows[0]!.target_minutes + 1 });
    expect(res.status).toBe(403);
    expect((await h.ctx.db.pool.query<{ target_minutes: number }>('SELECT target_minutes FROM sla_policies WHERE id = $1', [rows[0]!.id])).rows[0]!.target_minutes).toBe(rows[0]!.target_minutes);
    expect((await h.ctx.db.pool.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'sla_policy.update' AND entity_id = $1`, [rows[0]!.id])).rows[0]).toEqual(before.rows[0]);
  });
});
