/**
 * `ammsim sweep`: one backtest per configuration of a grid over one series (loaded once, shared read-only with
 * the worker threads), results journaled as they finish so that a killed sweep resumes where it stopped, and
 * a deterministic slice per `--shard i/n` for running on several machines. The rows, and so every output, do
 * not depend on the number of workers, on interruptions or on sharding.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../data/io/atomicWrite.ts';
import { AmmsimError, ConfigError, didYouMean } from '../../sim/core/errors.ts';
import { checkSeries, type PriceSeries } from '../../sim/core/series.ts';
import { loadSeries } from '../../data/loadSeries.ts';
import type { SeriesCache } from '../../data/io/seriesCache.ts';
import { seriesOptions } from '../backtest.ts';
import { configForOutput, type BacktestConfig } from '../config.ts';
import { replayStepSeries } from '../feeModels/replayFeeSource.ts';
import { gridHash, type Axis, type Grid } from './grid.ts';
import { canonicalJournal, JournalWriter, readJournal, roundTrip, type JournalHeader, type JournalRow } from './journal.ts';
import { sweepMetrics } from './metrics.ts';
import { createWorkerPool, defaultWorkers, type WorkerPool } from './pool.ts';
import { shareSeries } from './sharedSeries.ts';
import { describeValues, finishRow, type FinishedRow, type SweepBase, type WorkerData } from './worker.ts';

export const JOURNAL_FILE = 'results.jsonl';

/**
 * The series every row of a sweep shares, loaded once and as `ammsim backtest` loads it for each row's config
 * (runs/backtest.ts loadConfiguredSeries), so that a row's numbers are the backtest's: with `--fee-model replay` on
 * a pool-events file, one step per event row in log order. A grid whose rows would step differently (that fee
 * model beside others, or beside another --fee-events file) cannot share one series and is refused.
 */
export async function loadSweepSeries(base: BacktestConfig, axes: readonly Axis[], cache?: SeriesCache): Promise<PriceSeries> {
  if (base.prices === undefined) refuseSeedAxisOnBuiltInSeries(axes);
  const plain = await loadSeries(base.prices, seriesOptions(base, cache));
  const valuesOf = (name: string, fallback: unknown): readonly unknown[] => axes.find((a) => a.name === name)?.values ?? [fallback];
  let stepped: PriceSeries | undefined;
  const others: string[] = [];
  for (const feeModel of valuesOf('feeModel', base.feeModel)) {
    for (const feeEvents of valuesOf('feeEvents', base.feeEvents)) {
      const s = feeModel === 'replay' ? await replayStepSeries({ ...base, feeModel, feeEvents } as BacktestConfig, plain) : plain;
      if (s !== plain) stepped ??= s;
      else others.push(`--fee-model ${String(feeModel)}${feeEvents === undefined ? '' : ` --fee-events ${String(feeEvents)}`}`);
    }
  }
  if (stepped !== undefined && others.length > 0) {
    throw new ConfigError('--fee-model', `replay on the pool-events file ${base.prices} steps once per event row in log order (as backtest does), but ${others.join(', ')} steps through its per-second series: one sweep's rows share one series; sweep them separately`);
  }
  return stepped ?? plain;
}

/**
 * backtest --seed N draws the built-in series from N too; one shared series would give every row the same path (a
 * row labelled seed=2 with the numbers of seed 42's path): refused, by the CLI (no --prices) and by the library's
 * sweep (a synthetic series).
 */
function refuseSeedAxisOnBuiltInSeries(axes: readonly Axis[]): void {
  if (axes.some((a) => a.name === 'seed')) {
    throw new ConfigError('--seed', 'with the built-in series (no --prices) the seed also draws the price path, which a sweep loads once for all its rows: sweep --seed over a --prices file, or run one sweep per seed');
  }
}

/** The most worker threads a sweep starts (`--workers`, {@link RunSweepOptions.workers}). */
export const MAX_WORKERS = 1024;

/** The keys of {@link RunSweepOptions}: another is refused, not ignored. */
const RUN_SWEEP_OPTIONS = ['workers', 'shard', 'dir', 'onProgress', 'signal'] as const;

/**
 * The library's sweep refuses what the CLI refuses, before any run: an unknown option, a worker count or shard the
 * CLI would not take, a seed axis over the built-in (synthetic) series, and `feeModel: 'all'`.
 */
function checkSweepInputs(base: SweepBase, grid: Grid, series: PriceSeries, options: RunSweepOptions): void {
  if (typeof options !== 'object' || options === null) throw new ConfigError('sweep options', `must be an object; was ${String(options)}`);
  for (const k of Object.keys(options)) {
    if (!(RUN_SWEEP_OPTIONS as readonly string[]).includes(k)) throw new ConfigError('sweep options', `unknown key "${k}"${didYouMean(k, RUN_SWEEP_OPTIONS)} (options: ${RUN_SWEEP_OPTIONS.join(', ')})`);
  }
  const w = options.workers;
  if (w !== undefined && !(typeof w === 'number' && Number.isInteger(w) && w >= 1 && w <= MAX_WORKERS)) throw new ConfigError('--workers', `must be an integer in [1, ${MAX_WORKERS}]; was ${String(w)}`);
  const sh = options.shard;
  if (sh !== undefined && !(typeof sh === 'object' && sh !== null && Number.isSafeInteger(sh.index) && Number.isSafeInteger(sh.count) && sh.count >= 1 && sh.index >= 0 && sh.index < sh.count)) {
    throw new ConfigError('--shard', `must be { index, count } with 0 ≤ index < count (e.g. { index: 0, count: 3 } for the first of three); was ${JSON.stringify(sh) ?? String(sh)}`);
  }
  if (options.dir !== undefined && (typeof options.dir !== 'string' || options.dir === '')) throw new ConfigError('--out', `must be a folder path; was ${JSON.stringify(options.dir) ?? String(options.dir)}`);
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function') throw new ConfigError('sweep options', `onProgress must be a function; was ${typeof options.onProgress}`);
  if (series.provenance.kind === 'synthetic') refuseSeedAxisOnBuiltInSeries(grid.axes);
  refuseFeeModelAll(base, grid.axes);
}

/**
 * `--fee-model all` (three models side by side in one summary) cannot be a sweep's, fixed or on an axis; refused by
 * the CLI before it loads the series and by the library's sweep(). (arbitrage,volume,replay as one axis cannot run
 * either: the replay rows need --fee-events, which the others refuse, and on a pool-events --prices file replay steps
 * through another series than they do.)
 */
export function refuseFeeModelAll(base: Pick<BacktestConfig, 'feeModel'>, axes: readonly Axis[]): void {
  if (base.feeModel === 'all' || axes.some((a) => a.name === 'feeModel' && a.values.some((v) => v === 'all'))) {
    throw new ConfigError('--fee-model', "all puts the three models side by side in one backtest's summary.json; a sweep keeps one row of metrics per configuration: sweep --fee-model arbitrage,volume as an axis over a Uniswap minute file, and --fee-model replay (with --fee-events FILE, or --prices FILE.pool_events.csv) in a sweep of its own");
  }
}

/** Configurations k with k mod count = index. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** Parses `--shard i/n` (0 ≤ i < n). */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m === null ? NaN : Number(m[1]);
  const count = m === null ? NaN : Number(m[2]);
  if (!(Number.isSafeInteger(index) && Number.isSafeInteger(count) && count >= 1 && index < count)) {
    throw new ConfigError('--shard', `must be i/n with 0 ≤ i < n (e.g. 0/3 for the first of three); was ${JSON.stringify(text)}`);
  }
  return { index, count };
}

export const inShard = (k: number, shard: Shard | undefined): boolean => shard === undefined || k % shard.count === shard.index;

/** A value as it reads back from JSON (what sweep.json and the grid hash see). */
export function jsonClone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

/** The journal header of a sweep, keys in a fixed order. */
export function makeHeader(hash: string, grid: Grid, shard: Shard | undefined, metrics: readonly string[]): JournalHeader {
  return { gridHash: hash, configurations: grid.size, shard: shard === undefined ? null : { index: shard.index, count: shard.count }, metrics: [...metrics] };
}

export interface SweepIdentity {
  readonly grid: Grid;
  /** The base config as written to sweep.json (every row starts from it; the axes override it). */
  readonly base: Record<string, unknown>;
  /** The series' provenance as written to sweep.json. */
  readonly data: Record<string, unknown>;
  /**
   * [path, sha256] of the other input files the config names (a gas series, a strategy module, a program…), sorted
   * by path; in the hash, and in sweep.json's `inputFiles` (so that `sweep merge` recomputes the hash) when any.
   * Absent or empty: none.
   */
  readonly inputFiles?: ReadonlyArray<readonly [string, string]>;
  /**
   * The base's mark `noiseSizeGiven` (worker.ts SweepBase: --noise-size given beside a --noise-rate axis, which
   * refuses the rows of rate 0): in the hash, and in sweep.json (so that `sweep merge` recomputes the hash), when set.
   * Absent when not set: such a sweep's hash and sweep.json are those it had before the mark was in them.
   */
  readonly noiseSizeGiven?: true;
  readonly hash: string;
}

/** What the hash of a sweep covers besides its grid, base config and data, when any (see {@link SweepIdentity}). */
export interface SweepHashExtras {
  readonly inputFiles?: ReadonlyArray<readonly [string, string]>;
  readonly noiseSizeGiven?: boolean;
}

/**
 * The grid hash of a sweep: its grid, base config and data, the digests of its other input files when any, and the
 * base's mark `noiseSizeGiven` when set (hashed as a key of the base, which no config key is). Without extras, the
 * hash of the grid, base and data alone: a sweep without them keeps the hash it had before they were hashed.
 */
export function sweepHash(grid: Grid, base: Readonly<Record<string, unknown>>, data: Readonly<Record<string, unknown>>, extras: SweepHashExtras = {}): string {
  const files = extras.inputFiles ?? [];
  return gridHash(grid, extras.noiseSizeGiven === true ? { ...base, noiseSizeGiven: true } : base, files.length === 0 ? data : { ...data, inputFiles: files.map(([p, h]) => [p, h]) });
}

export function sweepIdentity(base: SweepBase, grid: Grid, series: PriceSeries): SweepIdentity {
  const baseJson = jsonClone(configForOutput(base));
  const data = jsonClone(series.provenance) as unknown as Record<string, unknown>;
  // the config names its other input files by path only: their contents go into the hash, so that a resume or a
  // merge over a file changed since (a gas series, a strategy module, a program) is refused like a changed grid
  const files = inputFileDigests(base, grid.axes);
  // the mark changes how the rows are checked, so results without it are not this sweep's (nor the reverse)
  const marked = base.noiseSizeGiven === true;
  return {
    grid,
    base: baseJson,
    data,
    ...(files.length === 0 ? {} : { inputFiles: files }),
    ...(marked ? { noiseSizeGiven: true as const } : {}),
    hash: sweepHash(grid, baseJson, data, { inputFiles: files, noiseSizeGiven: marked }),
  };
}

/** Config keys whose value may name a file (besides the price series, whose sha256 is in its provenance). */
const FILE_KEYS = ['divideBy', 'poolLiquidityFile', 'gasPriceSeries', 'nativePriceSeries', 'feeEvents', 'strategy', 'harvest', 'incentives', 'rewardPrice'];

/** [path, sha256] of every existing file the base config or an axis names under {@link FILE_KEYS}, sorted by path. */
function inputFileDigests(base: BacktestConfig, axes: readonly Axis[]): Array<[string, string]> {
  const paths = new Set<string>();
  const add = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(add);
    else if (typeof v === 'string' && v !== '') paths.add(v);
  };
  for (const k of FILE_KEYS) {
    add((base as unknown as Record<string, unknown>)[k]);
    add(axes.find((a) => a.name === k)?.values);
  }
  const out: Array<[string, string]> = [];
  for (const p of [...paths].sort()) {
    let bytes: Buffer;
    try {
      if (!statSync(p).isFile()) continue;
      bytes = readFileSync(p);
    } catch {
      continue; // a built-in name (a strategy, a harvest policy), not a file
    }
    out.push([p, createHash('sha256').update(bytes).digest('hex')]);
  }
  return out;
}

export interface RunSweepOptions {
  /** Worker threads, an integer in [1, 1024] (default: the available cores; never more than the configurations). */
  readonly workers?: number;
  readonly shard?: Shard;
  /** Folder of the results journal (resume); undefined = keep results in memory only. */
  readonly dir?: string;
  /** (done, total) over this run's configurations, counting the ones resumed from the journal as done. */
  readonly onProgress?: (done: number, total: number) => void;
  /**
   * Aborting stops handing out configurations; the batches already running finish and are journaled; then the
   * call rejects with {@link SweepInterrupted}. An `AbortController`'s signal; typed by the members the sweep reads,
   * so the declarations need neither the DOM nor Node's types.
   */
  readonly signal?: {
    readonly aborted: boolean;
    addEventListener(type: 'abort', listener: () => void, options?: { readonly once?: boolean }): void;
  };
}

export interface SweepOutcome extends SweepIdentity {
  readonly header: JournalHeader;
  /** This run's rows (the shard's when sharded), in grid order, as they read back from the journal. */
  readonly rows: readonly JournalRow[];
  /** Rows taken from an earlier, interrupted run. */
  readonly resumed: number;
  readonly failed: number;
  /**
   * sweep.csv's metric fields of the rows this call ran, by configuration index, as the worker threads made them
   * (the same text {@link metricsCsv} gives; rows resumed from the journal have none).
   */
  readonly metricsCsv?: ReadonlyMap<number, string>;
}

/** Thrown when a sweep is stopped by its signal (code `INTERRUPTED`); the journal keeps every finished row. */
export class SweepInterrupted extends AmmsimError {
  readonly done: number;
  readonly total: number;
  constructor(done: number, total: number, where: string | undefined) {
    super('INTERRUPTED', `interrupted: ${done} of ${total} configurations finished${where === undefined ? '' : `, saved in ${where}; run the same command again to resume`}`);
    this.name = 'SweepInterrupted';
    this.done = done;
    this.total = total;
  }
}

/**
 * Reads the rows a folder already holds for this sweep; refuses a journal of another grid, series or shard. `identity`
 * (this sweep's) says, when the journal's sweep differs from this one by the mark `noiseSizeGiven` alone, so.
 */
function resumeFrom(file: string, header: JournalHeader, identity: SweepIdentity): ReturnType<typeof readJournal> {
  const existing = readJournal(file);
  if (existing === undefined) return undefined;
  const h = existing.header;
  if (h.gridHash !== header.gridHash) {
    const marked = identity.noiseSizeGiven === true;
    const flipped = sweepHash(identity.grid, identity.base, identity.data, { ...(identity.inputFiles === undefined ? {} : { inputFiles: identity.inputFiles }), noiseSizeGiven: !marked });
    const only = h.gridHash !== flipped
      ? ''
      : marked
        ? ' (only in --noise-size: this sweep gives it beside its --noise-rate axis, which refuses the rows of rate 0; that one did not, or was run by an ammsim that did not record it)'
        : ' (only in --noise-size: that sweep gave it beside its --noise-rate axis, which refused the rows of rate 0, and this one does not)';
    throw new ConfigError('--out', `${file} holds results of another sweep (grid hash ${h.gridHash.slice(0, 12)}…, this one ${header.gridHash.slice(0, 12)}…): the axes, the base config, the series or another input file changed${only}. Use another --out, or --restart to discard them`);
  }
  const shardText = (s: JournalHeader['shard']): string => (s === null ? 'the whole grid' : `shard ${s.index}/${s.count}`);
  if (JSON.stringify(h.shard) !== JSON.stringify(header.shard)) {
    throw new ConfigError('--shard', `${file} holds ${shardText(h.shard)}; this run is ${shardText(header.shard)}. Use another --out`);
  }
  if (JSON.stringify(h.metrics) !== JSON.stringify(header.metrics) || h.configurations !== header.configurations) {
    throw new ConfigError('--out', `${file} was written by another version of ammsim (other metrics); use another --out`);
  }
  return existing;
}

/**
 * Runs every configuration of `grid` (of `options.shard` when given) not already in the journal, on
 * `options.workers` threads. Each configuration's row holds its metrics, or the error that stopped it (the
 * others go on). When the run completes the journal is rewritten in grid order.
 */
export async function runSweep(base: SweepBase, grid: Grid, series: PriceSeries, options: RunSweepOptions = {}): Promise<SweepOutcome> {
  checkSeries(series);
  checkSweepInputs(base, grid, series, options);
  const identity = sweepIdentity(base, grid, series);
  const header = makeHeader(identity.hash, grid, options.shard, sweepMetrics(base));
  const file = options.dir === undefined ? undefined : join(options.dir, JOURNAL_FILE);
  const existing = file === undefined ? undefined : resumeFrom(file, header, identity);
  const rows = new Map<number, JournalRow>();
  const pending: number[] = [];
  for (let k = 0; k < grid.size; k++) {
    if (!inShard(k, options.shard)) continue;
    const prior = existing?.rows.get(k);
    if (prior !== undefined) rows.set(k, prior);
    else pending.push(k);
  }
  const resumed = rows.size;
  const total = resumed + pending.length;
  options.onProgress?.(resumed, total);
  // the texts of the rows run now, made by the workers (see FinishedRow)
  const lines = new Map<number, string>();
  const csv = new Map<number, string>();

  if (pending.length > 0) {
    const workers = Math.max(1, Math.min(options.workers ?? defaultWorkers(), pending.length));
    const journal = file === undefined ? undefined : JournalWriter.open(file, header, existing);
    // the workers read the axes' names only (each task carries its configurations' values): a 10M-value range is
    // not copied into every worker
    const data: WorkerData = { base, axes: grid.axes.map(({ name }) => ({ name, values: [] })), metrics: header.metrics, series: shareSeries(series) };
    let pool: WorkerPool | undefined;
    try {
      pool = createWorkerPool(workers, data);
      await dispatch(pool, grid, pending, workers, header.metrics.length, (batch) => {
        let text = '';
        for (const f of batch) {
          rows.set(f.row.k, roundTrip(f.row));
          lines.set(f.row.k, f.line);
          csv.set(f.row.k, f.metricsCsv);
          text += f.line;
        }
        journal?.appendLines(text);
        options.onProgress?.(rows.size, total);
      }, options.signal);
    } finally {
      journal?.close();
      await pool?.close();
    }
    if (options.signal?.aborted === true) throw new SweepInterrupted(rows.size, total, file);
  }

  const ordered = [...rows.values()].sort((a, b) => a.k - b.k);
  if (file !== undefined) writeFileAtomic(file, canonicalJournal(header, ordered, lines));
  return { ...identity, header, rows: ordered, resumed, failed: ordered.filter((r) => r.error !== undefined).length, metricsCsv: csv };
}

/** Whether a task failed because its worker thread ended (exited, or ran out of memory), not with an answer. */
function workerDied(err: unknown): boolean {
  return err instanceof Error && (/^worker exited with code: /.test(err.message) || (err as { code?: unknown }).code === 'ERR_WORKER_OUT_OF_MEMORY');
}

/**
 * Hands out the pending configurations in batches (see batchSize), keeping two batches per worker in flight;
 * `onRows` sees each batch as it finishes (in completion order, which varies; the caller orders the rows).
 */
async function dispatch(pool: WorkerPool, grid: Grid, pending: readonly number[], workers: number, metricCount: number, onRows: (rows: readonly FinishedRow[]) => void, signal: RunSweepOptions['signal']): Promise<void> {
  const inflight = new Set<Promise<void>>();
  let failure: unknown;
  let next = 0;
  // guided batches: up to 32 configurations while many remain (less messaging), then shrinking with what is
  // left, so that the workers finish together (the last batches are single configurations)
  const batchSize = (): number => Math.max(1, Math.min(32, Math.floor((pending.length - next) / (workers * 8))));
  let wake: (() => void) | undefined;
  const aborted = new Promise<void>((resolve) => {
    if (signal === undefined) return;
    if (signal.aborted) resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
  // the configurations of a batch whose worker thread died (a strategy calling process.exit, out of memory): run
  // again one by one, so the one that kills its worker is named in an error row and the others complete
  const alone: number[] = [];
  while (failure === undefined && signal?.aborted !== true) {
    while (inflight.size < workers * 2 && (alone.length > 0 || next < pending.length)) {
      const ks = alone.length > 0 ? [alone.shift()!] : pending.slice(next, (next += batchSize()));
      const items = ks.map((k) => ({ k, values: grid.values(k) }));
      const job: Promise<void> = pool.run({ items }).then(
        (rows) => onRows(rows),
        (err: unknown) => {
          if (!workerDied(err)) failure ??= err;
          else if (items.length > 1) alone.push(...ks);
          else onRows([finishRow({ k: ks[0]!, error: `${describeValues(grid.axes, items[0]!.values)}: the worker thread running it stopped (${(err as Error).message})` }, metricCount)]);
        },
      ).finally(() => {
        inflight.delete(job);
        wake?.();
      });
      inflight.add(job);
    }
    if (inflight.size === 0) break;
    await Promise.race([new Promise<void>((resolve) => (wake = resolve)), aborted]);
  }
  // interrupted or failed: the batches already running finish and are kept (a pool torn down under a running
  // task would lose them, and piscina reports their late answers as errors)
  await Promise.all(inflight);
  if (failure !== undefined) throw failure;
}
