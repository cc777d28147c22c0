/**
 * Gas model: gas units per action × gas price (gwei) × the native token's price in quote. ammsim's default
 * pairs are ETH-like (base = the native token), so the native price is the market price of base; a separate
 * native-price series can be supplied by library users.
 *
 * Units (typical mainnet receipts; they vary with storage warmth and routing):
 * - v2 swap 110,000 (router swapExactTokensForTokens), add liquidity 150,000, remove 130,000;
 * - v3 swap 130,000 (+ ~20,000 per initialised tick crossed, not modelled), mint through the position
 *   manager 350,000, decrease liquidity + collect 200,000, collect alone 120,000.
 * Sources: Uniswap docs "Gas costs" discussions and Etherscan receipts of router/NPM calls; treat them as
 * order-of-magnitude defaults, overridable per action.
 */
export type GasAction = 'mint' | 'burn' | 'collect' | 'swap';

export const GAS_UNITS: Readonly<Record<'v2' | 'v3', Readonly<Record<GasAction, number>>>> = Object.freeze({
  v2: Object.freeze({ mint: 150_000, burn: 130_000, collect: 0, swap: 110_000 }),
  v3: Object.freeze({ mint: 350_000, burn: 200_000, collect: 120_000, swap: 130_000 }),
});

export interface GasModel {
  /**
   * Cost in quote of one action at time `timestampMs`, when the base asset trades at `basePrice` (the
   * native token's price is the base price unless the model carries its own native-price series).
   */
  cost(action: GasAction, timestampMs: number, basePrice: number): number;
}

/** Constant gas price in gwei. A price of 0 makes every action free. */
export function constantGas(pool: 'v2' | 'v3', gasPriceGwei: number, units: Partial<Record<GasAction, number>> = {}): GasModel {
  const u = { ...GAS_UNITS[pool], ...units };
  const perUnitNative = gasPriceGwei * 1e-9;
  return { cost: (action, _t, basePrice) => u[action] * perUnitNative * basePrice };
}
