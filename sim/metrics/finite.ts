/**
 * A run's numbers must be finite: summary.json would write ±Infinity and NaN as `null` (JSON has neither), and a
 * table would show `∞` for a run that exits 0. The run checks its summary metrics once at the end
 * ({@link firstNonFiniteMetric}, a few dozen numbers) and, only when one is not finite, finds the first step at which
 * its record went wrong ({@link firstNonFiniteStep}) to say where.
 */
import type { Timeseries } from './record.ts';

/** The first summary metric (in its order) that is not a finite number, or undefined. */
export function firstNonFiniteMetric(metrics: Readonly<Record<string, number>>): { key: string; value: number } | undefined {
  for (const [key, value] of Object.entries(metrics)) if (!Number.isFinite(value)) return { key, value };
  return undefined;
}

/** The per-step columns the summary metrics are computed from, in the order a broken step is reported by. */
export const CHECKED_COLUMNS = ['poolPrice', 'lpValue', 'holdValue', 'feesCumulative', 'impermanentLoss', 'lvrCumulative', 'gasCumulative'] as const;

/**
 * The first step at which one of {@link CHECKED_COLUMNS} is not finite (or the pool price not > 0: a pool that lost a
 * reserve to rounding), with that column and value; undefined when every step is. For the error path: it reads every
 * column.
 */
export function firstNonFiniteStep(timeseries: Pick<Timeseries, (typeof CHECKED_COLUMNS)[number]>): { index: number; column: string; value: number } | undefined {
  let best: { index: number; column: string; value: number } | undefined;
  for (const column of CHECKED_COLUMNS) {
    const col = timeseries[column];
    const n = best === undefined ? col.length : best.index;
    for (let i = 0; i < n; i++) {
      const v = col[i]!;
      if (!Number.isFinite(v) || (column === 'poolPrice' && !(v > 0))) {
        best = { index: i, column, value: v };
        break;
      }
    }
  }
  return best;
}
