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

/**
 * A view: a queue and the filters on top of it (the saved views' `filters`, GET/POST /me/views).
 * Each list filter matches any of its values; a team choice replaces the team queue's "my teams".
 */
export interface InboxFilters {
  queue?: Queue;
  status?: string[];
  priority?: string[];
  channel?: string[];
  categoryIds?: string[];
  teamIds?: string[];
  q?: string;
}

/** The list filters an agent picks several values of. */
export type MultiFilter = 'status' | 'priority' | 'channel' | 'categoryIds' | 'teamIds';

/** A saved view's filters as stored: views saved before several categories could be chosen have `categoryId`. */
export type StoredFilters = InboxFilters & { categoryId?: string };

export function fromStored(f: StoredFilters): InboxFilters {
  const { categoryId, ...rest } = f;
  if (!categoryId || rest.categoryIds?.length) return rest;
  return { ...rest, categoryIds: [categoryId] };
}

/** The filter with `value` added or taken out; an empty choice is no filter. */
export function toggleValue(f: InboxFilters, key: MultiFilter, value: string): InboxFilters {
  const now = f[key] ?? [];
  const next = now.includes(value) ? now.filter((v) => v !== value) : [...now, value];
  return { ...f, [key]: next.length ? next : undefined };
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
  if (f.categoryIds?.length) p.set('categoryId', f.categoryIds.join(','));
  if (f.teamIds?.length) p.set('teamId', f.teamIds.join(','));
  if (f.q?.trim()) p.set('q', f.q.trim());
  p.set('limit', String(limit));
  return p.toString();
}

const list = (v: string | null, allowed: (x: string) => boolean): string[] | undefined => {
  const parts = [...new Set((v ?? '').split(',').filter(allowed))];
  return parts.length ? parts : undefined;
};
const among = (values: readonly string[]) => (x: string): boolean => values.includes(x);
const isId = (x: string): boolean => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(x);
/** At most this many ids per filter (the API's limit). */
const MAX_IDS = 50;

/** The view in the page's URL (/tickets?queue=…&status=…); unknown values are dropped, not errors. */
export function filtersFromSearch(s: URLSearchParams): InboxFilters {
  const f: InboxFilters = {};
  const queue = s.get('queue');
  if (queue && (QUEUES as readonly string[]).includes(queue)) f.queue = queue as Queue;
  const status = list(s.get('status'), among(STATUSES));
  if (status) f.status = status;
  const priority = list(s.get('priority'), among(PRIORITIES));
  if (priority) f.priority = priority;
  const channel = list(s.get('channel'), among(CHANNELS));
  if (channel) f.channel = channel;
  const categories = list(s.get('category'), isId);
  if (categories) f.categoryIds = categories.slice(0, MAX_IDS);
  const teams = list(s.get('team'), isId);
  if (teams) f.teamIds = teams.slice(0, MAX_IDS);
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
  if (f.categoryIds?.length) p.set('category', f.categoryIds.join(','));
  if (f.teamIds?.length) p.set('team', f.teamIds.join(','));
  if (f.q?.trim()) p.set('q', f.q.trim());
  const s = p.toString();
  return s ? `?${s}` : '';
}

const sorted = (v: string[] | undefined): string[] | undefined => (v ? [...v].sort() : v);
const canonical = (f: InboxFilters): string =>
  searchFromFilters({ ...f, queue: queueOf(f), status: sorted(f.status), priority: sorted(f.priority), channel: sorted(f.channel), categoryIds: sorted(f.categoryIds), teamIds: sorted(f.teamIds) });

/** Whether two views are the same, whatever order their values were picked in (a saved view is "current" when it equals the page's filters). */
export function sameFilters(a: InboxFilters, b: InboxFilters): boolean {
  return canonical(a) === canonical(b);
}

/** Whether a ticket (one that arrived live) belongs in the view; mirrors the server's filters. */
export function matchesView(f: InboxFilters, t: InboxTicket, me: Viewer): boolean {
  const queue = queueOf(f);
  const statuses = f.status?.length ? f.status : QUEUE_QUERY[queue].status?.split(',');
  if (statuses && !statuses.includes(t.status)) return false;
  if (queue === 'mine' && t.ownerId !== me.id) return false;
  if (f.teamIds?.length) {
    if (t.teamId === null || !f.teamIds.includes(t.teamId)) return false;
  } else if (queue === 'team' && (t.teamId === null || !me.teamIds.includes(t.teamId))) return false;
  if (queue === 'unassigned' && t.ownerId !== null) return false;
  if (queue === 'at_risk' && t.slaState !== 'warning') return false;
  if (queue === 'overdue' && t.slaState !== 'breached') return false;
  if (queue === 'pending' && t.waitingOn !== 'customer') return false;
  if (f.priority?.length && !f.priority.includes(t.priority)) return false;
  if (f.channel?.length && !f.channel.includes(t.channel)) return false;
  if (f.categoryIds?.length && (t.categoryId === null || !f.categoryIds.includes(t.categoryId))) return false;
  const q = f.q?.trim().toLowerCase();
  if (q && !t.subject.toLowerCase().includes(q) && t.number.toLowerCase() !== q && !t.waybills.some((w) => w.toLowerCase() === q)) return false;
  return true;
}

/** The saved views' order after moving one up (-1) or down (+1); null when it is already at that end (or not there). */
export function moveInOrder(ids: readonly string[], id: string, by: -1 | 1): string[] | null {
  const at = ids.indexOf(id);
  const to = at + by;
  if (at < 0 || to < 0 || to >= ids.length) return null;
  const next = [...ids];
  [next[at], next[to]] = [next[to]!, next[at]!];
  return next;
}
