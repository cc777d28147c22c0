import { lastOf, type MetricInput } from './input.ts';
import type { MetricDefinition } from './metric.ts';

/** Fees earned over the run, each valued at the market price of the step it was earned. */
export function feesEarnedOf(x: MetricInput): number {
  return lastOf(x.timeseries.feesCumulative, x);
}

export const feesEarned: MetricDefinition = {
  key: 'feesEarned',
  label: 'Fees earned',
  unit: 'quote',
  format: 'quote',
  terminal: true,
  description: 'fees earned by the LP, each valued at the market price of the step it was earned',
  compute: feesEarnedOf,
};
