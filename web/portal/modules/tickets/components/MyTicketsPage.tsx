import type { TicketSummary } from '../../../../shared/api/client.ts';
import { formatDateTime } from '../../../../shared/format.ts';
import { useI18n } from '../../../../shared/i18n/i18n.tsx';
import { Link } from '../../../app/router.tsx';
import { SignInRequired } from '../../auth/components/SignInRequired.tsx';
import { useSession } from '../../../../shared/auth/useSession.tsx';
import { useApiData } from '../../../../shared/api/useApiData.ts';
import { channelKey, ticketStatusKey } from '../utils/labels.ts';

export default function MyTicketsPage() {
  const { t, lang } = useI18n();
  const { me } = useSession();
  const { data, error, reload } = useApiData<{ items: TicketSummary[] }>(me ? '/tickets?limit=50' : null);
  if (me === undefined) return <p className="notice">{t('common.loading')}</p>;
  if (me === null) return <SignInRequired next="/tickets" />;
  return (
    <section>
      <h1>{t('tickets.title')}</h1>
      {error && (
        <p role="alert" className="error">
          {t('common.error', { message: error.message })} <button type="button" className="secondary" onClick={reload}>{t('common.retry')}</button>
        </p>
      )}
      {!data && !error && <p className="notice">{t('common.loading')}</p>}
      {data && data.items.length === 0 && <p className="notice">{t('tickets.empty')}</p>}
      {data && data.items.length > 0 && (
        <ul className="ticket-list" data-testid="ticket-list">
          {data.items.map((tk) => (
            <li key={tk.id} className="card ticket-item">
              <div className="ticket-head">
                <Link to={`/tickets/${encodeURIComponent(tk.id)}`} className="ticket-number">{tk.number}</Link>
                <span className={`badge status-${tk.status}`}>{t(ticketStatusKey(tk.status))}</span>
              </div>
              <p className="ticket-subject">{tk.subject}</p>
              <p className="muted small">
                {t(channelKey(tk.channel))} · {t('tickets.updated')} {formatDateTime(tk.updatedAt, lang)}
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
