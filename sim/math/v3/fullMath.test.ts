import fc from 'fast-check';
import { revertReason as reason } from '../../core/revertReason.ts';
import { describe, expect, it } from 'vitest';
import { MAX_UINT256 } from './fixedPoint.ts';
import { mulDiv, mulDivRoundingUp } from './fullMath.ts';

// Cases: Uniswap/v3-core test/FullMath.spec.ts.
const Q128 = 1n << 128n;
const SEED = 20240602;


describe('mulDiv', () => {
  it('error: reverts (bare) on a zero denominator and on a result above uint256', () => {
    expect(reason(() => mulDiv(Q128, 5n, 0n))).toBe('');
    expect(reason(() => mulDiv(Q128, Q128, 0n))).toBe('');
    expect(reason(() => mulDiv(Q128, Q128, 1n))).toBe('');
    expect(reason(() => mulDiv(MAX_UINT256, MAX_UINT256, MAX_UINT256 - 1n))).toBe('');
  });
  it('behavior: spec values (all max inputs; with and without phantom overflow)', () => {
    expect(mulDiv(MAX_UINT256, MAX_UINT256, MAX_UINT256)).toBe(MAX_UINT256);
    expect(mulDiv(Q128, (50n * Q128) / 100n, (150n * Q128) / 100n)).toBe(Q128 / 3n);
    expect(mulDiv(Q128, 35n * Q128, 8n * Q128)).toBe((4375n * Q128) / 1000n);
    expect(mulDiv(Q128, 1000n * Q128, 3000n * Q128)).toBe(Q128 / 3n);
  });
});

describe('mulDivRoundingUp', () => {
  it('error: reverts (bare) like the contract, including overflow after rounding up', () => {
    expect(reason(() => mulDivRoundingUp(Q128, 5n, 0n))).toBe('');
    expect(reason(() => mulDivRoundingUp(Q128, Q128, 0n))).toBe('');
    expect(reason(() => mulDivRoundingUp(Q128, Q128, 1n))).toBe('');
    expect(reason(() => mulDivRoundingUp(MAX_UINT256, MAX_UINT256, MAX_UINT256 - 1n))).toBe('');
    expect(reason(() => mulDivRoundingUp(535006138814359n, 432862656469423142931042426214547535783388063929571229938474969n, 2n))).toBe('');
    expect(
      reason(() =>
        mulDivRoundingUp(
          115792089237316195423570985008687907853269984659341747863450311749907997002549n,
          115792089237316195423570985008687907853269984659341747863450311749907997002550n,
          115792089237316195423570985008687907853269984653042931687443039491902864365164n,
        ),
      ),
    ).toBe('');
  });
  it('behavior: spec values', () => {
    expect(mulDivRoundingUp(MAX_UINT256, MAX_UINT256, MAX_UINT256)).toBe(MAX_UINT256);
    expect(mulDivRoundingUp(Q128, (50n * Q128) / 100n, (150n * Q128) / 100n)).toBe(Q128 / 3n + 1n);
    expect(mulDivRoundingUp(Q128, 35n * Q128, 8n * Q128)).toBe((4375n * Q128) / 1000n);
    expect(mulDivRoundingUp(Q128, 1000n * Q128, 3000n * Q128)).toBe(Q128 / 3n + 1n);
  });
  it(`property: floor ≤ a·b/d ≤ ceil, differing by 1 exactly when inexact (seed ${SEED}, 1000 runs)`, () => {
    const u256 = fc.bigInt({ min: 0n, max: MAX_UINT256 });
    fc.assert(
      fc.property(u256, u256, fc.bigInt({ min: 1n, max: MAX_UINT256 }), (a, b, d) => {
        let lo: bigint;
        try {
          lo = mulDiv(a, b, d);
        } catch {
          return a * b >= d << 256n; // reverts exactly when the result does not fit
        }
        const hi = mulDivRoundingUp(a, b, d);
        const exact = (a * b) % d === 0n;
        return lo * d <= a * b && a * b < (lo + 1n) * d && hi === (exact ? lo : lo + 1n);
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });
});
