import { snapshotPosition, type BurnFill, type EnginePool, type LivePositionRecord, type MintFill, type PositionView, type PriceRange, type SwapFill } from '../enginePool.ts';
import { ConfigError, PoolError } from '../../core/errors.ts';
import { getPriceAtTickFloat } from '../../math/v3/float.ts';
import { baseValueShareAt, baseValueShareAtPrice, rangeToTicks, usableTicks } from './v3Liquidity.ts';

/** What a core reports of one position now, in human units (principal as a burn would return it now). */
export interface V3CorePositionAmounts {
  liquidity: number;
  base: number;
  quote: number;
  /** Fees owed: tokensOwed + the growth inside since the position was last touched. */
  feesBase: number;
  feesQuote: number;
}

/**
 * # V3Core: a v3 pool by ticks and liquidity, as {@link V3EnginePool} drives it
 *
 * Implemented by the exact core (the bigint `V3Pool` and the raw ↔ human conversion, v3ExactEnginePool.ts) and the
 * float core (v3FloatPool.ts). Amounts are human token units (token0 = base, token1 = quote); liquidity is human
 * (raw L / 10^18) except where a method says raw. `P` is the core's own record of a position; the adapter keeps it
 * beside the owner, ticks and view cache and hands it back. A swap method returns `undefined` when there is nothing
 * to do (the price is already there, or no input); the adapter answers with a zero fill.
 */
export interface V3Core<P> {
  readonly fee: number;
  readonly tickSpacing: number;
  /** Changes whenever the state a quote or a position view depends on changes (time excluded). */
  readonly version: number;
  price(): number;
  /** √price as a float (quote per base), for value shares. */
  sqrtPrice(): number;
  /** slot0.tick. */
  currentTick(): number;
  activeLiquidity(): number;
  tokenBalances(): { base: number; quote: number };

  quoteToPrice(targetPrice: number): SwapFill | undefined;
  swapToPrice(targetPrice: number): SwapFill | undefined;
  quoteExactIn(baseIn: boolean, amountIn: number): SwapFill | undefined;
  swapExactIn(baseIn: boolean, amountIn: number): SwapFill | undefined;

  /**
   * Mints the largest liquidity `base` and `quote` buy on [tickLower, tickUpper) at the current price, as position
   * `id` of `owner`, taking at most the amounts offered; `undefined` when they buy none (nothing changes then).
   */
  mintForAmounts(owner: string, id: number, tickLower: number, tickUpper: number, base: number, quote: number): { position: P; base: number; quote: number } | undefined;
  /** Mints raw liquidity `liquidity` (exact core: exactly; float core: the nearest float of raw / 10^18). */
  mintRawLiquidity(owner: string, id: number, tickLower: number, tickUpper: number, liquidity: bigint): { position: P; base: number; quote: number };
  /** Mints human liquidity `liquidity` (exact core: raw = floor(L·10^18)); background seeding. */
  mintLiquidity(owner: string, id: number, tickLower: number, tickUpper: number, liquidity: number): P;
  /** The tokens raw liquidity `liquidity` on [tickLower, tickUpper) takes now (exact core: rounded up, as mint). */
  amountsForRawLiquidity(tickLower: number, tickUpper: number, liquidity: bigint): { base: number; quote: number };
  /** Removes `fraction` (validated, in (0, 1]) of the position's liquidity and collects everything it is owed. */
  burn(position: P, fraction: number): BurnFill;
  /** Collects the position's fees (a poke, then collect). */
  collect(position: P): { feesBase: number; feesQuote: number };
  /** The position now, into `out`. */
  readPosition(position: P, out: V3CorePositionAmounts): void;

  /** The pool's clock (seconds). */
  time(): number;
  /** Moves the clock to `time` (seconds). */
  setTime(time: number): void;
  /**
   * `snapshotCumulativesInside(tickLower, tickUpper).secondsPerLiquidityInsideX128`: seconds per raw liquidity × 2^128,
   * modulo 2^160 (exact core: the contract's value; float core: the nearest integer of its float reading).
   */
  secondsPerLiquidityInsideX128(tickLower: number, tickUpper: number): bigint;
}

/** The adapter's record of an open position: what every core shares, and the core's own record. */
interface V3EnginePosition<P> {
  readonly owner: string;
  readonly tickLower: number;
  readonly tickUpper: number;
  /** The range as reported (null for full range). */
  readonly range: PriceRange | null;
  readonly core: P;
  /** The position's numbers ({@link V3EnginePool.livePosition}), and the core's state version they were read at. */
  readonly live: LivePositionRecord;
  liveVersion: number;
  /** The last snapshot ({@link V3EnginePool.position}) and the core's state version it was taken at. */
  view: PositionView | undefined;
  viewVersion: number;
}

/**
 * # V3EnginePool: the engine's v3 pool, over either core
 *
 * Everything the engine interface needs beyond a pool by ticks and liquidity lives here once: price ranges ↔ ticks
 * (snapped outward to the spacing, sim/pools/v3/v3Liquidity.ts `rangeToTicks`), value shares, zero fills, position
 * ids and owners, the ranges reported, argument checks, and the immutable position views, cached until the core's
 * state next changes (the engine asks for the same view several times per step). The core ({@link V3Core}) does
 * the swaps, liquidity and accounting: {@link V3FloatPool} (float fast path) and {@link V3ExactEnginePool} (the
 * bigint contract mirror) are this adapter over each core.
 */
export class V3EnginePool<P, C extends V3Core<P> = V3Core<P>> implements EnginePool {
  readonly kind = 'v3' as const;
  readonly exact: boolean;
  readonly fee: number;
  readonly tickSpacing: number;
  /** The lowest / highest tick on the spacing (full range). */
  readonly minUsableTick: number;
  readonly maxUsableTick: number;
  protected readonly core: C;
  private readonly positions = new Map<number, V3EnginePosition<P>>();
  private nextId = 1;
  private readonly scratch: V3CorePositionAmounts = { liquidity: 0, base: 0, quote: 0, feesBase: 0, feesQuote: 0 };

  constructor(core: C, exact: boolean) {
    this.core = core;
    this.exact = exact;
    this.fee = core.fee;
    this.tickSpacing = core.tickSpacing;
    const usable = usableTicks(core.tickSpacing);
    this.minUsableTick = usable.minTick;
    this.maxUsableTick = usable.maxTick;
  }

  // ------------------------------------------------------------------ views

  price(): number {
    return this.core.price();
  }

  /** Current tick (slot0.tick: after a swap down that ends on a tick t, t − 1). */
  currentTick(): number {
    return this.core.currentTick();
  }

  activeLiquidity(): number {
    return this.core.activeLiquidity();
  }

  tokenBalances(): { base: number; quote: number } {
    return this.core.tokenBalances();
  }

  // ------------------------------------------------------------------ swaps

  quoteToPrice(targetPrice: number): SwapFill {
    return this.core.quoteToPrice(targetPrice) ?? this.zeroFill();
  }

  swapToPrice(targetPrice: number): SwapFill {
    return this.core.swapToPrice(targetPrice) ?? this.zeroFill();
  }

  quoteExactIn(baseIn: boolean, amountIn: number): SwapFill {
    return this.core.quoteExactIn(baseIn, amountIn) ?? this.zeroFill();
  }

  swapExactIn(baseIn: boolean, amountIn: number): SwapFill {
    return this.core.swapExactIn(baseIn, amountIn) ?? this.zeroFill();
  }

  private zeroFill(): SwapFill {
    return { baseDelta: 0, quoteDelta: 0, feeAmount: 0, feeInBase: false, priceAfter: this.core.price() };
  }

  // ------------------------------------------------------------------ ranges

  /**
   * The ticks of a price range: lower floored and upper ceiled to the spacing (outward), within the usable
   * ticks; a range narrower than one spacing widens to one. `null` = full range.
   */
  rangeTicks(range: PriceRange | null): { tickLower: number; tickUpper: number } {
    return rangeToTicks(range, this.tickSpacing);
  }

  snapRange(range: PriceRange | null): PriceRange | null {
    if (range === null) return null;
    const { tickLower, tickUpper } = this.rangeTicks(range);
    return { lower: getPriceAtTickFloat(tickLower), upper: getPriceAtTickFloat(tickUpper) };
  }

  baseValueShare(range: PriceRange | null, atPrice?: number): number {
    const { tickLower, tickUpper } = this.rangeTicks(range);
    if (atPrice !== undefined) return baseValueShareAtPrice(atPrice, tickLower, tickUpper);
    return baseValueShareAt(this.core.sqrtPrice(), this.core.currentTick(), tickLower, tickUpper);
  }

  // ------------------------------------------------------------------ liquidity

  mint(owner: string, range: PriceRange | null, base: number, quote: number): MintFill {
    if (!(base >= 0 && quote >= 0)) throw new ConfigError('mint', `amounts must be ≥ 0; were ${base} base, ${quote} quote`);
    const { tickLower, tickUpper } = this.rangeTicks(range);
    const id = this.nextId;
    const m = this.core.mintForAmounts(owner, id, tickLower, tickUpper, base, quote);
    if (m === undefined) {
      throw new PoolError('', `reverted (bare require): mint amount must be > 0 (${base} base and ${quote} quote buy no liquidity on ticks [${tickLower}, ${tickUpper}) at tick ${this.core.currentTick()})`);
    }
    this.open(id, owner, tickLower, tickUpper, range === null, m.position);
    return { positionId: id, base: m.base, quote: m.quote, range: range === null ? null : { lower: getPriceAtTickFloat(tickLower), upper: getPriceAtTickFloat(tickUpper) } };
  }

  /** The tokens a mint of raw liquidity `liquidity` on [tickLower, tickUpper) takes now (exact pool: rounded up). */
  amountsForTicks(tickLower: number, tickUpper: number, liquidity: bigint): { base: number; quote: number } {
    this.checkTicks('ticks', tickLower, tickUpper);
    return this.core.amountsForRawLiquidity(tickLower, tickUpper, liquidity);
  }

  /** Mints raw liquidity `liquidity` on [tickLower, tickUpper) for `owner` (exact pool: exactly; float: the nearest float). */
  mintTicks(owner: string, tickLower: number, tickUpper: number, liquidity: bigint): MintFill {
    const id = this.nextId;
    const m = this.core.mintRawLiquidity(owner, id, tickLower, tickUpper, liquidity);
    this.open(id, owner, tickLower, tickUpper, false, m.position);
    return { positionId: id, base: m.base, quote: m.quote, range: { lower: getPriceAtTickFloat(tickLower), upper: getPriceAtTickFloat(tickUpper) } };
  }

  /**
   * Adds liquidity `liquidity` (human units; the exact pool mints raw floor(L·10^18)) on [tickLower, tickUpper) for
   * `owner` as a new position, taking the tokens it needs (background seeding). Returns the position id.
   */
  mintLiquidity(owner: string, tickLower: number, tickUpper: number, liquidity: number, fullRange = false): number {
    const id = this.nextId;
    const position = this.core.mintLiquidity(owner, id, tickLower, tickUpper, liquidity);
    this.open(id, owner, tickLower, tickUpper, fullRange, position);
    return id;
  }

  private open(id: number, owner: string, tickLower: number, tickUpper: number, fullRange: boolean, core: P): void {
    this.nextId = id + 1;
    const range = fullRange ? null : Object.freeze({ lower: getPriceAtTickFloat(tickLower), upper: getPriceAtTickFloat(tickUpper) });
    const live: LivePositionRecord = { positionId: id, owner, liquidity: 0, base: 0, quote: 0, feesBase: 0, feesQuote: 0, feesEarnedBase: 0, feesEarnedQuote: 0, range, inRange: false, baseNoFees: 0, quoteNoFees: 0 };
    this.positions.set(id, { owner, tickLower, tickUpper, range, core, live, liveVersion: -1, view: undefined, viewVersion: -1 });
  }

  /** Ticks a position can use: multiples of the spacing with minUsableTick ≤ tickLower < tickUpper ≤ maxUsableTick. */
  protected checkTicks(what: string, tickLower: number, tickUpper: number): void {
    const sp = this.tickSpacing;
    if (!(Number.isInteger(tickLower) && Number.isInteger(tickUpper) && tickLower < tickUpper && tickLower >= this.minUsableTick && tickUpper <= this.maxUsableTick && tickLower % sp === 0 && tickUpper % sp === 0)) {
      throw new ConfigError(what, `must be multiples of ${sp} with ${this.minUsableTick} ≤ tickLower < tickUpper ≤ ${this.maxUsableTick}; were [${tickLower}, ${tickUpper}]`);
    }
  }

  burn(positionId: number, fraction: number): BurnFill {
    const p = this.get(positionId);
    if (!(fraction > 0 && fraction <= 1)) throw new ConfigError('fraction', `must be in (0, 1]; was ${fraction}`);
    const fill = this.core.burn(p.core, fraction);
    if (fraction === 1) {
      this.positions.delete(positionId);
      this.lastPosition = undefined;
    }
    return fill;
  }

  collect(positionId: number): { feesBase: number; feesQuote: number } {
    return this.core.collect(this.get(positionId).core);
  }

  /** The position now; the same snapshot until the pool's state next changes (the engine asks several times per step). */
  position(positionId: number): PositionView {
    const p = this.get(positionId);
    const version = this.core.version;
    if (p.view !== undefined && p.viewVersion === version) return p.view;
    p.view = snapshotPosition(this.refresh(p, version));
    p.viewVersion = version;
    return p.view;
  }

  livePosition(positionId: number): Readonly<PositionView> {
    const p = this.get(positionId);
    return this.refresh(p, this.core.version);
  }

  /** The position's live record, read from the core again if its state has changed since. */
  private refresh(p: V3EnginePosition<P>, version: number): LivePositionRecord {
    const live = p.live;
    if (p.liveVersion === version) return live;
    const s = this.scratch;
    this.core.readPosition(p.core, s);
    const tick = this.core.currentTick();
    live.liquidity = s.liquidity;
    live.base = s.base;
    live.quote = s.quote;
    live.feesBase = s.feesBase;
    live.feesQuote = s.feesQuote;
    live.feesEarnedBase = s.feesBase;
    live.feesEarnedQuote = s.feesQuote;
    live.inRange = tick >= p.tickLower && tick < p.tickUpper;
    live.baseNoFees = s.base;
    live.quoteNoFees = s.quote;
    p.liveVersion = version;
    return live;
  }

  /** Every open position's id, ascending (background liquidity included). */
  positionIds(): number[] {
    return [...this.positions.keys()].sort((a, b) => a - b);
  }

  /** The ticks of an open position. */
  positionTicks(positionId: number): { tickLower: number; tickUpper: number } {
    const p = this.get(positionId);
    return { tickLower: p.tickLower, tickUpper: p.tickUpper };
  }

  /** The core's record of an open position (PoolError '' when there is none). */
  protected corePosition(positionId: number): P {
    return this.get(positionId).core;
  }

  private get(positionId: number): V3EnginePosition<P> {
    // the same position is asked for several times a step (the recorder, the trader's checks): the last one is kept
    if (this.lastPosition?.id === positionId) return this.lastPosition.p;
    const p = this.positions.get(positionId);
    if (p === undefined) throw new PoolError('', `no open position ${positionId}`);
    this.lastPosition = { id: positionId, p };
    return p;
  }

  /** The position {@link get} found last (cleared when a position is closed). */
  private lastPosition: { readonly id: number; readonly p: V3EnginePosition<P> } | undefined;

  // ------------------------------------------------------------------ time

  /** The pool's clock (seconds): the float pool's own clock, or the exact pool's block timestamp. */
  time(): number {
    return this.core.time();
  }

  /** Moves the pool's clock to `time` (seconds). */
  setTime(time: number): void {
    this.core.setTime(time);
  }

  /**
   * `snapshotCumulativesInside(tickLower, tickUpper).secondsPerLiquidityInsideX128` (seconds per raw liquidity ×
   * 2^128, mod 2^160; both ticks initialised). Only differences between two readings of one range mean anything.
   */
  secondsPerLiquidityInsideX128(tickLower: number, tickUpper: number): bigint {
    return this.core.secondsPerLiquidityInsideX128(tickLower, tickUpper);
  }
}
