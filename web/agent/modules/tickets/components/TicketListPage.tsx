/** A minimal ticket list to pick a ticket from (the inbox with its views is issue 6's): newest first, searchable. */
import { useState, type FormEvent } from 'react';
import type { TicketPage } from '../../../../shared/api/client.ts';
import { useApiData } from '../../../../shared/api/useApiData.ts';
import { formatDateTime } from '../../../../shared/format.ts';
import { useI18n } from '../../../app/i18n.ts';
import { Link, navigate, useRoute } from '../../../app/router.ts';
import { channelKey, priorityKey, statusKey } from '../utils/labels.ts';

export default function TicketListPage() {
  const { t, lang } = useI18n();
  const route = useRoute();
  const q = route.search.get('q') ?? '';
  const [draft, setDraft] = useState(q);
  const list = useApiData<TicketPage>(`/tickets?limit=50${q ? `&q=${encodeURIComponent(q)}` : ''}`);

  const search = (e: FormEvent): void => {
    e.preventDefault();
    const next = draft.trim();
    navigate(next ? `/tickets?q=${encodeURIComponent(next)}` : '/tickets');
  };

  return (
    <section>
      <h1>{t('tickets.title')}</h1>
      <form role="search" className="form inline search" onSubmit={search}>
        <label>
          {t('tickets.search')}
          <input name="q" type="search" value={draft} placeholder={t('tickets.searchHint')} onChange={(e) => setDraft(e.target.value)} />
        </label>
        <button type="submit">{t('tickets.searchSubmit')}</button>
      </form>
      {list.error && <p role="alert" className="error">{t('common.error', { message: list.error.message })}</p>}
      {!list.data && !list.error && <p className="notice">{t('common.loading')}</p>}
      {list.data && list.data.items.length === 0 && <p className="notice">{t('tickets.empty')}</p>}
      {list.data && list.data.items.length > 0 && (
        <table className="tickets" data-testid="ticket-list">
          <caption className="sr-only">{t('tickets.list')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('tickets.number')}</th>
              <th scope="col">{t('tickets.subject')}</th>
              <th scope="col">{t('tickets.status')}</th>
              <th scope="col">{t('tickets.priority')}</th>
              <th scope="col">{t('tickets.channel')}</th>
              <th scope="col">{t('tickets.updated')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((tk) => (
              <tr key={tk.id}>
                <td><Link to={`/tickets/${encodeURIComponent(tk.id)}`} className="ticket-number">{tk.number}</Link></td>
                <td>{tk.subject}</td>
                <td><span className={`badge status-${tk.status}`}>{t(statusKey(tk.status))}</span></td>
                <td><span className={`badge priority-${tk.priority}`}>{t(priorityKey(tk.priority))}</span></td>
                <td>{t(channelKey(tk.channel))}</td>
                <td className="nowrap">{formatDateTime(tk.updatedAt, lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
