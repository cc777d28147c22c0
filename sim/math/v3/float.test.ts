import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  computeSwapStepFloat,
  getAmount0DeltaFloat,
  getAmount1DeltaFloat,
  getAmountsForLiquidityAtTickFloat,
  getAmountsForLiquidityFloat,
  getLiquidityForAmountsAtTickFloat,
  getLiquidityForAmountsFloat,
  getNextSqrtPriceFromInputFloat,
  getSqrtRatioAtTickFloat,
  getTickAtPriceCeilFloat,
  getTickAtPriceFloat,
  getTickAtSqrtRatioFloat,
  type SwapStepFloat,
} from './float.ts';
import { getAmountsForLiquidityAtTick } from './modifyPosition.ts';
import { getAmount0Delta, getAmount1Delta, getNextSqrtPriceFromInput } from './sqrtPriceMath.ts';
import { computeSwapStep } from './swapMath.ts';
import { getSqrtRatioAtTick, getTickAtSqrtRatio, MAX_TICK, MIN_TICK } from './tickMath.ts';

// The references are the exact (bigint) mirrors of v3-core in this folder. Amounts are compared at 18
// decimals for both tokens (raw = human·1e18, liquidityRaw = L·1e18, sqrtPriceX96 = √P·2^96).
const Q96 = 2 ** 96;
const WAD = 1e18;
const toFloatSqrt = (x96: bigint): number => Number(x96) / Q96;
/** Relative tolerance of the float path against the exact path on amounts and prices. */
const REL = 1e-9;
/** Absolute slack for the contract's own integer rounding: 2 wei at 18 decimals. */
const WEI2 = 2 / WAD;
const close = (f: number, e: number, rel = REL, abs = WEI2): boolean => Math.abs(f - e) <= rel * Math.abs(e) + abs;

const FC = { numRuns: 400, seed: 20260301 } as const;

describe('getSqrtRatioAtTickFloat', () => {
  // Relative 1e-13, plus the contract's own truncation of the Q64.96 value (≤ 2^-96 absolute, which
  // dominates near MIN_TICK where √P ≈ 5e-20).
  it('agrees with TickMath.getSqrtRatioAtTick within 1e-13 relative + 2^-95 absolute on every tick (fast-check, 400 runs, seed 20260301)', () => {
    const check = (t: number): void => {
      const e = toFloatSqrt(getSqrtRatioAtTick(t));
      expect(Math.abs(getSqrtRatioAtTickFloat(t) - e)).toBeLessThanOrEqual(1e-13 * e + 2 ** -95);
    };
    for (const t of [MIN_TICK, MIN_TICK + 1, -1, 0, 1, 60, 200, MAX_TICK - 1, MAX_TICK]) check(t);
    fc.assert(fc.property(fc.integer({ min: MIN_TICK, max: MAX_TICK }), (t) => check(t)), FC);
  });
});

describe('getTickAtPriceFloat / getTickAtPriceCeilFloat / getTickAtSqrtRatioFloat', () => {
  it('behavior: round-trips every tick price exactly (tick → price → tick)', () => {
    fc.assert(
      fc.property(fc.integer({ min: MIN_TICK, max: MAX_TICK }), (t) => {
        const s = getSqrtRatioAtTickFloat(t);
        expect(getTickAtPriceFloat(s * s)).toBe(t);
        expect(getTickAtPriceCeilFloat(s * s)).toBe(t);
      }),
      FC,
    );
  });

  it('agrees with TickMath.getTickAtSqrtRatio away from tick boundaries (fast-check, 400 runs, seed 20260301)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -600_000, max: 600_000 }), fc.double({ min: 0.01, max: 0.99, noNaN: true }), (t, frac) => {
        const price = Math.exp((t + frac) * Math.log1p(1e-4));
        const x96 = BigInt(Math.round(Math.sqrt(price) * Q96));
        expect(getTickAtPriceFloat(price)).toBe(getTickAtSqrtRatio(x96));
        expect(getTickAtPriceCeilFloat(price)).toBe(getTickAtSqrtRatio(x96) + 1);
        expect(getTickAtSqrtRatioFloat(Math.sqrt(price))).toBe(getTickAtSqrtRatio(x96));
      }),
      FC,
    );
  });
});

const tickPair = fc
  .tuple(fc.integer({ min: -400_000, max: 400_000 }), fc.integer({ min: 1, max: 200_000 }))
  .map(([a, w]) => [a, Math.min(a + w, 400_001)] as const);
const liquidityRaw = fc.bigInt({ min: 10n ** 21n, max: 10n ** 30n });

describe('amount deltas', () => {
  it(`getAmount0DeltaFloat / getAmount1DeltaFloat agree with SqrtPriceMath within ${REL} relative + 2 wei (fast-check, 400 runs, seed 20260301)`, () => {
    fc.assert(
      fc.property(tickPair, liquidityRaw, ([ta, tb], lRaw) => {
        const a = getSqrtRatioAtTick(ta);
        const b = getSqrtRatioAtTick(tb);
        const L = Number(lRaw) / WAD;
        for (const roundUp of [false, true]) {
          expect(close(getAmount0DeltaFloat(toFloatSqrt(a), toFloatSqrt(b), L), Number(getAmount0Delta(a, b, lRaw, roundUp)) / WAD)).toBe(true);
          expect(close(getAmount1DeltaFloat(toFloatSqrt(b), toFloatSqrt(a), L), Number(getAmount1Delta(a, b, lRaw, roundUp)) / WAD)).toBe(true);
        }
      }),
      FC,
    );
  });

  it(`getNextSqrtPriceFromInputFloat agrees with SqrtPriceMath.getNextSqrtPriceFromInput within ${REL} relative (fast-check, 400 runs, seed 20260301)`, () => {
    fc.assert(
      fc.property(fc.integer({ min: -300_000, max: 300_000 }), liquidityRaw, fc.bigInt({ min: 1n, max: 10n ** 27n }), fc.boolean(), (t, lRaw, inRaw, zeroForOne) => {
        const s = getSqrtRatioAtTick(t);
        const e = toFloatSqrt(getNextSqrtPriceFromInput(s, lRaw, inRaw, zeroForOne));
        const f = getNextSqrtPriceFromInputFloat(toFloatSqrt(s), Number(lRaw) / WAD, Number(inRaw) / WAD, zeroForOne);
        expect(Math.abs(f - e)).toBeLessThanOrEqual(REL * e);
      }),
      FC,
    );
  });
});

describe('liquidity for amounts (LiquidityAmounts)', () => {
  // Independent reference: the whitepaper's amounts per unit L (eq. 6.29–6.30) — the liquidity found must
  // use up the binding token and never more than offered of either.
  it('behavior: the largest L the amounts allow uses all of the binding token and at most the other (1e-12 relative)', () => {
    fc.assert(
      fc.property(
        tickPair,
        fc.double({ min: -1, max: 2, noNaN: true }),
        fc.double({ min: 1e-6, max: 1e9, noNaN: true }),
        fc.double({ min: 1e-6, max: 1e9, noNaN: true }),
        ([ta, tb], where, a0, a1) => {
          const sa = getSqrtRatioAtTickFloat(ta);
          const sb = getSqrtRatioAtTickFloat(tb);
          const sp = sa + (sb - sa) * where;
          if (!(sp > 0)) return;
          const L = getLiquidityForAmountsFloat(sp, sa, sb, a0, a1);
          const amts = getAmountsForLiquidityFloat(sp, sa, sb, L);
          expect(amts.amount0).toBeLessThanOrEqual(a0 * (1 + 1e-12));
          expect(amts.amount1).toBeLessThanOrEqual(a1 * (1 + 1e-12));
          const used0 = Math.abs(amts.amount0 - a0) <= 1e-12 * a0;
          const used1 = Math.abs(amts.amount1 - a1) <= 1e-12 * a1;
          expect(used0 || used1).toBe(true);
          if (sp <= sa) expect(amts.amount1).toBe(0);
          if (sp >= sb) expect(amts.amount0).toBe(0);
        },
      ),
      FC,
    );
  });

  it('behavior: a position worth 1 quote at price 1 over [1/4, 4] (√ bounds 1/2, 2) holds 1/2 base and 1/2 quote with L = 1 (whitepaper eq. 6.29–6.30)', () => {
    const a = getAmountsForLiquidityFloat(1, 0.5, 2, 1);
    expect(a.amount0).toBeCloseTo(0.5, 15);
    expect(a.amount1).toBeCloseTo(0.5, 15);
    expect(getLiquidityForAmountsFloat(1, 0.5, 2, 0.5, 0.5)).toBeCloseTo(1, 15);
  });
});

describe('amounts and liquidity at the pool tick (UniswapV3Pool._modifyPosition side choice)', () => {
  it(`getAmountsForLiquidityAtTickFloat agrees with the exact getAmountsForLiquidityAtTick within ${REL} relative + 2 wei (fast-check, 400 runs, seed 20260301)`, () => {
    fc.assert(
      fc.property(tickPair, fc.integer({ min: MIN_TICK + 1, max: MAX_TICK - 1 }), fc.double({ min: 1e-6, max: 1e6, noNaN: true }), ([ta, tb], tp, L) => {
        const sp96 = getSqrtRatioAtTick(tp);
        const e = getAmountsForLiquidityAtTick(tp, sp96, ta, tb, BigInt(Math.round(L * WAD)), false);
        const f = getAmountsForLiquidityAtTickFloat(tp, toFloatSqrt(sp96), ta, tb, getSqrtRatioAtTickFloat(ta), getSqrtRatioAtTickFloat(tb), Math.round(L * WAD) / WAD, { amount0: 0, amount1: 0 });
        expect(close(f.amount0, Number(e.amount0) / WAD, REL, 4 * WEI2)).toBe(true);
        expect(close(f.amount1, Number(e.amount1) / WAD, REL, 4 * WEI2)).toBe(true);
      }),
      FC,
    );
  });

  it('behavior: the tick decides the side; a √P an ulp outside the range with an in-range tick is clamped (no negative amount)', () => {
    const sa = getSqrtRatioAtTickFloat(600);
    const sb = getSqrtRatioAtTickFloat(1200);
    const out = { amount0: 0, amount1: 0 };
    expect(getAmountsForLiquidityAtTickFloat(599, sa * (1 + 1e-15), 600, 1200, sa, sb, 1, out)).toEqual({ amount0: getAmount0DeltaFloat(sa, sb, 1), amount1: 0 });
    expect(getAmountsForLiquidityAtTickFloat(600, sa * (1 - 1e-15), 600, 1200, sa, sb, 1, out)).toEqual({ amount0: getAmount0DeltaFloat(sa, sb, 1), amount1: 0 });
    expect(getAmountsForLiquidityAtTickFloat(1200, sb * (1 - 1e-15), 600, 1200, sa, sb, 1, out)).toEqual({ amount0: 0, amount1: getAmount1DeltaFloat(sa, sb, 1) });
  });

  it('behavior: getLiquidityForAmountsAtTickFloat is getLiquidityForAmountsFloat when the tick is √P\'s, and its amounts at that tick fit the offer (fast-check, 400 runs, seed 20260301)', () => {
    fc.assert(
      fc.property(tickPair, fc.double({ min: -1, max: 2, noNaN: true }), fc.double({ min: 1e-6, max: 1e9, noNaN: true }), fc.double({ min: 1e-6, max: 1e9, noNaN: true }), ([ta, tb], where, a0, a1) => {
        const sa = getSqrtRatioAtTickFloat(ta);
        const sb = getSqrtRatioAtTickFloat(tb);
        const sp = sa + (sb - sa) * where;
        if (!(sp > 0)) return;
        const tick = getTickAtSqrtRatioFloat(sp);
        if (sp !== sa && sp !== sb && (tick < ta) !== (sp < sa)) return; // float tick and √P disagree at a boundary
        const L = getLiquidityForAmountsAtTickFloat(tick, sp, ta, tb, sa, sb, a0, a1);
        if (sp > sa && sp < sb && tick >= ta && tick < tb) expect(L).toBe(getLiquidityForAmountsFloat(sp, sa, sb, a0, a1));
        const amts = getAmountsForLiquidityAtTickFloat(tick, sp, ta, tb, sa, sb, L, { amount0: 0, amount1: 0 });
        expect(amts.amount0).toBeLessThanOrEqual(a0 * (1 + 1e-12));
        expect(amts.amount1).toBeLessThanOrEqual(a1 * (1 + 1e-12));
      }),
      FC,
    );
  });
});

describe('computeSwapStepFloat', () => {
  const fees = [0, 100, 500, 3000, 10000] as const;
  // The contract rounds the next sqrt price to a quantum of 2^-96, which moves its amounts by up to
  // L·2^-96 (token1) or L·2^-96/P (token0): at large L that is more than a wei, so it joins the slack.
  it(`agrees with SwapMath.computeSwapStep (exact input, reaching the target or not) within ${REL} relative + 2 wei + 4 sqrt-price quanta (fast-check, 400 runs, seed 20260301)`, () => {
    const out: SwapStepFloat = { sqrtNext: 0, amountIn: 0, amountOut: 0, feeAmount: 0 };
    fc.assert(
      fc.property(
        fc.integer({ min: -300_000, max: 300_000 }),
        fc.integer({ min: -20_000, max: 20_000 }).filter((d) => d !== 0),
        liquidityRaw,
        fc.bigInt({ min: 10n ** 12n, max: 10n ** 30n }),
        fc.constantFrom(...fees),
        (t, dt, lRaw, remainingRaw, feePips) => {
          const cur = getSqrtRatioAtTick(t);
          const target = getSqrtRatioAtTick(t + dt);
          const e = computeSwapStep(cur, target, lRaw, remainingRaw, feePips);
          computeSwapStepFloat(toFloatSqrt(cur), toFloatSqrt(target), Number(lRaw) / WAD, Number(remainingRaw) / WAD, feePips / 1e6, out);
          expect(Math.abs(out.sqrtNext - toFloatSqrt(e.sqrtRatioNextX96))).toBeLessThanOrEqual(REL * toFloatSqrt(e.sqrtRatioNextX96));
          const L = Number(lRaw) / WAD;
          const p = toFloatSqrt(cur) ** 2;
          const quanta = 4 * L * 2 ** -96 * Math.max(1, 1 / p);
          expect(close(out.amountIn, Number(e.amountIn) / WAD, REL, WEI2 + quanta)).toBe(true);
          expect(close(out.amountOut, Number(e.amountOut) / WAD, REL, WEI2 + quanta)).toBe(true);
          expect(close(out.feeAmount, Number(e.feeAmount) / WAD, REL, WEI2 + quanta)).toBe(true);
        },
      ),
      FC,
    );
  });

  it('behavior: an unlimited input (Infinity) reaches the target and charges amountIn·f/(1−f)', () => {
    const out: SwapStepFloat = { sqrtNext: 0, amountIn: 0, amountOut: 0, feeAmount: 0 };
    computeSwapStepFloat(1, 1.1, 1000, Infinity, 0.003, out);
    expect(out.sqrtNext).toBe(1.1);
    expect(out.amountIn).toBeCloseTo(100, 10);
    expect(out.feeAmount).toBeCloseTo((100 * 0.003) / 0.997, 10);
    expect(out.amountOut).toBeCloseTo(1000 * (1 - 1 / 1.1), 10);
  });

  it('behavior: with zero liquidity the step jumps to the target for nothing', () => {
    const out: SwapStepFloat = { sqrtNext: 0, amountIn: 0, amountOut: 0, feeAmount: 0 };
    computeSwapStepFloat(2, 1, 0, Infinity, 0.003, out);
    expect(out).toEqual({ sqrtNext: 1, amountIn: 0, amountOut: 0, feeAmount: 0 });
  });
});
