import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { revertReason } from '../../core/revertReason.ts';
import {
  getAmountsForLiquidity,
  getLiquidityForAmount1,
  getLiquidityForAmounts,
} from './liquidityAmounts.ts';
import { getAmount0Delta, getAmount1Delta } from './sqrtPriceMath.ts';
import { getSqrtRatioAtTick } from './tickMath.ts';

/** v3-periphery test/shared/encodePriceSqrt: bignumber.js with 40 decimal places, half-up, then floor(·2^96). */
function encodePriceSqrt(reserve1: bigint, reserve0: bigint): bigint {
  const S = 10n ** 40n;
  const q = (2n * reserve1 * S + reserve0) / (2n * reserve0); // r1/r0 to 40 places, half up
  const x = q * S; // (sqrt(q/S)·S)^2
  let r = x; // Newton's integer square root: floor(sqrt(x))
  for (let y = (x + 1n) / 2n; y < r; y = (y + x / y) / 2n) r = y;
  if (x - r * r > r) r++; // half up: (r + 1/2)^2 = r^2 + r + 1/4
  return (r << 96n) / S;
}

// Published vectors: Uniswap/v3-periphery test/LiquidityAmounts.spec.ts (amounts 100 and 200 over [100/110, 110/100]).
const A = encodePriceSqrt(100n, 110n);
const B = encodePriceSqrt(110n, 100n);

describe('LiquidityAmounts: LiquidityAmounts.spec.ts vectors', () => {
  const cases: [string, bigint, bigint, bigint, bigint][] = [
    ['inside', encodePriceSqrt(1n, 1n), 2148n, 99n, 99n],
    ['below', encodePriceSqrt(99n, 110n), 1048n, 99n, 0n],
    ['above', encodePriceSqrt(111n, 100n), 2097n, 0n, 199n],
    ['on the lower boundary', A, 1048n, 99n, 0n],
    ['on the upper boundary', B, 2097n, 0n, 199n],
  ];
  for (const [where, price, liquidity, amount0, amount1] of cases) {
    it(`behavior: price ${where}: liquidity ${liquidity}; that liquidity holds ${amount0} / ${amount1}`, () => {
      expect(getLiquidityForAmounts(price, A, B, 100n, 200n)).toBe(liquidity);
      expect(getLiquidityForAmounts(price, B, A, 100n, 200n)).toBe(liquidity); // either order
      expect(getAmountsForLiquidity(price, A, B, liquidity)).toEqual({ amount0, amount1 });
    });
  }
});

describe('LiquidityAmounts: reverts', () => {
  it('error: each leg is toUint128-checked, even the larger one that min() would drop', () => {
    const a = getSqrtRatioAtTick(-182);
    const price = a + 1000n; // just above the lower tick: the token1 leg is enormous
    const b = getSqrtRatioAtTick(-175);
    expect(revertReason(() => getLiquidityForAmount1(a, price, 2n * 10n ** 16n))).toBe('');
    expect(revertReason(() => getLiquidityForAmounts(price, a, b, 4n * 10n ** 16n, 2n * 10n ** 16n))).toBe('');
    expect(getLiquidityForAmounts(price, a, b, 4n * 10n ** 16n, 1n)).toBeGreaterThan(0n);
  });
  it('error: a zero-width range divides by zero', () => {
    const a = getSqrtRatioAtTick(60);
    expect(revertReason(() => getLiquidityForAmounts(a - 1n, a, a, 1n, 1n))).toBe('');
  });
  it('property: the pool never asks for more than the amounts given (mint rounds up) (fast-check, seed 99, 300 runs)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -200_000, max: 200_000 }),
        fc.integer({ min: 1, max: 20_000 }),
        fc.integer({ min: -30_000, max: 30_000 }),
        fc.bigInt({ min: 0n, max: 10n ** 30n }),
        fc.bigInt({ min: 0n, max: 10n ** 30n }),
        (lower, width, offset, amount0, amount1) => {
          const a = getSqrtRatioAtTick(lower);
          const b = getSqrtRatioAtTick(lower + width);
          const p = getSqrtRatioAtTick(Math.max(-887_272, Math.min(887_272, lower + offset)));
          const L = getLiquidityForAmounts(p, a, b, amount0, amount1);
          const lo = p < a ? a : p > b ? b : p;
          expect(getAmount0Delta(lo, b, L, true) <= amount0).toBe(true);
          expect(getAmount1Delta(a, lo, L, true) <= amount1).toBe(true);
        },
      ),
      { numRuns: 300, seed: 99 },
    );
  });
});
