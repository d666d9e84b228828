/**
 * One saved view in the inbox's side list: its link, ↑/↓ to move it (PUT /me/views/order), a
 * rename button that turns the name into a field (Enter or 保存 saves through PUT /me/views/{id},
 * Escape cancels, the focus comes back to the rename button), and delete.
 */
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { ApiError } from '../../../../shared/api/client.ts';
import { useI18n } from '../../../app/i18n.ts';
import { Link } from '../../../app/router.ts';
import type { SavedView } from '../hooks/useSavedViews.ts';
import { fromStored, searchFromFilters } from '../utils/views.ts';

interface Props {
  view: SavedView;
  current: boolean;
  onRename(view: SavedView, name: string): Promise<unknown>;
  onRemove(id: string): Promise<unknown>;
  /** Moves the view one place; absent at that end of the list. */
  onUp?: () => void;
  onDown?: () => void;
}

export function SavedViewItem({ view, current, onRename, onRemove, onUp, onDown }: Props) {
  const { t } = useI18n();
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(view.name);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const field = useRef<HTMLInputElement>(null);
  const renameButton = useRef<HTMLButtonElement>(null);
  const refocus = useRef(false);

  useEffect(() => {
    if (editing) field.current?.select();
    else if (refocus.current) {
      refocus.current = false;
      renameButton.current?.focus();
    }
  }, [editing]);

  const stop = (): void => {
    refocus.current = true;
    setEditing(false);
    setError(null);
    setName(view.name);
  };
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const next = name.trim();
    if (!next) return setError(t('inbox.views.nameRequired'));
    if (next === view.name) return stop();
    setBusy(true);
    try {
      await onRename(view, next);
      refocus.current = true;
      setEditing(false);
      setError(null);
    } catch (err) {
      setError(err instanceof ApiError && err.code === 'conflict' ? t('inbox.views.nameTaken') : t('common.error', { message: String((err as Error).message) }));
    } finally {
      setBusy(false);
    }
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>): void => {
    if (e.key === 'Escape') {
      e.preventDefault();
      stop();
    }
  };

  if (editing) {
    return (
      <li className="saved-view">
        <form className="rename-view" onSubmit={(e) => void submit(e)}>
          <input ref={field} value={name} maxLength={60} aria-label={t('inbox.views.newName', { name: view.name })} aria-invalid={error ? true : undefined} onChange={(e) => setName(e.target.value)} onKeyDown={onKeyDown} disabled={busy} />
          <button type="submit" className="small-button" disabled={busy}>{t('inbox.views.renameSave')}</button>
        </form>
        {error && <p role="alert" className="error small">{error}</p>}
      </li>
    );
  }
  return (
    <li className="saved-view" data-view-id={view.id}>
      <Link to={`/tickets${searchFromFilters(fromStored(view.filters))}`} aria-current={current ? 'page' : undefined}>{view.name}</Link>
      {/* Over the end of the name, shown on hover or focus (still in the tab order); ↑/↓ kept (disabled) at the ends so nothing shifts. */}
      <span className="view-tools">
        <button type="button" className="link-button" data-move="up" aria-label={t('inbox.views.up', { name: view.name })} disabled={!onUp} onClick={onUp}>↑</button>
        <button type="button" className="link-button" data-move="down" aria-label={t('inbox.views.down', { name: view.name })} disabled={!onDown} onClick={onDown}>↓</button>
        <button ref={renameButton} type="button" className="link-button" aria-label={t('inbox.views.rename', { name: view.name })} onClick={() => setEditing(true)}>✎</button>
        <button type="button" className="link-button" aria-label={t('inbox.views.delete', { name: view.name })} onClick={() => void onRemove(view.id)}>×</button>
      </span>
    </li>
  );
}
