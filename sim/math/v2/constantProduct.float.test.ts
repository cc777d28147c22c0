import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { getAmountIn, getAmountOut } from './constantProduct.ts';
import { amountInToPrice, getAmountInFloat, getAmountOutFloat, quoteFloat } from './constantProduct.float.ts';

const SEED = 0x5eed2;
const RUNS = 500;
/** Float vs exact agreement: outputs here are ≥ 1e12 wei, so the exact path's floor costs < 1e-12 relative. */
const FLOAT_VS_EXACT_REL_TOL = 1e-9;
/** amountInToPrice vs a bisection on getAmountOutFloat. */
const CLOSED_FORM_REL_TOL = 1e-9;

const relErr = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));

describe('v2 float fast path', () => {
  it('behavior: reproduces the v2-core swap case 1e18 in, 5e18/10e18 → 1662497915624478906 to 1e-15', () => {
    // v2-core test/UniswapV2Pair.spec.ts swapTestCases[0]
    expect(relErr(getAmountOutFloat(1e18, 5e18, 10e18), 1662497915624478906)).toBeLessThan(1e-15);
  });

  it(`behavior: getAmountOutFloat within ${FLOAT_VS_EXACT_REL_TOL} relative of the exact path (seed ${SEED}, ${RUNS} runs)`, () => {
    fc.assert(
      fc.property(
        fc.double({ min: 12, max: 30, noNaN: true }),
        fc.double({ min: 12, max: 30, noNaN: true }),
        fc.double({ min: -6, max: 2, noNaN: true }),
        fc.integer({ min: 0, max: 100_000 }),
        (log10In, log10Out, log10Frac, feePips) => {
          const reserveIn = BigInt(Math.round(10 ** log10In));
          const reserveOut = BigInt(Math.round(10 ** log10Out));
          const amountIn = BigInt(Math.round(Number(reserveIn) * 10 ** log10Frac));
          const exact = getAmountOut(amountIn, reserveIn, reserveOut, feePips);
          fc.pre(exact >= 10n ** 12n);
          const float = getAmountOutFloat(Number(amountIn), Number(reserveIn), Number(reserveOut), feePips / 1e6);
          expect(relErr(float, Number(exact))).toBeLessThan(FLOAT_VS_EXACT_REL_TOL);
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it(`behavior: getAmountInFloat within ${FLOAT_VS_EXACT_REL_TOL} relative of the exact path (seed ${SEED}, ${RUNS} runs)`, () => {
    fc.assert(
      fc.property(
        fc.double({ min: 12, max: 30, noNaN: true }),
        fc.double({ min: 12, max: 30, noNaN: true }),
        fc.double({ min: 0.001, max: 0.9, noNaN: true }),
        (log10In, log10Out, frac) => {
          const reserveIn = BigInt(Math.round(10 ** log10In));
          const reserveOut = BigInt(Math.round(10 ** log10Out));
          const amountOut = BigInt(Math.round(Number(reserveOut) * frac));
          fc.pre(amountOut > 0n && amountOut < reserveOut);
          const exact = getAmountIn(amountOut, reserveIn, reserveOut);
          fc.pre(exact >= 10n ** 12n);
          const float = getAmountInFloat(Number(amountOut), Number(reserveIn), Number(reserveOut));
          expect(relErr(float, Number(exact))).toBeLessThan(FLOAT_VS_EXACT_REL_TOL);
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('behavior: degenerate inputs give 0 or Infinity instead of reverting', () => {
    expect(getAmountOutFloat(0, 1, 1)).toBe(0);
    expect(getAmountOutFloat(1, 0, 1)).toBe(0);
    expect(getAmountInFloat(0, 1, 1)).toBe(0);
    expect(getAmountInFloat(1, 1, 1)).toBe(Infinity);
    expect(quoteFloat(1, 100, 200)).toBe(2);
  });

  // Independent reference: bisection on the swap itself for the input that lands the reserves' price on target.
  function solveByBisection(rIn: number, rOut: number, target: number, fee: number): number {
    const priceAfter = (x: number) => (rOut - getAmountOutFloat(x, rIn, rOut, fee)) / (rIn + x);
    let lo = 0;
    let hi = rIn;
    while (priceAfter(hi) > target) hi *= 2;
    for (let i = 0; i < 200; i++) {
      const mid = (lo + hi) / 2;
      if (priceAfter(mid) > target) lo = mid;
      else hi = mid;
    }
    return (lo + hi) / 2;
  }

  it(`behavior: amountInToPrice matches a numeric solve within ${CLOSED_FORM_REL_TOL} (seed ${SEED}, ${RUNS} runs)`, () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 1e9, noNaN: true }),
        fc.double({ min: 1, max: 1e9, noNaN: true }),
        fc.double({ min: 1e-4, max: 0.999, noNaN: true }),
        fc.constantFrom(0, 0.0001, 0.0005, 0.003, 0.01, 0.3),
        (rIn, rOut, ratio, fee) => {
          const target = (rOut / rIn) * ratio;
          const x = amountInToPrice(rIn, rOut, target, fee);
          const ref = solveByBisection(rIn, rOut, target, fee);
          expect(relErr(x, ref)).toBeLessThan(CLOSED_FORM_REL_TOL);
          const after = (rOut - getAmountOutFloat(x, rIn, rOut, fee)) / (rIn + x);
          expect(relErr(after, target)).toBeLessThan(CLOSED_FORM_REL_TOL);
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('behavior: amountInToPrice is 0 when the price is already at or below the target; fee 0 gives √(k/p) − R_in', () => {
    expect(amountInToPrice(100, 200, 2)).toBe(0);
    expect(amountInToPrice(100, 200, 3)).toBe(0);
    // k = 100·400 = 40000, target 1 → R_in' = √40000 = 200, so x = 100
    expect(amountInToPrice(100, 400, 1, 0)).toBeCloseTo(100, 9);
  });
});
