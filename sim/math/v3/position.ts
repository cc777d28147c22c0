import { PoolError } from '../../core/errors.ts';
import { MAX_UINT128, MAX_UINT256 } from './fixedPoint.ts';
import { addDelta } from './liquidityMath.ts';

/**
 * A liquidity position's bookkeeping, mirroring v3-core `Position.sol`.
 */
export interface PositionInfo {
  /** The position's liquidity (uint128). */
  liquidity: bigint;
  /** Fee growth inside the range as of the last update (Q128.128). */
  feeGrowthInside0LastX128: bigint;
  feeGrowthInside1LastX128: bigint;
  /** Tokens owed to the owner (uint128; they wrap on overflow exactly as in the contract). */
  tokensOwed0: bigint;
  tokensOwed1: bigint;
}

const Q128_SHIFT = 128n;

/**
 * The fees `liquidity` earned while the fee growth inside its range went from `feeGrowthInsideLastX128` to
 * `feeGrowthInsideX128` (one token), as `Position.update` credits them:
 * `uint128(FullMath.mulDiv(feeGrowthInside − last, liquidity, FixedPoint128.Q128))`, the difference taken mod 2^256
 * (fee growth wraps), rounded down, truncated to uint128.
 */
export function feesOwed(feeGrowthInsideX128: bigint, feeGrowthInsideLastX128: bigint, liquidity: bigint): bigint {
  // mulDiv(x, liquidity, 2^128) with x < 2^256 and liquidity < 2^128 never overflows: a plain shift.
  return ((((feeGrowthInsideX128 - feeGrowthInsideLastX128) & MAX_UINT256) * liquidity) >> Q128_SHIFT) & MAX_UINT128;
}

/**
 * {@link feesOwed} in floats (the float pool's units: fee growth per unit of liquidity, liquidity and fees in human
 * units): liquidity · (inside − last), unrounded. Can be an ulp below 0 when the growth did not move but was
 * recomputed from other terms; callers that credit fees drop a negative result.
 */
export function feesOwedFloat(feeGrowthInside: number, feeGrowthInsideLast: number, liquidity: number): number {
  return liquidity * (feeGrowthInside - feeGrowthInsideLast);
}

/**
 * Credits fees earned since the last update and applies a liquidity change (`Position.update`), without
 * mutating `position`: returns the new info. Fees owed = (feeGrowthInside − last, mod 2^256) · liquidity
 * / 2^128, rounded down, truncated to uint128, added to tokensOwed mod 2^128 — all as the contract does.
 * Reverts 'NP' for a poke (delta 0) of a position with no liquidity, 'LS'/'LA' when the liquidity would
 * leave uint128.
 */
export function update(
  position: PositionInfo | undefined,
  liquidityDelta: bigint,
  feeGrowthInside0X128: bigint,
  feeGrowthInside1X128: bigint,
): PositionInfo {
  const liquidity = position?.liquidity ?? 0n;
  let liquidityNext: bigint;
  if (liquidityDelta === 0n) {
    if (liquidity === 0n) throw new PoolError('NP', 'reverted: NP (cannot poke a position with no liquidity)');
    liquidityNext = liquidity;
  } else {
    liquidityNext = addDelta(liquidity, liquidityDelta);
  }
  const owed0 = feesOwed(feeGrowthInside0X128, position?.feeGrowthInside0LastX128 ?? 0n, liquidity);
  const owed1 = feesOwed(feeGrowthInside1X128, position?.feeGrowthInside1LastX128 ?? 0n, liquidity);
  return {
    liquidity: liquidityNext,
    feeGrowthInside0LastX128: feeGrowthInside0X128,
    feeGrowthInside1LastX128: feeGrowthInside1X128,
    tokensOwed0: ((position?.tokensOwed0 ?? 0n) + owed0) & MAX_UINT128,
    tokensOwed1: ((position?.tokensOwed1 ?? 0n) + owed1) & MAX_UINT128,
  };
}
