import type { BurnFill, SwapFill } from '../enginePool.ts';
import { ConfigError, PoolError } from '../../core/errors.ts';
import {
  computeSwapStepFloat,
  getAmountsForLiquidityAtTickFloat,
  getLiquidityForAmountsAtTickFloat,
  getSqrtRatioAtTickFloat,
  getTickAtSqrtRatioFloat,
  MAX_TICK_FLOAT,
  MIN_TICK_FLOAT,
  type AmountsFloat,
  type SwapStepFloat,
} from '../../math/v3/float.ts';
import { feesOwedFloat } from '../../math/v3/position.ts';
import { V3EnginePool, type V3Core, type V3CorePositionAmounts } from './v3EnginePool.ts';
import { usableTicks } from './v3Liquidity.ts';
import { describeViolation, V3_PRICE_BOUNDS } from '../priceRange.ts';

// Module-local bindings of the imported per-step maths: under tsx and vitest an import compiles to a CommonJS getter
// read on every call (measurable in the engine's per-step position views); a local const is read directly.
const amountsAtTick = getAmountsForLiquidityAtTickFloat;
const owedFloat = feesOwedFloat;
/** Human L is raw / 10^18 (two tokens of 18 decimals). */
const RAW_PER_HUMAN = 1e18;
const Q128_FLOAT = 2 ** 128;
const MOD_2_160 = 1n << 160n;

/**
 * # V3FloatCore: Uniswap v3 concentrated liquidity on the float fast path, for backtests
 *
 * Mirrors the economics of `UniswapV3Pool` — ticks with liquidityNet, active liquidity, fee on the input of
 * each swap step as `computeSwapStep` charges it, fee growth global/outside/inside per unit of liquidity,
 * positions with feeGrowthInsideLast and tokensOwed — in `number`s, without the contract's integer rounding.
 * The engine drives it through {@link V3EnginePool} as {@link V3FloatPool}; the exact path is the same adapter over
 * the bigint `V3Pool` ({@link V3ExactEnginePool}); sim/pools/v3/v3EnginePools.test.ts runs both on the same
 * scenarios. Not modelled: the protocol fee, the oracle's observations, max liquidity per tick.
 *
 * Time: {@link V3FloatCore.setTime} advances the clock; the core keeps the oracle's seconds per liquidity
 * (global Σ Δt / L, and each tick's outside value, initialised and flipped at the same points as the
 * contract's `secondsPerLiquidityOutsideX128`), so {@link V3FloatCore.secondsPerLiquidityInside} is the float
 * counterpart of `snapshotCumulativesInside(...).secondsPerLiquidityInsideX128` / 2^128 in human units of L
 * (what liquidity-mining rewards are computed from). Without in-range liquidity the global advances by Δt
 * (the contract's max(L, 1), here one unit of L). A clock that never moves costs nothing.
 *
 * Conventions: token0 = base, token1 = quote, price = quote per base = 1.0001^tick, amounts in human units,
 * liquidity L in human units (L = liquidityRaw / 10^decimals for two tokens of equal decimals).
 *
 * Data layout (hot path without allocation): the initialised ticks live in parallel typed arrays sorted by
 * tick (tick, √price, liquidityNet, feeGrowthOutside0/1, number of position bounds referencing it, number of
 * positions starting there minus those ending there);
 * `cursor` = how many initialised ticks are ≤ the current tick, so the next tick up is `ticks[cursor]` and
 * the next tick down `ticks[cursor − 1]` — no search during a swap. `tick` always satisfies
 * ticks[cursor − 1] ≤ tick < ticks[cursor], which keeps in-range tests, fee growth inside and active
 * liquidity consistent even where the float log of the price sits within an ulp of a tick boundary.
 *
 * Zero liquidity: the float L carries the rounding of every ± liquidityNet applied to it, so when the last
 * in-range position leaves (by a crossing or a burn) it is ~1e-16 of the larger terms rather than 0. The core
 * keeps the number of in-range positions as an integer beside L (`active`, moved at a crossing by the tick's
 * `countNet`, as L by its liquidityNet; the same counts the contract's liquidityGross / liquidityNet encode) and
 * sets L to exactly 0 when, and only when, that number is 0 (or cancellation drove L below 0). Real liquidity,
 * however small against the liquidity that left, is kept.
 *
 * Price limits: as the contract's swap, whose limit lies in the open interval (MIN_SQRT_RATIO, MAX_SQRT_RATIO), a
 * swap stops one ulp inside the √price of MIN_TICK / MAX_TICK (`sqrtLow` / `sqrtHigh`): it never reaches, so
 * never crosses, the liquidity of a position bounded at ±887272, and the tick stays in [MIN_TICK, MAX_TICK − 1]
 * (getTickAtSqrtRatio of MIN_SQRT_RATIO + 1 / MAX_SQRT_RATIO − 1).
 *
 * A quote is kept in scratch fields; a swap with the same request at the same state applies it without
 * recomputing (the arbitrageur quotes, then swaps).
 */
export class V3FloatCore implements V3Core<V3FloatPosition> {
  readonly fee: number;
  readonly tickSpacing: number;
  /** The lowest / highest tick on the spacing (full range). */
  private readonly minUsableTick: number;
  private readonly maxUsableTick: number;

  private sqrtP: number;
  private tick: number;
  private liquidity = 0;
  private feeGrowth0 = 0;
  private feeGrowth1 = 0;
  private balance0 = 0;
  private balance1 = 0;
  /** The clock (seconds) and the global seconds per unit of liquidity at that time. */
  private now = 0;
  private spl = 0;
  private readonly sqrtMin = getSqrtRatioAtTickFloat(MIN_TICK_FLOAT);
  private readonly sqrtMax = getSqrtRatioAtTickFloat(MAX_TICK_FLOAT);
  /** The swap limits: one ulp inside sqrtMin / sqrtMax (the contract's MIN_SQRT_RATIO + 1 / MAX_SQRT_RATIO − 1). */
  private readonly sqrtLow = nextFloat(this.sqrtMin, true);
  private readonly sqrtHigh = nextFloat(this.sqrtMax, false);
  /** Number of positions in range (L is exactly 0 iff this is 0). */
  private active = 0;

  // Initialised ticks, ascending (n of them).
  private n = 0;
  private cursor = 0;
  private tickAt = new Int32Array(16);
  private sqrtAt = new Float64Array(16);
  private net = new Float64Array(16);
  private outside0 = new Float64Array(16);
  private outside1 = new Float64Array(16);
  /** Seconds per liquidity outside each tick (the oracle's secondsPerLiquidityOutsideX128 / 2^128). */
  private splOutside = new Float64Array(16);
  private refs = new Int32Array(16);
  /** Positions whose range starts at each tick minus those ending there (crossing up adds it to `active`). */
  private countNet = new Int32Array(16);
  /** Bumped when a tick is inserted or removed (positions cache their tick indices against it). */
  private layout = 0;

  /** Bumped by every state change except time (quotes and position views are cached against it). */
  version = 0;

  // The last simulated swap (scratch; never escapes).
  private readonly step: SwapStepFloat = { sqrtNext: 0, amountIn: 0, amountOut: 0, feeAmount: 0 };
  private qVersion = -1;
  private qMode = 0; // 1 = to price, 2 = exact in
  private qKey = 0; // target price, or amountIn
  private qZeroForOne = false;
  private qSqrtP = 0;
  private qTick = 0;
  private qLiquidity = 0;
  private qCursor = 0;
  private qFeeGrowth = 0;
  private qAmountIn = 0;
  private qAmountOut = 0;
  private qFee = 0;
  private qCrossings = 0;
  private qCrossGrowth = new Float64Array(16);
  private qFill: SwapFill | undefined = undefined;

  /**
   * An empty pool at `price` (quote per base). `fee` is a fraction (0.003 = 0.30 %); `tickSpacing` as the
   * factory's fee tiers (100 → 1, 500 → 10, 3000 → 60, 10000 → 200). `time` starts the clock (seconds; the
   * contract's `initialize` time, from which its seconds per liquidity counts).
   */
  constructor(fee: number, tickSpacing: number, price: number, time = 0) {
    if (!(fee >= 0 && fee < 1)) throw new ConfigError('--fee', `must be in [0, 1); was ${fee}`);
    if (!(Number.isInteger(tickSpacing) && tickSpacing >= 1 && tickSpacing < 16384)) {
      throw new ConfigError('--tick-spacing', `must be an integer in [1, 16383]; was ${tickSpacing}`);
    }
    if (!(price > 0 && Number.isFinite(price))) throw new ConfigError('price', `must be finite and > 0; was ${price}`);
    this.fee = fee;
    this.tickSpacing = tickSpacing;
    const usable = usableTicks(tickSpacing);
    this.minUsableTick = usable.minTick;
    this.maxUsableTick = usable.maxTick;
    const s = Math.sqrt(price);
    // the same test and words as a run's up-front check of its series (sim/pools/priceRange.ts), which names the row
    if (!(s > this.sqrtMin && s < this.sqrtMax)) throw new ConfigError('price', describeViolation({ index: 0, price, kind: 'range' }, V3_PRICE_BOUNDS));
    this.sqrtP = s;
    this.tick = clampTick(getTickAtSqrtRatioFloat(s));
    if (!(time >= 0 && time < Infinity)) throw new ConfigError('time', `must be finite and ≥ 0; was ${time}`);
    this.now = time;
  }

  // ------------------------------------------------------------------ views

  price(): number {
    return this.sqrtP * this.sqrtP;
  }

  sqrtPrice(): number {
    return this.sqrtP;
  }

  /** Current tick (slot0.tick semantics: after a swap down that ends on a tick t, t − 1). */
  currentTick(): number {
    return this.tick;
  }

  /** Active liquidity L (human units). */
  activeLiquidity(): number {
    return this.liquidity;
  }

  tokenBalances(): { base: number; quote: number } {
    return { base: this.balance0, quote: this.balance1 };
  }

  /** Initialised ticks with their liquidityNet, ascending (for tests and reports). */
  initializedTicks(): { tick: number; liquidityNet: number }[] {
    const out: { tick: number; liquidityNet: number }[] = [];
    for (let i = 0; i < this.n; i++) out.push({ tick: this.tickAt[i]!, liquidityNet: this.net[i]! });
    return out;
  }

  // ------------------------------------------------------------------ time

  /** The pool's clock (seconds; 0 until set). */
  time(): number {
    return this.now;
  }

  /**
   * Advances the clock to `time` (seconds, ≥ the current time): the global seconds per liquidity grows by
   * Δt / L with the in-range L in force over the gap (Δt when L is 0).
   */
  setTime(time: number): void {
    if (!(time >= this.now && time < Infinity)) throw new ConfigError('time', `must be finite and ≥ the pool's time ${this.now}; was ${time}`);
    if (time === this.now) return;
    const L = this.liquidity;
    this.spl += (time - this.now) / (L > 0 ? L : 1);
    this.now = time;
    // No version bump: quotes and position views do not depend on time.
  }

  /** The global seconds per unit of in-range liquidity since the pool's time 0 (Σ Δt / L). */
  secondsPerLiquidity(): number {
    return this.spl;
  }

  /**
   * Seconds per unit of liquidity spent inside [tickLower, tickUpper) (the contract's
   * `snapshotCumulativesInside` value, below/inside/above as there); only differences between two readings
   * of the same range mean anything. Both ticks must be initialised (PoolError '' otherwise, as the contract).
   */
  secondsPerLiquidityInside(tickLower: number, tickUpper: number): number {
    const i = this.find(tickLower);
    const j = this.find(tickUpper);
    if (i < 0 || j < 0) throw new PoolError('', `reverted (bare require): ticks ${tickLower} and ${tickUpper} must both be initialised`);
    const lo = this.splOutside[i]!;
    const up = this.splOutside[j]!;
    if (this.tick < tickLower) return lo - up;
    if (this.tick < tickUpper) return this.spl - lo - up;
    return up - lo;
  }

  /** {@link secondsPerLiquidityInside} per raw liquidity × 2^128, to the nearest integer, modulo 2^160 (the contract's width). */
  secondsPerLiquidityInsideX128(tickLower: number, tickUpper: number): bigint {
    const x = BigInt(Math.round((this.secondsPerLiquidityInside(tickLower, tickUpper) / RAW_PER_HUMAN) * Q128_FLOAT));
    return ((x % MOD_2_160) + MOD_2_160) % MOD_2_160;
  }

  // ------------------------------------------------------------------ swaps

  quoteToPrice(targetPrice: number): SwapFill | undefined {
    if (!this.simulateToPrice(targetPrice)) return undefined;
    return this.fill();
  }

  swapToPrice(targetPrice: number): SwapFill | undefined {
    if (!(this.qVersion === this.version && this.qMode === 1 && this.qKey === targetPrice) && !this.simulateToPrice(targetPrice)) {
      return undefined;
    }
    const f = this.fill();
    this.commit();
    return f;
  }

  quoteExactIn(baseIn: boolean, amountIn: number): SwapFill | undefined {
    if (!this.simulateExactIn(baseIn, amountIn)) return undefined;
    return this.fill();
  }

  swapExactIn(baseIn: boolean, amountIn: number): SwapFill | undefined {
    const key = baseIn ? amountIn : -amountIn;
    if (!(this.qVersion === this.version && this.qMode === 2 && this.qKey === key) && !this.simulateExactIn(baseIn, amountIn)) {
      return undefined;
    }
    const f = this.fill();
    this.commit();
    return f;
  }

  private simulateToPrice(targetPrice: number): boolean {
    if (!(targetPrice > 0)) return false;
    let s = Math.sqrt(targetPrice);
    if (s < this.sqrtLow) s = this.sqrtLow;
    else if (s > this.sqrtHigh) s = this.sqrtHigh;
    if (s === this.sqrtP) return false;
    this.simulate(s < this.sqrtP, Infinity, s);
    this.qMode = 1;
    this.qKey = targetPrice;
    return true;
  }

  private simulateExactIn(baseIn: boolean, amountIn: number): boolean {
    if (!(amountIn > 0 && amountIn < Infinity)) return false;
    const limit = baseIn ? this.sqrtLow : this.sqrtHigh;
    if (this.sqrtP === limit) return false; // at the limit already (the exact pool: no swap)
    this.simulate(baseIn, amountIn, limit);
    this.qMode = 2;
    this.qKey = baseIn ? amountIn : -amountIn;
    return true;
  }

  /**
   * The contract's swap loop (exact input; `amountRemaining` = Infinity for a swap to `sqrtLimit`) over the
   * sorted initialised ticks, writing the outcome into the q* scratch fields. Pure with respect to the pool.
   */
  private simulate(zeroForOne: boolean, amountRemaining: number, sqrtLimit: number): void {
    const st = this.step;
    const fee = this.fee;
    const tickAt = this.tickAt;
    const sqrtAt = this.sqrtAt;
    const net = this.net;
    const n = this.n;
    let remaining = amountRemaining;
    let s = this.sqrtP;
    let tick = this.tick;
    let L = this.liquidity;
    let dActive = 0; // change in the number of in-range positions (read only at crossings; commit re-applies it)
    let c = this.cursor;
    let fg = zeroForOne ? this.feeGrowth0 : this.feeGrowth1;
    let amountIn = 0;
    let amountOut = 0;
    let feeTotal = 0;
    let crossings = 0;
    while (remaining > 0 && s !== sqrtLimit) {
      let sNext: number;
      let hasTick: boolean;
      if (zeroForOne) {
        hasTick = c > 0;
        sNext = hasTick ? sqrtAt[c - 1]! : sqrtLimit;
        if (sNext < sqrtLimit) sNext = sqrtLimit;
      } else {
        hasTick = c < n;
        sNext = hasTick ? sqrtAt[c]! : sqrtLimit;
        if (sNext > sqrtLimit) sNext = sqrtLimit;
      }
      computeSwapStepFloat(s, sNext, L, remaining, fee, st);
      amountIn += st.amountIn + st.feeAmount;
      amountOut += st.amountOut;
      feeTotal += st.feeAmount;
      if (L > 0) fg += st.feeAmount / L;
      if (st.sqrtNext !== sNext) {
        // Stopped short: the whole remaining input was used.
        s = st.sqrtNext;
        remaining = 0;
        tick = this.clampToCursor(getTickAtSqrtRatioFloat(s), c);
        break;
      }
      remaining -= st.amountIn + st.feeAmount;
      s = sNext;
      if (hasTick && s === (zeroForOne ? sqrtAt[c - 1]! : sqrtAt[c]!)) {
        if (crossings === this.qCrossGrowth.length) this.qCrossGrowth = growF64(this.qCrossGrowth);
        this.qCrossGrowth[crossings++] = fg;
        if (zeroForOne) {
          c--;
          L -= net[c]!;
          dActive -= this.countNet[c]!;
          tick = tickAt[c]! - 1;
        } else {
          L += net[c]!;
          dActive += this.countNet[c]!;
          tick = tickAt[c]!;
          c++;
        }
        // Exactly 0 when no position is left in range (L alone would keep the rounding of the ± liquidityNet).
        if (this.active + dActive === 0 || L < 0) L = 0;
      } else {
        tick = this.clampToCursor(getTickAtSqrtRatioFloat(s), c);
      }
    }
    this.qZeroForOne = zeroForOne;
    this.qSqrtP = s;
    this.qTick = tick;
    this.qLiquidity = L;
    this.qCursor = c;
    this.qFeeGrowth = fg;
    this.qAmountIn = amountIn;
    this.qAmountOut = amountOut;
    this.qFee = feeTotal;
    this.qCrossings = crossings;
    this.qVersion = this.version;
    this.qFill = undefined;
  }

  /** A tick consistent with the crossed ticks: ticks[c − 1] ≤ tick < ticks[c], within [MIN_TICK, MAX_TICK − 1]. */
  private clampToCursor(tick: number, c: number): number {
    let t = clampTick(tick);
    if (c > 0 && t < this.tickAt[c - 1]!) t = this.tickAt[c - 1]!;
    if (c < this.n && t >= this.tickAt[c]!) t = this.tickAt[c]! - 1;
    return t;
  }

  /** The scratch quote as a fill; made once per quote (a swap after its quote returns the same object). */
  private fill(): SwapFill {
    if (this.qFill !== undefined) return this.qFill;
    const zf = this.qZeroForOne;
    this.qFill = {
      baseDelta: zf ? this.qAmountIn : -this.qAmountOut,
      quoteDelta: zf ? -this.qAmountOut : this.qAmountIn,
      feeAmount: this.qFee,
      feeInBase: zf,
      priceAfter: this.qSqrtP * this.qSqrtP,
    };
    return this.qFill;
  }

  /** Applies the scratch quote: crossed ticks' feeGrowthOutside flip (and the in-range count), slot0, liquidity, fee growth, balances. */
  private commit(): void {
    const zf = this.qZeroForOne;
    const k = this.qCrossings;
    let idx = this.cursor;
    const spl = this.spl;
    for (let i = 0; i < k; i++) {
      const g = this.qCrossGrowth[i]!;
      if (zf) {
        idx--;
        this.outside0[idx] = g - this.outside0[idx]!;
        this.outside1[idx] = this.feeGrowth1 - this.outside1[idx]!;
      } else {
        this.outside0[idx] = this.feeGrowth0 - this.outside0[idx]!;
        this.outside1[idx] = g - this.outside1[idx]!;
      }
      this.splOutside[idx] = spl - this.splOutside[idx]!;
      this.active += zf ? -this.countNet[idx]! : this.countNet[idx]!;
      if (!zf) idx++;
    }
    this.sqrtP = this.qSqrtP;
    this.tick = this.qTick;
    this.liquidity = this.qLiquidity;
    this.cursor = this.qCursor;
    if (zf) {
      this.feeGrowth0 = this.qFeeGrowth;
      this.balance0 += this.qAmountIn;
      this.balance1 -= this.qAmountOut;
    } else {
      this.feeGrowth1 = this.qFeeGrowth;
      this.balance1 += this.qAmountIn;
      this.balance0 -= this.qAmountOut;
    }
    this.version++;
  }

  private readonly amounts = { amount0: 0, amount1: 0 };

  /**
   * Amounts liquidity L holds over [tickLower, tickUpper) now, deciding the side by the tick as the contract
   * does (below the range: all token0; at or above the upper tick: all token1).
   */
  private amountsFor(tickLower: number, tickUpper: number, sa: number, sb: number, L: number, out: AmountsFloat): void {
    amountsAtTick(this.tick, this.sqrtP, tickLower, tickUpper, sa, sb, L, out);
  }

  // ------------------------------------------------------------------ liquidity

  mintForAmounts(owner: string, id: number, tickLower: number, tickUpper: number, base: number, quote: number): { position: V3FloatPosition; base: number; quote: number } | undefined {
    const sa = getSqrtRatioAtTickFloat(tickLower);
    const sb = getSqrtRatioAtTickFloat(tickUpper);
    const L = getLiquidityForAmountsAtTickFloat(this.tick, this.sqrtP, tickLower, tickUpper, sa, sb, base, quote);
    if (!(L > 0 && L < Infinity)) return undefined;
    const p = this.mintLiquidity(owner, id, tickLower, tickUpper, L);
    // Float rounding can ask for an ulp more than offered; never take more than offered.
    const usedBase = Math.min(p.paid0, base);
    const usedQuote = Math.min(p.paid1, quote);
    this.balance0 += usedBase - p.paid0;
    this.balance1 += usedQuote - p.paid1;
    return { position: p, base: usedBase, quote: usedQuote };
  }

  /** The tokens raw liquidity `liquidity` (as the nearest float human L = raw / 10^18) takes now (ticks checked by the adapter). */
  amountsForRawLiquidity(tickLower: number, tickUpper: number, liquidity: bigint): { base: number; quote: number } {
    const out = { amount0: 0, amount1: 0 };
    this.amountsFor(tickLower, tickUpper, getSqrtRatioAtTickFloat(tickLower), getSqrtRatioAtTickFloat(tickUpper), Number(liquidity) / RAW_PER_HUMAN, out);
    return { base: out.amount0, quote: out.amount1 };
  }

  /** Mints raw liquidity `liquidity` as the nearest float human L = raw / 10^18. */
  mintRawLiquidity(owner: string, id: number, tickLower: number, tickUpper: number, liquidity: bigint): { position: V3FloatPosition; base: number; quote: number } {
    const p = this.mintLiquidity(owner, id, tickLower, tickUpper, Number(liquidity) / RAW_PER_HUMAN);
    return { position: p, base: p.paid0, quote: p.paid1 };
  }

  /**
   * Adds liquidity `L` (human units) on [tickLower, tickUpper) as a new position and takes the tokens it needs (the
   * pool's balances grow by them; the caller pays).
   */
  mintLiquidity(_owner: string, _id: number, tickLower: number, tickUpper: number, L: number): V3FloatPosition {
    const sp = this.tickSpacing;
    if (!(tickLower < tickUpper && tickLower >= this.minUsableTick && tickUpper <= this.maxUsableTick && tickLower % sp === 0 && tickUpper % sp === 0)) {
      throw new ConfigError('range', `ticks must be multiples of ${sp} with ${this.minUsableTick} ≤ tickLower < tickUpper ≤ ${this.maxUsableTick}; were [${tickLower}, ${tickUpper}]`);
    }
    if (!(L > 0 && L < Infinity)) throw new PoolError('', `reverted (bare require): mint amount must be > 0; was ${L}`);
    const sa = getSqrtRatioAtTickFloat(tickLower);
    const sb = getSqrtRatioAtTickFloat(tickUpper);
    this.amountsFor(tickLower, tickUpper, sa, sb, L, this.amounts);
    const paid0 = this.amounts.amount0;
    const paid1 = this.amounts.amount1;
    this.updateTick(tickLower, L, false);
    this.updateTick(tickUpper, L, true);
    if (this.tick >= tickLower && this.tick < tickUpper) {
      this.liquidity += L;
      this.active++;
    }
    this.feeGrowthInside(tickLower, tickUpper, this.inside);
    const p: V3FloatPosition = {
      tickLower,
      tickUpper,
      sqrtLower: sa,
      sqrtUpper: sb,
      liquidity: L,
      inside0Last: this.inside.g0,
      inside1Last: this.inside.g1,
      owed0: 0,
      owed1: 0,
      paid0,
      paid1,
      layout: -1,
      iLower: 0,
      iUpper: 0,
    };
    this.balance0 += paid0;
    this.balance1 += paid1;
    this.version++;
    return p;
  }

  /** Tick.update for a mint (+L) or a full/partial burn (−L, `remove` = the position is closed). */
  private updateTick(tick: number, L: number, upper: boolean): void {
    let i = this.find(tick);
    if (i < 0) {
      i = ~i;
      this.insertTick(i, tick);
    }
    this.net[i] = this.net[i]! + (upper ? -L : L);
    this.refs[i] = this.refs[i]! + 1;
    this.countNet[i] = this.countNet[i]! + (upper ? -1 : 1);
  }

  private releaseTick(tick: number, L: number, upper: boolean, close: boolean): void {
    const i = this.find(tick);
    if (i < 0) throw new PoolError('', `tick ${tick} is not initialised`);
    this.net[i] = this.net[i]! - (upper ? -L : L);
    if (close) {
      this.countNet[i] = this.countNet[i]! - (upper ? -1 : 1);
      this.refs[i] = this.refs[i]! - 1;
      if (this.refs[i] === 0) this.removeTick(i);
    }
  }

  /** Index of `tick` among the initialised ticks, or ~insertionPoint. */
  private find(tick: number): number {
    let lo = 0;
    let hi = this.n - 1;
    const a = this.tickAt;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = a[mid]!;
      if (v < tick) lo = mid + 1;
      else if (v > tick) hi = mid - 1;
      else return mid;
    }
    return ~lo;
  }

  private insertTick(i: number, tick: number): void {
    if (this.n === this.tickAt.length) {
      const cap = this.n * 2;
      this.tickAt = growI32(this.tickAt, cap);
      this.refs = growI32(this.refs, cap);
      this.countNet = growI32(this.countNet, cap);
      this.sqrtAt = growF64(this.sqrtAt, cap);
      this.net = growF64(this.net, cap);
      this.outside0 = growF64(this.outside0, cap);
      this.outside1 = growF64(this.outside1, cap);
      this.splOutside = growF64(this.splOutside, cap);
    }
    const n = this.n;
    this.tickAt.copyWithin(i + 1, i, n);
    this.refs.copyWithin(i + 1, i, n);
    this.countNet.copyWithin(i + 1, i, n);
    this.sqrtAt.copyWithin(i + 1, i, n);
    this.net.copyWithin(i + 1, i, n);
    this.outside0.copyWithin(i + 1, i, n);
    this.outside1.copyWithin(i + 1, i, n);
    this.splOutside.copyWithin(i + 1, i, n);
    this.tickAt[i] = tick;
    this.refs[i] = 0;
    this.countNet[i] = 0;
    this.sqrtAt[i] = getSqrtRatioAtTickFloat(tick);
    this.net[i] = 0;
    // Tick.update: by convention all growth before initialisation happened below the tick.
    const below = tick <= this.tick;
    this.outside0[i] = below ? this.feeGrowth0 : 0;
    this.outside1[i] = below ? this.feeGrowth1 : 0;
    this.splOutside[i] = below ? this.spl : 0;
    this.n = n + 1;
    if (below) this.cursor++;
    this.layout++;
  }

  private removeTick(i: number): void {
    const n = this.n;
    const below = this.tickAt[i]! <= this.tick;
    this.tickAt.copyWithin(i, i + 1, n);
    this.refs.copyWithin(i, i + 1, n);
    this.countNet.copyWithin(i, i + 1, n);
    this.sqrtAt.copyWithin(i, i + 1, n);
    this.net.copyWithin(i, i + 1, n);
    this.outside0.copyWithin(i, i + 1, n);
    this.outside1.copyWithin(i, i + 1, n);
    this.splOutside.copyWithin(i, i + 1, n);
    this.n = n - 1;
    if (below) this.cursor--;
    this.layout++;
  }

  private readonly inside = { g0: 0, g1: 0 };

  /**
   * Tick.getFeeGrowthInside, written per case so that an out-of-range position's growth does not move at all
   * while the price stays on one side (below: outsideLower − outsideUpper; above: outsideUpper − outsideLower;
   * inside: global − outsideLower − outsideUpper; the same values as the contract's formula).
   */
  private feeGrowthInside(tickLower: number, tickUpper: number, out: { g0: number; g1: number }, pos?: V3FloatPosition): void {
    let i: number;
    let j: number;
    if (pos !== undefined && pos.layout === this.layout) {
      i = pos.iLower;
      j = pos.iUpper;
    } else {
      i = this.find(tickLower);
      j = this.find(tickUpper);
      if (pos !== undefined) {
        pos.layout = this.layout;
        pos.iLower = i;
        pos.iUpper = j;
      }
    }
    const lo0 = this.outside0[i]!;
    const lo1 = this.outside1[i]!;
    const up0 = this.outside0[j]!;
    const up1 = this.outside1[j]!;
    if (this.tick < tickLower) {
      out.g0 = lo0 - up0;
      out.g1 = lo1 - up1;
    } else if (this.tick < tickUpper) {
      out.g0 = this.feeGrowth0 - lo0 - up0;
      out.g1 = this.feeGrowth1 - lo1 - up1;
    } else {
      out.g0 = up0 - lo0;
      out.g1 = up1 - lo1;
    }
  }

  /** Credits fees earned since the last update to tokensOwed (Position.update with ΔL = 0). */
  private poke(p: V3FloatPosition): void {
    this.feeGrowthInside(p.tickLower, p.tickUpper, this.inside, p);
    const f0 = owedFloat(this.inside.g0, p.inside0Last, p.liquidity);
    const f1 = owedFloat(this.inside.g1, p.inside1Last, p.liquidity);
    // Float noise at a crossing can make a zero growth −1 ulp; fees owed never go negative.
    if (f0 > 0) p.owed0 += f0;
    if (f1 > 0) p.owed1 += f1;
    p.inside0Last = this.inside.g0;
    p.inside1Last = this.inside.g1;
  }

  burn(p: V3FloatPosition, fraction: number): BurnFill {
    this.poke(p);
    const close = fraction === 1;
    const dL = close ? p.liquidity : p.liquidity * fraction;
    this.amountsFor(p.tickLower, p.tickUpper, p.sqrtLower, p.sqrtUpper, dL, this.amounts);
    const base = this.amounts.amount0;
    const quote = this.amounts.amount1;
    if (this.tick >= p.tickLower && this.tick < p.tickUpper) {
      if (close) this.active--;
      const after = this.liquidity - dL;
      this.liquidity = this.active === 0 || after < 0 ? 0 : after;
    }
    this.releaseTick(p.tickLower, dL, false, close);
    this.releaseTick(p.tickUpper, dL, true, close);
    p.liquidity -= dL;
    const feesBase = p.owed0;
    const feesQuote = p.owed1;
    p.owed0 = 0;
    p.owed1 = 0;
    this.balance0 -= base + feesBase;
    this.balance1 -= quote + feesQuote;
    this.version++;
    return { base, quote, feesBase, feesQuote };
  }

  collect(p: V3FloatPosition): { feesBase: number; feesQuote: number } {
    this.poke(p);
    const feesBase = p.owed0;
    const feesQuote = p.owed1;
    p.owed0 = 0;
    p.owed1 = 0;
    this.balance0 -= feesBase;
    this.balance1 -= feesQuote;
    this.version++;
    return { feesBase, feesQuote };
  }

  /** The position now: principal at the current price, fees owed including growth since the last poke. */
  readPosition(p: V3FloatPosition, out: V3CorePositionAmounts): void {
    this.feeGrowthInside(p.tickLower, p.tickUpper, this.inside, p);
    const f0 = owedFloat(this.inside.g0, p.inside0Last, p.liquidity);
    const f1 = owedFloat(this.inside.g1, p.inside1Last, p.liquidity);
    this.amountsFor(p.tickLower, p.tickUpper, p.sqrtLower, p.sqrtUpper, p.liquidity, this.amounts);
    out.liquidity = p.liquidity;
    out.base = this.amounts.amount0;
    out.quote = this.amounts.amount1;
    out.feesBase = p.owed0 + (f0 > 0 ? f0 : 0);
    out.feesQuote = p.owed1 + (f1 > 0 ? f1 : 0);
  }
}

/** The float core's record of a position. */
export interface V3FloatPosition {
  readonly tickLower: number;
  readonly tickUpper: number;
  readonly sqrtLower: number;
  readonly sqrtUpper: number;
  liquidity: number;
  inside0Last: number;
  inside1Last: number;
  owed0: number;
  owed1: number;
  /** Tokens taken at mint (before the cap to the amounts offered). */
  readonly paid0: number;
  readonly paid1: number;
  /** Cached indices of the position's ticks, valid while `layout` matches the pool's. */
  layout: number;
  iLower: number;
  iUpper: number;
}

/**
 * # V3FloatPool: the engine's default v3 pool — {@link V3EnginePool} over the float core {@link V3FloatCore}
 *
 * Beside the engine interface it exposes the core's float readings: initialised ticks and the seconds per
 * liquidity (global and inside a range, human units of L).
 */
export class V3FloatPool extends V3EnginePool<V3FloatPosition, V3FloatCore> {
  /**
   * An empty pool at `price` (quote per base). `fee` is a fraction (0.003 = 0.30 %); `tickSpacing` as the
   * factory's fee tiers (100 → 1, 500 → 10, 3000 → 60, 10000 → 200). `time` starts the clock (seconds; the
   * contract's `initialize` time, from which its seconds per liquidity counts).
   */
  constructor(fee: number, tickSpacing: number, price: number, time = 0) {
    super(new V3FloatCore(fee, tickSpacing, price, time), false);
  }

  /** Initialised ticks with their liquidityNet, ascending (for tests and reports). */
  initializedTicks(): { tick: number; liquidityNet: number }[] {
    return this.core.initializedTicks();
  }

  /** The global seconds per unit of in-range liquidity since the pool's time 0 (Σ Δt / L). */
  secondsPerLiquidity(): number {
    return this.core.secondsPerLiquidity();
  }

  /**
   * Seconds per unit of (human) liquidity spent inside [tickLower, tickUpper) (the contract's
   * `snapshotCumulativesInside` value / 2^128, below/inside/above as there); only differences between two readings
   * of the same range mean anything. Both ticks must be initialised (PoolError '' otherwise, as the contract).
   */
  secondsPerLiquidityInside(tickLower: number, tickUpper: number): number {
    return this.core.secondsPerLiquidityInside(tickLower, tickUpper);
  }
}

/** Into [MIN_TICK, MAX_TICK − 1]: the ticks of prices in the contract's range [MIN_SQRT_RATIO, MAX_SQRT_RATIO). */
function clampTick(t: number): number {
  return t < MIN_TICK_FLOAT ? MIN_TICK_FLOAT : t > MAX_TICK_FLOAT - 1 ? MAX_TICK_FLOAT - 1 : t;
}

/** The adjacent double of a finite x > 0, above (`up`) or below. */
function nextFloat(x: number, up: boolean): number {
  const f = new Float64Array([x]);
  const bits = new BigInt64Array(f.buffer);
  bits[0] = bits[0]! + (up ? 1n : -1n);
  return f[0]!;
}

function growF64(a: Float64Array<ArrayBuffer>, cap = a.length * 2): Float64Array<ArrayBuffer> {
  const b = new Float64Array(cap);
  b.set(a);
  return b;
}

function growI32(a: Int32Array<ArrayBuffer>, cap: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(cap);
  b.set(a);
  return b;
}
