/**
 * The chat tabs' keyboard rule (WAI-ARIA tabs pattern, automatic activation): arrows move to the
 * previous / next tab and wrap around, Home and End go to the first and last. Null: not a tab key.
 */
export function tabKeyTarget(key: string, index: number, count: number): number | null {
  if (count <= 0) return null;
  switch (key) {
    case 'ArrowRight':
    case 'ArrowDown':
      return (index + 1) % count;
    case 'ArrowLeft':
    case 'ArrowUp':
      return (index - 1 + count) % count;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}
