import { InputError, RowInputError } from './errors.ts';

/**
 * A price series as the engine consumes it: columnar, sorted strictly by time, prices finite and > 0.
 * Loaders (CSV, Arrow, real-format readers) and synthetic generators all return this shape; the engine
 * reads it only through this interface.
 */
export interface PriceSeries {
  /** Unix milliseconds (UTC), strictly increasing. Integers, exactly representable in float64. */
  readonly timestampMs: Float64Array;
  /** Market price: quote per one unit of base. */
  readonly price: Float64Array;
  /** Optional numeric columns (e.g. `volume`), same length, passed to strategies. Sorted by name. */
  readonly extra: ReadonlyMap<string, Float64Array>;
  readonly length: number;
  readonly provenance: SeriesProvenance;
}

/** Where a series came from, for reports and summary.json (never wall-clock time). */
export interface SeriesProvenance {
  /** 'csv' | 'arrow' | 'synthetic' | a real-format loader name. */
  readonly kind: string;
  /** File path as given by the user, or undefined for synthetic. */
  readonly file?: string;
  /** sha256 of the file bytes (hex), or of the generator parameters for synthetic. */
  readonly sha256: string;
  readonly rows: number;
  readonly firstTimestampMs: number;
  readonly lastTimestampMs: number;
  /** Generator parameters for synthetic series; column mapping for files. */
  readonly params?: Readonly<Record<string, string | number | boolean>>;
}

/**
 * A price series from its columns. The columns are checked ({@link validateSeries}): a series the engine cannot run
 * (no rows, columns of other lengths, a price that is not finite and > 0, timestamps not strictly increasing) is an
 * InputError naming the row and the column, never a run that reports NaN. The file loaders check the same rows
 * first, with their own line numbers; this is the check for a series made in code (the library's `makeSeries`).
 */
export function makeSeries(
  timestampMs: Float64Array,
  price: Float64Array,
  extra: ReadonlyMap<string, Float64Array>,
  provenance: Omit<SeriesProvenance, 'rows' | 'firstTimestampMs' | 'lastTimestampMs'>,
): PriceSeries {
  validateSeries({ timestampMs, price, extra, provenance });
  const n = price.length;
  const series: PriceSeries = {
    timestampMs,
    price,
    extra,
    length: n,
    provenance: {
      ...provenance,
      rows: n,
      firstTimestampMs: timestampMs[0]!,
      lastTimestampMs: timestampMs[n - 1]!,
    },
  };
  made.add(series);
  return series;
}

/** Series built by {@link makeSeries} (checked then, their columns typed arrays the run only reads). */
const made = new WeakSet<PriceSeries>();

/**
 * Checks a series handed to a run ({@link validateSeries}) unless {@link makeSeries} built it: a series object a
 * library user put together by hand is checked once per run; a sweep's thousands of runs over one series are not.
 */
export function checkSeries(series: PriceSeries): void {
  if (!made.has(series)) validateSeries(series);
}

/** `2024-01-01T00:00:00.000Z` for messages; the number itself when out of Date's range. */
function isoForMessage(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? String(ms) : d.toISOString();
}

/**
 * Checks what {@link PriceSeries} promises, in one pass (~1 ms for a year of minutes): at least one row; the
 * timestamp, price and every extra column of one length; every timestamp finite and later than the one before;
 * every price finite and > 0. Throws an InputError naming the series (its file, else `<kind> series`), the row
 * (counted from 1) and the column: `prices.csv: row 3: price: must be a finite number > 0; was NaN`.
 */
export function validateSeries(series: Pick<PriceSeries, 'timestampMs' | 'price' | 'extra'> & { readonly provenance: Pick<SeriesProvenance, 'kind' | 'file'> }): void {
  const { timestampMs: ts, price, extra, provenance } = series;
  const name = provenance.file ?? `${provenance.kind} series`;
  const n = price.length;
  if (n === 0) throw new InputError(name, undefined, 'rows', 'must have at least one row; found none');
  if (ts.length !== n) throw new InputError(name, undefined, 'timestampMs', `must have one value per price (${n}); has ${ts.length}`);
  for (const [column, values] of extra) {
    if (values.length !== n) throw new InputError(name, undefined, column, `must have one value per price (${n}); has ${values.length}`);
  }
  let last = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const t = ts[i]!;
    const p = price[i]!;
    if (!(t > last && t < Number.POSITIVE_INFINITY)) {
      // the one slow path: a bad row
      const problem = !Number.isFinite(t)
        ? `must be a finite number (unix milliseconds); was ${t}`
        : t === last
          ? `must be strictly increasing; was ${isoForMessage(t)}, the same time as row ${i}`
          : `must be strictly increasing; was ${isoForMessage(t)}, earlier than row ${i} (${isoForMessage(last)})`;
      throw new RowInputError(name, i + 1, 'timestampMs', problem);
    }
    if (!(p > 0 && p < Number.POSITIVE_INFINITY)) throw new RowInputError(name, i + 1, 'price', `must be a finite number > 0; was ${p}`);
    last = t;
  }
}

/** A staking APR series: `apr[i]` (fraction per 365-day year, e.g. 0.0443 = 4.43 %) in force from `timestampMs[i]`. */
export interface AprSeries {
  /** Unix ms, strictly increasing. */
  readonly timestampMs: Float64Array;
  /** APR as a fraction per 365-day year; finite and > −1. */
  readonly apr: Float64Array;
  readonly length: number;
  /** The file as the user gave it (for error messages and summary.json). */
  readonly file: string;
  /** 'csv' | 'ethstore-json'. */
  readonly kind: string;
}

/** A liquid staking token's market price in its base asset (e.g. STETH/ETH ≈ 1), as of each timestamp. */
export interface LstPriceSeries {
  /** Unix ms, strictly increasing. */
  readonly timestampMs: Float64Array;
  /** Base per one LST; finite and > 0. */
  readonly price: Float64Array;
  readonly length: number;
  readonly file: string;
  /** The `pair` filter used for a long-format file (e.g. 'STETH/ETH'), else undefined. */
  readonly pair: string | undefined;
}

/**
 * The index of the last row with timestamp ≤ t (as-of lookup), or −1 when t is before the first row. Binary search.
 */
export function asOfIndex(timestampMs: Float64Array, t: number): number {
  let lo = 0;
  let hi = timestampMs.length - 1;
  if (hi < 0 || t < timestampMs[0]!) return -1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (timestampMs[mid]! <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
