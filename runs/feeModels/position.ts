/**
 * An LP position on a real Uniswap v3 pool, as the fee models see it: a tick range and a liquidity in the
 * pool's raw units, built from a human price range and a capital in quote.
 *
 * Orientation (as data/loaders/realFormats.ts): the raw pool price 1.0001^tick is token1 raw per token0 raw.
 * With `priceOf: 'token1'` (the USDC/WETH default) the human price is token1 in token0 — USDC per ETH =
 * 10^(d1−d0) / 1.0001^tick — so base = token1, quote = token0, and the tick falls as the price rises. With
 * `priceOf: 'token0'` the human price is 1.0001^tick · 10^(d0−d1), base = token0, quote = token1.
 * Float maths: liquidity here is for fee shares and for seeding a position, not for contract-exact amounts.
 */
import { ConfigError } from '../../sim/core/errors.ts';

export interface PoolTokens {
  readonly decimals0: number;
  readonly decimals1: number;
  readonly priceOf: 'token0' | 'token1';
}

export const USDC_WETH_TOKENS: Readonly<PoolTokens> = Object.freeze({ decimals0: 6, decimals1: 18, priceOf: 'token1' });

export interface RealPosition {
  readonly tickLower: number;
  readonly tickUpper: number;
  /** Liquidity in raw pool units (float). */
  readonly liquidity: number;
  /** The capital in quote it was built from, and the human price it was built at. */
  readonly capital: number;
  readonly price: number;
}

const MIN_TICK = -887272;
const MAX_TICK = 887272;
const LOG_BASE = Math.log(1.0001);

/** Real-valued tick of a human price (no rounding). */
export function tickOfPrice(price: number, t: PoolTokens): number {
  const raw = t.priceOf === 'token1' ? Math.pow(10, t.decimals1 - t.decimals0) / price : price * Math.pow(10, t.decimals1 - t.decimals0);
  return Math.log(raw) / LOG_BASE;
}

/** Human price at a (real-valued) tick. */
export function priceOfTick(tick: number, t: PoolTokens): number {
  const raw = Math.pow(1.0001, tick);
  return t.priceOf === 'token1' ? Math.pow(10, t.decimals1 - t.decimals0) / raw : raw * Math.pow(10, t.decimals0 - t.decimals1);
}

/** Quote value (human) of one unit of liquidity over [tl, tu) at human price `price`. */
function valuePerLiquidity(price: number, tl: number, tu: number, t: PoolTokens): number {
  const s = Math.pow(1.0001, tickOfPrice(price, t) / 2);
  const sa = Math.pow(1.0001, tl / 2);
  const sb = Math.pow(1.0001, tu / 2);
  const sc = Math.min(Math.max(s, sa), sb);
  const amount0 = (1 / sc - 1 / sb) / Math.pow(10, t.decimals0); // human token0
  const amount1 = (sc - sa) / Math.pow(10, t.decimals1); // human token1
  // Quote is token0 when the price is of token1, and the other way round.
  return t.priceOf === 'token1' ? amount0 + amount1 * price : amount1 + amount0 * price;
}

/**
 * The position a capital of `capital` quote buys over the human price range [lower, upper] at `price`,
 * snapped outward to `tickSpacing`; `null` range = full range. Throws ConfigError on a bad range.
 */
export function realPosition(p: { range: { lower: number; upper: number } | null; capital: number; price: number; tickSpacing: number; tokens?: PoolTokens }): RealPosition {
  const t = p.tokens ?? USDC_WETH_TOKENS;
  const sp = p.tickSpacing;
  let tl: number;
  let tu: number;
  if (p.range === null) {
    tl = Math.ceil(MIN_TICK / sp) * sp;
    tu = Math.floor(MAX_TICK / sp) * sp;
  } else {
    if (!(p.range.lower > 0 && p.range.upper > p.range.lower)) throw new ConfigError('range', `must satisfy 0 < lower < upper; was ${p.range.lower} .. ${p.range.upper}`);
    const a = tickOfPrice(p.range.lower, t);
    const b = tickOfPrice(p.range.upper, t);
    // Outward: the lower tick rounds down, the upper rounds up, whichever price end they come from.
    tl = Math.max(Math.ceil(MIN_TICK / sp) * sp, Math.floor(Math.min(a, b) / sp + 1e-9) * sp);
    tu = Math.min(Math.floor(MAX_TICK / sp) * sp, Math.ceil(Math.max(a, b) / sp - 1e-9) * sp);
  }
  if (!(p.capital > 0)) throw new ConfigError('--capital', `must be > 0; was ${p.capital}`);
  const v = valuePerLiquidity(p.price, tl, tu, t);
  return { tickLower: tl, tickUpper: tu, liquidity: p.capital / v, capital: p.capital, price: p.price };
}
