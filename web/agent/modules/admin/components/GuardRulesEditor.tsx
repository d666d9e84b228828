/**
 * guard.rules without JSON (Q1: "the lists are data"): each lexicon class as words one per line,
 * each category's default suggestion as text, the rules as rows added, edited and removed in a
 * draft, a "try it" box that checks sample text against the unsaved draft (POST /guard/check with
 * `config`), and one save. A rule the server refuses (422 invalid_guard_rule) is marked by its row.
 */
import { useMemo, useState } from 'react';
import { api, ApiError } from '../../../../shared/api/client.ts';
import { useI18n } from '../../../app/i18n.ts';
import { addClass, GUARD_CATEGORIES, GUARD_CHANNELS, removeClass, removeRule, putRule, ruleMatchText, setClassWords, setSuggestion, wordsToText, type GuardChannel, type GuardConfig } from '../utils/guard-config.ts';
import { GuardRuleForm } from './GuardRuleForm.tsx';
import { Field, FormMessage } from './Field.tsx';

interface Finding { ruleId: string; category: string; severity: 'block' | 'warn'; text: string; suggestion: string; advice: boolean }

type Problem = { text: string; detail?: string; ruleIndex?: number };

/** After rule `removed` leaves the draft: its refusal goes; a refusal of a later rule follows its row up. */
function shiftMark(p: Problem | null, removed: number): Problem | null {
  if (p?.ruleIndex === undefined) return p;
  if (p.ruleIndex === removed) return null;
  return p.ruleIndex > removed ? { ...p, ruleIndex: p.ruleIndex - 1 } : p;
}

export function GuardRulesEditor({ value, onSaved }: { value: GuardConfig; onSaved(): void }) {
  const { t } = useI18n();
  // Class words and suggestions are kept as typed (a trailing new line must survive typing) and turned into the config when used.
  const [classTexts, setClassTexts] = useState<Record<string, string>>(() => Object.fromEntries(Object.entries(value.classes).map(([k, w]) => [k, wordsToText(w)])));
  const [suggestionTexts, setSuggestionTexts] = useState<Record<string, string>>(() => Object.fromEntries(GUARD_CATEGORIES.map((c) => [c, value.suggestions[c] ?? ''])));
  const [rulesConfig, setRulesConfig] = useState<GuardConfig>(value);
  const [editing, setEditing] = useState<number | 'new' | null>(null);
  const [newClass, setNewClass] = useState('');
  const [classProblem, setClassProblem] = useState<string | null>(null);
  const [dirty, setDirty] = useState(false);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [sample, setSample] = useState('');
  const [channel, setChannel] = useState<GuardChannel>('chat');
  const [findings, setFindings] = useState<Finding[] | null>(null);

  const draft = useMemo<GuardConfig>(() => {
    let c: GuardConfig = { ...rulesConfig, classes: {} };
    for (const [name, text] of Object.entries(classTexts)) c = setClassWords(c, name, text);
    for (const cat of GUARD_CATEGORIES) c = setSuggestion(c, cat, suggestionTexts[cat] ?? '');
    return c;
  }, [rulesConfig, classTexts, suggestionTexts]);
  const changed = () => { setDirty(true); setStatus(''); };

  const refusal = (e: unknown): Problem => {
    if (e instanceof ApiError && e.code === 'invalid_guard_rule') {
      const d = (e.details ?? {}) as { ruleId?: string; index?: number };
      return { text: t('admin.guard.ruleRefused', { id: d.ruleId ?? '' }), detail: e.message, ...(typeof d.index === 'number' ? { ruleIndex: d.index } : {}) };
    }
    return { text: e instanceof ApiError ? e.message : String(e) };
  };
  const save = async () => {
    setBusy(true);
    setProblem(null);
    setStatus('');
    try {
      await api('PUT', '/settings/guard.rules', { body: draft });
      setDirty(false);
      setStatus(t('admin.savedPlain'));
      onSaved();
    } catch (e) {
      setProblem(refusal(e));
    } finally {
      setBusy(false);
    }
  };
  const tryIt = async () => {
    if (!sample.trim()) return;
    setProblem(null);
    try {
      const res = await api<{ findings: Finding[] }>('POST', '/guard/check', { body: { text: sample, channel, config: draft } });
      setFindings(res.findings);
    } catch (e) {
      setFindings(null);
      setProblem(refusal(e));
    }
  };
  const addNewClass = () => {
    const name = newClass.trim().toUpperCase();
    if (!addClass(draft, name)) return setClassProblem(t('admin.guard.classNameBad'));
    setClassProblem(null);
    setClassTexts((o) => ({ ...o, [name]: '' }));
    setNewClass('');
    changed();
  };
  const dropClass = (name: string) => {
    if (!removeClass(draft, name)) return setClassProblem(t('admin.guard.classInUse', { name }));
    setClassProblem(null);
    setClassTexts(({ [name]: _gone, ...rest }) => rest);
    changed();
  };

  return (
    <div data-testid="guard-editor">
      <p className="muted">{t('admin.guard.intro')}</p>
      <section aria-labelledby="guard-classes-title">
        <h3 id="guard-classes-title">{t('admin.guard.classes')}</h3>
        <p className="muted">{t('admin.guard.classesHint')}</p>
        <div className="guard-classes">
          {Object.keys(classTexts).sort().map((name) => (
            <div key={name} className="field" data-testid="guard-class">
              <label htmlFor={`class-${name}`}><code>{`{${name}}`}</code></label>
              <textarea id={`class-${name}`} aria-label={t('admin.guard.classWords', { name })} spellCheck={false} value={classTexts[name]} onChange={(e) => { const v = e.target.value; setClassTexts((o) => ({ ...o, [name]: v })); changed(); }} />
              <button type="button" className="secondary small-button" aria-label={t('admin.guard.removeClassNamed', { name })} onClick={() => dropClass(name)}>{t('admin.guard.remove')}</button>
            </div>
          ))}
        </div>
        <div className="actions" style={{ marginTop: 8 }}>
          <label htmlFor="new-class" className="sr-only">{t('admin.guard.newClass')}</label>
          <input id="new-class" placeholder={t('admin.guard.newClass')} value={newClass} onChange={(e) => setNewClass(e.target.value)} style={{ maxWidth: 200 }} />
          <button type="button" className="secondary" onClick={addNewClass}>{t('admin.guard.addClass')}</button>
        </div>
        {classProblem ? <p className="form-error" role="alert">{classProblem}</p> : null}
      </section>

      <section aria-labelledby="guard-suggestions-title">
        <h3 id="guard-suggestions-title">{t('admin.guard.suggestions')}</h3>
        <p className="muted">{t('admin.guard.suggestionsHint')}</p>
        <div className="admin-form">
          {GUARD_CATEGORIES.map((c) => (
            <Field key={c} id={`suggestion-${c}`} label={t(`guard.category.${c}`)}>{(a) => <input {...a} value={suggestionTexts[c] ?? ''} onChange={(e) => { const v = e.target.value; setSuggestionTexts((o) => ({ ...o, [c]: v })); changed(); }} />}</Field>
          ))}
        </div>
      </section>

      <section aria-labelledby="guard-rules-title">
        <h3 id="guard-rules-title">{t('admin.guard.rules', { count: rulesConfig.rules.length })}</h3>
        <table className="admin-table guard-rules" data-testid="guard-rules">
          <thead><tr><th>{t('admin.guard.ruleId')}</th><th>{t('admin.guard.category')}</th><th>{t('admin.guard.match')}</th><th>{t('admin.guard.severity')}</th><th>{t('admin.guard.channels')}</th><th>{t('admin.guard.adviceShort')}</th><th>{t('admin.guard.suggestion')}</th><th><span className="sr-only">{t('admin.actions')}</span></th></tr></thead>
          <tbody>
            {rulesConfig.rules.map((r, i) => (
              <tr key={`${r.id}-${i}`} data-testid="guard-rule-row" className={problem?.ruleIndex === i ? 'rule-invalid' : undefined} aria-invalid={problem?.ruleIndex === i || undefined}>
                <td><code>{r.id}</code></td><td>{t(`guard.category.${r.category}`)}</td><td className="match" title={ruleMatchText(r)}><code>{ruleMatchText(r)}</code></td><td>{t(`guard.severity.${r.severity}`)}</td>
                <td>{GUARD_CHANNELS.filter((c) => r.channels.includes(c)).map((c) => t(`admin.channel.${c}`)).join('、')}</td>
                <td>{r.advice ? t('admin.yes') : t('admin.no')}</td><td>{r.suggestion ?? '—'}</td>
                <td className="row-actions">
                  <button type="button" className="secondary small-button" aria-label={t('admin.editNamed', { name: r.id })} onClick={() => setEditing(i)}>{t('admin.edit')}</button>
                  <button type="button" className="secondary small-button danger" aria-label={t('admin.guard.removeRuleNamed', { name: r.id })} onClick={() => { setEditing(null); setRulesConfig((c) => removeRule(c, i)); setProblem((p) => shiftMark(p, i)); changed(); }}>{t('admin.guard.remove')}</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {editing === null ? <button type="button" className="secondary" onClick={() => setEditing('new')}>{t('admin.guard.addRule')}</button> : (
          <GuardRuleForm key={String(editing)} config={draft} index={editing === 'new' ? null : editing} onCancel={() => setEditing(null)}
            onSave={(rule) => { setRulesConfig((c) => putRule(c, editing === 'new' ? null : editing, rule)); if (editing !== 'new' && problem?.ruleIndex === editing) setProblem(null); setEditing(null); changed(); }} />
        )}
      </section>

      <section aria-labelledby="guard-try-title" className="card" style={{ marginTop: 12 }}>
        <h3 id="guard-try-title">{t('admin.guard.tryTitle')}</h3>
        <p className="muted">{t('admin.guard.tryHint')}</p>
        <label htmlFor="guard-sample" className="sr-only">{t('admin.guard.sample')}</label>
        <textarea id="guard-sample" rows={3} placeholder={t('admin.guard.sample')} value={sample} onChange={(e) => setSample(e.target.value)} />
        <div className="actions" style={{ marginTop: 6 }}>
          <label htmlFor="guard-channel" className="sr-only">{t('admin.guard.channels')}</label>
          <select id="guard-channel" value={channel} onChange={(e) => setChannel(e.target.value as GuardChannel)}>{GUARD_CHANNELS.map((c) => <option key={c} value={c}>{t(`admin.channel.${c}`)}</option>)}</select>
          <button type="button" className="secondary" onClick={() => void tryIt()}>{t('admin.guard.tryButton')}</button>
        </div>
        <div aria-live="polite" data-testid="guard-try-result">
          {findings === null ? null : findings.length === 0 ? <p className="form-ok">{t('admin.guard.noFindings')}</p> : (
            <ul className="findings">
              {findings.map((f, i) => (
                <li key={i}>「{f.text}」 {t(`guard.category.${f.category as (typeof GUARD_CATEGORIES)[number]}`)} · {t(`guard.severity.${f.severity}`)} · <code>{f.ruleId}</code>{f.suggestion ? ` → ${f.suggestion}` : ''}</li>
              ))}
            </ul>
          )}
        </div>
      </section>

      <div style={{ marginTop: 12 }}>
        <div data-testid="guard-problem">
          <FormMessage text={problem?.text ?? null} />
          {problem?.detail ? <p className="muted"><code>{problem.detail}</code></p> : null}
        </div>
        <p className="form-ok" role="status" data-testid="guard-status">{dirty ? t('admin.guard.unsaved') : status}</p>
        <button type="button" disabled={busy} onClick={() => void save()}>{t('admin.guard.save')}</button>
      </div>
    </div>
  );
}
