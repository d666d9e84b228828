/**
 * Live chat rules (SPEC C4–C6, seed 000 二、服务礼仪规范): who gets the next chat, where a waiting
 * customer stands in the queue, when the busy notice goes out, and whether the first reply came
 * within the 60 s norm. No I/O, no clock: `now` is passed in.
 */

export type Presence = 'online' | 'away' | 'offline';
export const PRESENCES: readonly Presence[] = ['online', 'away', 'offline'];

export interface ChatAgent {
  id: string;
  presence: Presence;
  /** Last sign of life from the agent's console (socket heartbeat or presence call). */
  lastSeenAt: Date;
  /** Concurrent chats the agent takes. */
  capacity: number;
  /** Chats the agent has now. */
  active: number;
  teamIds: string[];
  /** When the agent last got a chat; the longest-idle agent goes first among equals. */
  lastAssignedAt: Date | null;
}

export interface QueuedChat {
  id: string;
  /** A team the chat was sent to (a transfer to a team); null = anyone. */
  teamId: string | null;
  /** Agent to leave out (the one who transferred it away). */
  notAgentId: string | null;
  priority: 'low' | 'normal' | 'high' | 'urgent';
  queuedAt: Date;
}

const PRIORITY_RANK = { urgent: 0, high: 1, normal: 2, low: 3 } as const;

/** Queue order: priority first (special groups raise it, T3), then first come, first served. */
export function compareQueued(a: QueuedChat, b: QueuedChat): number {
  return PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority] || a.queuedAt.getTime() - b.queuedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** An agent can take a chat now: online, console alive within the timeout, below capacity. */
export function isAvailable(a: ChatAgent, now: Date, presenceTimeoutSeconds: number): boolean {
  return a.presence === 'online' && now.getTime() - a.lastSeenAt.getTime() <= presenceTimeoutSeconds * 1000 && a.active < a.capacity;
}

/**
 * Routes waiting chats to available agents: in queue order, each to the eligible agent with the
 * lowest load relative to capacity, then the one idle longest. Returns the assignments; chats
 * nobody can take stay queued. Pure: loads are updated in the copies as chats are handed out.
 */
export function routeQueue(queue: QueuedChat[], agents: ChatAgent[], now: Date, presenceTimeoutSeconds: number): { chatId: string; agentId: string }[] {
  const pool = agents.map((a) => ({ ...a }));
  const out: { chatId: string; agentId: string }[] = [];
  for (const chat of [...queue].sort(compareQueued)) {
    const candidates = pool.filter((a) => isAvailable(a, now, presenceTimeoutSeconds) && a.id !== chat.notAgentId && (chat.teamId === null || a.teamIds.includes(chat.teamId)));
    if (candidates.length === 0) continue;
    candidates.sort(
      (x, y) =>
        x.active / x.capacity - y.active / y.capacity ||
        (x.lastAssignedAt?.getTime() ?? 0) - (y.lastAssignedAt?.getTime() ?? 0) ||
        (x.id < y.id ? -1 : 1),
    );
    const chosen = candidates[0]!;
    chosen.active += 1;
    chosen.lastAssignedAt = now;
    out.push({ chatId: chat.id, agentId: chosen.id });
  }
  return out;
}

/** 1-based positions of waiting chats, in queue order. */
export function queuePositions(queue: QueuedChat[]): Map<string, number> {
  return new Map([...queue].sort(compareQueued).map((c, i) => [c.id, i + 1]));
}

/** Whether anyone could take a chat for `teamId` now (otherwise the customer is told at once that it is busy). */
export function anyoneCanTake(agents: ChatAgent[], teamId: string | null, now: Date, presenceTimeoutSeconds: number): boolean {
  return agents.some((a) => isAvailable(a, now, presenceTimeoutSeconds) && (teamId === null || a.teamIds.includes(teamId)));
}

export interface BusyState {
  /** Since when the customer's message has waited for an agent's reply; null = nothing waiting. */
  awaitingSince: Date | null;
  /** The waiting spell a busy notice was already sent for (its awaitingSince). */
  noticeFor: Date | null;
  status: 'queued' | 'active' | 'ended';
}

/**
 * C4: when no agent can answer within the threshold, the customer automatically receives the busy
 * message — once per waiting spell: at once when the chat queues with no agent able to take it,
 * otherwise when the wait reaches `busyAfterSeconds`.
 */
export function busyNoticeDue(s: BusyState, now: Date, busyAfterSeconds: number, noAgentCanTake: boolean): boolean {
  if (s.status === 'ended' || s.awaitingSince === null) return false;
  if (s.noticeFor !== null && s.noticeFor.getTime() === s.awaitingSince.getTime()) return false;
  if (s.status === 'queued' && noAgentCanTake) return true;
  return now.getTime() - s.awaitingSince.getTime() >= busyAfterSeconds * 1000;
}

export interface FirstReplyMeasure {
  firstReplyMs: number | null;
  /** null while no reply yet and still inside the target; false once the target has passed unanswered. */
  withinTarget: boolean | null;
}

/** C4: the first agent reply within `targetSeconds` (60 s) of the customer's first message. */
export function firstReplyMeasure(firstCustomerMessageAt: Date | null, firstReplyAt: Date | null, now: Date, targetSeconds: number): FirstReplyMeasure {
  if (firstCustomerMessageAt === null) return { firstReplyMs: null, withinTarget: null };
  if (firstReplyAt !== null) {
    const ms = Math.max(0, firstReplyAt.getTime() - firstCustomerMessageAt.getTime());
    return { firstReplyMs: ms, withinTarget: ms <= targetSeconds * 1000 };
  }
  return { firstReplyMs: null, withinTarget: now.getTime() - firstCustomerMessageAt.getTime() > targetSeconds * 1000 ? false : null };
}

/** Fills {公司} in a script (C5). */
export function fillCompany(text: string, company: string): string {
  return text.replaceAll('{公司}', company);
}

export const MAX_CHAT_MESSAGE = 4_000;

/** A chat message's body: trimmed, not empty, not over the limit, no control characters except newline and tab. */
export function checkChatBody(body: unknown): { ok: true; body: string } | { ok: false; message: string } {
  if (typeof body !== 'string') return { ok: false, message: 'body must be a string' };
  const b = body.trim();
  if (b === '') return { ok: false, message: 'message body must not be empty' };
  if ([...b].length > MAX_CHAT_MESSAGE) return { ok: false, message: `message body is longer than ${MAX_CHAT_MESSAGE} characters` };
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(b)) return { ok: false, message: 'message body contains control characters' };
  return { ok: true, body: b };
}
