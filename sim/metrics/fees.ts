import { lastOf, type MetricInput } from './input.ts';
import type { MetricDefinition } from './metric.ts';

/** Fees earned over the run, each valued at the market price of the step it was earned. */
export function feesEarnedOf(x: MetricInput): number {
  return lastOf(x.timeseries.feesCumulative, x);
}

export const feesEarned: MetricDefinition = {
  key: 'feesEarned',
  better: 'higher',
  label: 'Fees earned',
  unit: 'quote',
  format: 'quote',
  terminal: true,
  description: 'fees earned by the LP, each valued at the market price of the step it was earned',
  compute: feesEarnedOf,
};

export const feesBase: MetricDefinition = {
  key: 'feesBase',
  label: 'Fees in base',
  unit: 'base tokens',
  format: 'tokens',
  terminal: false,
  description: 'fee tokens in base at the end of the run, whole tokens (collected, uncollected and re-invested; v2, whose pool reinvests fees: the share of the reserves above the fee-less liquidity\'s amounts)',
  compute: (x) => x.feesBase,
};

export const feesQuote: MetricDefinition = {
  key: 'feesQuote',
  label: 'Fees in quote',
  unit: 'quote tokens',
  format: 'tokens',
  terminal: false,
  description: 'fee tokens in quote at the end of the run, whole tokens (as feesBase)',
  compute: (x) => x.feesQuote,
};

export const feesValueAtEnd: MetricDefinition = {
  key: 'feesValueAtEnd',
  better: 'higher',
  label: 'Fees valued at the end',
  short: 'Fees at end price',
  unit: 'quote',
  format: 'quote',
  terminal: true,
  description: 'feesBase × the last price + feesQuote (set-aside fee tokens keep moving with the price; `feesEarned` values each when earned)',
  compute: (x) => x.feesBase * lastOf(x.timeseries.price, x) + x.feesQuote,
};
