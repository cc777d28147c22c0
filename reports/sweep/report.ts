/**
 * The sweep report (report.html of `ammsim sweep`): a heatmap of one metric over two axes (the best value over
 * the other axes in each cell), or a line per axis (best and mean over the other axes at each value), the top-N
 * configurations, the failures, the base config and the data's provenance. Self-contained like the backtest
 * report (reports/html.ts inlines vega); deterministic: it is built only from sweep.json and sweep.arrow, so
 * `ammsim report --run SWEEPDIR` rebuilds the same bytes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { InputError } from '../../sim/core/errors.ts';
import type { ReportChart } from '../charts/index.ts';
import { escapeHtml, renderPage, sortedJson } from '../html.ts';
import { readSweepArrow, type SweepTable, type SweepValue } from './sweepFile.ts';
import { betterOf, metricInfoOf, type MetricFormat } from '../../sim/metrics/index.ts';
import { formatMetric } from '../metrics.ts';
import { groupThousands } from '../../sim/core/format.ts';

/** The parts of sweep.json the report reads. */
export interface SweepMeta {
  readonly gridHash: string;
  readonly grid: { readonly axes: ReadonlyArray<{ readonly name: string; readonly values: readonly SweepValue[] }>; readonly samples: number | null; readonly sampleSeed: number | null; readonly configurations: number };
  readonly metrics: readonly string[];
  readonly rows: number;
  readonly failed: number;
  readonly warned?: number;
  readonly report: { readonly metric: string; readonly heatmap: readonly [string, string] | null; readonly top: number };
  readonly base: Readonly<Record<string, unknown>>;
  readonly data: Readonly<Record<string, unknown>>;
}

/** Metrics shown beside the ranked one in the top table. */
const CONTEXT_METRICS = ['finalValue', 'vsHold', 'apr', 'feesEarned', 'impermanentLoss', 'gasCost', 'rebalances', 'maxDrawdown'];

/** A short display form (a summary metric's as its report shows it: fractions in %); the exact value is in the cell's title. */
function fmt(v: number | null | undefined, format?: MetricFormat): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (format !== undefined) return formatMetric(v, format).replace(/^-/, '−');
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return groupThousands(String(v));
  const a = Math.abs(v);
  const s = a >= 1000 ? v.toFixed(2) : a >= 1 ? v.toFixed(4) : v.toPrecision(4);
  return s.replace(/^-/, '−');
}

/** A cell's full value, for its tooltip. */
const exact = (v: SweepValue | number | null): string => String(v);

/** The value of `metric` in a row, NaN for a failed row. */
function metricOf(t: SweepTable, row: SweepTable['rows'][number], mi: number): number {
  return row.metrics === null ? NaN : row.metrics[mi]!;
}

/** +1 when a higher value of `metric` ranks first (better, or a metric that is neither), −1 when a lower one is better. */
export function rankSign(metric: string): 1 | -1 {
  return betterOf(metric) === 'lower' ? -1 : 1;
}

/** What the first-ranked value of `metric` is called: 'best' when the metric has a better way, else 'highest'. */
export function bestWord(metric: string): 'best' | 'highest' {
  return betterOf(metric) === undefined ? 'highest' : 'best';
}

/** Rows ranked by `metric` (best first: highest, or lowest for a metric where lower is better such as maxDrawdown; NaN and failed rows last), ties in grid order. */
export function rankRows(t: SweepTable, metric: string): number[] {
  const mi = t.metrics.indexOf(metric);
  const idx = t.rows.map((_, i) => i);
  const sign = rankSign(metric);
  const key = (i: number): number => {
    const v = metricOf(t, t.rows[i]!, mi);
    return Number.isNaN(v) ? -Infinity : sign * v;
  };
  return idx.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    const na = Number.isNaN(metricOf(t, t.rows[a]!, mi)) ? 1 : 0;
    const nb = Number.isNaN(metricOf(t, t.rows[b]!, mi)) ? 1 : 0;
    if (na !== nb) return na - nb;
    return kb > ka ? 1 : kb < ka ? -1 : a - b;
  });
}

interface Cell {
  best: number;
  sum: number;
  n: number;
}

/** Best and mean of the metric per combination of the given axes, over everything else (NaN excluded). */
function aggregate(t: SweepTable, axisIdx: readonly number[], mi: number, sign: 1 | -1): Map<string, { values: SweepValue[]; cell: Cell }> {
  const out = new Map<string, { values: SweepValue[]; cell: Cell }>();
  for (const r of t.rows) {
    const values = axisIdx.map((a) => r.values[a]!);
    const key = JSON.stringify(values);
    let e = out.get(key);
    if (e === undefined) out.set(key, (e = { values, cell: { best: NaN, sum: 0, n: 0 } }));
    const v = metricOf(t, r, mi);
    if (Number.isNaN(v)) continue;
    e.cell.best = Number.isNaN(e.cell.best) || sign * v > sign * e.cell.best ? v : e.cell.best;
    e.cell.sum += v;
    e.cell.n++;
  }
  return out;
}

/**
 * The metric's title with its unit, as the backtest report's metrics table states it (`vsHold (quote)`), and a d3
 * format that draws a fraction metric (apr, impermanentLoss, …: fractions in sweep.csv) in %.
 */
function metricTitle(metric: string): { title: string; format?: string } {
  const info = metricInfoOf(metric);
  if (info === undefined || info.unit === '') return { title: metric };
  return { title: `${metric} (${info.unit})`, ...(info.format === 'fraction' ? { format: '.1%' } : {}) };
}

const jsonNumber = (v: number): number | null => (Number.isFinite(v) ? v : null);

/**
 * A data key as a vega-lite `field`: a dot or bracket would read as nested access (`params.threshold` as
 * `params` → `threshold`), so they are escaped to name the flat key the rows carry.
 */
const fieldOf = (name: string): string => name.replace(/[.[\]\\]/g, (c) => `\\${c}`);

function heatmapChart(t: SweepTable, meta: SweepMeta, metric: string, xName: string, yName: string): ReportChart {
  const xi = t.axes.indexOf(xName);
  const yi = t.axes.indexOf(yName);
  const cells = aggregate(t, [xi, yi], t.metrics.indexOf(metric), rankSign(metric));
  const order = (name: string): SweepValue[] => [...(meta.grid.axes.find((a) => a.name === name)?.values ?? [])];
  const others = t.axes.length > 2;
  const values = [...cells.values()].map(({ values: [x, y], cell }) => ({ [xName]: x, [yName]: y, [metric]: jsonNumber(cell.best), runs: cell.n }));
  const m = metricTitle(metric);
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: `${metric} by ${xName} and ${yName}`, subtitle: others ? `each cell: the ${bestWord(metric)} over the other axes` : '' },
    width: 'container',
    height: 360,
    data: { values },
    mark: { type: 'rect', tooltip: true },
    encoding: {
      x: { field: fieldOf(xName), type: 'ordinal', sort: order(xName), title: xName },
      y: { field: fieldOf(yName), type: 'ordinal', sort: [...order(yName)].reverse(), title: yName },
      color: { field: fieldOf(metric), type: 'quantitative', title: m.title, scale: { scheme: 'viridis' }, ...(m.format === undefined ? {} : { legend: { format: m.format } }) },
    },
  } as unknown as TopLevelSpec;
  return { id: 'heatmap', spec };
}

function axisChart(t: SweepTable, metric: string, a: number): ReportChart {
  const name = t.axes[a]!;
  const cells = aggregate(t, [a], t.metrics.indexOf(metric), rankSign(metric));
  const numeric = typeof t.rows[0]?.values[a] === 'number';
  const m = metricTitle(metric);
  const values: Array<Record<string, unknown>> = [];
  for (const { values: [x], cell } of cells.values()) {
    values.push({ [name]: typeof x === 'boolean' ? String(x) : x, stat: bestWord(metric), value: jsonNumber(cell.best) });
    if (cell.n > 1 || t.axes.length > 1) values.push({ [name]: typeof x === 'boolean' ? String(x) : x, stat: 'mean', value: jsonNumber(cell.n > 0 ? cell.sum / cell.n : NaN) });
  }
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: `${metric} by ${name}`, subtitle: t.axes.length > 1 ? `${bestWord(metric)} and mean over the other axes` : '' },
    width: 'container',
    height: 260,
    data: { values },
    mark: { type: numeric ? 'line' : 'point', point: numeric ? true : undefined, tooltip: true },
    encoding: {
      x: { field: fieldOf(name), type: numeric ? 'quantitative' : 'nominal', title: name, ...(numeric ? { scale: { zero: false } } : {}) },
      y: { field: 'value', type: 'quantitative', title: m.title, scale: { zero: false }, ...(m.format === undefined ? {} : { axis: { format: m.format } }) },
      color: { field: 'stat', type: 'nominal', title: '' },
    },
  } as unknown as TopLevelSpec;
  return { id: `axis-${a}`, spec };
}

/**
 * The rows the top table ranks: {@link rankRows} without the configurations that failed (they have no figures; the
 * failures table lists them). A row that ran but whose metric is undefined (NaN) is ranked last.
 */
export function rankedRows(t: SweepTable, metric: string): number[] {
  return rankRows(t, metric).filter((i) => t.rows[i]!.metrics !== null);
}

function topTable(t: SweepTable, metric: string, top: number): string {
  const ranked = rankedRows(t, metric).slice(0, top);
  if (ranked.length === 0) return '<p id="top-table">None: no configuration ran, so there is nothing to rank (see Failed configurations).</p>';
  const shown = [metric, ...CONTEXT_METRICS.filter((m) => m !== metric && t.metrics.includes(m))];
  const mIdx = shown.map((m) => t.metrics.indexOf(m));
  const formats = shown.map((m) => metricInfoOf(m)?.format);
  const head = `<tr><th>#</th>${t.axes.map((a) => `<th>${escapeHtml(a)}</th>`).join('')}${shown.map((m) => `<th>${escapeHtml(metricTitle(m).title)}</th>`).join('')}</tr>`;
  const body = ranked
    .map((i, rank) => {
      const r = t.rows[i]!;
      const axisCells = r.values.map((v) => `<td>${escapeHtml(String(v))}</td>`).join('');
      const cells = mIdx
        .map((mi, k) => {
          const v = metricOf(t, r, mi);
          return `<td class="num${v < 0 ? ' neg' : ''}" title="${escapeHtml(exact(v))}">${escapeHtml(fmt(v, formats[k]))}</td>`;
        })
        .join('');
      return `<tr><td class="num">${rank + 1}</td>${axisCells}${cells}</tr>`;
    })
    .join('\n');
  return `<table id="top-table">\n<thead>${head}</thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

/** The first `max` configurations that failed (`column` error) or ran with warnings (`column` warnings). */
function rowsWith(t: SweepTable, column: 'error' | 'warnings', none: string, max = 20): string {
  const hit = t.rows.filter((r) => r[column] !== null);
  if (hit.length === 0) return `<p>${none}</p>`;
  const body = hit
    .slice(0, max)
    .map((r) => `<tr>${r.values.map((v) => `<td>${escapeHtml(String(v))}</td>`).join('')}<td>${escapeHtml(r[column]!)}</td></tr>`)
    .join('\n');
  const more = hit.length > max ? `<p class="note">… and ${hit.length - max} more (the ${column} column of sweep.csv).</p>` : '';
  const id = column === 'error' ? 'failures-table' : 'warnings-table';
  return `<table id="${id}">\n<thead><tr>${t.axes.map((a) => `<th>${escapeHtml(a)}</th>`).join('')}<th>${column}</th></tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>${more}`;
}

function axisSummary(meta: SweepMeta): string {
  return meta.grid.axes
    .map((a) => {
      const vs = a.values;
      const shown = vs.length <= 6 ? vs.map(String).join(', ') : `${vs.slice(0, 3).map(String).join(', ')}, …, ${String(vs[vs.length - 1])}`;
      return `<b>${escapeHtml(a.name)}</b> (${vs.length}: ${escapeHtml(shown)})`;
    })
    .join('; ');
}

function provenance(data: Readonly<Record<string, unknown>>): string {
  const iso = (ms: unknown): string => (typeof ms === 'number' && Number.isFinite(ms) ? new Date(ms).toISOString().replace('.000Z', 'Z') : 'n/a');
  const rows: Array<[string, string]> = [
    ['source', String(data.kind ?? 'n/a')],
    ['file', typeof data.file === 'string' ? data.file : '(built-in synthetic series)'],
    ['rows', String(data.rows ?? 'n/a')],
    ['first', iso(data.firstTimestampMs)],
    ['last', iso(data.lastTimestampMs)],
    ['sha256', String(data.sha256 ?? 'n/a')],
  ];
  return `<table id="provenance-table">\n<tbody>\n${rows.map(([k, v]) => `<tr><td>${k}</td><td>${escapeHtml(v)}</td></tr>`).join('\n')}\n</tbody>\n</table>`;
}

/** The report of a sweep from its sweep.json (parsed) and table (as read from sweep.arrow). */
export function renderSweepReport(meta: SweepMeta, t: SweepTable): string {
  const { metric, heatmap, top } = meta.report;
  const charts: ReportChart[] = [];
  if (heatmap !== null) charts.push(heatmapChart(t, meta, metric, heatmap[0], heatmap[1]));
  else t.axes.forEach((_, a) => charts.push(axisChart(t, metric, a)));
  const title = `ammsim sweep: ${metric} over ${t.axes.length > 0 ? t.axes.join(' × ') : 'the base config'}`;
  const sampled = meta.grid.samples === null ? '' : ` (a random sample of ${meta.grid.samples} from the grid, seed ${meta.grid.sampleSeed})`;
  // the top table ranks the configurations that ran; the failed ones are counted above it and listed below
  const failed = t.rows.filter((r) => r.metrics === null).length;
  const ran = t.rows.length - failed;
  const body = [
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="lead">${groupThousands(String(meta.rows))} configuration${meta.rows === 1 ? '' : 's'}${escapeHtml(sampled)}, ${groupThousands(String(meta.failed))} failed, ${groupThousands(String(meta.warned ?? 0))} with warnings. Axes: ${axisSummary(meta) || 'none'}.</p>`,
    '<h2 id="charts">Charts</h2>',
    '<noscript><p>The charts need JavaScript (inlined in this file; no network access is used).</p></noscript>',
    charts.length === 0
      ? '<p class="note">No axes (a single configuration): nothing to chart; its figures are in the table below.</p>'
      : charts.map((c) => `<figure class="chart" id="chart-${c.id}" data-chart="${c.id}"></figure>`).join('\n'),
    `<h2 id="top">Top ${Math.min(top, ran)} by ${escapeHtml(metric)}${betterOf(metric) === 'lower' ? ' (lowest first)' : betterOf(metric) === undefined ? ' (highest first)' : ''}</h2>`,
    ...(failed === 0 ? [] : [`<p class="note" id="top-unranked">${groupThousands(String(failed))} failed configuration${failed === 1 ? ' is' : 's are'} not ranked (no figures; see Failed configurations).</p>`]),
    topTable(t, metric, top),
    `<p class="note">${rankSign(metric) === -1 ? 'Lowest' : 'Highest'} first; ties in grid order. Hover a value for the exact number.</p>`,
    '<h2 id="failures">Failed configurations</h2>',
    rowsWith(t, 'error', 'None: every configuration ran.'),
    '<h2 id="warnings">Configurations with warnings</h2>',
    rowsWith(t, 'warnings', 'None.'),
    '<h2 id="config">Base config (the axes override it)</h2>',
    `<pre class="config">${escapeHtml(sortedJson(meta.base))}</pre>`,
    '<h2 id="provenance">Data provenance</h2>',
    provenance(meta.data),
    `<p class="note">grid hash ${escapeHtml(meta.gridHash)}</p>`,
  ].join('\n');
  return renderPage(title, body, charts);
}

function readJsonFile(file: string): unknown {
  if (!existsSync(file)) throw new InputError(file, undefined, undefined, 'is missing; is this a folder written by `ammsim sweep --out`?');
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (err) {
    throw new InputError(file, undefined, undefined, `must be JSON; ${(err as Error).message}`);
  }
}

/** Whether a folder holds a finished sweep (sweep.json of the whole grid). */
export function isSweepDir(dir: string): boolean {
  return existsSync(join(dir, 'sweep.json')) && !existsSync(join(dir, 'summary.json'));
}

/** A finished sweep folder's sweep.json (parsed) and table (from sweep.arrow); refuses a shard's folder. */
export function readSweepDir(dir: string): { meta: SweepMeta; table: SweepTable } {
  const meta = readJsonFile(join(dir, 'sweep.json')) as SweepMeta & { shard?: unknown };
  if (meta.shard !== null && meta.shard !== undefined) throw new InputError(join(dir, 'sweep.json'), undefined, 'shard', 'is one shard of a sweep; merge the shards first (ammsim sweep merge DIR… --out DIR)');
  const arrowFile = join(dir, 'sweep.arrow');
  if (!existsSync(arrowFile)) throw new InputError(arrowFile, undefined, undefined, 'is missing; re-run the sweep (it resumes from results.jsonl)');
  const table = readSweepArrow(readFileSync(arrowFile), meta.grid.axes.map((a) => a.name), meta.metrics, arrowFile);
  return { meta, table };
}

/**
 * DIR/report.html's bytes, rebuilt from DIR/sweep.json and DIR/sweep.arrow; with `report`, drawn for that metric,
 * heatmap and top-table size instead of the ones the sweep was run with (checked by the caller).
 */
export function buildSweepReportFromDir(dir: string, report?: SweepMeta['report']): string {
  const { meta, table } = readSweepDir(dir);
  return renderSweepReport(report === undefined ? meta : { ...meta, report }, table);
}
