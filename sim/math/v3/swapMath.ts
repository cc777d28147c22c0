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

// Below this fraction of the double estimate, less 2, an amount is surely below the exact amount to the target.
const SURELY_SHORT = 1 - 1e-12;
const TWO_POW_96 = 2 ** 96;

/**
 * A double estimate of the token amount between the current and target prices for liquidity L, without its
 * rounding: token0 L·2^96·|b − a|/(a·b) (`token0` true), token1 L·|b − a|/2^96. Each bigint → double
 * conversion and each of the ≤ 6 operations is within 2^-53 relative, so the estimate is within 1e-15
 * relative of the exact quotient X, and the contract's amount (ceil(X) or floor(X)) within 1 of X. An
 * amount below estimate·(1 − 1e-12) − 2 is therefore below the contract's amount: the comparison with it
 * is decided without the 512-bit division. NaN (a zero price) decides nothing.
 */
function amountToTargetEstimate(current: bigint, target: bigint, liquidity: bigint, token0: boolean): number {
  // A zero price: the exact token0 delta reverts, so the exact path must run.
  if (token0 && (current === 0n || target === 0n)) return NaN;
  const diff = Number(current > target ? current - target : target - current);
  return token0 ? (Number(liquidity) * TWO_POW_96 * diff) / (Number(current) * Number(target)) : (Number(liquidity) * diff) / TWO_POW_96;
}

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
  // Whether amountIn (exact in) or amountOut (exact out) already holds the exact amount to the target.
  let haveAmountToTarget = false;

  if (exactIn) {
    const amountRemainingLessFee = mulDiv(amountRemaining, ONE_MILLION - fee, ONE_MILLION);
    if (Number(amountRemainingLessFee) < amountToTargetEstimate(sqrtRatioCurrentX96, sqrtRatioTargetX96, liquidity, zeroForOne) * SURELY_SHORT - 2) {
      // Surely short of the target (see amountToTargetEstimate): the contract's comparison goes this way.
      sqrtRatioNextX96 = getNextSqrtPriceFromInput(sqrtRatioCurrentX96, liquidity, amountRemainingLessFee, zeroForOne);
    } else {
      amountIn = zeroForOne
        ? getAmount0Delta(sqrtRatioTargetX96, sqrtRatioCurrentX96, liquidity, true)
        : getAmount1Delta(sqrtRatioCurrentX96, sqrtRatioTargetX96, liquidity, true);
      haveAmountToTarget = true;
      sqrtRatioNextX96 =
        amountRemainingLessFee >= amountIn
          ? sqrtRatioTargetX96
          : getNextSqrtPriceFromInput(sqrtRatioCurrentX96, liquidity, amountRemainingLessFee, zeroForOne);
    }
  } else if (Number(-amountRemaining) < amountToTargetEstimate(sqrtRatioCurrentX96, sqrtRatioTargetX96, liquidity, !zeroForOne) * SURELY_SHORT - 2) {
    sqrtRatioNextX96 = getNextSqrtPriceFromOutput(sqrtRatioCurrentX96, liquidity, -amountRemaining, zeroForOne);
  } else {
    amountOut = zeroForOne
      ? getAmount1Delta(sqrtRatioTargetX96, sqrtRatioCurrentX96, liquidity, false)
      : getAmount0Delta(sqrtRatioCurrentX96, sqrtRatioTargetX96, liquidity, false);
    haveAmountToTarget = true;
    sqrtRatioNextX96 =
      -amountRemaining >= amountOut
        ? sqrtRatioTargetX96
        : getNextSqrtPriceFromOutput(sqrtRatioCurrentX96, liquidity, -amountRemaining, zeroForOne);
  }

  // At the target (max), the contract keeps the amount it computed to the target; when that was skipped
  // above, it is computed now (the same call: the next price is the target).
  const max = sqrtRatioTargetX96 === sqrtRatioNextX96;
  const keepIn = max && exactIn && haveAmountToTarget;
  const keepOut = max && !exactIn && haveAmountToTarget;

  if (zeroForOne) {
    if (!keepIn) amountIn = getAmount0Delta(sqrtRatioNextX96, sqrtRatioCurrentX96, liquidity, true);
    if (!keepOut) amountOut = getAmount1Delta(sqrtRatioNextX96, sqrtRatioCurrentX96, liquidity, false);
  } else {
    if (!keepIn) amountIn = getAmount1Delta(sqrtRatioCurrentX96, sqrtRatioNextX96, liquidity, true);
    if (!keepOut) amountOut = getAmount0Delta(sqrtRatioCurrentX96, sqrtRatioNextX96, liquidity, false);
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
