/**
 * Test helper (not used by ammsim itself). Provenance: reproduces v3-core `test/shared/utilities.ts`
 * `encodePriceSqrt(reserve1, reserve0)`, which is bignumber.js `sqrt(reserve1 / reserve0)` (correctly
 * rounded to 20 decimal places, ROUND_HALF_UP: bignumber.js defaults), times 2^96, floored
 * (`integerValue(ROUND_FLOOR)`). Needed to transcribe the spec's inputs exactly.
 */
function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = BigInt(Math.floor(Math.sqrt(Number(n))));
  // Newton steps from a float seed, then fix up to the exact floor.
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) break;
    x = y;
  }
  while (x * x > n) x--;
  while ((x + 1n) * (x + 1n) <= n) x++;
  return x;
}

const SCALE = 10n ** 20n;

export function encodePriceSqrt(reserve1: bigint, reserve0: bigint): bigint {
  // s = sqrt(r1/r0) · 10^20, rounded half up: floor, then +1 when (floor + 1/2)^2 ≤ r1/r0 · 10^40.
  const radicandNum = reserve1 * SCALE * SCALE;
  let s = isqrt(radicandNum / reserve0);
  if ((2n * s + 1n) * (2n * s + 1n) * reserve0 <= 4n * radicandNum) s += 1n;
  return (s << 96n) / SCALE;
}

/** 10^18 · n (v3-core `expandTo18Decimals`). */
export function expandTo18Decimals(n: bigint): bigint {
  return n * 10n ** 18n;
}
