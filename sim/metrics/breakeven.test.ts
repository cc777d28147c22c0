import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ConfigError } from '../core/errors.ts';
import { parseAprCsv, parseLstPriceCsv } from '../../data/loaders/stakingSeries.ts';
import { simulateStaking, STAKING_DEFAULTS, type StakingParams, type StakingResult } from '../../strategies/staking/staking.ts';
import { breakevenStakingApr, requiredFeeApr, solveIncreasing } from './breakeven.ts';

const D = 86_400_000;
const H = 3_600_000;
const T0 = Date.UTC(2022, 0, 1);
const rel = (a: number, b: number): number => Math.abs(a / b - 1);

function fromRun(r: StakingResult, p: StakingParams, lpFinalValue: number): number | undefined {
  return breakevenStakingApr({
    lpFinalValue,
    baseInitial: r.baseInitial,
    finalMarkPrice: r.finalMarkPrice,
    compounding: p.compounding,
    commission: p.commission,
    accrualYears: r.accrualYears,
    creditedDays: r.creditedDays,
  });
}

describe('breakevenStakingApr: hand-computed', () => {
  const base = { baseInitial: 10, finalMarkPrice: 100, commission: 0 };
  it('behavior: none: (1075/1000 − 1)/(0.75·1) = 0.1', () => {
    expect(breakevenStakingApr({ ...base, lpFinalValue: 1075, compounding: 'none', commission: 0.25, accrualYears: 1, creditedDays: 365 })).toBeCloseTo(0.1, 14);
  });
  it('behavior: daily: 1000·(1 + 0.09/365)^30 gives 0.1 at 10 % commission', () => {
    const v = 1000 * (1 + 0.09 / 365) ** 30;
    expect(breakevenStakingApr({ ...base, lpFinalValue: v, compounding: 'daily', commission: 0.1, accrualYears: 30.5 / 365, creditedDays: 30 })).toBeCloseTo(0.1, 12);
  });
  it('behavior: continuous: 1000·e^(0.05·0.5) gives 0.05; an LP below staking at 0 % gives a negative APR', () => {
    expect(breakevenStakingApr({ ...base, lpFinalValue: 1000 * Math.exp(0.025), compounding: 'continuous', accrualYears: 0.5, creditedDays: 182 })).toBeCloseTo(0.05, 14);
    expect(breakevenStakingApr({ ...base, lpFinalValue: 990, compounding: 'continuous', accrualYears: 0.5, creditedDays: 182 })).toBeCloseTo(2 * Math.log(0.99), 14);
  });
  it('behavior: undefined when no accrual time', () => {
    expect(breakevenStakingApr({ ...base, lpFinalValue: 1100, compounding: 'daily', accrualYears: 0.5 / 365, creditedDays: 0 })).toBeUndefined();
    expect(breakevenStakingApr({ ...base, lpFinalValue: 1100, compounding: 'none', accrualYears: 0, creditedDays: 0 })).toBeUndefined();
  });
});

describe('breakevenStakingApr fed back as --staking-apr reproduces the LP value (acceptance, 1e-6 relative; fast-check seed 11, 150 runs)', () => {
  const series = parseAprCsv(`timestamp,apr\n${(T0 - D) / 1000},0.05\n${(T0 + 3.3 * D) / 1000},0.03\n${(T0 + 20 * D) / 1000},0.08\n`, 's.csv');
  const lst = parseLstPriceCsv(`timestamp,price\n${(T0 - D) / 1000},0.99\n${(T0 + 5 * D) / 1000},0.94\n${(T0 + 30 * D) / 1000},0.985\n`, 'l.csv');
  it('behavior: every compounding mode, with commission, unbonding, a series and an LST', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('none', 'daily', 'continuous' as const),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        fc.double({ min: 0, max: 10, noNaN: true }),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 24 * 3, max: 24 * 60 }),
        fc.double({ min: 0.6, max: 1.6, noNaN: true }),
        (compounding, commission, unbondingDays, useSeries, useLst, hours, lpMultiple) => {
          const ts = Float64Array.from({ length: hours + 1 }, (_, i) => T0 + i * H);
          const price = Float64Array.from(ts, (_, i) => 1500 + 300 * Math.sin(i / 40));
          const p: StakingParams = { ...STAKING_DEFAULTS, apr: useSeries ? series : 0.04, compounding, commission, unbondingDays, lst: useLst ? lst : undefined };
          const r = simulateStaking(p, ts, price);
          const lpFinal = r.finalValue * lpMultiple;
          const a = fromRun(r, p, lpFinal);
          if (a === undefined) {
            expect(compounding === 'daily' ? r.creditedDays : r.accrualYears).toBe(0);
            return;
          }
          fc.pre(a > -365);
          const again = simulateStaking({ ...p, apr: a }, ts, price);
          expect(rel(again.finalValue, lpFinal)).toBeLessThan(1e-6);
        },
      ),
      { numRuns: 150, seed: 11 },
    );
  });
});

describe('solveIncreasing', () => {
  it('behavior: agrees with the closed form for daily compounding (1e-10)', () => {
    const f = (a: number): number => 1000 * (1 + (0.9 * a) / 365) ** 45;
    const closed = breakevenStakingApr({ lpFinalValue: 1012, baseInitial: 10, finalMarkPrice: 100, compounding: 'daily', commission: 0.1, accrualYears: 45 / 365, creditedDays: 45 });
    expect(Math.abs(solveIncreasing(f, 1012, 0, 0.01) - closed!)).toBeLessThan(1e-10);
  });
  it('behavior: widens the bracket upward', () => {
    expect(solveIncreasing((a) => a * a * a, 1000, 0, 1)).toBeCloseTo(10, 10);
  });
  it('error: no bracket', () => {
    expect(() => solveIncreasing(() => 5, 1, 0, 1, '--staking-apr')).toThrow(ConfigError);
    expect(() => solveIncreasing(() => 5, 1, 0, 1, '--staking-apr')).toThrow('--staking-apr: no solution: the value at the lower bound 0 (5) is already above the target 1');
  });
});

describe('requiredFeeApr: hand-computed', () => {
  it('behavior: LP 1100 vs staking 1150 with 40 of fees on 1000 over half a year', () => {
    const r = requiredFeeApr({ lpFinalValue: 1100, stakingFinalValue: 1150, feesEarned: 40, initialValue: 1000, years: 0.5 });
    expect(r.feeApr).toBeCloseTo(0.08, 15);
    expect(r.extraFeesNeeded).toBe(50);
    expect(r.requiredFeeApr).toBeCloseTo(0.18, 15);
    expect(r.requiredVolumeMultiple).toBeCloseTo(2.25, 15);
  });
  it('behavior: no fees → no volume multiple; LP ahead → required below current', () => {
    const r = requiredFeeApr({ lpFinalValue: 1200, stakingFinalValue: 1150, feesEarned: 0, initialValue: 1000, years: 1 });
    expect(r.requiredVolumeMultiple).toBeUndefined();
    expect(r.requiredFeeApr).toBeCloseTo(-0.05, 15);
  });
});
