import { useState, type FormEvent } from 'react';
import { api, ApiError, type Shipment } from '../../../../shared/api/client.ts';
import { formatDateTime } from '../../../../shared/format.ts';
import { useI18n } from '../../../../shared/i18n/i18n.tsx';
import { SignInRequired } from '../../auth/components/SignInRequired.tsx';
import { useSession } from '../../../../shared/auth/useSession.tsx';
import { trackingPath } from '../utils/tracking-path.ts';

/**
 * Track a parcel: the server answers a signed-in customer for their own parcels, or for any
 * waybill together with the sender's or receiver's last four phone digits.
 */
export default function TrackPage() {
  const { t, lang } = useI18n();
  const { me } = useSession();
  const [waybill, setWaybill] = useState('');
  const [last4, setLast4] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [shipment, setShipment] = useState<Shipment | null>(null);

  if (me === undefined) return <p className="notice">{t('common.loading')}</p>;
  if (me === null) return <SignInRequired next="/track" message={t('track.signInFirst')} />;

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    if (last4 !== '' && !/^\d{4}$/.test(last4)) {
      setError(t('track.invalidLast4'));
      return;
    }
    setBusy(true);
    setError(null);
    setShipment(null);
    try {
      setShipment(await api<Shipment>('GET', trackingPath(waybill, last4)));
    } catch (err) {
      if (err instanceof ApiError && (err.status === 404 || err.status === 403)) setError(t('track.notFound'));
      else if (err instanceof ApiError && err.status === 429) setError(t('track.rateLimited'));
      else if (err instanceof ApiError && err.status === 0) setError(t('common.networkError'));
      else setError(t('common.error', { message: err instanceof Error ? err.message : String(err) }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section>
      <h1>{t('track.title')}</h1>
      <p className="muted">{t('track.intro')}</p>
      <form className="form inline" onSubmit={(e) => void submit(e)}>
        <label>
          {t('track.waybill')}
          <input name="waybill" value={waybill} onChange={(e) => setWaybill(e.target.value)} required maxLength={40} autoComplete="off" />
        </label>
        <label>
          {t('track.last4')}
          <input name="last4" value={last4} onChange={(e) => setLast4(e.target.value.replace(/\D/g, '').slice(0, 4))} inputMode="numeric" pattern="\d{4}" maxLength={4} autoComplete="off" />
        </label>
        <button type="submit" disabled={busy || waybill.trim() === ''}>{busy ? t('track.searching') : t('track.submit')}</button>
      </form>
      {error && <p role="alert" className="error">{error}</p>}
      {shipment && (
        <article className="card shipment" data-testid="shipment">
          <header className="ticket-head">
            <h2 className="ticket-number">{shipment.waybill}</h2>
            <span className={`badge ship-${shipment.status}`}>{shipment.statusLabel[lang]}</span>
          </header>
          <p className="sentence" data-testid="sentence">{shipment.sentence[lang]}</p>
          {(shipment.delay.state === 'delayed' || shipment.delay.state === 'may_be_lost') && (
            <p className="warning" role="status">{t(shipment.delay.state === 'delayed' ? 'track.delay.delayed' : 'track.delay.may_be_lost')}</p>
          )}
          <dl className="facts">
            <div>
              <dt>{t('track.status')}</dt>
              <dd>{shipment.statusLabel[lang]}</dd>
            </div>
            <div>
              <dt>{t('track.expected')}</dt>
              <dd data-testid="expected">{formatDateTime(shipment.expectedDelivery, lang) || '—'}</dd>
            </div>
            <div>
              <dt>{t('track.lastPlace')}</dt>
              <dd>{shipment.lastFacility ?? shipment.lastLocation ?? '—'}</dd>
            </div>
          </dl>
          <h3>{t('track.events')}</h3>
          {shipment.events.length === 0 && <p className="notice">{t('track.noEvents')}</p>}
          <ol className="timeline">
            {shipment.events.map((ev, i) => (
              <li key={`${ev.occurredAt}-${i}`}>
                <div className="muted small">{formatDateTime(ev.occurredAt, lang)} · {ev.statusLabel[lang]}</div>
                <p className="event-body">{[ev.facility ?? ev.location, ev.text].filter(Boolean).join(' · ')}</p>
                {ev.pickupCode && <p className="small">{t('track.pickupCode', { code: ev.pickupCode })}</p>}
              </li>
            ))}
          </ol>
        </article>
      )}
    </section>
  );
}
