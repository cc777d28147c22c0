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
 *
 * ## Inserted positions (a backtest's strategy, `--fee-model replay`)
 * {@link LogOrderReplay.insert} adds a position that is not a row of the file, at the current point of the log
 * (between two rows), and {@link LogOrderReplay.remove} takes it out; {@link LogOrderReplay.feesOf} is what the
 * pool's own fee-growth accounting owes it (Position.update's floor(L · Δ feeGrowthInside / 2^128) since its
 * last update, plus what earlier burns credited). Its liquidity is extra to the log's: every bucket target
 * above becomes the logged L plus the inserted positions' liquidity in that bucket, so the logged liquidity
 * around it is unchanged and the position takes its share L_ins / (L_logged + L_ins).
 * - Swaps are amount-driven when inserted liquidity is on their path: the logged amount in is swapped as exact
 *   input (never past the logged price), then the pool moves to the logged price without fees. The trader pays
 *   the fee the chain saw, shared with the inserted liquidity, and the price path stays the logged one. (A
 *   price-driven swap would make the trader pay more the more liquidity is inserted, which no log shows.) A
 *   swap an exact reading still reproduces (no inserted liquidity on its path) is applied as before.
 * - A claim: inserting with `claim` a position of the same ticks and liquidity as a MINT row applied since the
 *   last swap makes that row the inserted position (the log's liquidity moves to the caller's key; nothing is
 *   added): a user replaying their own real position is never a second copy on top of it. Until the row's own
 *   BURN the log already holds it (no extra liquidity); a `remove` before that row hands the liquidity back to
 *   the row's key (the log still holds it until its burn row); liquidity still held when the burn row comes
 *   becomes extra from then on. With the mint and burn at the rows' own places the claimed position earns
 *   exactly what a tracked position (the `validate` reading) earns.
 */
import { InvariantError, PoolError } from '../../core/errors.ts';
import { feesOwed } from '../../math/v3/position.ts';
import { MAX_SQRT_RATIO, MAX_TICK, MIN_SQRT_RATIO, MIN_TICK, V3Pool, type V3SwapQuote } from '../../pools/v3/v3Pool.ts';
import type { PoolEventRow } from '../real/poolEvents.ts';
import { defaultTickSpacingOfFeePips, jumpPrice } from '../real/replayEvents.ts';

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

/** A position inserted by a caller (not a row of the file); see the module comment. */
export interface InsertedPositionResult {
  readonly id: string;
  readonly tickLower: number;
  readonly tickUpper: number;
  /** Liquidity at insertion (the most it held). */
  readonly liquidity: bigint;
  /** Fees the pool's accounting credited it so far (banked at burns plus owed now), raw token units. */
  readonly fees0: bigint;
  readonly fees1: bigint;
  /** The MINT row it claimed (its index in the rows), when it is the file's own position. */
  readonly claimedRow: number | undefined;
  readonly swapsInRange: number;
  readonly mapUncertainSwaps: number;
  readonly amountDrivenSwaps: number;
  readonly priceDrivenSwaps: number;
  readonly live: boolean;
}

interface Inserted {
  readonly id: string;
  readonly key: string;
  readonly tickLower: number;
  readonly tickUpper: number;
  readonly initial: bigint;
  liquidity: bigint;
  /** The part of `liquidity` the logged liquidity already holds (a claimed position before its burn row). */
  inLog: bigint;
  claimedRow: number | undefined;
  /** The claimed row's pool key, and the liquidity handed back to it by early removes. */
  claimKey: string | undefined;
  returned: bigint;
  banked0: bigint;
  banked1: bigint;
  swapsInRange: number;
  mapUncertainSwaps: number;
  amountDrivenSwaps: number;
  priceDrivenSwaps: number;
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
  /** Inserted positions by id (live and removed, in insertion order), and the live ones. */
  private readonly insertedAll = new Map<string, Inserted>();
  private readonly insertedLive: Inserted[] = [];
  /** MINT row → the BURN row its key pairing took (untracked rows). */
  private readonly pairOf = new Map<number, number>();
  /** MINT rows applied since the last swap (claimable), and the claimed rows' burn rows. */
  private mintsSinceSwap: number[] = [];
  private readonly claimedRows = new Set<number>();
  private readonly claimedBurns = new Map<number, Inserted>();
  private amountDriven = 0;
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
          this.pairOf.set(i, j);
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
      const claim = r.kind === 'BURN' ? this.claimedBurns.get(i) : undefined;
      if (claim !== undefined) {
        this.applyClaimedBurn(i, r, claim);
        return;
      }
      this.applyPositionRow(i, r);
      if (r.kind === 'MINT' && !this.trackedByMint.has(i)) this.mintsSinceSwap.push(i);
      return;
    }
    this.mintsSinceSwap = [];
    this.applySwap(r);
  }

  // ------------------------------------------------------------------ inserted positions

  /** Liquidity the inserted positions add to bucket [b, b + spacing) beyond the logged one. */
  private extraIn(b: number): bigint {
    let x = 0n;
    for (const p of this.insertedLive) if (p.tickLower <= b && b < p.tickUpper) x += p.liquidity - p.inLog;
    return x;
  }

  private hasExtra(): boolean {
    for (const p of this.insertedLive) if (p.liquidity > p.inLog) return true;
    return false;
  }

  /**
   * Inserts position `id` (ticks on the spacing, raw liquidity) at the current point of the log; with `claim`,
   * a MINT row of the same ticks and liquidity applied since the last swap becomes this position (see the
   * module comment). Returns the token amounts the mint takes (rounded up) and the claimed row. Throws
   * PoolError when the pool rejects the mint (e.g. a tick off the spacing).
   */
  insert(id: string, tickLower: number, tickUpper: number, liquidity: bigint, claim = false): { amount0: bigint; amount1: bigint; claimedRow: number | undefined } {
    if (this.insertedAll.get(id)?.liquidity) throw new InvariantError(`log-order replay: position ${id} is already inserted`);
    const key = `@${id}`;
    const p: Inserted = { id, key, tickLower, tickUpper, initial: liquidity, liquidity, inLog: 0n, claimedRow: undefined, claimKey: undefined, returned: 0n, banked0: 0n, banked1: 0n, swapsInRange: 0, mapUncertainSwaps: 0, amountDrivenSwaps: 0, priceDrivenSwaps: 0 };
    let row: number | undefined;
    if (claim) {
      for (let k = this.mintsSinceSwap.length - 1; k >= 0 && row === undefined; k--) {
        const i = this.mintsSinceSwap[k]!;
        const m = this.rows[i]!;
        if (this.claimedRows.has(i) || m.tickLower !== tickLower || m.tickUpper !== tickUpper || m.liquidity !== liquidity) continue;
        const owner = this.keyOf.get(i) ?? m.owner;
        try {
          this.pool.burn(owner, tickLower, tickUpper, liquidity);
        } catch (err) {
          if (err instanceof PoolError) continue;
          throw err;
        }
        row = i;
        p.claimKey = owner;
      }
    }
    const a = this.pool.mint(key, tickLower, tickUpper, liquidity);
    if (row !== undefined) {
      p.claimedRow = row;
      p.inLog = liquidity;
      this.claimedRows.add(row);
      const b = this.pairOf.get(row);
      if (b !== undefined && b >= this.next) this.claimedBurns.set(b, p);
    }
    this.insertedAll.set(id, p);
    this.insertedLive.push(p);
    return { amount0: a.amount0, amount1: a.amount1, claimedRow: row };
  }

  /**
   * Removes `amount` (default all) of inserted position `id`'s liquidity; its fees so far are banked. Returns
   * the principal the burn credits (rounded down) and the fees banked by this burn.
   */
  remove(id: string, amount?: bigint): { amount0: bigint; amount1: bigint; fees0: bigint; fees1: bigint } {
    const p = this.insertedAll.get(id);
    if (p === undefined || p.liquidity === 0n) throw new InvariantError(`log-order replay: no live inserted position ${id}`);
    const a = amount === undefined || amount > p.liquidity ? p.liquidity : amount;
    const pool = this.pool;
    const before = pool.position(p.key, p.tickLower, p.tickUpper);
    const burned = pool.burn(p.key, p.tickLower, p.tickUpper, a);
    const after = pool.position(p.key, p.tickLower, p.tickUpper);
    const fees0 = after.tokensOwed0 - before.tokensOwed0 - burned.amount0;
    const fees1 = after.tokensOwed1 - before.tokensOwed1 - burned.amount1;
    pool.collect(p.key, p.tickLower, p.tickUpper);
    p.banked0 += fees0;
    p.banked1 += fees1;
    p.liquidity -= a;
    if (p.inLog > 0n) {
      // The log still holds the claimed row's liquidity until its burn row: hand it back to the row's key.
      const back = a < p.inLog ? a : p.inLog;
      p.inLog -= back;
      if (p.claimKey !== undefined) {
        pool.mint(p.claimKey, p.tickLower, p.tickUpper, back);
        p.returned += back;
      }
    }
    if (p.liquidity === 0n) this.insertedLive.splice(this.insertedLive.indexOf(p), 1);
    return { amount0: burned.amount0, amount1: burned.amount1, fees0, fees1 };
  }

  /** Fees the pool's accounting owes inserted position `id` so far (banked + growth since its last update). */
  feesOf(id: string): { fees0: bigint; fees1: bigint } {
    const p = this.insertedAll.get(id);
    if (p === undefined) throw new InvariantError(`log-order replay: no inserted position ${id}`);
    if (p.liquidity === 0n) return { fees0: p.banked0, fees1: p.banked1 };
    const info = this.pool.position(p.key, p.tickLower, p.tickUpper);
    const g = this.pool.feeGrowthInside(p.tickLower, p.tickUpper);
    const d0 = feesOwed(g.feeGrowthInside0X128, info.feeGrowthInside0LastX128, info.liquidity);
    const d1 = feesOwed(g.feeGrowthInside1X128, info.feeGrowthInside1LastX128, info.liquidity);
    return { fees0: p.banked0 + info.tokensOwed0 + d0, fees1: p.banked1 + info.tokensOwed1 + d1 };
  }

  /** Every inserted position so far, in insertion order. */
  insertedResults(): InsertedPositionResult[] {
    return [...this.insertedAll.values()].map((p) => {
      const f = this.feesOf(p.id);
      return {
        id: p.id,
        tickLower: p.tickLower,
        tickUpper: p.tickUpper,
        liquidity: p.initial,
        fees0: f.fees0,
        fees1: f.fees1,
        claimedRow: p.claimedRow,
        swapsInRange: p.swapsInRange,
        mapUncertainSwaps: p.mapUncertainSwaps,
        amountDrivenSwaps: p.amountDrivenSwaps,
        priceDrivenSwaps: p.priceDrivenSwaps,
        live: p.liquidity > 0n,
      };
    });
  }

  /** Swaps replayed amount-driven because inserted liquidity was on their path. */
  get amountDrivenSwaps(): number {
    return this.amountDriven;
  }

  /** The BURN row of a claimed position: the liquidity handed back is burned; what the caller still holds becomes extra. */
  private applyClaimedBurn(i: number, r: PoolEventRow, p: Inserted): void {
    this.claimedBurns.delete(i);
    if (p.returned > 0n) {
      try {
        this.pool.burn(p.claimKey!, r.tickLower, r.tickUpper, p.returned);
      } catch (err) {
        if (!(err instanceof PoolError)) throw err;
        this.s.rejectedRows++;
      }
    }
    p.returned = 0n;
    p.inLog = 0n;
    p.claimKey = undefined;
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
      const L0 = pool.liquidity - this.extraIn(startB);
      const L1 = r.totalLiquidity;
      for (let k = 1; k < n; k++) {
        const b = startB + k * dir;
        if (this.seen.has(b)) continue;
        uncertain = true;
        if (n <= MAX_GUESSED_BUCKETS && !this.guessed.has(b)) {
          this.guessed.add(b);
          this.setBucket(b, L0 + ((L1 - L0) * BigInt(k)) / BigInt(n) + this.extraIn(b));
        }
      }
    }
    // The end bucket traded at the logged post-swap L.
    this.setBucket(endB, r.totalLiquidity + this.extraIn(endB));
    this.seen.add(endB);
    this.guessed.delete(endB);
    if (uncertain) this.s.mapUncertainSwaps++;

    const live = this.tracked.filter((t) => t.live);
    const before = live.map((t) => pool.feeGrowthInside(t.input.tickLower, t.input.tickUpper));
    const ins = this.insertedLive.slice();
    const insBefore = ins.map((p) => pool.feeGrowthInside(p.tickLower, p.tickUpper));

    const limit = zeroForOne ? MIN_SQRT_RATIO + 1n : MAX_SQRT_RATIO - 1n;
    const inOf = (q: V3SwapQuote): bigint => (zeroForOne ? q.amount0 : q.amount1);
    const outOf = (q: V3SwapQuote): bigint => -(zeroForOne ? q.amount1 : q.amount0);
    const fits = (q: V3SwapQuote): boolean => inOf(q) === amountIn && outOf(q) === amountOut && q.sqrtPriceX96After === r.sqrtPriceX96;
    let q: V3SwapQuote | undefined = pool.quoteSwap(zeroForOne, amountIn, limit);
    if (!fits(q)) q = amountOut > 0n ? pool.quoteSwap(zeroForOne, -amountOut, limit) : undefined;
    let priceDriven = false;
    let amountDriven = false;
    if (q === undefined || !fits(q)) {
      q = undefined;
      const p = pool.sqrtPriceX96;
      if (zeroForOne ? r.sqrtPriceX96 < p : r.sqrtPriceX96 > p) {
        // Inserted liquidity on the path: the logged amount in, never past the logged price (module comment).
        amountDriven = this.hasExtra();
        q = pool.quoteSwap(zeroForOne, amountDriven ? amountIn : HUGE_INPUT, r.sqrtPriceX96);
        priceDriven = !amountDriven;
      }
    }
    if (q === undefined) {
      // The logged price is not reachable in the swap's direction (or did not move): move there without fees.
      jumpPrice(this.pool, r.sqrtPriceX96);
      this.s.skippedSwaps++;
      this.s.swaps--;
    } else {
      pool.applySwap(q);
      if (priceDriven) this.s.priceDrivenSwaps++;
      else if (amountDriven) {
        this.amountDriven++;
        jumpPrice(this.pool, r.sqrtPriceX96);
      } else this.s.exactSwaps++;
    }
    if (pool.sqrtPriceX96 !== r.sqrtPriceX96) throw new InvariantError(`log-order replay: the pool did not land on the logged price at line ${r.line}`);
    if (pool.tick !== r.tick) this.s.tickMismatches++;
    const cur = floorTo(pool.tick, s);
    const want = ins.length === 0 ? r.totalLiquidity : r.totalLiquidity + this.extraIn(cur);
    if (pool.liquidity !== want) {
      this.setBucket(cur, want);
      this.seen.add(cur);
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
    for (let k = 0; k < ins.length; k++) {
      const p = ins[k]!;
      const g = pool.feeGrowthInside(p.tickLower, p.tickUpper);
      if (g.feeGrowthInside0X128 !== insBefore[k]!.feeGrowthInside0X128 || g.feeGrowthInside1X128 !== insBefore[k]!.feeGrowthInside1X128) {
        p.swapsInRange++;
        if (uncertain) p.mapUncertainSwaps++;
        if (priceDriven) p.priceDrivenSwaps++;
        if (amountDriven) p.amountDrivenSwaps++;
      }
    }
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
