import type { Rng } from '../core/rng.ts';
import type { PositionView, PriceRange } from '../pools/enginePool.ts';

/**
 * What a strategy sees at a step. Read-only, and only the past: `history.price(i)` for i ≤ `step`
 * (asking for a later index throws), so a strategy cannot look ahead.
 */
export interface StrategyContext {
  readonly step: number;
  readonly timestampMs: number;
  /** Market price at this step (quote per base). */
  readonly price: number;
  /** Pool mid price at this step, after this step's trading. */
  readonly poolPrice: number;
  readonly fee: number;
  readonly poolKind: 'v2' | 'v3';
  readonly history: HistoryView;
  /** The LP's idle tokens. Collected fees are set aside (they count in LP value, not here). */
  readonly wallet: { readonly base: number; readonly quote: number };
  /** Collected fees set aside (spendable with a `useFees` action). */
  readonly collectedFees: { readonly base: number; readonly quote: number };
  /** The LP's open positions, in opening order. */
  readonly positions: readonly PositionView[];
  /** Gas cost, in quote, of one action of each kind at this step. */
  readonly gasCost: (action: 'mint' | 'burn' | 'collect' | 'swap') => number;
  readonly rng: Rng;
  /** Liquidity-mining rewards (`--incentive`): all zero in a run without programs. */
  readonly rewards: RewardsView;
}

/** The LP's liquidity-mining rewards as a strategy sees them. */
export interface RewardsView {
  /** Reward tokens claimable now, of program index `program` or of all programs (whole tokens). */
  pending(program?: number): number;
  /** Reward tokens claimed and held (whole tokens). */
  readonly held: number;
  /** The reward token's price in quote at this step (NaN without programs). */
  readonly price: number;
  /** Number of programs in the run. */
  readonly programs: number;
}

export interface HistoryView {
  /** Number of steps visible (= current step + 1). */
  readonly length: number;
  /** Market price at step i ≤ current step. */
  price(i: number): number;
  timestampMs(i: number): number;
  /** An extra column's value at step i ≤ current step (e.g. 'volume'), undefined if the series lacks it. */
  extra(name: string, i: number): number | undefined;
}

/**
 * LP intents. The engine validates and applies them in order, charging gas per action.
 * - `mint`: open a position over `range` (null = full range) from the wallet. A mint funds itself: unless it names
 *   amounts, the engine first swaps wallet tokens through the pool to the range's token ratio (paying fee and price
 *   impact), then mints with everything it can. `swapToRatio: false` opts out (the strategy manages its own tokens:
 *   the mint takes what fits of `base`/`quote`, default the whole wallet); a mint that names `base`/`quote` does not
 *   swap unless `swapToRatio: true`. `rebalance: true` is the older name of `swapToRatio: true` and still accepted.
 *   With a debt (gas paid beyond the wallet) the mint uses what the wallet holds; with nothing to mint, the run
 *   records a warning instead of failing.
 * - `mint` by ticks and liquidity: `{ kind: 'mint', ticks: { lower, upper }, liquidity: '123456789' }` (a
 *   decimal string or a bigint, uint128) opens exactly that position, as a Uniswap v3 `mint(tickLower, tickUpper,
 *   amount)`: no price range, no snapping, no sizing from capital. The ticks and liquidity are the real pool's
 *   (as its event logs and `ammsim validate` name them) when a real-data fee model prices the run
 *   (`--fee-model replay|volume`, pool tokens from `--decimals0/1`, `--price-of`); the engine's simulated pool
 *   mints the same position in its own coordinates (exact when they coincide, else the range snapped outward
 *   and the liquidity scaled). Without such a model they are the simulated pool's own (exact on `--exact`, the
 *   nearest float on the float pool). The wallet must hold the amounts the mint takes; it is first swapped to
 *   the range's ratio unless `swapToRatio: false`. v3 only.
 *   This is how a user replays their own real position as a strategy.
 * - `burn`: remove `fraction` (default 1) of a position; the principal returns to the wallet, its fees are collected
 *   and set aside (not reinvested, so fees and IL stay separable).
 * - `collect`: collect a position's fees (set aside).
 * - `useFees`: move the collected fees set aside into the wallet, where the next mint re-invests them
 *   (compounding) and gas is paid from them. The fees stay counted as fees earned; IL and LVR exclude them.
 * - `swap`: trade wallet tokens through the pool.
 * - `stake` / `unstake`: stake a position in liquidity-mining program index `program` (default: every program), or
 *   take it out (rewards stop accruing to it). Every position is staked in every program when minted, so a strategy
 *   only needs these to opt out or back in. Needs at least one `--incentive` program.
 * - `claim`: claim the rewards of `program` (default: all) and hold them; gas as a harvest.
 */
export type LpAction =
  | {
      readonly kind: 'mint';
      readonly range: PriceRange | null;
      readonly base?: number;
      readonly quote?: number;
      readonly swapToRatio?: boolean;
      /** @deprecated the older name of `swapToRatio: true`. */
      readonly rebalance?: boolean;
      readonly ticks?: undefined;
    }
  | {
      readonly kind: 'mint';
      /** Integer ticks on the pool's spacing. */
      readonly ticks: { readonly lower: number; readonly upper: number };
      /** Raw uint128 liquidity: a decimal string or a bigint. */
      readonly liquidity: string | bigint;
      readonly swapToRatio?: boolean;
      readonly range?: undefined;
    }
  | { readonly kind: 'burn'; readonly positionId: number; readonly fraction?: number }
  | { readonly kind: 'collect'; readonly positionId: number }
  | { readonly kind: 'useFees' }
  | { readonly kind: 'swap'; readonly baseIn: boolean; readonly amountIn: number }
  | { readonly kind: 'stake'; readonly positionId: number; readonly program?: number }
  | { readonly kind: 'unstake'; readonly positionId: number; readonly program?: number }
  | { readonly kind: 'claim'; readonly program?: number };

/**
 * An LP strategy. The engine calls `onStart` once (the LP's wallet then holds the capital in quote), `onStep`
 * after each step's trading, and `onEnd` after the last step. Return a shared empty array when idle: it is
 * the hot path.
 */
export interface LpStrategy<P = unknown> {
  /** Stable id, used in reports and sort order. */
  readonly id: string;
  readonly params: Readonly<P>;
  onStart(ctx: StrategyContext): readonly LpAction[];
  onStep(ctx: StrategyContext): readonly LpAction[];
  onEnd?(ctx: StrategyContext): readonly LpAction[];
}

/** A factory as exported by a user's strategy module (`export default defineStrategy(...)`) or a built-in. */
export interface LpStrategyFactory<P = unknown> {
  readonly name: string;
  readonly description: string;
  /** Parameter names with their defaults; unknown keys are rejected with a "did you mean" hint. */
  readonly defaults: Readonly<P>;
  create(params: Readonly<P>): LpStrategy<P>;
}

export const NO_ACTIONS: readonly LpAction[] = Object.freeze([]);

/** A trader's read-only view of the market at a step: the market price and pool quotes (never mutate). */
export interface TraderContext {
  readonly step: number;
  readonly timestampMs: number;
  readonly price: number;
  readonly poolPrice: number;
  readonly fee: number;
  /** Pool quotes: what a swap would do, without doing it. */
  quoteToPrice(targetPrice: number): import('../pools/enginePool.ts').SwapFill;
  quoteExactIn(baseIn: boolean, amountIn: number): import('../pools/enginePool.ts').SwapFill;
  /** Gas cost of one swap in quote at this step. */
  readonly swapGasCost: number;
  /** An extra series column at this step (e.g. 'volume'), undefined if absent. */
  extra(name: string): number | undefined;
  readonly rng: Rng;
}

/** Trader intents: move the pool price to a target, or swap an exact input. */
export type SwapIntent =
  | { readonly kind: 'toPrice'; readonly targetPrice: number }
  | { readonly kind: 'exactIn'; readonly baseIn: boolean; readonly amountIn: number };

/** A trader strategy (arbitrageur, noise trader, replayed swaps). Called once per step, in a fixed order. */
export interface TraderStrategy {
  readonly id: string;
  onStep(ctx: TraderContext): readonly SwapIntent[];
}

export const NO_SWAPS: readonly SwapIntent[] = Object.freeze([]);
