import { modifyPositionAmounts } from '../../math/v3/modifyPosition.ts';
import { ConfigError, InvariantError, PoolError } from '../../core/errors.ts';
import {
  MAX_UINT128,
  MAX_UINT256,
  MAX_INT128,
  MAX_UINT160,
  TWO_POW_160,
  TWO_POW_255,
} from '../../math/v3/fixedPoint.ts';
import { addDelta } from '../../math/v3/liquidityMath.ts';
import {
  grow as growObservations,
  initialize as initializeObservations,
  MAX_OBSERVATION_CARDINALITY,
  observationAt,
  observe as observeObservations,
  observeSingle,
  toInt56,
  write as writeObservation,
  type Cumulatives,
  type Observation,
  type ObserveResult,
  type Observations,
  type WriteResult,
} from '../../math/v3/oracle.ts';
import { update as updatePosition, type PositionInfo } from '../../math/v3/position.ts';
import { computeSwapStep, type SwapStepResult } from '../../math/v3/swapMath.ts';
import {
  cross,
  getFeeGrowthInside,
  tickSpacingToMaxLiquidityPerTick,
  update as updateTick,
  type FeeGrowthInside,
  type TickInfo,
} from '../../math/v3/tick.ts';
import {
  flipTick,
  nextInitializedTickWithinOneWord,
  nextStopAcrossEmptyWords,
  sortedWordPositions,
  type NextTickResult,
  type StopAcrossWordsResult,
  type TickBitmap,
} from '../../math/v3/tickBitmap.ts';
import { getSqrtRatioAtTickMemo, getTickAtSqrtRatio, MAX_SQRT_RATIO, MAX_TICK, MIN_SQRT_RATIO, MIN_TICK } from '../../math/v3/tickMath.ts';

/**
 * # V3Pool: a bit-exact, in-memory mirror of `UniswapV3Pool` (v3-core 1.0.1)
 *
 * Every amount, price, fee growth and revert matches the deployed contract; the test suite replays real
 * contract output (../shared/oracle/v3) line by line. All values are `bigint` in the contract's own units:
 * raw token amounts, Q64.96 sqrt prices, Q128.128 fee growth, uint128 liquidity. Ticks are `number`s.
 *
 * ## Reverts
 * Anything the contract reverts on throws {@link PoolError} whose `reason` is the contract's revert string
 * exactly ('' for a bare `require`), and leaves the pool unchanged. Arguments outside their Solidity type
 * (e.g. a negative uint128, a tick outside int24, a non-integer tick) cannot reach the contract through the
 * ABI; here they throw {@link ConfigError}.
 *
 * ## What is modelled, what is not
 * - Modelled: initialize, mint, burn (0 = poke), collect, swap (exact in/out, price limit, any number of
 *   tick crossings, word-by-word bitmap stepping), fee growth global/outside/inside, tokensOwed (uint128
 *   wrap-around), protocol fee (setFeeProtocol, collectProtocol), max liquidity per tick.
 * - Modelled too: block time and the oracle (see "Time" below).
 * - Not modelled: token transfers and callbacks (callers pay exactly what is asked, so 'M0', 'M1', 'IIA'
 *   never arise), flash loans, factory ownership (`setFeeProtocol`/`collectProtocol` are always allowed), and re-entrancy: 'LOK' arises only
 *   when the pool is not initialised, which is when the contract's lock is closed.
 * - Positions are keyed by (owner name, tickLower, tickUpper); `owner` is any string (the contract keys by
 *   address; mint credits the recipient, burn/collect act on msg.sender's position — both are `owner` here).
 *
 * ## Time
 * The pool reads the block timestamp as the contract does (`uint32(block.timestamp)`): set it with
 * {@link V3Pool.setBlockTimestamp} before the events of that block (it stays until changed; 0 at first).
 * With it come the contract's oracle: the observation ring buffer (slot0's `observationIndex`,
 * `observationCardinality`, `observationCardinalityNext`; {@link V3Pool.increaseObservationCardinalityNext}),
 * {@link V3Pool.observe}, {@link V3Pool.snapshotCumulativesInside}, and each tick's outside accumulators.
 * An observation is written, at most once per timestamp and from the state *before* the event, on
 * initialize, on a swap that changes the tick, and on a mint/burn with liquidity ≠ 0 whose range holds the
 * current tick. Callers that never set the time get the contract's behaviour at a constant timestamp 0:
 * amounts, prices and fees are unaffected by time, and a constant time costs almost nothing.
 *
 * ## Quote, then apply
 * {@link V3Pool.quoteSwap} runs the contract's swap loop without mutating and returns a {@link V3SwapQuote};
 * {@link V3Pool.applySwap} commits exactly that result (and refuses a quote made before any later change).
 * {@link V3Pool.swap} is the two together. {@link V3Pool.snapshot} / {@link V3Pool.restore} save and
 * restore the whole state.
 *
 * ## Example
 * ```ts
 * const pool = new V3Pool({ fee: 3000, tickSpacing: 60 });
 * pool.initialize(79228162514264337593543950336n);           // price 1
 * pool.mint('alice', -600, 600, 10n ** 18n);                 // { amount0, amount1 } owed to the pool
 * const r = pool.swap(true, 10n ** 15n, MIN_SQRT_RATIO + 1n); // exact in, token0 → token1
 * // r.amount0 > 0 (paid in), r.amount1 < 0 (paid out)
 * pool.burn('alice', -600, 600, 0n);                         // poke: credit fees to tokensOwed
 * pool.collect('alice', -600, 600);                          // pays out tokensOwed
 *
 * // With time: set each block's timestamp before its events.
 * pool.setBlockTimestamp(1_700_000_000);
 * pool.swap(false, 10n ** 15n, MAX_SQRT_RATIO - 1n);
 * pool.setBlockTimestamp(1_700_000_600);
 * pool.snapshotCumulativesInside(-600, 600);                 // { tickCumulativeInside, secondsPerLiquidityInsideX128, secondsInside }
 * pool.observe([600, 0]);                                    // { tickCumulatives, secondsPerLiquidityCumulativeX128s }
 * ```
 */

/** Construction parameters: the factory's fee tier and its tick spacing. */
export interface V3PoolParams {
  /** Fee in hundredths of a bip (uint24, < 1,000,000): 500 = 0.05 %, 3000 = 0.30 %. */
  readonly fee: number;
  /** Tick spacing (int24, 1..16383): 10 for fee 500, 60 for 3000, 200 for 10000, 1 for 100. */
  readonly tickSpacing: number;
}

/** Signed token amounts from the pool's side: > 0 paid into the pool, < 0 paid out. */
export interface V3Amounts {
  readonly amount0: bigint;
  readonly amount1: bigint;
}

/**
 * The full outcome of a swap, computed by {@link V3Pool.quoteSwap} without touching the pool. Pass it to
 * {@link V3Pool.applySwap} to commit it.
 */
export interface V3SwapQuote extends V3Amounts {
  readonly zeroForOne: boolean;
  readonly amountSpecified: bigint;
  readonly sqrtPriceLimitX96: bigint;
  /** slot0 after the swap. */
  readonly sqrtPriceX96After: bigint;
  readonly tickAfter: number;
  /** Active liquidity after the swap. */
  readonly liquidityAfter: bigint;
  /** feeGrowthGlobal of the input token (token0 when zeroForOne) after the swap. */
  readonly feeGrowthGlobalX128After: bigint;
  /** Protocol fee taken by this swap, in the input token (uint128, wraps like the contract). */
  readonly protocolFee: bigint;
  /** Total fee paid by the trader, in the input token: LP fees plus protocol fee. */
  readonly feeAmount: bigint;
  /** Initialised ticks crossed, in order. */
  readonly crossedTicks: readonly number[];
  /** The input token's fee growth global at each crossing (for the tick's feeGrowthOutside flip). */
  readonly crossedFeeGrowthX128: readonly bigint[];
  /** Number of swap-loop steps (a step ends at a tick, a bitmap word edge, the limit or the amount). */
  readonly steps: number;
  /** The pool's state version the quote was made on; applySwap refuses any other. */
  readonly stateVersion: number;
}

/** A read-only view of a position, as `positions(key)` returns it. */
export type V3PositionView = Readonly<PositionInfo>;

/** A read-only view of a tick, as `ticks(tick)` returns it. */
export type V3TickView = Readonly<TickInfo>;

/** The pool's whole state, as taken by {@link V3Pool.snapshot}. Treat as opaque; restore with {@link V3Pool.restore}. */
export interface V3PoolSnapshot {
  readonly fee: number;
  readonly tickSpacing: number;
  readonly sqrtPriceX96: bigint;
  readonly tick: number;
  readonly feeProtocol: number;
  readonly unlocked: boolean;
  readonly liquidity: bigint;
  readonly feeGrowthGlobal0X128: bigint;
  readonly feeGrowthGlobal1X128: bigint;
  readonly protocolFees0: bigint;
  readonly protocolFees1: bigint;
  readonly ticks: ReadonlyMap<number, V3TickView>;
  readonly bitmap: ReadonlyMap<number, bigint>;
  readonly positions: ReadonlyMap<string, V3PositionView>;
  /** The block timestamp as last set (full value), and the oracle. */
  readonly blockTimestamp: number;
  readonly observationIndex: number;
  readonly observationCardinality: number;
  readonly observationCardinalityNext: number;
  readonly observations: readonly (Observation | undefined)[];
}

/** `snapshotCumulativesInside`'s return values: only differences between two snapshots mean anything. */
export interface V3CumulativesInside {
  /** int56: tick × seconds spent inside the range. */
  readonly tickCumulativeInside: bigint;
  /** uint160: seconds per unit of in-range liquidity (Q128) spent inside the range. */
  readonly secondsPerLiquidityInsideX128: bigint;
  /** uint32: seconds spent inside the range (wraps). */
  readonly secondsInside: number;
}

export type { Observation, ObserveResult };

/** The contract's default for a collect request: type(uint128).max, i.e. "everything owed". */
export const COLLECT_ALL = MAX_UINT128;

const ZERO_POSITION: V3PositionView = Object.freeze({
  liquidity: 0n,
  feeGrowthInside0LastX128: 0n,
  feeGrowthInside1LastX128: 0n,
  tokensOwed0: 0n,
  tokensOwed1: 0n,
});

const INT24_MIN = -(2 ** 23);
const INT24_MAX = 2 ** 23 - 1;

function checkOwner(owner: string): void {
  if (typeof owner !== 'string' || owner.length === 0 || owner.includes('\u0000')) {
    throw new ConfigError('owner', `must be a non-empty string without NUL characters; was ${JSON.stringify(owner)}`);
  }
}

function positionKey(owner: string, tickLower: number, tickUpper: number): string {
  return `${owner}\u0000${tickLower}\u0000${tickUpper}`;
}

function checkInt24(name: string, v: number): void {
  if (!Number.isInteger(v) || v < INT24_MIN || v > INT24_MAX) {
    throw new ConfigError(name, `must be an int24 integer in [${INT24_MIN}, ${INT24_MAX}]; was ${v}`);
  }
}

function checkUint(name: string, v: bigint, bits: bigint, max: bigint): void {
  if (typeof v !== 'bigint' || v < 0n || v > max) {
    throw new ConfigError(name, `must be a uint${bits} bigint in [0, ${max}]; was ${String(v)}`);
  }
}

const INT256_MIN = -TWO_POW_255;
const INT256_MAX = TWO_POW_255 - 1n;
// Module-local copies of imported constants for the swap loop: read directly, where an import compiled to
// CommonJS (tsx, vitest) is read through a getter on every use.
const L_MIN_TICK = MIN_TICK;
const L_MAX_TICK = MAX_TICK;
const L_TWO_POW_255 = TWO_POW_255;
const L_MAX_UINT128 = MAX_UINT128;
const L_MAX_UINT256 = MAX_UINT256;

function copyTick(t: V3TickView): TickInfo {
  return {
    liquidityGross: t.liquidityGross,
    liquidityNet: t.liquidityNet,
    feeGrowthOutside0X128: t.feeGrowthOutside0X128,
    feeGrowthOutside1X128: t.feeGrowthOutside1X128,
    tickCumulativeOutside: t.tickCumulativeOutside,
    secondsPerLiquidityOutsideX128: t.secondsPerLiquidityOutsideX128,
    secondsOutside: t.secondsOutside,
    initialized: t.initialized,
  };
}

export class V3Pool {
  /** Fee in hundredths of a bip (`fee()`). */
  readonly fee: number;
  /** Tick spacing (`tickSpacing()`). */
  readonly tickSpacing: number;
  /** Most gross liquidity any tick may reference (`maxLiquidityPerTick()`). */
  readonly maxLiquidityPerTick: bigint;

  private _sqrtPriceX96 = 0n;
  private _tick = 0;
  private _feeProtocol = 0;
  private _unlocked = false;
  private _liquidity = 0n;
  private _feeGrowthGlobal0X128 = 0n;
  private _feeGrowthGlobal1X128 = 0n;
  private _protocolFees0 = 0n;
  private _protocolFees1 = 0n;
  private _ticks = new Map<number, TickInfo>();
  private _bitmap: TickBitmap = new Map();
  // The bitmap's non-empty word positions, ascending: derived from _bitmap (not state), rebuilt on demand
  // after any flip, for the zero-liquidity walk of quoteSwap.
  private _sortedWords: number[] | undefined;
  // Position objects are replaced, never mutated, so a shallow copy of this map is a true snapshot.
  private _positions = new Map<string, PositionInfo>();
  private _version = 0;
  // Time and the oracle (slot0's observation fields, the observations array).
  private _blockTimestamp = 0;
  private _time = 0; // uint32(_blockTimestamp)
  private _observations: Observations = [];
  private _observationIndex = 0;
  private _observationCardinality = 0;
  private _observationCardinalityNext = 0;

  // Scratch objects reused by the swap loop (no allocation per step).
  private readonly stepScratch: SwapStepResult = { sqrtRatioNextX96: 0n, amountIn: 0n, amountOut: 0n, feeAmount: 0n };
  private readonly nextScratch: NextTickResult = { next: 0, initialized: false };
  private readonly walkScratch: StopAcrossWordsResult = { next: 0, initialized: false, words: 0 };
  private readonly feeGrowthScratch: FeeGrowthInside = { feeGrowthInside0X128: 0n, feeGrowthInside1X128: 0n };
  private readonly cumulativesScratch: Cumulatives = { tickCumulative: 0n, secondsPerLiquidityCumulativeX128: 0n };
  private readonly writeScratch: WriteResult = { index: 0, cardinality: 0 };
  private readonly feePipsBig: bigint;

  /**
   * A new, uninitialised pool (the factory's `createPool`). Throws ConfigError unless 0 ≤ fee < 1,000,000
   * and 0 < tickSpacing < 16384 (the factory's `enableFeeAmount` rules).
   */
  constructor(params: V3PoolParams) {
    const { fee, tickSpacing } = params;
    if (!Number.isInteger(fee) || fee < 0 || fee >= 1_000_000) {
      throw new ConfigError('fee', `must be an integer in [0, 999999] (hundredths of a bip); was ${fee}`);
    }
    if (!Number.isInteger(tickSpacing) || tickSpacing <= 0 || tickSpacing >= 16384) {
      throw new ConfigError('tickSpacing', `must be an integer in [1, 16383]; was ${tickSpacing}`);
    }
    this.fee = fee;
    this.tickSpacing = tickSpacing;
    this.maxLiquidityPerTick = tickSpacingToMaxLiquidityPerTick(tickSpacing);
    this.feePipsBig = BigInt(fee);
  }

  // ---------------------------------------------------------------- getters (the contract's views)

  /** slot0.sqrtPriceX96: current Q64.96 sqrt price (0 before initialize). */
  get sqrtPriceX96(): bigint {
    return this._sqrtPriceX96;
  }
  /** slot0.tick: current tick. Not always getTickAtSqrtRatio(sqrtPriceX96): see the swap notes. */
  get tick(): number {
    return this._tick;
  }
  /** slot0.feeProtocol: feeProtocol0 + 16·feeProtocol1. */
  get feeProtocol(): number {
    return this._feeProtocol;
  }
  /** True once initialize succeeded (the contract's slot0.unlocked outside a call). */
  get initialized(): boolean {
    return this._unlocked;
  }
  /** In-range liquidity (`liquidity()`). */
  get liquidity(): bigint {
    return this._liquidity;
  }
  /** `feeGrowthGlobal0X128()`: token0 fees per unit of liquidity, Q128.128, mod 2^256. */
  get feeGrowthGlobal0X128(): bigint {
    return this._feeGrowthGlobal0X128;
  }
  /** `feeGrowthGlobal1X128()`. */
  get feeGrowthGlobal1X128(): bigint {
    return this._feeGrowthGlobal1X128;
  }
  /** `protocolFees().token0`: uncollected protocol fees (uint128). */
  get protocolFees0(): bigint {
    return this._protocolFees0;
  }
  /** `protocolFees().token1`. */
  get protocolFees1(): bigint {
    return this._protocolFees1;
  }
  /** The block timestamp as last given to {@link setBlockTimestamp} (0 until then). */
  get blockTimestamp(): number {
    return this._blockTimestamp;
  }
  /** slot0.observationIndex: the slot of the newest observation. */
  get observationIndex(): number {
    return this._observationIndex;
  }
  /** slot0.observationCardinality: how many observation slots are in use (0 before initialize). */
  get observationCardinality(): number {
    return this._observationCardinality;
  }
  /** slot0.observationCardinalityNext: the size the buffer grows to at its next wrap. */
  get observationCardinalityNext(): number {
    return this._observationCardinalityNext;
  }
  /** `observations(index)`: the stored slot (all zeros when never written). */
  observation(index: number): Observation {
    if (!Number.isInteger(index) || index < 0 || index >= MAX_OBSERVATION_CARDINALITY) {
      throw new ConfigError('index', `must be an integer in [0, ${MAX_OBSERVATION_CARDINALITY - 1}]; was ${index}`);
    }
    return observationAt(this._observations, index);
  }
  /** A counter bumped by every state change (quotes carry it). */
  get stateVersion(): number {
    return this._version;
  }

  /** `positions(keccak(owner, tickLower, tickUpper))`: all zeros for a position never touched. */
  position(owner: string, tickLower: number, tickUpper: number): V3PositionView {
    return this._positions.get(positionKey(owner, tickLower, tickUpper)) ?? ZERO_POSITION;
  }

  /** All positions ever created, sorted by owner, tickLower, tickUpper. */
  positions(): { owner: string; tickLower: number; tickUpper: number; info: V3PositionView }[] {
    const out: { owner: string; tickLower: number; tickUpper: number; info: V3PositionView }[] = [];
    for (const [key, info] of this._positions) {
      const parts = key.split('\u0000');
      out.push({ owner: parts[0] as string, tickLower: Number(parts[1]), tickUpper: Number(parts[2]), info });
    }
    out.sort((a, b) =>
      a.owner < b.owner ? -1 : a.owner > b.owner ? 1 : a.tickLower - b.tickLower || a.tickUpper - b.tickUpper,
    );
    return out;
  }

  /** `ticks(tick)`, or undefined when the tick is not initialised (the contract returns zeros). */
  ticks(tick: number): V3TickView | undefined {
    return this._ticks.get(tick);
  }

  /** All initialised ticks, ascending. */
  initializedTicks(): number[] {
    return [...this._ticks.keys()].sort((a, b) => a - b);
  }

  /** `tickBitmap(wordPos)`: the 256-bit word (0 when unset). */
  tickBitmap(wordPos: number): bigint {
    return this._bitmap.get(wordPos) ?? 0n;
  }

  /**
   * Fee growth inside [tickLower, tickUpper) now (`Tick.getFeeGrowthInside` at the current tick); what a
   * poke would use. Returns a fresh object.
   */
  feeGrowthInside(tickLower: number, tickUpper: number): FeeGrowthInside {
    return getFeeGrowthInside(
      this._ticks.get(tickLower),
      this._ticks.get(tickUpper),
      tickLower,
      tickUpper,
      this._tick,
      this._feeGrowthGlobal0X128,
      this._feeGrowthGlobal1X128,
      { feeGrowthInside0X128: 0n, feeGrowthInside1X128: 0n },
    );
  }

  /**
   * `observe(secondsAgos)`: the tick and seconds-per-liquidity cumulatives `secondsAgo` seconds before the
   * current block time, for each entry (uint32). Interpolates between observations, extrapolates from the
   * newest one with the current tick and liquidity. Reverts 'OLD' for a time before the oldest observation,
   * 'I' before initialize. A view: the pool is unchanged.
   */
  observe(secondsAgos: readonly number[]): ObserveResult {
    for (const s of secondsAgos) {
      if (!Number.isInteger(s) || s < 0 || s > 0xffffffff) throw new ConfigError('secondsAgos', `must be uint32 integers; was ${s}`);
    }
    return observeObservations(
      this._observations,
      this._time,
      secondsAgos,
      this._tick,
      this._observationIndex,
      this._liquidity,
      this._observationCardinality,
    );
  }

  /**
   * `snapshotCumulativesInside(tickLower, tickUpper)` at the current block time: tick cumulative, seconds per
   * liquidity and seconds spent inside the range (below it: lower − upper outside values; inside: globals −
   * lower − upper; above: upper − lower; in each value's width, so they wrap). Compare two snapshots of the
   * same range taken while both ticks stayed initialised. Reverts 'TLU'/'TLM'/'TUM' like mint, and '' when
   * either tick is not initialised (there is no tick-spacing check). A view: the pool is unchanged.
   */
  snapshotCumulativesInside(tickLower: number, tickUpper: number): V3CumulativesInside {
    checkInt24('tickLower', tickLower);
    checkInt24('tickUpper', tickUpper);
    this.checkTicks(tickLower, tickUpper);
    const lower = this._ticks.get(tickLower);
    if (lower === undefined || !lower.initialized) throw new PoolError('', `reverted (bare require): tickLower ${tickLower} is not initialized`);
    const upper = this._ticks.get(tickUpper);
    if (upper === undefined || !upper.initialized) throw new PoolError('', `reverted (bare require): tickUpper ${tickUpper} is not initialized`);
    const tick = this._tick;
    if (tick < tickLower) {
      return {
        tickCumulativeInside: toInt56(lower.tickCumulativeOutside - upper.tickCumulativeOutside),
        secondsPerLiquidityInsideX128: (lower.secondsPerLiquidityOutsideX128 - upper.secondsPerLiquidityOutsideX128) & MAX_UINT160,
        secondsInside: (lower.secondsOutside - upper.secondsOutside) >>> 0,
      };
    }
    if (tick < tickUpper) {
      const time = this._time;
      const c = this.cumulativesNow();
      return {
        tickCumulativeInside: toInt56(c.tickCumulative - lower.tickCumulativeOutside - upper.tickCumulativeOutside),
        secondsPerLiquidityInsideX128:
          (c.secondsPerLiquidityCumulativeX128 - lower.secondsPerLiquidityOutsideX128 - upper.secondsPerLiquidityOutsideX128) & MAX_UINT160,
        secondsInside: (time - lower.secondsOutside - upper.secondsOutside) >>> 0,
      };
    }
    return {
      tickCumulativeInside: toInt56(upper.tickCumulativeOutside - lower.tickCumulativeOutside),
      secondsPerLiquidityInsideX128: (upper.secondsPerLiquidityOutsideX128 - lower.secondsPerLiquidityOutsideX128) & MAX_UINT160,
      secondsInside: (upper.secondsOutside - lower.secondsOutside) >>> 0,
    };
  }

  // ---------------------------------------------------------------- state changes

  /**
   * Sets the block timestamp (unix seconds, a non-negative safe integer) for the events that follow, as a
   * new block would; the pool uses it mod 2^32 as the contract does. It does not change the pool's state by
   * itself (quotes stay valid: amounts never depend on time). Times should not decrease, as on a chain; the
   * pool does not check (the contract's uint32 arithmetic would read a decrease as a wrap of 2^32).
   */
  setBlockTimestamp(time: number): void {
    if (!Number.isSafeInteger(time) || time < 0) {
      throw new ConfigError('time', `must be a non-negative integer (unix seconds); was ${time}`);
    }
    this._blockTimestamp = time;
    this._time = time >>> 0;
  }

  /**
   * `increaseObservationCardinalityNext(observationCardinalityNext)`: the buffer will grow to this many
   * slots (uint16) at its next wrap; no effect unless above the current cardinalityNext. Reverts 'LOK'
   * before initialize.
   */
  increaseObservationCardinalityNext(observationCardinalityNext: number): void {
    if (!Number.isInteger(observationCardinalityNext) || observationCardinalityNext < 0 || observationCardinalityNext > MAX_OBSERVATION_CARDINALITY) {
      throw new ConfigError('observationCardinalityNext', `must be a uint16 integer in [0, ${MAX_OBSERVATION_CARDINALITY}]; was ${observationCardinalityNext}`);
    }
    this.requireUnlocked();
    const next = growObservations(this._observations, this._observationCardinalityNext, observationCardinalityNext);
    if (next !== this._observationCardinalityNext) {
      this._observationCardinalityNext = next;
      this._version++;
    }
  }

  /**
   * `initialize(sqrtPriceX96)`: sets the starting price. Reverts 'AI' if already initialised, 'R' unless
   * MIN_SQRT_RATIO ≤ sqrtPriceX96 < MAX_SQRT_RATIO.
   */
  initialize(sqrtPriceX96: bigint): void {
    checkUint('sqrtPriceX96', sqrtPriceX96, 160n, TWO_POW_160 - 1n);
    if (this._sqrtPriceX96 !== 0n) throw new PoolError('AI', 'reverted: AI (the pool is already initialized)');
    const tick = getTickAtSqrtRatio(sqrtPriceX96);
    const { cardinality, cardinalityNext } = initializeObservations(this._observations, this._time);
    this._observationIndex = 0;
    this._observationCardinality = cardinality;
    this._observationCardinalityNext = cardinalityNext;
    this._sqrtPriceX96 = sqrtPriceX96;
    this._tick = tick;
    this._feeProtocol = 0;
    this._unlocked = true;
    this._version++;
  }

  private requireUnlocked(): void {
    if (!this._unlocked) throw new PoolError('LOK', 'reverted: LOK (the pool is locked: not initialized)');
  }

  private checkTicks(tickLower: number, tickUpper: number): void {
    if (!(tickLower < tickUpper)) {
      throw new PoolError('TLU', `reverted: TLU (tickLower must be below tickUpper; was ${tickLower} >= ${tickUpper})`);
    }
    if (tickLower < MIN_TICK) throw new PoolError('TLM', `reverted: TLM (tickLower must be >= ${MIN_TICK}; was ${tickLower})`);
    if (tickUpper > MAX_TICK) throw new PoolError('TUM', `reverted: TUM (tickUpper must be <= ${MAX_TICK}; was ${tickUpper})`);
  }

  /**
   * `_modifyPosition`: computes every effect of a liquidity change first (so any revert leaves the pool
   * untouched), then commits. Returns the signed amounts (> 0 owed to the pool).
   */
  private modifyPosition(owner: string, tickLower: number, tickUpper: number, liquidityDelta: bigint): V3Amounts {
    this.checkTicks(tickLower, tickUpper);
    const tick = this._tick;
    const fg0 = this._feeGrowthGlobal0X128;
    const fg1 = this._feeGrowthGlobal1X128;
    const key = positionKey(owner, tickLower, tickUpper);
    const oldPosition = this._positions.get(key);

    // _updatePosition
    let lowerInfo = this._ticks.get(tickLower);
    let upperInfo = this._ticks.get(tickUpper);
    let flippedLower = false;
    let flippedUpper = false;
    const time = this._time;
    if (liquidityDelta !== 0n) {
      const c = this.cumulativesNow();
      const spl = c.secondsPerLiquidityCumulativeX128;
      const tc = c.tickCumulative;
      const lo = updateTick(lowerInfo, tickLower, tick, liquidityDelta, fg0, fg1, false, this.maxLiquidityPerTick, spl, tc, time);
      const up = updateTick(upperInfo, tickUpper, tick, liquidityDelta, fg0, fg1, true, this.maxLiquidityPerTick, spl, tc, time);
      lowerInfo = lo.info;
      upperInfo = up.info;
      flippedLower = lo.flipped;
      flippedUpper = up.flipped;
      // flipTick's require: only ticks on the spacing may be initialised.
      if (flippedLower && tickLower % this.tickSpacing !== 0) {
        throw new PoolError('', `reverted (bare require): tickLower ${tickLower} is not a multiple of the tick spacing ${this.tickSpacing}`);
      }
      if (flippedUpper && tickUpper % this.tickSpacing !== 0) {
        throw new PoolError('', `reverted (bare require): tickUpper ${tickUpper} is not a multiple of the tick spacing ${this.tickSpacing}`);
      }
    }
    const inside = getFeeGrowthInside(lowerInfo, upperInfo, tickLower, tickUpper, tick, fg0, fg1, this.feeGrowthScratch);
    const newPosition = updatePosition(oldPosition, liquidityDelta, inside.feeGrowthInside0X128, inside.feeGrowthInside1X128);

    // _modifyPosition's amounts
    let amount0 = 0n;
    let amount1 = 0n;
    let newLiquidity = this._liquidity;
    let writeObservationNow = false;
    if (liquidityDelta !== 0n) {
      ({ amount0, amount1 } = modifyPositionAmounts(tick, this._sqrtPriceX96, tickLower, tickUpper, liquidityDelta));
      if (tickLower <= tick && tick < tickUpper) {
        newLiquidity = addDelta(this._liquidity, liquidityDelta);
        writeObservationNow = true;
      }
    }

    // Commit.
    if (liquidityDelta !== 0n) {
      if (flippedLower) flipTick(this._bitmap, tickLower, this.tickSpacing);
      if (flippedUpper) flipTick(this._bitmap, tickUpper, this.tickSpacing);
      if (flippedLower || flippedUpper) this._sortedWords = undefined;
      // Tick.clear on a burn that uninitialises a tick; otherwise store the updated info.
      if (liquidityDelta < 0n && flippedLower) this._ticks.delete(tickLower);
      else this._ticks.set(tickLower, lowerInfo as TickInfo);
      if (liquidityDelta < 0n && flippedUpper) this._ticks.delete(tickUpper);
      else this._ticks.set(tickUpper, upperInfo as TickInfo);
    }
    this._positions.set(key, newPosition);
    // The oracle entry of an in-range change: the tick and liquidity in force before it.
    if (writeObservationNow) this.writeObservation(tick, this._liquidity);
    this._liquidity = newLiquidity;
    this._version++;
    return { amount0, amount1 };
  }

  /**
   * `observeSingle(time, 0)` from slot0 and the in-range liquidity: the oracle's tick and seconds-per-liquidity
   * cumulatives now. Returns a scratch object (overwritten by the next call).
   */
  private cumulativesNow(): Cumulatives {
    return observeSingle(
      this._observations,
      this._time,
      0,
      this._tick,
      this._observationIndex,
      this._liquidity,
      this._observationCardinality,
      this.cumulativesScratch,
    );
  }

  /** `observations.write` at the current time from `tick`/`liquidity` (the state before the event). */
  private writeObservation(tick: number, liquidity: bigint): void {
    const w = writeObservation(
      this._observations,
      this._observationIndex,
      this._time,
      tick,
      liquidity,
      this._observationCardinality,
      this._observationCardinalityNext,
      this.writeScratch,
    );
    this._observationIndex = w.index;
    this._observationCardinality = w.cardinality;
  }

  /**
   * `mint(owner, tickLower, tickUpper, amount)`: adds `amount` liquidity (uint128) to the position. Returns
   * the token amounts the owner must pay (≥ 0; rounded up). Reverts 'LOK' (not initialised), '' (amount 0,
   * amount ≥ 2^127, or a tick off the spacing), 'TLU' / 'TLM' / 'TUM' (bad range), 'LO' (a tick's gross
   * liquidity would exceed maxLiquidityPerTick).
   */
  mint(owner: string, tickLower: number, tickUpper: number, amount: bigint): V3Amounts {
    checkOwner(owner);
    checkInt24('tickLower', tickLower);
    checkInt24('tickUpper', tickUpper);
    checkUint('amount', amount, 128n, MAX_UINT128);
    this.requireUnlocked();
    if (amount === 0n) throw new PoolError('', 'reverted (bare require): mint amount must be > 0');
    if (amount > MAX_INT128) throw new PoolError('', 'reverted (bare require): mint amount must fit in int128');
    return this.modifyPosition(owner, tickLower, tickUpper, amount);
  }

  /**
   * `burn(tickLower, tickUpper, amount)` by `owner`: removes `amount` liquidity and credits the tokens
   * (rounded down) plus fees earned so far to the position's tokensOwed (collect them with
   * {@link collect}). `amount` 0 is a poke: it only credits fees. Returns the principal credited (≥ 0).
   * Reverts 'LOK', '' (amount ≥ 2^127), 'TLU'/'TLM'/'TUM', 'NP' (poke of an empty position), 'LS' (more
   * than the position holds).
   */
  burn(owner: string, tickLower: number, tickUpper: number, amount: bigint): V3Amounts {
    checkOwner(owner);
    checkInt24('tickLower', tickLower);
    checkInt24('tickUpper', tickUpper);
    checkUint('amount', amount, 128n, MAX_UINT128);
    this.requireUnlocked();
    if (amount > MAX_INT128) throw new PoolError('', 'reverted (bare require): burn amount must fit in int128');
    const key = positionKey(owner, tickLower, tickUpper);
    const { amount0, amount1 } = this.modifyPosition(owner, tickLower, tickUpper, -amount);
    const burned0 = -amount0;
    const burned1 = -amount1;
    if (burned0 > 0n || burned1 > 0n) {
      const p = this._positions.get(key) as PositionInfo;
      this._positions.set(key, {
        ...p,
        tokensOwed0: (p.tokensOwed0 + (burned0 & MAX_UINT128)) & MAX_UINT128,
        tokensOwed1: (p.tokensOwed1 + (burned1 & MAX_UINT128)) & MAX_UINT128,
      });
    }
    return { amount0: burned0, amount1: burned1 };
  }

  /**
   * `collect(recipient, tickLower, tickUpper, amount0Requested, amount1Requested)` by `owner`: pays out
   * min(requested, owed) of each token from tokensOwed. Requests default to 2^128 − 1 (everything). No
   * tick checks, as in the contract. Reverts 'LOK' only. Returns the amounts paid out (≥ 0).
   */
  collect(
    owner: string,
    tickLower: number,
    tickUpper: number,
    amount0Requested: bigint = COLLECT_ALL,
    amount1Requested: bigint = COLLECT_ALL,
  ): V3Amounts {
    checkOwner(owner);
    checkInt24('tickLower', tickLower);
    checkInt24('tickUpper', tickUpper);
    checkUint('amount0Requested', amount0Requested, 128n, MAX_UINT128);
    checkUint('amount1Requested', amount1Requested, 128n, MAX_UINT128);
    this.requireUnlocked();
    const key = positionKey(owner, tickLower, tickUpper);
    const p = this._positions.get(key);
    if (p === undefined) return { amount0: 0n, amount1: 0n };
    const amount0 = amount0Requested > p.tokensOwed0 ? p.tokensOwed0 : amount0Requested;
    const amount1 = amount1Requested > p.tokensOwed1 ? p.tokensOwed1 : amount1Requested;
    if (amount0 > 0n || amount1 > 0n) {
      this._positions.set(key, { ...p, tokensOwed0: p.tokensOwed0 - amount0, tokensOwed1: p.tokensOwed1 - amount1 });
      this._version++;
    }
    return { amount0, amount1 };
  }

  /**
   * `setFeeProtocol(feeProtocol0, feeProtocol1)`: the protocol takes 1/feeProtocol of each swap fee in
   * that token (0 = off). Reverts 'LOK', and '' unless each is 0 or in 4..10.
   */
  setFeeProtocol(feeProtocol0: number, feeProtocol1: number): void {
    this.requireUnlocked();
    const ok = (v: number) => v === 0 || (Number.isInteger(v) && v >= 4 && v <= 10);
    if (!ok(feeProtocol0) || !ok(feeProtocol1)) {
      throw new PoolError('', `reverted (bare require): each fee protocol must be 0 or in 4..10; was ${feeProtocol0}, ${feeProtocol1}`);
    }
    this._feeProtocol = feeProtocol0 + (feeProtocol1 << 4);
    this._version++;
  }

  /**
   * `collectProtocol(recipient, amount0Requested, amount1Requested)`: pays out min(requested, accrued)
   * protocol fees, but always leaves at least 1 wei in a non-empty slot (the contract's gas saving).
   * Reverts 'LOK'. Returns the amounts paid out.
   */
  collectProtocol(amount0Requested: bigint = COLLECT_ALL, amount1Requested: bigint = COLLECT_ALL): V3Amounts {
    checkUint('amount0Requested', amount0Requested, 128n, MAX_UINT128);
    checkUint('amount1Requested', amount1Requested, 128n, MAX_UINT128);
    this.requireUnlocked();
    let amount0 = amount0Requested > this._protocolFees0 ? this._protocolFees0 : amount0Requested;
    let amount1 = amount1Requested > this._protocolFees1 ? this._protocolFees1 : amount1Requested;
    if (amount0 > 0n) {
      if (amount0 === this._protocolFees0) amount0--;
      this._protocolFees0 -= amount0;
    }
    if (amount1 > 0n) {
      if (amount1 === this._protocolFees1) amount1--;
      this._protocolFees1 -= amount1;
    }
    this._version++;
    return { amount0, amount1 };
  }

  /**
   * The contract's `swap`, without mutating the pool. `amountSpecified` (int256) > 0 is an exact input
   * of the input token (token0 when `zeroForOne`), < 0 an exact output of the other token. The price stops
   * at `sqrtPriceLimitX96` at the latest (it must lie strictly between the current price and
   * MIN_SQRT_RATIO when zeroForOne, the current price and MAX_SQRT_RATIO otherwise).
   * Reverts 'AS' (amount 0), 'LOK' (not initialised), 'SPL' (bad limit), and '' on a maths overflow.
   *
   * Behaviour to know: the loop steps to each initialised tick and to each bitmap-word edge in turn (as
   * the contract does; results depend on those stops); a token0 → token1 swap that ends exactly on a
   * step boundary leaves `tick = boundary − 1`; with no liquidity the price walks to the limit and
   * nothing is exchanged.
   */
  quoteSwap(zeroForOne: boolean, amountSpecified: bigint, sqrtPriceLimitX96: bigint): V3SwapQuote {
    if (typeof amountSpecified !== 'bigint' || amountSpecified < INT256_MIN || amountSpecified > INT256_MAX) {
      throw new ConfigError('amountSpecified', `must be an int256 bigint; was ${String(amountSpecified)}`);
    }
    checkUint('sqrtPriceLimitX96', sqrtPriceLimitX96, 160n, TWO_POW_160 - 1n);
    if (amountSpecified === 0n) throw new PoolError('AS', 'reverted: AS (amountSpecified must not be 0)');
    this.requireUnlocked();
    const sqrtPriceStart = this._sqrtPriceX96;
    if (
      zeroForOne
        ? !(sqrtPriceLimitX96 < sqrtPriceStart && sqrtPriceLimitX96 > MIN_SQRT_RATIO)
        : !(sqrtPriceLimitX96 > sqrtPriceStart && sqrtPriceLimitX96 < MAX_SQRT_RATIO)
    ) {
      throw new PoolError(
        'SPL',
        `reverted: SPL (sqrtPriceLimitX96 must be ${zeroForOne ? `in (${MIN_SQRT_RATIO}, ${sqrtPriceStart})` : `in (${sqrtPriceStart}, ${MAX_SQRT_RATIO})`}; was ${sqrtPriceLimitX96})`,
      );
    }

    const feeProtocol = BigInt(zeroForOne ? this._feeProtocol % 16 : this._feeProtocol >> 4);
    const exactInput = amountSpecified > 0n;
    const feePips = this.feePipsBig;
    const tickSpacing = this.tickSpacing;
    const bitmap = this._bitmap;
    const ticks = this._ticks;
    const step = this.stepScratch;
    const nt = this.nextScratch;

    let remaining = amountSpecified;
    let calculated = 0n;
    let sqrtPriceX96 = sqrtPriceStart;
    let tick = this._tick;
    let feeGrowthGlobalX128 = zeroForOne ? this._feeGrowthGlobal0X128 : this._feeGrowthGlobal1X128;
    let protocolFee = 0n;
    let feeTotal = 0n;
    let liquidity = this._liquidity;
    let crossedTicks: number[] | undefined;
    let crossedFeeGrowth: bigint[] | undefined;
    let steps = 0;
    // The zero-liquidity walk's bound (see below), computed on first use.
    let limitTick: number | undefined;
    let walkBound = 0;

    while (remaining !== 0n && sqrtPriceX96 !== sqrtPriceLimitX96) {
      if (liquidity === 0n) {
        // With no liquidity in range a step exchanges nothing and grows no fee (computeSwapStep with L = 0
        // returns the target and zero amounts, exact in or out): the contract's steps over empty bitmap
        // words only move the price from one word edge to the next. Jump to the first step that does
        // more: an initialised tick (crossed as below), or the step that reaches the limit, whose target
        // is the limit itself, or the next stop's price when that equals the limit. In ticks, with
        // lt = getTickAtSqrtRatio(limit): going down, a word edge e is passed while price(e) > limit, i.e.
        // e > lt; going up, while price(e) < limit, i.e. e < lt, or e = lt when the limit is not exactly
        // price(lt). The step count is the contract's.
        if (limitTick === undefined) {
          limitTick = getTickAtSqrtRatio(sqrtPriceLimitX96);
          walkBound = zeroForOne || getSqrtRatioAtTickMemo(limitTick) === sqrtPriceLimitX96 ? limitTick : limitTick + 1;
        }
        const walk = nextStopAcrossEmptyWords(
          bitmap,
          (this._sortedWords ??= sortedWordPositions(bitmap)),
          tick,
          tickSpacing,
          zeroForOne,
          walkBound,
          this.walkScratch,
        );
        steps += walk.words;
        const tickNext = walk.next < L_MIN_TICK ? L_MIN_TICK : walk.next > L_MAX_TICK ? L_MAX_TICK : walk.next;
        const sqrtPriceNextX96 = getSqrtRatioAtTickMemo(tickNext);
        if (zeroForOne ? sqrtPriceNextX96 < sqrtPriceLimitX96 : sqrtPriceNextX96 > sqrtPriceLimitX96) {
          // The step's target is the limit: the price ends there, off any boundary.
          sqrtPriceX96 = sqrtPriceLimitX96;
          tick = limitTick;
        } else {
          sqrtPriceX96 = sqrtPriceNextX96;
          if (walk.initialized) {
            const info = ticks.get(tickNext);
            if (info === undefined) throw new InvariantError(`bitmap marks tick ${tickNext} initialised but it has no info`);
            if (crossedTicks === undefined || crossedFeeGrowth === undefined) {
              crossedTicks = [];
              crossedFeeGrowth = [];
            }
            crossedTicks.push(tickNext);
            crossedFeeGrowth.push(feeGrowthGlobalX128);
            liquidity = addDelta(liquidity, zeroForOne ? -info.liquidityNet : info.liquidityNet);
          }
          tick = zeroForOne ? tickNext - 1 : tickNext;
        }
        continue;
      }
      steps++;
      const sqrtPriceStartX96 = sqrtPriceX96;
      nextInitializedTickWithinOneWord(bitmap, tick, tickSpacing, zeroForOne, nt);
      let tickNext = nt.next;
      // The bitmap knows nothing of MIN_TICK/MAX_TICK.
      if (tickNext < L_MIN_TICK) tickNext = L_MIN_TICK;
      else if (tickNext > L_MAX_TICK) tickNext = L_MAX_TICK;
      const sqrtPriceNextX96 = getSqrtRatioAtTickMemo(tickNext);
      const target = (zeroForOne ? sqrtPriceNextX96 < sqrtPriceLimitX96 : sqrtPriceNextX96 > sqrtPriceLimitX96)
        ? sqrtPriceLimitX96
        : sqrtPriceNextX96;
      computeSwapStep(sqrtPriceX96, target, liquidity, remaining, feePips, step);
      sqrtPriceX96 = step.sqrtRatioNextX96;
      const inPlusFee = step.amountIn + step.feeAmount;
      if (inPlusFee >= L_TWO_POW_255 || step.amountOut >= L_TWO_POW_255) {
        throw new PoolError('', 'reverted (bare require): swap step amount does not fit in int256');
      }
      if (exactInput) {
        remaining -= inPlusFee;
        calculated -= step.amountOut;
      } else {
        remaining += step.amountOut;
        calculated += inPlusFee;
      }
      if (calculated < INT256_MIN || calculated > INT256_MAX) {
        throw new PoolError('', 'reverted (bare require): swap amount overflows int256');
      }
      let stepFee = step.feeAmount;
      feeTotal += stepFee;
      if (feeProtocol > 0n) {
        const delta = stepFee / feeProtocol;
        stepFee -= delta;
        protocolFee = (protocolFee + (delta & L_MAX_UINT128)) & L_MAX_UINT128;
      }
      if (liquidity > 0n) {
        // FullMath.mulDiv(stepFee, Q128, liquidity), as a shift; it reverts when the quotient leaves uint256.
        const growth = (stepFee << 128n) / liquidity;
        if (growth > L_MAX_UINT256) throw new PoolError('', 'reverted (bare require): fee growth does not fit in uint256');
        feeGrowthGlobalX128 = (feeGrowthGlobalX128 + growth) & L_MAX_UINT256;
      }

      if (sqrtPriceX96 === sqrtPriceNextX96) {
        if (nt.initialized) {
          const info = ticks.get(tickNext);
          if (info === undefined) throw new InvariantError(`bitmap marks tick ${tickNext} initialised but it has no info`);
          if (crossedTicks === undefined || crossedFeeGrowth === undefined) {
            crossedTicks = [];
            crossedFeeGrowth = [];
          }
          crossedTicks.push(tickNext);
          crossedFeeGrowth.push(feeGrowthGlobalX128);
          liquidity = addDelta(liquidity, zeroForOne ? -info.liquidityNet : info.liquidityNet);
        }
        tick = zeroForOne ? tickNext - 1 : tickNext;
      } else if (sqrtPriceX96 !== sqrtPriceStartX96) {
        // Not on a boundary: recompute (a price resting on a lower boundary keeps its transitioned tick).
        tick = getTickAtSqrtRatio(sqrtPriceX96);
      }
    }

    const specifiedUsed = amountSpecified - remaining;
    return {
      zeroForOne,
      amountSpecified,
      sqrtPriceLimitX96,
      amount0: zeroForOne === exactInput ? specifiedUsed : calculated,
      amount1: zeroForOne === exactInput ? calculated : specifiedUsed,
      sqrtPriceX96After: sqrtPriceX96,
      tickAfter: tick,
      liquidityAfter: liquidity,
      feeGrowthGlobalX128After: feeGrowthGlobalX128,
      protocolFee,
      feeAmount: feeTotal,
      crossedTicks: crossedTicks ?? EMPTY_TICKS,
      crossedFeeGrowthX128: crossedFeeGrowth ?? EMPTY_GROWTH,
      steps,
      stateVersion: this._version,
    };
  }

  /**
   * Commits a quote from {@link quoteSwap}: slot0, liquidity, fee growth, protocol fees and the crossed
   * ticks' feeGrowthOutside. Throws InvariantError if the pool changed since the quote was made.
   */
  applySwap(quote: V3SwapQuote): V3Amounts {
    if (quote.stateVersion !== this._version) {
      throw new InvariantError(`applySwap: the quote was made at state version ${quote.stateVersion}; the pool is at ${this._version}`);
    }
    const n = quote.crossedTicks.length;
    const time = this._time;
    if (n > 0) {
      // The oracle globals, once per swap, at the block time from the tick and liquidity the swap started with.
      const c = this.cumulativesNow();
      const spl = c.secondsPerLiquidityCumulativeX128;
      const tc = c.tickCumulative;
      for (let i = 0; i < n; i++) {
        const info = this._ticks.get(quote.crossedTicks[i] as number) as TickInfo;
        const g = quote.crossedFeeGrowthX128[i] as bigint;
        if (quote.zeroForOne) cross(info, g, this._feeGrowthGlobal1X128, spl, tc, time);
        else cross(info, this._feeGrowthGlobal0X128, g, spl, tc, time);
      }
    }
    if (quote.tickAfter !== this._tick) this.writeObservation(this._tick, this._liquidity);
    this._sqrtPriceX96 = quote.sqrtPriceX96After;
    this._tick = quote.tickAfter;
    this._liquidity = quote.liquidityAfter;
    if (quote.zeroForOne) {
      this._feeGrowthGlobal0X128 = quote.feeGrowthGlobalX128After;
      if (quote.protocolFee > 0n) this._protocolFees0 = (this._protocolFees0 + quote.protocolFee) & MAX_UINT128;
    } else {
      this._feeGrowthGlobal1X128 = quote.feeGrowthGlobalX128After;
      if (quote.protocolFee > 0n) this._protocolFees1 = (this._protocolFees1 + quote.protocolFee) & MAX_UINT128;
    }
    this._version++;
    return quote;
  }

  /**
   * `swap(recipient, zeroForOne, amountSpecified, sqrtPriceLimitX96)`: {@link quoteSwap} then
   * {@link applySwap}. Returns the quote, whose amount0/amount1 are the contract's return values (pool
   * side: > 0 paid in by the trader, < 0 paid out).
   */
  swap(zeroForOne: boolean, amountSpecified: bigint, sqrtPriceLimitX96: bigint): V3SwapQuote {
    const q = this.quoteSwap(zeroForOne, amountSpecified, sqrtPriceLimitX96);
    this.applySwap(q);
    return q;
  }

  // ---------------------------------------------------------------- snapshot / restore

  /** A deep, immutable copy of the whole state. */
  snapshot(): V3PoolSnapshot {
    const ticks = new Map<number, V3TickView>();
    for (const [t, info] of this._ticks) ticks.set(t, Object.freeze(copyTick(info)));
    return Object.freeze({
      fee: this.fee,
      tickSpacing: this.tickSpacing,
      sqrtPriceX96: this._sqrtPriceX96,
      tick: this._tick,
      feeProtocol: this._feeProtocol,
      unlocked: this._unlocked,
      liquidity: this._liquidity,
      feeGrowthGlobal0X128: this._feeGrowthGlobal0X128,
      feeGrowthGlobal1X128: this._feeGrowthGlobal1X128,
      protocolFees0: this._protocolFees0,
      protocolFees1: this._protocolFees1,
      ticks,
      bitmap: new Map(this._bitmap),
      positions: new Map(this._positions),
      blockTimestamp: this._blockTimestamp,
      observationIndex: this._observationIndex,
      observationCardinality: this._observationCardinality,
      observationCardinalityNext: this._observationCardinalityNext,
      observations: this._observations.slice(0, this._observationCardinalityNext),
    });
  }

  /**
   * Puts the pool back in the state of `snap` (taken from a pool with the same fee and tick spacing). The
   * snapshot stays valid and may be restored again. Quotes made before are invalidated.
   */
  restore(snap: V3PoolSnapshot): void {
    if (snap.fee !== this.fee || snap.tickSpacing !== this.tickSpacing) {
      throw new ConfigError('snapshot', `is of a pool with fee ${snap.fee} / spacing ${snap.tickSpacing}; this pool has ${this.fee} / ${this.tickSpacing}`);
    }
    this._sqrtPriceX96 = snap.sqrtPriceX96;
    this._tick = snap.tick;
    this._feeProtocol = snap.feeProtocol;
    this._unlocked = snap.unlocked;
    this._liquidity = snap.liquidity;
    this._feeGrowthGlobal0X128 = snap.feeGrowthGlobal0X128;
    this._feeGrowthGlobal1X128 = snap.feeGrowthGlobal1X128;
    this._protocolFees0 = snap.protocolFees0;
    this._protocolFees1 = snap.protocolFees1;
    this._ticks = new Map();
    for (const [t, info] of snap.ticks) this._ticks.set(t, copyTick(info));
    this._bitmap = new Map(snap.bitmap);
    this._sortedWords = undefined;
    this._positions = new Map(snap.positions as ReadonlyMap<string, PositionInfo>);
    this.setBlockTimestamp(snap.blockTimestamp);
    this._observationIndex = snap.observationIndex;
    this._observationCardinality = snap.observationCardinality;
    this._observationCardinalityNext = snap.observationCardinalityNext;
    this._observations = snap.observations.slice();
    this._version++;
  }

  /** An independent copy of this pool. */
  clone(): V3Pool {
    const p = new V3Pool({ fee: this.fee, tickSpacing: this.tickSpacing });
    p.restore(this.snapshot());
    return p;
  }
}

const EMPTY_TICKS: readonly number[] = Object.freeze([]);
const EMPTY_GROWTH: readonly bigint[] = Object.freeze([]);

export { MIN_SQRT_RATIO, MAX_SQRT_RATIO, MIN_TICK, MAX_TICK };
