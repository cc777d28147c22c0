import type { PositionView, PriceRange } from '../enginePool.ts';
import { ConfigError } from '../../core/errors.ts';

/**
 * Shared by the v2 engine pools (float and exact): a full-range position's view. `baseTotal`/`quoteTotal`
 * are the position's share of the reserves (fees compound into them); the principal is that less the
 * accrued fee tokens. The fee-less amounts come from the liquidity the position would have had had no fee
 * been reinvested, at the pool price: x = L/√P, y = L·√P.
 */
export function v2PositionView(
  positionId: number,
  owner: string,
  liquidity: number,
  baseTotal: number,
  quoteTotal: number,
  feesBase: number,
  feesQuote: number,
  liquidityNoFees: number,
  poolPrice: number,
): PositionView {
  const sqrtP = Math.sqrt(poolPrice);
  return {
    positionId,
    owner,
    liquidity,
    base: baseTotal - feesBase,
    quote: quoteTotal - feesQuote,
    feesBase,
    feesQuote,
    range: null,
    inRange: true,
    baseNoFees: liquidityNoFees / sqrtP,
    quoteNoFees: liquidityNoFees * sqrtP,
  };
}

/** v2 liquidity is full range only. */
export function v2SnapRange(range: PriceRange | null): null {
  if (range !== null) throw new ConfigError('--pool', 'a v2 pool has full-range liquidity only; use --pool v3 for range strategies');
  return null;
}
