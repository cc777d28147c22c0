import { lastOf, type MetricInput } from './input.ts';
import type { MetricDefinition } from './metric.ts';

/** The LP's final value: positions at the last price with uncollected fees, idle and set-aside tokens, less gas. */
export function finalValueOf(x: MetricInput): number {
  return lastOf(x.timeseries.lpValue, x);
}

/** The hold benchmark's final value. */
export function holdValueOf(x: MetricInput): number {
  return lastOf(x.timeseries.holdValue, x);
}

export const initialValue: MetricDefinition = {
  key: 'initialValue',
  label: 'Initial value',
  unit: 'quote',
  format: 'quote',
  terminal: true,
  description: "the LP's capital (`--capital`)",
  compute: (x) => x.capital,
};

export const finalValue: MetricDefinition = {
  key: 'finalValue',
  better: 'higher',
  label: 'Final value (incl. fees, less gas)',
  short: 'Final value',
  unit: 'quote',
  format: 'quote',
  terminal: true,
  description: 'LP position(s) at the last price, uncollected fees included, idle tokens included, less gas paid',
  compute: finalValueOf,
};

export const holdValue: MetricDefinition = {
  key: 'holdValue',
  label: 'Hold value',
  unit: 'quote',
  format: 'quote',
  terminal: true,
  description: 'the token amounts of the initial split, with the quote the entry\'s gas took (a holder pays no gas), at the last price',
  compute: holdValueOf,
};

export const netPnl: MetricDefinition = {
  key: 'netPnl',
  better: 'higher',
  label: 'Net PnL',
  unit: 'quote',
  format: 'quote',
  terminal: true,
  description: 'finalValue − initialValue',
  compute: (x) => finalValueOf(x) - x.capital,
};

export const vsHold: MetricDefinition = {
  key: 'vsHold',
  better: 'higher',
  label: 'PnL vs hold',
  unit: 'quote',
  format: 'quote',
  terminal: true,
  description: 'finalValue − holdValue',
  compute: (x) => finalValueOf(x) - holdValueOf(x),
};
