/**
 * SLA clocks of a ticket (T5): started, paused, resumed and stopped by ticket events, according to
 * the policies (data). The arithmetic is the pure module src/domain/sla-clock.ts; this file loads
 * and stores its state.
 */
import type { Queryable } from '../../db/database.ts';
import { ALWAYS_OPEN, type BusinessCalendar } from '../../domain/business-hours.ts';
import {
  clockStatus,
  consumedAt,
  pauseClock,
  remainingAt,
  resumeClock,
  retargetClock,
  startClock,
  stopClock,
  warnAt,
  type ClockMode,
  type ClockState,
} from '../../domain/sla-clock.ts';

/** What starts and stops clocks (an SLA policy names one of each); the database checks the same lists. */
export const START_EVENTS = ['ticket_created', 'customer_message', 'escalated', 'resolved', 'claim_agreed', 'priority_delivery_requested'] as const;
export const STOP_EVENTS = ['agent_reply', 'resolved', 'escalation_answered', 'customer_notified', 'claim_paid', 'courier_contacted'] as const;
export type StartEvent = (typeof START_EVENTS)[number];
export type StopEvent = (typeof STOP_EVENTS)[number];

export interface ClockTicket {
  id: string;
  type: string;
  priority: string;
  channel: string;
  category_code: string | null;
}

interface PolicyRow {
  id: string;
  clock: string;
  target_minutes: number;
  mode: ClockMode;
  calendar_id: string | null;
  warn_fraction: number;
}

export interface ClockRow {
  id: string;
  ticket_id: string;
  clock: string;
  target_ms: number;
  mode: ClockMode;
  calendar_id: string | null;
  warn_fraction: number;
  consumed_ms: number;
  running_since: Date | null;
  stopped_at: Date | null;
  due_at: Date | null;
  warn_at: Date | null;
  warned_at: Date | null;
  breached_at: Date | null;
}

export const CLOCK_COLUMNS = 'id, ticket_id, clock, target_ms, mode, calendar_id, warn_fraction, consumed_ms, running_since, stopped_at, due_at, warn_at, warned_at, breached_at';

const calendarCache = new Map<string, { at: number; cal: BusinessCalendar }>();

/** Calendars change rarely; a few seconds of caching keeps sweeps cheap and edits visible quickly. */
export async function loadCalendar(q: Queryable, id: string | null): Promise<BusinessCalendar> {
  if (!id) return ALWAYS_OPEN;
  const hit = calendarCache.get(id);
  if (hit && Date.now() - hit.at < 5_000) return hit.cal;
  const { rows } = await q.query<{ definition: BusinessCalendar }>('SELECT definition FROM calendars WHERE id = $1', [id]);
  const cal = rows[0]?.definition ?? ALWAYS_OPEN;
  calendarCache.set(id, { at: Date.now(), cal });
  return cal;
}

export function clearCalendarCache(): void {
  calendarCache.clear();
}

function toState(r: ClockRow): ClockState {
  return { targetMs: r.target_ms, mode: r.mode, consumedMs: r.consumed_ms, runningSince: r.running_since, stoppedAt: r.stopped_at, dueAt: r.due_at };
}

async function saveState(q: Queryable, r: ClockRow, s: ClockState, cal: BusinessCalendar, extra: { resetAlerts?: boolean } = {}): Promise<void> {
  const warn = warnAt(s, cal, r.warn_fraction);
  await q.query(
    `UPDATE sla_clocks SET target_ms = $2, consumed_ms = $3, running_since = $4, stopped_at = $5, due_at = $6, warn_at = $7
       ${extra.resetAlerts ? ', warned_at = CASE WHEN $6::timestamptz > now() THEN NULL ELSE warned_at END, breached_at = CASE WHEN $6::timestamptz > now() THEN NULL ELSE breached_at END' : ''}
     WHERE id = $1`,
    [r.id, s.targetMs, Math.round(s.consumedMs), s.runningSince, s.stoppedAt, s.dueAt, warn],
  );
}

/**
 * Starts the clocks whose policy starts on `event` and matches the ticket. For each clock name the
 * most specific matching policy wins (category > type > channel > priority). A clock that already
 * exists for the ticket is restarted only for repeating clocks (next_response).
 */
export async function startClocks(q: Queryable, t: ClockTicket, event: StartEvent, now: Date, opts: { paused?: boolean; onlyStopsOn?: StopEvent } = {}): Promise<void> {
  const planned = await planClocks(q, t, event, now, opts);
  if (planned.length === 0) return;
  const params: unknown[] = [t.id];
  await q.query(startClocksSql(planned, '$1', params), params);
}

/** A clock startClocks is about to write: the winning policy and its fresh state. */
export interface PlannedClock {
  policyId: string;
  clock: string;
  targetMs: number;
  mode: ClockMode;
  calendarId: string | null;
  warnFraction: number;
  runningSince: Date | null;
  dueAt: Date | null;
  warnAt: Date | null;
}

/** startClocks' first half: the matching policies (one per clock name) and each clock's starting state. */
export async function planClocks(q: Queryable, t: Omit<ClockTicket, 'id'>, event: StartEvent, now: Date, opts: { paused?: boolean; onlyStopsOn?: StopEvent } = {}): Promise<PlannedClock[]> {
  const { rows } = await q.query<PolicyRow>(
    `SELECT DISTINCT ON (clock) id, clock, target_minutes, mode, calendar_id, warn_fraction
       FROM sla_policies
      WHERE active AND starts_on = $1
        AND (ticket_type IS NULL OR ticket_type = $2)
        AND (priority IS NULL OR priority = $3)
        AND (channel IS NULL OR channel = $4)
        AND (category_code IS NULL OR category_code = $5)
        AND ($6::text IS NULL OR stops_on = $6)
      ORDER BY clock, (category_code IS NOT NULL) DESC, (ticket_type IS NOT NULL) DESC, (channel IS NOT NULL) DESC, (priority IS NOT NULL) DESC, target_minutes`,
    [event, t.type, t.priority, t.channel, t.category_code, opts.onlyStopsOn ?? null],
  );
  const planned: PlannedClock[] = [];
  for (const p of rows) {
    const cal = p.mode === 'business' ? await loadCalendar(q, p.calendar_id) : ALWAYS_OPEN;
    let s = startClock(cal, Math.round(p.target_minutes * 60_000), p.mode, now);
    if (opts.paused) s = pauseClock(cal, s, now);
    planned.push({
      policyId: p.id, clock: p.clock, targetMs: s.targetMs, mode: p.mode, calendarId: p.calendar_id, warnFraction: p.warn_fraction,
      runningSince: s.runningSince, dueAt: s.dueAt, warnAt: warnAt(s, cal, p.warn_fraction),
    });
  }
  return planned;
}

/**
 * startClocks' second half: one INSERT … ON CONFLICT for all the planned clocks (one per clock
 * name, so no row is affected twice) of the ticket whose id is the SQL `ticketId` (e.g. '$1').
 * Appends its values to `params`.
 */
export function startClocksSql(planned: PlannedClock[], ticketId: string, params: unknown[]): string {
  const tuples = planned.map((c) => {
    const n = params.length;
    params.push(c.policyId, c.clock, c.targetMs, c.mode, c.calendarId, c.warnFraction, c.runningSince, c.dueAt, c.warnAt);
    return `(${ticketId}, $${n + 1}, $${n + 2}, $${n + 3}, $${n + 4}, $${n + 5}, $${n + 6}, 0, $${n + 7}, $${n + 8}, $${n + 9})`;
  });
  return `INSERT INTO sla_clocks (ticket_id, policy_id, clock, target_ms, mode, calendar_id, warn_fraction, consumed_ms, running_since, due_at, warn_at)
     VALUES ${tuples.join(', ')}
     ON CONFLICT (ticket_id, clock) DO UPDATE SET
       policy_id = EXCLUDED.policy_id, target_ms = EXCLUDED.target_ms, consumed_ms = 0, running_since = EXCLUDED.running_since,
       stopped_at = NULL, due_at = EXCLUDED.due_at, warn_at = EXCLUDED.warn_at, warned_at = NULL, breached_at = NULL
     WHERE sla_clocks.stopped_at IS NOT NULL`;
}

/**
 * What refreshTicketSla derives for a ticket whose only clocks are these freshly planned ones
 * (none warned, breached or stopped): lets a new ticket be written with its SLA summary at once.
 */
export function plannedSlaSummary(planned: PlannedClock[]): { state: 'none' | 'running' | 'paused'; dueAt: Date | null } {
  if (planned.length === 0) return { state: 'none', dueAt: null };
  const dues = planned.map((c) => c.dueAt).filter((d): d is Date => d !== null);
  return {
    state: planned.some((c) => c.runningSince !== null) ? 'running' : 'paused',
    dueAt: dues.length ? new Date(Math.min(...dues.map((d) => d.getTime()))) : null,
  };
}

async function clocksOf(q: Queryable, ticketId: string, where: string, params: unknown[] = []): Promise<ClockRow[]> {
  const { rows } = await q.query<ClockRow>(`SELECT ${CLOCK_COLUMNS} FROM sla_clocks WHERE ticket_id = $1 AND ${where} FOR UPDATE`, [ticketId, ...params]);
  return rows;
}

async function calFor(q: Queryable, r: ClockRow): Promise<BusinessCalendar> {
  return r.mode === 'business' ? loadCalendar(q, r.calendar_id) : ALWAYS_OPEN;
}

/** Stops the running or paused clocks whose policy stops on `event`. Returns the names stopped. */
export async function stopClocks(q: Queryable, ticketId: string, event: StopEvent, now: Date): Promise<string[]> {
  const rows = await clocksOf(q, ticketId, `stopped_at IS NULL AND policy_id IN (SELECT id FROM sla_policies WHERE stops_on = $2)`, [event]);
  for (const r of rows) {
    const cal = await calFor(q, r);
    await saveState(q, r, stopClock(cal, toState(r), now), cal);
  }
  return rows.map((r) => r.clock);
}

export async function stopAllClocks(q: Queryable, ticketId: string, now: Date): Promise<void> {
  for (const r of await clocksOf(q, ticketId, 'stopped_at IS NULL')) {
    const cal = await calFor(q, r);
    await saveState(q, r, stopClock(cal, toState(r), now), cal);
  }
}

/** While the ticket waits on the customer, its clocks do not run. */
export async function pauseClocks(q: Queryable, ticketId: string, now: Date): Promise<void> {
  for (const r of await clocksOf(q, ticketId, 'stopped_at IS NULL AND running_since IS NOT NULL')) {
    const cal = await calFor(q, r);
    await saveState(q, r, pauseClock(cal, toState(r), now), cal);
  }
}

export async function resumeClocks(q: Queryable, ticketId: string, now: Date): Promise<void> {
  for (const r of await clocksOf(q, ticketId, 'stopped_at IS NULL AND running_since IS NULL')) {
    const cal = await calFor(q, r);
    await saveState(q, r, resumeClock(cal, toState(r), now), cal);
  }
}

/**
 * Applies a policy's new target to the clocks it governs that are still open, so an admin's change
 * shows on the tickets at once. A clock whose new deadline lies in the future loses its warning or
 * breach mark, so it can warn again.
 */
export async function retargetPolicyClocks(q: Queryable, policyId: string, targetMs: number, now: Date): Promise<number> {
  const { rows } = await q.query<ClockRow>(`SELECT ${CLOCK_COLUMNS} FROM sla_clocks WHERE policy_id = $1 AND stopped_at IS NULL FOR UPDATE`, [policyId]);
  const tickets = new Set<string>();
  for (const r of rows) {
    const cal = await calFor(q, r);
    await saveState(q, r, retargetClock(cal, toState(r), targetMs, now), cal, { resetAlerts: true });
    tickets.add(r.ticket_id);
  }
  for (const id of tickets) await refreshTicketSla(q, id);
  return rows.length;
}

/** Derives the ticket's SLA summary (state and nearest deadline) from its clocks. */
export async function refreshTicketSla(q: Queryable, ticketId: string): Promise<void> {
  await q.query(
    `UPDATE tickets t SET sla_state = s.state, sla_due_at = s.due
       FROM (SELECT
               CASE
                 WHEN count(*) = 0 THEN 'none'
                 WHEN bool_or(breached_at IS NOT NULL AND stopped_at IS NULL) THEN 'breached'
                 WHEN bool_or(warned_at IS NOT NULL AND stopped_at IS NULL) THEN 'warning'
                 WHEN bool_or(running_since IS NOT NULL AND stopped_at IS NULL) THEN 'running'
                 WHEN bool_or(stopped_at IS NULL) THEN 'paused'
                 ELSE 'met'
               END AS state,
               min(due_at) FILTER (WHERE stopped_at IS NULL) AS due
             FROM sla_clocks WHERE ticket_id = $1) s
      WHERE t.id = $1 AND (t.sla_state, t.sla_due_at) IS DISTINCT FROM (s.state, s.due)`,
    [ticketId],
  );
}

export interface ClockView {
  clock: string;
  targetMs: number;
  mode: ClockMode;
  status: 'running' | 'warning' | 'breached' | 'paused' | 'met' | 'met_late';
  dueAt: string | null;
  remainingMs: number | null;
  consumedMs: number;
  stoppedAt: string | null;
  breachedAt: string | null;
}

export async function ticketClocks(q: Queryable, ticketId: string, now: Date): Promise<ClockView[]> {
  const { rows } = await q.query<ClockRow>(`SELECT ${CLOCK_COLUMNS} FROM sla_clocks WHERE ticket_id = $1 ORDER BY created_at, clock`, [ticketId]);
  const out: ClockView[] = [];
  for (const r of rows) {
    const cal = await calFor(q, r);
    const s = toState(r);
    let status = clockStatus(cal, s, now, r.warn_fraction);
    // The sweep's marks are authoritative for what was notified; the pure status covers the moments in between.
    if (r.breached_at && r.stopped_at === null) status = 'breached';
    out.push({
      clock: r.clock,
      targetMs: r.target_ms,
      mode: r.mode,
      status,
      dueAt: r.due_at?.toISOString() ?? null,
      remainingMs: r.stopped_at ? null : remainingAt(cal, s, now),
      consumedMs: Math.round(consumedAt(cal, s, now)),
      stoppedAt: r.stopped_at?.toISOString() ?? null,
      breachedAt: r.breached_at?.toISOString() ?? null,
    });
  }
  return out;
}
