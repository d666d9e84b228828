import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { formatTime } from '../../../../shared/format.ts';
import { useI18n } from '../../../../shared/i18n/i18n.tsx';
import { useChat } from '../hooks/useChat.ts';
import type { SavedChat } from '../utils/saved-chat.ts';

const TYPING_IDLE_MS = 2500;

export function ChatView({ chat, onNewChat }: { chat: SavedChat; onNewChat(): void }) {
  const { t, lang } = useI18n();
  const { state, status, send, typing, end } = useChat(chat);
  const [draft, setDraft] = useState('');
  const [endError, setEndError] = useState<string | null>(null);
  const typingOn = useRef(false);
  const typingTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const listEnd = useRef<HTMLDivElement | null>(null);
  const conv = state.conversation;
  const ended = conv?.status === 'ended';

  useEffect(() => {
    listEnd.current?.scrollIntoView?.({ block: 'end' });
  }, [state.messages.length, state.pending.length, state.typing]);

  const stopTyping = (): void => {
    if (typingTimer.current) clearTimeout(typingTimer.current);
    typingTimer.current = null;
    if (typingOn.current) typing(false);
    typingOn.current = false;
  };

  const onDraft = (value: string): void => {
    setDraft(value);
    if (!typingOn.current && value.trim() !== '') {
      typingOn.current = true;
      typing(true);
    }
    if (typingTimer.current) clearTimeout(typingTimer.current);
    typingTimer.current = setTimeout(stopTyping, TYPING_IDLE_MS);
  };

  const submit = (e?: FormEvent): void => {
    e?.preventDefault();
    const body = draft.trim();
    if (!body || ended) return;
    stopTyping();
    send(body);
    setDraft('');
  };

  const onKey = (e: KeyboardEvent<HTMLTextAreaElement>): void => {
    // Enter sends, Shift+Enter breaks the line; never while an IME is composing Chinese.
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) submit(e);
  };

  return (
    <div className="chat-live">
      <div className="chat-status" role="status" aria-live="polite" data-testid="chat-status">
        {status !== 'open' && !ended && <p className="connection">{status === 'reconnecting' ? t('chat.reconnecting') : t('chat.connecting')}</p>}
        {conv?.status === 'queued' && (
          <p data-testid="queue">{conv.queuePosition !== null && conv.queuePosition > 1 ? t('chat.queue', { n: conv.queuePosition - 1 }) : t('chat.queueNext')}</p>
        )}
        {conv?.status === 'active' && conv.agent && <p data-testid="agent">{t('chat.assigned', { name: conv.agent.displayName })}</p>}
        {conv && <p className="muted small">{t('chat.ticket', { number: conv.ticketNumber })}</p>}
      </div>

      <ol className="messages" aria-label={t('chat.messages')} aria-live="polite" data-testid="messages">
        {state.messages.map((m) => (
          <li key={m.id} className={`msg msg-${m.author}`} data-message-id={m.id}>
            <span className="msg-meta">
              {m.author === 'customer' ? t('chat.you') : m.author === 'system' ? t('chat.system') : m.authorName} · {formatTime(m.createdAt, lang)}
            </span>
            {/* Plain text, rendered by React as text: markup in a message stays literal. */}
            <p className="msg-body">{m.body}</p>
          </li>
        ))}
        {state.pending.map((p) => (
          <li key={p.clientId} className="msg msg-customer msg-pending" data-pending="true">
            <span className="msg-meta">{t('chat.you')} · {t('chat.sending')}</span>
            <p className="msg-body">{p.body}</p>
          </li>
        ))}
      </ol>
      {state.typing && !ended && <p className="typing" data-testid="typing">{t('chat.typing', { name: state.typing })}</p>}
      {state.refused && <p role="alert" className="error">{t('chat.refused', { message: state.refused })}</p>}
      {endError && <p role="alert" className="error">{t('common.error', { message: endError })}</p>}
      <div ref={listEnd} />

      {ended ? (
        <div className="chat-ended">
          <p data-testid="ended">{t('chat.ended')}</p>
          <button type="button" onClick={onNewChat}>{t('chat.newChat')}</button>
        </div>
      ) : (
        <form className="composer" onSubmit={submit}>
          <textarea name="chat-input" aria-label={t('chat.input')} placeholder={t('chat.input')} value={draft} rows={2} maxLength={5000} onChange={(e) => onDraft(e.target.value)} onKeyDown={onKey} onBlur={stopTyping} />
          <div className="composer-actions">
            <button type="submit" disabled={draft.trim() === ''}>{t('chat.send')}</button>
            <button type="button" className="secondary" onClick={() => void end().then(() => setEndError(null), (e: unknown) => setEndError(e instanceof Error ? e.message : String(e)))} disabled={!conv}>{t('chat.end')}</button>
          </div>
        </form>
      )}
    </div>
  );
}
