import type { MetricInfo } from './metric.ts';
import { BREAKEVEN_REWARD_PRICE_STAKING, REWARD_METRICS } from './rewards.ts';

/** A summary key that only some runs carry (a fee model, rewards, the entry's cost): computed by the run itself. */
export interface OptionalMetric extends MetricInfo {
  /** One line for the README's metrics table (Markdown). */
  readonly description: string;
}

/**
 * Summary keys written only by some runs, in display order after {@link SUMMARY_METRICS}. Their values come
 * from the part that knows them (fee models, the entry swap, reward contracts); this list says how they are shown.
 */
export const OPTIONAL_METRICS: readonly OptionalMetric[] = [
  // Liquidity mining (runs with --incentive): computed by sim/metrics/rewards.ts.
  ...REWARD_METRICS.map(({ compute: _compute, ...info }): OptionalMetric => info),
  BREAKEVEN_REWARD_PRICE_STAKING,
];
