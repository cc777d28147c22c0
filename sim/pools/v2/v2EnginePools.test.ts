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

  it('behavior: with fees, IL is still the classic full-range identity (the principal is the fee-less liquidity, fees compound apart)', async () => {
    // Fees are paid in quote on the way up and in base on the way down; the pool reinvests them. The old split (share
    // less each fee in its input token) read IL off this identity; the fee-less liquidity's amounts meet it.
    for (const exact of [false, true]) {
      const res = await runBacktest(resolveBacktestConfig({ exact, fee: 0.01, poolLiquidity: 1e7 }), seriesOf([1000, 4000, 500, 2000]));
      const n = res.timeseries.poolPrice.length;
      // the fee-less liquidity L₀ holds L₀/√P base and L₀·√P quote at pool price P; both sides valued at the market price
      const [p0, pEnd, market] = [res.timeseries.poolPrice[0]!, res.timeseries.poolPrice[n - 1]!, 2000];
      const classic = (market / Math.sqrt(pEnd) + Math.sqrt(pEnd)) / (market / Math.sqrt(p0) + Math.sqrt(p0)) - 1;
      expect(res.summary.impermanentLoss, exact ? 'exact' : 'float').toBeCloseTo(classic, 7);
      expect(res.summary.feesValueAtEnd, 'fees').toBeGreaterThan(0);
    }
  });

  describe('a position: principal = the fee-less liquidity, fee tokens = the rest of its share, fees earned in the tokens paid', () => {
    const trades: readonly [boolean, number][] = [
      [true, 30],
      [false, 90_000],
      [true, 12],
      [false, 5_000],
      [true, 40],
    ];
    for (const exact of [false, true]) {
      it(`behavior: ${exact ? 'exact' : 'float'} pool, through swaps both ways and a partial burn`, () => {
        const pool = exact ? new V2ExactEnginePool(0.003, 100, 200_000) : new V2FloatPool(0.003, 100, 200_000);
        const m = pool.mint('lp', null, 10, 20_000);
        const share = m.base / (100 + m.base);
        let earnedBase = 0;
        let earnedQuote = 0;
        for (const [baseIn, amount] of trades) {
          const f = pool.swapExactIn(baseIn, amount);
          if (f.feeInBase) earnedBase += f.feeAmount * share;
          else earnedQuote += f.feeAmount * share;
        }
        const v = pool.position(m.positionId);
        const { base: rb, quote: rq } = pool.tokenBalances();
        // the principal is the fee-less liquidity at the pool price
        expect(rel(v.base, v.baseNoFees)).toBeLessThan(1e-12);
        expect(rel(v.quote, v.quoteNoFees)).toBeLessThan(1e-12);
        expect(rel(v.baseNoFees * v.quoteNoFees, m.base * m.quote)).toBeLessThan(1e-9);
        // the fee tokens are the rest of the share: both > 0 (each token's fees have been converted in part)
        expect(rel(v.base + v.feesBase, share * rb)).toBeLessThan(1e-9);
        expect(rel(v.quote + v.feesQuote, share * rq)).toBeLessThan(1e-9);
        expect(v.feesBase).toBeGreaterThan(0);
        expect(v.feesQuote).toBeGreaterThan(0);
        // the fee tokens are worth what the fees added to the share: (√(k share) − L₀)·2√P
        expect(rel(v.feesBase * pool.price() + v.feesQuote, 2 * (Math.sqrt(share * rb * share * rq) - Math.sqrt(v.baseNoFees * v.quoteNoFees)) * Math.sqrt(pool.price()))).toBeLessThan(1e-6);
        // the fees as earned: each swap's fee, in its input token, times the position's share
        expect(rel(v.feesEarnedBase, earnedBase)).toBeLessThan(1e-9);
        expect(rel(v.feesEarnedQuote, earnedQuote)).toBeLessThan(1e-9);

        // a partial burn returns that fraction of each, and what is left keeps the rest (nothing turns into principal)
        const b = pool.burn(m.positionId, 0.25);
        expect(rel(b.base, v.base * 0.25)).toBeLessThan(1e-9);
        expect(rel(b.feesBase, v.feesBase * 0.25)).toBeLessThan(1e-9);
        expect(rel(b.feesQuote, v.feesQuote * 0.25)).toBeLessThan(1e-9);
        expect(rel(b.feesEarnedBase!, earnedBase * 0.25)).toBeLessThan(1e-9);
        const left = pool.position(m.positionId);
        expect(rel(left.base, v.base * 0.75)).toBeLessThan(1e-9);
        expect(rel(left.feesBase, v.feesBase * 0.75)).toBeLessThan(1e-9);
        expect(rel(left.feesEarnedBase, earnedBase * 0.75)).toBeLessThan(1e-9);
        expect(rel(left.feesEarnedQuote, earnedQuote * 0.75)).toBeLessThan(1e-9);
      });
    }
  });

  it('error: the exact pool needs a fee in whole pips', () => {
    expect(() => new V2ExactEnginePool(0.00001234567, 1, 1)).toThrowError('--fee: the exact pool needs a fee in whole pips (millionths); was 0.00001234567');
  });
});
