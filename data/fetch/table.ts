import { Field, Float64, Int32, makeData, RecordBatch, Schema, Struct, Table, tableFromIPC, tableToIPC, Uint32, Utf8, vectorFromArray, type DataType } from 'apache-arrow';
import { InputError } from '../../sim/core/errors.ts';

/**
 * Row tables for fetched data: a fixed list of typed columns, rows as arrays of cells, written to and read
 * from Arrow IPC files (and CSV). Big integers from contracts (int256 amounts, uint160 prices) are kept as
 * decimal strings (`utf8`) so nothing is rounded; derived floats sit in their own `f64` columns.
 */
export type ColumnKind = 'f64' | 'i32' | 'u32' | 'utf8';
export type Cell = number | string | null;
export type Row = Cell[];

export interface ColumnSpec {
  readonly name: string;
  readonly kind: ColumnKind;
  readonly nullable: boolean;
  /** One line for the README/--help: units and meaning. */
  readonly doc: string;
}

function arrowType(kind: ColumnKind): DataType {
  switch (kind) {
    case 'f64':
      return new Float64();
    case 'i32':
      return new Int32();
    case 'u32':
      return new Uint32();
    case 'utf8':
      return new Utf8();
  }
}

/** Builds an Arrow table with `metadata` in the schema (provenance lives there, never in the data columns). */
export function buildTable(columns: readonly ColumnSpec[], rows: readonly Row[], metadata: ReadonlyMap<string, string>): Table {
  const fields = columns.map((c) => new Field(c.name, arrowType(c.kind), c.nullable));
  const schema = new Schema(fields, new Map(metadata));
  const children = columns.map((c, j) => {
    const values = rows.map((r) => r[j] ?? null);
    return vectorFromArray(values as never[], arrowType(c.kind)).data[0]!;
  });
  const data = makeData({ type: new Struct(schema.fields), length: rows.length, nullCount: 0, children });
  return new Table(schema, [new RecordBatch(schema, data)]);
}

/** Serialises a table as an Arrow IPC file (the format `.arrow`/`.feather` readers expect). */
export function tableToArrowFile(table: Table): Uint8Array {
  return tableToIPC(table, 'file');
}

/**
 * Reads rows back from Arrow IPC bytes, checking that the columns are exactly `columns` (name, type).
 * Throws InputError naming `file` when they are not.
 */
export function readRows(bytes: Uint8Array, columns: readonly ColumnSpec[], file: string): { rows: Row[]; metadata: Map<string, string> } {
  let table: Table;
  try {
    table = tableFromIPC(bytes);
  } catch (err) {
    throw new InputError(file, undefined, undefined, `not a readable Arrow IPC file (${(err as Error).message})`, { cause: err });
  }
  const got = table.schema.fields.map((f) => `${f.name}:${String(f.type)}`).join(',');
  const want = columns.map((c) => `${c.name}:${String(arrowType(c.kind))}`).join(',');
  if (got !== want) throw new InputError(file, undefined, undefined, `columns must be ${want}; were ${got}`);
  const vectors = columns.map((c) => table.getChild(c.name)!);
  const rows: Row[] = [];
  for (let i = 0; i < table.numRows; i++) {
    rows.push(vectors.map((v) => {
      const x = v.get(i) as Cell | undefined;
      return x ?? null;
    }));
  }
  return { rows, metadata: new Map(table.schema.metadata) };
}

/**
 * Sorts rows by the key columns (numbers ascending, strings by code unit) and drops rows whose key repeats,
 * keeping the first occurrence in input order. Returns the number of duplicates dropped.
 */
export function sortAndDedupe(rows: Row[], keyIndexes: readonly number[]): { rows: Row[]; duplicates: number } {
  const indexed = rows.map((r, i) => [r, i] as const);
  indexed.sort((a, b) => {
    for (const k of keyIndexes) {
      const x = a[0][k] ?? null;
      const y = b[0][k] ?? null;
      if (x === y) continue;
      if (x === null) return -1;
      if (y === null) return 1;
      return x < y ? -1 : 1;
    }
    return a[1] - b[1];
  });
  const out: Row[] = [];
  let duplicates = 0;
  let prev: Row | undefined;
  for (const [r] of indexed) {
    if (prev !== undefined && keyIndexes.every((k) => prev![k] === r[k])) {
      duplicates++;
      continue;
    }
    out.push(r);
    prev = r;
  }
  return { rows: out, duplicates };
}

/**
 * CSV with a header row. Numbers use the shortest round-trip form (`String(n)`), null is empty; strings
 * are quoted only when they contain a comma, quote or newline.
 */
export function rowsToCsv(columns: readonly ColumnSpec[], rows: readonly Row[]): string {
  const cell = (v: Cell): string => {
    if (v === null) return '';
    const s = String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [columns.map((c) => c.name).join(',')];
  for (const r of rows) lines.push(r.map(cell).join(','));
  return `${lines.join('\n')}\n`;
}
