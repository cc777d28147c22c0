import { PoolError } from '../../core/errors.ts';

// Defined here rather than imported: a module-local constant is read directly on the hot path, where an
// import compiled to CommonJS (tsx, vitest) is read through a getter on every use.
const TWO_POW_128 = 1n << 128n;

/**
 * Adds a signed liquidity delta to a uint128 liquidity, mirroring v3-core `LiquidityMath.addDelta`:
 * reverts 'LS' (liquidity sub) when the result would go below 0 and 'LA' (liquidity add) when it would
 * exceed 2^128 − 1. `x` is uint128, `y` int128.
 */
export function addDelta(x: bigint, y: bigint): bigint {
  const z = x + y;
  if (y < 0n) {
    if (z < 0n) throw new PoolError('LS', `reverted: LS (liquidity ${x} minus ${-y} would be negative)`);
  } else if (z >= TWO_POW_128) {
    throw new PoolError('LA', `reverted: LA (liquidity ${x} plus ${y} overflows uint128)`);
  }
  return z;
}
