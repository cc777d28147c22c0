import { PoolError } from '../../core/errors.ts';

// Defined here rather than imported: a module-local constant is read directly on the hot path, where an
// import compiled to CommonJS (tsx, vitest) is read through a getter on every use.
const MAX_UINT256 = (1n << 256n) - 1n; // fixedPoint.ts MAX_UINT256

/**
 * 512-bit multiply-then-divide, mirroring v3-core `FullMath.sol`. Inputs are uint256 (0 ≤ x < 2^256; not
 * re-checked on this hot path). bigint makes the 512-bit intermediate free; what must be kept are the
 * contract's reverts, which are bare `require`s (PoolError reason ''):
 * - `denominator == 0`;
 * - the result does not fit in 256 bits (`require(denominator > prod1)`, i.e. a·b ≥ denominator·2^256);
 * - `mulDivRoundingUp` only: the rounded-up result would be 2^256.
 */

/** floor(a·b / denominator), reverting like `FullMath.mulDiv`. */
export function mulDiv(a: bigint, b: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new PoolError('', 'FullMath.mulDiv: denominator is 0');
  const result = (a * b) / denominator;
  if (result > MAX_UINT256) throw new PoolError('', 'FullMath.mulDiv: result does not fit in uint256');
  return result;
}

/** ceil(a·b / denominator), reverting like `FullMath.mulDivRoundingUp`. */
export function mulDivRoundingUp(a: bigint, b: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new PoolError('', 'FullMath.mulDivRoundingUp: denominator is 0');
  const product = a * b;
  let result = product / denominator;
  if (result > MAX_UINT256) throw new PoolError('', 'FullMath.mulDivRoundingUp: result does not fit in uint256');
  if (product !== result * denominator) {
    if (result === MAX_UINT256) throw new PoolError('', 'FullMath.mulDivRoundingUp: rounded result overflows uint256');
    result += 1n;
  }
  return result;
}

/**
 * ceil(x / y) without overflow checks, mirroring `UnsafeMath.divRoundingUp`. As in the EVM, division by
 * zero yields 0 (the contract only calls it with y > 0).
 */
export function divRoundingUp(x: bigint, y: bigint): bigint {
  if (y === 0n) return 0n;
  const q = x / y;
  return x === q * y ? q : q + 1n;
}
