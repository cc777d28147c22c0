/**
 * Test helper (not used by ammsim itself). Provenance: reproduces v3-core `test/shared/utilities.ts`
 * `encodePriceSqrt(reserve1, reserve0)`: bignumber.js configured there with DECIMAL_PLACES 40 (rounding
 * ROUND_HALF_UP, the default): q = reserve1 / reserve0 rounded to 40 places, s = sqrt(q) rounded to 40
 * places (bignumber.js rounds both correctly), then s · 2^96 floored (`integerValue(ROUND_FLOOR)`).
 * Needed to transcribe the spec's inputs exactly.
 */
function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  // Newton's method from a power of two above the root: decreases monotonically to floor(sqrt(n)).
  let x = 1n << (BigInt(n.toString(2).length) / 2n + 1n);
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

const SCALE = 10n ** 40n;

export function encodePriceSqrt(reserve1: bigint, reserve0: bigint): bigint {
  // Q = round_half_up(r1/r0 · 10^40): the quotient at 40 decimal places, as an integer.
  const num = reserve1 * SCALE;
  let q = num / reserve0;
  if (2n * (num - q * reserve0) >= reserve0) q += 1n;
  // S = round_half_up(sqrt(Q / 10^40) · 10^40) = round_half_up(sqrt(Q · 10^40)).
  const radicand = q * SCALE;
  let s = isqrt(radicand);
  if ((2n * s + 1n) * (2n * s + 1n) <= 4n * radicand) s += 1n;
  return (s << 96n) / SCALE;
}

/** 10^18 · n (v3-core `expandTo18Decimals`). */
export function expandTo18Decimals(n: bigint): bigint {
  return n * 10n ** 18n;
}
