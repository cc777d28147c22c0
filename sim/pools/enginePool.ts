/**
 * The engine's view of a pool. Adapters in sim/pools implement it over the exact (bigint) pools and over
 * the float fast paths, for v2 and v3. All amounts here are in human token units (`number`); base is the
 * risky asset (token0 in ammsim's own simulated pools), quote the numeraire (token1), and a price is quote
 * per one base (= token1/token0, so it rises with the v3 tick).
 *
 * Sign convention of {@link SwapFill}: deltas are from the pool's side, > 0 means paid into the pool.
 * Quote methods (`quote*`) never mutate; the others apply.
 */
export interface SwapFill {
  /** Base paid into the pool (> 0) or out of it (< 0). */
  readonly baseDelta: number;
  /** Quote paid into the pool (> 0) or out of it (< 0). */
  readonly quoteDelta: number;
  /** Total LP fee charged on this swap, in the input token (base for a sell of base, quote for a buy). */
  readonly feeAmount: number;
  /** True when the fee was charged in base (a base → quote swap). */
  readonly feeInBase: boolean;
  /** Pool mid price after the swap. */
  readonly priceAfter: number;
}

/** A price range for a position; `null` means full range (v2, or v3 MIN_TICK..MAX_TICK snapped to spacing). */
export interface PriceRange {
  readonly lower: number;
  readonly upper: number;
}

export interface MintFill {
  readonly positionId: number;
  /** Tokens actually taken from the owner (≤ the amounts offered). */
  readonly base: number;
  readonly quote: number;
  /** The range actually used (snapped outward to ticks for v3); null for full range. */
  readonly range: PriceRange | null;
}

export interface BurnFill {
  /** Principal returned by the burn. */
  readonly base: number;
  readonly quote: number;
  /** Fees collected with it (all fees owed to the position). */
  readonly feesBase: number;
  readonly feesQuote: number;
  /**
   * The same fees as earned: each swap's fee in the token it was paid in (see {@link PositionView.feesEarnedBase}).
   * Absent where they are the fee tokens themselves (v3).
   */
  readonly feesEarnedBase?: number;
  readonly feesEarnedQuote?: number;
}

export interface PositionView {
  readonly positionId: number;
  readonly owner: string;
  /** Liquidity in the pool's own units (v2: LP tokens; v3: L), as a float for display and share maths. */
  readonly liquidity: number;
  /**
   * Principal the position would return if burned now (excludes fees). v2: the amounts of the liquidity the
   * position would have had had no fee been reinvested (= baseNoFees/quoteNoFees, at most its share).
   */
  readonly base: number;
  readonly quote: number;
  /**
   * Fee tokens the position holds and has not collected. v2 compounds fees into the reserves, so these are the
   * position's share of the reserves less its principal: the reinvested fees' liquidity, in both tokens, moving
   * with the price like any liquidity (never negative).
   */
  readonly feesBase: number;
  readonly feesQuote: number;
  /**
   * The fees earned since the position was opened or last collected, each in the token it was paid in (a swap's
   * fee is in its input token) and not yet collected. v3: the same as feesBase/feesQuote. v2: differs from them,
   * since the pool reinvests each fee; `feesEarned` values these at the price of the step they were earned.
   */
  readonly feesEarnedBase: number;
  readonly feesEarnedQuote: number;
  readonly range: PriceRange | null;
  readonly inRange: boolean;
  /**
   * The principal of the same position had no fee ever been reinvested (v2 compounds fees into the reserves;
   * in v3 this equals base/quote). Used for IL and LVR, which are defined without fees.
   */
  readonly baseNoFees: number;
  readonly quoteNoFees: number;
}

/** A {@link PositionView} a pool rewrites in place ({@link EnginePool.livePosition}). */
export type LivePositionRecord = { -readonly [K in keyof PositionView]: PositionView[K] };

/** An immutable snapshot of a live record (a new object in {@link PositionView}'s field order). */
export function snapshotPosition(live: Readonly<PositionView>): PositionView {
  return {
    positionId: live.positionId,
    owner: live.owner,
    liquidity: live.liquidity,
    base: live.base,
    quote: live.quote,
    feesBase: live.feesBase,
    feesQuote: live.feesQuote,
    feesEarnedBase: live.feesEarnedBase,
    feesEarnedQuote: live.feesEarnedQuote,
    range: live.range,
    inRange: live.inRange,
    baseNoFees: live.baseNoFees,
    quoteNoFees: live.quoteNoFees,
  };
}

export interface EnginePool {
  readonly kind: 'v2' | 'v3';
  /** True when backed by the bigint contract mirror. */
  readonly exact: boolean;
  /** LP fee as a fraction (0.003 = 0.30 %). */
  readonly fee: number;
  /** Current mid price (quote per base). */
  price(): number;
  /** Active liquidity in the pool's own units (float), for metrics and reports. */
  activeLiquidity(): number;
  /** Every token the pool holds (reserves, uncollected fees, protocol fees), for conservation checks. */
  tokenBalances(): { base: number; quote: number };
  /** What a swap moving the price to `targetPrice` would do (no mutation). Zero fill if already there. */
  quoteToPrice(targetPrice: number): SwapFill;
  /** Swap so the price moves to `targetPrice` (v3: across any number of ticks). */
  swapToPrice(targetPrice: number): SwapFill;
  /** What an exact-input swap would do (no mutation). */
  quoteExactIn(baseIn: boolean, amountIn: number): SwapFill;
  swapExactIn(baseIn: boolean, amountIn: number): SwapFill;
  /**
   * Adds liquidity for `owner` over `range` using at most `base` and `quote`; the position takes the largest
   * liquidity the amounts allow at the current price. Throws PoolError when nothing can be minted.
   */
  mint(owner: string, range: PriceRange | null, base: number, quote: number): MintFill;
  /** Removes `fraction` (0 < f ≤ 1) of a position's liquidity and collects all its fees. */
  burn(positionId: number, fraction: number): BurnFill;
  /** Collects a position's fees without touching liquidity. */
  collect(positionId: number): { feesBase: number; feesQuote: number };
  /** The position now: an immutable snapshot, the same object until the pool's state next changes. */
  position(positionId: number): PositionView;
  /**
   * The position now, without making an object: the pool's own record of it, rewritten in place when the pool's
   * state next changes, so it must be read at once and never kept. The same numbers as {@link position}. For the
   * engine's per-step bookkeeping (it reads every open position after each step's trading and at the step's end);
   * strategies are handed {@link position}'s snapshots.
   */
  livePosition(positionId: number): Readonly<PositionView>;
  /**
   * The base:quote amounts (per unit of liquidity value) a range needs at the current price, or at `atPrice`:
   * the share of value held in base, in [0, 1].
   */
  baseValueShare(range: PriceRange | null, atPrice?: number): number;
  /** Snap a requested range outward to what the pool can represent (v3 ticks); identity for v2 full range. */
  snapRange(range: PriceRange | null): PriceRange | null;
  /**
   * v3: the tokens a mint of raw liquidity `liquidity` on [tickLower, tickUpper) takes now (rounded up on the exact
   * pool), without minting. Throws ConfigError for ticks the pool cannot use.
   */
  amountsForTicks?(tickLower: number, tickUpper: number, liquidity: bigint): { base: number; quote: number };
  /** v3: mints raw liquidity `liquidity` on [tickLower, tickUpper) for `owner` (exact pool: exactly; float pool: the nearest float). */
  mintTicks?(owner: string, tickLower: number, tickUpper: number, liquidity: bigint): MintFill;
}
