/**
 * The admin screens in a real browser (Debian's Chromium) against a real server and database: an
 * admin signs in, opens SLA policies, shortens a first-response target, and the open ticket under
 * that policy has its deadline moved at once (checked through the API before and after); then
 * creates a user, is told by the field what is wrong, fixes it, and the user is listed. An agent
 * sees no admin navigation and is refused clearly at an admin URL. Then (round 2): an account
 * disabled and re-enabled (its session refused at once, its sign-in told why), a new business
 * calendar past its field errors, a category deleted or, in use, switched off instead, the
 * language-guard editor (word lists, a rule, "try it" on the unsaved draft, a refused rule named
 * by its row) and the dashboard targets. Screenshots go to docs/screenshots/ (UPDATE_SCREENSHOTS=1).
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
      // The server's issues, worded in Chinese by their zod code (utils/issue-messages.ts), not its English.
      await eventually(() => page.locator('[data-testid=user-username-error]').innerText()).toBe('用户名须为 2–64 位字母、数字或 _ . @ -');
      expect(await page.locator('[data-testid=user-password-error]').innerText()).toBe('至少 8 个字符');
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

  it('an admin disables an account (refused at once, its sign-in told why) and re-enables it; never their own', async () => {
    const victim = await h.user('agent');
    const { context, page, errors } = await openPage(browser, h.url);
    try {
      await signInAt(page, admin);
      await page.goto('/admin/users');
      const list = page.locator('[data-testid=user-list]');
      await eventually(() => list.innerText()).toContain(victim.username);
      // One's own row has no disable button.
      const own = page.locator('[data-testid=user-row]', { hasText: admin.username });
      expect(await own.innerText()).toContain('(我)');
      expect(await own.getByRole('button', { name: `停用「${admin.username}」` }).count()).toBe(0);

      await page.getByRole('button', { name: `停用「${victim.username}」` }).click();
      const confirm = page.locator('[data-testid=disable-confirm]');
      expect(await confirm.innerText()).toContain('立即退出登录');
      expect((await victim.client.get('/api/v1/me')).status).toBe(200);
      await confirm.getByRole('button', { name: '确认停用' }).click();
      await eventually(() => page.locator('[data-testid=admin-status]').innerText()).toBe(`已停用 ${victim.username}`);
      const row = page.locator('[data-testid=user-row]', { hasText: victim.username });
      await eventually(() => row.locator('[data-testid=user-state]').innerText()).toMatch(/^已停用\(/);
      expect((await victim.client.get('/api/v1/me')).status).toBe(401);
      await screenshot(page, 'admin-user-disabled');

      // The disabled agent signing in is told why, in Chinese.
      const other = await openPage(browser, h.url);
      try {
        await other.page.goto('/');
        await other.page.locator('[data-testid=login-form]').waitFor();
        await other.page.getByLabel('用户名').fill(victim.username);
        await other.page.getByLabel('密码').fill(PASSWORD);
        await other.page.getByRole('button', { name: '登录' }).click();
        await eventually(() => other.page.getByRole('alert').innerText()).toBe('该账号已被管理员停用,无法登录;如有疑问请联系管理员');
      } finally {
        await other.context.close();
      }

      await row.getByRole('button', { name: `重新启用「${victim.username}」` }).click();
      await eventually(() => page.locator('[data-testid=admin-status]').innerText()).toBe(`已重新启用 ${victim.username}`);
      await eventually(() => row.locator('[data-testid=user-state]').innerText()).toBe('正常');
      expect((await h.anon.post('/api/v1/auth/login', { username: victim.username, password: PASSWORD }, { 'x-forwarded-for': '10.250.2.1' })).status).toBe(200);
      await expectNoMissingKeys(page);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('an admin creates a calendar past its field errors, and deletes a category or switches a used one off', async () => {
    const uid = h.uid();
    const unused = await admin.client.post('/api/v1/categories', { code: `del_${uid}`, nameZh: `待删 ${uid}`, nameEn: `Delete ${uid}` });
    const used = await admin.client.post('/api/v1/categories', { code: `used_${uid}`, nameZh: `在用 ${uid}`, nameEn: `Used ${uid}` });
    expect((await agent.client.post('/api/v1/tickets', { type: 'consultation', channel: 'phone', subject: `分类 ${uid}`, categoryId: used.body.id })).status).toBe(201);
    const { context, page, errors } = await openPage(browser, h.url);
    try {
      await signInAt(page, admin);
      await page.goto('/admin/calendars');
      await page.getByRole('button', { name: '新建日历' }).click();
      const form = page.getByRole('form', { name: '新建日历' });
      await form.getByLabel('代码').fill('Bad Code');
      await form.getByLabel('名称').fill(`乌鲁木齐网点 ${uid}`);
      await form.getByLabel('时区').fill('Mars/Olympus');
      await form.getByLabel('星期三').fill('18:00-09:00');
      await form.getByLabel('星期六').fill('10:00-14:00');
      await form.getByLabel('节假日').fill('2026-10-01 国庆\n2026-13-01');
      await form.getByRole('button', { name: '创建' }).click();
      // Each part named by its field, before anything is sent.
      await eventually(() => page.locator('[data-testid=cal-code-error]').innerText()).toBe('代码只能用小写字母、数字和 _ . -');
      expect(await page.locator('[data-testid=cal-zone-error]').innerText()).toBe('不是有效的时区(如 Asia/Shanghai)');
      expect(await page.locator('[data-testid=cal-day3-error]').innerText()).toBe('每段的开始时间要早于结束时间');
      expect(await page.locator('[data-testid=cal-holidays-error]').innerText()).toBe('第 2 行不是有效日期(格式 2026-10-01)');
      expect(await form.getByLabel('星期三').getAttribute('aria-invalid')).toBe('true');
      await screenshot(page, 'admin-calendar-errors');
      const code = `urc-${uid}`;
      await form.getByLabel('代码').fill(code);
      await form.getByLabel('时区').fill('Asia/Urumqi');
      await form.getByLabel('星期三').fill('10:00-13:00, 14:30-19:00');
      await form.getByLabel('节假日').fill('2026-10-01 国庆\n2026-10-02');
      await form.getByRole('button', { name: '创建' }).click();
      await eventually(() => page.locator('[data-testid=admin-status]').innerText()).toBe(`已创建日历「乌鲁木齐网点 ${uid}」`);
      await eventually(() => page.locator('[data-testid=calendar-row]', { hasText: code }).innerText()).toContain('Asia/Urumqi');
      const cal = (await admin.client.get('/api/v1/calendars')).body.items.find((c: { code: string }) => c.code === code);
      expect(cal.definition).toMatchObject({ timeZone: 'Asia/Urumqi', holidays: ['2026-10-01', '2026-10-02'], workdays: [] });
      expect(cal.definition.weeklyHours['3']).toEqual([{ start: '10:00', end: '13:00' }, { start: '14:30', end: '19:00' }]);
      expect(cal.definition.weeklyHours['6']).toEqual([{ start: '10:00', end: '14:00' }]);
      expect(cal.definition.weeklyHours['7']).toEqual([]);
      // The same code again: the server's conflict, shown by the code field.
      await page.getByRole('button', { name: '新建日历' }).click();
      await form.getByLabel('代码').fill(code);
      await form.getByLabel('名称').fill('重复');
      await form.getByRole('button', { name: '创建' }).click();
      await eventually(() => page.locator('[data-testid=cal-code-error]').innerText()).toBe('已被使用,请换一个');
      await form.getByRole('button', { name: '取消' }).click();

      await page.getByRole('navigation', { name: '管理菜单' }).getByRole('link', { name: '工单分类' }).click();
      await page.getByRole('button', { name: `删除「del_${uid}」` }).click();
      await page.locator('[data-testid=category-delete]').getByRole('button', { name: '确认删除' }).click();
      await eventually(() => page.locator('[data-testid=admin-status]').innerText()).toBe(`已删除「del_${uid}」`);
      expect((await admin.client.get('/api/v1/categories')).body.items.some((c: { id: string }) => c.id === unused.body.id)).toBe(false);
      await page.getByRole('button', { name: `删除「used_${uid}」` }).click();
      const panel = page.locator('[data-testid=category-delete]');
      await panel.getByRole('button', { name: '确认删除' }).click();
      await eventually(() => panel.getByRole('alert').innerText()).toBe(`「used_${uid}」已被使用(1 张工单),不能删除。可以改为停用:已有工单保留这个分类,新工单不能再选。`);
      await screenshot(page, 'admin-category-in-use');
      await panel.getByRole('button', { name: '改为停用' }).click();
      await eventually(() => page.locator('[data-testid=admin-status]').innerText()).toBe(`已停用「used_${uid}」`);
      expect((await admin.client.get('/api/v1/categories')).body.items.find((c: { id: string }) => c.id === used.body.id).active).toBe(false);
      await expectNoMissingKeys(page);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('the language-guard editor: word lists and a rule tried on the unsaved draft, a bad rule refused by its row; the dashboard targets', async () => {
    const uid = h.uid();
    const word = `咱家${uid}`;
    const { context, page, errors } = await openPage(browser, h.url);
    try {
      await signInAt(page, admin);
      await page.goto('/admin/settings');
      // A setting's JSON refused by its schema: each issue by its path, in Chinese (nothing is stored).
      await page.getByLabel('设置项').selectOption('auth.lockout');
      const json = page.getByRole('textbox', { name: 'auth.lockout' });
      await json.fill('{ "maxFailures": 0, "lockMinutes": "15" }');
      await page.getByRole('form', { name: 'auth.lockout' }).getByRole('button', { name: '保存' }).click();
      await eventually(() => page.locator('[data-testid=json-issues] li').allInnerTexts()).toEqual(['maxFailures 不能小于 1', 'lockMinutes 请填写数字']);
      await page.getByLabel('设置项').selectOption('guard.rules');
      const editor = page.locator('[data-testid=guard-editor]');
      await editor.waitFor();
      // Each lexicon class as lines: SELF shows its words one per line.
      const self = editor.getByRole('textbox', { name: '词库 SELF 的词' });
      // (What the page loaded: another file may change guard.rules meanwhile, so the shipped words are checked.)
      expect((await self.inputValue()).split('\n')).toEqual(expect.arrayContaining(['我', '本人']));
      const rowsBefore = await editor.locator('[data-testid=guard-rule-row]').count();
      expect(rowsBefore).toBeGreaterThan(10);
      // A word added to a class, and a new rule naming a new class, in the draft only.
      await self.fill(`${await self.inputValue()}\n${word}`);
      await editor.getByPlaceholder('新词库名称(大写英文,如 TIME)').fill('TRYOUT');
      await editor.getByRole('button', { name: '添加词库' }).click();
      await editor.getByRole('textbox', { name: '词库 TRYOUT 的词' }).fill(`试试看${uid}\n再试${uid}`);
      await editor.getByRole('button', { name: '添加规则' }).click();
      const ruleForm = page.locator('[data-testid=guard-rule-form]');
      await ruleForm.getByLabel('规则编号').fill(`forbidden.tryout_${uid}`);
      await ruleForm.getByLabel('匹配式').fill('{TRYOUT}{NOPE}');
      await ruleForm.getByRole('button', { name: '放入草稿' }).click();
      await eventually(() => page.locator('[data-testid=rule-pattern-error]').innerText()).toBe('匹配式用了不存在的词库 NOPE');
      await ruleForm.getByLabel('匹配式').fill('{TRYOUT}');
      await ruleForm.getByLabel('建议用语', { exact: true }).fill('我马上为您处理');
      await ruleForm.getByRole('button', { name: '放入草稿' }).click();
      await eventually(() => editor.locator('[data-testid=guard-rule-row]').count()).toBe(rowsBefore + 1);
      expect(await page.locator('[data-testid=guard-status]').innerText()).toBe('有未保存的修改');

      // Try it: the unsaved draft finds both the new rule and the class word; nothing is stored.
      await editor.getByPlaceholder('示例回复').fill(`您好,再试${uid},${word}不知道`);
      await editor.getByRole('button', { name: '检查' }).click();
      const result = page.locator('[data-testid=guard-try-result]');
      await eventually(() => result.innerText()).toContain(`forbidden.tryout_${uid}`);
      expect(await result.innerText()).toContain(`「再试${uid}」`);
      expect(await result.innerText()).toContain('我马上为您处理');
      expect(await result.innerText()).toContain(`「${word}不知道」`);
      const live = await admin.client.post('/api/v1/guard/check', { text: `您好,再试${uid}`, channel: 'chat' });
      expect(live.body.findings).toEqual([]);
      await screenshot(page, 'admin-guard-editor');

      // A rule whose pattern does not compile: the server refuses (422) and the editor marks its row; nothing is saved.
      const last = editor.locator('[data-testid=guard-rule-row]').last();
      await last.getByRole('button', { name: `编辑「forbidden.tryout_${uid}」` }).click();
      await ruleForm.getByLabel('匹配式').fill('{TRYOUT}(');
      await ruleForm.getByRole('button', { name: '放入草稿' }).click();
      await page.getByRole('button', { name: '保存话术规则' }).click();
      await eventually(() => page.locator('[data-testid=guard-problem] [data-testid=form-error]').innerText()).toBe(`规则「forbidden.tryout_${uid}」无法保存:匹配式写法有误或用了不存在的词库`);
      expect(await last.getAttribute('aria-invalid')).toBe('true');
      // Nothing of the draft was stored (other files change guard.rules meanwhile: the draft's own marks are checked).
      const after = (await admin.client.get('/api/v1/settings')).body['guard.rules'];
      expect(after.rules.some((r: { id: string }) => r.id === `forbidden.tryout_${uid}`)).toBe(false);
      expect(after.classes.TRYOUT).toBeUndefined();
      expect(after.classes.SELF).not.toContain(word);
      // Removing the refused rule from the draft clears its mark.
      await last.getByRole('button', { name: `删除规则「forbidden.tryout_${uid}」` }).click();
      await eventually(() => editor.locator('[data-testid=guard-rule-row]').count()).toBe(rowsBefore);
      expect(await page.locator('[data-testid=guard-problem] [data-testid=form-error]').innerText()).toBe('');
      await expectNoMissingKeys(page);

      // The dashboard targets as percentages: a wrong one named by its field; a save sent as fractions. (The
      // value saved is the one there, so the run's shared setting does not change under other files.)
      const before = (await admin.client.get('/api/v1/settings')).body['reports.targets'];
      await page.getByLabel('设置项').selectOption('reports.targets');
      const targets = page.locator('[data-testid=targets-editor]');
      const sla = targets.getByLabel('SLA 达标率目标(%)');
      const shown = String(Math.round(before.slaCompliance * 1000) / 10);
      expect(await sla.inputValue()).toBe(shown);
      expect(await targets.getByLabel('客户满意度目标(%)').inputValue()).toBe(String(Math.round(before.csat * 1000) / 10));
      await sla.fill('150');
      await targets.getByRole('button', { name: '保存' }).click();
      await eventually(() => page.locator('[data-testid=target-slaCompliance-error]').innerText()).toBe('请填写 0 到 100 之间的数字');
      await sla.fill(`${shown} %`);
      await targets.getByRole('button', { name: '保存' }).click();
      await eventually(() => targets.getByRole('status').innerText()).toBe('已保存');
      const saved = await h.ctx.db.pool.query<{ data: { value: unknown } }>("SELECT data FROM audit_log WHERE action = 'setting.update' AND entity_id = 'reports.targets' AND actor_id = $1", [admin.id]);
      expect(saved.rows.map((r) => r.data.value)).toEqual([before]);
      await screenshot(page, 'admin-targets');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
