import { lastOf } from './input.ts';
import type { MetricDefinition } from './metric.ts';

export const gasCost: MetricDefinition = {
  key: 'gasCost',
  better: 'lower',
  label: 'Gas cost',
  unit: 'quote',
  format: 'quote',
  terminal: true,
  description: "gas paid by the LP strategy (gas units × gwei × the base asset's price)",
  compute: (x) => lastOf(x.timeseries.gasCumulative, x),
};
