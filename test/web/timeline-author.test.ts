/** The timeline's author line (web/agent/modules/tickets/utils/labels.ts authorOf): names and roles from the server's `actor`. */
import { describe, expect, it } from 'vitest';
import { authorOf, relatedLine } from '../../web/agent/modules/tickets/utils/labels.ts';

describe('authorOf', () => {
  it.each([
    ['a colleague', { actorId: 'u2', data: {}, actor: { displayName: '李文', role: 'agent' } }, { key: 'event.by.staff', name: '李文', role: 'role.agent', me: false }],
    ['me', { actorId: 'me', data: {}, actor: { displayName: '孙小美', role: 'agent' } }, { key: 'event.by.me', name: '孙小美', role: 'role.agent', me: true }],
    ['a team lead', { actorId: 'u3', data: {}, actor: { displayName: '钱组长', role: 'team_lead' } }, { key: 'event.by.staff', name: '钱组长', role: 'role.team_lead', me: false }],
    ['a customer (no name: personal data)', { actorId: 'c1', data: { author: 'customer' }, actor: { displayName: null, role: 'customer' } }, { key: 'event.by.customer', name: null, role: null, me: false }],
    ['the system', { actorId: null, data: {}, actor: null }, { key: 'event.by.system', name: null, role: null, me: false }],
    ['a reply just posted (no actor from the server yet)', { actorId: 'me', data: { author: 'agent' } }, { key: 'event.by.me', name: null, role: null, me: true }],
    ['an unknown role', { actorId: 'u4', data: {}, actor: { displayName: 'X', role: 'robot' } }, { key: 'event.by.staff', name: 'X', role: 'role.agent', me: false }],
  ] as const)('%s', (_name, e, want) => {
    expect(authorOf(e, 'me')).toEqual(want);
  });
});

describe('relatedLine', () => {
  it.each([
    [{ kind: 'merge', data: { into: 'x', intoNumber: 'GD1' } }, { key: 'event.mergedInto', number: 'GD1' }],
    [{ kind: 'merge', data: { from: 'y', fromNumber: 'GD2' } }, { key: 'event.mergedFrom', number: 'GD2' }],
    [{ kind: 'link', data: { otherId: 'z', otherNumber: 'GD3', kind: 'related' } }, { key: 'event.linkedWith', number: 'GD3' }],
    [{ kind: 'link', data: {} }, null],
    [{ kind: 'handover', data: { intoNumber: 'GD4' } }, null],
  ] as const)('%j', (e, want) => {
    expect(relatedLine(e)).toEqual(want);
  });
});
