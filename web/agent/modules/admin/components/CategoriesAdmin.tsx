/** Ticket categories (multi-level): the tree as a list, a new category under any parent, edits, and deletion of one nothing uses (else switched off). */
import { useState, type FormEvent } from 'react';
import { api } from '../../../../shared/api/client.ts';
import { useApiData } from '../../../../shared/api/useApiData.ts';
import { useI18n } from '../../../app/i18n.ts';
import { useSubmit } from '../hooks/useSubmit.ts';
import { DeleteCategory } from './DeleteCategory.tsx';
import { Field, FormMessage } from './Field.tsx';

interface Category { id: string; parentId: string | null; code: string; nameZh: string; nameEn: string; ticketType: string | null; skill: string | null; active: boolean }

function EditCategory({ category, onDone }: { category: Category; onDone(msg: string): void }) {
  const { t } = useI18n();
  const [v, setV] = useState({ nameZh: category.nameZh, nameEn: category.nameEn, ticketType: category.ticketType ?? '', skill: category.skill ?? '' });
  const [active, setActive] = useState(category.active);
  const { busy, errors, run } = useSubmit();
  const set = (k: keyof typeof v) => (e: { target: { value: string } }) => setV((o) => ({ ...o, [k]: e.target.value }));
  const id = `cat-${category.id}`;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const opt = (s: string) => (s.trim() ? s.trim() : null);
    const body = { nameZh: v.nameZh.trim(), nameEn: v.nameEn.trim(), ticketType: opt(v.ticketType), skill: opt(v.skill), active };
    if (await run(() => api('PATCH', `/categories/${category.id}`, { body }))) onDone(t('admin.savedPlain'));
  };
  return (
    <form className="card admin-form" onSubmit={(e) => void submit(e)} aria-label={t('admin.editNamed', { name: category.code })} data-testid="category-edit" noValidate style={{ marginBottom: 16 }}>
      <h2 className="wide">{t('admin.editNamed', { name: category.code })}</h2>
      <Field id={`${id}-zh`} label={t('admin.field.nameZh')} error={errors.fields.nameZh}>{(a) => <input {...a} value={v.nameZh} onChange={set('nameZh')} />}</Field>
      <Field id={`${id}-en`} label={t('admin.field.nameEn')} error={errors.fields.nameEn}>{(a) => <input {...a} value={v.nameEn} onChange={set('nameEn')} />}</Field>
      <Field id={`${id}-type`} label={t('admin.categories.ticketType')} error={errors.fields.ticketType}>{(a) => <input {...a} value={v.ticketType} onChange={set('ticketType')} />}</Field>
      <Field id={`${id}-skill`} label={t('admin.categories.skill')} error={errors.fields.skill}>{(a) => <input {...a} value={v.skill} onChange={set('skill')} />}</Field>
      <label className="check wide"><input type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} />{t('admin.field.active')}</label>
      <div className="wide"><FormMessage text={errors.form} /><div className="actions"><button type="submit" disabled={busy}>{t('admin.save')}</button><button type="button" className="secondary" onClick={() => onDone('')}>{t('admin.cancel')}</button></div></div>
    </form>
  );
}

export default function CategoriesAdmin() {
  const { t, lang } = useI18n();
  const cats = useApiData<{ items: Category[] }>('/categories');
  const empty = { code: '', nameZh: '', nameEn: '', parentId: '', ticketType: '', skill: '' };
  const [v, setV] = useState(empty);
  const [status, setStatus] = useState('');
  const [editing, setEditing] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<string | null>(null);
  const [editStatus, setEditStatus] = useState('');
  const { busy, errors, run } = useSubmit({ conflictField: 'code' });
  const set = (k: keyof typeof v) => (e: { target: { value: string } }) => setV((o) => ({ ...o, [k]: e.target.value }));
  const byId = new Map((cats.data?.items ?? []).map((c) => [c.id, c]));
  const editingCat = cats.data?.items.find((c) => c.id === editing);
  const deletingCat = cats.data?.items.find((c) => c.id === deleting);
  const name = (c: Category) => (lang === 'zh' ? c.nameZh : c.nameEn);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setStatus('');
    const opt = (s: string) => (s.trim() ? s.trim() : null);
    const body = { code: v.code.trim(), nameZh: v.nameZh.trim(), nameEn: v.nameEn.trim(), parentId: opt(v.parentId), ticketType: opt(v.ticketType), skill: opt(v.skill) };
    if (await run(() => api('POST', '/categories', { body }))) {
      setStatus(t('admin.created'));
      setV(empty);
      cats.reload();
    }
  };
  return (
    <div data-testid="admin-categories">
      <h1>{t('admin.section.categories')}</h1>
      {!cats.data ? <p className="notice">{cats.error ? cats.error.message : t('common.loading')}</p> : (
        <table className="admin-table">
          <thead><tr><th>{t('admin.field.code')}</th><th>{t('admin.field.name')}</th><th>{t('admin.categories.parent')}</th><th>{t('admin.categories.ticketType')}</th><th>{t('admin.categories.skill')}</th><th>{t('admin.field.active')}</th><th><span className="sr-only">{t('admin.actions')}</span></th></tr></thead>
          <tbody>{cats.data.items.map((c) => { const p = c.parentId ? byId.get(c.parentId) : undefined; return <tr key={c.id}><td><code>{c.code}</code></td><td>{name(c)}</td><td>{p ? name(p) : '—'}</td><td>{c.ticketType ?? '—'}</td><td>{c.skill ?? '—'}</td><td>{c.active ? t('admin.yes') : t('admin.no')}</td>
            <td className="row-actions"><button type="button" className="secondary small-button" aria-label={t('admin.editNamed', { name: c.code })} onClick={() => { setEditStatus(''); setDeleting(null); setEditing(c.id); }}>{t('admin.edit')}</button>
              <button type="button" className="secondary small-button danger" aria-label={t('admin.categories.deleteNamed', { name: c.code })} onClick={() => { setEditStatus(''); setEditing(null); setDeleting(c.id); }}>{t('admin.categories.delete')}</button></td></tr>; })}</tbody>
        </table>
      )}
      <p className="form-ok" role="status" data-testid="admin-status">{editStatus}</p>
      {deletingCat ? <DeleteCategory key={deletingCat.id} category={deletingCat} onDone={(msg) => { setDeleting(null); setEditStatus(msg); if (msg) cats.reload(); }} /> : null}
      {editingCat ? <EditCategory key={editingCat.id} category={editingCat} onDone={(msg) => { setEditing(null); setEditStatus(msg); if (msg) cats.reload(); }} /> : null}
      <form className="card admin-form" onSubmit={(e) => void submit(e)} aria-label={t('admin.categories.create')} noValidate>
        <h2 className="wide">{t('admin.categories.create')}</h2>
        <Field id="cat-code" label={t('admin.field.code')} error={errors.fields.code} hint={t('admin.codeHint')}>{(a) => <input {...a} value={v.code} onChange={set('code')} />}</Field>
        <Field id="cat-parent" label={t('admin.categories.parent')} error={errors.fields.parentId}>{(a) => <select {...a} value={v.parentId} onChange={set('parentId')}><option value="">—</option>{(cats.data?.items ?? []).map((c) => <option key={c.id} value={c.id}>{name(c)}</option>)}</select>}</Field>
        <Field id="cat-zh" label={t('admin.field.nameZh')} error={errors.fields.nameZh}>{(a) => <input {...a} value={v.nameZh} onChange={set('nameZh')} />}</Field>
        <Field id="cat-en" label={t('admin.field.nameEn')} error={errors.fields.nameEn}>{(a) => <input {...a} value={v.nameEn} onChange={set('nameEn')} />}</Field>
        <Field id="cat-type" label={t('admin.categories.ticketType')} error={errors.fields.ticketType}>{(a) => <input {...a} value={v.ticketType} onChange={set('ticketType')} />}</Field>
        <Field id="cat-skill" label={t('admin.categories.skill')} error={errors.fields.skill}>{(a) => <input {...a} value={v.skill} onChange={set('skill')} />}</Field>
        <div className="wide"><FormMessage text={errors.form} /><p className="form-ok" role="status">{status}</p><button type="submit" disabled={busy}>{t('admin.create')}</button></div>
      </form>
    </div>
  );
}
