import type { Argv } from 'yargs';
import type { AmmsimCommand } from './index.ts';
import { refuseOtherCommandsFolder, removingOutputsOnError, StagedOutput } from '../../data/io/atomicWrite.ts';
import { filesRead, outputsOnFailure, refuseReadingOwnOutputs } from './outputFolder.ts';
import { timeseriesArrowChunks } from '../../reports/timeseriesFile.ts';
import { timeseriesToCsv } from '../../reports/timeseriesCsv.ts';
import { buildReportBytesFromRun } from '../../reports/html.ts';
import { formatSummaryTable, shouldUseColor } from '../../reports/terminal.ts';
import { loadConfiguredSeries, loadRunInputs, runBacktest } from '../../runs/backtest.ts';
import type { BacktestConfig } from '../../runs/config.ts';
import type { BacktestResult } from '../../sim/metrics/record.ts';
import { progressBar } from '../progress.ts';
import { phaseTimer, type PhaseTimer } from '../timing.ts';
import { BACKTEST_FLAGS, configFromArgv, INCENTIVE_FLAGS } from './backtestFlags.ts';
import { CACHE_HELP, cliSeriesCache } from '../seriesCache.ts';

/** The files a backtest writes into --out, its marker (summary.json) first: a failed run removes them. */
export const BACKTEST_OUTPUTS: readonly string[] = ['summary.json', 'report.html', 'timeseries.arrow', 'events.json', 'timeseries.csv'];

/** The files a backtest writes into --out (`csv`: with timeseries.csv). */
export function backtestWrites(csv: boolean): string[] {
  return BACKTEST_OUTPUTS.filter((n) => csv || n !== 'timeseries.csv');
}

/** The files a backtest removes from --out as obsolete: an earlier run's CSV is not this one's (nor a compare's values.csv). */
export function backtestRemoves(csv: boolean): string[] {
  return ['timeseries.csv', 'values.csv'].filter((n) => !backtestWrites(csv).includes(n));
}

/** Serialises a summary with a stable key order (construction order) and 2-space indentation. */
export function summaryJson(summary: unknown): string {
  return JSON.stringify(summary, null, 2) + '\n';
}

/**
 * Writes a backtest's files into `dir`, all or nothing (data/io/atomicWrite.ts StagedOutput): each file starts
 * going to disk in the background as soon as it is made, so the Arrow file is written while the report is
 * built; summary.json is renamed into place last.
 */
export async function writeBacktestOutputs(dir: string, result: BacktestResult, csv: boolean, timer?: PhaseTimer): Promise<void> {
  const out = new StagedOutput(dir);
  try {
    out.add('timeseries.arrow', await timeseriesArrowChunks(result.timeseries));
    out.add('events.json', JSON.stringify(result.events, null, 1) + '\n');
    timer?.mark('arrow');
    out.add('report.html', buildReportBytesFromRun({ summary: result.summary, timeseries: result.timeseries, events: result.events }));
    timer?.mark('report');
    if (csv) out.add('timeseries.csv', timeseriesToCsv(result.timeseries));
    out.add('summary.json', summaryJson(result.summary));
  } catch (err) {
    await out.abort();
    throw err;
  }
  // an earlier run's CSV is not this one's, nor a compare's values.csv left in the same folder
  await out.commit('summary.json', backtestRemoves(csv));
  timer?.mark('write');
}

/** Loads the configured series and run inputs and runs the backtest, with a progress bar on a terminal. */
export async function runConfiguredBacktest(config: BacktestConfig, timer?: PhaseTimer): Promise<BacktestResult> {
  const series = await loadConfiguredSeries(config, cliSeriesCache());
  const inputs = await loadRunInputs(config, series);
  timer?.mark('load');
  const bar = progressBar('backtest');
  let result: BacktestResult;
  try {
    result = await runBacktest(config, series, { ...inputs, ...(bar.onProgress === undefined ? {} : { onProgress: bar.onProgress }) });
  } finally {
    bar.done();
  }
  timer?.mark('run');
  for (const w of result.summary.warnings ?? []) process.stderr.write(`warning: ${w}\n`);
  return result;
}

/** A small table of the fee models (stdout). */
export function formatFeeModels(f: Readonly<Record<string, unknown>>): string {
  // the replay model counts the pool's logged swaps, the others the run's steps: each row says which
  const lines = ['fee model    fees earned (quote)   in range'];
  for (const k of ['arbitrage', 'volume', 'replay']) {
    const m = f[k] as { feesEarned?: number; steps?: number; stepsInRange?: number; unavailable?: string } | undefined;
    if (m === undefined) continue;
    if (m.unavailable !== undefined) lines.push(`${k.padEnd(12)} unavailable: ${m.unavailable}`);
    else lines.push(`${k.padEnd(12)} ${(m.feesEarned ?? NaN).toFixed(2).padStart(19)}   ${m.stepsInRange ?? ''}${m.steps === undefined ? '' : ` / ${m.steps} ${k === 'replay' ? 'swaps' : 'steps'}`}`);
  }
  const sp = f.spread as { maxOverMin?: number } | undefined;
  if (sp?.maxOverMin !== undefined) lines.push(`max / min    ${Number.isFinite(sp.maxOverMin) ? sp.maxOverMin.toFixed(3) : '∞'}`);
  return lines.join('\n') + '\n';
}

/**
 * The files a failed backtest removes from its --out: its outputs, none in another command's folder (which it refuses),
 * none when one of them is a file it reads (scripts/commands/outputFolder.ts).
 */
export function backtestOutputsOnFailure(argv: Readonly<Record<string, unknown>>): string[] {
  return outputsOnFailure(argv, 'backtest', BACKTEST_OUTPUTS);
}

export const backtestCommand: AmmsimCommand<object, Record<string, unknown>> = {
  outputsOnFailure: backtestOutputsOnFailure,
  command: 'backtest',
  describe: 'run one LP strategy over a price series; write summary.json, timeseries.arrow, report.html',
  builder: (y: Argv) =>
    y
      .options(BACKTEST_FLAGS)
      .options(INCENTIVE_FLAGS)
      .options({
        out: { type: 'string', group: 'Output:', describe: 'output folder', default: 'out/backtest' },
        csv: { type: 'boolean', group: 'Output:', describe: 'also write timeseries.csv (slow for millions of rows)' },
        json: { type: 'boolean', group: 'Output:', describe: 'print summary.json to stdout instead of the table' },
      })
      .example('$0 backtest', 'full-range v2 LP on the built-in synthetic series → out/backtest/')
      .example('$0 backtest --prices ../shared/data/eth_usd/binance_spot_ETHUSDT_1h.csv --gaps skip --fee 0.003 --out out/eth', 'a real ETH/USDT hourly series (it has gaps: --gaps skip accepts them)')
      .example('$0 backtest --pool v3 --strategy rebalance --width 0.05 --gas-price 20', 'a re-centred ±5 % v3 range paying 20 gwei gas')
      .example('$0 backtest --strategy ./my-strategy.ts --param threshold=0.02', 'your own strategy module')
      .epilog('Environment: AMMSIM_TIMING=1 prints where the run\'s time went (load, run, arrow, report, write) on stderr; NO_COLOR=1 turns colour off. ' + CACHE_HELP),
  handler: async (argv) => {
    const timer = phaseTimer();
    const out = String(argv.out);
    // a compare's or a sweep's folder is refused, and never cleared
    refuseOtherCommandsFolder(out, 'backtest');
    const onFailure = backtestOutputsOnFailure(argv);
    const config = await removingOutputsOnError(onFailure, async () => configFromArgv(argv, {}, true));
    // before any work: a file the run reads (named by a flag or the config) that it would write over or remove
    refuseReadingOwnOutputs(out, 'backtest', backtestWrites(config.csv), backtestRemoves(config.csv), filesRead(argv, Object.entries(config)));
    const result = await removingOutputsOnError(onFailure, async () => {
      const result = await runConfiguredBacktest(config, timer);
      await writeBacktestOutputs(out, result, config.csv, timer);
      return result;
    });
    if (argv.json === true) process.stdout.write(summaryJson(result.summary));
    else {
      const fm = (result.summary as unknown as { feeModels?: Record<string, unknown> }).feeModels;
      if (fm !== undefined) process.stdout.write(formatFeeModels(fm));
      process.stdout.write(formatSummaryTable(result.summary, { color: shouldUseColor(process.stdout, process.env) }) + `\nwrote ${String(argv.out)}/ (summary.json, timeseries.arrow, events.json, report.html${config.csv ? ', timeseries.csv' : ''})\n`);
    }
    timer.report();
  },
};
