/** One write from the ticket page: busy while it runs, the server's message when it refuses, a notice when done. */
import { useCallback, useState } from 'react';
import { ApiError } from '../../../../shared/api/client.ts';

export interface Action {
  busy: boolean;
  error: string | null;
  done: string;
  run(work: () => Promise<unknown>, doneText: string): Promise<boolean>;
}

export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState('');
  const run = useCallback(async (work: () => Promise<unknown>, doneText: string): Promise<boolean> => {
    setBusy(true);
    setError(null);
    setDone('');
    try {
      await work();
      setDone(doneText);
      return true;
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, done, run };
}
