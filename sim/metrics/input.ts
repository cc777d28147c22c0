import type { Timeseries } from './record.ts';

/** Trades and quote notional of one trader over a run. */
export interface TraderActivity {
  readonly trades: number;
  readonly volume: number;
}

/**
 * Everything the summary metrics are computed from: the run record's columns, the capital, the series'
 * timestamps and the engine's totals. Built by the run (runs/backtest.ts) from the engine's output; the metrics
 * never see the engine itself.
 */
export interface MetricInput {
  /** The per-step record (only the columns the metrics read are required). */
  readonly timeseries: Pick<Timeseries, 'timestamp' | 'price' | 'lpValue' | 'holdValue' | 'feesCumulative' | 'impermanentLoss' | 'lvrCumulative' | 'gasCumulative'>;
  /** The series' timestamps, unix ms (one per step; the same values as `timeseries.timestamp`). */
  readonly timestampMs: ArrayLike<number>;
  /** The LP's starting capital, quote units. */
  readonly capital: number;
  /** Steps with every LP position in range (engine total). */
  readonly inRangeSteps: number;
  /** Steps after the start at which the strategy opened a new position (engine total). */
  readonly rebalances: number;
  /** Totals per trader id (`arbitrageur`, `noise`); a trader absent from the run counts as 0 trades, 0 volume. */
  readonly traders: ReadonlyMap<string, TraderActivity>;
  /** Fee tokens earned over the run, whole tokens (engine totals). */
  readonly feesBase: number;
  readonly feesQuote: number;
  /** What the entry cost beyond gas (swap fee and price impact of the start's split), quote (engine total). */
  readonly entryCost: number;
  /** How far the entry moved the pool price, fraction (engine total). */
  readonly entryPriceImpact: number;
  /** The run's seed. */
  readonly seed: number;
}

/** Index of the last step. */
export function lastIndex(x: MetricInput): number {
  return x.timestampMs.length - 1;
}

/** The last value of a column. */
export function lastOf(column: ArrayLike<number>, x: MetricInput): number {
  return column[lastIndex(x)]!;
}
