/**
 * Theoretical impermanent loss (IL) of a liquidity position as a function of the price ratio r = P / P0.
 * Pure functions: no I/O, no state. Used by the IL charts and by `ammsim il`.
 *
 * Convention (as CONTRACT.md): IL(P) = V_LP(P) / V_hold(P) − 1, where V_LP is the value of the position's
 * principal at price P (no fees, no gas) and V_hold is the value at P of the token amounts deposited at P0.
 * Negative is a loss. Prices are quote per one unit of base.
 */

/** A price range [lower, upper] in quote per base; `undefined` bounds mean full range (0, ∞). */
export interface PriceRange {
  readonly lower: number;
  readonly upper: number;
}

/**
 * Full-range (Uniswap v2, constant product) IL at price ratio r = P/P0:  2√r / (1 + r) − 1.
 * Derivation: x·y = L², x = L/√P, y = L·√P, so V_LP = 2L√P and V_hold = L(P/√P0 + √P0); the ratio is
 * 2√r/(1+r). Reference values (Pintail, "Uniswap: A Good Deal for Liquidity Providers?", 2019):
 * 1.25× → −0.6 %, 1.5× → −2.0 %, 2× → −5.7 %, 3× → −13.4 %, 5× → −25.5 %.
 */
export function fullRangeIl(ratio: number): number {
  if (!(ratio > 0) || !Number.isFinite(ratio)) throw new RangeError(`price ratio must be finite and > 0; was ${ratio}`);
  return (2 * Math.sqrt(ratio)) / (1 + ratio) - 1;
}

/**
 * Token amounts (per unit of liquidity L = 1) of a concentrated-liquidity position on [pa, pb] at price P,
 * from the Uniswap v3 whitepaper (Adams et al., 2021), eq. 6.29 (Δy = Δ√P · L) and 6.30 (Δ(1/√P) · L = Δx),
 * integrated from the range edges:
 * - P ≤ pa: x = 1/√pa − 1/√pb, y = 0 (all base);
 * - P ≥ pb: x = 0, y = √pb − √pa (all quote);
 * - else x = 1/√P − 1/√pb, y = √P − √pa.
 * `base` is the base-token amount (x, token0 when base is token0), `quote` the quote amount (y).
 * Full range is pa → 0, pb → ∞ (`lower = 0`, `upper = Infinity` work: x = 1/√P, y = √P).
 */
export function positionAmountsPerLiquidity(price: number, range: PriceRange): { base: number; quote: number } {
  const sa = Math.sqrt(range.lower);
  const sb = Math.sqrt(range.upper);
  const invSb = range.upper === Infinity ? 0 : 1 / sb;
  if (price <= range.lower) return { base: 1 / sa - invSb, quote: 0 };
  if (price >= range.upper) return { base: 0, quote: sb - sa };
  const sp = Math.sqrt(price);
  return { base: 1 / sp - invSb, quote: sp - sa };
}

/**
 * IL of a position on `range` opened at `entryPrice`, when the price has moved to `entryPrice · ratio`.
 * V_LP and V_hold come from {@link positionAmountsPerLiquidity} (L cancels). For a position entirely out of
 * range at entry, the LP holds one token just as the hold portfolio does, so IL stays 0 until the price enters
 * the range. Agrees with the closed form for in-range prices (P. Erins, "Impermanent loss in Uniswap V3", 2021):
 * IL_[pa,pb](r) = IL(r) / (1 − (√(pa/P0) + r·√(P0/pb)) / (1 + r)).
 * `range` undefined means full range and gives exactly {@link fullRangeIl}.
 */
export function positionIl(ratio: number, entryPrice: number, range?: PriceRange): number {
  if (!(ratio > 0) || !Number.isFinite(ratio)) throw new RangeError(`price ratio must be finite and > 0; was ${ratio}`);
  if (!(entryPrice > 0) || !Number.isFinite(entryPrice)) throw new RangeError(`entry price must be finite and > 0; was ${entryPrice}`);
  if (range === undefined || (range.lower <= 0 && range.upper === Infinity)) return fullRangeIl(ratio);
  if (!(range.lower >= 0 && range.upper > range.lower)) {
    throw new RangeError(`range must satisfy 0 <= lower < upper; was [${range.lower}, ${range.upper}]`);
  }
  const price = entryPrice * ratio;
  const a0 = positionAmountsPerLiquidity(entryPrice, range);
  const a1 = positionAmountsPerLiquidity(price, range);
  const lp = a1.base * price + a1.quote;
  const hold = a0.base * price + a0.quote;
  return lp / hold - 1;
}

/**
 * The price a run's LP actually entered at, the anchor (ratio 1) of its IL curve: the pool's price after the entry
 * (the timeseries' `poolPrice` at step 0, where no trader has acted yet), else the first market price moved by the
 * summary's `entryPriceImpact`, else the first market price (output of an older version). The position's tokens
 * are those of its range at this price, so the hold basket and the IL are measured from it, not from the market
 * price: with a shallow pool the entry swap moves the price and the two differ.
 */
export function lpEntryPrice(marketPrice0: number, poolPrice0?: number, entryPriceImpact?: number): number {
  if (poolPrice0 !== undefined && Number.isFinite(poolPrice0) && poolPrice0 > 0) return poolPrice0;
  if (entryPriceImpact !== undefined && Number.isFinite(entryPriceImpact) && entryPriceImpact > -1) return marketPrice0 * (1 + entryPriceImpact);
  return marketPrice0;
}

/**
 * The price ratios at which a curve is sampled: `count` points spaced evenly in log(ratio) over
 * [minRatio, maxRatio], plus 1 and any `extra` ratios (range edges) inside that span, sorted, de-duplicated.
 */
export function curveRatios(minRatio: number, maxRatio: number, count: number, extra: readonly number[] = []): number[] {
  if (!(minRatio > 0 && maxRatio > minRatio && Number.isFinite(maxRatio))) {
    throw new RangeError(`ratio span must satisfy 0 < min < max < ∞; was [${minRatio}, ${maxRatio}]`);
  }
  if (!Number.isInteger(count) || count < 2) throw new RangeError(`count must be an integer >= 2; was ${count}`);
  const lo = Math.log(minRatio);
  const hi = Math.log(maxRatio);
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(i === count - 1 ? maxRatio : Math.exp(lo + ((hi - lo) * i) / (count - 1)));
  for (const r of [1, ...extra]) if (r >= minRatio && r <= maxRatio) out.push(r);
  out.sort((a, b) => a - b);
  return out.filter((r, i) => i === 0 || r !== out[i - 1]);
}

/** The default ratios of the `ammsim il` table: the usual 1/k and k price moves. */
export const STANDARD_RATIOS: readonly number[] = [0.1, 0.2, 0.25, 1 / 3, 0.5, 2 / 3, 0.8, 0.9, 1, 1.1, 1.25, 1.5, 2, 3, 4, 5, 10];
