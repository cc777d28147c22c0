import type { SeriesProvenance } from '../core/series.ts';

/**
 * Per-step record columns, in this fixed order (timeseries.arrow / timeseries.csv). Every column is a
 * Float64Array of length `steps`. Values are in quote units unless named otherwise. A run's `timestamp` and
 * `price` columns are the input series' own arrays (`series.timestampMs`, `series.price`), not copies: treat a
 * result's timeseries as read-only.
 */
export const TIMESERIES_COLUMNS = [
  'timestamp', // unix ms (Arrow: Timestamp[ms]; CSV: ISO-8601 UTC)
  'price', // market price
  'poolPrice', // pool mid price after the step's trading
  'lpValue', // LP position(s) incl. uncollected fees + idle wallet + collected fees (set aside) − gas paid so far
  'holdValue', // deposited token amounts at the market price
  'feesCumulative', // fees earned so far, each valued at the price when earned
  'impermanentLoss', // fraction: (LP value without fees and gas − hold) / hold
  'lvrCumulative', // Σ LVR so far (see metric definitions)
  'gasCumulative', // gas paid so far
  'inRange', // 1 when the LP had position(s), all in range, during this step's trading, else 0
  'rangeLower', // lower price of the LP's (first) position, NaN when none / full range
  'rangeUpper',
  'lpBase', // base held by the LP (positions' principal + wallet)
  'lpQuote',
  'activeLiquidity', // pool's active liquidity (float, pool units)
] as const;
export type TimeseriesColumn = (typeof TIMESERIES_COLUMNS)[number];
export type Timeseries = { readonly [K in TimeseriesColumn]: Float64Array } & { readonly [K in RewardColumn]?: Float64Array };

/**
 * Columns appended after {@link TIMESERIES_COLUMNS} only when the run has liquidity-mining programs (a run without
 * keeps today's columns and bytes). `lpValue` then includes the rewards (held and pending at the reward price, and
 * the quote of sold rewards).
 */
export const REWARD_COLUMNS = [
  'rewardsCumulative', // rewards earned so far: each claim at the reward price when claimed + pending at this step's reward price
  'rewardTokensPending', // reward tokens claimable at this step (whole tokens)
  'rewardPrice', // the reward token's price in quote
] as const;
export type RewardColumn = (typeof REWARD_COLUMNS)[number];
/** A timeseries that may carry the reward columns (a run with programs). */
export type RewardTimeseries = Timeseries & { readonly [K in RewardColumn]?: Float64Array };

/** The columns a timeseries has, in file order: {@link TIMESERIES_COLUMNS}, then {@link REWARD_COLUMNS} when present. */
export function timeseriesColumnsOf(ts: Timeseries): readonly (TimeseriesColumn | RewardColumn)[] {
  return (ts as RewardTimeseries).rewardsCumulative === undefined ? TIMESERIES_COLUMNS : [...TIMESERIES_COLUMNS, ...REWARD_COLUMNS];
}

/** The keys of summary.json, in output order. CONTRACT.md lists the required ones; the rest are extensions. */
export interface Summary {
  initialValue: number;
  finalValue: number;
  holdValue: number;
  feesEarned: number;
  impermanentLoss: number;
  lvr: number;
  gasCost: number;
  netPnl: number;
  vsHold: number;
  apr: number;
  feeApr: number;
  timeInRange: number;
  rebalances: number;
  maxDrawdown: number;
  volatility: number;
  sharpe: number;
  steps: number;
  years: number;
  arbitrageTrades: number;
  arbitrageVolume: number;
  noiseTrades: number;
  noiseVolume: number;
  /** Fee tokens earned over the run, whole tokens (collected, uncollected and re-invested). */
  feesBase?: number;
  feesQuote?: number;
  /** Those fee tokens valued at the last price (fees earned are valued when earned; set-aside tokens keep moving). */
  feesValueAtEnd?: number;
  /** What the entry cost beyond gas (swap fee and price impact of the start's split), quote. */
  entryCost?: number;
  /** How far the entry moved the pool price (fraction). */
  entryPriceImpact?: number;
  /** Liquidity mining (present only when the run has programs; see README "Liquidity mining"). */
  rewardTokensEarned?: number;
  rewardsEarned?: number;
  rewardsValueAtEnd?: number;
  rewardAprSpot?: number;
  rewardApr?: number;
  totalApr?: number;
  apy?: number;
  apyCompoundsPerYear?: number;
  harvests?: number;
  harvestGas?: number;
  rewardSlippage?: number;
  performanceFees?: number;
  callerFees?: number;
  breakevenRewardPriceHold?: number | null;
  seed: number;
  /** The LP strategy's name (a user module's `defineStrategy` name; for a built-in the same as config.strategy). */
  strategyName: string;
  /** Things the user should know about the run (a strategy that could no longer act, a back-filled gas series…). */
  warnings?: string[];
  config: Readonly<Record<string, unknown>>;
  data: SeriesProvenance;
}

/** The kinds of {@link LpEvent}. `split` is the swap the engine makes before a mint to split the wallet to the range's ratio. */
export type LpEventKind = 'mint' | 'burn' | 'collect' | 'swap' | 'split' | 'rebalance' | 'harvest';

/**
 * A discrete LP event (events.json), in the order it happened: step order, and within a step the order of the
 * actions (a mint's `split` swap comes right before the mint; a `rebalance` after the step's LP actions; a harvest
 * policy's `harvest` after them, before a compound's burn and mint). Every event has the first six keys; what moved
 * is in the optional keys its kind has (README "events.json"). Token amounts are in whole tokens (base, quote), gas
 * and values in quote, liquidity in the pool's units (as `PositionView.liquidity`), prices in quote per base.
 */
export interface LpEvent {
  readonly step: number;
  readonly timestampMs: number;
  readonly kind: LpEventKind;
  /** Market price at the step. */
  readonly price: number;
  /** The position's range (rebalance: the new position's; split: the range it splits for); NaN for full range, a swap or a harvest. */
  readonly rangeLower: number;
  readonly rangeUpper: number;
  /** mint, burn, collect: the position; rebalance: the (last) position minted. */
  readonly positionId?: number;
  /** burn: the fraction of the position burned. */
  readonly fraction?: number;
  /** mint: tokens into the position; burn: principal out of it; rebalance: into the positions minted in the step. */
  readonly base?: number;
  readonly quote?: number;
  /** mint: liquidity added; burn: removed; rebalance: added in the step. */
  readonly liquidity?: number;
  /** burn, collect: fees collected (set aside); rebalance: collected in the step. */
  readonly feesBase?: number;
  readonly feesQuote?: number;
  /** rebalance: principal out of the positions burned in the step. */
  readonly outBase?: number;
  readonly outQuote?: number;
  /** rebalance: net tokens the step's swaps (split and strategy) gave the wallet (negative: paid). */
  readonly swapBase?: number;
  readonly swapQuote?: number;
  /** swap, split: true when the LP sold base for quote, false when it bought base with quote. */
  readonly baseIn?: boolean;
  /** swap, split: tokens paid in (the fee included) and received. */
  readonly amountIn?: number;
  readonly amountOut?: number;
  /** swap, split: the pool fee paid, in the input token (part of amountIn). */
  readonly fee?: number;
  /** swap, split: pool mid price before and after. */
  readonly priceBefore?: number;
  readonly priceAfter?: number;
  /** harvest: what the claim's tokens were for (`hold`, `sell`, `compound`). */
  readonly then?: string;
  /** harvest: reward tokens claimed (gross), the performance and caller fees taken from them, and those sold. */
  readonly rewardTokens?: number;
  readonly rewardFeeTokens?: number;
  readonly soldTokens?: number;
  /** harvest: quote the sale returned (sell, compound). */
  readonly soldQuote?: number;
  /** harvest: the reward token's price (quote). */
  readonly rewardPrice?: number;
  /** Gas paid for this action (quote); rebalance: for the step's LP actions; harvest: the claim's and the sale's. */
  readonly gas?: number;
  /** The LP's idle wallet after the event (collected fees are set aside, not in it). */
  readonly walletBase?: number;
  readonly walletQuote?: number;
}

export interface BacktestResult {
  readonly summary: Summary;
  readonly timeseries: Timeseries;
  readonly events: readonly LpEvent[];
}
