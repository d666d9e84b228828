/**
 * A new business calendar: code, name, time zone, each weekday's hours, holidays and make-up
 * workdays. The form checks each part first (utils/calendar-form.ts) and names the field and the
 * day or line; the server checks again and its refusal lands on the same fields.
 */
import { useState, type FormEvent } from 'react';
import { api } from '../../../../shared/api/client.ts';
import { useI18n, type AgentMessageKey } from '../../../app/i18n.ts';
import { useSubmit } from '../hooks/useSubmit.ts';
import { calendarBody, defaultWeek, WEEKDAYS, type CalendarForm, type CalendarFormProblem } from '../utils/calendar-form.ts';
import { Field, FormMessage } from './Field.tsx';

const DAY_KEYS: Record<(typeof WEEKDAYS)[number], AgentMessageKey> = {
  '1': 'admin.calendars.day1', '2': 'admin.calendars.day2', '3': 'admin.calendars.day3', '4': 'admin.calendars.day4', '5': 'admin.calendars.day5', '6': 'admin.calendars.day6', '7': 'admin.calendars.day7',
};

function problemText(p: CalendarFormProblem, t: (k: AgentMessageKey, params?: Record<string, string | number>) => string): string {
  if (p.problem === 'required') return t('admin.issue.required');
  if (p.problem === 'bad_date') return t('admin.calendars.badDate', { line: p.line });
  if (p.field === 'code') return t('admin.issue.code');
  if (p.field === 'timeZone') return t('admin.issue.calendarTimeZone');
  return t(p.problem === 'format' ? 'admin.calendars.hoursFormat' : p.problem === 'order' ? 'admin.calendars.hoursOrder' : 'admin.calendars.hoursOverlap');
}

export function CreateCalendar({ onDone }: { onDone(msg: string): void }) {
  const { t } = useI18n();
  const [form, setForm] = useState<CalendarForm>({ code: '', name: '', timeZone: 'Asia/Shanghai', weekly: defaultWeek(), holidays: '', workdays: '' });
  const { busy, errors, setErrors, run } = useSubmit({ conflictField: 'code' });
  const set = (k: 'code' | 'name' | 'timeZone' | 'holidays' | 'workdays') => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const parsed = calendarBody(form);
    if (!parsed.ok) {
      const fields: Record<string, string> = {};
      for (const p of parsed.problems) fields[p.field] ??= problemText(p, t);
      return setErrors({ fields, form: null });
    }
    const made = await run(() => api<{ id: string; name: string }>('POST', '/calendars', { body: parsed.body }));
    if (made) onDone(t('admin.calendars.created', { name: made.name }));
  };
  // The server names weeklyHours as a whole; the form shows it above the days.
  const weekError = errors.fields.weeklyHours ?? errors.fields.definition;
  return (
    <form className="card admin-form" onSubmit={(e) => void submit(e)} aria-label={t('admin.calendars.create')} data-testid="calendar-create" noValidate>
      <h2 className="wide">{t('admin.calendars.create')}</h2>
      <Field id="cal-code" label={t('admin.field.code')} error={errors.fields.code} hint={t('admin.calendars.codeHint')}>{(a) => <input {...a} value={form.code} onChange={set('code')} />}</Field>
      <Field id="cal-name" label={t('admin.field.name')} error={errors.fields.name}>{(a) => <input {...a} value={form.name} onChange={set('name')} />}</Field>
      <Field id="cal-zone" label={t('admin.calendars.zone')} error={errors.fields.timeZone} hint={t('admin.calendars.zoneHint')}>{(a) => <input {...a} value={form.timeZone} onChange={set('timeZone')} />}</Field>
      <fieldset className="wide">
        <legend>{t('admin.calendars.weekly')}</legend>
        <p className="muted" id="cal-week-hint">{t('admin.calendars.weeklyHint')}</p>
        {weekError ? <p className="field-error" role="alert">{weekError}</p> : null}
        <div className="week-hours">
          {WEEKDAYS.map((d) => (
            <Field key={d} id={`cal-day${d}`} label={t(DAY_KEYS[d])} error={errors.fields[`day${d}`]}>
              {(a) => <input {...a} placeholder={t('admin.calendars.closed')} value={form.weekly[d]} onChange={(e) => setForm((f) => ({ ...f, weekly: { ...f.weekly, [d]: e.target.value } }))} />}
            </Field>
          ))}
        </div>
      </fieldset>
      <Field id="cal-holidays" label={t('admin.calendars.holidays')} error={errors.fields.holidays} hint={t('admin.calendars.datesHint')}>{(a) => <textarea {...a} className="json-editor" value={form.holidays} onChange={set('holidays')} />}</Field>
      <Field id="cal-workdays" label={t('admin.calendars.workdays')} error={errors.fields.workdays} hint={t('admin.calendars.datesHint')}>{(a) => <textarea {...a} className="json-editor" value={form.workdays} onChange={set('workdays')} />}</Field>
      <div className="wide">
        <FormMessage text={errors.form} />
        <div className="actions"><button type="submit" disabled={busy}>{t('admin.create')}</button><button type="button" className="secondary" onClick={() => onDone('')}>{t('admin.cancel')}</button></div>
      </div>
    </form>
  );
}
