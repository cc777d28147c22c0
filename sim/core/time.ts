/**
 * Time conventions shared by every annualised figure in ammsim (run APR, fee APR, volatility, Sharpe, staking
 * APRs, GBM paths): a year is 365 days of 86,400 s (crypto trades every day; no leap days, no trading calendar).
 */

/** Milliseconds in one day (86,400 s). */
export const MS_PER_DAY = 86_400_000;

/** Days per year for every APR and annualisation in ammsim. */
export const DAYS_PER_YEAR = 365;

/** Milliseconds in the 365-day year (31,536,000,000). */
export const MS_PER_YEAR = MS_PER_DAY * DAYS_PER_YEAR;

/**
 * The most common step between consecutive timestamps (ties: the shortest); undefined for fewer than 2 rows. An
 * evenly spaced column is recognised in one pass, and a step more than half the rows take in two more; otherwise
 * the steps are sorted (a typed array's native sort) and the longest run of equal steps wins, the first, so the
 * shortest, among equals.
 */
export function mostCommonStep(timestampMs: ArrayLike<number>): number | undefined {
  const n = timestampMs.length;
  if (n < 2) return undefined;
  const first = timestampMs[1]! - timestampMs[0]!;
  let even = true;
  for (let i = 2; i < n && even; i++) even = timestampMs[i]! - timestampMs[i - 1]! === first;
  if (even) return first;
  // A step taken by more than half the rows (a minute file with gaps) is the most common one: found by a
  // majority vote and one count, no sort (a run's load and its report each ask).
  let candidate = first;
  let votes = 0;
  for (let i = 1; i < n; i++) {
    const d = timestampMs[i]! - timestampMs[i - 1]!;
    if (votes === 0) {
      candidate = d;
      votes = 1;
    } else votes += d === candidate ? 1 : -1;
  }
  let count = 0;
  for (let i = 1; i < n; i++) if (timestampMs[i]! - timestampMs[i - 1]! === candidate) count++;
  if (2 * count > n - 1) return candidate;
  const steps = new Float64Array(n - 1);
  for (let i = 1; i < n; i++) steps[i - 1] = timestampMs[i]! - timestampMs[i - 1]!;
  steps.sort();
  let best = steps[0]!;
  let bestCount = 0;
  for (let i = 0; i < steps.length; ) {
    const d = steps[i]!;
    let j = i + 1;
    while (j < steps.length && Object.is(steps[j], d)) j++;
    if (j - i > bestCount) [best, bestCount] = [d, j - i];
    i = j;
  }
  return best;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days in `month` (1–12) of `year` (proleptic Gregorian); 0 for a month out of range. */
export function daysInMonth(year: number, month: number): number {
  if (!(Number.isInteger(month) && month >= 1 && month <= 12)) return 0;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!;
}
