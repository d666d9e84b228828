/**
 * One chat in front of the agent: who and what it is about (with its ticket), the collision notice,
 * the timeline as plain text, whether the customer is typing, and the composer — greeting and
 * closing from /chat/scripts inserted at the caret, the language guard as the agent types (the
 * server refuses a blocked chat message, so a blocking finding holds the send), Enter sends and
 * Shift+Enter breaks the line. The draft lives in the console's state, so it survives tab switches.
 */
import { useEffect, useLayoutEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { ApiError, type GuardFinding } from '../../../../shared/api/client.ts';
import { formatTime } from '../../../../shared/format.ts';
import { useI18n } from '../../../app/i18n.ts';
import { Link } from '../../../app/router.ts';
import { FindingsPanel } from '../../reply/components/FindingsPanel.tsx';
import { HighlightedTextarea } from '../../reply/components/HighlightedTextarea.tsx';
import { MAX_TEXT, useGuardCheck } from '../../reply/hooks/useGuardCheck.ts';
import { applyReplacement, hasBlocking } from '../../reply/utils/findings.ts';
import { insertSnippet } from '../../reply/utils/insert.ts';
import type { ChatConsole } from '../hooks/useChatConsole.ts';
import { isMine, type ChatTab } from '../utils/console-state.ts';
import { TypingNotifier } from '../utils/typing-notifier.ts';
import type { ChatScripts } from '../utils/types.ts';
import { PANEL_ID, tabId } from './ChatTabs.tsx';
import { PossibleCustomers } from './PossibleCustomers.tsx';
import { TransferForm } from './TransferForm.tsx';

/** Within this many pixels of the bottom, a new message scrolls the timeline; further up, the agent is reading back. */
const STICK_PX = 80;

interface Props {
  tab: ChatTab;
  meId: string;
  scripts: ChatScripts | undefined;
  console: ChatConsole;
}

export function ChatPanel({ tab, meId, scripts, console: chat }: Props) {
  const { t, lang } = useI18n();
  const conv = tab.conversation;
  const mine = isMine(conv, meId);
  const draft = tab.draft;
  const [notice, setNotice] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [transferring, setTransferring] = useState(false);
  const [activeKey, setActiveKey] = useState<string | null>(null);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const pendingSelection = useRef<[number, number] | null>(null);
  const guard = useGuardCheck(draft, 'chat', mine);
  const blocked = hasBlocking(guard.findings);
  const notifier = useRef<TypingNotifier | null>(null);
  notifier.current ??= new TypingNotifier((on) => chat.typing(tab.id, on));

  // Leaving the chat (another tab, another page) ends "typing" on the customer's side.
  useEffect(() => () => notifier.current?.stop(), []);

  // The timeline keeps its place: new messages scroll it only when the agent is at the bottom.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [tab.chat.messages.length, tab.chat.pending.length]);
  const onScroll = (): void => {
    const el = scroller.current;
    if (el) stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < STICK_PX;
  };

  useLayoutEffect(() => {
    const sel = pendingSelection.current;
    if (!sel || !textarea.current) return;
    pendingSelection.current = null;
    textarea.current.focus();
    textarea.current.setSelectionRange(sel[0], sel[1]);
  }, [draft]);

  const edit = (value: string): void => {
    chat.setDraft(tab.id, value);
    notifier.current?.input(value);
    setNotice('');
  };

  const insert = (text: string, what: string): void => {
    const el = textarea.current;
    const next = insertSnippet(draft, el?.selectionStart ?? draft.length, el?.selectionEnd ?? draft.length, text);
    pendingSelection.current = [next.caret, next.caret];
    edit(next.text);
    setNotice(t('chat.inserted', { what }));
  };

  const replace = (f: GuardFinding, wording: string): void => {
    const applied = applyReplacement(draft, guard.findings, f, wording);
    if (!applied) {
      guard.checkNow(draft);
      return;
    }
    pendingSelection.current = applied.selection;
    edit(applied.text);
    guard.adopt(applied.findings, applied.text);
    guard.checkNow(applied.text);
  };

  const submit = (e?: FormEvent): void => {
    e?.preventDefault();
    const body = draft.trim();
    if (!body || !mine) return;
    if (blocked) {
      setNotice(t('chat.blocked'));
      return;
    }
    notifier.current?.stop();
    stick.current = true;
    chat.send(tab.id, body);
    setNotice('');
    textarea.current?.focus();
  };

  const onKey = (e: KeyboardEvent<HTMLTextAreaElement>): void => {
    // Enter sends, Shift+Enter breaks the line; never while an IME is composing Chinese.
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) submit(e);
  };

  const run = (p: Promise<void>): void => {
    setError(null);
    p.catch((err: unknown) => setError(err instanceof ApiError ? err.message : String(err)));
  };

  const others = tab.viewers.filter((v) => v.id !== meId);
  const typing = mine ? tab.chat.typing : null;

  return (
    <div role="tabpanel" id={PANEL_ID} aria-labelledby={tabId(tab.id)} className="chat-panel card" data-testid="chat-panel" data-conversation={tab.id}>
      <header className="chat-head">
        <div className="chat-head-main">
          <h2 className="chat-title">{conv.visitorName}</h2>
          {conv.topic && <p className="chat-topic muted">{conv.topic}</p>}
        </div>
        <div className="chat-head-side">
          <Link to={`/tickets/${conv.ticketId}`} data-testid="ticket-link">{t('chat.ticket', { number: conv.ticketNumber })}</Link>
          {mine && (
            <>
              <button type="button" className="secondary small-button" aria-expanded={transferring} onClick={() => setTransferring((x) => !x)}>{t('chat.transfer.open')}</button>
              <button type="button" className="secondary small-button" data-testid="end-chat" onClick={() => run(chat.end(tab.id))}>{t('chat.end')}</button>
            </>
          )}
          {!mine && (
            <button type="button" className="secondary small-button" data-testid="close-tab" onClick={() => chat.close(tab.id)}>{t('chat.closeTab')}</button>
          )}
        </div>
      </header>
      <div className="chat-notes">
        {others.length > 0 && (
          <p className="collision" role="status" data-testid="viewers">{t('chat.viewers', { names: others.map((v) => v.displayName).join('、') })}</p>
        )}
        {conv.status === 'ended' && <p className="chat-ended-note" data-testid="chat-ended">{t('chat.endedNote')}</p>}
        {conv.status !== 'ended' && !mine && (
          <p className="chat-ended-note" data-testid="chat-left">{conv.agent ? t('chat.leftTo', { name: conv.agent.displayName }) : t('chat.leftQueue')}</p>
        )}
        {error && <p className="error" role="alert">{t('common.error', { message: error })}</p>}
      </div>
      {mine && transferring && <TransferForm meId={meId} onCancel={() => setTransferring(false)} onTransfer={(input) => chat.transfer(tab.id, input).then(() => setTransferring(false))} />}
      {mine && <PossibleCustomers conversationId={tab.id} />}

      <div className="chat-scroll" ref={scroller} onScroll={onScroll}>
        <ol className="chat-messages" aria-label={t('chat.messages')} data-testid="chat-messages">
          {tab.chat.messages.map((m) => (
            <li key={m.id} className={`cmsg cmsg-${m.author}`} data-message-id={m.id} data-author={m.author}>
              <span className="cmsg-meta">
                {m.author === 'system' ? t('chat.system') : m.author === 'customer' ? conv.visitorName : m.authorName} · {formatTime(m.createdAt, lang)}
              </span>
              {/* Plain text, rendered by React as text: markup in a message stays literal. */}
              <p className="cmsg-body">{m.body}</p>
            </li>
          ))}
          {tab.chat.pending.map((p) => (
            <li key={p.clientId} className="cmsg cmsg-agent cmsg-pending" data-pending="true">
              <span className="cmsg-meta">{t('chat.sending')}</span>
              <p className="cmsg-body">{p.body}</p>
            </li>
          ))}
        </ol>
      </div>
      {/* Always there, so the indicator coming and going never moves the composer. */}
      <p className="chat-typing" aria-live="polite" data-testid="typing">{typing ? t('chat.customerTyping', { name: typing }) : ''}</p>
      {tab.chat.refused && <p role="alert" className="error" data-testid="refused">{t('chat.refused', { message: tab.chat.refused })}</p>}

      {mine && (
        <form className="chat-composer" onSubmit={submit} data-testid="composer">
          <div className="chat-scripts">
            <button type="button" className="secondary small-button" disabled={!scripts} onClick={() => scripts && insert(scripts.greeting, t('chat.greeting'))} data-testid="greeting">{t('chat.greeting')}</button>
            <button type="button" className="secondary small-button" disabled={!scripts} onClick={() => scripts && insert(scripts.closing, t('chat.closing'))} data-testid="closing">{t('chat.closing')}</button>
            <span className="muted small chat-hint" id={`chat-hint-${tab.id}`}>{t('chat.shortcut')}</span>
          </div>
          <label htmlFor={`chat-input-${tab.id}`} className="sr-only">{t('chat.input', { name: conv.visitorName })}</label>
          <HighlightedTextarea
            id={`chat-input-${tab.id}`}
            name="chat-input"
            value={draft}
            findings={guard.findings}
            activeKey={activeKey}
            textareaRef={textarea}
            describedBy={`chat-hint-${tab.id} chat-findings-${tab.id}`}
            maxLength={Math.min(MAX_TEXT, 4000)}
            onChange={edit}
            onKeyDown={onKey}
          />
          <FindingsPanel id={`chat-findings-${tab.id}`} findings={guard.findings} hasText={draft.trim() !== ''} upToDate={guard.upToDate} error={guard.error} onReplace={replace} onActive={setActiveKey} />
          <div className="chat-send-row">
            <p className="status-line" role="status" data-testid="composer-status">{notice}</p>
            <button type="submit" disabled={draft.trim() === '' || blocked} data-testid="send">{t('chat.send')}</button>
          </div>
        </form>
      )}
    </div>
  );
}
