/**
 * The dashboard as a team lead sees it, in a real browser against a real server and database: the
 * lead of one team signs in, opens 主管看板, and sees only their team — its ticket counts, the
 * volume and SLA numbers of its tickets, its queue and members on the agent board and its tickets
 * on the SLA-at-risk list — while another team's tickets and agent, seeded alongside, appear
 * nowhere; the team choice offers their team only and the server refuses the other team. The
 * gauge's target is the reports.targets setting's.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, startHarness, type Harness, type TestUser } from '../support/harness.ts';
import { eventually, expectNoMissingKeys, launchBrowser, openPage, screenshot, signInStaff } from './browser.ts';

let h: Harness;
let browser: Browser;
let lead: TestUser;
let agentA: TestUser;
let agentB: TestUser;
let teamA: string;
let teamB: string;
let teamAName: string;
let teamBName: string;
const made: { id: string; number: string }[] = [];

beforeAll(async () => {
  [h, browser] = await Promise.all([startHarness(), launchBrowser()]);
  [teamA, teamB] = await Promise.all([h.team(), h.team()]);
  teamAName = `华南二组 ${h.uid()}`;
  teamBName = `华北三组 ${h.uid()}`;
  await h.ctx.db.pool.query('UPDATE teams SET name = $2 WHERE id = $1', [teamA, teamAName]);
  await h.ctx.db.pool.query('UPDATE teams SET name = $2 WHERE id = $1', [teamB, teamBName]);
  const supervisor = await h.user('supervisor');
  [lead, agentA, agentB] = await Promise.all([h.user('team_lead', { leadOf: [teamA] }), h.user('agent', { teamIds: [teamA] }), h.user('agent', { teamIds: [teamB] })]);
  // Three tickets in the lead's team, two in the other team.
  for (const [teamId, channel, subject] of [[teamA, 'chat', '快件没更新'], [teamA, 'phone', '改地址'], [teamA, 'chat', '催件'], [teamB, 'email', '发票'], [teamB, 'chat', '投诉快递员']] as const) {
    const res = await supervisor.client.post('/api/v1/tickets', { type: 'consultation', channel, subject: `${subject} ${h.uid()}`, teamId, ownerId: null, autoAssign: false });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    made.push({ id: res.body.id, number: res.body.number });
  }
  const q = (sql: string, p: unknown[]) => h.ctx.db.pool.query(sql, p);
  const fr = (i: number, set: string) => q(`UPDATE sla_clocks SET ${set} WHERE ticket_id = $1 AND clock = 'first_response'`, [made[i]!.id]);
  // The lead's team: one first response in time (40 s), one late and breached, one at risk now and owned by its agent.
  await q(`UPDATE tickets SET first_responded_at = created_at + interval '40 seconds' WHERE id = $1`, [made[0]!.id]);
  await fr(0, `stopped_at = now(), running_since = NULL, due_at = now() + interval '1 hour'`);
  await fr(1, `breached_at = now() - interval '1 minute', due_at = now() - interval '1 minute'`);
  await fr(2, `warn_at = now() - interval '1 minute', due_at = now() + interval '20 minutes'`);
  await q('UPDATE tickets SET owner_id = $2 WHERE id = $1', [made[2]!.id, agentA.id]);
  // The other team: one at risk (owned by its agent), one breached — on nobody's screen here.
  await fr(3, `warn_at = now() - interval '1 minute', due_at = now() + interval '10 minutes'`);
  await fr(4, `breached_at = now() - interval '5 minutes', due_at = now() - interval '5 minutes'`);
  await q('UPDATE tickets SET owner_id = $2 WHERE id = $1', [made[3]!.id, agentB.id]);
  await q(`INSERT INTO chat_presence (user_id, status, capacity, last_seen_at) VALUES ($1, 'online', 3, now()), ($2, 'online', 3, now())`, [agentA.id, agentB.id]);
});
afterAll(async () => {
  await browser?.close();
  await h?.close();
});

describe('the dashboard for a team lead', () => {
  it('shows the lead\'s own team only: counts, volume, SLA, the queue and members, the at-risk tickets', async () => {
    // The server's side of it: the other team is refused.
    expect((await lead.client.get(`/api/v1/reports/overview?teamId=${teamB}`)).status).toBe(403);
    const { context, page, errors } = await openPage(browser, h.url);
    try {
      // The targets the page was given (another file may change the setting meanwhile).
      const targetsSeen: number[] = [];
      page.on('response', (r) => {
        if (r.url().includes('/api/v1/reports/overview')) void r.json().then((b: { targets?: { slaCompliance: number } }) => b.targets && targetsSeen.push(b.targets.slaCompliance), () => undefined);
      });
      await signInStaff(page, lead.username, PASSWORD, '[data-testid=ticket-list], [data-testid=who]');
      await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '主管看板' }).click();
      await page.waitForURL('**/dashboard');
      await page.locator('[data-testid=agent-board]').waitFor();

      // Counts now: 3 open, 2 unassigned, 1 at risk, 1 breached; 3 created in the period.
      await eventually(() => page.locator('[data-testid=kpi-tiles] .tile-value').allInnerTexts()).toEqual(['3', '2', '1', '1', '3']);
      expect(await page.locator('[data-testid=volume-chart] .summary').innerText()).toMatch(/^共 3 张工单:/);
      expect(await page.locator('[data-testid=volume-chart] .summary').innerText()).toContain('在线客服 2 张');
      expect(await page.locator('[data-testid=first-response-chart] .summary').innerText()).toContain('3 张工单中 1 张已首次响应');
      expect(await page.locator('[data-testid=sla-chart] .summary').innerText()).toContain('达标率 50%');
      await eventually(() => targetsSeen.length).toBeGreaterThan(0);
      expect(await page.locator('[data-testid=sla-target]').innerText()).toBe(`目标 ≥ ${Math.round(targetsSeen.at(-1)! * 1000) / 10}%`);
      // 50 % against a 95 % target: more than 10 points short.
      expect(await page.locator('[data-testid=sla-chart]').getAttribute('data-level')).toBe('bad');

      // The team choice: their team only.
      expect(await page.getByLabel('团队').locator('option').allInnerTexts()).toEqual(['全部团队', teamAName]);

      // The board: their team's queue and its two members (the lead and the agent), not the other team's agent.
      const board = page.locator('[data-testid=agent-board]');
      expect(await board.locator('h3').allInnerTexts()).toEqual([teamAName]);
      expect(await page.locator('[data-testid=team-queue]').innerText()).toBe('未结 3 张,待分配 2 张,排队会话 0 个');
      const names = await board.locator('[data-testid=board-agent] th').allInnerTexts();
      expect(names.map((n) => n.replace('组长', '').trim()).sort()).toEqual([agentA.username, lead.username].sort());
      expect(await board.innerText()).not.toContain(agentB.username);
      const agentRow = board.locator('[data-testid=board-agent]', { hasText: agentA.username });
      expect(await agentRow.locator('td').allInnerTexts()).toEqual(expect.arrayContaining(['可接待', '1']));

      // The at-risk list: the breached ticket first, then the one at risk; none of the other team's.
      const items = page.locator('[data-testid=at-risk-list] tbody tr');
      await eventually(() => items.count()).toBe(2);
      expect(await items.nth(0).getAttribute('data-state')).toBe('breached');
      expect(await items.nth(0).innerText()).toContain(made[1]!.number);
      expect(await items.nth(1).innerText()).toContain(made[2]!.number);
      const list = await page.locator('[data-testid=at-risk-list]').innerText();
      expect(list).not.toContain(made[3]!.number);
      expect(list).not.toContain(made[4]!.number);
      expect(list).not.toContain(teamBName);
      await expectNoMissingKeys(page);
      await screenshot(page, 'lead-dashboard');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
