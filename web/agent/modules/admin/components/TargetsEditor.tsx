/** reports.targets as three percentages (SPEC A1): the dashboard's SLA-compliance mark, resolution rate, CSAT. */
import { useState, type FormEvent } from 'react';
import { api } from '../../../../shared/api/client.ts';
import { useI18n, type AgentMessageKey } from '../../../app/i18n.ts';
import { useSubmit } from '../hooks/useSubmit.ts';
import { fractionToPercent, percentToFraction, TARGET_KEYS, type TargetKey, type Targets } from '../utils/targets.ts';
import { Field, FormMessage } from './Field.tsx';

const LABELS: Record<TargetKey, AgentMessageKey> = { slaCompliance: 'admin.targets.slaCompliance', resolutionRate: 'admin.targets.resolutionRate', csat: 'admin.targets.csat' };

export function TargetsEditor({ value, onSaved }: { value: Targets; onSaved(): void }) {
  const { t } = useI18n();
  const [text, setText] = useState<Record<TargetKey, string>>(() => ({ slaCompliance: fractionToPercent(value.slaCompliance), resolutionRate: fractionToPercent(value.resolutionRate), csat: fractionToPercent(value.csat) }));
  const [ok, setOk] = useState('');
  const { busy, errors, setErrors, run } = useSubmit();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setOk('');
    const body = {} as Targets;
    const bad: Record<string, string> = {};
    for (const k of TARGET_KEYS) {
      const f = percentToFraction(text[k]);
      if (f === null) bad[k] = t('admin.targets.bad');
      else body[k] = f;
    }
    if (Object.keys(bad).length) return setErrors({ fields: bad, form: null });
    if ((await run(async () => { await api('PUT', '/settings/reports.targets', { body }); return true; })) === true) {
      setOk(t('admin.savedPlain'));
      onSaved();
    }
  };
  return (
    <form className="admin-form targets-form" onSubmit={(e) => void submit(e)} aria-label={t('admin.targets.title')} data-testid="targets-editor" noValidate>
      <p className="muted wide">{t('admin.targets.hint')}</p>
      {TARGET_KEYS.map((k) => (
        <Field key={k} id={`target-${k}`} label={t(LABELS[k])} error={errors.fields[k]}>{(a) => <input {...a} inputMode="decimal" value={text[k]} onChange={(e) => { const v = e.target.value; setText((o) => ({ ...o, [k]: v })); }} />}</Field>
      ))}
      <div className="wide"><FormMessage text={errors.form} /><p className="form-ok" role="status">{ok}</p><button type="submit" disabled={busy}>{t('admin.save')}</button></div>
    </form>
  );
}
