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
  {
    key: 'feesValueAtEnd',
    label: 'Fees valued at the end',
    short: 'Fees at end price',
    unit: 'quote',
    format: 'quote',
    terminal: true,
    description: 'the fee tokens earned, valued at the last price (set-aside fee tokens keep moving with the price; `feesEarned` values each when earned)',
  },
  { key: 'feesBase', label: 'Fees in base', unit: 'base tokens', format: 'tokens', terminal: false, description: 'fees earned in the base token, whole tokens' },
  { key: 'feesQuote', label: 'Fees in quote', unit: 'quote tokens', format: 'tokens', terminal: false, description: 'fees earned in the quote token, whole tokens' },
  {
    key: 'entryCost',
    label: 'Entry cost (impact + swap fee)',
    short: 'Entry cost',
    unit: 'quote',
    format: 'quote',
    terminal: true,
    description: "what the LP's opening swap to the range's ratio cost: price impact plus swap fee",
  },
  { key: 'rewardsEarned', label: 'Rewards earned', unit: 'quote', format: 'quote', terminal: true, description: 'liquidity-mining rewards earned, valued in quote' },
];
