/**
 * The reply box (issue 5): public reply or internal note. A public reply is checked by the language
 * guard as the agent types — findings listed below and highlighted in place, each replaceable with
 * the approved wording in one click. A reply the server still refuses (guard_blocked) shows its
 * findings and asks the agent to edit it or to send it as written with a reason (guardOverride).
 */
import { useEffect, useLayoutEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { api, ApiError, type GuardFinding, type MessageInput, type TicketEvent } from '../../../../shared/api/client.ts';
import { newClientId } from '../../../../shared/chat/client-id.ts';
import { useI18n } from '../../../app/i18n.ts';
import { MAX_TEXT, useGuardCheck } from '../hooks/useGuardCheck.ts';
import { applyReplacement, findingsFromDetails, mergeRefusal } from '../utils/findings.ts';
import { guardChannelFor } from '../utils/guard-channel.ts';
import { insertSnippet, type InsertRequest } from '../utils/insert.ts';
import { FindingsPanel } from './FindingsPanel.tsx';
import { HighlightedTextarea } from './HighlightedTextarea.tsx';
import { OverridePanel } from './OverridePanel.tsx';

type Mode = MessageInput['visibility'];

interface Props {
  ticketId: string;
  ticketChannel: string;
  onSent(event: TicketEvent): void;
  /** Text the ticket page puts into the box (a side tool's sentence); each new seq is inserted once, at the caret. */
  insert?: InsertRequest | null;
}

export function ReplyBox({ ticketId, ticketChannel, onSent, insert }: Props) {
  const { t } = useI18n();
  const [mode, setMode] = useState<Mode>('public');
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState('');
  /** The text the server refused; the refusal stands only while the text is unchanged. */
  const [refused, setRefused] = useState<string | null>(null);
  const [activeKey, setActiveKey] = useState<string | null>(null);
  // One clientId per text sent: a retry of the same text (after a lost answer, or with the override
  // after a refusal, which stored nothing) is stored once; an edited text is a new message.
  const attempt = useRef<{ body: string; clientId: string } | null>(null);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const pendingSelection = useRef<[number, number] | null>(null);
  const guard = useGuardCheck(text, guardChannelFor(ticketChannel), mode === 'public');
  const showOverride = refused !== null && refused === text && mode === 'public';

  // After a replace: focus the box with the caret after the new wording (or its blank selected).
  useLayoutEffect(() => {
    const sel = pendingSelection.current;
    if (!sel || !textarea.current) return;
    pendingSelection.current = null;
    textarea.current.focus();
    textarea.current.setSelectionRange(sel[0], sel[1]);
  }, [text]);

  const edit = (value: string): void => {
    setText(value);
    setNotice('');
    setError(null);
  };

  const inserted = useRef<number | null>(null);
  useEffect(() => {
    if (!insert || inserted.current === insert.seq) return;
    inserted.current = insert.seq;
    const el = textarea.current;
    const next = insertSnippet(text, el?.selectionStart ?? text.length, el?.selectionEnd ?? text.length, insert.text);
    pendingSelection.current = [next.caret, next.caret];
    edit(next.text);
    setNotice(t('reply.inserted'));
    // Only a new request inserts; the text it lands in is read as it is then.
  }, [insert]);

  const replace = (f: GuardFinding, wording: string): void => {
    const applied = applyReplacement(text, guard.findings, f, wording);
    if (!applied) {
      guard.checkNow(text);
      return;
    }
    pendingSelection.current = applied.selection;
    edit(applied.text);
    guard.adopt(applied.findings, applied.text);
    guard.checkNow(applied.text);
    setNotice(t('guard.replaced', { from: f.text, to: wording }));
  };

  const send = async (overrideReason?: string): Promise<void> => {
    const body = text;
    if (body.trim() === '' || sending) return;
    setSending(true);
    setError(null);
    setNotice('');
    try {
      if (attempt.current?.body !== body) attempt.current = { body, clientId: newClientId() };
      const input: MessageInput = { body, visibility: mode, clientId: attempt.current.clientId, ...(overrideReason ? { guardOverride: { reason: overrideReason } } : {}) };
      const event = await api<TicketEvent>('POST', `/tickets/${encodeURIComponent(ticketId)}/messages`, { body: input });
      attempt.current = null;
      setRefused(null);
      setText('');
      setNotice(t(mode === 'public' ? 'reply.sent' : 'reply.noteAdded'));
      onSent(event);
      textarea.current?.focus();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'guard_blocked') {
        guard.adopt(mergeRefusal(findingsFromDetails(e.details, body), guard.upToDate ? guard.findings : []), body);
        setRefused(body);
      } else {
        setError(t('reply.failed', { message: e instanceof ApiError ? e.message : String(e) }));
      }
    } finally {
      setSending(false);
    }
  };

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    void send();
  };
  const keyDown = (e: KeyboardEvent<HTMLTextAreaElement>): void => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void send();
    }
  };

  const isPublic = mode === 'public';
  return (
    <section className="reply card" aria-labelledby="reply-title">
      <h2 id="reply-title">{t('reply.title')}</h2>
      <form onSubmit={submit} data-testid="reply-form">
        <fieldset className="mode">
          <legend>{t('reply.mode')}</legend>
          {(['public', 'internal'] as const).map((m) => (
            <label key={m} className={`mode-option${mode === m ? ' selected' : ''}`}>
              <input type="radio" name="visibility" value={m} checked={mode === m} onChange={() => setMode(m)} />
              {t(m === 'public' ? 'reply.public' : 'reply.internal')}
            </label>
          ))}
        </fieldset>
        <label htmlFor="reply-text" className="reply-label">{t(isPublic ? 'reply.label.public' : 'reply.label.internal')}</label>
        <p id="reply-hint" className="muted small">{t(isPublic ? 'reply.publicHint' : 'reply.internalHint')} {t('reply.shortcut')}</p>
        <div className={isPublic ? 'reply-public' : 'reply-internal'}>
          <HighlightedTextarea
            id="reply-text"
            name="body"
            value={text}
            findings={guard.findings}
            activeKey={activeKey}
            textareaRef={textarea}
            describedBy={isPublic ? "reply-hint guard-findings" : "reply-hint"}
            maxLength={MAX_TEXT}
            onChange={edit}
            onKeyDown={keyDown}
          />
        </div>
        {isPublic && (
          <>
            <p className="muted small checking" aria-hidden="true">{guard.checking ? t('guard.checking') : '\u00a0'}</p>
            <FindingsPanel id="guard-findings" findings={guard.findings} hasText={text.trim() !== ''} upToDate={guard.upToDate} error={guard.error} onReplace={replace} onActive={setActiveKey} />
          </>
        )}
        <div className="actions">
          <button type="submit" disabled={sending || text.trim() === ''} data-testid="send">{sending ? t('reply.sending') : t(isPublic ? 'reply.send' : 'reply.addNote')}</button>
        </div>
        <p className="status-line" role="status" data-testid="reply-status">{notice}</p>
        {error && <p className="error" role="alert">{error}</p>}
      </form>
      {showOverride && (
        <OverridePanel
          sending={sending}
          onConfirm={(reason) => void send(reason)}
          onEdit={() => {
            setRefused(null);
            textarea.current?.focus();
          }}
        />
      )}
    </section>
  );
}
