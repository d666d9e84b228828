/**
 * The parcel beside a ticket with a waybill: the sentence to read to the customer, the tracking
 * timeline, and the express side tools (quote, delivery estimate, item check, compensation), each
 * answer with a button that puts its sentence into the reply box.
 */
import { useState } from 'react';
import type { Shipment } from '../../../../shared/api/client.ts';
import { useApiData } from '../../../../shared/api/useApiData.ts';
import { formatDateTime } from '../../../../shared/format.ts';
import { useI18n } from '../../../app/i18n.ts';
import { ExpressTools, type ParcelFacts } from './ExpressTools.tsx';

type ShipmentDetail = Shipment & { product: string; weightKg: number | null; declaredValue: number | null; insured: boolean; postage: number | null; itemDescription: string | null };

export function ParcelPanel({ waybills, selected, onSelect, onInsert }: { waybills: string[]; selected: string | null; onSelect(w: string): void; onInsert(text: string): void }) {
  const { t, lang } = useI18n();
  const waybill = selected ?? waybills[0] ?? null;
  const shipment = useApiData<ShipmentDetail>(waybill ? `/shipments/${encodeURIComponent(waybill)}` : null);
  const [open, setOpen] = useState(false);
  const s = shipment.data && shipment.data.waybill === waybill ? shipment.data : undefined;
  const facts: ParcelFacts | null = s
    ? { origin: s.origin, destination: s.destination, weightKg: s.weightKg, declaredValue: s.declaredValue, insured: s.insured, postage: s.postage, itemDescription: s.itemDescription, product: s.product }
    : null;
  const pick = (w: string): void => {
    setOpen(false);
    onSelect(w);
  };

  return (
    <section className="parcel-panel" aria-labelledby="parcel-title" data-testid="parcel-panel">
      <h2 id="parcel-title">{t('parcel.title')}</h2>
      {waybills.length > 1 && (
        <label className="small">
          {t('parcel.waybill')}
          <select value={waybill ?? ''} onChange={(e) => pick(e.target.value)}>
            {waybills.map((w) => (
              <option key={w} value={w}>{w}</option>
            ))}
          </select>
        </label>
      )}
      {waybill && <p className="ticket-number small">{waybill}</p>}
      {shipment.error && <p className="muted small" role="status">{t('parcel.unavailable', { message: shipment.error.message })}</p>}
      {waybill && !s && !shipment.error && <p className="notice">{t('common.loading')}</p>}
      {s && (
        <>
          <p className="parcel-sentence" data-testid="parcel-sentence">
            <span className={`badge parcel-${s.status}`}>{lang === 'zh' ? s.statusLabel.zh : s.statusLabel.en}</span> {lang === 'zh' ? s.sentence.zh : s.sentence.en}
          </p>
          <button type="button" className="secondary small-button" onClick={() => onInsert(lang === 'zh' ? s.sentence.zh : s.sentence.en)}>{t('tools.insert')}</button>
          <details open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
            <summary>{t('parcel.timeline', { n: s.events.length })}</summary>
            <ol className="tracking" data-testid="tracking">
              {s.events.map((e, i) => (
                <li key={`${e.occurredAt}-${i}`}>
                  <span className="muted small"><time dateTime={e.occurredAt}>{formatDateTime(e.occurredAt, lang)}</time> · {lang === 'zh' ? e.statusLabel.zh : e.statusLabel.en}</span>
                  <br />
                  {[e.location, e.facility, e.text].filter(Boolean).join(' · ')}
                </li>
              ))}
            </ol>
          </details>
        </>
      )}
      <ExpressTools facts={facts} onInsert={onInsert} />
    </section>
  );
}
