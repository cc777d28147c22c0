import { lastOf } from './input.ts';
import type { MetricDefinition } from './metric.ts';

export const impermanentLoss: MetricDefinition = {
  key: 'impermanentLoss',
  better: 'higher',
  label: 'Impermanent loss',
  unit: '% of hold',
  format: 'fraction',
  terminal: true,
  description: 'fraction: (LP value without fees and gas − holdValue) / holdValue; negative is a loss',
  compute: (x) => lastOf(x.timeseries.impermanentLoss, x),
};
