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

/**
 * The word positions of `bitmap` that hold at least one initialised tick, ascending (a derived index for
 * {@link nextStopAcrossEmptyWords}; rebuild it whenever a word appears or empties).
 */
export function sortedWordPositions(bitmap: TickBitmap): number[] {
  return [...bitmap.keys()].sort((a, b) => a - b);
}

/**
 * The nearest word in `sorted` (ascending) strictly below `wordPos` when `lte`, strictly above otherwise;
 * undefined when there is none. Binary search.
 */
export function nearestNonEmptyWord(sorted: readonly number[], wordPos: number, lte: boolean): number | undefined {
  // lo = the number of entries < wordPos (lte) or ≤ wordPos (not lte).
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const v = sorted[mid] as number;
    if (lte ? v < wordPos : v <= wordPos) lo = mid + 1;
    else hi = mid;
  }
  return lte ? sorted[lo - 1] : sorted[lo];
}

/** Where {@link nextStopAcrossEmptyWords} writes its answer. */
export interface StopAcrossWordsResult {
  /** The stop: an initialised tick, or the edge of a word (not initialised). Not clamped to MIN/MAX_TICK. */
  next: number;
  initialized: boolean;
  /** How many {@link nextInitializedTickWithinOneWord} calls the contract's loop makes to get there (≥ 1). */
  words: number;
}

/**
 * Many calls of {@link nextInitializedTickWithinOneWord} in one: the stop at which a swap with no liquidity
 * in range next does anything but move the price. Starting at `tick` and searching as the swap loop does
 * (left including `tick` when `lte`, right otherwise), the contract stops at each word's initialised tick
 * or, in a word without one, at the word's edge; this returns the first stop that is an initialised tick,
 * or a word edge that does not "pass" `bound`, whichever comes first: when `lte`, an edge passes when it is
 * above `bound`; otherwise, when it is below `bound`. Runs of empty words are skipped by binary search in
 * `sorted` ({@link sortedWordPositions} of `bitmap`), so the cost does not grow with the distance.
 */
export function nextStopAcrossEmptyWords(
  bitmap: TickBitmap,
  sorted: readonly number[],
  tick: number,
  tickSpacing: number,
  lte: boolean,
  bound: number,
  out: StopAcrossWordsResult = { next: 0, initialized: false, words: 0 },
): StopAcrossWordsResult {
  const compressed = Math.floor(tick / tickSpacing);
  if (lte) {
    const wordPos = compressed >> 8;
    const bitPos = compressed & 255;
    const word = bitmap.get(wordPos);
    const masked = word === undefined ? 0n : word & (BIT_AT_OR_BELOW[bitPos] as bigint);
    if (masked !== 0n) {
      out.next = (compressed - (bitPos - mostSignificantBit(masked))) * tickSpacing;
      out.initialized = true;
      out.words = 1;
      return out;
    }
    // Word k's edge (its lowest tick) is k·256·s; it passes while > bound, i.e. the edges of words above
    // floor(floor(bound/s)/256) pass.
    const limitWord = Math.min(wordPos, Math.floor(bound / tickSpacing) >> 8);
    const initWord = nearestNonEmptyWord(sorted, wordPos, true);
    if (initWord !== undefined && initWord >= limitWord) {
      out.next = ((initWord << 8) + mostSignificantBit(bitmap.get(initWord) as bigint)) * tickSpacing;
      out.initialized = true;
      out.words = wordPos - initWord + 1;
    } else {
      out.next = (limitWord << 8) * tickSpacing;
      out.initialized = false;
      out.words = wordPos - limitWord + 1;
    }
    return out;
  }
  const c1 = compressed + 1;
  const wordPos = c1 >> 8;
  const bitPos = c1 & 255;
  const word = bitmap.get(wordPos);
  const masked = word === undefined ? 0n : word & (BIT_AT_OR_ABOVE[bitPos] as bigint);
  if (masked !== 0n) {
    out.next = (c1 + (leastSignificantBit(masked) - bitPos)) * tickSpacing;
    out.initialized = true;
    out.words = 1;
    return out;
  }
  // Word k's edge (its highest tick) is (k·256 + 255)·s; it passes while < bound, i.e. while
  // k·256 + 255 < ceil(bound/s): the first word whose edge does not pass is ceil((ceil(bound/s) − 255)/256).
  const limitWord = Math.max(wordPos, Math.ceil((Math.ceil(bound / tickSpacing) - 255) / 256));
  const initWord = nearestNonEmptyWord(sorted, wordPos, false);
  if (initWord !== undefined && initWord <= limitWord) {
    out.next = ((initWord << 8) + leastSignificantBit(bitmap.get(initWord) as bigint)) * tickSpacing;
    out.initialized = true;
    out.words = initWord - wordPos + 1;
  } else {
    out.next = ((limitWord << 8) + 255) * tickSpacing;
    out.initialized = false;
    out.words = limitWord - wordPos + 1;
  }
  return out;
}
