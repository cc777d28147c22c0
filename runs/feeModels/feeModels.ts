/**
 * `--fee-model all`: the same LP position priced by the three fee models side by side, so a user sees how
 * much the choice matters:
 * - `arbitrage`: what the backtest itself earned from ammsim's simulated traders (arbitrageur, noise);
 * - `volume`: {@link volumeFees} over the series' observed volume;
 * - `replay`: {@link replayFees} over the pool's real swap events.
 * The position is the backtest's first one: its range (full range when the strategy has none) and the
 * run's capital at the first price, on the real pool's ticks. A model whose input is missing is reported as
 * unavailable (with the reason) instead of failing the run.
 */
import type { PriceSeries } from '../../sim/core/series.ts';
import type { BacktestConfig } from '../config.ts';
import type { BacktestResult } from '../../sim/metrics/record.ts';
import { AmmsimError, ConfigError } from '../../sim/core/errors.ts';
import type { PoolEventRow } from '../../sim/replay/real/poolEvents.ts';
import { defaultTickSpacingOfFeePips } from '../../sim/replay/real/replayEvents.ts';
import { realPosition, type PoolTokens, type RealPosition } from './position.ts';
import { replayFees } from './replayFees.ts';
import { volumeFees, type FeeModelResult } from './volumeFees.ts';

export interface Unavailable {
  readonly model: 'volume' | 'replay';
  readonly unavailable: string;
}

export interface FeeModelsSummary {
  readonly position: { readonly tickLower: number; readonly tickUpper: number; readonly liquidity: number; readonly capital: number; readonly price: number };
  readonly arbitrage: FeeModelResult;
  readonly volume: FeeModelResult | Unavailable;
  readonly replay: FeeModelResult | Unavailable;
  /** Over the available models: the smallest and largest fees, and their ratio. */
  readonly spread: { readonly min: number; readonly max: number; readonly maxOverMin: number };
  readonly note: string;
}

export interface FeeModelInputs {
  readonly config: BacktestConfig;
  readonly result: BacktestResult;
  readonly series: PriceSeries;
  /** The pool's events for the replay model (undefined: unavailable). */
  readonly events?: readonly PoolEventRow[];
  readonly tokens?: PoolTokens;
}

/** The LP position the volume and replay models price: the backtest's first range and its capital. */
export function positionOf(inp: FeeModelInputs): RealPosition {
  const ts = inp.result.timeseries;
  const lo = ts.rangeLower[0]!;
  const hi = ts.rangeUpper[0]!;
  const feePips = Math.round(inp.config.fee * 1e6);
  return realPosition({
    range: Number.isFinite(lo) && Number.isFinite(hi) ? { lower: lo, upper: hi } : null,
    capital: inp.config.capital,
    price: inp.series.price[0]!,
    tickSpacing: inp.config.tickSpacing ?? defaultTickSpacingOfFeePips(feePips),
    ...(inp.tokens === undefined ? {} : { tokens: inp.tokens }),
  });
}

/** The replay window: the series' first timestamp to the end of its last bar (unix seconds, inclusive). */
function windowOf(series: PriceSeries): { fromSec: number; toSec: number } {
  const t = series.timestampMs;
  const n = series.length;
  const bar = n > 1 ? t[n - 1]! - t[n - 2]! : 0;
  return { fromSec: Math.floor(t[0]! / 1000), toSec: Math.floor((t[n - 1]! + bar) / 1000) - (bar > 0 ? 1 : 0) };
}

function attempt<T extends FeeModelResult>(model: 'volume' | 'replay', f: () => T): T | Unavailable {
  try {
    return f();
  } catch (err) {
    if (err instanceof AmmsimError) return { model, unavailable: err.message };
    throw err;
  }
}

/** Runs the volume model (throws ConfigError when the series has no volume columns). */
export function runVolumeModel(inp: FeeModelInputs, pos: RealPosition = positionOf(inp)): FeeModelResult {
  return volumeFees(inp.series, pos, inp.config.fee, inp.tokens);
}

/** Runs the replay model (throws ConfigError when no events were given). */
export function runReplayModel(inp: FeeModelInputs, pos: RealPosition = positionOf(inp)): FeeModelResult {
  if (inp.events === undefined) throw new ConfigError('--fee-events', 'the replay fee model needs the pool-events CSV (--fee-events FILE, or --prices FILE.pool_events.csv)');
  const feePips = Math.round(inp.config.fee * 1e6);
  return replayFees(inp.events, pos, {
    feePips,
    tickSpacing: inp.config.tickSpacing ?? defaultTickSpacingOfFeePips(feePips),
    ...windowOf(inp.series),
    ...(inp.tokens === undefined ? {} : { tokens: inp.tokens }),
  });
}

/** All three models for the backtest's position (see the module comment). */
export function computeFeeModels(inp: FeeModelInputs): FeeModelsSummary {
  const pos = positionOf(inp);
  const s = inp.result.summary;
  const arbitrage: FeeModelResult = {
    model: 'arbitrage',
    feesEarned: s.feesEarned,
    fees0Raw: null,
    fees1Raw: null,
    steps: s.steps,
    stepsInRange: Math.round(s.timeInRange * s.steps),
  };
  const volume = attempt('volume', () => runVolumeModel(inp, pos));
  const replay = attempt('replay', () => runReplayModel(inp, pos));
  const fees = [arbitrage, volume, replay].flatMap((m) => ('feesEarned' in m ? [m.feesEarned] : []));
  const min = Math.min(...fees);
  const max = Math.max(...fees);
  return {
    position: { tickLower: pos.tickLower, tickUpper: pos.tickUpper, liquidity: pos.liquidity, capital: pos.capital, price: pos.price },
    arbitrage,
    volume,
    replay,
    spread: { min, max, maxOverMin: min > 0 ? max / min : max > 0 ? Infinity : 1 },
    note:
      s.rebalances > 0
        ? `the strategy rebalanced ${s.rebalances} times; volume and replay price only its first position, held to the end`
        : 'the same position under each model; arbitrage is the backtest itself',
  };
}
