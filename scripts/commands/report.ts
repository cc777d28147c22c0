import { basename, dirname, join, resolve, sep } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { inputsNamedBy, type AmmsimCommand } from './index.ts';
import { outputsNotInputs, realPathOrResolved, removingOutputsOnError, writeFileAtomic, writeFilesAtomic } from '../../data/io/atomicWrite.ts';
import { reportCharts, type ReportChart } from '../../reports/charts/index.ts';
import { buildReportFromRun, defaultRunLabel, renderReportHtml } from '../../reports/html.ts';
import type { ReportRun } from '../../reports/model.ts';
import { compareReportCharts, compareReportHtml } from '../../reports/compare.ts';
import { isCompareDir, readCompareDir } from '../../reports/compareDir.ts';
import { readRunDir } from '../../reports/runDir.ts';
import { renderChartSvg } from '../../reports/svg.ts';
import { buildSweepReportFromDir, isSweepDir, readSweepDir } from '../../reports/sweep/report.ts';
import type { BacktestResult } from '../../sim/metrics/record.ts';
import { ConfigError } from '../../sim/core/errors.ts';
import { reportSettings, SWEEP_REPORT_FLAGS } from './sweepReportFlags.ts';

export interface ReportArgs {
  readonly run: readonly string[];
  readonly out?: string;
  readonly svg?: string;
  readonly label?: readonly string[];
  readonly maxPoints?: number;
  /** A sweep folder's report: the metric, the heatmap's two axes (x,y) and the top table's size. */
  readonly metric?: string;
  readonly heatmap?: string;
  readonly top?: number;
}

/**
 * Labels for several runs: given `--label`s, else each run's strategy; when those collide, the folder names;
 * when those collide too, `<name> (k)`.
 */
export function labelRuns(dirs: readonly string[], results: readonly BacktestResult[], given: readonly string[] | undefined): string[] {
  if (given !== undefined && given.length > 0) {
    if (given.length !== dirs.length) throw new ConfigError('--label', `give one label per --run (${dirs.length}); got ${given.length}`);
    if (new Set(given).size !== given.length) throw new ConfigError('--label', `labels must be unique; were ${given.join(', ')}`);
    if (given.some((l) => l.trim() === '')) throw new ConfigError('--label', 'must not be empty (it names the run\'s column and lines)');
    return [...given];
  }
  let labels = results.map((r) => defaultRunLabel(r.summary));
  if (new Set(labels).size !== labels.length) labels = dirs.map((d) => basename(resolve(d)));
  const seen = new Map<string, number>();
  return labels.map((l) => {
    const k = (seen.get(l) ?? 0) + 1;
    seen.set(l, k);
    return labels.filter((x) => x === l).length > 1 ? `${l} (${k})` : l;
  });
}

/** Validates the flags of `ammsim report` (see --help for the rules). */
export function checkReportArgs(a: ReportArgs): void {
  if (a.run.length === 0) throw new ConfigError('--run', 'give at least one run folder (written by `ammsim backtest --out DIR`)');
  // the same folder twice (as typed, or by another path to it: out/wide/, ./out/wide, a symlink) would draw one run as two
  const seen = new Map<string, string>();
  for (const dir of a.run) {
    const real = realPathOrResolved(dir);
    const first = seen.get(real);
    if (first !== undefined) throw new ConfigError('--run', `${first === dir ? `${dir} is given twice` : `${first} and ${dir} are the same folder`}; give each run folder once`);
    seen.set(real, dir);
  }
  if (a.out === undefined && a.svg === undefined) throw new ConfigError('--out', 'give --out FILE.html and/or --svg DIR');
  if (a.out !== undefined && !/\.html?$/i.test(a.out)) throw new ConfigError('--out', `must name an .html file; was ${JSON.stringify(a.out)}`);
  if (a.maxPoints !== undefined && !(Number.isInteger(a.maxPoints) && a.maxPoints >= 100 && a.maxPoints <= 1_000_000)) {
    throw new ConfigError('--max-points', `must be an integer in [100, 1000000]; was ${a.maxPoints}`);
  }
}

/**
 * Rebuilds a report from saved run folders. With one run and no --label/--max-points the HTML is
 * byte-identical to the report.html that backtest wrote; a comparison's folder (alone) without --max-points gives
 * the report.html compare wrote, a sweep's folder (alone) the one sweep wrote. Returns the files written.
 */
export async function runReport(a: ReportArgs): Promise<string[]> {
  checkReportArgs(a);
  const sweepFlags = (['metric', 'heatmap', 'top'] as const).filter((k) => a[k] !== undefined);
  if (a.run.length === 1 && isSweepDir(a.run[0]!)) {
    // a folder written by `ammsim sweep`: its report.html, rebuilt from sweep.json and sweep.arrow, and drawn anew
    // for --metric/--heatmap/--top (by default as the sweep drew it)
    if (a.svg !== undefined || a.out === undefined) throw new ConfigError('--svg', 'a sweep folder has an HTML report only; give --out FILE.html');
    if (a.label !== undefined && a.label.length > 0) throw new ConfigError('--label', `applies to backtest folders; ${a.run[0]} is a sweep folder (its report is drawn with --metric, --heatmap and --top)`);
    if (a.maxPoints !== undefined) throw new ConfigError('--max-points', `applies to backtest folders; ${a.run[0]} is a sweep folder (its charts have one point per grid value)`);
    const { meta } = readSweepDir(a.run[0]!);
    const settings = reportSettings({ metric: a.metric, heatmap: a.heatmap, top: a.top }, meta.grid.axes, meta.metrics, meta.report);
    writeFileAtomic(a.out, buildSweepReportFromDir(a.run[0]!, settings));
    return [a.out];
  }
  const sweep = a.run.find((d) => isSweepDir(d));
  if (sweep !== undefined) throw new ConfigError('--run', `${sweep} is a sweep folder: give it alone (one --run) to rebuild its report; backtest folders can be drawn together`);
  const opts = a.maxPoints === undefined ? {} : { maxPoints: a.maxPoints };
  const written: string[] = [];
  if (a.run.length === 1 && isCompareDir(a.run[0]!)) {
    // a folder written by `ammsim compare`: its report.html, rebuilt from summary.json, series.arrow and lp-events.json
    // (byte-identical without --max-points), and its charts as SVG
    if (a.label !== undefined && a.label.length > 0) throw new ConfigError('--label', `applies to backtest folders; ${a.run[0]} is a comparison folder (its lines and columns are named by the alternatives' ids)`);
    if (sweepFlags.length > 0) throw new ConfigError(`--${sweepFlags[0]}`, `applies to a sweep folder (written by \`ammsim sweep\`); ${a.run[0]} is a comparison folder`);
    const input = readCompareDir(a.run[0]!);
    if (a.out !== undefined) {
      writeFileAtomic(a.out, compareReportHtml(input, opts));
      written.push(a.out);
    }
    if (a.svg !== undefined) written.push(...(await writeSvgs(a.svg, compareReportCharts(input, opts))));
    return written;
  }
  const comparison = a.run.find((d) => isCompareDir(d));
  if (comparison !== undefined) throw new ConfigError('--run', `${comparison} is a comparison folder (written by \`ammsim compare\`): give it alone (one --run) to rebuild its report; backtest folders can be drawn together`);
  if (sweepFlags.length > 0) throw new ConfigError(`--${sweepFlags[0]}`, `applies to a sweep folder (written by \`ammsim sweep\`); ${a.run.join(', ')} ${a.run.length > 1 ? 'are backtest folders' : 'is a backtest folder'}`);
  const results = a.run.map((d) => readRunDir(d));
  const labels = labelRuns(a.run, results, a.label);
  const single = results.length === 1 && (a.label === undefined || a.label.length === 0);
  const runs: ReportRun[] = results.map((result, i) => ({ label: labels[i]!, result }));
  if (a.out !== undefined) {
    const html = single ? buildReportFromRun(results[0]!, opts) : renderReportHtml(runs, opts);
    writeFileAtomic(a.out, html);
    written.push(a.out);
  }
  if (a.svg !== undefined) written.push(...(await writeSvgs(a.svg, reportCharts(runs, opts))));
  return written;
}

/** Writes each chart as `<id>.svg` into `dir` (atomically, together); returns the files. */
async function writeSvgs(dir: string, charts: readonly ReportChart[]): Promise<string[]> {
  const files: Array<[string, string]> = [];
  for (const chart of charts) files.push([`${chart.id}.svg`, await renderChartSvg(chart.spec)]);
  writeFilesAtomic(dir, files, '');
  return files.map(([name]) => join(dir, name));
}

/**
 * The file a failed report removes: its --out when it is a report it could have written (.html), unless inside a
 * --run folder (that run's own report.html, symlinks followed) or a sweep's folder (that sweep's report).
 */
function reportOutputsOnFailure(argv: Readonly<Record<string, unknown>>): Array<string | undefined> {
  const out = typeof argv.out === 'string' && /\.html$/i.test(argv.out) ? argv.out : undefined;
  if (out === undefined) return [];
  const runs = (Array.isArray(argv.run) ? argv.run : []).map((d) => realPathOrResolved(String(d)) + sep);
  return outputsNotInputs([runs.some((d) => (realPathOrResolved(dirname(out)) + sep).startsWith(d)) ? undefined : out], inputsNamedBy(argv));
}

export const reportCommand: AmmsimCommand<object, Record<string, unknown>> = {
  outputsOnFailure: reportOutputsOnFailure,
  command: 'report',
  describe: 'rebuild the HTML report (and SVG charts) from saved backtest output folders, or a comparison\'s or a sweep\'s report from its folder',
  builder: (y: Argv) =>
    y
      .options({
        run: { type: 'string', array: true, describe: 'a folder written by `ammsim backtest --out` (repeat to draw several runs on the same axes), or one written by `ammsim compare` or `ammsim sweep`', demandOption: true },
        out: { type: 'string', describe: 'write the self-contained HTML report here (must end in .html)' },
        svg: { type: 'string', describe: 'write each chart as <chart>.svg into this folder (rendered headlessly)' },
        label: { type: 'string', array: true, describe: 'a name per run for legends and table columns (default: strategy, else folder name)' },
        'max-points': { type: 'number', describe: 'points per chart line after min/max-per-bucket downsampling', defaultDescription: '2000' },
        metric: { ...SWEEP_REPORT_FLAGS.metric, group: 'Sweep folder:', defaultDescription: "the sweep's (sweep.json)" },
        heatmap: { ...SWEEP_REPORT_FLAGS.heatmap, group: 'Sweep folder:', defaultDescription: "the sweep's (sweep.json)" },
        top: { ...SWEEP_REPORT_FLAGS.top, group: 'Sweep folder:', defaultDescription: "the sweep's (sweep.json)" },
      })
      .example('$0 report --run out/backtest --out out/report.html', 'rebuild one report (identical to the one backtest wrote)')
      .example('$0 report --run out/wide --run out/narrow --out out/both.html --svg out/svg', 'two runs side by side, plus SVG charts')
      .example('$0 report --run out/compare --out out/compare.html --svg out/compare-svg', "a comparison's report (identical to the one compare wrote) and its charts as SVG")
      .example('$0 report --run out/sweep --out out/apr.html --metric apr --heatmap width,fee', "a finished sweep's report for another metric, without re-running it")
      .epilog(
        'Rules: at least one --run, each folder once; --out and/or --svg; --out ends in .html; --label once per --run, unique; --max-points an integer in [100, 1000000]. A comparison folder goes alone, with --out and/or --svg (and --max-points); not --label (its alternatives’ ids name its lines). A sweep folder goes alone, with --out only; --metric, --heatmap and --top apply to it (and --label, --max-points, --svg to backtest folders). Files are written atomically.',
      ),
  handler: async (argv) => {
    // a failed rebuild leaves no earlier --out of its own behind; one inside a --run folder is that run's (its report.html)
    const written = await removingOutputsOnError(reportOutputsOnFailure(argv), () => runReport({
      run: (argv.run as string[] | undefined) ?? [],
      ...(argv.out === undefined ? {} : { out: String(argv.out) }),
      ...(argv.svg === undefined ? {} : { svg: String(argv.svg) }),
      ...(argv.label === undefined ? {} : { label: (argv.label as unknown[]).map(String) }),
      ...(argv['max-points'] === undefined ? {} : { maxPoints: Number(argv['max-points']) }),
      ...(argv.metric === undefined ? {} : { metric: String(argv.metric) }),
      ...(argv.heatmap === undefined ? {} : { heatmap: String(argv.heatmap) }),
      ...(argv.top === undefined ? {} : { top: Number(argv.top) }),
    }));
    process.stdout.write(`wrote ${written.join(', ')}\n`);
  },
};
