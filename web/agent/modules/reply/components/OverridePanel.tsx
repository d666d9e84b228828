/**
 * The server refused the reply (guard_blocked): the agent edits it, or sends it as written with a
 * reason, which the server records as a guard_override event for QA.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useI18n } from '../../../app/i18n.ts';

interface Props {
  sending: boolean;
  onConfirm(reason: string): void;
  onEdit(): void;
}

export function OverridePanel({ sending, onConfirm, onEdit }: Props) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (reason.trim() === '') {
      setMissing(true);
      input.current?.focus();
      return;
    }
    onConfirm(reason.trim());
  };

  return (
    <section className="override card" aria-labelledby="override-title" aria-describedby="override-intro" data-testid="override" onKeyDown={(e) => e.key === 'Escape' && onEdit()}>
      <h3 id="override-title" role="alert">{t('override.title')}</h3>
      <p id="override-intro" className="small">{t('override.intro')}</p>
      <form className="form" onSubmit={submit} noValidate>
        <label>
          {t('override.reason')}
          <input ref={input} name="overrideReason" value={reason} maxLength={1000} aria-invalid={missing || undefined} aria-describedby={missing ? 'override-missing' : undefined} onChange={(e) => { setReason(e.target.value); setMissing(false); }} />
        </label>
        {missing && <p id="override-missing" className="error" role="alert">{t('override.reasonRequired')}</p>}
        <div className="actions">
          <button type="submit" disabled={sending} data-testid="override-confirm">{sending ? t('reply.sending') : t('override.confirm')}</button>
          <button type="button" className="secondary" onClick={onEdit}>{t('override.edit')}</button>
        </div>
      </form>
    </section>
  );
}
