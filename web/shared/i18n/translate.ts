/** The portal's dictionaries through the one i18n path: key + language → text, with {name} placeholders filled. */
import { translateWith, type Dictionaries, type Lang } from './core.ts';
import { en } from './messages-en.ts';
import { zh, type MessageKey } from './messages-zh.ts';

export { initialLang, isLang, LANGS, MISSING_MARK, placeholders, type Lang } from './core.ts';
export const DICTIONARIES: Dictionaries<MessageKey> = { zh, en };
export type { MessageKey };

export function translate(lang: Lang, key: MessageKey, params: Record<string, string | number> = {}): string {
  return translateWith(DICTIONARIES, lang, key, params);
}
