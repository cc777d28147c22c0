import type { BacktestConfig } from '../engine/config.ts';
import type { EnginePool } from '../engine/enginePool.ts';
import { ConfigError } from '../errors.ts';
import { V2ExactEnginePool } from './v2ExactEnginePool.ts';
import { V2FloatPool } from './v2FloatPool.ts';

/**
 * Builds the pool a backtest runs on, seeded at the first market price with the background liquidity
 * (`poolLiquidity`, quote value, full range, owned by "background" LPs).
 */
export function createEnginePool(config: BacktestConfig, firstPrice: number): EnginePool {
  if (!(config.poolLiquidity > 0)) {
    throw new ConfigError('--pool-liquidity', `must be > 0: the LP's capital is split through the pool, which needs other liquidity; was ${config.poolLiquidity}`);
  }
  const base = config.poolLiquidity / 2 / firstPrice;
  const quote = config.poolLiquidity / 2;
  if (config.pool === 'v2') {
    return config.exact ? new V2ExactEnginePool(config.fee, base, quote) : new V2FloatPool(config.fee, base, quote);
  }
  throw new ConfigError('--pool', 'v3 backtests are not yet supported in this build');
}
