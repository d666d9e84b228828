/**
 * The staff live socket (/api/v1/live/ws, session cookie): hands each frame to `onFrame`, and
 * reconnects with back-off; after a reconnect `onResync` runs (frames missed meanwhile are lost,
 * the list is reloaded from the server instead).
 */
import { useEffect, useRef, useState } from 'react';
import { backoffDelay } from '../../../../shared/chat/backoff.ts';
import { LIVE_FRAME_TYPES, type LiveFrame } from '../utils/inbox-state.ts';

export type LiveStatus = 'connecting' | 'live' | 'offline';

export function useLiveInbox(onFrame: (f: LiveFrame) => void, onResync: () => void): LiveStatus {
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const handlers = useRef({ onFrame, onResync });
  handlers.current = { onFrame, onResync };
  useEffect(() => {
    let ws: WebSocket | null = null;
    let attempt = 0;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let stopped = false;
    const connect = (): void => {
      const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/v1/live/ws`;
      ws = new WebSocket(url);
      ws.onmessage = (m) => {
        let f: { type?: string } | null = null;
        try {
          f = JSON.parse(String(m.data)) as { type?: string };
        } catch {
          return;
        }
        if (f?.type === 'ready') {
          setStatus('live');
          if (attempt > 0) handlers.current.onResync();
          attempt = 0;
        } else if (typeof f?.type === 'string' && LIVE_FRAME_TYPES.includes(f.type)) {
          handlers.current.onFrame(f as LiveFrame);
        }
      };
      ws.onclose = (e) => {
        if (stopped) return;
        setStatus('offline');
        // 4403: not allowed (signed out, or not staff) — retrying will not help.
        if (e.code === 4403) return;
        timer = setTimeout(connect, backoffDelay(attempt++, Math.random()));
      };
    };
    connect();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      ws?.close();
    };
  }, []);
  return status;
}
