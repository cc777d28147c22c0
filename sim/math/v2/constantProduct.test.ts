import { describe, expect, it } from 'vitest';
import { revertReason as reason } from '../../core/revertReason.ts';
import fc from 'fast-check';
import {
  getAmountIn,
  getAmountOut,
  MAX_UINT112,
  MAX_UINT256,
  quote,
  sqrt,
  v2FeeFraction,
} from './constantProduct.ts';

/** Fixed fast-check settings: reproducible runs; the seed is printed in each title. */
const SEED = 0x5eed2;
const RUNS = 500;

const e18 = 10n ** 18n;


// The contract's literal 997/1000 formulas (UniswapV2Library, v2-periphery contracts/libraries/UniswapV2Library.sol),
// transcribed as an independent reference for the pips implementation.
function contractGetAmountOut(amountIn: bigint, reserveIn: bigint, reserveOut: bigint): bigint {
  const amountInWithFee = amountIn * 997n;
  return (amountInWithFee * reserveOut) / (reserveIn * 1000n + amountInWithFee);
}
function contractGetAmountIn(amountOut: bigint, reserveIn: bigint, reserveOut: bigint): bigint {
  return (reserveIn * amountOut * 1000n) / ((reserveOut - amountOut) * 997n) + 1n;
}
// The same formulas on the full 1e6 pips scale, without reduction, as the task statement writes them.
function pipsGetAmountOut(amountIn: bigint, reserveIn: bigint, reserveOut: bigint, feePips: bigint): bigint {
  const w = amountIn * (1_000_000n - feePips);
  return (w * reserveOut) / (reserveIn * 1_000_000n + w);
}
function pipsGetAmountIn(amountOut: bigint, reserveIn: bigint, reserveOut: bigint, feePips: bigint): bigint {
  return (reserveIn * amountOut * 1_000_000n) / ((reserveOut - amountOut) * (1_000_000n - feePips)) + 1n;
}
// v2-core contracts/libraries/Math.sol `sqrt`, transcribed loop for loop (Babylonian from y/2 + 1).
function contractSqrt(y: bigint): bigint {
  if (y > 3n) {
    let z = y;
    let x = y / 2n + 1n;
    while (x < z) {
      z = x;
      x = (y / x + x) / 2n;
    }
    return z;
  }
  return y !== 0n ? 1n : 0n;
}

const reserve = fc.bigInt({ min: 1n, max: MAX_UINT112 });
// Reserves spread over all magnitudes, not just near 2^112: pick a bit length, then a value.
const anyMagnitude = (maxBits: number) =>
  fc.integer({ min: 1, max: maxBits }).chain((bits) => fc.bigInt({ min: 1n << BigInt(bits - 1), max: (1n << BigInt(bits)) - 1n }));

describe('getAmountOut (UniswapV2Library)', () => {
  // v2-core test/UniswapV2Pair.spec.ts `swapTestCases` [swapAmount, token0Amount, token1Amount, expectedOutputAmount]:
  // the pair accepts exactly this output and rejects one more with `UniswapV2: K`.
  const swapTestCases: Array<[bigint, bigint, bigint, bigint]> = [
    [1n * e18, 5n * e18, 10n * e18, 1662497915624478906n],
    [1n * e18, 10n * e18, 5n * e18, 453305446940074565n],
    [2n * e18, 5n * e18, 10n * e18, 2851015155847869602n],
    [2n * e18, 10n * e18, 5n * e18, 831248957812239453n],
    [1n * e18, 10n * e18, 10n * e18, 906610893880149131n],
    [1n * e18, 100n * e18, 100n * e18, 987158034397061298n],
    [1n * e18, 1000n * e18, 1000n * e18, 996006981039903216n],
  ];
  it.each(swapTestCases)('behavior: v2-core swapTestCase %s in, reserves %s/%s → %s out', (amountIn, r0, r1, out) => {
    expect(getAmountOut(amountIn, r0, r1)).toBe(out);
    expect(getAmountOut(amountIn, r0, r1, 3000)).toBe(out);
  });

  // v2-periphery test/UniswapV2Router02.spec.ts 'getAmountOut'.
  it('behavior: v2-periphery router getAmountOut(2, 100, 100) = 1 and its reverts', () => {
    expect(getAmountOut(2n, 100n, 100n)).toBe(1n);
    expect(reason(() => getAmountOut(0n, 100n, 100n))).toBe('UniswapV2Library: INSUFFICIENT_INPUT_AMOUNT');
    expect(reason(() => getAmountOut(2n, 0n, 100n))).toBe('UniswapV2Library: INSUFFICIENT_LIQUIDITY');
    expect(reason(() => getAmountOut(2n, 100n, 0n))).toBe('UniswapV2Library: INSUFFICIENT_LIQUIDITY');
  });

  it(`behavior: feePips 3000 equals the contract's 997/1000 formula exactly (seed ${SEED}, ${RUNS} runs)`, () => {
    fc.assert(
      fc.property(anyMagnitude(112), anyMagnitude(112), anyMagnitude(112), (amountIn, rIn, rOut) => {
        const contract = contractGetAmountOut(amountIn, rIn, rOut);
        expect(getAmountOut(amountIn, rIn, rOut, 3000)).toBe(contract);
        // and the unreduced 1e6 scale gives the same quotient: the common factor 1000 cancels
        expect(pipsGetAmountOut(amountIn, rIn, rOut, 3000n)).toBe(contract);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it(`behavior: any feePips equals the unreduced 1e6-scale formula (seed ${SEED}, ${RUNS} runs)`, () => {
    fc.assert(
      fc.property(anyMagnitude(112), reserve, reserve, fc.integer({ min: 0, max: 999_999 }), (amountIn, rIn, rOut, fee) => {
        expect(getAmountOut(amountIn, rIn, rOut, fee)).toBe(pipsGetAmountOut(amountIn, rIn, rOut, BigInt(fee)));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('error: SafeMath overflow reverts as the contract does (mul on amountIn·997, add on the denominator)', () => {
    expect(reason(() => getAmountOut(MAX_UINT256 / 997n + 1n, 1n, 1n))).toBe('ds-math-mul-overflow');
    // amountIn·997 fits, but reserveIn·1000 + amountIn·997 does not
    expect(reason(() => getAmountOut(MAX_UINT256 / 997n, 1n, 1n))).toBe('ds-math-add-overflow');
    expect(reason(() => getAmountOut(MAX_UINT256 / 997n - 1n, 1n, 1n))).toBeUndefined();
  });

  it('behavior: fee 0 is the plain constant product ⌊x·R_out/(R_in + x)⌋', () => {
    expect(getAmountOut(1n * e18, 5n * e18, 10n * e18, 0)).toBe((10n * e18 * e18) / (6n * e18));
  });
});

describe('getAmountIn (UniswapV2Library)', () => {
  it('behavior: v2-periphery router getAmountIn(1, 100, 100) = 2 and its reverts', () => {
    expect(getAmountIn(1n, 100n, 100n)).toBe(2n);
    expect(reason(() => getAmountIn(0n, 100n, 100n))).toBe('UniswapV2Library: INSUFFICIENT_OUTPUT_AMOUNT');
    expect(reason(() => getAmountIn(1n, 0n, 100n))).toBe('UniswapV2Library: INSUFFICIENT_LIQUIDITY');
    expect(reason(() => getAmountIn(1n, 100n, 0n))).toBe('UniswapV2Library: INSUFFICIENT_LIQUIDITY');
  });

  it('error: an output above the reserve underflows; equal to it divides by zero (bare revert)', () => {
    expect(reason(() => getAmountIn(101n, 100n, 100n))).toBe('ds-math-sub-underflow');
    expect(reason(() => getAmountIn(100n, 100n, 100n))).toBe('');
  });

  it(`behavior: feePips 3000 equals the contract's 997/1000 formula exactly (seed ${SEED}, ${RUNS} runs)`, () => {
    fc.assert(
      fc.property(anyMagnitude(112), anyMagnitude(112), anyMagnitude(112), (a, rIn, rOut) => {
        fc.pre(rOut > 1n);
        const amountOut = 1n + (a % (rOut - 1n)); // 1 ≤ amountOut < rOut
        const contract = contractGetAmountIn(amountOut, rIn, rOut);
        expect(getAmountIn(amountOut, rIn, rOut, 3000)).toBe(contract);
        expect(pipsGetAmountIn(amountOut, rIn, rOut, 3000n)).toBe(contract);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it(`property: getAmountIn then getAmountOut gives at least the requested output (seed ${SEED}, ${RUNS} runs)`, () => {
    fc.assert(
      fc.property(anyMagnitude(112), anyMagnitude(112), anyMagnitude(112), fc.integer({ min: 0, max: 999_999 }), (a, rIn, rOut, fee) => {
        fc.pre(rOut > 1n);
        const amountOut = 1n + (a % (rOut - 1n));
        const amountIn = getAmountIn(amountOut, rIn, rOut, fee);
        expect(getAmountOut(amountIn, rIn, rOut, fee)).toBeGreaterThanOrEqual(amountOut);
        // and one less input is not enough unless the library's unconditional +1 overshot
        if (amountIn > 1n) {
          const lessOut = getAmountOut(amountIn - 1n, rIn, rOut, fee);
          expect(lessOut <= amountOut).toBe(true);
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});

describe('quote (UniswapV2Library)', () => {
  // v2-periphery test/UniswapV2Router02.spec.ts 'quote'.
  it('behavior: v2-periphery router quote(1, 100, 200) = 2, quote(2, 200, 100) = 1, and its reverts', () => {
    expect(quote(1n, 100n, 200n)).toBe(2n);
    expect(quote(2n, 200n, 100n)).toBe(1n);
    expect(reason(() => quote(0n, 100n, 200n))).toBe('UniswapV2Library: INSUFFICIENT_AMOUNT');
    expect(reason(() => quote(1n, 0n, 200n))).toBe('UniswapV2Library: INSUFFICIENT_LIQUIDITY');
    expect(reason(() => quote(1n, 100n, 0n))).toBe('UniswapV2Library: INSUFFICIENT_LIQUIDITY');
  });
});

describe('sqrt (v2-core Math.sqrt)', () => {
  it('behavior: equals the contract loop on every y in [0, 20000] and on perfect squares ± 1', () => {
    for (let y = 0n; y <= 20000n; y++) expect(sqrt(y)).toBe(contractSqrt(y));
    for (const r of [2n ** 26n, 2n ** 53n, 2n ** 56n, 2n ** 112n - 1n, 2n ** 128n - 1n]) {
      for (const d of [-1n, 0n, 1n]) expect(sqrt(r * r + d)).toBe(contractSqrt(r * r + d));
    }
  });

  it(`behavior: equals the contract loop on random y < 2^256 (seed ${SEED}, 200 runs)`, () => {
    fc.assert(
      fc.property(anyMagnitude(256), (y) => {
        expect(sqrt(y)).toBe(contractSqrt(y));
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('behavior: first-mint liquidity of the v2-core mint test: √(1e18·4e18) = 2e18', () => {
    // v2-core test/UniswapV2Pair.spec.ts 'mint': expectedLiquidity = 2e18 for 1e18 / 4e18.
    expect(sqrt(1n * e18 * 4n * e18)).toBe(2n * e18);
  });
});

describe('constants and fee fraction', () => {
  it('behavior: uint112 max is 2^112 − 1 = 5192296858534827628530496329220095', () => {
    // Solidity uint112(-1); the decimal is 2^112 − 1.
    expect(MAX_UINT112).toBe(5192296858534827628530496329220095n);
  });
  it('behavior: 3000 pips reduces to the contract constants 3/1000 (γ = 997)', () => {
    const f = v2FeeFraction(3000);
    expect([f.feeNumerator, f.gammaNumerator, f.feeDenominator]).toEqual([3n, 997n, 1000n]);
  });
  it('error: rejects a fee of 100 % or a non-integer pips value', () => {
    expect(() => v2FeeFraction(1_000_000)).toThrowErrorMatchingInlineSnapshot(
      `[InvariantError: invariant broken (a bug in ammsim, please report): v2 feePips must be an integer in [0, 1000000); was 1000000]`,
    );
    expect(() => v2FeeFraction(2.5)).toThrow(/was 2.5/);
  });
});
