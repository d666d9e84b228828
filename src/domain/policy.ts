// The one place permissions are decided (SPEC P2). Routes and use cases ask `can`; they never
// compare roles themselves.

/** People's roles. */
export const PERSON_ROLES = ['customer', 'agent', 'team_lead', 'qa_inspector', 'supervisor', 'admin'] as const;
/** All roles: people's, and `integration`, which only API keys hold (the operations system, CTI). */
export const ROLES = [...PERSON_ROLES, 'integration'] as const;
export type Role = (typeof ROLES)[number];
export type PersonRole = (typeof PERSON_ROLES)[number];

export interface Actor {
  userId: string;
  role: Role;
  customerId: string | null;
  teamIds: string[];
}

export interface TicketResource {
  customerId: string | null;
  ownerId: string | null;
  teamId: string | null;
}

export const ACTIONS = [
  'ticket.create',
  'ticket.read',
  'ticket.list',
  'ticket.update',
  'ticket.reply',
  'ticket.note',
  'ticket.read_internal',
  'ticket.take',
  'ticket.assign',
  'ticket.handover',
  'ticket.escalate',
  'ticket.merge',
  'ticket.link',
  'ticket.status',
  'customer.read',
  'customer.write',
  'pii.reveal',
  'user.manage',
  'team.manage',
  'apikey.manage',
  'settings.read',
  'settings.manage',
  'audit.read',
  'notification.read',
  // Express toolkit (X1–X8).
  'shipment.ingest',
  'shipment.read',
  'shipment.manage',
  'express.tools',
  'claim.create',
  'claim.read',
  'claim.verify',
  'claim.approve',
  'claim.pay',
  'notice.manage',
  'order.create',
  'telephony.ingest',
  // Outgoing webhooks: subscriptions, their secrets and the delivery log (admins only).
  'webhook.manage',
  // Knowledge base (K1–K3): staff read articles and scripts; write drafts and submit them; review
  // (approve, reject, archive) is for leads, QA and above — never one's own work (the service checks).
  'kb.read',
  'kb.write',
  'kb.review',
  // The usage and feedback report (views, inserts, search clicks, helpfulness, searches without a
  // click): for leads, QA and above, who keep the content current (seed 001 5.2).
  'kb.report',
  // Language guard (Q1): check a reply's wording (stores nothing).
  'guard.check',
  // Supervisor screens (A1, A3): the dashboard's KPIs, the agent status board, the SLA-at-risk
  // list; a team lead sees their own teams only (reportScope).
  'report.read',
] as const;
export type Action = (typeof ACTIONS)[number];

/**
 * How a role holds an action:
 * - 'any': always;
 * - 'linked': the actor is linked to a customer record (actor.customerId set);
 * - 'own': linked, and a resource is given whose customerId is the actor's;
 * - 'own_or_new': linked, and either no resource or one whose customerId is the actor's;
 * - 'handler': a ticket is given that the actor owns or that nobody owns yet (first-contact
 *   ownership, C3: an agent hands over their own tickets, not their colleagues').
 */
export type Grant = 'any' | 'linked' | 'own' | 'own_or_new' | 'handler';

const TICKET_ACTIONS = ACTIONS.filter((a) => a.startsWith('ticket.'));
/** What agents and leads do with parcels: look up, quote, open and progress claims, take orders.
 * Paying a claim and declaring delay periods stay with supervisors; claim amounts above a
 * role's approval limit are refused by the claim rules, not here. */
const FRONT_LINE_EXPRESS: readonly Action[] = ['shipment.read', 'express.tools', 'claim.create', 'claim.read', 'claim.verify', 'claim.approve', 'order.create'];

function grantAll(actions: readonly Action[]): Partial<Record<Action, Grant>> {
  const grants: Partial<Record<Action, Grant>> = {};
  for (const a of actions) grants[a] = 'any';
  return grants;
}

function grantAllExcept(excluded: readonly Action[]): Partial<Record<Action, Grant>> {
  return grantAll(ACTIONS.filter((a) => !excluded.includes(a)));
}

export const POLICY: Readonly<Record<Role, Readonly<Partial<Record<Action, Grant>>>>> = {
  admin: grantAll(ACTIONS),
  // SLA targets and calendars are operations settings, so supervisors manage settings;
  // accounts, API keys and webhooks (secrets that sign what leaves the system) stay with admins.
  // Feeding shipments and call events in is the operations and telephony systems' job (an integration key), not a person's.
  supervisor: grantAllExcept(['user.manage', 'apikey.manage', 'webhook.manage', 'shipment.ingest', 'telephony.ingest']),
  team_lead: grantAll([
    ...TICKET_ACTIONS,
    ...FRONT_LINE_EXPRESS,
    'customer.read',
    'customer.write',
    'pii.reveal',
    'settings.read',
    'audit.read',
    'notification.read',
    'kb.read',
    'kb.write',
    'kb.review',
    'kb.report',
    'guard.check',
    'report.read',
  ]),
  // Agents take unowned tickets and hand over their own; assigning work to others is for leads.
  agent: {
    ...grantAll([
      ...TICKET_ACTIONS.filter((a) => a !== 'ticket.assign' && a !== 'ticket.handover'),
      ...FRONT_LINE_EXPRESS,
      'customer.read',
      'customer.write',
      'pii.reveal',
      'settings.read',
      'notification.read',
      'kb.read',
      'kb.write',
      'guard.check',
    ]),
    'ticket.handover': 'handler',
  },
  // QA reads everything it scores and may leave internal notes, but changes nothing else.
  qa_inspector: grantAll([
    'ticket.read',
    'ticket.list',
    'ticket.read_internal',
    'ticket.note',
    'customer.read',
    'settings.read',
    'audit.read',
    'kb.read',
    'notification.read',
    'shipment.read',
    'express.tools',
    'claim.read',
    'kb.read',
    'kb.write',
    'kb.review',
    'kb.report',
    'guard.check',
  ]),
  // Customers see their own parcels and claims (the services check whose they are: the
  // customer's phone on the waybill, or its last four digits given), and use the calculators.
  customer: {
    'ticket.create': 'own_or_new',
    'ticket.read': 'own',
    'ticket.reply': 'own',
    'ticket.status': 'own',
    'ticket.list': 'linked',
    'customer.read': 'own',
    'customer.write': 'own',
    'shipment.read': 'linked',
    'express.tools': 'any',
    'claim.create': 'linked',
    'claim.read': 'linked',
  },
  // The operations system and telephony: shipments in, tickets in, nothing else.
  integration: grantAll(['shipment.ingest', 'telephony.ingest', 'shipment.read', 'ticket.create', 'ticket.read', 'ticket.list', 'ticket.reply', 'ticket.note', 'customer.read', 'guard.check']),
};

export function can(actor: Actor, action: Action, resource?: TicketResource): boolean {
  const grant = POLICY[actor.role][action];
  if (grant === undefined) return false;
  if (grant === 'any') return true;
  if (grant === 'handler') return resource !== undefined && (resource.ownerId === null || resource.ownerId === actor.userId);
  if (actor.customerId === null) return false;
  switch (grant) {
    case 'linked':
      return true;
    case 'own':
      return resource !== undefined && resource.customerId === actor.customerId;
    case 'own_or_new':
      return resource === undefined || resource.customerId === actor.customerId;
  }
}

/** Which tickets a ticket listing may return for this actor. */
export function listScope(actor: Actor): { kind: 'all' } | { kind: 'customer'; customerId: string } | { kind: 'none' } {
  const grant = POLICY[actor.role]['ticket.list'];
  if (grant === 'any') return { kind: 'all' };
  if (grant !== undefined && actor.customerId !== null) return { kind: 'customer', customerId: actor.customerId };
  return { kind: 'none' };
}

/** Whether the actor may reveal masked personal data of other people (each reveal is logged with a reason). */
export function mayRevealPii(actor: Actor): boolean {
  return can(actor, 'pii.reveal');
}

/** A customer sees their own personal data unmasked; this is not a pii.reveal and is not logged as one. */
export function seesOwnPiiUnmasked(actor: Actor, customerId: string | null): boolean {
  return actor.role === 'customer' && actor.customerId !== null && actor.customerId === customerId;
}

/** The routing fields of a new ticket: who works it, how urgent, which service group. */
export interface CreateRouting {
  ownerId?: string | null | undefined;
  teamId?: string | null | undefined;
  autoAssign?: boolean | undefined;
  priority?: string | undefined;
  specialGroups?: readonly string[] | undefined;
}

/**
 * The routing fields this actor may not set when opening a ticket. Choosing the owner is assigning
 * work (`ticket.assign`) unless it is oneself; team, priority, special groups and the assignment
 * mode are triage (`ticket.update`). A customer opens tickets and states goods and waybills; the
 * service team decides the rest (priority from special groups and urgent goods is still derived).
 */
export function forbiddenCreateFields(actor: Actor, input: CreateRouting): (keyof CreateRouting)[] {
  const out: (keyof CreateRouting)[] = [];
  if (input.ownerId && input.ownerId !== actor.userId && !can(actor, 'ticket.assign')) out.push('ownerId');
  const triage = can(actor, 'ticket.update', { customerId: null, ownerId: null, teamId: null });
  if (!triage) {
    if (input.teamId) out.push('teamId');
    if (input.autoAssign !== undefined) out.push('autoAssign');
    if (input.priority !== undefined && input.priority !== 'normal') out.push('priority');
    if (input.specialGroups !== undefined && input.specialGroups.length > 0) out.push('specialGroups');
  }
  return out;
}

/**
 * Which teams a report may cover for this actor: supervisors and admins any (all, or the one asked
 * for); a team lead only teams they belong to (all of theirs, or one of them); anyone else none.
 */
export function reportScope(actor: Actor, teamId?: string): { kind: 'all' } | { kind: 'teams'; teamIds: string[] } | { kind: 'forbidden' } {
  if (!can(actor, 'report.read')) return { kind: 'forbidden' };
  const everyTeam = actor.role === 'supervisor' || actor.role === 'admin';
  if (teamId !== undefined) return everyTeam || actor.teamIds.includes(teamId) ? { kind: 'teams', teamIds: [teamId] } : { kind: 'forbidden' };
  return everyTeam ? { kind: 'all' } : { kind: 'teams', teamIds: [...actor.teamIds] };
}
