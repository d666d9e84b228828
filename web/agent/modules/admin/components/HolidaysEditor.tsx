/** A calendar's holidays and make-up workdays as dates one per line; the rest of the definition is kept. */
import { useState, type FormEvent } from 'react';
import { api } from '../../../../shared/api/client.ts';
import { useI18n } from '../../../app/i18n.ts';
import { useSubmit } from '../hooks/useSubmit.ts';
import { textToDates } from '../utils/list-text.ts';
import { Field, FormMessage } from './Field.tsx';

interface Workday { date: string; hours?: unknown[] }
export interface CalendarDefinition { timeZone: string; holidays: string[]; workdays: Workday[]; weeklyHours: unknown }

export function HolidaysEditor({ id, definition, onSaved }: { id: string; definition: CalendarDefinition; onSaved(): void }) {
  const { t } = useI18n();
  const [holidays, setHolidays] = useState(() => definition.holidays.join('\n'));
  const [workdays, setWorkdays] = useState(() => definition.workdays.map((w) => w.date).join('\n'));
  const [ok, setOk] = useState('');
  const { busy, errors, setErrors, run } = useSubmit();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setOk('');
    const h = textToDates(holidays);
    const w = textToDates(workdays);
    if (!h.ok || !w.ok) {
      return setErrors({ fields: { ...(!h.ok ? { holidays: t('admin.calendars.badDate', { line: h.line }) } : {}), ...(!w.ok ? { workdays: t('admin.calendars.badDate', { line: w.line }) } : {}) }, form: null });
    }
    const hours = new Map(definition.workdays.map((d) => [d.date, d]));
    const next = { ...definition, holidays: h.value, workdays: w.value.map((date) => hours.get(date) ?? { date }) };
    if ((await run(async () => { await api('PUT', `/calendars/${id}`, { body: { definition: next } }); return true; })) === true) {
      setOk(t('admin.savedPlain'));
      onSaved();
    }
  };
  return (
    <form className="admin-form" onSubmit={(e) => void submit(e)} aria-label={t('admin.calendars.datesTitle')} data-testid="holidays-editor">
      <Field id={`${id}-holidays`} label={t('admin.calendars.holidays')} error={errors.fields.holidays} hint={t('admin.calendars.datesHint')}>
        {(a) => <textarea {...a} className="json-editor" value={holidays} onChange={(e) => setHolidays(e.target.value)} />}
      </Field>
      <Field id={`${id}-workdays`} label={t('admin.calendars.workdays')} error={errors.fields.workdays} hint={t('admin.calendars.datesHint')}>
        {(a) => <textarea {...a} className="json-editor" value={workdays} onChange={(e) => setWorkdays(e.target.value)} />}
      </Field>
      <div className="wide"><FormMessage text={errors.form} /><p className="form-ok" role="status">{ok}</p><button type="submit" disabled={busy}>{t('admin.save')}</button></div>
    </form>
  );
}
