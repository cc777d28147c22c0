/**
 * Fee model `volume`: the fees an LP position would have earned from the pool's OBSERVED volume, bar by bar:
 *
 *   fees_i (token k) = inAmount_k,i × fee × L_lp / (L_i + L_lp) × inRange_i
 *
 * where inAmount_k,i is the input-side volume of token k in bar i (raw units; the amount paid into the pool,
 * fee included, which is what the contract charges the fee on), L_i the pool's in-range liquidity in the bar
 * (`currentLiquidity`), and inRange_i the share of the bar's tick interval [lowestTick, highestTick] inside
 * the position's [tickLower, tickUpper) (1 or 0 when the bar has one tick). Fees are valued at the bar's
 * price. This is the standard "share of volume" estimate (demeter's minute-bar backtests work this way); it
 * cannot see where in the bar the trades happened, nor JIT liquidity that came and went inside the bar.
 *
 * Needs a demeter-style minute series (data/loaders/realFormats.ts `loadUniswapMinute`): extra columns
 * `inAmount0`, `inAmount1`, `currentLiquidity`, and `lowestTick`/`highestTick` (or `closeTick`).
 */
import type { PriceSeries } from '../../sim/core/series.ts';
import { ConfigError } from '../../sim/core/errors.ts';
import { realPosition, USDC_WETH_TOKENS, type PoolTokens, type RealPosition } from './position.ts';
import type { ExternalFees } from '../../sim/engine/externalFees.ts';
import { pow10 } from '../../sim/core/pow.ts';

export interface FeeModelResult {
  readonly model: 'arbitrage' | 'volume' | 'replay';
  /** Fees valued in quote at the price when earned. */
  readonly feesEarned: number;
  /** Fees in raw token units (token0, token1); null when the model does not track them per token. */
  readonly fees0Raw: number | null;
  readonly fees1Raw: number | null;
  /** Steps (bars or swaps) the model saw, and those with the position in range. */
  readonly steps: number;
  readonly stepsInRange: number;
}

export const VOLUME_COLUMNS = ['inAmount0', 'inAmount1', 'currentLiquidity'] as const;

/** The columns the volume model reads (ConfigError naming what is missing). */
function volumeColumns(series: PriceSeries): { in0: Float64Array; in1: Float64Array; liq: Float64Array; lo: Float64Array; hi: Float64Array } {
  const col = (name: string): Float64Array | undefined => series.extra.get(name);
  const missing = VOLUME_COLUMNS.filter((c) => col(c) === undefined);
  if (missing.length > 0) {
    throw new ConfigError('--fee-model', `volume needs a series with the pool's volume and liquidity (${VOLUME_COLUMNS.join(', ')}, e.g. a Uniswap minute file); missing ${missing.join(', ')}`);
  }
  const in0 = col('inAmount0')!;
  const in1 = col('inAmount1')!;
  const liq = col('currentLiquidity')!;
  const lo = col('lowestTick') ?? col('closeTick') ?? col('tick');
  const hi = col('highestTick') ?? col('closeTick') ?? col('tick');
  if (lo === undefined || hi === undefined) throw new ConfigError('--fee-model', 'volume needs the bar ticks (lowestTick/highestTick or closeTick)');
  return { in0, in1, liq, lo, hi };
}

/**
 * inRange_i of the module comment: the share of a bar's tick interval [a, b] inside [tickLower, tickUpper)
 * (1 or 0 when the bar has one tick).
 */
function barShareInRange(a: number, b: number, tickLower: number, tickUpper: number): number {
  if (a === b) return tickLower <= a && a < tickUpper ? 1 : 0;
  return Math.max(0, Math.min(b, tickUpper) - Math.max(a, tickLower)) / (b - a);
}

/** Runs the volume fee model over `series` for `position`, with the pool fee as a fraction (0.0005 = 0.05 %). */
export function volumeFees(series: PriceSeries, position: RealPosition, fee: number, tokens: PoolTokens = USDC_WETH_TOKENS): FeeModelResult {
  const { in0, in1, liq, lo, hi } = volumeColumns(series);
  const { tickLower: tl, tickUpper: tu, liquidity: L } = position;
  const scale0 = pow10(-tokens.decimals0);
  const scale1 = pow10(-tokens.decimals1);
  let f0 = 0;
  let f1 = 0;
  let value = 0;
  let inRangeBars = 0;
  for (let i = 0; i < series.length; i++) {
    const a = lo[i]!;
    const b = hi[i]!;
    const share = barShareInRange(a, b, tl, tu);
    if (share <= 0) continue;
    inRangeBars++;
    const w = (fee * share * L) / (liq[i]! + L);
    const d0 = in0[i]! * w;
    const d1 = in1[i]! * w;
    f0 += d0;
    f1 += d1;
    const p = series.price[i]!;
    value += tokens.priceOf === 'token1' ? d0 * scale0 + d1 * scale1 * p : d1 * scale1 + d0 * scale0 * p;
  }
  return { model: 'volume', feesEarned: value, fees0Raw: f0, fees1Raw: f1, steps: series.length, stepsInRange: inRangeBars };
}

/**
 * The volume model as the engine's per-step fee source ({@link ExternalFees}): every position the strategy opens is
 * placed on the real pool's ticks (its range snapped outward to `tickSpacing`, its liquidity in raw pool units from
 * its principal at the pool price when minted), and earns in each bar the formula of the module comment for as long
 * as it is open — so a strategy that re-centres is priced position by position over each one's lifetime.
 */
export function volumeFeeSource(series: PriceSeries, fee: number, tickSpacing: number, tokens: PoolTokens = USDC_WETH_TOKENS): ExternalFees {
  const { in0, in1, liq, lo, hi } = volumeColumns(series);
  const scale0 = pow10(-tokens.decimals0);
  const scale1 = pow10(-tokens.decimals1);
  const baseIsToken1 = tokens.priceOf === 'token1';
  const open = new Map<number, { tl: number; tu: number; L: number }>();
  return {
    model: 'volume',
    open(id, range, base, quote, price) {
      const capital = base * price + quote;
      if (!(capital > 0)) return;
      const p = realPosition({ range, capital, price, tickSpacing, tokens });
      open.set(id, { tl: p.tickLower, tu: p.tickUpper, L: p.liquidity });
    },
    resize(id, remaining) {
      const p = open.get(id);
      if (p !== undefined) p.L *= remaining;
    },
    close(id) {
      open.delete(id);
    },
    accrue(id, i, out) {
      const p = open.get(id);
      if (p === undefined) return;
      const a = lo[i]!;
      const b = hi[i]!;
      const share = barShareInRange(a, b, p.tl, p.tu);
      if (share <= 0) return;
      const w = (fee * share * p.L) / (liq[i]! + p.L);
      const d0 = in0[i]! * w * scale0;
      const d1 = in1[i]! * w * scale1;
      if (baseIsToken1) {
        out.base += d1;
        out.quote += d0;
      } else {
        out.base += d0;
        out.quote += d1;
      }
    },
  };
}
