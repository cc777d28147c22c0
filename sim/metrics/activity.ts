import type { MetricInput } from './input.ts';
import type { MetricDefinition } from './metric.ts';

function trader(x: MetricInput, id: string): { trades: number; volume: number } {
  const t = x.traders.get(id);
  return { trades: t?.trades ?? 0, volume: t?.volume ?? 0 };
}

export const timeInRange: MetricDefinition = {
  key: 'timeInRange',
  better: 'higher',
  label: 'Time in range',
  unit: '% of steps',
  format: 'fraction',
  terminal: true,
  description: 'fraction of steps with every LP position in range (0 when the LP holds no position)',
  compute: (x) => x.inRangeSteps / x.timestampMs.length,
};

export const rebalances: MetricDefinition = {
  key: 'rebalances',
  label: 'Rebalances',
  unit: 'count',
  format: 'count',
  terminal: true,
  description: 'steps after the start at which the strategy opened a new position',
  compute: (x) => x.rebalances,
};

export const arbitrageTrades: MetricDefinition = {
  key: 'arbitrageTrades',
  label: 'Arbitrage trades',
  unit: 'count',
  format: 'count',
  terminal: false,
  description: "the arbitrageur's trades",
  compute: (x) => trader(x, 'arbitrageur').trades,
};

export const arbitrageVolume: MetricDefinition = {
  key: 'arbitrageVolume',
  label: 'Arbitrage volume',
  unit: 'quote',
  format: 'quote',
  terminal: false,
  description: "the quote notional of the arbitrageur's trades",
  compute: (x) => trader(x, 'arbitrageur').volume,
};

export const noiseTrades: MetricDefinition = {
  key: 'noiseTrades',
  label: 'Noise trades',
  unit: 'count',
  format: 'count',
  terminal: false,
  description: "the noise traders' trades",
  compute: (x) => trader(x, 'noise').trades,
};

export const noiseVolume: MetricDefinition = {
  key: 'noiseVolume',
  label: 'Noise volume',
  unit: 'quote',
  format: 'quote',
  terminal: false,
  description: "the quote notional of the noise traders' trades",
  compute: (x) => trader(x, 'noise').volume,
};
