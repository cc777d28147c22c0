import { describe, expect, it } from 'vitest';
import { makeSeries } from '../../sim/core/series.ts';
import { ConfigError } from '../../sim/core/errors.ts';
import { realizedVolatility, scenarioPath, SCENARIO_DEFAULTS } from './scenarios.ts';

const H = 3_600_000;
const T0 = Date.UTC(2022, 0, 1);

function series(price: number[]) {
  const ts = Float64Array.from(price, (_, i) => T0 + i * H);
  return makeSeries(ts, Float64Array.from(price), new Map(), { kind: 'test', sha256: 'x' });
}

describe('realizedVolatility', () => {
  it('behavior: alternating ±r every hour for a year gives r·√8760', () => {
    const r = 0.01;
    const p = Array.from({ length: 8761 }, (_, i) => 100 * Math.exp(i % 2 === 0 ? 0 : r));
    expect(realizedVolatility(series(p).timestampMs, series(p).price)).toBeCloseTo(r * Math.sqrt(8760), 10);
  });
});

describe('scenarioPath gbm', () => {
  const base = series(Array.from({ length: 24 * 365 + 1 }, (_, i) => 1000 + i));
  it('behavior: σ = 0 is the deterministic drift path P0·e^(μt)', () => {
    const s = scenarioPath(base, { ...SCENARIO_DEFAULTS, volatility: 0, drift: 0.1 }, 1, 0);
    expect(s.price[0]).toBe(1000);
    expect(s.price[base.length - 1]! / (1000 * Math.exp(0.1))).toBeCloseTo(1, 10);
    expect(s.timestampMs).toBe(base.timestampMs);
  });
  it('behavior: ln(P_T/P0) over 400 paths has mean −σ²/2 and variance σ² for one year (4 standard errors, seed 5)', () => {
    const sigma = 0.8;
    const xs: number[] = [];
    for (let i = 0; i < 400; i++) {
      const s = scenarioPath(base, { ...SCENARIO_DEFAULTS, volatility: sigma }, 5, i);
      xs.push(Math.log(s.price[s.length - 1]! / s.price[0]!));
    }
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const v = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1);
    expect(Math.abs(mean - -0.32)).toBeLessThan((4 * sigma) / Math.sqrt(400));
    // variance of a sample variance of normals ≈ 2σ⁴/(n−1)
    expect(Math.abs(v - sigma * sigma)).toBeLessThan(4 * Math.sqrt((2 * sigma ** 4) / 399));
  });
  it('behavior: deterministic, and path i does not depend on how many are drawn', () => {
    const a = scenarioPath(base, SCENARIO_DEFAULTS, 42, 3);
    const b = scenarioPath(base, SCENARIO_DEFAULTS, 42, 3);
    const c = scenarioPath(base, SCENARIO_DEFAULTS, 42, 4);
    expect([...a.price]).toEqual([...b.price]);
    expect(a.price[10]).not.toBe(c.price[10]);
  });
});

describe('scenarioPath bootstrap', () => {
  const p = [100, 110, 99, 105, 120, 118, 90, 95];
  const base = series(p);
  it('behavior: a block as long as the series is a rotation of its returns: same final price', () => {
    const s = scenarioPath(base, { ...SCENARIO_DEFAULTS, method: 'bootstrap', blockSteps: 7 }, 9, 0);
    expect(s.price[7]).toBeCloseTo(95, 10);
  });
  it('behavior: every step is one of the real log returns', () => {
    const real = p.slice(1).map((x, i) => Math.log(x / p[i]!));
    const s = scenarioPath(base, { ...SCENARIO_DEFAULTS, method: 'bootstrap', blockSteps: 2 }, 9, 1);
    for (let i = 1; i < s.length; i++) {
      const r = Math.log(s.price[i]! / s.price[i - 1]!);
      expect(real.some((x) => Math.abs(x - r) < 1e-12)).toBe(true);
    }
  });
  it('error: a σ or μ so large that the path overflows or underflows names the flag (a path holds what a price file may)', () => {
    expect(() => scenarioPath(base, { ...SCENARIO_DEFAULTS, volatility: 0.5, drift: 1e6 }, 9, 1)).toThrow(/^--paths-drift: what-if path 1 leaves the prices a series may hold \(finite, > 0\): it reaches Infinity at step /);
    expect(() => scenarioPath(base, { ...SCENARIO_DEFAULTS, volatility: 1e6 }, 9, 1)).toThrow(/^--paths-volatility: what-if path 1 leaves the prices a series may hold \(finite, > 0\): it reaches 0 at step /);
  });
  it('error: block length must be a positive integer', () => {
    expect(() => scenarioPath(base, { ...SCENARIO_DEFAULTS, method: 'bootstrap', blockSteps: 0 }, 9, 1)).toThrow(ConfigError);
    expect(() => scenarioPath(base, { ...SCENARIO_DEFAULTS, method: 'bootstrap', blockSteps: 0 }, 9, 1)).toThrow('--block-steps: must be an integer ≥ 1; was 0');
  });
});
