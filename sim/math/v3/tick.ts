import { PoolError } from '../../core/errors.ts';
import { addDelta } from './liquidityMath.ts';
import { usableTicks } from './usableTicks.ts';

// Defined here rather than imported: a module-local constant is read directly on the hot path, where an
// import compiled to CommonJS (tsx, vitest) is read through a getter on every use.
const MAX_INT128 = (1n << 127n) - 1n;
const MIN_INT128 = -(1n << 127n);
const MAX_UINT128 = (1n << 128n) - 1n;
const MAX_UINT160 = (1n << 160n) - 1n;
const MAX_UINT256 = (1n << 256n) - 1n;

/**
 * Per-tick bookkeeping, mirroring v3-core `Tick.sol`, the oracle's outside accumulators included
 * (tickCumulativeOutside, secondsPerLiquidityOutsideX128, secondsOutside: read by
 * `snapshotCumulativesInside`, never by amounts, prices or fees). Like the fee growth outside, they only
 * have relative meaning: their value depends on when the tick was initialised.
 */
export interface TickInfo {
  /** Total liquidity referencing this tick (uint128); 0 means the tick is not initialised. */
  liquidityGross: bigint;
  /** Liquidity added when the price crosses this tick left to right, removed right to left (int128). */
  liquidityNet: bigint;
  /** Fee growth per unit of liquidity on the other side of this tick from the current tick (Q128.128, wraps). */
  feeGrowthOutside0X128: bigint;
  feeGrowthOutside1X128: bigint;
  /** int56: the tick cumulative on the other side of this tick (wraps). */
  tickCumulativeOutside: bigint;
  /** uint160: seconds per liquidity (Q128) on the other side of this tick (wraps). */
  secondsPerLiquidityOutsideX128: bigint;
  /** uint32: seconds spent on the other side of this tick (wraps). */
  secondsOutside: number;
  /** True while liquidityGross > 0 (kept as the contract keeps it). */
  initialized: boolean;
}

/** Fee growth inside a range, token0 and token1 (Q128.128, mod 2^256). */
export interface FeeGrowthInside {
  feeGrowthInside0X128: bigint;
  feeGrowthInside1X128: bigint;
}

/**
 * The most liquidity any one tick may reference for a tick spacing (`Tick.tickSpacingToMaxLiquidityPerTick`):
 * (2^128 − 1) / (number of usable ticks), so that total liquidity can never overflow uint128.
 */
export function tickSpacingToMaxLiquidityPerTick(tickSpacing: number): bigint {
  const { minTick, maxTick } = usableTicks(tickSpacing);
  const numTicks = (maxTick - minTick) / tickSpacing + 1;
  return MAX_UINT128 / BigInt(numTicks);
}

/**
 * Fee growth inside [tickLower, tickUpper) given the current tick (`Tick.getFeeGrowthInside`):
 * global − below − above, all mod 2^256 (the contract relies on the wrap-around). `lower`/`upper` may be
 * undefined for a tick never initialised (all zero). Writes into `out`.
 */
export function getFeeGrowthInside(
  lower: TickInfo | undefined,
  upper: TickInfo | undefined,
  tickLower: number,
  tickUpper: number,
  tickCurrent: number,
  feeGrowthGlobal0X128: bigint,
  feeGrowthGlobal1X128: bigint,
  out: FeeGrowthInside = { feeGrowthInside0X128: 0n, feeGrowthInside1X128: 0n },
): FeeGrowthInside {
  const lo0 = lower?.feeGrowthOutside0X128 ?? 0n;
  const lo1 = lower?.feeGrowthOutside1X128 ?? 0n;
  const up0 = upper?.feeGrowthOutside0X128 ?? 0n;
  const up1 = upper?.feeGrowthOutside1X128 ?? 0n;
  let below0: bigint;
  let below1: bigint;
  if (tickCurrent >= tickLower) {
    below0 = lo0;
    below1 = lo1;
  } else {
    below0 = feeGrowthGlobal0X128 - lo0;
    below1 = feeGrowthGlobal1X128 - lo1;
  }
  let above0: bigint;
  let above1: bigint;
  if (tickCurrent < tickUpper) {
    above0 = up0;
    above1 = up1;
  } else {
    above0 = feeGrowthGlobal0X128 - up0;
    above1 = feeGrowthGlobal1X128 - up1;
  }
  out.feeGrowthInside0X128 = (feeGrowthGlobal0X128 - below0 - above0) & MAX_UINT256;
  out.feeGrowthInside1X128 = (feeGrowthGlobal1X128 - below1 - above1) & MAX_UINT256;
  return out;
}

/** What {@link update} produces: the tick's new info (a fresh object) and whether it flipped. */
export interface TickUpdateResult {
  info: TickInfo;
  /** True when the tick went from uninitialised to initialised or back (the bitmap bit must flip). */
  flipped: boolean;
}

/**
 * Applies a liquidity change at one tick of a position (`Tick.update`), without mutating `info`: returns
 * the new info for the caller to store once every other check of the operation has passed (so a revert
 * leaves the pool unchanged). Reverts 'LS'/'LA' (gross liquidity under/overflow), 'LO' (gross liquidity
 * above `maxLiquidity`) and '' (liquidityNet leaves int128).
 * A newly initialised tick at or below the current tick starts with its outside values = the globals
 * (by convention all growth so far happened below it): fee growth, and the oracle's
 * `secondsPerLiquidityCumulativeX128`, `tickCumulative` and `time` (the contract's order puts those three
 * before `upper`; here they come last and default to 0 for callers that do not track time).
 */
export function update(
  info: TickInfo | undefined,
  tick: number,
  tickCurrent: number,
  liquidityDelta: bigint,
  feeGrowthGlobal0X128: bigint,
  feeGrowthGlobal1X128: bigint,
  upper: boolean,
  maxLiquidity: bigint,
  secondsPerLiquidityCumulativeX128 = 0n,
  tickCumulative = 0n,
  time = 0,
): TickUpdateResult {
  const liquidityGrossBefore = info?.liquidityGross ?? 0n;
  const liquidityGrossAfter = addDelta(liquidityGrossBefore, liquidityDelta);
  if (liquidityGrossAfter > maxLiquidity) {
    throw new PoolError('LO', `reverted: LO (liquidity at tick ${tick} would be ${liquidityGrossAfter}; the maximum is ${maxLiquidity})`);
  }
  const flipped = (liquidityGrossAfter === 0n) !== (liquidityGrossBefore === 0n);
  const liquidityNet = (info?.liquidityNet ?? 0n) + (upper ? -liquidityDelta : liquidityDelta);
  if (liquidityNet > MAX_INT128 || liquidityNet < MIN_INT128) {
    throw new PoolError('', `reverted (bare require): liquidityNet at tick ${tick} leaves int128`);
  }
  let feeGrowthOutside0X128 = info?.feeGrowthOutside0X128 ?? 0n;
  let feeGrowthOutside1X128 = info?.feeGrowthOutside1X128 ?? 0n;
  let tickCumulativeOutside = info?.tickCumulativeOutside ?? 0n;
  let secondsPerLiquidityOutsideX128 = info?.secondsPerLiquidityOutsideX128 ?? 0n;
  let secondsOutside = info?.secondsOutside ?? 0;
  let initialized = info?.initialized ?? false;
  if (liquidityGrossBefore === 0n) {
    if (tick <= tickCurrent) {
      feeGrowthOutside0X128 = feeGrowthGlobal0X128;
      feeGrowthOutside1X128 = feeGrowthGlobal1X128;
      secondsPerLiquidityOutsideX128 = secondsPerLiquidityCumulativeX128;
      tickCumulativeOutside = tickCumulative;
      secondsOutside = time;
    }
    initialized = true;
  }
  return {
    info: {
      liquidityGross: liquidityGrossAfter,
      liquidityNet,
      feeGrowthOutside0X128,
      feeGrowthOutside1X128,
      tickCumulativeOutside,
      secondsPerLiquidityOutsideX128,
      secondsOutside,
      initialized,
    },
    flipped,
  };
}

/**
 * Crosses a tick during a swap (`Tick.cross`): flips its outside values to the other side
 * (global − outside, in each value's width: fee growth mod 2^256, seconds per liquidity mod 2^160, tick
 * cumulative as int56, seconds mod 2^32) and returns its liquidityNet. Mutates `info`. Crossing twice with
 * the same globals restores the original values. Without the oracle globals (`secondsPerLiquidityCumulativeX128`
 * undefined) only the fee growth flips, for callers that do not track time.
 */
export function cross(
  info: TickInfo,
  feeGrowthGlobal0X128: bigint,
  feeGrowthGlobal1X128: bigint,
  secondsPerLiquidityCumulativeX128?: bigint,
  tickCumulative = 0n,
  time = 0,
): bigint {
  info.feeGrowthOutside0X128 = (feeGrowthGlobal0X128 - info.feeGrowthOutside0X128) & MAX_UINT256;
  info.feeGrowthOutside1X128 = (feeGrowthGlobal1X128 - info.feeGrowthOutside1X128) & MAX_UINT256;
  if (secondsPerLiquidityCumulativeX128 !== undefined) {
    info.secondsPerLiquidityOutsideX128 = (secondsPerLiquidityCumulativeX128 - info.secondsPerLiquidityOutsideX128) & MAX_UINT160;
    info.tickCumulativeOutside = BigInt.asIntN(56, tickCumulative - info.tickCumulativeOutside);
    info.secondsOutside = (time - info.secondsOutside) >>> 0;
  }
  return info.liquidityNet;
}
