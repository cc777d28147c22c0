import type { BurnFill, EnginePool, MintFill, PositionView, PriceRange, SwapFill } from '../enginePool.ts';
import { ConfigError, PoolError } from '../../core/errors.ts';
import { quote as quoteV2 } from '../../math/v2/constantProduct.ts';
import { amountInToPrice } from '../../math/v2/constantProduct.float.ts';
import { V2Pair } from './v2Pair.ts';
import { newV2PositionRecord, splitV2Burn, v2SnapRange, writeV2Position } from './v2Common.ts';

/** Raw units per human unit: both simulated tokens have 18 decimals. */
const ONE_F = 1e18;

/** Human → raw, rounding down (the engine never hands the pool more than it has). */
function toRaw(x: number): bigint {
  if (!(x > 0)) return 0n;
  return BigInt(Math.floor(x * ONE_F));
}
function toHuman(x: bigint): number {
  return Number(x) / ONE_F;
}

/**
 * The exact path for v2 backtests (`--exact`): every swap, mint and burn goes through the bigint `V2Pair`
 * (UniswapV2Pair's integer maths and reverts, router-style optimal amounts on mint). The engine's human
 * amounts are converted at this boundary, rounding down. Swap sizing toward a target price uses the float
 * closed form (sizing is a trader's decision, not contract maths); the swap itself is exact.
 */
export class V2ExactEnginePool implements EnginePool {
  readonly kind = 'v2' as const;
  readonly exact = true;
  readonly fee: number;
  readonly pair: V2Pair;
  private feeGrowthBase = 0;
  private feeGrowthQuote = 0;
  private readonly positions = new Map<number, { owner: string; liquidityNoFees: number; growthBase: number; growthQuote: number }>();
  private nextId = 1;

  constructor(fee: number, reserveBase: number, reserveQuote: number) {
    const pips = Math.round(fee * 1e6);
    if (Math.abs(pips - fee * 1e6) > 1e-6) {
      throw new ConfigError('--fee', `the exact pool needs a fee in whole pips (millionths); was ${fee}`);
    }
    this.fee = fee;
    this.pair = new V2Pair({ feePips: pips });
    this.pair.mint('background', toRaw(reserveBase), toRaw(reserveQuote));
  }

  price(): number {
    return Number(this.pair.reserve1) / Number(this.pair.reserve0);
  }
  activeLiquidity(): number {
    return toHuman(this.pair.totalSupply);
  }
  tokenBalances(): { base: number; quote: number } {
    return { base: toHuman(this.pair.reserve0), quote: toHuman(this.pair.reserve1) };
  }

  /**
   * The input moving the pair's price to `target` (float sizing). An input past the doubles (a target ~1e-250 of the
   * price or beyond) is more than any uint112 balance: the pair would revert OVERFLOW on it, and does so here rather
   * than turn NaN into a BigInt. (Runs refuse such prices before they start: sim/pools/priceRange.ts.)
   */
  private sizeToPrice(target: number): { baseIn: boolean; raw: bigint } {
    const r0 = Number(this.pair.reserve0);
    const r1 = Number(this.pair.reserve1);
    const baseIn = !(target > r1 / r0);
    const x = baseIn ? amountInToPrice(r0, r1, target, this.fee) : amountInToPrice(r1, r0, 1 / target, this.fee);
    if (!(x < Infinity)) throw new PoolError('UniswapV2: OVERFLOW', `reverted: UniswapV2: OVERFLOW (moving the price from ${r1 / r0} to ${target} takes more ${baseIn ? 'base' : 'quote'} than a uint112 reserve holds)`);
    return { baseIn, raw: BigInt(Math.floor(x)) };
  }

  private fill(baseIn: boolean, amountIn: bigint, amountOut: bigint, r0After: bigint, r1After: bigint): SwapFill {
    const inH = toHuman(amountIn);
    return {
      baseDelta: baseIn ? inH : -toHuman(amountOut),
      quoteDelta: baseIn ? -toHuman(amountOut) : inH,
      feeAmount: inH * this.fee,
      feeInBase: baseIn,
      priceAfter: Number(r1After) / Number(r0After),
    };
  }

  private zero(): SwapFill {
    return { baseDelta: 0, quoteDelta: 0, feeAmount: 0, feeInBase: false, priceAfter: this.price() };
  }

  private quoteRaw(baseIn: boolean, raw: bigint): SwapFill {
    if (raw <= 0n) return this.zero();
    let out: bigint;
    try {
      out = this.pair.quoteExactIn(baseIn, raw);
    } catch (err) {
      if (err instanceof PoolError) return this.zero();
      throw err;
    }
    if (out === 0n) return this.zero();
    const r0 = this.pair.reserve0;
    const r1 = this.pair.reserve1;
    return baseIn ? this.fill(true, raw, out, r0 + raw, r1 - out) : this.fill(false, raw, out, r0 - out, r1 + raw);
  }

  private swapRaw(baseIn: boolean, raw: bigint): SwapFill {
    const q = this.quoteRaw(baseIn, raw);
    if (q.baseDelta === 0 && q.quoteDelta === 0) return q;
    const ts = Number(this.pair.totalSupply) / ONE_F;
    this.pair.swapExactIn(baseIn, raw);
    if (baseIn) this.feeGrowthBase += q.feeAmount / ts;
    else this.feeGrowthQuote += q.feeAmount / ts;
    return q;
  }

  quoteToPrice(targetPrice: number): SwapFill {
    if (!(targetPrice > 0)) return this.zero();
    const s = this.sizeToPrice(targetPrice);
    return this.quoteRaw(s.baseIn, s.raw);
  }
  swapToPrice(targetPrice: number): SwapFill {
    if (!(targetPrice > 0)) return this.zero();
    const s = this.sizeToPrice(targetPrice);
    return this.swapRaw(s.baseIn, s.raw);
  }
  quoteExactIn(baseIn: boolean, amountIn: number): SwapFill {
    return this.quoteRaw(baseIn, toRaw(amountIn));
  }
  swapExactIn(baseIn: boolean, amountIn: number): SwapFill {
    return this.swapRaw(baseIn, toRaw(amountIn));
  }

  /** Router addLiquidity: the optimal pair of amounts at the current reserves (UniswapV2Library.quote), then mint. */
  mint(owner: string, range: PriceRange | null, base: number, quote: number): MintFill {
    v2SnapRange(range);
    const a0 = toRaw(base);
    const a1 = toRaw(quote);
    const r0 = this.pair.reserve0;
    const r1 = this.pair.reserve1;
    if (a0 === 0n || a1 === 0n) throw new PoolError('UniswapV2: INSUFFICIENT_LIQUIDITY_MINTED');
    let use0 = a0;
    let use1 = quoteV2(a0, r0, r1);
    if (use1 > a1) {
      use1 = a1;
      use0 = quoteV2(a1, r1, r0);
    }
    const id = this.nextId++;
    const name = `${owner}#${id}`;
    const sqrtK = Math.sqrt(Number(r0) * Number(r1)) / ONE_F;
    const res = this.pair.mint(name, use0, use1);
    const share = Number(res.liquidity) / Number(this.pair.totalSupply - res.liquidity);
    this.positions.set(id, { owner: name, liquidityNoFees: share * sqrtK, growthBase: this.feeGrowthBase, growthQuote: this.feeGrowthQuote });
    return { positionId: id, base: toHuman(res.amount0), quote: toHuman(res.amount1), range: null };
  }

  burn(positionId: number, fraction: number): BurnFill {
    const p = this.get(positionId);
    if (!(fraction > 0 && fraction <= 1)) throw new ConfigError('fraction', `must be in (0, 1]; was ${fraction}`);
    const view = this.position(positionId);
    const bal = this.pair.balanceOf(p.owner);
    const liq = fraction === 1 ? bal : (bal * BigInt(Math.floor(fraction * 1e12))) / 10n ** 12n;
    const res = this.pair.burn(p.owner, liq);
    p.liquidityNoFees *= 1 - fraction;
    // The fees earned stay per share since the baseline: the shares left keep theirs.
    if (fraction === 1) this.positions.delete(positionId);
    return splitV2Burn(view, fraction, toHuman(res.amount0), toHuman(res.amount1));
  }

  collect(positionId: number): { feesBase: number; feesQuote: number } {
    this.get(positionId);
    return { feesBase: 0, feesQuote: 0 };
  }

  position(positionId: number): PositionView {
    const p = this.get(positionId);
    const bal = this.pair.balanceOf(p.owner);
    const ts = this.pair.totalSupply;
    const shares = toHuman(bal);
    const feesBase = shares * (this.feeGrowthBase - p.growthBase);
    const feesQuote = shares * (this.feeGrowthQuote - p.growthQuote);
    const view = writeV2Position(newV2PositionRecord(positionId, p.owner), shares, toHuman((bal * this.pair.reserve0) / ts), toHuman((bal * this.pair.reserve1) / ts), feesBase, feesQuote, p.liquidityNoFees, this.price());
    return view;
  }

  /** The exact pool keeps no record to rewrite: a new snapshot each time (the bigint path is not the fast one). */
  livePosition(positionId: number): Readonly<PositionView> {
    return this.position(positionId);
  }

  baseValueShare(): number {
    return 0.5;
  }
  snapRange(range: PriceRange | null): PriceRange | null {
    return v2SnapRange(range);
  }

  private get(positionId: number) {
    const p = this.positions.get(positionId);
    if (p === undefined) throw new PoolError('', `no position ${positionId}`);
    return p;
  }
}
