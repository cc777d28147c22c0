import { describe, expect, it } from 'vitest';
import { PoolError } from '../../core/errors.ts';
import { MAX_UINT128 } from './fixedPoint.ts';
import { addDelta } from './liquidityMath.ts';

// Cases: Uniswap/v3-core test/LiquidityMath.spec.ts.
describe('addDelta', () => {
  it('behavior: adds and subtracts', () => {
    expect(addDelta(1n, 0n)).toBe(1n);
    expect(addDelta(1n, -1n)).toBe(0n);
    expect(addDelta(1n, 1n)).toBe(2n);
  });
  it('error: 2^128-15 + 15 overflows with LA', () => {
    expect(() => addDelta(MAX_UINT128 - 14n, 15n)).toThrowError(PoolError);
    try {
      addDelta(MAX_UINT128 - 14n, 15n);
    } catch (e) {
      expect((e as PoolError).reason).toBe('LA');
    }
  });
  it('error: 0 + -1 and 3 + -4 underflow with LS', () => {
    for (const [x, y] of [[0n, -1n], [3n, -4n]] as const) {
      try {
        addDelta(x, y);
        expect.unreachable();
      } catch (e) {
        expect((e as PoolError).reason).toBe('LS');
      }
    }
  });
});
