/** One ticket for an agent: what it is about, its timeline, and the reply box. */
import type { TicketDetail, TicketEvent } from '../../../../shared/api/client.ts';
import { useSession } from '../../../../shared/auth/useSession.tsx';
import { useApiData } from '../../../../shared/api/useApiData.ts';
import { formatDateTime } from '../../../../shared/format.ts';
import { useI18n } from '../../../app/i18n.ts';
import { Link } from '../../../app/router.ts';
import { ReplyBox } from '../../reply/components/ReplyBox.tsx';
import { channelKey, priorityKey, statusKey } from '../utils/labels.ts';
import { Timeline } from './Timeline.tsx';

export default function TicketPage({ id }: { id: string }) {
  const { t, lang } = useI18n();
  const { me } = useSession();
  const path = `/tickets/${encodeURIComponent(id)}`;
  const ticket = useApiData<TicketDetail>(path);
  const events = useApiData<{ items: TicketEvent[] }>(`${path}/events`);
  const error = ticket.error ?? events.error;
  const tk = ticket.data;

  return (
    <div className="ticket-page">
      <Link to="/tickets" className="back">← {t('ticket.back')}</Link>
      {error && <p role="alert" className="error">{t('common.error', { message: error.message })}</p>}
      {!tk && !error && <p className="notice">{t('common.loading')}</p>}
      {tk && me && (
        <div className="ticket-layout">
          <section className="ticket-main" aria-labelledby="ticket-title">
            <header className="card">
              <h1 id="ticket-title" className="ticket-number">{tk.number}</h1>
              <p className="ticket-subject">{tk.subject}</p>
              <p className="muted small">
                <span className={`badge status-${tk.status}`}>{t(statusKey(tk.status))}</span> <span className={`badge priority-${tk.priority}`}>{t(priorityKey(tk.priority))}</span> · {t(channelKey(tk.channel))} · {formatDateTime(tk.createdAt, lang)}
              </p>
            </header>
            <h2>{t('ticket.timeline')}</h2>
            {events.data ? <Timeline events={events.data.items} meId={me.id} /> : !error && <p className="notice">{t('common.loading')}</p>}
            <ReplyBox
              ticketId={tk.id}
              ticketChannel={tk.channel}
              onSent={() => {
                events.reload();
                ticket.reload();
              }}
            />
          </section>
          <aside className="ticket-side card" aria-label={t('ticket.details')}>
            <h2>{t('ticket.customer')}</h2>
            {tk.customer ? (
              <p data-testid="customer">
                {tk.customer.name ?? '—'}
                {tk.customer.phone && <span className="muted"> · {tk.customer.phone}</span>}
              </p>
            ) : (
              <p className="muted">{t('ticket.noCustomer')}</p>
            )}
            {tk.serviceNotes.length > 0 && (
              <>
                <h2>{t('ticket.serviceNotes')}</h2>
                <ul className="service-notes">
                  {tk.serviceNotes.map((n) => (
                    <li key={n.code}>{lang === 'zh' ? n.zh : n.en}</li>
                  ))}
                </ul>
              </>
            )}
            {tk.description && <p className="event-body">{tk.description}</p>}
          </aside>
        </div>
      )}
    </div>
  );
}
