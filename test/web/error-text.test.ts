/** The text a person reads for a refusal: whole texts for whole meanings, a lead plus the server's specifics otherwise, in both languages. */
import { describe, expect, it } from 'vitest';
import { errorText } from '../../web/shared/api/error-text.ts';
import { COMMON_MESSAGES } from '../../web/shared/i18n/common-messages.ts';

describe('errorText', () => {
  it.each([
    ['unauthenticated', '请重新登录', 'sign in again'],
    ['invalid_credentials', '用户名或密码不正确', 'password is wrong'],
    ['account_locked', '暂时锁定', 'locked'],
    ['account_disabled', '已停用', 'disabled'],
    ['rate_limited', '稍后再试', 'wait a moment'],
    ['customer_not_notified', '告知处理结果', 'Tell the customer the result'],
    ['internal', '系统暂时出了问题', 'went wrong on our side'],
    ['network', '网络不可用', 'network is unavailable'],
  ])('%s has a text of its own, never the server’s English', (code, zh, en) => {
    const server = 'The ticket cannot be closed before the customer has been told the result.';
    expect(errorText(code, server, 'zh')).toContain(zh);
    expect(errorText(code, server, 'zh')).not.toContain(server);
    expect(errorText(code, server, 'en')).toContain(en);
  });

  it('a conflict or refused move keeps the server’s specifics after a lead in the user’s language', () => {
    expect(errorText('invalid_transition', 'A resolved ticket cannot move to new.', 'zh')).toBe('当前状态下不能这样操作:A resolved ticket cannot move to new.');
    expect(errorText('conflict', 'the ticket is already owned by agent_2', 'en')).toBe('Not done: the ticket is already owned by agent_2');
    expect(errorText('not_found', 'ticket 5 does not exist', 'zh')).toBe('找不到相应内容:ticket 5 does not exist');
  });

  it('the server’s generic wording is not repeated after the lead', () => {
    expect(errorText('forbidden', 'you are not allowed to do this', 'zh')).toBe('您没有权限进行此操作');
    expect(errorText('forbidden', 'only the ticket’s owner may hand it over', 'en')).toBe('You are not allowed to do this: only the ticket’s owner may hand it over');
  });

  it('validation messages stay as the server wrote them (the forms map them to their fields)', () => {
    expect(errorText('validation_failed', 'body/name: Too small', 'zh')).toBe('body/name: Too small');
    expect(errorText('bad_request', 'unknown team', 'en')).toBe('unknown team');
  });

  it('every error text exists in both languages', () => {
    const keys = (lang: 'zh' | 'en') => Object.keys(COMMON_MESSAGES[lang]).filter((k) => k.startsWith('error.')).sort();
    expect(keys('zh')).toEqual(keys('en'));
    expect(keys('zh').length).toBeGreaterThanOrEqual(14);
  });
});
