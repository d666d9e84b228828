/** The scripts panel's pure parts: why a script is suggested, the variables left to fill, and inserts retried with one eventId. */
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../web/shared/api/client.ts';
import { agentEn } from '../../web/shared/i18n/agent-messages-en.ts';
import { agentZh } from '../../web/shared/i18n/agent-messages-zh.ts';
import { withRetry } from '../../web/shared/kb/retry.ts';
import { recordScriptClick, renderForReply, type Io, type Rendered } from '../../web/agent/modules/scripts/utils/render-script.ts';
import { situationKey, unfilled, unfilledMarker, whyParts } from '../../web/agent/modules/scripts/utils/scripts.ts';

describe('why a script is suggested', () => {
  it('gives the reasons strongest first, each once, leaving out unknown ones', () => {
    expect(whyParts(['text', 'category'], [], []).map((p) => p.key)).toEqual(['scripts.reason.category', 'scripts.reason.text']);
    expect(whyParts(['text', 'text', 'popular'], [], [])).toEqual([{ key: 'scripts.reason.text' }]);
    expect(whyParts([], ['damaged'], ['damaged'])).toEqual([]);
  });

  it('names the ticket\'s situations the script is for, in the ticket\'s order, those it has labels for', () => {
    // The ticket: words saying 破损, a parcel in transit with a free-form flag; the script is for damage and delays.
    const situations = ['damaged', 'in_transit', 'fragile_goods', 'delayed'];
    expect(whyParts(['situation', 'text'], situations, ['delayed', 'damaged', 'lost'])).toEqual([
      { key: 'scripts.reason.situation', situations: ['scripts.situation.damaged', 'scripts.situation.delayed'] },
      { key: 'scripts.reason.text' },
    ]);
    // Matched only by a situation this build cannot name: the reason without names.
    expect(whyParts(['situation'], situations, ['fragile_goods'])).toEqual([{ key: 'scripts.reason.situationPlain' }]);
  });

  it('has a label in both languages for every situation the server derives: ticket words and tracking statuses', async () => {
    const { SITUATION_WORDS } = await import('../../src/domain/kb-search.ts');
    const { SHIPMENT_STATUSES } = await import('../../src/domain/express/tracking.ts');
    for (const code of [...Object.keys(SITUATION_WORDS), ...SHIPMENT_STATUSES]) {
      const key = situationKey(code);
      expect(key, code).not.toBeNull();
      expect(agentZh[key!]).toBeTruthy();
      expect(agentEn[key!]).toBeTruthy();
    }
    expect(situationKey('on_the_moon')).toBeNull();
  });
});

describe('variables left to fill', () => {
  it('names the missing variables still marked in the text, once each', () => {
    const text = `您的快件${unfilledMarker('运单号')}预计${unfilledMarker('预计送达')}送达。`;
    expect(text).toBe('您的快件「{运单号}」预计「{预计送达}」送达。');
    expect(unfilled(text, ['运单号', '预计送达', '运单号'])).toEqual(['运单号', '预计送达']);
    // A script that quoted the variable itself keeps one pair of brackets.
    expect(unfilled('单号「{运单号}」', ['运单号'])).toEqual(['运单号']);
    expect(unfilled('张先生您好', [])).toEqual([]);
    // Listed but not in the text (nothing to point at): not named.
    expect(unfilled('您好', ['预计送达'])).toEqual([]);
  });
});

function fakeIo(answers: (Error | Rendered | { recorded: boolean })[]): { io: Io; calls: { method: string; path: string; body: any }[] } {
  const calls: { method: string; path: string; body: any }[] = [];
  let n = 0;
  const io: Io = {
    send: async <T>(method: string, path: string, opts: { body: unknown }) => {
      calls.push({ method, path, body: opts.body });
      const a = answers[Math.min(n++, answers.length - 1)]!;
      if (a instanceof Error) throw a;
      return a as T;
    },
    retry: (send) => withRetry(send, { delays: [0, 0, 0], sleep: async () => undefined }),
    newId: (() => {
      let i = 0;
      return () => `event-id-${++i}`;
    })(),
  };
  return { io, calls };
}

const rendered: Rendered = { articleId: 'a1', version: 2, text: '张先生您好', missing: [], recorded: true };

describe('inserting a script', () => {
  it('retries a lost answer with the same eventId, and a new insert gets a new one', async () => {
    const { io, calls } = fakeIo([new ApiError(0, 'network', 'offline'), new ApiError(503, 'unavailable', 'busy'), rendered]);
    expect(await renderForReply('a1', 't1', io)).toEqual(rendered);
    expect(calls.map((c) => [c.method, c.path])).toEqual(Array(3).fill(['POST', '/kb/articles/a1/render']));
    expect(calls.map((c) => c.body)).toEqual(Array(3).fill({ ticketId: 't1', eventId: 'event-id-1' }));
    await renderForReply('a1', 't1', io);
    expect(calls[3]!.body.eventId).toBe('event-id-2');
  });

  it('does not retry a refusal (4xx), and gives up after the last delay', async () => {
    const refused = fakeIo([new ApiError(409, 'invalid_transition', 'not published')]);
    await expect(renderForReply('a1', 't1', refused.io)).rejects.toMatchObject({ status: 409 });
    expect(refused.calls).toHaveLength(1);
    const down = fakeIo([new ApiError(502, 'bad_gateway', 'down')]);
    await expect(renderForReply('a1', 't1', down.io)).rejects.toMatchObject({ status: 502 });
    expect(down.calls).toHaveLength(4);
  });

  it('records a search hit inserted as a search click: its search id (or the query) and rank, with the ticket', async () => {
    const { io, calls } = fakeIo([new ApiError(500, 'internal', 'x'), { recorded: true }]);
    await recordScriptClick({ articleId: 'a 1', ticketId: 't1', query: '破损', searchId: 42, rank: 3 }, io);
    expect(calls.map((c) => c.path)).toEqual(['/kb/articles/a%201/usage', '/kb/articles/a%201/usage']);
    expect(calls[0]!.body).toEqual({ kind: 'search_click', rank: 3, searchId: 42, ticketId: 't1', eventId: 'event-id-1' });
    expect(calls[1]!.body).toEqual(calls[0]!.body);
    await recordScriptClick({ articleId: 'a1', ticketId: 't1', query: '破损', searchId: null, rank: 1 }, io);
    expect(calls[2]!.body).toEqual({ kind: 'search_click', rank: 1, query: '破损', ticketId: 't1', eventId: 'event-id-2' });
  });
});
