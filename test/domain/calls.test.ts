import { describe, expect, it } from 'vitest';
import { applyCallEvent, CALL_EVENT_KINDS, callMeasures, type CallEvent, type CallEventKind, type CallStatus } from '../../src/domain/calls.ts';

const t0 = Date.parse('2026-11-23T02:00:00Z');
const ev = (kind: CallEventKind, s: number): CallEvent => ({ kind, at: new Date(t0 + s * 1000) });

describe('applyCallEvent: every status × event', () => {
  const allowed: Record<string, CallStatus> = {
    'null/ringing': 'ringing', 'null/answered': 'answered', 'null/missed': 'missed',
    'ringing/answered': 'answered', 'ringing/missed': 'missed', 'ringing/ended': 'ended',
    'answered/hold': 'on_hold', 'answered/transfer': 'answered', 'answered/ended': 'ended',
    'on_hold/resume': 'answered', 'on_hold/transfer': 'on_hold', 'on_hold/ended': 'ended',
  };
  for (const from of [null, 'ringing', 'answered', 'on_hold', 'ended', 'missed'] as (CallStatus | null)[]) {
    for (const kind of CALL_EVENT_KINDS) {
      const key = `${from}/${kind}`;
      it(key, () => {
        const r = applyCallEvent(from, kind);
        if (allowed[key]) expect(r).toEqual({ ok: true, status: allowed[key] });
        else expect(r.ok).toBe(false);
      });
    }
  }
  it('says why', () => {
    expect(applyCallEvent('ended', 'hold')).toEqual({ ok: false, reason: 'a call that is ended cannot take a hold event' });
    expect(applyCallEvent(null, 'hold')).toEqual({ ok: false, reason: 'a call starts with ringing, answered or missed, not hold' });
  });
});

describe('callMeasures', () => {
  const TARGET = 15_000;
  it('answered in 12 s, one 30 s hold, ended at 5 min', () => {
    expect(callMeasures([ev('ringing', 0), ev('answered', 12), ev('hold', 60), ev('resume', 90), ev('ended', 300)], TARGET)).toEqual({
      answerMs: 12_000, answeredWithinTarget: true, talkMs: 300_000 - 12_000 - 30_000, holdMs: 30_000, holds: 1, abandoned: false,
    });
  });
  it('exactly on the target counts as within; one second over does not', () => {
    expect(callMeasures([ev('ringing', 0), ev('answered', 15)], TARGET).answeredWithinTarget).toBe(true);
    expect(callMeasures([ev('ringing', 0), ev('answered', 16)], TARGET).answeredWithinTarget).toBe(false);
  });
  it('abandoned: missed, or hung up while ringing', () => {
    expect(callMeasures([ev('ringing', 0), ev('missed', 40)], TARGET)).toMatchObject({ answerMs: null, answeredWithinTarget: false, talkMs: null, abandoned: true });
    expect(callMeasures([ev('ringing', 0), ev('ended', 8)], TARGET)).toMatchObject({ abandoned: true, answeredWithinTarget: false });
  });
  it('still ringing: nothing decided yet', () => {
    expect(callMeasures([ev('ringing', 0)], TARGET)).toEqual({ answerMs: null, answeredWithinTarget: null, talkMs: null, holdMs: 0, holds: 0, abandoned: false });
  });
  it('a hold still open when the call ends counts up to the end; events out of order are sorted', () => {
    expect(callMeasures([ev('ended', 200), ev('hold', 100), ev('answered', 5), ev('ringing', 0), ev('resume', 50), ev('hold', 20)], TARGET)).toEqual({
      answerMs: 5000, answeredWithinTarget: true, talkMs: 200_000 - 5000 - 30_000 - 100_000, holdMs: 130_000, holds: 2, abandoned: false,
    });
  });
  it('answered without a ringing event: answer time 0', () => {
    expect(callMeasures([ev('answered', 3), ev('ended', 63)], TARGET)).toMatchObject({ answerMs: 0, answeredWithinTarget: true, talkMs: 60_000 });
  });
});
