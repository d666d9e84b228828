/** Inserting a side tool's sentence into the reply box: at the caret, spaced only where Latin text needs it. */
import { describe, expect, it } from 'vitest';
import { insertSnippet } from '../../web/agent/modules/reply/utils/insert.ts';

describe('insertSnippet', () => {
  it('fills an empty box, caret after the sentence', () => {
    expect(insertSnippet('', 0, 0, ' 运费12元。 ')).toEqual({ text: '运费12元。', caret: 6 });
  });
  it('runs Chinese on without spaces, at the caret', () => {
    const text = '您好,查询结果如下:谢谢。';
    const at = text.indexOf('谢');
    expect(insertSnippet(text, at, at, '运费12元。')).toEqual({ text: '您好,查询结果如下:运费12元。谢谢。', caret: at + 6 });
  });
  it('appends after Chinese text without a space', () => {
    expect(insertSnippet('您好', 2, 2, '运费12元。').text).toBe('您好运费12元。');
  });
  it('spaces Latin words apart on both sides', () => {
    expect(insertSnippet('Hello there', 5, 5, 'the fee is 12 yuan')).toEqual({ text: 'Hello the fee is 12 yuan there', caret: 24 });
    expect(insertSnippet('Hello.', 6, 6, 'Fee: 12 yuan.').text).toBe('Hello.Fee: 12 yuan.');
  });
  it('replaces a selection, in either direction, and clamps offsets', () => {
    expect(insertSnippet('您好XX谢谢', 4, 2, '运费12元。').text).toBe('您好运费12元。谢谢');
    expect(insertSnippet('您好', 99, 99, '运费12元。').text).toBe('您好运费12元。');
  });
});
