/** Supervisor screens (issue 6; SPEC A1, A3): the dashboard overview, the agent status board, the SLA-at-risk list. Read-only. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CHANNELS } from '../../../domain/kpi.ts';
import type { ServiceContext } from '../../../services/context.ts';
import { agentBoard, AT_RISK_LIMIT, reportOverview, slaAtRisk } from '../../../services/reports/reports.ts';
import { requireActor } from '../../auth.ts';

const channelCounts = z.object(Object.fromEntries(CHANNELS.map((c) => [c, z.number()])) as Record<(typeof CHANNELS)[number], z.ZodNumber>);
const zoned = z.string().nullable().describe('ISO 8601 on the company\'s clock (e.g. +08:00)');
const teamId = z.uuid().optional().describe('one team (a team lead: one of theirs); without it a lead sees all their teams, a supervisor everything');

const firstResponse = z.object({
  channel: z.enum(CHANNELS).nullable(), created: z.number().describe('tickets created in the period'), responded: z.number().describe('of them, answered (a first public reply)'),
  averageMs: z.number().nullable(), p50Ms: z.number().nullable(), p90Ms: z.number().nullable(),
});
const compliance = z.object({
  clock: z.string().nullable(), met: z.number(), breached: z.number(), open: z.number().describe('still running or paused: not decided'),
  rate: z.number().nullable().describe('met / (met + breached), 0–1; null when none is decided'),
});
const overview = z.object({
  period: z.object({ from: z.string(), to: z.string(), timeZone: z.string(), start: z.string(), end: z.string() }),
  teamIds: z.array(z.string()).nullable().describe('the teams covered; null: every ticket'),
  generatedAt: z.string(),
  volume: z.object({
    total: z.number(),
    byChannel: channelCounts,
    byHour: z.array(z.object({ hour: z.number(), total: z.number(), byChannel: channelCounts })).describe('hours 0–23 on the company\'s clock, every hour present'),
  }).describe('tickets created in the period'),
  firstResponse: firstResponse.extend({ byChannel: z.array(firstResponse) }),
  sla: compliance.extend({ byClock: z.array(compliance) }).describe('SLA clocks of the tickets created in the period'),
  now: z.object({ open: z.number(), unassigned: z.number(), atRisk: z.number(), breached: z.number() }).describe('open tickets now, whatever the period; at risk: a clock past its warning time; breached: a clock past its deadline'),
  targets: z.object({ slaCompliance: z.number(), resolutionRate: z.number(), csat: z.number() }).describe('the KPI targets (setting reports.targets), fractions 0–1'),
});
const atRiskItem = z.object({
  ticketId: z.string(), number: z.string(), subject: z.string(), channel: z.string(), priority: z.string(), status: z.string(),
  teamId: z.string().nullable(), teamName: z.string().nullable(), ownerId: z.string().nullable(), ownerName: z.string().nullable(),
  clock: z.string(), state: z.enum(['at_risk', 'breached']), dueAt: zoned, remainingMs: z.number().nullable().describe('negative once past the deadline'),
});
const boardAgent = z.object({
  userId: z.string(), displayName: z.string(), role: z.string(), isLead: z.boolean(), presence: z.enum(['online', 'away', 'offline']),
  available: z.boolean().describe('online, seen within the presence timeout and marked available'), lastSeenAt: zoned,
  openTickets: z.number(), atRiskTickets: z.number(), chatsActive: z.number(), chatCapacity: z.number().nullable(),
});
const boardTeam = z.object({ id: z.string(), code: z.string(), name: z.string(), openTickets: z.number(), unassigned: z.number(), queuedChats: z.number(), agents: z.array(boardAgent) });

export async function reportRoutes(app: FastifyInstance, ctx: ServiceContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['reports'];

  r.get('/reports/overview', {
    schema: {
      tags,
      summary: '主管看板 — the dashboard: ticket volume by channel and by hour (company clock), first-response time (average, p50, p90), SLA compliance, open / at-risk / breached now. Dates are local (YYYY-MM-DD, inclusive); default the last 30 days.',
      querystring: z.object({
        from: z.string().max(10).optional().describe('YYYY-MM-DD, inclusive (default: 29 days before to)'),
        to: z.string().max(10).optional().describe('YYYY-MM-DD, inclusive (default: today)'),
        teamId,
      }),
      response: { 200: overview },
    },
  }, async (req) => reportOverview(ctx, requireActor(req), req.query));

  r.get('/reports/agents', {
    schema: { tags, summary: '坐席状态 — the team queue and agent status board: per team open, unassigned tickets and waiting chats; per agent presence, open and at-risk tickets, chats in progress', querystring: z.object({ teamId }), response: { 200: z.object({ teams: z.array(boardTeam), generatedAt: z.string() }) } },
  }, async (req) => agentBoard(ctx, requireActor(req), req.query));

  r.get('/reports/sla-at-risk', {
    schema: {
      tags,
      summary: 'SLA 预警 — open tickets whose running clock is past its warning time or its deadline, soonest deadline first',
      querystring: z.object({ teamId, limit: z.coerce.number().int().min(1).max(AT_RISK_LIMIT).optional() }),
      response: { 200: z.object({ items: z.array(atRiskItem), generatedAt: z.string() }) },
    },
  }, async (req) => slaAtRisk(ctx, requireActor(req), req.query));
}
