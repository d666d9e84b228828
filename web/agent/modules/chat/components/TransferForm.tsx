/**
 * C6's transfer: to a team's queue or (team leads and up, who see everyone's presence) to an
 * online colleague, with the reason and the customer's consent, both required by the server.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { api, ApiError } from '../../../../shared/api/client.ts';
import { useI18n } from '../../../app/i18n.ts';
import type { PresenceView, TransferInput } from '../utils/types.ts';

interface Team {
  id: string;
  code: string;
  name: string;
}

export function TransferForm({ meId, onTransfer, onCancel }: { meId: string; onTransfer(input: TransferInput): Promise<void>; onCancel(): void }) {
  const { t } = useI18n();
  const [teams, setTeams] = useState<Team[]>([]);
  const [agents, setAgents] = useState<PresenceView[]>([]);
  const [kind, setKind] = useState<'team' | 'agent'>('team');
  const [target, setTarget] = useState('');
  const [reason, setReason] = useState('');
  const [consent, setConsent] = useState(false);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    api<{ items: Team[] }>('GET', '/teams').then((r) => live && setTeams(r.items), () => undefined);
    // Only team leads and up may list presence; for an agent the colleague option stays hidden.
    api<{ items: PresenceView[] }>('GET', '/chat/presence').then((r) => live && setAgents(r.items.filter((a) => a.available && a.userId !== meId && a.active < a.capacity)), () => undefined);
    return () => {
      live = false;
    };
  }, [meId]);

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (!target || reason.trim() === '' || !consent) return;
    setSending(true);
    setError(null);
    const input: TransferInput = { reason: reason.trim(), customerConsent: consent, ...(kind === 'team' ? { toTeamId: target } : { toAgentId: target }) };
    onTransfer(input).catch((err: unknown) => {
      setError(err instanceof ApiError ? err.message : String(err));
      setSending(false);
    });
  };

  const options = kind === 'team' ? teams.map((x) => ({ id: x.id, label: x.name === x.code ? x.name : `${x.name} (${x.code})` })) : agents.map((a) => ({ id: a.userId, label: a.displayName }));
  return (
    <form className="chat-transfer" onSubmit={submit} data-testid="transfer-form" aria-label={t('chat.transfer.title')}>
      {agents.length > 0 && (
        <fieldset className="mode">
          <legend>{t('chat.transfer.to')}</legend>
          {(['team', 'agent'] as const).map((k) => (
            <label key={k} className={`mode-option${kind === k ? ' selected' : ''}`}>
              <input type="radio" name="transfer-kind" value={k} checked={kind === k} onChange={() => { setKind(k); setTarget(''); }} />
              {t(k === 'team' ? 'chat.transfer.team' : 'chat.transfer.agent')}
            </label>
          ))}
        </fieldset>
      )}
      <label htmlFor="transfer-target">{t(kind === 'team' ? 'chat.transfer.team' : 'chat.transfer.agent')}</label>
      <select id="transfer-target" value={target} onChange={(e) => setTarget(e.target.value)} required>
        <option value="">{t('chat.transfer.choose')}</option>
        {options.map((o) => (
          <option key={o.id} value={o.id}>{o.label}</option>
        ))}
      </select>
      <label htmlFor="transfer-reason">{t('chat.transfer.reason')}</label>
      <textarea id="transfer-reason" rows={2} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} required />
      <label className="check">
        <input type="checkbox" checked={consent} onChange={(e) => setConsent(e.target.checked)} />
        {t('chat.transfer.consent')}
      </label>
      <div className="actions">
        <button type="submit" disabled={sending || !target || reason.trim() === '' || !consent}>{t('chat.transfer.submit')}</button>
        <button type="button" className="secondary" onClick={onCancel}>{t('chat.transfer.cancel')}</button>
      </div>
      {error && <p className="error" role="alert">{error}</p>}
    </form>
  );
}
