/** SLA at risk: open tickets whose clock is past its warning time or its deadline, soonest deadline first, each linking to its ticket. */
import { formatDateTime } from '../../../../shared/format.ts';
import { useI18n } from '../../../app/i18n.ts';
import { Link } from '../../../app/router.ts';
import { channelKey, priorityKey } from '../../tickets/utils/labels.ts';
import { remainingLabel } from '../utils/chart-data.ts';
import type { AtRiskItem } from '../utils/types.ts';

export function AtRiskList({ items }: { items: AtRiskItem[] }) {
  const { t, lang } = useI18n();
  if (items.length === 0) return <p className="notice" data-testid="at-risk-empty">{t('dash.atRiskEmpty')}</p>;
  const clockName = (c: string): string => (c === 'first_response' || c === 'resolution' ? t(`dash.clock.${c}`) : c);
  return (
    // Scrolls on its own when narrower than its columns; the page itself never scrolls sideways.
    <div className="table-scroll" tabIndex={0} role="region" aria-label={t('dash.atRiskTitle')}>
    <table className="tickets at-risk" data-testid="at-risk-list">
      <caption className="sr-only">{t('dash.atRiskTitle')}</caption>
      <thead>
        <tr><th scope="col">{t('tickets.number')}</th><th scope="col">{t('tickets.subject')}</th><th scope="col">{t('dash.clock')}</th><th scope="col">{t('dash.due')}</th><th scope="col">{t('dash.owner')}</th><th scope="col" className="col-channel">{t('tickets.channel')}</th><th scope="col">{t('tickets.priority')}</th></tr>
      </thead>
      <tbody>
        {items.map((i) => {
          const r = remainingLabel(i.remainingMs, lang);
          return (
            <tr key={`${i.ticketId}-${i.clock}`} data-state={i.state}>
              <td><Link to={`/tickets/${encodeURIComponent(i.ticketId)}`} className="ticket-number">{i.number}</Link></td>
              <td>{i.subject}</td>
              <td className="nowrap">{clockName(i.clock)}</td>
              <td><span className={`badge sla-${i.state}`}>{t(`dash.state.${i.state}`)}</span> <span className={r.overdue ? 'overdue' : undefined}>{r.text}</span><br /><small>{formatDateTime(i.dueAt, lang)}</small></td>
              <td>{i.ownerName ?? t('dash.unowned')}{i.teamName && <small className="team"> · {i.teamName}</small>}</td>
              <td className="col-channel">{t(channelKey(i.channel))}</td>
              <td><span className={`badge priority-${i.priority}`}>{t(priorityKey(i.priority))}</span></td>
            </tr>
          );
        })}
      </tbody>
    </table>
    </div>
  );
}
