/**
 * Script variables (SPEC K2): a script's {客户称呼}, {运单号}, {预计送达} and {公司} filled from the
 * ticket, the customer and the parcel when an agent inserts it into a reply. A value that is not
 * known is left visible as 「{运单号}」 and listed in `missing`, never silently blank, so the agent
 * sees what still needs filling in. Pure: no I/O, no clock.
 */

export const KB_VARIABLES = ['客户称呼', '运单号', '预计送达', '公司'] as const;
export type KbVariable = (typeof KB_VARIABLES)[number];

export type KbValues = Partial<Record<KbVariable, string | null>>;

export interface RenderedScript {
  text: string;
  /** Variables the script uses that had no value, in order of first appearance, each once. */
  missing: KbVariable[];
}

const PLACEHOLDER = /\{([^{}\s]{1,10})\}/g;

function isVariable(name: string): name is KbVariable {
  return (KB_VARIABLES as readonly string[]).includes(name);
}

/** Fills the known variables; an unknown `{…}` is left as it is, a known one without a value becomes 「{name}」. */
export function renderScript(body: string, values: KbValues): RenderedScript {
  const missing: KbVariable[] = [];
  const text = body.replace(PLACEHOLDER, (whole, name: string, offset: number, all: string) => {
    if (!isVariable(name)) return whole;
    const v = values[name]?.trim();
    if (v) return v;
    if (!missing.includes(name)) missing.push(name);
    // Already inside 「」 in the script: do not double the brackets.
    const quoted = all[offset - 1] === '「' && all[offset + whole.length] === '」';
    return quoted ? whole : `「${whole}」`;
  });
  return { text, missing };
}

/** Two-character surnames; every other name takes its first character as the surname. */
const COMPOUND_SURNAMES = [
  '欧阳', '司马', '上官', '诸葛', '东方', '皇甫', '尉迟', '公孙', '慕容', '令狐', '长孙', '宇文', '司徒', '夏侯', '轩辕', '端木', '独孤', '南宫', '西门', '百里', '呼延', '澹台', '公冶', '太史', '申屠', '闻人',
];

/** The surname of a Chinese name, or null when the name is not Chinese (or empty). */
export function chineseSurname(name: string | null | undefined): string | null {
  const n = (name ?? '').replace(/\s+/g, '');
  if (!/^[\u4e00-\u9fff·]{2,}$/.test(n)) return null;
  const compound = COMPOUND_SURNAMES.find((s) => n.startsWith(s) && n.length > s.length);
  return compound ?? n[0]!;
}

export type Gender = 'male' | 'female';

/**
 * 客户称呼: the customer's preferred form of address when the service team recorded one (张先生,
 * 李女士, 王总); else 张先生 / 张女士 when the surname and the gender are known; otherwise 您 —
 * never blank. Guessing a gender from a name offends more customers than 您 ever does, so a name
 * alone gives 您.
 */
export function customerAddress(name: string | null | undefined, gender: Gender | null | undefined, salutation?: string | null): string {
  const preferred = salutation?.trim();
  if (preferred) return preferred;
  const surname = chineseSurname(name);
  if (!surname || !gender) return '您';
  return `${surname}${gender === 'male' ? '先生' : '女士'}`;
}

export const MAX_SALUTATION_LENGTH = 20;

/**
 * A preferred form of address as given (张先生, 李女士, Mr Smith): trimmed, inner whitespace
 * collapsed, 1–20 characters, no braces (it goes into scripts) and no line breaks or control
 * characters. Null for an empty value (none recorded); an error message when it is not acceptable.
 */
export function checkSalutation(raw: string): { ok: true; value: string | null } | { ok: false; message: string } {
  // Line breaks and tabs are control characters too: refused before spaces are collapsed.
  if (/[{}「」<>\p{Cc}]/u.test(raw)) return { ok: false, message: 'salutation: no braces, 「」, angle brackets, line breaks or control characters' };
  const value = raw.replace(/\s+/g, ' ').trim();
  if (!value) return { ok: true, value: null };
  if (Array.from(value).length > MAX_SALUTATION_LENGTH) return { ok: false, message: `salutation: at most ${MAX_SALUTATION_LENGTH} characters` };
  if (/\d/.test(value)) return { ok: false, message: 'salutation: a form of address has no digits' };
  return { ok: true, value };
}

/** 预计送达 as an agent says it: 「11月25日 18:00前」 in the given time zone. */
export function formatExpectedDelivery(iso: string | null | undefined, timeZone: string): string | null {
  if (!iso) return null;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return null;
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(d)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.month}月${parts.day}日 ${parts.hour}:${parts.minute}前`;
}
