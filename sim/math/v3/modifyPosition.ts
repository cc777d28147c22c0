import { getAmount0Delta, getAmount1Delta } from './sqrtPriceMath.ts';
import { getSqrtRatioAtTickMemo as getSqrtRatioAtTick } from './tickMath.ts';

/**
 * The token amounts a liquidity change moves, with the pool's own side choice (v3-core
 * `UniswapV3Pool._modifyPosition`): the side is decided by the current TICK, not by comparing sqrt prices as the
 * periphery's LiquidityAmounts does —
 * - tick < tickLower: token0 only, over the whole range [√A, √B];
 * - tickLower ≤ tick < tickUpper: token0 from √P to √B and token1 from √A to √P;
 * - tick ≥ tickUpper: token1 only, over the whole range.
 * The two choices agree on every state the contract reaches (a swap that stops exactly on a tick going down leaves
 * tick = that tick − 1 with √P on it, which both call "below"). `roundUp` is true for what a mint pays and false
 * for what a burn credits (`SqrtPriceMath.getAmount{0,1}Delta`). The float version is
 * `getAmountsForLiquidityAtTickFloat` in float.ts.
 */
export function getAmountsForLiquidityAtTick(
  tick: number,
  sqrtPriceX96: bigint,
  tickLower: number,
  tickUpper: number,
  liquidity: bigint,
  roundUp: boolean,
): { amount0: bigint; amount1: bigint } {
  const sa = getSqrtRatioAtTick(tickLower);
  const sb = getSqrtRatioAtTick(tickUpper);
  if (tick < tickLower) return { amount0: getAmount0Delta(sa, sb, liquidity, roundUp), amount1: 0n };
  if (tick < tickUpper) return { amount0: getAmount0Delta(sqrtPriceX96, sb, liquidity, roundUp), amount1: getAmount1Delta(sa, sqrtPriceX96, liquidity, roundUp) };
  return { amount0: 0n, amount1: getAmount1Delta(sa, sb, liquidity, roundUp) };
}

/**
 * The signed amounts `_modifyPosition` moves for `liquidityDelta` (> 0 paid into the pool, rounded up; < 0 credited,
 * rounded down): `SqrtPriceMath.getAmount{0,1}Delta(int128)` with the pool's tick-side choice.
 */
export function modifyPositionAmounts(tick: number, sqrtPriceX96: bigint, tickLower: number, tickUpper: number, liquidityDelta: bigint): { amount0: bigint; amount1: bigint } {
  if (liquidityDelta >= 0n) return getAmountsForLiquidityAtTick(tick, sqrtPriceX96, tickLower, tickUpper, liquidityDelta, true);
  const a = getAmountsForLiquidityAtTick(tick, sqrtPriceX96, tickLower, tickUpper, -liquidityDelta, false);
  return { amount0: -a.amount0, amount1: -a.amount1 };
}
