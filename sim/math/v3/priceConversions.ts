import { MAX_SQRT_RATIO, MIN_SQRT_RATIO } from './tickMath.ts';
import { pow10 } from '../../core/pow.ts';
import { getPriceAtTickFloat, getTickOfPriceFloat } from './float.ts';

/**
 * # Price ↔ tick ↔ sqrtPriceX96, in floats, with token decimals and orientation
 *
 * A v3 pool's raw price is token1 raw units per token0 raw unit: 1.0001^tick = (sqrtPriceX96 / 2^96)^2. A human
 * price (whole tokens) of token0 in token1 is raw · 10^(d0 − d1); of token1 in token0 it is 10^(d1 − d0) / raw.
 * For USDC/WETH (token0 = USDC, 6 decimals; token1 = WETH, 18) the ETH price in USDC is the second:
 * 1e12 / 1.0001^tick. These are the conversions for real pools (data loaders, fee models, replays); ammsim's own
 * simulated pools have equal decimals and price token0 in token1, so their human price is the raw price.
 * The exact integer conversions are TickMath's (tickMath.ts); the float pool's tick ↔ √P are in float.ts.
 */

/** Token decimals and which token the human price is of (quoted in the other token). */
export interface PriceOrientation {
  readonly decimals0: number;
  readonly decimals1: number;
  /** `token1`: price of token1 in token0 (ETH in USDC for USDC/WETH). `token0`: the inverse. */
  readonly priceOf: 'token0' | 'token1';
}

const Q96_FLOAT = 2 ** 96;

/** The raw pool price (token1 raw per token0 raw) of a human `price` in orientation `o`. */
export function rawPriceFromPrice(price: number, o: PriceOrientation): number {
  return o.priceOf === 'token1' ? pow10(o.decimals1 - o.decimals0) / price : price * pow10(o.decimals1 - o.decimals0);
}

/** The human price in orientation `o` of a raw pool price (token1 raw per token0 raw). */
export function priceFromRawPrice(raw: number, o: PriceOrientation): number {
  return o.priceOf === 'token0' ? raw * pow10(o.decimals0 - o.decimals1) : pow10(o.decimals1 - o.decimals0) / raw;
}

/** Human price at a (real-valued) tick: the raw price 1.0001^tick (the float pool's, {@link getPriceAtTickFloat}), oriented. */
export function priceFromTick(tick: number, o: PriceOrientation): number {
  return priceFromRawPrice(getPriceAtTickFloat(tick), o);
}

/** The real-valued tick of a human price, log_1.0001 of its raw price (no rounding; the inverse of {@link priceFromTick}). */
export function tickFromPrice(price: number, o: PriceOrientation): number {
  return getTickOfPriceFloat(rawPriceFromPrice(price, o));
}

/** The raw pool price of a sqrtPriceX96 given as a float (Number of the uint160): (sqrtPriceX96 / 2^96)^2. */
export function rawPriceFromSqrtPriceX96(sqrtPriceX96: number): number {
  const r = sqrtPriceX96 / Q96_FLOAT;
  return r * r;
}

/** Human price in orientation `o` from a sqrtPriceX96 given as a float (Number of the uint160). */
export function priceFromSqrtPriceX96(sqrtPriceX96: number, o: PriceOrientation): number {
  return priceFromRawPrice(rawPriceFromSqrtPriceX96(sqrtPriceX96), o);
}

/**
 * √(raw price) · 2^96 as a Q64.96 integer: nearest to the float product (≈ 1e-16 relative), clamped to the strict
 * interior (MIN_SQRT_RATIO, MAX_SQRT_RATIO) that a swap's price limit must lie in (`encodePriceSqrt` of the v3
 * tests, in floats).
 */
export function sqrtPriceX96FromPrice(rawPrice: number): bigint {
  const s = BigInt(Math.round(Math.sqrt(rawPrice) * Q96_FLOAT));
  if (s <= MIN_SQRT_RATIO) return MIN_SQRT_RATIO + 1n;
  if (s >= MAX_SQRT_RATIO) return MAX_SQRT_RATIO - 1n;
  return s;
}
