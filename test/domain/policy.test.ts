import { describe, expect, it } from 'vitest';
import { ACTIONS, ROLES, can, forbiddenCreateFields, listScope, mayRevealPii, reportScope, seesOwnPiiUnmasked } from '../../src/domain/policy.ts';
import type { Action, Actor, Role, TicketResource } from '../../src/domain/policy.ts';

function actor(role: Role, customerId: string | null = role === 'customer' ? 'C1' : null): Actor {
  return { userId: `u-${role}`, role, customerId, teamIds: ['T1'] };
}

// "own" is the actor's own ticket: their customer record, owned by them, in their team.
const RESOURCES = {
  own: (a: Actor): TicketResource => ({ customerId: a.customerId ?? 'C1', ownerId: a.userId, teamId: 'T1' }),
  other: (): TicketResource => ({ customerId: 'C2', ownerId: 'u-someone-else', teamId: 'T9' }),
  none: (): undefined => undefined,
} as const;
type ResourceKind = keyof typeof RESOURCES;
const RESOURCE_KINDS: ResourceKind[] = ['own', 'other', 'none'];

// Expected answers, one cell per role, each cell three letters for the resource: own, other, none.
//                                   customer agent  team_lead qa_inspector supervisor admin  integration
const MATRIX: [Action, string, string, string, string, string, string, string][] = [
  ['ticket.create',                  'YNY',   'YYY', 'YYY',    'NNN',       'YYY',     'YYY', 'YYY'],
  ['ticket.read',                    'YNN',   'YYY', 'YYY',    'YYY',       'YYY',     'YYY', 'YYY'],
  ['ticket.list',                    'YYY',   'YYY', 'YYY',    'YYY',       'YYY',     'YYY', 'YYY'],
  ['ticket.update',                  'NNN',   'YYY', 'YYY',    'NNN',       'YYY',     'YYY', 'NNN'],
  ['ticket.reply',                   'YNN',   'YYY', 'YYY',    'NNN',       'YYY',     'YYY', 'YYY'],
  ['ticket.note',                    'NNN',   'YYY', 'YYY',    'YYY',       'YYY',     'YYY', 'YYY'],
  ['ticket.read_internal',           'NNN',   'YYY', 'YYY',    'YYY',       'YYY',     'YYY', 'NNN'],
  ['ticket.take',                    'NNN',   'YYY', 'YYY',    'NNN',       'YYY',     'YYY', 'NNN'],
  ['ticket.assign',                  'NNN',   'NNN', 'YYY',    'NNN',       'YYY',     'YYY', 'NNN'],
  ['ticket.handover',                'NNN',   'YNN', 'YYY',    'NNN',       'YYY',     'YYY', 'NNN'],
  ['ticket.escalate',                'NNN',   'YYY', 'YYY',    'NNN',       'YYY',     'YYY', 'NNN'],
  ['ticket.merge',                   'NNN',   'YYY', 'YYY',    'NNN',       'YYY',     'YYY', 'NNN'],
  ['ticket.link',                    'NNN',   'YYY', 'YYY',    'NNN',       'YYY',     'YYY', 'NNN'],
  ['ticket.status',                  'YNN',   'YYY', 'YYY',    'NNN',       'YYY',     'YYY', 'NNN'],
  ['customer.read',                  'YNN',   'YYY', 'YYY',    'YYY',       'YYY',     'YYY', 'YYY'],
  ['customer.write',                 'YNN',   'YYY', 'YYY',    'NNN',       'YYY',     'YYY', 'NNN'],
  ['pii.reveal',                     'NNN',   'YYY', 'YYY',    'NNN',       'YYY',     'YYY', 'NNN'],
  ['user.manage',                    'NNN',   'NNN', 'NNN',    'NNN',       'NNN',     'YYY', 'NNN'],
  ['team.manage',                    'NNN',   'NNN', 'NNN',    'NNN',       'YYY',     'YYY', 'NNN'],
  ['apikey.manage',                  'NNN',   'NNN', 'NNN',    'NNN',       'NNN',     'YYY', 'NNN'],
  ['settings.read',                  'NNN',   'YYY', 'YYY',    'YYY',       'YYY',     'YYY', 'NNN'],
  ['settings.manage',                'NNN',   'NNN', 'NNN',    'NNN',       'YYY',     'YYY', 'NNN'],
  ['audit.read',                     'NNN',   'NNN', 'YYY',    'YYY',       'YYY',     'YYY', 'NNN'],
  ['notification.read',              'NNN',   'YYY', 'YYY',    'YYY',       'YYY',     'YYY', 'NNN'],
  ['shipment.ingest',                'NNN',   'NNN', 'NNN',    'NNN',       'NNN',     'YYY', 'YYY'],
  ['shipment.read',                  'YYY',   'YYY', 'YYY',    'YYY',       'YYY',     'YYY', 'YYY'],
  ['shipment.manage',                'NNN',   'NNN', 'NNN',    'NNN',       'YYY',     'YYY', 'NNN'],
  ['express.tools',                  'YYY',   'YYY', 'YYY',    'YYY',       'YYY',     'YYY', 'NNN'],
  ['claim.create',                   'YYY',   'YYY', 'YYY',    'NNN',       'YYY',     'YYY', 'NNN'],
  ['claim.read',                     'YYY',   'YYY', 'YYY',    'YYY',       'YYY',     'YYY', 'NNN'],
  ['claim.verify',                   'NNN',   'YYY', 'YYY',    'NNN',       'YYY',     'YYY', 'NNN'],
  ['claim.approve',                  'NNN',   'YYY', 'YYY',    'NNN',       'YYY',     'YYY', 'NNN'],
  ['claim.pay',                      'NNN',   'NNN', 'NNN',    'NNN',       'YYY',     'YYY', 'NNN'],
  ['notice.manage',                  'NNN',   'NNN', 'NNN',    'NNN',       'YYY',     'YYY', 'NNN'],
  ['order.create',                   'NNN',   'YYY', 'YYY',    'NNN',       'YYY',     'YYY', 'NNN'],
  ['telephony.ingest',               'NNN',   'NNN', 'NNN',    'NNN',       'NNN',     'YYY', 'YYY'],
  ['webhook.manage',                 'NNN',   'NNN', 'NNN',    'NNN',       'NNN',     'YYY', 'NNN'],
  ['kb.read',                        'NNN',   'YYY', 'YYY',    'YYY',       'YYY',     'YYY', 'NNN'],
  ['kb.write',                       'NNN',   'YYY', 'YYY',    'YYY',       'YYY',     'YYY', 'NNN'],
  ['kb.review',                      'NNN',   'NNN', 'YYY',    'YYY',       'YYY',     'YYY', 'NNN'],
  ['kb.report',                      'NNN',   'NNN', 'YYY',    'YYY',       'YYY',     'YYY', 'NNN'],
  ['guard.check',                    'NNN',   'YYY', 'YYY',    'YYY',       'YYY',     'YYY', 'YYY'],
  ['report.read',                    'NNN',   'NNN', 'YYY',    'NNN',       'YYY',     'YYY', 'NNN'],
];

const ROLE_COLUMNS: Role[] = ['customer', 'agent', 'team_lead', 'qa_inspector', 'supervisor', 'admin', 'integration'];

const CASES: [Role, Action, ResourceKind, boolean][] = MATRIX.flatMap(([action, ...cells]) =>
  ROLE_COLUMNS.flatMap((role, col) =>
    RESOURCE_KINDS.map((kind, i): [Role, Action, ResourceKind, boolean] => [role, action, kind, cells[col]?.[i] === 'Y']),
  ),
);

describe('can: the full role × action × resource matrix', () => {
  it('the matrix covers every role and every action exactly once', () => {
    expect([...ROLE_COLUMNS].sort()).toEqual([...ROLES].sort());
    expect(MATRIX.map(([a]) => a)).toEqual([...ACTIONS]);
    expect(MATRIX.every((row) => row.slice(1).every((cell) => /^[YN]{3}$/.test(cell)))).toBe(true);
    expect(CASES).toHaveLength(7 * 43 * 3);
  });

  it.each(CASES)('%s %s on %s resource → %s', (role, action, kind, expected) => {
    const a = actor(role);
    expect(can(a, action, RESOURCES[kind](a))).toBe(expected);
  });
});

describe('can: customers and ownership edge cases', () => {
  const linked = actor('customer', 'C1');
  const unlinked = actor('customer', null);
  const unowned: TicketResource = { customerId: null, ownerId: null, teamId: null };

  it.each<[string, Actor, Action, TicketResource | undefined, boolean]>([
    ['unlinked customer cannot create', unlinked, 'ticket.create', undefined, false],
    ['unlinked customer cannot list', unlinked, 'ticket.list', undefined, false],
    ['unlinked customer cannot read a ticket without customer', unlinked, 'ticket.read', unowned, false],
    ['unlinked customer cannot read own-looking customer record', unlinked, 'customer.read', unowned, false],
    ['linked customer cannot read a ticket without customer', linked, 'ticket.read', unowned, false],
    ['linked customer cannot create a ticket for nobody', linked, 'ticket.create', unowned, false],
    ['linked customer cannot create for another customer', linked, 'ticket.create', { customerId: 'C2', ownerId: null, teamId: null }, false],
    ['ownership by ownerId does not count for customers', { ...linked, userId: 'u-7' }, 'ticket.read', { customerId: 'C2', ownerId: 'u-7', teamId: null }, false],
    ['team membership does not count for customers', linked, 'ticket.read', { customerId: 'C2', ownerId: null, teamId: 'T1' }, false],
    ['linked customer reads own ticket', linked, 'ticket.read', { customerId: 'C1', ownerId: null, teamId: null }, true],
    ['linked customer never reads internal notes of own ticket', linked, 'ticket.read_internal', { customerId: 'C1', ownerId: null, teamId: null }, false],
    ['agent reads a ticket without customer', actor('agent'), 'ticket.read', unowned, true],
    ['qa inspector cannot reply even on a ticket of its team', actor('qa_inspector'), 'ticket.reply', { customerId: 'C1', ownerId: 'u-qa_inspector', teamId: 'T1' }, false],
    ['a staff role carrying a customerId gains nothing from it', { ...actor('qa_inspector'), customerId: 'C1' }, 'ticket.reply', { customerId: 'C1', ownerId: null, teamId: null }, false],
  ])('%s', (_name, a, action, resource, expected) => {
    expect(can(a, action, resource)).toBe(expected);
  });
});

describe('listScope', () => {
  it.each<[Role, string | null, ReturnType<typeof listScope>]>([
    ['customer', 'C1', { kind: 'customer', customerId: 'C1' }],
    ['customer', null, { kind: 'none' }],
    ['agent', null, { kind: 'all' }],
    ['team_lead', null, { kind: 'all' }],
    ['qa_inspector', null, { kind: 'all' }],
    ['supervisor', null, { kind: 'all' }],
    ['admin', null, { kind: 'all' }],
    ['agent', 'C1', { kind: 'all' }],
  ])('%s with customerId %s → %j', (role, customerId, expected) => {
    expect(listScope(actor(role, customerId))).toEqual(expected);
  });
});

describe('mayRevealPii', () => {
  it.each<[Role, boolean]>([
    ['customer', false],
    ['agent', true],
    ['team_lead', true],
    ['qa_inspector', false],
    ['supervisor', true],
    ['admin', true],
  ])('%s → %s', (role, expected) => {
    expect(mayRevealPii(actor(role))).toBe(expected);
  });
});

describe('seesOwnPiiUnmasked', () => {
  it.each<[Role, string | null, string | null, boolean]>([
    ['customer', 'C1', 'C1', true],
    ['customer', 'C1', 'C2', false],
    ['customer', 'C1', null, false],
    ['customer', null, null, false],
    ['agent', 'C1', 'C1', false],
    ['admin', null, 'C1', false],
  ])('%s (customer %s) looking at customer %s → %s', (role, own, target, expected) => {
    expect(seesOwnPiiUnmasked(actor(role, own), target)).toBe(expected);
  });
});

describe('forbiddenCreateFields', () => {
  const all = { ownerId: 'u-other', teamId: 'T9', autoAssign: true, priority: 'urgent', specialGroups: ['elderly'] };
  it.each<[Role, object, string[]]>([
    // Customers open tickets; the service team routes them.
    ['customer', {}, []],
    ['customer', { priority: 'normal', specialGroups: [] }, []],
    ['customer', all, ['ownerId', 'teamId', 'autoAssign', 'priority', 'specialGroups']],
    ['customer', { autoAssign: false }, ['autoAssign']],
    ['customer', { priority: 'high' }, ['priority']],
    // Agents route, but giving work to someone else is assigning.
    ['agent', all, ['ownerId']],
    ['agent', { ownerId: 'u-agent', priority: 'urgent' }, []],
    ['agent', { teamId: 'T9', autoAssign: true }, []],
    ['team_lead', all, []],
    ['supervisor', all, []],
    ['admin', all, []],
    // QA changes nothing.
    ['qa_inspector', { teamId: 'T9' }, ['teamId']],
    ['qa_inspector', { ownerId: 'u-qa_inspector' }, []],
  ])('%s setting %j → %j refused', (role, input, expected) => {
    expect(forbiddenCreateFields(actor(role), input)).toEqual(expected);
  });
});

describe('reportScope: who sees which teams in the supervisor screens', () => {
  const lead: Actor = { userId: 'u-lead', role: 'team_lead', customerId: null, teamIds: ['T1', 'T2'] };
  it.each<[string, Actor, string | undefined, ReturnType<typeof reportScope>]>([
    ['supervisor, no team: all', actor('supervisor'), undefined, { kind: 'all' }],
    ['supervisor, any team', actor('supervisor'), 'T9', { kind: 'teams', teamIds: ['T9'] }],
    ['admin, no team: all', actor('admin'), undefined, { kind: 'all' }],
    ['lead, no team: their teams', lead, undefined, { kind: 'teams', teamIds: ['T1', 'T2'] }],
    ['lead, one of theirs', lead, 'T2', { kind: 'teams', teamIds: ['T2'] }],
    ['lead, another team', lead, 'T9', { kind: 'forbidden' }],
    ['lead of no team: nothing', { ...lead, teamIds: [] }, undefined, { kind: 'teams', teamIds: [] }],
    ['agent', actor('agent'), undefined, { kind: 'forbidden' }],
    ['agent, own team', actor('agent'), 'T1', { kind: 'forbidden' }],
    ['qa', actor('qa_inspector'), undefined, { kind: 'forbidden' }],
    ['customer', actor('customer'), undefined, { kind: 'forbidden' }],
    ['integration', actor('integration'), undefined, { kind: 'forbidden' }],
  ])('%s', (_n, a, team, expected) => expect(reportScope(a, team)).toEqual(expected));
});
