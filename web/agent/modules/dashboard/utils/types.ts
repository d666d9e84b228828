/** What the dashboard reads of GET /reports/overview, /reports/agents and /reports/sla-at-risk (subsets of the server's zod schemas). */
export const CHANNELS = ['phone', 'chat', 'email', 'walk_in', 'web', 'api'] as const;
export type Channel = (typeof CHANNELS)[number];
export type ChannelCounts = Record<Channel, number>;

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

export interface Overview {
  period: { from: string; to: string; timeZone: string };
  volume: { total: number; byChannel: ChannelCounts; byHour: { hour: number; total: number; byChannel: ChannelCounts }[] };
  firstResponse: FirstResponseKpi & { byChannel: FirstResponseKpi[] };
  sla: ComplianceKpi & { byClock: ComplianceKpi[] };
  now: { open: number; unassigned: number; atRisk: number; breached: number };
  /** The KPI targets (setting reports.targets), fractions 0–1. */
  targets: { slaCompliance: number; resolutionRate: number; csat: number };
}

export interface BoardAgent {
  userId: string;
  displayName: string;
  role: string;
  isLead: boolean;
  presence: 'online' | 'away' | 'offline';
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

export interface AtRiskItem {
  ticketId: string;
  number: string;
  subject: string;
  channel: string;
  priority: string;
  status: string;
  teamName: string | null;
  ownerName: string | null;
  clock: string;
  state: 'at_risk' | 'breached';
  dueAt: string | null;
  remainingMs: number | null;
}
