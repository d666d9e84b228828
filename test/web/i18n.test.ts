import { describe, expect, it } from 'vitest';
import { DICTIONARIES, initialLang, LANGS, MISSING_MARK, placeholders, translate, type MessageKey } from '../../web/shared/i18n/translate.ts';
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
