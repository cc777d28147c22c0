/**
 * The CSV price loader's options, in a file of their own: they are part of the library's declarations (through
 * realFormats' option builders), and csvPrices.ts's own declarations need Node's types (Buffer), which a library
 * user's project need not have.
 */
/** Turns the raw number in the price column into the price (e.g. a Uniswap tick into USDC per ETH). */
export interface PriceTransform {
  /** For messages and provenance, e.g. `1e12 / 1.0001^tick`. */
  readonly describe: string;
  readonly apply: (raw: number) => number;
}

export interface CsvPricesOptions {
  /** Name of the timestamp column (default: the first of csvPrices.ts' `TIMESTAMP_COLUMNS` present). */
  readonly timestampColumn?: string;
  /** Name of the price column (default: `price`, else `close`). */
  readonly priceColumn?: string;
  /** Keep only rows whose `pair` column equals this (e.g. `ETH/USD`). */
  readonly pair?: string;
  /** Keep only rows whose `column` equals `equals` exactly (e.g. `tx_type` = `SWAP`). */
  readonly rowFilter?: { readonly column: string; readonly equals: string };
  /** Only these columns become extras (each must exist and be numeric). Default: every numeric column. */
  readonly extraColumns?: readonly string[];
  /** Extra columns renamed on the way in (`{ closeTick: 'tick' }`). */
  readonly renameExtras?: Readonly<Record<string, string>>;
  /** Applied to the price column's number; its result must be finite and > 0. */
  readonly priceTransform?: PriceTransform;
  /** Rows with the same timestamp: `error` (default) or `last` (the later row replaces the earlier one). */
  readonly duplicateTimestamps?: 'error' | 'last';
  /** Field delimiter (default `,`). */
  readonly delimiter?: string;
  /** Provenance kind (default `csv`). */
  readonly kind?: string;
}
