/**
 * ammsim's public library API (package.json `exports` "."). Everything else is internal and may move.
 *
 *   import { backtest, defineStrategy } from 'ammsim';
 *   const { summary } = await backtest({ pool: 'v3', strategy: 'range', width: 0.05 });
 */
export { backtest, runBacktest, loadConfiguredSeries, loadRunInputs, type BacktestInput, type BacktestOptions, type RunInputs } from './runs/backtest.ts';
export { BACKTEST_DEFAULTS, resolveBacktestConfig, type BacktestConfig } from './runs/config.ts';
export { runCompare as compare, type CompareConfig, type CompareResult } from './runs/compare/compare.ts';
export { COMPARE_DEFAULTS, type CompareOptions } from './runs/compare/config.ts';
export { runSweep as sweep, SweepInterrupted, type RunSweepOptions, type SweepOutcome } from './runs/sweep/sweep.ts';
export { Grid, type Axis, type AxisValue } from './runs/sweep/grid.ts';
export { defineStrategy } from './strategies/define.ts';
export { BUILTIN_STRATEGIES, loadStrategy } from './strategies/registry.ts';
export {
  NO_ACTIONS,
  NO_SWAPS,
  type HistoryView,
  type LpAction,
  type LpStrategy,
  type LpStrategyFactory,
  type StrategyContext,
  type SwapIntent,
  type TraderContext,
  type TraderStrategy,
} from './sim/engine/strategy.ts';
export { runEngine, type EngineInputs, type EngineOutput } from './sim/engine/engine.ts';
export type { ExternalFees } from './sim/engine/externalFees.ts';
export type { EnginePool, PositionView, PriceRange, SwapFill } from './sim/pools/enginePool.ts';
export { loadSeries, type LoadSeriesOptions } from './data/loadSeries.ts';
export type { SeriesCache } from './data/io/seriesCache.ts';
export { makeSeries, type PriceSeries, type SeriesProvenance } from './sim/core/series.ts';
export { AmmsimError, ConfigError, InputError, PoolError, StrategyError } from './sim/core/errors.ts';
export { Rng } from './sim/core/rng.ts';
export { TIMESERIES_COLUMNS, type BacktestResult, type Summary, type Timeseries, type LpEvent } from './sim/metrics/record.ts';
export { V2Pair } from './sim/pools/v2/v2Pair.ts';
export { V3Pool } from './sim/pools/v3/v3Pool.ts';
export * as v2Math from './sim/math/v2/constantProduct.ts';
export * as tickMath from './sim/math/v3/tickMath.ts';
export * as sqrtPriceMath from './sim/math/v3/sqrtPriceMath.ts';
export * as swapMath from './sim/math/v3/swapMath.ts';
export * as fullMath from './sim/math/v3/fullMath.ts';
export * as liquidityMath from './sim/math/v3/liquidityMath.ts';
