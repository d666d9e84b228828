import { useRef, useState, type FormEvent } from 'react';
import { ApiError } from '../../../../shared/api/client.ts';
import { startConversation } from '../../../../shared/chat/api.ts';
import { newClientId } from '../../../../shared/chat/client-id.ts';
import { useI18n } from '../../../../shared/i18n/i18n.tsx';
import { useSession } from '../../../../shared/auth/useSession.tsx';
import type { SavedChat } from '../utils/saved-chat.ts';
import { validateStart } from '../utils/validate-start.ts';

export function StartChatForm({ onStarted }: { onStarted(chat: SavedChat): void }) {
  const { t } = useI18n();
  const { me } = useSession();
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // One clientId per form: a double click or a retry after a timeout joins the same conversation.
  const clientId = useRef(newClientId());
  const signedIn = Boolean(me);
  // ?team=<code> (the widget's data-team) sends the chat to one team's agents.
  const team = new URLSearchParams(window.location.search).get('team')?.trim() ?? '';

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    // The server takes names of up to 40 characters; a signed-in customer's own name fills an empty field.
    const input = { name: (name.trim() || (me?.displayName ?? '')).slice(0, 40), phone: phone.trim() };
    const problem = validateStart(input, signedIn);
    if (problem) {
      setError(t(problem));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const r = await startConversation({
        name: input.name,
        clientId: clientId.current,
        ...(input.phone ? { phone: input.phone } : {}),
        ...(message.trim() ? { message: message.trim() } : {}),
        ...(team ? { team } : {}),
      });
      onStarted({ conversationId: r.conversation.id, token: r.visitorToken });
    } catch (err) {
      setError(err instanceof ApiError && err.status === 0 ? t('common.networkError') : t('common.error', { message: err instanceof Error ? err.message : String(err) }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form chat-start" onSubmit={(e) => void submit(e)} noValidate>
      <h1>{t('chat.title')}</h1>
      <p className="muted">{me ? t('chat.start.signedIn', { name: me.displayName }) : t('chat.start.intro')}</p>
      <label>
        {t('chat.start.name')}
        <input name="name" autoComplete="name" value={name} placeholder={me?.displayName ?? ''} onChange={(e) => setName(e.target.value)} maxLength={40} />
      </label>
      <label>
        {t('chat.start.phone')}
        <input name="phone" type="tel" autoComplete="tel" inputMode="tel" value={phone} onChange={(e) => setPhone(e.target.value)} maxLength={30} />
      </label>
      <label>
        {t('chat.start.message')}
        <textarea name="message" rows={3} value={message} onChange={(e) => setMessage(e.target.value)} maxLength={2000} />
      </label>
      {error && <p role="alert" className="error">{error}</p>}
      <button type="submit" disabled={busy}>{busy ? t('chat.start.submitting') : t('chat.start.submit')}</button>
    </form>
  );
}
