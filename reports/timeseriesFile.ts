/**
 * The per-step record on disk: `timeseries.arrow` (Arrow IPC file format) and `timeseries.csv`.
 *
 * Arrow layout: one record batch; column `timestamp` is Arrow `Timestamp[ms, UTC]` (int64 unix milliseconds),
 * every other column of {@link TIMESERIES_COLUMNS} is `Float64`, in that order, non-nullable (a missing value is
 * NaN, not null), then the REWARD_COLUMNS (Float64) when the run has liquidity-mining programs. Optional key/value metadata goes in the schema metadata, keys sorted. The bytes depend only on
 * the input: the same timeseries and metadata always give the same file.
 */
import {
  Field,
  Float64,
  makeData,
  RecordBatch,
  RecordBatchFileWriter,
  Schema,
  Struct,
  Table,
  tableFromIPC,
  tableToIPC,
  TimestampMillisecond,
  Type,
  TimeUnit,
  type Data,
  type DataType,
  type Vector,
} from 'apache-arrow';
import { InputError } from '../sim/core/errors.ts';
import { REWARD_COLUMNS, TIMESERIES_COLUMNS, timeseriesColumnsOf, type RewardColumn, type Timeseries, type TimeseriesColumn } from '../sim/metrics/record.ts';

/** A column of a run's timeseries: the fixed ones, plus the reward columns of a run with programs. */
function columnOf(ts: Timeseries, name: TimeseriesColumn | RewardColumn): Float64Array {
  return (ts as unknown as Record<string, Float64Array>)[name]!;
}

/**
 * Serialises a timeseries to Arrow IPC file bytes. Vectors are built straight from the Float64Arrays
 * (zero-copy for the float columns; the timestamp column is converted once to int64 milliseconds).
 * Timestamps must be integers (unix ms) within ±2^53; a non-integer is truncated toward zero by BigInt
 * conversion, so it is rejected here instead.
 */
export function writeTimeseriesArrow(ts: Timeseries, metadata: Record<string, string> = {}): Uint8Array {
  return tableToIPC(timeseriesTable(ts, metadata), 'file');
}

/**
 * The same bytes as {@link writeTimeseriesArrow}, as the writer's pieces in order (the column buffers among
 * them, uncopied), for a vectored write: joining a year of minute rows into one buffer first copies ~60 MB.
 */
export async function timeseriesArrowChunks(ts: Timeseries, metadata: Record<string, string> = {}): Promise<Uint8Array[]> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of RecordBatchFileWriter.writeAll(timeseriesTable(ts, metadata))) chunks.push(chunk);
  return chunks;
}

function timeseriesTable(ts: Timeseries, metadata: Record<string, string>): Table {
  return float64ColumnsTable(timeseriesColumnsOf(ts).map((name) => [name, columnOf(ts, name)] as const), metadata);
}

/**
 * An Arrow table of named columns, in order, one record batch: a column named `timestamp` is Arrow
 * `Timestamp[ms, UTC]` (integer unix ms), every other `Float64`, all non-nullable; metadata keys sorted. Every
 * column must have as many rows as the first. (timeseries.arrow, and compare's series.arrow: reports/compareDir.ts.)
 */
export function float64ColumnsTable(columns: ReadonlyArray<readonly [name: string, values: Float64Array]>, metadata: Record<string, string> = {}): Table {
  const length = columns[0]?.[1].length ?? 0;
  const fields: Field[] = [];
  const children: Data[] = [];
  for (const [name, col] of columns) {
    if (col.length !== length) {
      throw new RangeError(`timeseries column ${name} must have ${length} rows like timestamp; has ${col.length}`);
    }
    if (name === 'timestamp') {
      const type = new TimestampMillisecond('UTC');
      const ms = toInt64Ms(col);
      fields.push(new Field(name, type, false));
      children.push(makeData({ type, length, nullCount: 0, data: ms }));
    } else {
      const type = new Float64();
      fields.push(new Field(name, type, false));
      children.push(makeData({ type, length, nullCount: 0, data: col }));
    }
  }
  const meta = new Map<string, string>();
  for (const key of Object.keys(metadata).sort()) meta.set(key, metadata[key]!);
  const schema = new Schema(fields, meta);
  const struct = makeData({ type: new Struct(fields), length, nullCount: 0, children });
  return new Table(schema, [new RecordBatch(schema, struct)]);
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const TWO_32 = 4294967296;

/**
 * Integer unix milliseconds as int64. Writes the two 32-bit halves of each value (a safe integer is
 * hi·2³² + lo with lo in [0, 2³²), hi a signed 32-bit integer for |t| < 2⁵³) instead of allocating a BigInt
 * per row; on a big-endian platform it falls back to BigInt conversion.
 */
function toInt64Ms(col: Float64Array): BigInt64Array {
  const length = col.length;
  const out = new BigInt64Array(length);
  for (let i = 0; i < length; i++) {
    const t = col[i]!;
    if (!Number.isSafeInteger(t)) throw new RangeError(`timeseries timestamp must be an integer unix ms; row ${i + 1} was ${t}`);
  }
  if (!LITTLE_ENDIAN) {
    for (let i = 0; i < length; i++) out[i] = BigInt(col[i]!);
    return out;
  }
  const lo = new Uint32Array(out.buffer, out.byteOffset, length * 2);
  const hi = new Int32Array(out.buffer, out.byteOffset, length * 2);
  for (let i = 0; i < length; i++) {
    const t = col[i]!;
    const h = Math.floor(t / TWO_32);
    lo[2 * i] = t - h * TWO_32;
    hi[2 * i + 1] = h;
  }
  return out;
}

/** Reads a timeseries column of any Arrow numeric/timestamp type into a fresh Float64Array (copy). */
export function columnToFloat64(vec: Vector, length: number, file: string, name: string): Float64Array {
  const out = new Float64Array(length);
  let at = 0;
  for (const chunk of vec.data as Data<DataType>[]) {
    const n = chunk.length;
    if (chunk.nullCount > 0) {
      for (let i = 0; i < n; i++) {
        if (!chunk.getValid(i)) {
          throw new InputError(file, undefined, name, `must have no null values (write NaN instead); row ${at + i + 1} was null`);
        }
      }
    }
    const values = chunk.values as ArrayLike<number | bigint>;
    const type = chunk.type;
    if (type.typeId === Type.Timestamp) {
      const unit = (type as unknown as { unit: TimeUnit }).unit;
      for (let i = 0; i < n; i++) {
        const v = values[i]!;
        out[at + i] = timestampToMs(typeof v === 'bigint' ? v : BigInt(v), unit);
      }
    } else if (type.typeId === Type.Float || type.typeId === Type.Int) {
      for (let i = 0; i < n; i++) out[at + i] = Number(values[i]!);
    } else {
      throw new InputError(file, undefined, name, `must be a Float64 (or Timestamp for timestamp) column; was ${String(type)}`);
    }
    at += n;
  }
  return out;
}

function timestampToMs(v: bigint, unit: TimeUnit): number {
  switch (unit) {
    case TimeUnit.SECOND:
      return Number(v * 1000n);
    case TimeUnit.MILLISECOND:
      return Number(v);
    case TimeUnit.MICROSECOND:
      return Number(v / 1000n);
    case TimeUnit.NANOSECOND:
      return Number(v / 1_000_000n);
  }
}

/**
 * Inverse of {@link writeTimeseriesArrow}: bit-exact for files it wrote. `file` names the source in errors.
 * Throws InputError when the bytes are not an Arrow IPC file or a column of TIMESERIES_COLUMNS is missing; the
 * REWARD_COLUMNS are read when the file has them; other extra columns are ignored.
 */
export function readTimeseriesArrow(bytes: Uint8Array, file: string): Timeseries {
  let table: Table;
  try {
    table = tableFromIPC(bytes);
  } catch (err) {
    throw new InputError(file, undefined, undefined, `must be an Arrow IPC file; could not be read (${(err as Error).message})`, { cause: err });
  }
  const length = table.numRows;
  const out = {} as Record<TimeseriesColumn, Float64Array>;
  for (const name of TIMESERIES_COLUMNS) {
    const vec = table.getChild(name);
    if (vec === null) {
      const present = table.schema.fields.map((f) => f.name).join(', ');
      throw new InputError(file, undefined, name, `column is required in a timeseries file; columns found: ${present === '' ? '(none)' : present}`);
    }
    if (name === 'timestamp' && vec.type.typeId !== Type.Timestamp) {
      throw new InputError(file, undefined, name, `must be an Arrow Timestamp column; was ${String(vec.type)}`);
    }
    out[name] = columnToFloat64(vec, length, file, name);
  }
  // A run with liquidity-mining programs also has the reward columns (all of them, or none).
  if (table.getChild(REWARD_COLUMNS[0]) !== null) {
    const rewards = out as unknown as Record<RewardColumn, Float64Array>;
    for (const name of REWARD_COLUMNS) {
      const vec = table.getChild(name);
      if (vec === null) throw new InputError(file, undefined, name, `column is required with ${REWARD_COLUMNS[0]} (the reward columns: ${REWARD_COLUMNS.join(', ')})`);
      rewards[name] = columnToFloat64(vec, length, file, name);
    }
  }
  return out;
}

/** Reads the schema metadata of a timeseries file written with {@link writeTimeseriesArrow}. */
export function readTimeseriesArrowMetadata(bytes: Uint8Array): Map<string, string> {
  return new Map(tableFromIPC(bytes).schema.metadata);
}
