/**
 * Realistic shipments and tracking events, deterministic from a seed: real district codes of a
 * few dozen cities, named outlets (网点), sorting centres (分拣中心), national hubs, 驿站 and
 * parcel lockers, couriers, and routes created → picked_up → in_transit → at_sorting_centre … →
 * out_for_delivery → delivered, with failed deliveries, pickup lockers, exceptions, delays,
 * returns and losses. Events later than `now` are not emitted, so recent parcels are in flight.
 * Used by seed-demo and the tracking benchmark.
 */
import type { EventInput } from '../services/shipments/ingest-events.ts';
import type { ShipmentInput, ShipmentProduct } from '../services/shipments/ingest-shipments.ts';

export interface City {
  /** GB/T 2260 district code */
  code: string;
  city: string;
  district: string;
  /** The city's sorting centre */
  centre: string;
}

export const CITIES: readonly City[] = [
  { code: '110105', city: '北京市', district: '朝阳区', centre: '北京顺义分拣中心' },
  { code: '110108', city: '北京市', district: '海淀区', centre: '北京顺义分拣中心' },
  { code: '310115', city: '上海市', district: '浦东新区', centre: '上海青浦分拣中心' },
  { code: '310104', city: '上海市', district: '徐汇区', centre: '上海青浦分拣中心' },
  { code: '440305', city: '深圳市', district: '南山区', centre: '深圳宝安分拣中心' },
  { code: '440304', city: '深圳市', district: '福田区', centre: '深圳宝安分拣中心' },
  { code: '440106', city: '广州市', district: '天河区', centre: '广州白云分拣中心' },
  { code: '440104', city: '广州市', district: '越秀区', centre: '广州白云分拣中心' },
  { code: '441900', city: '东莞市', district: '南城街道', centre: '东莞常平分拣中心' },
  { code: '440604', city: '佛山市', district: '禅城区', centre: '佛山南海分拣中心' },
  { code: '330106', city: '杭州市', district: '西湖区', centre: '杭州萧山分拣中心' },
  { code: '330108', city: '杭州市', district: '滨江区', centre: '杭州萧山分拣中心' },
  { code: '330203', city: '宁波市', district: '海曙区', centre: '宁波鄞州分拣中心' },
  { code: '320106', city: '南京市', district: '鼓楼区', centre: '南京江宁分拣中心' },
  { code: '320505', city: '苏州市', district: '虎丘区', centre: '苏州相城分拣中心' },
  { code: '510107', city: '成都市', district: '武侯区', centre: '成都双流分拣中心' },
  { code: '510104', city: '成都市', district: '锦江区', centre: '成都双流分拣中心' },
  { code: '500103', city: '重庆市', district: '渝中区', centre: '重庆沙坪坝分拣中心' },
  { code: '420106', city: '武汉市', district: '武昌区', centre: '武汉东西湖分拣中心' },
  { code: '430104', city: '长沙市', district: '岳麓区', centre: '长沙望城分拣中心' },
  { code: '410105', city: '郑州市', district: '金水区', centre: '郑州航空港分拣中心' },
  { code: '610113', city: '西安市', district: '雁塔区', centre: '西安咸阳分拣中心' },
  { code: '120101', city: '天津市', district: '和平区', centre: '天津武清分拣中心' },
  { code: '370212', city: '青岛市', district: '崂山区', centre: '青岛城阳分拣中心' },
  { code: '370102', city: '济南市', district: '历下区', centre: '济南章丘分拣中心' },
  { code: '350203', city: '厦门市', district: '思明区', centre: '厦门集美分拣中心' },
  { code: '350102', city: '福州市', district: '鼓楼区', centre: '福州闽侯分拣中心' },
  { code: '340104', city: '合肥市', district: '蜀山区', centre: '合肥肥西分拣中心' },
  { code: '360102', city: '南昌市', district: '东湖区', centre: '南昌新建分拣中心' },
  { code: '130102', city: '石家庄市', district: '长安区', centre: '石家庄正定分拣中心' },
  { code: '210102', city: '沈阳市', district: '和平区', centre: '沈阳于洪分拣中心' },
  { code: '230102', city: '哈尔滨市', district: '道里区', centre: '哈尔滨平房分拣中心' },
  { code: '530102', city: '昆明市', district: '五华区', centre: '昆明呈贡分拣中心' },
  { code: '450103', city: '南宁市', district: '青秀区', centre: '南宁江南分拣中心' },
  { code: '520102', city: '贵阳市', district: '南明区', centre: '贵阳白云分拣中心' },
  { code: '620102', city: '兰州市', district: '城关区', centre: '兰州安宁分拣中心' },
  { code: '650102', city: '乌鲁木齐市', district: '天山区', centre: '乌鲁木齐米东分拣中心' },
  { code: '140105', city: '太原市', district: '小店区', centre: '太原晋源分拣中心' },
];

/** National transfer hubs for parcels between provinces, by the first digit of the province code. */
const HUBS: Record<string, string> = {
  '1': '北京顺义转运中心',
  '2': '沈阳于洪转运中心',
  '3': '上海青浦转运中心',
  '4': '郑州航空港转运中心',
  '5': '成都双流转运中心',
  '6': '西安咸阳转运中心',
};

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '罗', '高'];
const GIVEN = ['伟', '芳', '娜', '秀英', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀兰', '霞', '平', '刚', '桂英', '建华', '晓东'];
const ROADS = ['人民路', '建设路', '中山路', '解放路', '和平路', '文化路', '新华路', '长江路', '科技园路', '世纪大道', '滨江路', '学府路'];
const ESTATES = ['阳光花园', '幸福小区', '金色家园', '翠苑', '锦绣华庭', '世纪花园', '碧桂园', '万科城', '绿地新都会', '东方明珠苑'];
const ITEMS: [string, string[]][] = [
  ['衣服', []], ['书籍', []], ['手机壳', []], ['文件', []], ['茶叶', []], ['陶瓷杯', ['fragile']], ['玻璃花瓶', ['fragile']],
  ['降压药', ['medical']], ['胰岛素(冷藏)', ['medical', 'cold_chain']], ['大闸蟹', ['fresh', 'cold_chain']], ['水果', ['fresh']], ['冷冻水饺', ['cold_chain']],
  ['笔记本电脑', ['fragile']], ['儿童玩具', []], ['化妆品', []], ['运动鞋', []],
];
const FAIL_REASONS = ['电话无人接听', '收件人不在家', '地址不详', '收件人要求改天派送'];
const EXCEPTION_REASONS = ['天气原因滞留', '包装破损待核实', '分拣错误已转正确路线', '收件地址超区'];

/** mulberry32: small, fast, good enough for test data; the same seed gives the same parcels. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Scenario = 'delivered' | 'locker' | 'station' | 'failed_then_delivered' | 'exception' | 'stuck' | 'lost' | 'returned';
const SCENARIO_WEIGHTS: [Scenario, number][] = [
  ['delivered', 0.66], ['station', 0.08], ['locker', 0.06], ['failed_then_delivered', 0.06], ['exception', 0.05], ['stuck', 0.05], ['returned', 0.02], ['lost', 0.02],
];

export interface GeneratorOptions {
  seed: number;
  count: number;
  now: Date;
  /** Waybill = prefix + 10-digit serial starting at `firstSerial`. */
  waybillPrefix?: string;
  firstSerial?: number;
  /** Shipments are shipped up to this many days before now (default 10). */
  spreadDays?: number;
  /** Per parcel, by index: fixed phones, waybill, scenario or item (e.g. the demo customers' parcels). */
  fixed?: (i: number) => Partial<{ waybill: string; senderPhone: string; receiverPhone: string; scenario: Scenario; item: number; shippedHoursAgo: number }> | undefined;
}

export interface GeneratedShipment {
  shipment: ShipmentInput;
  events: EventInput[];
  scenario: Scenario;
}

const HOUR = 3600_000;

export function generateShipments(opts: GeneratorOptions): GeneratedShipment[] {
  const r = rng(opts.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const phone = (): string => `1${pick(['3', '5', '7', '8', '9'])}${String(Math.floor(r() * 1e9)).padStart(9, '0')}`;
  const name = (): string => pick(SURNAMES) + pick(GIVEN);
  const address = (c: City): string => `${c.city}${c.district}${pick(ROADS)}${1 + Math.floor(r() * 300)}号${pick(ESTATES)}${1 + Math.floor(r() * 20)}栋${1 + Math.floor(r() * 30)}0${1 + Math.floor(r() * 4)}`;
  const outlet = (c: City): string => `${c.city.replace('市', '')}${c.district}${pick(ROADS)}网点`;
  const courier = (): string => `${pick(SURNAMES)}师傅`;
  const prefix = opts.waybillPrefix ?? 'SD';
  const first = opts.firstSerial ?? 1;
  const spread = (opts.spreadDays ?? 10) * 24 * HOUR;
  const out: GeneratedShipment[] = [];

  for (let i = 0; i < opts.count; i++) {
    const fixed = opts.fixed?.(i) ?? {};
    const from = pick(CITIES);
    // A third of parcels stay in their province, a tenth in their city.
    const roll = r();
    const to = roll < 0.1 ? pick(CITIES.filter((c) => c.code.slice(0, 4) === from.code.slice(0, 4))) : roll < 0.3 ? pick(CITIES.filter((c) => c.code.slice(0, 2) === from.code.slice(0, 2))) : pick(CITIES);
    const sameCity = from.code.slice(0, 4) === to.code.slice(0, 4);
    const sameProvince = from.code.slice(0, 2) === to.code.slice(0, 2);
    const [item, flags] = ITEMS[fixed.item ?? Math.floor(r() * ITEMS.length)]!;
    const product: ShipmentProduct = flags.includes('cold_chain') ? 'cold_chain' : r() < 0.2 ? 'express' : 'standard';
    const days = sameCity ? 1 : sameProvince ? 2 : product === 'express' ? 2 : 3;
    const drawn = Math.floor(r() * spread) + HOUR;
    const shippedAt = opts.now.getTime() - (fixed.shippedHoursAgo !== undefined ? fixed.shippedHoursAgo * HOUR : drawn);
    // Promised by 20:00 China time (UTC+8) on the last day of the service's delivery time.
    const shippedDay = Math.floor((shippedAt + 8 * HOUR) / (24 * HOUR)) * 24 * HOUR - 8 * HOUR;
    const promisedAt = shippedDay + days * 24 * HOUR + 20 * HOUR;
    const weightKg = Math.round((0.2 + r() * r() * 20) * 10) / 10;
    const declared = r() < 0.25 ? Math.round(100 + r() * 4900) : null;
    let scenario: Scenario = fixed.scenario ?? 'delivered';
    if (!fixed.scenario) {
      let x = r();
      for (const [s, w] of SCENARIO_WEIGHTS) {
        if (x < w) {
          scenario = s;
          break;
        }
        x -= w;
      }
    }
    const waybill = fixed.waybill ?? `${prefix}${String(first + i).padStart(10, '0')}`;
    const shipment: ShipmentInput = {
      waybill,
      sender: { name: name(), phone: fixed.senderPhone ?? phone(), address: address(from) },
      receiver: { name: name(), phone: fixed.receiverPhone ?? phone(), address: address(to) },
      origin: from.code,
      destination: to.code,
      product,
      weightKg,
      lengthCm: Math.round(10 + r() * 50),
      widthCm: Math.round(10 + r() * 40),
      heightCm: Math.round(5 + r() * 30),
      declaredValue: declared,
      insured: declared !== null,
      postage: Math.round((10 + Math.max(0, Math.ceil(weightKg) - 1) * (sameCity ? 2 : sameProvince ? 3 : 5)) * 100) / 100,
      flags,
      itemDescription: item,
      shippedAt: new Date(shippedAt).toISOString(),
      promisedAt: new Date(promisedAt).toISOString(),
    };

    // The route, hop by hop; each hop a few hours after the last.
    type Hop = Omit<EventInput, 'eventId' | 'waybill' | 'occurredAt'> & { gapHours: [number, number] };
    const fromOutlet = outlet(from);
    const toOutlet = outlet(to);
    const hops: Hop[] = [
      { code: 'XD', text: '电子面单已生成,等待揽收', location: `${from.city}${from.district}`, facility: null, facilityType: null, gapHours: [0, 0] },
      { code: 'LS', text: `${courier()}已揽收`, location: `${from.city}${from.district}`, facility: fromOutlet, facilityType: 'outlet', gapHours: [0.5, 3] },
      { code: 'FC', text: `已发往${from.centre}`, location: `${from.city}${from.district}`, facility: fromOutlet, facilityType: 'outlet', gapHours: [1, 3] },
      { code: 'DC', text: `到达${from.centre}`, location: from.city, facility: from.centre, facilityType: 'sorting_centre', gapHours: [1, 4] },
    ];
    if (!sameCity) {
      const hubFrom = HUBS[from.code[0]!]!;
      const hubTo = HUBS[to.code[0]!]!;
      if (!sameProvince && hubFrom !== from.centre.replace('分拣中心', '转运中心')) {
        hops.push({ code: 'FC', text: `已发往${hubFrom}`, location: from.city, facility: from.centre, facilityType: 'sorting_centre', gapHours: [1, 3] });
        hops.push({ code: 'DC', text: `到达${hubFrom}`, location: hubFrom.slice(0, 2), facility: hubFrom, facilityType: 'sorting_centre', gapHours: [4, 12] });
      }
      if (!sameProvince && hubTo !== hubFrom) {
        hops.push({ code: 'YS', text: `已发往${hubTo}`, location: hubFrom.slice(0, 2), facility: hubFrom, facilityType: 'sorting_centre', gapHours: [1, 3] });
        hops.push({ code: 'DC', text: `到达${hubTo}`, location: hubTo.slice(0, 2), facility: hubTo, facilityType: 'sorting_centre', gapHours: [8, 20] });
      }
      hops.push({ code: 'DC', text: `到达${to.centre}`, location: to.city, facility: to.centre, facilityType: 'sorting_centre', gapHours: [3, 10] });
    }
    hops.push({ code: 'DW', text: `到达${toOutlet}`, location: `${to.city}${to.district}`, facility: toOutlet, facilityType: 'outlet', gapHours: [2, 6] });
    const deliveryCourier = courier();
    const outForDelivery: Hop = { code: 'PJ', text: `${deliveryCourier}正在派件`, location: `${to.city}${to.district}`, facility: toOutlet, facilityType: 'outlet', courier: deliveryCourier, gapHours: [1, 4] };
    const estate = pick(ESTATES);
    const delivered: Hop = { code: 'QS', text: r() < 0.8 ? '本人签收' : '家人代收', location: `${to.city}${to.district}`, facility: null, facilityType: null, courier: deliveryCourier, gapHours: [1, 3] };
    switch (scenario) {
      case 'delivered':
        hops.push(outForDelivery, delivered);
        break;
      case 'station':
        hops.push(outForDelivery, { code: 'YZ', text: '已放入驿站,请凭取件码取件', location: `${to.city}${to.district}`, facility: `菜鸟驿站(${estate}店)`, facilityType: 'station', pickupCode: `${1 + Math.floor(r() * 9)}-${1 + Math.floor(r() * 9)}-${1000 + Math.floor(r() * 9000)}`, gapHours: [1, 3] });
        if (r() < 0.6) hops.push({ ...delivered, text: '已从驿站取件', facility: `菜鸟驿站(${estate}店)`, facilityType: 'station', gapHours: [3, 30] });
        break;
      case 'locker':
        hops.push(outForDelivery, { code: 'GZ', text: '已放入快递柜', location: `${to.city}${to.district}`, facility: `丰巢快递柜(${estate}东门)`, facilityType: 'locker', pickupCode: String(10000000 + Math.floor(r() * 89999999)), gapHours: [1, 3] });
        if (r() < 0.6) hops.push({ ...delivered, text: '已从快递柜取件', facility: `丰巢快递柜(${estate}东门)`, facilityType: 'locker', gapHours: [2, 24] });
        break;
      case 'failed_then_delivered':
        hops.push(outForDelivery, { ...outForDelivery, code: 'PS', text: pick(FAIL_REASONS), gapHours: [1, 4] }, { ...outForDelivery, gapHours: [14, 20] }, delivered);
        break;
      case 'exception': {
        const at = Math.max(2, Math.floor(r() * (hops.length - 1)));
        const h = hops[at]!;
        hops.splice(at + 1, hops.length, { code: pick(['YC', 'ZL']), text: pick(EXCEPTION_REASONS), location: h.location ?? null, facility: h.facility ?? null, facilityType: h.facilityType ?? null, gapHours: [2, 10] });
        break;
      }
      case 'stuck':
        // The trail stops at a sorting centre: delayed, and after the threshold possibly lost.
        hops.splice(Math.max(4, Math.floor(r() * (hops.length - 1))), hops.length);
        break;
      case 'lost':
        hops.splice(Math.max(4, Math.floor(r() * (hops.length - 1))), hops.length);
        hops.push({ code: 'DS', text: '经核实快件已丢失', location: hops[hops.length - 1]!.location ?? null, facility: hops[hops.length - 1]!.facility ?? null, facilityType: 'sorting_centre', gapHours: [72, 120] });
        break;
      case 'returned':
        hops.push(outForDelivery, { ...outForDelivery, code: 'PS', text: '收件人拒收', gapHours: [1, 3] }, { code: 'TH', text: '收件人拒收,已退回寄件人', location: `${to.city}${to.district}`, facility: toOutlet, facilityType: 'outlet', gapHours: [2, 8] });
        break;
    }

    const events: EventInput[] = [];
    let t = shippedAt;
    for (const [n, h] of hops.entries()) {
      const [lo, hi] = h.gapHours;
      t += Math.round((lo + r() * (hi - lo)) * HOUR);
      if (t > opts.now.getTime()) break;
      const { gapHours: _gap, ...rest } = h;
      events.push({ ...rest, eventId: `${waybill}-${n + 1}`, waybill, occurredAt: new Date(t).toISOString() });
    }
    out.push({ shipment, events, scenario });
  }
  return out;
}
