/**
 * Warnings about a run's inputs that are valid but probably not what was meant, each one line, deterministic (no
 * wall-clock time, no path but the ones given): a window wider than the data (data/loaders/window.ts), `--divide-by`
 * rows without a match (data/loaders/divideBy.ts), replay fee events that cover less of the run or price it far from
 * the series (runs/feeModels/replayFeeSource.ts), and an entry that cost a visible share of the capital (a shallow or
 * very-high-fee pool). {@link inputWarnings} is the one call runs/backtest.ts makes for them; {@link fractionRateWarning}
 * is shared by the commands that take a yearly rate as a fraction (compare's --staking-apr, apy's --apr / --apy).
 */
import type { PriceSeries } from '../sim/core/series.ts';
import type { PoolEventRow } from '../sim/replay/real/poolEvents.ts';
import { groupThousands } from '../sim/core/format.ts';
import { windowCoverageWarnings } from '../data/loaders/window.ts';
import { divideByWarnings } from '../data/loaders/divideBy.ts';
import { replayCoverageWarnings } from './feeModels/replayFeeSource.ts';
import { mostCommonStep } from '../sim/core/time.ts';
import { formatDuration } from '../data/loaders/seriesTransforms.ts';
import type { BacktestConfig } from './config.ts';

/** The share of the capital the entry may cost (swap fee and price impact, not gas) before a warning. */
export const ENTRY_COST_WARN_SHARE = 0.01;
/**
 * How far the entry may move the pool price before a warning: the arbitrageur moves it back at the next step, at the
 * LP's expense, a loss entryCost does not count (`--pool-liquidity 1`: entry cost 0.7 %, the price ×20,000, the LP
 * ending at 153 of 10,000). A range LP of 10,000 in a 1,000,000 full-range pool moves it ~1.7 %: not warned about.
 */
export const ENTRY_IMPACT_WARN = 0.05;

/** `0.7 %`, `99.98 %`, `1,999,999 %` (a fraction as a percentage, 3–4 significant digits, thousands grouped). */
function pct(x: number): string {
  const p = x * 100;
  const a = Math.abs(p);
  return `${a >= 1000 ? groupThousands(p.toFixed(0)) : a >= 1 ? String(Number(p.toFixed(2))) : String(Number(p.toPrecision(2)))} %`;
}

/** A quote amount for a message: 2 decimals, thousands grouped. */
function amount(x: number): string {
  return groupThousands(x.toFixed(2));
}

/**
 * The entry's cost beyond gas (`entryCost`, quote) above {@link ENTRY_COST_WARN_SHARE} of the capital, or its price
 * move (`entryPriceImpact`) above {@link ENTRY_IMPACT_WARN}: one warning naming the flag to change — `--pool-liquidity` (or the
 * `--pool-liquidity-file`) when the entry moved the price, `--fee` when the fee is 1 % or more or the price barely moved.
 */
export function entryWarnings(c: Pick<BacktestConfig, 'capital' | 'fee' | 'poolLiquidity' | 'poolLiquidityFile'>, entry: { readonly entryCost?: number; readonly entryPriceImpact?: number }): string[] {
  const cost = entry.entryCost ?? 0;
  const impact = entry.entryPriceImpact ?? 0;
  const costly = Number.isFinite(cost) && cost > ENTRY_COST_WARN_SHARE * c.capital;
  const moved = Number.isFinite(impact) && Math.abs(impact) > ENTRY_IMPACT_WARN;
  if (!costly && !moved) return [];
  const hints: string[] = [];
  if (moved) {
    hints.push(
      c.poolLiquidityFile !== undefined
        ? `the pool (--pool-liquidity-file ${c.poolLiquidityFile}) is shallow for --capital ${c.capital}`
        : `the pool is shallow for --capital ${c.capital}; raise --pool-liquidity (${c.poolLiquidity === undefined ? 'default 20,000 × --capital' : `now ${c.poolLiquidity}`})`,
    );
  }
  if (c.fee >= ENTRY_COST_WARN_SHARE || !moved) hints.push(`--fee ${c.fee} takes ${pct(c.fee)} of every swap (a fraction: 0.003 = 0.30 %)`);
  const share = c.capital > 0 ? ` (${pct(cost / c.capital)} of the capital)` : '';
  return [`the entry cost ${amount(cost)}${share}${moved ? ` and moved the pool price ${impact > 0 ? '+' : ''}${pct(impact)}` : ''}: ${hints.join('; ')}`];
}

/**
 * A yearly rate given as a fraction that reads as 100 % a year or more (`--staking-apr 4` is 400 %): the warning,
 * with the fraction that was probably meant; undefined below. `percentOk`: the flag also takes `30%`, which is said.
 */
export function fractionRateWarning(flag: string, value: number, percentOk = false): string | undefined {
  if (!(Math.abs(value) >= 1) || !Number.isFinite(value)) return undefined;
  const typed = String(value);
  const meant = String(Number((value / 100).toPrecision(12)));
  return `${flag} ${typed} is ${pct(value)} a year (the rate is a fraction); for ${typed} % give ${meant}${percentOk ? ` or ${typed}%` : ''}`;
}

/** What {@link inputWarnings} reads of the run's loaded inputs (runs/backtest.ts RunInputs). */
export interface InputWarningSources {
  readonly poolEvents?: readonly PoolEventRow[];
  readonly poolEventsFile?: string;
}

/**
 * The warnings of a run's inputs (module comment), in order: the window, --divide-by, the replay events (with
 * `--fee-model replay` or `all`, when events were loaded), the entry. `entry`: the run's summary metrics.
 */
/** Per timestamp column: the off-grid steps {@link ffillWarnings} found (a sweep's rows share one series). */
const offGridByColumn = new WeakMap<object, readonly string[]>();

/**
 * `--gaps ffill` fills whole missing steps only: rows off the series' grid (hourly candles at :28 after ones at :00)
 * stay, and the run goes on with those uneven steps. Said once, with the first such step and the flag that evens them.
 */
export function ffillWarnings(c: Pick<BacktestConfig, 'gaps' | 'resample'>, series: PriceSeries): readonly string[] {
  if (c.gaps !== 'ffill') return [];
  const ts = series.timestampMs;
  const cached = offGridByColumn.get(ts);
  if (cached !== undefined) return cached;
  const step = mostCommonStep(ts);
  let out: readonly string[] = [];
  if (step !== undefined) {
    let count = 0;
    let first = -1;
    for (let i = 1; i < ts.length; i++) {
      if (ts[i]! - ts[i - 1]! !== step) {
        count++;
        if (first < 0) first = i;
      }
    }
    if (count > 0) {
      const from = new Date(ts[first - 1]!).toISOString();
      const to = new Date(ts[first]!).toISOString();
      out = [`--gaps ffill fills whole missing steps of ${formatDuration(step)} only: ${groupThousands(String(count))} step${count === 1 ? ' is' : 's are'} off that grid and kept as ${count === 1 ? 'it is' : 'they are'} (the first ${formatDuration(ts[first]! - ts[first - 1]!)}, from ${from} to ${to}); --resample ${formatDuration(step)} --gaps ffill puts the rows on an even grid`];
    }
  }
  offGridByColumn.set(ts, out);
  return out;
}

export function inputWarnings(c: BacktestConfig, series: PriceSeries, inputs: InputWarningSources, entry: { readonly entryCost?: number; readonly entryPriceImpact?: number }): string[] {
  const tokens = { decimals0: c.decimals0 ?? 6, decimals1: c.decimals1 ?? 18, priceOf: (c.priceOf as 'token0' | 'token1' | undefined) ?? 'token1' };
  return [
    ...windowCoverageWarnings(series),
    ...ffillWarnings(c, series),
    ...divideByWarnings(series),
    ...((c.feeModel === 'replay' || c.feeModel === 'all') && inputs.poolEvents !== undefined
      ? replayCoverageWarnings(inputs.poolEvents, series, tokens, inputs.poolEventsFile ?? c.feeEvents)
      : []),
    ...entryWarnings(c, entry),
  ];
}
