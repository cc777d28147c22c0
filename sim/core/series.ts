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

export function makeSeries(
  timestampMs: Float64Array,
  price: Float64Array,
  extra: ReadonlyMap<string, Float64Array>,
  provenance: Omit<SeriesProvenance, 'rows' | 'firstTimestampMs' | 'lastTimestampMs'>,
): PriceSeries {
  const n = price.length;
  return {
    timestampMs,
    price,
    extra,
    length: n,
    provenance: {
      ...provenance,
      rows: n,
      firstTimestampMs: n > 0 ? timestampMs[0]! : 0,
      lastTimestampMs: n > 0 ? timestampMs[n - 1]! : 0,
    },
  };
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
