import { InputError } from '../../sim/core/errors.ts';
import { asOfIndex, type LstPriceSeries } from '../../sim/core/series.ts';
import { medianSpacingMs } from './compounding.ts';

/**
 * Liquid staking token (LST) model. The staked base is held as an LST (e.g. stETH) whose market price against the
 * base asset, L(t) (base per LST, ≈ 1), can deviate from par. The token is taken to be rebasing: its amount grows
 * with the staking rewards and L(t) is the price of one unit of staked base. (For a non-rebasing token such as
 * wstETH or cbETH, give its market price divided by its redemption rate.)
 *
 * Value at step t = B(t) · L(t) · P(t), with L read from the series as of t (the last LST price at or before t; the
 * LST series need not share the run's timestamps). So a depeg shows up in the value and the drawdown.
 *
 * Entry (`lstEntry`): `par` mints the LST 1:1 through the protocol (B0 = C/P0, the starting value is C·L(t0));
 * `market` buys it on the market (B0 = C/(P0·L(t0)), the starting value is C).
 * Exit: with no unbonding delay the LST is sold at the market L(T) at the end. With an unbonding delay of D days it
 * is redeemed at par through the protocol: the request is made D days before the end, from then on it is worth
 * B·1·P(t) and earns nothing (see `simulateStaking`).
 */
export interface LstAlignment {
  /** L at each run timestamp (as-of join). */
  readonly price: Float64Array;
  readonly notes: string[];
}

export type LstEntry = 'par' | 'market';
export const LST_ENTRIES: readonly LstEntry[] = ['par', 'market'];

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * As-of join of the LST price onto the run's timestamps. The LST series must start at or before the run
 * (InputError otherwise); when the run outlasts it by more than two of its usual spacings, its last price is
 * carried forward with a note.
 */
export function alignLstPrice(lst: LstPriceSeries, timestampMs: Float64Array): LstAlignment {
  const n = timestampMs.length;
  const price = new Float64Array(n);
  const notes: string[] = [];
  if (n === 0) return { price, notes };
  const t0 = timestampMs[0]!;
  if (asOfIndex(lst.timestampMs, t0) < 0) {
    throw new InputError(lst.file, undefined, 'timestamp', `the LST price series${lst.pair === undefined ? '' : ` (${lst.pair})`} starts at ${iso(lst.timestampMs[0]!)}, after the run starts at ${iso(t0)}; give a series that covers the run`);
  }
  let j = 0;
  for (let i = 0; i < n; i++) {
    const t = timestampMs[i]!;
    while (j + 1 < lst.length && lst.timestampMs[j + 1]! <= t) j++;
    price[i] = lst.price[j]!;
  }
  const last = lst.timestampMs[lst.length - 1]!;
  const spacing = medianSpacingMs(lst.timestampMs);
  const tEnd = timestampMs[n - 1]!;
  if (spacing !== undefined && tEnd > last + 2 * spacing) {
    notes.push(`the LST price series ends at ${iso(last)}; its last price (${lst.price[lst.length - 1]}) is used until ${iso(tEnd)}`);
  }
  return { price, notes };
}
