/**
 * Reference data every installation starts with, taken from SPEC's defaults: ticket types (T1),
 * categories, business calendars with the 2026 Chinese holidays, and the SLA policies of T5.
 * Idempotent: existing rows (possibly edited by an admin) are left alone.
 */
import { withTx, type Database, type Tx } from './database.ts';
import { chinaStandardCalendar, weekdayCalendar } from '../domain/business-hours.ts';
import type { StartEvent, StopEvent } from '../services/sla/clocks.ts';
import { seedShipmentStatusCodes } from '../services/shipments/status-codes.ts';
import { seedKnowledgeBase } from './seed-kb.ts';

export const TICKET_TYPES: [code: string, zh: string, en: string][] = [
  ['consultation', '咨询', 'Consultation'],
  ['order', '下单', 'Order pick-up'],
  ['tracking', '查件', 'Tracking query'],
  ['problem_shipment', '问题件', 'Problem shipment'],
  ['complaint', '投诉', 'Complaint'],
  ['appeal', '申诉(12305)', 'Postal bureau appeal (12305)'],
  ['suggestion', '建议', 'Suggestion'],
  ['after_sales', '售后', 'After-sales'],
  ['privacy_request', '隐私请求', 'Privacy request'],
];

/** [code, parentCode, zh, en, ticketType, skill] */
const CATEGORIES: [string, string | null, string, string, string | null, string | null][] = [
  ['consult', null, '咨询', 'Consultation', 'consultation', null],
  ['consult.price', 'consult', '资费咨询', 'Prices', 'consultation', null],
  ['consult.time', 'consult', '时效咨询', 'Delivery times', 'consultation', null],
  ['consult.prohibited', 'consult', '禁寄物品咨询', 'Prohibited items', 'consultation', null],
  ['order.pickup', null, '预约取件', 'Pick-up booking', 'order', null],
  ['tracking.query', null, '查询快件', 'Where is my parcel', 'tracking', null],
  ['problem', null, '问题件', 'Problem shipments', 'problem_shipment', 'problem'],
  ['problem.delay', 'problem', '延误', 'Delay', 'problem_shipment', 'problem'],
  ['problem.loss', 'problem', '丢失', 'Loss', 'problem_shipment', 'problem'],
  ['problem.damage', 'problem', '破损', 'Damage', 'problem_shipment', 'problem'],
  ['complaint', null, '投诉', 'Complaints', 'complaint', 'complaint'],
  ['complaint.service', 'complaint', '服务态度', 'Service attitude', 'complaint', 'complaint'],
  ['complaint.locker', 'complaint', '未经同意投递驿站/快递柜', 'Locker/station delivery without consent', 'complaint', 'complaint'],
  ['complaint.delivery', 'complaint', '未送货上门', 'Not delivered to the door', 'complaint', 'complaint'],
  ['after_sales', null, '售后', 'After-sales', 'after_sales', null],
  ['after_sales.product', 'after_sales', '产品售后', 'Product after-sales', 'after_sales', null],
  ['after_sales.logistics', 'after_sales', '物流售后', 'Logistics after-sales', 'after_sales', null],
  ['after_sales.return', 'after_sales', '退换货', 'Return / exchange', 'after_sales', null],
  ['suggestion', null, '建议', 'Suggestions', 'suggestion', null],
  ['privacy', null, '个人信息请求', 'Personal data requests', 'privacy_request', null],
  ['appeal.12305', null, '12305 申诉', '12305 appeal', 'appeal', 'complaint'],
];

interface PolicySeed {
  clock: string;
  zh: string;
  en: string;
  minutes: number;
  mode: 'business' | 'calendar';
  calendar?: 'cn-service' | 'cn-workdays';
  startsOn: StartEvent;
  stopsOn: StopEvent;
  type?: string;
  channel?: string;
  category?: string;
  priority?: string;
}

const H = 60;
const D = 24 * H;

/** SPEC T5 (and N for appeals). Every number here is only the default an admin can edit. */
export const SLA_POLICY_SEEDS: PolicySeed[] = [
  { clock: 'first_response', zh: '首次响应', en: 'Initial response', minutes: 24 * H, mode: 'calendar', startsOn: 'ticket_created', stopsOn: 'agent_reply' },
  { clock: 'first_response', zh: '在线首次回复(60 秒)', en: 'Online chat first reply (60 s)', minutes: 1, mode: 'calendar', channel: 'chat', startsOn: 'ticket_created', stopsOn: 'agent_reply' },
  { clock: 'next_response', zh: '后续响应(平均 ≤30 分钟)', en: 'Next response (≤ 30 min)', minutes: 30, mode: 'business', calendar: 'cn-service', startsOn: 'customer_message', stopsOn: 'agent_reply' },
  { clock: 'resolution', zh: '一般问题处理', en: 'Resolution', minutes: 3 * D, mode: 'calendar', startsOn: 'ticket_created', stopsOn: 'resolved' },
  { clock: 'resolution', zh: '投诉答复(≤48 小时)', en: 'Complaint reply (≤ 48 h)', minutes: 48 * H, mode: 'calendar', type: 'complaint', startsOn: 'ticket_created', stopsOn: 'resolved' },
  { clock: 'resolution', zh: '12305 申诉答复(7 天)', en: '12305 appeal answer (7 days)', minutes: 7 * D, mode: 'calendar', type: 'appeal', startsOn: 'ticket_created', stopsOn: 'resolved' },
  { clock: 'resolution', zh: '物流跟进(3 天内完成)', en: 'Logistics follow-up (3 days)', minutes: 3 * D, mode: 'calendar', type: 'problem_shipment', startsOn: 'ticket_created', stopsOn: 'resolved' },
  { clock: 'resolution', zh: '产品售后(7 天内完成)', en: 'Product after-sales (7 days)', minutes: 7 * D, mode: 'calendar', category: 'after_sales.product', startsOn: 'ticket_created', stopsOn: 'resolved' },
  { clock: 'courier_contact', zh: '延误件优先派件:快递员 1 小时内联系客户', en: 'Delay, priority delivery: courier calls the customer within 1 h', minutes: 60, mode: 'calendar', startsOn: 'priority_delivery_requested', stopsOn: 'courier_contacted' },
  { clock: 'escalation_reply', zh: '上级部门答复(24 小时)', en: 'Escalation answered (24 h)', minutes: 24 * H, mode: 'calendar', startsOn: 'escalated', stopsOn: 'escalation_answered' },
  { clock: 'return_visit', zh: '处理后 24 小时内回访', en: 'Return visit within 24 h', minutes: 24 * H, mode: 'calendar', startsOn: 'resolved', stopsOn: 'customer_notified' },
  { clock: 'compensation_payment', zh: '赔付(3 个工作日内)', en: 'Compensation paid (3 working days)', minutes: 3 * 9 * H, mode: 'business', calendar: 'cn-workdays', startsOn: 'claim_agreed', stopsOn: 'claim_paid' },
];

export async function seedDefaults(db: Database): Promise<void> {
  await withTx(db, async (tx) => {
    for (const [code, zh, en] of TICKET_TYPES) {
      await tx.query('INSERT INTO ticket_types (code, name_zh, name_en, sort) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [code, zh, en, TICKET_TYPES.findIndex((t) => t[0] === code)]);
    }
    for (const [i, [code, parent, zh, en, type, skill]] of CATEGORIES.entries()) {
      await tx.query(
        `INSERT INTO categories (code, parent_id, name_zh, name_en, ticket_type, skill, sort)
         VALUES ($1, (SELECT id FROM categories WHERE code = $2), $3, $4, $5, $6, $7) ON CONFLICT (code) DO NOTHING`,
        [code, parent, zh, en, type, skill, i],
      );
    }
    await tx.query(`INSERT INTO calendars (code, name, definition) VALUES ('cn-service', '客服中心服务时间(含 2026 法定节假日)', $1) ON CONFLICT (code) DO NOTHING`, [JSON.stringify(chinaStandardCalendar())]);
    await tx.query(`INSERT INTO calendars (code, name, definition) VALUES ('cn-workdays', '工作日(含 2026 法定节假日与调休)', $1) ON CONFLICT (code) DO NOTHING`, [JSON.stringify(weekdayCalendar())]);
    const seeded = await tx.query('SELECT 1 FROM sla_policies LIMIT 1');
    if (!seeded.rowCount) await seedPolicies(tx);
    await seedShipmentStatusCodes(tx);
    await seedKnowledgeBase(tx);
  });
}

async function seedPolicies(tx: Tx): Promise<void> {
  for (const p of SLA_POLICY_SEEDS) {
    await tx.query(
      `INSERT INTO sla_policies (clock, name_zh, name_en, ticket_type, priority, channel, category_code, target_minutes, mode, calendar_id, starts_on, stops_on)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, (SELECT id FROM calendars WHERE code = $10), $11, $12)`,
      [p.clock, p.zh, p.en, p.type ?? null, p.priority ?? null, p.channel ?? null, p.category ?? null, p.minutes, p.mode, p.calendar ?? null, p.startsOn, p.stopsOn],
    );
  }
}
