/**
 * Chinese word segmentation with jieba (@node-rs/jieba, native binary shipped in the npm
 * package): the default dictionary plus the express terms (EXPRESS_TERMS) loaded once.
 * `segmentForIndex` uses the search mode (运单号 also yields 运单, 单号) so a shorter query word
 * still matches; `segmentQuery` uses the precise mode. `pinyinKey` (pinyin-pro) gives a word's sound.
 */
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { pinyin } from 'pinyin-pro';
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

const HAN_WORD = /^\p{Script=Han}{2,4}$/u;
const pinyinCache = new Map<string, string>();
/**
 * Toneless pinyin of a word of 2–4 Chinese characters (拒收 → jushou), null for anything else:
 * what a pinyin input method types, so a wrong character of the same sound (据收) has the same key.
 */
export function pinyinKey(word: string): string | null {
  if (!HAN_WORD.test(word)) return null;
  let key = pinyinCache.get(word);
  if (key === undefined) {
    key = pinyin(word, { toneType: 'none', type: 'array', v: true }).join('');
    if (pinyinCache.size > 50_000) pinyinCache.clear();
    pinyinCache.set(word, key);
  }
  return key;
}
