import { useRef, type KeyboardEvent } from 'react';
import { ApiError } from '../../../../shared/api/client.ts';
import { useI18n } from '../../../../shared/i18n/i18n.tsx';
import { Link } from '../../../app/router.tsx';
import { MAX_QUERY, type HelpSearch } from '../hooks/useHelpSearch.ts';
import { Highlighted } from '../../../../shared/kb/Highlighted.tsx';
import { recordSearchClick } from '../utils/record-click.ts';

/** The search box of the help centre; its results render below it while it holds a query. */
export function HelpSearchBox({ value, onChange, onDown }: { value: string; onChange(value: string): void; onDown(): void }) {
  const { t } = useI18n();
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>): void => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      onDown();
    }
  };
  return (
    <form role="search" className="form help-search" onSubmit={(e) => e.preventDefault()}>
      <label htmlFor="help-q">
        {t('help.search.label')}
        <input id="help-q" type="search" name="q" value={value} maxLength={MAX_QUERY} autoComplete="off" placeholder={t('help.search.placeholder')} onChange={(e) => onChange(e.target.value)} onKeyDown={onKeyDown} />
      </label>
    </form>
  );
}

export function HelpSearchResults({ search, listRef }: { search: HelpSearch; listRef: React.RefObject<HTMLUListElement | null> }) {
  const { t } = useI18n();
  const { active, answer, searching, error } = search;

  const status = !active
    ? ''
    : searching && !answer
    ? t('help.search.searching')
    : error
      ? error instanceof ApiError && error.status === 0 ? t('common.networkError') : t('common.error', { message: error.message })
      : answer
        ? answer.hits.length === 0 ? t('help.search.none', { query: answer.query }) : t(answer.hits.length === 1 ? 'help.search.countOne' : 'help.search.count', { count: answer.hits.length })
        : '';

  const open = (hitId: string, rank: number): void => {
    if (!answer) return;
    // Sent while the article loads; the click's eventId stays the same across retries.
    recordSearchClick({ articleId: hitId, query: answer.query, searchId: answer.searchId, rank }).catch((e: unknown) => {
      console.warn('help search: the click was not recorded', e);
    });
  };

  // The live region stays mounted (empty while the box is), so its first count is announced too.
  return (
    <div className="help-results" aria-busy={searching}>
      <p role="status" aria-live="polite" className={error && active ? 'notice error' : 'muted'}>{status}</p>
      {!active ? null : answer && answer.hits.length === 0 && !error && (
        <p className="notice">
          {t('help.search.noneHint')} <Link to="/chat">{t('help.search.contact')}</Link>
        </p>
      )}
      {active && answer && answer.hits.length > 0 && (
        <ul className="list help-hits" aria-label={t('help.search.results')} ref={listRef}>
          {answer.hits.map((h, i) => (
            <li key={h.id}>
              <Link to={`/help/${encodeURIComponent(h.id)}`} onClick={() => open(h.id, i + 1)}>
                <Highlighted marked={h.highlight.title} original={h.title} />
              </Link>
              {h.highlight.body && <p className="muted help-excerpt"><Highlighted marked={h.highlight.body} /></p>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function useFirstHitFocus(): { listRef: React.RefObject<HTMLUListElement | null>; focusFirst(): void } {
  const listRef = useRef<HTMLUListElement | null>(null);
  return { listRef, focusFirst: () => listRef.current?.querySelector<HTMLAnchorElement>('a')?.focus() };
}
