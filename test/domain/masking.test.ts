import { describe, expect, it } from 'vitest';
import {
  maskAddress,
  maskEmail,
  maskField,
  maskName,
  maskPhone,
  normalizePhone,
} from '../../src/domain/masking.ts';
import type { PiiField } from '../../src/domain/masking.ts';

describe('normalizePhone', () => {
  it.each<[string, string | null]>([
    // mobiles
    ['13812341234', '13812341234'],
    ['138 1234 1234', '13812341234'],
    ['138-1234-1234', '13812341234'],
    [' 138 1234-1234 ', '13812341234'],
    ['+86 138 1234 1234', '13812341234'],
    ['+86-13812341234', '13812341234'],
    ['008613812341234', '13812341234'],
    ['0086 138 1234 1234', '13812341234'],
    ['8613812341234', '13812341234'],
    ['(+86) 13812341234', '13812341234'],
    ['19912345678', '19912345678'],
    ['13012345678', '13012345678'],
    ['１３８１２３４１２３４', null], // full-width digits are not digits here
    ['12812341234', null], // second digit must be 3–9
    ['1381234123', null], // 10 digits
    ['138123412345', null], // 12 digits
    ['23812341234', null],
    ['8623812341234', null],
    ['+1 13812341234', null],
    ['+8513812341234', null],
    // landlines
    ['010-12345678', '01012345678'],
    ['(010) 1234 5678', '01012345678'],
    ['（010）12345678', '01012345678'],
    ['021-87654321', '02187654321'],
    ['0755-1234567', '07551234567'],
    ['0755-12345678', '075512345678'],
    ['0571 8888 6666', '057188886666'],
    ['+86 10 1234 5678', '01012345678'],
    ['+86 755 1234 5678', '075512345678'],
    ['0086 21 8765 4321', '02187654321'],
    ['+86 (0)10 1234 5678', '01012345678'],
    ['010-1234567', null], // Beijing subscribers have 8 digits
    ['010-02345678', null], // subscriber cannot start with 0
    ['0755-123456', null],
    ['0755-123456789', null],
    ['12345678', null], // no area code
    ['8610 12345678', null], // bare 86 only for mobiles
    // junk
    ['', null],
    ['   ', null],
    ['abc', null],
    ['138123412a4', null],
    ['13812341234 转 8001', null],
    ['+86', null],
  ])('%j → %j', (raw, expected) => {
    expect(normalizePhone(raw)).toBe(expected);
  });
});

describe('maskPhone', () => {
  it.each<[string, string]>([
    ['13812341234', '138****1234'],
    ['19900001111', '199****1111'],
    ['+86 138 1234 1234', '138****1234'],
    ['01012345678', '010****5678'],
    ['010-12345678', '010****5678'],
    ['02187654321', '021****4321'],
    ['07551234567', '0755****4567'],
    ['075512345678', '0755****5678'],
    // not a recognised phone: keep only the last 4
    ['123456789', '****6789'],
    ['12345', '****2345'],
    ['1234', '****'],
    ['12', '****'],
    ['', ''],
  ])('%j → %j', (input, expected) => {
    expect(maskPhone(input)).toBe(expected);
  });
});

describe('maskName', () => {
  it.each<[string, string]>([
    ['张三', '张*'],
    ['张三丰', '张**'],
    ['欧阳娜娜', '欧***'],
    ['李', '*'],
    ['阿卜杜·热合曼', '阿******'],
    ['John Smith', 'J*** S****'],
    ['  John   Smith ', 'J*** S****'],
    ['Mary Ann Lee', 'M*** A** L**'],
    ['J Smith', 'J S****'],
    ['Madonna', 'M******'],
    ['𠮷野家', '𠮷**'], // a character outside the BMP counts once
    ['', ''],
    ['   ', ''],
  ])('%j → %j', (input, expected) => {
    expect(maskName(input)).toBe(expected);
  });
});

describe('maskAddress', () => {
  it.each<[string, string]>([
    ['广东省深圳市南山区科技园路1号', '广东省深圳市南山区****'],
    ['北京市朝阳区建国路88号SOHO现代城', '北京市朝阳区****'],
    ['上海市浦东新区世纪大道100号', '上海市浦东新区****'],
    ['浙江省杭州市西湖区文三路478号', '浙江省杭州市西湖区****'],
    ['四川省成都市郫县犀浦镇', '四川省成都市郫县****'],
    // a 区 in the street after the district does not extend the kept prefix
    ['广东省深圳市南山区市场路1号', '广东省深圳市南山区****'],
    // no 区/县: keep up to the last 市 (a county-level city) within 12 characters
    ['江苏省苏州市昆山市玉山镇前进路8号', '江苏省苏州市昆山市****'],
    ['广东省东莞市长安镇振安中路', '广东省东莞市****'],
    // 区 beyond the first 12 characters does not count
    ['广西壮族自治区南宁市青秀区民族大道', '广西壮族自治区****'],
    ['内蒙古呼和浩特某某路某某小区3栋', '内蒙古呼和浩****'],
    // no marker: first 6 characters
    ['123 Main Street, Springfield', '123 Ma****'],
    // short strings keep at most half
    ['科技园路1号', '科技园****'],
    ['Room 5', 'Roo****'],
    ['A', '****'],
    ['南山区', '南山区****'],
    ['', ''],
  ])('%j → %j', (input, expected) => {
    expect(maskAddress(input)).toBe(expected);
  });
});

describe('maskEmail', () => {
  it.each<[string, string]>([
    ['zhangsan@example.com', 'z*******@example.com'],
    ['li@qq.com', 'l*@qq.com'],
    ['a@b.cn', '*@b.cn'],
    ['first.last+tag@mail.example.org', 'f*************@mail.example.org'],
    ['张三@例子.中国', '张*@例子.中国'],
    ['"odd@local"@example.com', '"**********@example.com'],
    // not an e-mail address: keep only the last 4
    ['no-at-sign', '****sign'],
    ['@example.com', '****.com'],
    ['user@', '****ser@'],
    ['', ''],
  ])('%j → %j', (input, expected) => {
    expect(maskEmail(input)).toBe(expected);
  });
});

describe('maskField', () => {
  it.each<[PiiField, string, string]>([
    ['name', '张三丰', '张**'],
    ['phone', '13812341234', '138****1234'],
    ['address', '广东省深圳市南山区科技园路1号', '广东省深圳市南山区****'],
    ['email', 'zhangsan@example.com', 'z*******@example.com'],
    ['salutation', '张先生', '张**'],
    ['salutation', '欧阳女士', '欧***'],
  ])('%s %j → %j', (field, value, expected) => {
    expect(maskField(field, value)).toBe(expected);
  });
});
