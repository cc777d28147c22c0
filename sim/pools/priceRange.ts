/**
 * # The prices a pool can represent, checked once per run before it starts
 *
 * The price loader accepts any finite price > 0; a pool does not. What each pool family can hold:
 * - v3 (float and exact): the tick range of TickMath, √P strictly between √(1.0001^−887272) and √(1.0001^887272)
 *   (prices ~2.939e-39 … 3.403e+38). Both simulated tokens have 18 decimals, so a human price is the raw ratio and
 *   the range needs no decimal adjustment. Outside it the pool's swap stops at its limit while the market goes on.
 * - v2 exact (the bigint pair): reserves are uint112 (at most 2^112 − 1 wei, ~5.192e15 tokens) and must stay at
 *   least 1 wei. With the pool's reserves fixed by its depth at the first price, the reserves at price P are
 *   x = S/√(P0·P), y = S·√(P/P0) (S: the quote reserve at P0), which bounds P on both sides.
 * - v2 float: the same form with float limits (reserves within 1e±150 tokens: the pool's maths squares them), and
 *   one row-to-row move of at most 1e16×: a swap's output is the reserve less what stays, and a move of factor r
 *   leaves a reserve 1/√r of it, kept to ~1e-16·√r (a 1e16× move keeps ~8 digits; past ~1e31× nothing, the pool
 *   price becomes 0 and every metric after it NaN).
 * The scan ({@link findPriceOutside}) is one pass over the price column (min, max and the largest row-to-row factor);
 * the row is found by a second pass on the error path only. None of this runs in the engine's step loop.
 */
import { MAX_UINT112 } from '../math/v2/constantProduct.ts';
import { getSqrtRatioAtTickFloat, MAX_TICK_FLOAT, MIN_TICK_FLOAT } from '../math/v3/float.ts';
import { tickSpacingToMaxLiquidityPerTick } from '../math/v3/tick.ts';

/** Four significant digits for messages: `2000`, `0.0125`, `2.939e-39`, `5.192e+15` (exponent from 1e6 and below 1e-4). */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const r = Number(x.toPrecision(4));
  const a = Math.abs(r);
  return a !== 0 && (a >= 1e6 || a < 1e-4) ? r.toExponential() : String(r);
}

/** The prices a pool can hold over a run, and why (for the message). */
export interface PriceBounds {
  /** The lowest and highest price shown in the message (the test is {@link PriceBounds.contains}). */
  readonly min: number;
  readonly max: number;
  /** Whether a price is inside (v3: √P strictly inside the tick range, as the pool's own test). */
  contains(price: number): boolean;
  /** The largest factor a price may move by from one row to the next (Infinity: any). */
  readonly maxStep: number;
  /** `a v3 pool`, `a v2 pool`, `a v2 --exact pool`. */
  readonly pool: string;
  /** Why these bounds, in parentheses after the pool. */
  readonly why: string;
  /** Why the step limit (when finite). */
  readonly stepWhy?: string;
  /**
   * Bounds of the first price alone, when the pool's size depends on it (v2: it sets the base reserve); the others
   * are computed from it, so they mean something only once it is inside these.
   */
  readonly first?: { readonly min: number; readonly max: number; readonly why: string };
}

const SQRT_MIN = getSqrtRatioAtTickFloat(MIN_TICK_FLOAT);
const SQRT_MAX = getSqrtRatioAtTickFloat(MAX_TICK_FLOAT);

/** The v3 pools' prices: √P strictly inside (√(1.0001^−887272), √(1.0001^887272)), the float pool's own test. */
export const V3_PRICE_BOUNDS: PriceBounds = {
  min: SQRT_MIN * SQRT_MIN,
  max: SQRT_MAX * SQRT_MAX,
  contains: (p) => {
    const s = Math.sqrt(p);
    return s > SQRT_MIN && s < SQRT_MAX;
  },
  maxStep: Infinity,
  pool: 'a v3 pool',
  why: `1.0001^±887272, the tick range of TickMath; both simulated tokens have 18 decimals`,
};

/** Whether √P is inside the v3 tick range (the v3 float pool's own test of its first price). */
export function inV3PriceRange(price: number): boolean {
  return V3_PRICE_BOUNDS.contains(price);
}

/** The exact v2 pair's reserve limits, whole tokens (18 decimals): 1 wei … uint112. */
export const V2_EXACT_RESERVES = { min: 1e-18, max: Number(MAX_UINT112) / 1e18 } as const;
/** The float v2 pool's reserve limits, tokens: its maths squares a reserve (k/P, R²), which must stay a finite, normal double. */
export const V2_FLOAT_RESERVES = { min: 1e-150, max: 1e150 } as const;
/** The largest row-to-row price factor the float v2 pool keeps ~8 digits of its reserves through (module doc). */
export const V2_FLOAT_MAX_STEP = 1e16;

/** A v2 pool's depth: the background (`depth`, quote value at the first price) and the LP's capital. */
export interface V2Depth {
  readonly exact: boolean;
  readonly firstPrice: number;
  /** The background's value in quote at the first price (--pool-liquidity; half of it in each token). */
  readonly depth: number;
  /** The LP's capital (quote), added to the reserves at the start. */
  readonly capital: number;
}

/**
 * The quote reserves of a v2 pool at its first price: `high` with the LP's capital in (the most the reserves hold at
 * the start), `low` the background's alone (what stays when the LP leaves).
 */
export function v2QuoteReserves(d: V2Depth): { high: number; low: number } {
  return { high: (d.depth + d.capital) / 2, low: d.depth / 2 };
}

/**
 * The prices a v2 pool of this depth can hold: reserves x = S/√(P0·P), y = S·√(P/P0) within the family's limits
 * (S the quote reserve at P0: the larger with the LP's capital for the upper limits, the background's alone for the
 * lower ones). The float pool also limits one row-to-row move ({@link V2_FLOAT_MAX_STEP}).
 */
export function v2PriceBounds(d: V2Depth): PriceBounds {
  const lim = d.exact ? V2_EXACT_RESERVES : V2_FLOAT_RESERVES;
  const { high, low } = v2QuoteReserves(d);
  const p0 = d.firstPrice;
  // y ≤ max ⇔ P ≤ P0·(max/S)²; x ≥ min ⇔ P ≤ (S/min)²/P0; x ≤ max ⇔ P ≥ (S/max)²/P0; y ≥ min ⇔ P ≥ P0·(min/S)²
  const sq = (x: number): number => x * x; // not **: the same bits on every Node (sim/core/pow.ts)
  const max = Math.min(p0 * sq(lim.max / high), sq(low / lim.min) / p0);
  const min = Math.max(sq(high / lim.max) / p0, p0 * sq(lim.min / low));
  const reserves = d.exact ? `between 1 wei and the pair's uint112 maximum, ${fmt(lim.max)} tokens` : `within 1e±150 tokens, as its float maths squares them`;
  return {
    min,
    max,
    contains: (p) => p >= min && p <= max,
    maxStep: d.exact ? Infinity : V2_FLOAT_MAX_STEP,
    pool: d.exact ? 'a v2 --exact pool' : 'a v2 pool',
    why: `its reserves, the background's ${fmt(low)} quote at the first price ${fmt(p0)} plus the LP's capital ${fmt(d.capital)}, must stay ${reserves}; --pool-liquidity sets them`,
    ...(d.exact ? {} : { stepWhy: `its float maths keeps a reserve to ~1e-16 × √(the move), so a larger move loses it; --exact does not` }),
    // x₀ = S/P0 within the limits (S ≥ the lower limit is the depth's own check)
    first: { min: high / lim.max, max: low / lim.min, why: `it sets the base reserve, the background's ${fmt(low)} quote ÷ the price plus the LP's share, which must stay ${reserves}; --pool-liquidity sets the quote` },
  };
}

/** A price the pool cannot hold: the row index (0-based) and why. */
export interface PriceViolation {
  readonly index: number;
  readonly price: number;
  /** `first`: the first price outside `first`; `range`: outside [min, max]; `step`: moved by more than maxStep from the row before. */
  readonly kind: 'first' | 'range' | 'step';
  /** The row before's price (for `step`). */
  readonly previous?: number;
}

/** A price column's extremes: its min and max, and the largest and smallest factor between neighbours. */
interface PriceStats {
  readonly lo: number;
  readonly hi: number;
  readonly up: number;
  readonly down: number;
}

/** Per price column (a series' Float64Array): a sweep checks the same column once per configuration. */
const statsByColumn = new WeakMap<object, PriceStats>();

function priceStats(price: ArrayLike<number>): PriceStats {
  const cached = statsByColumn.get(price);
  if (cached !== undefined) return cached;
  let lo = price[0]!;
  let hi = lo;
  let up = 1; // largest p[i] / p[i−1]
  let down = 1; // smallest p[i] / p[i−1]
  let prev = lo;
  for (let i = 1; i < price.length; i++) {
    const p = price[i]!;
    lo = p < lo ? p : lo;
    hi = p > hi ? p : hi;
    const r = p / prev;
    up = r > up ? r : up;
    down = r < down ? r : down;
    prev = p;
  }
  const stats = { lo, hi, up, down };
  statsByColumn.set(price, stats);
  return stats;
}

/**
 * The first row whose price `bounds` refuse, or undefined. One pass over the column (its min, max and the largest
 * factor between neighbours, kept per column: a sweep's configurations over one series pay it once); only when one
 * of them is out is the column read again for the first row at fault.
 */
export function findPriceOutside(price: ArrayLike<number>, bounds: PriceBounds): PriceViolation | undefined {
  const n = price.length;
  if (n === 0) return undefined;
  const f = bounds.first;
  if (f !== undefined && !(price[0]! >= f.min && price[0]! <= f.max)) return { index: 0, price: price[0]!, kind: 'first' };
  const { lo, hi, up, down } = priceStats(price);
  const steps = bounds.maxStep < Infinity;
  const rangeOk = bounds.contains(lo) && bounds.contains(hi);
  const stepOk = !steps || (up <= bounds.maxStep && down >= 1 / bounds.maxStep);
  if (rangeOk && stepOk) return undefined;
  // the error path: the first row at fault, in order
  for (let i = 0; i < n; i++) {
    const p = price[i]!;
    if (!bounds.contains(p)) return { index: i, price: p, kind: 'range' };
    if (steps && i > 0) {
      const r = p / price[i - 1]!;
      if (!(r <= bounds.maxStep && r >= 1 / bounds.maxStep)) return { index: i, price: p, kind: 'step', previous: price[i - 1]! };
    }
  }
  return undefined;
}

/** The problem text of a violation: `must be within A … B for a v3 pool (why); was P`. */
export function describeViolation(v: PriceViolation, bounds: PriceBounds): string {
  if (v.kind === 'first' && bounds.first !== undefined) {
    return `must be within ${fmt(bounds.first.min)} … ${fmt(bounds.first.max)} as the first price of ${bounds.pool} of this depth (${bounds.first.why}); was ${v.price}`;
  }
  if (v.kind === 'step') {
    const factor = v.price / v.previous!;
    return `must move by at most ${fmt(bounds.maxStep)}× from the row before for ${bounds.pool} (${bounds.stepWhy ?? bounds.why}); was ${v.price} after ${v.previous} (×${fmt(factor)})`;
  }
  return `must be within ${fmt(bounds.min)} … ${fmt(bounds.max)} for ${bounds.pool} (${bounds.why}); was ${v.price}`;
}

/** One v3 position's liquidity (human L; raw = L·10^18) on its two ticks. */
export interface TickLiquidity {
  readonly tickLower: number;
  readonly tickUpper: number;
  readonly liquidity: number;
}

/** ⌊L·10^18⌋ of a human L (the exact pool's raw liquidity), also past 1.8e290 where the float product overflows; 0 for L ≤ 0. */
export function liquidityRawDown(liquidity: number): bigint {
  if (!(liquidity > 0)) return 0n;
  if (!(liquidity < Infinity)) throw new RangeError(`liquidity must be finite; was ${liquidity}`);
  const raw = liquidity * 1e18;
  return raw < Infinity ? BigInt(Math.floor(raw)) : BigInt(Math.floor(liquidity)) * 10n ** 18n;
}

/** The exact v3 pool's most gross liquidity per tick, raw (`maxLiquidityPerTick`): (2^128 − 1) / number of usable ticks. */
export function maxLiquidityPerTickRaw(tickSpacing: number): bigint {
  return tickSpacingToMaxLiquidityPerTick(tickSpacing);
}

/**
 * The tick whose gross liquidity (raw: each position's ⌊L·10^18⌋, summed over positions bounded there) exceeds the
 * exact v3 pool's maxLiquidityPerTick, the most loaded such tick; undefined when every tick fits. The contract's
 * mint reverts `LO` there.
 */
export function tickOverMaxLiquidity(positions: readonly TickLiquidity[], tickSpacing: number): { tick: number; liquidityRaw: bigint; maxRaw: bigint } | undefined {
  const maxRaw = maxLiquidityPerTickRaw(tickSpacing);
  const gross = new Map<number, bigint>();
  for (const p of positions) {
    const raw = liquidityRawDown(p.liquidity);
    gross.set(p.tickLower, (gross.get(p.tickLower) ?? 0n) + raw);
    gross.set(p.tickUpper, (gross.get(p.tickUpper) ?? 0n) + raw);
  }
  let worst: { tick: number; liquidityRaw: bigint } | undefined;
  for (const [tick, raw] of gross) if (raw > maxRaw && (worst === undefined || raw > worst.liquidityRaw)) worst = { tick, liquidityRaw: raw };
  return worst === undefined ? undefined : { ...worst, maxRaw };
}
