import { describe, expect, it } from 'vitest';
import { announcement, EMPTY, inboxReducer, type InboxState, type LiveFrame } from '../../web/agent/modules/inbox/utils/inbox-state.ts';
import { filtersFromSearch, fromStored, listQuery, matchesView, moveInOrder, sameFilters, searchFromFilters, toggleValue, type InboxFilters, type InboxTicket } from '../../web/agent/modules/inbox/utils/views.ts';

const me = { id: 'me', teamIds: ['team1'] };
const C1 = '8a6e0804-2bd0-4672-b79d-d97027f9071a';
const C2 = '1b6e0804-2bd0-4672-b79d-d97027f9071b';
const T2 = '2c6e0804-2bd0-4672-b79d-d97027f9071c';
let n = 0;
function tk(over: Partial<InboxTicket> = {}): InboxTicket {
  n += 1;
  return {
    id: `t${n}`, number: `GD2026010100${String(n).padStart(4, '0')}`, channel: 'phone', status: 'open', subject: `包裹 ${n}`, waybills: [], createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z',
    type: 'consultation', priority: 'normal', ownerId: 'me', teamId: 'team1', slaState: 'running', slaDueAt: null, categoryId: null, waitingOn: null, ...over,
  };
}
const loaded = (rows: InboxTicket[]): InboxState => inboxReducer(EMPTY, { type: 'loaded', items: rows, nextCursor: 'c1' });
const live = (s: InboxState, frame: LiveFrame, filters: InboxFilters = { queue: 'mine' }): InboxState => inboxReducer(s, { type: 'live', frame, filters, me });

describe('inbox queries', () => {
  it('maps each queue onto the list query, a chosen status replacing the queue\'s', () => {
    expect(listQuery({})).toBe('ownerId=me&status=new%2Copen%2Cpending&limit=50');
    expect(listQuery({ queue: 'team' })).toBe('teamId=mine&status=new%2Copen%2Cpending&limit=50');
    expect(listQuery({ queue: 'unassigned' })).toContain('ownerId=none');
    expect(listQuery({ queue: 'at_risk' })).toBe('slaState=warning&limit=50');
    expect(listQuery({ queue: 'overdue' })).toBe('slaState=breached&limit=50');
    expect(listQuery({ queue: 'pending' })).toBe('status=pending&waitingOn=customer&limit=50');
    expect(listQuery({ queue: 'all', status: ['resolved'], priority: ['urgent'], channel: ['chat'], categoryIds: ['c'], q: ' 破损 ' })).toBe('status=resolved&priority=urgent&channel=chat&categoryId=c&q=%E7%A0%B4%E6%8D%9F&limit=50');
  });

  it('reads and writes the view in the URL, dropping unknown values', () => {
    const f: InboxFilters = { queue: 'overdue', status: ['open'], priority: ['urgent', 'high'], channel: ['email'], categoryIds: [C1], q: '延误' };
    expect(filtersFromSearch(new URLSearchParams(searchFromFilters(f)))).toEqual(f);
    expect(filtersFromSearch(new URLSearchParams('queue=theirs&status=lost,open&category=x&q=%20'))).toEqual({ status: ['open'] });
    expect(searchFromFilters({})).toBe('');
    expect(sameFilters({}, { queue: 'mine' })).toBe(true);
    expect(sameFilters({ queue: 'mine' }, { queue: 'team' })).toBe(false);
  });

  it('decides whether a live ticket belongs in the view as the server would', () => {
    expect(matchesView({}, tk(), me)).toBe(true);
    expect(matchesView({}, tk({ ownerId: 'other' }), me)).toBe(false);
    expect(matchesView({}, tk({ status: 'resolved' }), me)).toBe(false);
    expect(matchesView({ queue: 'team' }, tk({ ownerId: 'other' }), me)).toBe(true);
    expect(matchesView({ queue: 'team' }, tk({ teamId: 'team2' }), me)).toBe(false);
    expect(matchesView({ queue: 'unassigned' }, tk({ ownerId: null }), me)).toBe(true);
    expect(matchesView({ queue: 'unassigned' }, tk(), me)).toBe(false);
    expect(matchesView({ queue: 'at_risk' }, tk({ slaState: 'warning' }), me)).toBe(true);
    expect(matchesView({ queue: 'overdue' }, tk({ slaState: 'warning' }), me)).toBe(false);
    expect(matchesView({ queue: 'pending' }, tk({ status: 'pending', waitingOn: 'customer' }), me)).toBe(true);
    expect(matchesView({ queue: 'all', priority: ['urgent'] }, tk(), me)).toBe(false);
    expect(matchesView({ queue: 'all', channel: ['chat'] }, tk({ channel: 'chat' }), me)).toBe(true);
    expect(matchesView({ queue: 'all', categoryIds: ['c1'] }, tk({ categoryId: 'c2' }), me)).toBe(false);
    expect(matchesView({ queue: 'all', q: '包裹' }, tk(), me)).toBe(true);
    expect(matchesView({ queue: 'all', q: '投诉' }, tk(), me)).toBe(false);
  });
});

describe('several values per filter', () => {
  it('sends each list filter as one comma-separated parameter; chosen teams replace the team queue\'s', () => {
    expect(listQuery({ queue: 'all', status: ['new', 'open'], priority: ['urgent', 'high'], channel: ['chat', 'email'], categoryIds: [C1, C2], teamIds: [T2] }))
      .toBe(`status=new%2Copen&priority=urgent%2Chigh&channel=chat%2Cemail&categoryId=${C1}%2C${C2}&teamId=${T2}&limit=50`);
    expect(listQuery({ queue: 'team', teamIds: [T2, C1] })).toBe(`teamId=${T2}%2C${C1}&status=new%2Copen%2Cpending&limit=50`);
    expect(listQuery({ queue: 'team', teamIds: [] })).toContain('teamId=mine');
  });

  it('round-trips several values through the URL, dropping unknown, malformed and repeated ones', () => {
    const f: InboxFilters = { queue: 'all', status: ['new', 'pending'], channel: ['walk_in', 'web'], categoryIds: [C1, C2], teamIds: [T2] };
    expect(searchFromFilters(f)).toBe(`?queue=all&status=new%2Cpending&channel=walk_in%2Cweb&category=${C1}%2C${C2}&team=${T2}`);
    expect(filtersFromSearch(new URLSearchParams(searchFromFilters(f)))).toEqual(f);
    expect(filtersFromSearch(new URLSearchParams(`priority=low,low,lost&category=${C1},x,${C1}&team=nope`))).toEqual({ priority: ['low'], categoryIds: [C1] });
    const many = Array.from({ length: 60 }, (_, i) => `8a6e0804-2bd0-4672-b79d-${String(i).padStart(12, '0')}`);
    expect(filtersFromSearch(new URLSearchParams(`team=${many.join(',')}`)).teamIds).toHaveLength(50);
  });

  it('toggles one value at a time, an empty choice being no filter', () => {
    let f: InboxFilters = { queue: 'mine' };
    f = toggleValue(f, 'priority', 'urgent');
    f = toggleValue(f, 'priority', 'high');
    expect(f.priority).toEqual(['urgent', 'high']);
    f = toggleValue(f, 'priority', 'urgent');
    expect(f.priority).toEqual(['high']);
    f = toggleValue(f, 'priority', 'high');
    expect(f).toEqual({ queue: 'mine', priority: undefined });
    expect(searchFromFilters(f)).toBe('?queue=mine');
    expect(toggleValue({}, 'teamIds', T2)).toEqual({ teamIds: [T2] });
  });

  it('reads a view saved with one category as a choice of that category', () => {
    expect(fromStored({ queue: 'all', categoryId: C1 })).toEqual({ queue: 'all', categoryIds: [C1] });
    expect(fromStored({ categoryId: C1, categoryIds: [C2] })).toEqual({ categoryIds: [C2] });
    expect(fromStored({ status: ['open'] })).toEqual({ status: ['open'] });
  });

  it('treats views as the same whatever order their values were picked in', () => {
    expect(sameFilters({ priority: ['urgent', 'high'], teamIds: [T2, C1] }, { queue: 'mine', priority: ['high', 'urgent'], teamIds: [C1, T2] })).toBe(true);
    expect(sameFilters({ priority: ['urgent'] }, { priority: ['urgent', 'high'] })).toBe(false);
    expect(sameFilters({ categoryIds: [C1] }, { teamIds: [C1] })).toBe(false);
  });

  it('matches a ticket against any of the chosen values', () => {
    expect(matchesView({ queue: 'all', status: ['new', 'pending'] }, tk({ status: 'pending' }), me)).toBe(true);
    expect(matchesView({ queue: 'all', status: ['new', 'pending'] }, tk({ status: 'open' }), me)).toBe(false);
    expect(matchesView({ queue: 'all', categoryIds: [C1, C2] }, tk({ categoryId: C2 }), me)).toBe(true);
    expect(matchesView({ queue: 'all', categoryIds: [C1, C2] }, tk({ categoryId: null }), me)).toBe(false);
    expect(matchesView({ queue: 'all', teamIds: [T2] }, tk({ teamId: T2 }), me)).toBe(true);
    expect(matchesView({ queue: 'all', teamIds: [T2] }, tk({ teamId: null }), me)).toBe(false);
    // A team choice replaces "my teams" in the team queue.
    expect(matchesView({ queue: 'team', teamIds: [T2] }, tk({ teamId: T2 }), me)).toBe(true);
    expect(matchesView({ queue: 'team', teamIds: [T2] }, tk({ teamId: 'team1' }), me)).toBe(false);
    expect(matchesView({ queue: 'mine', teamIds: [T2] }, tk({ teamId: T2, ownerId: 'other' }), me)).toBe(false);
  });
});

describe('saved views order', () => {
  it('moves a view one place up or down, not past either end', () => {
    expect(moveInOrder(['a', 'b', 'c'], 'b', -1)).toEqual(['b', 'a', 'c']);
    expect(moveInOrder(['a', 'b', 'c'], 'b', 1)).toEqual(['a', 'c', 'b']);
    expect(moveInOrder(['a', 'b', 'c'], 'a', -1)).toBeNull();
    expect(moveInOrder(['a', 'b', 'c'], 'c', 1)).toBeNull();
    expect(moveInOrder(['a'], 'a', 1)).toBeNull();
    expect(moveInOrder(['a', 'b'], 'z', 1)).toBeNull();
    const ids = ['a', 'b'];
    moveInOrder(ids, 'a', 1);
    expect(ids).toEqual(['a', 'b']);
  });
});

describe('inbox state', () => {
  it('keeps a new ticket aside (announced), then shows it on top, marked new, the focus staying on its ticket', () => {
    const [a, b] = [tk(), tk()];
    let s = loaded([a, b]);
    expect(s.focusId).toBe(a.id);
    s = inboxReducer(s, { type: 'move', by: 1 });
    expect(s.focusId).toBe(b.id);
    const fresh = tk();
    s = live(s, { type: 'ticket.created', ticket: fresh });
    expect(s.rows.map((r) => r.id)).toEqual([a.id, b.id]);
    expect(s.incoming.map((r) => r.id)).toEqual([fresh.id]);
    // The same ticket twice (a repeated frame) is one.
    expect(live(s, { type: 'ticket.created', ticket: fresh }).incoming).toHaveLength(1);
    s = inboxReducer(s, { type: 'showIncoming' });
    expect(s.rows.map((r) => r.id)).toEqual([fresh.id, a.id, b.id]);
    expect(s.incoming).toEqual([]);
    expect(s.fresh.has(fresh.id)).toBe(true);
    expect(s.focusId).toBe(b.id);
  });

  it('ignores a new ticket outside the view', () => {
    const s = loaded([tk()]);
    expect(live(s, { type: 'ticket.created', ticket: tk({ ownerId: 'other' }) })).toBe(s);
  });

  it('marks messages and SLA warnings in place, never re-sorting; a warning does not undo a breach', () => {
    const [a, b] = [tk(), tk()];
    let s = loaded([a, b]);
    s = live(s, { type: 'ticket.message', ticketId: b.id, eventId: 9, visibility: 'public', createdAt: '2026-01-02T00:00:00.000Z' });
    expect(s.rows.map((r) => r.id)).toEqual([a.id, b.id]);
    expect(s.messaged.has(b.id)).toBe(true);
    expect(s.rows[1]!.updatedAt).toBe('2026-01-02T00:00:00.000Z');
    s = live(s, { type: 'ticket.sla', ticketId: a.id, kind: 'breach', clock: 'first_response', dueAt: '2026-01-01T01:00:00.000Z' });
    expect(s.rows[0]!.slaState).toBe('breached');
    s = live(s, { type: 'ticket.sla', ticketId: a.id, kind: 'warning', clock: 'resolution', dueAt: '2026-01-03T00:00:00.000Z' });
    expect(s.rows[0]!.slaState).toBe('breached');
    s = live(s, { type: 'ticket.sla', ticketId: b.id, kind: 'warning', clock: 'first_response', dueAt: '2026-01-01T01:00:00.000Z' });
    expect(s.rows[1]!.slaState).toBe('warning');
    const other = live(s, { type: 'ticket.sla', ticketId: 'nope', kind: 'warning', clock: 'x', dueAt: 'y' });
    expect(other).toBe(s);
  });

  it('moves the focus within the list, appends further pages without repeats, keeps the focus across a reload', () => {
    const [a, b, c] = [tk(), tk(), tk()];
    let s = loaded([a, b]);
    s = inboxReducer(s, { type: 'move', by: -1 });
    expect(s.focusId).toBe(a.id);
    s = inboxReducer(s, { type: 'more', items: [b, c], nextCursor: null });
    expect(s.rows.map((r) => r.id)).toEqual([a.id, b.id, c.id]);
    expect(s.cursor).toBeNull();
    s = inboxReducer(s, { type: 'move', by: 5 });
    expect(s.focusId).toBe(c.id);
    s = inboxReducer(s, { type: 'loaded', items: [b, c], nextCursor: null });
    expect(s.focusId).toBe(c.id);
    expect(inboxReducer(s, { type: 'loaded', items: [a], nextCursor: null }).focusId).toBe(a.id);
  });
});

describe('live frames for tickets in, out of and into the view', () => {
  // The view: unassigned tickets. A matching snapshot is unowned; one taken by someone else is not.
  const view: InboxFilters = { queue: 'unassigned' };
  const at = '2026-01-05T00:00:00.000Z';
  type Snap = 'matches' | 'leaves' | 'absent';
  type Where = 'row' | 'goneRow' | 'incoming' | 'unlisted';
  const frames: { name: string; make: (id: string, ticket?: InboxTicket) => LiveFrame }[] = [
    { name: 'message', make: (id, ticket) => ({ type: 'ticket.message', ticketId: id, eventId: 1, visibility: 'public', createdAt: at, ...(ticket ? { ticket } : {}) }) },
    { name: 'change', make: (id, ticket) => ({ type: 'ticket.changed', ticketId: id, eventId: 2, kind: 'assignment', createdAt: at, ticket: ticket! }) },
    { name: 'SLA warning', make: (id, ticket) => ({ type: 'ticket.sla', ticketId: id, kind: 'warning', clock: 'first_response', dueAt: at, ...(ticket ? { ticket } : {}) }) },
    { name: 'SLA breach', make: (id, ticket) => ({ type: 'ticket.sla', ticketId: id, kind: 'breach', clock: 'resolution', dueAt: at, ...(ticket ? { ticket } : {}) }) },
  ];

  function setup(where: Where): { s: InboxState; target: InboxTicket; others: InboxTicket[] } {
    const [a, b, target] = [tk({ ownerId: null }), tk({ ownerId: null }), tk({ ownerId: null, subject: '旧的' })];
    let s = loaded(where === 'row' || where === 'goneRow' ? [a, target, b] : [a, b]);
    s = inboxReducer(s, { type: 'focus', id: b.id });
    if (where === 'incoming') s = live(s, { type: 'ticket.created', ticket: target }, view);
    if (where === 'goneRow') s = live(s, { type: 'ticket.changed', ticketId: target.id, eventId: 0, kind: 'assignment', createdAt: at, ticket: { ...target, ownerId: 'other' } }, view);
    return { s, target, others: [a, b] };
  }

  for (const frame of frames) {
    for (const where of ['row', 'goneRow', 'incoming', 'unlisted'] as const) {
      for (const snap of ['matches', 'leaves', 'absent'] as const satisfies readonly Snap[]) {
        if (snap === 'absent' && frame.name === 'change') continue; // a change always carries its ticket
        it(`${frame.name} on a ticket ${where === 'goneRow' ? 'listed but gone' : where}, its ticket ${snap === 'absent' ? 'not sent' : `${snap === 'matches' ? 'matching' : 'leaving'} the view`}`, () => {
          const { s, target, others } = setup(where);
          const ticket = snap === 'absent' ? undefined : { ...target, subject: '新的', ownerId: snap === 'matches' ? null : 'other' };
          const next = live(s, frame.make(target.id, ticket), view);
          const rowIds = next.rows.map((r) => r.id);
          const isMessage = frame.name === 'message';
          // Rows never move under the cursor, and the focus stays on its ticket.
          expect(next.focusId).toBe(s.focusId);
          expect(rowIds).toEqual(s.rows.map((r) => r.id));
          if (where === 'row' || where === 'goneRow') {
            const row = next.rows.find((r) => r.id === target.id)!;
            if (snap !== 'absent') expect(row.subject).toBe('新的');
            if (isMessage) expect(row.updatedAt).toBe(at);
            if (frame.name === 'SLA breach') expect(row.slaState).toBe('breached');
            if (frame.name === 'SLA warning') expect(row.slaState).toBe('warning');
            const goneBefore = where === 'goneRow';
            expect(next.gone.has(target.id)).toBe(snap === 'absent' ? goneBefore : snap === 'leaves');
            expect(next.messaged.has(target.id)).toBe(isMessage && snap !== 'leaves');
            expect(next.incoming).toEqual([]);
          } else if (where === 'incoming') {
            if (snap === 'leaves') {
              expect(next.incoming).toEqual([]);
              expect(announcement(next)).toEqual({ created: 0, updated: 0, gone: 0 });
            } else {
              expect(next.incoming.map((r) => r.id)).toEqual([target.id]);
              if (snap === 'matches') expect(next.incoming[0]!.subject).toBe('新的');
              // Still a new ticket, not an updated one.
              expect(announcement(next)).toEqual({ created: 1, updated: 0, gone: 0 });
            }
            expect(next.messaged.has(target.id)).toBe(isMessage && snap !== 'leaves');
          } else if (snap === 'matches') {
            // Not listed, but now in the view: announced as updated, shown on top when asked.
            expect(next.incoming.map((r) => r.id)).toEqual([target.id]);
            expect(announcement(next)).toEqual({ created: 0, updated: 1, gone: 0 });
            expect(next.messaged.has(target.id)).toBe(isMessage);
            const shown = inboxReducer(next, { type: 'showIncoming' });
            expect(shown.rows.map((r) => r.id)).toEqual([target.id, ...others.map((o) => o.id)]);
            expect(shown.fresh.has(target.id)).toBe(true);
            expect(announcement(shown)).toEqual({ created: 0, updated: 0, gone: 0 });
          } else {
            // Not listed and not in the view (or nothing to tell): nothing changes.
            expect(next).toBe(s);
          }
        });
      }
    }
  }

  it('tidying takes out the rows that left the view, moving the focus off them, and shows the incoming ones', () => {
    const [a, b, c] = [tk({ ownerId: null }), tk({ ownerId: null }), tk({ ownerId: null })];
    let s = inboxReducer(loaded([a, b, c]), { type: 'focus', id: b.id });
    s = live(s, { type: 'ticket.changed', ticketId: b.id, eventId: 3, kind: 'assignment', createdAt: at, ticket: { ...b, ownerId: 'other' } }, view);
    const d = tk({ ownerId: null });
    s = live(s, { type: 'ticket.changed', ticketId: d.id, eventId: 4, kind: 'handover', createdAt: at, ticket: d }, view);
    const e = tk({ ownerId: null });
    s = live(s, { type: 'ticket.created', ticket: e }, view);
    expect(announcement(s)).toEqual({ created: 1, updated: 1, gone: 1 });
    expect(s.rows.map((r) => r.id)).toEqual([a.id, b.id, c.id]);
    s = inboxReducer(s, { type: 'showIncoming' });
    expect(s.rows.map((r) => r.id)).toEqual([e.id, d.id, a.id, c.id]);
    expect(s.focusId).toBe(e.id);
    expect(s.gone.size).toBe(0);
    // Only gone rows: tidying alone.
    s = live(s, { type: 'ticket.changed', ticketId: c.id, eventId: 5, kind: 'status', createdAt: at, ticket: { ...c, status: 'resolved' } }, view);
    expect(announcement(s)).toEqual({ created: 0, updated: 0, gone: 1 });
    s = inboxReducer(s, { type: 'showIncoming' });
    expect(s.rows.map((r) => r.id)).toEqual([e.id, d.id, a.id]);
    expect(inboxReducer(s, { type: 'showIncoming' })).toBe(s);
  });

  it('a ticket handed to me comes into "mine"; a further page does not repeat one held as incoming', () => {
    const mine: InboxFilters = { queue: 'mine' };
    const listedOne = tk();
    let s = loaded([listedOne]);
    const handed = tk({ ownerId: 'other' });
    s = live(s, { type: 'ticket.changed', ticketId: handed.id, eventId: 6, kind: 'handover', createdAt: at, ticket: { ...handed, ownerId: 'me' } }, mine);
    expect(announcement(s).updated).toBe(1);
    s = inboxReducer(s, { type: 'more', items: [{ ...handed, ownerId: 'me' }], nextCursor: null });
    expect(s.rows.map((r) => r.id)).toEqual([listedOne.id]);
    // A late warning does not undo a breach the snapshot already shows.
    const breached = tk({ slaState: 'breached' });
    s = loaded([breached]);
    s = live(s, { type: 'ticket.sla', ticketId: breached.id, kind: 'warning', clock: 'x', dueAt: at, ticket: { ...breached, slaState: 'warning' } }, mine);
    expect(s.rows[0]!.slaState).toBe('breached');
  });
});
