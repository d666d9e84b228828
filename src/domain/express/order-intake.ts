/**
 * Order intake (下单, SPEC X8; seed 000 三(一)): an agent takes a shipment order for a customer,
 * checks the item and quotes it, then reads the order back for the customer to confirm
 * (「您的寄件地址是XX小区1栋2单元301,收件人是张三,电话是138XXXX1234,对吗?」) before the
 * pick-up is requested. Validation, the read-back and the order's states are pure rules here.
 */
import { maskPhone, normalizePhone } from '../masking.ts';
import { findRegion } from './regions.ts';

export interface OrderParty {
  name: string;
  phone: string;
  /** 6-digit county-level region code (GB/T 2260). */
  regionCode: string;
  /** Street, building, unit and room within the region: 幸福小区1栋2单元301. */
  address: string;
}

export const PICKUP_SLOTS = ['morning', 'afternoon', 'evening'] as const;
export type PickupSlot = (typeof PICKUP_SLOTS)[number];
export const PICKUP_SLOT_NAMES: Record<PickupSlot, { zh: string; hours: string }> = {
  morning: { zh: '上午', hours: '09:00–12:00' },
  afternoon: { zh: '下午', hours: '13:00–18:00' },
  evening: { zh: '晚上', hours: '18:00–21:00' },
};

export interface FieldError {
  field: string;
  message: string;
}

/** The parties of an order with phones normalised, or what is wrong with them. */
export function checkParties(parties: { sender: OrderParty; receiver: OrderParty }): { ok: true; sender: OrderParty; receiver: OrderParty } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const clean = (role: 'sender' | 'receiver', p: OrderParty): OrderParty => {
    const name = p.name.trim();
    if (name.length === 0) errors.push({ field: `${role}.name`, message: `${role}.name is empty` });
    const phone = normalizePhone(p.phone);
    if (phone === null) errors.push({ field: `${role}.phone`, message: `${role}.phone "${p.phone}" is not a mainland mobile or landline number` });
    const region = findRegion(p.regionCode);
    if (region === null) errors.push({ field: `${role}.regionCode`, message: `${role}.regionCode ${p.regionCode} is not a known region code` });
    else if (region.level !== 'county') errors.push({ field: `${role}.regionCode`, message: `${role}.regionCode ${p.regionCode} is a ${region.level} (${region.fullName}); pick-up and delivery need the district or county` });
    const address = p.address.trim();
    if (Array.from(address).length < 4) errors.push({ field: `${role}.address`, message: `${role}.address is too short to find the door: give street, building and room` });
    return { name, phone: phone ?? p.phone, regionCode: p.regionCode, address };
  };
  const sender = clean('sender', parties.sender);
  const receiver = clean('receiver', parties.receiver);
  return errors.length ? { ok: false, errors } : { ok: true, sender, receiver };
}

export interface ReadBackInput {
  sender: OrderParty;
  receiver: OrderParty;
  item: string;
  chargeableWeightKg: number;
  productNameZh: string;
  total: number;
  insured: boolean;
  declaredValue: number | null;
  pickup: { date: string; slot: PickupSlot } | null;
  /** e.g. 「预计11月25日至11月27日送达」 from the delivery estimate. */
  estimateZh: string | null;
}

/** A region's full name (北京市朝阳区) for reading an address aloud; the code itself if unknown. */
function place(code: string): string {
  return findRegion(code)?.fullName ?? code;
}

const yuan = (v: number): string => (Number.isInteger(v) ? String(v) : v.toFixed(2));

/**
 * The confirmation the agent reads back, as seed 000 words it: the sender's address, the receiver
 * and their phone (masked as the seed shows, 138****1234), then what is sent, how, and the price.
 */
export function readBack(o: ReadBackInput): { zh: string; lines: { label: string; value: string }[] } {
  const senderAddress = `${place(o.sender.regionCode)}${o.sender.address}`;
  const receiverAddress = `${place(o.receiver.regionCode)}${o.receiver.address}`;
  const lines = [
    { label: '寄件人', value: `${o.sender.name},${maskPhone(o.sender.phone)}` },
    { label: '寄件地址', value: senderAddress },
    { label: '收件人', value: `${o.receiver.name},${maskPhone(o.receiver.phone)}` },
    { label: '收件地址', value: receiverAddress },
    { label: '物品', value: o.item },
    { label: '服务', value: `${o.productNameZh},计费重量${o.chargeableWeightKg}公斤` },
    { label: '费用', value: `${yuan(o.total)}元${o.insured && o.declaredValue ? `(含保价,保价金额${yuan(o.declaredValue)}元)` : ''}` },
  ];
  if (o.pickup) lines.push({ label: '上门取件', value: `${o.pickup.date} ${PICKUP_SLOT_NAMES[o.pickup.slot].zh}(${PICKUP_SLOT_NAMES[o.pickup.slot].hours})` });
  if (o.estimateZh) lines.push({ label: '预计送达', value: o.estimateZh });
  const zh =
    `您的寄件地址是${senderAddress},收件人是${o.receiver.name},电话是${maskPhone(o.receiver.phone)},收件地址是${receiverAddress};` +
    `寄的是${o.item},${o.productNameZh},费用${yuan(o.total)}元` +
    (o.pickup ? `,${o.pickup.date}${PICKUP_SLOT_NAMES[o.pickup.slot].zh}会有师傅上门取件` : '') +
    ',对吗?';
  return { zh, lines };
}

export const ORDER_STATUSES = ['draft', 'confirmed', 'picked_up', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
export type OrderAction = 'confirm' | 'cancel' | 'pick_up';

const ORDER_MOVES: Record<OrderAction, { from: readonly OrderStatus[]; to: OrderStatus }> = {
  // The customer said 「对」 to the read-back: the pick-up is requested.
  confirm: { from: ['draft'], to: 'confirmed' },
  cancel: { from: ['draft', 'confirmed'], to: 'cancelled' },
  // The courier scanned the parcel (the operations system's first event for its waybill).
  pick_up: { from: ['confirmed'], to: 'picked_up' },
};

const ORDER_ACTION_PAST: Record<OrderAction, string> = { confirm: 'confirmed', cancel: 'cancelled', pick_up: 'picked up' };

export function orderTransition(from: OrderStatus, action: OrderAction): { ok: true; value: OrderStatus } | { ok: false; reason: string } {
  const m = ORDER_MOVES[action];
  if (m.from.includes(from)) return { ok: true, value: m.to };
  return { ok: false, reason: `a ${from} order cannot be ${ORDER_ACTION_PAST[action]}; only a ${m.from.join(' or ')} order can` };
}

/** A pick-up date must be today or within the next 7 days (local dates, "YYYY-MM-DD"). */
export function checkPickupDate(date: string, today: string, horizonDays = 7): string | null {
  const ms = Date.parse(`${date}T00:00:00Z`);
  // Date.parse rolls 2026-02-30 over to March; a real date survives the round trip.
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== date) return `pickup.date "${date}" is not a date (YYYY-MM-DD)`;
  const days = Math.round((ms - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
  if (days < 0) return `pickup.date ${date} is in the past (today is ${today})`;
  if (days > horizonDays) return `pickup.date ${date} is more than ${horizonDays} days ahead`;
  return null;
}
