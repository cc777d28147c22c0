import { MAX_TICK, MIN_TICK } from './tickMath.ts';

/**
 * The lowest and highest ticks on `tickSpacing` (a full-range position's ticks): MIN_TICK rounded up and MAX_TICK
 * rounded down to a multiple of the spacing — the same pair `Tick.tickSpacingToMaxLiquidityPerTick` counts between
 * (Solidity's division truncates toward zero). `+ 0` turns a −0 into 0.
 */
export function usableTicks(tickSpacing: number): { minTick: number; maxTick: number } {
  return { minTick: Math.ceil(MIN_TICK / tickSpacing) * tickSpacing + 0, maxTick: Math.floor(MAX_TICK / tickSpacing) * tickSpacing + 0 };
}
