/**
 * The admin screens in a real browser (Debian's Chromium) against a real server and database: an
 * admin signs in, opens SLA policies, shortens a first-response target, and the open ticket under
 * that policy has its deadline moved at once (checked through the API before and after); then
 * creates a user, is told by the field what is wrong, fixes it, and the user is listed. An agent
 * sees no admin navigation and is refused clearly at an admin URL. Screenshots go to
 * docs/screenshots/ (UPDATE_SCREENSHOTS=1).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, startHarness, type Harness, type TestUser } from '../support/harness.ts';
import { eventually, expectNoMissingKeys, launchBrowser, openPage, screenshot, signInStaff } from './browser.ts';

let h: Harness;
let browser: Browser;
let admin: TestUser;
let agent: TestUser;

beforeAll(async () => {
  [h, browser] = await Promise.all([startHarness(), launchBrowser()]);
  [admin, agent] = await Promise.all([h.user('admin'), h.user('agent')]);
});
afterAll(async () => {
  await browser?.close();
  await h?.close();
});

const signInAt = (page: Page, user: TestUser): Promise<void> => signInStaff(page, user.username, PASSWORD, '[data-testid=incoming]');

async function firstResponse(ticketId: string): Promise<{ dueAt: string; slaDueAt: string | null }> {
  const res = await admin.client.get(`/api/v1/tickets/${ticketId}`);
  expect(res.status).toBe(200);
  const clock = (res.body.clocks as { clock: string; dueAt: string }[]).find((c) => c.clock === 'first_response')!;
  return { dueAt: clock.dueAt, slaDueAt: res.body.slaDueAt };
}

describe('the admin screens', () => {
  it('an admin changes an SLA target and the ticket\'s deadline moves; creates a user past a validation error', async () => {
    // A policy of this test's own (its own category), so no other test's tickets are re-timed.
    const uid = h.uid();
    const cat = await admin.client.post('/api/v1/categories', { code: `adm_${uid}`, nameZh: `管理测试 ${uid}`, nameEn: `Admin test ${uid}` });
    expect(cat.status, JSON.stringify(cat.body)).toBe(201);
    const name = `首次响应测试 ${uid}`;
    const policy = await admin.client.post('/api/v1/sla-policies', {
      clock: 'first_response', nameZh: name, nameEn: `First response ${uid}`, categoryCode: `adm_${uid}`, targetMinutes: 600, mode: 'calendar', startsOn: 'ticket_created', stopsOn: 'agent_reply',
    });
    expect(policy.status, JSON.stringify(policy.body)).toBe(201);
    const created = await agent.client.post('/api/v1/tickets', { type: 'consultation', channel: 'chat', subject: `时限测试 ${uid}`, categoryId: cat.body.id });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const before = await firstResponse(created.body.id);
    const teamName = `管理测试组 ${uid}`;
    expect((await admin.client.post('/api/v1/teams', { code: `adm_${uid}`, name: teamName })).status).toBe(201);

    const { context, page, errors } = await openPage(browser, h.url);
    try {
      await signInAt(page, admin);
      const opened = Date.now();
      await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '系统管理' }).click();
      await page.waitForURL('**/admin');
      await page.locator('[data-testid=sla-row]').first().waitFor();
      const shownMs = Date.now() - opened;
      console.log(`admin SLA policies shown ${shownMs} ms after the click (admin chunks loaded on demand)`);
      expect(shownMs).toBeLessThan(3000);
      await page.getByRole('button', { name: `编辑「${name}」` }).click();
      const form = page.getByRole('form', { name: `修改「${name}」` });
      const target = form.getByLabel('时限(分钟)');
      expect(await target.inputValue()).toBe('600');
      // A wrong value is named by the field, and nothing is sent.
      await target.fill('0');
      await form.getByRole('button', { name: '保存' }).click();
      await eventually(() => form.locator('.field-error').first().innerText()).toContain('请填写大于 0');
      await target.fill('30');
      await form.getByRole('button', { name: '保存' }).click();
      await eventually(() => page.locator('[data-testid=admin-status]').innerText()).toContain('1 个未结工单');
      await eventually(() => page.locator('[data-testid=sla-row]', { hasText: name }).innerText()).toContain('30 分钟');
      await expectNoMissingKeys(page);
      await screenshot(page, 'admin-sla');

      const after = await firstResponse(created.body.id);
      expect(new Date(before.dueAt).getTime() - new Date(after.dueAt).getTime()).toBe(570 * 60_000);
      expect(after.slaDueAt).toBe(after.dueAt);

      // A new user: a too-short username and password are refused by the server, shown by each field.
      await page.getByRole('link', { name: '用户与角色' }).click();
      await page.waitForURL('**/admin/users');
      await page.getByRole('button', { name: '新建用户' }).click();
      const userForm = page.locator('[data-testid=user-create]');
      await userForm.getByLabel('用户名').fill('x');
      await userForm.getByLabel('初始密码').fill('short');
      await userForm.getByLabel('角色').selectOption('team_lead');
      await userForm.getByRole('button', { name: '创建' }).click();
      await eventually(() => page.locator('[data-testid=user-username-error]').innerText()).toContain('2–64');
      expect(await page.locator('[data-testid=user-password-error]').innerText()).not.toBe('');
      expect(await userForm.getByLabel('用户名').getAttribute('aria-invalid')).toBe('true');
      await screenshot(page, 'admin-user-error');
      const username = `lead_${uid}`;
      await userForm.getByLabel('用户名').fill(username);
      await userForm.getByLabel('显示名称').fill('王组长');
      await userForm.getByLabel('初始密码').fill(PASSWORD);
      await userForm.getByRole('button', { name: '创建' }).click();
      await eventually(() => page.locator('[data-testid=admin-status]').innerText()).toContain(`已创建用户 ${username}`);
      await eventually(() => page.locator('[data-testid=user-list]').innerText()).toContain(username);
      const login = await h.anon.post('/api/v1/auth/login', { username, password: PASSWORD }, { 'x-forwarded-for': '10.250.1.1' });
      expect(login.status).toBe(200);

      // Every section opens without an error or a missing string; an API key is shown once and then listed by its prefix.
      for (const [link, testid] of [['班组', 'admin-teams'], ['工作日历与节假日', 'admin-calendars'], ['工单分类', 'admin-categories'], ['API 密钥', 'admin-api-keys'], ['Webhook 推送', 'admin-webhooks'], ['其他设置', 'admin-settings']] as const) {
        await page.getByRole('navigation', { name: '管理菜单' }).getByRole('link', { name: link }).click();
        await page.locator(`[data-testid=${testid}] h1`).waitFor();
        await eventually(() => page.locator(`[data-testid=${testid}]`).innerText()).not.toContain('加载中');
        await expectNoMissingKeys(page);
        if (testid === 'admin-api-keys') {
          await page.getByRole('form', { name: '新建 API 密钥' }).getByLabel('名称').fill(`运营系统 ${uid}`);
          await page.getByRole('form', { name: '新建 API 密钥' }).getByRole('button', { name: '创建' }).click();
          const key = await page.locator('[data-testid=new-key] .secret').innerText();
          expect(key.length).toBeGreaterThan(20);
          await eventually(() => page.locator('[data-testid=key-list]').innerText()).toContain(`运营系统 ${uid}`);
          expect(await page.locator('[data-testid=key-list]').innerText()).not.toContain(key);
        }
        if (testid === 'admin-teams') {
          await page.getByRole('button', { name: `「${teamName}」的成员` }).click();
          const members = page.locator('[data-testid=team-members]');
          await members.getByRole('checkbox').first().check();
          await members.getByRole('button', { name: '保存' }).click();
          await eventually(() => page.locator('[data-testid=admin-status]').innerText()).toContain(`已保存「${teamName}」的成员`);
          const team = (await admin.client.get('/api/v1/teams')).body.items.find((x: { name: string }) => x.name === teamName);
          expect(team.members.length).toBe(1);
        }
        if (testid === 'admin-settings') {
          // The synonyms as lines: a one-word line is named before anything is sent (saving would change the run's shared setting).
          await page.getByLabel('设置项').selectOption('kb.synonyms');
          const syn = page.getByRole('textbox', { name: '知识库同义词' });
          expect((await syn.inputValue()).split('\n').length).toBeGreaterThan(3);
          await syn.fill(`${await syn.inputValue()}\n丢件`);
          await page.locator('[data-testid=synonyms-editor]').getByRole('button', { name: '保存' }).click();
          await eventually(() => page.locator('[data-testid=synonyms-editor] [data-testid=form-error]').innerText()).toMatch(/第 \d+ 行只有一个词/);
        }
        if (testid === 'admin-categories') {
          await page.getByRole('button', { name: `编辑「adm_${uid}」` }).click();
          const edit = page.locator('[data-testid=category-edit]');
          await edit.getByLabel('英文名称').fill('');
          await edit.getByRole('button', { name: '保存' }).click();
          await eventually(() => edit.locator('.field-invalid').count()).toBe(1);
          await edit.getByLabel('英文名称').fill(`Renamed ${uid}`);
          await edit.getByRole('button', { name: '保存' }).click();
          await eventually(() => page.locator('[data-testid=admin-status]').innerText()).toBe('已保存');
          const cats = (await admin.client.get('/api/v1/categories')).body.items;
          expect(cats.find((c: { id: string }) => c.id === cat.body.id).nameEn).toBe(`Renamed ${uid}`);
        }
        if (testid === 'admin-calendars') {
          await page.getByRole('button', { name: /^编辑「/ }).first().click();
          await page.locator('[data-testid=holidays-editor]').waitFor();
        }
        await screenshot(page, testid);
      }

      // Tablet width: the section menu goes above the section, nothing overflows sideways.
      await page.setViewportSize({ width: 768, height: 1024 });
      await page.getByRole('link', { name: 'SLA 策略' }).click();
      await page.locator('[data-testid=sla-row]').first().waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(768);
      await screenshot(page, 'admin-sla-tablet');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('an agent sees no admin navigation and is refused at an admin URL', async () => {
    const { context, page, errors } = await openPage(browser, h.url);
    try {
      await signInAt(page, agent);
      const nav = page.getByRole('navigation', { name: '主导航' });
      await nav.getByRole('link', { name: '工单' }).waitFor();
      expect(await nav.getByRole('link', { name: '系统管理' }).count()).toBe(0);
      await page.goto('/admin/sla');
      const refusal = page.locator('[data-testid=admin-refusal]');
      await refusal.waitFor();
      expect(await refusal.getAttribute('role')).toBe('alert');
      expect(await refusal.innerText()).toContain('仅限管理员');
      expect(await page.locator('[data-testid=admin-sla]').count()).toBe(0);
      await screenshot(page, 'admin-refused');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
