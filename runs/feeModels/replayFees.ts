/**
 * Fee model `replay`: the real swap events of the pool (a demeter pool-events CSV) run through the exact
 * V3Pool with the LP's position inserted; the fees are exactly what the contract's fee-growth accounting
 * credits to that position, swap by swap, valued at the logged price of each swap.
 *
 * The pool is seeded and re-anchored as in sim/realReplay/replayEvents.ts: after every swap it is put back on
 * the logged price and the logged in-range L plus the LP's own L, so the LP's share of each swap is
 * L_lp / (L_logged + L_lp) at the true price, including just-in-time liquidity minted and burned around the
 * swap (which the volume model cannot see). Each swap's input is the logged amount in, so the LP's extra
 * liquidity does not create extra volume.
 */
import { ConfigError } from '../../sim/core/errors.ts';
import type { PoolEventRow } from '../../sim/replay/real/poolEvents.ts';
import { replayRealEvents } from '../../sim/replay/real/replayEvents.ts';
import { USDC_WETH_TOKENS, type PoolTokens, type RealPosition } from './position.ts';
import type { FeeModelResult } from './volumeFees.ts';

export interface ReplayFeesOptions {
  /** Pool fee in hundredths of a bip (500 = 0.05 %). */
  readonly feePips: number;
  readonly tickSpacing: number;
  /** Window (unix seconds, inclusive). */
  readonly fromSec?: number;
  readonly toSec?: number;
  readonly tokens?: PoolTokens;
}

export function replayFees(rows: readonly PoolEventRow[], position: RealPosition, o: ReplayFeesOptions): FeeModelResult {
  const t = o.tokens ?? USDC_WETH_TOKENS;
  if (!(position.liquidity >= 1)) throw new ConfigError('--capital', `buys less than one unit of pool liquidity (${position.liquidity}); the replay model cannot insert it`);
  const r = replayRealEvents(rows, {
    fee: o.feePips,
    tickSpacing: o.tickSpacing,
    reanchor: true,
    lp: { tickLower: position.tickLower, tickUpper: position.tickUpper, liquidity: BigInt(Math.floor(position.liquidity)) },
    decimals0: t.decimals0,
    decimals1: t.decimals1,
    ...(o.fromSec === undefined ? {} : { fromSec: o.fromSec }),
    ...(o.toSec === undefined ? {} : { toSec: o.toSec }),
  });
  const fees = r.lpFees!;
  // Quote is token0 when the price is of token1 (USDC per ETH), token1 otherwise; each swap's fees are valued
  // at that swap's logged price.
  return {
    model: 'replay',
    feesEarned: t.priceOf === 'token1' ? fees.valueInToken0 : fees.valueInToken1,
    fees0Raw: Number(fees.fees0Raw),
    fees1Raw: Number(fees.fees1Raw),
    steps: r.summary.swaps,
    stepsInRange: fees.swapsInRange,
  };
}
