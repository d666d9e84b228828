/**
 * A textarea with the guard's findings highlighted in place: a layer behind it draws the same text
 * (transparent) with the findings marked, kept in step with the textarea's scrolling. The layer is
 * hidden from assistive technology; the findings list below says the same in words.
 */
import { useRef, type KeyboardEvent, type RefObject } from 'react';
import type { GuardFinding } from '../../../../shared/api/client.ts';
import { findingKey, highlightSegments } from '../utils/findings.ts';

interface Props {
  id: string;
  name: string;
  value: string;
  findings: GuardFinding[];
  activeKey: string | null;
  textareaRef: RefObject<HTMLTextAreaElement | null>;
  describedBy: string;
  maxLength: number;
  onChange(value: string): void;
  onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>): void;
}

export function HighlightedTextarea({ id, name, value, findings, activeKey, textareaRef, describedBy, maxLength, onChange, onKeyDown }: Props) {
  const backdrop = useRef<HTMLDivElement>(null);
  const sync = (): void => {
    if (backdrop.current && textareaRef.current) backdrop.current.scrollTop = textareaRef.current.scrollTop;
  };
  return (
    <div className="hl-field">
      <div className="hl-backdrop" ref={backdrop} aria-hidden="true" data-testid="highlights">
        {highlightSegments(value, findings).map((s, i) =>
          s.finding ? (
            <mark key={i} className={`hl hl-${s.finding.severity}${activeKey === findingKey(s.finding) ? ' hl-active' : ''}`} data-rule={s.finding.ruleId}>
              {s.text}
            </mark>
          ) : (
            <span key={i}>{s.text}</span>
          ),
        )}
        {/* A final line break in the text needs a character after it to take up its line. */}
        {'\u200b'}
      </div>
      <textarea
        id={id}
        name={name}
        ref={textareaRef}
        value={value}
        rows={5}
        maxLength={maxLength}
        aria-describedby={describedBy}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={onKeyDown}
        onScroll={sync}
        onInput={sync}
        spellCheck={false}
      />
    </div>
  );
}
