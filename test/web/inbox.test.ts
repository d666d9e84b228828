import { describe, expect, it } from 'vitest';
import { EMPTY, inboxReducer, type InboxState, type LiveFrame } from '../../web/agent/modules/inbox/utils/inbox-state.ts';
import { filtersFromSearch, listQuery, matchesView, sameFilters, searchFromFilters, type InboxFilters, type InboxTicket } from '../../web/agent/modules/inbox/utils/views.ts';

const me = { id: 'me', teamIds: ['team1'] };
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
    expect(listQuery({ queue: 'all', status: ['resolved'], priority: ['urgent'], channel: ['chat'], categoryId: 'c', q: ' 破损 ' })).toBe('status=resolved&priority=urgent&channel=chat&categoryId=c&q=%E7%A0%B4%E6%8D%9F&limit=50');
  });

  it('reads and writes the view in the URL, dropping unknown values', () => {
    const f: InboxFilters = { queue: 'overdue', status: ['open'], priority: ['urgent', 'high'], channel: ['email'], categoryId: '8a6e0804-2bd0-4672-b79d-d97027f9071a', q: '延误' };
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
    expect(matchesView({ queue: 'all', categoryId: 'c1' }, tk({ categoryId: 'c2' }), me)).toBe(false);
    expect(matchesView({ queue: 'all', q: '包裹' }, tk(), me)).toBe(true);
    expect(matchesView({ queue: 'all', q: '投诉' }, tk(), me)).toBe(false);
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
