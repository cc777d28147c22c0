import type { BacktestResult } from '../sim/metrics/record.ts';

/**
 * An extra value line drawn beside a run's LP value (e.g. `staking` from `ammsim compare`, or another
 * alternative). Values in quote units, one per timestamp (unix ms, increasing).
 */
export interface ReportSeries {
  readonly name: string;
  readonly timestampMs: ArrayLike<number>;
  readonly value: ArrayLike<number>;
  /** The line belongs to the comparison, not to the run it is passed with: its name carries no run label. */
  readonly ownLine?: boolean;
}

/**
 * One finished run as the report draws it. `label` names the run's lines when several runs share the axes
 * (with a single run the lines carry plain names). `extraSeries` adds named value lines (hold is already in
 * the timeseries; pass staking or other alternatives here).
 */
export interface ReportRun {
  readonly label: string;
  readonly result: BacktestResult;
  readonly extraSeries?: readonly ReportSeries[];
}

/** Options shared by every chart builder. */
export interface ChartOptions {
  /** Upper bound on the points drawn per line after downsampling (default {@link DEFAULT_MAX_POINTS}). */
  readonly maxPoints?: number;
}

/** ≤ ~2,000 points per line keeps a year of minute data at a few hundred kB per chart. */
export const DEFAULT_MAX_POINTS = 2000;
