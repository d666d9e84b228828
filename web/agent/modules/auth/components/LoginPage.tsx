/** Staff sign-in (POST /auth/login sets the session cookie); the shell then shows where the agent was going. */
import { useState, type FormEvent } from 'react';
import { ApiError } from '../../../../shared/api/client.ts';
import { useSession } from '../../../../shared/auth/useSession.tsx';
import { useI18n } from '../../../app/i18n.ts';
import { LanguageToggle } from '../../../app/LanguageToggle.tsx';

export default function LoginPage() {
  const { t } = useI18n();
  const { signIn } = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(username, password);
    } catch (err) {
      const status = err instanceof ApiError ? err.status : 0;
      const disabled = err instanceof ApiError && err.code === 'account_disabled';
      setError(disabled ? t('login.disabled') : status === 429 ? t('login.rateLimited') : status === 423 ? t('login.locked') : status === 0 ? t('common.networkError') : t('login.failed'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card narrow">
      <div className="login-head">
        <h1>{t('login.title')}</h1>
        <LanguageToggle />
      </div>
      <form onSubmit={(e) => void submit(e)} className="form" data-testid="login-form">
        <label>
          {t('login.username')}
          <input name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required autoFocus />
        </label>
        <label>
          {t('login.password')}
          <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </label>
        {error && <p role="alert" className="error">{error}</p>}
        <button type="submit" disabled={busy}>{busy ? t('login.submitting') : t('login.submit')}</button>
      </form>
    </section>
  );
}
