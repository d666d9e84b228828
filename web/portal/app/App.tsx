/** The portal shell: header with navigation and the language toggle, and the page for the route. Pages load on demand. */
import { lazy, Suspense, useEffect } from 'react';
import { useI18n } from '../../shared/i18n/i18n.tsx';
import { useSession } from '../../shared/auth/useSession.tsx';
import { ChatPage } from '../modules/chat/components/ChatPage.tsx';
import { LanguageToggle } from './LanguageToggle.tsx';
import { Link, useRoute } from './router.tsx';

const SignInPage = lazy(() => import('../modules/auth/components/SignInPage.tsx'));
const MyTicketsPage = lazy(() => import('../modules/tickets/components/MyTicketsPage.tsx'));
const TicketPage = lazy(() => import('../modules/tickets/components/TicketPage.tsx'));
const TrackPage = lazy(() => import('../modules/tracking/components/TrackPage.tsx'));
const HelpPage = lazy(() => import('../modules/help/components/HelpPage.tsx'));

function Page({ path }: { path: string }) {
  const { t } = useI18n();
  if (path === '/' || path === '/chat') return <ChatPage />;
  if (path === '/signin') return <SignInPage />;
  if (path === '/tickets') return <MyTicketsPage />;
  const ticket = /^\/tickets\/([^/]+)$/.exec(path);
  if (ticket) return <TicketPage id={decodeURIComponent(ticket[1]!)} />;
  if (path === '/track') return <TrackPage />;
  if (path === '/help') return <HelpPage />;
  const help = /^\/help\/([^/]+)$/.exec(path);
  if (help) return <HelpPage id={decodeURIComponent(help[1]!)} />;
  return <p className="notice">{t('common.notFound')}</p>;
}

export function App() {
  const { t } = useI18n();
  const route = useRoute();
  const embed = route.search.get('embed') === '1';
  useEffect(() => {
    document.title = t('app.title');
  }, [t]);

  if (embed) {
    // Inside the widget's iframe: the chat only, compact, with the language toggle.
    return (
      <div className="embed">
        <header className="embed-header">
          <strong>{t('chat.title')}</strong>
          <LanguageToggle />
        </header>
        <main id="main">
          <ChatPage embedded />
        </main>
      </div>
    );
  }

  return (
    <div className="shell">
      <a className="skip" href="#main">{t('app.skip')}</a>
      <header className="top">
        <Link to="/" className="brand">{t('app.title')}</Link>
        <nav aria-label={t('nav.main')}>
          <Link to="/chat" aria-current={route.path === '/' || route.path === '/chat' ? 'page' : undefined}>{t('nav.chat')}</Link>
          <Link to="/tickets" aria-current={route.path.startsWith('/tickets') ? 'page' : undefined}>{t('nav.tickets')}</Link>
          <Link to="/track" aria-current={route.path === '/track' ? 'page' : undefined}>{t('nav.track')}</Link>
          <Link to="/help" aria-current={route.path.startsWith('/help') ? 'page' : undefined}>{t('nav.help')}</Link>
        </nav>
        <div className="top-right">
          <SessionBox />
          <LanguageToggle />
        </div>
      </header>
      <main id="main" className="page">
        <Suspense fallback={<p className="notice">{t('common.loading')}</p>}>
          <Page path={route.path} />
        </Suspense>
      </main>
    </div>
  );
}

function SessionBox() {
  const { t } = useI18n();
  const { me, signOut } = useSession();
  if (me === undefined) return null;
  if (me === null) return <Link to="/signin" className="button-link">{t('nav.signIn')}</Link>;
  return (
    <span className="session">
      <span className="who">{t('signIn.signedInAs', { name: me.displayName })}</span>
      <button type="button" className="secondary" onClick={() => void signOut()}>{t('nav.signOut')}</button>
    </span>
  );
}
