/** The one path every portal string takes: key + language → text, with {name} placeholders filled. */
import { en } from './messages-en.ts';
import { zh, type MessageKey } from './messages-zh.ts';

export type Lang = 'zh' | 'en';
export const LANGS: readonly Lang[] = ['zh', 'en'];
export const DICTIONARIES: Record<Lang, Record<MessageKey, string>> = { zh, en };
export type { MessageKey };

/** What a missing key shows: loud enough for the browser tests to find. */
export const MISSING_MARK = '⟦missing:';

export function translate(lang: Lang, key: MessageKey, params: Record<string, string | number> = {}): string {
  const text = DICTIONARIES[lang][key] as string | undefined;
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
