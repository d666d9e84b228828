/** API keys for integrations: a new key is shown once, here, and never again; a key is revoked by its id. */
import { useState, type FormEvent } from 'react';
import { api } from '../../../../shared/api/client.ts';
import { useI18n } from '../../../app/i18n.ts';
import { roleKey } from '../../../app/nav.ts';
import { useSubmit } from '../hooks/useSubmit.ts';
import { Field, FormMessage } from './Field.tsx';

const KEY_ROLES = ['integration', 'agent', 'team_lead', 'qa_inspector', 'supervisor', 'admin'] as const;

export default function ApiKeysAdmin() {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [role, setRole] = useState<string>('integration');
  const [created, setCreated] = useState<{ id: string; key: string } | null>(null);
  const [revokeId, setRevokeId] = useState('');
  const [status, setStatus] = useState('');
  const create = useSubmit();
  const revoke = useSubmit();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setCreated(null);
    const k = await create.run(() => api<{ id: string; key: string }>('POST', '/api-keys', { body: { name: name.trim(), role } }));
    if (k) { setCreated(k); setName(''); }
  };
  const submitRevoke = async (e: FormEvent) => {
    e.preventDefault();
    setStatus('');
    const id = revokeId.trim();
    if (await revoke.run(async () => { await api('DELETE', `/api-keys/${encodeURIComponent(id)}`); return true; })) { setStatus(t('admin.keys.revoked')); setRevokeId(''); }
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
      <form className="card admin-form" onSubmit={(e) => void submitRevoke(e)} aria-label={t('admin.keys.revoke')} style={{ marginTop: 12 }} noValidate>
        <h2 className="wide">{t('admin.keys.revoke')}</h2>
        <Field id="key-revoke" label={t('admin.keys.revokeId')} error={revoke.errors.fields.id}>{(a) => <input {...a} value={revokeId} onChange={(e) => setRevokeId(e.target.value)} />}</Field>
        <div className="wide"><FormMessage text={revoke.errors.form} /><p className="form-ok" role="status">{status}</p><button type="submit" className="secondary" disabled={revoke.busy || !revokeId.trim()}>{t('admin.keys.revoke')}</button></div>
      </form>
    </div>
  );
}
