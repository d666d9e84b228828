import { describe, expect, it } from 'vitest';
import { checkParties, checkPickupDate, ORDER_STATUSES, orderTransition, readBack, type OrderAction, type OrderParty } from '../../../src/domain/express/order-intake.ts';

const sender: OrderParty = { name: '李四', phone: '138 1234 5678', regionCode: '110105', address: '幸福小区1栋2单元301' };
const receiver: OrderParty = { name: '张三', phone: '+86 139-8765-4321', regionCode: '310115', address: '世纪大道100号5楼' };

describe('checkParties', () => {
  it('normalises phones and trims', () => {
    const r = checkParties({ sender: { ...sender, name: ' 李四 ' }, receiver });
    expect(r).toEqual({ ok: true, sender: { ...sender, phone: '13812345678' }, receiver: { ...receiver, phone: '13987654321' } });
  });
  const cases: [string, Partial<OrderParty>, 'sender' | 'receiver', string][] = [
    ['empty name', { name: '  ' }, 'sender', 'sender.name is empty'],
    ['bad phone', { phone: '12345' }, 'receiver', 'receiver.phone "12345" is not a mainland mobile or landline number'],
    ['unknown region', { regionCode: '999999' }, 'sender', 'sender.regionCode 999999 is not a known region code'],
    ['a city, not a county', { regionCode: '440300' }, 'receiver', 'receiver.regionCode 440300 is a city (广东省深圳市); pick-up and delivery need the district or county'],
    ['a province', { regionCode: '440000' }, 'receiver', 'is a province'],
    ['address too short', { address: '家' }, 'sender', 'sender.address is too short'],
  ];
  for (const [name, patch, role, message] of cases) {
    it(name, () => {
      const r = checkParties({ sender: role === 'sender' ? { ...sender, ...patch } : sender, receiver: role === 'receiver' ? { ...receiver, ...patch } : receiver });
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.errors).toHaveLength(1);
        expect(r.errors[0]!.message).toContain(message);
        expect(r.errors[0]!.field.startsWith(role)).toBe(true);
      }
    });
  }
  it('collects every problem at once', () => {
    const r = checkParties({ sender: { name: '', phone: 'x', regionCode: '1', address: '' }, receiver });
    expect(r.ok ? [] : r.errors.map((e) => e.field)).toEqual(['sender.name', 'sender.phone', 'sender.regionCode', 'sender.address']);
  });
});

describe('readBack: seed 000 三(一)4', () => {
  const base = {
    sender: { ...sender, phone: '13812345678' },
    receiver: { ...receiver, phone: '13987654321' },
    item: '衣服',
    chargeableWeightKg: 2,
    productNameZh: '标准快递',
    total: 12,
    insured: false,
    declaredValue: null,
    pickup: null,
    estimateZh: null,
  };
  it('reads the sender address, the receiver and a masked phone, and asks 对吗', () => {
    const r = readBack(base);
    expect(r.zh).toBe('您的寄件地址是北京市朝阳区幸福小区1栋2单元301,收件人是张三,电话是139****4321,收件地址是上海市浦东新区世纪大道100号5楼;寄的是衣服,标准快递,费用12元,对吗?');
    expect(r.lines.map((l) => l.label)).toEqual(['寄件人', '寄件地址', '收件人', '收件地址', '物品', '服务', '费用']);
    expect(r.lines[0]!.value).toBe('李四,138****5678');
  });
  it('with insurance, pick-up and an estimate', () => {
    const r = readBack({ ...base, total: 14.5, insured: true, declaredValue: 500, pickup: { date: '2026-11-24', slot: 'afternoon' }, estimateZh: '预计11月26日送达' });
    expect(r.zh).toContain('费用14.50元,2026-11-24下午会有师傅上门取件,对吗?');
    expect(r.lines.find((l) => l.label === '费用')!.value).toBe('14.50元(含保价,保价金额500元)');
    expect(r.lines.find((l) => l.label === '上门取件')!.value).toBe('2026-11-24 下午(13:00–18:00)');
    expect(r.lines.at(-1)).toEqual({ label: '预计送达', value: '预计11月26日送达' });
  });
});

describe('order states', () => {
  const allowed: Record<string, string> = { 'draft/confirm': 'confirmed', 'draft/cancel': 'cancelled', 'confirmed/cancel': 'cancelled', 'confirmed/pick_up': 'picked_up' };
  for (const from of ORDER_STATUSES) {
    for (const action of ['confirm', 'cancel', 'pick_up'] as OrderAction[]) {
      it(`${from} ${action}`, () => {
        const r = orderTransition(from, action);
        const to = allowed[`${from}/${action}`];
        if (to) expect(r).toEqual({ ok: true, value: to });
        else expect(r.ok).toBe(false);
      });
    }
  }
  it('says why', () => {
    expect(orderTransition('picked_up', 'cancel')).toEqual({ ok: false, reason: 'a picked_up order cannot be cancelled; only a draft or confirmed order can' });
    expect(orderTransition('draft', 'pick_up')).toEqual({ ok: false, reason: 'a draft order cannot be picked up; only a confirmed order can' });
  });
});

describe('checkPickupDate', () => {
  const cases: [string, string | null][] = [
    ['2026-11-23', null],
    ['2026-11-30', null],
    ['2026-12-01', 'more than 7 days ahead'],
    ['2026-11-22', 'in the past'],
    ['2026-02-30', 'is not a date'],
    ['23/11/2026', 'is not a date'],
    ['', 'is not a date'],
  ];
  for (const [date, problem] of cases) {
    it(`${date || '(empty)'} → ${problem ?? 'ok'}`, () => {
      const r = checkPickupDate(date, '2026-11-23');
      if (problem === null) expect(r).toBeNull();
      else expect(r).toContain(problem);
    });
  }
});
