/**
 * The guard's findings under the reply box, blocking ones first, each with its category, severity,
 * the approved wording and a one-click replace. A polite live region: screen readers hear the
 * summary and the list when a check answers.
 */
import type { GuardFinding } from '../../../../shared/api/client.ts';
import { useI18n, type AgentMessageKey } from '../../../app/i18n.ts';
import { findingKey, orderFindings, replacementFor } from '../utils/findings.ts';

const CATEGORY: Record<string, AgentMessageKey> = {
  forbidden: 'guard.category.forbidden',
  rhetorical: 'guard.category.rhetorical',
  blame: 'guard.category.blame',
  refusal: 'guard.category.refusal',
  slang: 'guard.category.slang',
  jargon: 'guard.category.jargon',
};

interface Props {
  id: string;
  findings: GuardFinding[];
  hasText: boolean;
  upToDate: boolean;
  error: string | null;
  onReplace(f: GuardFinding, text: string): void;
  onActive(key: string | null): void;
}

export function FindingsPanel({ id, findings, hasText, upToDate, error, onReplace, onActive }: Props) {
  const { t } = useI18n();
  const ordered = orderFindings(findings);
  const blocking = ordered.filter((f) => f.severity === 'block').length;
  let summary = '';
  if (error) summary = t('guard.unavailable', { message: error });
  else if (ordered.length > 0) summary = t('guard.summary', { n: ordered.length, blocking });
  else if (hasText && upToDate) summary = t('guard.clean');

  return (
    <div className="findings" id={id} aria-live="polite" data-testid="guard-findings">
      {summary && <p className={`guard-summary${blocking ? ' has-blocking' : ''}`} data-testid="guard-summary">{summary}</p>}
      {ordered.length > 0 && (
        <ul className="finding-list">
          {ordered.map((f) => {
            const key = findingKey(f);
            const r = replacementFor(f);
            return (
              <li
                key={key}
                className={`finding finding-${f.severity}`}
                data-testid="finding"
                data-rule={f.ruleId}
                data-severity={f.severity}
                onMouseEnter={() => onActive(key)}
                onMouseLeave={() => onActive(null)}
                onFocus={() => onActive(key)}
                onBlur={() => onActive(null)}
              >
                <div className="finding-head">
                  <span className={`badge sev-${f.severity}`}>{t(f.severity === 'block' ? 'guard.severity.block' : 'guard.severity.warn')}</span>
                  <strong>{t(CATEGORY[f.category] ?? 'guard.category.forbidden')}</strong>
                  <q className="finding-text">{f.text}</q>
                </div>
                <div className="finding-fix">
                  <span className="finding-suggestion">{r.kind === 'replace' ? t('guard.suggestion', { text: r.text }) : t('guard.advice', { text: f.suggestion })}</span>
                  {r.kind === 'replace' && (
                    <button type="button" className="secondary small-button" data-testid="replace" aria-label={t('guard.replaceLabel', { from: f.text, to: r.text })} onClick={() => onReplace(f, r.text)}>
                      {t('guard.replace')}
                    </button>
                  )}
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
