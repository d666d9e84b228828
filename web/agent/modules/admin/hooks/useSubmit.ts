/** Sends one admin form: busy while it runs, the server's refusal split into field and form messages. */
import { useCallback, useState } from 'react';
import { ApiError } from '../../../../shared/api/client.ts';
import { formErrors, NO_ERRORS, type FormErrors } from '../utils/field-errors.ts';

export function useSubmit(opts: { conflictField?: string } = {}) {
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
      setErrors(formErrors(err, conflictField ? { conflictField } : {}));
      return undefined;
    } finally {
      setBusy(false);
    }
  }, [conflictField]);
  return { busy, errors, setErrors, run };
}
