import type { BurnFill, EnginePool, MintFill, PositionView, PriceRange, SwapFill } from '../enginePool.ts';
import { ConfigError, InvariantError, PoolError } from '../../core/errors.ts';
import { Q96 } from '../../math/v3/fixedPoint.ts';
import { getPriceAtTickFloat } from '../../math/v3/float.ts';
import { mulDiv } from '../../math/v3/fullMath.ts';
import { getLiquidityForAmounts } from '../../math/v3/liquidityAmounts.ts';
import { getAmountsForLiquidityAtTick } from '../../math/v3/modifyPosition.ts';
import { feesOwed } from '../../math/v3/position.ts';
import { rawPriceFromSqrtPriceX96, sqrtPriceX96FromPrice } from '../../math/v3/priceConversions.ts';
import { getSqrtRatioAtTick, MAX_SQRT_RATIO, MIN_SQRT_RATIO } from '../../math/v3/tickMath.ts';
import { V3Pool, type V3SwapQuote } from './v3Pool.ts';
import { baseValueShareAt, baseValueShareAtPrice, rangeToTicks } from './v3Liquidity.ts';

/** Both tokens of ammsim's simulated exact pools have 18 decimals: raw = human · 10^18. */
export const V3_EXACT_DECIMALS = 18;
const SCALE = 1e18;
const Q96_FLOAT = 2 ** 96;
/** type(int256).max: the "unlimited" amountSpecified of a swap to a price. */
const MAX_INT256 = (1n << 255n) - 1n;

/**
 * Human amount → raw token units, rounded DOWN (floor of the float product `amount · 10^18`), so what the
 * engine offers is never exceeded by more than the float product's own rounding (≤ 1 ulp, ~1e-16 relative).
 */
export function toRawDown(amount: number): bigint {
  if (!(amount > 0)) return 0n;
  return BigInt(Math.floor(amount * SCALE));
}

/** Raw token units → human amount, to the nearest float (Number(raw) rounds to nearest, then / 10^18). */
export function toHuman(raw: bigint): number {
  return Number(raw) / SCALE;
}

/**
 * The liquidity a mint offered `amount0Raw` and `amount1Raw` buys over [sqrtA, sqrtB) at `sqrtPriceX96`: the
 * periphery's `LiquidityAmounts.getLiquidityForAmounts` ({@link getLiquidityForAmounts}, rounding down, so the
 * contract's mint, which rounds the amounts it asks for up, never asks for more than offered), with each amount first
 * capped at the largest whose own leg still fits in uint128.
 *
 * Why the cap: the library reverts (`toUint128`) when EITHER leg reaches 2^128, even the larger one that `min` drops.
 * The engine can offer such amounts: a pool price a hair above the range's lower tick makes the token1 leg
 * amount1·2^96/(√P − √A) enormous for ordinary amounts. The engine is not the position manager and has no revert to
 * reproduce, so a leg that would overflow is capped (its L becomes just under 2^128) and the smaller leg stays the
 * answer, exactly as without the library's check. Below 2^128 the cap never binds (identical results); when a capped
 * leg is itself the answer, the pool's own liquidity checks refuse the mint ('LO').
 */
export function liquidityForMint(sqrtPriceX96: bigint, sqrtAX96: bigint, sqrtBX96: bigint, amount0Raw: bigint, amount1Raw: bigint): bigint {
  let a0 = amount0Raw;
  let a1 = amount1Raw;
  if (sqrtPriceX96 <= sqrtAX96) a0 = capAmount0(sqrtAX96, sqrtBX96, a0);
  else if (sqrtPriceX96 < sqrtBX96) {
    a0 = capAmount0(sqrtPriceX96, sqrtBX96, a0);
    a1 = capAmount1(sqrtAX96, sqrtPriceX96, a1);
  } else a1 = capAmount1(sqrtAX96, sqrtBX96, a1);
  return getLiquidityForAmounts(sqrtPriceX96, sqrtAX96, sqrtBX96, a0, a1);
}

/** min(amount, the largest a with floor(a·floor(√A·√B/2^96)/(√B − √A)) < 2^128), for √A < √B. */
function capAmount0(sqrtAX96: bigint, sqrtBX96: bigint, amount: bigint): bigint {
  const intermediate = mulDiv(sqrtAX96, sqrtBX96, Q96);
  if (intermediate === 0n) return amount; // the leg is 0 whatever the amount
  const cap = (((sqrtBX96 - sqrtAX96) << 128n) - 1n) / intermediate;
  return amount < cap ? amount : cap;
}

/** min(amount, the largest a with floor(a·2^96/(√B − √A)) < 2^128, i.e. a < (√B − √A)·2^32), for √A < √B. */
function capAmount1(sqrtAX96: bigint, sqrtBX96: bigint, amount: bigint): bigint {
  const cap = ((sqrtBX96 - sqrtAX96) << 32n) - 1n;
  return amount < cap ? amount : cap;
}

interface ExactPosition {
  readonly owner: string;
  /** The V3Pool owner key: `owner#id`, so two engine positions on the same range stay separate. */
  readonly key: string;
  readonly tickLower: number;
  readonly tickUpper: number;
  readonly fullRange: boolean;
  /** The last view and the V3Pool state version it was taken at (views are immutable). */
  view: PositionView | undefined;
  viewVersion: number;
}

/**
 * # V3ExactEnginePool: the engine's `--exact` v3 pool, over the bit-exact bigint {@link V3Pool}
 *
 * Every swap, mint, burn and collect runs through the contract mirror; this adapter only converts at the
 * boundary. Rounding at the boundary:
 * - amounts the engine pays in (swap input, mint amounts offered) are floored to raw units ({@link toRawDown});
 * - amounts paid out and all views are raw → float to nearest ({@link toHuman}); liquidity is reported as
 *   raw L / 10^18 (the float pool's human units);
 * - a target price becomes the nearest Q64.96 sqrt price (`sqrtPriceX96FromPrice`, sim/math/v3/priceConversions.ts).
 * `swapToPrice` is the contract's swap with `sqrtPriceLimitX96` at the target and amountSpecified =
 * type(int256).max (exact input); mint sizes liquidity with {@link liquidityForMint} (rounding down).
 * A burn is `burn` then `collect` of everything owed; `collect` is a poke (`burn(0)`) then `collect`.
 * Background LPs are positions of the owner 'background'. The protocol fee is off (as on mainnet).
 */
export class V3ExactEnginePool implements EnginePool {
  readonly kind = 'v3' as const;
  readonly exact = true;
  readonly fee: number;
  readonly tickSpacing: number;
  /** The contract mirror (read it freely; mutate only through this adapter to keep balances right). */
  readonly pool: V3Pool;
  private balance0Raw = 0n;
  private balance1Raw = 0n;
  private readonly positions = new Map<number, ExactPosition>();
  private nextId = 1;
  private lastQuote: V3SwapQuote | undefined;
  private lastQuoteKey = NaN;

  /** A pool at `price` with fee `fee` (a fraction in whole hundredths of a bip, 0.003 = 3000 pips). */
  constructor(fee: number, tickSpacing: number, price: number) {
    const pips = Math.round(fee * 1e6);
    if (!(fee >= 0 && fee < 1) || Math.abs(pips - fee * 1e6) > 1e-6) {
      throw new ConfigError('--fee', `the exact v3 pool needs a fee in whole hundredths of a bip in [0, 1) (0.003 = 3000 pips); was ${fee}`);
    }
    if (!(price > 0 && Number.isFinite(price))) throw new ConfigError('price', `must be finite and > 0; was ${price}`);
    this.fee = fee;
    this.tickSpacing = tickSpacing;
    this.pool = new V3Pool({ fee: pips, tickSpacing });
    this.pool.initialize(sqrtPriceX96FromPrice(price));
  }

  // ------------------------------------------------------------------ views

  price(): number {
    return rawPriceFromSqrtPriceX96(Number(this.pool.sqrtPriceX96));
  }

  activeLiquidity(): number {
    return toHuman(this.pool.liquidity);
  }

  tokenBalances(): { base: number; quote: number } {
    return { base: toHuman(this.balance0Raw), quote: toHuman(this.balance1Raw) };
  }

  /** The pool's raw token balances (exact conservation checks). */
  tokenBalancesRaw(): { amount0: bigint; amount1: bigint } {
    return { amount0: this.balance0Raw, amount1: this.balance1Raw };
  }

  // ------------------------------------------------------------------ swaps

  quoteToPrice(targetPrice: number): SwapFill {
    const q = this.quoteTo(targetPrice);
    return q === undefined ? this.zeroFill() : this.fillOf(q);
  }

  swapToPrice(targetPrice: number): SwapFill {
    const cached = this.lastQuote !== undefined && this.lastQuoteKey === targetPrice && this.lastQuote.stateVersion === this.pool.stateVersion;
    const q = cached ? this.lastQuote : this.quoteTo(targetPrice);
    if (q === undefined) return this.zeroFill();
    return this.apply(q);
  }

  private quoteTo(targetPrice: number): V3SwapQuote | undefined {
    if (!(targetPrice > 0)) return undefined;
    const limit = sqrtPriceX96FromPrice(targetPrice);
    const current = this.pool.sqrtPriceX96;
    if (limit === current) return undefined;
    const q = this.pool.quoteSwap(limit < current, MAX_INT256, limit);
    this.lastQuote = q;
    this.lastQuoteKey = targetPrice;
    return q;
  }

  quoteExactIn(baseIn: boolean, amountIn: number): SwapFill {
    const q = this.quoteIn(baseIn, amountIn);
    return q === undefined ? this.zeroFill() : this.fillOf(q);
  }

  swapExactIn(baseIn: boolean, amountIn: number): SwapFill {
    const q = this.quoteIn(baseIn, amountIn);
    return q === undefined ? this.zeroFill() : this.apply(q);
  }

  private quoteIn(baseIn: boolean, amountIn: number): V3SwapQuote | undefined {
    const raw = toRawDown(amountIn);
    if (raw === 0n) return undefined;
    const limit = baseIn ? MIN_SQRT_RATIO + 1n : MAX_SQRT_RATIO - 1n;
    if (this.pool.sqrtPriceX96 === limit) return undefined;
    return this.pool.quoteSwap(baseIn, raw, limit);
  }

  private apply(q: V3SwapQuote): SwapFill {
    this.pool.applySwap(q);
    this.balance0Raw += q.amount0;
    this.balance1Raw += q.amount1;
    this.lastQuote = undefined;
    return this.fillOf(q);
  }

  private fillOf(q: V3SwapQuote): SwapFill {
    return { baseDelta: toHuman(q.amount0), quoteDelta: toHuman(q.amount1), feeAmount: toHuman(q.feeAmount), feeInBase: q.zeroForOne, priceAfter: rawPriceFromSqrtPriceX96(Number(q.sqrtPriceX96After)) };
  }

  private zeroFill(): SwapFill {
    return { baseDelta: 0, quoteDelta: 0, feeAmount: 0, feeInBase: false, priceAfter: this.price() };
  }

  // ------------------------------------------------------------------ ranges

  /** The ticks of a price range, snapped outward to the spacing (as the float pool). */
  rangeTicks(range: PriceRange | null): { tickLower: number; tickUpper: number } {
    return rangeToTicks(range, this.tickSpacing);
  }

  snapRange(range: PriceRange | null): PriceRange | null {
    if (range === null) return null;
    const t = this.rangeTicks(range);
    return { lower: getPriceAtTickFloat(t.tickLower), upper: getPriceAtTickFloat(t.tickUpper) };
  }

  baseValueShare(range: PriceRange | null, atPrice?: number): number {
    const t = this.rangeTicks(range);
    if (atPrice !== undefined) return baseValueShareAtPrice(atPrice, t.tickLower, t.tickUpper);
    return baseValueShareAt(Number(this.pool.sqrtPriceX96) / Q96_FLOAT, this.pool.tick, t.tickLower, t.tickUpper);
  }

  // ------------------------------------------------------------------ liquidity

  mint(owner: string, range: PriceRange | null, base: number, quote: number): MintFill {
    if (!(base >= 0 && quote >= 0)) throw new ConfigError('mint', `amounts must be ≥ 0; were ${base} base, ${quote} quote`);
    const { tickLower, tickUpper } = this.rangeTicks(range);
    const raw0 = toRawDown(base);
    const raw1 = toRawDown(quote);
    const L = liquidityForMint(this.pool.sqrtPriceX96, getSqrtRatioAtTick(tickLower), getSqrtRatioAtTick(tickUpper), raw0, raw1);
    if (L === 0n) {
      throw new PoolError('', `reverted (bare require): mint amount must be > 0 (${base} base and ${quote} quote buy no liquidity on ticks [${tickLower}, ${tickUpper}) at tick ${this.pool.tick})`);
    }
    const { id, amount0, amount1 } = this.mintRaw(owner, tickLower, tickUpper, L, range === null);
    if (amount0 > raw0 || amount1 > raw1) {
      throw new InvariantError(`v3 mint asked for ${amount0}/${amount1} raw, more than the ${raw0}/${raw1} offered`);
    }
    return { positionId: id, base: toHuman(amount0), quote: toHuman(amount1), range: range === null ? null : { lower: getPriceAtTickFloat(tickLower), upper: getPriceAtTickFloat(tickUpper) } };
  }

  /** The raw amounts (rounded up, as the contract's mint) of liquidity `L` on [tickLower, tickUpper) now, in human units. */
  amountsForTicks(tickLower: number, tickUpper: number, L: bigint): { base: number; quote: number } {
    const sp = this.tickSpacing;
    if (!(Number.isInteger(tickLower) && Number.isInteger(tickUpper) && tickLower < tickUpper && tickLower % sp === 0 && tickUpper % sp === 0 && tickLower >= -887272 && tickUpper <= 887272)) {
      throw new ConfigError('ticks', `must be multiples of ${sp} with -887272 ≤ tickLower < tickUpper ≤ 887272; were [${tickLower}, ${tickUpper}]`);
    }
    const a = getAmountsForLiquidityAtTick(this.pool.tick, this.pool.sqrtPriceX96, tickLower, tickUpper, L, true);
    return { base: toHuman(a.amount0), quote: toHuman(a.amount1) };
  }

  /** Mints exactly raw liquidity `L` on [tickLower, tickUpper) for `owner` (a mint by ticks and liquidity). */
  mintTicks(owner: string, tickLower: number, tickUpper: number, L: bigint): MintFill {
    const { id, amount0, amount1 } = this.mintRaw(owner, tickLower, tickUpper, L, false);
    return { positionId: id, base: toHuman(amount0), quote: toHuman(amount1), range: { lower: getPriceAtTickFloat(tickLower), upper: getPriceAtTickFloat(tickUpper) } };
  }

  /** Mints liquidity `L` (human units; raw = floor(L·10^18)) for `owner` as a new position (background seeding). */
  mintLiquidity(owner: string, tickLower: number, tickUpper: number, liquidity: number, fullRange = false): number {
    const L = toRawDown(liquidity);
    if (L === 0n) throw new PoolError('', `reverted (bare require): mint amount must be > 0; was ${liquidity}`);
    return this.mintRaw(owner, tickLower, tickUpper, L, fullRange).id;
  }

  private mintRaw(owner: string, tickLower: number, tickUpper: number, L: bigint, fullRange: boolean): { id: number; amount0: bigint; amount1: bigint } {
    const id = this.nextId;
    const key = `${owner}#${id}`;
    const { amount0, amount1 } = this.pool.mint(key, tickLower, tickUpper, L);
    this.nextId++;
    this.positions.set(id, { owner, key, tickLower, tickUpper, fullRange, view: undefined, viewVersion: -1 });
    this.balance0Raw += amount0;
    this.balance1Raw += amount1;
    return { id, amount0, amount1 };
  }

  burn(positionId: number, fraction: number): BurnFill {
    const p = this.get(positionId);
    if (!(fraction > 0 && fraction <= 1)) throw new ConfigError('fraction', `must be in (0, 1]; was ${fraction}`);
    const L = this.pool.position(p.key, p.tickLower, p.tickUpper).liquidity;
    // A fraction of L, rounded down (53-bit fraction: the float's full precision).
    const amount = fraction === 1 ? L : (L * BigInt(Math.floor(fraction * 2 ** 53))) >> 53n;
    const principal = this.pool.burn(p.key, p.tickLower, p.tickUpper, amount);
    const collected = this.pool.collect(p.key, p.tickLower, p.tickUpper);
    this.balance0Raw -= collected.amount0;
    this.balance1Raw -= collected.amount1;
    if (fraction === 1) this.positions.delete(positionId);
    return {
      base: toHuman(principal.amount0),
      quote: toHuman(principal.amount1),
      feesBase: toHuman(collected.amount0 - principal.amount0),
      feesQuote: toHuman(collected.amount1 - principal.amount1),
    };
  }

  collect(positionId: number): { feesBase: number; feesQuote: number } {
    const p = this.get(positionId);
    this.pool.burn(p.key, p.tickLower, p.tickUpper, 0n);
    const c = this.pool.collect(p.key, p.tickLower, p.tickUpper);
    this.balance0Raw -= c.amount0;
    this.balance1Raw -= c.amount1;
    return { feesBase: toHuman(c.amount0), feesQuote: toHuman(c.amount1) };
  }

  /** Principal (what a burn would credit now, rounded down) and fees (tokensOwed + growth since the last poke) in raw units. */
  positionRaw(positionId: number): { liquidity: bigint; amount0: bigint; amount1: bigint; fees0: bigint; fees1: bigint } {
    const p = this.get(positionId);
    const info = this.pool.position(p.key, p.tickLower, p.tickUpper);
    const L = info.liquidity;
    const { amount0, amount1 } = getAmountsForLiquidityAtTick(this.pool.tick, this.pool.sqrtPriceX96, p.tickLower, p.tickUpper, L, false);
    const inside = this.pool.feeGrowthInside(p.tickLower, p.tickUpper);
    const fees0 = info.tokensOwed0 + feesOwed(inside.feeGrowthInside0X128, info.feeGrowthInside0LastX128, L);
    const fees1 = info.tokensOwed1 + feesOwed(inside.feeGrowthInside1X128, info.feeGrowthInside1LastX128, L);
    return { liquidity: L, amount0, amount1, fees0, fees1 };
  }

  /** The position now; cached until the pool's state next changes (the engine asks several times per step). */
  position(positionId: number): PositionView {
    const p = this.get(positionId);
    if (p.view !== undefined && p.viewVersion === this.pool.stateVersion) return p.view;
    const r = this.positionRaw(positionId);
    const base = toHuman(r.amount0);
    const quote = toHuman(r.amount1);
    const tick = this.pool.tick;
    const view: PositionView = {
      positionId,
      owner: p.owner,
      liquidity: toHuman(r.liquidity),
      base,
      quote,
      feesBase: toHuman(r.fees0),
      feesQuote: toHuman(r.fees1),
      range: p.fullRange ? null : Object.freeze({ lower: getPriceAtTickFloat(p.tickLower), upper: getPriceAtTickFloat(p.tickUpper) }),
      inRange: tick >= p.tickLower && tick < p.tickUpper,
      baseNoFees: base,
      quoteNoFees: quote,
    };
    p.view = view;
    p.viewVersion = this.pool.stateVersion;
    return view;
  }

  /** Every open position's id, ascending (background liquidity included). */
  positionIds(): number[] {
    return [...this.positions.keys()].sort((a, b) => a - b);
  }

  positionTicks(positionId: number): { tickLower: number; tickUpper: number } {
    const p = this.get(positionId);
    return { tickLower: p.tickLower, tickUpper: p.tickUpper };
  }

  private get(positionId: number): ExactPosition {
    const p = this.positions.get(positionId);
    if (p === undefined) throw new PoolError('', `no open position ${positionId}`);
    return p;
  }
}
