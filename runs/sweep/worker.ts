/**
 * A sweep worker (one per thread, run by piscina): rebuilds the series once from the shared, read-only
 * SharedArrayBuffer columns in `workerData`, then runs batches of configurations. A configuration that fails
 * becomes an error row naming it; the batch goes on.
 */
import { workerData } from 'node:worker_threads';
import { AmmsimError } from '../../sim/core/errors.ts';
import type { Timeseries } from '../../sim/metrics/record.ts';
import { loadRunInputs, runBacktest, type RunInputs } from '../backtest.ts';
import { refuseNoiseSizeWithoutRate, resolveBacktestConfig, type BacktestConfig } from '../config.ts';
import { configOverrides, type Axis, type AxisValue } from './grid.ts';
import { rowLine, type JournalRow } from './journal.ts';
import { metricsOf } from './metrics.ts';
import { metricsCsv } from './outputs.ts';
import { seriesFromShared, type SharedSeries } from './sharedSeries.ts';

/**
 * A sweep's base config, with what the rows' configs cannot tell by themselves: `noiseSizeGiven`, `--noise-size` given
 * (at any size, the default included) beside a `--noise-rate` axis, so that a row of rate 0 is refused as `backtest
 * --noise-rate 0 --noise-size N` is (resolveBacktestConfig refuses only a size other than the default). Not a config
 * key: not in sweep.json's `base`; when set, in the grid hash and beside `base` in sweep.json (sweep.ts SweepIdentity),
 * so that a sweep resumed or merged with it is one run with it.
 */
export type SweepBase = BacktestConfig & { readonly noiseSizeGiven?: boolean };

export interface WorkerData {
  readonly base: SweepBase;
  /** The grid's axes by name, in order (their values are not sent: each task carries its configurations' values). */
  readonly axes: readonly Axis[];
  /** The summary keys to tabulate, in column order. */
  readonly metrics: readonly string[];
  readonly series: SharedSeries;
}

export interface WorkerTask {
  readonly items: ReadonlyArray<{ readonly k: number; readonly values: readonly AxisValue[] }>;
}

/**
 * A finished configuration with the texts its outputs need: its journal line and its sweep.csv metric fields,
 * made by the worker thread that ran it, so that the main thread (which shares the cores with the workers, and
 * writes the files alone once the runs are done) only copies them.
 */
export interface FinishedRow {
  readonly row: JournalRow;
  /** {@link rowLine} of the row. */
  readonly line: string;
  /** {@link metricsCsv} of the row. */
  readonly metricsCsv: string;
}

export function finishRow(row: JournalRow, metricCount: number): FinishedRow {
  return { row, line: rowLine(row), metricsCsv: metricsCsv(row.metrics, metricCount) };
}

/** `width=0.05 fee=0.003` */
export function describeValues(axes: readonly Axis[], values: readonly AxisValue[]): string {
  return axes.length === 0 ? '(the base config)' : axes.map((a, i) => `${a.name}=${String(values[i])}`).join(' ');
}

/** The message of a failed configuration: the configuration, then what went wrong. */
export function failureMessage(axes: readonly Axis[], values: readonly AxisValue[], err: unknown): string {
  const what = err instanceof AmmsimError ? err.message : err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return `${describeValues(axes, values)}: ${what.replace(/\s*\n\s*/g, ' ')}`;
}

/** Runs configurations one after another in this thread; the arrays of each run are reused by the next. */
export function createRunner(data: WorkerData): (task: WorkerTask) => Promise<FinishedRow[]> {
  const series = seriesFromShared(data.series);
  // gas series and pool events are loaded once per worker for every configuration naming the same files
  const inputsCache = new Map<string, Promise<RunInputs>>();
  let columns: Timeseries | undefined;
  return async (task) => {
    const out: FinishedRow[] = [];
    const finish = (row: JournalRow): void => void out.push(finishRow(row, data.metrics.length));
    for (const { k, values } of task.items) {
      try {
        const config = resolveBacktestConfig({ ...data.base, ...configOverrides(data.axes, values, data.base as unknown as Record<string, unknown>) });
        if (data.base.noiseSizeGiven === true) refuseNoiseSizeWithoutRate({ noiseSize: config.noiseSize }, {}, config);
        let inputs: RunInputs = {};
        if (config.gasPriceSeries !== undefined || config.nativePriceSeries !== undefined || config.feeModel === 'replay' || config.feeModel === 'all') {
          const c = config as unknown as Record<string, unknown>;
          const key = JSON.stringify(['pool', 'gasPrice', 'gasPriceSeries', 'nativePriceSeries', 'gasBefore', 'feeModel', 'feeEvents', 'prices', 'format'].map((f) => c[f] ?? null));
          let loaded = inputsCache.get(key);
          if (loaded === undefined) inputsCache.set(key, (loaded = loadRunInputs(config, series)));
          inputs = await loaded;
        }
        const result = await runBacktest(config, series, { ...inputs, ...(columns === undefined ? {} : { columns }) });
        columns = result.timeseries;
        const warnings = (result.summary as { warnings?: unknown }).warnings;
        finish({ k, metrics: metricsOf(result.summary as unknown as Record<string, unknown>, data.metrics), ...(Array.isArray(warnings) && warnings.length > 0 ? { warnings: warnings.map(String) } : {}) });
      } catch (err) {
        finish({ k, error: failureMessage(data.axes, values, err) });
      }
    }
    return out;
  };
}

let runner: ((task: WorkerTask) => Promise<FinishedRow[]>) | undefined;

/** piscina's task function. */
export default function runTask(task: WorkerTask): Promise<FinishedRow[]> {
  runner ??= createRunner(workerData as WorkerData);
  return runner(task);
}
