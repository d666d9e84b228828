/**
 * The customer beside the ticket: contact data masked as the API returns it, each field revealed
 * only on an explicit request with a reason (P1, audited by the server); tier and special groups;
 * contacts across channels; their parcels.
 */
import { useState, type FormEvent } from 'react';
import { api } from '../../../../shared/api/client.ts';
import { useApiData } from '../../../../shared/api/useApiData.ts';
import { formatDateTime } from '../../../../shared/format.ts';
import { useI18n, type AgentMessageKey } from '../../../app/i18n.ts';
import { Link } from '../../../app/router.ts';
import { useAction } from '../../tickets/hooks/useAction.ts';
import { ActionStatus } from '../../tickets/components/ActionStatus.tsx';
import { channelKey } from '../../tickets/utils/labels.ts';
import type { CustomerView, HistoryItem, ShipmentSummaryView } from '../../tickets/utils/types.ts';

type Field = 'name' | 'phone' | 'email' | 'address';
const FIELDS: { field: Field; label: AgentMessageKey }[] = [
  { field: 'name', label: 'customer.name' },
  { field: 'phone', label: 'customer.phone' },
  { field: 'email', label: 'customer.email' },
  { field: 'address', label: 'customer.address' },
];
const TIERS: Record<string, AgentMessageKey> = { standard: 'customer.tier.standard', vip: 'customer.tier.vip', enterprise: 'customer.tier.enterprise' };

export function CustomerPanel({ customer, onWaybill }: { customer: CustomerView; onWaybill(waybill: string): void }) {
  const { t, lang } = useI18n();
  const history = useApiData<{ items: HistoryItem[] }>(`/customers/${customer.id}/history?limit=20`);
  const parcels = useApiData<{ items: ShipmentSummaryView[] }>(`/customers/${customer.id}/shipments?limit=10`);
  const [revealed, setRevealed] = useState<Partial<Record<Field, string | null>>>({});
  const [asking, setAsking] = useState<Field | null>(null);

  return (
    <section className="customer-panel" aria-labelledby="customer-title" data-testid="customer-panel">
      <h2 id="customer-title">{t('ticket.customer')}</h2>
      <p className="small">
        <span className={`badge tier-${customer.tier}`}>{t(TIERS[customer.tier] ?? 'customer.tier.standard')}</span>
        {customer.specialGroups.map((g) => (
          <span key={g} className="badge special-badge">{t(groupKey(g))}</span>
        ))}
      </p>
      <dl className="contact">
        {FIELDS.map(({ field, label }) => {
          const value = customer[field];
          if (value === null) return null;
          const full = revealed[field];
          return (
            <div key={field} className="contact-row" data-field={field}>
              <dt>{t(label)}</dt>
              <dd>
                <span data-testid={`customer-${field}`}>{full !== undefined ? (full ?? '—') : value}</span>
                {customer.masked && full === undefined && asking !== field && (
                  <button type="button" className="link-button" onClick={() => setAsking(field)} aria-label={t('customer.revealLabel', { field: t(label) })}>
                    {t('customer.reveal')}
                  </button>
                )}
                {full !== undefined && <span className="muted small"> {t('customer.revealedNote')}</span>}
              </dd>
              {asking === field && (
                <RevealForm
                  customerId={customer.id}
                  field={field}
                  label={t(label)}
                  onCancel={() => setAsking(null)}
                  onRevealed={(v) => {
                    setRevealed((r) => ({ ...r, [field]: v }));
                    setAsking(null);
                  }}
                />
              )}
            </div>
          );
        })}
      </dl>
      <h3>{t('customer.parcels')}</h3>
      {parcels.error && <p className="muted small">{t('common.error', { message: parcels.error.message })}</p>}
      {parcels.data && parcels.data.items.length === 0 && <p className="muted small">{t('customer.noParcels')}</p>}
      {parcels.data && parcels.data.items.length > 0 && (
        <ul className="compact-list" data-testid="customer-parcels">
          {parcels.data.items.map((p) => (
            <li key={p.waybill}>
              <button type="button" className="link-button" onClick={() => onWaybill(p.waybill)}>{p.waybill}</button> · {lang === 'zh' ? p.statusLabel.zh : p.statusLabel.en}
            </li>
          ))}
        </ul>
      )}
      <h3>{t('customer.history')}</h3>
      {history.error && <p className="muted small">{t('common.error', { message: history.error.message })}</p>}
      {history.data && history.data.items.length === 0 && <p className="muted small">{t('customer.noHistory')}</p>}
      {history.data && history.data.items.length > 0 && (
        <ol className="compact-list" data-testid="customer-history">
          {history.data.items.map((h, i) => (
            <li key={`${h.at}-${i}`}>
              <span className="muted small"><time dateTime={h.at}>{formatDateTime(h.at, lang)}</time> · {t(channelKey(h.channel))}</span>
              <br />
              {h.ticketId && h.ticketNumber ? <Link to={`/tickets/${encodeURIComponent(h.ticketId)}`}>{h.ticketNumber}</Link> : null} {h.summary}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function RevealForm({ customerId, field, label, onCancel, onRevealed }: { customerId: string; field: Field; label: string; onCancel(): void; onRevealed(value: string | null): void }) {
  const { t } = useI18n();
  const action = useAction();
  const [reason, setReason] = useState('');
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    if (reason.trim().length < 4) return;
    let value: string | null = null;
    const ok = await action.run(async () => {
      value = (await api<{ value: string | null }>('POST', `/customers/${customerId}/reveal`, { body: { field, reason: reason.trim() } })).value;
    }, '');
    if (ok) onRevealed(value);
  };
  return (
    <form className="reveal-form" onSubmit={(e) => void submit(e)} data-testid="reveal-form">
      <label>
        {t('customer.revealReason', { field: label })}
        <input name="revealReason" value={reason} required minLength={4} maxLength={500} autoFocus onChange={(e) => setReason(e.target.value)} />
      </label>
      <p className="muted small">{t('customer.revealHint')}</p>
      <button type="submit" disabled={action.busy || reason.trim().length < 4}>{t('customer.revealSubmit')}</button>
      <button type="button" className="secondary" onClick={onCancel}>{t('customer.revealCancel')}</button>
      <ActionStatus action={action} testId="reveal" />
    </form>
  );
}

const GROUPS: Record<string, AgentMessageKey> = {
  elderly: 'group.elderly',
  pregnant: 'group.pregnant',
  hearing_impaired: 'group.hearing_impaired',
  visually_impaired: 'group.visually_impaired',
  disabled: 'group.disabled',
};
export const groupKey = (code: string): AgentMessageKey => GROUPS[code] ?? 'group.other';
