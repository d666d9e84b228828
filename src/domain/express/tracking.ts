/**
 * Tracking rules (X1, X2): the normalised statuses, a parcel's current state from its events
 * (which may arrive out of order), delay detection against the promised time, and the plain
 * sentence an agent reads to the customer. Pure: no I/O and no clock — `now` is passed in.
 */
export const SHIPMENT_STATUSES = [
  'created',
  'picked_up',
  'in_transit',
  'at_sorting_centre',
  'out_for_delivery',
  'delivery_failed',
  'available_for_pickup',
  'delivered',
  'returned',
  'exception',
  'lost',
] as const;
export type ShipmentStatus = (typeof SHIPMENT_STATUSES)[number];

export const STATUS_LABELS: Readonly<Record<ShipmentStatus, { zh: string; en: string }>> = {
  created: { zh: '已下单', en: 'Information received' },
  picked_up: { zh: '已揽收', en: 'Picked up' },
  in_transit: { zh: '运输中', en: 'In transit' },
  at_sorting_centre: { zh: '分拣中', en: 'At sorting centre' },
  out_for_delivery: { zh: '派送中', en: 'Out for delivery' },
  delivery_failed: { zh: '派送未成功', en: 'Delivery attempt failed' },
  available_for_pickup: { zh: '待取件', en: 'Ready for pickup' },
  delivered: { zh: '已签收', en: 'Delivered' },
  returned: { zh: '已退回', en: 'Returned to sender' },
  exception: { zh: '异常', en: 'Exception' },
  lost: { zh: '已确认丢失', en: 'Lost' },
};

/** Statuses after which a parcel moves no further: no delay clock runs. */
export const FINAL_STATUSES: readonly ShipmentStatus[] = ['delivered', 'returned', 'lost'];
/** Statuses an agent should see called out on the timeline. */
export const EXCEPTION_STATUSES: readonly ShipmentStatus[] = ['delivery_failed', 'exception', 'returned', 'lost'];

export function isShipmentStatus(s: string): s is ShipmentStatus {
  return (SHIPMENT_STATUSES as readonly string[]).includes(s);
}

export type FacilityType = 'outlet' | 'sorting_centre' | 'station' | 'locker' | 'vehicle' | 'other';

export interface TrackingEvent {
  occurredAt: Date;
  status: ShipmentStatus;
  location: string | null;
  facility: string | null;
  facilityType: FacilityType | null;
  courier: string | null;
  pickupCode: string | null;
  rawText: string | null;
  /** Arrival order (the database id): breaks ties between events stamped with the same time. */
  seq: number;
}

/** Events in the order they happened: by time, then by arrival. */
export function sortEvents<E extends Pick<TrackingEvent, 'occurredAt' | 'seq'>>(events: readonly E[]): E[] {
  return [...events].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || a.seq - b.seq);
}

/** The event that decides the current state (the latest by time), or null before any event. */
export function currentEvent<E extends Pick<TrackingEvent, 'occurredAt' | 'seq'>>(events: readonly E[]): E | null {
  const sorted = sortEvents(events);
  return sorted[sorted.length - 1] ?? null;
}

/** "Same city": the same first four digits of the 6-digit administrative division code (GB/T 2260). */
export function sameCity(origin: string, destination: string): boolean {
  return origin.slice(0, 4) === destination.slice(0, 4);
}

export interface LostThresholds {
  /** Days past the promised time after which a same-city parcel may be treated as lost. */
  sameCityDays: number;
  otherDays: number;
}
export const DEFAULT_LOST_THRESHOLDS: LostThresholds = { sameCityDays: 3, otherDays: 7 };

export type DelayState = 'no_promise' | 'on_time' | 'delayed' | 'may_be_lost';

export interface DelayAssessment {
  state: DelayState;
  /** Whole minutes past the promised time (0 when not late). For a finished parcel: at its final event. */
  overdueMinutes: number;
  /** When the parcel may be treated as lost (promised time + threshold); null without a promise. */
  lostAfter: Date | null;
}

export interface DelayInput {
  status: ShipmentStatus;
  promisedAt: Date | null;
  /** When the parcel reached its current status (the latest event's time). */
  statusAt: Date | null;
  origin: string;
  destination: string;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/**
 * Past the promised time: delayed; past it by the complete-delay threshold (3 days same city,
 * 7 otherwise, by default): may be treated as lost. A finished parcel is judged at its final
 * event and is never "may be lost" (it was delivered, returned, or is lost already).
 */
export function assessDelay(input: DelayInput, now: Date, thresholds: LostThresholds = DEFAULT_LOST_THRESHOLDS): DelayAssessment {
  if (!input.promisedAt) return { state: 'no_promise', overdueMinutes: 0, lostAfter: null };
  const days = sameCity(input.origin, input.destination) ? thresholds.sameCityDays : thresholds.otherDays;
  const lostAfter = new Date(input.promisedAt.getTime() + days * DAY);
  const final = FINAL_STATUSES.includes(input.status);
  const at = final && input.statusAt ? input.statusAt : now;
  const overdue = Math.max(0, Math.floor((at.getTime() - input.promisedAt.getTime()) / MINUTE));
  if (at.getTime() <= input.promisedAt.getTime()) return { state: 'on_time', overdueMinutes: 0, lostAfter };
  if (!final && at.getTime() > lostAfter.getTime()) return { state: 'may_be_lost', overdueMinutes: overdue, lostAfter };
  return { state: 'delayed', overdueMinutes: overdue, lostAfter };
}

// China Standard Time is UTC+8 all year (no daylight saving since 1991): plain arithmetic, no
// time-zone library on the hottest path (every lookup formats one or two times).
const CHINA_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 24 * 3600_000;

interface Local {
  year: number;
  month: number;
  day: number;
  hm: string;
  /** Days since the epoch, in China time. */
  dayNumber: number;
}

function chinaTime(t: Date): Local {
  const l = new Date(t.getTime() + CHINA_OFFSET_MS);
  return {
    year: l.getUTCFullYear(),
    month: l.getUTCMonth() + 1,
    day: l.getUTCDate(),
    hm: `${String(l.getUTCHours()).padStart(2, '0')}:${String(l.getUTCMinutes()).padStart(2, '0')}`,
    dayNumber: Math.floor(l.getTime() / DAY_MS),
  };
}

/** 「今天18:00」「明天09:30」「11月24日18:00」「2027年1月3日18:00」 in China time, relative to now. */
export function formatTimeZh(t: Date, now: Date): string {
  const d = chinaTime(t);
  const n = chinaTime(now);
  const days = d.dayNumber - n.dayNumber;
  if (days === 0) return `今天${d.hm}`;
  if (days === 1) return `明天${d.hm}`;
  if (days === -1) return `昨天${d.hm}`;
  return d.year === n.year ? `${d.month}月${d.day}日${d.hm}` : `${d.year}年${d.month}月${d.day}日${d.hm}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "today at 18:00", "tomorrow at 09:30", "on 24 Nov at 18:00", "on 3 Jan 2027 at 18:00" (China time). */
export function formatTimeEn(t: Date, now: Date): string {
  const d = chinaTime(t);
  const n = chinaTime(now);
  const days = d.dayNumber - n.dayNumber;
  if (days === 0) return `today at ${d.hm}`;
  if (days === 1) return `tomorrow at ${d.hm}`;
  if (days === -1) return `yesterday at ${d.hm}`;
  return `on ${d.day} ${MONTHS[d.month - 1]}${d.year === n.year ? '' : ` ${d.year}`} at ${d.hm}`;
}

export interface SentenceInput {
  status: ShipmentStatus;
  /** The latest event (null before any scan: the parcel is only announced). */
  last: Pick<TrackingEvent, 'occurredAt' | 'location' | 'facility' | 'facilityType' | 'pickupCode' | 'rawText'> | null;
  promisedAt: Date | null;
  delay: DelayAssessment;
}

export interface Sentence {
  zh: string;
  en: string;
}

function place(last: SentenceInput['last']): { zh: string; en: string } {
  const p = last?.facility || last?.location;
  return p ? { zh: p, en: `at ${p}` } : { zh: '运输途中', en: 'in transit' };
}

// Seed 000 三(三) step 1: the standard soothing sentence for a problem parcel.
const SOOTHE_DELAY_ZH = '非常抱歉,您的快件出现了延误的情况,给您带来不便,我非常理解您的心情。';
const SOOTHE_DELAY_EN = 'We are very sorry that your parcel has been delayed; we understand how you feel.';

/**
 * What an agent reads to the customer (seed 000 三(二) step 3):
 * 「您的快件目前在{地点},预计{时间}前送达。」 and its variants for each situation.
 */
export function trackingSentence(input: SentenceInput, now: Date): Sentence {
  const { status, last, promisedAt, delay } = input;
  const where = place(last);
  const at = last?.occurredAt ?? null;
  const whenZh = (t: Date): string => formatTimeZh(t, now);
  const whenEn = (t: Date): string => formatTimeEn(t, now);
  const reasonZh = last?.rawText ? `(${last.rawText})` : '';
  const reasonEn = last?.rawText ? ` (${last.rawText})` : '';

  switch (status) {
    case 'delivered': {
      // 本人签收 / 家人代收 / 快递柜取件…: the scan's own words say how it was signed for.
      const howZh = last?.rawText ? `(${last.rawText})` : '';
      const howEn = last?.rawText ? ` (${last.rawText})` : '';
      return {
        zh: `您的快件已于${at ? whenZh(at) : '近期'}签收${howZh}。`,
        en: `Your parcel was delivered${at ? ` ${whenEn(at)}` : ''}${howEn}.`,
      };
    }
    case 'available_for_pickup': {
      const kindZh = last?.facilityType === 'locker' ? '快递柜' : '驿站';
      const kindEn = last?.facilityType === 'locker' ? 'parcel locker' : 'pickup station';
      const codeZh = last?.pickupCode ? `,取件码${last.pickupCode}` : '';
      const codeEn = last?.pickupCode ? ` with pickup code ${last.pickupCode}` : '';
      return {
        zh: `您的快件已于${at ? whenZh(at) : '近期'}放入${last?.facility ?? kindZh}(${kindZh})${codeZh},请您及时取件。`,
        en: `Your parcel was placed in the ${kindEn}${last?.facility ? ` ${last.facility}` : ''}${at ? ` ${whenEn(at)}` : ''}${codeEn}; please collect it soon.`,
      };
    }
    case 'returned':
      return { zh: `您的快件已于${at ? whenZh(at) : '近期'}退回寄件人${reasonZh}。`, en: `Your parcel was returned to the sender${at ? ` ${whenEn(at)}` : ''}${reasonEn}.` };
    case 'lost':
      return {
        zh: '非常抱歉,您的快件已确认丢失,给您带来不便,我非常理解您的心情。我们会为您办理赔付。',
        en: 'We are very sorry: your parcel has been confirmed lost. We will arrange compensation for you.',
      };
    default:
      break;
  }

  if (delay.state === 'may_be_lost') {
    const days = Math.floor(delay.overdueMinutes / (24 * 60));
    return {
      zh: `${SOOTHE_DELAY_ZH}您的快件已超过承诺时效${days}天,最后一次出现在${where.zh}。我们会立即核实快件下落,如确认丢失将按规定为您办理赔付。`,
      en: `${SOOTHE_DELAY_EN} Your parcel is ${days} days past its promised delivery time and was last seen ${where.en}. We are tracing it now; if it is confirmed lost we will compensate you under our rules.`,
    };
  }
  if (status === 'exception') {
    return {
      zh: `${delay.state === 'delayed' ? SOOTHE_DELAY_ZH : ''}您的快件在${where.zh}出现异常${reasonZh},我们正在核实处理,会尽快安排派送。`,
      en: `${delay.state === 'delayed' ? `${SOOTHE_DELAY_EN} ` : ''}There is a problem with your parcel ${where.en}${reasonEn}; we are looking into it and will deliver it as soon as possible.`,
    };
  }
  if (status === 'delivery_failed') {
    return {
      zh: `您的快件于${at ? whenZh(at) : '近期'}派送未成功${reasonZh},我们会再次安排派送。`,
      en: `A delivery attempt ${at ? whenEn(at) : 'recently'} did not succeed${reasonEn}; we will deliver again.`,
    };
  }
  if (delay.state === 'delayed') {
    return {
      zh: `${SOOTHE_DELAY_ZH}您的快件目前在${where.zh},我们会帮您备注优先派件,尽快为您送达。`,
      en: `${SOOTHE_DELAY_EN} Your parcel is now ${where.en}; we will mark it for priority delivery and bring it to you as soon as possible.`,
    };
  }
  if (status === 'created' && !last) {
    return promisedAt
      ? { zh: `您的快件已下单,等待快递员揽收,预计${whenZh(promisedAt)}前送达。`, en: `Your parcel has been registered and awaits pickup; expected delivery by ${whenEn(promisedAt)}.` }
      : { zh: '您的快件已下单,等待快递员揽收。', en: 'Your parcel has been registered and awaits pickup.' };
  }
  const statusZh = status === 'out_for_delivery' ? '正在派送' : '';
  const statusEn = status === 'out_for_delivery' ? ' and out for delivery' : '';
  return promisedAt
    ? { zh: `您的快件目前在${where.zh}${statusZh},预计${whenZh(promisedAt)}前送达。`, en: `Your parcel is now ${where.en}${statusEn}; expected delivery by ${whenEn(promisedAt)}.` }
    : { zh: `您的快件目前在${where.zh}${statusZh}。`, en: `Your parcel is now ${where.en}${statusEn}.` };
}
