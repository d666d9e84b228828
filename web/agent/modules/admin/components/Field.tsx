/** A labelled form control with the server's message for it right below, tied by aria-describedby. */
import type { ReactNode } from 'react';

export function Field({ id, label, error, hint, children }: { id: string; label: string; error?: string | undefined; hint?: string; children: (a11y: { id: string; 'aria-invalid': boolean; 'aria-describedby'?: string }) => ReactNode }) {
  const describedBy = [error ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(' ');
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': Boolean(error), ...(describedBy ? { 'aria-describedby': describedBy } : {}) })}
      {hint ? <small id={`${id}-hint`} className="muted">{hint}</small> : null}
      <p id={`${id}-error`} className="field-error" data-testid={`${id}-error`} role={error ? 'alert' : undefined}>{error ?? ''}</p>
    </div>
  );
}

export function FormMessage({ text }: { text: string | null }) {
  return <p className="form-error" role={text ? 'alert' : undefined} data-testid="form-error">{text ?? ''}</p>;
}
