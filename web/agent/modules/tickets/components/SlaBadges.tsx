/** The ticket's SLA clocks as counting-down badges: amber when at risk, red when breached (T5). */
import { useEffect, useState } from 'react';
import { formatDateTime } from '../../../../shared/format.ts';
import type { AgentMessageKey } from '../../../app/i18n.ts';
import { useI18n } from '../../../app/i18n.ts';
import { clockBadge, countdownText, type ClockView } from '../utils/sla-countdown.ts';

const CLOCK_NAMES: Record<string, AgentMessageKey> = {
  first_response: 'sla.clock.first_response',
  next_response: 'sla.clock.next_response',
  resolution: 'sla.clock.resolution',
  escalation_reply: 'sla.clock.escalation_reply',
  courier_contact: 'sla.clock.courier_contact',
  compensation_payment: 'sla.clock.compensation_payment',
  return_visit: 'sla.clock.return_visit',
};

export function SlaBadges({ clocks, answeredAt }: { clocks: ClockView[]; answeredAt: number }) {
  const { t, lang } = useI18n();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(id);
  }, []);
  if (clocks.length === 0) return <p className="muted small">{t('sla.none')}</p>;
  return (
    <ul className="sla-badges" aria-label={t('sla.title')} data-testid="sla-badges">
      {clocks.map((c) => {
        const b = clockBadge(c, answeredAt, now);
        const name = CLOCK_NAMES[c.clock] ? t(CLOCK_NAMES[c.clock]!) : c.clock;
        return (
          <li key={c.clock} className={`sla-badge sla-${b.tone}`} data-clock={c.clock} data-tone={b.tone} data-due-at={c.dueAt ?? undefined} title={c.dueAt ? t('sla.due', { at: formatDateTime(c.dueAt, lang) }) : undefined}>
            <span className="sla-name">{name}</span> <span className="sla-time">{countdownText(b, t)}</span>
          </li>
        );
      })}
    </ul>
  );
}
