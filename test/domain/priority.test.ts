import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SPECIAL_GROUPS,
  DEFAULT_URGENT_GOODS,
  PRIORITIES,
  derivePriority,
  maxPriority,
} from '../../src/domain/priority.ts';
import type { Priority, SpecialGroupRule, UrgentGoodsRule } from '../../src/domain/priority.ts';

const DEFAULTS = { groups: DEFAULT_SPECIAL_GROUPS, goods: DEFAULT_URGENT_GOODS };

describe('maxPriority', () => {
  it.each<[Priority, Priority, Priority]>([
    ['low', 'low', 'low'],
    ['low', 'normal', 'normal'],
    ['normal', 'low', 'normal'],
    ['normal', 'high', 'high'],
    ['high', 'normal', 'high'],
    ['high', 'urgent', 'urgent'],
    ['urgent', 'low', 'urgent'],
    ['urgent', 'urgent', 'urgent'],
  ])('max(%s, %s) = %s', (a, b, expected) => {
    expect(maxPriority(a, b)).toBe(expected);
  });

  it('PRIORITIES are ordered lowest first', () => {
    expect(PRIORITIES).toEqual(['low', 'normal', 'high', 'urgent']);
  });
});

describe('default rules', () => {
  it.each<[string, string, Priority, string]>([
    ['elderly', '老年人', 'high', '语速放慢'],
    ['pregnant', '孕妇', 'high', '孕妇优先'],
    ['hearing_impaired', '听障', 'high', '文字或手语'],
    ['visually_impaired', '视障', 'high', '描述包裹外观'],
    ['disabled', '行动不便', 'high', '送货上门'],
  ])('special group %s (%s) raises to %s with notes mentioning %s', (code, nameZh, raiseTo, fragment) => {
    const rule = DEFAULT_SPECIAL_GROUPS.find((g) => g.code === code);
    expect(rule).toMatchObject({ code, nameZh, raiseTo });
    expect(rule?.serviceNotesZh).toContain(fragment);
    expect(rule?.serviceNotesEn.length).toBeGreaterThan(20);
  });

  it('the elderly are also offered door-to-door delivery', () => {
    expect(DEFAULT_SPECIAL_GROUPS.find((g) => g.code === 'elderly')?.serviceNotesZh).toContain('送货上门');
  });

  it.each<[string, Priority, string[]]>([
    ['medical', 'urgent', ['药', '医疗', '疫苗', '血液']],
    ['fresh', 'high', ['生鲜', '海鲜', '水果', '冷链']],
  ])('urgent goods %s raises to %s with keywords including %j', (code, raiseTo, keywords) => {
    const rule = DEFAULT_URGENT_GOODS.find((g) => g.code === code);
    expect(rule?.raiseTo).toBe(raiseTo);
    expect(rule?.keywords).toEqual(expect.arrayContaining(keywords));
  });
});

type Expected = { priority: Priority; reasons: [string, string, Priority][]; notes: string[] };

describe('derivePriority with the default rules', () => {
  it.each<[string, { requested: Priority; specialGroups: string[]; goods: string[]; text?: string }, Expected]>([
    ['nothing special', { requested: 'normal', specialGroups: [], goods: [] }, { priority: 'normal', reasons: [], notes: [] }],
    ['low stays low', { requested: 'low', specialGroups: [], goods: [], text: '查询快递到哪了' }, { priority: 'low', reasons: [], notes: [] }],
    [
      'elderly raises normal to high',
      { requested: 'normal', specialGroups: ['elderly'], goods: [] },
      { priority: 'high', reasons: [['special_group', 'elderly', 'high']], notes: ['elderly'] },
    ],
    [
      'pregnant raises low to high',
      { requested: 'low', specialGroups: ['pregnant'], goods: [] },
      { priority: 'high', reasons: [['special_group', 'pregnant', 'high']], notes: ['pregnant'] },
    ],
    [
      'a special group never lowers urgent, but is still flagged',
      { requested: 'urgent', specialGroups: ['disabled'], goods: [] },
      { priority: 'urgent', reasons: [['special_group', 'disabled', 'high']], notes: ['disabled'] },
    ],
    [
      'several groups, reported in rule order with notes',
      { requested: 'normal', specialGroups: ['visually_impaired', 'elderly', 'hearing_impaired'], goods: [] },
      {
        priority: 'high',
        reasons: [
          ['special_group', 'elderly', 'high'],
          ['special_group', 'hearing_impaired', 'high'],
          ['special_group', 'visually_impaired', 'high'],
        ],
        notes: ['elderly', 'hearing_impaired', 'visually_impaired'],
      },
    ],
    [
      'duplicate group codes count once',
      { requested: 'normal', specialGroups: ['elderly', 'elderly'], goods: [] },
      { priority: 'high', reasons: [['special_group', 'elderly', 'high']], notes: ['elderly'] },
    ],
    ['unknown group codes are ignored', { requested: 'normal', specialGroups: ['vip', 'ELDERLY'], goods: [] }, { priority: 'normal', reasons: [], notes: [] }],
    [
      'medical goods by code',
      { requested: 'normal', specialGroups: [], goods: ['medical'] },
      { priority: 'urgent', reasons: [['urgent_goods', 'medical', 'urgent']], notes: [] },
    ],
    [
      'fresh goods by code',
      { requested: 'low', specialGroups: [], goods: ['fresh'] },
      { priority: 'high', reasons: [['urgent_goods', 'fresh', 'high']], notes: [] },
    ],
    ['unknown goods codes are ignored', { requested: 'normal', specialGroups: [], goods: ['electronics'] }, { priority: 'normal', reasons: [], notes: [] }],
    [
      'medical goods by keyword 疫苗',
      { requested: 'normal', specialGroups: [], goods: [], text: '我寄的是狂犬疫苗,很急' },
      { priority: 'urgent', reasons: [['urgent_goods', 'medical', 'urgent']], notes: [] },
    ],
    [
      'medical goods by keyword 药',
      { requested: 'normal', specialGroups: [], goods: [], text: '包裹里是降压药' },
      { priority: 'urgent', reasons: [['urgent_goods', 'medical', 'urgent']], notes: [] },
    ],
    [
      'fresh goods by keyword 海鲜',
      { requested: 'normal', specialGroups: [], goods: [], text: '大闸蟹海鲜礼盒还没到' },
      { priority: 'high', reasons: [['urgent_goods', 'fresh', 'high']], notes: [] },
    ],
    [
      'English keywords match case-insensitively',
      { requested: 'normal', specialGroups: [], goods: [], text: 'Parcel contains INSULIN and Seafood' },
      {
        priority: 'urgent',
        reasons: [
          ['urgent_goods', 'medical', 'urgent'],
          ['urgent_goods', 'fresh', 'high'],
        ],
        notes: [],
      },
    ],
    [
      'a code and a keyword for the same goods count once',
      { requested: 'normal', specialGroups: [], goods: ['fresh'], text: '冷链水果' },
      { priority: 'high', reasons: [['urgent_goods', 'fresh', 'high']], notes: [] },
    ],
    [
      'group and goods together: the highest wins',
      { requested: 'low', specialGroups: ['pregnant'], goods: [], text: '寄的是医疗器械' },
      {
        priority: 'urgent',
        reasons: [
          ['special_group', 'pregnant', 'high'],
          ['urgent_goods', 'medical', 'urgent'],
        ],
        notes: ['pregnant'],
      },
    ],
    ['text without keywords raises nothing', { requested: 'high', specialGroups: [], goods: [], text: '衣服和鞋子' }, { priority: 'high', reasons: [], notes: [] }],
  ])('%s', (_name, input, expected) => {
    const r = derivePriority(input, DEFAULTS);
    expect(r.priority).toBe(expected.priority);
    expect(r.reasons).toEqual(expected.reasons.map(([kind, code, raiseTo]) => ({ kind, code, raiseTo })));
    expect(r.notes.map((n) => n.code)).toEqual(expected.notes);
  });

  it('notes carry both languages of the group rule', () => {
    const r = derivePriority({ requested: 'normal', specialGroups: ['hearing_impaired'], goods: [] }, DEFAULTS);
    expect(r.notes).toEqual([
      {
        code: 'hearing_impaired',
        zh: '使用文字或手语沟通(在线文字、短信),确认客户已经理解。',
        en: 'Communicate in text or sign language (online chat, SMS) and check that the customer has understood.',
      },
    ]);
  });
});

describe('derivePriority with custom rules (rules are data)', () => {
  const groups: SpecialGroupRule[] = [
    { code: 'vip', nameZh: '贵宾', nameEn: 'VIP', raiseTo: 'normal', serviceNotesZh: '专人跟进', serviceNotesEn: 'Dedicated follow-up' },
  ];
  const goods: UrgentGoodsRule[] = [
    { code: 'docs', nameZh: '证件', nameEn: 'Documents', raiseTo: 'urgent', keywords: ['护照', 'passport', ''] },
  ];

  it.each<[Priority, string[], string[], string | undefined, Priority, string[]]>([
    ['low', ['vip'], [], undefined, 'normal', ['vip']],
    ['high', ['vip'], [], undefined, 'high', ['vip']],
    ['low', [], [], '我的护照', 'urgent', ['docs']],
    ['low', [], [], 'my Passport', 'urgent', ['docs']],
    // an empty keyword must not match every text
    ['low', [], [], '衣服', 'low', []],
    // default codes mean nothing under custom rules
    ['low', ['elderly'], ['medical'], '药', 'low', []],
  ])('requested %s, groups %j, goods %j, text %j → %s', (requested, specialGroups, goodsCodes, text, priority, codes) => {
    const r = derivePriority({ requested, specialGroups, goods: goodsCodes, ...(text === undefined ? {} : { text }) }, { groups, goods });
    expect(r.priority).toBe(priority);
    expect(r.reasons.map((x) => x.code)).toEqual(codes);
  });
});
