/**
 * Ticket search and lists over HTTP: every filter, text and number search, keyset pagination
 * (each ticket exactly once, newest first) and the customer's view of only their own tickets.
 *
 * The database is shared with other test files, so every query is narrowed to this file's own
 * tickets by a tag unique to the run, and expectations are computed from what this file created.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Client, type Harness, type TestUser } from '../support/harness.ts';

interface Summary {
  id: string;
  number: string;
  channel: string;
  priority: string;
  status: string;
  waitingOn: string | null;
  subject: string;
  customerId: string | null;
  teamId: string | null;
  ownerId: string | null;
  tags: string[];
  waybills: string[];
  slaState: string;
  createdAt: string;
}

interface Page {
  items: Summary[];
  nextCursor: string | null;
}

let h: Harness;
let admin: TestUser;
let agentA: TestUser;
let agentB: TestUser;
let custOne: TestUser;
let custTwo: TestUser;
let team: string;
let queueTeam: string;
let tag: string;
let waybill: string;
/** This file's 30 tickets, in creation order, with their final state as the test set it. */
let tickets: Summary[] = [];

const CHANNELS = ['phone', 'email', 'web', 'walk_in', 'api'] as const;
const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
const TEXT_MARK = '外包装破损理赔';

async function list(client: Client, query: Record<string, string | number>): Promise<Page> {
  const qs = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)])).toString();
  const res = await client.get<Page>(`/api/v1/tickets?${qs}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

/** Ids of the tagged tickets matching `query`, as a sorted list (order is tested separately). */
async function ids(client: Client, query: Record<string, string | number> = {}): Promise<string[]> {
  const page = await list(client, { tag, limit: 200, ...query });
  expect(page.nextCursor).toBeNull();
  return page.items.map((t) => t.id).sort();
}

const idsOf = (pred: (t: Summary, i: number) => boolean): string[] => tickets.filter(pred).map((t) => t.id).sort();

async function post(client: Client, path: string, body: unknown): Promise<any> {
  const res = await client.post(path, body);
  expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
  return res.body;
}

beforeAll(async () => {
  h = await startHarness();
  team = await h.team();
  queueTeam = await h.team();
  admin = await h.user('admin');
  agentA = await h.user('agent', { teamIds: [team] });
  agentB = await h.user('agent', { teamIds: [team] });
  custOne = await h.user('customer');
  custTwo = await h.user('customer');
  tag = `search_${h.uid()}`;
  waybill = `JT${Date.now()}${Math.floor(Math.random() * 1000)}`;

  // 30 tickets: owners A, B and nobody in turn; channels and priorities cycling; a text mark on every
  // fifth subject; the first five for customer one, the next three for customer two; one waybill.
  for (let i = 0; i < 30; i++) {
    const creator = i % 3 === 0 ? agentA : i % 3 === 1 ? agentB : admin;
    const body: Record<string, unknown> = {
      type: 'consultation',
      channel: CHANNELS[i % CHANNELS.length],
      priority: PRIORITIES[i % PRIORITIES.length],
      subject: i % 5 === 0 ? `客户反映${TEXT_MARK}第${i}件` : `普通咨询第${i}件`,
      tags: [tag, `n${i}`],
    };
    if (i % 3 === 2) Object.assign(body, { autoAssign: false, ...(i % 2 === 0 ? { teamId: queueTeam } : {}) });
    if (i < 5) body.customerId = custOne.customerId;
    else if (i < 8) body.customerId = custTwo.customerId;
    if (i === 4) body.waybills = [waybill.toLowerCase()];
    const res = await creator.client.post<Summary>('/api/v1/tickets', body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    tickets.push(res.body);
  }

  // Move some through the lifecycle (all owned by the acting agent, so ownership stays as created).
  const owner = (i: number): TestUser => (i % 3 === 0 ? agentA : agentB);
  for (const i of [1, 4]) await post(owner(i).client, `/api/v1/tickets/${tickets[i]!.id}/messages`, { body: '已收到' }); // → open
  for (const i of [3, 6]) await post(owner(i).client, `/api/v1/tickets/${tickets[i]!.id}/status`, { status: 'pending', waitingOn: 'customer' });
  await post(agentB.client, `/api/v1/tickets/${tickets[10]!.id}/status`, { status: 'resolved' });
  const closing = tickets[9]!.id;
  await post(agentA.client, `/api/v1/tickets/${closing}/messages`, { body: '已处理完毕', notifiesResult: true });
  await post(agentA.client, `/api/v1/tickets/${closing}/status`, { status: 'resolved' });
  await post(agentA.client, `/api/v1/tickets/${closing}/status`, { status: 'closed' });

  // Refresh this file's view of every ticket from the detail endpoint (not the list under test).
  tickets = await Promise.all(tickets.map(async (t) => (await admin.client.get<Summary>(`/api/v1/tickets/${t.id}`)).body));
});
afterAll(async () => {
  await h?.close();
});

describe('filters', () => {
  it('the data set is what the filters below are checked against', () => {
    expect(tickets).toHaveLength(30);
    expect(tickets.filter((t) => t.status === 'pending').map((t) => t.waitingOn)).toEqual(['customer', 'customer']);
    expect(tickets.filter((t) => t.status === 'closed')).toHaveLength(1);
    expect(tickets.filter((t) => t.ownerId === null)).toHaveLength(10);
    expect(tickets.map((t) => t.priority)).toEqual(tickets.map((_, i) => PRIORITIES[i % 4]));
  });

  it('tag: exactly this file’s 30 tickets', async () => {
    expect(await ids(admin.client)).toEqual(idsOf(() => true));
    expect(await ids(admin.client, { tag: 'n7' }).then((r) => r.filter((id) => tickets.some((t) => t.id === id)))).toEqual([tickets[7]!.id]);
  });

  it('status, one or several', async () => {
    expect(await ids(admin.client, { status: 'new' })).toEqual(idsOf((t) => t.status === 'new'));
    expect(await ids(admin.client, { status: 'open' })).toEqual(idsOf((_, i) => i === 1 || i === 4));
    expect(await ids(admin.client, { status: 'pending,closed' })).toEqual(idsOf((_, i) => [3, 6, 9].includes(i)));
    expect(await ids(admin.client, { status: 'resolved' })).toEqual([tickets[10]!.id]);
    const bad = await admin.client.get(`/api/v1/tickets?tag=${tag}&status=lost`);
    expect(bad.status).toBe(400);
  });

  it('priority and channel', async () => {
    expect(await ids(admin.client, { priority: 'urgent' })).toEqual(idsOf((_, i) => i % 4 === 3));
    expect(await ids(admin.client, { priority: 'low,high' })).toEqual(idsOf((_, i) => i % 2 === 0));
    expect(await ids(admin.client, { channel: 'email' })).toEqual(idsOf((_, i) => i % 5 === 1));
    expect(await ids(admin.client, { channel: 'web,walk_in', priority: 'normal' })).toEqual(idsOf((_, i) => (i % 5 === 2 || i % 5 === 3) && i % 4 === 1));
    const bad = await admin.client.get(`/api/v1/tickets?tag=${tag}&channel=fax`);
    expect(bad.status).toBe(400);
  });

  it('ownerId=me, a named owner, and ownerId=none', async () => {
    expect(await ids(agentA.client, { ownerId: 'me' })).toEqual(idsOf((_, i) => i % 3 === 0));
    expect(await ids(agentB.client, { ownerId: 'me' })).toEqual(idsOf((_, i) => i % 3 === 1));
    expect(await ids(admin.client, { ownerId: agentB.id })).toEqual(idsOf((_, i) => i % 3 === 1));
    expect(await ids(admin.client, { ownerId: 'none' })).toEqual(idsOf((_, i) => i % 3 === 2));
    expect(await ids(admin.client, { ownerId: 'me' })).toEqual([]);
  });

  it('teamId', async () => {
    expect(await ids(admin.client, { teamId: team })).toEqual(idsOf((_, i) => i % 3 !== 2));
    expect(await ids(admin.client, { teamId: queueTeam })).toEqual(idsOf((_, i) => i % 3 === 2 && i % 2 === 0));
    expect(await ids(admin.client, { teamId: queueTeam, ownerId: 'none', status: 'new' })).toEqual(idsOf((_, i) => i % 3 === 2 && i % 2 === 0));
  });

  it('waybill, in any case, as a filter and as the search text', async () => {
    expect(await ids(admin.client, { waybill: waybill.toLowerCase() })).toEqual([tickets[4]!.id]);
    expect(tickets[4]!.waybills).toEqual([waybill.toUpperCase()]);
    const byText = await list(admin.client, { q: waybill.toLowerCase() });
    expect(byText.items.map((t) => t.id)).toEqual([tickets[4]!.id]);
  });

  it('q: a ticket number finds exactly that ticket, in any case', async () => {
    const target = tickets[17]!;
    const exact = await list(admin.client, { q: target.number });
    expect(exact.items.map((t) => t.id)).toEqual([target.id]);
    const lower = await list(admin.client, { q: ` ${target.number.toLowerCase()} ` });
    expect(lower.items.map((t) => t.id)).toEqual([target.id]);
    // A number that does not exist finds nothing (not a prefix or substring match).
    const missing = await list(admin.client, { q: `${target.number.slice(0, 10)}999999` });
    expect(missing.items.filter((t) => t.id === target.id)).toEqual([]);
  });

  it('q: Chinese text anywhere in the subject', async () => {
    expect(await ids(admin.client, { q: TEXT_MARK })).toEqual(idsOf((_, i) => i % 5 === 0));
    expect(await ids(admin.client, { q: '包装破损' })).toEqual(idsOf((_, i) => i % 5 === 0));
    expect(await ids(admin.client, { q: '第17件' })).toEqual([tickets[17]!.id]);
    expect(await ids(admin.client, { q: '普通咨询', status: 'new', priority: 'urgent' })).toEqual(idsOf((t, i) => i % 5 !== 0 && t.status === 'new' && i % 4 === 3));
    // Two characters: answered from the bigram index, still matched anywhere in the subject.
    expect(await ids(admin.client, { q: '破损' })).toEqual(idsOf((_, i) => i % 5 === 0));
    expect(await ids(admin.client, { q: '7件' })).toEqual(idsOf((_, i) => i % 10 === 7));
    expect(await ids(admin.client, { q: '咨询' })).toEqual(idsOf((_, i) => i % 5 !== 0));
    expect(await ids(admin.client, { q: '件第' })).toEqual([]);
    // LIKE wildcards typed by a user are literal text.
    expect(await ids(admin.client, { q: '%' })).toEqual([]);
    expect(await ids(admin.client, { q: '%_' })).toEqual([]);
    expect(await ids(admin.client, { q: '第_件' })).toEqual([]);
  });

  it('slaState: running, paused while pending on the customer, met once closed', async () => {
    expect(await ids(admin.client, { slaState: 'paused' })).toEqual(idsOf((_, i) => i === 3 || i === 6));
    expect(await ids(admin.client, { slaState: 'met' })).toEqual([tickets[9]!.id]);
    expect(await ids(admin.client, { slaState: 'running' })).toEqual(idsOf((_, i) => ![3, 6, 9].includes(i)));
    expect(await ids(admin.client, { slaState: 'paused,met' })).toEqual(idsOf((_, i) => [3, 6, 9].includes(i)));
    expect(tickets.map((t) => t.slaState)).toEqual(tickets.map((_, i) => (i === 3 || i === 6 ? 'paused' : i === 9 ? 'met' : 'running')));
  });
});

describe('keyset pagination', () => {
  /** Follows nextCursor to the end; returns the pages. */
  async function walk(client: Client, query: Record<string, string | number>): Promise<Summary[][]> {
    const pages: Summary[][] = [];
    let cursor: string | null = null;
    for (let n = 0; n < 100; n++) {
      const page: Page = await list(client, { ...query, ...(cursor ? { cursor } : {}) });
      pages.push(page.items);
      cursor = page.nextCursor;
      if (!cursor) return pages;
    }
    throw new Error('pagination did not end');
  }

  const newestFirst = (a: { createdAt: string; id: string }, b: { createdAt: string; id: string }): number =>
    a.createdAt === b.createdAt ? (a.id < b.id ? 1 : a.id > b.id ? -1 : 0) : a.createdAt < b.createdAt ? 1 : -1;

  it('limit=7 walks all 30 exactly once, newest first, in pages of 7,7,7,7,2', async () => {
    const pages = await walk(admin.client, { tag, limit: 7 });
    expect(pages.map((p) => p.length)).toEqual([7, 7, 7, 7, 2]);
    const seen = pages.flat();
    expect(new Set(seen.map((t) => t.id)).size).toBe(30);
    expect(seen.map((t) => t.id)).toEqual([...tickets].sort(newestFirst).map((t) => t.id));
    // Created one after another, so newest first is the reverse creation order.
    expect(seen.map((t) => t.id)).toEqual([...tickets].reverse().map((t) => t.id));
    for (let i = 1; i < seen.length; i++) expect(seen[i - 1]!.createdAt >= seen[i]!.createdAt).toBe(true);
  });

  it('a page boundary inside a burst of tickets created in the same instant still loses and repeats nothing', async () => {
    const burstTag = `burst_${h.uid()}`;
    const made = await Promise.all(
      Array.from({ length: 12 }, (_, i) => agentA.client.post<Summary>('/api/v1/tickets', { type: 'consultation', channel: 'web', subject: `并发第${i}件`, tags: [burstTag] })),
    );
    expect(made.map((r) => r.status)).toEqual(Array(12).fill(201));
    const pages = await walk(admin.client, { tag: burstTag, limit: 5 });
    expect(pages.map((p) => p.length)).toEqual([5, 5, 2]);
    const seen = pages.flat();
    expect(seen.map((t) => t.id)).toEqual(made.map((r) => r.body).sort(newestFirst).map((t) => t.id));
  });

  it('filters apply on every page', async () => {
    const pages = await walk(admin.client, { tag, status: 'new', limit: 4 });
    const seen = pages.flat();
    expect(seen.every((t) => t.status === 'new')).toBe(true);
    expect(seen.map((t) => t.id).sort()).toEqual(idsOf((t) => t.status === 'new'));
    expect(new Set(seen.map((t) => t.id)).size).toBe(seen.length);
  });

  it('a cursor the server did not hand out answers 400', async () => {
    for (const cursor of ['garbage!', 'bm90IGpzb24', Buffer.from('[1,2]').toString('base64url'), Buffer.from('["yesterday","x"]').toString('base64url')]) {
      const res = await admin.client.get(`/api/v1/tickets?tag=${tag}&cursor=${encodeURIComponent(cursor)}`);
      expect(res.status, cursor).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
    const wrongId = Buffer.from(JSON.stringify([new Date().toISOString(), 'not-a-uuid'])).toString('base64url');
    const res = await admin.client.get(`/api/v1/tickets?tag=${tag}&cursor=${wrongId}`);
    expect(res.status).toBe(400);
    const tooBig = await admin.client.get(`/api/v1/tickets?tag=${tag}&limit=201`);
    expect(tooBig.status).toBe(400);
  });
});

describe('customers', () => {
  it('see only their own tickets in lists, whatever they ask for', async () => {
    expect(await ids(custOne.client)).toEqual(idsOf((_, i) => i < 5));
    expect(await ids(custTwo.client)).toEqual(idsOf((_, i) => i >= 5 && i < 8));
    const everything = await list(custOne.client, { limit: 200 });
    expect(everything.items.length).toBeGreaterThanOrEqual(5);
    expect(everything.items.every((t) => t.customerId === custOne.customerId)).toBe(true);
    // Asking for someone else's tickets gives nothing, not theirs.
    expect(await ids(custOne.client, { customerId: custTwo.customerId! })).toEqual([]);
    expect((await list(custOne.client, { q: tickets[6]!.number })).items).toEqual([]);
    // And a direct read of another customer's ticket is "not found".
    const other = await custOne.client.get(`/api/v1/tickets/${tickets[6]!.id}`);
    expect(other.status).toBe(404);
    // A customer's own new ticket shows up in their list.
    const ownTag = `${tag}_own`;
    const mine = await custTwo.client.post<Summary>('/api/v1/tickets', { type: 'tracking', channel: 'web', subject: '我的快件到哪了', tags: [ownTag] });
    expect(mine.status).toBe(201);
    expect(mine.body.customerId).toBe(custTwo.customerId);
    expect(await ids(custTwo.client, { tag: ownTag })).toEqual([mine.body.id]);
    expect(await ids(custOne.client, { tag: ownTag })).toEqual([]);
  });
});
