/**
 * The contract's fee formula applied by hand to one swap, independently of any replay: for a swap that
 * trades inside one tick-spacing bucket (no tick crossed), from the logged price before it (the previous
 * SWAP row) to its logged price, at its logged in-range L,
 *   fee        = amount paid in − SqrtPriceMath amount for the price move (rounded up, as SwapMath does),
 *   feeGrowth  = floor(fee × 2^128 / L)                      (UniswapV3Pool.swap),
 *   owed       = floor(feeGrowth × L_position / 2^128)       (Position.update).
 * (For exact input and exact output alike, the amount paid in is the step's amountIn plus its fee.)
 */
import { Q128 } from '../../../math/v3/fixedPoint.ts';
import { mulDiv } from '../../../math/v3/fullMath.ts';
import { getAmount0Delta, getAmount1Delta } from '../../../math/v3/sqrtPriceMath.ts';
import type { PoolEventRow } from '../../real/poolEvents.ts';

export function feesOfOneInRangeSwap(sqrtPriceBeforeX96: bigint, swap: PoolEventRow, positionLiquidity: bigint): { fees0: bigint; fees1: bigint } {
  const zeroForOne = swap.amount0 > 0n;
  const L = swap.totalLiquidity;
  const paidIn = zeroForOne ? swap.amount0 : swap.amount1;
  const net = zeroForOne ? getAmount0Delta(swap.sqrtPriceX96, sqrtPriceBeforeX96, L, true) : getAmount1Delta(sqrtPriceBeforeX96, swap.sqrtPriceX96, L, true);
  const fee = paidIn - net;
  const growth = mulDiv(fee, Q128, L);
  const owed = mulDiv(growth, positionLiquidity, Q128);
  return zeroForOne ? { fees0: owed, fees1: 0n } : { fees0: 0n, fees1: owed };
}
