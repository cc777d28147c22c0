import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getAmount0Delta, getAmount1Delta } from '../../math/v3/sqrtPriceMath.ts';
import { getSqrtRatioAtTick } from '../../math/v3/tickMath.ts';
import { revertReason } from '../../core/revertReason.ts';
import { getLiquidityForAmounts } from '../../math/v3/liquidityAmounts.ts';
import { sqrtPriceX96FromPrice } from '../../math/v3/priceConversions.ts';
import { liquidityForMint, toHuman, toRawDown, V3ExactEnginePool } from './v3ExactEnginePool.ts';

const Q96 = 2n ** 96n;

describe('boundary conversions', () => {
  it('behavior: human → raw rounds down, raw → human to nearest', () => {
    expect(toRawDown(1.5)).toBe(1_500_000_000_000_000_000n);
    expect(toRawDown(0)).toBe(0n);
    expect(toRawDown(-3)).toBe(0n);
    expect(toRawDown(1e-19)).toBe(0n);
    expect(toHuman(2_500_000_000_000_000_000n)).toBe(2.5);
  });

  it('property: liquidityForMint never lets the contract ask for more than offered, and is the largest such L to 3 units + 2^-90 relative (fast-check, 300 runs, seed 77)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -50_000, max: 50_000 }),
        fc.integer({ min: 1, max: 20_000 }),
        fc.integer({ min: -25_000, max: 75_000 }),
        fc.bigInt({ min: 1n, max: 10n ** 30n }),
        fc.bigInt({ min: 1n, max: 10n ** 30n }),
        (tl, w, tp, a0, a1) => {
          const sa = getSqrtRatioAtTick(tl);
          const sb = getSqrtRatioAtTick(tl + w);
          const sp = getSqrtRatioAtTick(tp);
          const L = liquidityForMint(sp, sa, sb, a0, a1);
          // The contract's mint amounts (rounded up), by sqrt price as LiquidityAmounts decides.
          const need = (l: bigint): [bigint, bigint] =>
            sp <= sa ? [getAmount0Delta(sa, sb, l, true), 0n] : sp < sb ? [getAmount0Delta(sp, sb, l, true), getAmount1Delta(sa, sp, l, true)] : [0n, getAmount1Delta(sa, sb, l, true)];
          const [n0, n1] = need(L);
          expect(n0 <= a0 && n1 <= a1).toBe(true);
          // A little more L would exceed at least one amount: the floors of LiquidityAmounts lose at most a unit
          // each, plus the floor of the Q96 intermediate √Pa·√Pb/2^96 (≤ 2^-96 relative of L).
          const [m0, m1] = need(L + 3n + (L >> 90n));
          expect(m0 > a0 || m1 > a1).toBe(true);
        },
      ),
      { numRuns: 300, seed: 77 },
    );
  });
});

describe('liquidityForMint', () => {
  it('property: where the library reverts on an overflowing leg, liquidityForMint is the smaller leg, uncapped (fast-check, 300 runs, seed 5)', () => {
    // Reference without the library: both legs in plain bigint (floor divisions), the smaller one.
    const leg0 = (a: bigint, b: bigint, x: bigint): bigint => (x * ((a * b) / Q96)) / (b - a);
    const leg1 = (a: bigint, b: bigint, y: bigint): bigint => (y * Q96) / (b - a);
    let overflowed = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: -50_000, max: 50_000 }),
        fc.integer({ min: 1, max: 2_000 }),
        fc.bigInt({ min: 1n, max: 1n << 40n }),
        fc.bigInt({ min: 1n, max: 10n ** 30n }),
        fc.bigInt({ min: 1n, max: 10n ** 45n }),
        (tl, w, above, a0, a1) => {
          const sa = getSqrtRatioAtTick(tl);
          const sb = getSqrtRatioAtTick(tl + w);
          const sp = sa + above; // a hair above the lower tick: the token1 leg is huge
          if (sp >= sb) return;
          const expected = [leg0(sp, sb, a0), leg1(sa, sp, a1)].reduce((x, y) => (x < y ? x : y));
          if (expected >= 1n << 127n) return; // both legs huge: the pool refuses such a mint anyway
          if (leg1(sa, sp, a1) >= 1n << 128n) {
            overflowed++;
            expect(revertReason(() => getLiquidityForAmounts(sp, sa, sb, a0, a1))).toBe('');
          }
          expect(liquidityForMint(sp, sa, sb, a0, a1)).toBe(expected);
        },
      ),
      { numRuns: 300, seed: 5 },
    );
    expect(overflowed).toBeGreaterThan(30);
  });

  it('behavior: a mint at a price a hair above the lower tick sizes by the token0 leg (no uint128 revert from the larger leg)', () => {
    const pool = new V3ExactEnginePool(0.003, 60, 1);
    pool.mintLiquidity('background', -887220, 887220, 10_000);
    const sp = pool.pool.sqrtPriceX96; // tick 0's sqrt ratio is exactly 2^96 = √1
    expect(sp).toBe(getSqrtRatioAtTick(0));
    pool.swapExactIn(false, 1e-14); // 10,000 wei of token1 in: √P moves up by a few units above tick 0
    const now = pool.pool.sqrtPriceX96;
    expect(now > sp && now - sp < 1n << 40n).toBe(true);
    const sb = getSqrtRatioAtTick(60);
    const raw1 = toRawDown(1e9);
    expect(revertReason(() => getLiquidityForAmounts(now, sp, sb, toRawDown(1), raw1))).toBe('');
    const m = pool.mint('lp', { lower: 1, upper: 1.006 }, 1, 1e9);
    expect(pool.position(m.positionId).liquidity).toBeGreaterThan(0);
    expect(m.base).toBeLessThanOrEqual(1);
    expect(m.base).toBeGreaterThan(0.999_999);
  });
});

describe('V3ExactEnginePool', () => {
  const make = (): V3ExactEnginePool => {
    const pool = new V3ExactEnginePool(0.003, 60, 2000);
    pool.mintLiquidity('background', -887220, 887220, 10_000);
    return pool;
  };

  it('behavior: swapToPrice moves the pool to the target sqrt price exactly (the price limit), across ticks', () => {
    const pool = make();
    pool.mint('lp', { lower: 1900, upper: 2100 }, 5, 10_000);
    const f = pool.swapToPrice(2300);
    expect(pool.pool.sqrtPriceX96).toBe(sqrtPriceX96FromPrice(2300));
    expect(f.priceAfter).toBeCloseTo(2300, 9);
    expect(f.quoteDelta).toBeGreaterThan(0);
    expect(f.baseDelta).toBeLessThan(0);
    expect(f.feeInBase).toBe(false);
    expect(pool.quoteToPrice(2300)).toEqual({ baseDelta: 0, quoteDelta: 0, feeAmount: 0, feeInBase: false, priceAfter: pool.price() });
    const q = pool.quoteToPrice(1800);
    expect(pool.swapToPrice(1800)).toEqual(q);
  });

  it('behavior: exact-input swaps take exactly the raw input (floored) and pay the fee on it', () => {
    const pool = make();
    const before = pool.tokenBalancesRaw();
    const f = pool.swapExactIn(true, 1.25);
    expect(pool.tokenBalancesRaw().amount0 - before.amount0).toBe(1_250_000_000_000_000_000n);
    expect(f.baseDelta).toBe(1.25);
    expect(f.feeAmount).toBeCloseTo(1.25 * 0.003, 15);
    expect(f.feeInBase).toBe(true);
  });

  it('behavior: mint never takes more than offered; burn returns principal and fees separately; raw balances cover every position', () => {
    const pool = make();
    const m = pool.mint('lp', { lower: 1500, upper: 2500 }, 3, 5000);
    expect(m.base).toBeLessThanOrEqual(3);
    expect(m.quote).toBeLessThanOrEqual(5000);
    expect(m.base === 3 || Math.abs(m.quote - 5000) < 1e-9).toBe(true);
    expect(pool.positionTicks(m.positionId)).toEqual({ tickLower: 73080, tickUpper: 78300 });
    pool.swapToPrice(2200);
    pool.swapToPrice(1900);
    pool.swapExactIn(false, 700);
    const v = pool.position(m.positionId);
    expect(v.inRange).toBe(true);
    expect(v.feesBase).toBeGreaterThan(0);
    expect(v.feesQuote).toBeGreaterThan(0);
    // The contract rounds in the pool's favour: it always holds at least what every position would take out.
    let owed0 = 0n;
    let owed1 = 0n;
    for (const id of pool.positionIds()) {
      const r = pool.positionRaw(id);
      owed0 += r.amount0 + r.fees0;
      owed1 += r.amount1 + r.fees1;
    }
    const bal = pool.tokenBalancesRaw();
    expect(bal.amount0 >= owed0 && bal.amount1 >= owed1).toBe(true);
    expect(bal.amount0 - owed0).toBeLessThan(100n);
    expect(bal.amount1 - owed1).toBeLessThan(100n);
    const b = pool.burn(m.positionId, 1);
    expect(b.base).toBeCloseTo(v.base, 12);
    expect(b.quote).toBeCloseTo(v.quote, 9);
    expect(b.feesBase).toBe(v.feesBase);
    expect(b.feesQuote).toBe(v.feesQuote);
    expect(pool.positionIds()).toEqual([1]);
  });

  it('behavior: two engine positions on the same range stay separate (owner#id keys); collect pays fees without touching liquidity', () => {
    const pool = make();
    const a = pool.mint('lp', { lower: 1800, upper: 2200 }, 1, 2000).positionId;
    const b = pool.mint('lp', { lower: 1800, upper: 2200 }, 1, 2000).positionId;
    pool.swapToPrice(2100);
    const L = pool.position(a).liquidity;
    const c = pool.collect(a);
    expect(c.feesQuote).toBeGreaterThan(0);
    expect(pool.position(a).feesQuote).toBe(0);
    expect(pool.position(a).liquidity).toBe(L);
    expect(pool.position(b).feesQuote).toBeCloseTo(c.feesQuote, 12);
    pool.burn(a, 0.5);
    expect(pool.position(a).liquidity).toBeCloseTo(L / 2, 12);
  });

  it('error: a fee that is not whole pips, and minting nothing, are rejected', () => {
    expect(() => new V3ExactEnginePool(0.0000005, 1, 1)).toThrowErrorMatchingInlineSnapshot(
      `[ConfigError: --fee: the exact v3 pool needs a fee in whole hundredths of a bip in [0, 1) (0.003 = 3000 pips); was 5e-7]`,
    );
    expect(() => make().mint('lp', { lower: 2500, upper: 3000 }, 0, 100)).toThrowErrorMatchingInlineSnapshot(
      `[PoolError: reverted (bare require): mint amount must be > 0 (0 base and 100 quote buy no liquidity on ticks [78240, 80100) at tick 76012)]`,
    );
  });
});
