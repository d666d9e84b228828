/**
 * 话术 / Scripts beside a ticket (SPEC K2): the scripts suggested for it, with why; a search as the
 * agent types (debounced, latest answer only) with 【】 highlights as text and <mark>; and Insert,
 * which fills the script in for this ticket (POST /kb/articles/{id}/render, retried with one
 * eventId so the insert is recorded once) and hands the text to the reply box through `onInsert`
 * (the ticket page's path, the same as the parcel tools'). Variables the server could not fill
 * stay in the text as 「{运单号}」 and are named under the panel.
 */
import { useState, type ReactNode } from 'react';
import { ApiError, type KbSearchHit } from '../../../../shared/api/client.ts';
import { formatList } from '../../../../shared/format.ts';
import { Highlighted } from '../../../../shared/kb/Highlighted.tsx';
import { MAX_QUERY } from '../../../../shared/kb/useKbSearch.ts';
import { useI18n } from '../../../app/i18n.ts';
import { useScriptSearch } from '../hooks/useScriptSearch.ts';
import { useSuggestedScripts, type SuggestedScript } from '../hooks/useSuggestedScripts.ts';
import { recordScriptClick, renderForReply } from '../utils/render-script.ts';
import { unfilled, whyParts } from '../utils/scripts.ts';
import '../scripts.css';

interface Props {
  ticketId: string;
  onInsert(text: string): void;
}

interface Outcome {
  title: string;
  missing: string[];
}

/** Where an inserted hit came from: a search result is also a search click. */
interface FromSearch {
  query: string;
  searchId: number | null;
  rank: number;
}

export function ScriptsPanel({ ticketId, onInsert }: Props) {
  const { t, lang } = useI18n();
  const suggested = useSuggestedScripts(ticketId);
  const [text, setText] = useState('');
  const search = useScriptSearch(text);
  const [busy, setBusy] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [error, setError] = useState<string | null>(null);

  const insert = async (hit: KbSearchHit, from: FromSearch | null): Promise<void> => {
    setBusy(hit.id);
    setError(null);
    try {
      const r = await renderForReply(hit.id, ticketId);
      onInsert(r.text);
      setOutcome({ title: hit.title, missing: unfilled(r.text, r.missing) });
      if (from) {
        recordScriptClick({ articleId: hit.id, ticketId, ...from }).catch((e: unknown) => console.warn('scripts: the search click was not recorded', e));
      }
    } catch (e) {
      setOutcome(null);
      setError(e instanceof ApiError && e.status === 0 ? t('common.networkError') : t('common.error', { message: e instanceof Error ? e.message : String(e) }));
    } finally {
      setBusy(null);
    }
  };

  const why = (s: SuggestedScript): string =>
    formatList(whyParts(s.reasons, suggested.data?.situations ?? [], s.appliesTo).map((p) => (p.situations
      ? t(p.key, { situations: formatList(p.situations.map((k) => t(k)), lang) })
      : t(p.key))), lang);

  const item = (hit: KbSearchHit, extra: ReactNode, from: FromSearch | null) => (
    <li key={hit.id} className="script-hit">
      <p className="script-title"><Highlighted marked={hit.highlight.title} original={hit.title} /></p>
      {extra}
      {hit.highlight.body && <p className="muted small script-excerpt"><Highlighted marked={hit.highlight.body} /></p>}
      <button type="button" className="small-button secondary" aria-label={t('scripts.insertNamed', { title: hit.title })} disabled={busy !== null} onClick={() => void insert(hit, from)}>
        {busy === hit.id ? t('scripts.inserting') : t('scripts.insert')}
      </button>
    </li>
  );

  const { active, answer, searching } = search;
  const searchStatus = !active
    ? ''
    : searching && !answer
      ? t('scripts.searching')
      : search.error
        ? t('common.error', { message: search.error.message })
        : answer
          ? answer.hits.length === 0 ? t('scripts.none', { query: answer.query }) : t('scripts.count', { count: answer.hits.length })
          : '';

  return (
    <section className="scripts-panel" aria-labelledby="scripts-title">
      <h2 id="scripts-title">{t('scripts.title')}</h2>
      <form role="search" className="form scripts-search" onSubmit={(e) => e.preventDefault()}>
        <label>
          {t('scripts.search')}
          <input type="search" name="scriptQuery" value={text} maxLength={MAX_QUERY} autoComplete="off" placeholder={t('scripts.searchHint')} onChange={(e) => setText(e.target.value)} />
        </label>
      </form>
      <p role="status" aria-live="polite" className={search.error && active ? 'error small' : 'muted small'}>{searchStatus}</p>
      {active && answer && answer.hits.length > 0 && (
        <ul className="script-hits" aria-label={t('scripts.results')} aria-busy={searching}>
          {answer.hits.map((h, i) => item(h, null, { query: answer.query, searchId: answer.searchId, rank: i + 1 }))}
        </ul>
      )}
      {!active && (
        <>
          <h3>{t('scripts.suggested')}</h3>
          {suggested.error && <p role="alert" className="error small">{t('common.error', { message: suggested.error.message })}</p>}
          {!suggested.data && !suggested.error && <p className="muted small">{t('common.loading')}</p>}
          {suggested.data && suggested.data.scripts.length === 0 && <p className="muted small">{t('scripts.suggestedNone')}</p>}
          {suggested.data && suggested.data.scripts.length > 0 && (
            <ul className="script-hits" aria-label={t('scripts.suggested')} data-testid="suggested-scripts">
              {suggested.data.scripts.map((s) => item(s, s.reasons.length > 0 && <p className="small script-why">{t('scripts.why', { reasons: why(s) })}</p>, null))}
            </ul>
          )}
        </>
      )}
      <div aria-live="polite" data-testid="script-outcome">
        {outcome && <p className="small">{t('scripts.inserted', { title: outcome.title })}</p>}
        {outcome && outcome.missing.length > 0 && (
          <p className="notice small script-missing">{t('scripts.missing', { names: formatList(outcome.missing, lang) })}</p>
        )}
      </div>
      {error && <p role="alert" className="error small">{error}</p>}
    </section>
  );
}
