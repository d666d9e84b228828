/** The admin screens' pure parts: server refusals split by field, minutes and JSON parsing, sections and who sees them. */
import { describe, expect, it } from 'vitest';
import { navFor, STAFF_ROLES } from '../../web/agent/app/nav.ts';
import { formErrors, parseJson, parseMinutes, splitMinutes } from '../../web/agent/modules/admin/utils/field-errors.ts';
import { isDate, synonymsToText, textToDates, textToSynonyms } from '../../web/agent/modules/admin/utils/list-text.ts';
import { ADMIN_SECTIONS, isAdmin, sectionFor } from '../../web/agent/modules/admin/utils/sections.ts';

describe('formErrors', () => {
  it('puts each schema clause by its body field, the first message per field', () => {
    const e = formErrors({ status: 400, code: 'validation_failed', message: 'body.username: username: 2–64 letters, digits or _ . @ -; body.password: Too small: expected string to have >=8 characters; body.password: again' });
    expect(e).toEqual({ fields: { username: 'username: 2–64 letters, digits or _ . @ -', password: 'Too small: expected string to have >=8 characters' }, form: null });
  });
  it('names the top-level field for a nested path', () => {
    expect(formErrors({ status: 400, code: 'validation_failed', message: 'body.events.0: Invalid option' }).fields).toEqual({ events: 'Invalid option' });
  });
  it('keeps a message that names no field for the form', () => {
    expect(formErrors({ status: 400, code: 'validation_failed', message: 'a business-hours policy needs a calendarId' })).toEqual({ fields: {}, form: 'a business-hours policy needs a calendarId' });
    expect(formErrors({ status: 400, code: 'validation_failed', message: 'params.id: Invalid UUID' })).toEqual({ fields: {}, form: 'params.id: Invalid UUID' });
    expect(formErrors({ status: 403, code: 'forbidden', message: 'only admins manage users' })).toEqual({ fields: {}, form: 'only admins manage users' });
  });
  it('puts a conflict on the field the form names, and details.field where a service set it', () => {
    expect(formErrors({ status: 409, code: 'conflict', message: 'username x is taken' }, { conflictField: 'username' })).toEqual({ fields: { username: 'username x is taken' }, form: null });
    expect(formErrors({ status: 409, code: 'conflict', message: 'taken' })).toEqual({ fields: {}, form: 'taken' });
    expect(formErrors({ status: 400, code: 'validation_failed', message: 'bad weight', details: { field: 'weightKg' } }).fields).toEqual({ weightKg: 'bad weight' });
  });
});

describe('minutes and JSON', () => {
  it('accepts positive minutes up to a year', () => {
    expect(parseMinutes(' 30 ')).toBe(30);
    expect(parseMinutes('1.5')).toBe(1.5);
    expect(parseMinutes('525600')).toBe(525_600);
    for (const bad of ['', '0', '-5', 'abc', '1e3', '525601', '30分钟']) expect(parseMinutes(bad), bad).toBeNull();
  });
  it('splits minutes into days, hours and minutes', () => {
    expect(splitMinutes(1530)).toEqual({ days: 1, hours: 1, minutes: 30 });
    expect(splitMinutes(59.6)).toEqual({ days: 0, hours: 1, minutes: 0 });
  });
  it('parses JSON or says why not', () => {
    expect(parseJson('{"a":[1]}')).toEqual({ ok: true, value: { a: [1] } });
    const bad = parseJson('{a:1}');
    expect(bad.ok).toBe(false);
  });
});

describe('admin sections and navigation', () => {
  it('maps paths to sections; /admin is the first', () => {
    expect(sectionFor('/admin')?.slug).toBe('sla');
    expect(sectionFor('/admin/users')?.slug).toBe('users');
    expect(sectionFor('/admin/users/')?.slug).toBe('users');
    expect(sectionFor('/admin/nope')).toBeNull();
    expect(sectionFor('/administrator')).toBeNull();
    expect(new Set(ADMIN_SECTIONS.map((s) => s.slug)).size).toBe(ADMIN_SECTIONS.length);
  });
  it('shows the admin row to admins only', () => {
    for (const r of STAFF_ROLES) expect(navFor(r).some((n) => n.to === '/admin'), r).toBe(r === 'admin');
    expect(isAdmin('admin')).toBe(true);
    expect(isAdmin('supervisor')).toBe(false);
  });
});

describe('synonym lines and date lines', () => {
  it('round-trips synonym groups through lines, splitting on spaces, commas and 、, dropping repeats and blank lines', () => {
    const groups = [['拒收', '拒签'], ['快递员', '小哥', '派件员']];
    expect(textToSynonyms(synonymsToText(groups))).toEqual({ ok: true, value: groups });
    expect(textToSynonyms('拒收,拒签\n\n 快递员、小哥 小哥 ,派件员 \n')).toEqual({ ok: true, value: groups });
    expect(textToSynonyms('拒收 拒签\n丢件\n')).toEqual({ ok: false, line: 2, reason: 'one_word' });
    expect(textToSynonyms('')).toEqual({ ok: true, value: [] });
  });
  it('reads dates one per line with notes, sorted and once each; names the first bad line', () => {
    expect(textToDates('2026-10-02 国庆\n2026-10-01\n\n2026-10-01')).toEqual({ ok: true, value: ['2026-10-01', '2026-10-02'] });
    expect(textToDates('2026-10-01\n2026-02-30')).toEqual({ ok: false, line: 2, reason: 'bad_date' });
    expect(textToDates('10/01/2026')).toEqual({ ok: false, line: 1, reason: 'bad_date' });
    expect(isDate('2028-02-29')).toBe(true);
    expect(isDate('2026-02-29')).toBe(false);
  });
});
