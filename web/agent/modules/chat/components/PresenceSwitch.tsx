/** Online / away / offline and how many chats at once, as the server has them; a change is saved at once. */
import { useI18n, type AgentMessageKey } from '../../../app/i18n.ts';
import type { Presence } from '../hooks/usePresence.ts';
import type { PresenceStatus } from '../utils/types.ts';

const STATUSES: { value: PresenceStatus; label: AgentMessageKey }[] = [
  { value: 'online', label: 'chat.presence.online' },
  { value: 'away', label: 'chat.presence.away' },
  { value: 'offline', label: 'chat.presence.offline' },
];
const CAPACITIES = Array.from({ length: 20 }, (_, i) => i + 1);

export function PresenceSwitch({ presence, activeChats }: { presence: Presence; activeChats: number }) {
  const { t } = useI18n();
  const p = presence.presence;
  return (
    <section className="card chat-presence" aria-labelledby="chat-presence-title" data-testid="presence">
      <h2 id="chat-presence-title">{t('chat.presence.title')}</h2>
      <fieldset className="presence-options" disabled={!p || presence.saving}>
        <legend className="sr-only">{t('chat.presence.legend')}</legend>
        {STATUSES.map((s) => (
          <label key={s.value} className={`presence-option presence-${s.value}${p?.status === s.value ? ' selected' : ''}`}>
            <input type="radio" name="presence" value={s.value} checked={p?.status === s.value} onChange={() => void presence.set({ status: s.value })} />
            {t(s.label)}
          </label>
        ))}
      </fieldset>
      <div className="presence-capacity">
        <label htmlFor="chat-capacity">{t('chat.presence.capacity')}</label>
        <select id="chat-capacity" value={p?.capacity ?? ''} disabled={!p || presence.saving} onChange={(e) => p && void presence.set({ status: p.status, capacity: Number(e.target.value) })}>
          {!p && <option value="">…</option>}
          {CAPACITIES.map((n) => (
            <option key={n} value={n}>{n}</option>
          ))}
        </select>
      </div>
      <p className="muted small presence-load" data-testid="presence-load">
        {p ? t('chat.presence.load', { active: activeChats, capacity: p.capacity }) : t('common.loading')}
      </p>
      {p?.status === 'online' && <p className="muted small">{t('chat.presence.onlineHint')}</p>}
      {presence.error && <p className="error" role="alert">{t('common.error', { message: presence.error })}</p>}
    </section>
  );
}
