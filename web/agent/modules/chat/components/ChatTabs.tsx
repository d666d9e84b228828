/**
 * One tab per open chat (WAI-ARIA tabs: arrows, Home and End move between them and show the chat),
 * each with the customer's name, an unread count and whether the chat is still the agent's.
 */
import { useRef, type KeyboardEvent } from 'react';
import { useI18n } from '../../../app/i18n.ts';
import { isMine, type ConsoleState } from '../utils/console-state.ts';
import { tabKeyTarget } from '../utils/tab-keys.ts';

export const tabId = (id: string): string => `chat-tab-${id}`;
export const PANEL_ID = 'chat-panel';

export function ChatTabs({ state, meId, onSelect }: { state: ConsoleState; meId: string; onSelect(id: string): void }) {
  const { t } = useI18n();
  const refs = useRef(new Map<string, HTMLButtonElement>());

  const onKey = (e: KeyboardEvent<HTMLButtonElement>, index: number): void => {
    const target = tabKeyTarget(e.key, index, state.order.length);
    if (target === null) return;
    e.preventDefault();
    const id = state.order[target]!;
    onSelect(id);
    refs.current.get(id)?.focus();
  };

  return (
    <div role="tablist" aria-label={t('chat.tabs.label')} className="chat-tabs" data-testid="chat-tabs">
      {state.order.map((id, i) => {
        const tab = state.tabs[id]!;
        const selected = state.active === id;
        const mine = isMine(tab.conversation, meId);
        return (
          <button
            key={id}
            ref={(el) => {
              if (el) refs.current.set(id, el);
              else refs.current.delete(id);
            }}
            type="button"
            role="tab"
            id={tabId(id)}
            aria-selected={selected}
            aria-controls={selected ? PANEL_ID : undefined}
            tabIndex={selected ? 0 : -1}
            className={`chat-tab${selected ? ' selected' : ''}${mine ? '' : ' done'}`}
            data-testid="chat-tab"
            data-conversation={id}
            onClick={() => onSelect(id)}
            onKeyDown={(e) => onKey(e, i)}
          >
            <span className="chat-tab-name">{tab.conversation.visitorName}</span>
            {!mine && <span className="chat-tab-state">{t(tab.conversation.status === 'ended' ? 'chat.tabs.ended' : 'chat.tabs.left')}</span>}
            {tab.chat.typing && mine && <span className="chat-tab-typing" aria-hidden="true">…</span>}
            {tab.unread > 0 && (
              <span className="chat-unread" data-testid="unread" aria-label={t('chat.tabs.unread', { n: tab.unread })}>{tab.unread}</span>
            )}
          </button>
        );
      })}
    </div>
  );
}
