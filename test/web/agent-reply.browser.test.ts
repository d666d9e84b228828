/**
 * The agent workspace's reply box in a real browser (Debian's Chromium) against a real server and
 * database: an agent signs in at /, finds and opens a ticket, types a reply with a forbidden
 * phrase, sees the finding (listed and highlighted), replaces it in one click and sends; then sends
 * another forbidden reply, is refused, gives a reason, and the override lands as a guard_override
 * event. Internal notes are not checked; a slow answer to an older text never replaces a newer one. Screenshots go to docs/screenshots/ (UPDATE_SCREENSHOTS=1).
 */
import type { Browser, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, startHarness, type Harness, type TestUser } from '../support/harness.ts';
import { eventually, expectNoMissingKeys, launchBrowser, openPage, screenshot } from './browser.ts';

let h: Harness;
let browser: Browser;
let agent: TestUser;

beforeAll(async () => {
  [h, browser] = await Promise.all([startHarness(), launchBrowser()]);
  agent = await h.user('agent');
});
afterAll(async () => {
  await browser?.close();
  await h?.close();
});

const box = (page: Page) => page.locator('#reply-text');
const findings = (page: Page) => page.locator('[data-testid=guard-findings] [data-testid=finding]');

async function events(ticketId: string): Promise<{ kind: string; body: string | null; visibility: string; data: any }[]> {
  const res = await agent.client.get(`/api/v1/tickets/${ticketId}/events`);
  expect(res.status).toBe(200);
  return res.body.items;
}

describe('the agent reply box', () => {
  it('signs in, opens a ticket, replaces a forbidden phrase in one click, sends; a refused reply is sent with a reason as an override', async () => {
    const subject = `包裹三天没动静 ${h.uid()}`;
    const created = await agent.client.post('/api/v1/tickets', { type: 'consultation', channel: 'chat', subject });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const ticket = created.body;

    const { context, page, errors } = await openPage(browser, h.url);
    const guardChecks: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/api/v1/guard/check')) guardChecks.push(r.postData() ?? '');
    });
    try {
      // Signed out, / is the sign-in form; afterwards the ticket list.
      await page.goto('/');
      await page.locator('[data-testid=login-form]').waitFor();
      await page.getByLabel('用户名').fill(agent.username);
      await page.getByLabel('密码').fill(PASSWORD);
      await page.getByRole('button', { name: '登录' }).click();
      await page.locator('[data-testid=ticket-list]').waitFor();
      expect(await page.locator('[data-testid=who]').innerText()).toContain('客服');
      await page.getByLabel('搜索工单').fill(ticket.number);
      await page.getByRole('button', { name: '搜索' }).click();
      await eventually(() => page.locator('[data-testid=ticket-list] tbody tr').count()).toBe(1);
      await page.getByRole('link', { name: ticket.number }).click();
      await page.waitForURL(`**/tickets/${ticket.id}`);
      await eventually(() => page.locator('h1').innerText()).toBe(ticket.number);
      await page.locator('[data-testid=timeline]').waitFor();
      expect(await page.getByRole('radio', { name: '公开回复' }).isChecked()).toBe(true);

      // Typing: the check waits for a pause (far fewer requests than keystrokes), then shows the finding.
      const first = '您好,我哪知道,我帮您查一下。';
      await box(page).pressSequentially(first, { delay: 15 });
      const finding = findings(page).filter({ has: page.locator('q', { hasText: '我哪知道' }) });
      await finding.waitFor();
      expect(await finding.getAttribute('data-severity')).toBe('block');
      const text = await finding.innerText();
      expect(text).toContain('禁忌用语');
      expect(text).toContain('阻止发送');
      expect(text).toContain('规范用语:我帮您核实一下,马上给您答复');
      expect(await page.locator('[data-testid=highlights] mark.hl-block').allInnerTexts()).toEqual(['我哪知道']);
      expect(await page.locator('[data-testid=guard-findings]').getAttribute('aria-live')).toBe('polite');
      expect(guardChecks.length).toBeGreaterThan(0);
      expect(guardChecks.length).toBeLessThan([...first].length / 2);
      await expectNoMissingKeys(page);
      await screenshot(page, 'agent-reply-finding');

      // One click — here from the keyboard: Tab from the box reaches the finding's replace button.
      // The span becomes the approved wording, the caret sits after it, the re-check is clean.
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('将「我哪知道」替换为「我帮您核实一下,马上给您答复」');
      await page.keyboard.press('Enter');
      const replaced = '您好,我帮您核实一下,马上给您答复,我帮您查一下。';
      expect(await box(page).inputValue()).toBe(replaced);
      const caret = await box(page).evaluate((el: HTMLTextAreaElement) => [document.activeElement === el, el.selectionStart, el.selectionEnd]);
      expect(caret).toEqual([true, '您好,我帮您核实一下,马上给您答复'.length, '您好,我帮您核实一下,马上给您答复'.length]);
      await eventually(() => page.locator('[data-testid=guard-summary]').innerText()).toBe('未发现不规范用语');
      expect(await findings(page).count()).toBe(0);
      expect(guardChecks.at(-1)).toContain(replaced);

      await page.getByRole('button', { name: '发送回复' }).click();
      await eventually(() => page.locator('[data-testid=reply-status]').innerText()).toBe('回复已发送');
      await eventually(() => page.locator('[data-testid=timeline]').innerText()).toContain(replaced);
      expect(await box(page).inputValue()).toBe('');
      expect((await events(ticket.id)).filter((e) => e.kind === 'message').map((e) => e.body)).toEqual([replaced]);

      // Sent at once, before any check answers: the server refuses, the box shows why and asks.
      const second = '不知道,明天再说。';
      await box(page).fill(second);
      await page.keyboard.press('Control+Enter');
      const override = page.locator('[data-testid=override]');
      await override.waitFor();
      expect(await override.innerText()).toContain('这条回复不符合服务用语规范,未发送');
      await eventually(() => findings(page).filter({ has: page.locator('q', { hasText: '不知道' }) }).count()).toBe(1);
      // The reason field has the focus; an empty reason is not sent.
      expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).toBe('overrideReason');
      await page.getByRole('button', { name: '填写原因并发送' }).click();
      await eventually(() => override.innerText()).toContain('请填写原因');
      await expectNoMissingKeys(page);
      await screenshot(page, 'agent-reply-override');
      await page.getByLabel('按原文发送的原因').fill('复述客户原话');
      await page.keyboard.press('Enter');
      await eventually(() => page.locator('[data-testid=reply-status]').innerText()).toBe('回复已发送');
      expect(await override.count()).toBe(0);
      await eventually(() => page.locator('[data-testid=timeline] li[data-kind=guard_override]').innerText()).toContain('复述客户原话');

      const after = await events(ticket.id);
      expect(after.filter((e) => e.kind === 'message').map((e) => e.body)).toEqual([replaced, second]);
      const overrides = after.filter((e) => e.kind === 'guard_override');
      expect(overrides).toHaveLength(1);
      expect(overrides[0]).toMatchObject({ visibility: 'internal', body: '复述客户原话' });
      expect(overrides[0]!.data.findings.map((f: any) => f.text)).toEqual(['不知道']);

      // Internal notes are not guarded: no check is asked for, nothing is shown, the note is added.
      await page.getByRole('radio', { name: '内部备注' }).check();
      const checksBefore = guardChecks.length;
      await box(page).pressSequentially('客户说:我哪知道', { delay: 10 });
      await page.waitForTimeout(500);
      expect(guardChecks.length).toBe(checksBefore);
      expect(await findings(page).count()).toBe(0);
      await page.getByRole('button', { name: '添加备注' }).click();
      await eventually(() => page.locator('[data-testid=reply-status]').innerText()).toBe('备注已添加');
      expect((await events(ticket.id)).filter((e) => e.kind === 'note').map((e) => e.body)).toEqual(['客户说:我哪知道']);

      // English: the same box, the category localised; a tablet width does not scroll sideways.
      await page.getByRole('radio', { name: '公开回复' }).check();
      await page.click('[data-testid=lang-toggle]');
      await box(page).fill('派件员明天联系您');
      await eventually(() => findings(page).first().innerText()).toContain('Jargon');
      expect(await findings(page).first().innerText()).toContain('Warning');
      await expectNoMissingKeys(page);
      await page.setViewportSize({ width: 768, height: 1024 });
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(768);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('a slow answer to an older text never replaces the findings of the newer one', async () => {
    const created = await agent.client.post('/api/v1/tickets', { type: 'consultation', channel: 'chat', subject: `慢回答 ${h.uid()}` });
    expect(created.status).toBe(201);
    const { context, page, errors } = await openPage(browser, h.url);
    try {
      // Signed in by the session cookie the API login set: this test is about the box, not the form.
      await context.addCookies([{ name: 'pd_session', value: agent.client.token!, url: h.url }]);
      const held: Route[] = [];
      await page.route('**/api/v1/guard/check', async (route) => {
        if (held.length === 0) held.push(route);
        else await route.continue();
      });
      await page.goto(`/tickets/${created.body.id}`);
      await box(page).fill('我哪知道');
      await eventually(() => held.length).toBe(1);
      await box(page).fill('派件员明天联系您');
      await eventually(() => findings(page).count()).toBe(1);
      expect(await findings(page).first().getAttribute('data-rule')).toBe('jargon.courier');
      // Now the answer for 我哪知道 (a blocking finding) arrives, late: it is ignored.
      const late = page.waitForResponse((r) => r.url().endsWith('/api/v1/guard/check') && (r.request().postData() ?? '').includes('我哪知道'));
      await held[0]!.continue();
      await late;
      await page.waitForTimeout(200);
      expect(await findings(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-rule')))).toEqual(['jargon.courier']);
      expect(await page.locator('[data-testid=highlights] mark').allInnerTexts()).toEqual(['派件员']);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
