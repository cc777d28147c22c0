import { mulDiv, mulDivRoundingUp } from './fullMath.ts';
import {
  getAmount0Delta,
  getAmount1Delta,
  getNextSqrtPriceFromInput,
  getNextSqrtPriceFromOutput,
} from './sqrtPriceMath.ts';

/** The result of one swap step (`SwapMath.computeSwapStep`'s four return values). */
export interface SwapStepResult {
  /** Q64.96 sqrt price after the step (the target if it was reached). */
  sqrtRatioNextX96: bigint;
  /** Input token taken by the step, excluding the fee. */
  amountIn: bigint;
  /** Output token paid by the step. */
  amountOut: bigint;
  /** Fee taken, in the input token. */
  feeAmount: bigint;
}

const ONE_MILLION = 1_000_000n;

/**
 * One step of a swap within a single liquidity range, mirroring v3-core `SwapMath.computeSwapStep`:
 * swap from `sqrtRatioCurrentX96` toward `sqrtRatioTargetX96` (direction: token0 in when current ≥ target)
 * with liquidity `liquidity`, until the target is reached or `amountRemaining` is used up.
 * `amountRemaining` > 0 is exact input (fee included), < 0 exact output. `feePips` is the fee in
 * hundredths of a bip (3000 = 0.30 %), as a number or (cheaper in a loop) a bigint.
 * Rounding: amountIn and the fee round up, amountOut rounds down (in the pool's favour). When exact input
 * stops short of the target, all of the remaining input not swapped is the fee.
 *
 * Writes into `out` (and returns it) so the swap loop can reuse one object; pass a fresh object otherwise.
 */
export function computeSwapStep(
  sqrtRatioCurrentX96: bigint,
  sqrtRatioTargetX96: bigint,
  liquidity: bigint,
  amountRemaining: bigint,
  feePips: number | bigint,
  out: SwapStepResult = { sqrtRatioNextX96: 0n, amountIn: 0n, amountOut: 0n, feeAmount: 0n },
): SwapStepResult {
  const zeroForOne = sqrtRatioCurrentX96 >= sqrtRatioTargetX96;
  const exactIn = amountRemaining >= 0n;
  const fee = typeof feePips === 'bigint' ? feePips : BigInt(feePips);
  let sqrtRatioNextX96: bigint;
  let amountIn = 0n;
  let amountOut = 0n;

  if (exactIn) {
    const amountRemainingLessFee = mulDiv(amountRemaining, ONE_MILLION - fee, ONE_MILLION);
    amountIn = zeroForOne
      ? getAmount0Delta(sqrtRatioTargetX96, sqrtRatioCurrentX96, liquidity, true)
      : getAmount1Delta(sqrtRatioCurrentX96, sqrtRatioTargetX96, liquidity, true);
    sqrtRatioNextX96 =
      amountRemainingLessFee >= amountIn
        ? sqrtRatioTargetX96
        : getNextSqrtPriceFromInput(sqrtRatioCurrentX96, liquidity, amountRemainingLessFee, zeroForOne);
  } else {
    amountOut = zeroForOne
      ? getAmount1Delta(sqrtRatioTargetX96, sqrtRatioCurrentX96, liquidity, false)
      : getAmount0Delta(sqrtRatioCurrentX96, sqrtRatioTargetX96, liquidity, false);
    sqrtRatioNextX96 =
      -amountRemaining >= amountOut
        ? sqrtRatioTargetX96
        : getNextSqrtPriceFromOutput(sqrtRatioCurrentX96, liquidity, -amountRemaining, zeroForOne);
  }

  const max = sqrtRatioTargetX96 === sqrtRatioNextX96;

  if (zeroForOne) {
    if (!(max && exactIn)) amountIn = getAmount0Delta(sqrtRatioNextX96, sqrtRatioCurrentX96, liquidity, true);
    if (!(max && !exactIn)) amountOut = getAmount1Delta(sqrtRatioNextX96, sqrtRatioCurrentX96, liquidity, false);
  } else {
    if (!(max && exactIn)) amountIn = getAmount1Delta(sqrtRatioCurrentX96, sqrtRatioNextX96, liquidity, true);
    if (!(max && !exactIn)) amountOut = getAmount0Delta(sqrtRatioCurrentX96, sqrtRatioNextX96, liquidity, false);
  }

  // Cap the output at what remains to be paid out (exact output).
  if (!exactIn && amountOut > -amountRemaining) amountOut = -amountRemaining;

  out.sqrtRatioNextX96 = sqrtRatioNextX96;
  out.amountIn = amountIn;
  out.amountOut = amountOut;
  out.feeAmount =
    exactIn && sqrtRatioNextX96 !== sqrtRatioTargetX96
      ? amountRemaining - amountIn
      : mulDivRoundingUp(amountIn, fee, ONE_MILLION - fee);
  return out;
}
