/** The special-group banner every agent sees on opening the ticket, with the group's service notes (T3). */
import type { TicketDetail } from '../../../../shared/api/client.ts';
import { useI18n } from '../../../app/i18n.ts';
import { groupKey } from '../../customers/components/CustomerPanel.tsx';

export function SpecialGroupBanner({ groups, notes }: { groups: string[]; notes: TicketDetail['serviceNotes'] }) {
  const { t, lang } = useI18n();
  if (groups.length === 0 && notes.length === 0) return null;
  return (
    <section className="special-banner" role="note" aria-labelledby="special-title" data-testid="special-banner">
      <h2 id="special-title">{groups.length > 0 ? t('special.title', { groups: groups.map((g) => t(groupKey(g))).join(lang === 'zh' ? '、' : ', ') }) : t('special.goodsTitle')}</h2>
      {notes.length > 0 && (
        <ul className="service-notes">
          {notes.map((n) => (
            <li key={n.code}>{lang === 'zh' ? n.zh : n.en}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
