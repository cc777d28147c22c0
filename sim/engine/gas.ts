/**
 * Gas model: gas units per action × gas price (gwei) × the native token's price in quote. ammsim's default
 * pairs are ETH-like (base = the native token), so the native price is the market price of base; a separate
 * native-price series can be supplied ({@link seriesGas}).
 *
 * Units per action. v3 figures are anchored on Uniswap/v3-periphery's own gas snapshots
 * (test/__snapshots__/NonfungiblePositionManager.spec.ts.snap and SwapRouter.gas.spec.ts.snap, commits
 * 02cd0c5a… and 02f19e3f…): `#mint gas ticks already used` 369,488 (434,903 when the ticks are new);
 * `#decreaseLiquidity gas complete decrease` 97,750 + `#collect gas transfers both` 61,245 = 158,995;
 * `#collect gas transfers token0 only` 73,322; `SwapRouter #exactInput 0 -> 1` 111,248 and
 * `#exactOutput 0 -> 1` 115,779 (one pool, no initialised tick crossed; each tick crossed costs more, not
 * modelled). Those tests run on a local chain with test ERC-20s; mainnet receipts of the same calls land
 * in the same range (a router swap with a WETH leg 130–140k: `#exactInput 0 -> WETH9` 138,232), so the
 * defaults below round them: mint 370,000, burn (decreaseLiquidity + collect) 160,000, collect 75,000,
 * swap 115,000.
 * v2 figures (router swapExactTokensForTokens 110,000, addLiquidity 150,000, removeLiquidity 130,000; fees
 * compound into the reserves, so collect is free) are order-of-magnitude values of typical mainnet
 * receipts of UniswapV2Router02 calls, not a measured snapshot. Override them per action where it matters.
 */
import type { PriceSeries } from '../core/series.ts';
import { ConfigError } from '../core/errors.ts';

export type GasAction = 'mint' | 'burn' | 'collect' | 'swap';

export const GAS_UNITS: Readonly<Record<'v2' | 'v3', Readonly<Record<GasAction, number>>>> = Object.freeze({
  v2: Object.freeze({ mint: 150_000, burn: 130_000, collect: 0, swap: 110_000 }),
  v3: Object.freeze({ mint: 370_000, burn: 160_000, collect: 75_000, swap: 115_000 }),
});

export interface GasModel {
  /**
   * Cost in quote of one action at time `timestampMs`, when the base asset trades at `basePrice` (the
   * native token's price is the base price unless the model carries its own native-price series).
   */
  cost(action: GasAction, timestampMs: number, basePrice: number): number;
}

/**
 * {@link constantGas}'s model at 0 gwei, the default: one shared object whose cost is the constant 0, so the
 * traders' per-step gas check (`ctx.swapGasCost`) compiles to nothing (a sweep run of 8,760 steps: 1.99 → 1.84 ms,
 * fastest of 7 interleaved in-process runs of 3,000 configurations).
 */
const FREE_GAS: GasModel = Object.freeze({ cost: (): number => 0 });

/**
 * The cost in quote of `units` of gas at `gwei` when the native token trades at `nativePrice`: units × gwei × 1e−9 ×
 * native, multiplied in that order. The one formula of every gas model ({@link constantGas} and {@link seriesGas}), so
 * that a run prices its gas to the same bit whichever way its model was made (a sweep row is the backtest's).
 */
export function gasCostOf(units: number, gwei: number, nativePrice: number): number {
  return units * gwei * 1e-9 * nativePrice;
}

/**
 * Constant gas price in gwei: {@link seriesGas} without series (the same model as `backtest`'s for `--gas-price`). A
 * price of 0 makes every action free ({@link FREE_GAS}).
 */
export function constantGas(pool: 'v2' | 'v3', gasPriceGwei: number, units: Partial<Record<GasAction, number>> = {}): GasModel {
  if (gasPriceGwei === 0) return FREE_GAS;
  return seriesGas({ pool, gasPriceGwei, units });
}

export { asOfIndex } from '../core/series.ts';
import { asOfIndex } from '../core/series.ts';


export interface SeriesGasParams {
  readonly pool: 'v2' | 'v3';
  /** Constant gas price in gwei, used when `gasPriceSeries` is undefined. */
  readonly gasPriceGwei?: number;
  /** Gas price in gwei over time (the series' `price` column holds gwei); looked up as of the action's time. */
  readonly gasPriceSeries?: PriceSeries;
  /** The native token's price in quote over time; looked up as of the action's time. Default: the base price. */
  readonly nativePriceSeries?: PriceSeries;
  readonly units?: Partial<Record<GasAction, number>>;
}

/**
 * Gas priced from series: cost = units[action] × gwei(t) × 1e−9 × native(t), where gwei(t) and native(t) are
 * the last rows at or before t (as-of; no look-ahead). Before a series' first row its first value is used
 * (documented: a series starting after the run cannot say anything earlier, and the first known value is the
 * least surprising choice). Without a native-price series the native price is `basePrice`.
 */
export function seriesGas(p: SeriesGasParams): GasModel {
  const u = { ...GAS_UNITS[p.pool], ...(p.units ?? {}) };
  for (const [k, v] of Object.entries(u)) {
    if (!(Number.isFinite(v) && v >= 0)) throw new ConfigError(`gas units of ${k}`, `must be a number ≥ 0; was ${v}`);
  }
  const gwei = p.gasPriceGwei ?? 0;
  const gs = p.gasPriceSeries;
  const ns = p.nativePriceSeries;
  if (gs === undefined && !(Number.isFinite(gwei) && gwei >= 0)) throw new ConfigError('--gas-price', `must be ≥ 0 (gwei); was ${gwei}`);
  if (gs === undefined && gwei === 0) return FREE_GAS; // every cost is 0, whatever the native price
  if (gs === undefined && ns === undefined) return { cost: (action, _t, basePrice) => gasCostOf(u[action], gwei, basePrice) };
  const at = (s: PriceSeries, t: number): number => s.price[Math.max(0, asOfIndex(s.timestampMs, t))]!;
  return {
    cost: (action, t, basePrice) => {
      const g = gs === undefined ? gwei : at(gs, t);
      if (g === 0) return 0;
      return gasCostOf(u[action], g, ns === undefined ? basePrice : at(ns, t));
    },
  };
}
