/** The outcome line under a ticket-page form: a polite notice, or the server's refusal as an alert. */
import type { Action } from '../hooks/useAction.ts';

export function ActionStatus({ action, testId }: { action: Action; testId: string }) {
  return (
    <>
      <p className="status-line small" role="status" data-testid={`${testId}-status`}>{action.done}</p>
      {action.error && <p className="error small" role="alert" data-testid={`${testId}-error`}>{action.error}</p>}
    </>
  );
}
