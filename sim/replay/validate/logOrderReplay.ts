/**
 * # Log-order replay of a pool-events file through the exact V3Pool, with real positions tracked
 *
 * Replays the rows of a demeter pool-events file (../real/poolEvents.ts) one by one in the chain's order
 * (block, log index) through {@link V3Pool}, so same-block sequences (mint, victim swap, burn) keep their
 * order. Positions are raw uint128 liquidity on integer ticks, nothing is priced or snapped.
 *
 * ## Tracked positions are the file's own rows
 * A tracked position (`positions`) is a MINT row and a BURN row of the file. Its mint and burn are applied at
 * those rows under a key of its own (`#id`) instead of the pool key (owner, ticks): the pool's liquidity is the
 * same either way, but the position's fee accounting is isolated from other liquidity on the same key (the
 * position manager puts many NFTs on one key). It is never a second copy on top of the logged liquidity.
 * Its fees are what the pool's own Position.update credits at the burn: tokensOwed − burned principal.
 *
 * ## The liquidity map: inferred per tick-spacing bucket from the logged in-range L
 * One day of logs does not say where the pool's liquidity sits. What it does say: after every swap the pool's
 * in-range L (`total_liquidity`), and every mint and burn. The replay keeps, per bucket [b, b + spacing), a
 * background position 'bg' that makes the bucket's L what the log showed the last time a swap ended in it;
 * every later mint and burn of the file changes it as on chain, so a bucket once seen stays exact.
 * - Before each swap, the bucket where the log says the swap ends is set to the logged post-swap L (L does
 *   not change inside a bucket, so this is also the L the swap traded against there): the part of the swap in
 *   that bucket uses the log's L.
 * - The bucket where the swap starts was set by the previous swap (plus the mints and burns since): exact.
 * - Buckets a swap crosses that no earlier swap ended in are unknown: they get the linear interpolation
 *   between the start and end buckets' L (up to 64 buckets; longer stretches keep what they have) and the
 *   swap counts as map-uncertain (`mapUncertain`).
 * - Positions the file burns before minting existed at the start; they are minted at the anchor with the
 *   least liquidity that makes every later burn possible (as ../real/replayEvents.ts does).
 * Every bucket edge of a seen bucket is an initialised tick (true of a deep pool near its price; the real
 * pool may step at fewer ticks, which moves fees by rounding only).
 *
 * ## Swaps
 * The pool starts on the first SWAP row's post-swap state (that swap is not replayed). Each later swap is
 * tried as exact input of the amount paid in and as exact output of the amount paid out; the first reading
 * that reproduces both logged amounts and the logged sqrtPriceX96 is applied (exact input first). Otherwise
 * (an unknown bucket on the path) the swap is driven by price: a swap whose price limit is the logged
 * post-swap sqrtPriceX96, so the pool still walks the logged price path, and a position's fee in a bucket,
 * ≈ L_position × Δ√P × fee / (1 − fee), does not depend on the guessed L of the others. Either way the pool
 * ends every swap on the logged price and in-range L.
 */
import { InvariantError, PoolError } from '../../core/errors.ts';
import { cross, type TickInfo } from '../../math/v3/tick.ts';
import { MAX_SQRT_RATIO, MAX_TICK, MIN_SQRT_RATIO, MIN_TICK, V3Pool, type V3PoolSnapshot, type V3SwapQuote } from '../../pools/v3/v3Pool.ts';
import type { PoolEventRow } from '../real/poolEvents.ts';
import { defaultTickSpacingOfFeePips } from '../real/replayEvents.ts';

/** A real position of the file to follow: its own MINT and BURN rows (indexes into the replayed rows). */
export interface TrackedPositionInput {
  readonly id: string;
  readonly tickLower: number;
  readonly tickUpper: number;
  readonly liquidity: bigint;
  readonly mintIndex: number;
  readonly burnIndex: number;
}

export interface LogOrderReplayOptions {
  /** Fee in hundredths of a bip (500 = 0.05 %). */
  readonly fee: number;
  /** Default: the fee tier's standard spacing. */
  readonly tickSpacing?: number;
  readonly positions?: readonly TrackedPositionInput[];
}

export interface TrackedPositionResult {
  readonly id: string;
  /** Fees the pool credited at the burn (tokensOwed − principal), raw token units; undefined when not replayed. */
  readonly fees0: bigint | undefined;
  readonly fees1: bigint | undefined;
  /** The simulated mint's owed amounts and the burn's principal (to compare with the logged rows). */
  readonly mintAmount0: bigint | undefined;
  readonly mintAmount1: bigint | undefined;
  readonly burnAmount0: bigint | undefined;
  readonly burnAmount1: bigint | undefined;
  /** Swaps that traded inside the position's range while it was live (its fee growth inside moved). */
  readonly swapsInRange: number;
  /** Of those, swaps whose path crossed a bucket whose liquidity the file never showed. */
  readonly mapUncertainSwaps: number;
  /** Of those, swaps no exact reading reproduced (driven by the logged price instead). */
  readonly priceDrivenSwaps: number;
  readonly notes: readonly string[];
}

export interface LogOrderReplayStats {
  readonly rows: number;
  readonly anchorLine: number;
  readonly swaps: number;
  /** Swaps an exact reading (exact input / exact output) reproduced: amounts and price. */
  readonly exactSwaps: number;
  readonly priceDrivenSwaps: number;
  /** Swaps not replayed (no input side, or no way to reach the logged price). */
  readonly skippedSwaps: number;
  readonly mapUncertainSwaps: number;
  /** Swaps after which the pool's tick differs from the logged tick (same price). */
  readonly tickMismatches: number;
  /** Times a bucket's L could not be lowered to the logged L (the known positions in it hold more). */
  readonly liquidityShortfalls: number;
  /** MINT/BURN rows the pool rejected (e.g. a burn of more than the pairing left on the key). */
  readonly rejectedRows: number;
  readonly positionsAtStart: number;
  readonly bucketsSeen: number;
}

export interface LogOrderReplayResult {
  readonly positions: readonly TrackedPositionResult[];
  readonly stats: LogOrderReplayStats;
}

const BG = 'bg';
const HUGE_INPUT = (1n << 255n) - 1n;
/** Longer unseen stretches (a swap into an empty part of the map) are not interpolated. */
const MAX_GUESSED_BUCKETS = 64;

function floorTo(t: number, s: number): number {
  return Math.floor(t / s) * s;
}

interface Tracked {
  readonly input: TrackedPositionInput;
  readonly key: string;
  live: boolean;
  done: boolean;
  fees0?: bigint;
  fees1?: bigint;
  mint0?: bigint;
  mint1?: bigint;
  burn0?: bigint;
  burn1?: bigint;
  swapsInRange: number;
  mapUncertainSwaps: number;
  priceDrivenSwaps: number;
  notes: string[];
}

/**
 * The replay as a stepper: construct on the rows (sorted), then {@link LogOrderReplay.step} row by row (or
 * {@link LogOrderReplay.run}). `pool` is the live exact pool; a backtest stepping per event can read its
 * price, tick and fee growth between rows.
 */
export class LogOrderReplay {
  readonly pool: V3Pool;
  readonly spacing: number;
  private readonly rows: readonly PoolEventRow[];
  private readonly keyOf = new Map<number, string>();
  private readonly trackedByMint = new Map<number, Tracked>();
  private readonly trackedByBurn = new Map<number, Tracked>();
  private readonly tracked: Tracked[] = [];
  private readonly bg = new Map<number, bigint>();
  private readonly seen = new Set<number>();
  private readonly guessed = new Set<number>();
  private next: number;
  readonly anchorIndex: number;
  private s = { swaps: 0, exactSwaps: 0, priceDrivenSwaps: 0, skippedSwaps: 0, mapUncertainSwaps: 0, tickMismatches: 0, liquidityShortfalls: 0, rejectedRows: 0, positionsAtStart: 0 };

  constructor(rows: readonly PoolEventRow[], o: LogOrderReplayOptions) {
    this.rows = rows;
    this.spacing = o.tickSpacing ?? defaultTickSpacingOfFeePips(o.fee);
    const a = rows.findIndex((r) => r.kind === 'SWAP');
    if (a < 0) throw new PoolError('', 'no SWAP row in the events: nothing to anchor the pool on');
    this.anchorIndex = a;
    this.next = a + 1;
    const anchor = rows[a]!;
    this.pool = new V3Pool({ fee: o.fee, tickSpacing: this.spacing });
    this.pool.initialize(anchor.sqrtPriceX96);

    for (const p of o.positions ?? []) {
      const m = rows[p.mintIndex];
      const b = rows[p.burnIndex];
      if (m?.kind !== 'MINT' || b?.kind !== 'BURN' || p.burnIndex < p.mintIndex) throw new InvariantError(`tracked position ${p.id}: rows ${p.mintIndex}/${p.burnIndex} are not a MINT then a BURN`);
      const t: Tracked = { input: p, key: `#${p.id}`, live: false, done: false, swapsInRange: 0, mapUncertainSwaps: 0, priceDrivenSwaps: 0, notes: [] };
      if (p.mintIndex <= a) t.notes.push('minted before the first swap of the file (the anchor): not replayed');
      else if (this.trackedByMint.has(p.mintIndex) || this.trackedByBurn.has(p.burnIndex)) t.notes.push('shares its mint or burn row with another tracked position: not replayed');
      else {
        this.trackedByMint.set(p.mintIndex, t);
        this.trackedByBurn.set(p.burnIndex, t);
      }
      this.tracked.push(t);
    }

    // Pool keys: a MINT row names its msg.sender; key it by the owner of the first later unpaired BURN of the
    // same ticks and liquidity (tracked rows are keyed by their position).
    const paired = new Set<number>();
    for (const t of this.trackedByMint.values()) paired.add(t.input.burnIndex);
    for (let i = a + 1; i < rows.length; i++) {
      const m = rows[i]!;
      if (m.kind === 'BURN') this.keyOf.set(i, m.owner);
      if (m.kind !== 'MINT' || this.trackedByMint.has(i)) continue;
      let owner = m.owner;
      for (let j = i + 1; j < rows.length; j++) {
        const b = rows[j]!;
        if (b.kind === 'BURN' && !paired.has(j) && b.tickLower === m.tickLower && b.tickUpper === m.tickUpper && b.liquidity === m.liquidity) {
          paired.add(j);
          owner = b.owner;
          break;
        }
      }
      this.keyOf.set(i, owner);
    }
    for (const [i, t] of this.trackedByMint) this.keyOf.set(i, t.key);
    for (const [i, t] of this.trackedByBurn) this.keyOf.set(i, t.key);

    // Positions burned before (or without) being minted existed at the start.
    const need = new Map<string, { owner: string; lo: number; hi: number; running: bigint; min: bigint }>();
    for (let i = a + 1; i < rows.length; i++) {
      const r = rows[i]!;
      if ((r.kind !== 'MINT' && r.kind !== 'BURN') || r.liquidity === 0n) continue;
      const owner = this.keyOf.get(i)!;
      const k = `${owner}|${r.tickLower}|${r.tickUpper}`;
      const e = need.get(k) ?? { owner, lo: r.tickLower, hi: r.tickUpper, running: 0n, min: 0n };
      e.running += r.kind === 'MINT' ? r.liquidity : -r.liquidity;
      if (e.running < e.min) e.min = e.running;
      need.set(k, e);
    }
    const atStart = [...need.entries()].filter(([, e]) => e.min < 0n).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    for (const [, e] of atStart) this.pool.mint(e.owner, e.lo, e.hi, -e.min);
    this.s.positionsAtStart = atStart.length;
    this.setBucket(floorTo(this.pool.tick, this.spacing), anchor.totalLiquidity);
    this.seen.add(floorTo(this.pool.tick, this.spacing));
  }

  /** True while rows remain. */
  get done(): boolean {
    return this.next >= this.rows.length;
  }

  /** Index of the next row to apply. */
  get nextIndex(): number {
    return this.next;
  }

  /** In-range L of bucket [b, b + spacing) given the pool's current state. */
  liquidityOfBucket(b: number): bigint {
    const cur = floorTo(this.pool.tick, this.spacing);
    let L = this.pool.liquidity;
    if (b === cur) return L;
    const s = this.spacing;
    if (Math.abs(b - cur) <= 256 * s) {
      // Near: walk the bucket edges in between.
      if (b > cur) for (let t = cur + s; t <= b; t += s) L += this.pool.ticks(t)?.liquidityNet ?? 0n;
      else for (let t = cur; t > b; t -= s) L -= this.pool.ticks(t)?.liquidityNet ?? 0n;
      return L;
    }
    for (const t of this.pool.initializedTicks()) {
      if (b > cur && t > cur && t <= b) L += this.pool.ticks(t)!.liquidityNet;
      else if (b < cur && t <= cur && t > b) L -= this.pool.ticks(t)!.liquidityNet;
    }
    return L;
  }

  /** Sets bucket b's L to `target` through its background position; false when it cannot go that low. */
  private setBucket(b: number, target: bigint): boolean {
    if (b < MIN_TICK || b + this.spacing > MAX_TICK) return true;
    const d = target - this.liquidityOfBucket(b);
    if (d === 0n) return true;
    const have = this.bg.get(b) ?? 0n;
    if (d > 0n) {
      this.pool.mint(BG, b, b + this.spacing, d);
      this.bg.set(b, have + d);
      return true;
    }
    const cut = -d > have ? have : -d;
    if (cut > 0n) {
      this.pool.burn(BG, b, b + this.spacing, cut);
      this.bg.set(b, have - cut);
    }
    if (cut !== -d) {
      this.s.liquidityShortfalls++;
      return false;
    }
    return true;
  }

  /** Applies the next row. */
  step(): void {
    const i = this.next++;
    const r = this.rows[i]!;
    if (r.kind === 'COLLECT') return;
    if (r.kind === 'MINT' || r.kind === 'BURN') {
      if (r.liquidity === 0n) return; // a poke: no effect on price or liquidity
      this.applyPositionRow(i, r);
      return;
    }
    this.applySwap(r);
  }

  /** Applies every remaining row and returns the result. */
  run(): LogOrderReplayResult {
    while (!this.done) this.step();
    return this.result();
  }

  private applyPositionRow(i: number, r: PoolEventRow): void {
    const key = this.keyOf.get(i) ?? r.owner;
    const t = r.kind === 'MINT' ? this.trackedByMint.get(i) : this.trackedByBurn.get(i);
    try {
      if (r.kind === 'MINT') {
        const a = this.pool.mint(key, r.tickLower, r.tickUpper, r.liquidity);
        if (t !== undefined) {
          t.mint0 = a.amount0;
          t.mint1 = a.amount1;
          t.live = true;
        }
      } else {
        const before = this.pool.position(key, r.tickLower, r.tickUpper);
        const a = this.pool.burn(key, r.tickLower, r.tickUpper, r.liquidity);
        if (t !== undefined) {
          const after = this.pool.position(key, r.tickLower, r.tickUpper);
          t.burn0 = a.amount0;
          t.burn1 = a.amount1;
          t.fees0 = after.tokensOwed0 - before.tokensOwed0 - a.amount0;
          t.fees1 = after.tokensOwed1 - before.tokensOwed1 - a.amount1;
          t.live = false;
          t.done = true;
        }
      }
    } catch (err) {
      if (!(err instanceof PoolError)) throw err;
      this.s.rejectedRows++;
      if (t !== undefined) t.notes.push(`the pool rejected its ${r.kind} row (${err.message})`);
    }
  }

  private applySwap(r: PoolEventRow): void {
    const pool = this.pool;
    const s = this.spacing;
    const zeroForOne = r.amount0 > 0n;
    const amountIn = zeroForOne ? r.amount0 : r.amount1;
    const amountOut = -(zeroForOne ? r.amount1 : r.amount0);
    if (!(amountIn > 0n) || amountOut < 0n) {
      this.s.skippedSwaps++;
      return;
    }
    this.s.swaps++;
    const startB = floorTo(pool.tick, s);
    const endB = floorTo(r.tick, s);
    // Buckets crossed on the way (exclusive of both ends): unknown ones get an interpolated L.
    let uncertain = false;
    if (Math.abs(endB - startB) > s) {
      const dir = endB > startB ? s : -s;
      const n = Math.abs(endB - startB) / s;
      const L0 = pool.liquidity;
      const L1 = r.totalLiquidity;
      for (let k = 1; k < n; k++) {
        const b = startB + k * dir;
        if (this.seen.has(b)) continue;
        uncertain = true;
        if (n <= MAX_GUESSED_BUCKETS && !this.guessed.has(b)) {
          this.guessed.add(b);
          this.setBucket(b, L0 + ((L1 - L0) * BigInt(k)) / BigInt(n));
        }
      }
    }
    // The end bucket traded at the logged post-swap L.
    this.setBucket(endB, r.totalLiquidity);
    this.seen.add(endB);
    this.guessed.delete(endB);
    if (uncertain) this.s.mapUncertainSwaps++;

    const live = this.tracked.filter((t) => t.live);
    const before = live.map((t) => pool.feeGrowthInside(t.input.tickLower, t.input.tickUpper));

    const limit = zeroForOne ? MIN_SQRT_RATIO + 1n : MAX_SQRT_RATIO - 1n;
    const inOf = (q: V3SwapQuote): bigint => (zeroForOne ? q.amount0 : q.amount1);
    const outOf = (q: V3SwapQuote): bigint => -(zeroForOne ? q.amount1 : q.amount0);
    const fits = (q: V3SwapQuote): boolean => inOf(q) === amountIn && outOf(q) === amountOut && q.sqrtPriceX96After === r.sqrtPriceX96;
    let q: V3SwapQuote | undefined = pool.quoteSwap(zeroForOne, amountIn, limit);
    if (!fits(q)) q = amountOut > 0n ? pool.quoteSwap(zeroForOne, -amountOut, limit) : undefined;
    let priceDriven = false;
    if (q === undefined || !fits(q)) {
      q = undefined;
      const p = pool.sqrtPriceX96;
      if (zeroForOne ? r.sqrtPriceX96 < p : r.sqrtPriceX96 > p) {
        q = pool.quoteSwap(zeroForOne, HUGE_INPUT, r.sqrtPriceX96);
        priceDriven = true;
      }
    }
    if (q === undefined) {
      // The logged price is not reachable in the swap's direction (or did not move): move there without fees.
      this.jumpPrice(r.sqrtPriceX96);
      this.s.skippedSwaps++;
      this.s.swaps--;
    } else {
      pool.applySwap(q);
      if (priceDriven) this.s.priceDrivenSwaps++;
      else this.s.exactSwaps++;
    }
    if (pool.sqrtPriceX96 !== r.sqrtPriceX96) throw new InvariantError(`log-order replay: the pool did not land on the logged price at line ${r.line}`);
    if (pool.tick !== r.tick) this.s.tickMismatches++;
    if (pool.liquidity !== r.totalLiquidity) {
      this.setBucket(floorTo(pool.tick, s), r.totalLiquidity);
      this.seen.add(floorTo(pool.tick, s));
    }

    for (let k = 0; k < live.length; k++) {
      const t = live[k]!;
      const g = pool.feeGrowthInside(t.input.tickLower, t.input.tickUpper);
      if (g.feeGrowthInside0X128 !== before[k]!.feeGrowthInside0X128 || g.feeGrowthInside1X128 !== before[k]!.feeGrowthInside1X128) {
        t.swapsInRange++;
        if (uncertain) t.mapUncertainSwaps++;
        if (priceDriven) t.priceDrivenSwaps++;
      }
    }
  }

  /** Moves the price to `target` as a fee-less swap would (crossed ticks flip their outside growth). */
  private jumpPrice(target: bigint): void {
    const pool = this.pool;
    const cur = pool.sqrtPriceX96;
    if (cur === target) return;
    const zeroForOne = target < cur;
    const q = pool.quoteSwap(zeroForOne, HUGE_INPUT, target);
    const snap = pool.snapshot();
    const ticks = new Map(snap.ticks);
    for (const t of q.crossedTicks) {
      const copy: TickInfo = { ...ticks.get(t)! };
      cross(copy, snap.feeGrowthGlobal0X128, snap.feeGrowthGlobal1X128);
      ticks.set(t, copy);
    }
    const next: V3PoolSnapshot = { ...snap, sqrtPriceX96: q.sqrtPriceX96After, tick: q.tickAfter, liquidity: q.liquidityAfter, ticks };
    pool.restore(next);
  }

  result(): LogOrderReplayResult {
    const positions = this.tracked.map((t): TrackedPositionResult => ({
      id: t.input.id,
      fees0: t.fees0,
      fees1: t.fees1,
      mintAmount0: t.mint0,
      mintAmount1: t.mint1,
      burnAmount0: t.burn0,
      burnAmount1: t.burn1,
      swapsInRange: t.swapsInRange,
      mapUncertainSwaps: t.mapUncertainSwaps,
      priceDrivenSwaps: t.priceDrivenSwaps,
      notes: t.done || t.notes.length > 0 ? t.notes : [...t.notes, 'its burn row was not reached'],
    }));
    return { positions, stats: { rows: this.rows.length, anchorLine: this.rows[this.anchorIndex]!.line, ...this.s, bucketsSeen: this.seen.size } };
  }
}

/** Replays `rows` (sorted as parsePoolEventsCsv returns them) in log order; see the module comment. */
export function replayLogOrder(rows: readonly PoolEventRow[], o: LogOrderReplayOptions): LogOrderReplayResult {
  return new LogOrderReplay(rows, o).run();
}
