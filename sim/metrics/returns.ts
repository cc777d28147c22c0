import { mean, median, sampleStandardDeviation } from 'simple-statistics';
import { MS_PER_YEAR } from '../core/time.ts';
import type { MetricInput } from './input.ts';
import type { MetricDefinition } from './metric.ts';

/** Steps per year implied by the median spacing of the timestamps (robust to the odd gap). */
export function stepsPerYear(timestampMs: ArrayLike<number>): number {
  const n = timestampMs.length;
  if (n < 2) return NaN;
  const stride = Math.max(1, Math.floor(n / 10_000));
  // evenly spaced (the usual case): the median is that one spacing (of equal values it is exact), no array needed
  const first = (timestampMs[stride]! - timestampMs[0]!) / stride;
  let even = n > stride;
  for (let i = 2 * stride; i < n && even; i += stride) even = (timestampMs[i]! - timestampMs[i - stride]!) / stride === first;
  let dt = first;
  if (!even) {
    const dts: number[] = [];
    for (let i = stride; i < n; i += stride) dts.push((timestampMs[i]! - timestampMs[i - stride]!) / stride);
    dt = median(dts);
  }
  return dt > 0 ? MS_PER_YEAR / dt : NaN;
}

function logReturns(values: ArrayLike<number>): Float64Array {
  const r = new Float64Array(Math.max(0, values.length - 1));
  let n = 0;
  for (let i = 1; i < values.length; i++) {
    const a = values[i - 1]!;
    const b = values[i]!;
    if (a > 0 && b > 0) r[n++] = Math.log(b / a);
  }
  return r.subarray(0, n);
}

/**
 * Annualised volatility and Sharpe ratio from one pass of log returns (see {@link annualizedVolatility} and
 * {@link sharpeRatio}, which it equals).
 */
export function returnStats(values: ArrayLike<number>, timestampMs: ArrayLike<number>): { volatility: number; sharpe: number } {
  const r = logReturns(values);
  if (r.length < 2) return { volatility: 0, sharpe: 0 };
  const sd = sampleStandardDeviation(r as unknown as number[]);
  const k = stepsPerYear(timestampMs);
  return { volatility: sd * Math.sqrt(k), sharpe: sd > 0 ? (mean(r as unknown as number[]) * k) / (sd * Math.sqrt(k)) : 0 };
}

/** Annualised volatility: sample standard deviation of per-step log returns × √(steps per year). */
export function annualizedVolatility(values: ArrayLike<number>, timestampMs: ArrayLike<number>): number {
  return returnStats(values, timestampMs).volatility;
}

/**
 * Annualised Sharpe ratio with a zero risk-free rate: mean per-step log return × steps/year divided by the
 * annualised volatility. 0 when the series does not move.
 */
export function sharpeRatio(values: ArrayLike<number>, timestampMs: ArrayLike<number>): number {
  return returnStats(values, timestampMs).sharpe;
}

/** Length of the run in years (first to last timestamp). */
export function yearsBetween(firstMs: number, lastMs: number): number {
  return (lastMs - firstMs) / MS_PER_YEAR;
}

/** Simple annualised return: (pnl / initial) / years. 0 for a zero-length run. */
export function simpleApr(pnl: number, initial: number, years: number): number {
  return years > 0 && initial > 0 ? pnl / initial / years : 0;
}

/** returnStats of the LP value, computed once per input for both metrics below. */
const lpReturnStats = new WeakMap<MetricInput, { volatility: number; sharpe: number }>();
function lpStats(x: MetricInput): { volatility: number; sharpe: number } {
  let s = lpReturnStats.get(x);
  if (s === undefined) {
    s = returnStats(x.timeseries.lpValue, x.timeseries.timestamp);
    lpReturnStats.set(x, s);
  }
  return s;
}

export const volatility: MetricDefinition = {
  key: 'volatility',
  label: 'Volatility (365 days)',
  short: 'Volatility (365 d)',
  unit: '% annualised',
  format: 'fraction',
  terminal: false,
  description: "annualised standard deviation of the LP value's per-step log returns (365-day year)",
  compute: (x) => lpStats(x).volatility,
};

export const sharpe: MetricDefinition = {
  key: 'sharpe',
  better: 'higher',
  label: 'Sharpe (365 days, rf 0)',
  short: 'Sharpe (365 d)',
  unit: 'ratio',
  format: 'ratio',
  terminal: true,
  description: 'annualised mean log return / volatility, risk-free rate 0 (365-day year)',
  compute: (x) => lpStats(x).sharpe,
};
