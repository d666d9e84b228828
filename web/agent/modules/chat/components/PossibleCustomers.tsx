/**
 * A guest's chat: existing customers with the phone the guest gave (masked, unverified). After
 * checking who they are talking to (a waybill, the recipient's name), the agent links the chat to
 * that customer, saying how they checked.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { api, ApiError } from '../../../../shared/api/client.ts';
import { useI18n } from '../../../app/i18n.ts';
import type { PossibleCustomer } from '../utils/types.ts';

export function PossibleCustomers({ conversationId }: { conversationId: string }) {
  const { t } = useI18n();
  const [items, setItems] = useState<PossibleCustomer[]>([]);
  const [chosen, setChosen] = useState<string | null>(null);
  const [how, setHow] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    api<{ possibleCustomers?: PossibleCustomer[] }>('GET', `/chat/conversations/${encodeURIComponent(conversationId)}`).then(
      (r) => live && setItems(r.possibleCustomers ?? []),
      () => undefined, // only a hint: the chat works without it
    );
    return () => {
      live = false;
    };
  }, [conversationId]);

  if (items.length === 0 && !done) return null;
  if (done) return <p className="muted small" role="status">{t('chat.link.done', { name: done })}</p>;

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    const c = items.find((x) => x.id === chosen);
    if (!c || how.trim().length < 2) return;
    setError(null);
    api('POST', `/chat/conversations/${encodeURIComponent(conversationId)}/link-customer`, { body: { customerId: c.id, verifiedBy: how.trim() } }).then(
      () => setDone(c.name ?? c.phone ?? c.id),
      (err: unknown) => setError(err instanceof ApiError ? err.message : String(err)),
    );
  };

  return (
    <details className="possible-customers" data-testid="possible-customers">
      <summary>{t('chat.link.hint', { n: items.length })}</summary>
      <form onSubmit={submit}>
        <fieldset>
          <legend className="sr-only">{t('chat.link.choose')}</legend>
          {items.map((c) => (
            <label key={c.id} className="possible-customer">
              <input type="radio" name={`link-${conversationId}`} value={c.id} checked={chosen === c.id} onChange={() => setChosen(c.id)} />
              {c.name ?? '—'} · {c.phone ?? '—'} · {c.tier}
            </label>
          ))}
        </fieldset>
        <label htmlFor={`link-how-${conversationId}`}>{t('chat.link.how')}</label>
        <input id={`link-how-${conversationId}`} value={how} maxLength={200} placeholder={t('chat.link.howPlaceholder')} onChange={(e) => setHow(e.target.value)} />
        <button type="submit" className="small-button" disabled={!chosen || how.trim().length < 2}>{t('chat.link.submit')}</button>
        {error && <p className="error" role="alert">{error}</p>}
      </form>
    </details>
  );
}
