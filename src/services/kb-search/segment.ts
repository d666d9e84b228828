/**
 * Chinese word segmentation with jieba (@node-rs/jieba, native binary shipped in the npm
 * package): the default dictionary plus the express terms (EXPRESS_TERMS) loaded once.
 * `segmentForIndex` uses the search mode (运单号 also yields 运单, 单号) so a shorter query word
 * still matches; `segmentQuery` uses the precise mode.
 */
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { EXPRESS_TERMS } from '../../domain/kb-search.ts';

let instance: Jieba | null = null;

function jieba(): Jieba {
  if (!instance) {
    const j = Jieba.withDict(dict);
    j.loadDict(Buffer.from(EXPRESS_TERMS.map((t) => `${t} 200000 n`).join('\n'), 'utf8'));
    instance = j;
  }
  return instance;
}

export function segmentForIndex(text: string): string[] {
  return jieba().cutForSearch(text, true);
}

export function segmentQuery(text: string): string[] {
  return jieba().cut(text, true);
}

/** The shorter dictionary words inside a token (玻璃杯 → 玻璃), as the search mode finds them. */
export function subWords(token: string): string[] {
  if (token.length < 3) return [];
  return jieba().cutForSearch(token, false).filter((w) => w !== token && w.length >= 2);
}
