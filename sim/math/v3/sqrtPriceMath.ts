import { PoolError } from '../../core/errors.ts';
import { divRoundingUp, mulDivRoundingUp } from './fullMath.ts';

// Defined here rather than imported: a module-local constant is read directly on the hot path, where an
// import compiled to CommonJS (tsx, vitest) is read through a getter on every use.
const TWO_POW_160 = 1n << 160n;
const TWO_POW_255 = 1n << 255n;
const TWO_POW_256 = 1n << 256n;

/**
 * Price and amount maths for one liquidity range, mirroring v3-core `SqrtPriceMath.sol`.
 * Prices are Q64.96 sqrt prices (uint160), liquidity is uint128, amounts uint256. Inputs are assumed to be
 * in range for their Solidity types (the pool validates them); the contract's reverts are reproduced as
 * PoolError('') (bare `require`s, SafeCast and LowGasSafeMath failures).
 *
 * Formulas (L liquidity, √P sqrt price, Δ amounts):
 *   token0: Δx = L·(√Pb − √Pa)/(√Pa·√Pb);  token1: Δy = L·(√Pb − √Pa).
 */

function bare(what: string): PoolError {
  return new PoolError('', `SqrtPriceMath: ${what}`);
}

/**
 * The next sqrt price after adding (`add`) or removing `amount` of token0, rounded up:
 * √P' = L·√P / (L ± Δx·√P), computed as the contract does, including its fallback form
 * L / (L/√P + Δx) when the product overflows 256 bits (`getNextSqrtPriceFromAmount0RoundingUp`).
 */
export function getNextSqrtPriceFromAmount0RoundingUp(
  sqrtPX96: bigint,
  liquidity: bigint,
  amount: bigint,
  add: boolean,
): bigint {
  if (amount === 0n) return sqrtPX96;
  const numerator1 = liquidity << 96n;
  const product = amount * sqrtPX96;
  if (add) {
    if (product < TWO_POW_256) {
      const denominator = numerator1 + product;
      if (denominator < TWO_POW_256) return mulDivRoundingUp(numerator1, sqrtPX96, denominator);
    }
    const sum = numerator1 / sqrtPX96 + amount;
    if (sum >= TWO_POW_256) throw bare('L/√P + amount overflows uint256');
    // uint160 truncation in the contract is a no-op here: the result is ≤ √P.
    return divRoundingUp(numerator1, sum);
  }
  if (!(product < TWO_POW_256 && numerator1 > product)) throw bare('token0 output exceeds the liquidity available');
  const result = mulDivRoundingUp(numerator1, sqrtPX96, numerator1 - product);
  if (result >= TWO_POW_160) throw bare('next sqrt price does not fit in uint160');
  return result;
}

/**
 * The next sqrt price after adding (`add`) or removing `amount` of token1, rounded down:
 * √P' = √P ± Δy/L (`getNextSqrtPriceFromAmount1RoundingDown`).
 */
export function getNextSqrtPriceFromAmount1RoundingDown(
  sqrtPX96: bigint,
  liquidity: bigint,
  amount: bigint,
  add: boolean,
): bigint {
  if (add) {
    if (liquidity === 0n) throw bare('division by zero liquidity');
    // Both of the contract's forms equal floor(amount·2^96 / L); every overflow case ends in a bare revert.
    const result = sqrtPX96 + (amount << 96n) / liquidity;
    if (result >= TWO_POW_160) throw bare('next sqrt price does not fit in uint160');
    return result;
  }
  const quotient = divRoundingUp(amount << 96n, liquidity);
  if (!(sqrtPX96 > quotient)) throw bare('token1 output exceeds the price range');
  return sqrtPX96 - quotient;
}

/**
 * The sqrt price after swapping in `amountIn` (token0 when `zeroForOne`, else token1), rounded so the
 * target is never passed (`getNextSqrtPriceFromInput`). Reverts '' when sqrtPX96 or liquidity is 0.
 */
export function getNextSqrtPriceFromInput(
  sqrtPX96: bigint,
  liquidity: bigint,
  amountIn: bigint,
  zeroForOne: boolean,
): bigint {
  if (sqrtPX96 === 0n) throw bare('sqrtPX96 is 0');
  if (liquidity === 0n) throw bare('liquidity is 0');
  return zeroForOne
    ? getNextSqrtPriceFromAmount0RoundingUp(sqrtPX96, liquidity, amountIn, true)
    : getNextSqrtPriceFromAmount1RoundingDown(sqrtPX96, liquidity, amountIn, true);
}

/**
 * The sqrt price after swapping out `amountOut` (token1 when `zeroForOne`, else token0), rounded so the
 * target is passed (`getNextSqrtPriceFromOutput`). Reverts '' when sqrtPX96 or liquidity is 0.
 */
export function getNextSqrtPriceFromOutput(
  sqrtPX96: bigint,
  liquidity: bigint,
  amountOut: bigint,
  zeroForOne: boolean,
): bigint {
  if (sqrtPX96 === 0n) throw bare('sqrtPX96 is 0');
  if (liquidity === 0n) throw bare('liquidity is 0');
  return zeroForOne
    ? getNextSqrtPriceFromAmount1RoundingDown(sqrtPX96, liquidity, amountOut, false)
    : getNextSqrtPriceFromAmount0RoundingUp(sqrtPX96, liquidity, amountOut, false);
}

/**
 * token0 between two sqrt prices for liquidity L: L·2^96·(√Pb − √Pa)/√Pb/√Pa, rounded up or down
 * (`getAmount0Delta(uint160,uint160,uint128,bool)`). The prices may come in either order; reverts '' when
 * the lower one is 0.
 */
export function getAmount0Delta(sqrtRatioAX96: bigint, sqrtRatioBX96: bigint, liquidity: bigint, roundUp: boolean): bigint {
  let a = sqrtRatioAX96;
  let b = sqrtRatioBX96;
  if (a > b) {
    a = sqrtRatioBX96;
    b = sqrtRatioAX96;
  }
  if (a === 0n) throw bare('sqrtRatioAX96 is 0');
  // The contract computes ceil(ceil(N/b)/a) (or floor(floor(N/b)/a)) with N = (L << 96)·(b − a). For positive
  // integers nested ceilings (floors) of divisions equal one ceiling (floor) by the product a·b, so one big
  // division suffices. The contract's intermediate mulDiv cannot overflow (N/b < L·2^96 < 2^224), so no
  // revert is lost.
  const numerator = (liquidity << 96n) * (b - a);
  const denominator = a * b;
  const q = numerator / denominator;
  return roundUp && q * denominator !== numerator ? q + 1n : q;
}

const LOW_96_MASK = (1n << 96n) - 1n;

/**
 * token1 between two sqrt prices for liquidity L: L·(√Pb − √Pa)/2^96, rounded up or down
 * (`getAmount1Delta(uint160,uint160,uint128,bool)`). The prices may come in either order.
 * L·(√Pb − √Pa) < 2^288, so the contract's mulDiv by 2^96 never overflows; it is a shift here.
 */
export function getAmount1Delta(sqrtRatioAX96: bigint, sqrtRatioBX96: bigint, liquidity: bigint, roundUp: boolean): bigint {
  const product = liquidity * (sqrtRatioAX96 > sqrtRatioBX96 ? sqrtRatioAX96 - sqrtRatioBX96 : sqrtRatioBX96 - sqrtRatioAX96);
  const q = product >> 96n;
  return roundUp && (product & LOW_96_MASK) !== 0n ? q + 1n : q;
}

function toInt256(x: bigint): bigint {
  if (x >= TWO_POW_255) throw bare('amount does not fit in int256');
  return x;
}

/**
 * Signed token0 delta for a signed liquidity delta (int128): rounded up (owed to the pool) when adding
 * liquidity, rounded down and negated (owed to the owner) when removing (`getAmount0Delta(…, int128)`).
 */
export function getAmount0DeltaSigned(sqrtRatioAX96: bigint, sqrtRatioBX96: bigint, liquidity: bigint): bigint {
  return liquidity < 0n
    ? -toInt256(getAmount0Delta(sqrtRatioAX96, sqrtRatioBX96, -liquidity, false))
    : toInt256(getAmount0Delta(sqrtRatioAX96, sqrtRatioBX96, liquidity, true));
}

/** Signed token1 delta for a signed liquidity delta (`getAmount1Delta(…, int128)`), rounding as above. */
export function getAmount1DeltaSigned(sqrtRatioAX96: bigint, sqrtRatioBX96: bigint, liquidity: bigint): bigint {
  return liquidity < 0n
    ? -toInt256(getAmount1Delta(sqrtRatioAX96, sqrtRatioBX96, -liquidity, false))
    : toInt256(getAmount1Delta(sqrtRatioAX96, sqrtRatioBX96, liquidity, true));
}
