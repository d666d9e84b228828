/** The agent workspace shell's pure parts: navigation by role, the safe return path after sign-in, timeline labels. */
import { describe, expect, it } from 'vitest';
import { ROLES } from '../../src/domain/policy.ts';
import { isCurrent, isStaff, NAV, navFor, roleKey, STAFF_ROLES } from '../../web/agent/app/nav.ts';
import { safeNext } from '../../web/agent/app/next-path.ts';
import { authorKey, eventKey, statusKey } from '../../web/agent/modules/tickets/utils/labels.ts';
import { AGENT_DICTIONARIES } from '../../web/shared/i18n/agent-dictionaries.ts';

describe('navigation by role', () => {
  it('staff are the server’s roles but customer and integration; each sees the ticket list', () => {
    expect([...STAFF_ROLES].sort()).toEqual(ROLES.filter((r) => r !== 'customer' && r !== 'integration').sort());
    for (const r of STAFF_ROLES) expect(navFor(r).map((n) => n.to), r).toContain('/tickets');
    expect(navFor('customer')).toEqual([]);
    expect(isStaff('customer')).toBe(false);
    expect(isStaff('qa_inspector')).toBe(true);
    for (const r of ROLES) expect(AGENT_DICTIONARIES.zh[roleKey(r)], r).toBeDefined();
  });

  it('marks the current page, the list being the home page too', () => {
    const tickets = NAV.find((n) => n.to === '/tickets')!;
    expect(['/', '/tickets', '/tickets/abc'].map((p) => isCurrent(tickets, p))).toEqual([true, true, true]);
    expect(isCurrent(tickets, '/ticketsx')).toBe(false);
  });
});

describe('safeNext', () => {
  it.each([
    [null, '/tickets'],
    ['/tickets/GD1', '/tickets/GD1'],
    ['/tickets?q=1', '/tickets?q=1'],
    ['//evil.example', '/tickets'],
    ['/\\evil.example', '/tickets'],
    ['https://evil.example', '/tickets'],
    ['/login', '/tickets'],
    ['', '/tickets'],
  ] as const)('%j → %s', (next, expected) => {
    expect(safeNext(next)).toBe(expected);
  });
});

describe('timeline labels', () => {
  it('names known kinds and statuses, and falls back for codes a newer server may send', () => {
    expect(eventKey('guard_override')).toBe('event.guard_override');
    expect(eventKey('no_such_kind')).toBe('event.other');
    expect(statusKey('pending')).toBe('ticketStatus.pending');
    expect(authorKey({ actorId: 'u1', data: { author: 'customer' } }, 'me')).toBe('event.by.customer');
    expect(authorKey({ actorId: 'me', data: {} }, 'me')).toBe('event.by.me');
    expect(authorKey({ actorId: 'u2', data: {} }, 'me')).toBe('event.by.staff');
    expect(authorKey({ actorId: null, data: {} }, 'me')).toBe('event.by.system');
  });
});
