/**
 * UniswapV3Factory's fee tiers and their tick spacings (`feeAmountTickSpacing`): 500 → 10, 3000 → 60, 10000 → 200
 * set in the constructor, 100 → 1 enabled by governance (`enableFeeAmount(100, 1)`, 2021-11). Fees in hundredths of
 * a bip (pips): 3000 = 0.30 %.
 */
export const FEE_TIER_TICK_SPACING: ReadonlyMap<number, number> = new Map([
  [100, 1],
  [500, 10],
  [3000, 60],
  [10000, 200],
]);

/**
 * The tick spacing of fee `pips`: the tier's own, or for a fee that is not a tier the spacing of the smallest tier
 * whose fee is ≥ it (above 10000: 200). A pool may use another spacing (`--tick-spacing`).
 */
export function tickSpacingOfFee(pips: number): number {
  for (const [fee, spacing] of FEE_TIER_TICK_SPACING) if (pips <= fee) return spacing;
  return 200;
}
