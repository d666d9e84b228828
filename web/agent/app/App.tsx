/**
 * The agent workspace's shell: sign-in first, then the header (role-aware navigation, who is
 * signed in, language) and the page for the route. Pages load on demand.
 */
import { lazy, Suspense, useEffect } from 'react';
import { useSession } from '../../shared/auth/useSession.tsx';
import LoginPage from '../modules/auth/components/LoginPage.tsx';
import { StaffOnly } from '../modules/auth/components/StaffOnly.tsx';
import { preloadTicket } from '../modules/tickets/utils/preload.ts';
import { useI18n } from './i18n.ts';
import { LanguageToggle } from './LanguageToggle.tsx';
import { isCurrent, isStaff, navFor, roleKey } from './nav.ts';
import { Link, navigate, safeNext, useRoute } from './router.ts';

// The inbox is the page most visits open: its code loads alongside GET /me, not after it, and once
// loaded renders without suspending (a suspended boundary is revealed only after React's ~300 ms
// fallback throttle). A failed early load is not lost: lazy() imports again and shows the error.
let inboxLoaded: typeof import('../modules/inbox/components/InboxPage.tsx') | null = null;
const loadInbox = () => import('../modules/inbox/components/InboxPage.tsx').then((m) => (inboxLoaded = m));
if (/^\/(tickets\/?)?$/.test(window.location.pathname)) loadInbox().catch(() => undefined);
const LazyInboxPage = lazy(loadInbox);
function InboxPage() {
  const Loaded = inboxLoaded?.default;
  return Loaded ? <Loaded /> : <LazyInboxPage />;
}
// The ticket page likewise: opened by URL, its chunk and its first two requests (the ticket, its
// timeline: modules/tickets/utils/preload.ts) start alongside GET /me, and it renders without suspending.
let ticketLoaded: typeof import('../modules/tickets/components/TicketPage.tsx') | null = null;
const loadTicketPage = () => import('../modules/tickets/components/TicketPage.tsx').then((m) => (ticketLoaded = m));
const ticketAtLoad = /^\/tickets\/([^/]+)$/.exec(window.location.pathname);
if (ticketAtLoad) {
  loadTicketPage().catch(() => undefined);
  try {
    preloadTicket(decodeURIComponent(ticketAtLoad[1]!));
  } catch {
    // A malformed URL: the page itself says so.
  }
}
const LazyTicketPage = lazy(loadTicketPage);
function TicketPage({ id }: { id: string }) {
  const Loaded = ticketLoaded?.default;
  return Loaded ? <Loaded id={id} /> : <LazyTicketPage id={id} />;
}
// Its own chunk with ECharts: agents who never open it never download the charting library.
const DashboardPage = lazy(() => import('../modules/dashboard/components/DashboardRoute.tsx'));
const AdminPage = lazy(() => import('../modules/admin/components/AdminPage.tsx'));
const ChatConsolePage = lazy(() => import('../modules/chat/components/ChatConsolePage.tsx'));

function Page({ path }: { path: string }) {
  const { t } = useI18n();
  if (path === '/' || path === '/tickets') return <InboxPage />;
  const ticket = /^\/tickets\/([^/]+)$/.exec(path);
  // Keyed by the ticket: another ticket is a fresh page (its own draft, findings and data).
  if (ticket) return <TicketPage key={ticket[1]} id={decodeURIComponent(ticket[1]!)} />;
  if (path === '/dashboard') return <DashboardPage />;
  if (path === '/chat') return <ChatConsolePage />;
  if (path === '/admin' || path.startsWith('/admin/')) return <AdminPage path={path} />;
  return <p className="notice">{t('common.notFound')}</p>;
}

export function App() {
  const { t } = useI18n();
  const route = useRoute();
  const { me, signOut } = useSession();
  useEffect(() => {
    document.title = t('app.title');
  }, [t]);
  // Signed in on /login (or just now): on to where the agent was going.
  useEffect(() => {
    if (me && route.path === '/login') navigate(safeNext(route.search.get('next')), { replace: true });
  }, [me, route]);

  if (me === undefined) return <p className="notice page">{t('common.loading')}</p>;
  if (me === null) {
    return (
      <main id="main" className="login-page">
        <LoginPage />
      </main>
    );
  }
  if (!isStaff(me.role)) return <StaffOnly />;

  return (
    <div className="shell">
      <a className="skip" href="#main">{t('app.skip')}</a>
      <header className="top">
        <Link to="/tickets" className="brand">{t('app.title')}</Link>
        <nav aria-label={t('nav.main')}>
          {navFor(me.role).map((item) => (
            <Link key={item.to} to={item.to} aria-current={isCurrent(item, route.path) ? 'page' : undefined}>{t(item.label)}</Link>
          ))}
        </nav>
        <div className="top-right">
          <span className="who" data-testid="who">{t('session.signedInAs', { name: me.displayName, role: t(roleKey(me.role)) })}</span>
          <button type="button" className="secondary" onClick={() => void signOut().then(() => navigate('/login', { replace: true }))}>{t('nav.signOut')}</button>
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
