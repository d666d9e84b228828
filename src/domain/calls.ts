/**
 * Phone calls from the company's telephony (CTI), SPEC C4/C6: the states a call goes through and
 * the measures kept per call for reports — time to answer, whether it was answered within the
 * target (seed 000: within 3 rings, 15 s by default), talk time net of holds, hold time, and
 * whether the caller gave up. Pure: no I/O, no clock.
 */

export const CALL_EVENT_KINDS = ['ringing', 'answered', 'hold', 'resume', 'transfer', 'ended', 'missed'] as const;
export type CallEventKind = (typeof CALL_EVENT_KINDS)[number];

export type CallStatus = 'ringing' | 'answered' | 'on_hold' | 'ended' | 'missed';

export interface CallEvent {
  kind: CallEventKind;
  at: Date;
}

/** What may follow what. A CTI may skip `ringing` (the call is then taken as ringing at its first event). */
const NEXT: Record<CallStatus, readonly CallEventKind[]> = {
  ringing: ['answered', 'missed', 'ended'],
  answered: ['hold', 'transfer', 'ended'],
  on_hold: ['resume', 'transfer', 'ended'],
  ended: [],
  missed: [],
};

const AFTER: Partial<Record<CallEventKind, CallStatus>> = { ringing: 'ringing', answered: 'answered', hold: 'on_hold', resume: 'answered', ended: 'ended', missed: 'missed' };

export function applyCallEvent(status: CallStatus | null, kind: CallEventKind): { ok: true; status: CallStatus } | { ok: false; reason: string } {
  if (status === null) {
    if (kind === 'ringing' || kind === 'answered' || kind === 'missed') return { ok: true, status: AFTER[kind]! };
    return { ok: false, reason: `a call starts with ringing, answered or missed, not ${kind}` };
  }
  if (!NEXT[status].includes(kind)) return { ok: false, reason: `a call that is ${status.replace('_', ' ')} cannot take a ${kind} event` };
  return { ok: true, status: kind === 'transfer' ? status : AFTER[kind]! };
}

export interface CallMeasures {
  /** Ringing to answer; null if never answered. */
  answerMs: number | null;
  answeredWithinTarget: boolean | null;
  /** Answer to end, minus time on hold. */
  talkMs: number | null;
  holdMs: number;
  holds: number;
  /** The caller hung up (or the call was missed) before anyone answered. */
  abandoned: boolean;
}

/** Measures from a call's events in time order; `answerTargetMs` is the setting (15 s). */
export function callMeasures(events: readonly CallEvent[], answerTargetMs: number): CallMeasures {
  const sorted = [...events].sort((a, b) => a.at.getTime() - b.at.getTime());
  const first = (k: CallEventKind): Date | null => sorted.find((e) => e.kind === k)?.at ?? null;
  const ringing = first('ringing');
  const answered = first('answered');
  const end = first('ended') ?? first('missed');
  let holdMs = 0;
  let holds = 0;
  let holdStart: Date | null = null;
  for (const e of sorted) {
    if (e.kind === 'hold' && holdStart === null) {
      holdStart = e.at;
      holds += 1;
    } else if ((e.kind === 'resume' || e.kind === 'ended') && holdStart !== null) {
      holdMs += e.at.getTime() - holdStart.getTime();
      holdStart = null;
    }
  }
  const answerMs = answered && ringing ? Math.max(0, answered.getTime() - ringing.getTime()) : answered ? 0 : null;
  const talkMs = answered && end && first('ended') ? Math.max(0, end.getTime() - answered.getTime() - holdMs) : null;
  return {
    answerMs,
    answeredWithinTarget: answerMs === null ? (end ? false : null) : answerMs <= answerTargetMs,
    talkMs,
    holdMs,
    holds,
    abandoned: answered === null && end !== null,
  };
}
