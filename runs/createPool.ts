import { poolDepthOf, type BacktestConfig } from './config.ts';
import type { EnginePool } from '../sim/pools/enginePool.ts';
import { ConfigError } from '../sim/core/errors.ts';
import { V2ExactEnginePool } from '../sim/pools/v2/v2ExactEnginePool.ts';
import { V2FloatPool } from '../sim/pools/v2/v2FloatPool.ts';
import { V3ExactEnginePool } from '../sim/pools/v3/v3ExactEnginePool.ts';
import { V3FloatPool } from '../sim/pools/v3/v3FloatPool.ts';
import { defaultTickSpacing, seedBackgroundLiquidity } from '../sim/pools/v3/v3Liquidity.ts';
import { backgroundLiquidity } from './poolLiquidityFile.ts';

/**
 * Builds the pool a backtest runs on, seeded at the first market price with the background liquidity
 * (`poolLiquidity`, quote value, full range, owned by "background" LPs).
 */
export function createEnginePool(config: BacktestConfig, firstPrice: number): EnginePool {
  if (!(poolDepthOf(config) > 0)) {
    throw new ConfigError('--pool-liquidity', `must be > 0: the LP's capital is split through the pool, which needs other liquidity; was ${poolDepthOf(config)}`);
  }
  const base = poolDepthOf(config) / 2 / firstPrice;
  const quote = poolDepthOf(config) / 2;
  if (config.pool === 'v2') {
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
  seedBackgroundLiquidity(pool, backgroundLiquidity({ poolLiquidity: poolDepthOf(config), poolLiquidityFile: config.poolLiquidityFile }, firstPrice, tickSpacing));
  return pool;
}
