/**
 * Liquidity mining for a run: the config's programs, harvest policy, reward price and reward pool turned into the
 * engine's {@link IncentivesInput}, and the summary keys computed from the engine's reward totals.
 */
import { computeRewardMetrics, REWARD_METRICS, rewardTokensOwnedOf } from '../../sim/metrics/rewards.ts';
import type { MetricInput } from '../../sim/metrics/input.ts';
import { loadSeries } from '../../data/loadSeries.ts';
import { parseRewardPrice, rewardPricePath } from '../../data/synthetic/rewardPrice.ts';
import { ConfigError, didYouMean } from '../../sim/core/errors.ts';
import type { PriceSeries } from '../../sim/core/series.ts';
import { createProgram, type HarvestPolicyFactory, type IncentivesInput, type RewardTotals } from '../../sim/engine/incentives.ts';
import { rewardBreakevenInputOf, type BreakevenRewardPriceInput } from '../../sim/metrics/breakevenRewardPrice.ts';
import { loadHarvestPolicy } from './harvestRegistry.ts';
import { BUILTIN_HARVEST_POLICIES } from '../../strategies/harvest/builtins.ts';
import type { BacktestConfig } from '../config.ts';
import { programConfigs, programSpec, type ProgramConfig } from './programFile.ts';

export { parseProgram, programConfigs, readProgramFile, PROGRAM_KINDS, type ProgramConfig } from './programFile.ts';

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
    if (typeof val !== want) throw new ConfigError('--harvest-param', `${k} must be a ${want}; was ${JSON.stringify(v)}`);
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

export interface RunIncentives {
  readonly input: IncentivesInput;
  readonly programs: readonly ProgramConfig[];
  readonly warnings: readonly string[];
}

/** The run's liquidity mining, or undefined when the config has no program. */
export async function buildIncentives(c: BacktestConfig, series: PriceSeries, poolKind: 'v2' | 'v3'): Promise<RunIncentives | undefined> {
  if (c.incentives === undefined || c.incentives.length === 0) return undefined;
  const programs = programConfigs(c.incentives);
  for (const p of programs) {
    if (p.kind === 'v3-staker' && poolKind !== 'v3') throw new ConfigError('--incentive', `${p.source}: a v3-staker program pays by in-range seconds per liquidity of a v3 pool; it needs --pool v3`);
  }
  const tokens = [...new Set(programs.map((p) => p.token))];
  if (tokens.length > 1) throw new ConfigError('--incentive', `the programs pay different tokens (${tokens.join(', ')}); one reward token (one --reward-price) per run`);
  const { factory, label } = await loadHarvestPolicy(c.harvest);
  const harvestParams = resolveHarvestParams(factory, c.harvestParams);
  refuseIdleRewardPool(c, harvestParams);
  const policy = factory.create(harvestParams);
  const spec = parseRewardPrice(c.rewardPrice ?? 1);
  if (c.rewardPriceStart !== undefined && (spec.kind === 'constant' || spec.kind === 'file')) throw new ConfigError('--reward-price-start', `starts a gbm, decay or crash path; --reward-price ${spec.kind === 'constant' ? 'is a constant' : 'is a file'}`);
  const file = spec.kind === 'file' ? await loadSeries(spec.file, { gaps: 'skip' }) : undefined; // read as of each step: gaps outside the run do not matter
  const path = rewardPricePath(spec, series, { ...(c.rewardPriceStart === undefined ? {} : { start: c.rewardPriceStart }), seed: c.seed, ...(file === undefined ? {} : { file }) });
  const first = series.price[0]!;
  const warnings = [...path.warnings, ...programWindowWarnings(programs, series)];
  return {
    programs,
    warnings,
    input: {
      programs: programs.map((p) => createProgram(programSpec(p, first))),
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
