/**
 * Users and roles: the staff list and a new account (role, capacity, channels) with the server's
 * checks shown by each field; an account disabled (after a confirmation that says what follows) or
 * re-enabled — never one's own.
 */
import { useState, type FormEvent } from 'react';
import { api } from '../../../../shared/api/client.ts';
import { useApiData } from '../../../../shared/api/useApiData.ts';
import { useSession } from '../../../../shared/auth/useSession.tsx';
import { formatDateTime } from '../../../../shared/format.ts';
import { useI18n } from '../../../app/i18n.ts';
import { roleKey } from '../../../app/nav.ts';
import { useSubmit } from '../hooks/useSubmit.ts';
import { Field, FormMessage } from './Field.tsx';

interface User { id: string; username: string; displayName: string; role: string; capacity: number; available: boolean; channels: string[]; skills: string[]; disabledAt: string | null }
const ROLES = ['agent', 'team_lead', 'qa_inspector', 'supervisor', 'admin'] as const;
const CHANNELS = ['phone', 'chat', 'email', 'walk_in', 'web', 'api'] as const;

function CreateUser({ teams, onDone }: { teams: { id: string; name: string }[]; onDone(msg: string): void }) {
  const { t } = useI18n();
  const [v, setV] = useState({ username: '', displayName: '', password: '', role: 'agent', capacity: '5', teamId: '' });
  const [channels, setChannels] = useState<string[]>(['chat', 'email']);
  const { busy, errors, run } = useSubmit({ conflictField: 'username' });
  const set = (k: keyof typeof v) => (e: { target: { value: string } }) => setV((o) => ({ ...o, [k]: e.target.value }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body = { username: v.username.trim(), password: v.password, role: v.role, ...(v.displayName.trim() ? { displayName: v.displayName.trim() } : {}), capacity: Number(v.capacity), channels, ...(v.teamId ? { teamIds: [v.teamId] } : {}) };
    const user = await run(() => api<User>('POST', '/users', { body }));
    if (user) onDone(t('admin.users.created', { name: user.username }));
  };
  return (
    <form className="card admin-form" onSubmit={(e) => void submit(e)} aria-label={t('admin.users.create')} data-testid="user-create" noValidate>
      <h2 className="wide">{t('admin.users.create')}</h2>
      <Field id="user-username" label={t('admin.users.username')} error={errors.fields.username} hint={t('admin.users.usernameHint')}>{(a) => <input {...a} autoComplete="off" value={v.username} onChange={set('username')} />}</Field>
      <Field id="user-display" label={t('admin.users.displayName')} error={errors.fields.displayName}>{(a) => <input {...a} value={v.displayName} onChange={set('displayName')} />}</Field>
      <Field id="user-password" label={t('admin.users.password')} error={errors.fields.password} hint={t('admin.users.passwordHint')}>{(a) => <input {...a} type="password" autoComplete="new-password" value={v.password} onChange={set('password')} />}</Field>
      <Field id="user-role" label={t('admin.users.role')} error={errors.fields.role}>{(a) => <select {...a} value={v.role} onChange={set('role')}>{ROLES.map((r) => <option key={r} value={r}>{t(roleKey(r))}</option>)}</select>}</Field>
      <Field id="user-capacity" label={t('admin.users.capacity')} error={errors.fields.capacity}>{(a) => <input {...a} type="number" min={0} max={500} value={v.capacity} onChange={set('capacity')} />}</Field>
      <Field id="user-team" label={t('admin.users.team')} error={errors.fields.teamIds}>{(a) => <select {...a} value={v.teamId} onChange={set('teamId')}><option value="">—</option>{teams.map((x) => <option key={x.id} value={x.id}>{x.name}</option>)}</select>}</Field>
      <fieldset className="wide mode">
        <legend>{t('admin.users.channels')}</legend>
        {CHANNELS.map((c) => (
          <label key={c} className="check"><input type="checkbox" checked={channels.includes(c)} onChange={(e) => setChannels((o) => (e.target.checked ? [...o, c] : o.filter((x) => x !== c)))} />{t(`admin.channel.${c}`)}</label>
        ))}
      </fieldset>
      <div className="wide">
        <FormMessage text={errors.form} />
        <div className="actions"><button type="submit" disabled={busy}>{t('admin.create')}</button><button type="button" className="secondary" onClick={() => onDone('')}>{t('admin.cancel')}</button></div>
      </div>
    </form>
  );
}

function EditUser({ user, onDone }: { user: User; onDone(msg: string): void }) {
  const { t } = useI18n();
  const [v, setV] = useState({ displayName: user.displayName, role: user.role, capacity: String(user.capacity), skills: user.skills.join(', ') });
  const [channels, setChannels] = useState<string[]>(user.channels);
  const { busy, errors, run } = useSubmit();
  const set = (k: keyof typeof v) => (e: { target: { value: string } }) => setV((o) => ({ ...o, [k]: e.target.value }));
  const id = `user-${user.id}`;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body = {
      displayName: v.displayName, capacity: Number(v.capacity), channels, skills: v.skills.split(/[,,、\s]+/).filter(Boolean),
      ...(v.role !== user.role ? { role: v.role } : {}),
    };
    const saved = await run(() => api<User>('PATCH', `/users/${user.id}`, { body }));
    if (saved) onDone(t('admin.users.saved', { name: saved.username }));
  };
  return (
    <form className="card admin-form" onSubmit={(e) => void submit(e)} aria-label={t('admin.editNamed', { name: user.username })} data-testid="user-edit" noValidate>
      <h2 className="wide">{t('admin.editNamed', { name: user.username })}</h2>
      <Field id={`${id}-display`} label={t('admin.users.displayName')} error={errors.fields.displayName}>{(a) => <input {...a} value={v.displayName} onChange={set('displayName')} />}</Field>
      <Field id={`${id}-role`} label={t('admin.users.role')} error={errors.fields.role}>{(a) => <select {...a} value={v.role} onChange={set('role')}>{ROLES.map((r) => <option key={r} value={r}>{t(roleKey(r))}</option>)}</select>}</Field>
      <Field id={`${id}-capacity`} label={t('admin.users.capacity')} error={errors.fields.capacity}>{(a) => <input {...a} type="number" min={0} max={500} value={v.capacity} onChange={set('capacity')} />}</Field>
      <Field id={`${id}-skills`} label={t('admin.users.skills')} error={errors.fields.skills} hint={t('admin.users.skillsHint')}>{(a) => <input {...a} value={v.skills} onChange={set('skills')} />}</Field>
      <fieldset className="wide mode">
        <legend>{t('admin.users.channels')}</legend>
        {CHANNELS.map((c) => (
          <label key={c} className="check"><input type="checkbox" checked={channels.includes(c)} onChange={(e) => setChannels((o) => (e.target.checked ? [...o, c] : o.filter((x) => x !== c)))} />{t(`admin.channel.${c}`)}</label>
        ))}
      </fieldset>
      <div className="wide">
        <FormMessage text={errors.form} />
        <div className="actions"><button type="submit" disabled={busy}>{t('admin.save')}</button><button type="button" className="secondary" onClick={() => onDone('')}>{t('admin.cancel')}</button></div>
      </div>
    </form>
  );
}

/** Disabling asks first, in place, saying what it does; re-enabling is one click. */
function AccountStatus({ user, onDone }: { user: User; onDone(msg: string): void }) {
  const { t } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const { busy, errors, run } = useSubmit();
  const send = async (disabled: boolean) => {
    const saved = await run(() => api<User>('PATCH', `/users/${user.id}`, { body: { disabled } }));
    if (saved) onDone(t(disabled ? 'admin.users.disabledDone' : 'admin.users.enabledDone', { name: saved.username }));
  };
  const problem = errors.fields.disabled ?? errors.form;
  if (user.disabledAt) {
    return (
      <>
        <button type="button" className="secondary small-button" disabled={busy} aria-label={t('admin.users.enableNamed', { name: user.username })} onClick={() => void send(false)}>{t('admin.users.enable')}</button>
        {problem ? <p className="form-error" role="alert">{problem}</p> : null}
      </>
    );
  }
  if (!confirming) {
    return <button type="button" className="secondary small-button danger" aria-label={t('admin.users.disableNamed', { name: user.username })} onClick={() => setConfirming(true)}>{t('admin.users.disable')}</button>;
  }
  return (
    <div className="confirm" role="group" aria-label={t('admin.users.disableNamed', { name: user.username })} data-testid="disable-confirm">
      <p>{t('admin.users.confirmDisable', { name: user.username })}</p>
      {problem ? <p className="form-error" role="alert">{problem}</p> : null}
      <div className="actions">
        <button type="button" className="danger" disabled={busy} onClick={() => void send(true)}>{t('admin.users.confirmDisableButton')}</button>
        <button type="button" className="secondary" onClick={() => setConfirming(false)}>{t('admin.cancel')}</button>
      </div>
    </div>
  );
}

export default function UsersAdmin() {
  const { t, lang } = useI18n();
  const { me } = useSession();
  const users = useApiData<{ items: User[] }>('/users?includeDisabled=true');
  const teams = useApiData<{ items: { id: string; name: string }[] }>('/teams');
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const done = (msg: string) => {
    setCreating(false);
    setEditing(null);
    setStatus(msg);
    if (msg) users.reload();
  };
  const editingUser = users.data?.items.find((u) => u.id === editing);
  return (
    <div data-testid="admin-users">
      <h1>{t('admin.section.users')}</h1>
      <p className="form-ok" role="status" data-testid="admin-status">{status}</p>
      {users.error ? <p role="alert" className="form-error">{t('common.error', { message: users.error.message })}</p> : null}
      {creating ? <CreateUser teams={teams.data?.items ?? []} onDone={done} /> : <button type="button" onClick={() => { setStatus(''); setEditing(null); setCreating(true); }}>{t('admin.users.create')}</button>}
      {editingUser ? <EditUser key={editingUser.id} user={editingUser} onDone={done} /> : null}
      {!users.data ? <p className="notice">{t('common.loading')}</p> : (
        <table className="admin-table" data-testid="user-list" style={{ marginTop: 16 }}>
          <thead><tr><th>{t('admin.users.username')}</th><th>{t('admin.users.displayName')}</th><th>{t('admin.users.role')}</th><th>{t('admin.users.capacity')}</th><th>{t('admin.users.channels')}</th><th>{t('admin.users.state')}</th><th><span className="sr-only">{t('admin.actions')}</span></th></tr></thead>
          <tbody>
            {users.data.items.map((u) => (
              <tr key={u.id} data-testid="user-row" className={u.disabledAt ? 'disabled-row' : undefined}><td>{u.username}{u.id === me?.id ? ` ${t('admin.users.you')}` : ''}</td><td>{u.displayName}</td><td>{t(roleKey(u.role))}</td><td>{u.capacity}</td><td>{u.channels.join(', ')}</td>
                <td data-testid="user-state">{u.disabledAt ? t('admin.users.disabledSince', { date: formatDateTime(u.disabledAt, lang) }) : t('admin.users.activeState')}</td>
                <td className="row-actions">
                  {u.role === 'integration' || u.disabledAt ? null : <button type="button" className="secondary small-button" aria-label={t('admin.editNamed', { name: u.username })} onClick={() => { setCreating(false); setStatus(''); setEditing(u.id); }}>{t('admin.edit')}</button>}
                  {u.id === me?.id || u.role === 'integration' ? null : <AccountStatus key={`${u.id}-${u.disabledAt ?? ''}`} user={u} onDone={done} />}
                </td></tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
