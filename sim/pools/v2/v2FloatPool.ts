import { snapshotPosition, type BurnFill, type EnginePool, type LivePositionRecord, type MintFill, type PositionView, type PriceRange, type SwapFill } from '../enginePool.ts';
import { ConfigError, PoolError } from '../../core/errors.ts';
import { amountInToPrice } from '../../math/v2/constantProduct.float.ts';
import { newV2PositionRecord, splitV2Burn, v2SnapRange, writeV2Position } from './v2Common.ts';

/**
 * Uniswap v2 constant-product pool on the float fast path (`number`), for backtests. Mirrors the
 * contract's economics — fee on the input amount retained in the reserves, LP shares pro rata — but not its
 * integer rounding; the exact path is {@link V2ExactEnginePool} over the bigint `V2Pair`, and the two are
 * tested against each other (sim/pools/v2EnginePools.test.ts).
 *
 * Token0 = base, token1 = quote, price = reserveQuote / reserveBase.
 * Fee accounting for LP reporting: every swap adds `fee × amountIn / totalSupply` to a per-share fee
 * accumulator (like v3's feeGrowthGlobal), so a position's accrued fee tokens are shares × growth since entry.
 * The fees stay in the reserves (they compound), exactly as in the contract.
 */
export class V2FloatPool implements EnginePool {
  readonly kind = 'v2' as const;
  readonly exact = false;
  readonly fee: number;
  private readonly gamma: number;
  reserveBase: number;
  reserveQuote: number;
  totalSupply: number;
  private feeGrowthBase = 0;
  private feeGrowthQuote = 0;
  /** Open positions by id (ids count up from 1; a burned slot is undefined): an array lookup per step, not a Map. */
  private readonly positions: Array<V2FloatPosition | undefined> = [];
  /** Bumped on every state change; position views are cached per version (the engine asks several times a step). */
  private version = 0;
  private lastQuote: SwapFill | undefined;
  private lastQuoteTarget = NaN;
  private lastQuoteVersion = -1;
  private nextId = 1;

  /** A pool seeded with `reserveBase`/`reserveQuote` owned by background LPs (not tracked as positions). */
  constructor(fee: number, reserveBase: number, reserveQuote: number) {
    if (!(fee >= 0 && fee < 1)) throw new ConfigError('--fee', `must be in [0, 1); was ${fee}`);
    if (!(reserveBase > 0 && reserveQuote > 0)) throw new ConfigError('--pool-liquidity', `must be > 0; was ${reserveBase}/${reserveQuote}`);
    this.fee = fee;
    this.gamma = 1 - fee;
    this.reserveBase = reserveBase;
    this.reserveQuote = reserveQuote;
    this.totalSupply = Math.sqrt(reserveBase * reserveQuote);
  }

  price(): number {
    return this.reserveQuote / this.reserveBase;
  }

  tokenBalances(): { base: number; quote: number } {
    return { base: this.reserveBase, quote: this.reserveQuote };
  }

  activeLiquidity(): number {
    return Math.sqrt(this.reserveBase * this.reserveQuote);
  }

  quoteToPrice(targetPrice: number): SwapFill {
    if (!(targetPrice > 0) || targetPrice === this.price()) return this.zeroFill();
    if (this.lastQuote !== undefined && this.lastQuoteTarget === targetPrice && this.lastQuoteVersion === this.version) return this.lastQuote;
    // Buying base (price up) is selling quote: the quote-in price base/quote must fall to 1/target.
    const q =
      targetPrice > this.price()
        ? this.quoteExactIn(false, amountInToPrice(this.reserveQuote, this.reserveBase, 1 / targetPrice, this.fee))
        : this.quoteExactIn(true, amountInToPrice(this.reserveBase, this.reserveQuote, targetPrice, this.fee));
    this.lastQuote = q;
    this.lastQuoteTarget = targetPrice;
    this.lastQuoteVersion = this.version;
    return q;
  }

  /** Applies the swap to `targetPrice`; reuses the quote just made for the same target (the arbitrageur quotes first). */
  swapToPrice(targetPrice: number): SwapFill {
    const q = this.quoteToPrice(targetPrice);
    this.apply(q);
    return q;
  }

  quoteExactIn(baseIn: boolean, amountIn: number): SwapFill {
    if (!(amountIn > 0)) return this.zeroFill();
    const withFee = amountIn * this.gamma;
    if (baseIn) {
      const out = (withFee * this.reserveQuote) / (this.reserveBase + withFee);
      return { baseDelta: amountIn, quoteDelta: -out, feeAmount: amountIn - withFee, feeInBase: true, priceAfter: (this.reserveQuote - out) / (this.reserveBase + amountIn) };
    }
    const out = (withFee * this.reserveBase) / (this.reserveQuote + withFee);
    return { baseDelta: -out, quoteDelta: amountIn, feeAmount: amountIn - withFee, feeInBase: false, priceAfter: (this.reserveQuote + amountIn) / (this.reserveBase - out) };
  }

  swapExactIn(baseIn: boolean, amountIn: number): SwapFill {
    const q = this.quoteExactIn(baseIn, amountIn);
    this.apply(q);
    return q;
  }

  private apply(q: SwapFill): void {
    if (q.baseDelta === 0 && q.quoteDelta === 0) return;
    this.version++;
    if (q.feeInBase) this.feeGrowthBase += q.feeAmount / this.totalSupply;
    else this.feeGrowthQuote += q.feeAmount / this.totalSupply;
    this.reserveBase += q.baseDelta;
    this.reserveQuote += q.quoteDelta;
  }

  private zeroFill(): SwapFill {
    return { baseDelta: 0, quoteDelta: 0, feeAmount: 0, feeInBase: false, priceAfter: this.price() };
  }

  mint(owner: string, range: PriceRange | null, base: number, quote: number): MintFill {
    v2SnapRange(range);
    const share = Math.min(base / this.reserveBase, quote / this.reserveQuote);
    if (!(share > 0)) throw new PoolError('UniswapV2: INSUFFICIENT_LIQUIDITY_MINTED');
    const usedBase = share * this.reserveBase;
    const usedQuote = share * this.reserveQuote;
    const shares = share * this.totalSupply;
    const id = this.nextId++;
    this.version++;
    this.positions[id] = {
      owner,
      shares,
      liquidityNoFees: share * Math.sqrt(this.reserveBase * this.reserveQuote),
      growthBase: this.feeGrowthBase,
      growthQuote: this.feeGrowthQuote,
      live: newV2PositionRecord(id, owner),
      liveVersion: -1,
      view: undefined,
      viewVersion: -1,
    };
    this.reserveBase += usedBase;
    this.reserveQuote += usedQuote;
    this.totalSupply += shares;
    return { positionId: id, base: usedBase, quote: usedQuote, range: null };
  }

  burn(positionId: number, fraction: number): BurnFill {
    const p = this.get(positionId);
    if (!(fraction > 0 && fraction <= 1)) throw new ConfigError('fraction', `must be in (0, 1]; was ${fraction}`);
    const view = this.position(positionId);
    const removed = p.shares * fraction;
    this.version++;
    const base = (removed / this.totalSupply) * this.reserveBase;
    const quote = (removed / this.totalSupply) * this.reserveQuote;
    this.reserveBase -= base;
    this.reserveQuote -= quote;
    this.totalSupply -= removed;
    p.shares -= removed;
    p.liquidityNoFees *= 1 - fraction;
    // The fees earned stay per share since the baseline: the shares left keep theirs (1 − fraction of them).
    if (fraction === 1) this.positions[positionId] = undefined;
    return splitV2Burn(view, fraction, base, quote);
  }

  /** v2 fees compound into the reserves; collecting without burning moves nothing. */
  collect(positionId: number): { feesBase: number; feesQuote: number } {
    this.get(positionId);
    return { feesBase: 0, feesQuote: 0 };
  }

  position(positionId: number): PositionView {
    const p = this.get(positionId);
    if (p.view !== undefined && p.viewVersion === this.version) return p.view;
    p.view = snapshotPosition(this.refresh(p));
    p.viewVersion = this.version;
    return p.view;
  }

  livePosition(positionId: number): Readonly<PositionView> {
    return this.refresh(this.get(positionId));
  }

  /** The position's live record, computed again if the pool's state has changed since. */
  private refresh(p: V2FloatPosition): LivePositionRecord {
    if (p.liveVersion === this.version) return p.live;
    const s = p.shares / this.totalSupply;
    const feesBase = p.shares * (this.feeGrowthBase - p.growthBase);
    const feesQuote = p.shares * (this.feeGrowthQuote - p.growthQuote);
    p.liveVersion = this.version;
    return writeV2Position(p.live, p.shares, s * this.reserveBase, s * this.reserveQuote, feesBase, feesQuote, p.liquidityNoFees, this.price());
  }

  baseValueShare(): number {
    return 0.5;
  }

  snapRange(range: PriceRange | null): PriceRange | null {
    return v2SnapRange(range);
  }

  private get(positionId: number): V2FloatPosition {
    const p = Number.isInteger(positionId) && positionId > 0 ? this.positions[positionId] : undefined;
    if (p === undefined) throw new PoolError('', `no position ${positionId}`);
    return p;
  }
}

interface V2FloatPosition {
  readonly owner: string;
  shares: number;
  /** √k-units of liquidity the position would have had no fee ever been reinvested. */
  liquidityNoFees: number;
  growthBase: number;
  growthQuote: number;
  /** The position's numbers ({@link V2FloatPool.livePosition}) and the pool version they were computed at. */
  readonly live: LivePositionRecord;
  liveVersion: number;
  /** The last snapshot ({@link V2FloatPool.position}) and the pool version it was taken at. */
  view: PositionView | undefined;
  viewVersion: number;
}
