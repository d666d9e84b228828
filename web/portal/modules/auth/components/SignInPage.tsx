import { useState, type FormEvent } from 'react';
import { ApiError } from '../../../../shared/api/client.ts';
import { useI18n } from '../../../../shared/i18n/i18n.tsx';
import { navigate } from '../../../app/router.tsx';
import { useSession } from '../../../../shared/auth/useSession.tsx';

export default function SignInPage() {
  const { t } = useI18n();
  const { signIn } = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const next = new URLSearchParams(window.location.search).get('next');

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(username, password);
      // Only a path inside the portal: never an open redirect.
      navigate(next && /^\/[a-z]/.test(next) ? next : '/tickets');
    } catch (err) {
      setError(err instanceof ApiError && (err.code === 'account_disabled' || err.code === 'account_locked') ? err.message : err instanceof ApiError && err.status === 429 ? t('signIn.rateLimited') : err instanceof ApiError && err.status === 0 ? t('common.networkError') : t('signIn.failed'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card narrow">
      <h1>{t('signIn.title')}</h1>
      <p className="muted">{t('signIn.intro')}</p>
      <form onSubmit={(e) => void submit(e)} className="form">
        <label>
          {t('signIn.username')}
          <input name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required />
        </label>
        <label>
          {t('signIn.password')}
          <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </label>
        {error && <p role="alert" className="error">{error}</p>}
        <button type="submit" disabled={busy}>{busy ? t('signIn.submitting') : t('signIn.submit')}</button>
      </form>
    </section>
  );
}
