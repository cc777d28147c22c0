import { describe, expect, it } from 'vitest';
import { FEE_TIER_TICK_SPACING, tickSpacingOfFee } from './feeTiers.ts';

describe('fee tiers (UniswapV3Factory feeAmountTickSpacing)', () => {
  it('each tier has the factory\'s spacing', () => {
    expect([...FEE_TIER_TICK_SPACING]).toEqual([[100, 1], [500, 10], [3000, 60], [10000, 200]]);
    for (const [fee, spacing] of FEE_TIER_TICK_SPACING) expect(tickSpacingOfFee(fee)).toBe(spacing);
  });
  it('a fee that is not a tier takes the spacing of the smallest tier at or above it', () => {
    expect(tickSpacingOfFee(0)).toBe(1);
    expect(tickSpacingOfFee(101)).toBe(10);
    expect(tickSpacingOfFee(2500)).toBe(60);
    expect(tickSpacingOfFee(5000)).toBe(200);
    expect(tickSpacingOfFee(50000)).toBe(200);
  });
});
