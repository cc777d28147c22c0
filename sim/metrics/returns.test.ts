import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { median } from 'simple-statistics';
import { MS_PER_YEAR } from '../core/time.ts';
import { annualizedVolatility, returnStats, sharpeRatio, stepsPerYear } from './returns.ts';

const H = 3_600_000;

describe('returnStats', () => {
  it('behavior: hourly log returns annualised over 8,760 steps a year (hand-computed reference)', () => {
    const v = [100, 110, 99, 120];
    const t = [0, H, 2 * H, 3 * H];
    // ln(1.1), ln(0.9), ln(120/99): mean 0.0607739, sample sd 0.1518410
    const r = [Math.log(1.1), Math.log(0.9), Math.log(120 / 99)];
    const mean = (r[0]! + r[1]! + r[2]!) / 3;
    const sd = Math.sqrt(r.reduce((s, x) => s + (x - mean) ** 2, 0) / 2);
    expect(stepsPerYear(t)).toBe(8760);
    const s = returnStats(v, t);
    expect(s.volatility).toBeCloseTo(sd * Math.sqrt(8760), 12);
    expect(s.volatility).toBeCloseTo(14.2115, 3);
    expect(s.sharpe).toBeCloseTo((mean * 8760) / (sd * Math.sqrt(8760)), 12);
    expect(s.sharpe).toBeCloseTo(37.46, 2);
    expect(annualizedVolatility(v, t)).toBe(s.volatility);
    expect(sharpeRatio(v, t)).toBe(s.sharpe);
  });

  it('edge: a flat series has zero volatility and Sharpe; fewer than two returns give 0', () => {
    expect(returnStats([5, 5, 5, 5], [0, H, 2 * H, 3 * H])).toEqual({ volatility: 0, sharpe: 0 });
    expect(returnStats([5, 6], [0, H])).toEqual({ volatility: 0, sharpe: 0 });
  });
});

describe('stepsPerYear', () => {
  /** The definition: a year over the median spacing of the (strided) timestamps. */
  const reference = (t: readonly number[]): number => {
    const stride = Math.max(1, Math.floor(t.length / 10_000));
    const dts: number[] = [];
    for (let i = stride; i < t.length; i += stride) dts.push((t[i]! - t[i - stride]!) / stride);
    const dt = median(dts);
    return dt > 0 ? MS_PER_YEAR / dt : NaN;
  };

  it('property: equals a year over the median spacing, for even and uneven spacings (500 runs)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 86_400_000 }),
        fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 60 }),
        fc.boolean(),
        (step, jumps, even) => {
          const t = [1_700_000_000_000];
          for (const j of jumps) t.push(t[t.length - 1]! + step * (even ? 1 : Math.max(1, j)));
          expect(stepsPerYear(t)).toBe(reference(t));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('behavior: a long evenly spaced series (strided) and one with a gap', () => {
    const t = Array.from({ length: 525_600 }, (_, i) => i * 60_000);
    expect(stepsPerYear(t)).toBe(reference(t));
    expect(stepsPerYear(t)).toBe(MS_PER_YEAR / 60_000);
    t.splice(100, 50);
    expect(stepsPerYear(t)).toBe(reference(t));
  });
});
