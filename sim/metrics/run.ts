import { lastIndex, type MetricInput } from './input.ts';
import type { MetricDefinition } from './metric.ts';
import { yearsBetween } from './returns.ts';

/** Length of the run, first to last timestamp, in 365-day years. */
export function yearsOf(x: MetricInput): number {
  return yearsBetween(x.timestampMs[0]!, x.timestampMs[lastIndex(x)]!);
}

export const steps: MetricDefinition = {
  key: 'steps',
  label: 'Steps',
  unit: 'count',
  format: 'count',
  terminal: true,
  description: 'rows in the series',
  compute: (x) => x.timestampMs.length,
};

export const years: MetricDefinition = {
  key: 'years',
  label: 'Span',
  unit: 'years (365 d)',
  format: 'years',
  terminal: false,
  description: 'first to last timestamp, in 365-day years',
  compute: yearsOf,
};

export const seed: MetricDefinition = {
  key: 'seed',
  label: 'Seed',
  unit: '',
  format: 'integer',
  terminal: true,
  description: 'the seed used',
  compute: (x) => x.seed,
};
