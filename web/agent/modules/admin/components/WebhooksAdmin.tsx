/** Webhook subscriptions: the list (on/off), a new subscription whose signing secret is shown once. */
import { useState, type FormEvent } from 'react';
import { api } from '../../../../shared/api/client.ts';
import { useApiData } from '../../../../shared/api/useApiData.ts';
import { useI18n } from '../../../app/i18n.ts';
import { useSubmit } from '../hooks/useSubmit.ts';
import { Field, FormMessage } from './Field.tsx';

interface Webhook { id: string; url: string; description: string; events: string[]; includeInternal: boolean; active: boolean }
const EVENTS = ['ticket.created', 'ticket.updated', 'message.created', 'sla.breached'] as const;

export default function WebhooksAdmin() {
  const { t } = useI18n();
  const hooks = useApiData<{ items: Webhook[] }>('/webhooks');
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<string[]>(['ticket.created']);
  const [secret, setSecret] = useState<string | null>(null);
  const { busy, errors, run } = useSubmit();
  const toggle = useSubmit();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSecret(null);
    const made = await run(() => api<{ secret: string }>('POST', '/webhooks', { body: { url: url.trim(), description, events } }));
    if (made) { setSecret(made.secret); setUrl(''); setDescription(''); hooks.reload(); }
  };
  const setActive = async (w: Webhook) => {
    if (await toggle.run(() => api('PATCH', `/webhooks/${w.id}`, { body: { active: !w.active } }))) hooks.reload();
  };
  return (
    <div data-testid="admin-webhooks">
      <h1>{t('admin.section.webhooks')}</h1>
      <FormMessage text={toggle.errors.form} />
      {!hooks.data ? <p className="notice">{hooks.error ? hooks.error.message : t('common.loading')}</p> : (
        <table className="admin-table">
          <thead><tr><th>{t('admin.webhooks.url')}</th><th>{t('admin.webhooks.events')}</th><th>{t('admin.field.active')}</th><th><span className="sr-only">{t('admin.actions')}</span></th></tr></thead>
          <tbody>{hooks.data.items.map((w) => (
            <tr key={w.id}><td>{w.url}<br /><small className="muted">{w.description}</small></td><td>{w.events.join(', ')}</td><td>{w.active ? t('admin.yes') : t('admin.no')}</td>
              <td><button type="button" className="secondary small-button" disabled={toggle.busy} onClick={() => void setActive(w)}>{w.active ? t('admin.webhooks.pause') : t('admin.webhooks.resume')}</button></td></tr>
          ))}</tbody>
        </table>
      )}
      <form className="card admin-form" onSubmit={(e) => void submit(e)} aria-label={t('admin.webhooks.create')} noValidate>
        <h2 className="wide">{t('admin.webhooks.create')}</h2>
        <Field id="hook-url" label={t('admin.webhooks.url')} error={errors.fields.url} hint={t('admin.webhooks.urlHint')}>{(a) => <input {...a} type="url" value={url} onChange={(e) => setUrl(e.target.value)} />}</Field>
        <Field id="hook-desc" label={t('admin.webhooks.description')} error={errors.fields.description}>{(a) => <input {...a} value={description} onChange={(e) => setDescription(e.target.value)} />}</Field>
        <fieldset className="wide mode">
          <legend>{t('admin.webhooks.events')}</legend>
          {EVENTS.map((ev) => <label key={ev} className="check"><input type="checkbox" checked={events.includes(ev)} onChange={(e) => setEvents((o) => (e.target.checked ? [...o, ev] : o.filter((x) => x !== ev)))} />{ev}</label>)}
          <p className="field-error">{errors.fields.events ?? ''}</p>
        </fieldset>
        <div className="wide"><FormMessage text={errors.form} /><button type="submit" disabled={busy}>{t('admin.create')}</button></div>
      </form>
      {secret ? <section className="card" role="status" style={{ marginTop: 12 }}><h2>{t('admin.webhooks.secretOnce')}</h2><p className="secret">{secret}</p></section> : null}
    </div>
  );
}
