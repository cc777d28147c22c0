import type { PriceSeries } from '../sim/core/series.ts';
import { runBacktest } from './backtest.ts';
import type { Timeseries } from '../sim/metrics/record.ts';
import { resolveBacktestConfig, type BacktestConfig } from './config.ts';
import { ConfigError } from '../sim/core/errors.ts';

/** Summary metrics reported per sweep row, in column order. */
export const SWEEP_METRICS = [
  'finalValue', 'holdValue', 'vsHold', 'netPnl', 'apr', 'feesEarned', 'feeApr', 'impermanentLoss', 'lvr',
  'gasCost', 'timeInRange', 'rebalances', 'maxDrawdown', 'sharpe',
] as const;

/** The config keys a sweep may vary. */
export const SWEEPABLE = ['strategy', 'fee', 'width', 'capital', 'poolLiquidity', 'gasPrice', 'noiseRate', 'noiseSize', 'rebalanceDelay', 'seed', 'pool'] as const;
export type SweepKey = (typeof SWEEPABLE)[number];

export interface SweepRow {
  readonly params: Readonly<Partial<Record<SweepKey, string | number>>>;
  readonly metrics: Readonly<Record<(typeof SWEEP_METRICS)[number], number>>;
}

/**
 * Every combination of the axes, in a fixed order: the first axis varies slowest (like nested loops in the
 * order the axes are given).
 */
export function cartesian(axes: ReadonlyArray<readonly [SweepKey, readonly (string | number)[]]>): Array<Partial<Record<SweepKey, string | number>>> {
  let combos: Array<Partial<Record<SweepKey, string | number>>> = [{}];
  for (const [key, values] of axes) {
    if (values.length === 0) throw new ConfigError(`--${key}`, 'needs at least one value');
    const next: typeof combos = [];
    for (const c of combos) for (const v of values) next.push({ ...c, [key]: v });
    combos = next;
  }
  return combos;
}

/**
 * Runs one backtest per combination over the same series (loaded once), sequentially and deterministically.
 * `base` holds the flags that do not vary. Reports progress as (done, total) runs.
 */
export async function runSweep(
  base: BacktestConfig,
  axes: ReadonlyArray<readonly [SweepKey, readonly (string | number)[]]>,
  series: PriceSeries,
  onProgress?: (done: number, total: number) => void,
): Promise<SweepRow[]> {
  const combos = cartesian(axes);
  const rows: SweepRow[] = [];
  // Only summaries are kept, so every run writes its timeseries into the arrays of the run before.
  let columns: Timeseries | undefined;
  for (let i = 0; i < combos.length; i++) {
    const combo = combos[i]!;
    const config = resolveBacktestConfig({ ...base, ...combo });
    const { summary, timeseries } = await runBacktest(config, series, columns === undefined ? {} : { columns });
    columns = timeseries;
    const metrics = {} as Record<(typeof SWEEP_METRICS)[number], number>;
    for (const m of SWEEP_METRICS) metrics[m] = summary[m];
    rows.push({ params: combo, metrics });
    onProgress?.(i + 1, combos.length);
  }
  return rows;
}

/** The sweep table as CSV: varied parameters, then metrics; numbers in JS's shortest round-trip form. */
export function sweepToCsv(axes: readonly SweepKey[], rows: readonly SweepRow[]): string {
  const header = [...axes, ...SWEEP_METRICS].join(',');
  const lines = rows.map((r) => [...axes.map((a) => String(r.params[a] ?? '')), ...SWEEP_METRICS.map((m) => (Number.isFinite(r.metrics[m]) ? String(r.metrics[m]) : ''))].join(','));
  return [header, ...lines].join('\n') + '\n';
}
