/**
 * Liquidity-mining metrics: summary.json keys written only when a run has at least one incentive program (after
 * `entryPriceImpact`, before `seed`). A run without programs keeps today's keys and bytes. Computed from the run's
 * metric input plus the engine's reward totals (sim/engine/incentives.ts `RewardTotals` has these fields; the
 * metrics take them structurally and never import the engine).
 */
import { aprToApy } from './apy.ts';
import { breakevenRewardPrice, rewardBreakevenInputOf } from './breakevenRewardPrice.ts';
import { feesEarnedOf } from './fees.ts';
import { lastOf, type MetricInput } from './input.ts';
import type { MetricInfo } from './metric.ts';
import { simpleApr } from './returns.ts';
import { yearsOf } from './run.ts';
import { groupThousands } from '../core/format.ts';
import { DAYS_PER_YEAR, MS_PER_YEAR } from '../core/time.ts';

/** The engine's liquidity-mining totals of a run (whole reward tokens; values in quote). */
export interface RewardTotalsInput {
  /** Reward tokens credited to the LP: claimed (gross of the vault's fees) + pending at the end. */
  readonly rewardTokensEarned: number;
  /** Claims valued at the reward price when claimed + pending at the end at the last price (gross of fees). */
  readonly rewardsEarned: number;
  /** Every reward token earned valued at the last reward price. */
  readonly rewardsValueAtEnd: number;
  readonly harvests: number;
  readonly harvestGas: number;
  readonly rewardSlippage: number;
  readonly performanceFees: number;
  readonly callerFees: number;
  /** Claimed, kept (net of fees) and not sold, at the end. */
  readonly rewardTokensHeld: number;
  readonly rewardTokensPending: number;
  /** Quote from sold rewards set aside; quote from sold rewards compounded into positions. */
  readonly rewardQuote: number;
  readonly rewardsCompounded: number;
  /** The LP's reward rate at the start (whole tokens per second, all programs) and the reward price then. */
  readonly lpRatePerSecondAtStart: number;
  readonly rewardPriceAtStart: number;
  /** Harvests per year that compounded (0 = never compounds). */
  readonly compoundsPerYear: number;
  /** Reward tokens sold or compounded; derived from the other totals when absent (see {@link rewardTokensSoldOf}). */
  readonly rewardTokensSold?: number;
  /** The reward token's last price; derived when absent (see {@link rewardPriceAtEndOf}). */
  readonly rewardPriceAtEnd?: number;
}

/** What the reward metrics are computed from. */
export interface RewardMetricInput extends MetricInput {
  readonly rewards: RewardTotalsInput;
}

/** A reward metric: how it is shown, what it means, how it is computed (NaN = undefined; summary.json writes null). */
export interface RewardMetricDefinition extends MetricInfo {
  readonly description: string;
  readonly compute: (x: RewardMetricInput) => number;
}

/** The reward token's last price: rewardsValueAtEnd / rewardTokensEarned, else the start price (nothing earned). */
export function rewardPriceAtEndOf(r: RewardTotalsInput): number {
  if (r.rewardPriceAtEnd !== undefined) return r.rewardPriceAtEnd;
  return r.rewardTokensEarned > 0 ? r.rewardsValueAtEnd / r.rewardTokensEarned : r.rewardPriceAtStart;
}

/**
 * Reward tokens sold or compounded: given, or claimed × (1 − fee share) − held, where claimed = earned − pending and
 * the fee share (performance + caller) = fees ÷ the claims' value (both valued at each claim's price, so the ratio is
 * the configured fractions exactly).
 */
export function rewardTokensSoldOf(r: RewardTotalsInput): number {
  if (r.rewardTokensSold !== undefined) return r.rewardTokensSold;
  const claimed = r.rewardTokensEarned - r.rewardTokensPending;
  return Math.max(0, claimed * (1 - claimFeeShareOf(r)) - r.rewardTokensHeld);
}

/**
 * The share of each claim taken by the vault (performance + caller fee): fees ÷ the rewards' value, both valued at
 * each claim's reward price (pending rewards, and the fees due on them, at the end price), so the ratio is the
 * configured fractions exactly; 0 when nothing was earned.
 */
export function claimFeeShareOf(r: RewardTotalsInput): number {
  return r.rewardsEarned > 0 ? (r.performanceFees + r.callerFees) / r.rewardsEarned : 0;
}

/** Reward tokens the LP owns at the end: held, and pending less the vault's share of them. */
export function rewardTokensOwnedOf(r: RewardTotalsInput): number {
  return r.rewardTokensHeld + r.rewardTokensPending * (1 - claimFeeShareOf(r));
}

/** Reward APR realised: rewardsEarned / capital / years. */
function rewardAprOf(x: RewardMetricInput): number {
  return simpleApr(x.rewards.rewardsEarned, x.capital, yearsOf(x));
}

function totalAprOf(x: RewardMetricInput): number {
  return simpleApr(feesEarnedOf(x), x.capital, yearsOf(x)) + rewardAprOf(x);
}

/**
 * The APY and the net APR it compounds: A = feeApr + rewardApr × (1 − fee share), compounded n = compoundsPerYear
 * times a 365-day year (apy.ts). An annualised compounding of a short run's rate can leave the doubles (a 3-day run
 * earning 10× its capital, compounded every 5 h, is (1 + 1051/1752)^1752 ≈ 10^357): the APY is then not a number a
 * summary can hold, and is NaN (null, `n/a`), said by {@link rewardMetricWarnings}; never ±Infinity.
 */
export function apyOf(x: RewardMetricInput): { apy: number; netApr: number; overflow: boolean } {
  const netApr = simpleApr(feesEarnedOf(x), x.capital, yearsOf(x)) + rewardAprOf(x) * (1 - claimFeeShareOf(x.rewards));
  if (!(Number.isFinite(netApr) && netApr > -1)) return { apy: NaN, netApr, overflow: false };
  const apy = aprToApy(netApr, x.rewards.compoundsPerYear);
  return Number.isFinite(apy) ? { apy, netApr, overflow: false } : { apy: NaN, netApr, overflow: true };
}

/** A fraction as a percentage for a sentence: 2 decimals, none from 10,000 %, an exponent from 1e15 %. */
function pct(f: number): string {
  const p = f * 100;
  return `${Math.abs(p) >= 1e15 ? p.toExponential(3) : groupThousands(p.toFixed(Math.abs(p) >= 1e4 ? 0 : 2))} %`;
}

/**
 * What the reward metrics of a run say that a number cannot: an APY beyond the largest number (NaN, null in
 * summary.json). One sentence each, for the run's `warnings`.
 */
export function rewardMetricWarnings(x: RewardMetricInput): string[] {
  const a = apyOf(x);
  if (!a.overflow) return [];
  const n = x.rewards.compoundsPerYear;
  const days = yearsOf(x) * DAYS_PER_YEAR;
  return [
    `apy is not stated (null): the net APR ${pct(a.netApr)} compounded ${groupThousands(n.toFixed(Number.isInteger(n) ? 0 : 2))} times a year grows beyond the largest number; a ${days.toFixed(days < 10 ? 1 : 0)}-day run's rate does not compound over a year — read totalApr (${pct(totalAprOf(x))}) and rewardApr`,
  ];
}

/** The breakeven reward price against a benchmark's final value (NaN when undefined). */
export function breakevenRewardPriceOf(x: RewardMetricInput, benchmarkValue: number): number {
  const r = x.rewards;
  const input = rewardBreakevenInputOf(
    {
      finalValue: lastOf(x.timeseries.lpValue, x),
      rewardPriceAtEnd: rewardPriceAtEndOf(r),
      tokensHeld: rewardTokensOwnedOf(r),
      tokensSold: rewardTokensSoldOf(r),
      saleProceeds: r.rewardQuote + r.rewardsCompounded,
      saleSlippage: r.rewardSlippage,
    },
    benchmarkValue,
  );
  return breakevenRewardPrice(input).price ?? NaN;
}

const quote = (key: string, label: string, description: string, compute: (x: RewardMetricInput) => number, terminal = false, short?: string): RewardMetricDefinition => ({
  key,
  label,
  unit: 'quote',
  format: 'quote',
  terminal,
  ...(short === undefined ? {} : { short }),
  description,
  compute,
});

/** Every reward metric, in summary.json order. */
export const REWARD_METRICS: readonly RewardMetricDefinition[] = [
  {
    key: 'rewardTokensEarned',
    better: 'higher',
    label: 'Reward tokens earned',
    short: 'Reward tokens',
    unit: 'reward tokens',
    format: 'tokens',
    terminal: true,
    description: 'reward tokens credited to the LP over the run: claimed (before the vault’s fees) + pending at the end',
    compute: (x) => x.rewards.rewardTokensEarned,
  },
  quote('rewardsEarned', 'Rewards earned', 'liquidity-mining rewards earned, valued in quote: each claim at the reward price when claimed, pending at the last price', (x) => x.rewards.rewardsEarned, true),
  quote('rewardsValueAtEnd', 'Rewards valued at the end', 'every reward token earned valued at the last reward price', (x) => x.rewards.rewardsValueAtEnd, false, 'Rewards at end'),
  {
    key: 'rewardAprSpot',
    better: 'higher',
    label: 'Reward APR (spot, at the start)',
    short: 'Reward APR spot',
    unit: '% per year',
    format: 'fraction',
    terminal: false,
    description:
      "fraction per 365-day year: the programs' emission to the LP at the start (its share then; a program starting during the run at its rate when it starts, one not live during the run 0) × the reward price then ÷ initialValue",
    compute: (x) => (x.rewards.lpRatePerSecondAtStart * (MS_PER_YEAR / 1000) * x.rewards.rewardPriceAtStart) / x.capital,
  },
  {
    key: 'rewardApr',
    better: 'higher',
    label: 'Reward APR (realised)',
    short: 'Reward APR',
    unit: '% per year',
    format: 'fraction',
    terminal: true,
    description: 'fraction: rewardsEarned / initialValue / years (365-day years)',
    compute: rewardAprOf,
  },
  {
    key: 'totalApr',
    better: 'higher',
    label: 'Total APR (fees + rewards)',
    short: 'Total APR',
    unit: '% per year',
    format: 'fraction',
    terminal: true,
    description: 'fraction: feeApr + rewardApr',
    compute: totalAprOf,
  },
  {
    key: 'apy',
    better: 'higher',
    label: 'APY (compounded)',
    short: 'APY',
    unit: '% per year',
    format: 'fraction',
    terminal: true,
    description:
      'fraction per 365-day year: (1 + A/n)^n − 1 with n = apyCompoundsPerYear and A = feeApr + rewardApr × (1 − the performance and caller fee fractions); A itself when n = 0; null, with a warning, when that is beyond the largest number (a short run’s rate compounded often: read totalApr)',
    compute: (x) => apyOf(x).apy,
  },
  {
    key: 'apyCompoundsPerYear',
    label: 'APY compounding',
    unit: 'per year',
    format: 'ratio',
    terminal: false,
    description: 'harvests per 365-day year that compound (the harvest policy’s, or counted over the run); 0 = never compounds',
    compute: (x) => x.rewards.compoundsPerYear,
  },
  { key: 'harvests', label: 'Harvests', unit: 'count', format: 'count', terminal: true, description: 'reward claims over the run', compute: (x) => x.rewards.harvests },
  quote('harvestGas', 'Harvest gas', 'gas paid for the claims (one per program with something to pay) and the reward sales (part of gasCost)', (x) => x.rewards.harvestGas, true),
  quote('rewardSlippage', 'Reward sale slippage', 'value lost selling rewards through the reward pool vs the reward price, pool fee included', (x) => x.rewards.rewardSlippage, false, 'Reward slippage'),
  quote('performanceFees', 'Performance fees', 'the vault’s performance fee taken from each claim (valued at the claim’s reward price) and due on the rewards still pending at the end (at the end price)', (x) => x.rewards.performanceFees),
  quote('callerFees', 'Caller fees', 'the harvest caller’s fee taken from each claim (valued at the claim’s reward price) and due on the rewards still pending at the end (at the end price)', (x) => x.rewards.callerFees),
  {
    key: 'breakevenRewardPriceHold',
    better: 'lower',
    label: 'Breakeven reward price vs hold',
    short: 'Breakeven vs hold',
    unit: 'quote per reward token',
    format: 'ratio',
    terminal: true,
    description:
      'the constant reward-token price at which LP + rewards ends level with holdValue: (holdValue − V0) / (held + pending after vault fees + (1 − s)·sold), V0 = finalValue without the rewards, s = the share lost selling; negative = ahead even with worthless rewards; null without reward tokens',
    compute: (x) => breakevenRewardPriceOf(x, lastOf(x.timeseries.holdValue, x)),
  },
];

/** The reward keys of summary.json, in order. */
export type RewardMetricKey =
  | 'rewardTokensEarned'
  | 'rewardsEarned'
  | 'rewardsValueAtEnd'
  | 'rewardAprSpot'
  | 'rewardApr'
  | 'totalApr'
  | 'apy'
  | 'apyCompoundsPerYear'
  | 'harvests'
  | 'harvestGas'
  | 'rewardSlippage'
  | 'performanceFees'
  | 'callerFees'
  | 'breakevenRewardPriceHold';

/** `breakevenRewardPriceStaking` (compare only): the same as vs hold, against staking's final value. */
export const BREAKEVEN_REWARD_PRICE_STAKING: MetricInfo & { readonly description: string } = {
  key: 'breakevenRewardPriceStaking',
  better: 'lower',
  label: 'Breakeven reward price vs staking',
  short: 'Breakeven vs stake',
  unit: 'quote per reward token',
  format: 'ratio',
  terminal: true,
  description: 'compare: the constant reward-token price at which LP + rewards ends level with staking’s final value (as `breakevenRewardPriceHold`)',
};

/** The reward metrics of a run with programs, keys in summary.json order (spread after `entryPriceImpact`). */
export function computeRewardMetrics(x: RewardMetricInput): Record<RewardMetricKey, number> {
  const out: Record<string, number> = {};
  for (const m of REWARD_METRICS) out[m.key] = m.compute(x);
  return out as Record<RewardMetricKey, number>;
}
