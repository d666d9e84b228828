import { describe, expect, it } from 'vitest';
import { findRegion, isMunicipality, regionOrThrow, searchRegions, UnknownRegionError, zoneOf, type Zone } from '../../../src/domain/express/regions.ts';

const REMOTE = ['54', '65'];

describe('findRegion', () => {
  it.each([
    ['110105', 'county', '朝阳区', '北京市朝阳区'],
    ['310115', 'county', '浦东新区', '上海市浦东新区'],
    ['110000', 'province', '北京市', '北京市'],
    ['110100', 'city', '北京市', '北京市'],
    ['330100', 'city', '杭州市', '浙江省杭州市'],
    ['330106', 'county', '西湖区', '浙江省杭州市西湖区'],
    ['440300', 'city', '深圳市', '广东省深圳市'],
    ['211321', 'county', '朝阳县', '辽宁省朝阳市朝阳县'],
    ['429004', 'county', '仙桃市', '湖北省仙桃市'],
    ['500229', 'county', '城口县', '重庆市城口县'],
    ['540102', 'county', '城关区', '西藏自治区拉萨市城关区'],
  ])('%s is a %s named %s (%s)', (code, level, name, full) => {
    const r = findRegion(code)!;
    expect(r).not.toBeNull();
    expect(r.level).toBe(level);
    expect(r.name).toBe(name);
    expect(r.fullName).toBe(full);
    expect(r.provinceCode).toBe(`${code.slice(0, 2)}0000`);
  });

  it.each(['999999', '110199', '000000', '11010', '1101050', 'abcdef', '', '11 105', '110105 '])('%j is not a known region', (code) => {
    expect(findRegion(code)).toBeNull();
  });

  it('regionOrThrow names the field and the code', () => {
    expect(() => regionOrThrow('origin', '999999')).toThrow(UnknownRegionError);
    expect(() => regionOrThrow('origin', '999999')).toThrow('origin 999999 is not a known region code');
  });

  it.each([
    ['110105', true],
    ['120101', true],
    ['310115', true],
    ['500229', true],
    ['440300', false],
    ['330106', false],
  ])('isMunicipality(%s) = %s', (code, expected) => {
    expect(isMunicipality(code)).toBe(expected);
  });
});

describe('zoneOf', () => {
  const cases: [string, string, string, Zone][] = [
    ['110105', '110108', '北京朝阳 → 北京海淀', 'same_city'],
    ['110105', '110105', 'same district', 'same_city'],
    ['310115', '310101', '上海浦东 → 黄浦', 'same_city'],
    ['500229', '500103', '重庆城口县 → 渝中区 (直辖市 one city, city codes 5001/5002 differ)', 'same_city'],
    ['110000', '110105', 'province code of a municipality', 'same_city'],
    ['330106', '330102', '杭州西湖 → 上城', 'same_city'],
    ['330106', '330100', 'county → its own city code', 'same_city'],
    ['330106', '330203', '杭州 → 宁波', 'in_province'],
    ['440300', '440100', '深圳 → 广州', 'in_province'],
    ['440000', '440100', 'province code → a city of it', 'in_province'],
    ['440000', '440000', 'two province codes (no city known)', 'in_province'],
    ['429004', '429005', '仙桃 → 潜江 (省直辖县: each its own city)', 'in_province'],
    ['429004', '429004', '仙桃 → 仙桃', 'same_city'],
    ['110105', '310115', '北京 → 上海', 'inter_province'],
    ['440300', '330106', '深圳 → 杭州', 'inter_province'],
    ['110105', '540102', '北京 → 拉萨 (remote destination)', 'remote'],
    ['650102', '110105', '乌鲁木齐 → 北京 (remote origin)', 'remote'],
    ['540102', '650102', '拉萨 → 乌鲁木齐', 'remote'],
    ['540102', '540103', '拉萨城关 → 堆龙德庆 (same city inside a remote province)', 'same_city'],
    ['650102', '650202', '乌鲁木齐 → 克拉玛依 (inside a remote province)', 'in_province'],
  ];
  it.each(cases)('%s → %s (%s) is %s', (o, d, _label, zone) => {
    expect(zoneOf(o, d, REMOTE)).toBe(zone);
  });

  it('is symmetric for these cases', () => {
    for (const [o, d, , zone] of cases) expect(zoneOf(d, o, REMOTE)).toBe(zone);
  });

  it('uses the remote list it is given', () => {
    expect(zoneOf('110105', '540102', [])).toBe('inter_province');
    expect(zoneOf('110105', '440300', ['44'])).toBe('remote');
  });

  it('refuses unknown codes at either end', () => {
    expect(() => zoneOf('999999', '110105', REMOTE)).toThrow('origin 999999 is not a known region code');
    expect(() => zoneOf('110105', '123456', REMOTE)).toThrow('destination 123456 is not a known region code');
  });
});

describe('searchRegions', () => {
  it('finds by name fragment across levels', () => {
    const codes = searchRegions('朝阳').map((r) => r.code);
    expect(codes).toContain('110105');
    expect(codes).toContain('211300'); // 辽宁省朝阳市
    expect(codes).toContain('220104'); // 长春市朝阳区
    expect(codes.indexOf('211300')).toBeLessThan(codes.indexOf('110105')); // cities before counties
  });
  it('finds by code prefix', () => {
    const r = searchRegions('3101', 100);
    expect(r.length).toBeGreaterThan(10);
    expect(r.every((x) => x.code.startsWith('3101'))).toBe(true);
    expect(r[0]!.code).toBe('310100');
  });
  it('respects the limit and answers nothing for blank or unknown terms', () => {
    expect(searchRegions('区', 5)).toHaveLength(5);
    expect(searchRegions('   ')).toEqual([]);
    expect(searchRegions('不存在的地方')).toEqual([]);
    expect(searchRegions('99')).toEqual([]);
  });
});
