/**
 * The end-to-end journey (issue 6) in Debian's Chromium against a real `parceldesk start --demo`
 * server of its own: a child process on an embedded PGlite data folder in a temp dir, seeded with
 * the demo data (never the suite's shared test database, which other files' counts rely on; and
 * not the run's PostgreSQL either when DATABASE_URL is set — the demo is what `npm start` shows, so
 * this test takes the server exactly as an operator starts it).
 *
 * An agent signs in, opens the inbox, opens an unassigned ticket, takes it, replies (through the
 * language guard), changes its status and hands it over with a reason — each on the timeline with
 * their name. A supervisor sees the dashboard's numbers, which match the demo's tickets. An admin
 * shortens the SLA target of the policy governing an open ticket, and that ticket's countdown badge
 * moves by exactly the difference. Render times of the inbox and the ticket page on the demo data
 * are measured with the browser's performance timeline and printed ("[journey timing]").
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnServer, type ServerProcess } from '../support/processes.ts';
import { eventually, expectNoMissingKeys, launchBrowser, openPage, screenshot, signInStaff } from './browser.ts';

let dataDir: string;
let server: ServerProcess;
let browser: Browser;
let logins: { password: string; byRole: Map<string, string[]> };
let demoTickets: number;
const startedAt = Date.now();

/** "demo logins (password "…"): admin (admin), supervisor (supervisor), …" as `parceldesk start --demo` prints it. */
function parseLogins(out: string): { password: string; byRole: Map<string, string[]> } {
  const m = /demo logins \(password "([^"]+)"\): (.+)/.exec(out);
  if (!m) throw new Error(`no demo logins line in the server's output:\n${out}`);
  const byRole = new Map<string, string[]>();
  for (const [, username, role] of m[2]!.matchAll(/(\S+) \((\w+)\)/g)) byRole.set(role!, [...(byRole.get(role!) ?? []), username!]);
  return { password: m[1]!, byRole };
}
const login = (role: string, i = 0): string => logins.byRole.get(role)?.[i] ?? (() => { throw new Error(`no demo login with role ${role}`); })();

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pd-journey-'));
  const start = Date.now();
  [server, browser] = await Promise.all([
    spawnServer({
      name: 'demo server',
      args: ['--demo'],
      // Its own embedded database and key file; an empty DATABASE_URL means "embedded" to the config.
      env: { DATABASE_URL: '', PARCELDESK_DATA: dataDir, PARCELDESK_SECRET: '' },
      startTimeoutMs: 170_000, // migrations, the demo seed and pg-boss on a fresh PGlite: ~10 s alone, far more on a loaded machine
    }),
    launchBrowser(),
  ]);
  // The logins line follows the "running at" line the spawn waited for.
  for (let i = 0; i < 100 && !/demo logins/.test(server.output()); i++) await new Promise((r) => setTimeout(r, 100));
  // Its own embedded database, whatever the suite's run uses (DATABASE_URL included).
  expect(server.output()).toContain(`database: pglite, data in ${dataDir}`);
  logins = parseLogins(server.output());
  demoTickets = Number(/demo data loaded: \d+ users, \d+ customers, (\d+) tickets/.exec(server.output())?.[1]);
  expect(demoTickets).toBeGreaterThan(0);
  console.log(`[journey timing] demo server (PGlite, migrations, demo seed) ready in ${Date.now() - start} ms`);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop(10_000);
  // The embedded database process outlives the server by its flush; its lock file goes when it is done.
  const lock = path.join(dataDir, 'pglite.lock');
  for (let i = 0; i < 100 && fs.existsSync(lock); i++) await new Promise((r) => setTimeout(r, 100));
  fs.rmSync(dataDir, { recursive: true, force: true });
  console.log(`[journey timing] whole journey file ${Date.now() - startedAt} ms`);
}, 60_000);

interface Marks {
  main?: number;
  all?: number;
}

/**
 * Records, per document, when the ticket page is usable (header, SLA badges, timeline) and when
 * every panel has its data too (customer history and parcels, the parcel's status sentence).
 */
async function watchTicketRender(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const marks: Record<string, number> = {};
    const watch = { main: ['h1.ticket-number', '[data-testid=sla-badges]', '[data-testid=timeline]'], all: ['h1.ticket-number', '[data-testid=timeline]', '[data-testid=customer-history]', '[data-testid=customer-parcels]', '[data-testid=parcel-sentence]'] };
    new MutationObserver(() => {
      for (const [name, sels] of Object.entries(watch)) if (!(name in marks) && sels.every((q) => document.querySelector(q))) marks[name] = performance.now();
    }).observe(document, { childList: true, subtree: true });
    (window as unknown as { __marks: Record<string, number> }).__marks = marks;
  });
}

/** Where each request of interest started and ended, ms after navigation start. */
const resourceTimes = (page: Page, parts: string[]): Promise<string> =>
  page.evaluate((ps) => ps.map((part) => {
    const r = performance.getEntriesByType('resource').find((e) => e.name.includes(part)) as PerformanceResourceTiming | undefined;
    return `${part} ${r ? `${r.startTime.toFixed(0)}–${r.responseEnd.toFixed(0)}` : '?'}`;
  }).join(', '), parts);

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Full loads of the ticket page, navigation start → usable / every panel. */
async function timeTicketPage(page: Page, id: string, runs = 3): Promise<{ main: number[]; all: number[] }> {
  const out = { main: [] as number[], all: [] as number[] };
  for (let i = 0; i < runs; i++) {
    await page.goto(`/tickets/${id}`);
    await page.waitForFunction(() => 'all' in (window as unknown as { __marks: Marks }).__marks, null, { timeout: 15_000 });
    const m = await page.evaluate(() => (window as unknown as { __marks: Marks }).__marks);
    out.main.push(Math.round(m.main!));
    out.all.push(Math.round(m.all!));
    if (i === runs - 1) console.log(`[journey timing] ticket page requests (last load): ${await resourceTimes(page, ['/api/v1/me', `/api/v1/tickets/${id}`, '/events', 'TicketPage-', '/history', '/shipments/'])}`);
  }
  return out;
}

/** Full loads of the inbox, navigation start → first rows (the page's own performance mark). */
async function timeInbox(page: Page, runs = 3): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    await page.goto('/');
    await page.locator('[data-testid=ticket-list] tbody tr').first().waitFor();
    await page.waitForFunction(() => performance.getEntriesByName('inbox:first-rows').length > 0);
    out.push(Math.round(await page.evaluate(() => performance.getEntriesByName('inbox:first-rows')[0]!.startTime)));
    if (i === runs - 1) console.log(`[journey timing] inbox requests (last load): ${await resourceTimes(page, ['/api/v1/me', '/api/v1/tickets?', 'InboxPage-'])}`);
  }
  return out;
}

async function getJson<T = any>(context: BrowserContext, apiPath: string): Promise<T> {
  const res = await context.request.get(`/api/v1${apiPath}`);
  expect(res.status(), `${apiPath}: ${await res.text()}`).toBe(200);
  return (await res.json()) as T;
}

interface TicketRow {
  id: string;
  number: string;
  type: string;
  priority: string;
  channel: string;
  categoryCode: string | null;
  status: string;
  ownerId: string | null;
  mergedIntoId: string | null;
  subject: string;
  waybills: string[];
  customerId: string | null;
}

describe('the journey on the demo data', () => {
  // The agent's ticket: an unassigned one of the agent's team with a parcel and a customer (every panel has data).
  let journeyTicket: TicketRow;

  it('an agent signs in, opens the inbox, takes a ticket, replies, changes status and hands it over — each on the timeline', async () => {
    const { context, page, errors } = await openPage(browser, server.url);
    try {
      await watchTicketRender(page);
      const t0 = Date.now();
      await signInStaff(page, login('agent'), logins.password, '[data-testid=incoming]');
      expect(await page.locator('h1').innerText()).toBe('我的工单');
      await page.locator('[data-testid=ticket-list] tbody tr').first().waitFor();
      console.log(`[journey timing] agent sign-in to inbox rows ${Date.now() - t0} ms`);
      const me = await getJson<{ id: string; displayName: string }>(context, '/me');
      const inboxMs = await timeInbox(page);
      await screenshot(page, 'journey-inbox');

      // The unassigned queue of the agent's team.
      await page.getByRole('link', { name: '未分配', exact: true }).click();
      await page.waitForURL(/queue=unassigned/);
      const unassigned = await getJson<{ items: TicketRow[] }>(context, '/tickets?ownerId=none&status=new,open&limit=50');
      const candidates = unassigned.items.filter((x) => x.waybills.length > 0 && x.customerId !== null);
      expect(candidates.length, 'the demo has an unassigned ticket with a parcel').toBeGreaterThan(0);
      journeyTicket = candidates[0]!;
      const row = page.locator(`[data-testid=ticket-list] tbody tr[data-id="${journeyTicket.id}"]`);
      await row.waitFor();
      await row.getByRole('link', { name: journeyTicket.number }).click();
      await eventually(() => page.locator('h1').innerText()).toBe(journeyTicket.number);
      await page.locator('[data-testid=timeline]').waitFor();
      await eventually(() => page.locator('[data-testid=owner]').innerText()).toContain('此工单尚无人负责');

      // Render time of this ticket page on a full load (header + timeline + side panels).
      const ticketMs = await timeTicketPage(page, journeyTicket.id);
      console.log(`[journey timing] inbox first rows ${inboxMs.join(' / ')} ms (median ${median(inboxMs)}); ticket page usable ${ticketMs.main.join(' / ')} ms (median ${median(ticketMs.main)}), every panel ${ticketMs.all.join(' / ')} ms (median ${median(ticketMs.all)}) — navigation start, demo data, full loads`);
      // Issue 6's 1 s, on the median of three full loads: measured here at 100–380 ms (inbox), 100–180 ms (ticket usable) and
      // 150–310 ms (every panel) with the 2-core machine at load 11 from other test runs; one slow load does not fail it.
      expect(median(inboxMs)).toBeLessThan(1000);
      expect(median(ticketMs.main)).toBeLessThan(1000);
      expect(median(ticketMs.all)).toBeLessThan(1000);
      const timeline = page.locator('[data-testid=timeline]');
      const mine = (kind: string) => timeline.locator(`li[data-kind=${kind}]`, { has: page.locator('[data-testid=event-author]', { hasText: me.displayName }) });

      // Take it.
      await page.getByRole('button', { name: '接手工单' }).click();
      await eventually(() => page.locator('[data-testid=owner]').innerText()).toContain('由我负责');
      await eventually(() => mine('assignment').count()).toBeGreaterThan(0);

      // A public reply through the language guard: no findings, sent, on the timeline under the agent's name and role.
      const reply = '您好,已为您联系派送网点优先派送,快递员今天下午会与您电话联系,请保持电话畅通。请问还有其他需要帮助的吗?';
      await page.locator('#reply-text').fill(reply);
      await page.getByRole('button', { name: '发送回复' }).click();
      await eventually(() => page.locator('[data-testid=reply-status]').innerText()).toBe('回复已发送');
      await eventually(() => mine('message').filter({ hasText: reply }).count()).toBe(1);
      expect(await mine('message').filter({ hasText: reply }).locator('[data-testid=event-author]').innerText()).toMatch(new RegExp(`^${me.displayName}\\s*客服\\s*我$`));

      // Status: waiting on the customer.
      const status = page.locator('[data-testid=status-form] select[name=status]');
      await status.selectOption('pending');
      await page.locator('[data-testid=status-form] select[name=waitingOn]').selectOption('customer');
      await page.getByRole('button', { name: '更改状态' }).click();
      await eventually(() => page.locator('[data-testid=ticket-meta]').innerText()).toContain('等待中');
      await eventually(() => mine('status').filter({ hasText: '等待中' }).count()).toBe(1);

      // Hand over to a colleague of the team, with a reason.
      const users = await getJson<{ items: { id: string; username: string; displayName: string }[] }>(context, '/users');
      const colleague = users.items.find((u) => u.username === login('agent', 1))!;
      const handover = page.locator('[data-testid=handover-form]');
      await page.locator('summary', { hasText: '转交' }).click();
      await handover.locator('select[name=toUserId]').selectOption({ label: colleague.displayName });
      const reason = '客户下午改由同事跟进派送回访';
      await handover.getByLabel('原因').fill(reason);
      await handover.getByRole('button', { name: '确认转交' }).click();
      await eventually(() => mine('handover').innerText()).toContain(`原因:${reason}`);
      await eventually(() => page.locator('[data-testid=owner]').innerText()).toContain('由其他客服负责');
      // Every entry names who acted: the agent's own steps in order, the customer's by role, the system's as such.
      const authors = await timeline.locator('li').evaluateAll((lis) => lis.map((li) => ({ kind: li.getAttribute('data-kind'), author: li.querySelector('[data-testid=event-author]')?.textContent ?? null })));
      expect(authors.every((a) => a.author !== null && a.author.trim() !== '')).toBe(true);
      expect(authors.filter((a) => a.author!.startsWith(me.displayName)).map((a) => a.kind)).toEqual(expect.arrayContaining(['assignment', 'message', 'status', 'handover']));
      const after = await getJson<TicketRow>(context, `/tickets/${journeyTicket.id}`);
      expect(after).toMatchObject({ ownerId: colleague.id, status: 'pending' });
      await expectNoMissingKeys(page);
      await screenshot(page, 'journey-ticket');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('a supervisor sees the dashboard with the demo data\'s numbers', async () => {
    const { context, page, errors } = await openPage(browser, server.url);
    try {
      // A link to a ticket opened signed out: the sign-in form, then that ticket (its early requests were refused and are asked again).
      await page.goto(`/tickets/${journeyTicket.id}`);
      await page.locator('[data-testid=login-form]').waitFor();
      await page.getByLabel('用户名').fill(login('supervisor'));
      await page.getByLabel('密码').fill(logins.password);
      await page.getByRole('button', { name: '登录' }).click();
      await eventually(() => page.locator('h1').innerText()).toBe(journeyTicket.number);
      await eventually(() => page.locator('[data-testid=timeline] li[data-kind=handover]').count()).toBe(1);

      await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '主管看板' }).click();
      const tiles = page.locator('[data-testid=kpi-tiles] li');
      await tiles.first().waitFor();
      expect(await tiles.count()).toBe(5);
      // The same numbers counted from the ticket list itself: the demo's tickets, all created within the week shown. The
      // server's chat router may hand the waiting chat to an agent meanwhile: then the dashboard is read again.
      let seen: { tiles: number[]; expected: number[] } = { tiles: [], expected: [] };
      for (let attempt = 0; attempt < 3; attempt++) {
        if (attempt > 0) {
          await page.reload();
          await tiles.first().waitFor();
        }
        const [openTile, unassignedTile, , , volumeTile] = (await tiles.locator('.tile-value').allInnerTexts()).map(Number);
        const all = await getJson<{ items: TicketRow[] }>(context, '/tickets?limit=200');
        const open = all.items.filter((x) => ['new', 'open', 'pending'].includes(x.status) && x.mergedIntoId === null);
        expect(open.length).toBeGreaterThan(0);
        seen = { tiles: [openTile!, unassignedTile!, volumeTile!], expected: [open.length, open.filter((x) => x.ownerId === null).length, all.items.length] };
        if (seen.tiles.join() === seen.expected.join()) break;
      }
      expect(seen.tiles).toEqual(seen.expected);
      expect(seen.tiles[2]).toBe(demoTickets);
      // The charts are drawn, each with its data table; the board lists the demo's agents.
      for (const chart of ['volume-chart', 'first-response-chart', 'sla-chart']) await page.locator(`[data-testid=${chart}] canvas`).first().waitFor();
      expect(await page.locator('[data-testid=volume-chart] table tbody tr').count()).toBeGreaterThan(0);
      await eventually(() => page.locator('[data-testid=board-agent]').count()).toBeGreaterThan(1);
      await expectNoMissingKeys(page);
      await screenshot(page, 'journey-dashboard');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('an admin shortens the SLA target governing an open ticket, and its countdown badge moves by exactly that much', async () => {
    const { context, page, errors } = await openPage(browser, server.url);
    try {
      await signInStaff(page, login('admin'), logins.password);
      // An open ticket with a running resolution clock, not the agent's (now waiting on the customer, its clocks paused).
      const list = await getJson<{ items: TicketRow[] }>(context, '/tickets?limit=200');
      const withClock: { t: TicketRow; clock: { clock: string; dueAt: string | null; targetMs: number; status: string } }[] = [];
      for (const t of list.items.filter((x) => ['new', 'open'].includes(x.status) && x.id !== journeyTicket.id)) {
        const d = await getJson<{ clocks: { clock: string; dueAt: string | null; targetMs: number; status: string; stoppedAt: string | null }[] }>(context, `/tickets/${t.id}`);
        const c = d.clocks.find((k) => k.clock === 'resolution' && k.stoppedAt === null && k.dueAt !== null && k.status === 'running');
        if (c) withClock.push({ t, clock: c });
      }
      expect(withClock.length).toBeGreaterThan(0);
      // The policy that governs it: the active resolution policy matching the ticket, most specific first (as the server picks).
      type Policy = { id: string; clock: string; nameZh: string; ticketType: string | null; priority: string | null; channel: string | null; categoryCode: string | null; targetMinutes: number; mode: string; active: boolean; startsOn: string };
      const policies = (await getJson<{ items: Policy[] }>(context, '/sla-policies')).items;
      const governing = (t: TicketRow): Policy | undefined => policies
        .filter((p) => p.active && p.clock === 'resolution' && p.startsOn === 'ticket_created' && (p.ticketType ?? t.type) === t.type && (p.priority ?? t.priority) === t.priority && (p.channel ?? t.channel) === t.channel && (p.categoryCode ?? t.categoryCode) === t.categoryCode)
        .sort((a, b) => Number(b.categoryCode !== null) - Number(a.categoryCode !== null) || Number(b.ticketType !== null) - Number(a.ticketType !== null) || Number(b.channel !== null) - Number(a.channel !== null) || Number(b.priority !== null) - Number(a.priority !== null) || a.targetMinutes - b.targetMinutes)[0];
      // Prefer a ticket on a type-specific policy (fewer other tickets re-timed), in calendar mode (due time = start + target, exactly).
      const pick = withClock.map((w) => ({ ...w, policy: governing(w.t)! })).filter((w) => w.policy && w.policy.mode === 'calendar' && w.policy.targetMinutes * 60_000 === w.clock.targetMs)
        .sort((a, b) => Number(b.policy.ticketType !== null) - Number(a.policy.ticketType !== null))[0];
      expect(pick, 'an open ticket on a calendar-mode resolution policy').toBeDefined();
      const { t: ticket, policy } = pick!;
      const shortenBy = 12 * 60; // minutes
      const newTarget = policy.targetMinutes - shortenBy;
      expect(newTarget).toBeGreaterThan(0);

      const badge = page.locator('[data-testid=sla-badges] li[data-clock=resolution]');
      const hoursLeft = (text: string): number => {
        const m = /剩余 (?:(\d+)天)?(\d+)小时/.exec(text);
        if (!m) throw new Error(`no hours left in "${text}"`);
        return Number(m[1] ?? 0) * 24 + Number(m[2]);
      };
      await page.goto(`/tickets/${ticket.id}`);
      await badge.waitFor();
      const dueBefore = Date.parse((await badge.getAttribute('data-due-at'))!);
      const leftBefore = hoursLeft(await badge.innerText());
      expect(dueBefore).toBe(Date.parse(pick!.clock.dueAt!));

      // Admin → SLA policies → edit the governing policy's target.
      await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '系统管理' }).click();
      await page.locator('[data-testid=sla-row]').first().waitFor();
      await page.getByRole('button', { name: `编辑「${policy.nameZh}」` }).click();
      const form = page.getByRole('form', { name: `修改「${policy.nameZh}」` });
      const target = form.getByLabel('时限(分钟)');
      expect(Number(await target.inputValue())).toBe(policy.targetMinutes);
      await target.fill(String(newTarget));
      await form.getByRole('button', { name: '保存' }).click();
      await eventually(() => page.locator('[data-testid=admin-status]').innerText()).toMatch(/已保存;[1-9]\d* 个未结工单的计时已按新时限重新计算/);
      await eventually(() => page.locator('[data-testid=sla-row]', { hasText: policy.nameZh }).innerText()).toContain(`${newTarget} 分钟`);

      // The ticket's badge: due exactly 12 h earlier, and the countdown shows 12 h less (13 if an hour ticked over meanwhile).
      await page.goto(`/tickets/${ticket.id}`);
      await badge.waitFor();
      await eventually(async () => Date.parse((await badge.getAttribute('data-due-at'))!)).toBe(dueBefore - shortenBy * 60_000);
      const leftAfter = hoursLeft(await badge.innerText());
      expect(leftBefore - leftAfter).toBeGreaterThanOrEqual(12);
      expect(leftBefore - leftAfter).toBeLessThanOrEqual(13);
      expect(await badge.getAttribute('title')).toContain('截止');
      const clocks = (await getJson<{ clocks: { clock: string; targetMs: number }[] }>(context, `/tickets/${ticket.id}`)).clocks;
      expect(clocks.find((c) => c.clock === 'resolution')!.targetMs).toBe(newTarget * 60_000);
      await expectNoMissingKeys(page);
      await screenshot(page, 'journey-ticket-sla-changed');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 90_000);
});
