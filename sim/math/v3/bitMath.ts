import { PoolError } from '../../core/errors.ts';

/**
 * Bit scans over a uint256, mirroring v3-core `BitMath.sol` (both revert on 0 with a bare `require`).
 * Binary search by comparison and shift: no string conversion, no allocation beyond the shifted bigints.
 */

const T128 = 1n << 128n;
const T64 = 1n << 64n;
const T32 = 1n << 32n;
const T16 = 1n << 16n;
const T8 = 1n << 8n;
const T4 = 1n << 4n;
const T2 = 1n << 2n;

/** Index of the most significant set bit of x (0..255), i.e. floor(log2 x). Reverts '' on 0. */
export function mostSignificantBit(x: bigint): number {
  if (x <= 0n) throw new PoolError('', 'BitMath.mostSignificantBit: x must be > 0');
  let r = 0;
  if (x >= T128) { x >>= 128n; r += 128; }
  if (x >= T64) { x >>= 64n; r += 64; }
  if (x >= T32) { x >>= 32n; r += 32; }
  if (x >= T16) { x >>= 16n; r += 16; }
  if (x >= T8) { x >>= 8n; r += 8; }
  if (x >= T4) { x >>= 4n; r += 4; }
  if (x >= T2) { x >>= 2n; r += 2; }
  if (x >= 2n) r += 1;
  return r;
}

/** Index of the least significant set bit of x (0..255). Reverts '' on 0. */
export function leastSignificantBit(x: bigint): number {
  if (x <= 0n) throw new PoolError('', 'BitMath.leastSignificantBit: x must be > 0');
  return mostSignificantBit(x & -x);
}
