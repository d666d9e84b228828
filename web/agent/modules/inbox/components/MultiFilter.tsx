/**
 * One list filter of the inbox with several values: a disclosure button naming the choice
 * ("优先级: 紧急, 高") and a group of checkboxes, any of which matches. Escape closes it and puts
 * the focus back on its button, a click elsewhere closes it; each tick changes the URL at once
 * (the page reloads the list).
 */
import { useEffect, useId, useRef, type KeyboardEvent } from 'react';
import { formatList } from '../../../../shared/format.ts';
import { useI18n } from '../../../app/i18n.ts';

export interface Option {
  value: string;
  label: string;
}

interface Props {
  label: string;
  options: readonly Option[];
  chosen: readonly string[];
  onToggle(value: string): void;
  onClear(): void;
}

export function MultiFilter({ label, options, chosen, onToggle, onClear }: Props) {
  const { t, lang } = useI18n();
  const id = useId();
  const box = useRef<HTMLDetailsElement>(null);
  const names = options.filter((o) => chosen.includes(o.value)).map((o) => o.label);
  // A chosen id the options do not (yet) name — a category since deactivated — still counts.
  const unnamed = chosen.length - names.length;
  const summary = chosen.length === 0 ? t('inbox.any') : formatList([...names, ...(unnamed > 0 ? [t('inbox.filter.others', { count: unnamed })] : [])], lang);
  useEffect(() => {
    const onPointer = (e: PointerEvent): void => {
      const el = box.current;
      if (el?.open && e.target instanceof Node && !el.contains(e.target)) el.open = false;
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, []);
  const onKeyDown = (e: KeyboardEvent<HTMLDetailsElement>): void => {
    if (e.key === 'Escape' && box.current?.open) {
      e.preventDefault();
      box.current.open = false;
      box.current.querySelector('summary')?.focus();
    }
  };
  return (
    <details className="multi-filter" ref={box} onKeyDown={onKeyDown} data-testid={`filter-${label}`}>
      <summary aria-describedby={`${id}-value`}>
        <span className="multi-filter-label">{label}</span>
        <span id={`${id}-value`} className={chosen.length ? 'multi-filter-value chosen' : 'multi-filter-value'}>{summary}</span>
      </summary>
      <fieldset className="multi-filter-options">
        <legend className="sr-only">{label}</legend>
        {options.map((o) => (
          <label key={o.value}>
            <input type="checkbox" checked={chosen.includes(o.value)} onChange={() => onToggle(o.value)} /> {o.label}
          </label>
        ))}
        {chosen.length > 0 && <button type="button" className="link-button small" onClick={onClear}>{t('inbox.filter.clear')}</button>}
      </fieldset>
    </details>
  );
}
