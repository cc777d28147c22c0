import { makeSeries, type PriceSeries } from '../../sim/core/series.ts';
import { ConfigError } from '../../sim/core/errors.ts';
import { Rng } from '../../sim/core/rng.ts';
import { MS_PER_YEAR } from '../../sim/core/time.ts';
import { gbmLogReturns } from '../../data/synthetic/gbm.ts';

/**
 * Price scenarios for the what-if sweep of `ammsim compare --paths N`: N seeded price paths on the run's own
 * timestamps, starting at the run's first price, so every alternative (LP, hold, staking with its APR series or LST
 * series) is re-run on the same clock.
 *
 * - `gbm`: geometric Brownian motion, log P_i = log P_{i−1} + (μ − σ²/2)·Δt_i + σ·√Δt_i·Z_i, Δt_i in 365-day years
 *   from the actual timestamps (so gaps are honoured), Z_i standard normal.
 * - `bootstrap`: moving-block bootstrap of the real series' log returns: blocks of `blockSteps` consecutive returns,
 *   each starting at a uniformly drawn step (wrapping round the end), concatenated until the path is full. It keeps
 *   the real series' fat tails and short-range dependence; a return keeps its size whatever the gap it lands on.
 *
 * Path i draws from `new Rng(seed).fork('what-if:' + i)`, so it does not depend on N.
 */
export type ScenarioMethod = 'gbm' | 'bootstrap';
export const SCENARIO_METHODS: readonly ScenarioMethod[] = ['gbm', 'bootstrap'];

export interface ScenarioParams {
  readonly method: ScenarioMethod;
  /** GBM annual volatility σ; undefined = the realised volatility of the run's series ({@link realizedVolatility}). */
  readonly volatility: number | undefined;
  /** GBM annual drift μ of the price (0 = no view). */
  readonly drift: number;
  /** Block length of the bootstrap, in steps (≥ 1). */
  readonly blockSteps: number;
}

export const SCENARIO_DEFAULTS: Readonly<ScenarioParams> = Object.freeze({ method: 'gbm', volatility: undefined, drift: 0, blockSteps: 24 });

/**
 * Realised annual volatility of a price series: sqrt(Σ (ln P_i/P_{i−1})² / years), with years from the first to the
 * last timestamp. Unlike a per-step standard deviation it needs no regular spacing. 0 for fewer than two points.
 */
export function realizedVolatility(timestampMs: Float64Array, price: Float64Array): number {
  const n = price.length;
  if (n < 2) return 0;
  let ss = 0;
  for (let i = 1; i < n; i++) {
    const r = Math.log(price[i]! / price[i - 1]!);
    ss += r * r;
  }
  const years = (timestampMs[n - 1]! - timestampMs[0]!) / MS_PER_YEAR;
  return years > 0 ? Math.sqrt(ss / years) : 0;
}

/** Validates scenario params (ConfigError naming the flag). */
export function validateScenarioParams(p: ScenarioParams): ScenarioParams {
  if (!SCENARIO_METHODS.includes(p.method)) throw new ConfigError('--paths-method', `must be one of ${SCENARIO_METHODS.join(', ')}; was ${JSON.stringify(p.method)}`);
  if (p.volatility !== undefined && !(Number.isFinite(p.volatility) && p.volatility >= 0)) throw new ConfigError('--paths-volatility', `must be ≥ 0 (annual, 0.8 = 80 %); was ${p.volatility}`);
  if (!Number.isFinite(p.drift)) throw new ConfigError('--paths-drift', `must be a finite annual drift; was ${p.drift}`);
  if (!(Number.isInteger(p.blockSteps) && p.blockSteps >= 1)) throw new ConfigError('--block-steps', `must be an integer ≥ 1; was ${p.blockSteps}`);
  return p;
}

/**
 * Scenario path `index` for `base` (same timestamps, same first price). Deterministic in (seed, index, params,
 * base). The series' extra columns (e.g. volume) are kept unchanged.
 */
export function scenarioPath(base: PriceSeries, params: ScenarioParams, seed: number, index: number): PriceSeries {
  const p = validateScenarioParams(params);
  const n = base.length;
  const rng = new Rng(seed).fork(`what-if:${index}`);
  const price = new Float64Array(n);
  price[0] = base.price[0]!;
  const sigma = p.volatility ?? realizedVolatility(base.timestampMs, base.price);
  if (p.method === 'gbm') {
    const r = gbmLogReturns(base.timestampMs, p.drift, sigma, rng); // data/synthetic/gbm.ts: the one GBM step
    let logP = Math.log(price[0]!);
    for (let i = 1; i < n; i++) {
      logP += r[i]!;
      price[i] = Math.exp(logP);
    }
  } else {
    const m = n - 1; // number of returns
    let logP = Math.log(price[0]!);
    let i = 1;
    while (i < n) {
      let k = rng.int(0, m - 1);
      for (let b = 0; b < p.blockSteps && i < n; b++, i++) {
        logP += Math.log(base.price[k + 1]! / base.price[k]!);
        price[i] = Math.exp(logP);
        k = (k + 1) % m;
      }
    }
  }
  // A path must hold what a price file may (finite, > 0): an extreme σ or μ overflows to Infinity or underflows to 0.
  for (let i = 1; i < n; i++) {
    const x = price[i]!;
    if (Number.isFinite(x) && x > 0) continue;
    const flag = p.method === 'bootstrap' ? '--paths-method' : Math.abs(p.drift) >= (sigma * sigma) / 2 ? '--paths-drift' : '--paths-volatility';
    throw new ConfigError(flag, `what-if path ${index} leaves the prices a series may hold (finite, > 0): it reaches ${x} at step ${i} (volatility ${sigma}, drift ${p.drift} a year); give a smaller value`);
  }
  return makeSeries(base.timestampMs, price, base.extra, {
    kind: `what-if-${p.method}`,
    sha256: base.provenance.sha256,
    params: { method: p.method, index, seed, volatility: sigma, drift: p.drift, blockSteps: p.blockSteps },
  });
}
