/** The customers waiting, in the server's queue order, with how long each has waited and Accept. */
import { useState } from 'react';
import { ApiError } from '../../../../shared/api/client.ts';
import { useI18n } from '../../../app/i18n.ts';
import { useNow } from '../hooks/useNow.ts';
import type { Queue } from '../hooks/useQueue.ts';
import { formatWait, pastTarget, waitedMs } from '../utils/queue-wait.ts';

export function QueueList({ queue, onAccept }: { queue: Queue; onAccept(id: string): Promise<void> }) {
  const { t } = useI18n();
  const now = useNow(1000);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const items = queue.items;

  const accept = (id: string): void => {
    setBusy(id);
    setError(null);
    onAccept(id).then(
      () => setBusy(null),
      (e: unknown) => {
        setBusy(null);
        setError(e instanceof ApiError ? e.message : String(e));
      },
    );
  };

  return (
    <section className="card chat-queue" aria-labelledby="chat-queue-title" data-testid="queue">
      <h2 id="chat-queue-title">{items ? t('chat.queue.titleCount', { n: items.length }) : t('chat.queue.title')}</h2>
      {error && <p className="error" role="alert">{t('chat.queue.acceptFailed', { message: error })}</p>}
      {queue.error && <p className="error">{t('common.error', { message: queue.error })}</p>}
      {items === null ? (
        <p className="muted">{t('common.loading')}</p>
      ) : items.length === 0 ? (
        <p className="muted" data-testid="queue-empty">{t('chat.queue.empty')}</p>
      ) : (
        <ol className="queue-list">
          {items.map((c) => {
            const waited = waitedMs(c.startedAt, now);
            return (
              <li key={c.id} className="queue-item" data-testid="queue-item" data-conversation={c.id}>
                <div className="queue-main">
                  <span className="queue-pos" aria-label={t('chat.queue.position', { n: c.queuePosition ?? 0 })}>{c.queuePosition ?? '–'}</span>
                  <div className="queue-who">
                    <strong className="queue-name">{c.visitorName}</strong>
                    {c.topic && <span className="queue-topic">{c.topic}</span>}
                  </div>
                </div>
                <div className="queue-side">
                  <span className={`queue-wait${pastTarget(waited) ? ' late' : ''}`} data-testid="queue-wait">
                    {t('chat.queue.waited', { time: formatWait(waited) })}
                  </span>
                  <button type="button" className="small-button" disabled={busy !== null} onClick={() => accept(c.id)} aria-label={t('chat.queue.acceptNamed', { name: c.visitorName })}>
                    {busy === c.id ? t('chat.queue.accepting') : t('chat.queue.accept')}
                  </button>
                </div>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
