/**
 * The staff live-events WebSocket (issue 6): an inbox's new tickets, new messages on tickets and
 * SLA warnings and breaches, from the live bus (so from every server process), filtered per user
 * by `inboxFrameFor`. Authenticated like the chat socket, by the session cookie (or a Bearer
 * session token). Server → client only; the client may send {"type":"ping"}. Frames are hints:
 * a client that reconnects reloads its list, the database holds the truth.
 */
import type { FastifyInstance } from 'fastify';
import { inboxFrameFor } from '../../../domain/inbox-live.ts';
import { listScope } from '../../../domain/policy.ts';
import type { ServiceContext } from '../../../services/context.ts';
import { liveBus } from '../../../services/live/live-bus.ts';

const HEARTBEAT_MS = 25_000;

export async function liveSocketRoutes(app: FastifyInstance, ctx: ServiceContext): Promise<void> {
  app.get('/live/ws', { websocket: true, schema: { hide: true } }, (ws, req) => {
    const actor = req.actor;
    if (!actor || actor.role === 'customer' || actor.role === 'integration' || listScope(actor).kind !== 'all') {
      const code = actor ? 'forbidden' : 'unauthenticated';
      ws.send(JSON.stringify({ type: 'error', code, message: actor ? 'the live inbox socket is for staff' : 'log in first' }));
      ws.close(4403, code);
      return;
    }
    const send = (frame: unknown): void => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
    };
    const unsubscribe = liveBus(ctx.db).subscribe('tickets', (e) => {
      const frame = inboxFrameFor(actor, e);
      if (frame) send(frame);
    });
    // An admin disabling the account ends the socket at once (setAccountDisabled publishes it).
    const unsubscribeAccount = liveBus(ctx.db).subscribe(`user:${actor.userId}`, (e) => {
      if (e.type !== 'account_disabled') return;
      send({ type: 'error', code: 'unauthenticated', message: 'the account has been disabled' });
      ws.close(4401, 'account_disabled');
    });
    const heartbeat = setInterval(() => ws.ping(), HEARTBEAT_MS);
    ws.on('message', (data, isBinary) => {
      if (!isBinary && data.toString().includes('"ping"')) send({ type: 'pong' });
    });
    ws.on('error', () => undefined);
    ws.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
      unsubscribeAccount();
    });
    void liveBus(ctx.db).ready().then(() => send({ type: 'ready' }), () => send({ type: 'ready' }));
  });
}
