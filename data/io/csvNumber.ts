/** Shortest round-trip decimal (JS `String(x)`), `-0` kept, NaN as the empty field. */
export function formatCsvNumber(x: number): string {
  if (x !== x) return '';
  if (x === 0 && 1 / x < 0) return '-0';
  return String(x);
}
