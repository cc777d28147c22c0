import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../../runs/backtest.ts';
import { resolveBacktestConfig } from '../../../runs/config.ts';
import { gbmPath, seriesOf } from '../../engine/testing/engineTesting.ts';
import { V2ExactEnginePool } from './v2ExactEnginePool.ts';
import { V2FloatPool } from './v2FloatPool.ts';

/** Float vs exact tolerance: the exact path rounds each amount to 1e-18 and floors swap sizes. */
const REL_TOL = 1e-9;
const rel = (a: number, b: number): number => Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-300);

describe('v2 engine pools: float fast path vs exact bigint path', () => {
  it(`behavior: swaps agree within ${REL_TOL} relative on random cases (fast-check, 200 runs, seed 99)`, () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 1e6, noNaN: true }),
        fc.double({ min: 10, max: 1e5, noNaN: true }),
        fc.double({ min: 1e-6, max: 0.5, noNaN: true }),
        fc.boolean(),
        fc.constantFrom(0, 0.0005, 0.003, 0.01),
        (reserveBase, price, frac, baseIn, fee) => {
          const f = new V2FloatPool(fee, reserveBase, reserveBase * price);
          const e = new V2ExactEnginePool(fee, reserveBase, reserveBase * price);
          const amount = (baseIn ? reserveBase : reserveBase * price) * frac;
          const a = f.swapExactIn(baseIn, amount);
          const b = e.swapExactIn(baseIn, amount);
          expect(rel(a.baseDelta, b.baseDelta)).toBeLessThan(REL_TOL);
          expect(rel(a.quoteDelta, b.quoteDelta)).toBeLessThan(REL_TOL);
          expect(rel(f.price(), e.price())).toBeLessThan(REL_TOL);
        },
      ),
      { numRuns: 200, seed: 99 },
    );
  });

  it(`behavior: a whole backtest agrees within ${REL_TOL * 100} relative (exact vs float, fee 0.3 %, noise + arbitrage)`, async () => {
    const s = seriesOf(gbmPath(1500, 0.8, 1 / 8760, 2000, 4));
    const float = await runBacktest(resolveBacktestConfig({ noiseRate: 1 }), s);
    const exact = await runBacktest(resolveBacktestConfig({ noiseRate: 1, exact: true }), s);
    for (const k of ['finalValue', 'holdValue', 'feesEarned', 'lvr'] as const) {
      expect(rel(float.summary[k], exact.summary[k]), k).toBeLessThan(REL_TOL * 100);
    }
    expect(exact.summary.arbitrageTrades).toBe(float.summary.arbitrageTrades);
  });

  it('behavior: the exact path reproduces the fee-0 IL identity (r = 2)', async () => {
    const r = 2;
    const res = await runBacktest(resolveBacktestConfig({ exact: true, fee: 0, poolLiquidity: 1e12 }), seriesOf([1000, 1000 * r]));
    const rr = (1000 * r) / res.timeseries.poolPrice[0]!;
    expect(res.summary.impermanentLoss).toBeCloseTo((2 * Math.sqrt(rr)) / (1 + rr) - 1, 8);
  });

  it('error: the exact pool needs a fee in whole pips', () => {
    expect(() => new V2ExactEnginePool(0.00001234567, 1, 1)).toThrowError('--fee: the exact pool needs a fee in whole pips (millionths); was 0.00001234567');
  });
});
