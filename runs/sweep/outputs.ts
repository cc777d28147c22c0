/**
 * What a finished sweep writes besides its journal: sweep.csv (one row per configuration in grid order: every
 * axis, then every metric, then the run's warnings and the error of a failed configuration) and sweep.json (the grid, its hash, the
 * base config, the data's provenance, the digests of the other input files it names, the counts and the report's settings).
 */
import type { AxisValue, Grid } from './grid.ts';
import type { JournalRow } from './journal.ts';
import type { Shard, SweepIdentity } from './sweep.ts';

/** The report's settings, kept in sweep.json so that `ammsim report` rebuilds the same report. */
export interface SweepReportSettings {
  /** The metric ranked, charted and coloured. */
  readonly metric: string;
  /** Two axes for a heatmap, or null for a line per axis. */
  readonly heatmap: readonly [string, string] | null;
  /** Rows in the top table. */
  readonly top: number;
}

/** A row of the table: the configuration's axis values, then its metrics and warnings (joined by "; "), or its error. */
export interface SweepTableRow {
  readonly k: number;
  readonly values: readonly AxisValue[];
  readonly metrics: readonly number[] | null;
  readonly warnings: string | null;
  readonly error: string | null;
}

export function tableRows(grid: Grid, rows: readonly JournalRow[]): SweepTableRow[] {
  return rows.map((r) => ({ k: r.k, values: grid.values(r.k), metrics: r.metrics ?? null, warnings: r.warnings !== undefined && r.warnings.length > 0 ? r.warnings.join('; ') : null, error: r.error ?? null }));
}

function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * A row's metric fields of sweep.csv, comma-separated: numbers in JS's shortest round-trip form; NaN and ±Infinity
 * (and every metric of a failed row) empty. The same text for a row and for its journal round trip (-0 reads "0").
 */
export function metricsCsv(metrics: readonly number[] | null | undefined, count: number): string {
  let text = '';
  for (let i = 0; i < count; i++) {
    const v = metrics?.[i];
    text += (i === 0 ? '' : ',') + (v !== undefined && Number.isFinite(v) ? String(v) : '');
  }
  return text;
}

/**
 * sweep.csv: see {@link metricsCsv} for the numbers. `metricsText`: rows' metric fields already made (by
 * configuration index), e.g. by the worker threads that ran them; the others are made here.
 */
export function sweepCsv(axisNames: readonly string[], metricNames: readonly string[], rows: readonly SweepTableRow[], metricsText?: ReadonlyMap<number, string>): string {
  const lines = [[...axisNames, ...metricNames, 'warnings', 'error'].map(csvField).join(',')];
  const n = metricNames.length;
  for (const r of rows) {
    const metrics = metricsText?.get(r.k) ?? metricsCsv(r.metrics, n);
    lines.push([...r.values.map((v) => csvField(String(v))), ...(n === 0 ? [] : [metrics]), csvField(r.warnings ?? ''), csvField(r.error ?? '')].join(','));
  }
  return lines.join('\n') + '\n';
}

/**
 * sweep.json (2-space JSON, keys in a fixed order). `noiseSizeGiven: true` follows `base` when the base has that mark
 * (worker.ts SweepBase; in the grid hash), and only then. `inputFiles` ([{path, sha256}], sorted by path: the files the
 * config names besides the series, which are in the grid hash) comes last, and only when there are any.
 */
export function sweepJson(identity: SweepIdentity, metrics: readonly string[], shard: Shard | undefined, rows: readonly JournalRow[], report: SweepReportSettings): string {
  const failures = rows.filter((r) => r.error !== undefined);
  return (
    JSON.stringify(
      {
        kind: 'ammsim-sweep',
        version: 1,
        gridHash: identity.hash,
        grid: identity.grid.toJson(),
        shard: shard === undefined ? null : { index: shard.index, count: shard.count },
        metrics: [...metrics],
        rows: rows.length,
        failed: failures.length,
        firstFailure: failures[0]?.error ?? null,
        warned: rows.filter((r) => r.warnings !== undefined && r.warnings.length > 0).length,
        report: { metric: report.metric, heatmap: report.heatmap, top: report.top },
        base: identity.base,
        // only when the base has the mark (--noise-size beside a --noise-rate axis), so that other sweeps' sweep.json is as before
        ...(identity.noiseSizeGiven === true ? { noiseSizeGiven: true } : {}),
        data: identity.data,
        // only when the config names input files besides the series, so that other sweeps' sweep.json is as before
        ...(identity.inputFiles === undefined || identity.inputFiles.length === 0 ? {} : { inputFiles: identity.inputFiles.map(([path, sha256]) => ({ path, sha256 })) }),
      },
      null,
      2,
    ) + '\n'
  );
}
