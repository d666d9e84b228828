/**
 * The admin screens' second round of pure parts: validation issues worded per language (by zod
 * code and field, service codes, the server's text as fallback), the new-calendar form, the
 * language guard's draft edits, the KPI targets as percentages, and a category's uses.
 */
import { describe, expect, it } from 'vitest';
import { AGENT_DICTIONARIES } from '../../web/shared/i18n/agent-dictionaries.ts';
import { translateWith } from '../../web/shared/i18n/core.ts';
import { calendarBody, defaultWeek, isTimeZone, rangesToText, textToRanges } from '../../web/agent/modules/admin/utils/calendar-form.ts';
import { inUseParts } from '../../web/agent/modules/admin/utils/category-use.ts';
import { formErrors, type Issue } from '../../web/agent/modules/admin/utils/field-errors.ts';
import { addClass, classesIn, fromDraft, putRule, removeClass, removeRule, ruleMatchText, setClassWords, setSuggestion, textToWords, toDraft, type GuardConfig } from '../../web/agent/modules/admin/utils/guard-config.ts';
import { issueText } from '../../web/agent/modules/admin/utils/issue-messages.ts';
import { fractionToPercent, percentToFraction } from '../../web/agent/modules/admin/utils/targets.ts';

const say = (lang: 'zh' | 'en') => (issue: Issue): string | null => {
  const x = issueText(issue);
  return x ? translateWith(AGENT_DICTIONARIES, lang, x.key, x.params) : null;
};

describe('validation issues in the user\'s language', () => {
  // As the server sends them for POST /users { username: 'x', password: 'short', role: 'boss', capacity: 9999 }.
  const err = {
    status: 400, code: 'validation_failed', message: 'body.username: …; body.password: …',
    details: {
      issues: [
        { path: 'body.username', field: 'username', code: 'invalid_format', format: 'regex', message: 'username: 2–64 letters, digits or _ . @ -' },
        { path: 'body.password', field: 'password', code: 'too_small', minimum: 8, inclusive: true, origin: 'string', message: 'Too small: expected string to have >=8 characters' },
        { path: 'body.role', field: 'role', code: 'invalid_value', values: ['agent'], message: 'Invalid option' },
        { path: 'body.capacity', field: 'capacity', code: 'too_big', maximum: 500, inclusive: true, origin: 'number', message: 'Too big' },
        { path: 'body.displayName', field: 'displayName', code: 'too_small', minimum: 1, origin: 'string', message: 'Too small' },
        { path: 'body.targetMinutes', field: 'targetMinutes', code: 'too_small', minimum: 0, inclusive: false, origin: 'number', message: 'Too small' },
        { path: 'body.ticketId', field: 'ticketId', code: 'invalid_format', format: 'uuid', message: 'Invalid UUID' },
        { path: 'body.note', field: 'note', code: 'custom', message: 'the server says why' },
      ],
    },
  };
  it('words each field in Chinese, by code and limits, field-specific formats first', () => {
    const e = formErrors(err, { describe: say('zh') });
    expect(e.form).toBeNull();
    // The JSON editor lists every issue with its path.
    expect(e.issues?.slice(0, 2)).toEqual([{ path: 'body.username', text: '用户名须为 2–64 位字母、数字或 _ . @ -' }, { path: 'body.password', text: '至少 8 个字符' }]);
    expect(e).toMatchObject({
      fields: {
        username: '用户名须为 2–64 位字母、数字或 _ . @ -', password: '至少 8 个字符', role: '请从可选项中选择', capacity: '不能大于 500',
        displayName: '必填', targetMinutes: '须大于 0', ticketId: '请从可选项中选择', note: 'the server says why',
      },
      form: null,
    });
  });
  it('and in English', () => {
    const f = formErrors(err, { describe: say('en') }).fields;
    expect([f.username, f.password, f.capacity]).toEqual(['A username is 2–64 letters, digits or _ . @ -', 'At least 8 characters', 'Must be at most 500']);
  });
  it('keeps the server\'s text without a describer, and puts query issues on the form', () => {
    expect(formErrors(err).fields.password).toBe('Too small: expected string to have >=8 characters');
    const q = formErrors({ status: 400, code: 'validation_failed', message: 'querystring.limit: Too big', details: { issues: [{ path: 'querystring.limit', field: 'limit', code: 'too_big', maximum: 100, origin: 'number', message: 'Too big' }] } }, { describe: say('zh') });
    expect(q).toMatchObject({ fields: {}, form: '不能大于 100' });
  });
  it('words service codes: a calendar\'s parts, one\'s own account, a taken code', () => {
    const cal = formErrors({ status: 400, code: 'validation_failed', message: 'calendar is invalid: …', details: { issues: [{ path: 'body.definition.timeZone', field: 'timeZone', code: 'calendar_timeZone', message: 'timeZone "Mars" is not…' }] } }, { describe: say('zh') });
    expect(cal.fields).toEqual({ timeZone: '不是有效的时区(如 Asia/Shanghai)' });
    expect(formErrors({ status: 400, code: 'validation_failed', message: 'you cannot disable your own account', details: { field: 'disabled', code: 'self_disable' } }, { describe: say('zh') }).fields).toEqual({ disabled: '不能停用自己的账号' });
    expect(formErrors({ status: 409, code: 'conflict', message: 'username x is taken' }, { conflictField: 'username', describe: say('zh') }).fields).toEqual({ username: '已被使用,请换一个' });
    // A field a service named without a code keeps its text.
    expect(formErrors({ status: 400, code: 'validation_failed', message: 'bad weight', details: { field: 'weightKg' } }, { describe: say('zh') }).fields).toEqual({ weightKg: 'bad weight' });
  });
  it('has no words for codes it does not know', () => {
    expect(issueText({ field: 'x', code: 'custom', message: 'm' })).toBeNull();
    expect(issueText({ field: 'x', code: 'unrecognized_keys', message: 'm' })).toBeNull();
  });
});

describe('the new-calendar form', () => {
  it('reads a day\'s hours: ranges in any order, dashes of several kinds, empty = closed', () => {
    expect(textToRanges('13:30-18:00, 9:00–12:00')).toEqual({ ok: true, value: [{ start: '09:00', end: '12:00' }, { start: '13:30', end: '18:00' }] });
    expect(textToRanges('  ')).toEqual({ ok: true, value: [] });
    expect(textToRanges('08:00~24:00')).toEqual({ ok: true, value: [{ start: '08:00', end: '24:00' }] });
    expect(textToRanges('9点到6点')).toEqual({ ok: false, problem: 'format' });
    expect(textToRanges('25:00-26:00')).toEqual({ ok: false, problem: 'format' });
    expect(textToRanges('18:00-09:00')).toEqual({ ok: false, problem: 'order' });
    expect(textToRanges('09:00-12:00, 11:00-13:00')).toEqual({ ok: false, problem: 'overlap' });
    expect(rangesToText([{ start: '09:00', end: '12:00' }, { start: '13:00', end: '18:00' }])).toBe('09:00-12:00, 13:00-18:00');
  });
  it('knows time zones', () => {
    expect(isTimeZone('Asia/Shanghai')).toBe(true);
    expect(isTimeZone('Asia/Urumqi')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });
  it('builds the request body, or names every field and day at fault', () => {
    const ok = calendarBody({ code: ' gz-outlet ', name: '广州网点', timeZone: 'Asia/Shanghai', weekly: { ...defaultWeek(), '6': '10:00-16:00' }, holidays: '2026-10-02 国庆\n2026-10-01', workdays: '2026-09-27' });
    expect(ok).toEqual({
      ok: true,
      body: {
        code: 'gz-outlet', name: '广州网点',
        definition: {
          timeZone: 'Asia/Shanghai',
          weeklyHours: { '1': [{ start: '09:00', end: '18:00' }], '2': [{ start: '09:00', end: '18:00' }], '3': [{ start: '09:00', end: '18:00' }], '4': [{ start: '09:00', end: '18:00' }], '5': [{ start: '09:00', end: '18:00' }], '6': [{ start: '10:00', end: '16:00' }], '7': [] },
          holidays: ['2026-10-01', '2026-10-02'], workdays: [{ date: '2026-09-27' }],
        },
      },
    });
    const bad = calendarBody({ code: 'GZ', name: ' ', timeZone: 'Nowhere/Land', weekly: { ...defaultWeek(), '3': '18:00-09:00' }, holidays: '2026-10-01\n2026-02-30', workdays: '' });
    expect(bad).toEqual({ ok: false, problems: [
      { field: 'code', problem: 'format' }, { field: 'name', problem: 'required' }, { field: 'timeZone', problem: 'format' },
      { field: 'day3', problem: 'order' }, { field: 'holidays', problem: 'bad_date', line: 2 },
    ] });
  });
});

const CONFIG: GuardConfig = {
  version: 2,
  classes: { SELF: ['我', '本人'], KNOW: ['知道', '清楚'] },
  suggestions: { forbidden: '我帮您查一下' },
  adviceCategories: ['slang'],
  rules: [
    { id: 'forbidden.dont_know', category: 'forbidden', pattern: '{SELF}不{KNOW}', severity: 'block', channels: ['chat', 'phone', 'email'], exceptions: ['我不知道您是否'] },
    { id: 'slang.666', category: 'slang', phrases: ['666', 'emmm'], severity: 'warn', channels: ['chat'], suggestion: '去掉网络用语', advice: true },
  ],
};

describe('the language guard\'s draft', () => {
  it('lexicon classes as lines: trimmed, each word once, blank lines dropped', () => {
    expect(textToWords(' 我 \n\n本人\n我\n咱')).toEqual(['我', '本人', '咱']);
    expect(setClassWords(CONFIG, 'SELF', '我\n咱\n').classes.SELF).toEqual(['我', '咱']);
    expect(classesIn('{SELF}{~3}不{KNOW}{SELF}')).toEqual(['SELF', 'KNOW']);
  });
  it('adds a class with an upper-case new name only; removes one no rule names', () => {
    expect(addClass(CONFIG, 'TIME')?.classes.TIME).toEqual([]);
    expect(addClass(CONFIG, 'time')).toBeNull();
    expect(addClass(CONFIG, 'SELF')).toBeNull();
    expect(removeClass(CONFIG, 'SELF')).toBeNull();
    const unused = addClass(CONFIG, 'TIME')!;
    expect(Object.keys(removeClass(unused, 'TIME')!.classes)).toEqual(['SELF', 'KNOW']);
  });
  it('a category suggestion set or, when emptied, removed', () => {
    expect(setSuggestion(CONFIG, 'blame', ' 抱歉给您添麻烦了 ').suggestions).toEqual({ forbidden: '我帮您查一下', blame: '抱歉给您添麻烦了' });
    expect(setSuggestion(CONFIG, 'forbidden', '  ').suggestions).toEqual({});
  });
  it('edits a rule through its draft, keeping the fields the form does not show', () => {
    const d = toDraft(CONFIG.rules[0]!);
    expect(d).toMatchObject({ id: 'forbidden.dont_know', pattern: '{SELF}不{KNOW}', phrases: '', advice: false });
    const r = fromDraft({ ...d, severity: 'warn', suggestion: ' 我帮您确认 ', channels: ['email', 'chat'] }, CONFIG, 0);
    expect(r).toEqual({ ok: true, rule: { id: 'forbidden.dont_know', category: 'forbidden', pattern: '{SELF}不{KNOW}', severity: 'warn', channels: ['chat', 'email'], suggestion: '我帮您确认', exceptions: ['我不知道您是否'] } });
    const edited = putRule(CONFIG, 0, (r as { rule: GuardConfig['rules'][number] }).rule);
    expect(edited.rules[0]!.severity).toBe('warn');
    expect(edited.rules).toHaveLength(2);
    expect(ruleMatchText(CONFIG.rules[1]!)).toBe('666 | emmm');
  });
  it('a new rule by phrases; refuses a taken id, no pattern or phrase, an unknown class, no channel', () => {
    const added = fromDraft({ ...toDraft(null), id: 'forbidden.whatever', phrases: '随便你\n你自己看着办\n' }, CONFIG, null);
    expect(added).toMatchObject({ ok: true, rule: { id: 'forbidden.whatever', phrases: ['随便你', '你自己看着办'], severity: 'block' } });
    expect(putRule(CONFIG, null, (added as { rule: GuardConfig['rules'][number] }).rule).rules.map((r) => r.id)).toEqual(['forbidden.dont_know', 'slang.666', 'forbidden.whatever']);
    const bad = fromDraft({ ...toDraft(null), id: 'slang.666', pattern: '{NOPE}', channels: [] }, CONFIG, null);
    expect(bad).toEqual({ ok: false, problems: [{ field: 'id', problem: 'taken' }, { field: 'pattern', problem: 'unknown_class', name: 'NOPE' }, { field: 'channels', problem: 'required' }] });
    expect(fromDraft({ ...toDraft(null), id: 'x' }, CONFIG, null)).toEqual({ ok: false, problems: [{ field: 'pattern', problem: 'required' }] });
    // Its own id is not "taken" when editing it.
    expect(fromDraft(toDraft(CONFIG.rules[1]!), CONFIG, 1).ok).toBe(true);
    expect(removeRule(CONFIG, 0).rules.map((r) => r.id)).toEqual(['slang.666']);
  });
});

describe('KPI targets and a category\'s uses', () => {
  it('percentages to fractions and back', () => {
    expect(fractionToPercent(0.95)).toBe('95');
    expect(fractionToPercent(0.925)).toBe('92.5');
    expect(percentToFraction('95')).toBe(0.95);
    expect(percentToFraction(' 92.5 % ')).toBe(0.925);
    expect(percentToFraction('100')).toBe(1);
    expect(percentToFraction('0')).toBe(0);
    for (const bad of ['', '101', '-5', 'abc', '0.95.1']) expect(percentToFraction(bad), bad).toBeNull();
  });
  it('lists what uses a category, leaving out what does not', () => {
    expect(inUseParts({ tickets: 3, subcategories: 0, slaPolicies: 1, kbCategories: 0 })).toEqual([{ key: 'admin.categories.useTickets', n: 3 }, { key: 'admin.categories.useSlaPolicies', n: 1 }]);
    expect(inUseParts({})).toEqual([]);
  });
});
