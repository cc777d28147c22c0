/**
 * The summary metrics a sweep tabulates per configuration, in column order: every numeric key of a backtest's
 * summary except those a row's axes already state or that are the same for every row (initialValue = capital,
 * steps and years of the shared series, seed).
 */
export const SWEEP_METRICS = [
  'finalValue', 'holdValue', 'vsHold', 'netPnl', 'apr', 'feesEarned', 'feeApr', 'feesValueAtEnd', 'feesBase', 'feesQuote',
  'impermanentLoss', 'lvr', 'gasCost', 'entryCost', 'entryPriceImpact', 'timeInRange', 'rebalances', 'maxDrawdown',
  'volatility', 'sharpe', 'arbitrageTrades', 'arbitrageVolume', 'noiseTrades', 'noiseVolume',
] as const;
export type SweepMetric = (typeof SWEEP_METRICS)[number];

/** The liquidity-mining metrics a summary has when the run has programs (`--incentive`): columns of such sweeps. */
export const REWARD_METRICS = [
  'rewardTokensEarned', 'rewardsEarned', 'rewardsValueAtEnd', 'rewardAprSpot', 'rewardApr', 'totalApr', 'apy', 'apyCompoundsPerYear',
  'harvests', 'harvestGas', 'rewardSlippage', 'performanceFees', 'callerFees', 'breakevenRewardPriceHold',
] as const;

/** Numeric summary keys deliberately not tabulated (see {@link SWEEP_METRICS}). */
export const NOT_TABULATED: readonly string[] = ['initialValue', 'steps', 'years', 'seed'];

/** The columns of a sweep over `base`: {@link SWEEP_METRICS}, then {@link REWARD_METRICS} when it has programs. */
export function sweepMetrics(base: { readonly incentives?: readonly unknown[] | undefined }): string[] {
  return [...SWEEP_METRICS, ...(base.incentives !== undefined && base.incentives.length > 0 ? REWARD_METRICS : [])];
}

/** The metrics of a summary in the given order; a missing or non-numeric value (null) is NaN. */
export function metricsOf(summary: Readonly<Record<string, unknown>>, metrics: readonly string[] = SWEEP_METRICS): number[] {
  return metrics.map((m) => {
    const v = summary[m];
    return typeof v === 'number' ? v : NaN;
  });
}
