import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { ALWAYS_OPEN, chinaStandardCalendar, weekdayCalendar } from '../../src/domain/business-hours.ts';
import type { BusinessCalendar } from '../../src/domain/business-hours.ts';
import {
  clockStatus,
  consumedAt,
  formatDuration,
  pauseClock,
  remainingAt,
  resumeClock,
  retargetClock,
  startClock,
  stopClock,
  warnAt,
} from '../../src/domain/sla-clock.ts';
import type { ClockMode, ClockState, ClockStatus } from '../../src/domain/sla-clock.ts';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

// Mon–Fri 08:30–18:00, Sat–Sun 09:00–17:00, 2026 statutory holidays closed.
const CHINA = chinaStandardCalendar();
// Mon–Fri 09:00–18:00, weekends and holidays closed, make-up days open.
const WEEKDAY = weekdayCalendar();
const CALENDARS = { china: CHINA, weekday: WEEKDAY, always: ALWAYS_OPEN } satisfies Record<string, BusinessCalendar>;
type CalName = keyof typeof CALENDARS;

const at = (iso: string): Date => {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) throw new Error(`bad test instant ${iso}`);
  return d;
};

/** Shanghai local ISO with offset, e.g. "2026-02-14T15:30:00+08:00"; null stays null. */
function sh(d: Date | null): string | null {
  return d ? DateTime.fromJSDate(d, { zone: 'Asia/Shanghai' }).toISO({ suppressMilliseconds: true }) : null;
}

describe('startClock', () => {
  it.each<{ c: CalName; now: string; target: number; mode: ClockMode; due: string; why: string }>([
    { c: 'china', now: '2026-03-02T17:00:00+08:00', target: 4 * H, mode: 'business', due: '2026-03-03T11:30:00+08:00', why: '1h Monday + 3h Tuesday' },
    { c: 'china', now: '2026-03-02T17:00:00+08:00', target: 4 * H, mode: 'calendar', due: '2026-03-02T21:00:00+08:00', why: 'wall clock ignores the calendar' },
    { c: 'china', now: '2026-03-02T17:00:00+08:00', target: 0, mode: 'business', due: '2026-03-02T17:00:00+08:00', why: 'zero target is due at once' },
    { c: 'china', now: '2026-03-02T20:00:00+08:00', target: H, mode: 'business', due: '2026-03-03T09:30:00+08:00', why: 'started after hours' },
    { c: 'china', now: '2026-02-13T17:00:00+08:00', target: 8 * H, mode: 'business', due: '2026-02-14T15:30:00+08:00', why: 'lands on the 春节 make-up Saturday' },
    { c: 'weekday', now: '2026-09-30T10:00:00+08:00', target: 24 * H, mode: 'business', due: '2026-10-09T16:00:00+08:00', why: 'jumps 国庆' },
    { c: 'weekday', now: '2026-09-30T10:00:00+08:00', target: 3 * D, mode: 'calendar', due: '2026-10-03T10:00:00+08:00', why: 'calendar days run through 国庆' },
    { c: 'weekday', now: '2026-03-06T17:00:00+08:00', target: 27 * H, mode: 'business', due: '2026-03-11T17:00:00+08:00', why: '3 working days from a Friday' },
    { c: 'always', now: '2026-10-01T10:00:00+08:00', target: 2 * H, mode: 'business', due: '2026-10-01T12:00:00+08:00', why: '24×7' },
  ])('$c $mode $now + $target ms → due $due ($why)', ({ c, now, target, mode, due }) => {
    const s = startClock(CALENDARS[c], target, mode, at(now));
    expect(s).toEqual({ targetMs: target, mode, consumedMs: 0, runningSince: at(now), stoppedAt: null, dueAt: at(due) });
    expect(sh(s.dueAt)).toBe(due);
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('rejects target %s', (target) => {
    expect(() => startClock(CHINA, target, 'business', at('2026-03-02T09:00:00+08:00'))).toThrow(RangeError);
  });
});

type Step =
  | { op: 'start'; at: string; target: number; mode: ClockMode }
  | { op: 'pause' | 'resume' | 'stop' | 'check'; at: string }
  | { op: 'retarget'; at: string; target: number };

/** After each step, at its instant: consumedAt, dueAt, clockStatus (warnFraction 0.2), targetMs. */
interface Expected {
  consumed: number;
  due: string | null;
  status: ClockStatus;
  target?: number;
}

describe('pause / resume / stop / retarget scenarios', () => {
  it.each<{ name: string; c: CalName; steps: [Step, Expected][] }>([
    {
      name: 'pause during off-hours',
      c: 'china',
      steps: [
        [{ op: 'start', at: '2026-03-02T17:00:00+08:00', target: 4 * H, mode: 'business' }, { consumed: 0, due: '2026-03-03T11:30:00+08:00', status: 'running' }],
        [{ op: 'pause', at: '2026-03-02T19:00:00+08:00' }, { consumed: H, due: null, status: 'paused' }],
        [{ op: 'check', at: '2026-03-03T09:30:00+08:00' }, { consumed: H, due: null, status: 'paused' }], // open time while paused does not count
        [{ op: 'resume', at: '2026-03-03T10:00:00+08:00' }, { consumed: H, due: '2026-03-03T13:00:00+08:00', status: 'running' }],
        [{ op: 'check', at: '2026-03-03T12:00:00+08:00' }, { consumed: 3 * H, due: '2026-03-03T13:00:00+08:00', status: 'running' }],
        [{ op: 'check', at: '2026-03-03T12:12:00+08:00' }, { consumed: 3 * H + 12 * M, due: '2026-03-03T13:00:00+08:00', status: 'warning' }],
        [{ op: 'stop', at: '2026-03-03T12:30:00+08:00' }, { consumed: 3.5 * H, due: null, status: 'met' }],
        [{ op: 'check', at: '2026-03-04T12:00:00+08:00' }, { consumed: 3.5 * H, due: null, status: 'met' }], // final
      ],
    },
    {
      name: 'pause across 国庆 on working days',
      c: 'weekday',
      steps: [
        [{ op: 'start', at: '2026-09-30T10:00:00+08:00', target: 24 * H, mode: 'business' }, { consumed: 0, due: '2026-10-09T16:00:00+08:00', status: 'running' }],
        [{ op: 'pause', at: '2026-09-30T15:00:00+08:00' }, { consumed: 5 * H, due: null, status: 'paused' }],
        [{ op: 'resume', at: '2026-10-08T10:00:00+08:00' }, { consumed: 5 * H, due: '2026-10-10T11:00:00+08:00', status: 'running' }],
        [{ op: 'check', at: '2026-10-09T18:00:00+08:00' }, { consumed: 22 * H, due: '2026-10-10T11:00:00+08:00', status: 'warning' }],
        [{ op: 'stop', at: '2026-10-10T11:00:00+08:00' }, { consumed: 24 * H, due: null, status: 'met' }], // exactly on time (make-up Saturday)
      ],
    },
    {
      name: 'pause spanning 春节, answered late',
      c: 'china',
      steps: [
        [{ op: 'start', at: '2026-02-13T17:00:00+08:00', target: 8 * H, mode: 'business' }, { consumed: 0, due: '2026-02-14T15:30:00+08:00', status: 'running' }],
        [{ op: 'pause', at: '2026-02-14T10:00:00+08:00' }, { consumed: 2.5 * H, due: null, status: 'paused' }],
        [{ op: 'check', at: '2026-02-20T10:00:00+08:00' }, { consumed: 2.5 * H, due: null, status: 'paused' }],
        [{ op: 'resume', at: '2026-02-24T12:00:00+08:00' }, { consumed: 2.5 * H, due: '2026-02-24T17:30:00+08:00', status: 'running' }],
        [{ op: 'check', at: '2026-02-24T17:30:00+08:00' }, { consumed: 8 * H, due: '2026-02-24T17:30:00+08:00', status: 'breached' }],
        [{ op: 'stop', at: '2026-02-25T09:00:00+08:00' }, { consumed: 9 * H, due: null, status: 'met_late' }],
      ],
    },
    {
      name: 'calendar mode counts nights and ignores the calendar',
      c: 'weekday',
      steps: [
        [{ op: 'start', at: '2026-03-02T17:00:00+08:00', target: 4 * H, mode: 'calendar' }, { consumed: 0, due: '2026-03-02T21:00:00+08:00', status: 'running' }],
        [{ op: 'pause', at: '2026-03-02T18:00:00+08:00' }, { consumed: H, due: null, status: 'paused' }],
        [{ op: 'resume', at: '2026-03-03T08:00:00+08:00' }, { consumed: H, due: '2026-03-03T11:00:00+08:00', status: 'running' }],
        [{ op: 'check', at: '2026-03-03T10:12:00+08:00' }, { consumed: 3 * H + 12 * M, due: '2026-03-03T11:00:00+08:00', status: 'warning' }],
        [{ op: 'stop', at: '2026-03-03T11:00:00.001+08:00' }, { consumed: 4 * H + 1, due: null, status: 'met_late' }],
      ],
    },
    {
      name: 'retarget while paused',
      c: 'china',
      steps: [
        [{ op: 'start', at: '2026-03-02T17:00:00+08:00', target: 4 * H, mode: 'business' }, { consumed: 0, due: '2026-03-03T11:30:00+08:00', status: 'running' }],
        [{ op: 'pause', at: '2026-03-02T19:00:00+08:00' }, { consumed: H, due: null, status: 'paused' }],
        [{ op: 'retarget', at: '2026-03-03T08:00:00+08:00', target: 8 * H }, { consumed: H, due: null, status: 'paused', target: 8 * H }],
        [{ op: 'resume', at: '2026-03-03T10:00:00+08:00' }, { consumed: H, due: '2026-03-03T17:00:00+08:00', status: 'running', target: 8 * H }],
        [{ op: 'pause', at: '2026-03-03T16:00:00+08:00' }, { consumed: 7 * H, due: null, status: 'paused', target: 8 * H }],
        [{ op: 'stop', at: '2026-03-04T09:00:00+08:00' }, { consumed: 7 * H, due: null, status: 'met', target: 8 * H }],
      ],
    },
    {
      name: 'retarget while running, shorter and longer',
      c: 'china',
      steps: [
        [{ op: 'start', at: '2026-03-02T09:00:00+08:00', target: 4 * H, mode: 'business' }, { consumed: 0, due: '2026-03-02T13:00:00+08:00', status: 'running' }],
        [{ op: 'retarget', at: '2026-03-02T10:00:00+08:00', target: 2 * H }, { consumed: H, due: '2026-03-02T11:00:00+08:00', status: 'running', target: 2 * H }],
        [{ op: 'retarget', at: '2026-03-02T10:00:00+08:00', target: 30 * M }, { consumed: H, due: '2026-03-02T09:30:00+08:00', status: 'breached', target: 30 * M }],
        [{ op: 'retarget', at: '2026-03-02T10:30:00+08:00', target: 8 * H }, { consumed: 1.5 * H, due: '2026-03-02T17:00:00+08:00', status: 'running', target: 8 * H }],
        [{ op: 'stop', at: '2026-03-02T17:00:00+08:00' }, { consumed: 8 * H, due: null, status: 'met', target: 8 * H }],
        [{ op: 'retarget', at: '2026-03-02T18:00:00+08:00', target: H }, { consumed: 8 * H, due: null, status: 'met', target: 8 * H }], // stopped is final
      ],
    },
    {
      name: 'retarget after a resume, target already used up',
      c: 'china',
      steps: [
        [{ op: 'start', at: '2026-03-02T09:00:00+08:00', target: 4 * H, mode: 'business' }, { consumed: 0, due: '2026-03-02T13:00:00+08:00', status: 'running' }],
        [{ op: 'pause', at: '2026-03-02T10:00:00+08:00' }, { consumed: H, due: null, status: 'paused' }],
        [{ op: 'resume', at: '2026-03-02T14:00:00+08:00' }, { consumed: H, due: '2026-03-02T17:00:00+08:00', status: 'running' }],
        [{ op: 'retarget', at: '2026-03-02T14:30:00+08:00', target: 2 * H }, { consumed: 1.5 * H, due: '2026-03-02T15:00:00+08:00', status: 'running', target: 2 * H }],
        [{ op: 'retarget', at: '2026-03-02T14:30:00+08:00', target: H }, { consumed: 1.5 * H, due: '2026-03-02T14:00:00+08:00', status: 'breached', target: H }],
        [{ op: 'stop', at: '2026-03-02T14:30:00+08:00' }, { consumed: 1.5 * H, due: null, status: 'met_late', target: H }],
      ],
    },
    {
      name: 'deadline at closing time: breached overnight, but no business time lost until opening',
      c: 'china',
      steps: [
        [{ op: 'start', at: '2026-03-02T17:00:00+08:00', target: H, mode: 'business' }, { consumed: 0, due: '2026-03-02T18:00:00+08:00', status: 'running' }],
        [{ op: 'check', at: '2026-03-02T17:59:59.999+08:00' }, { consumed: H - 1, due: '2026-03-02T18:00:00+08:00', status: 'warning' }],
        [{ op: 'check', at: '2026-03-02T18:00:00+08:00' }, { consumed: H, due: '2026-03-02T18:00:00+08:00', status: 'breached' }],
        [{ op: 'check', at: '2026-03-02T23:00:00+08:00' }, { consumed: H, due: '2026-03-02T18:00:00+08:00', status: 'breached' }],
        [{ op: 'stop', at: '2026-03-03T08:00:00+08:00' }, { consumed: H, due: null, status: 'met' }], // stopped before opening
      ],
    },
    {
      name: 'deadline at closing time, stopped after the next opening',
      c: 'china',
      steps: [
        [{ op: 'start', at: '2026-03-02T17:00:00+08:00', target: H, mode: 'business' }, { consumed: 0, due: '2026-03-02T18:00:00+08:00', status: 'running' }],
        [{ op: 'check', at: '2026-03-03T08:31:00+08:00' }, { consumed: H + M, due: '2026-03-02T18:00:00+08:00', status: 'breached' }],
        [{ op: 'stop', at: '2026-03-03T08:31:00+08:00' }, { consumed: H + M, due: null, status: 'met_late' }],
      ],
    },
    {
      name: 'weekend pause on working days changes nothing',
      c: 'weekday',
      steps: [
        [{ op: 'start', at: '2026-03-06T17:00:00+08:00', target: 2 * H, mode: 'business' }, { consumed: 0, due: '2026-03-09T10:00:00+08:00', status: 'running' }],
        [{ op: 'pause', at: '2026-03-07T10:00:00+08:00' }, { consumed: H, due: null, status: 'paused' }],
        [{ op: 'pause', at: '2026-03-07T12:00:00+08:00' }, { consumed: H, due: null, status: 'paused' }], // no-op
        [{ op: 'resume', at: '2026-03-08T10:00:00+08:00' }, { consumed: H, due: '2026-03-09T10:00:00+08:00', status: 'running' }],
        [{ op: 'resume', at: '2026-03-09T09:30:00+08:00' }, { consumed: 1.5 * H, due: '2026-03-09T10:00:00+08:00', status: 'running' }], // no-op; 80 % is 1h36m
      ],
    },
    {
      name: 'started paused (ticket created while waiting on the customer)',
      c: 'china',
      steps: [
        [{ op: 'start', at: '2026-03-02T09:00:00+08:00', target: 2 * H, mode: 'business' }, { consumed: 0, due: '2026-03-02T11:00:00+08:00', status: 'running' }],
        [{ op: 'pause', at: '2026-03-02T09:00:00+08:00' }, { consumed: 0, due: null, status: 'paused' }],
        [{ op: 'resume', at: '2026-03-07T16:00:00+08:00' }, { consumed: 0, due: '2026-03-08T10:00:00+08:00', status: 'running' }], // Sat 1h + Sun 1h
        [{ op: 'stop', at: '2026-03-08T09:00:00+08:00' }, { consumed: H, due: null, status: 'met' }],
        [{ op: 'resume', at: '2026-03-08T10:00:00+08:00' }, { consumed: H, due: null, status: 'met' }], // stopped is final
        [{ op: 'pause', at: '2026-03-08T10:00:00+08:00' }, { consumed: H, due: null, status: 'met' }],
      ],
    },
    {
      name: 'resumed after breaching while paused',
      c: 'always',
      steps: [
        [{ op: 'start', at: '2026-03-02T09:00:00+08:00', target: H, mode: 'business' }, { consumed: 0, due: '2026-03-02T10:00:00+08:00', status: 'running' }],
        [{ op: 'pause', at: '2026-03-02T11:00:00+08:00' }, { consumed: 2 * H, due: null, status: 'paused' }],
        [{ op: 'resume', at: '2026-03-02T12:00:00+08:00' }, { consumed: 2 * H, due: '2026-03-02T12:00:00+08:00', status: 'breached' }],
        [{ op: 'stop', at: '2026-03-02T12:30:00+08:00' }, { consumed: 2.5 * H, due: null, status: 'met_late' }],
      ],
    },
  ])('$name', ({ c, steps }) => {
    const cal = CALENDARS[c];
    let s: ClockState | null = null;
    for (const [step, want] of steps) {
      const now = at(step.at);
      if (step.op === 'start') s = startClock(cal, step.target, step.mode, now);
      else {
        if (!s) throw new Error('scenario must start with start');
        if (step.op === 'pause') s = pauseClock(cal, s, now);
        else if (step.op === 'resume') s = resumeClock(cal, s, now);
        else if (step.op === 'stop') s = stopClock(cal, s, now);
        else if (step.op === 'retarget') s = retargetClock(cal, s, step.target, now);
      }
      if (!s) throw new Error('no state');
      const label = `${step.op} at ${step.at}`;
      expect(consumedAt(cal, s, now), label).toBe(want.consumed);
      expect(sh(s.dueAt), label).toBe(want.due);
      expect(clockStatus(cal, s, now, 0.2), label).toBe(want.status);
      if (want.target !== undefined) expect(s.targetMs, label).toBe(want.target);
      // Shape invariants: running ⇔ runningSince and dueAt set; stopped ⇒ nothing running.
      expect(s.runningSince === null, label).toBe(s.dueAt === null);
      if (s.stoppedAt) expect(s.runningSince, label).toBeNull();
    }
  });
});

describe('transitions return the same state when they do not apply', () => {
  const now = at('2026-03-02T10:00:00+08:00');
  const running = startClock(CHINA, 4 * H, 'business', at('2026-03-02T09:00:00+08:00'));
  const paused = pauseClock(CHINA, running, now);
  const stopped = stopClock(CHINA, running, now);

  it.each<[string, () => ClockState, ClockState]>([
    ['pause a paused clock', () => pauseClock(CHINA, paused, now), paused],
    ['pause a stopped clock', () => pauseClock(CHINA, stopped, now), stopped],
    ['resume a running clock', () => resumeClock(CHINA, running, now), running],
    ['resume a stopped clock', () => resumeClock(CHINA, stopped, now), stopped],
    ['stop a stopped clock', () => stopClock(CHINA, stopped, at('2026-03-02T12:00:00+08:00')), stopped],
    ['retarget a stopped clock', () => retargetClock(CHINA, stopped, H, now), stopped],
  ])('%s', (_name, act, same) => {
    expect(act()).toBe(same);
  });

  it('never mutates its input', () => {
    const copy = structuredClone(running);
    pauseClock(CHINA, running, now);
    stopClock(CHINA, running, now);
    retargetClock(CHINA, running, H, now);
    expect(running).toEqual(copy);
  });

  it('stopping a paused clock keeps the consumed time', () => {
    const s = stopClock(CHINA, paused, at('2026-03-03T10:00:00+08:00'));
    expect(s).toEqual({ targetMs: 4 * H, mode: 'business', consumedMs: H, runningSince: null, stoppedAt: at('2026-03-03T10:00:00+08:00'), dueAt: null });
  });

  it('rejects a negative new target', () => {
    expect(() => retargetClock(CHINA, running, -1, now)).toThrow(RangeError);
  });
});

describe('warnAt', () => {
  it.each<{ c: CalName; start: string; target: number; mode: ClockMode; warn: number; expected: string }>([
    { c: 'china', start: '2026-03-02T09:00:00+08:00', target: 4 * H, mode: 'business', warn: 0.2, expected: '2026-03-02T12:12:00+08:00' }, // 80 %
    { c: 'china', start: '2026-03-02T09:00:00+08:00', target: 4 * H, mode: 'business', warn: 0.5, expected: '2026-03-02T11:00:00+08:00' },
    { c: 'china', start: '2026-03-02T09:00:00+08:00', target: 4 * H, mode: 'business', warn: 0, expected: '2026-03-02T13:00:00+08:00' }, // = dueAt
    { c: 'china', start: '2026-03-02T09:00:00+08:00', target: 4 * H, mode: 'business', warn: 1, expected: '2026-03-02T09:00:00+08:00' }, // at once
    { c: 'china', start: '2026-03-02T17:00:00+08:00', target: 4 * H, mode: 'business', warn: 0.25, expected: '2026-03-03T10:30:00+08:00' }, // overnight
    { c: 'china', start: '2026-03-02T17:00:00+08:00', target: 4 * H, mode: 'business', warn: 0.2, expected: '2026-03-03T10:42:00+08:00' },
    { c: 'china', start: '2026-02-13T17:00:00+08:00', target: 8 * H, mode: 'business', warn: 0.5, expected: '2026-02-14T11:30:00+08:00' }, // make-up day
    { c: 'weekday', start: '2026-04-30T10:00:00+08:00', target: 27 * H, mode: 'business', warn: 1 / 3, expected: '2026-05-07T10:00:00+08:00' }, // over 劳动节
    { c: 'china', start: '2026-03-02T10:00:00+08:00', target: 10 * H, mode: 'calendar', warn: 0.1, expected: '2026-03-02T19:00:00+08:00' },
    { c: 'china', start: '2026-03-02T23:50:00+08:00', target: 30 * M, mode: 'calendar', warn: 0.2, expected: '2026-03-03T00:14:00+08:00' },
  ])('$c $mode $start target $target warn $warn → $expected', ({ c, start, target, mode, warn, expected }) => {
    const cal = CALENDARS[c];
    expect(sh(warnAt(startClock(cal, target, mode, at(start)), cal, warn))).toBe(expected);
  });

  it('is the resume instant when the threshold was passed before the pause', () => {
    let s = startClock(CHINA, 4 * H, 'business', at('2026-03-02T09:00:00+08:00'));
    s = pauseClock(CHINA, s, at('2026-03-02T12:30:00+08:00')); // 3.5h of 4h
    s = resumeClock(CHINA, s, at('2026-03-03T09:00:00+08:00'));
    expect(sh(warnAt(s, CHINA, 0.2))).toBe('2026-03-03T09:00:00+08:00');
    expect(sh(s.dueAt)).toBe('2026-03-03T09:30:00+08:00');
  });

  it('is null unless running', () => {
    const s = startClock(CHINA, 4 * H, 'business', at('2026-03-02T09:00:00+08:00'));
    expect(warnAt(pauseClock(CHINA, s, at('2026-03-02T10:00:00+08:00')), CHINA, 0.2)).toBeNull();
    expect(warnAt(stopClock(CHINA, s, at('2026-03-02T10:00:00+08:00')), CHINA, 0.2)).toBeNull();
  });

  it.each([-0.1, 1.1, Number.NaN])('rejects warnFraction %s', (warn) => {
    const s = startClock(CHINA, 4 * H, 'business', at('2026-03-02T09:00:00+08:00'));
    expect(() => warnAt(s, CHINA, warn)).toThrow(RangeError);
    expect(() => clockStatus(CHINA, s, at('2026-03-02T09:00:00+08:00'), warn)).toThrow(RangeError);
  });
});

describe('clockStatus and remainingAt over time', () => {
  // 4 business hours from Monday 09:00 (due 13:00) and from Monday 17:00 (due Tuesday 11:30).
  const morning = startClock(CHINA, 4 * H, 'business', at('2026-03-02T09:00:00+08:00'));
  const evening = startClock(CHINA, 4 * H, 'business', at('2026-03-02T17:00:00+08:00'));
  const wall = startClock(CHINA, 4 * H, 'calendar', at('2026-03-02T09:00:00+08:00'));
  const clocks = { morning, evening, wall };

  it.each<{ clock: keyof typeof clocks; now: string; warn: number; status: ClockStatus; remaining: number }>([
    { clock: 'morning', now: '2026-03-02T08:00:00+08:00', warn: 0.2, status: 'running', remaining: 4 * H }, // before it started
    { clock: 'morning', now: '2026-03-02T09:00:00+08:00', warn: 0.2, status: 'running', remaining: 4 * H },
    { clock: 'morning', now: '2026-03-02T12:11:59.999+08:00', warn: 0.2, status: 'running', remaining: 48 * M + 1 },
    { clock: 'morning', now: '2026-03-02T12:12:00+08:00', warn: 0.2, status: 'warning', remaining: 48 * M },
    { clock: 'morning', now: '2026-03-02T12:59:59.999+08:00', warn: 0.2, status: 'warning', remaining: 1 },
    { clock: 'morning', now: '2026-03-02T13:00:00+08:00', warn: 0.2, status: 'breached', remaining: 0 },
    { clock: 'morning', now: '2026-03-02T15:00:00+08:00', warn: 0.2, status: 'breached', remaining: -2 * H },
    { clock: 'morning', now: '2026-03-03T09:00:00+08:00', warn: 0.2, status: 'breached', remaining: -5.5 * H }, // 9h Monday + 0.5h Tuesday
    { clock: 'morning', now: '2026-03-02T12:59:00+08:00', warn: 0, status: 'running', remaining: M },
    { clock: 'morning', now: '2026-03-02T13:00:00+08:00', warn: 0, status: 'breached', remaining: 0 },
    { clock: 'morning', now: '2026-03-02T09:00:00+08:00', warn: 1, status: 'warning', remaining: 4 * H },
    { clock: 'morning', now: '2026-03-02T10:59:00+08:00', warn: 0.5, status: 'running', remaining: 2 * H + M },
    { clock: 'morning', now: '2026-03-02T11:00:00+08:00', warn: 0.5, status: 'warning', remaining: 2 * H },
    { clock: 'evening', now: '2026-03-02T17:30:00+08:00', warn: 0.2, status: 'running', remaining: 3.5 * H },
    { clock: 'evening', now: '2026-03-02T23:00:00+08:00', warn: 0.2, status: 'running', remaining: 3 * H }, // night does not count
    { clock: 'evening', now: '2026-03-03T10:41:00+08:00', warn: 0.2, status: 'running', remaining: 49 * M },
    { clock: 'evening', now: '2026-03-03T10:42:00+08:00', warn: 0.2, status: 'warning', remaining: 48 * M },
    { clock: 'evening', now: '2026-03-03T11:29:00+08:00', warn: 0.2, status: 'warning', remaining: M },
    { clock: 'evening', now: '2026-03-03T11:30:00+08:00', warn: 0.2, status: 'breached', remaining: 0 },
    { clock: 'wall', now: '2026-03-02T12:12:00+08:00', warn: 0.2, status: 'warning', remaining: 48 * M },
    { clock: 'wall', now: '2026-03-03T09:00:00+08:00', warn: 0.2, status: 'breached', remaining: -20 * H },
  ])('$clock at $now (warn $warn) → $status, remaining $remaining', ({ clock, now, warn, status, remaining }) => {
    const s = clocks[clock];
    expect(clockStatus(CHINA, s, at(now), warn)).toBe(status);
    expect(remainingAt(CHINA, s, at(now))).toBe(remaining);
  });

  it.each<{ stopAt: string; status: ClockStatus; consumed: number }>([
    { stopAt: '2026-03-02T11:00:00+08:00', status: 'met', consumed: 2 * H },
    { stopAt: '2026-03-02T13:00:00+08:00', status: 'met', consumed: 4 * H }, // exactly at the deadline
    { stopAt: '2026-03-02T13:00:01+08:00', status: 'met_late', consumed: 4 * H + S },
    { stopAt: '2026-03-02T20:00:00+08:00', status: 'met_late', consumed: 9 * H },
  ])('stopped at $stopAt → $status', ({ stopAt, status, consumed }) => {
    const s = stopClock(CHINA, morning, at(stopAt));
    expect(s.consumedMs).toBe(consumed);
    expect(clockStatus(CHINA, s, at('2026-03-05T10:00:00+08:00'), 0.2)).toBe(status);
    expect(remainingAt(CHINA, s, at('2026-03-05T10:00:00+08:00'))).toBe(4 * H - consumed);
  });

  it('shows an overdue remainder in both languages', () => {
    const r = remainingAt(CHINA, morning, at('2026-03-02T15:00:00+08:00'));
    expect(formatDuration(r, 'zh')).toBe('超时 2小时');
    expect(formatDuration(r, 'en')).toBe('overdue 2h');
  });
});

describe('formatDuration', () => {
  it.each<[number, string, string]>([
    [90_061_000, '1天1小时1分', '1d 1h 1m'],
    [45_000, '45秒', '45s'],
    [0, '0秒', '0s'],
    [999, '0秒', '0s'],
    [59_999, '59秒', '59s'],
    [60_000, '1分', '1m'],
    [119_999, '1分', '1m'], // truncated, never rounded up
    [H, '1小时', '1h'],
    [1.5 * H, '1小时30分', '1h 30m'],
    [D, '1天', '1d'],
    [D + H, '1天1小时', '1d 1h'],
    [D + M, '1天1分', '1d 1m'],
    [3 * D + 2 * H, '3天2小时', '3d 2h'],
    [30 * D, '30天', '30d'],
    [-45_000, '超时 45秒', 'overdue 45s'],
    [-90_061_000, '超时 1天1小时1分', 'overdue 1d 1h 1m'],
    [-2 * H, '超时 2小时', 'overdue 2h'],
    [-500, '0秒', '0s'], // less than a second overdue shows as zero
  ])('%d ms → %s / %s', (ms, zh, en) => {
    expect(formatDuration(ms, 'zh')).toBe(zh);
    expect(formatDuration(ms, 'en')).toBe(en);
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY])('rejects %s', (ms) => {
    expect(() => formatDuration(ms, 'en')).toThrow(RangeError);
  });
});
