import { describe, expect, it } from 'vitest';
import { validateStart } from '../../web/portal/modules/chat/utils/validate-start.ts';
import { trackingPath } from '../../web/portal/modules/tracking/utils/tracking-path.ts';

describe('validateStart', () => {
  it.each([
    [{ name: '张三', phone: '13800138000' }, false, null],
    [{ name: '张三', phone: '138 0013 8000' }, false, null],
    [{ name: '张三', phone: '+86-138-0013-8000' }, false, null],
    [{ name: '张三', phone: '010-12345678' }, false, null],
    [{ name: '  ', phone: '13800138000' }, false, 'chat.start.nameRequired'],
    [{ name: '张三', phone: '' }, false, 'chat.start.phoneInvalid'],
    [{ name: '张三', phone: '12345' }, false, 'chat.start.phoneInvalid'],
    [{ name: '张三', phone: '1380013800a' }, false, 'chat.start.phoneInvalid'],
    [{ name: '张三', phone: '' }, true, null],
    [{ name: '张三', phone: 'abc' }, true, 'chat.start.phoneInvalid'],
  ] as const)('%j signed in %s → %s', (input, signedIn, expected) => {
    expect(validateStart(input, signedIn)).toBe(expected);
  });
});

describe('trackingPath', () => {
  it.each([
    ['sf1234567890', '', '/shipments/SF1234567890'],
    [' sf1234567890 ', '5678', '/shipments/SF1234567890?phoneLast4=5678'],
    ['SF1', '567', '/shipments/SF1'],
    ['a/b?c', '', '/shipments/A%2FB%3FC'],
  ])('%j + %j → %s', (waybill, last4, expected) => {
    expect(trackingPath(waybill, last4)).toBe(expected);
  });
});
