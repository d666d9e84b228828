/** A search highlight (terms in 【】) as text nodes and <mark> elements: plain text, never parsed as HTML. */
import { Fragment } from 'react';
import { highlightSegments } from './highlight.ts';

export function Highlighted({ marked, original }: { marked: string; original?: string }) {
  return (
    <>
      {highlightSegments(marked, original).map((s, i) => (s.marked ? <mark key={i}>{s.text}</mark> : <Fragment key={i}>{s.text}</Fragment>))}
    </>
  );
}
