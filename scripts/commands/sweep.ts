import type { AmmsimCommand } from './index.ts';
import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { phaseTimer } from '../timing.ts';
import { refuseOtherCommandsFolder, writeFilesAtomic } from '../../data/io/atomicWrite.ts';
import { filesRead, refuseReadingOwnOutputs } from './outputFolder.ts';
import { ConfigError } from '../../sim/core/errors.ts';
import { axisFlag, axisName, AXIS_KINDS, Grid, PARAM_GROUPS, paramAxis, parseAxisText, readGridFile, type Axis, type AxisValue } from '../../runs/sweep/grid.ts';
import { BACKTEST_DEFAULTS, type BacktestConfig } from '../../runs/config.ts';
import { canonicalJournal } from '../../runs/sweep/journal.ts';
import { checkMergeOut, mergeShards } from '../../runs/sweep/merge.ts';
import { sweepMetrics } from '../../runs/sweep/metrics.ts';
import { formatMetric } from '../../reports/metrics.ts';
import { groupThousands } from '../../sim/core/format.ts';
import { metricInfoOf } from '../../sim/metrics/index.ts';
import { sweepCsv, sweepJson, tableRows, type SweepReportSettings } from '../../runs/sweep/outputs.ts';
import { defaultWorkers } from '../../runs/sweep/pool.ts';
import { JOURNAL_FILE, loadSweepSeries, parseShard, refuseFeeModelAll, runSweep, SweepInterrupted, type Shard, type SweepOutcome } from '../../runs/sweep/sweep.ts';
import { bestWord, rankSign, renderSweepReport, type SweepMeta } from '../../reports/sweep/report.ts';
import { readSweepArrow, writeSweepArrow } from '../../reports/sweep/sweepFile.ts';
import { progressBar } from '../progress.ts';
import { BACKTEST_FLAGS, configFromArgv, INCENTIVE_FLAGS, readConfigFileWithLines } from './backtestFlags.ts';
import { refuseGapsOnEventSteps, refuseNoiseVolumeWithoutVolume, refuseWhatEveryRunFails } from '../../runs/backtest.ts';
import type { SweepBase } from '../../runs/sweep/worker.ts';
import { reportSettings, SWEEP_REPORT_FLAGS } from './sweepReportFlags.ts';
import { CACHE_HELP, cliSeriesCache } from '../seriesCache.ts';

/** Backtest flags that can be axes (read as text so that they can hold lists and ranges). */
const ALL_FLAGS: Readonly<Record<string, object>> = { ...BACKTEST_FLAGS, ...INCENTIVE_FLAGS };
const AXIS_FLAGS = Object.keys(ALL_FLAGS).filter((f) => {
  const key = f.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  return AXIS_KINDS[key] !== undefined;
});

const SWEEP_FLAGS = {
  grid: { type: 'string', group: 'Sweep:', describe: 'JSON file of axes in column order, e.g. {"width": "0.01:0.5:0.01", "fee": [0.0005, 0.003], "params.stop": [0.1, 0.2]}' },
  samples: { type: 'number', group: 'Sweep:', describe: 'random search: run N distinct configurations drawn from the grid (kept in grid order)' },
  'sample-seed': { type: 'number', group: 'Sweep:', describe: 'seed of --samples', defaultDescription: 'the --seed value' },
  workers: { type: 'number', group: 'Sweep:', describe: 'worker threads', defaultDescription: 'the available cores' },
  restart: { type: 'boolean', group: 'Sweep:', describe: 'discard the results in --out (of this or another grid) instead of resuming' },
  shard: { type: 'string', group: 'Sweep:', describe: 'run only configurations k with k mod n = i (i/n, 0-based); join the shards with `ammsim sweep merge`' },
  ...SWEEP_REPORT_FLAGS,
  out: { type: 'string', group: 'Output:', describe: 'output folder: results.jsonl (resume journal), sweep.csv, sweep.arrow, sweep.json, report.html', default: 'out/sweep' },
} as const;

/** --out must be a folder (or not exist yet), and not one holding a backtest's or a comparison's outputs (summary.json). */
function checkOut(out: string): void {
  if (existsSync(out) && !statSync(out).isDirectory()) throw new ConfigError('--out', `${out} exists and is not a folder`);
  refuseOtherCommandsFolder(out, 'sweep');
}

/** The files a sweep (or a merge) writes into --out: every one of them for a whole grid, the journal and sweep.json for a shard. */
const SWEEP_OUTPUTS: readonly string[] = ['sweep.json', 'report.html', 'sweep.csv', 'sweep.arrow', JOURNAL_FILE];

/**
 * The axes in the order their flags are given (yargs keeps the command line's order in argv's keys; every
 * `--param` takes the place of the first one, a --grid file's axes the place of --grid), and argv with the
 * single-valued flags as plain values for the base config.
 */
export function axesFromArgv(argv: Readonly<Record<string, unknown>>): { axes: Axis[]; fixed: Record<string, unknown> } {
  const axes: Axis[] = [];
  const fixed: Record<string, unknown> = { ...argv };
  let fromFile: readonly Axis[] = [];
  for (const flag of Object.keys(argv)) {
    if (flag === 'grid' && argv.grid !== undefined) {
      fromFile = readGridFile(String(argv.grid));
      axes.push(...fromFile);
    } else if (PARAM_GROUPS.some(([, f]) => f === flag)) {
      // --param / --harvest-param key=v1,v2 (or key=start:stop:step) is an axis; key=value stays in the base
      const group = PARAM_GROUPS.find(([, f]) => f === flag)![0];
      const keep: string[] = [];
      const given = new Map<string, string>();
      for (const item of (argv[flag] as unknown[] | undefined) ?? []) {
        const text = String(item);
        const eq = text.indexOf('=');
        if (eq <= 0) throw new ConfigError(`--${flag}`, `must be key=value (a list: key=v1,v2; a range: key=start:stop:step); was ${JSON.stringify(text)}`);
        const key = text.slice(0, eq);
        if (given.has(key)) throw new ConfigError(`--${flag}`, `${key} is given twice (${given.get(key)!}, ${text}); give each parameter once, with all its values (${key}=v1,v2)`);
        given.set(key, text);
        const value = text.slice(eq + 1);
        if (value.includes(',') || /^[^:]+:[^:]+:[^:]+$/.test(value)) {
          const name = axisName(`${group}.${text.slice(0, eq)}`, `--${flag}`);
          axes.push({ name, values: parseAxisText(name, value, `--${flag} ${text.slice(0, eq)}`) });
        } else keep.push(text);
      }
      fixed[flag] = keep;
    } else if (AXIS_FLAGS.includes(flag) && argv[flag] !== undefined) {
      const name = axisName(flag, `--${flag}`);
      const kind = AXIS_KINDS[name];
      const raw = argv[flag];
      if (typeof raw === 'boolean') {
        fixed[flag] = raw; // --no-arbitrage
        continue;
      }
      const text = kind === 'boolean' && raw === '' ? 'true' : String(raw);
      const values: AxisValue[] = parseAxisText(name, text, `--${flag}`);
      if (values.length > 1 || (kind === 'number' && text.includes(':'))) {
        axes.push({ name, values });
        delete fixed[flag]; // the base config keeps its default; every row sets the axis
      } else fixed[flag] = values[0];
    }
  }
  // a grid file's axis and a single value of the same flag or parameter: the axis would win without a word
  for (const a of fromFile) {
    const p = paramAxis(a.name);
    const flag = p === undefined ? axisFlag(a.name) : `--${PARAM_GROUPS.find(([k]) => k === p[0])![1]}`;
    const single = p === undefined
      ? [fixed[a.name], fixed[flag.slice(2)]].find((v) => v !== undefined)
      : ((fixed[flag.slice(2)] as unknown[] | undefined) ?? []).map(String).find((t) => t.slice(0, t.indexOf('=')) === p[1]);
    if (single !== undefined) {
      throw new ConfigError(p === undefined ? flag : `${flag} ${p[1]}`, `${String(single)} is given beside the grid file ${String(argv.grid)}, whose ${a.name} axis sets it for every row; give it in one place`);
    }
  }
  return { axes, fixed };
}

/** Rows {@link sweepBaseOf} tries at most (see {@link probeRows}): the whole of a smaller grid, the first rows of a larger one. */
const BASE_PROBE_ROWS = 100_000;

/**
 * The sweep's base config: the fixed flags, every axis at its default (each row sets it). A rule between a fixed
 * flag and an axis (`--noise-size 5000` needs `--noise-rate` > 0; `--tick-spacing` needs `--pool v3`) cannot
 * hold for the base alone when the axis supplies the value it needs (`--noise-rate 1,2`, `--pool v2,v3`): then
 * the rows decide, a row that breaks the rule getting an error row like any failed configuration, and the sweep is
 * refused only when no configuration of the grid resolves (see {@link sweepBaseOf}).
 */
export function sweepBase(fixed: Readonly<Record<string, unknown>>, axes: readonly Axis[]): BacktestConfig {
  const base = sweepBaseOf(fixed, axes);
  // `csv` (a --config key only: sweep has no --csv) asks for a backtest's timeseries.csv, which a sweep never writes
  if (base.csv) {
    const file = String(fixed.config);
    const read = readConfigFileWithLines(file);
    const line = read.lines.get('csv');
    // a backtest's summary.json says what that backtest wrote: its config is edited, not left out
    const fix = read.summary === undefined ? 'leave it out' : "set it to false in the summary's config";
    throw new ConfigError(line === undefined ? file : `${file}:${line}: csv`, `writes a backtest's timeseries.csv (compare's values.csv); a sweep writes sweep.csv and sweep.arrow whatever it says: ${fix}`);
  }
  return base;
}

/**
 * {@link sweepBase} before its `csv` check. The base config when it resolves; else one from a row that does (the
 * axes back at their defaults). A row resolves when its config does, with the rules of its liquidity mining that read
 * no file (runs/config.ts: a built-in harvest policy's parameters, --reward-pool-liquidity where nothing is sold,
 * --reward-price-start beside a constant price), so the axes probed are the flags' and the harvest parameters'
 * (`--harvest-param every=0,-1d`); a strategy parameter's axis is left to the rows. Refused only when no configuration
 * of the grid resolves: every row of
 * {@link probeRows} tried (the whole grid, whatever the order of the axes and of their values) and failed, with the
 * base's error, else the first row's, and the first row that fails on another error besides. A grid larger than
 * {@link BASE_PROBE_ROWS} is tried in part: its untried rows may run, so it is never refused for the rows tried,
 * unless the base fails too (there is then nothing to run the rows from), with a message that says so.
 */
function sweepBaseOf(fixed: Readonly<Record<string, unknown>>, axes: readonly Axis[]): BacktestConfig {
  // `--noise-size` needs `--noise-rate` > 0 (as in backtest): in the base unless an axis gives the rate, in every row
  const rateAxis = axes.some((a) => a.name === 'noiseRate');
  let base: BacktestConfig | undefined;
  let baseError: ConfigError | undefined;
  try {
    // the axes' keys win over the --config file as flags do (a --width axis over its params.width)
    base = configFromArgv(fixed, {}, !rateAxis, axes.map((a) => a.name));
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    baseError = err;
  }
  const plain = axes.filter((a) => paramAxis(a.name) === undefined);
  // a harvest parameter's axis too: the rules of a run's mining read the policy's parameters (every=0 is no interval,
  // then=hold sells nothing through --reward-pool-liquidity); a strategy's parameters are checked with its module
  const harvest = axes.filter((a) => paramAxis(a.name)?.[0] === 'harvestParams');
  const probed = [...plain, ...harvest];
  if (probed.length === 0) {
    if (base === undefined) throw baseError!;
    return base;
  }
  const rowOf = (overrides: Readonly<Record<string, unknown>>): string => probed.map((a) => `${a.name}=${String(overrides[a.name])}`).join(' ');
  // a row's argv: its harvest parameters as --harvest-param key=value beside the fixed ones, as the rows set them
  const argvOf = (overrides: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> =>
    harvest.length === 0 ? fixed : { ...fixed, 'harvest-param': [...((fixed['harvest-param'] as unknown[] | undefined) ?? []), ...harvest.map((a) => `${paramAxis(a.name)![1]}=${String(overrides[a.name])}`)] };
  // the error a refusal quotes (the base's, else the first row's), and the rows that fail on another
  let first: { row: string; error: ConfigError } | undefined;
  let otherwise: { row: string; error: ConfigError } | undefined;
  let otherwiseCount = 0;
  let tried = 0;
  for (const overrides of probeRows(probed)) {
    tried++;
    let row: BacktestConfig;
    try {
      row = configFromArgv(argvOf(overrides), Object.fromEntries(plain.map((a) => [a.name, overrides[a.name]])), true);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      first ??= { row: rowOf(overrides), error: err };
      if (err.message !== (baseError ?? first.error).message) {
        otherwiseCount++;
        otherwise ??= { row: rowOf(overrides), error: err };
      }
      continue;
    }
    if (base !== undefined) return base;
    const fromRow: Record<string, unknown> = { ...row };
    for (const a of plain) fromRow[a.name] = (BACKTEST_DEFAULTS as unknown as Record<string, unknown>)[a.name];
    if (harvest.length > 0) {
      const params: Record<string, unknown> = { ...row.harvestParams };
      for (const a of harvest) delete params[paramAxis(a.name)![1]];
      fromRow.harvestParams = params;
    }
    return fromRow as unknown as BacktestConfig;
  }
  const quoted = baseError ?? first!.error;
  const problem = quoted.message.slice(quoted.flag.length + 2);
  const total = probed.reduce((n, a) => n * a.values.length, 1);
  if (tried < total) {
    // some configurations were not tried: they decide (a row that breaks a rule gets an error row)
    if (base !== undefined) return base;
    // …but with no configuration that resolves there is no base to run them from
    throw new ConfigError(quoted.flag, `${problem}; nor does any of the first ${groupThousands(String(tried))} of the sweep's ${groupThousands(String(total))} configurations resolve, and the others were not tried (they may): sweep fewer values, or flags that resolve with every axis at its default`);
  }
  // every configuration was tried and fails: the same error for all of them is the sweep's
  if (otherwise === undefined) throw quoted;
  const where = baseError === undefined ? ` (${first!.row})` : '';
  throw new ConfigError(quoted.flag, `${problem}${where}; no configuration of the sweep runs (all ${groupThousands(String(total))} tried), ${groupThousands(String(otherwiseCount))} of them on another error, first ${otherwise.row}: ${otherwise.error.message}`);
}

/**
 * The values of an axis in the order {@link probeRows} tries them, at most `limit` of them: first its first two,
 * middle and two last values, and 0 and false when it holds them (where the rules between flags change: a rate of 0
 * trades nothing, a gas price of 0 costs nothing), then the others in order. Every value, so a long axis is probed
 * whole when the grid is small enough.
 */
function probeValues(values: readonly AxisValue[], limit: number): AxisValue[] {
  const n = values.length;
  const at = new Set([0, 1, Math.floor(n / 2), n - 2, n - 1].filter((i) => i >= 0 && i < n));
  for (const special of [0, false] as const) if (values.indexOf(special) >= 0) at.add(values.indexOf(special));
  const order = [...at].sort((a, b) => a - b);
  for (let i = 0; i < n && order.length < limit; i++) if (!at.has(i)) order.push(i);
  return order.slice(0, limit).map((i) => values[i]!);
}

/**
 * The rows {@link sweepBaseOf} tries, as config overrides: the whole grid (every value of every axis, in the order of
 * {@link probeValues}), the axes with the fewest values varying fastest (ties by name), the first
 * {@link BASE_PROBE_ROWS} rows of a larger one. The order the axes are given in changes neither the rows tried nor
 * the decision (`--pool v2,v3 --fee 0.0001:0.1001:0.0001` tries both pools with every fee, as `--fee … --pool v2,v3`
 * does).
 */
function* probeRows(axes: readonly Axis[]): Generator<Record<string, unknown>> {
  const sorted = [...axes].sort((a, b) => b.values.length - a.values.length || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  // a row k < BASE_PROBE_ROWS never reaches an axis's value BASE_PROBE_ROWS or later
  const probed = sorted.map((a) => ({ name: a.name, n: a.values.length, values: probeValues(a.values, BASE_PROBE_ROWS) }));
  let total = 1;
  for (const a of probed) total *= a.n;
  for (let k = 0; k < Math.min(total, BASE_PROBE_ROWS); k++) {
    const row: Record<string, unknown> = {};
    let rest = k;
    for (let i = probed.length - 1; i >= 0; i--) {
      const a = probed[i]!;
      row[a.name] = a.values[rest % a.n];
      rest = Math.floor(rest / a.n);
    }
    yield row;
  }
}

/**
 * Writes a sweep's folder: everything for a whole grid, the journal and sweep.json for a shard. `journalWritten`:
 * the folder's results.jsonl already holds the canonical journal (runSweep rewrites it in grid order when it
 * completes), so it is not built and written a second time.
 */
export function writeSweepDir(out: string, outcome: SweepOutcome, shard: Shard | undefined, report: SweepReportSettings, journalWritten = false): void {
  const journal: Array<[string, string]> = journalWritten ? [] : [[JOURNAL_FILE, canonicalJournal(outcome.header, outcome.rows)]];
  const metrics = outcome.header.metrics;
  const json = sweepJson(outcome, metrics, shard, outcome.rows, report);
  if (shard !== undefined) {
    writeFilesAtomic(out, [...journal, ['sweep.json', json]], 'sweep.json');
    return;
  }
  const names = outcome.grid.axes.map((a) => a.name);
  const rows = tableRows(outcome.grid, outcome.rows);
  const arrow = writeSweepArrow({ axes: names, metrics, rows });
  // the report is drawn from the files as written, exactly as `ammsim report --run DIR` reads them back
  const html = renderSweepReport(JSON.parse(json) as SweepMeta, readSweepArrow(arrow, names, metrics));
  writeFilesAtomic(out, [...journal, ['sweep.csv', sweepCsv(names, metrics, rows, outcome.metricsCsv)], ['sweep.arrow', arrow], ['report.html', html], ['sweep.json', json]], 'sweep.json');
}

function closingLines(outcome: SweepOutcome, out: string, shard: Shard | undefined, report: SweepReportSettings): string {
  const lines: string[] = [];
  const what = shard === undefined ? `${out}/sweep.csv` : `${out} (shard ${shard.index}/${shard.count}; join with ammsim sweep merge)`;
  lines.push(`${outcome.rows.length} run${outcome.rows.length === 1 ? '' : 's'}${outcome.resumed > 0 ? ` (${outcome.resumed} resumed)` : ''} → ${what}`);
  const mi = outcome.header.metrics.indexOf(report.metric);
  // the best row: the highest value, or the lowest where lower is better (maxDrawdown, gasCost, lvr…); "highest" for a metric that is neither
  const sign = rankSign(report.metric);
  let best: (typeof outcome.rows)[number] | undefined;
  for (const r of outcome.rows) {
    const v = r.metrics?.[mi];
    if (v !== undefined && !Number.isNaN(v) && (best === undefined || sign * v > sign * best.metrics![mi]!)) best = r;
  }
  if (best !== undefined && outcome.grid.axes.length > 0) lines.push(`${bestWord(report.metric)} ${report.metric}: ${outcome.grid.describe(best.k)} (${report.metric} ${formatMetric(best.metrics![mi]!, metricInfoOf(report.metric)?.format ?? 'quote')})`);
  const warned = outcome.rows.filter((r) => r.warnings !== undefined && r.warnings.length > 0);
  if (warned.length > 0) lines.push(`${warned.length} of ${outcome.rows.length} configurations ran with warnings (the warnings column); first: ${outcome.grid.describe(warned[0]!.k)}: ${warned[0]!.warnings![0]}`);
  if (outcome.failed > 0) {
    const first = outcome.rows.find((r) => r.error !== undefined)!;
    lines.push(`${outcome.failed} of ${outcome.rows.length} configurations failed (their rows hold the error); first: ${first.error}`);
  }
  return lines.join('\n') + '\n';
}

/** Exit status when some configurations failed (the others completed and were written). */
export const EXIT_SOME_FAILED = 2;

const mergeCommand: CommandModule<object, Record<string, unknown>> = {
  command: 'merge <dirs..>',
  describe: 'join the shard folders of one sweep (--shard i/n) into the outputs of the whole grid',
  builder: (y: Argv) =>
    y
      .positional('dirs', { type: 'string', array: true, describe: 'the shard folders (every shard 0..n-1 exactly once)' })
      .options({
        out: { type: 'string', describe: 'output folder (the same files as the unsharded sweep)', demandOption: true },
        ...SWEEP_REPORT_FLAGS,
      })
      .example('$0 sweep merge out/shard-0 out/shard-1 out/shard-2 --out out/sweep', 'three shards → one sweep'),
  handler: (argv) => {
    const out = String(argv.out);
    checkOut(out);
    const dirs = ((argv.dirs as unknown[] | undefined) ?? []).map(String);
    const merged = mergeShards(dirs);
    checkMergeOut(out, dirs, merged.hash); // not a shard folder, nor one of another sweep
    const report = reportSettings(argv, merged.grid.axes, merged.header.metrics, merged.report);
    writeSweepDir(out, merged, undefined, report);
    process.stdout.write(closingLines(merged, out, undefined, report));
    if (merged.failed > 0) process.exitCode = EXIT_SOME_FAILED;
  },
};

export const sweepCommand: AmmsimCommand<object, Record<string, unknown>> = {
  command: 'sweep',
  // the on/off axes take lists (--exact true,false) and an off form (--no-exact)
  negatable: Object.keys(AXIS_KINDS).filter((k) => AXIS_KINDS[k] === 'boolean').map((k) => k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)),
  describe: 'run a grid of backtests (lists, ranges or random samples of any flag) on all cores; resumable, shardable (sweep merge); sweep.csv/.arrow/.json, report.html',
  builder: (y: Argv) => {
    const flags: Record<string, object> = { ...ALL_FLAGS };
    for (const f of AXIS_FLAGS) {
      const d = (ALL_FLAGS[f] as { describe?: string }).describe ?? f;
      const numeric = AXIS_KINDS[f.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase())] === 'number';
      flags[f] = { ...ALL_FLAGS[f], type: 'string', choices: undefined, describe: `${d} (list: a,b,c${numeric ? '; range: start:stop:step' : ''})` };
    }
    flags.param = { ...BACKTEST_FLAGS.param, describe: 'strategy parameter key=value (repeatable); key=v1,v2 or key=start:stop:step makes it an axis' };
    flags.config = { ...BACKTEST_FLAGS.config, describe: "JSON file with the same keys as the flags (camelCase), or a backtest's summary.json (its config); the base config of every row: flags and axes win" };
    // not global: `sweep merge` takes its own few flags, and a sweep flag given to it is refused as unknown
    const local = (o: Record<string, object>): Record<string, object> => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, { ...v, global: false }]));
    return y
      .command(mergeCommand)
      .options(local(flags))
      .options(local(SWEEP_FLAGS as unknown as Record<string, object>))
      .example('$0 sweep --pool v3 --strategy range --width 0.01:0.5:0.01 --fee 0.0005,0.003,0.01 --heatmap width,fee', '150 runs on all cores; a heatmap of vsHold')
      .example('$0 sweep --pool v3 --strategy rebalance --width 0.01:0.3:0.01 --rebalance-delay 0:48:1 --samples 200 --seed 7', 'random search: 200 of 1,470 configurations')
      .example('$0 sweep --grid grid.json --shard 0/3 --out out/s0', 'the first of three shards (see scripts/cluster/)')
      .epilog(
        'Axes vary in the order given, the first slowest. A configuration that fails gets an error row and the others go on; the exit status is 2 when any failed. Rows are journaled to results.jsonl as they finish: run the same command again to resume after an interruption (a changed grid, base config or series is refused). Environment: AMMSIM_TIMING=1 prints where the time went (load, runs, write) on stderr. ' + CACHE_HELP,
      );
  },
  handler: async (argv) => {
    const timer = phaseTimer();
    const out = String(argv.out);
    checkOut(out);
    const { axes, fixed } = axesFromArgv(argv);
    const base = sweepBase(fixed, axes);
    // a file the sweep reads (named by a flag, the grid file, the config or an axis) that it would write over
    refuseReadingOwnOutputs(out, 'sweep', SWEEP_OUTPUTS, [], filesRead(argv, [...Object.entries(base), ...axes.map((a) => [a.name, a.values] as const)]));
    const samples = argv.samples === undefined ? undefined : Number(argv.samples);
    if (argv['sample-seed'] !== undefined && samples === undefined) throw new ConfigError('--sample-seed', 'seeds --samples (random search); give --samples N too, or leave it out');
    if (argv['sample-seed'] !== undefined && !(typeof argv['sample-seed'] === 'number' && Number.isSafeInteger(argv['sample-seed']))) {
      throw new ConfigError('--sample-seed', `must be an integer; was ${String(argv['sample-seed'])}`);
    }
    refuseFeeModelAll(base, axes);
    const grid = new Grid(axes, samples, argv['sample-seed'] === undefined ? base.seed : Number(argv['sample-seed']));
    const report = reportSettings(argv, axes, sweepMetrics(base));
    const shard = argv.shard === undefined ? undefined : parseShard(String(argv.shard));
    const workers = argv.workers === undefined ? defaultWorkers() : Number(argv.workers);
    if (!(Number.isInteger(workers) && workers >= 1 && workers <= 1024)) throw new ConfigError('--workers', `must be an integer in [1, 1024]; was ${String(argv.workers)}`);
    // --gaps ffill/error cannot act where replay steps once per event row (as in backtest)
    const valuesOf = (name: keyof BacktestConfig): readonly unknown[] => axes.find((a) => a.name === name)?.values ?? [base[name]];
    for (const feeModel of valuesOf('feeModel')) for (const feeEvents of valuesOf('feeEvents')) await refuseGapsOnEventSteps({ ...base, feeModel, feeEvents } as BacktestConfig);
    const series = await loadSweepSeries(base, axes, cliSeriesCache());
    const shares = axes.find((a) => a.name === 'noiseVolumeShare')?.values ?? [];
    refuseNoiseVolumeWithoutVolume(Math.max(base.noiseVolumeShare, ...shares.map(Number)), series);
    // what every configuration would fail on (the base's own files and settings, no axis's value) is refused here,
    // as backtest refuses it, not written as a folder of error rows
    const varying = new Set(axes.map((a) => paramAxis(a.name)?.[0] ?? a.name));
    await refuseWhatEveryRunFails(base, series, (key) => varying.has(key));
    // --noise-size given (at any size) with a --noise-rate axis: each row of rate 0 is refused as backtest refuses it
    const runBase: SweepBase = varying.has('noiseRate') && (fixed['noise-size'] !== undefined || varying.has('noiseSize')) ? { ...base, noiseSizeGiven: true } : base;
    // --restart discards the folder's earlier sweep: its journal and its outputs (sweep.json first: it marks them done)
    if (argv.restart === true) for (const f of SWEEP_OUTPUTS) rmSync(join(out, f), { force: true });
    timer.mark('load');

    const bar = progressBar('sweep', process.stderr, 'runs', { rate: true });
    const abort = new AbortController();
    let signalled: NodeJS.Signals | undefined;
    // the first Ctrl-C lets the running batches finish and saves them; a second one stops at once (the journal
    // is consistent after every line, so nothing but those batches is lost)
    const onSignal = (sig: NodeJS.Signals): void => {
      if (signalled !== undefined) process.exit(sig === 'SIGTERM' ? 143 : 130);
      signalled = sig;
      process.stderr.write(`\n${sig}: finishing the configurations in flight (again to stop now)\n`);
      abort.abort();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    let outcome: SweepOutcome;
    try {
      outcome = await runSweep(runBase, grid, series, { workers, dir: out, signal: abort.signal, ...(shard === undefined ? {} : { shard }), ...(bar.onProgress === undefined ? {} : { onProgress: bar.onProgress }) });
    } catch (err) {
      bar.done();
      if (err instanceof SweepInterrupted) {
        process.stderr.write(`${err.message}\n`);
        process.exitCode = signalled === 'SIGTERM' ? 143 : 130;
        return;
      }
      throw err;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    bar.done();
    timer.mark('runs');
    writeSweepDir(out, outcome, shard, report, true); // runSweep has written the canonical journal
    timer.mark('write');
    process.stdout.write(closingLines(outcome, out, shard, report));
    timer.report();
    if (outcome.failed > 0) process.exitCode = EXIT_SOME_FAILED;
  },
};
