import { describe, expect, it } from 'vitest';
import { checkItem, DEFAULT_ITEM_CATALOGUE, normalizeText, type CatalogueEntry, type Verdict } from '../../../src/domain/express/item-check.ts';

const check = (d: string) => checkItem(d, DEFAULT_ITEM_CATALOGUE);

/** [description, verdict, category (null when allowed)] — labelled by hand. */
const LABELLED: [string, Verdict, string | null][] = [
  // prohibited: the national categories
  ['一把仿真手枪', 'prohibited', 'firearms'],
  ['气枪及配件', 'prohibited', 'firearms'],
  ['猎枪枪管', 'prohibited', 'firearms'],
  ['一盒子弹', 'prohibited', 'firearms'],
  ['军用匕首一把', 'prohibited', 'controlled_knives'],
  ['弹簧刀', 'prohibited', 'controlled_knives'],
  ['复合弓弩', 'prohibited', 'controlled_knives'],
  ['春节烟花爆竹', 'prohibited', 'explosives'],
  ['一挂鞭炮', 'prohibited', 'explosives'],
  ['工程用雷管', 'prohibited', 'explosives'],
  ['氧气瓶', 'prohibited', 'compressed_gases'],
  ['灭火器两个', 'prohibited', 'compressed_gases'],
  ['卡式炉气罐 4 罐', 'prohibited', 'compressed_gases'],
  ['防晒喷雾罐(气雾剂)', 'prohibited', 'compressed_gases'],
  ['汽油一桶', 'prohibited', 'flammable_liquids'],
  ['火机两个', 'prohibited', 'flammable_liquids'],
  ['杀虫喷雾', 'prohibited', 'compressed_gases'],
  ['84消毒液 2 瓶', 'prohibited', 'corrosives'],
  ['75%医用酒精 500ml', 'prohibited', 'flammable_liquids'],
  ['一次性打火机20个', 'prohibited', 'flammable_liquids'],
  ['油漆和稀释剂', 'prohibited', 'flammable_liquids'],
  ['ZIPPO油', 'prohibited', 'flammable_liquids'],
  ['火柴十盒', 'prohibited', 'flammable_solids'],
  ['硫磺粉', 'prohibited', 'flammable_solids'],
  ['固体酒精块', 'prohibited', 'flammable_solids'],
  ['高锰酸钾溶液', 'prohibited', 'oxidizers'],
  ['双氧水', 'prohibited', 'oxidizers'],
  ['老鼠药', 'prohibited', 'toxic'],
  ['农药敌敌畏', 'prohibited', 'toxic'],
  ['水银温度计里的水银', 'prohibited', 'toxic'],
  ['医院的血液样本', 'prohibited', 'infectious'],
  ['实验室菌种', 'prohibited', 'infectious'],
  ['放射源', 'prohibited', 'radioactive'],
  ['浓硫酸', 'prohibited', 'corrosives'],
  ['汽车铅酸蓄电池', 'prohibited', 'corrosives'],
  ['电动车电瓶', 'prohibited', 'corrosives'],
  ['烧碱 25kg', 'prohibited', 'corrosives'],
  ['大麻叶', 'prohibited', 'narcotics'],
  ['K粉', 'prohibited', 'narcotics'],
  ['罂粟壳(火锅底料用)', 'prohibited', 'narcotics'],
  ['盗版光盘 100 张', 'prohibited', 'illegal_publications'],
  ['淫秽书刊', 'prohibited', 'illegal_publications'],
  ['针孔摄像头', 'prohibited', 'spy_equipment'],
  ['假币', 'prohibited', 'counterfeit'],
  ['高仿名牌包', 'prohibited', 'counterfeit'],
  ['假身份证', 'prohibited', 'counterfeit'],
  ['象牙手镯', 'prohibited', 'wildlife'],
  ['犀牛角杯', 'prohibited', 'wildlife'],
  ['穿山甲片(中药)', 'prohibited', 'wildlife'],
  ['红珊瑚项链', 'prohibited', 'wildlife'],
  // restricted
  ['充电宝 20000mAh', 'restricted', 'lithium_batteries'],
  ['USB充电打火机', 'restricted', 'lithium_batteries'],
  ['电子打火机', 'restricted', 'lithium_batteries'],
  ['活海鲜', 'restricted', 'live_animals'],
  ['移动电源', 'restricted', 'lithium_batteries'],
  ['无人机锂电池两块', 'restricted', 'lithium_batteries'],
  ['蓝牙耳机(含电池)', 'restricted', 'lithium_batteries'],
  ['香水 50ml', 'restricted', 'perfume_cosmetics'],
  ['花露水', 'restricted', 'perfume_cosmetics'],
  ['指甲油三瓶', 'restricted', 'perfume_cosmetics'],
  ['两瓶茅台', 'restricted', 'liquor'],
  ['进口红酒一箱', 'restricted', 'liquor'],
  ['精酿啤酒 6 罐', 'restricted', 'liquor'],
  ['现金两万元', 'restricted', 'cash_valuables'],
  ['金条', 'restricted', 'cash_valuables'],
  ['钻石戒指', 'restricted', 'cash_valuables'],
  ['宠物猫一只', 'restricted', 'live_animals'],
  ['活体大闸蟹', 'restricted', 'live_animals'],
  ['观赏鱼', 'restricted', 'live_animals'],
  ['处方药', 'restricted', 'medicines'],
  ['感冒药和消炎胶囊', 'restricted', 'medicines'],
  ['胰岛素注射液', 'restricted', 'medicines'],
  ['电子烟和烟弹', 'restricted', 'tobacco'],
  ['两条香烟', 'restricted', 'tobacco'],
  ['不锈钢菜刀', 'restricted', 'knives_tools'],
  ['钕铁硼强磁铁', 'restricted', 'magnets_liquids'],
  // allowed, including innocent text that contains a listed word
  ['衣服和鞋子', 'allowed', null],
  ['书籍三本', 'allowed', null],
  ['手机壳', 'allowed', null],
  ['打火机图案的T恤', 'allowed', null],
  ['印有手枪图案的海报', 'allowed', null],
  ['无酒精漱口水', 'allowed', null],
  ['不含酒精的爽肤水', 'allowed', null],
  ['遥控车(不含电池)', 'allowed', null],
  ['电动牙刷，电池已取出', 'allowed', null],
  ['玩具，不含任何电池', 'allowed', null],
  ['5号干电池', 'allowed', null],
  ['红酒杯一对', 'allowed', null],
  ['酒柜', 'allowed', null],
  ['茅台酒瓶(空瓶)', 'allowed', null],
  ['笔记本电脑', 'allowed', null],
  ['月饼礼盒', 'allowed', null],
  ['无醇啤酒', 'allowed', null],
  ['宠物粮 10kg', 'allowed', null],
  ['兔子玩偶', 'allowed', null],
  ['象牙白色的瓷碗', 'allowed', null],
  ['珊瑚绒毯子', 'allowed', null],
  ['虎皮凤爪 5 袋', 'allowed', null],
  ['虎皮地毯', 'prohibited', 'wildlife'],
  ['胶囊咖啡', 'allowed', null],
  ['咖啡胶囊', 'allowed', null],
  ['《枪炮、病菌与钢铁》一本', 'allowed', null],
  ['子弹头列车模型', 'allowed', null],
  ['黄金周旅游纪念品', 'allowed', null],
  ['酒精湿巾', 'allowed', null],
  ['机油滤芯', 'allowed', null],
  ['煤气灶', 'allowed', null],
  ['硫酸软骨素片', 'allowed', null],
  ['攀岩镁粉', 'allowed', null],
  ['火柴人贴纸', 'allowed', null],
  ['电瓶车座套', 'allowed', null],
  ['蚕丝被', 'allowed', null],
  ['高仿真绿植', 'allowed', null],
  ['除甲醛喷剂', 'allowed', null],
  ['刀具架', 'allowed', null],
  ['儿童玩具水枪', 'allowed', null],
];

describe('checkItem: labelled descriptions', () => {
  it('has at least 60 labelled cases, of every verdict', () => {
    expect(LABELLED.length).toBeGreaterThanOrEqual(60);
    for (const v of ['allowed', 'restricted', 'prohibited'] as const) expect(LABELLED.filter((x) => x[1] === v).length).toBeGreaterThan(15);
  });

  it.each(LABELLED)('%s → %s (%s)', (description, verdict, category) => {
    const r = check(description);
    expect(r.verdict, JSON.stringify(r.matches)).toBe(verdict);
    expect(r.category).toBe(category);
    if (verdict === 'allowed') {
      expect(r.matchedWords).toEqual([]);
      expect(r.rule).toBeNull();
    } else {
      expect(r.matchedWords.length).toBeGreaterThan(0);
      expect(r.reason.length).toBeGreaterThan(10);
      expect(r.rule).toBeTruthy();
    }
  });

  it('covers every category of the default catalogue', () => {
    const covered = new Set(LABELLED.map((x) => x[2]));
    for (const e of DEFAULT_ITEM_CATALOGUE) expect(covered, e.category).toContain(e.category);
  });
});

describe('checkItem: rules', () => {
  it('the most severe match wins and all matches are listed', () => {
    const r = check('充电宝和一瓶汽油');
    expect(r.verdict).toBe('prohibited');
    expect(r.category).toBe('flammable_liquids');
    expect(r.matches.map((m) => m.category)).toEqual(['flammable_liquids', 'lithium_batteries']);
  });
  it('cites the national list for prohibited items', () => {
    expect(check('雷管').rule).toBe('《禁止寄递物品指导目录》');
    expect(check('雷管').reason).toContain('不予收寄');
  });
  it('a negation only covers its own clause', () => {
    expect(check('不含电池，另附充电宝一个').verdict).toBe('restricted');
    expect(check('无糖白酒').verdict).toBe('restricted'); // 无 negates 糖, not 白酒
  });
  it('a word counted once per entry, all words of the entry listed', () => {
    expect(check('充电宝、移动电源、充电宝').matchedWords).toEqual(['充电宝', '移动电源']);
  });
  it('reports the longer of two overlapping words', () => {
    expect(check('打火机').matchedWords).toEqual(['打火机']);
    expect(check('一把火机和一个打火机').matchedWords).toEqual(['打火机']);
  });
  it('traditional characters are folded to simplified', () => {
    expect(normalizeText('充電寶與煙花')).toBe('充电宝與烟花');
    expect(check('充電寶').category).toBe('lithium_batteries');
    expect(check('春節煙花爆竹').category).toBe('explosives');
    expect(check('仿真手槍').category).toBe('firearms');
    expect(check('玩具(不含電池)').verdict).toBe('allowed');
  });
  it('full-width letters, spaces and case do not matter', () => {
    expect(check('ＺＩＰＰＯ 油').category).toBe('flammable_liquids');
    expect(check('T N T').category).toBe('explosives');
    expect(normalizeText('Ａ Ｂ　c')).toBe('abc');
  });
  it('an empty description is allowed with the general advice', () => {
    expect(check('')).toMatchObject({ verdict: 'allowed', reason: '未发现禁寄或限寄物品，可以寄递；请如实申报内件并接受收寄验视。' });
  });
  it('works with an admin-edited catalogue', () => {
    const custom: CatalogueEntry[] = [{ code: 'durian', category: 'smelly', nameZh: '榴莲', verdict: 'restricted', keywords: ['榴莲'], innocentAfter: ['糖'], reason: '航空件不收寄榴莲', rule: '企业规定' }];
    expect(checkItem('榴莲两个', custom)).toMatchObject({ verdict: 'restricted', category: 'smelly', reason: '航空件不收寄榴莲' });
    expect(checkItem('榴莲糖', custom).verdict).toBe('allowed');
    expect(checkItem('汽油', custom).verdict).toBe('allowed');
  });
});
