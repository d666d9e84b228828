/** Business calendars: time zone, weekly hours, holidays and make-up workdays; a new calendar by its form, each calendar's dates as lines and its definition as JSON (checked by the server). */
import { useState } from 'react';
import { api } from '../../../../shared/api/client.ts';
import { useApiData } from '../../../../shared/api/useApiData.ts';
import { useI18n } from '../../../app/i18n.ts';
import { CreateCalendar } from './CreateCalendar.tsx';
import { HolidaysEditor, type CalendarDefinition } from './HolidaysEditor.tsx';
import { JsonEditor } from './JsonEditor.tsx';

interface Calendar { id: string; code: string; name: string; definition: CalendarDefinition; updatedAt: string }

export default function CalendarsAdmin() {
  const { t } = useI18n();
  const cals = useApiData<{ items: Calendar[] }>('/calendars');
  const [open, setOpen] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [status, setStatus] = useState('');
  const current = cals.data?.items.find((c) => c.id === open);
  return (
    <div data-testid="admin-calendars">
      <h1>{t('admin.section.calendars')}</h1>
      <p className="muted">{t('admin.calendars.intro')}</p>
      <p className="form-ok" role="status" data-testid="admin-status">{status}</p>
      {creating
        ? <CreateCalendar onDone={(msg) => { setCreating(false); setStatus(msg); if (msg) cals.reload(); }} />
        : <button type="button" style={{ marginBottom: 12 }} onClick={() => { setStatus(''); setOpen(null); setCreating(true); }}>{t('admin.calendars.create')}</button>}
      {!cals.data ? <p className="notice">{cals.error ? cals.error.message : t('common.loading')}</p> : (
        <table className="admin-table">
          <thead><tr><th>{t('admin.field.code')}</th><th>{t('admin.field.name')}</th><th>{t('admin.calendars.zone')}</th><th>{t('admin.calendars.holidays')}</th><th>{t('admin.calendars.workdays')}</th><th><span className="sr-only">{t('admin.actions')}</span></th></tr></thead>
          <tbody>{cals.data.items.map((c) => (
            <tr key={c.id} data-testid="calendar-row"><td><code>{c.code}</code></td><td>{c.name}</td><td>{c.definition.timeZone}</td><td>{c.definition.holidays.length}</td><td>{c.definition.workdays.length}</td>
              <td><button type="button" className="secondary small-button" aria-label={t('admin.editNamed', { name: c.name })} onClick={() => { setCreating(false); setOpen(c.id); }}>{t('admin.edit')}</button></td></tr>
          ))}</tbody>
        </table>
      )}
      {current ? (
        <section className="card">
          <h2>{t('admin.editNamed', { name: current.name })}</h2>
          <HolidaysEditor key={`d-${current.id}-${current.updatedAt}`} id={current.id} definition={current.definition} onSaved={cals.reload} />
          <h3>{t('admin.calendars.definition')}</h3>
          <JsonEditor key={`j-${current.id}-${current.updatedAt}`} id={`cal-${current.id}`} label={t('admin.calendars.definition')} value={current.definition} save={(definition) => api('PUT', `/calendars/${current.id}`, { body: { definition } })} onSaved={cals.reload} />
        </section>
      ) : null}
    </div>
  );
}
