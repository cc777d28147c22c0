/**
 * `backtest`: the composition of one run. The only place (with the other runs/ verbs) that turns a resolved config
 * into engine inputs — series, gas model, pool and its background liquidity, strategy, traders, fee model — and the
 * engine's output into summary.json. The CLI command is parse → {@link backtest} → atomic write.
 */
import path from 'node:path';
import { loadSeries, detectFormat, locateSeriesRow, type LoadSeriesOptions, type SeriesRowLocation } from '../data/loadSeries.ts';
import type { SeriesCache } from '../data/io/seriesCache.ts';
import { loadGasModelForRun } from './gas.ts';
import { loadGasSeriesFiles } from '../data/loaders/gasSeries.ts';
import { parseRewardPrice } from '../data/synthetic/rewardPrice.ts';
import { defaultTickSpacing } from '../sim/pools/v3/v3Liquidity.ts';
import { loadLiquidityFile } from './poolLiquidityFile.ts';
import { loadHarvestPolicy } from './incentives/harvestRegistry.ts';
import { windowBoundMs } from '../data/loaders/window.ts';
import { AmmsimError, ConfigError, InputError, RowInputError, didYouMean } from '../sim/core/errors.ts';
import { Rng } from '../sim/core/rng.ts';
import { checkSeries, type PriceSeries } from '../sim/core/series.ts';
import { runEngine, type EngineOutput } from '../sim/engine/engine.ts';
import type { ExternalFees } from '../sim/engine/externalFees.ts';
import { constantGas, type GasModel } from '../sim/engine/gas.ts';
import type { LpStrategyFactory, TraderStrategy } from '../sim/engine/strategy.ts';
import { computeSummaryMetrics } from '../sim/metrics/index.ts';
import type { MetricInput } from '../sim/metrics/input.ts';
import type { BacktestResult, Summary, Timeseries } from '../sim/metrics/record.ts';
import { readPoolEvents, type PoolEventRow } from '../sim/replay/real/poolEvents.ts';
import { checkTicksOnSpacing, defaultTickSpacingOfFeePips } from '../sim/replay/real/replayEvents.ts';
import { checkStrategyFactory, createStrategy, resolveParams } from '../strategies/define.ts';
import { loadStrategy, type LoadedStrategy } from '../strategies/registry.ts';
import { createArbitrageur } from '../strategies/trader/arbitrageur.ts';
import { createNoiseTrader } from '../strategies/trader/noise.ts';
import { BACKTEST_DEFAULTS, configForOutput, resolveBacktestConfig, type BacktestConfig } from './config.ts';
import { createEnginePool, priceThePoolCannotHold, refuseDepthThePoolCannotHold } from './createPool.ts';
import { describeViolation, fmt } from '../sim/pools/priceRange.ts';
import { firstNonFiniteMetric, firstNonFiniteStep } from '../sim/metrics/finite.ts';
import { computeFeeModels } from './feeModels/feeModels.ts';
import { replayFeeSource, replayStepSeries } from './feeModels/replayFeeSource.ts';
import type { PoolTokens } from './feeModels/position.ts';
import { volumeFeeSource } from './feeModels/volumeFees.ts';
import { buildIncentives, checkProgramsForPool, harvestPolicyOf, programConfigs, programSpecsAt, refuseProgramsForHold, rewardBreakevenInput, rewardSummary } from './incentives/index.ts';
import type { BreakevenRewardPriceInput } from '../sim/metrics/breakevenRewardPrice.ts';
import { groupThousands } from '../sim/core/format.ts';
import { rewardMetricWarnings } from '../sim/metrics/rewards.ts';
import { inputWarnings } from './inputWarnings.ts';

/** What a run needs besides the config and the series, loaded once and shared by runs over the same files. */
export interface RunInputs {
  /**
   * The gas model (default: constant `gasPrice` through sim/engine/gas.ts constantGas, or loaded from
   * `gasPriceSeries`/`nativePriceSeries`); either way its costs are gasCostOf's, so a run without inputs gives the
   * numbers of a run with {@link loadRunInputs}'s.
   */
  readonly gas?: GasModel;
  /** The pool's events for the `replay` fee model. */
  readonly poolEvents?: readonly PoolEventRow[];
  /** The file `poolEvents` were read from (for messages). */
  readonly poolEventsFile?: string;
  /** Warnings from loading (e.g. a gas series that starts after the run), carried into summary.json. */
  readonly warnings?: readonly string[];
}

export interface BacktestOptions extends RunInputs {
  /** Progress callback (steps done, total), called every 65,536 steps and at the end. */
  readonly onProgress?: (done: number, total: number) => void;
  /** A strategy to use instead of resolving `config.strategy` (library use). */
  readonly strategy?: LpStrategyFactory<Record<string, unknown>> | LoadedStrategy;
  /** Arrays to write the timeseries into instead of new ones (see EngineInputs.columns). */
  readonly columns?: Timeseries;
  /** The caller draws from the seed itself (compare's what-if paths): no "--seed changed nothing" warning. */
  readonly seedUsedElsewhere?: boolean;
  /**
   * An `AbortController`'s signal (typed by the member read): aborted, the run rejects with an {@link AmmsimError} of
   * code `INTERRUPTED` (as a sweep's SweepInterrupted) — before any work when already aborted, else at the next
   * loading stage or progress tick (every 65,536 steps).
   */
  readonly signal?: { readonly aborted: boolean };
}

/** The keys of {@link BacktestOptions}: another is refused, not ignored. */
const BACKTEST_OPTION_KEYS = ['onProgress', 'strategy', 'columns', 'seedUsedElsewhere', 'signal', 'gas', 'poolEvents', 'poolEventsFile', 'warnings'] as const;

/**
 * Refuses an options object the run would partly ignore (`where`: `backtest options`): an unknown key (a typo such as
 * `onProgres`, with a "did you mean" hint), `strategy` where it is not an option ({@link backtest} takes it in its
 * input), a callback that is not a function.
 */
function checkBacktestOptions(options: object, where: string, strategyAllowed: boolean): void {
  if (typeof options !== 'object' || options === null) throw new ConfigError(where, `must be an object; was ${String(options)}`);
  const known = BACKTEST_OPTION_KEYS.filter((k) => strategyAllowed || k !== 'strategy');
  for (const k of Object.keys(options)) {
    if (k === 'strategy' && !strategyAllowed) throw new ConfigError(where, '"strategy" is a key of the input, not an option: backtest({ strategy }, options)');
    if (!(known as readonly string[]).includes(k)) throw new ConfigError(where, `unknown key "${k}"${didYouMean(k, known)} (options: ${known.join(', ')})`);
  }
  const o = options as BacktestOptions;
  if (o.onProgress !== undefined && typeof o.onProgress !== 'function') throw new ConfigError(where, `onProgress must be a function; was ${typeof o.onProgress}`);
  if (o.signal !== undefined && (typeof o.signal !== 'object' || o.signal === null || typeof o.signal.aborted !== 'boolean')) throw new ConfigError(where, 'signal must be an AbortSignal (or any { aborted: boolean })');
}

/** The error of a run stopped by its signal: code `INTERRUPTED`, as a sweep's. */
function interrupted(what: string): AmmsimError {
  return new AmmsimError('INTERRUPTED', `interrupted: ${what}`);
}

/** Rejects when `signal` is aborted (`when`: where the run stopped). */
function throwIfAborted(signal: BacktestOptions['signal'], when: string): void {
  if (signal?.aborted === true) throw interrupted(when);
}

/**
 * The options with onProgress checking the signal at every tick (the engine runs synchronously: an abort from a
 * callback or a strategy during the run is seen there); unchanged without a signal.
 */
function withSignal(options: BacktestOptions): BacktestOptions {
  const { signal, onProgress } = options;
  if (signal === undefined) return options;
  return {
    ...options,
    onProgress: (done, total) => {
      onProgress?.(done, total);
      if (signal.aborted && done < total) throw interrupted(`the backtest stopped by its signal after ${groupThousands(String(done))} of ${groupThousands(String(total))} steps`);
    },
  };
}

/**
 * A run's result. With liquidity-mining programs it also carries the split the breakeven reward price is read from
 * (the LP's value without its rewards, the reward tokens held and sold, the sale loss; benchmark = hold), so a
 * comparison can price the rewards against another benchmark (staking). Not written to any file.
 */
export interface RunResult extends BacktestResult {
  readonly rewardBreakeven?: BreakevenRewardPriceInput;
}

/**
 * The loader options of a config's series (format, gaps, window, Uniswap tokens, resampling, pair division), and the
 * parsed-series cache to read through, if any (the CLI's; none by default).
 */
export function seriesOptions(c: BacktestConfig, cache?: SeriesCache): LoadSeriesOptions {
  return {
    ...(cache === undefined ? {} : { cache }),
    format: c.format as LoadSeriesOptions['format'],
    synthetic: { seed: c.seed },
    ...(c.gaps === undefined ? {} : { gaps: c.gaps as LoadSeriesOptions['gaps'] }),
    ...(c.priceOf === undefined && c.decimals0 === undefined && c.decimals1 === undefined
      ? {}
      : {
          uniswap: {
            ...(c.priceOf === undefined ? {} : { priceOf: c.priceOf as 'token0' | 'token1' }),
            ...(c.decimals0 === undefined ? {} : { decimals0: c.decimals0 }),
            ...(c.decimals1 === undefined ? {} : { decimals1: c.decimals1 }),
          },
        }),
    ...(c.pair === undefined ? {} : { pair: c.pair }),
    ...(c.resample === undefined ? {} : { resample: c.resample }),
    ...(c.divideBy === undefined ? {} : { divideBy: c.divideBy }),
    ...(c.divideByPair === undefined ? {} : { divideByPair: c.divideByPair }),
    ...(c.from === undefined ? {} : { fromMs: windowBoundMs(c.from, 'from') }),
    ...(c.to === undefined ? {} : { toMs: windowBoundMs(c.to, 'to') }),
  };
}

/** The configured series (with `--fee-model replay` on a pool-events file: one step per event row, in log order). */
export async function loadConfiguredSeries(c: BacktestConfig, cache?: SeriesCache): Promise<PriceSeries> {
  await refuseGapsOnEventSteps(c);
  const s = await loadSeries(c.prices, seriesOptions(c, cache));
  return c.feeModel === 'replay' ? replayStepSeries(c, s) : s;
}

/**
 * `--fee-model replay` with `--prices FILE.pool_events.csv` steps once per event row in log order (replayStepSeries,
 * the same conditions: no --resample, no other --fee-events): no row is missing there, so `--gaps ffill` (fill the
 * per-second series) or `error` (refuse its gaps) could not act and is refused; `skip` is what happens.
 */
export async function refuseGapsOnEventSteps(c: BacktestConfig): Promise<void> {
  if (c.feeModel !== 'replay' || c.gaps === undefined || c.gaps === 'skip' || c.prices === undefined || c.resample !== undefined) return;
  if (c.feeEvents !== undefined && path.resolve(c.feeEvents) !== path.resolve(c.prices)) return;
  if (!(c.format === 'uniswap-events' || (c.format === 'auto' && (await detectFormat(c.prices)) === 'uniswap-events'))) return;
  throw new ConfigError('--gaps', `${c.gaps} ${c.gaps === 'ffill' ? 'fills' : 'refuses'} missing rows of a series, but --fee-model replay on the pool-events file ${c.prices} steps once per event row in log order, where none is missing; leave --gaps out`);
}

/** The events file of the replay model: --fee-events, else --prices when it is a pool-events CSV. */
async function feeEventsFile(c: BacktestConfig): Promise<string | undefined> {
  if (c.feeEvents !== undefined) return c.feeEvents;
  if (c.prices !== undefined && (c.format === 'uniswap-events' || (c.format === 'auto' && (await detectFormat(c.prices)) === 'uniswap-events'))) return c.prices;
  return undefined;
}

/** Loads what a config's run needs besides the series: its gas model and, for the replay fee model, the pool's events. */
export async function loadRunInputs(c: BacktestConfig, series: PriceSeries): Promise<RunInputs> {
  const warnings: string[] = [];
  const n = series.length;
  const { gas, warnings: gasWarnings } = await loadGasModelForRun(c, { startMs: series.timestampMs[0]!, endMs: series.timestampMs[n - 1]! });
  warnings.push(...gasWarnings);
  const eventsFile = c.feeModel === 'replay' || c.feeModel === 'all' ? await feeEventsFile(c) : undefined;
  return { gas, ...(eventsFile === undefined ? {} : { poolEvents: await readPoolEvents(eventsFile), poolEventsFile: eventsFile }), warnings };
}

function replayNeedsEvents(): ConfigError {
  return new ConfigError('--fee-events', 'the replay fee model needs the pool-events CSV (--fee-events FILE, or --prices FILE.pool_events.csv)');
}

/** The replay fee model's events are on the run's tick spacing (a logged MINT/BURN off it means a wrong fee tier). */
function checkReplayTicks(c: BacktestConfig, events: readonly PoolEventRow[], file: string | undefined): void {
  const hint = c.tickSpacing === undefined ? `is --fee ${c.fee} the pool's fee tier (--tick-spacing sets the spacing)?` : `is --tick-spacing ${c.tickSpacing} the pool's?`;
  checkTicksOnSpacing(events, c.tickSpacing ?? defaultTickSpacingOfFeePips(Math.round(c.fee * 1e6)), file ?? c.feeEvents ?? c.prices ?? 'the pool events', hint);
}

/**
 * What every configuration of a sweep would fail on, refused before any run (as `backtest` refuses it): the checks of
 * a run's preparation ({@link runBacktest}'s, through the same loaders, so with the same errors) that read only
 * settings no axis changes. `varies(key)`: whether an axis sets that config key (`params` / `harvestParams` for a
 * parameter axis). A stage (the strategy, the gas model, the replay events, the liquidity-mining programs, the
 * background liquidity, the noise flow) is checked whole when none of the keys it reads varies; a file that no axis
 * names is still read (it exists and parses) when another key of its stage varies, and a flag the fixed strategy has
 * no parameter for is refused whatever value an axis gives it. What depends on an axis's value is left to the rows.
 */
export async function refuseWhatEveryRunFails(c: BacktestConfig, series: PriceSeries, varies: (key: keyof BacktestConfig) => boolean): Promise<void> {
  const fixed = (...keys: Array<keyof BacktestConfig>): boolean => keys.every((k) => !varies(k));
  if (fixed('strategy')) {
    const s = await loadStrategy(c.strategy);
    const defaults = s.factory.defaults as Record<string, unknown>;
    if (fixed('width', 'rebalanceDelay', 'params')) strategyOf(c, s);
    else {
      if ((c.width !== undefined || varies('width')) && !('width' in defaults)) throw strategyLacks('--width', 'range width', s.label, defaults);
      if (fixed('rebalanceDelay') && c.rebalanceDelay !== 0 && !('delay' in defaults)) throw strategyLacks('--rebalance-delay', 're-centring delay', s.label, defaults);
    }
  }
  const n = series.length;
  if (fixed('gasPriceSeries', 'nativePriceSeries', 'gasBefore')) await loadGasModelForRun(c, { startMs: series.timestampMs[0]!, endMs: series.timestampMs[n - 1]! });
  else await loadGasSeriesFiles({ gasPriceSeries: fixed('gasPriceSeries') ? c.gasPriceSeries : undefined, nativePriceSeries: fixed('nativePriceSeries') ? c.nativePriceSeries : undefined });
  if (fixed('feeModel', 'feeEvents') && c.feeModel === 'replay') {
    const file = await feeEventsFile(c);
    if (file === undefined) throw replayNeedsEvents();
    const events = await readPoolEvents(file);
    if (fixed('fee', 'tickSpacing')) checkReplayTicks(c, events, file);
  } else if (fixed('feeEvents') && c.feeEvents !== undefined) await readPoolEvents(c.feeEvents);
  if (fixed('feeModel') && c.feeModel === 'volume') volumeFeeSource(series, c.fee, 1, poolTokensOf(c)); // the series' volume columns
  const mining = ['incentives', 'harvest', 'harvestParams', 'rewardPrice', 'rewardPriceStart', 'rewardPoolLiquidity', 'performanceFee', 'callerFee', 'pool'] as const;
  // (a strategy axis: the rows other than hold take the programs, and hold's rows are refused one by one)
  if (fixed(...mining)) await buildIncentives(fixed('strategy') ? c : { ...c, strategy: BACKTEST_DEFAULTS.strategy }, series, c.pool);
  else {
    if (fixed('incentives') && c.incentives !== undefined) {
      const programs = programConfigs(c.incentives);
      // what the programs need of the series' first price (other stakers' stake), the pool and the strategy
      programSpecsAt(programs, series.price[0]!);
      checkProgramsForPool(programs, fixed('pool') ? c.pool : undefined);
      if (fixed('strategy')) refuseProgramsForHold(c);
    }
    if (fixed('harvest') && ((c.incentives?.length ?? 0) > 0 || varies('incentives'))) {
      const { factory, label } = await loadHarvestPolicy(c.harvest);
      // a policy module's parameters and create() (a built-in's are checked with the config, row by row)
      if (fixed('harvestParams', 'rewardPoolLiquidity') && (c.incentives?.length ?? 0) > 0) harvestPolicyOf(c, factory, label);
    }
    if (fixed('rewardPrice') && c.rewardPrice !== undefined) {
      const spec = parseRewardPrice(c.rewardPrice);
      if (spec.kind === 'file') await loadSeries(spec.file, { gaps: 'skip' });
    }
  }
  if (fixed('poolLiquidityFile') && c.poolLiquidityFile !== undefined) {
    // read and parsed whatever the fee and tick spacing; its ticks on the rows' spacing when that is fixed, else on
    // spacing 1 (a tick off it, or outside its range, is off every spacing's), the rest of that check left to the rows
    const spacing = fixed('tickSpacing') && c.tickSpacing !== undefined ? c.tickSpacing : fixed('fee', 'tickSpacing') ? defaultTickSpacing(c.fee) : 1;
    loadLiquidityFile(c.poolLiquidityFile, spacing);
  }
  if (fixed('noiseRate', 'noiseVolumeShare')) refuseNoiseRateUnderVolume(c.noiseRate, c.noiseVolumeShare, series);
  // the pool's depth and the prices it can hold (a v3 pool's range is its tick range whatever the depth)
  if (fixed('pool', 'exact', 'capital', 'poolLiquidity') || (fixed('pool') && c.pool === 'v3')) await refusePricesThePoolCannotHold(c, series);
}

/**
 * A depth or a price the configured pool cannot hold, refused before the run (runs/createPool.ts,
 * sim/pools/priceRange.ts): the depth naming its flags, a price naming the row of the file it came from,
 * `<file>:<line>: price: must be within … for a v3 pool (…); was 1e-300`. One pass over the price column.
 */
export async function refusePricesThePoolCannotHold(c: BacktestConfig, series: PriceSeries): Promise<void> {
  refuseDepthThePoolCannotHold(c);
  const bad = priceThePoolCannotHold(c, series);
  if (bad === undefined) return;
  // the built-in series' first price is not the user's: the depth flags are what to change
  if (bad.violation.kind === 'first' && series.provenance.kind === 'synthetic') throw new ConfigError(c.poolLiquidity === undefined ? '--capital' : '--pool-liquidity', `the pool's depth does not fit the synthetic series' first price: ${describeViolation(bad.violation, bad.bounds)}`);
  throw await priceRowError(c, series, bad.violation.index, describeViolation(bad.violation, bad.bounds));
}

/** Located rows by series and step: a sweep's rows over one series that fail on the same row read its file once. */
const locatedRows = new WeakMap<PriceSeries, Map<number, Promise<SeriesRowLocation[]>>>();

/**
 * An InputError about the price of step `index`: `<file>:<line>: <price column>: <problem>` at the row of the price
 * file the step's price came from (the file read again: the series keeps no lines; of a derived pair, the
 * numerator's row, with both prices), else `<series>: row <n>: price: …` (a series made in code, the synthetic one,
 * or a file that changed since it loaded).
 */
export async function priceRowError(c: BacktestConfig, series: PriceSeries, index: number, problem: string): Promise<InputError> {
  const prov = series.provenance;
  if (c.prices !== undefined && (prov.file === c.prices || prov.kind === 'derived')) {
    let byStep = locatedRows.get(series);
    if (byStep === undefined) locatedRows.set(series, (byStep = new Map()));
    let located = byStep.get(index);
    if (located === undefined) byStep.set(index, (located = locateSeriesRow(c.prices, seriesOptions(c), series.timestampMs[index]!).catch(() => [])));
    const rows = await located;
    const at = rows[0];
    if (at !== undefined) {
      const den = rows[1];
      const where = (r: SeriesRowLocation): string => (r.line === undefined ? `${r.file}: row ${r.row}` : `${r.file}:${r.line}`);
      const text = den === undefined ? problem : `${problem} (the derived pair: ${at.price} here ÷ ${den.price} at ${where(den)})`;
      return at.line === undefined ? new RowInputError(at.file, at.row!, at.field, text) : new InputError(at.file, at.line, at.field, text);
    }
  }
  return new RowInputError(prov.file ?? `${prov.kind} series`, index + 1, 'price', problem);
}

/**
 * Summary metrics must be finite: JSON writes ±Infinity and NaN as null, and a run exiting 0 with them would look
 * like a result. The priced-in checks (the pool's depth and price range) leave only arithmetic the inputs still break;
 * refused naming the first step whose record went wrong (and its price file row), else the metric.
 */
async function refuseNonFiniteMetrics(c: BacktestConfig, series: PriceSeries, metrics: Readonly<Record<string, number>>, ts: Timeseries): Promise<void> {
  const bad = firstNonFiniteMetric(metrics);
  if (bad === undefined) return;
  const step = firstNonFiniteStep(ts);
  const what = `summary ${bad.key} came out ${bad.value}, not a number summary.json can hold`;
  if (step === undefined || step.index >= series.length) {
    throw new AmmsimError('RESULT', `${what}; the run's inputs (prices, --capital, --pool-liquidity) are beyond what the ${c.exact ? 'exact' : 'float'} ${c.pool} pool's arithmetic holds`);
  }
  const column = step.column === 'poolPrice' ? `the pool's price became ${step.value}` : `the run's ${step.column} became ${step.value}`;
  throw await priceRowError(c, series, step.index, `at this row (${new Date(series.timestampMs[step.index]!).toISOString()}, price ${fmt(series.price[step.index]!)}) ${column}, so ${what}: the ${c.exact ? 'exact' : 'float'} ${c.pool} pool cannot follow this price with --capital ${fmt(c.capital)}${c.poolLiquidity === undefined ? '' : ` and --pool-liquidity ${fmt(c.poolLiquidity)}`}; check the row${c.exact ? '' : ', or try --exact'}`);
}

/** The real pool's tokens as the fee models see them (USDC/WETH unless the config says otherwise). */
export function poolTokensOf(c: BacktestConfig): PoolTokens {
  return { decimals0: c.decimals0 ?? 6, decimals1: c.decimals1 ?? 18, priceOf: (c.priceOf as 'token0' | 'token1' | undefined) ?? 'token1' };
}

function loaded(s: LpStrategyFactory<Record<string, unknown>> | LoadedStrategy): LoadedStrategy {
  return 'factory' in s ? s : { factory: s, label: s.name };
}

/**
 * `--noise-volume-share` > 0 on a series without a `volume` column would run with no noise flow: refused, naming
 * the series (a backtest, and a sweep before it starts, with the largest share any configuration asks for).
 */
export function refuseNoiseVolumeWithoutVolume(share: number, series: PriceSeries): void {
  if (!(share > 0) || series.extra.has('volume')) return;
  const what = series.provenance.file === undefined ? `the ${series.provenance.kind} series` : series.provenance.file;
  const why = series.provenance.kind === 'derived' ? " (a pair derived with --divide-by keeps no volume: the two files' volumes are of different pairs)" : ' (a price CSV with a volume column, e.g. timestamp,price,volume)';
  throw new ConfigError('--noise-volume-share', `trades a share of the series' volume column; ${what} has none${why}`);
}

/**
 * `--noise-rate` > 0 with `--noise-volume-share` > 0: the volume column drives the noise instead (README), and the
 * Poisson flow (--noise-rate, --noise-size) trades only on steps without volume. On a series where every step has
 * volume it would change nothing: refused, naming the series.
 */
export function refuseNoiseRateUnderVolume(rate: number, share: number, series: PriceSeries): void {
  if (!(rate > 0 && share > 0)) return;
  const v = series.extra.get('volume');
  if (v === undefined) return;
  for (let i = 0; i < v.length; i++) if (!(v[i]! > 0)) return;
  const what = series.provenance.file === undefined ? `the ${series.provenance.kind} series` : series.provenance.file;
  throw new ConfigError('--noise-rate', `with --noise-volume-share the series' volume drives the noise trades, and every step of ${what} has volume, so --noise-rate (and --noise-size) would change nothing; give one of them`);
}

/** The summary metrics' input from an engine run (its record and totals), its series' timestamps, capital and seed. */
export function metricInputOf(out: EngineOutput, timestampMs: ArrayLike<number>, capital: number, seed: number): MetricInput {
  return {
    timeseries: out.timeseries,
    timestampMs,
    capital,
    inRangeSteps: out.inRangeSteps,
    rebalances: out.rebalances,
    traders: out.traders,
    feesBase: out.feesBase,
    feesQuote: out.feesQuote,
    entryCost: out.entryCost,
    entryPriceImpact: out.entryPriceImpact,
    seed,
  };
}

/** `--width` (or `--rebalance-delay`) for a strategy without that parameter: refused, never ignored. */
function strategyLacks(flag: '--width' | '--rebalance-delay', what: string, label: string, defaults: Readonly<Record<string, unknown>>): ConfigError {
  return new ConfigError(flag, `strategy ${label} has no ${what} (its parameters: ${Object.keys(defaults).join(', ') || 'none'})`);
}

/** The strategy of a run: its parameters (`--param`s, with `--width` and `--rebalance-delay` fed in) and its instance. */
function strategyOf(config: BacktestConfig, { factory, label }: LoadedStrategy): { params: Record<string, unknown>; strategy: ReturnType<LoadedStrategy['factory']['create']> } {
  // a strategy object as defineStrategy checks one (a library caller's plain object is not otherwise checked)
  checkStrategyFactory(factory, label);
  const given: Record<string, unknown> = { ...config.params };
  const defaults = factory.defaults as Record<string, unknown>;
  // Shared CLI flags feed the strategy's parameters of the same meaning unless given explicitly.
  // The same parameter given both ways with different values is refused: one of them would be silently ignored.
  if (config.width !== undefined) {
    if (!('width' in defaults)) throw strategyLacks('--width', 'range width', label, defaults);
    if (given.width === undefined) given.width = config.width;
    else if (Number(given.width) !== config.width) throw new ConfigError('--width', `${config.width} and --param width=${String(given.width)} both set the range width; give one of them`);
  }
  if ('delay' in defaults) {
    if (given.delay === undefined) given.delay = config.rebalanceDelay;
    else if (config.rebalanceDelay !== 0 && Number(given.delay) !== config.rebalanceDelay) throw new ConfigError('--rebalance-delay', `${config.rebalanceDelay} and --param delay=${String(given.delay)} both set the re-centring delay; give one of them`);
  } else if (config.rebalanceDelay !== 0) throw strategyLacks('--rebalance-delay', 're-centring delay', label, defaults);
  const params = resolveParams(factory, given);
  // what create throws is the strategy's error (a StrategyError naming it), not a crash
  return { params, strategy: createStrategy(factory, params, label) };
}

/**
 * Runs one backtest of `config` over `series` and computes every summary metric. Deterministic: the result
 * depends only on the config (seed included), the series and the files it names.
 */
export async function runBacktest(config: BacktestConfig, series: PriceSeries, options: BacktestOptions = {}): Promise<RunResult> {
  checkBacktestOptions(options, 'runBacktest options', true);
  throwIfAborted(options.signal, 'the backtest\'s signal was aborted before it ran');
  options = withSignal(options);
  checkSeries(series);
  const { factory, label } = options.strategy === undefined ? await loadStrategy(config.strategy) : loaded(options.strategy);
  const { params, strategy } = strategyOf(config, { factory, label });

  const inputs = options.gas === undefined && (config.gasPriceSeries !== undefined || config.nativePriceSeries !== undefined || config.feeModel === 'replay' || config.feeModel === 'all')
    ? { ...options, ...(await loadRunInputs(config, series)) }
    : options;
  const feePips = Math.round(config.fee * 1e6);
  const tickSpacing = config.tickSpacing ?? defaultTickSpacingOfFeePips(feePips);
  if (config.feeModel === 'replay' && inputs.poolEvents === undefined) throw replayNeedsEvents();
  // A logged MINT/BURN is always on the pool's spacing (the contract requires it): one off it means a wrong fee tier,
  // said with the file's row and the flag to check rather than as the replayed pool's revert. (`all` runs on and
  // reports its replay column unavailable.)
  if (config.feeModel === 'replay') checkReplayTicks(config, inputs.poolEvents!, inputs.poolEventsFile);
  const replaySource = config.feeModel === 'replay' ? replayFeeSource(inputs.poolEvents!, series, { feePips, tickSpacing, tokens: poolTokensOf(config), engineTickSpacing: tickSpacing, ...(inputs.poolEventsFile === undefined ? {} : { eventsFile: inputs.poolEventsFile }) }) : undefined;
  const externalFees: ExternalFees | undefined = config.feeModel === 'volume' ? volumeFeeSource(series, config.fee, tickSpacing, poolTokensOf(config)) : replaySource;

  const rng = new Rng(config.seed);
  await refusePricesThePoolCannotHold(config, series);
  const pool = createEnginePool(config, series.price[0]!);
  const traders: TraderStrategy[] = [];
  refuseNoiseVolumeWithoutVolume(config.noiseVolumeShare, series);
  refuseNoiseRateUnderVolume(config.noiseRate, config.noiseVolumeShare, series);
  if (config.noiseRate > 0 || config.noiseVolumeShare > 0) {
    traders.push(createNoiseTrader({ rate: config.noiseRate, meanSize: config.noiseSize, volumeShare: config.noiseVolumeShare }));
  }
  if (config.arbitrage) traders.push(createArbitrageur());
  const mining = await buildIncentives(config, series, config.pool);

  const out = runEngine({
    series,
    pool,
    lp: strategy,
    traders,
    capital: config.capital,
    gas: inputs.gas ?? constantGas(config.pool, config.gasPrice),
    rng,
    strategyLabel: label,
    ...(externalFees === undefined ? {} : { externalFees }),
    ...(mining === undefined ? {} : { incentives: mining.input }),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    ...(options.columns === undefined ? {} : { columns: options.columns }),
  });

  const ts = out.timeseries;
  const seedWarning = config.seed !== BACKTEST_DEFAULTS.seed && options.seedUsedElsewhere !== true && !seedMatters(config, series, rng) ? [seedChangedNothing(config.seed)] : [];
  const weiWarning = config.exact ? exactPrecisionWarning(Math.min(out.initialPoolBalances.base, out.holdBase > 0 ? out.holdBase : Infinity)) : [];
  const metricInput = metricInputOf(out, series.timestampMs, config.capital, config.seed);
  const metrics = computeSummaryMetrics(metricInput);
  await refuseNonFiniteMetrics(config, series, metrics, ts);
  // gas beyond the capital is paid on credit: the figures stand (a negative value is a debt), and the run says so
  const gasWarning = metrics.gasCost > config.capital ? [`gas cost ${metrics.gasCost.toPrecision(4)} more than the capital ${config.capital}: the wallet paid it on credit, so values below 0 are a debt (--gas-price is in gwei)`] : [];
  const rewards = out.rewards === undefined ? undefined : rewardSummary(out.rewards, metricInput);
  // an APY that compounding takes past the largest number is not stated (null): said in a warning
  const rewardWarnings = out.rewards === undefined ? [] : rewardMetricWarnings({ ...metricInput, rewards: out.rewards });
  let summary: Summary = {
    ...(rewards === undefined ? metrics : withRewardKeys(metrics, rewards)),
    strategyName: factory.name,
    warnings: [...(inputs.warnings ?? []), ...inputWarnings(config, series, inputs, metrics), ...(mining?.warnings ?? []), ...rewardWarnings, ...out.warnings, ...gasWarning, ...seedWarning, ...weiWarning],
    // the parameters the strategy ran with (defaults included, typed), not the strings given
    config: { ...configForOutput(config), params: { ...params } },
    data: series.provenance,
  } as Summary;
  if (config.feeModel === 'all') summary = applyPostFeeModel(config, series, { summary, timeseries: ts, events: out.events }, inputs.poolEvents);
  if (replaySource !== undefined) summary = { ...summary, feeModels: replaySource.report(summary.feesEarned) } as Summary;
  if (out.rewards === undefined) return { summary, timeseries: ts, events: out.events };
  return { summary, timeseries: ts, events: out.events, rewardBreakeven: rewardBreakevenInput(out.rewards, summary.finalValue, summary.holdValue) };
}

/**
 * Whether the run's seed reached its result: the built-in series is drawn from it, a `gbm:` reward price path too,
 * and the engine's generator (noise traders, a strategy's `ctx.rng`) counts what it drew.
 */
function seedMatters(config: BacktestConfig, series: PriceSeries, rng: Rng): boolean {
  return rng.draws > 0 || series.provenance.kind === 'synthetic' || (typeof config.rewardPrice === 'string' && /^gbm(:|$)/.test(config.rewardPrice.trim()));
}

/** Base amounts (whole tokens) below which the exact pool's whole-wei rounding (18 decimals) exceeds 1e-9 of them. */
const EXACT_MIN_BASE = 1e-9;

/**
 * The exact pool counts whole wei (both simulated tokens have 18 decimals): at prices where the pool's or the LP's
 * base amounts are a few thousand wei, each swap and mint rounds by a visible fraction of them, and at a few wei the
 * results mean nothing. Said, not refused: the run is still the contract's arithmetic.
 */
function exactPrecisionWarning(baseTokens: number): string[] {
  if (!(baseTokens < EXACT_MIN_BASE)) return [];
  const wei = baseTokens * 1e18;
  const pct = wei < 1 ? 100 : Math.min(100, 100 / wei);
  const amount = wei < 1 ? '< 1' : groupThousands(String(Math.round(wei)));
  return [`--exact: the pool's or the LP's base amounts are ~${amount} wei (18 decimals) at these prices, so whole-wei rounding moves them by up to ~${pct >= 1 ? Math.round(pct) : Number(pct.toPrecision(1))} % per action; rescale the prices (e.g. --divide-by) or drop --exact`];
}

/** The warning of a run whose --seed changed nothing. */
function seedChangedNothing(seed: number): string {
  return `--seed ${seed} changed nothing: nothing in this run draws random numbers (a price file, no noise traders, no gbm reward price, and the strategy drew none)`;
}

/** The summary metrics with the reward keys inserted after `entryPriceImpact` (before `seed`). */
function withRewardKeys<T extends object>(metrics: T, rewards: Record<string, number | null>): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(metrics)) {
    if (k === 'seed') Object.assign(out, rewards);
    out[k] = v;
  }
  if (!('seed' in metrics)) Object.assign(out, rewards);
  return out as T;
}

/**
 * `--fee-model all`: the three models side by side for the backtest's first position (runs/feeModels/feeModels.ts);
 * the run itself keeps the simulated traders' fees. (`replay` alone prices every position inside the run:
 * runs/feeModels/replayFeeSource.ts.)
 */
function applyPostFeeModel(config: BacktestConfig, series: PriceSeries, result: BacktestResult, events: readonly PoolEventRow[] | undefined): Summary {
  const inputs = { config, result, series, tokens: poolTokensOf(config), ...(events === undefined ? {} : { events }) };
  return { ...result.summary, feeModels: computeFeeModels(inputs) } as Summary;
}

/** The input of {@link backtest}: the CLI's options in camelCase (as in a `--config` file), every key optional. */
export type BacktestInput = Partial<Omit<BacktestConfig, 'strategy'>> & {
  /** A built-in name, a path to a strategy module, or a strategy object (`defineStrategy({...})` or a plain one). */
  readonly strategy?: string | LpStrategyFactory<Record<string, unknown>>;
};

/**
 * Runs a backtest from a config: loads its series (or the built-in synthetic one), gas model and fee model inputs,
 * and resolves to `{ summary, timeseries, events }` — what `ammsim backtest` writes.
 */
export async function backtest(input: BacktestInput = {}, options: Omit<BacktestOptions, 'strategy'> = {}): Promise<BacktestResult> {
  checkBacktestOptions(options, 'backtest options', false);
  const { strategy, ...rest } = input;
  // `csv` writes timeseries.csv, which backtest() does not write (it resolves to the timeseries): refused as `out` and
  // `json` are (a resolved config's csv: false, as summary.json writes it, is what backtest() does and is taken)
  if (rest.csv !== undefined && rest.csv !== null && rest.csv !== false) throw new ConfigError('backtest', '"csv" is a command-line flag only; give --csv to ammsim backtest (backtest() resolves to the timeseries and writes no file)');
  const object = typeof strategy === 'object' && strategy !== null ? strategy : undefined;
  // the input read as a --config file is: an unknown key is refused with a "did you mean" hint, not ignored
  const config = resolveBacktestConfig({}, { ...rest, ...(typeof strategy === 'string' ? { strategy } : object !== undefined ? { strategy: object.name } : {}) }, 'backtest');
  throwIfAborted(options.signal, 'the backtest\'s signal was aborted before it ran');
  const series = await loadConfiguredSeries(config);
  throwIfAborted(options.signal, 'the backtest stopped by its signal after loading its series');
  const inputs = await loadRunInputs(config, series);
  return runBacktest(config, series, { ...inputs, ...options, ...(object === undefined ? {} : { strategy: validatedFactory(object) }) });
}

function validatedFactory(f: LpStrategyFactory<Record<string, unknown>>): LpStrategyFactory<Record<string, unknown>> {
  if (typeof f.create !== 'function' || typeof f.name !== 'string') throw new ConfigError('strategy', 'a strategy object needs a name (string) and create(params)');
  return { ...f, description: f.description ?? '', defaults: f.defaults ?? {} } as LpStrategyFactory<Record<string, unknown>>;
}
