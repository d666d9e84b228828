/**
 * Deleting a category, asked first: only one nothing uses can go (the server answers 409 with
 * what uses it); then the admin is offered to switch it off instead, which keeps it on the
 * tickets that have it.
 */
import { useState } from 'react';
import { api, ApiError } from '../../../../shared/api/client.ts';
import { useI18n } from '../../../app/i18n.ts';
import { inUseParts, type InUse } from '../utils/category-use.ts';

interface Category { id: string; code: string; active: boolean }

export function DeleteCategory({ category, onDone }: { category: Category; onDone(msg: string): void }) {
  const { t, lang } = useI18n();
  const [busy, setBusy] = useState(false);
  const [refused, setRefused] = useState<InUse | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const act = async (send: () => Promise<unknown>, msg: string) => {
    setBusy(true);
    setProblem(null);
    try {
      await send();
      onDone(msg);
    } catch (e) {
      const err = e instanceof ApiError ? e : null;
      const inUse = err?.code === 'conflict' && typeof err.details === 'object' && err.details !== null ? (err.details as { inUse?: InUse }).inUse : undefined;
      if (inUse) setRefused(inUse);
      else setProblem(err ? err.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  const parts = refused ? inUseParts(refused).map((p) => t(p.key, { n: p.n })) : [];
  const list = new Intl.ListFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', { style: 'long', type: 'conjunction' }).format(parts);
  return (
    <div className="confirm card" role="group" aria-label={t('admin.categories.deleteNamed', { name: category.code })} data-testid="category-delete" style={{ marginBottom: 16, maxWidth: 560 }}>
      {refused ? (
        <p role="alert">{t(category.active ? 'admin.categories.inUse' : 'admin.categories.inUseOff', { name: category.code, uses: list })}</p>
      ) : <p>{t('admin.categories.confirmDelete', { name: category.code })}</p>}
      {problem ? <p className="form-error" role="alert">{problem}</p> : null}
      <div className="actions">
        {refused
          ? (category.active ? <button type="button" disabled={busy} onClick={() => void act(() => api('PATCH', `/categories/${category.id}`, { body: { active: false } }), t('admin.categories.switchedOff', { name: category.code }))}>{t('admin.categories.switchOff')}</button> : null)
          : <button type="button" className="danger" disabled={busy} onClick={() => void act(() => api('DELETE', `/categories/${category.id}`), t('admin.categories.deleted', { name: category.code }))}>{t('admin.categories.confirmDeleteButton')}</button>}
        <button type="button" className="secondary" onClick={() => onDone('')}>{t('admin.cancel')}</button>
      </div>
    </div>
  );
}
