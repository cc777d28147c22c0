import type { MetricInfo } from './metric.ts';

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
  { key: 'rewardsEarned', label: 'Rewards earned', unit: 'quote', format: 'quote', terminal: true, description: 'liquidity-mining rewards earned, valued in quote' },
];
