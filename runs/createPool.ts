import { DEFAULT_DEPTH_PER_CAPITAL, poolDepthOf, type BacktestConfig } from './config.ts';
import type { EnginePool } from '../sim/pools/enginePool.ts';
import { ConfigError } from '../sim/core/errors.ts';
import { groupThousands } from '../sim/core/format.ts';
import type { PriceSeries } from '../sim/core/series.ts';
import { findPriceOutside, fmt, tickOverMaxLiquidity, V2_EXACT_RESERVES, V2_FLOAT_MAX_STEP, V2_FLOAT_RESERVES, V3_PRICE_BOUNDS, v2PriceBounds, v2QuoteReserves, type PriceBounds, type PriceViolation } from '../sim/pools/priceRange.ts';
import { V2ExactEnginePool } from '../sim/pools/v2/v2ExactEnginePool.ts';
import { V2FloatPool } from '../sim/pools/v2/v2FloatPool.ts';
import { V3ExactEnginePool } from '../sim/pools/v3/v3ExactEnginePool.ts';
import { V3FloatPool } from '../sim/pools/v3/v3FloatPool.ts';
import { defaultTickSpacing, seedBackgroundLiquidity, usableTicks, valuePerLiquidity, type BackgroundPosition } from '../sim/pools/v3/v3Liquidity.ts';
import { backgroundLiquidity } from './poolLiquidityFile.ts';

/**
 * Builds the pool a backtest runs on, seeded at the first market price with the background liquidity
 * (`poolLiquidity`, quote value, full range, owned by "background" LPs). A depth the pool cannot hold is refused
 * first, naming the flags ({@link refuseDepthThePoolCannotHold}; the exact pools' uint112 reserves, the exact v3
 * pool's maxLiquidityPerTick), rather than as the contract's revert. The series' prices are checked by the run
 * ({@link priceThePoolCannotHold}), which knows their rows.
 */
export function createEnginePool(config: BacktestConfig, firstPrice: number): EnginePool {
  refuseDepthThePoolCannotHold(config);
  const base = poolDepthOf(config) / 2 / firstPrice;
  const quote = poolDepthOf(config) / 2;
  if (config.pool === 'v2') {
    if (config.exact) refuseV2ExactFirstMint(config, firstPrice);
    return config.exact ? new V2ExactEnginePool(config.fee, base, quote) : new V2FloatPool(config.fee, base, quote);
  }
  return createV3EnginePool(config, firstPrice);
}

/**
 * The v3 pool of a backtest: {@link V3FloatPool} by default, {@link V3ExactEnginePool} (bigint V3Pool) with
 * `--exact`. Tick spacing from `--tick-spacing` or the fee tier; background liquidity from
 * `--pool-liquidity-file` or, by default, full range worth `--pool-liquidity` quote at the first price
 * (sim/pools/v3Liquidity.ts), owned by 'background'.
 */
function createV3EnginePool(config: BacktestConfig, firstPrice: number): EnginePool {
  const tickSpacing = config.tickSpacing ?? defaultTickSpacing(config.fee);
  const pool = config.exact ? new V3ExactEnginePool(config.fee, tickSpacing, firstPrice) : new V3FloatPool(config.fee, tickSpacing, firstPrice);
  const plan = backgroundLiquidity({ poolLiquidity: poolDepthOf(config), poolLiquidityFile: config.poolLiquidityFile }, firstPrice, tickSpacing);
  refuseV3BackgroundPastFloats(config, plan, firstPrice);
  if (config.exact) refuseV3ExactTickLiquidity(config, plan, firstPrice, tickSpacing);
  seedBackgroundLiquidity(pool, plan);
  return pool;
}

/** `--pool-liquidity, default 20,000 × capital = 2e+8` or `--pool-liquidity 2e+8`: where the depth came from. */
function depthText(config: BacktestConfig): string {
  const d = poolDepthOf(config);
  return config.poolLiquidity === undefined ? `--pool-liquidity, default ${groupThousands(String(DEFAULT_DEPTH_PER_CAPITAL))} × capital = ${fmt(d)}` : `--pool-liquidity ${fmt(d)}`;
}

/**
 * What to give instead, for an amount that grows with `depth + capital` and is `ratio` (> 1) times its limit: the
 * largest --capital (the default depth follows it) or --pool-liquidity at which it would fit.
 */
function largestDepth(config: BacktestConfig, ratio: number): string {
  const total = poolDepthOf(config) + config.capital;
  const depth = (total / ratio) * 0.999 - config.capital;
  const depthHint = depth > 0 ? `--pool-liquidity at most ${fmt(depth)}` : "a smaller --capital (the LP's capital alone is over it)";
  if (config.poolLiquidity === undefined) return `--capital at most ${fmt((config.capital / ratio) * 0.999)}${depth > 0 ? `, or ${depthHint}` : ''}`;
  return depthHint;
}

/** The flag that sets the depth: --pool-liquidity when given, else --capital (the default depth follows it). */
function depthFlag(config: BacktestConfig): string {
  return config.poolLiquidity === undefined ? '--capital' : '--pool-liquidity';
}

/**
 * A depth no price makes fit, refused naming the flags: a v2 pool's quote reserve at the start (half the depth, plus
 * the LP's capital) within the pair's uint112 with `--exact` (5.192e15 tokens at 18 decimals), within the float
 * maths' 1e±150 tokens without. (The v3 pools' limits depend on the first price: {@link createEnginePool}.)
 */
export function refuseDepthThePoolCannotHold(config: BacktestConfig): void {
  if (!(poolDepthOf(config) > 0)) {
    throw new ConfigError('--pool-liquidity', `must be > 0: the LP's capital is split through the pool, which needs other liquidity; was ${poolDepthOf(config)}`);
  }
  if (config.pool !== 'v2') return;
  const lim = config.exact ? V2_EXACT_RESERVES : V2_FLOAT_RESERVES;
  const { high, low } = v2QuoteReserves({ exact: config.exact, firstPrice: 1, depth: poolDepthOf(config), capital: config.capital });
  const holds = config.exact ? "must fit the pair's uint112" : 'must stay within what the float v2 maths can square';
  if (high > lim.max) {
    const unit = config.exact ? ' (2^112 − 1 wei)' : '';
    throw new ConfigError(depthFlag(config), `${config.exact ? 'with --exact, ' : ''}the pool's reserves (${depthText(config)}, half of it in quote, and the LP's capital: ${fmt(high)} quote) ${holds}: at most ${fmt(lim.max)} tokens${unit}; give ${largestDepth(config, high / lim.max)}`);
  }
  // the float pool's row-to-row limit applies to the LP's own entry too: half the capital swapped into the
  // background's quote moves its price ×((depth + capital) / depth)²
  const grow = (poolDepthOf(config) + config.capital) / poolDepthOf(config);
  const entryMove = grow * grow;
  if (!config.exact && !(entryMove <= V2_FLOAT_MAX_STEP)) {
    throw new ConfigError('--pool-liquidity', `${fmt(poolDepthOf(config))} is too shallow for --capital ${fmt(config.capital)} on a float v2 pool: the LP's entry swap (half its capital into the pool) would move the price ×${fmt(entryMove)}, more than the ${fmt(V2_FLOAT_MAX_STEP)}× its float maths follows; give --pool-liquidity at least ${fmt((config.capital / (Math.sqrt(V2_FLOAT_MAX_STEP) - 1)) * 1.001)}, or --exact`);
  }
  if (low < lim.min) {
    throw new ConfigError(depthFlag(config), `${config.exact ? 'with --exact, ' : ''}the pool's reserves (${depthText(config)}, half of it in quote: ${fmt(low)}) ${holds}: at least ${config.exact ? '1 wei (1e-18 tokens)' : `${fmt(lim.min)} tokens`}; give a larger ${config.poolLiquidity === undefined ? '--capital' : '--pool-liquidity'}`);
  }
}

/**
 * The exact pair's first mint (the background's) locks MINIMUM_LIQUIDITY (1,000 wei of √(base·quote)) and reverts
 * below it: refused naming the flags, with the first price that sets the base reserve.
 */
function refuseV2ExactFirstMint(config: BacktestConfig, firstPrice: number): void {
  const { low } = v2QuoteReserves({ exact: true, firstPrice, depth: poolDepthOf(config), capital: config.capital });
  const rootWei = (low / Math.sqrt(firstPrice)) * 1e18;
  if (rootWei > 1000 || !(firstPrice > 0)) return;
  throw new ConfigError(depthFlag(config), `with --exact, the pair's first mint locks 1,000 wei of √(base·quote) (MINIMUM_LIQUIDITY), so the background must hold more: ${depthText(config)} at the first price ${fmt(firstPrice)} holds ${fmt(rootWei)} wei; give a larger ${config.poolLiquidity === undefined ? '--capital' : '--pool-liquidity'}`);
}

/**
 * The exact v3 pool refuses (`LO`) a mint that takes a tick's gross liquidity past maxLiquidityPerTick (uint128 over
 * the number of usable ticks): checked for the background plan and the LP's capital as a full-range position at the
 * first price, before any mint, naming the flags.
 */
function refuseV3ExactTickLiquidity(config: BacktestConfig, plan: readonly BackgroundPosition[], firstPrice: number, tickSpacing: number): void {
  const { minTick, maxTick } = usableTicks(tickSpacing);
  const lp = { tickLower: minTick, tickUpper: maxTick, liquidity: config.capital / valuePerLiquidity(firstPrice, minTick, maxTick) };
  const over = tickOverMaxLiquidity([...plan, lp], tickSpacing);
  if (over === undefined) return;
  const ratio = Number(over.liquidityRaw) / Number(over.maxRaw);
  const head = `with --exact, the liquidity on a tick must fit the v3 pool's maxLiquidityPerTick (${fmt(Number(over.maxRaw))} raw for tick spacing ${tickSpacing})`;
  if (config.poolLiquidityFile !== undefined) {
    throw new ConfigError('--pool-liquidity-file', `${head}: the file's positions bounded at tick ${over.tick} (with the LP's capital as one full-range position) would put ${fmt(Number(over.liquidityRaw))} raw there, at the first price ${fmt(firstPrice)}; make them smaller`);
  }
  throw new ConfigError(depthFlag(config), `${head}: the background (${depthText(config)}, full range) and the LP's capital at the first price ${fmt(firstPrice)} would put ${fmt(Number(over.liquidityRaw))} raw on tick ${over.tick}; give ${largestDepth(config, ratio)}`);
}

/**
 * A background position whose liquidity is not a finite float > 0 (a huge --pool-liquidity at a tiny first price
 * makes L = value / (2·√P) overflow; a tiny one underflows to 0): refused naming the flag, not as a mint of `Infinity`.
 */
function refuseV3BackgroundPastFloats(config: BacktestConfig, plan: readonly BackgroundPosition[], firstPrice: number): void {
  // the exact pool mints ⌊L·10^18⌋ raw: below one raw unit it would mint nothing (a bare require reverts)
  const least = config.exact ? 1e-18 : 0;
  const i = plan.findIndex((p) => !(p.liquidity > least && p.liquidity < Infinity));
  if (i < 0) return;
  const L = plan[i]!.liquidity;
  const what = config.poolLiquidityFile === undefined ? `the background (${depthText(config)}, full range)` : `positions[${i}] of the file`;
  const flag = config.poolLiquidityFile === undefined ? depthFlag(config) : '--pool-liquidity-file';
  const why = L > least ? 'past the largest float' : config.exact ? 'less than one raw unit (1e-18), which the exact pool cannot mint' : 'below the smallest float';
  throw new ConfigError(flag, `${what} at the first price ${fmt(firstPrice)} would be v3 liquidity L = ${L}, ${why}; give a ${L > least ? 'smaller' : 'larger'} ${flag === '--pool-liquidity-file' ? 'position' : flag}`);
}

/** The prices the configured pool can hold over a run that starts at `firstPrice` (sim/pools/priceRange.ts). */
export function poolPriceBounds(config: BacktestConfig, firstPrice: number): PriceBounds {
  if (config.pool === 'v3') return V3_PRICE_BOUNDS;
  return v2PriceBounds({ exact: config.exact, firstPrice, depth: poolDepthOf(config), capital: config.capital });
}

/**
 * The first row of `series` the configured pool cannot hold (outside its price range, or for the float v2 pool a
 * row-to-row move it cannot follow), with the bounds that refuse it; undefined when every row fits. One pass over the
 * price column, before the run (never in its step loop).
 */
export function priceThePoolCannotHold(config: BacktestConfig, series: PriceSeries): { violation: PriceViolation; bounds: PriceBounds } | undefined {
  const bounds = poolPriceBounds(config, series.price[0]!);
  const violation = findPriceOutside(series.price, bounds);
  return violation === undefined ? undefined : { violation, bounds };
}
