import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PoolError } from '../../core/errors.ts';
import { MAX_UINT128, MAX_UINT256, Q128 } from './fixedPoint.ts';
import { mulDiv } from './fullMath.ts';
import { feesOwed, feesOwedFloat, update } from './position.ts';

// Behaviour: Uniswap/v3-core contracts/libraries/Position.sol (uint128 truncation and wrap-around of
// tokensOwed; 'NP' for a poke of an empty position).
describe('Position.update', () => {
  it('error: a poke (delta 0) of an empty position reverts NP', () => {
    try {
      update(undefined, 0n, 0n, 0n);
      expect.unreachable();
    } catch (e) {
      expect((e as PoolError).reason).toBe('NP');
    }
  });
  it('behavior: credits (growth − last) · liquidity / 2^128, rounded down, and records the new growth', () => {
    const p = update(undefined, 1000n, 5n, 7n);
    expect(p).toEqual({ liquidity: 1000n, feeGrowthInside0LastX128: 5n, feeGrowthInside1LastX128: 7n, tokensOwed0: 0n, tokensOwed1: 0n });
    const q = update(p, 0n, 5n + 3n * Q128 + 1n, 7n + Q128 / 2n);
    expect([q.tokensOwed0, q.tokensOwed1]).toEqual([3000n, 500n]);
  });
  it('behavior: growth below last wraps mod 2^256 (fee growth is a wrapping accumulator)', () => {
    const p = { liquidity: Q128, feeGrowthInside0LastX128: MAX_UINT256, feeGrowthInside1LastX128: 0n, tokensOwed0: 0n, tokensOwed1: 0n };
    expect(update(p, 0n, 1n, 0n).tokensOwed0).toBe(2n);
  });
  it('behavior: tokensOwed wraps at 2^128 like the contract', () => {
    const p = { liquidity: 1n << 127n, feeGrowthInside0LastX128: 0n, feeGrowthInside1LastX128: 0n, tokensOwed0: MAX_UINT128, tokensOwed1: 0n };
    // owed = 4·2^128 · 2^127 / 2^128 = 2^129 → truncated to uint128 = 0; plus a second case that wraps the sum
    expect(update(p, 0n, 4n * Q128, 0n).tokensOwed0).toBe(MAX_UINT128);
    expect(update(p, 0n, 2n * Q128 + 2n, 0n).tokensOwed0).toBe(0n);
  });
  it('error: removing more than held reverts LS', () => {
    try {
      update({ liquidity: 5n, feeGrowthInside0LastX128: 0n, feeGrowthInside1LastX128: 0n, tokensOwed0: 0n, tokensOwed1: 0n }, -6n, 0n, 0n);
      expect.unreachable();
    } catch (e) {
      expect((e as PoolError).reason).toBe('LS');
    }
  });
});

describe('feesOwed (Position.update\'s fee credit)', () => {
  it('property: equals uint128(FullMath.mulDiv(growth − last mod 2^256, liquidity, 2^128)) (fast-check, seed 12, 300 runs)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: MAX_UINT256 }), fc.bigInt({ min: 0n, max: MAX_UINT256 }), fc.bigInt({ min: 0n, max: MAX_UINT128 }), (g, last, L) => {
        const delta = g >= last ? g - last : g - last + (MAX_UINT256 + 1n);
        expect(feesOwed(g, last, L)).toBe(mulDiv(delta, L, Q128) & MAX_UINT128);
      }),
      { numRuns: 300, seed: 12 },
    );
  });
  it('behavior: a growth of 2.5 per unit of liquidity pays 2 tokens to L = 1 and 25 to L = 10 (rounded down)', () => {
    expect(feesOwed(5n * (Q128 / 2n), 0n, 1n)).toBe(2n);
    expect(feesOwed(5n * (Q128 / 2n), 0n, 10n)).toBe(25n);
  });
  it('behavior: the float version is liquidity × (growth − last), within 1e-12 of the exact one scaled back', () => {
    const g = 123_456_789n * Q128 + Q128 / 3n;
    const last = 1_000n * Q128;
    const L = 10n ** 20n;
    const exact = Number(feesOwed(g, last, L));
    const float = feesOwedFloat(Number(g) / Number(Q128), Number(last) / Number(Q128), Number(L));
    expect(Math.abs(float - exact) / exact).toBeLessThan(1e-12);
    expect(feesOwedFloat(2, 2, 1e6)).toBe(0);
  });
});
