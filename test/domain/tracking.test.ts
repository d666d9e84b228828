import { describe, expect, it } from 'vitest';
import {
  assessDelay,
  currentEvent,
  DEFAULT_LOST_THRESHOLDS,
  formatTimeEn,
  formatTimeZh,
  isShipmentStatus,
  sameCity,
  SHIPMENT_STATUSES,
  sortEvents,
  STATUS_LABELS,
  trackingSentence,
  type DelayAssessment,
  type DelayState,
  type ShipmentStatus,
  type TrackingEvent,
} from '../../src/domain/express/tracking.ts';

const T = (s: string): Date => new Date(s);
// 2026-11-23 10:00 China time
const NOW = T('2026-11-23T02:00:00Z');

function ev(occurredAt: string, status: ShipmentStatus, seq: number, extra: Partial<TrackingEvent> = {}): TrackingEvent {
  return { occurredAt: T(occurredAt), status, location: null, facility: null, facilityType: null, courier: null, pickupCode: null, rawText: null, seq, ...extra };
}

describe('statuses', () => {
  it('has the eleven normalised statuses, each labelled in both languages', () => {
    expect(SHIPMENT_STATUSES).toEqual(['created', 'picked_up', 'in_transit', 'at_sorting_centre', 'out_for_delivery', 'delivery_failed', 'available_for_pickup', 'delivered', 'returned', 'exception', 'lost']);
    for (const s of SHIPMENT_STATUSES) {
      expect(STATUS_LABELS[s].zh.length).toBeGreaterThan(0);
      expect(STATUS_LABELS[s].en.length).toBeGreaterThan(0);
      expect(isShipmentStatus(s)).toBe(true);
    }
  });
  it.each(['', 'Delivered', 'teleported', 'in-transit'])('"%s" is not a status', (s) => expect(isShipmentStatus(s)).toBe(false));
});

describe('current state from out-of-order events', () => {
  const picked = ev('2026-11-20T01:00:00Z', 'picked_up', 1);
  const sorting = ev('2026-11-20T09:00:00Z', 'at_sorting_centre', 3);
  const transit = ev('2026-11-20T05:00:00Z', 'in_transit', 2);
  const delivered = ev('2026-11-21T04:00:00Z', 'delivered', 4);
  it.each<[string, TrackingEvent[], ShipmentStatus | null]>([
    ['no events', [], null],
    ['one event', [picked], 'picked_up'],
    ['in order', [picked, transit, sorting], 'at_sorting_centre'],
    ['newest arrived first', [sorting, picked, transit], 'at_sorting_centre'],
    ['delivered arrived before the earlier scans', [delivered, picked, sorting, transit], 'delivered'],
    ['late-arriving older scan does not override', [picked, transit, sorting, delivered, ev('2026-11-20T03:00:00Z', 'exception', 9)], 'delivered'],
    ['same instant: later arrival wins', [ev('2026-11-20T01:00:00Z', 'picked_up', 1), ev('2026-11-20T01:00:00Z', 'in_transit', 2)], 'in_transit'],
    ['same instant, arrived reversed', [ev('2026-11-20T01:00:00Z', 'in_transit', 2), ev('2026-11-20T01:00:00Z', 'picked_up', 1)], 'in_transit'],
  ])('%s', (_name, events, expected) => {
    expect(currentEvent(events)?.status ?? null).toBe(expected);
  });
  it('sorts a timeline by time then arrival without changing the input', () => {
    const input = [sorting, delivered, picked, transit];
    expect(sortEvents(input).map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(input.map((e) => e.seq)).toEqual([3, 4, 1, 2]);
  });
});

describe('sameCity (first four digits)', () => {
  it.each<[string, string, boolean]>([
    ['110105', '110108', true], // 北京朝阳 / 海淀
    ['310115', '310104', true], // 上海浦东 / 徐汇
    ['440305', '440304', true], // 深圳南山 / 福田
    ['440305', '440106', false], // 深圳 / 广州: same province only
    ['110105', '310115', false],
    ['440305', '440305', true],
  ])('%s → %s: %s', (a, b, same) => expect(sameCity(a, b)).toBe(same));
});

describe('assessDelay', () => {
  const promised = T('2026-11-20T10:00:00Z');
  const base = { promisedAt: promised, statusAt: null, origin: '440305', destination: '110105' };
  const city = { origin: '440305', destination: '440304' };
  const days = (n: number): Date => new Date(promised.getTime() + n * 86_400_000);
  it.each<[string, Parameters<typeof assessDelay>[0], Date, DelayState, number]>([
    ['no promise', { ...base, status: 'in_transit', promisedAt: null }, NOW, 'no_promise', 0],
    ['before the promise', { ...base, status: 'in_transit' }, T('2026-11-20T09:00:00Z'), 'on_time', 0],
    ['exactly at the promise', { ...base, status: 'in_transit' }, promised, 'on_time', 0],
    ['one minute late', { ...base, status: 'in_transit' }, T('2026-11-20T10:01:00Z'), 'delayed', 1],
    ['inter-city, 3 days late: still only delayed', { ...base, status: 'in_transit' }, days(3.5), 'delayed', 3.5 * 1440],
    ['inter-city, exactly 7 days late: delayed', { ...base, status: 'in_transit' }, days(7), 'delayed', 7 * 1440],
    ['inter-city, past 7 days: may be lost', { ...base, status: 'in_transit' }, days(7.01), 'may_be_lost', Math.floor(7.01 * 1440)],
    ['same city, past 3 days: may be lost', { ...base, ...city, status: 'at_sorting_centre' }, days(3.01), 'may_be_lost', Math.floor(3.01 * 1440)],
    ['same city, 2 days: delayed', { ...base, ...city, status: 'out_for_delivery' }, days(2), 'delayed', 2 * 1440],
    ['exception past the threshold: may be lost', { ...base, status: 'exception' }, days(10), 'may_be_lost', 10 * 1440],
    ['delivered on time, judged at delivery', { ...base, status: 'delivered', statusAt: T('2026-11-20T08:00:00Z') }, days(30), 'on_time', 0],
    ['delivered late: delayed, never lost', { ...base, status: 'delivered', statusAt: days(1) }, days(30), 'delayed', 1440],
    ['delivered very late: still only delayed', { ...base, status: 'delivered', statusAt: days(20) }, days(30), 'delayed', 20 * 1440],
    ['returned on time', { ...base, status: 'returned', statusAt: days(-1) }, days(30), 'on_time', 0],
    ['lost: judged at the lost event', { ...base, status: 'lost', statusAt: days(8) }, days(30), 'delayed', 8 * 1440],
    ['waiting in a locker past the promise: delayed', { ...base, status: 'available_for_pickup' }, days(1), 'delayed', 1440],
  ])('%s', (_name, input, now, state, overdue) => {
    const a = assessDelay(input, now);
    expect(a.state).toBe(state);
    expect(a.overdueMinutes).toBe(overdue);
  });
  it('reports when the parcel may be treated as lost, from the thresholds', () => {
    expect(assessDelay({ ...base, status: 'in_transit' }, NOW).lostAfter).toEqual(days(7));
    expect(assessDelay({ ...base, ...city, status: 'in_transit' }, NOW).lostAfter).toEqual(days(3));
    expect(assessDelay({ ...base, status: 'in_transit' }, NOW, { sameCityDays: 1, otherDays: 2 }).lostAfter).toEqual(days(2));
    expect(assessDelay({ ...base, status: 'in_transit' }, days(2.5), { sameCityDays: 1, otherDays: 2 }).state).toBe('may_be_lost');
    expect(DEFAULT_LOST_THRESHOLDS).toEqual({ sameCityDays: 3, otherDays: 7 });
  });
});

describe('time wording (China time, relative to now)', () => {
  it.each<[string, string, string]>([
    ['2026-11-23T07:00:00Z', '今天15:00', 'today at 15:00'],
    ['2026-11-22T16:30:00Z', '今天00:30', 'today at 00:30'], // 00:30 on the 23rd China time
    ['2026-11-23T16:00:00Z', '明天00:00', 'tomorrow at 00:00'],
    ['2026-11-22T10:00:00Z', '昨天18:00', 'yesterday at 18:00'],
    ['2026-11-26T10:00:00Z', '11月26日18:00', 'on 26 Nov at 18:00'],
    ['2027-01-03T01:05:00Z', '2027年1月3日09:05', 'on 3 Jan 2027 at 09:05'],
    ['2026-11-23T15:59:00Z', '今天23:59', 'today at 23:59'],
    ['2026-11-22T16:00:00Z', '今天00:00', 'today at 00:00'],
    ['2026-11-22T15:59:00Z', '昨天23:59', 'yesterday at 23:59'],
    ['2026-12-31T16:00:00Z', '2027年1月1日00:00', 'on 1 Jan 2027 at 00:00'],
    ['2026-12-31T15:59:00Z', '12月31日23:59', 'on 31 Dec at 23:59'],
    ['2026-02-28T16:30:00Z', '3月1日00:30', 'on 1 Mar at 00:30'],
  ])('%s → %s / %s', (t, zh, en) => {
    expect(formatTimeZh(T(t), NOW)).toBe(zh);
    expect(formatTimeEn(T(t), NOW)).toBe(en);
  });
});

describe('trackingSentence', () => {
  const onTime: DelayAssessment = { state: 'on_time', overdueMinutes: 0, lostAfter: null };
  const delayed: DelayAssessment = { state: 'delayed', overdueMinutes: 600, lostAfter: null };
  const lost: DelayAssessment = { state: 'may_be_lost', overdueMinutes: 8 * 1440 + 5, lostAfter: null };
  const noPromise: DelayAssessment = { state: 'no_promise', overdueMinutes: 0, lostAfter: null };
  const promisedAt = T('2026-11-23T10:00:00Z'); // today 18:00
  const at = (status: ShipmentStatus, extra: Partial<TrackingEvent> = {}): TrackingEvent => ev('2026-11-23T01:00:00Z', status, 1, extra);
  const centre = { facility: '上海青浦分拣中心', location: '上海市青浦区', facilityType: 'sorting_centre' as const };
  it.each<[string, Parameters<typeof trackingSentence>[0], string, string]>([
    ['the standard sentence', { status: 'at_sorting_centre', last: at('at_sorting_centre', centre), promisedAt, delay: onTime },
      '您的快件目前在上海青浦分拣中心,预计今天18:00前送达。', 'Your parcel is now at 上海青浦分拣中心; expected delivery by today at 18:00.'],
    ['location when there is no facility', { status: 'in_transit', last: at('in_transit', { location: '江苏省苏州市' }), promisedAt, delay: onTime },
      '您的快件目前在江苏省苏州市,预计今天18:00前送达。', 'Your parcel is now at 江苏省苏州市; expected delivery by today at 18:00.'],
    ['out for delivery', { status: 'out_for_delivery', last: at('out_for_delivery', { facility: '上海浦东世纪大道网点' }), promisedAt, delay: onTime },
      '您的快件目前在上海浦东世纪大道网点正在派送,预计今天18:00前送达。', 'Your parcel is now at 上海浦东世纪大道网点 and out for delivery; expected delivery by today at 18:00.'],
    ['no promise known', { status: 'in_transit', last: at('in_transit', centre), promisedAt: null, delay: noPromise },
      '您的快件目前在上海青浦分拣中心。', 'Your parcel is now at 上海青浦分拣中心.'],
    ['only announced', { status: 'created', last: null, promisedAt, delay: onTime },
      '您的快件已下单,等待快递员揽收,预计今天18:00前送达。', 'Your parcel has been registered and awaits pickup; expected delivery by today at 18:00.'],
    ['only announced, no promise', { status: 'created', last: null, promisedAt: null, delay: noPromise },
      '您的快件已下单,等待快递员揽收。', 'Your parcel has been registered and awaits pickup.'],
    ['delivered', { status: 'delivered', last: at('delivered', { rawText: '本人签收' }), promisedAt, delay: onTime },
      '您的快件已于今天09:00签收(本人签收)。', 'Your parcel was delivered today at 09:00 (本人签收).'],
    ['delivered late still reads as delivered', { status: 'delivered', last: at('delivered'), promisedAt, delay: delayed },
      '您的快件已于今天09:00签收。', 'Your parcel was delivered today at 09:00.'],
    ['in a 驿站 with pickup code', { status: 'available_for_pickup', last: at('available_for_pickup', { facility: '菜鸟驿站(世纪花园店)', facilityType: 'station', pickupCode: '3-2-1056' }), promisedAt, delay: onTime },
      '您的快件已于今天09:00放入菜鸟驿站(世纪花园店)(驿站),取件码3-2-1056,请您及时取件。', 'Your parcel was placed in the pickup station 菜鸟驿站(世纪花园店) today at 09:00 with pickup code 3-2-1056; please collect it soon.'],
    ['in a locker', { status: 'available_for_pickup', last: at('available_for_pickup', { facility: '丰巢柜(小区东门)', facilityType: 'locker', pickupCode: '88231' }), promisedAt, delay: onTime },
      '您的快件已于今天09:00放入丰巢柜(小区东门)(快递柜),取件码88231,请您及时取件。', 'Your parcel was placed in the parcel locker 丰巢柜(小区东门) today at 09:00 with pickup code 88231; please collect it soon.'],
    ['delivery failed with the reason', { status: 'delivery_failed', last: at('delivery_failed', { rawText: '电话无人接听' }), promisedAt, delay: onTime },
      '您的快件于今天09:00派送未成功(电话无人接听),我们会再次安排派送。', 'A delivery attempt today at 09:00 did not succeed (电话无人接听); we will deliver again.'],
    ['exception', { status: 'exception', last: at('exception', { facility: '武汉东西湖分拣中心', rawText: '天气原因滞留' }), promisedAt, delay: onTime },
      '您的快件在武汉东西湖分拣中心出现异常(天气原因滞留),我们正在核实处理,会尽快安排派送。', 'There is a problem with your parcel at 武汉东西湖分拣中心 (天气原因滞留); we are looking into it and will deliver it as soon as possible.'],
    ['exception and late: soothe first', { status: 'exception', last: at('exception', { facility: '武汉东西湖分拣中心' }), promisedAt, delay: delayed },
      '非常抱歉,您的快件出现了延误的情况,给您带来不便,我非常理解您的心情。您的快件在武汉东西湖分拣中心出现异常,我们正在核实处理,会尽快安排派送。',
      'We are very sorry that your parcel has been delayed; we understand how you feel. There is a problem with your parcel at 武汉东西湖分拣中心; we are looking into it and will deliver it as soon as possible.'],
    ['delayed in transit', { status: 'in_transit', last: at('in_transit', centre), promisedAt, delay: delayed },
      '非常抱歉,您的快件出现了延误的情况,给您带来不便,我非常理解您的心情。您的快件目前在上海青浦分拣中心,我们会帮您备注优先派件,尽快为您送达。',
      'We are very sorry that your parcel has been delayed; we understand how you feel. Your parcel is now at 上海青浦分拣中心; we will mark it for priority delivery and bring it to you as soon as possible.'],
    ['past the complete-delay threshold', { status: 'at_sorting_centre', last: at('at_sorting_centre', centre), promisedAt, delay: lost },
      '非常抱歉,您的快件出现了延误的情况,给您带来不便,我非常理解您的心情。您的快件已超过承诺时效8天,最后一次出现在上海青浦分拣中心。我们会立即核实快件下落,如确认丢失将按规定为您办理赔付。',
      'We are very sorry that your parcel has been delayed; we understand how you feel. Your parcel is 8 days past its promised delivery time and was last seen at 上海青浦分拣中心. We are tracing it now; if it is confirmed lost we will compensate you under our rules.'],
    ['returned', { status: 'returned', last: at('returned', { rawText: '收件人拒收' }), promisedAt, delay: onTime },
      '您的快件已于今天09:00退回寄件人(收件人拒收)。', 'Your parcel was returned to the sender today at 09:00 (收件人拒收).'],
    ['lost', { status: 'lost', last: at('lost'), promisedAt, delay: delayed },
      '非常抱歉,您的快件已确认丢失,给您带来不便,我非常理解您的心情。我们会为您办理赔付。', 'We are very sorry: your parcel has been confirmed lost. We will arrange compensation for you.'],
    ['no place known', { status: 'picked_up', last: at('picked_up'), promisedAt, delay: onTime },
      '您的快件目前在运输途中,预计今天18:00前送达。', 'Your parcel is now in transit; expected delivery by today at 18:00.'],
  ])('%s', (_name, input, zh, en) => {
    expect(trackingSentence(input, NOW)).toEqual({ zh, en });
  });

  it('every status has a sentence in both languages in every delay state', () => {
    for (const status of SHIPMENT_STATUSES) {
      for (const delay of [onTime, delayed, lost, noPromise]) {
        const s = trackingSentence({ status, last: at(status, centre), promisedAt, delay }, NOW);
        expect(s.zh).toMatch(/^[^\s].*。$/);
        expect(s.en).toMatch(/^[A-Z].*\.$/);
      }
    }
  });
});
