/**
 * Shared pieces of the report's vega-lite specs: layout, the UTC time axis, long-format line rows and
 * series naming. Every chart inlines its data as `values` (no URLs), so a spec renders offline.
 */
import type { TopLevelSpec } from 'vega-lite';
import { chartNumber, minMaxIndices } from '../downsample.ts';
import { groupThousands } from '../../sim/core/format.ts';
import { DEFAULT_MAX_POINTS, type ChartOptions, type ReportRun } from '../model.ts';

export const VEGA_LITE_SCHEMA_URL = 'https://vega.github.io/schema/vega-lite/v6.json';
export const CHART_WIDTH = 760;
export const CHART_HEIGHT = 240;

/** A row of chart data (JSON-serialisable; numbers already rounded by {@link chartNumber}). */
export type ChartRow = Record<string, number | string | null>;

/** The stated downsampling method, shown in chart subtitles. */
export function downsampleNote(opts: ChartOptions): string {
  return `lines downsampled by min/max per bucket to ≤ ${groupThousands(String(maxPointsOf(opts)))} points; tables use all rows`;
}

export function maxPointsOf(opts: ChartOptions): number {
  return opts.maxPoints ?? DEFAULT_MAX_POINTS;
}

/**
 * The name of a line: plain (`LP value`) for a single run, `<run label>: LP value` when several runs share
 * the axes.
 */
export function lineName(runs: readonly ReportRun[], run: ReportRun, name: string): string {
  return runs.length > 1 ? `${run.label}: ${name}` : name;
}

let scratchBuffer = new Float64Array(0);

/**
 * A work array of `n` values for a derived line (PnL terms, drawdown …), valid until the next call: the
 * report draws one derived line at a time, so one buffer serves them all instead of a fresh array per line
 * (each fresh 4 MB array of a minute-data year costs its page faults again).
 */
export function scratchArray(n: number): Float64Array {
  if (scratchBuffer.length < n) scratchBuffer = new Float64Array(n);
  return scratchBuffer.subarray(0, n);
}

/** Long-format rows `{t, series, v}` of one line, downsampled by {@link minMaxIndices}. */
export function lineRows(series: string, t: ArrayLike<number>, v: ArrayLike<number>, opts: ChartOptions): ChartRow[] {
  if (t.length !== v.length) throw new RangeError(`line ${series}: ${t.length} timestamps but ${v.length} values`);
  const rows: ChartRow[] = [];
  for (const i of minMaxIndices(v, maxPointsOf(opts))) rows.push({ t: t[i]!, series, v: chartNumber(v[i]!) });
  return rows;
}

/** The common top of every spec: schema, title with subtitle, fixed size (deterministic SVG), config. */
export function specFrame(title: string, subtitle: string | readonly string[]) {
  return {
    $schema: VEGA_LITE_SCHEMA_URL,
    title: { text: title, subtitle: typeof subtitle === 'string' ? subtitle : [...subtitle], anchor: 'start' as const },
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    config: {
      font: 'Helvetica, Arial, sans-serif',
      title: { fontSize: 15, subtitleFontSize: 11, subtitleColor: '#555' },
      legend: { orient: 'bottom' as const, columns: 3, labelLimit: 320, symbolType: 'stroke' },
      axis: { labelFontSize: 11, titleFontSize: 12, grid: true, gridColor: '#eee' },
    },
  };
}

/** The x channel for unix-ms timestamps, read and labelled in UTC (so output does not depend on the host's zone). */
export function timeX() {
  return {
    field: 't',
    type: 'temporal' as const,
    title: 'time (UTC)',
    scale: { type: 'utc' as const },
    axis: { labelOverlap: true, tickCount: 8 },
  };
}

/** Tooltip for a `{t, series, v}` row, time in UTC. */
export function lineTooltip(valueTitle: string, format: string) {
  return [
    { field: 'series', type: 'nominal' as const, title: 'series' },
    { field: 't', type: 'temporal' as const, timeUnit: 'utcyearmonthdatehoursminutes' as const, title: 'time (UTC)' },
    { field: 'v', type: 'quantitative' as const, title: valueTitle, format },
  ];
}

/**
 * A multi-line time chart over long-format rows. `domain` fixes the legend order (and colours) to the order
 * the lines were added, not alphabetical.
 */
export function multiLineSpec(args: {
  title: string;
  subtitle: string | readonly string[];
  rows: ChartRow[];
  domain: readonly string[];
  yTitle: string;
  yFormat: string;
  zero?: boolean;
}): TopLevelSpec {
  return {
    ...specFrame(args.title, args.subtitle),
    data: { values: args.rows },
    mark: { type: 'line', strokeWidth: 1.5, invalid: 'break-paths-show-domains' },
    encoding: {
      x: timeX(),
      y: { field: 'v', type: 'quantitative', title: args.yTitle, axis: { format: args.yFormat }, scale: { zero: args.zero ?? false } },
      color: { field: 'series', type: 'nominal', title: null, scale: { domain: [...args.domain] }, sort: [...args.domain] },
      tooltip: lineTooltip(args.yTitle, args.yFormat),
    },
  };
}

/** Map-like unique push that keeps first-insertion order. */
export function pushUnique(list: string[], name: string): void {
  if (!list.includes(name)) list.push(name);
}
