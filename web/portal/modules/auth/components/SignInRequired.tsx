import { useI18n } from '../../../../shared/i18n/i18n.tsx';
import { Link } from '../../../app/router.tsx';

/** What a page that needs an account shows to a visitor. */
export function SignInRequired({ next, message }: { next: string; message?: string }) {
  const { t } = useI18n();
  return (
    <section className="card narrow">
      <p>{message ?? t('signIn.required')}</p>
      <Link to={`/signin?next=${encodeURIComponent(next)}`} className="button-link">{t('nav.signIn')}</Link>
    </section>
  );
}
