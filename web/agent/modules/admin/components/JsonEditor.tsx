/** A JSON value edited as text: parse errors here, the server's schema errors below, saved by `save`. */
import { useState, type FormEvent } from 'react';
import { useI18n } from '../../../app/i18n.ts';
import { useSubmit } from '../hooks/useSubmit.ts';
import { parseJson } from '../utils/field-errors.ts';
import { FormMessage } from './Field.tsx';

export function JsonEditor({ id, label, value, save, onSaved }: { id: string; label: string; value: unknown; save(value: unknown): Promise<unknown>; onSaved(): void }) {
  const { t } = useI18n();
  const [text, setText] = useState(() => JSON.stringify(value, null, 2));
  const [ok, setOk] = useState('');
  const { busy, errors, setErrors, run } = useSubmit();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setOk('');
    const parsed = parseJson(text);
    if (!parsed.ok) return setErrors({ fields: {}, form: t('admin.json.invalid', { message: parsed.message }) });
    if ((await run(async () => { await save(parsed.value); return true; })) === true) {
      setOk(t('admin.savedPlain'));
      onSaved();
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} aria-label={label}>
      <label htmlFor={id} className="sr-only">{label}</label>
      <textarea id={id} className="json-editor" spellCheck={false} value={text} aria-invalid={Boolean(errors.form)} aria-describedby={`${id}-msg`} onChange={(e) => setText(e.target.value)} />
      <div id={`${id}-msg`}>
        {errors.issues?.length
          ? <ul className="form-error" role="alert" data-testid="json-issues">{errors.issues.map((i, n) => <li key={n}>{i.path && i.path !== 'body' ? <code>{i.path.replace(/^body\./, '')}</code> : null} {i.text}</li>)}</ul>
          : <FormMessage text={errors.form ?? (Object.entries(errors.fields).map(([k, m]) => `${k}: ${m}`).join('; ') || null)} />}
      </div>
      <p className="form-ok" role="status">{ok}</p>
      <button type="submit" disabled={busy}>{t('admin.save')}</button>
    </form>
  );
}
