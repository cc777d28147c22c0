/**
 * The self-contained HTML report: vega, vega-lite and vega-embed browser builds inlined from node_modules,
 * every chart spec with its data inlined, a metrics table (every summary key with its unit), the resolved
 * config and the data provenance. No CDN, no fetch: the file works offline from file://.
 *
 * Deterministic: the output depends only on the runs and options (no clock, stable key order, fixed number
 * formats), so the same input gives byte-identical HTML. {@link buildReportFromRun} is what `ammsim backtest`
 * writes as report.html and what `ammsim report --run DIR` rebuilds from the saved files.
 */
import { isUtf8 } from 'node:buffer';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { BacktestResult, LpEvent, Summary } from '../sim/metrics/record.ts';
import { InvariantError } from '../sim/core/errors.ts';
import { reportCharts, type ReportChart } from './charts/index.ts';
import { exactJson, formatMetric, formatMetricCell, metricRows, objectSummaryKeys } from './metrics.ts';
import type { ChartOptions, ReportRun } from './model.ts';
import { rewardDisclosure, runContext, runVerdict, runWarnings } from './verdict.ts';

export interface ReportOptions extends ChartOptions {
  /** Page title; default `ammsim report: <run labels>`. */
  readonly title?: string;
  /** Trusted HTML (already escaped) inserted after the charts, before "Resolved config" (e.g. compare's tables). */
  readonly extraSectionsHtml?: string;
  /** The verdict lines the page opens with (plain text); default: each run against holding ({@link runVerdict}). */
  readonly verdicts?: readonly string[];
  /** Trusted HTML shown first in the Metrics section, before the table of every run's metrics (e.g. compare's table). */
  readonly metricsHtml?: string;
  /** Trusted HTML that replaces the Resolved config section's content (e.g. compare's own config). */
  readonly configHtml?: string;
  /** The Warnings box's lines (plain text); default: each run's summary warnings (named by its label with several runs). */
  readonly warnings?: readonly string[];
  /**
   * Where the LP events section says every event is: the file (named where the table leaves events out) and the
   * words for it; default a backtest's events.json.
   */
  readonly eventsSource?: { readonly file: string; readonly where: string };
}

/** Where a backtest's events are: its folder's events.json. */
const BACKTEST_EVENTS = { file: 'events.json', where: 'a backtest’s events.json' } as const;

/** One inlined browser library. */
export interface BrowserLibrary {
  readonly name: string;
  readonly version: string;
  readonly code: string;
}

const LIBRARIES: ReadonlyArray<readonly [name: string, file: string]> = [
  ['vega', 'build/vega.min.js'],
  ['vega-lite', 'build/vega-lite.min.js'],
  ['vega-embed', 'build/vega-embed.min.js'],
];

/** Finds an installed package's folder through Node's module search path (the packages do not export their builds). */
function packageDir(name: string): string {
  const require = createRequire(import.meta.url);
  for (const dir of require.resolve.paths(name) ?? []) {
    const candidate = join(dir, name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
  }
  throw new InvariantError(`package ${name} is not installed (needed to inline its browser build into the report)`);
}

/** The vega, vega-lite and vega-embed browser (UMD) builds' files, in load order. */
function browserLibraryFiles(): Array<{ name: string; version: string; path: string }> {
  return LIBRARIES.map(([name, file]) => {
    const dir = packageDir(name);
    const version = String((JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: unknown }).version);
    return { name, version, path: join(dir, file) };
  });
}

/** Reads the vega, vega-lite and vega-embed browser (UMD) builds, in load order. */
export function loadBrowserLibraries(): BrowserLibrary[] {
  return browserLibraryFiles().map(({ name, version, path }) => ({ name, version, code: readFileSync(path, 'utf8') }));
}

/**
 * Makes JavaScript safe inside an HTML `<script>` element: `</script` would end the element early, so it
 * becomes `<\/script` (the same string in JS strings, regexes and templates). `<!--` could switch the HTML
 * parser into its "double escaped" state; the inlined builds contain none, and we refuse code that does
 * rather than rewrite it blindly.
 */
export function escapeInlineScript(code: string): string {
  if (code.includes('<!--')) throw new InvariantError('inline script contains "<!--", which is unsafe inside <script>');
  return code.replace(/<\/(script)/gi, '<\\/$1');
}

/**
 * {@link escapeInlineScript} of a file's bytes, as bytes (UTF-8): when the bytes are valid UTF-8 and hold nothing to
 * escape (no `</script` in any case; no `<!--`, which throws as there), the bytes themselves — the inlined builds
 * are ~0.8 MB, and decoding them to a string only to encode the page again costs a few ms per report; otherwise
 * through the string.
 */
export function escapeInlineScriptBytes(bytes: Uint8Array): Uint8Array {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (isUtf8(b) && b.indexOf('<!--') < 0) {
    let clean = true;
    // ASCII bytes are ASCII characters in UTF-8, and a non-ASCII character never matches an ASCII letter of /script/i
    for (let i = b.indexOf('</'); i >= 0 && clean; i = b.indexOf('</', i + 1)) {
      clean = b.toString('latin1', i + 2, i + 8).toLowerCase() !== 'script';
    }
    if (clean) return bytes;
  }
  return Buffer.from(escapeInlineScript(b.toString('utf8')), 'utf8');
}

/** JSON for a `<script type="application/json">`: `<` only occurs inside JSON strings, where \u003c is equivalent. */
export function jsonForScript(value: unknown): string {
  // each replacement only where its character occurs (chart data is ~1 MB of numbers that seldom holds any)
  let json = JSON.stringify(value);
  if (json.includes('<')) json = json.replace(/</g, '\\u003c');
  if (json.includes('\u2028')) json = json.replace(/\u2028/g, '\\u2028');
  if (json.includes('\u2029')) json = json.replace(/\u2029/g, '\\u2029');
  return json;
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** JSON with object keys sorted at every level, 2-space indented (for the resolved config). */
export function sortedJson(value: unknown): string {
  const sortKeys = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sortKeys);
    if (v !== null && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      return Object.fromEntries(Object.keys(o).sort().map((k) => [k, sortKeys(o[k])]));
    }
    return v;
  };
  return JSON.stringify(sortKeys(value), null, 2) ?? 'null';
}

/** ISO-8601 UTC of a unix-ms timestamp (a data value, not the clock). */
function isoUtc(ms: unknown): string {
  return typeof ms === 'number' && Number.isFinite(ms) ? new Date(ms).toISOString().replace('.000Z', 'Z') : 'n/a';
}

/**
 * A run as it reads back from summary.json / events.json: JSON turns NaN and ±Infinity into null, drops
 * undefined and -0. Applying the same round trip before rendering is what makes report.html written by
 * `backtest` byte-identical to the one `ammsim report` rebuilds from the saved files.
 */
export function normalizeRunForReport(run: BacktestResult): BacktestResult {
  return {
    summary: JSON.parse(JSON.stringify(run.summary)) as Summary,
    events: JSON.parse(JSON.stringify(run.events)) as LpEvent[],
    timeseries: run.timeseries,
  };
}

/** The default label of a run: its strategy name from the resolved config, else `run`. */
export function defaultRunLabel(summary: Readonly<Summary>): string {
  const name = (summary as { strategyName?: unknown }).strategyName;
  if (typeof name === 'string' && name !== '') return name;
  const s = (summary.config as Record<string, unknown> | undefined)?.strategy; // runs saved before strategyName
  return typeof s === 'string' && s !== '' ? s : 'run';
}

/** The report.html of one backtest run, exactly as `ammsim backtest` writes it. */
export function buildReportFromRun(run: BacktestResult, options: ReportOptions = {}): string {
  const normalized = normalizeRunForReport(run);
  return renderReportHtml([{ label: defaultRunLabel(normalized.summary), result: normalized }], options);
}

/**
 * {@link buildReportFromRun} as the pieces of its UTF-8 bytes (to be written one after another): the same file,
 * without decoding the inlined libraries and encoding them again.
 */
export function buildReportBytesFromRun(run: BacktestResult, options: ReportOptions = {}): Uint8Array[] {
  const normalized = normalizeRunForReport(run);
  const page = reportPage([{ label: defaultRunLabel(normalized.summary), result: normalized }], options);
  return renderPageBytes(page.title, page.body, page.charts);
}

const CSS = `
:root { color-scheme: light; }
body { font: 14px/1.45 Helvetica, Arial, sans-serif; color: #1d1d1f; margin: 0; background: #fafafa; }
main { max-width: 980px; margin: 0 auto; padding: 24px 28px 48px; background: #fff; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid #e4e4e4; padding-bottom: 4px; }
p.lead { color: #555; margin: 0 0 12px; }
p.verdict { font-size: 16px; font-weight: 600; margin: 6px 0 8px; }
p.context { color: #555; font-size: 13px; margin: 0 0 12px; }
div.warnings { background: #fff4e5; border-left: 4px solid #e8710a; padding: 6px 12px; margin: 8px 0 14px; }
div.warnings ul { margin: 4px 0; padding-left: 20px; }
table { border-collapse: collapse; font-size: 13px; }
th, td { padding: 3px 10px; border-bottom: 1px solid #eee; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; font-family: ui-monospace, Menlo, Consolas, monospace; white-space: nowrap; }
td.unit { color: #777; }
td.neg { color: #b3261e; }
td.hash { font-family: ui-monospace, Menlo, Consolas, monospace; word-break: break-all; font-size: 12px; }
pre { background: #f5f5f7; padding: 10px 12px; overflow-x: auto; font-size: 12px; }
figure.chart { margin: 18px 0 6px; min-height: 300px; }
details.events { margin: 6px 0; }
details.events summary { cursor: pointer; }
.note { color: #777; font-size: 12px; }
`;

function metricsTable(runs: readonly ReportRun[]): string {
  const summaries = runs.map((r) => r.result.summary);
  const head = `<tr><th>metric</th><th>unit</th>${runs.map((r) => `<th>${escapeHtml(r.label)}</th>`).join('')}</tr>`;
  // a metric no run's summary has is no row of blanks (compare's entries carry the figures compare saves)
  const body = metricRows(summaries)
    .filter((m) => summaries.some((s) => m.key in s))
    .map((m) => {
      const cells = summaries
        .map((s) => {
          const v = (s as unknown as Record<string, unknown>)[m.key];
          const neg = typeof v === 'number' && v < 0 && m.format !== 'integer' ? ' neg' : '';
          return `<td class="num${neg}" data-exact="${escapeHtml(exactJson(v))}" title="${escapeHtml(exactJson(v))}">${escapeHtml(formatMetricCell(m.key, v, m.format))}</td>`;
        })
        .join('');
      return `<tr data-key="${escapeHtml(m.key)}"><td>${escapeHtml(m.label)} <span class="note">(${escapeHtml(m.key)})</span></td><td class="unit">${escapeHtml(m.unit)}</td>${cells}</tr>`;
    })
    .join('\n');
  return `<table id="metrics-table">\n<thead>${head}</thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

/** The summary's object-valued keys (e.g. `feeModels`), each as sorted JSON under its name; '' when there are none. */
function summaryObjectsHtml(runs: readonly ReportRun[]): string {
  const summaries = runs.map((r) => r.result.summary as unknown as Record<string, unknown>);
  return objectSummaryKeys(summaries)
    .map((key) => {
      const blocks = runs
        .map((r, i) => {
          const v = summaries[i]![key];
          if (v === undefined) return '';
          return `${runs.length > 1 ? `<p><b>${escapeHtml(r.label)}</b></p>\n` : ''}<pre class="summary-object">${escapeHtml(sortedJson(v))}</pre>`;
        })
        .filter((b) => b !== '');
      return `<h3 id="summary-${escapeHtml(key)}">${escapeHtml(key)}</h3>\n${blocks.join('\n')}`;
    })
    .join('\n');
}

function provenanceTable(runs: readonly ReportRun[]): string {
  const rows: Array<[string, (d: Readonly<Record<string, unknown>>) => string, string]> = [
    ['source', (d) => String(d.kind ?? 'n/a'), ''],
    ['file', (d) => (typeof d.file === 'string' ? d.file : '(built-in synthetic series)'), ''],
    ['rows', (d) => formatMetric(d.rows, 'count'), 'num'],
    ['first', (d) => isoUtc(d.firstTimestampMs), 'num'],
    ['last', (d) => isoUtc(d.lastTimestampMs), 'num'],
    [
      'span',
      (d) =>
        typeof d.firstTimestampMs === 'number' && typeof d.lastTimestampMs === 'number'
          ? `${((d.lastTimestampMs - d.firstTimestampMs) / 86_400_000).toFixed(2)} days`
          : 'n/a',
      'num',
    ],
    ['sha256', (d) => String(d.sha256 ?? 'n/a'), 'hash'],
    [
      'parameters',
      (d) => {
        const p = d.params as Record<string, unknown> | undefined;
        return p === undefined ? '' : Object.keys(p).sort().map((k) => `${k}=${String(p[k])}`).join(', ');
      },
      '',
    ],
  ];
  const head = `<tr><th></th>${runs.map((r) => `<th>${escapeHtml(r.label)}</th>`).join('')}</tr>`;
  const body = rows
    .map(([name, f, cls]) => {
      const cells = runs
        .map((r) => {
          const d = ((r.result.summary as unknown as Record<string, unknown>).data ?? {}) as Record<string, unknown>;
          return `<td${cls === '' ? '' : ` class="${cls}"`}>${escapeHtml(f(d))}</td>`;
        })
        .join('');
      return `<tr data-key="${name}"><td>${name}</td>${cells}</tr>`;
    })
    .join('\n');
  return `<table id="provenance-table">\n<thead>${head}</thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

/** At most this many events per run in the report's table: the first and the last half (events.json has them all). */
export const EVENT_ROWS = 200;

/** An event's number in the table (undefined or null, as a JSON round trip leaves NaN: nothing). */
function eventNumber(x: unknown, format: 'tokens' | 'quote' = 'tokens'): string {
  return typeof x === 'number' ? (x === 0 ? '0' : formatMetric(x, format)) : '';
}

/** What an event moved, in one line (the keys an older events.json lacks are left out). */
function eventMoved(e: LpEvent): string {
  const n = (x: unknown): string => eventNumber(x);
  const pair = (b: unknown, q: unknown): string => `${n(b)} base, ${n(q)} quote`;
  const has = (x: unknown): boolean => typeof x === 'number';
  const fees = has(e.feesBase) ? `; fees ${pair(e.feesBase, e.feesQuote)}` : '';
  switch (e.kind) {
    case 'mint':
      return has(e.base) ? `in ${pair(e.base, e.quote)} → #${String(e.positionId)}; L ${n(e.liquidity)}` : '';
    case 'burn':
      return has(e.base) ? `out ${pair(e.base, e.quote)} ← #${String(e.positionId)}${e.fraction === 1 ? '' : ` (${formatMetric(e.fraction, 'fraction')})`}${fees}` : '';
    case 'collect':
      return has(e.feesBase) ? `fees ${pair(e.feesBase, e.feesQuote)} ← #${String(e.positionId)}` : '';
    case 'swap':
    case 'split': {
      if (!has(e.amountIn)) return '';
      const [inTok, outTok] = e.baseIn ? ['base', 'quote'] : ['quote', 'base'];
      return `${e.baseIn ? 'sell' : 'buy'}: ${n(e.amountIn)} ${inTok} → ${n(e.amountOut)} ${outTok}, fee ${n(e.fee)} ${inTok}; pool ${n(e.priceBefore)} → ${n(e.priceAfter)}`;
    }
    case 'rebalance':
      return has(e.outBase) ? `out ${pair(e.outBase, e.outQuote)}; swaps ${pair(e.swapBase, e.swapQuote)}; in ${pair(e.base, e.quote)}${fees}` : '';
    case 'harvest':
      if (!has(e.rewardTokens)) return '';
      return `claimed ${n(e.rewardTokens)} reward${has(e.rewardFeeTokens) && e.rewardFeeTokens !== 0 ? ` (fees ${n(e.rewardFeeTokens)})` : ''} at ${n(e.rewardPrice)}; ${e.then === 'hold' ? 'held' : `sold ${n(e.soldTokens)} for ${n(e.soldQuote)} quote${e.then === 'compound' ? ', compounded' : ''}`}`;
    default:
      return '';
  }
}

/**
 * The LP events of each run with any, collapsed: a count by kind, then a table (step, time, kind, market price, what
 * moved, gas) of at most {@link EVENT_ROWS} events; '' when no run has events.
 */
function eventsSection(runs: readonly ReportRun[], source: { readonly file: string; readonly where: string } = BACKTEST_EVENTS): string {
  const withEvents = runs.filter((r) => r.result.events.length > 0);
  if (withEvents.length === 0) return '';
  const blocks = withEvents.map((r) => {
    const ev = r.result.events;
    const counts = new Map<string, number>();
    for (const e of ev) counts.set(e.kind, (counts.get(e.kind) ?? 0) + 1);
    const byKind = [...counts].map(([k, c]) => `${formatMetric(c, 'count')} ${k}`).join(', ');
    const half = EVENT_ROWS / 2;
    const shown = ev.length <= EVENT_ROWS ? ev.map((e, i) => [i, e] as const) : [...ev.slice(0, half).map((e, i) => [i, e] as const), ...ev.slice(ev.length - half).map((e, i) => [ev.length - half + i, e] as const)];
    const rows: string[] = [];
    shown.forEach(([i, e], k) => {
      if (k > 0 && i !== shown[k - 1]![0] + 1) rows.push(`<tr><td colspan="6" class="note">… ${formatMetric(i - shown[k - 1]![0] - 1, 'count')} more in ${escapeHtml(source.file)} …</td></tr>`);
      rows.push(
        `<tr data-kind="${escapeHtml(String(e.kind))}"><td class="num">${escapeHtml(String(e.step))}</td><td class="num">${escapeHtml(isoUtc(e.timestampMs))}</td><td>${escapeHtml(String(e.kind))}</td>` +
          `<td class="num">${escapeHtml(eventNumber(e.price))}</td><td>${escapeHtml(eventMoved(e))}</td><td class="num">${escapeHtml(eventNumber(e.gas, 'quote'))}</td></tr>`,
      );
    });
    const label = runs.length > 1 ? `<b>${escapeHtml(r.label)}</b>: ` : '';
    return (
      `<details class="events"><summary>${label}${escapeHtml(formatMetric(ev.length, 'count'))} events (${escapeHtml(byKind)})${ev.length > EVENT_ROWS ? `; the first and last ${half} below` : ''}</summary>\n` +
      `<table class="events">\n<thead><tr><th>step</th><th>time (UTC)</th><th>kind</th><th>price</th><th>what moved (whole tokens; L: liquidity)</th><th>gas</th></tr></thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>\n</details>`
    );
  });
  return [
    '<h2 id="events">LP events</h2>',
    `<p class="note">The LP’s actions, as in ${escapeHtml(source.where)} (which has every event and the exact numbers): mints, burns, collects, swaps (<i>split</i>: the swap to a range’s ratio before a mint), rebalances (the step’s totals) and harvests; gas in quote.</p>`,
    ...blocks,
  ].join('\n');
}

function configSection(runs: readonly ReportRun[]): string {
  return runs
    .map(
      (r) =>
        `${runs.length > 1 ? `<h3>${escapeHtml(r.label)}</h3>\n` : ''}<pre class="config">${escapeHtml(sortedJson((r.result.summary as unknown as Record<string, unknown>).config ?? {}))}</pre>`,
    )
    .join('\n');
}

/** Runs the embedded charts; exposes `window.ammsimRendered` (a promise) and sets `data-rendered` on <html>. */
const RENDER_SCRIPT = `
(function () {
  var charts = JSON.parse(document.getElementById('ammsim-charts').textContent);
  var options = { renderer: 'svg', actions: { export: true, source: false, compiled: false, editor: false } };
  var jobs = charts.map(function (c) { return vegaEmbed('#chart-' + c.id, c.spec, options); });
  window.ammsimRendered = Promise.all(jobs).then(
    function () { document.documentElement.setAttribute('data-rendered', 'ok'); },
    function (e) { document.documentElement.setAttribute('data-rendered', 'error'); console.error(e); }
  );
})();
`;

/**
 * Renders the HTML report of one or more runs; several runs share each chart's axes (lines named
 * `<label>: …`) and get one column each in the tables. Labels must be unique.
 */
export function renderReportHtml(runs: readonly ReportRun[], options: ReportOptions = {}): string {
  const page = reportPage(runs, options);
  return renderPage(page.title, page.body, page.charts);
}

/** The title, body HTML and charts of {@link renderReportHtml}'s page. */
function reportPage(runs: readonly ReportRun[], options: ReportOptions): { title: string; body: string; charts: ReportChart[] } {
  if (runs.length === 0) throw new InvariantError('renderReportHtml needs at least one run');
  const labels = runs.map((r) => r.label);
  if (new Set(labels).size !== labels.length) throw new InvariantError(`run labels must be unique; were ${labels.join(', ')}`);
  // the charts' own options only: the page's `title` is not a chart's (the IL curve takes a title of its own)
  const charts: ReportChart[] = reportCharts(runs, options.maxPoints === undefined ? {} : { maxPoints: options.maxPoints });
  const title = options.title ?? `ammsim report: ${labels.join(' vs ')}`;
  const lead = runs
    .map((r) => {
      const c = ((r.result.summary as unknown as Record<string, unknown>).config ?? {}) as Record<string, unknown>;
      const bits = ['pool', 'fee', 'width', 'capital']
        .filter((k) => c[k] !== undefined && c[k] !== null)
        // as the terminal shows them: the fee in % (0.0005 → 0.05 %), the capital in quote with separators
        .map((k) => `${k} ${k === 'fee' && typeof c[k] === 'number' ? formatMetric(c[k], 'fraction') : k === 'capital' && typeof c[k] === 'number' ? formatMetric(c[k], 'count') : String(c[k])}`);
      return `<b>${escapeHtml(r.label)}</b>${bits.length ? ` (${escapeHtml(bits.join(', '))})` : ''}, ${escapeHtml(formatMetric(r.result.summary.steps, 'count'))} steps`;
    })
    .join('; ');
  const verdicts =
    options.verdicts ??
    runs.flatMap((r) => {
      const v = runVerdict(r.result.summary, runs.length > 1 ? r.label : 'LP');
      return v === undefined ? [] : [v];
    });
  const contexts = runs.map((r) => runContext(r.result.summary, r.result.timeseries.timestamp));
  const context =
    new Set(contexts).size <= 1 ? escapeHtml(contexts[0] ?? '') : runs.map((r, i) => `<b>${escapeHtml(r.label)}</b>: ${escapeHtml(contexts[i]!)}`).join('<br>');
  const warnings = options.warnings ?? runs.flatMap((r) => runWarnings(r.result.summary).map((w) => (runs.length > 1 ? `${r.label}: ${w}` : w)));
  const rewardLines = runs.flatMap((r) => {
    const d = rewardDisclosure(r.result.summary);
    return d === undefined ? [] : [runs.length > 1 ? `<b>${escapeHtml(r.label)}</b>: ${escapeHtml(d)}` : escapeHtml(d)];
  });
  const objects = summaryObjectsHtml(runs);
  const events = eventsSection(runs, options.eventsSource);
  const body = [
    `<h1>${escapeHtml(title)}</h1>`,
    ...verdicts.map((v, i) => `<p class="verdict"${i === 0 ? ' id="verdict"' : ''}>${escapeHtml(v)}.</p>`),
    `<p class="lead">${lead}.</p>`,
    `<p class="context" id="context">${context}</p>`,
    ...(rewardLines.length === 0 ? [] : [`<p class="context" id="rewards">${rewardLines.join('<br>')}.</p>`]),
    ...(warnings.length === 0
      ? []
      : [`<div class="warnings" id="warnings" role="alert"><b>Warnings</b><ul>${warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul></div>`]),
    '<h2 id="metrics">Metrics</h2>',
    ...(options.metricsHtml === undefined ? [] : [options.metricsHtml]),
    metricsTable(runs),
    '<p class="note">Quote units unless stated. Hover a value for the exact number in summary.json.</p>',
    ...(objects === '' ? [] : [objects]),
    '<h2 id="charts">Charts</h2>',
    '<noscript><p>The charts need JavaScript (inlined in this file; no network access is used).</p></noscript>',
    charts.map((c) => `<figure class="chart" id="chart-${c.id}" data-chart="${c.id}"></figure>`).join('\n'),
    ...(events === '' ? [] : [events]),
    ...(options.extraSectionsHtml === undefined ? [] : [options.extraSectionsHtml]),
    '<h2 id="config">Resolved config</h2>',
    options.configHtml ?? configSection(runs),
    '<h2 id="provenance">Data provenance</h2>',
    provenanceTable(runs),
  ].join('\n');
  return { title, body, charts };
}

/**
 * A self-contained page: the inlined libraries, `bodyHtml` (which must hold one `<figure id="chart-<id>">` per
 * chart) and the chart specs as JSON, rendered on load by vega-embed (SVG renderer).
 */
export function renderPage(title: string, bodyHtml: string, charts: readonly ReportChart[]): string {
  const libs = loadBrowserLibraries();
  return pageFrame(title, bodyHtml, charts, libs)
    .map((part) => (typeof part === 'number' ? escapeInlineScript(libs[part]!.code) : part))
    .join('');
}

/** {@link renderPage} as the pieces of its UTF-8 bytes; the inlined libraries are their files' bytes (see escapeInlineScriptBytes). */
export function renderPageBytes(title: string, bodyHtml: string, charts: readonly ReportChart[]): Uint8Array[] {
  const libs = browserLibraryFiles().map(({ name, version, path }) => ({ name, version, bytes: readFileSync(path) }));
  return pageFrame(title, bodyHtml, charts, libs).map((part) => (typeof part === 'number' ? escapeInlineScriptBytes(libs[part]!.bytes) : Buffer.from(part, 'utf8')));
}

/** The page as text pieces, with library k's (escaped) code to go where the number k is. */
function pageFrame(title: string, bodyHtml: string, charts: readonly ReportChart[], libs: ReadonlyArray<{ readonly name: string; readonly version: string }>): Array<string | number> {
  const head = [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="generator" content="ammsim (${libs.map((l) => `${l.name} ${l.version}`).join(', ')})">`,
    `<title>${escapeHtml(title)}</title>`,
    `<style>${CSS}</style>`,
  ].join('\n');
  // the chart data (~1 MB) is a piece of its own: joined into the text around it, it would be copied once more
  const beforeData = ['</head>', '<body>', '<main>', bodyHtml, '</main>', '<script type="application/json" id="ammsim-charts">'].join('\n');
  const afterData = ['</script>', `<script>${RENDER_SCRIPT}</script>`, '</body>', '</html>', ''].join('\n');
  const parts: Array<string | number> = [`${head}\n`];
  libs.forEach((l, k) => {
    parts.push(`${k === 0 ? '' : '\n'}<script data-lib="${l.name}" data-version="${l.version}">`, k, '</script>');
  });
  parts.push(`\n${beforeData}`, jsonForScript(charts), afterData);
  return parts;
}
