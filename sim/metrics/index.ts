/**
 * The summary metrics of a backtest, in summary.json order: one list that summary.json, the terminal table, the
 * HTML report and the README's metrics table all come from. Each metric lives in its own file, grouped by topic.
 */
import { arbitrageTrades, arbitrageVolume, noiseTrades, noiseVolume, rebalances, timeInRange } from './activity.ts';
import { apr, feeApr } from './apr.ts';
import { maxDrawdownMetric } from './drawdown.ts';
import { entryCost, entryPriceImpact } from './entry.ts';
import { feesBase, feesEarned, feesQuote, feesValueAtEnd } from './fees.ts';
import { gasCost } from './gas.ts';
import { impermanentLoss } from './il.ts';
import type { MetricInput } from './input.ts';
import { lvr } from './lvr.ts';
import type { MetricDefinition } from './metric.ts';
import { sharpe, volatility } from './returns.ts';
import { seed, steps, years } from './run.ts';
import { finalValue, holdValue, initialValue, netPnl, vsHold } from './value.ts';

export type { MetricInput, TraderActivity } from './input.ts';
export type { MetricDefinition, MetricFormat, MetricInfo } from './metric.ts';
export { OPTIONAL_METRICS, type OptionalMetric } from './optional.ts';
import { OPTIONAL_METRICS } from './optional.ts';
import type { MetricInfo } from './metric.ts';
export { computeRewardMetrics, REWARD_METRICS, type RewardMetricDefinition, type RewardMetricInput, type RewardMetricKey, type RewardTotalsInput } from './rewards.ts';

/** Every numeric summary metric, in summary.json order. */
export const SUMMARY_METRICS: readonly MetricDefinition[] = [
  initialValue,
  finalValue,
  holdValue,
  feesEarned,
  impermanentLoss,
  lvr,
  gasCost,
  netPnl,
  vsHold,
  apr,
  feeApr,
  timeInRange,
  rebalances,
  maxDrawdownMetric,
  volatility,
  sharpe,
  steps,
  years,
  arbitrageTrades,
  arbitrageVolume,
  noiseTrades,
  noiseVolume,
  feesBase,
  feesQuote,
  feesValueAtEnd,
  entryCost,
  entryPriceImpact,
  seed,
];

/** The keys of {@link SUMMARY_METRICS}, in order. */
export type SummaryMetricKey =
  | 'initialValue'
  | 'finalValue'
  | 'holdValue'
  | 'feesEarned'
  | 'impermanentLoss'
  | 'lvr'
  | 'gasCost'
  | 'netPnl'
  | 'vsHold'
  | 'apr'
  | 'feeApr'
  | 'timeInRange'
  | 'rebalances'
  | 'maxDrawdown'
  | 'volatility'
  | 'sharpe'
  | 'steps'
  | 'years'
  | 'arbitrageTrades'
  | 'arbitrageVolume'
  | 'noiseTrades'
  | 'noiseVolume'
  | 'feesBase'
  | 'feesQuote'
  | 'feesValueAtEnd'
  | 'entryCost'
  | 'entryPriceImpact'
  | 'seed';

/** Every summary metric of a run, keys in summary.json order (spread it first into the summary object). */
export function computeSummaryMetrics(input: MetricInput): Record<SummaryMetricKey, number> {
  const out: Record<string, number> = {};
  for (const m of SUMMARY_METRICS) out[m.key] = m.compute(input);
  return out as Record<SummaryMetricKey, number>;
}

/** How summary metric `key` is shown (always-present or optional), undefined for an unknown key. */
export function metricInfoOf(key: string): MetricInfo | undefined {
  return SUMMARY_METRICS.find((m) => m.key === key) ?? OPTIONAL_METRICS.find((m) => m.key === key);
}

/** Which way summary metric `key` is better ('higher' | 'lower'), undefined for one that is neither or unknown. */
export function betterOf(key: string): 'higher' | 'lower' | undefined {
  return metricInfoOf(key)?.better;
}
