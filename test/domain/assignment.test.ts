import { describe, expect, it } from 'vitest';
import { pickAgent } from '../../src/domain/assignment.ts';
import type { Candidate, Strategy } from '../../src/domain/assignment.ts';

function cand(userId: string, over: Partial<Candidate> = {}): Candidate {
  return {
    userId,
    skills: ['general'],
    channels: ['phone', 'chat'],
    capacity: 10,
    openCount: 0,
    available: true,
    lastAssignedAt: null,
    ...over,
  };
}

const at = (hhmm: string): Date => new Date(`2026-11-22T${hhmm}:00+08:00`);

describe('pickAgent: eligibility (same for both strategies)', () => {
  it.each<[string, Candidate[], { skill?: string | null; channel?: string | null }, string | null]>([
    ['nobody to pick from', [], {}, null],
    ['unavailable agent is skipped', [cand('a', { available: false }), cand('b')], {}, 'b'],
    ['agent at capacity is skipped', [cand('a', { openCount: 10 }), cand('b', { openCount: 9 })], {}, 'b'],
    ['agent over capacity is skipped', [cand('a', { openCount: 11 })], {}, null],
    ['zero capacity means never', [cand('a', { capacity: 0 })], {}, null],
    ['skill required', [cand('a'), cand('b', { skills: ['general', 'complaint'] })], { skill: 'complaint' }, 'b'],
    ['skill nobody has', [cand('a'), cand('b')], { skill: 'customs' }, null],
    ['channel required', [cand('a', { channels: ['phone'] }), cand('b', { channels: ['email'] })], { channel: 'email' }, 'b'],
    [
      'skill and channel both required',
      [
        cand('a', { skills: ['complaint'], channels: ['phone'] }),
        cand('b', { skills: ['general'], channels: ['chat'] }),
        cand('c', { skills: ['complaint'], channels: ['chat'] }),
      ],
      { skill: 'complaint', channel: 'chat' },
      'c',
    ],
    ['null skill and channel mean any', [cand('a', { skills: [], channels: [] })], { skill: null, channel: null }, 'a'],
    ['empty skill means any', [cand('a', { skills: [] })], { skill: '' }, 'a'],
    ['matching is exact (case-sensitive)', [cand('a', { skills: ['Complaint'] })], { skill: 'complaint' }, null],
    ['all unavailable', [cand('a', { available: false }), cand('b', { available: false })], {}, null],
  ])('%s', (_name, cands, filter, expected) => {
    for (const strategy of ['round_robin', 'least_loaded'] as const) {
      expect(pickAgent(cands, { strategy, ...filter })).toBe(expected);
    }
  });
});

describe('pickAgent: round_robin picks the agent assigned longest ago', () => {
  it.each<[string, Candidate[], string | null]>([
    ['never assigned goes first', [cand('a', { lastAssignedAt: at('09:00') }), cand('b')], 'b'],
    ['oldest assignment wins', [cand('a', { lastAssignedAt: at('10:00') }), cand('b', { lastAssignedAt: at('09:00') }), cand('c', { lastAssignedAt: at('11:00') })], 'b'],
    ['ties broken by userId', [cand('zed', { lastAssignedAt: at('09:00') }), cand('amy', { lastAssignedAt: at('09:00') })], 'amy'],
    ['two never-assigned: lowest userId', [cand('u2'), cand('u10'), cand('u1')], 'u1'],
    ['load does not matter', [cand('a', { openCount: 9, lastAssignedAt: at('08:00') }), cand('b', { openCount: 0, lastAssignedAt: at('09:00') })], 'a'],
    ['an ineligible older agent is passed over', [cand('a', { available: false }), cand('b', { lastAssignedAt: at('09:00') })], 'b'],
    ['input order does not matter', [cand('c', { lastAssignedAt: at('09:00') }), cand('b', { lastAssignedAt: at('09:00') }), cand('a', { lastAssignedAt: at('10:00') })], 'b'],
  ])('%s', (_name, cands, expected) => {
    expect(pickAgent(cands, { strategy: 'round_robin' })).toBe(expected);
  });

  it('rotates through a team when each pick is recorded', () => {
    let team = [cand('a'), cand('b'), cand('c')];
    const picks: string[] = [];
    for (let i = 0; i < 6; i++) {
      const id = pickAgent(team, { strategy: 'round_robin' });
      if (id === null) throw new Error('no pick');
      picks.push(id);
      const when = new Date(Date.UTC(2026, 10, 22, 1, i));
      team = team.map((c) => (c.userId === id ? { ...c, lastAssignedAt: when } : c));
    }
    expect(picks).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
  });
});

describe('pickAgent: least_loaded picks the lowest openCount/capacity', () => {
  it.each<[string, Candidate[], string | null]>([
    ['lowest count', [cand('a', { openCount: 3 }), cand('b', { openCount: 1 }), cand('c', { openCount: 2 })], 'b'],
    ['load is relative to capacity', [cand('a', { openCount: 2, capacity: 4 }), cand('b', { openCount: 4, capacity: 10 })], 'b'],
    ['equal ratio: assigned longest ago', [cand('a', { openCount: 1, capacity: 2, lastAssignedAt: at('10:00') }), cand('b', { openCount: 5, capacity: 10, lastAssignedAt: at('09:00') })], 'b'],
    ['equal ratio: never assigned first', [cand('a', { openCount: 1, lastAssignedAt: at('09:00') }), cand('b', { openCount: 1 })], 'b'],
    ['equal ratio and time: lowest userId', [cand('b', { openCount: 1, lastAssignedAt: at('09:00') }), cand('a', { openCount: 1, lastAssignedAt: at('09:00') })], 'a'],
    // 1/3 and 2/6 are the same load, so the tie falls through to userId
    ['equal ratios with different capacities tie', [cand('b', { openCount: 2, capacity: 6 }), cand('a', { openCount: 1, capacity: 3 })], 'a'],
    ['a full agent is never least loaded', [cand('a', { openCount: 5, capacity: 5 }), cand('b', { openCount: 9, capacity: 10 })], 'b'],
    ['empty agent beats everyone', [cand('a', { openCount: 1, capacity: 100 }), cand('b', { openCount: 0, capacity: 1 })], 'b'],
  ])('%s', (_name, cands, expected) => {
    expect(pickAgent(cands, { strategy: 'least_loaded' })).toBe(expected);
  });
});

describe('pickAgent: the two strategies can disagree', () => {
  const cands = [
    cand('busy', { openCount: 8, lastAssignedAt: at('08:00') }),
    cand('idle', { openCount: 1, lastAssignedAt: at('11:00') }),
  ];
  it.each<[Strategy, string]>([
    ['round_robin', 'busy'],
    ['least_loaded', 'idle'],
  ])('%s → %s', (strategy, expected) => {
    expect(pickAgent(cands, { strategy })).toBe(expected);
  });
});
