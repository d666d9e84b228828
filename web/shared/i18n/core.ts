/**
 * The i18n layer's rules, shared by every app: languages, the first language, placeholders, and the
 * lookup key + language → text. Each app brings its own dictionaries (the portal's, the agent
 * workspace's), so a bundle carries only the strings it shows.
 */
export type Lang = 'zh' | 'en';
export const LANGS: readonly Lang[] = ['zh', 'en'];
export type Dictionaries<K extends string> = Record<Lang, Record<K, string>>;

/** What a missing key shows: loud enough for the browser tests to find. */
export const MISSING_MARK = '⟦missing:';

export function translateWith<K extends string>(dictionaries: Dictionaries<K>, lang: Lang, key: K, params: Record<string, string | number> = {}): string {
  const text = dictionaries[lang][key] as string | undefined;
  if (text === undefined) return `${MISSING_MARK}${key}⟧`;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** The placeholders a text uses, sorted: both languages must use the same ones. */
export function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();
}

export function isLang(value: unknown): value is Lang {
  return value === 'zh' || value === 'en';
}

/** ?lang= (the widget passes its data-lang) wins, then the remembered choice, then Chinese. */
export function initialLang(search: string, stored: string | null): Lang {
  const fromUrl = new URLSearchParams(search).get('lang');
  if (isLang(fromUrl)) return fromUrl;
  if (isLang(stored)) return stored;
  return 'zh';
}
