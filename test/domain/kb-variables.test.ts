import { describe, expect, it } from 'vitest';
import { checkSalutation, chineseSurname, customerAddress, formatExpectedDelivery, renderScript, type KbValues } from '../../src/domain/kb-variables.ts';

const ALL: KbValues = { 客户称呼: '张先生', 运单号: 'SF1234567890', 预计送达: '11月25日 18:00前', 公司: '顺达' };

describe('renderScript', () => {
  it.each<[string, string, KbValues, string, string[]]>([
    ['all known', '{客户称呼}您好,{公司}快递客服,您的快件{运单号}预计{预计送达}送达。', ALL, '张先生您好,顺达快递客服,您的快件SF1234567890预计11月25日 18:00前送达。', []],
    ['no variables', '请问还有其他需要帮助的吗?', {}, '请问还有其他需要帮助的吗?', []],
    ['a missing waybill stays visible', '您的快件{运单号}已在派送中', { ...ALL, 运单号: null }, '您的快件「{运单号}」已在派送中', ['运单号']],
    ['an empty value counts as missing', '{公司}客服为您服务', { 公司: '  ' }, '「{公司}」客服为您服务', ['公司']],
    ['an absent key counts as missing', '预计{预计送达}送达', {}, '预计「{预计送达}」送达', ['预计送达']],
    ['already in 「」 is not bracketed twice', '单号「{运单号}」', {}, '单号「{运单号}」', ['运单号']],
    ['a repeated missing variable is listed once', '{运单号}…{运单号}', {}, '「{运单号}」…「{运单号}」', ['运单号']],
    ['missing in order of appearance', '{公司}{运单号}{客户称呼}', {}, '「{公司}」「{运单号}」「{客户称呼}」', ['公司', '运单号', '客户称呼']],
    ['a repeated known variable is filled everywhere', '{公司}、{公司}', ALL, '顺达、顺达', []],
    ['unknown placeholders are left alone', '{取件码}与{运单号}', ALL, '{取件码}与SF1234567890', []],
    ['braces in ordinary text are left alone', '{ } {} {a b}', ALL, '{ } {} {a b}', []],
    ['values are trimmed', '{公司}', { 公司: ' 顺达 ' }, '顺达', []],
    ['a value with braces is not expanded again', '{公司}{运单号}', { 公司: '{运单号}', 运单号: 'X1' }, '{运单号}X1', []],
  ])('%s', (_name, body, values, text, missing) => {
    expect(renderScript(body, values)).toEqual({ text, missing });
  });
});

describe('chineseSurname', () => {
  it.each<[string | null, string | null]>([
    ['张三', '张'],
    ['王芳', '王'],
    ['欧阳娜娜', '欧阳'],
    ['诸葛亮', '诸葛'],
    ['欧阳', '欧'],
    [' 李 四 ', '李'],
    ['Zhang San', null],
    ['张', null],
    ['', null],
    [null, null],
    ['测试客户', '测'],
  ])('%s → %s', (name, surname) => {
    expect(chineseSurname(name)).toBe(surname);
  });
});

describe('customerAddress (客户称呼)', () => {
  it.each<[string | null, 'male' | 'female' | null, string]>([
    ['张三', 'male', '张先生'],
    ['王芳', 'female', '王女士'],
    ['欧阳娜娜', 'female', '欧阳女士'],
    ['张三', null, '您'],
    [null, 'male', '您'],
    ['John Smith', 'male', '您'],
    [null, null, '您'],
  ])('%s, %s → %s', (name, gender, expected) => {
    expect(customerAddress(name, gender)).toBe(expected);
  });

  it.each<[string | null, string | null, string]>([
    // The preferred form of address the service team recorded comes first.
    ['张三', '张先生', '张先生'],
    ['李秀英', '李阿姨', '李阿姨'],
    [null, '王总', '王总'],
    ['John Smith', 'Mr Smith', 'Mr Smith'],
    ['张三', '  赵女士  ', '赵女士'],
    // Unknown or blank: 您, never an empty greeting.
    ['张三', '', '您'],
    ['张三', '   ', '您'],
    ['张三', null, '您'],
    [null, null, '您'],
  ])('%s with salutation %j → %s', (name, salutation, expected) => {
    expect(customerAddress(name, null, salutation)).toBe(expected);
  });

  it('a recorded salutation wins over surname and gender', () => {
    expect(customerAddress('张三', 'male', '张总')).toBe('张总');
  });
});

describe('checkSalutation', () => {
  it.each<[string, string | null]>([
    ['张先生', '张先生'],
    ['  李女士 ', '李女士'],
    ['Mr  Smith', 'Mr Smith'],
    ['欧阳女士', '欧阳女士'],
    ['', null],
    ['   ', null],
  ])('%j → %j', (raw, value) => {
    expect(checkSalutation(raw)).toEqual({ ok: true, value });
  });

  it.each<[string, RegExp]>([
    ['张'.repeat(21), /at most 20/],
    ['{运单号}', /braces/],
    ['「张先生」', /braces/],
    ['<b>张</b>', /angle/],
    ['张\u0007先生', /control/],
    ['张\n先生', /line breaks/],
    ['张\t先生', /control/],
    ['张先生138', /digits/],
  ])('refuses %j', (raw, message) => {
    const r = checkSalutation(raw);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(message);
  });
});

describe('formatExpectedDelivery (预计送达)', () => {
  it.each<[string | null, string, string | null]>([
    ['2026-11-25T10:00:00Z', 'Asia/Shanghai', '11月25日 18:00前'],
    ['2026-11-25T16:30:00Z', 'Asia/Shanghai', '11月26日 00:30前'],
    ['2026-01-05T01:05:00Z', 'Asia/Shanghai', '1月5日 09:05前'],
    ['2026-11-25T10:00:00Z', 'UTC', '11月25日 10:00前'],
    [null, 'Asia/Shanghai', null],
    ['not a date', 'Asia/Shanghai', null],
  ])('%s in %s → %s', (iso, tz, expected) => {
    expect(formatExpectedDelivery(iso, tz)).toBe(expected);
  });
});
