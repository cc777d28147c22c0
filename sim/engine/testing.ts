import { makeSeries, type PriceSeries } from '../../data/series.ts';
import { Rng } from '../rng.ts';

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

/** A GBM path with zero drift: exp(−σ²Δt/2 + σ√Δt·Z) steps, Δt in years. */
export function gbmPath(n: number, sigma: number, dtYears: number, p0: number, seed: number): number[] {
  const rng = new Rng(seed);
  const out = [p0];
  for (let i = 1; i < n; i++) out.push(out[i - 1]! * Math.exp(-0.5 * sigma * sigma * dtYears + sigma * Math.sqrt(dtYears) * rng.normal()));
  return out;
}
