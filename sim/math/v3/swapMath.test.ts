import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PoolError } from '../../core/errors.ts';
import { MAX_UINT128, MAX_UINT256, TWO_POW_160, TWO_POW_255 } from './fixedPoint.ts';
import { mulDiv, mulDivRoundingUp } from './fullMath.ts';
import { getAmount0Delta, getAmount1Delta, getNextSqrtPriceFromInput, getNextSqrtPriceFromOutput } from './sqrtPriceMath.ts';
import { computeSwapStep } from './swapMath.ts';
import { encodePriceSqrt, expandTo18Decimals } from './vectors/encodePriceSqrt.ts';

// Cases: Uniswap/v3-core test/SwapMath.spec.ts. Invariants: contracts/test/SwapMathEchidnaTest.sol.
const SEED = 20240604;
const ONE = encodePriceSqrt(1n, 1n);
const E18 = expandTo18Decimals(1n);

describe('computeSwapStep (spec cases)', () => {
  it('behavior: exact in capped at the target, one for zero', () => {
    const target = encodePriceSqrt(101n, 100n);
    const r = computeSwapStep(ONE, target, 2n * E18, E18, 600);
    expect(r).toEqual({ sqrtRatioNextX96: target, amountIn: 9975124224178055n, amountOut: 9925619580021728n, feeAmount: 5988667735148n });
    expect(r.amountIn + r.feeAmount < E18).toBe(true);
    expect(r.sqrtRatioNextX96 < getNextSqrtPriceFromInput(ONE, 2n * E18, E18, false)).toBe(true);
  });
  it('behavior: exact out capped at the target, one for zero', () => {
    const target = encodePriceSqrt(101n, 100n);
    const r = computeSwapStep(ONE, target, 2n * E18, -E18, 600);
    expect(r).toEqual({ sqrtRatioNextX96: target, amountIn: 9975124224178055n, amountOut: 9925619580021728n, feeAmount: 5988667735148n });
    expect(r.sqrtRatioNextX96 < getNextSqrtPriceFromOutput(ONE, 2n * E18, E18, false)).toBe(true);
  });
  it('behavior: exact in fully spent, one for zero', () => {
    const target = encodePriceSqrt(1000n, 100n);
    const r = computeSwapStep(ONE, target, 2n * E18, E18, 600);
    expect(r.amountIn).toBe(999400000000000000n);
    expect(r.feeAmount).toBe(600000000000000n);
    expect(r.amountOut).toBe(666399946655997866n);
    expect(r.amountIn + r.feeAmount).toBe(E18);
    expect(r.sqrtRatioNextX96 < target).toBe(true);
    expect(r.sqrtRatioNextX96).toBe(getNextSqrtPriceFromInput(ONE, 2n * E18, E18 - r.feeAmount, false));
  });
  it('behavior: exact out fully received, one for zero', () => {
    const target = encodePriceSqrt(10000n, 100n);
    const r = computeSwapStep(ONE, target, 2n * E18, -E18, 600);
    expect(r.amountIn).toBe(2000000000000000000n);
    expect(r.feeAmount).toBe(1200720432259356n);
    expect(r.amountOut).toBe(E18);
    expect(r.sqrtRatioNextX96 < target).toBe(true);
    expect(r.sqrtRatioNextX96).toBe(getNextSqrtPriceFromOutput(ONE, 2n * E18, E18, false));
  });
  it('behavior: amount out is capped at the desired amount out', () => {
    const r = computeSwapStep(417332158212080721273783715441582n, 1452870262520218020823638996n, 159344665391607089467575320103n, -1n, 1);
    expect(r).toEqual({ sqrtRatioNextX96: 417332158212080721273783715441581n, amountIn: 1n, amountOut: 1n, feeAmount: 1n });
  });
  it('behavior: target price of 1 uses partial input amount', () => {
    const r = computeSwapStep(2n, 1n, 1n, 3915081100057732413702495386755767n, 1);
    expect(r).toEqual({ sqrtRatioNextX96: 1n, amountIn: 39614081257132168796771975168n, amountOut: 0n, feeAmount: 39614120871253040049813n });
  });
  it('behavior: entire input amount taken as fee', () => {
    const r = computeSwapStep(2413n, 79887613182836312n, 1985041575832132834610021537970n, 10n, 1872);
    expect(r).toEqual({ sqrtRatioNextX96: 2413n, amountIn: 0n, amountOut: 0n, feeAmount: 10n });
  });
  it('behavior: intermediate insufficient liquidity, zero for one exact output', () => {
    const sqrtP = 20282409603651670423947251286016n;
    const target = (sqrtP * 11n) / 10n;
    expect(computeSwapStep(sqrtP, target, 1024n, -4n, 3000)).toEqual({ sqrtRatioNextX96: target, amountIn: 26215n, amountOut: 0n, feeAmount: 79n });
  });
  it('behavior: intermediate insufficient liquidity, one for zero exact output', () => {
    const sqrtP = 20282409603651670423947251286016n;
    const target = (sqrtP * 9n) / 10n;
    expect(computeSwapStep(sqrtP, target, 1024n, -263000n, 3000)).toEqual({ sqrtRatioNextX96: target, amountIn: 1n, amountOut: 26214n, feeAmount: 1n });
  });
});

describe('computeSwapStep (echidna invariants, SwapMathEchidnaTest.checkComputeSwapStepInvariants)', () => {
  it(`property: never takes more than amountRemaining, moves the price toward the target only, consumes everything unless the target is reached (seed ${SEED}, 3000 runs)`, () => {
    const price = fc.bigInt({ min: 1n, max: TWO_POW_160 - 1n });
    const arb = fc.record({
      p: price,
      t: price,
      l: fc.oneof(fc.bigInt({ min: 0n, max: MAX_UINT128 }), fc.bigInt({ min: 0n, max: 1n << 80n })),
      amt: fc.oneof(fc.bigInt({ min: -TWO_POW_255, max: TWO_POW_255 - 1n }), fc.bigInt({ min: -(1n << 100n), max: 1n << 100n })),
      fee: fc.integer({ min: 1, max: 999_999 }),
    });
    fc.assert(
      fc.property(arb, ({ p, t, l, amt, fee }) => {
        let r;
        try {
          r = computeSwapStep(p, t, l, amt, fee);
        } catch (e) {
          if (e instanceof PoolError) return true; // the contract reverts too; echidna discards those
          throw e;
        }
        const { sqrtRatioNextX96: q, amountIn, amountOut, feeAmount } = r;
        if (!(amountIn <= MAX_UINT256 - feeAmount)) return false;
        if (amt < 0n ? !(amountOut <= -amt) : !(amountIn + feeAmount <= amt)) return false;
        if (p === t && !(amountIn === 0n && amountOut === 0n && feeAmount === 0n && q === t)) return false;
        if (q !== t && (amt < 0n ? amountOut !== -amt : amountIn + feeAmount !== amt)) return false;
        return t <= p ? q <= p && q >= t : q >= p && q <= t;
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });
});

describe('computeSwapStep: the "surely short of the target" shortcut changes nothing', () => {
  // SwapMath.computeSwapStep transcribed plainly (always the exact amount to the target first), as the
  // reference for the production code, which skips that amount when a double estimate shows the remaining
  // amount is short of it.
  function plainStep(current: bigint, target: bigint, liquidity: bigint, remaining: bigint, feePips: bigint) {
    const zeroForOne = current >= target;
    const exactIn = remaining >= 0n;
    let next: bigint;
    let amountIn = 0n;
    let amountOut = 0n;
    if (exactIn) {
      const lessFee = mulDiv(remaining, 1_000_000n - feePips, 1_000_000n);
      amountIn = zeroForOne ? getAmount0Delta(target, current, liquidity, true) : getAmount1Delta(current, target, liquidity, true);
      next = lessFee >= amountIn ? target : getNextSqrtPriceFromInput(current, liquidity, lessFee, zeroForOne);
    } else {
      amountOut = zeroForOne ? getAmount1Delta(target, current, liquidity, false) : getAmount0Delta(current, target, liquidity, false);
      next = -remaining >= amountOut ? target : getNextSqrtPriceFromOutput(current, liquidity, -remaining, zeroForOne);
    }
    const max = target === next;
    if (zeroForOne) {
      if (!(max && exactIn)) amountIn = getAmount0Delta(next, current, liquidity, true);
      if (!(max && !exactIn)) amountOut = getAmount1Delta(next, current, liquidity, false);
    } else {
      if (!(max && exactIn)) amountIn = getAmount1Delta(current, next, liquidity, true);
      if (!(max && !exactIn)) amountOut = getAmount0Delta(current, next, liquidity, false);
    }
    if (!exactIn && amountOut > -remaining) amountOut = -remaining;
    const feeAmount = exactIn && next !== target ? remaining - amountIn : mulDivRoundingUp(amountIn, feePips, 1_000_000n - feePips);
    return { sqrtRatioNextX96: next, amountIn, amountOut, feeAmount };
  }
  const outcome = (f: () => unknown): unknown => {
    try {
      return f();
    } catch (e) {
      if (e instanceof PoolError) return { revert: e.reason };
      throw e;
    }
  };

  it(`property: equal results and reverts, with amounts right at the amount to the target (seed ${SEED}, 3000 runs)`, () => {
    let short = 0;
    let reached = 0;
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: TWO_POW_160 - 1n }),
        fc.bigInt({ min: 1n, max: TWO_POW_160 - 1n }),
        fc.oneof(fc.bigInt({ min: 0n, max: MAX_UINT128 }), fc.bigInt({ min: 0n, max: 1n << 70n })),
        fc.boolean(),
        fc.integer({ min: 0, max: 999_999 }),
        // How the remaining amount relates to the exact amount to the target X: X + k, X·(1 + e) or random.
        fc.oneof(
          fc.record({ kind: fc.constant(0), k: fc.bigInt({ min: -5n, max: 5n }) }),
          fc.record({ kind: fc.constant(1), k: fc.bigInt({ min: -(10n ** 6n), max: 10n ** 6n }) }),
          fc.record({ kind: fc.constant(2), k: fc.bigInt({ min: 1n, max: MAX_UINT128 }) }),
        ),
        (current, target, liquidity, exactIn, fee, rel) => {
          const feePips = BigInt(fee);
          const zeroForOne = current >= target;
          const toTarget = outcome(() =>
            exactIn
              ? zeroForOne
                ? getAmount0Delta(target, current, liquidity, true)
                : getAmount1Delta(current, target, liquidity, true)
              : zeroForOne
                ? getAmount1Delta(target, current, liquidity, false)
                : getAmount0Delta(current, target, liquidity, false),
          );
          if (typeof toTarget !== 'bigint') return;
          // For exact input the fee is taken first: scale so that the amount less the fee lands near X.
          const near = rel.kind === 0 ? toTarget + rel.k : rel.kind === 1 ? toTarget + (toTarget * rel.k) / 10n ** 12n : rel.k;
          let amount = exactIn ? (near * 1_000_000n) / (1_000_000n - feePips) + (rel.kind === 0 ? rel.k : 0n) : near;
          if (amount <= 0n) amount = 1n;
          if (amount >= TWO_POW_255) return;
          const remaining = exactIn ? amount : -amount;
          const expected = outcome(() => plainStep(current, target, liquidity, remaining, feePips));
          const actual = outcome(() => computeSwapStep(current, target, liquidity, remaining, feePips));
          expect(actual).toEqual(expected);
          if (typeof expected === 'object' && expected !== null && 'sqrtRatioNextX96' in expected) {
            if (expected.sqrtRatioNextX96 === target) reached++;
            else short++;
          }
        },
      ),
      { seed: SEED, numRuns: 3000 },
    );
    // Both sides of the comparison are exercised.
    expect(short).toBeGreaterThan(300);
    expect(reached).toBeGreaterThan(300);
  });
});
