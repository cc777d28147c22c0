/**
 * Arrow IPC price loader (`.arrow`, `.feather` v2 — both are the Arrow IPC file format; the IPC stream
 * format is read too). Same columns and rules as the CSV loader (`csvPrices.ts`):
 * - timestamp column `timestamp` | `time` | `date` | `datetime` (case-insensitive), of type Timestamp (any
 *   unit, floored to the ms, exactly), Date, an integer or float of unix seconds / milliseconds (magnitude rule of
 *   `timestamps.ts`, fixed by the first row), or Utf8 ISO-8601 text (UTC when no zone);
 * - price column `price`, else `close`: a numeric column, finite and > 0;
 * - every other numeric column becomes an extra (nulls become NaN), sorted by name; other columns are dropped;
 * - rows strictly increasing in time.
 * Errors name the row: `prices.arrow: row 7: price: …`, rows counted from 1 (the first data row).
 * The file is read whole (Arrow is a binary columnar format: there is no text to stream).
 */
import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { DateUnit, Precision, tableFromIPC, TimeUnit, Type, util, type Data, type DataType, type Table, type Vector } from 'apache-arrow';
import { InputError, RowInputError } from '../../sim/core/errors.ts';
import { makeSeries, type PriceSeries } from '../../sim/core/series.ts';
import { checkReadableFile, PRICE_COLUMNS, TIMESTAMP_COLUMNS } from './csvPrices.ts';
import { isoForMessage, parseIsoUtcMs, quoteForMessage, unixToMs, unixUnitOf, UNIX_SECONDS_LIMIT } from './timestamps.ts';

export interface ArrowPricesOptions {
  readonly timestampColumn?: string;
  readonly priceColumn?: string;
  readonly kind?: string;
}

/**
 * The value of a numeric Arrow column as float64 per row, NaN for nulls; `firstNull` is the first null row (0-based) or -1.
 * `convert`, when given, turns each stored value (a bigint for 64-bit integers) into the float64 instead of `Number()`.
 */
function numericValues(vec: Vector, convert?: (raw: number | bigint) => number): { values: Float64Array; firstNull: number } {
  const out = new Float64Array(vec.length);
  let firstNull = -1;
  let at = 0;
  for (const chunk of vec.data as Data<DataType>[]) {
    const n = chunk.length;
    const values = chunk.values as ArrayLike<number | bigint>;
    const stride = (chunk as unknown as { stride?: number }).stride ?? 1;
    const bigint = values instanceof BigInt64Array || values instanceof BigUint64Array;
    // a Float16 column holds each value's 16 bits in a Uint16Array: decoded, not read as the integer they spell
    const half = chunk.type.typeId === Type.Float && (chunk.type as unknown as { precision: Precision }).precision === Precision.HALF;
    for (let i = 0; i < n; i++) {
      const raw = values[i * stride]!;
      out[at + i] = convert !== undefined ? convert(raw) : bigint ? Number(raw) : half ? util.uint16ToFloat64(raw as number) : (raw as number);
    }
    if (chunk.nullCount > 0) {
      for (let i = 0; i < n; i++) {
        if (!chunk.getValid(i)) {
          out[at + i] = Number.NaN;
          if (firstNull < 0) firstNull = at + i;
        }
      }
    }
    at += n;
  }
  return { values: out, firstNull };
}

/** `a / b` rounded toward −∞ (BigInt division rounds toward 0), for `b` > 0. */
function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b < 0n ? q - 1n : q;
}

/**
 * A Timestamp or Date value in whole unix ms, `floor(raw × msPer / perMs)`. A 64-bit value is scaled in BigInt and
 * only then made a double: `Number()` of a nanosecond count rounds above 2^53, and a product with 1e-6 (or 1e-3)
 * can fall just below the ms, so 2024-01-01T00:00:00.001 in ns read as .000.
 */
function timeUnitToMs(msPer: bigint, perMs: bigint): (raw: number | bigint) => number {
  const scale = Number(msPer) / Number(perMs);
  return (raw) => (typeof raw === 'bigint' ? Number(perMs === 1n ? raw * msPer : floorDiv(raw * msPer, perMs)) : Math.floor(raw * scale));
}

function isNumeric(t: DataType): boolean {
  return t.typeId === Type.Float || t.typeId === Type.Int;
}

/** Loads an Arrow IPC price file. */
export async function loadArrowPrices(file: string, options: ArrowPricesOptions = {}): Promise<PriceSeries> {
  await checkReadableFile(file);
  const bytes = await readFile(file);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  let table: Table;
  try {
    table = tableFromIPC(bytes);
  } catch (err) {
    throw new InputError(file, undefined, undefined, `must be an Arrow IPC file (.arrow or Feather v2); could not be read: ${(err as Error).message}`, { cause: err });
  }
  return arrowTableToSeries(table, file, sha256, options);
}

/** The checks and column mapping of {@link loadArrowPrices} on an in-memory table. */
export function arrowTableToSeries(table: Table, file: string, sha256: string, options: ArrowPricesOptions = {}): PriceSeries {
  const fields = table.schema.fields;
  const names = fields.map((f) => f.name);
  const list = names.join(', ');
  const find = (wanted: string | undefined, candidates: readonly string[], field: string, rule: string): number => {
    if (wanted !== undefined) {
      const i = names.indexOf(wanted);
      if (i < 0) throw new InputError(file, undefined, wanted, `column is required (${field} column chosen by option); columns: ${list}`);
      return i;
    }
    for (const c of candidates) {
      const i = names.findIndex((n) => n.toLowerCase() === c);
      if (i >= 0) return i;
    }
    throw new InputError(file, undefined, field, `${rule}; columns: ${list === '' ? '(none)' : list}`);
  };
  const tsIndex = find(options.timestampColumn, TIMESTAMP_COLUMNS, 'timestamp', 'must have a timestamp column ("timestamp", "time", "date" or "datetime")');
  const priceIndex = find(options.priceColumn, PRICE_COLUMNS, 'price', 'must have a price column ("price", or "close")');
  const tsName = names[tsIndex]!;
  const priceName = names[priceIndex]!;
  const n = table.numRows;
  if (n === 0) throw new InputError(file, undefined, 'rows', 'must have at least one data row; found none');

  // timestamps
  const tsVec = table.getChildAt(tsIndex)!;
  const tsType = tsVec.type as DataType;
  const timestampMs = new Float64Array(n);
  let tsFormat: string;
  function failRow(row0: number, field: string, problem: string): never {
    throw new RowInputError(file, row0 + 1, field, problem);
  }
  if (tsType.typeId === Type.Timestamp || tsType.typeId === Type.Date) {
    let msPer = 1n; // ms = floor(raw × msPer / perMs)
    let perMs = 1n;
    if (tsType.typeId === Type.Timestamp) {
      const unit = (tsType as unknown as { unit: TimeUnit }).unit;
      if (unit === TimeUnit.SECOND) msPer = 1000n;
      else if (unit === TimeUnit.MICROSECOND) perMs = 1000n;
      else if (unit === TimeUnit.NANOSECOND) perMs = 1_000_000n;
      tsFormat = `arrow-timestamp-${TimeUnit[unit].toLowerCase()}`;
    } else {
      const unit = (tsType as unknown as { unit: DateUnit }).unit;
      if (unit === DateUnit.DAY) msPer = 86_400_000n;
      tsFormat = `arrow-date-${DateUnit[unit].toLowerCase()}`;
    }
    const { values, firstNull } = numericValues(tsVec, timeUnitToMs(msPer, perMs));
    if (firstNull >= 0) failRow(firstNull, tsName, 'must be a time; was null');
    timestampMs.set(values);
  } else if (isNumeric(tsType)) {
    const { values, firstNull } = numericValues(tsVec);
    if (firstNull >= 0) failRow(firstNull, tsName, 'must be a time; was null');
    const unit = unixUnitOf(values[0]!);
    if (unit === undefined || !Number.isFinite(values[0]!)) failRow(0, tsName, `must be unix seconds or unix milliseconds (below 1e14); was ${values[0]}`);
    tsFormat = unit === 's' ? 'unix-seconds' : 'unix-milliseconds';
    for (let i = 0; i < n; i++) {
      const v = values[i]!;
      if (!Number.isFinite(v) || unixUnitOf(v) !== unit) {
        const rule = unit === 's' ? `unix seconds (below ${UNIX_SECONDS_LIMIT})` : `unix milliseconds (${UNIX_SECONDS_LIMIT} to 1e14)`;
        failRow(i, tsName, `must be ${rule} like row 1; was ${v}`);
      }
      timestampMs[i] = unixToMs(v, unit!);
    }
  } else if (tsType.typeId === Type.Utf8 || tsType.typeId === Type.LargeUtf8) {
    tsFormat = 'iso-8601';
    for (let i = 0; i < n; i++) {
      const s = tsVec.get(i) as string | null;
      if (s === null) failRow(i, tsName, 'must be a time; was null');
      const t = parseIsoUtcMs(s);
      if (Number.isNaN(t)) failRow(i, tsName, `must be an ISO-8601 date-time (UTC unless it has a zone); was ${quoteForMessage(s)}`);
      timestampMs[i] = t;
    }
  } else {
    throw new InputError(file, undefined, tsName, `must be a Timestamp, Date, integer, float or text column; was ${String(tsType)}`);
  }
  for (let i = 1; i < n; i++) {
    const t = timestampMs[i]!;
    const prev = timestampMs[i - 1]!;
    if (!(t > prev)) {
      failRow(i, tsName, t === prev ? `must be strictly increasing; was ${isoForMessage(t)}, the same time as row ${i}` : `must be strictly increasing; was ${isoForMessage(t)}, earlier than row ${i} (${isoForMessage(prev)})`);
    }
  }

  // price
  const priceVec = table.getChildAt(priceIndex)!;
  if (!isNumeric(priceVec.type as DataType)) throw new InputError(file, undefined, priceName, `must be a numeric column; was ${String(priceVec.type)}`);
  const { values: price } = numericValues(priceVec);
  for (let i = 0; i < n; i++) {
    const p = price[i]!;
    if (!(p > 0 && p < Number.POSITIVE_INFINITY)) {
      const isNull = !priceVec.isValid(i);
      failRow(i, priceName, `must be a finite number > 0; was ${isNull ? 'null' : String(p)}`);
    }
  }

  // extras
  const extraNames = fields
    .map((f, i) => ({ f, i }))
    .filter(({ f, i }) => i !== tsIndex && i !== priceIndex && isNumeric(f.type as DataType))
    .sort((a, b) => (a.f.name < b.f.name ? -1 : a.f.name > b.f.name ? 1 : 0));
  const extra = new Map<string, Float64Array>();
  for (const { f, i } of extraNames) extra.set(f.name, numericValues(table.getChildAt(i)!).values);

  return makeSeries(timestampMs, price, extra, {
    kind: options.kind ?? 'arrow',
    file,
    sha256,
    params: { timestampColumn: tsName, timestampFormat: tsFormat, priceColumn: priceName, extraColumns: [...extra.keys()].join(',') },
  });
}
