import type { TicketEvent, TicketSummary } from '../../../../shared/api/client.ts';
import { formatDateTime } from '../../../../shared/format.ts';
import { useI18n } from '../../../../shared/i18n/i18n.tsx';
import { Link } from '../../../app/router.tsx';
import { SignInRequired } from '../../auth/components/SignInRequired.tsx';
import { useSession } from '../../../../shared/auth/useSession.tsx';
import { useApiData } from '../../../../shared/api/useApiData.ts';
import { channelKey, eventKindKey, ticketStatusKey } from '../utils/labels.ts';

/** One ticket and its public timeline (the server leaves internal notes out for customers). */
export default function TicketPage({ id }: { id: string }) {
  const { t, lang } = useI18n();
  const { me } = useSession();
  const path = `/tickets/${encodeURIComponent(id)}`;
  const ticket = useApiData<TicketSummary>(me ? path : null);
  const events = useApiData<{ items: TicketEvent[] }>(me ? `${path}/events` : null);
  if (me === undefined) return <p className="notice">{t('common.loading')}</p>;
  if (me === null) return <SignInRequired next={path} />;
  const error = ticket.error ?? events.error;
  return (
    <section>
      <Link to="/tickets" className="back">← {t('common.back')}</Link>
      {error && <p role="alert" className="error">{t('common.error', { message: error.message })}</p>}
      {ticket.data && (
        <header className="card">
          <h1 className="ticket-number">{ticket.data.number}</h1>
          <p className="ticket-subject">{ticket.data.subject}</p>
          <p className="muted small">
            <span className={`badge status-${ticket.data.status}`}>{t(ticketStatusKey(ticket.data.status))}</span> · {t(channelKey(ticket.data.channel))} · {formatDateTime(ticket.data.createdAt, lang)}
          </p>
        </header>
      )}
      <h2>{t('tickets.timeline')}</h2>
      {!events.data && !error && <p className="notice">{t('common.loading')}</p>}
      {events.data && events.data.items.length === 0 && <p className="notice">{t('tickets.noEvents')}</p>}
      {events.data && events.data.items.length > 0 && (
        <ol className="timeline" data-testid="timeline">
          {events.data.items.map((e) => (
            <li key={e.id}>
              <div className="muted small">
                {formatDateTime(e.createdAt, lang)} · {t(eventKindKey(e.kind))}
                {e.kind === 'message' && ` · ${e.actorId === me.id ? t('event.author.customer') : t('event.author.staff')}`}
              </div>
              {e.body && <p className="event-body">{e.body}</p>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
