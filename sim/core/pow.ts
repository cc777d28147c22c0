/**
 * # Powers that give the same bits on every JavaScript engine
 *
 * ECMAScript leaves `Math.pow` (and `**` on numbers) "implementation-approximated", and engines do change it:
 * Node 20 (V8 11.3) and Node 24 (V8 13.6) return different last bits for `Math.pow(1.0001, tick)` on most ticks,
 * and Node 20's `Math.pow(10, -5)` is 0.000009999999999999999, not 1e-5. Results must not depend on which Node
 * runs them (a sweep's shards may run on different cluster nodes and are merged byte for byte), so the code
 * never calls `Math.pow`, and a test keeps it and non-constant `**` out of the source. Instead:
 * - 10^k: {@link pow10}, the decimal literal `1ek`, which ECMAScript requires to parse to the nearest double;
 * - 1.0001^tick: `getPriceAtTickFloat` (sim/math/v3/float.ts), exp(tick · ln(1.0001)/2)², the float pool's value;
 * - a growth factor (1 + r)^n: exp(n · log1p(r)).
 * `Math.exp`, `Math.log`, `Math.log1p` and the other functions are V8's own ports of fdlibm, and return the same
 * bits in both Node versions (checked on 200,000 arguments each); `Math.pow` was the one that changed.
 */

/** 10^k for |k| ≤ 40, parsed once: the token-decimal scales asked for per row and per step are array reads. */
const TABLE_MAX = 40;
const TABLE: readonly number[] = Array.from({ length: 2 * TABLE_MAX + 1 }, (_, i) => Number(`1e${i - TABLE_MAX}`));

/**
 * 10^k for an integer k, correctly rounded (the double nearest 10^k: the literal `1ek` parsed, which is exact for
 * 0 ≤ k ≤ 22); 0 below ~10^-324 and Infinity above ~10^308, as the literals.
 */
export function pow10(k: number): number {
  if (k >= -TABLE_MAX && k <= TABLE_MAX && Number.isInteger(k)) return TABLE[k + TABLE_MAX]!;
  if (!Number.isInteger(k)) throw new RangeError(`pow10: the exponent must be an integer; was ${k}`);
  return Number(`1e${k}`);
}
