/** Teams: the list with member counts, and a new team (code, name, kind, assignment strategy). */
import { useState, type FormEvent } from 'react';
import { api } from '../../../../shared/api/client.ts';
import { useApiData } from '../../../../shared/api/useApiData.ts';
import { useI18n } from '../../../app/i18n.ts';
import { useSubmit } from '../hooks/useSubmit.ts';
import { Field, FormMessage } from './Field.tsx';

interface Team { id: string; code: string; name: string; kind: string; strategy: string; members: { userId: string; isLead: boolean }[] }
const KINDS = ['service', 'senior', 'department', 'supervision'] as const;
const STRATEGIES = ['least_loaded', 'round_robin'] as const;

interface StaffUser { id: string; username: string; displayName: string; role: string }

/** A team's members as checkboxes (member, lead); saved as the whole list. */
function TeamMembers({ team, users, onDone }: { team: Team; users: StaffUser[]; onDone(msg: string): void }) {
  const { t } = useI18n();
  const [members, setMembers] = useState<Map<string, boolean>>(() => new Map(team.members.map((m) => [m.userId, m.isLead])));
  const { busy, errors, run } = useSubmit();
  const toggle = (id: string, on: boolean) => setMembers((o) => { const n = new Map(o); if (on) n.set(id, n.get(id) ?? false); else n.delete(id); return n; });
  const lead = (id: string, on: boolean) => setMembers((o) => new Map(o).set(id, on));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body = { members: [...members].map(([userId, isLead]) => ({ userId, isLead })) };
    if (await run(() => api('PUT', `/teams/${team.id}/members`, { body }))) onDone(t('admin.teams.membersSaved', { name: team.name }));
  };
  return (
    <form className="card" onSubmit={(e) => void submit(e)} aria-label={t('admin.teams.membersOf', { name: team.name })} data-testid="team-members" style={{ marginBottom: 16 }}>
      <h2>{t('admin.teams.membersOf', { name: team.name })}</h2>
      <table className="admin-table">
        <thead><tr><th>{t('admin.users.username')}</th><th>{t('admin.users.displayName')}</th><th>{t('admin.teams.member')}</th><th>{t('admin.teams.lead')}</th></tr></thead>
        <tbody>{users.map((u) => (
          <tr key={u.id}><td>{u.username}</td><td>{u.displayName}</td>
            <td><input type="checkbox" aria-label={t('admin.teams.memberNamed', { name: u.displayName })} checked={members.has(u.id)} onChange={(e) => toggle(u.id, e.target.checked)} /></td>
            <td><input type="checkbox" aria-label={t('admin.teams.leadNamed', { name: u.displayName })} disabled={!members.has(u.id)} checked={members.get(u.id) === true} onChange={(e) => lead(u.id, e.target.checked)} /></td></tr>
        ))}</tbody>
      </table>
      <FormMessage text={errors.form ?? errors.fields.members ?? null} />
      <div className="actions"><button type="submit" disabled={busy}>{t('admin.save')}</button><button type="button" className="secondary" onClick={() => onDone('')}>{t('admin.cancel')}</button></div>
    </form>
  );
}

export default function TeamsAdmin() {
  const { t } = useI18n();
  const teams = useApiData<{ items: Team[] }>('/teams');
  const [v, setV] = useState({ code: '', name: '', kind: 'service', strategy: 'least_loaded' });
  const [status, setStatus] = useState('');
  const [open, setOpen] = useState<string | null>(null);
  const users = useApiData<{ items: StaffUser[] }>(open ? '/users' : null);
  const { busy, errors, run } = useSubmit({ conflictField: 'code' });
  const set = (k: keyof typeof v) => (e: { target: { value: string } }) => setV((o) => ({ ...o, [k]: e.target.value }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setStatus('');
    if (await run(() => api('POST', '/teams', { body: { ...v, code: v.code.trim(), name: v.name.trim() } }))) {
      setStatus(t('admin.created'));
      setV({ code: '', name: '', kind: 'service', strategy: 'least_loaded' });
      teams.reload();
    }
  };
  const [membersStatus, setMembersStatus] = useState('');
  const openTeam = teams.data?.items.find((x) => x.id === open);
  return (
    <div data-testid="admin-teams">
      <h1>{t('admin.section.teams')}</h1>
      {!teams.data ? <p className="notice">{teams.error ? teams.error.message : t('common.loading')}</p> : (
        <table className="admin-table">
          <thead><tr><th>{t('admin.field.code')}</th><th>{t('admin.field.name')}</th><th>{t('admin.teams.kind')}</th><th>{t('admin.teams.strategy')}</th><th>{t('admin.teams.members')}</th><th><span className="sr-only">{t('admin.actions')}</span></th></tr></thead>
          <tbody>{teams.data.items.map((x) => <tr key={x.id}><td><code>{x.code}</code></td><td>{x.name}</td><td>{t(`admin.teams.kind.${x.kind as (typeof KINDS)[number]}`)}</td><td>{t(`admin.teams.strategy.${x.strategy as (typeof STRATEGIES)[number]}`)}</td><td>{x.members.length}</td>
            <td><button type="button" className="secondary small-button" aria-label={t('admin.teams.membersOf', { name: x.name })} onClick={() => { setStatus(''); setOpen(x.id); }}>{t('admin.teams.editMembers')}</button></td></tr>)}</tbody>
        </table>
      )}
      <p className="form-ok" role="status" data-testid="admin-status">{membersStatus}</p>
      {openTeam && users.data ? <TeamMembers key={openTeam.id} team={openTeam} users={users.data.items} onDone={(msg) => { setOpen(null); setMembersStatus(msg); if (msg) teams.reload(); }} /> : null}
      <form className="card admin-form" onSubmit={(e) => void submit(e)} aria-label={t('admin.teams.create')} noValidate>
        <h2 className="wide">{t('admin.teams.create')}</h2>
        <Field id="team-code" label={t('admin.field.code')} error={errors.fields.code} hint={t('admin.codeHint')}>{(a) => <input {...a} value={v.code} onChange={set('code')} />}</Field>
        <Field id="team-name" label={t('admin.field.name')} error={errors.fields.name}>{(a) => <input {...a} value={v.name} onChange={set('name')} />}</Field>
        <Field id="team-kind" label={t('admin.teams.kind')} error={errors.fields.kind}>{(a) => <select {...a} value={v.kind} onChange={set('kind')}>{KINDS.map((k) => <option key={k} value={k}>{t(`admin.teams.kind.${k}`)}</option>)}</select>}</Field>
        <Field id="team-strategy" label={t('admin.teams.strategy')} error={errors.fields.strategy}>{(a) => <select {...a} value={v.strategy} onChange={set('strategy')}>{STRATEGIES.map((k) => <option key={k} value={k}>{t(`admin.teams.strategy.${k}`)}</option>)}</select>}</Field>
        <div className="wide"><FormMessage text={errors.form} /><p className="form-ok" role="status">{status}</p><button type="submit" disabled={busy}>{t('admin.create')}</button></div>
      </form>
    </div>
  );
}
