/**
 * The breakeven reward-token price: the constant price p* of the reward token at which the LP with its rewards ends
 * level with a benchmark (holding the deposited tokens, or staking).
 *
 * Model (constant reward price, first order). Split the LP's final value into what does not depend on the reward
 * price, V0 (the position, fees, gas paid — everything but the rewards), and the rewards:
 *  - R_h reward tokens still held at the end (claimed and kept, plus pending) are worth p each;
 *  - R_s reward tokens sold (or sold to compound) fetched p each, less the fraction s lost selling them (the reward
 *    pool's fee and price impact, taken from the run as slippage ÷ the value sold at the reward price).
 * So at a constant price p the LP ends at V0 + p·(R_h + (1 − s)·R_s), and p* solves V0 + p*·(R_h + (1 − s)·R_s) = B:
 *   p* = (B − V0) / (R_h + (1 − s)·R_s).
 * Assumptions: the reward price does not move the pool or the LP's trading (the reward pool's depth is quoted in quote,
 * so s would change with p; it is held at the run's value); compounded rewards count as sold (their quote's later
 * change inside the position is ignored); fees taken from claims (performance, caller) are never the LP's tokens and
 * are not in R_h or R_s; gas is in V0. A negative p* means the LP ends ahead of the benchmark even with worthless
 * rewards. Undefined (with a reason) when the LP has no reward tokens to price, or the inputs are not finite.
 */

export interface BreakevenRewardPriceInput {
  /** V0: the LP's final value without its rewards (held, pending and sold), quote units. */
  readonly lpValueWithoutRewards: number;
  /** B: the benchmark's final value (hold, or staking), quote units. */
  readonly benchmarkValue: number;
  /** R_h: reward tokens held at the end, claimed and kept plus pending (whole tokens, ≥ 0). */
  readonly tokensHeld: number;
  /** R_s: reward tokens sold or compounded over the run (whole tokens, ≥ 0). */
  readonly tokensSold: number;
  /** s: fraction of the sold tokens' value (at the reward price) lost selling them, [0, 1). Default 0. */
  readonly saleLoss?: number;
}

export type BreakevenRewardPrice = { readonly price: number; readonly reason?: undefined } | { readonly price: undefined; readonly reason: string };

/** p* = (B − V0) / (R_h + (1 − s)·R_s), or undefined with the reason (see the model above). */
export function breakevenRewardPrice(x: BreakevenRewardPriceInput): BreakevenRewardPrice {
  const s = x.saleLoss ?? 0;
  for (const [name, v] of [
    ['lpValueWithoutRewards', x.lpValueWithoutRewards],
    ['benchmarkValue', x.benchmarkValue],
    ['tokensHeld', x.tokensHeld],
    ['tokensSold', x.tokensSold],
    ['saleLoss', s],
  ] as const) {
    if (!Number.isFinite(v)) return { price: undefined, reason: `${name} is not a finite number (${v})` };
  }
  if (x.tokensHeld < 0 || x.tokensSold < 0) return { price: undefined, reason: 'reward token amounts must be ≥ 0' };
  if (!(s >= 0 && s < 1)) return { price: undefined, reason: `the sale loss must be in [0, 1); was ${s}` };
  const tokens = x.tokensHeld + (1 - s) * x.tokensSold;
  if (!(tokens > 0)) return { price: undefined, reason: 'the LP earned no reward tokens: no reward price changes its value' };
  return { price: (x.benchmarkValue - x.lpValueWithoutRewards) / tokens };
}

/** The run's figures the breakeven is read from (the engine's reward totals and the run's final values). */
export interface RunRewardBreakevenInput {
  /** The LP's final value with its rewards (summary finalValue). */
  readonly finalValue: number;
  /** The reward token's last price (quote). */
  readonly rewardPriceAtEnd: number;
  /** Reward tokens held (claimed, kept) and pending at the end. */
  readonly tokensHeld: number;
  /** Reward tokens sold or compounded over the run. */
  readonly tokensSold: number;
  /** Quote the sales fetched (set aside + compounded into positions). */
  readonly saleProceeds: number;
  /** Value lost selling (vs the reward price, pool fee included), quote. */
  readonly saleSlippage: number;
}

/**
 * The run's split into V0 and the rewards: V0 = finalValue − R_h·p_end − proceeds, and s = slippage / (proceeds +
 * slippage) (what the sold tokens were worth at the reward price when sold = proceeds + slippage).
 */
export function rewardBreakevenInputOf(x: RunRewardBreakevenInput, benchmarkValue: number): BreakevenRewardPriceInput {
  const soldValue = x.saleProceeds + x.saleSlippage;
  return {
    lpValueWithoutRewards: x.finalValue - x.tokensHeld * x.rewardPriceAtEnd - x.saleProceeds,
    benchmarkValue,
    tokensHeld: x.tokensHeld,
    tokensSold: x.tokensSold,
    saleLoss: soldValue > 0 ? x.saleSlippage / soldValue : 0,
  };
}
