import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { V3Pool } from '../../pools/v3/v3Pool.ts';
import { getAmountsForLiquidity } from './liquidityAmounts.ts';
import { getAmountsForLiquidityAtTick } from './modifyPosition.ts';
import { getSqrtRatioAtTick, getTickAtSqrtRatio } from './tickMath.ts';

// References: the pool's own mint/burn (v3Pool.ts mirrors UniswapV3Pool._modifyPosition) and the periphery's
// LiquidityAmounts (sqrt-price side choice), which must agree on every state the contract reaches.
describe('getAmountsForLiquidityAtTick (UniswapV3Pool._modifyPosition amounts)', () => {
  it('property: equals what the pool charges a mint (round up) and credits its burn (round down) (fast-check, seed 31, 150 runs)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -2000, max: 2000 }),
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: -3000, max: 3000 }),
        fc.bigInt({ min: 1n, max: 1n << 80n }),
        fc.bigInt({ min: 1n, max: 10n ** 24n }),
        (lo, width, priceTick, offset, L) => {
          const tickLower = lo * 10;
          const tickUpper = tickLower + width * 10;
          const sqrtP = getSqrtRatioAtTick(priceTick) + offset;
          const pool = new V3Pool({ fee: 500, tickSpacing: 10 });
          pool.initialize(sqrtP);
          const want = getAmountsForLiquidityAtTick(pool.tick, pool.sqrtPriceX96, tickLower, tickUpper, L, true);
          expect(pool.mint('a', tickLower, tickUpper, L)).toEqual(want);
          const back = getAmountsForLiquidityAtTick(pool.tick, pool.sqrtPriceX96, tickLower, tickUpper, L, false);
          expect(pool.burn('a', tickLower, tickUpper, L)).toEqual(back);
        },
      ),
      { numRuns: 150, seed: 31 },
    );
  });

  it('property: agrees with LiquidityAmounts.getAmountsForLiquidity (rounding down) when tick = getTickAtSqrtRatio(√P) (fast-check, seed 32, 300 runs)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -50_000, max: 50_000 }), fc.integer({ min: 1, max: 5_000 }), fc.integer({ min: -60_000, max: 60_000 }), fc.bigInt({ min: 0n, max: 1n << 90n }), fc.bigInt({ min: 1n, max: 10n ** 30n }), (tl, w, tp, offset, L) => {
        const sqrtP = getSqrtRatioAtTick(tp) + offset;
        const tick = getTickAtSqrtRatio(sqrtP);
        expect(getAmountsForLiquidityAtTick(tick, sqrtP, tl, tl + w, L, false)).toEqual(getAmountsForLiquidity(sqrtP, getSqrtRatioAtTick(tl), getSqrtRatioAtTick(tl + w), L));
      }),
      { numRuns: 300, seed: 32 },
    );
  });

  it('behavior: after a swap down that stops exactly on the lower tick (tick = tickLower − 1, √P on it) the position is all token0, as LiquidityAmounts says', () => {
    const sa = getSqrtRatioAtTick(600);
    const a = getAmountsForLiquidityAtTick(599, sa, 600, 1200, 10n ** 18n, false);
    expect(a.amount1).toBe(0n);
    expect(a).toEqual(getAmountsForLiquidity(sa, sa, getSqrtRatioAtTick(1200), 10n ** 18n));
    // The tick decides, not √P: the same √P with tick = tickLower is inside, and token1 from √A to √P is 0 too.
    expect(getAmountsForLiquidityAtTick(600, sa, 600, 1200, 10n ** 18n, false)).toEqual(a);
  });
});
