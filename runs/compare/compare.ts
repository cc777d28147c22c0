import type { PriceSeries } from '../../sim/core/series.ts';
import type { AprSeries, LstPriceSeries } from '../../data/loaders/stakingSeries.ts';
import { loadStrategyFactory } from '../../strategies/registry.ts';
import type { LpStrategyFactory } from '../../sim/engine/strategy.ts';
import { simulateStaking, type StakingParams, type StakingResult } from '../../strategies/staking/staking.ts';
import { runBacktest, type RunResult } from '../backtest.ts';
import { holdsLpPosition, refuseProgramsForHold, REWARD_SUMMARY_KEYS, withoutMining } from '../incentives/index.ts';
import { breakevenRewardPrice } from '../../sim/metrics/breakevenRewardPrice.ts';
import { configForOutput, type BacktestConfig } from '../config.ts';
import type { BacktestResult, Timeseries } from '../../sim/metrics/record.ts';
import { ConfigError, didYouMean } from '../../sim/core/errors.ts';
import { breakevenStakingApr, requiredFeeApr } from '../../sim/metrics/breakeven.ts';
import { maxDrawdown } from '../../sim/metrics/drawdown.ts';
import { simpleApr, yearsBetween } from '../../sim/metrics/returns.ts';
import { checkCompareOptions, DEFAULT_STAKING_APR, type CompareOptions } from './config.ts';
import { realizedVolatility, scenarioPath, type ScenarioParams } from './scenarios.ts';
import { fractionRateWarning } from '../inputWarnings.ts';

/**
 * `ammsim compare`: LP strategies vs. holding vs. staking, on the same capital, price series and horizon.
 *
 * - `lp` (or `lp:<label>` for each of several LP alternatives): a backtest run per strategy × width.
 * - `hold`: the tokens the first LP alternative deposited, held (its `holdValue` line; each LP entry also carries
 *   its own `holdValue` and `vsHold`: the split deposited depends on the strategy and width).
 * - `staking`: all capital converted into base at P0 and staked (strategies/staking/staking.ts).
 * - `hold-staked`: the beta-matched benchmark, always included: half the capital held as quote, the other half
 *   converted into base at P0 and staked with the same staking settings (APR or series, compounding, commission,
 *   unbonding, LST). A full-range LP starts 50/50 too, so this is holding the LP's exposure with the base earning
 *   the staking yield — what an LP position has to beat when the base can be staked instead.
 * Differences are LP − staking, LP − hold (each LP against its own deposit held: its `vsHold`), LP − hold-staked,
 * staking − hold and hold-staked − staking / hold (the `hold` alternative; quote units, final values). Breakeven, per LP
 * alternative: the fixed staking APR at which staking ends level with the LP (same compounding, commission,
 * unbonding and LST), and the fee APR / volume multiple the LP needed to end level with staking (first-order, see
 * sim/metrics/breakeven.ts). With `paths` > 0, the what-if sweep re-runs every alternative on N seeded price
 * scenarios (scenarios.ts) and reports the distribution of LP − staking (final values).
 */
export interface CompareConfig {
  /** The LP run's config; `strategy` and `width` are overridden per alternative. */
  readonly backtest: BacktestConfig;
  /** LP strategies, each run with every width if it has a `width` parameter (once otherwise). */
  readonly strategies: readonly string[];
  /** The widths; undefined: each strategy with a `width` parameter runs once at its own default (as backtest does). */
  readonly widths: readonly number[] | undefined;
  readonly options: CompareOptions;
  /** The loaded --staking-series (required when `options.stakingSeries` is set). */
  readonly aprSeries: AprSeries | undefined;
  /** The loaded --lst-series. */
  readonly lstSeries: LstPriceSeries | undefined;
}

export interface CompareRunOptions {
  /** Progress over all runs: (runs done, total runs). */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface LpAlternative {
  /** `lp`, or `lp:<label>` when there are several. */
  readonly id: string;
  readonly strategy: string;
  /** The width used, or undefined for a strategy without a width parameter. */
  readonly width: number | undefined;
  readonly config: BacktestConfig;
}

/** Distribution of a quantity over the what-if paths. Quantiles interpolate linearly between order statistics. */
export interface Distribution {
  readonly median: number;
  readonly p5: number;
  readonly p95: number;
  readonly mean: number;
  readonly min: number;
  readonly max: number;
}

export interface CompareResult {
  /** summary.json: stable key order. */
  readonly summary: Record<string, unknown>;
  readonly alternatives: readonly LpAlternative[];
  readonly runs: readonly BacktestResult[];
  readonly staking: StakingResult;
  /** The `hold-staked` benchmark: half the capital in quote, half staked as base (value per step, quote units). */
  readonly holdStaked: HoldStakedResult;
  /** LP − staking final value per path, per LP alternative id (empty without a what-if sweep). */
  readonly whatIf: ReadonlyMap<string, Float64Array>;
}

/** The `hold-staked` benchmark of a comparison. */
export interface HoldStakedResult {
  /** Value per step, quote units: C/2 + the staked half's value. */
  readonly value: Float64Array;
  /** The staked half alone (simulateStaking with capital C/2 and the comparison's staking settings). */
  readonly staked: StakingResult;
  readonly quoteHeld: number;
}

/** Half the capital held as quote, half staked as base with `params` (its `capital` is the whole capital). */
export function simulateHoldStaked(params: StakingParams, timestampMs: Float64Array, price: Float64Array): HoldStakedResult {
  const quoteHeld = params.capital / 2;
  const staked = simulateStaking({ ...params, capital: params.capital - quoteHeld }, timestampMs, price);
  const value = new Float64Array(staked.value.length);
  for (let i = 0; i < value.length; i++) value[i] = quoteHeld + staked.value[i]!;
  return { value, staked, quoteHeld };
}

/** Linear-interpolation quantile (numpy's default) of an ascending array, p in [0, 1]. */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** Median, 5 % and 95 % quantiles, mean, min and max of a sample. */
export function distributionOf(values: ArrayLike<number>): Distribution {
  const s = Float64Array.from(values).sort();
  let sum = 0;
  for (let i = 0; i < s.length; i++) sum += s[i]!;
  return { median: quantileSorted(s, 0.5), p5: quantileSorted(s, 0.05), p95: quantileSorted(s, 0.95), mean: s.length > 0 ? sum / s.length : NaN, min: s[0] ?? NaN, max: s[s.length - 1] ?? NaN };
}

function widthLabel(w: number): string {
  return `width=${w}`;
}

/**
 * The LP alternatives of a comparison, in order: for each strategy, each width if it has a `width` parameter.
 * One alternative is `lp`; several are `lp:<strategy>`, `lp:width=<w>` or `lp:<strategy>,width=<w>`. The config's
 * liquidity-mining programs go to each alternative that holds an LP position; the hold strategy runs without them, as
 * a strategy without a range runs without the width (a comparison of hold alone is refused, as backtest refuses it).
 */
export async function lpAlternatives(
  backtest: BacktestConfig,
  strategies: readonly string[],
  widths: readonly number[] | undefined,
  load: (name: string) => Promise<LpStrategyFactory<Record<string, unknown>>> = loadStrategyFactory,
): Promise<LpAlternative[]> {
  if (strategies.length === 0) throw new ConfigError('--strategy', 'needs at least one strategy');
  if (widths !== undefined && widths.length === 0) throw new ConfigError('--width', 'needs at least one width');
  for (const w of widths ?? []) if (!(Number.isFinite(w) && w > 0)) throw new ConfigError('--width', `every width must be > 0 (0.1 = a range of P0/1.1 .. P0·1.1); was ${w}`);
  if (widths !== undefined && widths.length > 1 && backtest.params.width !== undefined) throw new ConfigError('--param', 'width=… conflicts with a list of --width values; give the widths with --width only');
  if (backtest.width !== undefined && backtest.params.width !== undefined) throw new ConfigError('--param', 'width=… and --width both set the range width; give the width with --width only');
  const raw: Array<{ strategy: string; width: number | undefined; delay: boolean }> = [];
  for (const s of strategies) {
    const defaults = (await load(s)).defaults as Record<string, unknown>;
    const delay = 'delay' in defaults;
    if (!('width' in defaults)) raw.push({ strategy: s, width: undefined, delay });
    else if (widths !== undefined) for (const w of widths) raw.push({ strategy: s, width: w, delay });
    // no widths given: the strategy's own (a --param width, else its default), as backtest runs it
    else raw.push({ strategy: s, width: Number(backtest.params.width ?? defaults.width), delay });
  }
  // A width given (backtest.width is set only when --width or a config `width` was) must reach some strategy.
  if (backtest.width !== undefined && raw.every((a) => a.width === undefined)) {
    throw new ConfigError('--width', `no strategy of this comparison has a range width (${strategies.join(', ')}); leave --width out`);
  }
  // So must a re-centring delay; it applies to the strategies that have one (rebalance), as a width to those with a range.
  if (backtest.rebalanceDelay !== 0 && raw.every((a) => !a.delay)) {
    throw new ConfigError('--rebalance-delay', `no strategy of this comparison has a re-centring delay (${strategies.join(', ')}); leave --rebalance-delay out`);
  }
  // So must liquidity mining, which pays an LP position: the hold strategy (none) runs without the programs.
  if ((backtest.incentives?.length ?? 0) > 0 && raw.every((a) => !holdsLpPosition(a.strategy))) refuseProgramsForHold({ ...backtest, strategy: raw[0]!.strategy });
  const several = raw.length > 1;
  const manyStrategies = strategies.length > 1;
  return raw.map(({ strategy, width, delay }) => {
    const parts: string[] = [];
    if (manyStrategies) parts.push(strategy);
    if (width !== undefined && widths !== undefined && widths.length > 1) parts.push(widthLabel(width));
    const id = several ? `lp:${parts.join(',') || strategy}` : 'lp';
    const config = { ...backtest, strategy, width, ...(delay ? {} : { rebalanceDelay: 0 }) };
    return { id, strategy, width, config: holdsLpPosition(strategy) ? config : withoutMining(config) };
  });
}

/** The staking params of a comparison (capital from the backtest). */
export function stakingParamsOf(config: CompareConfig): StakingParams {
  const o = config.options;
  if (o.stakingSeries !== undefined && config.aprSeries === undefined) throw new ConfigError('--staking-series', 'the series file was not loaded');
  if (o.lstSeries !== undefined && config.lstSeries === undefined) throw new ConfigError('--lst-series', 'the LST price file was not loaded');
  return {
    capital: config.backtest.capital,
    apr: config.aprSeries ?? o.stakingApr ?? DEFAULT_STAKING_APR,
    compounding: o.compounding,
    commission: o.commission,
    unbondingDays: o.unbondingDays,
    lst: config.lstSeries,
    lstEntry: o.lstEntry,
  };
}

/**
 * The liquidity-mining keys of an LP run with programs (as its summary.json has them), then the breakeven reward
 * price against staking: the constant reward-token price at which the LP with its rewards ends level with staking
 * (the model of sim/metrics/breakevenRewardPrice.ts; null when undefined, e.g. no reward tokens). Empty without programs.
 */
function rewardKeys(r: RunResult, stakingFinal: number): Record<string, unknown> {
  if (r.rewardBreakeven === undefined) return {};
  const s = r.summary as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of REWARD_SUMMARY_KEYS) out[k] = s[k];
  out.breakevenRewardPriceStaking = breakevenRewardPrice({ ...r.rewardBreakeven, benchmarkValue: stakingFinal }).price ?? null;
  return out;
}

function lpEntry(alt: LpAlternative, r: RunResult, stakingFinal: number): Record<string, unknown> {
  const s = r.summary;
  return {
    kind: 'lp',
    strategy: alt.strategy,
    width: alt.width ?? null,
    initialValue: s.initialValue,
    finalValue: s.finalValue,
    netPnl: s.netPnl,
    apr: s.apr,
    maxDrawdown: s.maxDrawdown,
    feesEarned: s.feesEarned,
    ...(s.feesValueAtEnd === undefined ? {} : { feesValueAtEnd: s.feesValueAtEnd }),
    feeApr: s.feeApr,
    impermanentLoss: s.impermanentLoss,
    lvr: s.lvr,
    gasCost: s.gasCost,
    holdValue: s.holdValue,
    vsHold: s.vsHold,
    timeInRange: s.timeInRange,
    rebalances: s.rebalances,
    volatility: s.volatility,
    sharpe: s.sharpe,
    arbitrageTrades: s.arbitrageTrades,
    arbitrageVolume: s.arbitrageVolume,
    noiseTrades: s.noiseTrades,
    noiseVolume: s.noiseVolume,
    ...(s.feesBase === undefined ? {} : { feesBase: s.feesBase, feesQuote: s.feesQuote }),
    ...(s.entryCost === undefined ? {} : { entryCost: s.entryCost }),
    ...(s.entryPriceImpact === undefined ? {} : { entryPriceImpact: s.entryPriceImpact }),
    ...rewardKeys(r, stakingFinal),
    // --fee-model all: the side-by-side fee models of this run
    ...((s as { feeModels?: unknown }).feeModels === undefined ? {} : { feeModels: (s as { feeModels?: unknown }).feeModels }),
  };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * A staking rate that reads as 100 % a year or more, probably a percentage given as a fraction: `--staking-apr 4`
 * (400 %; runs/inputWarnings.ts fractionRateWarning), or a `--staking-series` whose APRs reach 1 (its largest said,
 * with its share of the rows). Valid, so warned about, not refused.
 */
export function stakingRateWarnings(config: Pick<CompareConfig, 'options' | 'aprSeries'>): string[] {
  const s = config.aprSeries;
  if (s === undefined) {
    const w = config.options.stakingApr === undefined ? undefined : fractionRateWarning('--staking-apr', config.options.stakingApr);
    return w === undefined ? [] : [w];
  }
  let max = -Infinity;
  let atLeastOne = 0;
  for (let i = 0; i < s.length; i++) {
    const a = s.apr[i]!;
    if (a > max) max = a;
    if (a >= 1) atLeastOne++;
  }
  if (atLeastOne === 0) return [];
  return [
    `the staking series ${s.file} has APRs of 1 or more (${atLeastOne} of ${s.length} rows, up to ${max} = ${Number((max * 100).toPrecision(6))} % a year): its APRs are fractions (0.04 = 4 %); a column in percent must be divided by 100`,
  ];
}

/** The keys of {@link CompareConfig} and of {@link CompareRunOptions}: another is refused, not ignored. */
const COMPARE_CONFIG_KEYS = ['backtest', 'strategies', 'widths', 'options', 'aprSeries', 'lstSeries'] as const;
const COMPARE_RUN_OPTION_KEYS = ['onProgress'] as const;

/**
 * A library call's config and options refused where the CLI would refuse them (runs/compare/config.ts
 * checkCompareOptions: `paths: -1` as `--paths: must be an integer in [0, 100000]`), or where a key would be ignored
 * (an unknown key, with a "did you mean" hint); the config with its options resolved (a key left out: its default).
 */
function checkedCompareConfig(config: CompareConfig, options: CompareRunOptions): CompareConfig {
  if (typeof config !== 'object' || config === null) throw new ConfigError('compare', `the config must be { backtest, strategies, widths, options, aprSeries, lstSeries }; was ${String(config)}`);
  for (const k of Object.keys(config)) {
    if (!(COMPARE_CONFIG_KEYS as readonly string[]).includes(k)) throw new ConfigError('compare', `unknown key "${k}"${didYouMean(k, COMPARE_CONFIG_KEYS)} (keys: ${COMPARE_CONFIG_KEYS.join(', ')})`);
  }
  if (typeof options !== 'object' || options === null) throw new ConfigError('compare options', `must be an object; was ${String(options)}`);
  for (const k of Object.keys(options)) {
    if (!(COMPARE_RUN_OPTION_KEYS as readonly string[]).includes(k)) throw new ConfigError('compare options', `unknown key "${k}"${didYouMean(k, COMPARE_RUN_OPTION_KEYS)} (options: ${COMPARE_RUN_OPTION_KEYS.join(', ')})`);
  }
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function') throw new ConfigError('compare options', `onProgress must be a function; was ${typeof options.onProgress}`);
  return { ...config, options: checkCompareOptions(config.options as unknown as Record<string, unknown>) };
}

/**
 * Runs the comparison. Deterministic in (config, series): each LP alternative is a backtest with the same seed, the
 * what-if paths draw from `Rng(backtest.seed).fork('what-if:' + i)`.
 */
export async function runCompare(config: CompareConfig, series: PriceSeries, options: CompareRunOptions = {}): Promise<CompareResult> {
  config = checkedCompareConfig(config, options);
  const fm = config.backtest.feeModel;
  if (config.options.paths > 0 && (fm === 'replay' || fm === 'all')) {
    throw new ConfigError('--paths', `what-if paths move the price away from the logged swaps that --fee-model ${fm} credits fees from, so the paths' fees would mean nothing; use --fee-model arbitrage or volume with --paths`);
  }
  const alts = await lpAlternatives(config.backtest, config.strategies, config.widths);
  const stakingParams = stakingParamsOf(config);
  const o = config.options;
  const totalRuns = alts.length * (1 + o.paths);
  let done = 0;
  const tick = (): void => {
    done++;
    options.onProgress?.(done, totalRuns);
  };

  const runs: RunResult[] = [];
  for (const alt of alts) {
    runs.push(await runBacktest(alt.config, series, { seedUsedElsewhere: o.paths > 0 }));
    tick();
  }
  const staking = simulateStaking(stakingParams, series.timestampMs, series.price);
  const holdStaked = simulateHoldStaked(stakingParams, series.timestampMs, series.price);

  const capital = config.backtest.capital;
  const last = series.length - 1;
  const years = yearsBetween(series.timestampMs[0]!, series.timestampMs[last]!);
  const first = runs[0]!;
  const holdLine = first.timeseries.holdValue;
  const holdFinal = holdLine[last]!;

  const summary: Record<string, unknown> = {};
  summary.alternatives = [...alts.map((a) => a.id), 'hold', 'staking', 'hold-staked'];
  alts.forEach((alt, i) => {
    summary[alt.id] = lpEntry(alt, runs[i]!, staking.finalValue);
  });
  // Each LP deposits its own split (a range's ratio depends on its width), so its hold is its own: an LP's vsHold and
  // differences.minusHold are against that. The `hold` alternative is the first LP's; when another LP's differs, says so.
  const holdsDiffer = runs.some((r) => r.timeseries.holdValue[last] !== holdFinal);
  summary.hold = {
    kind: 'hold',
    basis: `the tokens ${alts[0]!.id} deposited at the start, held${holdsDiffer ? "; each LP alternative's vsHold and differences.minusHold are against the tokens it deposited itself, held (its holdValue)" : ''}`,
    initialValue: capital,
    finalValue: holdFinal,
    netPnl: holdFinal - capital,
    apr: simpleApr(holdFinal - capital, capital, years),
    maxDrawdown: maxDrawdown(holdLine),
  };
  summary.staking = {
    kind: 'staking',
    initialValue: capital,
    finalValue: staking.finalValue,
    netPnl: staking.finalValue - capital,
    apr: staking.apr,
    maxDrawdown: staking.maxDrawdown,
    rewardApr: staking.rewardApr,
    baseInitial: staking.baseInitial,
    finalBase: staking.finalBase,
    rewardsBase: staking.rewardsBase,
    commissionBase: staking.commissionBase,
    rewardsValue: staking.rewardsValue,
    finalMarkPrice: staking.finalMarkPrice,
    accrualEnd: iso(staking.accrualEndMs),
    creditedDays: staking.creditedDays,
  };
  const hsFinal = holdStaked.value[last]!;
  const hs = holdStaked.staked;
  summary['hold-staked'] = {
    kind: 'hold-staked',
    basis: 'half the capital held as quote, half converted into base at the first price and staked (the staking settings of staking)',
    initialValue: capital,
    finalValue: hsFinal,
    netPnl: hsFinal - capital,
    apr: simpleApr(hsFinal - capital, capital, years),
    maxDrawdown: maxDrawdown(holdStaked.value),
    quoteHeld: holdStaked.quoteHeld,
    baseInitial: hs.baseInitial,
    finalBase: hs.finalBase,
    rewardsBase: hs.rewardsBase,
    commissionBase: hs.commissionBase,
    rewardsValue: hs.rewardsValue,
  };

  const differences: Record<string, unknown> = {};
  const breakeven: Record<string, unknown> = {};
  alts.forEach((alt, i) => {
    const s = runs[i]!.summary;
    // against its own hold: the tokens this LP deposited (its holdValue, as its vsHold), not the first LP's
    differences[alt.id] = { minusStaking: s.finalValue - staking.finalValue, minusHold: s.finalValue - runs[i]!.timeseries.holdValue[last]!, minusHoldStaked: s.finalValue - hsFinal };
    const apr = breakevenStakingApr({
      lpFinalValue: s.finalValue,
      baseInitial: staking.baseInitial,
      finalMarkPrice: staking.finalMarkPrice,
      compounding: stakingParams.compounding,
      commission: stakingParams.commission,
      accrualYears: staking.accrualYears,
      creditedDays: staking.creditedDays,
    });
    const fee = requiredFeeApr({ lpFinalValue: s.finalValue, stakingFinalValue: staking.finalValue, feesEarned: s.feesEarned, initialValue: capital, years });
    breakeven[alt.id] = {
      stakingApr: apr ?? null,
      feeApr: fee.feeApr,
      requiredFeeApr: fee.requiredFeeApr,
      extraFeesNeeded: fee.extraFeesNeeded,
      requiredVolumeMultiple: fee.requiredVolumeMultiple ?? null,
    };
  });
  differences.staking = { minusHold: staking.finalValue - holdFinal };
  differences['hold-staked'] = { minusStaking: hsFinal - staking.finalValue, minusHold: hsFinal - holdFinal };
  summary.differences = differences;
  summary.breakeven = breakeven;

  const whatIf = new Map<string, Float64Array>();
  if (o.paths > 0) {
    const scen: ScenarioParams = { method: o.pathsMethod, volatility: o.pathsVolatility, drift: o.pathsDrift, blockSteps: o.blockSteps };
    for (const alt of alts) whatIf.set(alt.id, new Float64Array(o.paths));
    const lpWins = new Map(alts.map((a) => [a.id, 0]));
    // Only final values are kept, so each path's run writes its timeseries into the arrays of the run before.
    let columns: Timeseries | undefined;
    for (let p = 0; p < o.paths; p++) {
      const path = scenarioPath(series, scen, config.backtest.seed, p);
      const st = simulateStaking(stakingParams, path.timestampMs, path.price).finalValue;
      for (const alt of alts) {
        const r = await runBacktest(alt.config, path, columns !== undefined && columns.timestamp.length === path.length ? { columns } : {});
        columns = r.timeseries;
        const d = r.summary.finalValue - st;
        whatIf.get(alt.id)![p] = d;
        if (d > 0) lpWins.set(alt.id, lpWins.get(alt.id)! + 1);
        tick();
      }
    }
    const dist: Record<string, unknown> = {};
    for (const alt of alts) dist[alt.id] = { ...distributionOf(whatIf.get(alt.id)!), lpWinShare: lpWins.get(alt.id)! / o.paths };
    summary.whatIf = {
      method: o.pathsMethod,
      paths: o.paths,
      seed: config.backtest.seed,
      volatility: o.pathsMethod === 'gbm' ? (o.pathsVolatility ?? realizedVolatility(series.timestampMs, series.price)) : null,
      drift: o.pathsMethod === 'gbm' ? o.pathsDrift : null,
      blockSteps: o.pathsMethod === 'bootstrap' ? o.blockSteps : null,
      lpMinusStaking: dist,
    };
  } else summary.whatIf = null;

  summary.initialValue = capital;
  summary.steps = series.length;
  summary.years = years;
  summary.seed = config.backtest.seed;
  const ownWidths = [...new Set(alts.flatMap((a) => (a.width === undefined ? [] : [a.width])))];
  const bt = configForOutput(config.backtest);
  delete bt.strategy;
  delete bt.width;
  summary.config = {
    ...bt,
    strategies: [...config.strategies],
    // the widths run: as given, else each strategy's own (none for strategies without a width); null (not given) when
    // the strategies' own widths differ, as a list given back as --config would run every strategy at every width
    widths: config.widths !== undefined ? [...config.widths] : ownWidths.length > 1 ? null : ownWidths,
    staking: {
      apr: config.aprSeries === undefined ? stakingParams.apr : null,
      aprSeries: config.aprSeries === undefined ? null : { file: config.aprSeries.file, kind: config.aprSeries.kind, rows: config.aprSeries.length },
      compounding: o.compounding,
      commission: o.commission,
      unbondingDays: o.unbondingDays,
      lstSeries: config.lstSeries === undefined ? null : { file: config.lstSeries.file, pair: config.lstSeries.pair ?? null, rows: config.lstSeries.length },
      lstEntry: config.lstSeries === undefined ? null : o.lstEntry,
    },
    whatIf: { paths: o.paths, method: o.pathsMethod, volatility: o.pathsVolatility ?? null, drift: o.pathsDrift, blockSteps: o.blockSteps },
  };
  summary.data = series.provenance;
  summary.notes = [...staking.notes];
  // The staking rate's (read as a fraction), then the LP runs' warnings (a strategy that could no longer act, a
  // back-filled gas series…), each naming its run.
  summary.warnings = [...stakingRateWarnings(config), ...alts.flatMap((alt, i) => (runs[i]!.summary.warnings ?? []).map((w) => `${alt.id}: ${w}`))];
  return { summary, alternatives: alts, runs, staking, holdStaked, whatIf };
}
