/** API keys for integrations: a new key is shown once, here, and never again; a key is revoked by its id. */
import { useState, type FormEvent } from 'react';
import { api } from '../../../../shared/api/client.ts';
import { useApiData } from '../../../../shared/api/useApiData.ts';
import { formatDateTime } from '../../../../shared/format.ts';
import { useI18n } from '../../../app/i18n.ts';
import { roleKey } from '../../../app/nav.ts';
import { useSubmit } from '../hooks/useSubmit.ts';
import { Field, FormMessage } from './Field.tsx';

interface ApiKey { id: string; name: string; role: string; prefix: string; createdAt: string; lastUsedAt: string | null; revokedAt: string | null; createdBy: string | null; suspended: boolean }
const KEY_ROLES = ['integration', 'agent', 'team_lead', 'qa_inspector', 'supervisor', 'admin'] as const;

export default function ApiKeysAdmin() {
  const { t, lang } = useI18n();
  const [name, setName] = useState('');
  const [role, setRole] = useState<string>('integration');
  const [created, setCreated] = useState<{ id: string; key: string } | null>(null);
  const keys = useApiData<{ items: ApiKey[] }>('/api-keys');
  const [status, setStatus] = useState('');
  const create = useSubmit();
  const revoke = useSubmit();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setCreated(null);
    const k = await create.run(() => api<{ id: string; key: string }>('POST', '/api-keys', { body: { name: name.trim(), role } }));
    if (k) { setCreated(k); setName(''); keys.reload(); }
  };
  const revokeKey = async (k: ApiKey) => {
    setStatus('');
    if (!window.confirm(t('admin.keys.confirmRevoke', { name: k.name }))) return;
    if (await revoke.run(async () => { await api('DELETE', `/api-keys/${k.id}`); return true; })) { setStatus(t('admin.keys.revoked')); keys.reload(); }
  };
  return (
    <div data-testid="admin-api-keys">
      <h1>{t('admin.section.apiKeys')}</h1>
      <form className="card admin-form" onSubmit={(e) => void submit(e)} aria-label={t('admin.keys.create')} noValidate>
        <h2 className="wide">{t('admin.keys.create')}</h2>
        <Field id="key-name" label={t('admin.field.name')} error={create.errors.fields.name}>{(a) => <input {...a} value={name} onChange={(e) => setName(e.target.value)} />}</Field>
        <Field id="key-role" label={t('admin.users.role')} error={create.errors.fields.role}>{(a) => <select {...a} value={role} onChange={(e) => setRole(e.target.value)}>{KEY_ROLES.map((r) => <option key={r} value={r}>{t(roleKey(r))}</option>)}</select>}</Field>
        <div className="wide"><FormMessage text={create.errors.form} /><button type="submit" disabled={create.busy}>{t('admin.create')}</button></div>
      </form>
      {created ? (
        <section className="card" role="status" data-testid="new-key" style={{ marginTop: 12 }}>
          <h2>{t('admin.keys.once')}</h2>
          <p className="secret">{created.key}</p>
          <p className="muted">{t('admin.keys.id', { id: created.id })}</p>
        </section>
      ) : null}
      <h2>{t('admin.keys.list')}</h2>
      <p className="form-ok" role="status">{status}</p>
      <FormMessage text={revoke.errors.form} />
      {!keys.data ? <p className="notice">{keys.error ? keys.error.message : t('common.loading')}</p> : (
        <table className="admin-table" data-testid="key-list">
          <thead><tr><th>{t('admin.field.name')}</th><th>{t('admin.users.role')}</th><th>{t('admin.keys.prefix')}</th><th>{t('admin.keys.createdBy')}</th><th>{t('admin.keys.lastUsed')}</th><th>{t('admin.keys.state')}</th><th><span className="sr-only">{t('admin.actions')}</span></th></tr></thead>
          <tbody>{keys.data.items.map((k) => (
            <tr key={k.id}><td>{k.name}</td><td>{t(roleKey(k.role))}</td><td><code>{k.prefix}…</code></td><td>{k.createdBy ?? '—'}</td><td>{k.lastUsedAt ? formatDateTime(k.lastUsedAt, lang) : '—'}</td>
              <td>{k.revokedAt ? t('admin.keys.revokedState') : k.suspended ? t('admin.keys.suspendedState') : t('admin.keys.activeState')}</td>
              <td>{k.revokedAt ? null : <button type="button" className="secondary small-button" disabled={revoke.busy} aria-label={t('admin.keys.revokeNamed', { name: k.name })} onClick={() => void revokeKey(k)}>{t('admin.keys.revoke')}</button>}</td></tr>
          ))}</tbody>
        </table>
      )}
    </div>
  );
}
