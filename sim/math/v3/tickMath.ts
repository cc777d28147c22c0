import { PoolError } from '../../core/errors.ts';

// Defined here rather than imported: a module-local constant is read directly on the hot path, where an
// import compiled to CommonJS (tsx, vitest) is read through a getter on every use.
const MAX_UINT256 = (1n << 256n) - 1n; // fixedPoint.ts MAX_UINT256

/**
 * Tick ↔ sqrt-price conversion, mirroring v3-core `TickMath.sol`.
 * A tick t stands for the price 1.0001^t (token1 per token0); its sqrt price is the Q64.96 number
 * sqrt(1.0001^t)·2^96, computed by the contract's exact fixed-point recipe (so results are bit-identical).
 */

/** The smallest tick: log base 1.0001 of 2^-128 (`TickMath.MIN_TICK`). */
export const MIN_TICK = -887272;
/** The largest tick: log base 1.0001 of 2^128 (`TickMath.MAX_TICK`). */
export const MAX_TICK = 887272;
/** getSqrtRatioAtTick(MIN_TICK) (`TickMath.MIN_SQRT_RATIO`). */
export const MIN_SQRT_RATIO = 4295128739n;
/** getSqrtRatioAtTick(MAX_TICK) (`TickMath.MAX_SQRT_RATIO`). */
export const MAX_SQRT_RATIO = 1461446703485210103287273052203988822378723970342n;

// Q128.128 values of 1/sqrt(1.0001)^(2^i) for i = 0..19, the contract's magic numbers (TickMath.sol).
const RATIO_BIT_0 = 0xfffcb933bd6fad37aa2d162d1a594001n;
const RATIO_FACTORS: readonly bigint[] = [
  0xfff97272373d413259a46990580e213an, // 2^1
  0xfff2e50f5f656932ef12357cf3c7fdccn, // 2^2
  0xffe5caca7e10e4e61c3624eaa0941cd0n, // 2^3
  0xffcb9843d60f6159c9db58835c926644n, // 2^4
  0xff973b41fa98c081472e6896dfb254c0n, // 2^5
  0xff2ea16466c96a3843ec78b326b52861n, // 2^6
  0xfe5dee046a99a2a811c461f1969c3053n, // 2^7
  0xfcbe86c7900a88aedcffc83b479aa3a4n, // 2^8
  0xf987a7253ac413176f2b074cf7815e54n, // 2^9
  0xf3392b0822b70005940c7a398e4b70f3n, // 2^10
  0xe7159475a2c29b7443b29c7fa6e889d9n, // 2^11
  0xd097f3bdfd2022b8845ad8f792aa5825n, // 2^12
  0xa9f746462d870fdf8a65dc1f90e061e5n, // 2^13
  0x70d869a156d2a1b890bb3df62baf32f7n, // 2^14
  0x31be135f97d08fd981231505542fcfa6n, // 2^15
  0x9aa508b5b7a84e1c677de54f3e99bc9n, // 2^16
  0x5d6af8dedb81196699c329225ee604n, // 2^17
  0x2216e584f5fa1ea926041bedfe98n, // 2^18
  0x48a170391f7dc42444e8fa2n, // 2^19
];
const Q128_ONE = 1n << 128n;
const LOW_32_MASK = 0xffffffffn;

// The contract's running product after bits 0..PREFIX_BITS-1 of |tick|, per value of those bits, filled on
// first use (a fixed-size table of a pure function: at most 2^PREFIX_BITS entries, results unchanged).
const PREFIX_BITS = 10;
const PREFIX_MASK = (1 << PREFIX_BITS) - 1;
const PREFIX_RATIOS: (bigint | undefined)[] = new Array<bigint | undefined>(1 << PREFIX_BITS).fill(undefined);

function prefixRatio(low: number): bigint {
  let ratio = (low & 1) !== 0 ? RATIO_BIT_0 : Q128_ONE;
  for (let bit = 1, rest = low >> 1; rest !== 0; bit++, rest >>= 1) {
    if ((rest & 1) !== 0) ratio = (ratio * (RATIO_FACTORS[bit - 1] as bigint)) >> 128n;
  }
  PREFIX_RATIOS[low] = ratio;
  return ratio;
}

/**
 * sqrt(1.0001^tick)·2^96 as a Q64.96 uint160, rounded up in the final Q128.128 → Q64.96 step, exactly as
 * `TickMath.getSqrtRatioAtTick`. `tick` must be an integer in [MIN_TICK, MAX_TICK]; otherwise reverts 'T'.
 */
export function getSqrtRatioAtTick(tick: number): bigint {
  const absTick = tick < 0 ? -tick : tick;
  if (!(absTick <= MAX_TICK) || !Number.isInteger(tick)) {
    throw new PoolError('T', `reverted: T (tick must be an integer in [${MIN_TICK}, ${MAX_TICK}]; was ${tick})`);
  }
  // The contract multiplies in the factors of absTick's bits from bit 0 up, truncating after each, so the
  // ratio after the low PREFIX_BITS bits depends on those bits only: memoised per value of them (exact).
  const low = absTick & PREFIX_MASK;
  let ratio = PREFIX_RATIOS[low] ?? prefixRatio(low);
  // absTick < 2^20, so bits PREFIX_BITS..19 index RATIO_FACTORS[bit - 1].
  for (let bit = PREFIX_BITS, rest = absTick >> PREFIX_BITS; rest !== 0; bit++, rest >>= 1) {
    if ((rest & 1) !== 0) ratio = (ratio * (RATIO_FACTORS[bit - 1] as bigint)) >> 128n;
  }
  if (tick > 0) ratio = MAX_UINT256 / ratio;
  // Q128.128 → Q64.96, rounding up so getTickAtSqrtRatio(getSqrtRatioAtTick(t)) == t.
  return (ratio & LOW_32_MASK) === 0n ? ratio >> 32n : (ratio >> 32n) + 1n;
}

// A bounded memo of getSqrtRatioAtTick shared by every pool in the process: swaps stop again and again at
// the same ticks (initialised ticks, bitmap-word edges, limits). Emptied when full, so it never holds more
// than MEMO_LIMIT entries; a pure function's values, so results never depend on its contents.
const MEMO_LIMIT = 1 << 16;
const memo = new Map<number, bigint>();

/** {@link getSqrtRatioAtTick} through a bounded process-wide memo (same values, same reverts). */
export function getSqrtRatioAtTickMemo(tick: number): bigint {
  let p = memo.get(tick);
  if (p === undefined) {
    p = getSqrtRatioAtTick(tick);
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(tick, p);
  }
  return p;
}

// 2 / log2(1.0001): converts log2(sqrtPrice) to ticks.
const TICKS_PER_LOG2_SQRT = 2 / Math.log2(1.0001);
// A float estimate whose fractional part lies this far from an integer decides the tick without checking.
// Justification (bound on the error of the estimate, in ticks): getSqrtRatioAtTick is exact to within one
// unit of its Q64.96 result (≥ 2^32 since MIN_SQRT_RATIO > 2^32): relative 2.4e-10, i.e. ≤ 4.7e-6 ticks;
// the double log2 of a < 2^160 integer is off by < 1e-13 relative, i.e. < 3e-9 ticks at |tick| ≤ 887272.
// 1/1024 is > 200× the sum, and only ~0.2 % of inputs fall back to the exact check.
const SAFE_MARGIN = 1 / 1024;

/**
 * The greatest tick t with getSqrtRatioAtTick(t) ≤ sqrtPriceX96, which is what `TickMath.getTickAtSqrtRatio`
 * returns (its log2 recipe is proved to give exactly this). Reverts 'R' unless
 * MIN_SQRT_RATIO ≤ sqrtPriceX96 < MAX_SQRT_RATIO.
 *
 * Implementation: a double-precision log estimate decides the tick outright when it is far from a tick
 * boundary (see SAFE_MARGIN); near a boundary, the candidate is confirmed or corrected against
 * getSqrtRatioAtTick, so the result is always the exact contract value.
 */
export function getTickAtSqrtRatio(sqrtPriceX96: bigint): number {
  if (sqrtPriceX96 < MIN_SQRT_RATIO || sqrtPriceX96 >= MAX_SQRT_RATIO) {
    throw new PoolError(
      'R',
      `reverted: R (sqrtPriceX96 must be in [${MIN_SQRT_RATIO}, ${MAX_SQRT_RATIO}); was ${sqrtPriceX96})`,
    );
  }
  const estimate = (Math.log2(Number(sqrtPriceX96)) - 96) * TICKS_PER_LOG2_SQRT;
  let tick = Math.floor(estimate);
  const frac = estimate - tick;
  if (frac > SAFE_MARGIN && frac < 1 - SAFE_MARGIN && tick >= MIN_TICK && tick < MAX_TICK) return tick;
  if (tick < MIN_TICK) tick = MIN_TICK;
  if (tick > MAX_TICK - 1) tick = MAX_TICK - 1;
  while (tick > MIN_TICK && getSqrtRatioAtTickMemo(tick) > sqrtPriceX96) tick--;
  while (tick < MAX_TICK - 1 && getSqrtRatioAtTickMemo(tick + 1) <= sqrtPriceX96) tick++;
  return tick;
}
