/**
 * What the user reads when the server refuses something. The API's messages are English, written
 * for integrators; a person in the Chinese workspace should not meet them bare. Codes whose meaning
 * is whole (signed out, no permission, too many attempts, the customer not told yet…) get a text
 * of their own in the user's language; codes whose server message carries the specifics (a
 * conflict, a refused state change, something missing) get a lead in the user's language with the
 * server's specifics after it; field validation keeps the server's text, which the forms map to
 * their fields themselves.
 */
import { COMMON_MESSAGES, type CommonMessageKey } from '../i18n/common-messages.ts';
import { translateWith, type Lang } from '../i18n/core.ts';

const WHOLE: Record<string, CommonMessageKey> = {
  network: 'common.networkError',
  unauthenticated: 'error.unauthenticated',
  invalid_credentials: 'error.invalid_credentials',
  account_locked: 'error.account_locked',
  account_disabled: 'error.account_disabled',
  rate_limited: 'error.rate_limited',
  payload_too_large: 'error.payload_too_large',
  idempotency_mismatch: 'error.idempotency_mismatch',
  customer_not_notified: 'error.customer_not_notified',
  internal: 'error.internal',
  web_not_built: 'error.internal',
};

const LEAD: Record<string, CommonMessageKey> = {
  forbidden: 'error.forbidden',
  not_found: 'error.not_found',
  conflict: 'error.conflict',
  invalid_transition: 'error.invalid_transition',
  guard_blocked: 'error.guard_blocked',
  http_error: 'error.http_error',
};

/** The text shown for a refusal with `code` and the server's `serverMessage`, in `lang`. */
export function errorText(code: string, serverMessage: string, lang: Lang): string {
  const whole = WHOLE[code];
  if (whole) return translateWith(COMMON_MESSAGES, lang, whole);
  const lead = LEAD[code];
  if (!lead) return serverMessage;
  const text = translateWith(COMMON_MESSAGES, lang, lead);
  // The server's default wording adds nothing to the lead.
  return serverMessage && !GENERIC.has(serverMessage) ? `${text}${lang === 'zh' ? ':' : ': '}${serverMessage}` : text;
}

const GENERIC = new Set(['you are not allowed to do this']);

/** The page's language as the i18n provider set it on <html lang> (outside React: the API client). */
export function documentLang(): Lang {
  return typeof document !== 'undefined' && document.documentElement.lang.startsWith('en') ? 'en' : 'zh';
}
