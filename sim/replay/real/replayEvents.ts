/**
 * Replays a real Uniswap v3 swap stream (a demeter pool-events CSV, see poolEvents.ts) through the exact
 * {@link V3Pool} and measures, swap by swap, how far the simulated pool drifts from what the chain logged.
 *
 * ## Seeding: the liquidity map is incomplete, and that is measured, not hidden
 * A pool-events file of one day does not say where the pool's liquidity sits; only the in-range total L
 * after each swap and the positions minted or burned that day are known. The replay therefore seeds the pool
 * from the first SWAP row (its post-swap sqrtPriceX96 and in-range L; that swap itself is not replayed) and
 * builds the map from what the file does reveal:
 * 1. every position (owner, tickLower, tickUpper) that the file burns more of than it mints before the burn
 *    must have existed at the start: it is minted up front with the least liquidity that makes every later
 *    burn possible;
 * 2. the rest of the in-range L at the anchor is one synthetic full-range position, 'background'
 *    (L_background = L_logged − Σ known positions in range);
 * 3. the file's MINT and BURN rows are applied as they come (a BURN of 0 is a poke: no effect on price or L;
 *    COLLECT rows have none either). A MINT row names the event's msg.sender, which need not be the owner
 *    (a contract may mint for another address that burns later): each MINT is keyed by the owner of the
 *    first later BURN of the same range and liquidity, when there is one.
 * Everything the chain had outside the synthetic map (liquidity that starts or ends at ticks the day never
 * mints or burns) is missing: a swap that crosses such a tick changes L on chain but not here. The per-swap
 * divergence below is exactly that error.
 *
 * ## Swaps
 * The log does not say whether a swap was exact-input or exact-output, nor its price limit. Each swap is run
 * both ways: exact input of the amount paid in (`amount0 > 0` ⇒ zeroForOne) and exact output of the amount
 * paid out. The reading that reproduces both logged amounts is applied (exact input when both or neither do). Price limits are the extreme ones (MIN_SQRT_RATIO + 1, MAX_SQRT_RATIO − 1).
 *
 * ## Re-anchoring (`reanchor: true`) vs free-running
 * Free-running: the pool evolves on its own; errors compound. Re-anchored: after each swap the pool is put
 * back on the logged state before the next event, so each swap is measured from the true starting point:
 * - the price moves to the logged sqrtPriceX96 by crossing ticks as a swap would (liquidity and the crossed
 *   ticks' feeGrowthOutside updated) but without any fee, so an inserted LP earns nothing from the jump;
 * - the in-range L is set to the logged L (+ the inserted LP's L when in range) by minting or burning
 *   'background'; when the background is too small to burn the difference, the anchor is counted as failed.
 *
 * ## An inserted LP position (fee model `replay`)
 * With `lp`, a position owned by 'lp' is minted at the anchor; its fees are accrued swap by swap from the
 * pool's fee growth inside its range (exactly the contract's accounting) and valued at the logged price of
 * that swap.
 */
import { tickSpacingOfFee } from '../../math/v3/feeTiers.ts';
import { InputError, InvariantError, PoolError } from '../../core/errors.ts';
import { feesOwed } from '../../math/v3/position.ts';
import { priceFromSqrtPriceX96, type PriceOrientation } from '../../math/v3/priceConversions.ts';
import { usableTicks } from '../../math/v3/usableTicks.ts';
import { cross, type TickInfo } from '../../math/v3/tick.ts';
import { V3Pool, MAX_SQRT_RATIO, MIN_SQRT_RATIO, type V3PoolSnapshot, type V3SwapQuote } from '../../pools/v3/v3Pool.ts';
import type { PoolEventRow } from './poolEvents.ts';
import { pow10 } from '../../core/pow.ts';

export interface InsertedPosition {
  readonly tickLower: number;
  readonly tickUpper: number;
  /** uint128 liquidity in the pool's raw units. */
  readonly liquidity: bigint;
}

export interface RealReplayOptions {
  /** Fee in hundredths of a bip (500 = 0.05 %). */
  readonly fee: number;
  /** Default: the fee tier's standard spacing (100→1, 500→10, 3000→60, 10000→200). */
  readonly tickSpacing?: number;
  readonly reanchor: boolean;
  /** Only rows with fromSec ≤ timestampSec ≤ toSec (unix seconds). */
  readonly fromSec?: number;
  readonly toSec?: number;
  readonly lp?: InsertedPosition;
  /** Token decimals, for valuing LP fees in token0 per token1 (default USDC/WETH: 6, 18). */
  readonly decimals0?: number;
  readonly decimals1?: number;
  /** The events file, named in errors about a row (default: "events"). */
  readonly file?: string;
}

/** One replayed swap: logged vs simulated. */
export interface SwapDivergence {
  readonly line: number;
  readonly blockNumber: number;
  readonly logIndex: number;
  readonly timestampSec: number;
  readonly zeroForOne: boolean;
  /**
   * Which reading of the swap reproduces both logged amounts: 'exactInput', 'exactOutput', 'ambiguous' (both;
   * exact input is used), or 'none' (neither; exact input is used).
   */
  readonly matchedAs: 'exactInput' | 'exactOutput' | 'ambiguous' | 'none';
  readonly loggedSqrtPriceX96: bigint;
  readonly simSqrtPriceX96: bigint;
  readonly loggedTick: number;
  readonly simTick: number;
  readonly loggedLiquidity: bigint;
  readonly simLiquidity: bigint;
  /** Output amount (> 0) logged and simulated, raw units of the output token. */
  readonly loggedAmountOut: bigint;
  readonly simAmountOut: bigint;
  /**
   * True when a reading that reproduces both logged amounts (exact input or exact output) also lands on the
   * logged sqrtPriceX96: the two readings can differ in the last units of the price while giving the same
   * rounded amounts, and the log does not say which one the trader used.
   */
  readonly sqrtPriceX96MatchedByEither: boolean;
  /** |P_sim / P_logged − 1| with P = (sqrtPriceX96)² (float). */
  readonly priceRelError: number;
  /** |L_sim / L_logged − 1| (float; 0 when both are 0). */
  readonly liquidityRelError: number;
  /** Re-anchored runs: true when the pool could be put back on the logged state after this swap. */
  readonly anchored: boolean;
}

export interface Quantiles {
  readonly mean: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

export interface DivergenceSummary {
  readonly mode: 'reanchor' | 'free-running';
  readonly fee: number;
  readonly tickSpacing: number;
  readonly rows: number;
  readonly anchor: { readonly line: number; readonly timestampSec: number; readonly sqrtPriceX96: string; readonly tick: number; readonly liquidity: string };
  /** Positions known from the file's burns that must have existed at the start, and their total in-range L. */
  readonly knownPositionsAtStart: number;
  readonly knownLiquidityInRangeAtStart: string;
  readonly backgroundLiquidityAtStart: string;
  readonly swaps: number;
  readonly mints: number;
  readonly burns: number;
  readonly pokes: number;
  readonly collects: number;
  /** Swaps whose logged amounts have no input side (both ≤ 0 or both > 0); skipped. */
  readonly swapsSkipped: number;
  readonly exact: {
    readonly sqrtPriceX96: number;
    /** Share whose sqrtPriceX96 is reproduced by a reading consistent with the logged amounts (see SwapDivergence). */
    readonly sqrtPriceX96EitherReading: number;
    readonly tick: number;
    readonly liquidity: number;
    readonly amountOut: number;
    /** Share of swaps whose amounts only exact input / only exact output / both / neither reproduce. */
    readonly asExactInput: number;
    readonly asExactOutput: number;
    readonly ambiguous: number;
    readonly unmatched: number;
  };
  readonly absTickError: Quantiles;
  readonly priceRelError: Quantiles;
  readonly liquidityRelError: Quantiles;
  /** Re-anchored runs: anchors that could not set the in-range L (background too small). */
  readonly anchorFailures: number;
  readonly note: string;
}

export interface LpFeesEarned {
  readonly tickLower: number;
  readonly tickUpper: number;
  readonly liquidity: string;
  readonly fees0Raw: bigint;
  readonly fees1Raw: bigint;
  /** Fees valued in token0 units (human) at the logged price of each swap: fees0 + fees1 × P(token1 in token0). */
  readonly valueInToken0: number;
  /** The same in token1 units: fees1 + fees0 × P(token0 in token1), each swap at its own price. */
  readonly valueInToken1: number;
  /** Swaps during which the position was in range (at the swap's start). */
  readonly swapsInRange: number;
}

export interface RealReplayResult {
  readonly summary: DivergenceSummary;
  readonly swaps: readonly SwapDivergence[];
  readonly lpFees?: LpFeesEarned;
}

const BACKGROUND = 'background';
const LP = 'lp';
const HUGE_INPUT = (1n << 255n) - 1n;

/** The fee tier's tick spacing for a fee in pips (sim/math/v3/feeTiers.ts). */
export const defaultTickSpacingOfFeePips = tickSpacingOfFee;

/**
 * Refuses MINT/BURN rows whose ticks are not multiples of `spacing` (the contract's bare require): that means the
 * pool's fee tier or tick spacing was given wrong. InputError naming `file`, the row's line and the field; `hint`
 * (which flag to check) ends the message.
 */
export function checkTicksOnSpacing(rows: readonly PoolEventRow[], spacing: number, file: string, hint: string): void {
  for (const r of rows) {
    if (r.kind !== 'MINT' && r.kind !== 'BURN') continue;
    if (r.tickLower % spacing !== 0) throw new InputError(file, r.line, 'tick_lower', `${r.tickLower} is not a multiple of the tick spacing ${spacing}; ${hint}`);
    if (r.tickUpper % spacing !== 0) throw new InputError(file, r.line, 'tick_upper', `${r.tickUpper} is not a multiple of the tick spacing ${spacing}; ${hint}`);
  }
}

/** Quantiles by nearest rank over a copy of `xs` (all zeros when empty). */
export function quantiles(xs: readonly number[]): Quantiles {
  if (xs.length === 0) return { mean: 0, p50: 0, p90: 0, p99: 0, max: 0 };
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number): number => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
  let sum = 0;
  for (const x of s) sum += x;
  return { mean: sum / s.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: s[s.length - 1]! };
}

function ratioErr(a: bigint, b: bigint): number {
  if (a === b) return 0;
  if (b === 0n) return Infinity;
  // Scale to keep 1e-18 resolution without float overflow.
  const d = a - b;
  const scaled = Number((d * 10n ** 18n) / b) / 1e18;
  return Math.abs(scaled);
}

function priceErr(sim: bigint, logged: bigint): number {
  const r = 1 + ratioErr(sim, logged) * (sim >= logged ? 1 : -1);
  return Math.abs(r * r - 1);
}

function inRange(tick: number, lo: number, hi: number): boolean {
  return lo <= tick && tick < hi;
}

/**
 * Moves the pool's price to `targetSqrtPriceX96` as a fee-less swap would: crossed ticks flip their
 * feeGrowthOutside with the unchanged globals and change the in-range L; fee growth and protocol fees stay.
 * The re-anchoring step of this replay and of the log-order replay (sim/replay/validate/logOrderReplay.ts).
 */
export function jumpPrice(pool: V3Pool, targetSqrtPriceX96: bigint): void {
  const cur = pool.sqrtPriceX96;
  if (cur === targetSqrtPriceX96) return;
  const zeroForOne = targetSqrtPriceX96 < cur;
  const q = pool.quoteSwap(zeroForOne, HUGE_INPUT, targetSqrtPriceX96);
  if (q.sqrtPriceX96After !== targetSqrtPriceX96) throw new InvariantError(`re-anchor: the price did not reach the target (${q.sqrtPriceX96After} vs ${targetSqrtPriceX96})`);
  const snap = pool.snapshot();
  const ticks = new Map(snap.ticks);
  for (const t of q.crossedTicks) {
    const info = ticks.get(t);
    if (info === undefined) throw new InvariantError(`re-anchor: crossed tick ${t} has no info`);
    const copy: TickInfo = { ...info };
    cross(copy, snap.feeGrowthGlobal0X128, snap.feeGrowthGlobal1X128);
    ticks.set(t, copy);
  }
  const next: V3PoolSnapshot = { ...snap, sqrtPriceX96: q.sqrtPriceX96After, tick: q.tickAfter, liquidity: q.liquidityAfter, ticks };
  pool.restore(next);
}

/** Fees owed to `L` over [lo, hi) since the fee growth inside was `last` (the contract's Position.update maths). */
function feesSince(pool: V3Pool, lo: number, hi: number, liquidity: bigint, last: { g0: bigint; g1: bigint }): { f0: bigint; f1: bigint } {
  const g = pool.feeGrowthInside(lo, hi);
  const f0 = feesOwed(g.feeGrowthInside0X128, last.g0, liquidity);
  const f1 = feesOwed(g.feeGrowthInside1X128, last.g1, liquidity);
  last.g0 = g.feeGrowthInside0X128;
  last.g1 = g.feeGrowthInside1X128;
  return { f0, f1 };
}

function fullRange(spacing: number): [number, number] {
  const { minTick, maxTick } = usableTicks(spacing);
  return [minTick, maxTick];
}

/** Replays `rows` (sorted, as {@link parsePoolEventsCsv} returns them) per the module comment. */
export function replayRealEvents(allRows: readonly PoolEventRow[], o: RealReplayOptions): RealReplayResult {
  const spacing = o.tickSpacing ?? defaultTickSpacingOfFeePips(o.fee);
  const rows = allRows.filter((r) => (o.fromSec === undefined || r.timestampSec >= o.fromSec) && (o.toSec === undefined || r.timestampSec <= o.toSec));
  const a = rows.findIndex((r) => r.kind === 'SWAP');
  if (a < 0) throw new PoolError('', 'no SWAP row in the events (window): nothing to anchor the pool on');
  const anchor = rows[a]!;
  const rest = rows.slice(a + 1);
  const [fullLo, fullHi] = fullRange(spacing);

  const pool = new V3Pool({ fee: o.fee, tickSpacing: spacing });
  pool.initialize(anchor.sqrtPriceX96);

  // demeter's `sender` on a MINT row is the Mint event's msg.sender, not the position owner (a manager
  // contract may mint for another owner, who burns later). Pair each MINT with the first later, unpaired BURN
  // of the same range and the same liquidity, and key the position by that burn's owner.
  const ownerOf = new Map<PoolEventRow, string>();
  const paired = new Set<PoolEventRow>();
  for (let i = 0; i < rest.length; i++) {
    const m = rest[i]!;
    if (m.kind === 'BURN') ownerOf.set(m, m.owner);
    if (m.kind !== 'MINT') continue;
    let owner = m.owner;
    for (let j = i + 1; j < rest.length; j++) {
      const b = rest[j]!;
      if (b.kind === 'BURN' && !paired.has(b) && b.tickLower === m.tickLower && b.tickUpper === m.tickUpper && b.liquidity === m.liquidity) {
        paired.add(b);
        owner = b.owner;
        break;
      }
    }
    ownerOf.set(m, owner);
  }
  const ownerKey = (r: PoolEventRow): string => ownerOf.get(r) ?? r.owner;

  // 1. Positions the file burns before (or without) minting them existed at the start.
  const need = new Map<string, { owner: string; lo: number; hi: number; running: bigint; min: bigint }>();
  for (const r of rest) {
    if ((r.kind !== 'MINT' && r.kind !== 'BURN') || r.liquidity === 0n) continue;
    const key = `${ownerKey(r)}|${r.tickLower}|${r.tickUpper}`;
    const e = need.get(key) ?? { owner: ownerKey(r), lo: r.tickLower, hi: r.tickUpper, running: 0n, min: 0n };
    e.running += r.kind === 'MINT' ? r.liquidity : -r.liquidity;
    if (e.running < e.min) e.min = e.running;
    need.set(key, e);
  }
  const known = [...need.entries()].filter(([, e]) => e.min < 0n).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
  let knownInRange = 0n;
  for (const [, e] of known) {
    pool.mint(e.owner, e.lo, e.hi, -e.min);
    if (inRange(pool.tick, e.lo, e.hi)) knownInRange += -e.min;
  }
  // 2. The rest of the anchor's in-range L is the full-range background (never negative).
  let background = anchor.totalLiquidity - knownInRange;
  let anchorFailures = 0;
  if (background < 0n) {
    anchorFailures++;
    background = 0n;
  }
  const backgroundAtStart = background;
  /**
   * Mints the background; a logged in-range L the synthetic full-range position cannot hold (beyond the pool's
   * per-tick or int128 limits) is refused naming the row's total_liquidity rather than as a bare pool revert.
   */
  const mintBackground = (row: PoolEventRow, amount: bigint): void => {
    try {
      pool.mint(BACKGROUND, fullLo, fullHi, amount);
    } catch (err) {
      if (!(err instanceof PoolError)) throw err;
      throw new InputError(o.file ?? 'events', row.line, 'total_liquidity', `is more in-range liquidity than the replay's full-range background position can hold (${err.message}); was ${row.totalLiquidity}`, { cause: err });
    }
  };
  if (background > 0n) mintBackground(anchor, background);

  const lp = o.lp;
  const lpLast = { g0: 0n, g1: 0n };
  let fees0 = 0n;
  let fees1 = 0n;
  let feeValue0 = 0;
  let feeValue1 = 0;
  let swapsInRange = 0;
  const dec0 = o.decimals0 ?? 6;
  const dec1 = o.decimals1 ?? 18;
  const unit0 = pow10(dec0);
  const unit1 = pow10(dec1);
  const token1In0: PriceOrientation = { decimals0: dec0, decimals1: dec1, priceOf: 'token1' };
  if (lp !== undefined) {
    pool.mint(LP, lp.tickLower, lp.tickUpper, lp.liquidity);
    const g = pool.feeGrowthInside(lp.tickLower, lp.tickUpper);
    lpLast.g0 = g.feeGrowthInside0X128;
    lpLast.g1 = g.feeGrowthInside1X128;
  }
  const lpInRangeL = (): bigint => (lp !== undefined && inRange(pool.tick, lp.tickLower, lp.tickUpper) ? lp.liquidity : 0n);

  /** Puts the pool back on a logged (sqrtPriceX96, in-range L); returns false when L could not be matched. */
  const reanchorTo = (row: PoolEventRow): boolean => {
    jumpPrice(pool, row.sqrtPriceX96);
    const target = row.totalLiquidity + lpInRangeL();
    const delta = target - pool.liquidity;
    if (delta > 0n) {
      mintBackground(row, delta);
      background += delta;
    } else if (delta < 0n) {
      const cut = -delta > background ? background : -delta;
      if (cut > 0n) {
        pool.burn(BACKGROUND, fullLo, fullHi, cut);
        background -= cut;
      }
      if (cut !== -delta) return false;
    }
    return true;
  };

  const swaps: SwapDivergence[] = [];
  let mints = 0;
  let burns = 0;
  let pokes = 0;
  let collects = 0;
  let skipped = 0;
  const minLimit = MIN_SQRT_RATIO + 1n;
  const maxLimit = MAX_SQRT_RATIO - 1n;

  for (const r of rest) {
    if (r.kind === 'COLLECT') {
      collects++;
      continue;
    }
    if (r.kind === 'MINT' || r.kind === 'BURN') {
      if (r.liquidity === 0n) {
        pokes++;
        continue;
      }
      if (r.kind === 'MINT') {
        pool.mint(ownerKey(r), r.tickLower, r.tickUpper, r.liquidity);
        mints++;
      } else {
        pool.burn(ownerKey(r), r.tickLower, r.tickUpper, r.liquidity);
        burns++;
      }
      continue;
    }
    // SWAP
    const zeroForOne = r.amount0 > 0n;
    const amountIn = zeroForOne ? r.amount0 : r.amount1;
    const amountOutLogged = -(zeroForOne ? r.amount1 : r.amount0);
    if (!(amountIn > 0n) || amountOutLogged < 0n) {
      skipped++;
      continue;
    }
    const limit = zeroForOne ? minLimit : maxLimit;
    const startTick = pool.tick;
    const outOf = (x: V3SwapQuote): bigint => -(zeroForOne ? x.amount1 : x.amount0);
    const inOf = (x: V3SwapQuote): bigint => (zeroForOne ? x.amount0 : x.amount1);
    const qi = pool.quoteSwap(zeroForOne, amountIn, limit);
    const qo = amountOutLogged > 0n ? pool.quoteSwap(zeroForOne, -amountOutLogged, limit) : undefined;
    const matchIn = inOf(qi) === amountIn && outOf(qi) === amountOutLogged;
    const matchOut = qo !== undefined && inOf(qo) === amountIn && outOf(qo) === amountOutLogged;
    const matchedAs: SwapDivergence['matchedAs'] = matchIn ? (matchOut ? 'ambiguous' : 'exactInput') : matchOut ? 'exactOutput' : 'none';
    // Both readings reproduce the logged amounts ('ambiguous'): the one that also lands on the logged price is the
    // swap that happened (an exact-output swap's price can differ from the exact-input one's by its rounding).
    const outLands = matchOut && qo!.sqrtPriceX96After === r.sqrtPriceX96 && qi.sqrtPriceX96After !== r.sqrtPriceX96;
    const q = matchedAs === 'exactOutput' || (matchedAs === 'ambiguous' && outLands) ? qo! : qi;
    const eitherPriceMatch = (matchIn && qi.sqrtPriceX96After === r.sqrtPriceX96) || (matchOut && qo!.sqrtPriceX96After === r.sqrtPriceX96);
    pool.applySwap(q);
    if (lp !== undefined) {
      if (inRange(startTick, lp.tickLower, lp.tickUpper)) swapsInRange++;
      const f = feesSince(pool, lp.tickLower, lp.tickUpper, lp.liquidity, lpLast);
      if (f.f0 > 0n || f.f1 > 0n) {
        fees0 += f.f0;
        fees1 += f.f1;
        // token1 priced in token0 (human units) at the logged post-swap price.
        const p1in0 = priceFromSqrtPriceX96(Number(r.sqrtPriceX96), token1In0);
        feeValue0 += Number(f.f0) / unit0 + (Number(f.f1) / unit1) * p1in0;
        feeValue1 += (Number(f.f0) / unit0) / p1in0 + Number(f.f1) / unit1;
      }
    }
    const simL = pool.liquidity - lpInRangeL();
    const div = {
      line: r.line,
      blockNumber: r.blockNumber,
      logIndex: r.logIndex,
      timestampSec: r.timestampSec,
      zeroForOne,
      matchedAs,
      loggedSqrtPriceX96: r.sqrtPriceX96,
      simSqrtPriceX96: pool.sqrtPriceX96,
      loggedTick: r.tick,
      simTick: pool.tick,
      loggedLiquidity: r.totalLiquidity,
      simLiquidity: simL,
      loggedAmountOut: amountOutLogged,
      simAmountOut: outOf(q),
      sqrtPriceX96MatchedByEither: eitherPriceMatch,
      priceRelError: priceErr(pool.sqrtPriceX96, r.sqrtPriceX96),
      liquidityRelError: r.totalLiquidity === 0n && simL === 0n ? 0 : ratioErr(simL, r.totalLiquidity),
      anchored: o.reanchor ? reanchorTo(r) : false,
    };
    if (o.reanchor && !div.anchored) anchorFailures++;
    swaps.push(div);
  }

  const n = swaps.length;
  const share = (k: number): number => (n === 0 ? 0 : k / n);
  const count = (f: (s: SwapDivergence) => boolean): number => swaps.reduce((c, s) => c + (f(s) ? 1 : 0), 0);
  const summary: DivergenceSummary = {
    mode: o.reanchor ? 'reanchor' : 'free-running',
    fee: o.fee,
    tickSpacing: spacing,
    rows: rows.length,
    anchor: { line: anchor.line, timestampSec: anchor.timestampSec, sqrtPriceX96: anchor.sqrtPriceX96.toString(), tick: anchor.tick, liquidity: anchor.totalLiquidity.toString() },
    knownPositionsAtStart: known.length,
    knownLiquidityInRangeAtStart: knownInRange.toString(),
    backgroundLiquidityAtStart: backgroundAtStart.toString(),
    swaps: n,
    mints,
    burns,
    pokes,
    collects,
    swapsSkipped: skipped,
    exact: {
      sqrtPriceX96: share(count((s) => s.simSqrtPriceX96 === s.loggedSqrtPriceX96)),
      sqrtPriceX96EitherReading: share(count((s) => s.sqrtPriceX96MatchedByEither)),
      tick: share(count((s) => s.simTick === s.loggedTick)),
      liquidity: share(count((s) => s.simLiquidity === s.loggedLiquidity)),
      amountOut: share(count((s) => s.simAmountOut === s.loggedAmountOut)),
      asExactInput: share(count((s) => s.matchedAs === 'exactInput')),
      asExactOutput: share(count((s) => s.matchedAs === 'exactOutput')),
      ambiguous: share(count((s) => s.matchedAs === 'ambiguous')),
      unmatched: share(count((s) => s.matchedAs === 'none')),
    },
    absTickError: quantiles(swaps.map((s) => Math.abs(s.simTick - s.loggedTick))),
    priceRelError: quantiles(swaps.map((s) => s.priceRelError)),
    liquidityRelError: quantiles(swaps.map((s) => s.liquidityRelError)),
    anchorFailures,
    note:
      'The liquidity map is incomplete: positions are known only when the file mints or burns them; the rest of the in-range L at the anchor is one full-range background position. Swaps crossing ticks the file never touches diverge in L (and then in price); the figures above measure that error.',
  };
  return {
    summary,
    swaps,
    ...(lp === undefined
      ? {}
      : { lpFees: { tickLower: lp.tickLower, tickUpper: lp.tickUpper, liquidity: lp.liquidity.toString(), fees0Raw: fees0, fees1Raw: fees1, valueInToken0: feeValue0, valueInToken1: feeValue1, swapsInRange } }),
  };
}

/** Per-swap divergence as CSV (header + one row per swap; bigints as decimal strings). */
export function divergenceCsv(swaps: readonly SwapDivergence[]): string {
  const head = 'line,block_number,log_index,timestamp,zero_for_one,matched_as,logged_sqrtPriceX96,sim_sqrtPriceX96,logged_tick,sim_tick,logged_liquidity,sim_liquidity,logged_amount_out,sim_amount_out,sqrtPriceX96_matched_by_either,price_rel_error,liquidity_rel_error,anchored';
  const out = [head];
  for (const s of swaps) {
    out.push(
      [
        s.line,
        s.blockNumber,
        s.logIndex,
        new Date(s.timestampSec * 1000).toISOString(),
        s.zeroForOne,
        s.matchedAs,
        s.loggedSqrtPriceX96,
        s.simSqrtPriceX96,
        s.loggedTick,
        s.simTick,
        s.loggedLiquidity,
        s.simLiquidity,
        s.loggedAmountOut,
        s.simAmountOut,
        s.sqrtPriceX96MatchedByEither,
        s.priceRelError.toExponential(6),
        s.liquidityRelError.toExponential(6),
        s.anchored,
      ].join(','),
    );
  }
  return out.join('\n') + '\n';
}
