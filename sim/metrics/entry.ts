import type { MetricDefinition } from './metric.ts';

export const entryCost: MetricDefinition = {
  key: 'entryCost',
  better: 'lower',
  label: 'Entry cost (swap fee + impact)',
  short: 'Entry cost',
  unit: 'quote',
  format: 'quote',
  terminal: true,
  description: 'what the entry cost beyond gas: the swap fee and price impact of the opening split to the range\'s ratio',
  compute: (x) => x.entryCost,
};

export const entryPriceImpact: MetricDefinition = {
  key: 'entryPriceImpact',
  label: 'Entry price impact',
  unit: '% of price',
  format: 'fraction',
  terminal: false,
  description: 'fraction: how far the entry moved the pool price',
  compute: (x) => x.entryPriceImpact,
};
