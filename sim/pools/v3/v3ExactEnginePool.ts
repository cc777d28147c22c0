import type { BurnFill, SwapFill } from '../enginePool.ts';
import { ConfigError, InvariantError, PoolError } from '../../core/errors.ts';
import { Q96 } from '../../math/v3/fixedPoint.ts';
import { mulDiv } from '../../math/v3/fullMath.ts';
import { getLiquidityForAmounts } from '../../math/v3/liquidityAmounts.ts';
import { getAmountsForLiquidityAtTick } from '../../math/v3/modifyPosition.ts';
import { feesOwed } from '../../math/v3/position.ts';
import { rawPriceFromSqrtPriceX96, sqrtPriceX96FromPrice } from '../../math/v3/priceConversions.ts';
import { getSqrtRatioAtTick, MAX_SQRT_RATIO, MIN_SQRT_RATIO } from '../../math/v3/tickMath.ts';
import { V3EnginePool, type V3Core, type V3CorePositionAmounts } from './v3EnginePool.ts';
import { V3Pool, type V3SwapQuote } from './v3Pool.ts';
import { describeViolation, inV3PriceRange, V3_PRICE_BOUNDS } from '../priceRange.ts';

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

/** The exact core's record of a position. */
export interface V3ExactPosition {
  /** The V3Pool owner key: `owner#id`, so two engine positions on the same range stay separate. */
  readonly key: string;
  readonly tickLower: number;
  readonly tickUpper: number;
}

/**
 * # V3ExactCore: the bit-exact bigint {@link V3Pool} in human units, as {@link V3EnginePool} drives it
 *
 * Every swap, mint, burn and collect runs through the contract mirror; this core only converts at the
 * boundary. Rounding at the boundary:
 * - amounts the engine pays in (swap input, mint amounts offered) are floored to raw units ({@link toRawDown});
 * - amounts paid out and all views are raw → float to nearest ({@link toHuman}); liquidity is reported as
 *   raw L / 10^18 (the float pool's human units);
 * - a target price becomes the nearest Q64.96 sqrt price (`sqrtPriceX96FromPrice`, sim/math/v3/priceConversions.ts).
 * A swap to a price is the contract's swap with `sqrtPriceLimitX96` at the target and amountSpecified =
 * type(int256).max (exact input); a mint by amounts sizes liquidity with {@link liquidityForMint} (rounding down).
 * A burn is `burn` then `collect` of everything owed; a collect is a poke (`burn(0)`) then `collect`.
 * The protocol fee is off (as on mainnet). The clock is the pool's block timestamp.
 */
export class V3ExactCore implements V3Core<V3ExactPosition> {
  readonly fee: number;
  readonly tickSpacing: number;
  /** The contract mirror (read it freely; mutate only through this core to keep balances right). */
  readonly pool: V3Pool;
  private balance0Raw = 0n;
  private balance1Raw = 0n;
  private lastQuote: V3SwapQuote | undefined;
  private lastQuoteKey = NaN;

  /** A pool at `price` with fee `fee` (a fraction in whole hundredths of a bip, 0.003 = 3000 pips). */
  constructor(fee: number, tickSpacing: number, price: number) {
    const pips = Math.round(fee * 1e6);
    if (!(fee >= 0 && fee < 1) || Math.abs(pips - fee * 1e6) > 1e-6) {
      throw new ConfigError('--fee', `the exact v3 pool needs a fee in whole hundredths of a bip in [0, 1) (0.003 = 3000 pips); was ${fee}`);
    }
    if (!(price > 0 && Number.isFinite(price))) throw new ConfigError('price', `must be finite and > 0; was ${price}`);
    // as the float pool: a first price outside the tick range is refused, not clamped to MIN/MAX_SQRT_RATIO
    if (!inV3PriceRange(price)) throw new ConfigError('price', describeViolation({ index: 0, price, kind: 'range' }, V3_PRICE_BOUNDS));
    this.fee = fee;
    this.tickSpacing = tickSpacing;
    this.pool = new V3Pool({ fee: pips, tickSpacing });
    this.pool.initialize(sqrtPriceX96FromPrice(price));
  }

  // ------------------------------------------------------------------ views

  get version(): number {
    return this.pool.stateVersion;
  }

  price(): number {
    return rawPriceFromSqrtPriceX96(Number(this.pool.sqrtPriceX96));
  }

  sqrtPrice(): number {
    return Number(this.pool.sqrtPriceX96) / Q96_FLOAT;
  }

  currentTick(): number {
    return this.pool.tick;
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

  quoteToPrice(targetPrice: number): SwapFill | undefined {
    const q = this.quoteTo(targetPrice);
    return q === undefined ? undefined : this.fillOf(q);
  }

  swapToPrice(targetPrice: number): SwapFill | undefined {
    const cached = this.lastQuote !== undefined && this.lastQuoteKey === targetPrice && this.lastQuote.stateVersion === this.pool.stateVersion;
    const q = cached ? this.lastQuote : this.quoteTo(targetPrice);
    return q === undefined ? undefined : this.apply(q);
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

  quoteExactIn(baseIn: boolean, amountIn: number): SwapFill | undefined {
    const q = this.quoteIn(baseIn, amountIn);
    return q === undefined ? undefined : this.fillOf(q);
  }

  swapExactIn(baseIn: boolean, amountIn: number): SwapFill | undefined {
    const q = this.quoteIn(baseIn, amountIn);
    return q === undefined ? undefined : this.apply(q);
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

  // ------------------------------------------------------------------ liquidity

  mintForAmounts(owner: string, id: number, tickLower: number, tickUpper: number, base: number, quote: number): { position: V3ExactPosition; base: number; quote: number } | undefined {
    const raw0 = toRawDown(base);
    const raw1 = toRawDown(quote);
    const L = liquidityForMint(this.pool.sqrtPriceX96, getSqrtRatioAtTick(tickLower), getSqrtRatioAtTick(tickUpper), raw0, raw1);
    if (L === 0n) return undefined;
    const m = this.mintRaw(owner, id, tickLower, tickUpper, L);
    if (m.amount0 > raw0 || m.amount1 > raw1) {
      throw new InvariantError(`v3 mint asked for ${m.amount0}/${m.amount1} raw, more than the ${raw0}/${raw1} offered`);
    }
    return { position: m.position, base: toHuman(m.amount0), quote: toHuman(m.amount1) };
  }

  /** The raw amounts (rounded up, as the contract's mint) of liquidity `L` on [tickLower, tickUpper) now, in human units. */
  amountsForRawLiquidity(tickLower: number, tickUpper: number, L: bigint): { base: number; quote: number } {
    const a = getAmountsForLiquidityAtTick(this.pool.tick, this.pool.sqrtPriceX96, tickLower, tickUpper, L, true);
    return { base: toHuman(a.amount0), quote: toHuman(a.amount1) };
  }

  /** Mints exactly raw liquidity `L` on [tickLower, tickUpper) (a mint by ticks and liquidity). */
  mintRawLiquidity(owner: string, id: number, tickLower: number, tickUpper: number, L: bigint): { position: V3ExactPosition; base: number; quote: number } {
    const m = this.mintRaw(owner, id, tickLower, tickUpper, L);
    return { position: m.position, base: toHuman(m.amount0), quote: toHuman(m.amount1) };
  }

  /** Mints liquidity `liquidity` (human units; raw = floor(L·10^18)) (background seeding). */
  mintLiquidity(owner: string, id: number, tickLower: number, tickUpper: number, liquidity: number): V3ExactPosition {
    const L = toRawDown(liquidity);
    if (L === 0n) throw new PoolError('', `reverted (bare require): mint amount must be > 0; was ${liquidity}`);
    return this.mintRaw(owner, id, tickLower, tickUpper, L).position;
  }

  private mintRaw(owner: string, id: number, tickLower: number, tickUpper: number, L: bigint): { position: V3ExactPosition; amount0: bigint; amount1: bigint } {
    const key = `${owner}#${id}`;
    const { amount0, amount1 } = this.pool.mint(key, tickLower, tickUpper, L);
    this.balance0Raw += amount0;
    this.balance1Raw += amount1;
    return { position: { key, tickLower, tickUpper }, amount0, amount1 };
  }

  burn(p: V3ExactPosition, fraction: number): BurnFill {
    const L = this.pool.position(p.key, p.tickLower, p.tickUpper).liquidity;
    // A fraction of L, rounded down (53-bit fraction: the float's full precision).
    const amount = fraction === 1 ? L : (L * BigInt(Math.floor(fraction * 2 ** 53))) >> 53n;
    const principal = this.pool.burn(p.key, p.tickLower, p.tickUpper, amount);
    const collected = this.pool.collect(p.key, p.tickLower, p.tickUpper);
    this.balance0Raw -= collected.amount0;
    this.balance1Raw -= collected.amount1;
    return {
      base: toHuman(principal.amount0),
      quote: toHuman(principal.amount1),
      feesBase: toHuman(collected.amount0 - principal.amount0),
      feesQuote: toHuman(collected.amount1 - principal.amount1),
    };
  }

  collect(p: V3ExactPosition): { feesBase: number; feesQuote: number } {
    this.pool.burn(p.key, p.tickLower, p.tickUpper, 0n);
    const c = this.pool.collect(p.key, p.tickLower, p.tickUpper);
    this.balance0Raw -= c.amount0;
    this.balance1Raw -= c.amount1;
    return { feesBase: toHuman(c.amount0), feesQuote: toHuman(c.amount1) };
  }

  /** Principal (what a burn would credit now, rounded down) and fees (tokensOwed + growth since the last poke) in raw units. */
  positionRaw(p: V3ExactPosition): { liquidity: bigint; amount0: bigint; amount1: bigint; fees0: bigint; fees1: bigint } {
    const info = this.pool.position(p.key, p.tickLower, p.tickUpper);
    const L = info.liquidity;
    const { amount0, amount1 } = getAmountsForLiquidityAtTick(this.pool.tick, this.pool.sqrtPriceX96, p.tickLower, p.tickUpper, L, false);
    const inside = this.pool.feeGrowthInside(p.tickLower, p.tickUpper);
    const fees0 = info.tokensOwed0 + feesOwed(inside.feeGrowthInside0X128, info.feeGrowthInside0LastX128, L);
    const fees1 = info.tokensOwed1 + feesOwed(inside.feeGrowthInside1X128, info.feeGrowthInside1LastX128, L);
    return { liquidity: L, amount0, amount1, fees0, fees1 };
  }

  readPosition(p: V3ExactPosition, out: V3CorePositionAmounts): void {
    const r = this.positionRaw(p);
    out.liquidity = toHuman(r.liquidity);
    out.base = toHuman(r.amount0);
    out.quote = toHuman(r.amount1);
    out.feesBase = toHuman(r.fees0);
    out.feesQuote = toHuman(r.fees1);
  }

  // ------------------------------------------------------------------ time

  /** The pool's block timestamp (seconds). */
  time(): number {
    return this.pool.blockTimestamp;
  }

  /** Sets the pool's block timestamp (a no-op when unchanged). */
  setTime(time: number): void {
    if (time !== this.pool.blockTimestamp) this.pool.setBlockTimestamp(time);
  }

  secondsPerLiquidityInsideX128(tickLower: number, tickUpper: number): bigint {
    return this.pool.snapshotCumulativesInside(tickLower, tickUpper).secondsPerLiquidityInsideX128;
  }
}

/**
 * # V3ExactEnginePool: the engine's `--exact` v3 pool — {@link V3EnginePool} over {@link V3ExactCore}, the bigint
 * {@link V3Pool} with the raw ↔ human conversion at the boundary (see there for the rounding)
 *
 * Background LPs are positions of the owner 'background'; a position's V3Pool owner key is `owner#id`.
 */
export class V3ExactEnginePool extends V3EnginePool<V3ExactPosition, V3ExactCore> {
  /** The contract mirror (read it freely; mutate only through this adapter to keep balances right). */
  readonly pool: V3Pool;

  /** A pool at `price` with fee `fee` (a fraction in whole hundredths of a bip, 0.003 = 3000 pips). */
  constructor(fee: number, tickSpacing: number, price: number) {
    super(new V3ExactCore(fee, tickSpacing, price), true);
    this.pool = this.core.pool;
  }

  /** The pool's raw token balances (exact conservation checks). */
  tokenBalancesRaw(): { amount0: bigint; amount1: bigint } {
    return this.core.tokenBalancesRaw();
  }

  /** A position's principal (what a burn would credit now, rounded down) and fees owed, in raw units. */
  positionRaw(positionId: number): { liquidity: bigint; amount0: bigint; amount1: bigint; fees0: bigint; fees1: bigint } {
    return this.core.positionRaw(this.corePosition(positionId));
  }
}
