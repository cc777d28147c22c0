/**
 * Seeded geometric Brownian motion price series: the built-in synthetic default when no `--prices` is given.
 *
 * Model: dS = μ S dt + σ S dW, sampled exactly (no discretisation error in distribution):
 *
 *     S_{k+1} = S_k · exp((μ − σ²/2)·Δt + σ·√Δt·Z_k),   Z_k ~ N(0, 1) i.i.d.
 *
 * with Δt = stepMs / (365 × 86 400 000) in years (a year is 365 days = 8,760 hours = 525,600 minutes).
 * Z_k come from `new Rng(seed).fork('gbm')` (xoroshiro128+ via pure-rand, Marsaglia polar normals), so the
 * same parameters always give the same series, bit for bit, on every platform.
 *
 * Defaults ({@link GBM_DEFAULTS}) are ETH-like: start price 2000 (quote per base, e.g. USDC per ETH),
 * drift μ = 0 per year, volatility σ = 0.8 per √year, hourly steps, 8,760 rows (one year),
 * first row at 2024-01-01T00:00:00Z, seed 42. {@link GBM_MINUTE} gives a year of minutes (525,600 rows).
 *
 * The series has `steps` rows: row 0 is `startPrice` at `startMs`, row k is at `startMs + k·stepMs`.
 */
import { createHash } from 'node:crypto';
import { ConfigError } from '../../sim/core/errors.ts';
import { Rng } from '../../sim/core/rng.ts';
import { makeSeries, type PriceSeries } from '../../sim/core/series.ts';
import { MS_PER_YEAR } from '../../sim/core/time.ts';

export interface GbmParams {
  /** Price at row 0 (quote per one base), > 0. */
  readonly startPrice: number;
  /** μ: annual drift (continuously compounded, per year). E[S_t] = S_0·e^{μt}. */
  readonly drift: number;
  /** σ: annual volatility (per √year), ≥ 0. */
  readonly volatility: number;
  /** Step length in milliseconds, a positive integer. */
  readonly stepMs: number;
  /** Number of rows (≥ 1). */
  readonly steps: number;
  /** Time of row 0, unix milliseconds (UTC). */
  readonly startMs: number;
  /** Seed of the generator (a safe integer). */
  readonly seed: number;
}

export { MS_PER_YEAR };

export const GBM_DEFAULTS: Readonly<GbmParams> = Object.freeze({
  startPrice: 2000,
  drift: 0,
  volatility: 0.8,
  stepMs: 3_600_000,
  steps: 8_760,
  startMs: Date.UTC(2024, 0, 1),
  seed: 42,
});

/** A year of minute steps (525,600 rows), used by the benchmarks; merge over the defaults. */
export const GBM_MINUTE: Readonly<Partial<GbmParams>> = Object.freeze({ stepMs: 60_000, steps: 525_600 });

/** The defaults with `overrides` applied, validated (ConfigError naming the parameter). */
export function resolveGbmParams(overrides: Partial<GbmParams> = {}): GbmParams {
  const p: GbmParams = { ...GBM_DEFAULTS, ...overrides };
  const check = (ok: boolean, name: string, rule: string, value: number): void => {
    if (!ok) throw new ConfigError(name, `${rule}; was ${value}`);
  };
  check(Number.isFinite(p.startPrice) && p.startPrice > 0, 'startPrice', 'must be a finite number > 0', p.startPrice);
  check(Number.isFinite(p.drift), 'drift', 'must be a finite number (per year)', p.drift);
  check(Number.isFinite(p.volatility) && p.volatility >= 0, 'volatility', 'must be a finite number >= 0 (per square-root year)', p.volatility);
  check(Number.isSafeInteger(p.stepMs) && p.stepMs > 0, 'stepMs', 'must be a positive integer number of milliseconds', p.stepMs);
  check(Number.isSafeInteger(p.steps) && p.steps >= 1, 'steps', 'must be an integer >= 1', p.steps);
  check(Number.isSafeInteger(p.startMs), 'startMs', 'must be an integer unix time in milliseconds', p.startMs);
  check(Number.isSafeInteger(p.seed), 'seed', 'must be a safe integer', p.seed);
  return p;
}

/**
 * The GBM log-returns of the exact sampling in the module comment, one per step between consecutive timestamps:
 * r_i = (μ − σ²/2)·Δt_i + σ·√Δt_i·Z_i for i = 1 … n−1, with Δt_i = (t_i − t_{i−1}) in 365-day years (so gaps in
 * the clock are honoured) and Z_i = `shocks.normal()` drawn in order (an {@link Rng}, or any standard-normal source,
 * e.g. one correlated with another series). `out[0]` is 0. The one GBM step of ammsim: the built-in series
 * ({@link generateGbm}), `compare --paths`' GBM scenarios and the reward token's `--reward-price gbm:…` path.
 */
export function gbmLogReturns(timestampMs: ArrayLike<number>, drift: number, volatility: number, shocks: { normal(): number }): Float64Array {
  const n = timestampMs.length;
  const out = new Float64Array(n);
  let dt = NaN;
  let driftTerm = 0;
  let diffusion = 0;
  for (let i = 1; i < n; i++) {
    const d = (timestampMs[i]! - timestampMs[i - 1]!) / MS_PER_YEAR;
    if (d !== dt) {
      dt = d;
      driftTerm = (drift - (volatility * volatility) / 2) * dt;
      diffusion = volatility * Math.sqrt(dt);
    }
    out[i] = driftTerm + diffusion * shocks.normal();
  }
  return out;
}

/** Generates the GBM series for `overrides` merged over {@link GBM_DEFAULTS}. O(steps), one normal per step. */
export function generateGbm(overrides: Partial<GbmParams> = {}): PriceSeries {
  const p = resolveGbmParams(overrides);
  const n = p.steps;
  const timestampMs = new Float64Array(n);
  for (let k = 0; k < n; k++) timestampMs[k] = p.startMs + k * p.stepMs;
  const r = gbmLogReturns(timestampMs, p.drift, p.volatility, new Rng(p.seed).fork('gbm'));
  const price = new Float64Array(n);
  let s = p.startPrice;
  for (let k = 0; k < n; k++) {
    if (k > 0) s *= Math.exp(r[k]!);
    price[k] = s;
  }
  const params = {
    generator: 'gbm-v1',
    startPrice: p.startPrice,
    drift: p.drift,
    volatility: p.volatility,
    stepMs: p.stepMs,
    steps: p.steps,
    startMs: p.startMs,
    seed: p.seed,
  };
  const sha256 = createHash('sha256').update(JSON.stringify(params)).digest('hex');
  return makeSeries(timestampMs, price, new Map(), { kind: 'synthetic', sha256, params });
}

export { writeSeriesCsv, seriesToCsv } from './writeSeriesCsv.ts';
