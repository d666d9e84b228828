/**
 * SLA policies (SPEC T5): every target is data. Changing a target re-times the open tickets it
 * governs at once (the server answers how many clocks it moved).
 */
import { useState, type FormEvent } from 'react';
import { api } from '../../../../shared/api/client.ts';
import { useApiData } from '../../../../shared/api/useApiData.ts';
import { useI18n } from '../../../app/i18n.ts';
import { useSubmit } from '../hooks/useSubmit.ts';
import { parseMinutes } from '../utils/field-errors.ts';
import { Field, FormMessage } from './Field.tsx';

export interface SlaPolicy {
  id: string;
  clock: string;
  nameZh: string;
  nameEn: string;
  ticketType: string | null;
  priority: string | null;
  channel: string | null;
  categoryCode: string | null;
  targetMinutes: number;
  mode: 'business' | 'calendar';
  calendarId: string | null;
  warnFraction: number;
  startsOn: string;
  stopsOn: string;
  active: boolean;
}

const START_EVENTS = ['ticket_created', 'customer_message', 'escalated', 'resolved', 'claim_agreed', 'priority_delivery_requested'];
const STOP_EVENTS = ['agent_reply', 'resolved', 'escalation_answered', 'customer_notified', 'claim_paid', 'courier_contacted'];

function EditPolicy({ policy, onDone }: { policy: SlaPolicy; onDone(msg: string): void }) {
  const { t } = useI18n();
  const [target, setTarget] = useState(String(policy.targetMinutes));
  const [warn, setWarn] = useState(String(policy.warnFraction));
  const [nameZh, setNameZh] = useState(policy.nameZh);
  const [nameEn, setNameEn] = useState(policy.nameEn);
  const [active, setActive] = useState(policy.active);
  const { busy, errors, setErrors, run } = useSubmit();
  const id = `sla-${policy.id}`;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const minutes = parseMinutes(target);
    if (minutes === null) return setErrors({ fields: { targetMinutes: t('admin.sla.targetInvalid') }, form: null });
    const saved = await run(() => api<SlaPolicy & { retargetedClocks: number }>('PATCH', `/sla-policies/${policy.id}`, { body: { targetMinutes: minutes, warnFraction: Number(warn), nameZh, nameEn, active } }));
    if (saved) onDone(t('admin.sla.saved', { count: saved.retargetedClocks }));
  };
  return (
    <form className="card admin-form" onSubmit={(e) => void submit(e)} aria-label={t('admin.sla.editTitle', { name: policy.nameZh })} data-testid="sla-edit">
      <h2 className="wide">{t('admin.sla.editTitle', { name: policy.nameZh })}</h2>
      <Field id={`${id}-target`} label={t('admin.sla.target')} error={errors.fields.targetMinutes} hint={t('admin.sla.targetHint')}>
        {(a) => <input {...a} inputMode="decimal" value={target} onChange={(e) => setTarget(e.target.value)} />}
      </Field>
      <Field id={`${id}-warn`} label={t('admin.sla.warn')} error={errors.fields.warnFraction} hint={t('admin.sla.warnHint')}>
        {(a) => <input {...a} type="number" step="0.05" value={warn} onChange={(e) => setWarn(e.target.value)} />}
      </Field>
      <Field id={`${id}-zh`} label={t('admin.field.nameZh')} error={errors.fields.nameZh}>
        {(a) => <input {...a} value={nameZh} onChange={(e) => setNameZh(e.target.value)} />}
      </Field>
      <Field id={`${id}-en`} label={t('admin.field.nameEn')} error={errors.fields.nameEn}>
        {(a) => <input {...a} value={nameEn} onChange={(e) => setNameEn(e.target.value)} />}
      </Field>
      <label className="check wide"><input type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} />{t('admin.field.active')}</label>
      <div className="wide">
        <FormMessage text={errors.form} />
        <div className="actions">
          <button type="submit" disabled={busy}>{t('admin.save')}</button>
          <button type="button" className="secondary" onClick={() => onDone('')}>{t('admin.cancel')}</button>
        </div>
      </div>
    </form>
  );
}

function CreatePolicy({ calendars, onDone }: { calendars: { id: string; name: string }[]; onDone(msg: string): void }) {
  const { t } = useI18n();
  const [v, setV] = useState({ clock: 'first_response', nameZh: '', nameEn: '', targetMinutes: '', mode: 'business', calendarId: calendars[0]?.id ?? '', startsOn: 'ticket_created', stopsOn: 'agent_reply', ticketType: '', priority: '', channel: '', categoryCode: '' });
  const { busy, errors, setErrors, run } = useSubmit();
  const set = (k: keyof typeof v) => (e: { target: { value: string } }) => setV((o) => ({ ...o, [k]: e.target.value }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const minutes = parseMinutes(v.targetMinutes);
    if (minutes === null) return setErrors({ fields: { targetMinutes: t('admin.sla.targetInvalid') }, form: null });
    const opt = (s: string) => (s.trim() === '' ? null : s.trim());
    const body = { clock: v.clock.trim(), nameZh: v.nameZh, nameEn: v.nameEn, targetMinutes: minutes, mode: v.mode, calendarId: v.mode === 'business' ? opt(v.calendarId) : null, startsOn: v.startsOn, stopsOn: v.stopsOn, ticketType: opt(v.ticketType), priority: opt(v.priority), channel: opt(v.channel), categoryCode: opt(v.categoryCode) };
    if (await run(() => api('POST', '/sla-policies', { body }))) onDone(t('admin.created'));
  };
  const id = 'sla-new';
  return (
    <form className="card admin-form" onSubmit={(e) => void submit(e)} aria-label={t('admin.sla.create')}>
      <h2 className="wide">{t('admin.sla.create')}</h2>
      <Field id={`${id}-clock`} label={t('admin.sla.clock')} error={errors.fields.clock} hint={t('admin.sla.clockHint')}>{(a) => <input {...a} value={v.clock} onChange={set('clock')} />}</Field>
      <Field id={`${id}-target`} label={t('admin.sla.target')} error={errors.fields.targetMinutes}>{(a) => <input {...a} inputMode="decimal" value={v.targetMinutes} onChange={set('targetMinutes')} />}</Field>
      <Field id={`${id}-zh`} label={t('admin.field.nameZh')} error={errors.fields.nameZh}>{(a) => <input {...a} value={v.nameZh} onChange={set('nameZh')} />}</Field>
      <Field id={`${id}-en`} label={t('admin.field.nameEn')} error={errors.fields.nameEn}>{(a) => <input {...a} value={v.nameEn} onChange={set('nameEn')} />}</Field>
      <Field id={`${id}-mode`} label={t('admin.sla.mode')} error={errors.fields.mode}>
        {(a) => <select {...a} value={v.mode} onChange={set('mode')}><option value="business">{t('admin.sla.mode.business')}</option><option value="calendar">{t('admin.sla.mode.calendar')}</option></select>}
      </Field>
      <Field id={`${id}-cal`} label={t('admin.sla.calendar')} error={errors.fields.calendarId}>
        {(a) => <select {...a} value={v.calendarId} disabled={v.mode !== 'business'} onChange={set('calendarId')}><option value="">—</option>{calendars.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}</select>}
      </Field>
      <Field id={`${id}-starts`} label={t('admin.sla.startsOn')} error={errors.fields.startsOn}>{(a) => <select {...a} value={v.startsOn} onChange={set('startsOn')}>{START_EVENTS.map((s) => <option key={s} value={s}>{s}</option>)}</select>}</Field>
      <Field id={`${id}-stops`} label={t('admin.sla.stopsOn')} error={errors.fields.stopsOn}>{(a) => <select {...a} value={v.stopsOn} onChange={set('stopsOn')}>{STOP_EVENTS.map((s) => <option key={s} value={s}>{s}</option>)}</select>}</Field>
      <Field id={`${id}-type`} label={t('admin.sla.ticketType')} error={errors.fields.ticketType} hint={t('admin.sla.anyHint')}>{(a) => <input {...a} value={v.ticketType} onChange={set('ticketType')} />}</Field>
      <Field id={`${id}-priority`} label={t('admin.sla.priority')} error={errors.fields.priority}>
        {(a) => <select {...a} value={v.priority} onChange={set('priority')}><option value="">{t('admin.sla.any')}</option>{['low', 'normal', 'high', 'urgent'].map((p) => <option key={p} value={p}>{p}</option>)}</select>}
      </Field>
      <Field id={`${id}-channel`} label={t('admin.sla.channel')} error={errors.fields.channel} hint={t('admin.sla.anyHint')}>{(a) => <input {...a} value={v.channel} onChange={set('channel')} />}</Field>
      <Field id={`${id}-category`} label={t('admin.sla.category')} error={errors.fields.categoryCode} hint={t('admin.sla.anyHint')}>{(a) => <input {...a} value={v.categoryCode} onChange={set('categoryCode')} />}</Field>
      <div className="wide">
        <FormMessage text={errors.form} />
        <div className="actions"><button type="submit" disabled={busy}>{t('admin.create')}</button><button type="button" className="secondary" onClick={() => onDone('')}>{t('admin.cancel')}</button></div>
      </div>
    </form>
  );
}

export default function SlaPoliciesAdmin() {
  const { t, lang } = useI18n();
  const policies = useApiData<{ items: SlaPolicy[] }>('/sla-policies');
  const calendars = useApiData<{ items: { id: string; name: string }[] }>('/calendars');
  const [editing, setEditing] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [status, setStatus] = useState('');
  const done = (msg: string) => {
    setEditing(null);
    setCreating(false);
    setStatus(msg);
    if (msg) policies.reload();
  };
  const scope = (p: SlaPolicy) => [p.ticketType, p.priority, p.channel, p.categoryCode].filter(Boolean).join(' · ') || t('admin.sla.any');
  const current = policies.data?.items.find((p) => p.id === editing);
  return (
    <div data-testid="admin-sla">
      <h1>{t('admin.section.sla')}</h1>
      <p className="muted">{t('admin.sla.intro')}</p>
      <p className="form-ok" role="status" data-testid="admin-status">{status}</p>
      {policies.error ? <p role="alert" className="form-error">{t('common.error', { message: policies.error.message })}</p> : null}
      {!policies.data ? <p className="notice">{t('common.loading')}</p> : (
        <table className="admin-table">
          <thead><tr><th>{t('admin.field.name')}</th><th>{t('admin.sla.clock')}</th><th>{t('admin.sla.scope')}</th><th>{t('admin.sla.target')}</th><th>{t('admin.sla.mode')}</th><th>{t('admin.field.active')}</th><th><span className="sr-only">{t('admin.actions')}</span></th></tr></thead>
          <tbody>
            {policies.data.items.map((p) => (
              <tr key={p.id} data-testid="sla-row" data-clock={p.clock}>
                <td>{lang === 'zh' ? p.nameZh : p.nameEn}</td>
                <td><code>{p.clock}</code></td>
                <td>{scope(p)}</td>
                <td className="nowrap">{t('admin.sla.minutes', { n: p.targetMinutes })}</td>
                <td>{t(p.mode === 'business' ? 'admin.sla.mode.business' : 'admin.sla.mode.calendar')}</td>
                <td>{p.active ? t('admin.yes') : t('admin.no')}</td>
                <td><button type="button" className="secondary small-button" aria-label={t('admin.editNamed', { name: lang === 'zh' ? p.nameZh : p.nameEn })} onClick={() => { setCreating(false); setStatus(''); setEditing(p.id); }}>{t('admin.edit')}</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {current ? <EditPolicy key={current.id} policy={current} onDone={done} /> : null}
      {creating ? <CreatePolicy calendars={calendars.data?.items ?? []} onDone={done} /> : (
        !current && <button type="button" onClick={() => { setStatus(''); setCreating(true); }}>{t('admin.sla.create')}</button>
      )}
    </div>
  );
}
