import type { PriceSeries } from '../sim/core/series.ts';
import { resolveParams } from '../strategies/define.ts';
import { loadStrategyFactory } from '../strategies/registry.ts';
import { createArbitrageur } from '../strategies/trader/arbitrageur.ts';
import { createNoiseTrader } from '../strategies/trader/noise.ts';
import type { LpStrategyFactory, TraderStrategy } from '../sim/engine/strategy.ts';
import { maxDrawdown } from '../sim/metrics/drawdown.ts';
import { returnStats, simpleApr, yearsBetween } from '../sim/metrics/returns.ts';
import { createEnginePool } from './createPool.ts';
import { Rng } from '../sim/core/rng.ts';
import { configForOutput, type BacktestConfig } from './config.ts';
import { runEngine } from '../sim/engine/engine.ts';
import { constantGas, type GasModel } from '../sim/engine/gas.ts';
import { ConfigError } from '../sim/core/errors.ts';
import type { BacktestResult, Summary, Timeseries } from '../sim/metrics/record.ts';

export interface BacktestOptions {
  /** Progress callback (steps done, total), called every 65,536 steps and at the end. */
  readonly onProgress?: (done: number, total: number) => void;
  /** A strategy factory to use instead of resolving `config.strategy` (library use). */
  readonly strategy?: LpStrategyFactory<Record<string, unknown>>;
  /** The gas model (e.g. from data/loaders/gasSeries.ts `loadGasModel`); default: constant `config.gasPrice`. */
  readonly gas?: GasModel;
  /** Arrays to write the timeseries into instead of new ones (see EngineInputs.columns). */
  readonly columns?: Timeseries;
}

/**
 * Runs one backtest of `config` over `series` and computes every summary metric. Deterministic: the result
 * depends only on the config (seed included) and the series.
 */
export async function runBacktest(config: BacktestConfig, series: PriceSeries, options: BacktestOptions = {}): Promise<BacktestResult> {
  const factory = options.strategy ?? (await loadStrategyFactory(config.strategy));
  const given: Record<string, unknown> = { ...config.params };
  const defaults = factory.defaults as Record<string, unknown>;
  // Shared CLI flags feed the strategy's parameters of the same meaning unless given explicitly.
  if ('width' in defaults && given.width === undefined) given.width = config.width;
  if ('delay' in defaults && given.delay === undefined) given.delay = config.rebalanceDelay;
  const strategy = factory.create(resolveParams(factory, given));

  if (options.gas === undefined && (config.gasPriceSeries !== undefined || config.nativePriceSeries !== undefined)) {
    throw new ConfigError(config.gasPriceSeries !== undefined ? '--gas-price-series' : '--native-price-series', 'needs the series loaded into a gas model (loadGasModel); this command does not read it');
  }
  const rng = new Rng(config.seed);
  const pool = createEnginePool(config, series.price[0]!);
  const traders: TraderStrategy[] = [];
  if (config.noiseRate > 0 || config.noiseVolumeShare > 0) {
    traders.push(createNoiseTrader({ rate: config.noiseRate, meanSize: config.noiseSize, volumeShare: config.noiseVolumeShare }));
  }
  if (config.arbitrage) traders.push(createArbitrageur());

  const out = runEngine({
    series,
    pool,
    lp: strategy,
    traders,
    capital: config.capital,
    gas: options.gas ?? constantGas(config.pool, config.gasPrice),
    rng,
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    ...(options.columns === undefined ? {} : { columns: options.columns }),
  });

  const ts = out.timeseries;
  const last = series.length - 1;
  const finalValue = ts.lpValue[last]!;
  const holdValue = ts.holdValue[last]!;
  const years = yearsBetween(series.timestampMs[0]!, series.timestampMs[last]!);
  const arb = out.traders.get('arbitrageur');
  const noise = out.traders.get('noise');
  const { volatility, sharpe } = returnStats(ts.lpValue, ts.timestamp);
  const summary: Summary = {
    initialValue: config.capital,
    finalValue,
    holdValue,
    feesEarned: ts.feesCumulative[last]!,
    impermanentLoss: ts.impermanentLoss[last]!,
    lvr: ts.lvrCumulative[last]!,
    gasCost: ts.gasCumulative[last]!,
    netPnl: finalValue - config.capital,
    vsHold: finalValue - holdValue,
    apr: simpleApr(finalValue - config.capital, config.capital, years),
    feeApr: simpleApr(ts.feesCumulative[last]!, config.capital, years),
    timeInRange: out.inRangeSteps / series.length,
    rebalances: out.rebalances,
    maxDrawdown: maxDrawdown(ts.lpValue),
    volatility,
    sharpe,
    steps: series.length,
    years,
    arbitrageTrades: arb?.trades ?? 0,
    arbitrageVolume: arb?.volume ?? 0,
    noiseTrades: noise?.trades ?? 0,
    noiseVolume: noise?.volume ?? 0,
    seed: config.seed,
    strategyName: factory.name,
    config: configForOutput(config),
    data: series.provenance,
  };
  return { summary, timeseries: ts, events: out.events };
}
