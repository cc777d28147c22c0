/**
 * # The float fast path of the v3 concentrated-liquidity maths
 *
 * Plain `number` versions of the formulas that `tickMath.ts`, `sqrtPriceMath.ts`, `swapMath.ts` and the
 * periphery's `LiquidityAmounts.sol` compute exactly in bigint. Used by the backtest pool `V3FloatPool`; the
 * exact functions stay the reference, and `float.test.ts` checks every function here against them with a
 * named tolerance.
 *
 * Units (differ from the contract on purpose): sqrt prices are plain √P (not Q64.96), amounts are human token
 * units, liquidity L is in the matching human units (√(base·quote)). For two tokens with equal decimals d,
 * `sqrtPriceX96 = √P·2^96`, `amountRaw = amount·10^d` and `liquidityRaw = L·10^d`, so the formulas are the
 * same up to those scales. No rounding direction applies: results are nearest-float, and the rounding the
 * contract adds (≤ 1 wei per amount, ≤ 1 unit of 2^-96 per sqrt price) is inside the tests' tolerance for
 * amounts ≫ 1 wei.
 *
 * Formulas (Uniswap v3 whitepaper, Adams et al. 2021, eq. 6.13–6.16, 6.29–6.30), for sa ≤ sb:
 *   Δx = L·(sb − sa)/(sa·sb)      Δy = L·(sb − sa)
 */

/** ln(1.0001) / 2: √(1.0001^t) = exp(t · HALF_LN_TICK_BASE). log1p keeps the constant accurate to 1 ulp. */
const HALF_LN_TICK_BASE = Math.log1p(1e-4) / 2;
const LN_TICK_BASE = Math.log1p(1e-4);

/** The smallest and largest ticks (`TickMath.MIN_TICK` / `MAX_TICK`). */
export const MIN_TICK_FLOAT = -887272;
export const MAX_TICK_FLOAT = 887272;

/**
 * √(1.0001^tick) as a float; mirrors `TickMath.getSqrtRatioAtTick` without the Q64.96 scale. Relative error
 * ≲ 1e-14 against the exact value (the contract itself truncates to 2^-96, which dominates at tiny prices).
 */
export function getSqrtRatioAtTickFloat(tick: number): number {
  return Math.exp(tick * HALF_LN_TICK_BASE);
}

/** The price of a tick, 1.0001^tick, as the square of {@link getSqrtRatioAtTickFloat} (the value the float pool uses). */
export function getPriceAtTickFloat(tick: number): number {
  const s = getSqrtRatioAtTickFloat(tick);
  return s * s;
}

/**
 * The greatest tick whose sqrt price is ≤ `sqrtP` (`TickMath.getTickAtSqrtRatio` on a plain √P). No snapping:
 * within ~1e-12 ticks of a boundary the float log may land on either side, so callers that need a tick
 * consistent with their crossed ticks clamp it (as `V3FloatPool` does).
 */
export function getTickAtSqrtRatioFloat(sqrtP: number): number {
  return Math.floor(Math.log(sqrtP) / HALF_LN_TICK_BASE) + 0;
}

/**
 * The real-valued tick of a price, log_1.0001 P: the inverse of {@link getPriceAtTickFloat} (ln(1.0001) from log1p,
 * as there; `Math.log(1.0001)` would be 1.1e-13 off, 4e-8 of a tick at tick 400,000).
 */
export function getTickOfPriceFloat(price: number): number {
  return Math.log(price) / LN_TICK_BASE;
}

/**
 * The greatest tick whose price is ≤ `price` (floor of log_1.0001 P); mirrors `TickMath.getTickAtSqrtRatio`
 * applied to √P. A price within 1e-9 ticks of a tick boundary counts as on it (floats cannot tell closer),
 * which keeps tick → price → tick the identity.
 */
export function getTickAtPriceFloat(price: number): number {
  const t = getTickOfPriceFloat(price);
  const r = Math.round(t);
  return Math.abs(t - r) < 1e-9 ? r : Math.floor(t);
}

/** As {@link getTickAtPriceFloat} but rounding up (the least tick whose price is ≥ `price`). */
export function getTickAtPriceCeilFloat(price: number): number {
  const t = getTickOfPriceFloat(price);
  const r = Math.round(t);
  // + 0 turns a −0 from Math.ceil into 0 (ticks are compared with Object.is in places).
  return (Math.abs(t - r) < 1e-9 ? r : Math.ceil(t)) + 0;
}

/**
 * Token0 (base) between two sqrt prices for liquidity L: L·(sb − sa)/(sa·sb), order-independent
 * (`SqrtPriceMath.getAmount0Delta`, unrounded).
 */
export function getAmount0DeltaFloat(sqrtA: number, sqrtB: number, liquidity: number): number {
  const lo = sqrtA < sqrtB ? sqrtA : sqrtB;
  const hi = sqrtA < sqrtB ? sqrtB : sqrtA;
  return (liquidity * (hi - lo)) / lo / hi;
}

/** Token1 (quote) between two sqrt prices for liquidity L: L·|sb − sa| (`SqrtPriceMath.getAmount1Delta`, unrounded). */
export function getAmount1DeltaFloat(sqrtA: number, sqrtB: number, liquidity: number): number {
  return liquidity * (sqrtA < sqrtB ? sqrtB - sqrtA : sqrtA - sqrtB);
}

/**
 * The sqrt price after `amountIn` (fee already deducted) enters a range of liquidity L
 * (`SqrtPriceMath.getNextSqrtPriceFromInput`): token0 in → L·√P/(L + Δx·√P); token1 in → √P + Δy/L.
 */
export function getNextSqrtPriceFromInputFloat(sqrtP: number, liquidity: number, amountIn: number, zeroForOne: boolean): number {
  if (zeroForOne) return (liquidity * sqrtP) / (liquidity + amountIn * sqrtP);
  return sqrtP + amountIn / liquidity;
}

/** Liquidity that `amount0` of token0 buys over [sa, sb]: Δx·sa·sb/(sb − sa) (`LiquidityAmounts.getLiquidityForAmount0`). */
export function getLiquidityForAmount0Float(sqrtA: number, sqrtB: number, amount0: number): number {
  const lo = sqrtA < sqrtB ? sqrtA : sqrtB;
  const hi = sqrtA < sqrtB ? sqrtB : sqrtA;
  return ((amount0 * lo) / (hi - lo)) * hi;
}

/** Liquidity that `amount1` of token1 buys over [sa, sb]: Δy/(sb − sa) (`LiquidityAmounts.getLiquidityForAmount1`). */
export function getLiquidityForAmount1Float(sqrtA: number, sqrtB: number, amount1: number): number {
  return amount1 / (sqrtA < sqrtB ? sqrtB - sqrtA : sqrtA - sqrtB);
}

/**
 * The largest liquidity that `amount0` and `amount1` allow over [sa, sb] at sqrt price `sqrtP`
 * (`LiquidityAmounts.getLiquidityForAmounts`): below the range only token0 counts, above it only token1,
 * inside it the smaller of the two.
 */
export function getLiquidityForAmountsFloat(sqrtP: number, sqrtA: number, sqrtB: number, amount0: number, amount1: number): number {
  const lo = sqrtA < sqrtB ? sqrtA : sqrtB;
  const hi = sqrtA < sqrtB ? sqrtB : sqrtA;
  if (sqrtP <= lo) return getLiquidityForAmount0Float(lo, hi, amount0);
  if (sqrtP < hi) {
    const l0 = getLiquidityForAmount0Float(sqrtP, hi, amount0);
    const l1 = getLiquidityForAmount1Float(lo, sqrtP, amount1);
    return l0 < l1 ? l0 : l1;
  }
  return getLiquidityForAmount1Float(lo, hi, amount1);
}

/** Token amounts (written into `out`) that liquidity L over [sa, sb] holds at sqrt price `sqrtP` (`LiquidityAmounts.getAmountsForLiquidity`). */
export interface AmountsFloat {
  amount0: number;
  amount1: number;
}

export function getAmountsForLiquidityFloat(
  sqrtP: number,
  sqrtA: number,
  sqrtB: number,
  liquidity: number,
  out: AmountsFloat = { amount0: 0, amount1: 0 },
): AmountsFloat {
  const lo = sqrtA < sqrtB ? sqrtA : sqrtB;
  const hi = sqrtA < sqrtB ? sqrtB : sqrtA;
  if (sqrtP <= lo) {
    out.amount0 = getAmount0DeltaFloat(lo, hi, liquidity);
    out.amount1 = 0;
  } else if (sqrtP < hi) {
    out.amount0 = getAmount0DeltaFloat(sqrtP, hi, liquidity);
    out.amount1 = getAmount1DeltaFloat(lo, sqrtP, liquidity);
  } else {
    out.amount0 = 0;
    out.amount1 = getAmount1DeltaFloat(lo, hi, liquidity);
  }
  return out;
}

/**
 * The √P at which LiquidityAmounts' sqrt-price side choice gives the pool's own, tick-based one
 * (`UniswapV3Pool._modifyPosition`): √A below the range (tick < tickLower), √B at or above it (tick ≥ tickUpper),
 * else √P clamped into [√A, √B] — so a float tick and √P that disagree by an ulp at a boundary give one answer.
 */
function sqrtForTickSide(tick: number, sqrtP: number, tickLower: number, tickUpper: number, sqrtA: number, sqrtB: number): number {
  if (tick < tickLower) return sqrtA;
  if (tick >= tickUpper) return sqrtB;
  return sqrtP < sqrtA ? sqrtA : sqrtP > sqrtB ? sqrtB : sqrtP;
}

/**
 * {@link getAmountsForLiquidityFloat} with the pool's own side choice (`UniswapV3Pool._modifyPosition`, exact
 * version in modifyPosition.ts): the side is decided by the current `tick` (below: tick < tickLower; inside:
 * tick < tickUpper), √P clamped into the range. `sqrtA` < `sqrtB` are the range's sqrt prices (callers keep them
 * per position). Writes into `out`.
 */
export function getAmountsForLiquidityAtTickFloat(
  tick: number,
  sqrtP: number,
  tickLower: number,
  tickUpper: number,
  sqrtA: number,
  sqrtB: number,
  liquidity: number,
  out: AmountsFloat,
): AmountsFloat {
  return getAmountsForLiquidityFloat(sqrtForTickSide(tick, sqrtP, tickLower, tickUpper, sqrtA, sqrtB), sqrtA, sqrtB, liquidity, out);
}

/**
 * {@link getLiquidityForAmountsFloat} with the side decided by the current `tick` as the pool charges a mint
 * ({@link getAmountsForLiquidityAtTickFloat}), √P clamped into the range: the largest L whose amounts at this tick
 * fit `amount0` and `amount1`.
 */
export function getLiquidityForAmountsAtTickFloat(
  tick: number,
  sqrtP: number,
  tickLower: number,
  tickUpper: number,
  sqrtA: number,
  sqrtB: number,
  amount0: number,
  amount1: number,
): number {
  return getLiquidityForAmountsFloat(sqrtForTickSide(tick, sqrtP, tickLower, tickUpper, sqrtA, sqrtB), sqrtA, sqrtB, amount0, amount1);
}

/** One exact-input swap step's result (`SwapMath.computeSwapStep`'s return values, as floats). */
export interface SwapStepFloat {
  sqrtNext: number;
  /** Input taken, fee excluded. */
  amountIn: number;
  amountOut: number;
  /** Fee taken, in the input token. */
  feeAmount: number;
}

/**
 * One exact-input swap step within a single liquidity range, as `SwapMath.computeSwapStep` does it: swap from
 * `sqrtCurrent` toward `sqrtTarget` (token0 in when current ≥ target) with liquidity L until the target is
 * reached or `amountRemaining` (input including the fee; `Infinity` = unlimited, i.e. a swap to a price) is
 * used up. `fee` is a fraction (0.003 = 0.30 %).
 * Fee on input as the contract: reaching the target, fee = amountIn·fee/(1 − fee); stopping short, all of the
 * remaining input not swapped is the fee (= amountRemaining·fee). With L = 0 the step jumps to the target for
 * nothing. Writes into `out` (no allocation).
 */
export function computeSwapStepFloat(
  sqrtCurrent: number,
  sqrtTarget: number,
  liquidity: number,
  amountRemaining: number,
  fee: number,
  out: SwapStepFloat,
): SwapStepFloat {
  const zeroForOne = sqrtCurrent >= sqrtTarget;
  const toTarget = zeroForOne
    ? getAmount0DeltaFloat(sqrtTarget, sqrtCurrent, liquidity)
    : getAmount1DeltaFloat(sqrtCurrent, sqrtTarget, liquidity);
  const lessFee = amountRemaining * (1 - fee);
  if (lessFee >= toTarget) {
    out.sqrtNext = sqrtTarget;
    out.amountIn = toTarget;
    out.feeAmount = fee === 0 ? 0 : (toTarget * fee) / (1 - fee);
  } else {
    const next = getNextSqrtPriceFromInputFloat(sqrtCurrent, liquidity, lessFee, zeroForOne);
    out.sqrtNext = next;
    out.amountIn = lessFee;
    out.feeAmount = amountRemaining - lessFee;
    // Output from the input, not from the difference of two nearly equal sqrt prices (which loses up to
    // half the digits on a small trade): token0 in → Δy = Δx·√P·√P'; token1 in → Δx = Δy/(√P·√P').
    out.amountOut = zeroForOne ? lessFee * sqrtCurrent * next : lessFee / sqrtCurrent / next;
    return out;
  }
  out.amountOut = zeroForOne
    ? getAmount1DeltaFloat(out.sqrtNext, sqrtCurrent, liquidity)
    : getAmount0DeltaFloat(sqrtCurrent, out.sqrtNext, liquidity);
  return out;
}
