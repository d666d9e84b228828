import { useEffect, useState } from 'react';
import { api, ApiError } from '../../../../shared/api/client.ts';
import { useI18n } from '../../../../shared/i18n/i18n.tsx';
import { Link, navigate, useRoute } from '../../../app/router.tsx';
import { useHelpSearch } from '../hooks/useHelpSearch.ts';
import { helpClientId } from '../utils/help-client-id.ts';
import { HelpSearchBox, HelpSearchResults, useFirstHitFocus } from './HelpSearch.tsx';

/** 帮助中心: search and published public articles by category (no login), one article with "was this helpful". */

interface PublicArticle {
  id: string;
  kind: 'article' | 'script';
  category: { code: string; nameZh: string; nameEn: string } | null;
  title: string;
  body: string;
  tags: string[];
  publishedAt: string | null;
  helpfulYes: number;
  helpfulNo: number;
}

export default function HelpPage({ id }: { id?: string }) {
  return id ? <Article id={id} /> : <ArticleList />;
}

function ArticleList() {
  const { t, lang } = useI18n();
  const [items, setItems] = useState<PublicArticle[] | null>(null);
  const [category, setCategory] = useState<string>('');
  const [error, setError] = useState<string | null>(null);
  // The query lives in the URL too (?q=), so Back from an article returns to its results.
  const route = useRoute();
  const [text, setText] = useState(() => route.search.get('q') ?? '');
  const search = useHelpSearch(text);
  const { listRef, focusFirst } = useFirstHitFocus();
  const typed = (value: string): void => {
    setText(value);
    const q = value.trim();
    navigate(q ? `/help?q=${encodeURIComponent(q)}` : '/help', { replace: true });
  };

  useEffect(() => {
    api<{ items: PublicArticle[] }>('GET', '/kb/public?limit=200')
      .then((r) => setItems(r.items))
      .catch((e: unknown) => setError(e instanceof ApiError && e.status === 0 ? t('common.networkError') : t('common.error', { message: e instanceof Error ? e.message : String(e) })));
  }, [t]);

  const categories = items ? [...new Map(items.filter((i) => i.category).map((i) => [i.category!.code, i.category!])).values()] : [];
  const shown = items && category ? items.filter((i) => i.category?.code === category) : items ?? [];
  return (
    <section>
      <h1>{t('help.title')}</h1>
      <p className="muted">{t('help.intro')}</p>
      <HelpSearchBox value={text} onChange={typed} onDown={focusFirst} />
      <HelpSearchResults search={search} listRef={listRef} />
      {/* An empty box: the articles by category, as before the search. */}
      {!search.active && (error ? <p className="notice error" role="alert">{error}</p> : items === null ? <p className="notice">{t('common.loading')}</p> : (
        <>
          {categories.length > 1 && (
            <p className="form inline">
              <label>
                {t('help.category')}
                <select value={category} onChange={(e) => setCategory(e.target.value)}>
                  <option value="">{t('help.all')}</option>
                  {categories.map((c) => <option key={c.code} value={c.code}>{lang === 'zh' ? c.nameZh : c.nameEn}</option>)}
                </select>
              </label>
            </p>
          )}
          {shown.length === 0 ? <p className="notice">{t('help.empty')}</p> : (
            <ul className="list">
              {shown.map((a) => (
                <li key={a.id}>
                  <Link to={`/help/${encodeURIComponent(a.id)}`}>{a.title}</Link>
                  {a.category && <span className="muted"> · {lang === 'zh' ? a.category.nameZh : a.category.nameEn}</span>}
                </li>
              ))}
            </ul>
          )}
        </>
      ))}
    </section>
  );
}

function Article({ id }: { id: string }) {
  const { t } = useI18n();
  const [article, setArticle] = useState<PublicArticle | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [voted, setVoted] = useState(false);

  useEffect(() => {
    api<PublicArticle>('GET', `/kb/public/${encodeURIComponent(id)}`)
      .then(setArticle)
      .catch((e: unknown) => setError(e instanceof ApiError && (e.status === 404 || e.status === 400) ? t('help.notFound') : t('common.error', { message: e instanceof Error ? e.message : String(e) })));
  }, [id, t]);

  const vote = async (helpful: boolean): Promise<void> => {
    try {
      await api('POST', `/kb/public/${encodeURIComponent(id)}/feedback`, { body: { helpful, clientId: helpClientId() } });
      setVoted(true);
    } catch (e) {
      setError(t('common.error', { message: e instanceof Error ? e.message : String(e) }));
    }
  };

  return (
    <section>
      <p><Link to="/help">← {t('help.title')}</Link></p>
      {error && <p className="notice error" role="alert">{error}</p>}
      {!article && !error && <p className="notice">{t('common.loading')}</p>}
      {article && (
        <article>
          <h1>{article.title}</h1>
          {/* Plain text: React escapes it; line breaks kept by CSS. */}
          <div className="help-body">{article.body}</div>
          <footer className="muted">
            {voted ? <p role="status">{t('help.thanks')}</p> : (
              <p>
                {t('help.wasHelpful')}{' '}
                <button type="button" className="secondary" onClick={() => void vote(true)}>{t('help.yes')}</button>{' '}
                <button type="button" className="secondary" onClick={() => void vote(false)}>{t('help.no')}</button>
              </p>
            )}
          </footer>
        </article>
      )}
    </section>
  );
}
