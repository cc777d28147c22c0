import type { BurnFill, LivePositionRecord, PositionView, PriceRange } from '../enginePool.ts';
import { ConfigError } from '../../core/errors.ts';

/**
 * Shared by the v2 engine pools (float and exact): writes a full-range position's numbers into `out` (its live
 * record) and returns it. `baseTotal`/`quoteTotal` are the position's share of the reserves (fees compound into
 * them). The principal is what the liquidity the position would have had had no fee been reinvested
 * (`liquidityNoFees`, L₀) holds at the pool price, x = L₀/√P and y = L₀·√P, capped at the share; the fee tokens are
 * the rest of the share, so neither is ever negative and the principal's divergence from holding is the classic
 * full-range impermanent loss. `earnedBase`/`earnedQuote` are the fees as earned, each in its swap's input token;
 * while both are 0 the whole share is principal.
 */
export function writeV2Position(
  out: LivePositionRecord,
  liquidity: number,
  baseTotal: number,
  quoteTotal: number,
  earnedBase: number,
  earnedQuote: number,
  liquidityNoFees: number,
  poolPrice: number,
): LivePositionRecord {
  const sqrtP = Math.sqrt(poolPrice);
  const baseNoFees = liquidityNoFees / sqrtP;
  const quoteNoFees = liquidityNoFees * sqrtP;
  // Before any fee, the share is all principal (L₀/√P and L₀·√P would differ from it in the last bits).
  const noFee = earnedBase === 0 && earnedQuote === 0;
  const base = noFee ? baseTotal : Math.min(baseTotal, baseNoFees);
  const quote = noFee ? quoteTotal : Math.min(quoteTotal, quoteNoFees);
  out.liquidity = liquidity;
  out.base = base;
  out.quote = quote;
  out.feesBase = baseTotal - base;
  out.feesQuote = quoteTotal - quote;
  out.feesEarnedBase = earnedBase;
  out.feesEarnedQuote = earnedQuote;
  out.baseNoFees = baseNoFees;
  out.quoteNoFees = quoteNoFees;
  return out;
}

/**
 * A v2 burn's split of the tokens it returns (`base`/`quote`, a `fraction` of the position `view` before it) into
 * principal and fees, as {@link writeV2Position} splits the position: the principal is the fraction of its
 * principal, capped at what came back.
 */
export function splitV2Burn(view: PositionView, fraction: number, base: number, quote: number): BurnFill {
  const pb = Math.min(base, view.base * fraction);
  const pq = Math.min(quote, view.quote * fraction);
  return { base: pb, quote: pq, feesBase: base - pb, feesQuote: quote - pq, feesEarnedBase: view.feesEarnedBase * fraction, feesEarnedQuote: view.feesEarnedQuote * fraction };
}

/** A new live record for a v2 position (full range, always in range), its numbers to be written by {@link writeV2Position}. */
export function newV2PositionRecord(positionId: number, owner: string): LivePositionRecord {
  return { positionId, owner, liquidity: 0, base: 0, quote: 0, feesBase: 0, feesQuote: 0, feesEarnedBase: 0, feesEarnedQuote: 0, range: null, inRange: true, baseNoFees: 0, quoteNoFees: 0 };
}

/** v2 liquidity is full range only. */
export function v2SnapRange(range: PriceRange | null): null {
  if (range !== null) throw new ConfigError('--pool', 'a v2 pool has full-range liquidity only; use --pool v3 for range strategies');
  return null;
}
