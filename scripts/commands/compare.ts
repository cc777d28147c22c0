import { readFileSync } from 'node:fs';
import { findNodeAtLocation, parseTree, type Node as JsonNode } from 'jsonc-parser';
import type { Argv } from 'yargs';
import type { AmmsimCommand } from './index.ts';
import { refuseOtherCommandsFolder, removingOutputsOnError, writeFilesAtomic } from '../../data/io/atomicWrite.ts';
import { filesRead, outputsOnFailure, refuseReadingOwnOutputs } from './outputFolder.ts';
import { formatCsvNumber } from '../../data/io/csvNumber.ts';
import { lineAt, stripBom } from '../../data/loaders/jsonText.ts';
import { loadAprSeries, loadLstPriceSeries } from '../../data/loaders/stakingSeries.ts';
import { compareBreakevenLines, compareHoldNote, compareVerdicts } from '../../reports/compare.ts';
import { compareFolderFiles, COMPARE_REPORT_FILES } from '../../reports/compareDir.ts';
import { formatCompareTable, wrapWords } from '../../reports/terminal.ts';
import { runCompare, type CompareResult } from '../../runs/compare/compare.ts';
import { COMPARE_DEFAULTS, COMPARE_KEYS, DEFAULT_STAKING_APR, parseList, RESOLVED_COMPARE_KEYS, resolveCompareOptions, unfoldResolvedCompareConfig } from '../../runs/compare/config.ts';
import { SCENARIO_METHODS } from '../../runs/compare/scenarios.ts';
import { BACKTEST_DEFAULTS, configFileKeys, refuseGasBeforeWithoutSeries, refuseNoiseSizeWithoutRate, resolveBacktestConfig, withoutFedParams, type BacktestConfig } from '../../runs/config.ts';
import { ConfigError } from '../../sim/core/errors.ts';
import { groupThousands } from '../../sim/core/format.ts';
import { COMPOUNDING_MODES } from '../../strategies/staking/compounding.ts';
import { LST_ENTRIES } from '../../strategies/staking/liquidStaking.ts';
import { progressBar } from '../progress.ts';
import { loadConfiguredSeries } from '../../runs/backtest.ts';
import { BACKTEST_FLAGS, COMMAND_FLAGS, INCENTIVE_FLAGS, parseParams, readConfigFileWithLines } from './backtestFlags.ts';
import { CACHE_HELP, cliSeriesCache } from '../seriesCache.ts';

const c = COMPARE_DEFAULTS;

/** The staking and what-if flags of `compare` (no yargs defaults: they live in COMPARE_DEFAULTS). */
export const COMPARE_FLAGS = {
  strategy: { ...BACKTEST_FLAGS.strategy, type: 'string', describe: `${String(BACKTEST_FLAGS.strategy?.describe)}; several, comma-separated, are each an LP alternative` },
  width: { ...BACKTEST_FLAGS.width, type: 'string', describe: 'range strategies: [P0/(1+W), P0*(1+W)]; a comma-separated list (0.05,0.1,0.2) gives one LP alternative per width' },
  'staking-apr': { type: 'number', group: 'Staking:', describe: 'fixed staking APR as a fraction per 365-day year (0.04 = 4 %)', defaultDescription: `${DEFAULT_STAKING_APR} when no --staking-series` },
  'staking-series': { type: 'string', group: 'Staking:', describe: 'historical APR: CSV timestamp,apr or the ETH.STORE daily JSON (read as of each time)' },
  compounding: { type: 'string', group: 'Staking:', choices: COMPOUNDING_MODES, describe: 'none: simple interest; daily: credited at each whole day since the start; continuous: e^(rt)', defaultDescription: c.compounding },
  commission: { type: 'number', group: 'Staking:', describe: 'fraction of rewards the validator / provider keeps', defaultDescription: String(c.commission) },
  'unbonding-days': { type: 'number', group: 'Staking:', describe: 'withdrawal delay: rewards stop this many days before the end so the base is liquid at the end', defaultDescription: String(c.unbondingDays) },
  'lst-series': { type: 'string', group: 'Staking:', describe: 'liquid staking token price in base (CSV timestamp,price, or a long CSV with a pair column); value = base × LST price × price' },
  'lst-pair': { type: 'string', group: 'Staking:', describe: 'pair to read from a long-format --lst-series file, e.g. STETH/ETH' },
  'lst-entry': { type: 'string', group: 'Staking:', choices: LST_ENTRIES, describe: 'par: mint the LST 1:1; market: buy it at the LST price', defaultDescription: c.lstEntry },
  paths: { type: 'number', group: 'What-if:', describe: 'also run every alternative on N seeded price scenarios and report LP − staking (median, 5–95 %)', defaultDescription: String(c.paths) },
  'paths-method': { type: 'string', group: 'What-if:', choices: SCENARIO_METHODS, describe: "gbm: geometric Brownian motion on the run's clock; bootstrap: blocks of the real series' returns", defaultDescription: c.pathsMethod },
  'paths-volatility': { type: 'number', group: 'What-if:', describe: 'GBM annual volatility (0.8 = 80 %)', defaultDescription: "the series' realised volatility" },
  'paths-drift': { type: 'number', group: 'What-if:', describe: 'GBM annual drift of the price', defaultDescription: String(c.pathsDrift) },
  'block-steps': { type: 'number', group: 'What-if:', describe: 'bootstrap block length in steps', defaultDescription: String(c.blockSteps) },
} as const;

export interface ResolvedCompare {
  readonly backtest: BacktestConfig;
  readonly strategies: string[];
  readonly widths: number[] | undefined;
  readonly options: ReturnType<typeof resolveCompareOptions>;
}

/**
 * Resolves a compare run from parsed argv: defaults < --config file < flags, for both the backtest keys
 * (resolveBacktestConfig) and the compare keys (resolveCompareOptions). `strategy` and `width` may be lists. A
 * comparison's summary.json, or its `config` alone, given back as the --config file reruns it: its `strategies`,
 * `widths`, `staking` and `whatIf` read as the flags they came from (runs/compare/config.ts
 * unfoldResolvedCompareConfig), `null` as not given. A backtest's summary.json is read too: its config's keys are
 * the backtest flags compare shares (its LP against hold and staking at their defaults).
 */
export function resolveCompareArgv(argv: Readonly<Record<string, unknown>>): ResolvedCompare {
  const fileName = typeof argv.config === 'string' ? argv.config : '--config';
  // a config file, or a comparison's or a backtest's summary.json (its `config`: the keys are the same)
  const read = typeof argv.config === 'string' ? readConfigFileWithLines(argv.config, ['compare', 'backtest']) : undefined;
  // summary.json's resolved config given back: its strategies, widths, staking and whatIf read as the flags they came from
  const unfolded = read !== undefined ? unfoldResolvedCompareConfig(read.values, configKeyPlace(fileName, read.path)) : { values: {}, places: new Map<string, string>() };
  // an unknown key is refused at its line, and named as the command's flag when it is one
  const commandFlags = (argv as Readonly<Record<symbol, unknown>>)[COMMAND_FLAGS];
  const context = { ...(read === undefined ? {} : { lines: read.lines }), ...(Array.isArray(commandFlags) ? { commandLineFlags: commandFlags.map(String) } : {}) };
  const keys = read !== undefined ? configFileKeys(unfolded.values, [...Object.keys(BACKTEST_DEFAULTS), ...COMPARE_KEYS, ...RESOLVED_COMPARE_KEYS], fileName, context) : {};
  // params.width / params.delay that the file's own width / rebalanceDelay fed (a backtest summary's config), or that
  // a --width (list) / --rebalance-delay flag replaces, are not the file's strategy parameters
  const file = withoutFedParams(keys, (k) => argv[k] !== undefined);
  // where the file gives each compare key (`cfg.json:3: commission`, `cfg.json:41: staking.commission`), for its errors
  const places = new Map(unfolded.places);
  for (const [raw, line] of read?.lines ?? []) {
    const k = raw.replace(/-([a-z0-9])/g, (_, ch: string) => ch.toUpperCase());
    if (!places.has(k)) places.set(k, `${fileName}:${line}: ${raw}`);
  }
  const compareFile: Record<string, unknown> = {};
  const backtestFile: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(file)) {
    if ((COMPARE_KEYS as string[]).includes(k)) compareFile[k] = v;
    else if (k !== 'strategy' && k !== 'width') backtestFile[k] = v;
  }
  // a list from the file is named where the file gives it, one from the command line by its flag
  const listPlace = (key: string, flag: string, fromFlag: boolean): string => (fromFlag ? flag : (places.get(key) ?? flag));
  const strategies = parseDistinctList(listPlace('strategy', '--strategy', argv.strategy !== undefined || file.strategy === undefined), argv.strategy ?? file.strategy ?? BACKTEST_DEFAULTS.strategy, false);
  const params = parseParams(argv.param as string[] | undefined);
  // With no --width, a numeric --param width=W (or a config params.width) is the width the LP runs and is labelled with.
  const paramWidth = { ...((file.params as Record<string, unknown> | undefined) ?? {}), ...params }.width;
  const numericParamWidth = typeof paramWidth === 'number' || (typeof paramWidth === 'string' && paramWidth.trim() !== '' && Number.isFinite(Number(paramWidth)));
  // With none of them, each strategy runs at its own default width (undefined), as in backtest.
  const widthText = argv.width ?? file.width ?? (numericParamWidth ? paramWidth : undefined);
  const widths = widthText === undefined ? undefined : parseDistinctList(listPlace('width', '--width', argv.width !== undefined || file.width === undefined), widthText, true);

  // yargs gives every dashed flag also in camelCase, which is the config key.
  const flags: Record<string, unknown> = {};
  for (const k of Object.keys(BACKTEST_DEFAULTS)) if (k !== 'params' && k !== 'strategy' && k !== 'width' && argv[k] !== undefined) flags[k] = argv[k];
  flags.strategy = strategies[0];
  flags.width = (argv.width ?? file.width) === undefined ? undefined : widths![0];
  if (Object.keys(params).length > 0) flags.params = { ...((file.params as Record<string, unknown> | undefined) ?? {}), ...params };
  // Liquidity mining (INCENTIVE_FLAGS): --incentive is the config's `incentives`, --harvest-param its `harvestParams`.
  if (argv.incentive !== undefined) flags.incentives = argv.incentive;
  const harvestParams = parseParams(argv['harvest-param'] as string[] | undefined, '--harvest-param');
  if (Object.keys(harvestParams).length > 0) flags.harvestParams = { ...((file.harvestParams as Record<string, unknown> | undefined) ?? {}), ...harvestParams };
  const compareFlags: Record<string, unknown> = {};
  for (const k of COMPARE_KEYS) if (argv[k] !== undefined) compareFlags[k] = argv[k];
  for (const [k, v] of Object.entries({ ...flags, ...compareFlags })) {
    if (typeof v === 'number' && Number.isNaN(v)) throw new ConfigError('--' + k.replace(/[A-Z]/g, (ch) => '-' + ch.toLowerCase()), 'must be a number');
  }
  const backtest = resolveBacktestConfig(flags, backtestFile, fileName, read?.lines);
  refuseGasBeforeWithoutSeries(flags, backtestFile, backtest);
  refuseNoiseSizeWithoutRate(flags, backtestFile, backtest);
  return {
    backtest,
    strategies,
    widths,
    options: resolveCompareOptions(compareFlags, compareFile, places),
  };
}

/**
 * parseList (runs/compare/config.ts), refusing a value given twice (`--strategy full-range,full-range`, `--width
 * 0.1,0.10`), as sweep refuses one in an axis: parseList keeps the first and drops the others, so the comparison had
 * one alternative fewer than the list without a word. `place`: the flag, or where the --config file gives the list.
 */
function parseDistinctList(place: string, raw: unknown, numeric: true): number[];
function parseDistinctList(place: string, raw: unknown, numeric: false): string[];
function parseDistinctList(place: string, raw: unknown, numeric: boolean): Array<number | string> {
  const values: Array<number | string> = numeric ? parseList(place, raw, true) : parseList(place, raw, false);
  // the items as parseList splits them: each parses alone (parseList has checked them all)
  const items: unknown[] = Array.isArray(raw) ? raw.flatMap((x) => (typeof x === 'string' ? x.split(',') : [x])) : typeof raw === 'string' ? raw.split(',') : [raw];
  if (items.length === values.length) return values;
  const seen = new Set<number | string>();
  for (const item of items) {
    const v = numeric ? parseList(place, item, true)[0]! : parseList(place, item, false)[0]!;
    if (seen.has(v)) throw new ConfigError(place, `value ${JSON.stringify(v)} appears twice`);
    seen.add(v);
  }
  return values;
}

/**
 * `file:line: key` of a key path of a config file as written (`cfg.json:41: staking.apr`): the line of the innermost
 * key found. `at`: the path of the config object in the file (['config'] in a summary.json), which the key path is
 * under and does not name. The file has been read and parsed already (readConfigFileWithLines); this reads it again
 * for its text.
 */
function configKeyPlace(fileName: string, at: readonly string[] = []): (path: readonly string[]) => string {
  let root: JsonNode | undefined;
  let text: string | undefined;
  return (path) => {
    if (text === undefined) {
      try {
        text = stripBom(readFileSync(fileName, 'utf8'));
        root = parseTree(text);
      } catch {
        text = '';
      }
    }
    let line: number | undefined;
    for (let n = path.length; n > 0 && line === undefined && root !== undefined; n--) {
      const property = findNodeAtLocation(root, [...at, ...path.slice(0, n)])?.parent;
      if (property?.type === 'property') line = lineAt(text, property.offset);
    }
    return `${fileName}${line === undefined ? '' : `:${line}`}: ${path.join('.')}`;
  };
}

function quote(x: unknown): string {
  return typeof x === 'number' && Number.isFinite(x) ? groupThousands(x.toFixed(2)) : '—';
}

/** values.csv: timestamp (ISO UTC), price, one value column per alternative (each LP, hold, staking, hold-staked). */
export function compareValuesCsv(r: CompareResult): string {
  const ts = r.runs[0]!.timeseries;
  const head = ['timestamp', 'price', ...r.alternatives.map((a) => a.id), 'hold', 'staking', 'hold-staked'];
  const lines = [head.join(',')];
  for (let i = 0; i < ts.timestamp.length; i++) {
    const cells = [new Date(ts.timestamp[i]!).toISOString(), formatCsvNumber(ts.price[i]!)];
    for (const run of r.runs) cells.push(formatCsvNumber(run.timeseries.lpValue[i]!));
    cells.push(formatCsvNumber(ts.holdValue[i]!), formatCsvNumber(r.staking.value[i]!), formatCsvNumber(r.holdStaked.value[i]!));
    lines.push(cells.join(','));
  }
  return lines.join('\n') + '\n';
}

/** The files a comparison writes into --out, its marker (summary.json) first: a failed run removes them. */
export const COMPARE_OUTPUTS: readonly string[] = ['summary.json', ...COMPARE_REPORT_FILES, 'values.csv'];

/** The files a comparison writes into --out (`csv`: with values.csv). */
function compareWrites(csv: boolean): string[] {
  return COMPARE_OUTPUTS.filter((n) => csv || n !== 'values.csv');
}

/**
 * The files a comparison removes from --out as obsolete: an earlier run's values.csv is not this one's, nor are files a
 * backtest left without its summary.json (an interrupted one; a backtest's whole folder is refused).
 */
function compareRemoves(csv: boolean): string[] {
  return ['values.csv', 'timeseries.arrow', 'events.json', 'timeseries.csv'].filter((n) => !compareWrites(csv).includes(n));
}

/**
 * The files a failed compare removes from its --out: its outputs, none in another command's folder (which it refuses),
 * none when one of them is a file it reads (scripts/commands/outputFolder.ts).
 */
export function compareOutputsOnFailure(argv: Readonly<Record<string, unknown>>): string[] {
  return outputsOnFailure(argv, 'compare', COMPARE_OUTPUTS);
}

export const compareCommand: AmmsimCommand<object, Record<string, unknown>> = {
  outputsOnFailure: compareOutputsOnFailure,
  command: 'compare',
  describe: 'LP strategy vs hold vs staking on the same capital and series; write summary.json, report.html',
  builder: (y: Argv) =>
    y
      .options(BACKTEST_FLAGS)
      .options(INCENTIVE_FLAGS)
      .options(COMPARE_FLAGS as unknown as Record<string, import('yargs').Options>)
      .options({
        config: { ...BACKTEST_FLAGS.config, describe: "JSON file with the same keys as the flags (camelCase), or a comparison's or a backtest's summary.json (its config: reruns the comparison, or compares the backtest's LP); flags win" },
        out: { type: 'string', group: 'Output:', describe: 'output folder', default: 'out/compare' },
        csv: { type: 'boolean', group: 'Output:', describe: 'also write values.csv (every alternative’s value per step)' },
        json: { type: 'boolean', group: 'Output:', describe: 'print summary.json to stdout instead of the table' },
      })
      .example('$0 compare --staking-apr 0.04', 'full-range v2 LP vs hold vs 4 % staking on the synthetic series')
      .example('$0 compare --prices ../shared/data/eth_usd/binance_spot_ETHUSDT_1h.csv --gaps ffill --from 2021-01-01 --to 2022-08-28 --staking-series ../shared/data/staking/ethstore_mainnet_daily.json', 'real ETH (hourly bars: daily bars understate arbitrage fees) vs the real ETH.STORE APR; --to 2022-08-28 keeps that whole day')
      .example('$0 compare --pool v3 --strategy range --width 0.05,0.1,0.2 --paths 200', 'three ranges vs staking, plus 200 GBM what-if paths')
      .example('$0 compare --incentive uni.json --harvest interval --harvest-param every=1d --harvest-param then=sell --reward-price 2 --gas-price 20', 'LP + liquidity-mining rewards (sold daily) vs hold vs staking, with reward APR, APY and the breakeven reward prices')
      .example('$0 compare --lst-series prices.csv --lst-pair STETH/ETH --commission 0.1', 'stETH (market price, 10 % fee) instead of native staking')
      .epilog(CACHE_HELP),
  handler: async (argv) => {
    const out = String(argv.out);
    // a backtest's or a sweep's folder is refused, and never cleared
    refuseOtherCommandsFolder(out, 'compare');
    // an earlier run's files must not pass for this failed run's result
    const onFailure = compareOutputsOnFailure(argv);
    const r = await removingOutputsOnError(onFailure, async () => resolveCompareArgv(argv));
    // before any work: a file the run reads (named by a flag or the config) that it would write over or remove
    const named: Array<readonly [string, unknown]> = [...Object.entries(r.backtest), ['strategy', r.strategies], ['stakingSeries', r.options.stakingSeries], ['lstSeries', r.options.lstSeries]];
    refuseReadingOwnOutputs(out, 'compare', compareWrites(r.backtest.csv), compareRemoves(r.backtest.csv), filesRead(argv, named));
    await removingOutputsOnError(onFailure, () => compareHandler(argv, r));
  },
};

async function compareHandler(argv: Record<string, unknown>, r: ResolvedCompare): Promise<void> {
  const aprSeries = r.options.stakingSeries === undefined ? undefined : loadAprSeries(r.options.stakingSeries);
  const lstSeries = r.options.lstSeries === undefined ? undefined : loadLstPriceSeries(r.options.lstSeries, r.options.lstPair);
  // --from/--to are the backtest's (runs/config.ts, data/loaders/window.ts): applied by the loader before the gap check;
  // --fee-model replay on a pool-events file steps through its events, as in backtest (runs/backtest.ts)
  const series = await loadConfiguredSeries(r.backtest, cliSeriesCache());
  const bar = progressBar('compare', process.stderr, 'runs');
  let result: CompareResult;
  try {
    result = await runCompare({ ...r, aprSeries, lstSeries }, series, bar.onProgress === undefined ? {} : { onProgress: bar.onProgress });
  } finally {
    bar.done();
  }
  for (const w of result.summary.warnings as string[]) process.stderr.write(`warning: ${w}\n`);
  const json = JSON.stringify(result.summary, null, 2) + '\n';
  // report.html and what `ammsim report` rebuilds it from (series.arrow, lp-events.json)
  const files: Array<[string, string | Uint8Array]> = compareFolderFiles(result);
  if (r.backtest.csv) files.push(['values.csv', compareValuesCsv(result)]);
  files.push(['summary.json', json]);
  // an earlier run's CSV is not this one's, nor files an interrupted backtest left without its summary.json
  writeFilesAtomic(String(argv.out), files, 'summary.json', compareRemoves(r.backtest.csv));
  if (argv.json === true) {
    process.stdout.write(json);
    return;
  }
  const ids = (result.summary.alternatives as string[]).slice();
  const entries = ids.map((id) => ({ name: id, metrics: result.summary[id] as Record<string, unknown> }));
  const color = process.stdout.isTTY === true && process.env.NO_COLOR === undefined;
  const lines = compareBreakevenLines(result);
  const w = result.summary.whatIf as { paths: number; method: string; lpMinusStaking: Record<string, { p5: number; median: number; p95: number }> } | null;
  if (w !== null) for (const a of result.alternatives) lines.push(`${a.id}: over ${w.paths} ${w.method} paths, LP − staking median ${quote(w.lpMinusStaking[a.id]!.median)} (5–95 %: ${quote(w.lpMinusStaking[a.id]!.p5)} … ${quote(w.lpMinusStaking[a.id]!.p95)})`);
  const holdNote = compareHoldNote(result);
  if (holdNote !== undefined) lines.push(`note: ${holdNote}`);
  for (const n of result.summary.notes as string[]) lines.push(`note: ${n}`);
  const verdicts = compareVerdicts(result).flatMap((v) => wrapWords(`${v}.`, 80));
  process.stdout.write(verdicts.join('\n') + '\n' + formatCompareTable(entries, { color }) + lines.join('\n') + `\nwrote ${String(argv.out)}/ (summary.json, ${COMPARE_REPORT_FILES.join(', ')}${r.backtest.csv ? ', values.csv' : ''})\n`);
}
