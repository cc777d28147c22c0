/**
 * Liquidity mining for a run: the config's programs, harvest policy, reward price and reward pool turned into the
 * engine's {@link IncentivesInput}, and the summary keys computed from the engine's reward totals.
 */
import { computeRewardMetrics, REWARD_METRICS, rewardTokensOwnedOf } from '../../sim/metrics/rewards.ts';
import type { MetricInput } from '../../sim/metrics/input.ts';
import { loadSeries } from '../../data/loadSeries.ts';
import { parseRewardPrice, rewardPricePath, type RewardPriceSpec } from '../../data/synthetic/rewardPrice.ts';
import { ConfigError, didYouMean } from '../../sim/core/errors.ts';
import type { PriceSeries } from '../../sim/core/series.ts';
import { createProgram, type HarvestPolicy, type HarvestPolicyFactory, type IncentivesInput, type ProgramSpec, type RewardTotals } from '../../sim/engine/incentives.ts';
import { rewardBreakevenInputOf, type BreakevenRewardPriceInput } from '../../sim/metrics/breakevenRewardPrice.ts';
import { builtinHarvestPolicy, guardedHarvestPolicy, loadHarvestPolicy } from './harvestRegistry.ts';
import { BUILTIN_HARVEST_POLICIES } from '../../strategies/harvest/builtins.ts';
import type { BacktestConfig } from '../config.ts';
import { programConfigs, programSpec, type ProgramConfig } from './programFile.ts';

export { parseInlineProgram, parseProgram, placeInlineProgram, programConfigs, readProgramFile, PROGRAM_KINDS, type ProgramConfig } from './programFile.ts';
export { HarvestPolicyError } from './harvestRegistry.ts';

/** Default depth of the reward/quote pool, quote. */
export const DEFAULT_REWARD_POOL_LIQUIDITY = 1_000_000;

/** Merges a harvest policy's parameters over its defaults, rejecting unknown names and wrong types. */
export function resolveHarvestParams(f: HarvestPolicyFactory<Record<string, unknown>>, given: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const defaults = f.defaults as Record<string, unknown>;
  const out: Record<string, unknown> = { ...defaults };
  const names = Object.keys(defaults);
  for (const [k, v] of Object.entries(given)) {
    if (!(k in defaults)) throw new ConfigError('--harvest-param', `harvest policy "${f.name}" has no parameter "${k}"${didYouMean(k, names)} (parameters: ${names.join(', ') || 'none'})`);
    const want = typeof defaults[k];
    let val = v;
    if (want === 'number' && typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) val = Number(v);
    if (want === 'boolean' && (v === 'true' || v === 'false')) val = v === 'true';
    if (want === 'string' && typeof v === 'number') val = String(v);
    if (typeof val !== want) throw new ConfigError('--harvest-param', `${k} must be ${/^[aeio]/.test(want) ? 'an' : 'a'} ${want}; was ${JSON.stringify(v)}`);
    out[k] = val;
  }
  return out;
}

/**
 * --reward-pool-liquidity sizes the pool claimed rewards are sold through: with a built-in policy that never sells
 * (never, or then=hold) it could not act, and is refused. Checked per run, with the policy's parameters resolved, so
 * a sweep over then=hold,sell refuses only its hold rows. A user policy (or a strategy's claims) may sell: left alone.
 */
function refuseIdleRewardPool(c: BacktestConfig, harvestParams: Readonly<Record<string, unknown>>): void {
  if (c.rewardPoolLiquidity === undefined || !BUILTIN_HARVEST_POLICIES.has(c.harvest)) return;
  const then = harvestParams.then;
  if (then !== undefined && then !== 'hold') return;
  const why = then === undefined ? `--harvest ${c.harvest} does not claim` : `--harvest ${c.harvest} holds what it claims (then=hold)`;
  throw new ConfigError('--reward-pool-liquidity', `sizes the pool claimed rewards are sold through, and this run sells none: ${why}; give --harvest interval or threshold with --harvest-param then=sell (or compound), or leave it out`);
}

/**
 * The hold strategy holds the capital's tokens and no LP position: no program pays it, so --incentive (and every
 * mining flag with it) could not act and is refused. A user strategy that never mints is the run's own matter.
 * compare runs its hold alternative without the programs instead ({@link withoutMining}), as a strategy without a
 * range runs without --width.
 */
export function refuseProgramsForHold(c: Pick<BacktestConfig, 'strategy' | 'incentives'>): void {
  if ((c.incentives?.length ?? 0) === 0 || holdsLpPosition(c.strategy)) return;
  throw new ConfigError('--incentive', `the ${c.strategy} strategy holds no LP position: no liquidity-mining program can pay it, so the programs and the mining flags (--harvest, --reward-price, …) could not act; give an LP strategy (full-range, range, rebalance) or leave the liquidity-mining flags out`);
}

/** Whether a strategy (a built-in name or a module path) may hold an LP position: all but the built-in `hold`. */
export function holdsLpPosition(strategy: string): boolean {
  return strategy !== 'hold';
}

/** The config without liquidity mining: every mining key at its default (no program). */
export function withoutMining<C extends BacktestConfig>(c: C): C {
  return { ...c, incentives: undefined, harvest: 'never', harvestParams: {}, rewardPrice: undefined, rewardPriceStart: undefined, rewardPoolLiquidity: undefined, performanceFee: 0, callerFee: 0 };
}

/**
 * The rules between the programs and the pool: a v3-staker pays by a v3 pool's seconds per liquidity; the programs
 * pay one reward token (one reward price).
 */
export function checkProgramsForPool(programs: readonly ProgramConfig[], poolKind: 'v2' | 'v3' | undefined): void {
  for (const p of programs) {
    if (poolKind !== undefined && p.kind === 'v3-staker' && poolKind !== 'v3') throw new ConfigError('--incentive', `${p.source}: a v3-staker program pays by in-range seconds per liquidity of a v3 pool; it needs --pool v3`);
  }
  const tokens = [...new Set(programs.map((p) => p.token))];
  if (tokens.length > 1) throw new ConfigError('--incentive', `the programs pay different tokens (${tokens.join(', ')}); one reward token (one --reward-price) per run`);
}

/**
 * The harvest policy of a run from its factory: its parameters resolved, the reward pool checked against them
 * ({@link refuseIdleRewardPool}), its instance. A user module's (`label` names it) create() and onStep() failures are
 * its own errors, {@link HarvestPolicyError}s naming it, not a stack trace.
 */
export function harvestPolicyOf(c: BacktestConfig, factory: HarvestPolicyFactory<Record<string, unknown>>, label: string): HarvestPolicy {
  const harvestParams = resolveHarvestParams(factory, c.harvestParams);
  refuseIdleRewardPool(c, harvestParams);
  if (BUILTIN_HARVEST_POLICIES.get(c.harvest) === factory) return factory.create(harvestParams);
  return guardedHarvestPolicy(factory, harvestParams, label);
}

/**
 * The spec of --reward-price (default 1), and --reward-price-start, which starts a gbm, decay or crash path: refused
 * beside a constant or a file (it could not act).
 */
export function rewardPriceSpecOf(c: Pick<BacktestConfig, 'rewardPrice' | 'rewardPriceStart'>): RewardPriceSpec {
  const spec = parseRewardPrice(c.rewardPrice ?? 1);
  if (c.rewardPriceStart !== undefined && (spec.kind === 'constant' || spec.kind === 'file')) throw new ConfigError('--reward-price-start', `starts a gbm, decay or crash path; --reward-price ${spec.kind === 'constant' ? 'is a constant' : 'is a file'}`);
  return spec;
}

/**
 * The mining rules a config is refused on that read no file and need no series (runs/config.ts applies them as it
 * resolves a config with programs, so a sweep's probe of its grid meets them row by row): a built-in harvest policy's
 * parameters and the reward pool against them, an unknown policy name, --reward-price and --reward-price-start. A
 * user policy module is loaded and checked with the run ({@link buildIncentives}).
 */
export function checkMiningSettings(c: BacktestConfig): void {
  const builtin = builtinHarvestPolicy(c.harvest);
  if (builtin !== undefined) harvestPolicyOf(c, builtin, builtin.name);
  rewardPriceSpecOf(c);
}

export interface RunIncentives {
  readonly input: IncentivesInput;
  readonly programs: readonly ProgramConfig[];
  readonly warnings: readonly string[];
}

/** The programs of a config at a series' first price: read and checked, with the stake units each contract can hold. */
export function programSpecsAt(programs: readonly ProgramConfig[], firstPrice: number): ProgramSpec[] {
  return programs.map((p) => programSpec(p, firstPrice));
}

/** The run's liquidity mining, or undefined when the config has no program. */
export async function buildIncentives(c: BacktestConfig, series: PriceSeries, poolKind: 'v2' | 'v3'): Promise<RunIncentives | undefined> {
  if (c.incentives === undefined || c.incentives.length === 0) return undefined;
  refuseProgramsForHold(c);
  const programs = programConfigs(c.incentives);
  checkProgramsForPool(programs, poolKind);
  const { factory, label } = await loadHarvestPolicy(c.harvest);
  const policy = harvestPolicyOf(c, factory, label);
  const spec = rewardPriceSpecOf(c);
  const first = series.price[0]!;
  const specs = programSpecsAt(programs, first);
  const file = spec.kind === 'file' ? await loadSeries(spec.file, { gaps: 'skip' }) : undefined; // read as of each step: gaps outside the run do not matter
  const path = rewardPricePath(spec, series, { ...(c.rewardPriceStart === undefined ? {} : { start: c.rewardPriceStart }), seed: c.seed, ...(file === undefined ? {} : { file }) });
  const warnings = [...path.warnings, ...programWindowWarnings(programs, series)];
  return {
    programs,
    warnings,
    input: {
      programs: specs.map((s) => createProgram(s)),
      policy,
      policyLabel: label,
      rewardPrice: path.price,
      rewardPoolLiquidity: c.rewardPoolLiquidity ?? DEFAULT_REWARD_POOL_LIQUIDITY,
      performanceFee: c.performanceFee,
      callerFee: c.callerFee,
    },
  };
}

const isoSec = (sec: number): string => new Date(sec * 1000).toISOString().replace('.000Z', 'Z');

/** A program whose window misses the run's pays nothing: said, not silently zero. */
export function programWindowWarnings(programs: readonly ProgramConfig[], series: PriceSeries): string[] {
  const n = series.timestampMs.length;
  const from = Math.floor(series.timestampMs[0]! / 1000);
  const to = Math.floor(series.timestampMs[n - 1]! / 1000);
  const out: string[] = [];
  for (const p of programs) {
    // a StakingRewards top-up starts a new period of the same length from its time (notifyRewardAmount)
    const duration = p.endSec - p.startSec;
    const startSec = Math.min(p.startSec, ...p.topUps.map((t) => t.atSec));
    const endSec = Math.max(p.endSec, ...p.topUps.map((t) => t.atSec + duration));
    const where = `${p.source}: the program runs ${isoSec(startSec)} … ${isoSec(endSec)}${endSec > p.endSec ? ' (with its top-ups)' : ''}`;
    const run = `the run ${isoSec(from)} … ${isoSec(to)}`;
    if (endSec <= from) out.push(`${where}, before ${run}: it pays nothing`);
    else if (startSec >= to) out.push(`${where}, after ${run}: it pays nothing`);
  }
  return out;
}

/** The run's split into its value without rewards and the reward tokens, against a benchmark's final value. */
export function rewardBreakevenInput(r: RewardTotals, finalValue: number, benchmarkValue: number): BreakevenRewardPriceInput {
  return rewardBreakevenInputOf(
    {
      finalValue,
      rewardPriceAtEnd: r.rewardPriceAtEnd,
      tokensHeld: rewardTokensOwnedOf(r),
      tokensSold: r.rewardTokensSold,
      saleProceeds: r.rewardQuote + r.rewardsCompounded,
      saleSlippage: r.rewardSlippage,
    },
    benchmarkValue,
  );
}

/** The reward keys of summary.json, in order (between `entryPriceImpact` and `seed`): the reward metric list's. */
export const REWARD_SUMMARY_KEYS: readonly string[] = REWARD_METRICS.map((m) => m.key);

/**
 * The reward keys of summary.json from the run's metric input and the engine's reward totals, by the reward metric
 * definitions (sim/metrics/rewards.ts, one home for each formula); an undefined value (NaN) is written as null.
 */
export function rewardSummary(r: RewardTotals, input: MetricInput): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const [k, v] of Object.entries(computeRewardMetrics({ ...input, rewards: r }))) out[k] = Number.isNaN(v) ? null : v;
  return out;
}
