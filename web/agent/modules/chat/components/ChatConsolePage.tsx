/**
 * The live chat console (issue 6): the agent's presence and capacity, the waiting queue with
 * Accept, and the chats they are in as tabs, each with its own timeline and draft. A lazy chunk.
 */
import { useEffect } from 'react';
import { useApiData } from '../../../../shared/api/useApiData.ts';
import { useSession } from '../../../../shared/auth/useSession.tsx';
import { useI18n } from '../../../app/i18n.ts';
import { navFor } from '../../../app/nav.ts';
import { useChatConsole } from '../hooks/useChatConsole.ts';
import { usePresence } from '../hooks/usePresence.ts';
import { useQueue } from '../hooks/useQueue.ts';
import { isMine, totalUnread } from '../utils/console-state.ts';
import type { ChatScripts } from '../utils/types.ts';
import { ChatPanel } from './ChatPanel.tsx';
import { ChatTabs } from './ChatTabs.tsx';
import { PresenceSwitch } from './PresenceSwitch.tsx';
import { QueueList } from './QueueList.tsx';
import './chat.css';

/** Only those who work chats (the nav table's roles) open the console; a QA inspector is told so rather than refused by every call. */
export default function ChatConsolePage() {
  const { t } = useI18n();
  const { me } = useSession();
  if (!me || !navFor(me.role).some((n) => n.to === '/chat')) return <p className="notice" data-testid="chat-not-for-role">{t('chat.notForRole')}</p>;
  return <ChatConsole meId={me.id} />;
}

function ChatConsole({ meId }: { meId: string }) {
  const { t } = useI18n();
  const queue = useQueue();
  const presence = usePresence();
  const chat = useChatConsole(queue.refresh);
  const scripts = useApiData<ChatScripts>('/chat/scripts');
  const { state } = chat;
  const active = state.active ? state.tabs[state.active] : undefined;
  const activeChats = state.order.filter((id) => isMine(state.tabs[id]!.conversation, meId)).length;
  const unread = totalUnread(state);

  useEffect(() => {
    document.title = unread > 0 ? t('chat.pageTitleUnread', { n: unread }) : t('chat.pageTitle');
    return () => {
      document.title = t('app.title');
    };
  }, [unread, t]);

  return (
    <div className="chat-console" data-testid="chat-console">
      <h1 className="sr-only">{t('chat.pageTitle')}</h1>
      <aside className="chat-side" aria-label={t('chat.side')}>
        <PresenceSwitch presence={presence} activeChats={activeChats} />
        <QueueList queue={queue} onAccept={chat.accept} />
      </aside>
      <section className="chat-work" aria-label={t('chat.work')}>
        <div className="chat-work-head">
          <ChatTabs state={state} meId={meId} onSelect={chat.select} />
          <p className="chat-connection muted small" role="status" data-testid="connection">
            {chat.status === 'open' ? '' : t(chat.status === 'reconnecting' ? 'chat.reconnecting' : 'chat.connecting')}
          </p>
        </div>
        {state.notice && <p className="error" role="alert">{t('common.error', { message: state.notice })}</p>}
        {active ? (
          <ChatPanel key={active.id} tab={active} meId={meId} scripts={scripts.data} console={chat} />
        ) : (
          <p className="chat-empty card muted" data-testid="no-chats">{t('chat.noChats')}</p>
        )}
      </section>
    </div>
  );
}
