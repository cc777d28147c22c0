import { tickSpacingOfFee } from '../../math/v3/feeTiers.ts';
import { usableTicks } from '../../math/v3/usableTicks.ts';
import type { PriceRange } from '../enginePool.ts';
import { ConfigError, didYouMean, InputError } from '../../core/errors.ts';
import {
  getAmountsForLiquidityAtTickFloat,
  getAmountsForLiquidityFloat,
  getSqrtRatioAtTickFloat,
  getTickAtPriceCeilFloat,
  getTickAtPriceFloat,
} from '../../math/v3/float.ts';

/**
 * # Background liquidity for v3 backtests
 *
 * The other LPs of a simulated v3 pool, minted before the run under the owner name {@link BACKGROUND_OWNER}.
 * Two sources:
 * - default: one full-range position worth `poolLiquidity` quote at the first price (as the v2 pool's
 *   reserves), so v2 and v3 runs with the same flags start from the same depth at P0;
 * - `--pool-liquidity-file FILE.json`: a distribution, replacing the default entirely. Format:
 *
 *   ```json
 *   { "positions": [
 *       { "lower": 1500, "upper": 2500, "valueQuote": 200000 },
 *       { "tickLower": -887220, "tickUpper": 887220, "liquidity": 12000 },
 *       { "fullRange": true, "valueQuote": 500000 }
 *   ] }
 *   ```
 *   Each position gives its range in exactly one way — `lower`/`upper` prices (quote per base, snapped outward
 *   to the tick spacing like a strategy's range), `tickLower`/`tickUpper` (multiples of the spacing), or
 *   `"fullRange": true` — and its size in exactly one way — `valueQuote` (its value in quote at the first price
 *   of the series) or `liquidity` (v3 L in human units: √(base·quote); raw L = L·10^18 in the exact pool).
 *   Any other key, a missing or non-positive number, or a bad range is an InputError naming the file and the
 *   field (e.g. `positions[2].upper`).
 *
 * Everything here is pure: the file is read by runs/poolLiquidityFile.ts, which hands its text to {@link parseLiquidityFile}.
 */

/** Owner name of the background positions in both v3 engine pools. */
export const BACKGROUND_OWNER = 'background';

/** One background position: ticks on the spacing and liquidity L in human units. */
export interface BackgroundPosition {
  readonly tickLower: number;
  readonly tickUpper: number;
  readonly liquidity: number;
  /** True when the range is the full usable range (reported as `range: null`). */
  readonly fullRange: boolean;
}

/** What both v3 engine pools offer to be seeded. */
export interface BackgroundLiquidityTarget {
  mintLiquidity(owner: string, tickLower: number, tickUpper: number, liquidity: number, fullRange?: boolean): number;
}

/** The fee tier's standard tick spacing, for a fee as a fraction (0.003 → 60); see sim/math/v3/feeTiers.ts. */
export function defaultTickSpacing(fee: number): number {
  return tickSpacingOfFee(Math.round(fee * 1e6));
}

export { usableTicks };

/**
 * The ticks of a price range snapped OUTWARD to the spacing: lower tick floored, upper ceiled (a price within
 * 1e-9 ticks of a tick counts as on it, so snapping is idempotent), clamped to the usable ticks; a range
 * narrower than one spacing widens to one. `null` = full range.
 */
export function rangeToTicks(range: PriceRange | null, tickSpacing: number): { tickLower: number; tickUpper: number } {
  const { minTick, maxTick } = usableTicks(tickSpacing);
  if (range === null) return { tickLower: minTick, tickUpper: maxTick };
  if (!(range.lower > 0 && range.upper > range.lower && Number.isFinite(range.upper))) {
    throw new ConfigError('range', `must satisfy 0 < lower < upper < ∞; was [${range.lower}, ${range.upper}]`);
  }
  let lo = Math.floor(getTickAtPriceFloat(range.lower) / tickSpacing) * tickSpacing;
  let hi = Math.ceil(getTickAtPriceCeilFloat(range.upper) / tickSpacing) * tickSpacing;
  if (lo < minTick) lo = minTick;
  if (hi > maxTick) hi = maxTick;
  if (hi <= lo) {
    if (lo + tickSpacing <= maxTick) hi = lo + tickSpacing;
    else lo = hi - tickSpacing;
  }
  return { tickLower: lo + 0, tickUpper: hi + 0 };
}

/**
 * Value in quote, at `price`, of one unit of liquidity over [tickLower, tickUpper): x·P + y with
 * x = 1/√P − 1/√Pb, y = √P − √Pa for P inside (whitepaper eq. 6.29–6.30), all x below, all y above.
 */
export function valuePerLiquidity(price: number, tickLower: number, tickUpper: number): number {
  const a = getAmountsForLiquidityFloat(Math.sqrt(price), getSqrtRatioAtTickFloat(tickLower), getSqrtRatioAtTickFloat(tickUpper), 1);
  return a.amount0 * price + a.amount1;
}

/** Specification of one background position, before it is sized (see the module doc for the file format). */
export interface BackgroundSpec {
  readonly range: PriceRange | null | { readonly tickLower: number; readonly tickUpper: number };
  readonly valueQuote?: number;
  readonly liquidity?: number;
}

/**
 * Sizes background specs at the first price: ticks snapped to the spacing, L from `liquidity` or from
 * `valueQuote` / {@link valuePerLiquidity}.
 */
export function planBackgroundLiquidity(specs: readonly BackgroundSpec[], firstPrice: number, tickSpacing: number): BackgroundPosition[] {
  const { minTick, maxTick } = usableTicks(tickSpacing);
  return specs.map((spec) => {
    const r = spec.range;
    const ticks = r !== null && 'tickLower' in r ? r : rangeToTicks(r, tickSpacing);
    const L = spec.liquidity ?? (spec.valueQuote ?? 0) / valuePerLiquidity(firstPrice, ticks.tickLower, ticks.tickUpper);
    return { tickLower: ticks.tickLower, tickUpper: ticks.tickUpper, liquidity: L, fullRange: ticks.tickLower === minTick && ticks.tickUpper === maxTick };
  });
}

/** The default background: one full-range position worth `poolLiquidity` quote at `firstPrice`. */
export function fullRangeBackground(poolLiquidity: number, firstPrice: number, tickSpacing: number): BackgroundPosition[] {
  if (!(poolLiquidity > 0)) throw new ConfigError('--pool-liquidity', `must be > 0; was ${poolLiquidity}`);
  return planBackgroundLiquidity([{ range: null, valueQuote: poolLiquidity }], firstPrice, tickSpacing);
}

/** Mints every planned position into `pool` as {@link BACKGROUND_OWNER}; returns their position ids. */
export function seedBackgroundLiquidity(pool: BackgroundLiquidityTarget, plan: readonly BackgroundPosition[]): number[] {
  return plan.map((p) => pool.mintLiquidity(BACKGROUND_OWNER, p.tickLower, p.tickUpper, p.liquidity, p.fullRange));
}

const ENTRY_KEYS = ['lower', 'upper', 'tickLower', 'tickUpper', 'fullRange', 'valueQuote', 'liquidity'] as const;

/** Parses and validates the text of a distribution file; `file` names it in errors. */
export function parseLiquidityFile(text: string, file: string, tickSpacing: number): BackgroundSpec[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    throw new InputError(file, jsonErrorLine(msg, text), undefined, `not valid JSON: ${msg}`, { cause: e });
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new InputError(file, undefined, undefined, 'must be a JSON object { "positions": [...] }');
  }
  for (const k of Object.keys(doc)) {
    if (k !== 'positions') throw new InputError(file, undefined, k, `unknown key${didYouMean(k, ['positions'])}`);
  }
  const positions = (doc as { positions?: unknown }).positions;
  if (!Array.isArray(positions) || positions.length === 0) {
    throw new InputError(file, undefined, 'positions', `must be a non-empty array of positions; was ${JSON.stringify(positions) ?? 'missing'}`);
  }
  const { minTick, maxTick } = usableTicks(tickSpacing);
  return positions.map((entry: unknown, i): BackgroundSpec => {
    const at = `positions[${i}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw new InputError(file, undefined, at, `must be an object; was ${JSON.stringify(entry)}`);
    const o = entry as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      if (!(ENTRY_KEYS as readonly string[]).includes(k)) throw new InputError(file, undefined, `${at}.${k}`, `unknown key${didYouMean(k, ENTRY_KEYS)}`);
    }
    const positive = (k: string): number => {
      const v = o[k];
      if (typeof v !== 'number' || !Number.isFinite(v) || !(v > 0)) throw new InputError(file, undefined, `${at}.${k}`, `must be a finite number > 0; was ${JSON.stringify(v)}`);
      return v;
    };
    const has = (k: string): boolean => o[k] !== undefined;
    const ways = [has('lower') || has('upper'), has('tickLower') || has('tickUpper'), has('fullRange')].filter(Boolean).length;
    if (ways !== 1) {
      throw new InputError(file, undefined, at, `must give its range in exactly one way: "lower"/"upper" prices, "tickLower"/"tickUpper", or "fullRange": true; found ${ways}`);
    }
    let range: BackgroundSpec['range'];
    if (has('fullRange')) {
      if (o.fullRange !== true) throw new InputError(file, undefined, `${at}.fullRange`, `must be true; was ${JSON.stringify(o.fullRange)}`);
      range = null;
    } else if (has('lower') || has('upper')) {
      const lower = positive('lower');
      const upper = positive('upper');
      if (!(upper > lower)) throw new InputError(file, undefined, `${at}.upper`, `must be above lower (${lower}); was ${upper}`);
      range = { lower, upper };
    } else {
      const tick = (k: string): number => {
        const v = o[k];
        if (typeof v !== 'number' || !Number.isInteger(v) || v % tickSpacing !== 0 || v < minTick || v > maxTick) {
          throw new InputError(file, undefined, `${at}.${k}`, `must be an integer multiple of the tick spacing ${tickSpacing} in [${minTick}, ${maxTick}]; was ${JSON.stringify(v)}`);
        }
        return v + 0;
      };
      const tickLower = tick('tickLower');
      const tickUpper = tick('tickUpper');
      if (!(tickUpper > tickLower)) throw new InputError(file, undefined, `${at}.tickUpper`, `must be above tickLower (${tickLower}); was ${tickUpper}`);
      range = { tickLower, tickUpper };
    }
    if (has('valueQuote') === has('liquidity')) {
      throw new InputError(file, undefined, at, 'must give its size as exactly one of "valueQuote" (quote at the first price) or "liquidity" (v3 L)');
    }
    return has('valueQuote') ? { range, valueQuote: positive('valueQuote') } : { range, liquidity: positive('liquidity') };
  });
}

/** The 1-based line of a JSON.parse error, from "(line N column M)" or "at position N" in its message. */
function jsonErrorLine(message: string, text: string): number | undefined {
  const byLine = /line (\d+) column \d+/.exec(message);
  if (byLine !== null) return Number(byLine[1]);
  const byPos = /at position (\d+)/.exec(message);
  if (byPos !== null) return text.slice(0, Number(byPos[1])).split('\n').length;
  return undefined;
}

/**
 * Share of value a position over [tickLower, tickUpper) holds in base at sqrt price `sqrtP` with current tick
 * `tick`: x·P/(x·P + y) per unit L, the side decided by the tick as the contract's mint does (below the range:
 * 1, all base; at or above the upper tick: 0, all quote). Both v3 engine pools' `baseValueShare`.
 */
export function baseValueShareAt(sqrtP: number, tick: number, tickLower: number, tickUpper: number): number {
  if (tick < tickLower) return 1;
  if (tick >= tickUpper) return 0;
  const sa = getSqrtRatioAtTickFloat(tickLower);
  const sb = getSqrtRatioAtTickFloat(tickUpper);
  const a = getAmountsForLiquidityAtTickFloat(tick, sqrtP, tickLower, tickUpper, sa, sb, 1, { amount0: 0, amount1: 0 });
  const s = sqrtP < sa ? sa : sqrtP > sb ? sb : sqrtP;
  const x = a.amount0 * s * s;
  const y = a.amount1;
  return x + y > 0 ? x / (x + y) : 0.5;
}

/** {@link baseValueShareAt} at a price (quote per base) rather than a pool state: √P and the tick of P. */
export function baseValueShareAtPrice(price: number, tickLower: number, tickUpper: number): number {
  return baseValueShareAt(Math.sqrt(price), getTickAtPriceFloat(price), tickLower, tickUpper);
}
