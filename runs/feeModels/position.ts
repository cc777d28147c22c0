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
import { USDC_WETH } from '../../data/loaders/realFormats.ts';
import { ConfigError } from '../../sim/core/errors.ts';
import { getAmountsForLiquidityFloat, getSqrtRatioAtTickFloat } from '../../sim/math/v3/float.ts';
import { rawPriceFromPrice, tickFromPrice, type PriceOrientation } from '../../sim/math/v3/priceConversions.ts';
import { usableTicks } from '../../sim/math/v3/usableTicks.ts';
import { pow10 } from '../../sim/core/pow.ts';

/** Token decimals and the price's orientation (sim/math/v3/priceConversions.ts). */
export type PoolTokens = PriceOrientation;

/** USDC/WETH: token0 = USDC (6), token1 = WETH (18), price = USDC per ETH (data/loaders/realFormats.ts). */
export const USDC_WETH_TOKENS: Readonly<PoolTokens> = USDC_WETH;

export interface RealPosition {
  readonly tickLower: number;
  readonly tickUpper: number;
  /** Liquidity in raw pool units (float). */
  readonly liquidity: number;
  /** The capital in quote it was built from, and the human price it was built at. */
  readonly capital: number;
  readonly price: number;
}

/**
 * Quote value (human) of one unit of raw liquidity over [tl, tu) at human price `price`: the amounts of
 * LiquidityAmounts.getAmountsForLiquidity (float) at √(raw price), in whole tokens, valued in quote.
 */
function valuePerLiquidity(price: number, tl: number, tu: number, t: PoolTokens): number {
  const a = getAmountsForLiquidityFloat(Math.sqrt(rawPriceFromPrice(price, t)), getSqrtRatioAtTickFloat(tl), getSqrtRatioAtTickFloat(tu), 1);
  const amount0 = a.amount0 / pow10(t.decimals0); // human token0
  const amount1 = a.amount1 / pow10(t.decimals1); // human token1
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
  const { minTick, maxTick } = usableTicks(sp);
  let tl: number;
  let tu: number;
  if (p.range === null) {
    tl = minTick;
    tu = maxTick;
  } else {
    if (!(p.range.lower > 0 && p.range.upper > p.range.lower)) throw new ConfigError('range', `must satisfy 0 < lower < upper; was ${p.range.lower} .. ${p.range.upper}`);
    const a = tickFromPrice(p.range.lower, t);
    const b = tickFromPrice(p.range.upper, t);
    // Outward: the lower tick rounds down, the upper rounds up, whichever price end they come from.
    tl = Math.max(minTick, Math.floor(Math.min(a, b) / sp + 1e-9) * sp);
    tu = Math.min(maxTick, Math.ceil(Math.max(a, b) / sp - 1e-9) * sp);
  }
  if (!(p.capital > 0)) throw new ConfigError('--capital', `must be > 0; was ${p.capital}`);
  const v = valuePerLiquidity(p.price, tl, tu, t);
  return { tickLower: tl, tickUpper: tu, liquidity: p.capital / v, capital: p.capital, price: p.price };
}
