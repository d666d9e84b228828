/** kb.synonyms as lines of words: one group of words that mean the same per line. */
import { useState, type FormEvent } from 'react';
import { api } from '../../../../shared/api/client.ts';
import { useI18n } from '../../../app/i18n.ts';
import { useSubmit } from '../hooks/useSubmit.ts';
import { synonymsToText, textToSynonyms } from '../utils/list-text.ts';
import { FormMessage } from './Field.tsx';

export function SynonymsEditor({ value, onSaved }: { value: string[][]; onSaved(): void }) {
  const { t } = useI18n();
  const [text, setText] = useState(() => synonymsToText(value));
  const [ok, setOk] = useState('');
  const { busy, errors, setErrors, run } = useSubmit();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setOk('');
    const parsed = textToSynonyms(text);
    if (!parsed.ok) return setErrors({ fields: {}, form: t('admin.synonyms.oneWord', { line: parsed.line }) });
    if ((await run(async () => { await api('PUT', '/settings/kb.synonyms', { body: parsed.value }); return true; })) === true) {
      setOk(t('admin.synonyms.saved', { count: parsed.value.length }));
      onSaved();
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} aria-label={t('admin.synonyms.title')} data-testid="synonyms-editor">
      <label htmlFor="synonyms-text">{t('admin.synonyms.title')}</label>
      <p id="synonyms-hint" className="muted">{t('admin.synonyms.hint')}</p>
      <textarea id="synonyms-text" className="json-editor" value={text} aria-describedby="synonyms-hint synonyms-msg" aria-invalid={Boolean(errors.form)} onChange={(e) => setText(e.target.value)} />
      <div id="synonyms-msg"><FormMessage text={errors.form} /></div>
      <p className="form-ok" role="status">{ok}</p>
      <button type="submit" disabled={busy}>{t('admin.save')}</button>
    </form>
  );
}
