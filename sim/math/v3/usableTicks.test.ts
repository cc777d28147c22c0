import { describe, expect, it } from 'vitest';
import { usableTicks } from './usableTicks.ts';

// Reference: v3-core Tick.tickSpacingToMaxLiquidityPerTick, minTick = (MIN_TICK / spacing) * spacing with Solidity's
// truncating division (MIN_TICK = −887272, MAX_TICK = 887272), by hand for the fee tiers' spacings.
describe('usableTicks', () => {
  it('behavior: the full-range ticks of the tier spacings (1, 10, 60, 200) and of an odd spacing', () => {
    expect(usableTicks(1)).toEqual({ minTick: -887272, maxTick: 887272 });
    expect(usableTicks(10)).toEqual({ minTick: -887270, maxTick: 887270 });
    expect(usableTicks(60)).toEqual({ minTick: -887220, maxTick: 887220 });
    expect(usableTicks(200)).toEqual({ minTick: -887200, maxTick: 887200 });
    expect(usableTicks(7)).toEqual({ minTick: -887271, maxTick: 887271 });
  });
});
