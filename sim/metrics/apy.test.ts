import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aprToApy, apyToApr, compoundedReturn, compoundsPerYearOf, continuousApy, MAX_COMPOUNDS_PER_YEAR, optimalHarvest } from './apy.ts';

/** Independent reference: the vault harvest by harvest, V ← V·(1 + (1 − f)·r/n) − G, m whole harvests. */
function simulate(apr: number, n: number, m: number, fee: number, gas: number, capital: number): number {
  let v = capital;
  for (let k = 0; k < m; k++) v = v * (1 + ((1 - fee) * apr) / n) - gas;
  return v / capital - 1;
}

describe('aprToApy: published figures and the harvest-by-harvest reference', () => {
  it('behavior: 12 % compounded monthly is 12.6825030 % (textbook), daily 30 % is (1 + 0.3/365)^365 − 1', () => {
    expect(aprToApy(0.12, 12)).toBeCloseTo(0.126825030131970, 14);
    expect(aprToApy(0.3, 365)).toBeCloseTo(Math.pow(1 + 0.3 / 365, 365) - 1, 13);
    expect(aprToApy(0.3, 1)).toBeCloseTo(0.3, 15);
    expect(continuousApy(0.3)).toBeCloseTo(Math.exp(0.3) - 1, 15);
  });
  it('behavior: a performance fee compounds only what the vault keeps: (1 + (1 − f)·r/n)^n − 1', () => {
    expect(aprToApy(0.4, 52, { performanceFee: 0.1 })).toBeCloseTo(Math.pow(1 + 0.36 / 52, 52) - 1, 13);
  });
  it('behavior: with gas, the closed form equals the harvest-by-harvest vault (whole harvests)', () => {
    for (const [apr, n, fee, gas, capital] of [
      [0.3, 365, 0, 5, 10_000],
      [0.3, 52, 0.1, 25, 10_000],
      [1.5, 12, 0.2, 100, 5_000],
      [0.05, 365, 0, 2, 1_000], // gas eats more than the yield: the value shrinks
      [0, 10, 0, 1, 100], // R = 0: −g·n
    ] as const) {
      const ref = simulate(apr, n, n, fee, gas, capital);
      expect(aprToApy(apr, n, { performanceFee: fee, gasPerHarvest: gas, capital })).toBeCloseTo(ref, 12);
    }
    // over part of a year: 30 daily harvests
    expect(compoundedReturn(0.3, 365, 30 / 365, { gasPerHarvest: 3, capital: 2000 })).toBeCloseTo(simulate(0.3, 365, 30, 0, 3, 2000), 13);
  });
  it('behavior: never compounding (n = 0) is simple interest after the fee, claimed once at the end: one harvest\'s gas, as a yearly harvest', () => {
    expect(aprToApy(0.3, 0, { performanceFee: 0.1, gasPerHarvest: 5, capital: 100 })).toBeCloseTo(0.27 - 0.05, 15);
    expect(aprToApy(0.3, 0, { performanceFee: 0.1, gasPerHarvest: 5, capital: 100 })).toBeCloseTo(aprToApy(0.3, 1, { performanceFee: 0.1, gasPerHarvest: 5, capital: 100 }), 15);
    expect(aprToApy(0.3, 0, { gasPerHarvest: 3000, capital: 10 })).toBe(-1); // gas cannot take more than the capital
    expect(apyToApr(0.27, 0, { performanceFee: 0.1 })).toBeCloseTo(0.3, 15);
    // and back: the APR a never-compounding harvest needs pays that one claim's gas too
    const costs = { performanceFee: 0.1, gasPerHarvest: 440, capital: 10_000 };
    expect(aprToApy(apyToApr(0.3, 0, costs), 0, costs)).toBeCloseTo(0.3, 14);
    expect(apyToApr(0.3, 0, costs)).toBeCloseTo(apyToApr(0.3, 1, costs), 12);
  });
  it('behavior: --every 1d is 365 a year, 7d is 365/7', () => {
    expect(compoundsPerYearOf(86_400_000)).toBe(365);
    expect(compoundsPerYearOf(7 * 86_400_000)).toBe(365 / 7);
  });
  it('error: bad inputs name the field', () => {
    expect(() => aprToApy(0.3, 12, { performanceFee: 1 })).toThrow(/performanceFee: must be a fraction in \[0, 1\)/);
    expect(() => aprToApy(0.3, 12, { gasPerHarvest: 5 })).toThrow(/capital: is needed with a gas cost/);
    expect(() => aprToApy(0.3, -1)).toThrow(/compoundsPerYear: must be ≥ 0/);
    expect(() => aprToApy(-24, 12)).toThrow(/apr: .*lose more than everything/);
    expect(() => apyToApr(-1, 12)).toThrow(/apy: must be above −100 %/);
    expect(() => aprToApy(Number.NaN, 12)).toThrow(/apr: must be a finite number/);
  });
});

describe('properties (fast-check, seeded)', () => {
  it('property: with zero gas and fee, compounding n times a year tends to e^(r·c) − 1, within e^(rc)·c·r²/(2n·min(1, 1 + r/n)), and rises with n', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -0.9, max: 5, noNaN: true }),
        fc.double({ min: 0.01, max: 3, noNaN: true }),
        fc.integer({ min: 1, max: 100_000 }),
        (r, c, n) => {
          const limit = continuousApy(r, c);
          const at = (k: number) => compoundedReturn(r, k, c);
          const err = Math.abs(at(n) - limit);
          // |n·c·ln(1 + r/n) − r·c| ≤ c·r²/(2n·min(1, 1 + r/n)), and e^x is e^(rc)-Lipschitz below rc
          const bound = (Math.exp(r * c) * c * r * r) / (2 * n * Math.min(1, 1 + r / n));
          expect(err).toBeLessThanOrEqual(bound + 1e-12 * (1 + Math.abs(limit)));
          expect(Math.abs(at(1e9) - limit)).toBeLessThanOrEqual(1e-7 * (1 + Math.abs(limit)));
          // monotone in n (costs zero): 1 ≤ n < 2n < 10n
          expect(at(n)).toBeLessThanOrEqual(at(2 * n) + 1e-15 * (1 + Math.abs(limit)));
          expect(at(2 * n)).toBeLessThanOrEqual(at(10 * n) + 1e-15 * (1 + Math.abs(limit)));
          expect(at(n)).toBeLessThanOrEqual(limit + 1e-15 * (1 + Math.abs(limit)));
        },
      ),
      { seed: 13, numRuns: 400 },
    );
  });

  it('property: APR → APY → APR round-trips to 1e-12 (with and without fee and gas)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -0.5, max: 10, noNaN: true }),
        fc.oneof(fc.integer({ min: 1, max: 100_000 }), fc.double({ min: 1, max: 10_000, noNaN: true })),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.01, noNaN: true })),
        (r, n, fee, gasShare) => {
          const costs = gasShare === 0 ? { performanceFee: fee } : { performanceFee: fee, gasPerHarvest: gasShare * 10_000, capital: 10_000 };
          const apy = aprToApy(r, n, costs);
          fc.pre(apy > -0.99);
          const back = apyToApr(apy, n, costs);
          expect(Math.abs(back - r)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(r)));
        },
      ),
      { seed: 29, numRuns: 400 },
    );
  });

  it('property: the optimal harvest is at least as good as any frequency on a grid, and its whole n is the best integer nearby', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.02, max: 3, noNaN: true }),
        fc.double({ min: 0, max: 0.3, noNaN: true }),
        fc.double({ min: 1e-6, max: 0.05, noNaN: true }),
        (r, fee, g) => {
          const costs = { performanceFee: fee, gasPerHarvest: g * 1000, capital: 1000 };
          const o = optimalHarvest(r, costs);
          for (let k = 0; k <= 60; k++) {
            const n = Math.pow(10, (k / 60) * Math.log10(MAX_COMPOUNDS_PER_YEAR));
            expect(o.netApy).toBeGreaterThanOrEqual(aprToApy(r, n, costs) - 1e-14);
          }
          expect(o.netApy).toBeCloseTo(aprToApy(r, o.compoundsPerYear, costs), 15);
          expect(o.whole.netApy).toBeLessThanOrEqual(o.netApy + 1e-14);
          expect(o.intervalDays).toBeCloseTo(365 / o.compoundsPerYear, 12);
        },
      ),
      { seed: 5, numRuns: 150 },
    );
  });
});

describe('optimalHarvest', () => {
  it('behavior: equals a brute-force search over whole harvests a year (10,000 capital, 30 % APR, 5 per harvest)', () => {
    const costs = { gasPerHarvest: 5, capital: 10_000 };
    let best = 1;
    for (let n = 2; n <= 5000; n++) if (simulate(0.3, n, n, 0, 5, 10_000) > simulate(0.3, best, best, 0, 5, 10_000)) best = n;
    const o = optimalHarvest(0.3, costs);
    expect(o.kind).toBe('interior');
    expect(o.whole.compoundsPerYear).toBe(best);
    expect(o.whole.netApy).toBeCloseTo(simulate(0.3, best, best, 0, 5, 10_000), 12);
    expect(Math.abs(o.compoundsPerYear - best)).toBeLessThan(1);
  });
  it('behavior: without gas the answer is the search bound (more often is always better); with gas above a year of rewards, once a year', () => {
    expect(optimalHarvest(0.3, {}).kind).toBe('max');
    expect(optimalHarvest(0.3, {}).compoundsPerYear).toBe(MAX_COMPOUNDS_PER_YEAR);
    const once = optimalHarvest(0.1, { gasPerHarvest: 200, capital: 1000 });
    expect(once.kind).toBe('once');
    expect(once.compoundsPerYear).toBe(1);
    expect(once.netApy).toBeCloseTo(0.1 - 0.2, 15);
  });
  it('behavior: an optimum the search converges onto at a bound is that bound, not "interior" (gas tiny: every minute; gas large: once a year)', () => {
    // gas 1e-9 (and 1.6e-9) on 10,000 at 30 %: the search ended at 525,599.9999999997 (and 525,599.9988), called interior
    for (const gas of [1e-9, 1.6e-9]) {
      const top = optimalHarvest(0.3, { gasPerHarvest: gas, capital: 10_000 });
      expect(top.kind).toBe('max');
      expect(top.compoundsPerYear).toBe(MAX_COMPOUNDS_PER_YEAR);
      expect(top.netApy).toBe(aprToApy(0.3, MAX_COMPOUNDS_PER_YEAR, { gasPerHarvest: gas, capital: 10_000 }));
    }
    // gas 363 on 10,000: the search ended at 1.000000000000311, called interior; a yearly claim is as good
    const bottom = optimalHarvest(0.3, { gasPerHarvest: 363, capital: 10_000 });
    expect(bottom.kind).toBe('once');
    expect(bottom.compoundsPerYear).toBe(1);
    expect(bottom.netApy).toBeCloseTo(0.3 - 0.0363, 15);
    // a real interior optimum close to each bound stays interior
    const nearTop = optimalHarvest(0.3, { gasPerHarvest: 1.9e-9, capital: 10_000 });
    expect([nearTop.kind, nearTop.compoundsPerYear < MAX_COMPOUNDS_PER_YEAR]).toEqual(['interior', true]);
    const nearBottom = optimalHarvest(0.3, { gasPerHarvest: 361, capital: 10_000 });
    expect([nearBottom.kind, nearBottom.compoundsPerYear > 1.0001]).toEqual(['interior', true]);
    expect(nearBottom.netApy).toBeGreaterThan(aprToApy(0.3, 1, { gasPerHarvest: 361, capital: 10_000 }));
  });
  it('behavior: deterministic', () => {
    const c = { performanceFee: 0.045, gasPerHarvest: 12.5, capital: 25_000 };
    expect(optimalHarvest(0.8, c)).toEqual(optimalHarvest(0.8, c));
  });
  it('error: needs a positive APR after the fee', () => {
    expect(() => optimalHarvest(0, { gasPerHarvest: 1, capital: 10 })).toThrow(/apr: an optimal harvest needs a positive APR/);
  });
});
