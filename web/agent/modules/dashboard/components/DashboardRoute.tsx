/**
 * The dashboard's route: only for the roles whose navigation has it. An agent typing /dashboard is
 * told so, and neither the server's reports nor the page's chunk (with ECharts) is fetched.
 */
import { lazy } from 'react';
import { useSession } from '../../../../shared/auth/useSession.tsx';
import { useI18n } from '../../../app/i18n.ts';
import { navFor } from '../../../app/nav.ts';

const DashboardPage = lazy(() => import('./DashboardPage.tsx'));

export default function DashboardRoute() {
  const { t } = useI18n();
  const { me } = useSession();
  if (!me || !navFor(me.role).some((n) => n.to === '/dashboard')) return <p className="notice" data-testid="dashboard-forbidden">{t('dash.forbidden')}</p>;
  return <DashboardPage />;
}
