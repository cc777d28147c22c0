/**
 * sweep.arrow: the sweep table as an Arrow IPC file, one row per configuration in grid order. Columns: each
 * axis (Float64, Utf8 or Bool by its values), then each metric (Float64; null for a configuration that failed,
 * NaN where the metric itself is undefined), then `warnings` (Utf8, the run's warnings joined by "; ", null when
 * none) and `error` (Utf8, null when the configuration ran). The same
 * table always gives the same bytes.
 */
import { Bool, Float64, makeData, makeVector, Table, tableFromIPC, tableToIPC, Utf8, vectorFromArray, type Vector } from 'apache-arrow';
import { InputError } from '../../sim/core/errors.ts';

export type SweepValue = number | string | boolean;

/** The table as the report reads it (structurally the same as runs/sweep's table rows). */
export interface SweepTable {
  readonly axes: readonly string[];
  readonly metrics: readonly string[];
  readonly rows: ReadonlyArray<{ readonly values: readonly SweepValue[]; readonly metrics: readonly number[] | null; readonly warnings: string | null; readonly error: string | null }>;
}

export function writeSweepArrow(t: SweepTable): Uint8Array {
  const columns: Record<string, Vector> = {};
  const n = t.rows.length;
  t.axes.forEach((name, a) => {
    const vals = t.rows.map((r) => r.values[a]!);
    const kind = typeof vals[0];
    columns[name] = kind === 'number' ? float64Column(n, (i) => vals[i] as number) : kind === 'boolean' ? vectorFromArray(vals as boolean[], new Bool()) : vectorFromArray(vals.map(String), new Utf8());
  });
  t.metrics.forEach((name, m) => {
    columns[name] = float64Column(n, (i) => (t.rows[i]!.metrics === null ? null : t.rows[i]!.metrics![m]!));
  });
  columns.warnings = vectorFromArray(t.rows.map((r) => r.warnings), new Utf8());
  columns.error = vectorFromArray(t.rows.map((r) => r.error), new Utf8());
  return tableToIPC(new Table(columns), 'file');
}

/**
 * A Float64 column from its values (null = missing), filled straight into its buffers: apache-arrow's builder
 * (`vectorFromArray`) took ~10 µs a value, most of a 10,000-row sweep's Arrow file. Written to the same bytes (the
 * IPC writer keeps a validity bitmap only for a column with nulls, and writes it whole).
 */
function float64Column(n: number, valueAt: (i: number) => number | null): Vector<Float64> {
  const values = new Float64Array(n);
  // a bit per value, set where it is not null; in whole 64-byte blocks, trailing bits 0, as the builder makes it
  const valid = new Uint8Array(Math.ceil(n / 512) * 64);
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    const v = valueAt(i);
    if (v === null) nulls++;
    else {
      values[i] = v;
      valid[i >> 3]! |= 1 << (i & 7);
    }
  }
  return makeVector(makeData({ type: new Float64(), length: n, nullCount: nulls, data: values, ...(nulls === 0 ? {} : { nullBitmap: valid }) }));
}

/** Reads sweep.arrow back; `axes` and `metrics` (from sweep.json) name its columns in order. */
export function readSweepArrow(bytes: Uint8Array, axes: readonly string[], metrics: readonly string[], file = 'sweep.arrow'): SweepTable {
  let table: ReturnType<typeof tableFromIPC>;
  try {
    table = tableFromIPC(bytes);
  } catch (err) {
    throw new InputError(file, undefined, undefined, `is not a readable Arrow IPC file (${err instanceof Error ? err.message : String(err)}); rebuild it with the sweep's command`);
  }
  const want = [...axes, ...metrics, 'warnings', 'error'];
  // a file cut short, or not Arrow at all, can parse as a table with no schema or no columns
  if (table.schema === null || table.schema === undefined || table.schema.fields.length === 0) {
    throw new InputError(file, undefined, undefined, 'is not a sweep table (no columns: cut short, or not an Arrow IPC file); rebuild it with the sweep\'s command');
  }
  const have = table.schema.fields.map((f) => f.name);
  if (JSON.stringify(have) !== JSON.stringify(want)) throw new InputError(file, undefined, undefined, `columns must be ${want.join(', ')} (as sweep.json says); are ${have.join(', ')}`);
  const cols = want.map((n) => table.getChild(n)!);
  const rows: Array<SweepTable['rows'][number]> = [];
  for (let i = 0; i < table.numRows; i++) {
    const values = axes.map((_, a) => cols[a]!.get(i) as SweepValue);
    const warnings = cols[want.length - 2]!.get(i) as string | null;
    const error = cols[want.length - 1]!.get(i) as string | null;
    const metricValues = metrics.map((_, m) => cols[axes.length + m]!.get(i) as number | null);
    rows.push({ values, metrics: error !== null ? null : metricValues.map((v) => (v === null ? NaN : v)), warnings, error });
  }
  return { axes, metrics, rows };
}
