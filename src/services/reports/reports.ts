/**
 * The supervisor screens' reads (SPEC A1, A3; issue 6): the dashboard overview (volume by channel
 * and by hour on the company's clock, first-response time, SLA compliance, open / at-risk /
 * breached counts), the team queue and agent status board, and the SLA-at-risk list. Sums are
 * SQL over tickets, SLA clocks, chat conversations and presence; the formulas they follow and the
 * shaping of the answer are src/domain/kpi.ts. A team lead sees their own teams (reportScope).
 */
import type { Queryable } from '../../db/database.ts';
import { withTx } from '../../db/database.ts';
import { reportRange, zonedIso } from '../../domain/kb-report.ts';
import { complianceRate, volumeBuckets, type Channel, type Volume } from '../../domain/kpi.ts';
import { reportScope, type Actor } from '../../domain/policy.ts';
import { AppError, forbidden, notFound } from '../../http/errors.ts';
import type { ServiceContext } from '../context.ts';
import { getSetting, type SettingValue } from '../settings/settings.ts';

export interface ReportScopeInput {
  teamId?: string | undefined;
}

/** The teams a report covers: null for every ticket (supervisors, admins without a team asked for). */
async function resolveScope(q: Queryable, actor: Actor, teamId: string | undefined): Promise<string[] | null> {
  const scope = reportScope(actor, teamId);
  if (scope.kind === 'forbidden') throw forbidden(teamId === undefined ? 'only team leads, supervisors and admins see the supervisor reports' : 'you may see reports of your own teams only');
  if (teamId !== undefined && !(await q.query('SELECT 1 FROM teams WHERE id = $1', [teamId])).rowCount) throw notFound('team', teamId);
  return scope.kind === 'all' ? null : scope.teamIds;
}

// $1: the scope's team ids (NULL: all tickets).
const IN_SCOPE = (alias: string, param = '$1'): string => `(${param}::uuid[] IS NULL OR ${alias}.team_id = ANY(${param}::uuid[]))`;
const OPEN = (alias: string): string => `${alias}.status IN ('new', 'open', 'pending') AND ${alias}.merged_into_id IS NULL`;

/** A clock's risk now (kpi.riskState in SQL); $now is the parameter holding now. */
const RISK_SQL = (c: string, now: string): string => `CASE WHEN ${c}.stopped_at IS NOT NULL THEN 'stopped' WHEN ${c}.breached_at IS NOT NULL THEN 'breached'
  WHEN ${c}.running_since IS NULL THEN 'paused' WHEN ${c}.due_at <= ${now} THEN 'breached' WHEN ${c}.warn_at <= ${now} THEN 'at_risk' ELSE 'ok' END`;
/** A clock's outcome (kpi.clockOutcome in SQL). */
const OUTCOME_SQL = (c: string, now: string): string => `CASE WHEN ${c}.breached_at IS NOT NULL THEN 'breached'
  WHEN ${c}.stopped_at IS NOT NULL THEN CASE WHEN ${c}.due_at IS NOT NULL AND ${c}.stopped_at > ${c}.due_at THEN 'breached' ELSE 'met' END
  WHEN ${c}.running_since IS NOT NULL AND ${c}.due_at <= ${now} THEN 'breached' ELSE 'open' END`;

export interface FirstResponseKpi {
  channel: Channel | null;
  created: number;
  responded: number;
  averageMs: number | null;
  p50Ms: number | null;
  p90Ms: number | null;
}

export interface ComplianceKpi {
  clock: string | null;
  met: number;
  breached: number;
  open: number;
  rate: number | null;
}

export interface ReportOverview {
  period: { from: string; to: string; timeZone: string; start: string; end: string };
  teamIds: string[] | null;
  generatedAt: string;
  volume: Volume;
  firstResponse: FirstResponseKpi & { byChannel: FirstResponseKpi[] };
  sla: ComplianceKpi & { byClock: ComplianceKpi[] };
  now: { open: number; unassigned: number; atRisk: number; breached: number };
  /** The KPI targets (setting reports.targets), fractions 0–1. */
  targets: SettingValue<'reports.targets'>;
}

const num = (x: string | number | null): number | null => (x === null ? null : Math.round(Number(x)));

export async function reportOverview(ctx: ServiceContext, actor: Actor, input: ReportScopeInput & { from?: string | undefined; to?: string | undefined }): Promise<ReportOverview> {
  const now = ctx.now();
  const timeZone = (await getSetting(ctx.db.pool, 'tickets.numbering')).timeZone;
  const r = reportRange(input, now, timeZone);
  if (!r.ok) throw new AppError('validation_failed', r.message);
  const { range } = r;
  return withTx(ctx.db, async (tx) => {
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    const teams = await resolveScope(tx, actor, input.teamId);
    const base = [teams, range.start, range.end];
    const inPeriod = `t.created_at >= $2 AND t.created_at < $3 AND t.merged_into_id IS NULL AND ${IN_SCOPE('t')}`;

    const volumeRows = await tx.query<{ channel: string; hour: number; count: number }>(
      `SELECT t.channel, extract(hour FROM t.created_at AT TIME ZONE $4)::int AS hour, count(*)::int AS count
         FROM tickets t WHERE ${inPeriod} GROUP BY 1, 2`,
      [...base, timeZone],
    );
    const volume = volumeBuckets(volumeRows.rows);

    // First response: creation to the first public staff reply (tickets.first_responded_at, set with
    // that reply's event); percentile_cont is kpi.percentile.
    const fr = await tx.query<{ channel: Channel | null; created: number; responded: number; avg: string | null; p50: string | null; p90: string | null }>(
      `SELECT CASE WHEN grouping(t.channel) = 1 THEN NULL ELSE t.channel END AS channel, count(*)::int AS created, count(x.ms)::int AS responded,
              avg(x.ms) AS avg, percentile_cont(0.5) WITHIN GROUP (ORDER BY x.ms) AS p50, percentile_cont(0.9) WITHIN GROUP (ORDER BY x.ms) AS p90
         FROM tickets t
         CROSS JOIN LATERAL (SELECT CASE WHEN t.first_responded_at IS NULL THEN NULL ELSE greatest(0, extract(epoch FROM t.first_responded_at - t.created_at) * 1000) END AS ms) x
        WHERE ${inPeriod}
        GROUP BY ROLLUP (t.channel)`,
      base,
    );
    const frOf = (row: (typeof fr.rows)[number] | undefined, channel: Channel | null): FirstResponseKpi =>
      ({ channel, created: row?.created ?? 0, responded: row?.responded ?? 0, averageMs: num(row?.avg ?? null), p50Ms: num(row?.p50 ?? null), p90Ms: num(row?.p90 ?? null) });
    const frTotal = fr.rows.find((x) => x.channel === null);

    const sla = await tx.query<{ clock: string | null; met: number; breached: number; open: number }>(
      `SELECT CASE WHEN grouping(c.clock) = 1 THEN NULL ELSE c.clock END AS clock,
              count(*) FILTER (WHERE o.outcome = 'met')::int AS met, count(*) FILTER (WHERE o.outcome = 'breached')::int AS breached, count(*) FILTER (WHERE o.outcome = 'open')::int AS open
         FROM sla_clocks c JOIN tickets t ON t.id = c.ticket_id
         CROSS JOIN LATERAL (SELECT ${OUTCOME_SQL('c', '$4')} AS outcome) o
        WHERE ${inPeriod}
        GROUP BY ROLLUP (c.clock) ORDER BY 1 NULLS FIRST`,
      [...base, now],
    );
    const slaOf = (row: { clock: string | null; met: number; breached: number; open: number } | undefined, clock: string | null): ComplianceKpi =>
      ({ clock, met: row?.met ?? 0, breached: row?.breached ?? 0, open: row?.open ?? 0, rate: complianceRate(row?.met ?? 0, row?.breached ?? 0) });
    const slaTotal = sla.rows.find((x) => x.clock === null);

    // Now, whatever the period: open tickets, and those with a clock at risk or breached.
    const current = (await tx.query<{ open: number; unassigned: number; at_risk: number; breached: number }>(
      `SELECT count(*)::int AS open, count(*) FILTER (WHERE t.owner_id IS NULL)::int AS unassigned,
              count(*) FILTER (WHERE k.risk = 'at_risk')::int AS at_risk, count(*) FILTER (WHERE k.risk = 'breached')::int AS breached
         FROM tickets t
         LEFT JOIN LATERAL (
           SELECT CASE WHEN bool_or(r = 'breached') THEN 'breached' WHEN bool_or(r = 'at_risk') THEN 'at_risk' ELSE 'ok' END AS risk
             FROM (SELECT ${RISK_SQL('c', '$2')} AS r FROM sla_clocks c WHERE c.ticket_id = t.id) rs
         ) k ON true
        WHERE ${OPEN('t')} AND ${IN_SCOPE('t')}`,
      [teams, now],
    )).rows[0]!;

    return {
      period: { from: range.from, to: range.to, timeZone, start: zonedIso(range.start, timeZone)!, end: zonedIso(range.end, timeZone)! },
      teamIds: teams,
      generatedAt: zonedIso(now, timeZone)!,
      volume,
      firstResponse: { ...frOf(frTotal, null), byChannel: fr.rows.filter((x) => x.channel !== null).map((x) => frOf(x, x.channel)) },
      sla: { ...slaOf(slaTotal, null), byClock: sla.rows.filter((x) => x.clock !== null).map((x) => slaOf(x, x.clock)) },
      now: { open: current.open, unassigned: current.unassigned, atRisk: current.at_risk, breached: current.breached },
      targets: await getSetting(tx, 'reports.targets'),
    };
  });
}

export interface AtRiskItem {
  ticketId: string;
  number: string;
  subject: string;
  channel: string;
  priority: string;
  status: string;
  teamId: string | null;
  teamName: string | null;
  ownerId: string | null;
  ownerName: string | null;
  clock: string;
  state: 'at_risk' | 'breached';
  dueAt: string | null;
  /** Until the deadline; negative once past it. */
  remainingMs: number | null;
}

export const AT_RISK_LIMIT = 100;

/** Open tickets with a running clock whose warning time has come or that is breached, soonest deadline first. */
export async function slaAtRisk(ctx: ServiceContext, actor: Actor, input: ReportScopeInput & { limit?: number | undefined }): Promise<{ items: AtRiskItem[]; generatedAt: string }> {
  const now = ctx.now();
  const timeZone = (await getSetting(ctx.db.pool, 'tickets.numbering')).timeZone;
  const teams = await resolveScope(ctx.db.pool, actor, input.teamId);
  const { rows } = await ctx.db.pool.query<{ ticket_id: string; number: string; subject: string; channel: string; priority: string; status: string; team_id: string | null; team_name: string | null; owner_id: string | null; owner_name: string | null; clock: string; risk: 'at_risk' | 'breached'; due_at: Date | null }>(
    `SELECT * FROM (
       SELECT t.id AS ticket_id, t.number, t.subject, t.channel, t.priority, t.status, t.team_id, tm.name AS team_name, t.owner_id, u.display_name AS owner_name,
              c.clock, c.due_at, ${RISK_SQL('c', '$2')} AS risk
         FROM sla_clocks c JOIN tickets t ON t.id = c.ticket_id
         LEFT JOIN teams tm ON tm.id = t.team_id LEFT JOIN users u ON u.id = t.owner_id
        WHERE c.stopped_at IS NULL AND c.running_since IS NOT NULL AND (c.breached_at IS NOT NULL OR c.warn_at <= $2 OR c.due_at <= $2)
          AND ${OPEN('t')} AND ${IN_SCOPE('t')}
     ) x WHERE risk IN ('at_risk', 'breached')
     ORDER BY due_at NULLS LAST, number, clock LIMIT $3`,
    [teams, now, input.limit ?? AT_RISK_LIMIT],
  );
  return {
    generatedAt: zonedIso(now, timeZone)!,
    items: rows.map((r) => ({
      ticketId: r.ticket_id, number: r.number, subject: r.subject, channel: r.channel, priority: r.priority, status: r.status,
      teamId: r.team_id, teamName: r.team_name, ownerId: r.owner_id, ownerName: r.owner_name, clock: r.clock, state: r.risk,
      dueAt: zonedIso(r.due_at, timeZone), remainingMs: r.due_at === null ? null : r.due_at.getTime() - now.getTime(),
    })),
  };
}

export interface BoardAgent {
  userId: string;
  displayName: string;
  role: string;
  isLead: boolean;
  /** Chat presence as chosen (offline when never set). */
  presence: 'online' | 'away' | 'offline';
  /** Takes work now: online, seen within the presence timeout, and marked available. */
  available: boolean;
  lastSeenAt: string | null;
  openTickets: number;
  atRiskTickets: number;
  chatsActive: number;
  chatCapacity: number | null;
}

export interface BoardTeam {
  id: string;
  code: string;
  name: string;
  openTickets: number;
  unassigned: number;
  queuedChats: number;
  agents: BoardAgent[];
}

export const BOARD_TEAM_LIMIT = 50;

/** The team queue and agent status board: per team its open and unassigned tickets and waiting chats; per member their presence and load. */
export async function agentBoard(ctx: ServiceContext, actor: Actor, input: ReportScopeInput): Promise<{ teams: BoardTeam[]; generatedAt: string }> {
  const now = ctx.now();
  const timeZone = (await getSetting(ctx.db.pool, 'tickets.numbering')).timeZone;
  const chat = await getSetting(ctx.db.pool, 'chat.service');
  const teams = await resolveScope(ctx.db.pool, actor, input.teamId);
  const teamRows = await ctx.db.pool.query<{ id: string; code: string; name: string; open: number; unassigned: number; queued: number }>(
    `SELECT tm.id, tm.code, tm.name,
            (SELECT count(*)::int FROM tickets t WHERE t.team_id = tm.id AND ${OPEN('t')}) AS open,
            (SELECT count(*)::int FROM tickets t WHERE t.team_id = tm.id AND t.owner_id IS NULL AND ${OPEN('t')}) AS unassigned,
            (SELECT count(*)::int FROM chat_conversations cc WHERE cc.team_id = tm.id AND cc.status = 'queued') AS queued
       FROM teams tm WHERE ($1::uuid[] IS NULL OR tm.id = ANY($1::uuid[]))
      ORDER BY tm.name, tm.code LIMIT ${BOARD_TEAM_LIMIT}`,
    [teams],
  );
  const ids = teamRows.rows.map((t) => t.id);
  const members = await ctx.db.pool.query<{ team_id: string; user_id: string; display_name: string; role: string; is_lead: boolean; available: boolean; presence: 'online' | 'away' | 'offline' | null; capacity: number | null; last_seen_at: Date | null; open: number; at_risk: number; chats: number }>(
    `SELECT m.team_id, u.id AS user_id, u.display_name, u.role, m.is_lead, u.available, p.status AS presence, p.capacity, p.last_seen_at,
            (SELECT count(*)::int FROM tickets t WHERE t.owner_id = u.id AND ${OPEN('t')}) AS open,
            (SELECT count(DISTINCT t.id)::int FROM tickets t JOIN sla_clocks c ON c.ticket_id = t.id
              WHERE t.owner_id = u.id AND ${OPEN('t')} AND ${RISK_SQL('c', '$2')} IN ('at_risk', 'breached')) AS at_risk,
            (SELECT count(*)::int FROM chat_conversations cc WHERE cc.agent_id = u.id AND cc.status = 'active') AS chats
       FROM team_members m JOIN users u ON u.id = m.user_id AND u.disabled_at IS NULL
       LEFT JOIN chat_presence p ON p.user_id = u.id
      WHERE m.team_id = ANY($1::uuid[]) AND u.role IN ('agent', 'team_lead')
      ORDER BY m.is_lead DESC, u.display_name, u.id`,
    [ids, now],
  );
  const timeoutMs = chat.presenceTimeoutSeconds * 1000;
  return {
    generatedAt: zonedIso(now, timeZone)!,
    teams: teamRows.rows.map((t) => ({
      id: t.id, code: t.code, name: t.name, openTickets: t.open, unassigned: t.unassigned, queuedChats: t.queued,
      agents: members.rows.filter((m) => m.team_id === t.id).map((m) => ({
        userId: m.user_id, displayName: m.display_name, role: m.role, isLead: m.is_lead,
        presence: m.presence ?? 'offline',
        available: m.available && m.presence === 'online' && m.last_seen_at !== null && now.getTime() - m.last_seen_at.getTime() <= timeoutMs,
        lastSeenAt: zonedIso(m.last_seen_at, timeZone), openTickets: m.open, atRiskTickets: m.at_risk, chatsActive: m.chats, chatCapacity: m.capacity,
      })),
    })),
  };
}
