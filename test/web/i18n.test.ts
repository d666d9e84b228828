import { describe, expect, it } from 'vitest';
import { DICTIONARIES, initialLang, LANGS, MISSING_MARK, placeholders, translate, type MessageKey } from '../../web/shared/i18n/translate.ts';
import { AGENT_DICTIONARIES, type AgentMessageKey } from '../../web/shared/i18n/agent-dictionaries.ts';
import { COMMON_MESSAGES } from '../../web/shared/i18n/common-messages.ts';
import { WIDGET_MESSAGES } from '../../web/shared/i18n/widget-messages.ts';

const zhKeys = Object.keys(DICTIONARIES.zh).sort();

describe('portal dictionaries', () => {
  it('has the same keys in every language', () => {
    expect(zhKeys.length).toBeGreaterThan(100);
    for (const lang of LANGS) expect(Object.keys(DICTIONARIES[lang]).sort()).toEqual(zhKeys);
  });

  it.each(LANGS)('has no empty or marker text in %s', (lang) => {
    for (const key of zhKeys) {
      const text = DICTIONARIES[lang][key as MessageKey];
      expect(text.trim(), key).not.toBe('');
      expect(text, key).not.toContain(MISSING_MARK);
    }
  });

  it('uses the same placeholders in both languages', () => {
    for (const key of zhKeys) expect(placeholders(DICTIONARIES.en[key as MessageKey]), key).toEqual(placeholders(DICTIONARIES.zh[key as MessageKey]));
  });

  it('Chinese texts are Chinese (each has a CJK character), except the toggle naming English and a pure pattern', () => {
    const notChinese = zhKeys.filter((k) => !/[\u4e00-\u9fff]/.test(DICTIONARIES.zh[k as MessageKey]));
    expect(notChinese).toEqual(['lang.switchTo', 'track.route']);
  });

  it('includes the widget loader strings in both languages, identical', () => {
    for (const lang of LANGS) {
      expect(Object.keys(WIDGET_MESSAGES[lang]).sort()).toEqual(Object.keys(WIDGET_MESSAGES.zh).sort());
      for (const [k, v] of Object.entries(WIDGET_MESSAGES[lang])) expect(DICTIONARIES[lang][k as MessageKey]).toBe(v);
    }
    expect(WIDGET_MESSAGES.zh['widget.open']).toBe('在线客服');
  });
});

describe('agent workspace dictionaries', () => {
  const keys = Object.keys(AGENT_DICTIONARIES.zh).sort() as AgentMessageKey[];

  it('has the same keys, no empty text and the same placeholders in both languages', () => {
    expect(keys.length).toBeGreaterThan(80);
    expect(Object.keys(AGENT_DICTIONARIES.en).sort()).toEqual(keys);
    for (const lang of LANGS) for (const k of keys) expect(AGENT_DICTIONARIES[lang][k].trim(), `${lang} ${k}`).not.toBe('');
    for (const k of keys) expect(placeholders(AGENT_DICTIONARIES.en[k]), k).toEqual(placeholders(AGENT_DICTIONARIES.zh[k]));
  });

  it('Chinese texts are Chinese, except the toggle naming English and pure patterns', () => {
    expect(keys.filter((k) => !/[\u4e00-\u9fff]/.test(AGENT_DICTIONARIES.zh[k]))).toEqual(['lang.switchTo', 'session.signedInAs']);
  });

  it('shares the common strings with the portal, word for word', () => {
    for (const lang of LANGS) {
      for (const [k, v] of Object.entries(COMMON_MESSAGES[lang])) {
        expect(AGENT_DICTIONARIES[lang][k as AgentMessageKey], k).toBe(v);
        expect(DICTIONARIES[lang][k as MessageKey], k).toBe(v);
      }
    }
  });

  it('names every guard category and severity the server sends', async () => {
    const { GUARD_CATEGORIES } = await import('../../src/domain/language-guard.ts');
    for (const c of GUARD_CATEGORIES) expect(keys, c).toContain(`guard.category.${c}`);
    expect(keys).toEqual(expect.arrayContaining(['guard.severity.block', 'guard.severity.warn']));
  });
});

describe('translate', () => {
  it('fills placeholders', () => {
    expect(translate('zh', 'chat.queue', { n: 3 })).toBe('您前面还有 3 位客户,请稍候');
    expect(translate('en', 'chat.queue', { n: 3 })).toBe('3 customers ahead of you; please wait');
    expect(translate('en', 'chat.typing', { name: '王芳' })).toBe('王芳 is typing…');
  });

  it('leaves an unfilled placeholder visible rather than blank', () => {
    expect(translate('zh', 'chat.queue')).toBe('您前面还有 {n} 位客户,请稍候');
  });

  it('does not treat a parameter value as a pattern', () => {
    expect(translate('en', 'chat.assigned', { name: '$& {n} <b>' })).toBe('$& {n} <b> is helping you');
  });

  it('marks a key no dictionary has', () => {
    expect(translate('zh', 'no.such.key' as MessageKey)).toBe(`${MISSING_MARK}no.such.key⟧`);
  });
});

describe('initialLang', () => {
  it.each([
    ['', null, 'zh'],
    ['', 'en', 'en'],
    ['', 'fr', 'zh'],
    ['?lang=en', null, 'en'],
    ['?lang=zh', 'en', 'zh'],
    ['?embed=1&lang=en', 'zh', 'en'],
    ['?lang=xx', 'en', 'en'],
  ] as const)('search %j, stored %j → %s', (search, stored, expected) => {
    expect(initialLang(search, stored)).toBe(expected);
  });
});
