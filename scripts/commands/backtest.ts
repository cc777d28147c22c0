import type { Argv, CommandModule } from 'yargs';
import { loadSeries } from '../../data/loadSeries.ts';
import { writeFilesAtomic } from '../../data/io/atomicWrite.ts';
import { timeseriesToCsv, writeTimeseriesArrow } from '../../data/io/timeseriesFile.ts';
import { buildReportFromRun } from '../../reports/html.ts';
import { formatSummaryTable, shouldUseColor } from '../../reports/terminal.ts';
import { runBacktest } from '../../sim/engine/backtest.ts';
import type { BacktestConfig } from '../../sim/engine/config.ts';
import type { BacktestResult } from '../../sim/engine/result.ts';
import { progressBar } from '../progress.ts';
import { BACKTEST_FLAGS, configFromArgv, seriesOptions } from './backtestFlags.ts';

/** Serialises a summary with a stable key order (construction order) and 2-space indentation. */
export function summaryJson(summary: unknown): string {
  return JSON.stringify(summary, null, 2) + '\n';
}

/** The files a backtest writes into --out, in a fixed order (summary.json is renamed into place last). */
export function backtestOutputFiles(result: BacktestResult, csv: boolean): Array<[string, string | Uint8Array]> {
  const files: Array<[string, string | Uint8Array]> = [
    ['timeseries.arrow', writeTimeseriesArrow(result.timeseries)],
    ['events.json', JSON.stringify(result.events, null, 1) + '\n'],
    ['report.html', buildReportFromRun({ summary: result.summary, timeseries: result.timeseries, events: result.events })],
  ];
  if (csv) files.push(['timeseries.csv', timeseriesToCsv(result.timeseries)]);
  files.push(['summary.json', summaryJson(result.summary)]);
  return files;
}

/** Loads the configured series and runs the backtest, with a progress bar on a terminal. */
export async function runConfiguredBacktest(config: BacktestConfig): Promise<BacktestResult> {
  const series = await loadSeries(config.prices, seriesOptions(config));
  const bar = progressBar('backtest');
  try {
    return await runBacktest(config, series, bar.onProgress === undefined ? {} : { onProgress: bar.onProgress });
  } finally {
    bar.done();
  }
}

export const backtestCommand: CommandModule<object, Record<string, unknown>> = {
  command: 'backtest',
  describe: 'run one LP strategy over a price series; write summary.json, timeseries.arrow, report.html',
  builder: (y: Argv) =>
    y
      .options(BACKTEST_FLAGS)
      .options({
        out: { type: 'string', group: 'Output:', describe: 'output folder', default: 'out/backtest' },
        csv: { type: 'boolean', group: 'Output:', describe: 'also write timeseries.csv (slow for millions of rows)' },
        json: { type: 'boolean', group: 'Output:', describe: 'print summary.json to stdout instead of the table' },
      })
      .example('$0 backtest', 'full-range v2 LP on the built-in synthetic series → out/backtest/')
      .example('$0 backtest --prices ../shared/data/eth_usd/binance_spot_ETHUSDT_1h.csv --fee 0.003 --out out/eth', 'a real ETH/USDT hourly series')
      .example('$0 backtest --pool v3 --strategy rebalance --width 0.05 --gas-price 20', 'a re-centred ±5 % v3 range paying 20 gwei gas')
      .example('$0 backtest --strategy ./my-strategy.ts --param threshold=0.02', 'your own strategy module'),
  handler: async (argv) => {
    const config = configFromArgv(argv);
    const result = await runConfiguredBacktest(config);
    writeFilesAtomic(String(argv.out), backtestOutputFiles(result, config.csv));
    if (argv.json === true) process.stdout.write(summaryJson(result.summary));
    else process.stdout.write(formatSummaryTable(result.summary, { color: shouldUseColor(process.stdout, process.env) }) + `\nwrote ${String(argv.out)}/ (summary.json, timeseries.arrow, events.json, report.html${config.csv ? ', timeseries.csv' : ''})\n`);
  },
};
