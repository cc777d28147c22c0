/**
 * Exact Uniswap v2 constant-product maths, mirroring `UniswapV2Library` (v2-periphery) and the helpers of
 * `UniswapV2Pair` (v2-core `libraries/Math.sol`, `SafeMath.sol`). Pure bigint functions: no state, no I/O.
 *
 * The LP fee is a parameter in pips (parts per million, as in v3: 3000 = 0.30 %). The contract hard-codes
 * 997/1000; internally the fee fraction feePips/1e6 is reduced to lowest terms (3000 → 3/1000), so with
 * feePips = 3000 every intermediate product is the contract's own, including where SafeMath would overflow.
 * (Any common scale would give the same quotient: floor(a·s / (b·s)) = floor(a / b).)
 *
 * Reverts are thrown as PoolError with the contract's reason string. Hot loops may pass a precomputed
 * {@link V2FeeFraction} instead of the pips number.
 */
import { InvariantError, PoolError } from '../../core/errors.ts';

/** 2^112 − 1: the largest reserve a pair can hold (`uint112`); above it `_update` reverts `UniswapV2: OVERFLOW`. */
export const MAX_UINT112 = (1n << 112n) - 1n;
/** 2^256 − 1: the EVM word; a SafeMath product above it reverts `ds-math-mul-overflow`. */
export const MAX_UINT256 = (1n << 256n) - 1n;
/** LP tokens locked forever (minted to address(0)) on a pair's first mint. */
export const MINIMUM_LIQUIDITY = 1000n;
/** The pips denominator: a fee of `feePips` is the fraction feePips / 1_000_000. */
export const PIPS_DENOMINATOR = 1_000_000;

/** SafeMath `mul`: reverts `ds-math-mul-overflow` when the product does not fit in 256 bits. */
export function safeMul(x: bigint, y: bigint): bigint {
  const z = x * y;
  if (z > MAX_UINT256) throw new PoolError('ds-math-mul-overflow');
  return z;
}

/** SafeMath `add`: reverts `ds-math-add-overflow` above 2^256 − 1. */
export function safeAdd(x: bigint, y: bigint): bigint {
  const z = x + y;
  if (z > MAX_UINT256) throw new PoolError('ds-math-add-overflow');
  return z;
}

/** SafeMath `sub`: reverts `ds-math-sub-underflow` when y > x. */
export function safeSub(x: bigint, y: bigint): bigint {
  if (y > x) throw new PoolError('ds-math-sub-underflow');
  return x - y;
}

/**
 * The fee as a reduced fraction: `feeNumerator / feeDenominator` = feePips / 1e6, and
 * `gammaNumerator = feeDenominator − feeNumerator` (the part of the input that counts, 997 for 3000 pips).
 */
export interface V2FeeFraction {
  readonly feePips: number;
  readonly feeNumerator: bigint;
  readonly gammaNumerator: bigint;
  readonly feeDenominator: bigint;
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/**
 * Validates `feePips` (an integer in [0, 1e6)) and reduces feePips / 1e6 to lowest terms.
 * feePips = 3000 gives 3/1000, the contract's constants (997 = 1000 − 3).
 */
export function v2FeeFraction(feePips: number): V2FeeFraction {
  if (!Number.isInteger(feePips) || feePips < 0 || feePips >= PIPS_DENOMINATOR) {
    throw new InvariantError(`v2 feePips must be an integer in [0, 1000000); was ${feePips}`);
  }
  const g = gcd(feePips, PIPS_DENOMINATOR);
  const num = feePips / g;
  const den = PIPS_DENOMINATOR / g;
  return { feePips, feeNumerator: BigInt(num), gammaNumerator: BigInt(den - num), feeDenominator: BigInt(den) };
}

/**
 * Largest output for an exact input, rounded down (`UniswapV2Library.getAmountOut`):
 *   out = ⌊ amountIn·γ·reserveOut / (reserveIn·D + amountIn·γ) ⌋, with γ/D = 1 − feePips/1e6 (997/1000).
 * Reverts `UniswapV2Library: INSUFFICIENT_INPUT_AMOUNT` for a zero input and
 * `UniswapV2Library: INSUFFICIENT_LIQUIDITY` for an empty reserve.
 */
export function getAmountOut(amountIn: bigint, reserveIn: bigint, reserveOut: bigint, feePips: number | V2FeeFraction = 3000): bigint {
  if (amountIn <= 0n) throw new PoolError('UniswapV2Library: INSUFFICIENT_INPUT_AMOUNT');
  if (reserveIn <= 0n || reserveOut <= 0n) throw new PoolError('UniswapV2Library: INSUFFICIENT_LIQUIDITY');
  const f = typeof feePips === 'number' ? v2FeeFraction(feePips) : feePips;
  const amountInWithFee = safeMul(amountIn, f.gammaNumerator);
  const numerator = safeMul(amountInWithFee, reserveOut);
  const denominator = safeAdd(safeMul(reserveIn, f.feeDenominator), amountInWithFee);
  return numerator / denominator;
}

/**
 * Smallest input for an exact output (`UniswapV2Library.getAmountIn`), the library's round-up:
 *   in = ⌊ reserveIn·amountOut·D / ((reserveOut − amountOut)·γ) ⌋ + 1.
 * (It adds 1 even when the division is exact, as the contract does.) Reverts
 * `UniswapV2Library: INSUFFICIENT_OUTPUT_AMOUNT` for a zero output, `UniswapV2Library: INSUFFICIENT_LIQUIDITY`
 * for an empty reserve, `ds-math-sub-underflow` when amountOut > reserveOut, and with an empty reason (the
 * compiler's division-by-zero) when amountOut = reserveOut.
 */
export function getAmountIn(amountOut: bigint, reserveIn: bigint, reserveOut: bigint, feePips: number | V2FeeFraction = 3000): bigint {
  if (amountOut <= 0n) throw new PoolError('UniswapV2Library: INSUFFICIENT_OUTPUT_AMOUNT');
  if (reserveIn <= 0n || reserveOut <= 0n) throw new PoolError('UniswapV2Library: INSUFFICIENT_LIQUIDITY');
  const f = typeof feePips === 'number' ? v2FeeFraction(feePips) : feePips;
  const numerator = safeMul(safeMul(reserveIn, amountOut), f.feeDenominator);
  const denominator = safeMul(safeSub(reserveOut, amountOut), f.gammaNumerator);
  if (denominator === 0n) throw new PoolError('', 'reverted: division by zero (amountOut equals reserveOut, or a 100 % fee)');
  return safeAdd(numerator / denominator, 1n);
}

/**
 * The equivalent amount of the other asset at the reserves' ratio, rounded down, no fee
 * (`UniswapV2Library.quote`): amountB = ⌊ amountA·reserveB / reserveA ⌋.
 * Reverts `UniswapV2Library: INSUFFICIENT_AMOUNT` / `UniswapV2Library: INSUFFICIENT_LIQUIDITY`.
 */
export function quote(amountA: bigint, reserveA: bigint, reserveB: bigint): bigint {
  if (amountA <= 0n) throw new PoolError('UniswapV2Library: INSUFFICIENT_AMOUNT');
  if (reserveA <= 0n || reserveB <= 0n) throw new PoolError('UniswapV2Library: INSUFFICIENT_LIQUIDITY');
  return safeMul(amountA, reserveB) / reserveA;
}

/**
 * ⌊√y⌋ for 0 ≤ y, the value v2-core `Math.sqrt` (Babylonian method from y/2 + 1) returns: that loop
 * decreases monotonically to the integer square root. We start Newton's iteration from a float estimate
 * rounded up instead of y/2 + 1, which reaches the same fixed point in a few steps rather than ~log2(y);
 * the test compares it with a literal transcription of the contract loop.
 */
export function sqrt(y: bigint): bigint {
  if (y < 0n) throw new InvariantError(`sqrt of a negative number: ${y}`);
  if (y < 4n) return y === 0n ? 0n : 1n;
  // An initial guess ≥ ⌊√y⌋: the float root plus a safety margin, so the descent below is monotone.
  let z: bigint;
  if (y <= BigInt(Number.MAX_SAFE_INTEGER)) {
    z = BigInt(Math.ceil(Math.sqrt(Number(y)))) + 1n;
  } else {
    const bits = y.toString(2).length;
    z = 1n << BigInt((bits + 1) >> 1); // 2^⌈bits/2⌉ > √y
    const approx = Math.sqrt(Number(y));
    if (Number.isFinite(approx)) {
      const guess = BigInt(Math.ceil(approx * (1 + 1e-12))) + 1n;
      if (guess * guess > y && guess < z) z = guess;
    }
  }
  let x = (y / z + z) >> 1n;
  while (x < z) {
    z = x;
    x = (y / x + x) >> 1n;
  }
  return z;
}

/** `Math.min` of v2-core. */
export function min(x: bigint, y: bigint): bigint {
  return x < y ? x : y;
}
