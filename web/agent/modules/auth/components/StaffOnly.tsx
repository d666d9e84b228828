/** A customer (or any non-staff account) signed in here: point them to the portal. */
import { useSession } from '../../../../shared/auth/useSession.tsx';
import { useI18n } from '../../../app/i18n.ts';

export function StaffOnly() {
  const { t } = useI18n();
  const { signOut } = useSession();
  return (
    <main id="main" className="login-page">
      <section className="card narrow">
        <h1>{t('staffOnly.title')}</h1>
        <p>
          <a href="/portal/">{t('staffOnly.portal')}</a>
        </p>
        <button type="button" className="secondary" onClick={() => void signOut()}>{t('nav.signOut')}</button>
      </section>
    </main>
  );
}
