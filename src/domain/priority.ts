// Ticket priority from urgency and customer (SPEC T3): urgent goods and special customer groups
// raise priority, and a special group's service notes are shown to every agent who opens the ticket.
// The rules are data (defaults below); an admin edits them.

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

export interface SpecialGroupRule {
  code: string;
  nameZh: string;
  nameEn: string;
  raiseTo: Priority;
  serviceNotesZh: string;
  serviceNotesEn: string;
}

export interface UrgentGoodsRule {
  code: string;
  nameZh: string;
  nameEn: string;
  raiseTo: Priority;
  keywords: string[];
}

export const DEFAULT_SPECIAL_GROUPS: SpecialGroupRule[] = [
  {
    code: 'elderly',
    nameZh: '老年人',
    nameEn: 'Elderly',
    raiseTo: 'high',
    serviceNotesZh: '语速放慢、耐心倾听、重要信息重复确认;可提供送货上门服务。',
    serviceNotesEn: 'Speak slowly, listen patiently and repeat important information to confirm it; offer door-to-door delivery.',
  },
  {
    code: 'pregnant',
    nameZh: '孕妇',
    nameEn: 'Pregnant',
    raiseTo: 'high',
    serviceNotesZh: '孕妇优先:优先受理、优先派送,提供送货上门,不让客户搬运重物。',
    serviceNotesEn: 'Pregnant customers first: handle and deliver with priority, offer door-to-door delivery, never ask the customer to carry heavy parcels.',
  },
  {
    code: 'hearing_impaired',
    nameZh: '听障',
    nameEn: 'Hearing impaired',
    raiseTo: 'high',
    serviceNotesZh: '使用文字或手语沟通(在线文字、短信),确认客户已经理解。',
    serviceNotesEn: 'Communicate in text or sign language (online chat, SMS) and check that the customer has understood.',
  },
  {
    code: 'visually_impaired',
    nameZh: '视障',
    nameEn: 'Visually impaired',
    raiseTo: 'high',
    serviceNotesZh: '向客户描述包裹外观(大小、颜色、包装),逐项读出重要信息。',
    serviceNotesEn: 'Describe the parcel to the customer (size, colour, packaging) and read out important information item by item.',
  },
  {
    code: 'disabled',
    nameZh: '行动不便',
    nameEn: 'Limited mobility',
    raiseTo: 'high',
    serviceNotesZh: '提供上门取件/送货上门服务。',
    serviceNotesEn: 'Offer door-to-door pick-up and delivery.',
  },
];

export const DEFAULT_URGENT_GOODS: UrgentGoodsRule[] = [
  {
    code: 'medical',
    nameZh: '医疗物资/药品',
    nameEn: 'Medical supplies / medicine',
    raiseTo: 'urgent',
    keywords: ['药', '医疗', '医用', '疫苗', '血液', '血浆', '胰岛素', '急救', 'medicine', 'medical', 'vaccine', 'insulin', 'blood'],
  },
  {
    code: 'fresh',
    nameZh: '生鲜',
    nameEn: 'Fresh food',
    raiseTo: 'high',
    keywords: ['生鲜', '海鲜', '水果', '冷链', '冷冻', '鲜活', '鲜花', 'fresh food', 'seafood', 'fruit', 'cold chain'],
  },
];

export function maxPriority(a: Priority, b: Priority): Priority {
  return PRIORITIES.indexOf(a) >= PRIORITIES.indexOf(b) ? a : b;
}

export interface PriorityReason {
  kind: 'special_group' | 'urgent_goods';
  code: string;
  raiseTo: Priority;
}

export interface ServiceNote {
  code: string;
  zh: string;
  en: string;
}

/**
 * The ticket's priority: the requested one, raised (never lowered) by every matching special group
 * and urgent-goods rule. Goods match by explicit code or by a keyword in `text` (case-insensitive).
 * Unknown codes are ignored. Reasons list every matching rule, in rule order, even one that does not
 * raise the priority further: the flag is shown to agents either way.
 */
export function derivePriority(
  input: { requested: Priority; specialGroups: string[]; goods: string[]; text?: string },
  rules: { groups: SpecialGroupRule[]; goods: UrgentGoodsRule[] },
): { priority: Priority; reasons: PriorityReason[]; notes: ServiceNote[] } {
  const groupCodes = new Set(input.specialGroups);
  const goodsCodes = new Set(input.goods);
  const text = (input.text ?? '').toLowerCase();

  let priority = input.requested;
  const reasons: PriorityReason[] = [];
  const notes: ServiceNote[] = [];

  for (const g of rules.groups) {
    if (!groupCodes.has(g.code)) continue;
    priority = maxPriority(priority, g.raiseTo);
    reasons.push({ kind: 'special_group', code: g.code, raiseTo: g.raiseTo });
    notes.push({ code: g.code, zh: g.serviceNotesZh, en: g.serviceNotesEn });
  }

  for (const r of rules.goods) {
    const matched =
      goodsCodes.has(r.code) ||
      (text !== '' && r.keywords.some((k) => k !== '' && text.includes(k.toLowerCase())));
    if (!matched) continue;
    priority = maxPriority(priority, r.raiseTo);
    reasons.push({ kind: 'urgent_goods', code: r.code, raiseTo: r.raiseTo });
  }

  return { priority, reasons, notes };
}
