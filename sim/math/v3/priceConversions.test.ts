import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  priceFromRawPrice,
  priceFromSqrtPriceX96,
  priceFromTick,
  rawPriceFromPrice,
  rawPriceFromSqrtPriceX96,
  sqrtPriceX96FromPrice,
  tickFromPrice,
  type PriceOrientation,
} from './priceConversions.ts';
import { getPriceAtTickFloat } from './float.ts';
import { getSqrtRatioAtTick, MAX_SQRT_RATIO, MIN_SQRT_RATIO } from './tickMath.ts';

const USDC_WETH: PriceOrientation = { decimals0: 6, decimals1: 18, priceOf: 'token1' };
const Q96 = 2n ** 96n;

describe('Uniswap v3 price orientation', () => {
  // ../shared/data README: "tick 199045 gives ≈ 2270 USDC/ETH"; 1e12 / 1.0001^199045 = 2269.957… (by hand:
  // 1.0001^199045 = e^(199045·ln 1.0001)).
  it('behavior: USDC/WETH tick 199045 is ≈ 2270 USDC per ETH; token0 orientation is its inverse; and back to the tick', () => {
    const p = priceFromTick(199045, USDC_WETH);
    expect(p).toBeGreaterThan(2269.9);
    expect(p).toBeLessThan(2270.0);
    expect(priceFromTick(199045, { decimals0: 6, decimals1: 18, priceOf: 'token0' }) * p).toBeCloseTo(1, 12);
    expect(tickFromPrice(p, USDC_WETH)).toBeCloseTo(199045, 6);
    // a higher tick means more WETH per USDC, i.e. a lower ETH price in USDC
    expect(priceFromTick(199046, USDC_WETH)).toBeLessThan(p);
  });

  it('behavior: sqrtPriceX96 and tick agree to 1e-14: 2^96·1.0001^(tick/2) (TickMath.getSqrtRatioAtTick, exact to ~1e-20 here, as the reference)', () => {
    for (const tick of [-400_000, -200_000, -1, 0, 1, 199_045, 203_736, 400_000, 500_000]) {
      const sqrtX96 = Number(getSqrtRatioAtTick(tick));
      // 1e-14: exp(tick·ln(1.0001)/2)² is within ~2e-15; Math.pow(1.0001, tick), used before, was 2e-12 off at
      // tick 199,045 (the double 1.0001 is 1.1e-17 below 1.0001, raised to the 199,045th power)
      expect(Math.abs(priceFromSqrtPriceX96(sqrtX96, USDC_WETH) / priceFromTick(tick, USDC_WETH) - 1)).toBeLessThan(1e-14);
      expect(Math.abs(rawPriceFromSqrtPriceX96(sqrtX96) / getPriceAtTickFloat(tick) - 1)).toBeLessThan(1e-14);
    }
  });

  it('property: raw ↔ human and tick ↔ human are inverses in both orientations and any decimals (fast-check, seed 8, 300 runs)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 30 }), fc.boolean(), fc.double({ min: -400_000, max: 400_000, noNaN: true }), (d0, d1, of0, tick) => {
        const o: PriceOrientation = { decimals0: d0, decimals1: d1, priceOf: of0 ? 'token0' : 'token1' };
        const p = priceFromTick(tick, o);
        // 1e-10: ln(1.0001) from log1p, as priceFromTick; with Math.log(1.0001) (1.1e-13 off) the round trip missed by up to 4e-8 (at tick 400,000)
        expect(Math.abs(tickFromPrice(p, o) - tick)).toBeLessThan(1e-10);
        const raw = getPriceAtTickFloat(tick);
        expect(rawPriceFromPrice(priceFromRawPrice(raw, o), o) / raw).toBeCloseTo(1, 12);
      }),
      { numRuns: 300, seed: 8 },
    );
  });
});

describe('sqrtPriceX96FromPrice', () => {
  it('behavior: nearest Q64.96 √P inside the swap-limit interior', () => {
    expect(sqrtPriceX96FromPrice(1)).toBe(Q96);
    expect(sqrtPriceX96FromPrice(4)).toBe(2n * Q96);
    expect(sqrtPriceX96FromPrice(1e-300)).toBe(MIN_SQRT_RATIO + 1n);
    expect(sqrtPriceX96FromPrice(1e300)).toBe(MAX_SQRT_RATIO - 1n);
    const s = sqrtPriceX96FromPrice(2300);
    expect(Math.abs(rawPriceFromSqrtPriceX96(Number(s)) / 2300 - 1)).toBeLessThan(1e-15);
  });
});
