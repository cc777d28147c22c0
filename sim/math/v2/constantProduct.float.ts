/**
 * The `number` fast path of v2 constant-product maths (see constantProduct.ts for the exact bigint mirror of
 * UniswapV2Library). No rounding to integers: amounts are real-valued token units. The fee here is a
 * fraction (0.003 = 0.30 %), not pips. Agreement with the exact path is tested with a named tolerance.
 */

/**
 * Output for an exact input, `UniswapV2Library.getAmountOut` without the floor:
 *   out = x·γ·R_out / (R_in + x·γ), γ = 1 − fee.
 * Returns 0 for a non-positive input or an empty reserve (where the library reverts).
 */
export function getAmountOutFloat(amountIn: number, reserveIn: number, reserveOut: number, fee = 0.003): number {
  if (!(amountIn > 0) || !(reserveIn > 0) || !(reserveOut > 0)) return 0;
  const amountInWithFee = amountIn * (1 - fee);
  return (amountInWithFee * reserveOut) / (reserveIn + amountInWithFee);
}

/**
 * Input needed for an exact output, `UniswapV2Library.getAmountIn` without the round-up:
 *   in = R_in·y / ((R_out − y)·γ).
 * Returns Infinity when amountOut ≥ reserveOut (no input suffices) and 0 for a non-positive output.
 */
export function getAmountInFloat(amountOut: number, reserveIn: number, reserveOut: number, fee = 0.003): number {
  if (!(amountOut > 0)) return 0;
  if (!(reserveIn > 0) || !(amountOut < reserveOut)) return Infinity;
  return (reserveIn * amountOut) / ((reserveOut - amountOut) * (1 - fee));
}

/** `UniswapV2Library.quote` without the floor: amountA · reserveB / reserveA. */
export function quoteFloat(amountA: number, reserveA: number, reserveB: number): number {
  return (amountA * reserveB) / reserveA;
}

/**
 * The input x that moves the reserves' price R_out / R_in (output token per input token) down to
 * `targetPrice`, the fee charged on x as the pair does (fee stays in the reserves). Returns 0 when the
 * price is already at or below the target (selling the input token can only lower it).
 *
 * Derivation: after x in, R_in' = R_in + x and R_out' = R_out − out = R_out·R_in / (R_in + γx), so
 *   R_out'/R_in' = k / ((R_in + γx)(R_in + x)) = p*,  k = R_in·R_out, γ = 1 − fee,
 * i.e. γx² + (1+γ)R_in·x + R_in² − k/p* = 0, whose positive root is
 *   x = (√((1−γ)²R_in² + 4γk/p*) − (1+γ)R_in) / (2γ) = 2(k/p* − R_in²) / (√(…) + (1+γ)R_in),
 * the second form avoiding cancellation when p* is close to the current price. With fee 0 it reduces to
 * x = √(k/p*) − R_in.
 */
export function amountInToPrice(reserveIn: number, reserveOut: number, targetPrice: number, fee = 0.003): number {
  if (!(reserveIn > 0) || !(reserveOut > 0) || !(targetPrice > 0)) return 0;
  const gamma = 1 - fee;
  const kOverP = (reserveIn * reserveOut) / targetPrice;
  const excess = kOverP - reserveIn * reserveIn;
  if (!(excess > 0)) return 0;
  const b = (1 + gamma) * reserveIn;
  const disc = fee * fee * reserveIn * reserveIn + 4 * gamma * kOverP;
  return (2 * excess) / (Math.sqrt(disc) + b);
}
