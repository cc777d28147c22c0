import { PoolError } from '../../core/errors.ts';
import { leastSignificantBit, mostSignificantBit } from './bitMath.ts';
import { MAX_UINT256 } from './fixedPoint.ts';

/**
 * The packed map of initialised ticks, mirroring v3-core `TickBitmap.sol`. A tick t on the spacing s is
 * stored as bit (t/s mod 256) of the 256-bit word number floor(t/s / 256). Words are bigints in a
 * `Map<wordPos, word>`; a missing word is 0.
 */
export type TickBitmap = Map<number, bigint>;

/** Where `nextInitializedTickWithinOneWord` writes its answer (reuse one object in loops). */
export interface NextTickResult {
  /** The next initialised tick, or the word's edge when there is none in this word. */
  next: number;
  /** Whether `next` is an initialised tick. */
  initialized: boolean;
}

// BIT_AT_OR_BELOW[b]: bits 0..b set; BIT_AT_OR_ABOVE[b]: bits b..255 set (the contract's two masks).
const BIT_AT_OR_BELOW: readonly bigint[] = Array.from({ length: 256 }, (_, b) => (2n << BigInt(b)) - 1n);
const BIT_AT_OR_ABOVE: readonly bigint[] = Array.from({ length: 256 }, (_, b) => MAX_UINT256 ^ ((1n << BigInt(b)) - 1n));
const SINGLE_BIT: readonly bigint[] = Array.from({ length: 256 }, (_, b) => 1n << BigInt(b));

/** Word index of a compressed tick (`int16(tick >> 8)`). */
export function wordPosition(compressed: number): number {
  return compressed >> 8;
}

/** Bit index within its word of a compressed tick (`uint8(tick % 256)`, i.e. two's complement low byte). */
export function bitPosition(compressed: number): number {
  return compressed & 255;
}

/**
 * Flips tick `tick` between initialised and not (`TickBitmap.flipTick`). Reverts '' when the tick is not
 * a multiple of `tickSpacing`.
 */
export function flipTick(bitmap: TickBitmap, tick: number, tickSpacing: number): void {
  if (tick % tickSpacing !== 0) {
    throw new PoolError('', `reverted (bare require): tick ${tick} is not a multiple of the tick spacing ${tickSpacing}`);
  }
  const compressed = tick / tickSpacing;
  const wordPos = compressed >> 8;
  const word = (bitmap.get(wordPos) ?? 0n) ^ (SINGLE_BIT[compressed & 255] as bigint);
  if (word === 0n) bitmap.delete(wordPos);
  else bitmap.set(wordPos, word);
}

/**
 * The next initialised tick within the same bitmap word as `tick` (`nextInitializedTickWithinOneWord`):
 * searching left including `tick` itself when `lte` (a token0 → token1 swap), right strictly above it
 * otherwise. With none in the word, returns the word's last tick in that direction, not initialised; the
 * swap then steps to that edge and searches again from there, exactly one word at a time as the contract
 * does (results of a multi-word swap depend on those intermediate stops). Writes into `out`.
 */
export function nextInitializedTickWithinOneWord(
  bitmap: TickBitmap,
  tick: number,
  tickSpacing: number,
  lte: boolean,
  out: NextTickResult = { next: 0, initialized: false },
): NextTickResult {
  // Round toward negative infinity, as the contract's truncate-then-decrement does.
  const compressed = Math.floor(tick / tickSpacing);
  if (lte) {
    const bitPos = compressed & 255;
    const word = bitmap.get(compressed >> 8);
    const masked = word === undefined ? 0n : word & (BIT_AT_OR_BELOW[bitPos] as bigint);
    if (masked !== 0n) {
      out.initialized = true;
      out.next = (compressed - (bitPos - mostSignificantBit(masked))) * tickSpacing;
    } else {
      out.initialized = false;
      out.next = (compressed - bitPos) * tickSpacing;
    }
  } else {
    const c1 = compressed + 1;
    const bitPos = c1 & 255;
    const word = bitmap.get(c1 >> 8);
    const masked = word === undefined ? 0n : word & (BIT_AT_OR_ABOVE[bitPos] as bigint);
    if (masked !== 0n) {
      out.initialized = true;
      out.next = (c1 + (leastSignificantBit(masked) - bitPos)) * tickSpacing;
    } else {
      out.initialized = false;
      out.next = (c1 + (255 - bitPos)) * tickSpacing;
    }
  }
  return out;
}
