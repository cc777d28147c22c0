import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PoolError } from '../../core/errors.ts';
import { MAX_UINT128, MAX_UINT256, Q96 } from './fixedPoint.ts';
import { divRoundingUp, mulDiv, mulDivRoundingUp } from './fullMath.ts';
import {
  getAmount0Delta,
  getAmount0DeltaSigned,
  getAmount1Delta,
  getAmount1DeltaSigned,
  getNextSqrtPriceFromInput,
  getNextSqrtPriceFromOutput,
} from './sqrtPriceMath.ts';
import { MAX_SQRT_RATIO, MIN_SQRT_RATIO } from './tickMath.ts';
import { encodePriceSqrt, expandTo18Decimals } from './vectors/encodePriceSqrt.ts';

// Cases: Uniswap/v3-core test/SqrtPriceMath.spec.ts (values and the "reverts" cases).
const SEED = 20240603;
const ONE = encodePriceSqrt(1n, 1n);
const E18 = expandTo18Decimals(1n);

function reverts(f: () => unknown): boolean {
  try {
    f();
    return false;
  } catch (e) {
    if (e instanceof PoolError) return true;
    throw e;
  }
}

describe('getNextSqrtPriceFromInput', () => {
  it('error: reverts on zero price, zero liquidity, and a price overflow', () => {
    expect(reverts(() => getNextSqrtPriceFromInput(0n, 0n, E18 / 10n, false))).toBe(true);
    expect(reverts(() => getNextSqrtPriceFromInput(1n, 0n, E18 / 10n, true))).toBe(true);
    expect(reverts(() => getNextSqrtPriceFromInput((1n << 160n) - 1n, 1024n, 1024n, false))).toBe(true);
  });
  it('behavior: spec values', () => {
    expect(getNextSqrtPriceFromInput(1n, 1n, 1n << 255n, true)).toBe(1n);
    expect(getNextSqrtPriceFromInput(ONE, E18 / 10n, 0n, true)).toBe(ONE);
    expect(getNextSqrtPriceFromInput(ONE, E18 / 10n, 0n, false)).toBe(ONE);
    const sqrtP = (1n << 160n) - 1n;
    expect(getNextSqrtPriceFromInput(sqrtP, MAX_UINT128, MAX_UINT256 - (MAX_UINT128 << 96n) / sqrtP, true)).toBe(1n);
    expect(getNextSqrtPriceFromInput(ONE, E18, E18 / 10n, false)).toBe(87150978765690771352898345369n);
    expect(getNextSqrtPriceFromInput(ONE, E18, E18 / 10n, true)).toBe(72025602285694852357767227579n);
    expect(getNextSqrtPriceFromInput(ONE, expandTo18Decimals(10n), 1n << 100n, true)).toBe(624999999995069620n);
    expect(getNextSqrtPriceFromInput(ONE, 1n, MAX_UINT256 / 2n, true)).toBe(1n);
  });
  it('behavior: sqrtP·sqrtQ overflow case from the spec', () => {
    const sqrtP = 1025574284609383690408304870162715216695788925244n;
    const liquidity = 50015962439936049619261659728067971248n;
    const sqrtQ = getNextSqrtPriceFromInput(sqrtP, liquidity, 406n, true);
    expect(sqrtQ).toBe(1025574284609383582644711336373707553698163132913n);
    expect(getAmount0Delta(sqrtQ, sqrtP, liquidity, true)).toBe(406n);
  });
});

describe('getNextSqrtPriceFromOutput', () => {
  const price = 20282409603651670423947251286016n;
  it('error: reverts on zero price/liquidity and outputs at or above the virtual reserves', () => {
    expect(reverts(() => getNextSqrtPriceFromOutput(0n, 0n, E18 / 10n, false))).toBe(true);
    expect(reverts(() => getNextSqrtPriceFromOutput(1n, 0n, E18 / 10n, true))).toBe(true);
    expect(reverts(() => getNextSqrtPriceFromOutput(price, 1024n, 4n, false))).toBe(true);
    expect(reverts(() => getNextSqrtPriceFromOutput(price, 1024n, 5n, false))).toBe(true);
    expect(reverts(() => getNextSqrtPriceFromOutput(price, 1024n, 262145n, true))).toBe(true);
    expect(reverts(() => getNextSqrtPriceFromOutput(price, 1024n, 262144n, true))).toBe(true);
    expect(reverts(() => getNextSqrtPriceFromOutput(ONE, 1n, MAX_UINT256, true))).toBe(true);
    expect(reverts(() => getNextSqrtPriceFromOutput(ONE, 1n, MAX_UINT256, false))).toBe(true);
  });
  it('behavior: spec values', () => {
    expect(getNextSqrtPriceFromOutput(price, 1024n, 262143n, true)).toBe(77371252455336267181195264n);
    expect(getNextSqrtPriceFromOutput(ONE, E18 / 10n, 0n, true)).toBe(ONE);
    expect(getNextSqrtPriceFromOutput(ONE, E18 / 10n, 0n, false)).toBe(ONE);
    expect(getNextSqrtPriceFromOutput(ONE, E18, E18 / 10n, false)).toBe(88031291682515930659493278152n);
    expect(getNextSqrtPriceFromOutput(ONE, E18, E18 / 10n, true)).toBe(71305346262837903834189555302n);
  });
});

describe('getAmount0Delta / getAmount1Delta', () => {
  it('behavior: zero for zero liquidity or equal prices', () => {
    expect(getAmount0Delta(ONE, encodePriceSqrt(2n, 1n), 0n, true)).toBe(0n);
    expect(getAmount0Delta(ONE, ONE, 0n, true)).toBe(0n);
    expect(getAmount1Delta(ONE, encodePriceSqrt(2n, 1n), 0n, true)).toBe(0n);
  });
  it('behavior: price 1 → 1.21 with L = 1e18 (spec values; round down is one less)', () => {
    const p121 = encodePriceSqrt(121n, 100n);
    expect(getAmount0Delta(ONE, p121, E18, true)).toBe(90909090909090910n);
    expect(getAmount0Delta(ONE, p121, E18, false)).toBe(90909090909090909n);
    expect(getAmount1Delta(ONE, p121, E18, true)).toBe(100000000000000000n);
    expect(getAmount1Delta(ONE, p121, E18, false)).toBe(99999999999999999n);
  });
  it('behavior: works for prices whose product overflows 256 bits', () => {
    const a = encodePriceSqrt(1n << 90n, 1n);
    const b = encodePriceSqrt(1n << 96n, 1n);
    expect(getAmount0Delta(a, b, E18, true)).toBe(getAmount0Delta(a, b, E18, false) + 1n);
  });
  it('behavior: signed variants round up when adding and down (negated) when removing', () => {
    const p121 = encodePriceSqrt(121n, 100n);
    expect(getAmount0DeltaSigned(ONE, p121, E18)).toBe(90909090909090910n);
    expect(getAmount0DeltaSigned(ONE, p121, -E18)).toBe(-90909090909090909n);
    expect(getAmount1DeltaSigned(ONE, p121, E18)).toBe(100000000000000000n);
    expect(getAmount1DeltaSigned(ONE, p121, -E18)).toBe(-99999999999999999n);
  });
  it(`property: rounding up never gives less than rounding down, by at most 1 (seed ${SEED}, 1000 runs)`, () => {
    const price = fc.bigInt({ min: MIN_SQRT_RATIO, max: MAX_SQRT_RATIO });
    const liq = fc.bigInt({ min: 0n, max: MAX_UINT128 });
    fc.assert(
      fc.property(price, price, liq, (a, b, l) => {
        const d0 = getAmount0Delta(a, b, l, true) - getAmount0Delta(a, b, l, false);
        const d1 = getAmount1Delta(a, b, l, true) - getAmount1Delta(a, b, l, false);
        return d0 >= 0n && d0 <= 1n && d1 >= 0n && d1 <= 1n && getAmount0Delta(a, b, l, true) === getAmount0Delta(b, a, l, true);
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });
  it(`property: equal to the contract's literal nested formulas (seed ${SEED}, 2000 runs)`, () => {
    // getAmount0Delta = divRoundingUp(mulDivRoundingUp(L << 96, b − a, b), a) or mulDiv(L << 96, b − a, b) / a;
    // getAmount1Delta = mulDiv[RoundingUp](L, b − a, Q96) — as written in SqrtPriceMath.sol.
    const price = fc.oneof(fc.bigInt({ min: 1n, max: (1n << 160n) - 1n }), fc.bigInt({ min: MIN_SQRT_RATIO, max: MIN_SQRT_RATIO + 1000n }));
    fc.assert(
      fc.property(price, price, fc.bigInt({ min: 0n, max: MAX_UINT128 }), fc.boolean(), (p, q, l, up) => {
        const a = p < q ? p : q;
        const b = p < q ? q : p;
        const n1 = l << 96n;
        const ref0 = up ? divRoundingUp(mulDivRoundingUp(n1, b - a, b), a) : mulDiv(n1, b - a, b) / a;
        const ref1 = up ? mulDivRoundingUp(l, b - a, Q96) : mulDiv(l, b - a, Q96);
        return getAmount0Delta(p, q, l, up) === ref0 && getAmount1Delta(p, q, l, up) === ref1;
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });
  it(`property (echidna SqrtPriceMathEchidnaTest): the input needed to reach the next price never exceeds the amount given (seed ${SEED}, 1000 runs)`, () => {
    const price = fc.bigInt({ min: MIN_SQRT_RATIO, max: MAX_SQRT_RATIO });
    fc.assert(
      fc.property(price, fc.bigInt({ min: 1n, max: MAX_UINT128 }), fc.bigInt({ min: 0n, max: 1n << 200n }), fc.boolean(), (p, l, amt, z) => {
        let q: bigint;
        try {
          q = getNextSqrtPriceFromInput(p, l, amt, z);
        } catch {
          return true;
        }
        if (z) return q <= p && getAmount0Delta(q, p, l, true) <= amt;
        return q >= p && getAmount1Delta(p, q, l, true) <= amt;
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });
});
