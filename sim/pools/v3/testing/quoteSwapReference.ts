import { MAX_UINT128, MAX_UINT256, TWO_POW_255 } from '../../../math/v3/fixedPoint.ts';
import { addDelta } from '../../../math/v3/liquidityMath.ts';
import { computeSwapStep } from '../../../math/v3/swapMath.ts';
import { nextInitializedTickWithinOneWord } from '../../../math/v3/tickBitmap.ts';
import { getSqrtRatioAtTick, getTickAtSqrtRatio, MAX_TICK, MIN_TICK } from '../../../math/v3/tickMath.ts';
import { PoolError } from '../../../core/errors.ts';
import type { V3PoolSnapshot } from '../v3Pool.ts';

/**
 * The plain, step-by-step swap loop of `UniswapV3Pool.swap`, kept as a reference for the pool's fast
 * paths: one `computeSwapStep` per bitmap-word edge and per initialised tick, every price from
 * `getSqrtRatioAtTick`, no memo, no skipping. It reads a {@link V3PoolSnapshot} (so it sees the pool only
 * through its public state) and returns what `V3Pool.quoteSwap` returns, minus `stateVersion`. Argument
 * checks ('AS', 'SPL', 'LOK') are the pool's; call this only with a swap that passes them.
 *
 * `stats`, when given, counts the steps by kind (for profiling the hard mix).
 */
export interface ReferenceQuote {
  readonly amount0: bigint;
  readonly amount1: bigint;
  readonly sqrtPriceX96After: bigint;
  readonly tickAfter: number;
  readonly liquidityAfter: bigint;
  readonly feeGrowthGlobalX128After: bigint;
  readonly protocolFee: bigint;
  readonly feeAmount: bigint;
  readonly crossedTicks: readonly number[];
  readonly crossedFeeGrowthX128: readonly bigint[];
  readonly steps: number;
}

export interface StepStats {
  /** Steps taken with no liquidity in range. */
  zeroLiquidity: number;
  /** Steps with liquidity ending on an uninitialised word edge. */
  wordEdge: number;
  /** Other steps (ending on an initialised tick, the limit, or inside a range). */
  other: number;
}

export function quoteSwapReference(
  snap: V3PoolSnapshot,
  zeroForOne: boolean,
  amountSpecified: bigint,
  sqrtPriceLimitX96: bigint,
  stats?: StepStats,
): ReferenceQuote {
  const feeProtocol = BigInt(zeroForOne ? snap.feeProtocol % 16 : snap.feeProtocol >> 4);
  const exactInput = amountSpecified > 0n;
  const bitmap = new Map(snap.bitmap);
  let remaining = amountSpecified;
  let calculated = 0n;
  let sqrtPriceX96 = snap.sqrtPriceX96;
  let tick = snap.tick;
  let feeGrowthGlobalX128 = zeroForOne ? snap.feeGrowthGlobal0X128 : snap.feeGrowthGlobal1X128;
  let protocolFee = 0n;
  let feeTotal = 0n;
  let liquidity = snap.liquidity;
  const crossedTicks: number[] = [];
  const crossedFeeGrowthX128: bigint[] = [];
  let steps = 0;
  while (remaining !== 0n && sqrtPriceX96 !== sqrtPriceLimitX96) {
    steps++;
    const sqrtPriceStartX96 = sqrtPriceX96;
    const nt = nextInitializedTickWithinOneWord(bitmap, tick, snap.tickSpacing, zeroForOne);
    const tickNext = Math.min(MAX_TICK, Math.max(MIN_TICK, nt.next));
    const sqrtPriceNextX96 = getSqrtRatioAtTick(tickNext);
    const target = (zeroForOne ? sqrtPriceNextX96 < sqrtPriceLimitX96 : sqrtPriceNextX96 > sqrtPriceLimitX96)
      ? sqrtPriceLimitX96
      : sqrtPriceNextX96;
    const step = computeSwapStep(sqrtPriceX96, target, liquidity, remaining, snap.fee);
    if (stats !== undefined) {
      if (liquidity === 0n) stats.zeroLiquidity++;
      else if (step.sqrtRatioNextX96 === sqrtPriceNextX96 && !nt.initialized) stats.wordEdge++;
      else stats.other++;
    }
    sqrtPriceX96 = step.sqrtRatioNextX96;
    const inPlusFee = step.amountIn + step.feeAmount;
    if (inPlusFee >= TWO_POW_255 || step.amountOut >= TWO_POW_255) throw new PoolError('', 'reference: step amount overflows int256');
    if (exactInput) {
      remaining -= inPlusFee;
      calculated -= step.amountOut;
    } else {
      remaining += step.amountOut;
      calculated += inPlusFee;
    }
    if (calculated < -TWO_POW_255 || calculated >= TWO_POW_255) throw new PoolError('', 'reference: amount overflows int256');
    let stepFee = step.feeAmount;
    feeTotal += stepFee;
    if (feeProtocol > 0n) {
      const delta = stepFee / feeProtocol;
      stepFee -= delta;
      protocolFee = (protocolFee + (delta & MAX_UINT128)) & MAX_UINT128;
    }
    if (liquidity > 0n) {
      const growth = (stepFee << 128n) / liquidity;
      if (growth > MAX_UINT256) throw new PoolError('', 'reference: fee growth overflows uint256');
      feeGrowthGlobalX128 = (feeGrowthGlobalX128 + growth) & MAX_UINT256;
    }
    if (sqrtPriceX96 === sqrtPriceNextX96) {
      if (nt.initialized) {
        const info = snap.ticks.get(tickNext);
        if (info === undefined) throw new Error(`reference: tick ${tickNext} is in the bitmap but has no info`);
        crossedTicks.push(tickNext);
        crossedFeeGrowthX128.push(feeGrowthGlobalX128);
        liquidity = addDelta(liquidity, zeroForOne ? -info.liquidityNet : info.liquidityNet);
      }
      tick = zeroForOne ? tickNext - 1 : tickNext;
    } else if (sqrtPriceX96 !== sqrtPriceStartX96) {
      tick = getTickAtSqrtRatio(sqrtPriceX96);
    }
  }
  const specifiedUsed = amountSpecified - remaining;
  return {
    amount0: zeroForOne === exactInput ? specifiedUsed : calculated,
    amount1: zeroForOne === exactInput ? calculated : specifiedUsed,
    sqrtPriceX96After: sqrtPriceX96,
    tickAfter: tick,
    liquidityAfter: liquidity,
    feeGrowthGlobalX128After: feeGrowthGlobalX128,
    protocolFee,
    feeAmount: feeTotal,
    crossedTicks,
    crossedFeeGrowthX128,
    steps,
  };
}
