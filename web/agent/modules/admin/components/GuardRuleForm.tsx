/** One language-guard rule edited in the draft: how it matches (a pattern naming lexicon classes, or phrases), category, severity, channels, suggestion, advice. */
import { useState, type FormEvent } from 'react';
import { useI18n, type AgentMessageKey } from '../../../app/i18n.ts';
import { fromDraft, GUARD_CATEGORIES, GUARD_CHANNELS, toDraft, type GuardConfig, type GuardRule, type RuleProblem } from '../utils/guard-config.ts';
import { Field } from './Field.tsx';

function problemKey(p: RuleProblem): AgentMessageKey {
  if (p.field === 'id') return p.problem === 'taken' ? 'admin.guard.idTaken' : 'admin.issue.required';
  if (p.field === 'channels') return 'admin.guard.channelsRequired';
  return p.problem === 'unknown_class' ? 'admin.guard.unknownClass' : 'admin.guard.patternRequired';
}

export function GuardRuleForm({ config, index, onSave, onCancel }: { config: GuardConfig; index: number | null; onSave(rule: GuardRule): void; onCancel(): void }) {
  const { t } = useI18n();
  const [d, setD] = useState(() => toDraft(index === null ? null : config.rules[index]!));
  const [problems, setProblems] = useState<Record<string, string>>({});
  const set = (k: 'id' | 'pattern' | 'phrases' | 'suggestion' | 'category' | 'severity') => (e: { target: { value: string } }) => setD((o) => ({ ...o, [k]: e.target.value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const r = fromDraft(d, config, index);
    if (!r.ok) {
      const out: Record<string, string> = {};
      for (const p of r.problems) out[p.field] ??= t(problemKey(p), { name: p.field === 'pattern' && p.name ? p.name : '' });
      return setProblems(out);
    }
    onSave(r.rule);
  };
  const title = index === null ? t('admin.guard.addRule') : t('admin.editNamed', { name: config.rules[index]!.id });
  return (
    <form className="card admin-form" onSubmit={submit} aria-label={title} data-testid="guard-rule-form" noValidate>
      <h3 className="wide">{title}</h3>
      <Field id="rule-id" label={t('admin.guard.ruleId')} error={problems.id} hint={t('admin.guard.ruleIdHint')}>{(a) => <input {...a} value={d.id} onChange={set('id')} />}</Field>
      <Field id="rule-category" label={t('admin.guard.category')}>{(a) => <select {...a} value={d.category} onChange={set('category')}>{GUARD_CATEGORIES.map((c) => <option key={c} value={c}>{t(`guard.category.${c}`)}</option>)}</select>}</Field>
      <Field id="rule-severity" label={t('admin.guard.severity')}>{(a) => <select {...a} value={d.severity} onChange={set('severity')}><option value="block">{t('guard.severity.block')}</option><option value="warn">{t('guard.severity.warn')}</option></select>}</Field>
      <div className="wide">
        <Field id="rule-pattern" label={t('admin.guard.pattern')} error={problems.pattern} hint={t('admin.guard.patternHint')}>{(a) => <input {...a} spellCheck={false} value={d.pattern} onChange={set('pattern')} />}</Field>
      </div>
      <div className="wide">
        <Field id="rule-phrases" label={t('admin.guard.phrases')} hint={t('admin.guard.phrasesHint')}>{(a) => <textarea {...a} rows={3} value={d.phrases} onChange={set('phrases')} />}</Field>
      </div>
      <div className="wide">
        <Field id="rule-suggestion" label={t('admin.guard.suggestion')} hint={t('admin.guard.ruleSuggestionHint')}>{(a) => <input {...a} value={d.suggestion} onChange={set('suggestion')} />}</Field>
      </div>
      <fieldset className="wide mode">
        <legend>{t('admin.guard.channels')}</legend>
        {GUARD_CHANNELS.map((c) => (
          <label key={c} className="check"><input type="checkbox" checked={d.channels.includes(c)} onChange={(e) => setD((o) => ({ ...o, channels: e.target.checked ? [...o.channels, c] : o.channels.filter((x) => x !== c) }))} />{t(`admin.channel.${c}`)}</label>
        ))}
        {problems.channels ? <p className="field-error" role="alert">{problems.channels}</p> : null}
      </fieldset>
      <label className="check wide"><input type="checkbox" checked={d.advice} onChange={(e) => setD((o) => ({ ...o, advice: e.target.checked }))} />{t('admin.guard.advice')}</label>
      <div className="wide actions"><button type="submit">{t('admin.guard.applyRule')}</button><button type="button" className="secondary" onClick={onCancel}>{t('admin.cancel')}</button></div>
    </form>
  );
}
