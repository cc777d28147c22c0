import { ConfigError, PoolError } from '../../core/errors.ts';
import { MAX_UINT128, MAX_UINT160, MAX_UINT256 } from './fixedPoint.ts';
import { mulDiv } from './fullMath.ts';

/**
 * v3-staker `RewardMath.computeRewardAmount` (UniswapV3Staker 1.0.2), bit for bit:
 *
 * - `secondsInsideX128 = (splNow − splInitial) · liquidity`, in uint160: the difference and the product
 *   both wrap mod 2^160 (Solidity 0.7.6, no checked arithmetic);
 * - `totalSecondsUnclaimedX128 = ((max(endTime, now) − startTime) << 128) − totalSecondsClaimedX128`, in
 *   uint256 (wraps mod 2^256);
 * - `reward = FullMath.mulDiv(totalRewardUnclaimed, secondsInsideX128, totalSecondsUnclaimedX128)`: floor,
 *   512-bit intermediate; a zero denominator or a quotient ≥ 2^256 reverts (bare, reason '').
 *
 * `currentTime < startTime` is the library's `assert`: it reverts with no reason (an `invalid opcode`),
 * also reported as reason ''.
 */
export interface RewardAmountInput {
  /** The incentive's `totalRewardUnclaimed` (uint256). */
  readonly totalRewardUnclaimed: bigint;
  /** The incentive's `totalSecondsClaimedX128` (uint160). */
  readonly totalSecondsClaimedX128: bigint;
  /** Incentive start and end, unix seconds (uint256). */
  readonly startTime: bigint;
  readonly endTime: bigint;
  /** The stake's liquidity (uint128). */
  readonly liquidity: bigint;
  /** `secondsPerLiquidityInsideX128` of the range when staked, and now (uint160 each). */
  readonly secondsPerLiquidityInsideInitialX128: bigint;
  readonly secondsPerLiquidityInsideX128: bigint;
  /** `block.timestamp` (uint256). */
  readonly currentTime: bigint;
}

export interface RewardAmount {
  /** Reward owed for the stake (uint256). */
  readonly reward: bigint;
  /** Liquidity-seconds inside the range while staked, Q128 (uint160). */
  readonly secondsInsideX128: bigint;
}

function checkUint(name: string, v: bigint, max: bigint, bits: number): void {
  if (typeof v !== 'bigint' || v < 0n || v > max) {
    throw new ConfigError(name, `must be a uint${bits} bigint in [0, ${max}]; was ${String(v)}`);
  }
}

/** `RewardMath.computeRewardAmount`: see the module comment for the exact arithmetic and reverts. */
export function computeRewardAmount(input: RewardAmountInput): RewardAmount {
  const {
    totalRewardUnclaimed,
    totalSecondsClaimedX128,
    startTime,
    endTime,
    liquidity,
    secondsPerLiquidityInsideInitialX128,
    secondsPerLiquidityInsideX128,
    currentTime,
  } = input;
  checkUint('totalRewardUnclaimed', totalRewardUnclaimed, MAX_UINT256, 256);
  checkUint('totalSecondsClaimedX128', totalSecondsClaimedX128, MAX_UINT160, 160);
  checkUint('startTime', startTime, MAX_UINT256, 256);
  checkUint('endTime', endTime, MAX_UINT256, 256);
  checkUint('liquidity', liquidity, MAX_UINT128, 128);
  checkUint('secondsPerLiquidityInsideInitialX128', secondsPerLiquidityInsideInitialX128, MAX_UINT160, 160);
  checkUint('secondsPerLiquidityInsideX128', secondsPerLiquidityInsideX128, MAX_UINT160, 160);
  checkUint('currentTime', currentTime, MAX_UINT256, 256);
  if (currentTime < startTime) {
    throw new PoolError('', `RewardMath: assert(currentTime >= startTime) failed (${currentTime} < ${startTime})`);
  }
  const secondsInsideX128 =
    (((secondsPerLiquidityInsideX128 - secondsPerLiquidityInsideInitialX128) & MAX_UINT160) * liquidity) & MAX_UINT160;
  const latest = endTime > currentTime ? endTime : currentTime;
  const totalSecondsUnclaimedX128 = ((((latest - startTime) << 128n) & MAX_UINT256) - totalSecondsClaimedX128) & MAX_UINT256;
  const reward = mulDiv(totalRewardUnclaimed, secondsInsideX128, totalSecondsUnclaimedX128);
  return { reward, secondsInsideX128 };
}
