/** The chat page: the start form, or the live chat of the conversation this tab started. */
import { useState } from 'react';
import { loadSavedChat, saveChat, type SavedChat } from '../utils/saved-chat.ts';
import { ChatView } from './ChatView.tsx';
import { StartChatForm } from './StartChatForm.tsx';

export function ChatPage({ embedded = false }: { embedded?: boolean }) {
  const [chat, setChat] = useState<SavedChat | null>(loadSavedChat);
  const choose = (c: SavedChat | null): void => {
    saveChat(c);
    setChat(c);
  };
  return (
    <section className={embedded ? 'chat chat-embedded' : 'chat card'} data-testid="chat">
      {chat ? <ChatView key={chat.conversationId} chat={chat} onNewChat={() => choose(null)} /> : <StartChatForm onStarted={choose} />}
    </section>
  );
}
