// Regions are the 6-digit administrative division codes of GB/T 2260 (110105 北京市朝阳区).
// The code → name table is the data of @vant/area-data (province / city / county lists); the
// zone of a route follows from the code prefixes: same first four digits = 同城, same first two
// = 省内. Pure: no I/O, the table is static data.
import { areaList } from '@vant/area-data';

export const ZONES = ['same_city', 'in_province', 'inter_province', 'remote'] as const;
export type Zone = (typeof ZONES)[number];

export const ZONE_NAMES_ZH: Record<Zone, string> = { same_city: '同城', in_province: '省内', inter_province: '省际', remote: '偏远地区' };

/** 直辖市: the whole municipality is one city for the zone (北京、天津、上海、重庆). */
export const MUNICIPALITIES = ['11', '12', '31', '50'] as const;

export type RegionLevel = 'province' | 'city' | 'county';

export interface Region {
  code: string;
  level: RegionLevel;
  name: string;
  /** Province, city and county names joined as one reads them in a sentence: 北京市朝阳区. */
  fullName: string;
  provinceCode: string;
  provinceName: string;
  cityCode: string | null;
  cityName: string | null;
}

const PROVINCES: Readonly<Record<string, string>> = areaList.province_list;
const CITIES: Readonly<Record<string, string>> = areaList.city_list;
const COUNTIES: Readonly<Record<string, string>> = areaList.county_list;

/** City entries that are groupings, not cities, and are left out of a sentence (省直辖县, 重庆 "县"). */
const GROUPING_CITY = /^(县|省直辖县|自治区直辖县级行政区划|省直辖县级行政区划)$/;

export function isMunicipality(code: string): boolean {
  return (MUNICIPALITIES as readonly string[]).includes(code.slice(0, 2));
}

/** The region of a code, or null when the code is not a known division (or not 6 digits). */
export function findRegion(code: string): Region | null {
  if (!/^\d{6}$/.test(code)) return null;
  const provinceCode = `${code.slice(0, 2)}0000`;
  const provinceName = PROVINCES[provinceCode];
  if (provinceName === undefined) return null;
  let level: RegionLevel;
  let name: string | undefined;
  if (code === provinceCode) {
    level = 'province';
    name = provinceName;
  } else if (code.endsWith('00')) {
    level = 'city';
    name = CITIES[code];
  } else {
    level = 'county';
    name = COUNTIES[code];
  }
  if (name === undefined) return null;
  const cityCode = level === 'province' ? null : `${code.slice(0, 4)}00`;
  const cityName = cityCode === null ? null : (CITIES[cityCode] ?? null);
  const parts = [provinceName];
  // 北京市朝阳区, not 北京市北京市朝阳区; 湖北省仙桃市, not 湖北省省直辖县仙桃市.
  if (cityName !== null && cityName !== provinceName && !GROUPING_CITY.test(cityName)) parts.push(cityName);
  if (level === 'county') parts.push(name);
  return { code, level, name, fullName: parts.join(''), provinceCode, provinceName, cityCode, cityName };
}

export class UnknownRegionError extends Error {
  constructor(readonly field: string, readonly code: string) {
    super(`${field} ${code} is not a known region code (6-digit GB/T 2260 code, e.g. 110105 北京市朝阳区)`);
    this.name = 'UnknownRegionError';
  }
}

export function regionOrThrow(field: string, code: string): Region {
  const r = findRegion(code);
  if (!r) throw new UnknownRegionError(field, code);
  return r;
}

/**
 * The tariff zone between two known regions, in this order: 同城 (same first four digits; the
 * whole of a 直辖市 is one city), 省内 (same first two), remote (either end in a remote province,
 * given as two-digit prefixes, 54 西藏), else 省际. A parcel inside Xinjiang is 省内, not remote:
 * the remote surcharge is for the long haul into or out of the province.
 */
export function zoneOf(origin: string, destination: string, remoteProvinces: readonly string[]): Zone {
  const o = regionOrThrow('origin', origin);
  const d = regionOrThrow('destination', destination);
  if (o.provinceCode === d.provinceCode) {
    if (isMunicipality(origin) || sameCity(o, d)) return 'same_city';
    return 'in_province';
  }
  const remote = (c: string): boolean => remoteProvinces.includes(c.slice(0, 2));
  return remote(origin) || remote(destination) ? 'remote' : 'inter_province';
}

/** Same city: same first four digits, except under a 省直辖县 grouping, where each county is a city of its own. */
function sameCity(a: Region, b: Region): boolean {
  if (a.cityCode === null || b.cityCode === null || a.cityCode !== b.cityCode) return false;
  if (a.cityName !== null && GROUPING_CITY.test(a.cityName)) return a.code === b.code;
  return true;
}

/**
 * Regions for a picker: a code prefix (digits) or a name fragment (朝阳 finds 北京市朝阳区,
 * 辽宁省朝阳市, 长春市朝阳区…). Provinces first, then cities, then counties, each by code.
 */
export function searchRegions(q: string, limit = 20): Region[] {
  const term = q.trim();
  if (term === '') return [];
  const out: Region[] = [];
  const lists: Record<string, string>[] = [PROVINCES, CITIES, COUNTIES];
  const byCode = /^\d{1,6}$/.test(term);
  for (const list of lists) {
    for (const code of Object.keys(list).sort()) {
      const hit = byCode ? code.startsWith(term) : list[code]!.includes(term);
      if (!hit) continue;
      const r = findRegion(code);
      if (r && !out.some((x) => x.code === r.code)) out.push(r);
      if (out.length >= limit) return out;
    }
  }
  return out;
}
