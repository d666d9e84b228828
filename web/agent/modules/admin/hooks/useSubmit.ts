/**
 * Sends one admin form: busy while it runs, the server's refusal split into field and form
 * messages, each validation issue worded in the user's language where utils/issue-messages.ts
 * has words for it (else the server's text).
 */
import { useCallback, useState } from 'react';
import { ApiError } from '../../../../shared/api/client.ts';
import { useI18n } from '../../../app/i18n.ts';
import { formErrors, NO_ERRORS, type FormErrors, type Issue } from '../utils/field-errors.ts';
import { issueText } from '../utils/issue-messages.ts';

export function useSubmit(opts: { conflictField?: string } = {}) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const { conflictField } = opts;
  const run = useCallback(async <T,>(send: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      return await send();
    } catch (e) {
      const err = e instanceof ApiError ? e : new ApiError(0, 'network', String(e));
      const describe = (issue: Issue): string | null => {
        const text = issueText(issue);
        return text ? t(text.key, text.params) : null;
      };
      setErrors(formErrors(err, { ...(conflictField ? { conflictField } : {}), describe }));
      return undefined;
    } finally {
      setBusy(false);
    }
  }, [conflictField, t]);
  return { busy, errors, setErrors, run };
}
