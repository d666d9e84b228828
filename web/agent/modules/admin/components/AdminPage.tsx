/**
 * /admin/<section>: the admin screens behind one gate. Only admins get them; anyone else who opens
 * an admin URL is told so (the server refuses their writes as well).
 */
import { lazy, Suspense } from 'react';
import { useSession } from '../../../../shared/auth/useSession.tsx';
import { useI18n } from '../../../app/i18n.ts';
import { Link } from '../../../app/router.ts';
import { ADMIN_SECTIONS, isAdmin, sectionFor } from '../utils/sections.ts';
import './admin.css';

const SECTIONS = {
  sla: lazy(() => import('./SlaPoliciesAdmin.tsx')),
  users: lazy(() => import('./UsersAdmin.tsx')),
  teams: lazy(() => import('./TeamsAdmin.tsx')),
  calendars: lazy(() => import('./CalendarsAdmin.tsx')),
  categories: lazy(() => import('./CategoriesAdmin.tsx')),
  'api-keys': lazy(() => import('./ApiKeysAdmin.tsx')),
  webhooks: lazy(() => import('./WebhooksAdmin.tsx')),
  settings: lazy(() => import('./SettingsAdmin.tsx')),
} as const;

export default function AdminPage({ path }: { path: string }) {
  const { t } = useI18n();
  const { me } = useSession();
  if (!me || !isAdmin(me.role)) {
    return (
      <section className="card refusal" role="alert" data-testid="admin-refusal">
        <h1>{t('admin.refused.title')}</h1>
        <p>{t('admin.refused.body')}</p>
        <Link to="/tickets">{t('admin.refused.back')}</Link>
      </section>
    );
  }
  const section = sectionFor(path);
  const Section = section ? SECTIONS[section.slug as keyof typeof SECTIONS] : null;
  return (
    <div className="admin">
      <nav className="admin-menu" aria-label={t('admin.menu')}>
        <ul>
          {ADMIN_SECTIONS.map((s) => (
            <li key={s.slug}>
              <Link to={`/admin/${s.slug}`} aria-current={section?.slug === s.slug ? 'page' : undefined}>{t(s.label)}</Link>
            </li>
          ))}
        </ul>
      </nav>
      <section className="admin-section">
        <Suspense fallback={<p className="notice">{t('common.loading')}</p>}>
          {Section ? <Section /> : <p className="notice">{t('common.notFound')}</p>}
        </Suspense>
      </section>
    </div>
  );
}
