import { lastOf } from './input.ts';
import type { MetricDefinition } from './metric.ts';

export const lvr: MetricDefinition = {
  key: 'lvr',
  better: 'lower',
  label: 'LVR',
  unit: 'quote',
  format: 'quote',
  terminal: true,
  description:
    "loss-versus-rebalancing, Σ_t [x_{t−1}(P_t − P_{t−1}) − (V_t − V_{t−1})] over the LP's fee-less pool holdings (Milionis, Moallemi, Roughgarden, Zhang 2022), counting only the change caused by trading",
  compute: (x) => lastOf(x.timeseries.lvrCumulative, x),
};
