/**
 * Validation issues in the user's language: the server sends zod's issue code and limits (and its
 * own codes for calendars and account refusals) beside an English message; this table picks the
 * message key, field-specific first, then by code. Null: no wording here, keep the server's text.
 */
import type { AgentMessageKey } from '../../../../shared/i18n/agent-dictionaries.ts';
import type { Issue } from './field-errors.ts';

export interface IssueText {
  key: AgentMessageKey;
  params: Record<string, string | number>;
}

/** Formats only these fields have (their pattern is theirs, so is the sentence). */
const FIELD_FORMAT: Partial<Record<string, AgentMessageKey>> = {
  username: 'admin.issue.username',
  code: 'admin.issue.code',
  phoneExtension: 'admin.issue.phoneExtension',
  clock: 'admin.issue.clock',
};

/** Codes the server's services set themselves (details.code, or issues from a calendar). */
const SERVICE_CODES: Partial<Record<string, AgentMessageKey>> = {
  calendar_timeZone: 'admin.issue.calendarTimeZone',
  calendar_weeklyHours: 'admin.issue.calendarWeeklyHours',
  calendar_holidays: 'admin.issue.calendarHolidays',
  calendar_workdays: 'admin.issue.calendarWorkdays',
  self_disable: 'admin.issue.selfDisable',
  own_role: 'admin.issue.ownRole',
  not_staff: 'admin.issue.notStaff',
  api_key_account: 'admin.issue.apiKeyAccount',
  duplicate_member: 'admin.issue.duplicateMember',
  conflict: 'admin.issue.taken',
};

export function issueText(issue: Issue): IssueText | null {
  const service = SERVICE_CODES[issue.code];
  if (service) return { key: service, params: {} };
  const min = issue.minimum ?? 0;
  const max = issue.maximum ?? 0;
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'string') return min <= 1 ? { key: 'admin.issue.required', params: {} } : { key: 'admin.issue.tooShort', params: { min } };
      if (issue.origin === 'array' || issue.origin === 'set') return { key: 'admin.issue.minItems', params: { min } };
      return { key: issue.inclusive === false ? 'admin.issue.greaterThan' : 'admin.issue.atLeast', params: { min } };
    case 'too_big':
      if (issue.origin === 'string') return { key: 'admin.issue.tooLong', params: { max } };
      if (issue.origin === 'array' || issue.origin === 'set') return { key: 'admin.issue.maxItems', params: { max } };
      return { key: issue.inclusive === false ? 'admin.issue.lessThan' : 'admin.issue.atMost', params: { max } };
    case 'invalid_type':
      if (issue.expected === 'number' || issue.expected === 'int') return { key: issue.expected === 'int' ? 'admin.issue.integer' : 'admin.issue.number', params: {} };
      return { key: 'admin.issue.required', params: {} };
    case 'invalid_format': {
      const own = issue.field ? FIELD_FORMAT[issue.field] : undefined;
      if (own) return { key: own, params: {} };
      if (issue.format === 'uuid') return { key: 'admin.issue.choose', params: {} };
      if (issue.format === 'email') return { key: 'admin.issue.email', params: {} };
      if (issue.format === 'url') return { key: 'admin.issue.url', params: {} };
      return { key: 'admin.issue.format', params: {} };
    }
    case 'invalid_value':
      return { key: 'admin.issue.choose', params: {} };
    case 'not_multiple_of':
      return { key: 'admin.issue.integer', params: {} };
    default:
      return null;
  }
}
