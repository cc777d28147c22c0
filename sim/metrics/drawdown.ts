import type { MetricDefinition } from './metric.ts';

/**
 * Maximum peak-to-trough decline of a value series, as a fraction of the peak (0 = never below a prior peak,
 * 0.25 = fell 25 % from its high). Non-positive peaks are skipped.
 */
export function maxDrawdown(values: ArrayLike<number>): number {
  let peak = -Infinity;
  let worst = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v > peak) peak = v;
    else if (peak > 0) {
      const dd = (peak - v) / peak;
      if (dd > worst) worst = dd;
    }
  }
  return worst;
}

export const maxDrawdownMetric: MetricDefinition = {
  key: 'maxDrawdown',
  better: 'lower',
  label: 'Max drawdown',
  unit: '% of peak',
  format: 'fraction',
  terminal: true,
  description: "fraction: the largest peak-to-trough fall of the LP's value",
  compute: (x) => maxDrawdown(x.timeseries.lpValue),
};
