import type { LivePositionRecord, PriceRange } from '../enginePool.ts';
import { ConfigError } from '../../core/errors.ts';

/**
 * Shared by the v2 engine pools (float and exact): writes a full-range position's numbers into `out` (its live
 * record) and returns it. `baseTotal`/`quoteTotal` are the position's share of the reserves (fees compound into
 * them); the principal is that less the accrued fee tokens. The fee-less amounts come from the liquidity the
 * position would have had had no fee been reinvested, at the pool price: x = L/√P, y = L·√P.
 */
export function writeV2Position(
  out: LivePositionRecord,
  liquidity: number,
  baseTotal: number,
  quoteTotal: number,
  feesBase: number,
  feesQuote: number,
  liquidityNoFees: number,
  poolPrice: number,
): LivePositionRecord {
  const sqrtP = Math.sqrt(poolPrice);
  out.liquidity = liquidity;
  out.base = baseTotal - feesBase;
  out.quote = quoteTotal - feesQuote;
  out.feesBase = feesBase;
  out.feesQuote = feesQuote;
  out.baseNoFees = liquidityNoFees / sqrtP;
  out.quoteNoFees = liquidityNoFees * sqrtP;
  return out;
}

/** A new live record for a v2 position (full range, always in range), its numbers to be written by {@link writeV2Position}. */
export function newV2PositionRecord(positionId: number, owner: string): LivePositionRecord {
  return { positionId, owner, liquidity: 0, base: 0, quote: 0, feesBase: 0, feesQuote: 0, range: null, inRange: true, baseNoFees: 0, quoteNoFees: 0 };
}

/** v2 liquidity is full range only. */
export function v2SnapRange(range: PriceRange | null): null {
  if (range !== null) throw new ConfigError('--pool', 'a v2 pool has full-range liquidity only; use --pool v3 for range strategies');
  return null;
}
