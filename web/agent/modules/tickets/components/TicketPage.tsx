/**
 * One ticket for an agent: the header controls and SLA badges, the special-group banner, the
 * timeline and the reply box; beside it the customer and the parcel with its side tools, whose
 * sentences go into the reply box. The ticket is re-read every minute so the clocks stay true.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { TicketEvent } from '../../../../shared/api/client.ts';
import { useSession } from '../../../../shared/auth/useSession.tsx';
import { formatDateTime } from '../../../../shared/format.ts';
import { useI18n } from '../../../app/i18n.ts';
import { Link } from '../../../app/router.ts';
import { CustomerPanel } from '../../customers/components/CustomerPanel.tsx';
import { ParcelPanel } from '../../parcels/components/ParcelPanel.tsx';
import { ReplyBox } from '../../reply/components/ReplyBox.tsx';
import { ScriptsPanel } from '../../scripts/components/ScriptsPanel.tsx';
import type { InsertRequest } from '../../reply/utils/insert.ts';
import { channelKey, priorityKey, statusKey } from '../utils/labels.ts';
import { ticketPaths } from '../utils/preload.ts';
import type { TicketFull } from '../utils/types.ts';
import { usePreloadedData } from '../hooks/usePreloadedData.ts';
import { SlaBadges } from './SlaBadges.tsx';
import { SpecialGroupBanner } from './SpecialGroupBanner.tsx';
import { TicketControls } from './TicketControls.tsx';
import { Timeline } from './Timeline.tsx';

const REFRESH_MS = 60_000;

export default function TicketPage({ id }: { id: string }) {
  const { t, lang } = useI18n();
  const { me } = useSession();
  // The first answers may already be on their way (the app starts them with GET /me: utils/preload.ts).
  const ticket = usePreloadedData<TicketFull>(ticketPaths(id).ticket);
  const events = usePreloadedData<{ items: TicketEvent[] }>(ticketPaths(id).events);
  const error = ticket.error ?? events.error;
  const tk = ticket.data;
  const [insert, setInsert] = useState<InsertRequest | null>(null);
  const [waybill, setWaybill] = useState<string | null>(null);
  const seq = useRef(0);
  // When the ticket's answer arrived: the SLA badges count down from it.
  const [answeredAt, setAnsweredAt] = useState(() => Date.now());
  useEffect(() => setAnsweredAt(Date.now()), [tk]);
  const reloadTicket = ticket.reload;
  useEffect(() => {
    const timer = window.setInterval(reloadTicket, REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [reloadTicket]);

  const changed = useCallback(() => {
    ticket.reload();
    events.reload();
  }, [ticket, events]);
  const insertIntoReply = useCallback((text: string) => {
    seq.current += 1;
    setInsert({ seq: seq.current, text });
  }, []);

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
              <p className="muted small" data-testid="ticket-meta">
                <span className={`badge status-${tk.status}`}>{t(statusKey(tk.status))}</span> <span className={`badge priority-${tk.priority}`}>{t(priorityKey(tk.priority))}</span> · {t(channelKey(tk.channel))} · {formatDateTime(tk.createdAt, lang)}
                {tk.tags.length > 0 && <> · {tk.tags.map((g) => <span key={g} className="badge tag">#{g}</span>)}</>}
              </p>
              <SlaBadges clocks={tk.clocks} answeredAt={answeredAt} />
              <TicketControls key={tk.id} ticket={tk} meId={me.id} onChanged={changed} />
            </header>
            <SpecialGroupBanner groups={tk.specialGroups} notes={tk.serviceNotes} />
            {tk.description && <p className="event-body card">{tk.description}</p>}
            <h2>{t('ticket.timeline')}</h2>
            {events.data ? <Timeline events={events.data.items} meId={me.id} /> : !error && <p className="notice">{t('common.loading')}</p>}
            <ReplyBox ticketId={tk.id} ticketChannel={tk.channel} onSent={changed} insert={insert} />
          </section>
          <aside className="ticket-side" aria-label={t('ticket.details')}>
            <div className="card">
              {tk.customer ? <CustomerPanel key={tk.customer.id} customer={tk.customer} onWaybill={setWaybill} /> : (
                <>
                  <h2>{t('ticket.customer')}</h2>
                  <p className="muted">{t('ticket.noCustomer')}</p>
                </>
              )}
            </div>
            {(tk.waybills.length > 0 || waybill) && (
              <div className="card">
                <ParcelPanel waybills={waybill && !tk.waybills.includes(waybill) ? [...tk.waybills, waybill] : tk.waybills} selected={waybill} onSelect={setWaybill} onInsert={insertIntoReply} />
              </div>
            )}
            <div className="card"><ScriptsPanel key={tk.id} ticketId={tk.id} onInsert={insertIntoReply} /></div>
          </aside>
        </div>
      )}
    </div>
  );
}
