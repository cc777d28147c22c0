/**
 * Number text that is the same on every machine. `Number.prototype.toLocaleString` would give the same text with
 * 'en-US', but its first call in a process loads ICU's number-formatting data (~30 ms on this project's machine),
 * which a backtest paid for one line of an error message it never printed.
 */

/** Groups an integer part's digits in threes with commas: `'-1234567.891'` → `'-1,234,567.891'`. */
export function groupThousands(s: string): string {
  const [int, frac] = s.split('.');
  const neg = int!.startsWith('-');
  const digits = neg ? int!.slice(1) : int!;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return (neg ? '-' : '') + grouped + (frac === undefined ? '' : `.${frac}`);
}

