/**
 * The one catalogue of error codes and the one table mapping them to HTTP statuses.
 * Services throw AppError; the HTTP layer turns it into {"error":{"code","message"}}.
 */
export const ERROR_STATUS = {
  bad_request: 400,
  validation_failed: 400,
  invalid_json: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  account_locked: 423,
  account_disabled: 403,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  invalid_transition: 409,
  customer_not_notified: 409,
  idempotency_mismatch: 422,
  guard_blocked: 422,
  invalid_guard_rule: 422,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  web_not_built: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export const notFound = (what: string, id: string): AppError => new AppError('not_found', `${what} ${id} does not exist`);
export const forbidden = (message = 'you are not allowed to do this'): AppError => new AppError('forbidden', message);
