/**
 * The inbox's queues and filters (issue 6): what each queue means as a GET /tickets query, the
 * filters as the page's URL (so a view is a link), and whether a ticket that arrives live belongs
 * in the view on screen. Pure.
 */
import type { StaffTicketSummary } from '../../../../shared/api/client.ts';

export const QUEUES = ['mine', 'team', 'unassigned', 'at_risk', 'overdue', 'pending', 'all'] as const;
export type Queue = (typeof QUEUES)[number];
export const STATUSES = ['new', 'open', 'pending', 'resolved', 'closed'] as const;
export const PRIORITIES = ['urgent', 'high', 'normal', 'low'] as const;
export const CHANNELS = ['phone', 'chat', 'email', 'walk_in', 'web', 'api'] as const;

/** A view: a queue and the filters on top of it (the saved views' `filters`, GET/POST /me/views). */
export interface InboxFilters {
  queue?: Queue;
  status?: string[];
  priority?: string[];
  channel?: string[];
  categoryId?: string;
  q?: string;
}

/** A listed ticket: the summary with the fields the inbox filters on. */
export interface InboxTicket extends StaffTicketSummary {
  categoryId: string | null;
  waitingOn: 'customer' | 'department' | null;
}

export interface Viewer {
  id: string;
  teamIds: readonly string[];
}

const OPEN = ['new', 'open', 'pending'];

/** Each queue's own conditions; a status filter chosen by the agent replaces the queue's statuses. */
const QUEUE_QUERY: Record<Queue, Record<string, string>> = {
  mine: { ownerId: 'me', status: OPEN.join(',') },
  team: { teamId: 'mine', status: OPEN.join(',') },
  unassigned: { ownerId: 'none', status: 'new,open' },
  at_risk: { slaState: 'warning' },
  overdue: { slaState: 'breached' },
  pending: { status: 'pending', waitingOn: 'customer' },
  all: {},
};

export const queueOf = (f: InboxFilters): Queue => f.queue ?? 'mine';

/** The GET /tickets query string (without cursor) for a view. */
export function listQuery(f: InboxFilters, limit = 50): string {
  const p = new URLSearchParams(QUEUE_QUERY[queueOf(f)]);
  if (f.status?.length) p.set('status', f.status.join(','));
  if (f.priority?.length) p.set('priority', f.priority.join(','));
  if (f.channel?.length) p.set('channel', f.channel.join(','));
  if (f.categoryId) p.set('categoryId', f.categoryId);
  if (f.q?.trim()) p.set('q', f.q.trim());
  p.set('limit', String(limit));
  return p.toString();
}

const list = (v: string | null, allowed: readonly string[]): string[] | undefined => {
  const parts = (v ?? '').split(',').filter((x) => allowed.includes(x));
  return parts.length ? parts : undefined;
};

/** The view in the page's URL (/tickets?queue=…&status=…); unknown values are dropped, not errors. */
export function filtersFromSearch(s: URLSearchParams): InboxFilters {
  const f: InboxFilters = {};
  const queue = s.get('queue');
  if (queue && (QUEUES as readonly string[]).includes(queue)) f.queue = queue as Queue;
  const status = list(s.get('status'), STATUSES);
  if (status) f.status = status;
  const priority = list(s.get('priority'), PRIORITIES);
  if (priority) f.priority = priority;
  const channel = list(s.get('channel'), CHANNELS);
  if (channel) f.channel = channel;
  const category = s.get('category');
  if (category && /^[0-9a-f-]{36}$/i.test(category)) f.categoryId = category;
  const q = s.get('q')?.trim();
  if (q) f.q = q.slice(0, 200);
  return f;
}

export function searchFromFilters(f: InboxFilters): string {
  const p = new URLSearchParams();
  if (f.queue) p.set('queue', f.queue);
  if (f.status?.length) p.set('status', f.status.join(','));
  if (f.priority?.length) p.set('priority', f.priority.join(','));
  if (f.channel?.length) p.set('channel', f.channel.join(','));
  if (f.categoryId) p.set('category', f.categoryId);
  if (f.q?.trim()) p.set('q', f.q.trim());
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** Whether two views are the same (a saved view is "current" when it equals the page's filters). */
export function sameFilters(a: InboxFilters, b: InboxFilters): boolean {
  return searchFromFilters({ ...a, queue: queueOf(a) }) === searchFromFilters({ ...b, queue: queueOf(b) });
}

/** Whether a ticket (one that arrived live) belongs in the view; mirrors the server's filters. */
export function matchesView(f: InboxFilters, t: InboxTicket, me: Viewer): boolean {
  const queue = queueOf(f);
  const statuses = f.status?.length ? f.status : QUEUE_QUERY[queue].status?.split(',');
  if (statuses && !statuses.includes(t.status)) return false;
  if (queue === 'mine' && t.ownerId !== me.id) return false;
  if (queue === 'team' && (t.teamId === null || !me.teamIds.includes(t.teamId))) return false;
  if (queue === 'unassigned' && t.ownerId !== null) return false;
  if (queue === 'at_risk' && t.slaState !== 'warning') return false;
  if (queue === 'overdue' && t.slaState !== 'breached') return false;
  if (queue === 'pending' && t.waitingOn !== 'customer') return false;
  if (f.priority?.length && !f.priority.includes(t.priority)) return false;
  if (f.channel?.length && !f.channel.includes(t.channel)) return false;
  if (f.categoryId && t.categoryId !== f.categoryId) return false;
  const q = f.q?.trim().toLowerCase();
  if (q && !t.subject.toLowerCase().includes(q) && t.number.toLowerCase() !== q && !t.waybills.some((w) => w.toLowerCase() === q)) return false;
  return true;
}
