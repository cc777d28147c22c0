import { PoolError } from '../../core/errors.ts';
import { MAX_UINT128, Q96 } from './fixedPoint.ts';
import { mulDiv } from './fullMath.ts';

/**
 * v3-periphery `LiquidityAmounts.sol` (1.0.1), bit for bit: liquidity for token amounts (rounding down)
 * and token amounts for liquidity (rounding down), over a range given by two sqrt prices in either order.
 *
 * Reverts like the library (PoolError, reason ''): `toUint128` on EACH leg — so an in-range
 * `getLiquidityForAmounts` reverts when either side's liquidity reaches 2^128, even if the other
 * (smaller) side would be the answer; a zero-width range (division by zero); a quotient ≥ 2^256.
 * The position manager's mint and increaseLiquidity size liquidity with {@link getLiquidityForAmounts}.
 */

function toUint128(x: bigint): bigint {
  if (x > MAX_UINT128) throw new PoolError('', `reverted (bare): LiquidityAmounts.toUint128: ${x} does not fit in uint128`);
  return x;
}

function sorted(a: bigint, b: bigint): [bigint, bigint] {
  return a > b ? [b, a] : [a, b];
}

/** amount0 · (√A·√B / 2^96) / (√B − √A), as uint128. */
export function getLiquidityForAmount0(sqrtRatioAX96: bigint, sqrtRatioBX96: bigint, amount0: bigint): bigint {
  const [a, b] = sorted(sqrtRatioAX96, sqrtRatioBX96);
  const intermediate = mulDiv(a, b, Q96);
  return toUint128(mulDiv(amount0, intermediate, b - a));
}

/** amount1 · 2^96 / (√B − √A), as uint128. */
export function getLiquidityForAmount1(sqrtRatioAX96: bigint, sqrtRatioBX96: bigint, amount1: bigint): bigint {
  const [a, b] = sorted(sqrtRatioAX96, sqrtRatioBX96);
  return toUint128(mulDiv(amount1, Q96, b - a));
}

/**
 * The most liquidity `amount0` and `amount1` buy over [A, B] at `sqrtRatioX96`: token0 only at or below A,
 * token1 only at or above B, the smaller of the two legs inside.
 */
export function getLiquidityForAmounts(sqrtRatioX96: bigint, sqrtRatioAX96: bigint, sqrtRatioBX96: bigint, amount0: bigint, amount1: bigint): bigint {
  const [a, b] = sorted(sqrtRatioAX96, sqrtRatioBX96);
  if (sqrtRatioX96 <= a) return getLiquidityForAmount0(a, b, amount0);
  if (sqrtRatioX96 < b) {
    const l0 = getLiquidityForAmount0(sqrtRatioX96, b, amount0);
    const l1 = getLiquidityForAmount1(a, sqrtRatioX96, amount1);
    return l0 < l1 ? l0 : l1;
  }
  return getLiquidityForAmount1(a, b, amount1);
}

/** Token0 that `liquidity` holds over [A, B]: floor(floor(L·2^96·(√B − √A) / √B) / √A). */
export function getAmount0ForLiquidity(sqrtRatioAX96: bigint, sqrtRatioBX96: bigint, liquidity: bigint): bigint {
  const [a, b] = sorted(sqrtRatioAX96, sqrtRatioBX96);
  return mulDiv(liquidity << 96n, b - a, b) / a;
}

/** Token1 that `liquidity` holds over [A, B]: floor(L·(√B − √A) / 2^96). */
export function getAmount1ForLiquidity(sqrtRatioAX96: bigint, sqrtRatioBX96: bigint, liquidity: bigint): bigint {
  const [a, b] = sorted(sqrtRatioAX96, sqrtRatioBX96);
  return mulDiv(liquidity, b - a, Q96);
}

/** Token amounts `liquidity` over [A, B] holds at `sqrtRatioX96` (both rounded down). */
export function getAmountsForLiquidity(sqrtRatioX96: bigint, sqrtRatioAX96: bigint, sqrtRatioBX96: bigint, liquidity: bigint): { amount0: bigint; amount1: bigint } {
  const [a, b] = sorted(sqrtRatioAX96, sqrtRatioBX96);
  if (sqrtRatioX96 <= a) return { amount0: getAmount0ForLiquidity(a, b, liquidity), amount1: 0n };
  if (sqrtRatioX96 < b) return { amount0: getAmount0ForLiquidity(sqrtRatioX96, b, liquidity), amount1: getAmount1ForLiquidity(a, sqrtRatioX96, liquidity) };
  return { amount0: 0n, amount1: getAmount1ForLiquidity(a, b, liquidity) };
}
