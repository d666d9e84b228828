/**
 * The language guard while the agent types: POST /guard/check ~300 ms after the last keystroke,
 * only the latest answer counts, and the findings follow the agent's edits until it arrives.
 * Off (no findings, nothing sent) when disabled — internal notes are not guarded by the server.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api, ApiError, type GuardChannel, type GuardFinding } from '../../../../shared/api/client.ts';
import { rebaseFindings } from '../utils/findings.ts';
import { createDebouncer, LatestOnly, type Debouncer } from '../../../../shared/latest.ts';

export const GUARD_DEBOUNCE_MS = 300;
/** The check endpoint's limit; the reply box allows no more. */
export const MAX_TEXT = 20_000;

export interface GuardCheck {
  /** Findings placed on the current text (carried across edits since the last answer). */
  findings: GuardFinding[];
  checking: boolean;
  /** The last check failed (network, server): the box still sends, the server still guards. */
  error: string | null;
  /** The findings are the answer for exactly the current text. */
  upToDate: boolean;
  /** Checks `text` now, without waiting (after a one-click replace). */
  checkNow(text: string): void;
  /** Shows findings known for `text` (a replacement's shifted spans, a refusal's findings) until the next answer. */
  adopt(findings: GuardFinding[], text: string): void;
}

export function useGuardCheck(text: string, channel: GuardChannel, enabled: boolean): GuardCheck {
  const [checked, setChecked] = useState<{ text: string; findings: GuardFinding[] }>({ text: '', findings: [] });
  const [checking, setChecking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const latest = useRef(new LatestOnly());
  const debouncer = useRef<Debouncer | null>(null);
  debouncer.current ??= createDebouncer(GUARD_DEBOUNCE_MS);
  /** The text the latest request asked about (in flight or answered), so it is not asked twice. */
  const asked = useRef<string | null>(null);

  const run = useCallback(
    (value: string) => {
      asked.current = value;
      const ticket = latest.current.begin();
      setChecking(true);
      api<{ findings: GuardFinding[] }>('POST', '/guard/check', { body: { text: value, channel } }).then(
        (r) => {
          if (!latest.current.isLatest(ticket)) return;
          setChecked({ text: value, findings: r.findings });
          setError(null);
          setChecking(false);
        },
        (e: unknown) => {
          if (!latest.current.isLatest(ticket)) return;
          asked.current = null;
          setError(e instanceof ApiError ? e.message : String(e));
          setChecking(false);
        },
      );
    },
    [channel],
  );

  useEffect(() => {
    const d = debouncer.current!;
    if (!enabled || text.trim() === '' || text.length > MAX_TEXT) {
      d.cancel();
      latest.current.invalidate();
      asked.current = null;
      setChecked({ text, findings: [] });
      setChecking(false);
      setError(null);
      return;
    }
    // Already asked (right after a replace, or typed back to it): drop any check pending for an older text.
    if (text === asked.current) {
      d.cancel();
      return;
    }
    d.schedule(() => run(text));
  }, [text, enabled, run]);

  useEffect(() => () => debouncer.current?.cancel(), []);

  const checkNow = useCallback(
    (value: string) => {
      debouncer.current!.cancel();
      if (value.trim() !== '' && value.length <= MAX_TEXT) run(value);
    },
    [run],
  );
  const adopt = useCallback((findings: GuardFinding[], forText: string) => setChecked({ text: forText, findings }), []);

  const findings = useMemo(() => (enabled ? rebaseFindings(checked.findings, checked.text, text) : []), [enabled, checked, text]);
  return { findings, checking, error, upToDate: checked.text === text && !checking, checkNow, adopt };
}
