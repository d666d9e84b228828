/** The ticket's timeline, read-only: every message, note and event the agent may see, oldest first. */
import type { TicketEvent } from '../../../../shared/api/client.ts';
import { formatDateTime } from '../../../../shared/format.ts';
import { useI18n } from '../../../app/i18n.ts';
import { authorOf, eventKey, relatedLine, statusKey } from '../utils/labels.ts';

export function Timeline({ events, meId }: { events: TicketEvent[]; meId: string }) {
  const { t, lang } = useI18n();
  if (events.length === 0) return <p className="notice">{t('ticket.noEvents')}</p>;
  return (
    <ol className="timeline" data-testid="timeline">
      {events.map((e) => {
        const author = authorOf(e, meId);
        const related = relatedLine(e);
        const from = typeof e.data.from === 'string' ? e.data.from : null;
        const to = typeof e.data.to === 'string' ? e.data.to : null;
        // A change the system made on its own names why by a code (worded here); a person's reason is shown as written.
        const auto = e.data.auto === 'first_reply' ? t('event.auto.first_reply') : e.data.auto === 'customer_replied' ? t('event.auto.customer_replied') : null;
        const reason = auto ?? (typeof e.data.reason === 'string' && e.kind !== 'message' && e.kind !== 'note' ? e.data.reason : null);
        return (
          <li key={e.id} data-kind={e.kind} className={e.visibility === 'internal' ? 'internal' : undefined}>
            <div className="muted small">
              <time dateTime={e.createdAt}>{formatDateTime(e.createdAt, lang)}</time> · {t(eventKey(e.kind))}
              {' · '}
              <span className="event-author" data-testid="event-author">
                {author.name ?? t(author.key)}
                {author.role && <> <span className="badge role-badge">{t(author.role)}</span></>}
                {author.me && author.name !== null && <> <span className="badge me-badge">{t('event.by.me')}</span></>}
              </span>
              {e.kind === 'status' && from && to && ` · ${t(statusKey(from))} → ${t(statusKey(to))}`}
              {e.visibility === 'internal' && <span className="badge internal-badge">{t('event.internal')}</span>}
            </div>
            {e.body && <p className="event-body">{e.body}</p>}
            {related && <p className="event-body small" data-testid="event-related">{t(related.key, { number: related.number })}</p>}
            {reason && <p className="event-body small">{t('event.reason', { reason })}</p>}
          </li>
        );
      })}
    </ol>
  );
}
