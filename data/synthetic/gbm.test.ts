import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { mean, sampleStandardDeviation } from 'simple-statistics';
import { gbmLogReturns, generateGbm, GBM_DEFAULTS, GBM_MINUTE, MS_PER_YEAR, writeSeriesCsv } from './gbm.ts';
import { Rng } from '../../sim/core/rng.ts';
import { loadCsvPrices } from '../loaders/csvPrices.ts';

function logReturns(p: Float64Array): number[] {
  const r: number[] = [];
  for (let i = 1; i < p.length; i++) r.push(Math.log(p[i]! / p[i - 1]!));
  return r;
}

describe('generateGbm', () => {
  it('behavior: documented defaults (ETH-like, 2000, μ=0, σ=0.8, hourly, 8,760 rows from 2024-01-01Z, seed 42)', () => {
    expect(GBM_DEFAULTS).toEqual({ startPrice: 2000, drift: 0, volatility: 0.8, stepMs: 3_600_000, steps: 8760, startMs: Date.parse('2024-01-01T00:00:00Z'), seed: 42 });
    const s = generateGbm();
    expect(s.length).toBe(8760);
    expect(s.price[0]).toBe(2000);
    expect(s.timestampMs[0]).toBe(Date.parse('2024-01-01T00:00:00Z'));
    expect(s.timestampMs[8759]).toBe(Date.parse('2024-12-30T23:00:00Z')); // 8,759 hours later (2024 is a leap year)
    expect(s.provenance.kind).toBe('synthetic');
    expect(s.provenance.params?.['seed']).toBe(42);
    for (const p of s.price) expect(p > 0 && Number.isFinite(p)).toBe(true);
  });

  it('behavior: follows S_{k+1} = S_k·exp((μ − σ²/2)Δt + σ√Δt·Z) with Z from Rng(seed).fork("gbm")', () => {
    const s = generateGbm({ steps: 50, drift: 0.3, volatility: 0.5, seed: 9 });
    const rng = new Rng(9).fork('gbm');
    const dt = 3_600_000 / MS_PER_YEAR;
    let x = 2000;
    for (let k = 1; k < 50; k++) {
      x = x * Math.exp((0.3 - 0.125) * dt + 0.5 * Math.sqrt(dt) * rng.normal());
      expect(s.price[k]).toBe(x);
    }
  });

  it('behavior: deterministic: same seed gives identical arrays and provenance hash; another seed differs', () => {
    const a = generateGbm({ steps: 1000 });
    const b = generateGbm({ steps: 1000 });
    expect(Buffer.from(a.price.buffer).equals(Buffer.from(b.price.buffer))).toBe(true);
    expect(a.provenance.sha256).toBe(b.provenance.sha256);
    const c = generateGbm({ steps: 1000, seed: 43 });
    expect(c.price[1]).not.toBe(a.price[1]);
    expect(c.provenance.sha256).not.toBe(a.provenance.sha256);
  });

  it('behavior: σ = 0 gives the deterministic path S_0·e^{μt}', () => {
    const s = generateGbm({ volatility: 0, drift: 0.1, steps: 8760 });
    const t = 8759 / 8760;
    expect(s.price[8759]! / 2000).toBeCloseTo(Math.exp(0.1 * t), 12);
  });

  // Realised annualised vol of n log returns: std error of a sample s.d. is ≈ σ/√(2n).
  // Minute path: n = 525,599 ⇒ relative SE ≈ 0.1 %; 2 % bound is ~20 SE. Hourly: n = 8,759 ⇒ 0.76 %; 5 % bound is ~6.6 SE.
  it('behavior: realised annualised volatility of a year of minutes within 2 % of σ = 0.8', () => {
    const s = generateGbm(GBM_MINUTE);
    expect(s.length).toBe(525_600);
    const vol = sampleStandardDeviation(logReturns(s.price)) * Math.sqrt(MS_PER_YEAR / 60_000);
    expect(Math.abs(vol / 0.8 - 1)).toBeLessThan(0.02);
  });

  it('behavior: realised annualised volatility of the default hourly year within 5 % of σ', () => {
    const vol = sampleStandardDeviation(logReturns(generateGbm().price)) * Math.sqrt(8760);
    expect(Math.abs(vol / 0.8 - 1)).toBeLessThan(0.05);
  });

  // E[S_T] = S_0·e^{μT}. 4,000 paths, σ = 0.2, μ = 0.1, T = 12 steps of 30 days: s.d. of S_T/S_0 ≈ 0.21,
  // SE of the mean ≈ 0.0033; bound 0.017 ≈ 5 SE.
  it('behavior: mean terminal price over 4,000 seeds matches S_0·e^{μT} (martingale drift correction)', () => {
    const T = (12 * 30) / 365;
    const finals: number[] = [];
    for (let seed = 0; seed < 4000; seed++) {
      const s = generateGbm({ seed, drift: 0.1, volatility: 0.2, stepMs: 30 * 86_400_000, steps: 13, startPrice: 1 });
      finals.push(s.price[12]!);
    }
    expect(Math.abs(mean(finals) - Math.exp(0.1 * T))).toBeLessThan(0.017);
  });

  it.each([
    [{ startPrice: 0 }, '[ConfigError: startPrice: must be a finite number > 0; was 0]'],
    [{ volatility: -0.1 }, '[ConfigError: volatility: must be a finite number >= 0 (per square-root year); was -0.1]'],
    [{ steps: 0 }, '[ConfigError: steps: must be an integer >= 1; was 0]'],
    [{ stepMs: 1.5 }, '[ConfigError: stepMs: must be a positive integer number of milliseconds; was 1.5]'],
    [{ drift: Number.NaN }, '[ConfigError: drift: must be a finite number (per year); was NaN]'],
  ])('error: rejects %j', (params, msg) => {
    let err: unknown;
    try {
      generateGbm(params);
    } catch (e) {
      err = e;
    }
    expect(`[${(err as Error).name}: ${(err as Error).message}]`).toBe(msg);
  });
});

describe('gbmLogReturns', () => {
  // An irregular clock: 1 h, 1 h, a 5 h gap, 1 min, 1 day.
  const H = 3_600_000;
  const clock = Float64Array.from([0, H, 2 * H, 7 * H, 7 * H + 60_000, 7 * H + 60_000 + 24 * H]);
  it('behavior: σ = 0 gives μ·Δt per step, Δt from each gap in 365-day years; out[0] = 0', () => {
    const r = gbmLogReturns(clock, 0.3, 0, new Rng(1));
    expect(r[0]).toBe(0);
    for (let i = 1; i < clock.length; i++) expect(r[i]).toBeCloseTo((0.3 * (clock[i]! - clock[i - 1]!)) / MS_PER_YEAR, 15);
  });
  it('behavior: each step is (μ − σ²/2)Δt + σ√Δt·Z with the rng\'s normals in order, whatever the gap', () => {
    const r = gbmLogReturns(clock, 0.1, 0.8, new Rng(9).fork('x'));
    const z = new Rng(9).fork('x');
    for (let i = 1; i < clock.length; i++) {
      const dt = (clock[i]! - clock[i - 1]!) / MS_PER_YEAR;
      expect(r[i]).toBeCloseTo((0.1 - 0.32) * dt + 0.8 * Math.sqrt(dt) * z.normal(), 14);
    }
  });
});

describe('gbmLogReturns with another shock source', () => {
  it('behavior: any standard-normal source drives it (a constant Z = 1 gives (μ − σ²/2)Δt + σ√Δt per step)', () => {
    const clock = Float64Array.from([0, 3_600_000, 90_000_000]);
    const r = gbmLogReturns(clock, 0, 0.5, { normal: () => 1 });
    for (let i = 1; i < 3; i++) {
      const dt = (clock[i]! - clock[i - 1]!) / MS_PER_YEAR;
      expect(r[i]).toBeCloseTo(-0.125 * dt + 0.5 * Math.sqrt(dt), 15);
    }
  });
});

describe('writeSeriesCsv', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ammsim-gbm-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('behavior: written then loaded gives the same series, bit for bit', async () => {
    const s = generateGbm({ steps: 2000, seed: 5 });
    const p = path.join(dir, 'gbm.csv');
    writeSeriesCsv(s, p);
    const back = await loadCsvPrices(p);
    expect(back.length).toBe(2000);
    expect([...back.timestampMs]).toEqual([...s.timestampMs]);
    expect(Buffer.from(back.price.buffer, back.price.byteOffset, back.price.byteLength).equals(Buffer.from(s.price.buffer, s.price.byteOffset, s.price.byteLength))).toBe(true);
  });
});
