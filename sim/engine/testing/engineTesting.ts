import { makeSeries, type PriceSeries } from '../../core/series.ts';
import { generateGbm, MS_PER_YEAR } from '../../../data/synthetic/gbm.ts';

/**
 * Test helpers: small in-memory series. (The documented synthetic generator for users lives in
 * data/synthetic; these exist so engine tests control every price exactly.)
 */
export function seriesOf(prices: readonly number[], stepMs = 3_600_000, startMs = Date.UTC(2024, 0, 1)): PriceSeries {
  const n = prices.length;
  const ts = new Float64Array(n);
  for (let i = 0; i < n; i++) ts[i] = startMs + i * stepMs;
  return makeSeries(ts, Float64Array.from(prices), new Map(), { kind: 'test', sha256: 'test' });
}

/** Prices of a zero-drift GBM path (data/synthetic/gbm.ts) with `n` rows of Δt = `dtYears`. */
export function gbmPath(n: number, sigma: number, dtYears: number, p0: number, seed: number): number[] {
  const stepMs = Math.round(dtYears * MS_PER_YEAR);
  return Array.from(generateGbm({ steps: n, volatility: sigma, stepMs, startPrice: p0, seed }).price);
}
