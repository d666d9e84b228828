// Personal-data masking (SPEC P1): what is shown to a role that does not need the clear value.
// Presenters call these; nothing else should mask by hand.

const MOBILE_RE = /^1[3-9]\d{9}$/;
// Trunk 0 + area code + subscriber: 010 and 02x take 8-digit subscribers, 3-digit area codes 7 or 8.
const LANDLINE_RE = /^0(?:(?:10|2\d)[1-9]\d{7}|[3-9]\d{2}[1-9]\d{6,7})$/;
// Separators people type in phone numbers, including full-width ones from Chinese input methods.
const PHONE_SEPARATORS_RE = /[\s\-()（）－—.]/g;
const MASK = '****';

/**
 * Normalises a mainland mobile (13812341234) or landline with area code (010-12345678,
 * 0755-1234567) to digits only. Accepts +86 / 0086 / 86 country prefixes. Null if not a valid number.
 */
export function normalizePhone(raw: string): string | null {
  let s = raw.replace(PHONE_SEPARATORS_RE, '');
  let international = false;
  if (s.startsWith('+86')) {
    s = s.slice(3);
    international = true;
  } else if (s.startsWith('0086')) {
    s = s.slice(4);
    international = true;
  } else if (/^86\d{11}$/.test(s) && MOBILE_RE.test(s.slice(2))) {
    s = s.slice(2);
  }
  if (!/^\d+$/.test(s)) return null;
  if (MOBILE_RE.test(s) || LANDLINE_RE.test(s)) return s;
  // In international form a landline drops its trunk 0: +86 10 1234 5678.
  if (international && LANDLINE_RE.test(`0${s}`)) return `0${s}`;
  return null;
}

function maskTail(s: string): string {
  const chars = Array.from(s);
  if (chars.length === 0) return '';
  return chars.length > 4 ? MASK + chars.slice(-4).join('') : MASK;
}

/** 13812341234 → 138****1234; 01012345678 → 010****5678; 07551234567 → 0755****4567; other text keeps its last 4. */
export function maskPhone(p: string): string {
  const n = normalizePhone(p);
  if (n === null) return maskTail(p.trim());
  if (MOBILE_RE.test(n)) return `${n.slice(0, 3)}${MASK}${n.slice(-4)}`;
  const areaLength = /^0(?:10|2\d)/.test(n) ? 3 : 4;
  return `${n.slice(0, areaLength)}${MASK}${n.slice(-4)}`;
}

function maskWord(word: string): string {
  const [first, ...rest] = Array.from(word);
  return (first ?? '') + '*'.repeat(rest.length);
}

/** 张三 → 张*, 欧阳娜娜 → 欧***, "John Smith" → "J*** S****"; a one-character name becomes "*". */
export function maskName(n: string): string {
  const words = n.trim().split(/\s+/).filter((w) => w !== '');
  if (words.length === 0) return '';
  if (words.length === 1 && Array.from(words[0] ?? '').length === 1) return '*';
  return words.map(maskWord).join(' ');
}

const ADDRESS_WINDOW = 12;
const ADDRESS_FALLBACK = 6;

/**
 * Keeps the administrative prefix and hides the rest: up to the district/county (区/县) if one
 * appears in the first 12 characters, otherwise up to the last city (市) there, otherwise the
 * first 6 characters (at most half of a short address).
 * "广东省深圳市南山区科技园路1号" → "广东省深圳市南山区****".
 */
export function maskAddress(a: string): string {
  const chars = Array.from(a.trim());
  if (chars.length === 0) return '';
  const window = chars.slice(0, ADDRESS_WINDOW);
  // 区/县 is the finest administrative level to keep; 市 alone may be a prefecture or county-level city.
  let end = window.findIndex((c) => c === '区' || c === '县');
  if (end === -1) end = window.lastIndexOf('市');
  const keep = end === -1 ? Math.min(ADDRESS_FALLBACK, Math.floor(chars.length / 2)) : end + 1;
  return chars.slice(0, keep).join('') + MASK;
}

/** zhangsan@example.com → z*******@example.com */
export function maskEmail(e: string): string {
  const s = e.trim();
  const at = s.lastIndexOf('@');
  if (at <= 0 || at === s.length - 1) return maskTail(s);
  const local = Array.from(s.slice(0, at));
  const masked = local.length === 1 ? '*' : maskWord(local.join(''));
  return `${masked}${s.slice(at)}`;
}

/** A customer's preferred form of address (张先生) carries the surname: personal data, masked like a name (张**). */
export type PiiField = 'name' | 'phone' | 'address' | 'email' | 'salutation';

const MASKERS: Readonly<Record<PiiField, (value: string) => string>> = {
  name: maskName,
  phone: maskPhone,
  address: maskAddress,
  email: maskEmail,
  salutation: maskName,
};

export function maskField(field: PiiField, value: string): string {
  return MASKERS[field](value);
}
