import { feesEarnedOf } from './fees.ts';
import type { MetricDefinition } from './metric.ts';
import { simpleApr } from './returns.ts';
import { yearsOf } from './run.ts';
import { finalValueOf } from './value.ts';

export const apr: MetricDefinition = {
  key: 'apr',
  better: 'higher',
  label: 'APR (simple)',
  unit: '% per year',
  format: 'fraction',
  terminal: true,
  description: 'fraction, simple annualised: netPnl / initialValue / years',
  compute: (x) => simpleApr(finalValueOf(x) - x.capital, x.capital, yearsOf(x)),
};

export const feeApr: MetricDefinition = {
  key: 'feeApr',
  better: 'higher',
  label: 'Fee APR',
  unit: '% per year',
  format: 'fraction',
  terminal: true,
  description: 'fraction: feesEarned / initialValue / years',
  compute: (x) => simpleApr(feesEarnedOf(x), x.capital, yearsOf(x)),
};
