/**
 * The one entry point for price input: `loadSeries(file, options)`.
 *
 * - `file` undefined: the built-in synthetic series ({@link generateGbm}, defaults in GBM_DEFAULTS, overridable
 *   through `options.synthetic`).
 * - Otherwise the format is `options.format`, or detected: `.arrow` / `.feather` / `.ipc` → Arrow; `.json` →
 *   freqtrade candles; a CSV whose header has `sqrtPriceX96` and `tx_type` → Uniswap pool events; `closeTick` →
 *   Uniswap per-minute pool file; `pair` and `unix_s` → CryptoCompare long format; any other CSV → generic.
 * - Then, in order: pair derivation (`divideBy`: a second file of the same kind, the result is file ÷ divideBy
 *   on matching timestamps), resampling (`resample`: `1h`, `1d`, …), and the gap policy (`gaps`, default
 *   `error`, except `skip` for Uniswap event files, whose rows are irregular by nature). A gap refused names the line
 *   of the row after it in the file ({@link locateGap}: the file is read again on that error's path only).
 * Provenance carries the sha256 of the file bytes (of the generator parameters for synthetic series).
 */
import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import { sameFile } from './io/atomicWrite.ts';
import { ConfigError, InputError, RowInputError } from '../sim/core/errors.ts';
import type { PriceSeries } from '../sim/core/series.ts';
import { checkReadableFile, loadCsvPrices, locateCsvRow, type CsvPricesOptions } from './loaders/csvPrices.ts';
import { cryptoCompareCsvOptions, loadFreqtradeJson, uniswapEventsCsvOptions, uniswapMinuteCsvOptions, type UniswapPriceOptions } from './loaders/realFormats.ts';
import { applyGapPolicy, GAP_POLICIES, GapError, parseInterval, resampleSeries, derivePair, type GapPolicy } from './loaders/seriesTransforms.ts';
import { generateGbm, type GbmParams } from './synthetic/gbm.ts';
import { windowSeries } from './loaders/window.ts';
import { withUnmatchedRows } from './loaders/divideBy.ts';
import { loadThroughCache, type SeriesCache } from './io/seriesCache.ts';

export const SERIES_FORMATS = ['auto', 'csv', 'arrow', 'freqtrade', 'cryptocompare', 'uniswap-minute', 'uniswap-events'] as const;
export type SeriesFormat = (typeof SERIES_FORMATS)[number];

export interface LoadSeriesOptions {
  /** Input format (default `auto`: by extension, then by CSV header). */
  readonly format?: SeriesFormat;
  /** Column overrides for the generic CSV / Arrow formats. */
  readonly timestampColumn?: string;
  readonly priceColumn?: string;
  /** Pair to select in a long-format file with a `pair` column (e.g. `ETH/USD`). */
  readonly pair?: string;
  /** Uniswap token decimals and orientation (default USDC/WETH: USDC per ETH). */
  readonly uniswap?: Partial<UniswapPriceOptions>;
  /** Derive a cross pair: the loaded series divided by this file's series on matching timestamps. */
  readonly divideBy?: string;
  /** The pair to select in the `divideBy` file (a long-format file: `ETH/USD` of the same file as BTC/USD); default `pair`. */
  readonly divideByPair?: string;
  /** Resample to this interval (`1m`, `1h`, `1d`, … or ms), OHLC-aware. */
  readonly resample?: string | number;
  /** Gap policy (default `error`; `skip` for uniswap-events). */
  readonly gaps?: GapPolicy;
  /** Interval for the gap policy (default: the most common step). */
  readonly intervalMs?: number;
  /** Keep only rows with fromMs ≤ timestamp ≤ toMs (unix ms; either open), applied before the gap check. */
  readonly fromMs?: number;
  readonly toMs?: number;
  /** Overrides of the synthetic series' parameters (used when `file` is undefined). */
  readonly synthetic?: Partial<GbmParams>;
  /**
   * Keep each file's parsed series between runs, and read it back while the file is unchanged (data/io/seriesCache.ts;
   * the CLI passes one, the library's default is none). Only the parse is cached: windows, resampling, pair
   * division and the gap policy apply afresh.
   */
  readonly cache?: SeriesCache;
}

/** Reads the first line of a file (at most 64 KiB) to detect a CSV dialect. */
async function firstLine(file: string): Promise<string> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(65_536);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const text = buf.subarray(0, bytesRead).toString('utf8');
    const nl = text.search(/[\r\n]/);
    return nl < 0 ? text : text.slice(0, nl);
  } finally {
    await fh.close();
  }
}

/** The column names of a CSV file's header line (a quoted header names the same columns). */
async function headerColumns(file: string): Promise<Set<string>> {
  return new Set(
    (await firstLine(file))
      .replace(/^\uFEFF/, '')
      .split(',')
      .map((s) => s.trim().replace(/^"(.*)"$/, '$1')),
  );
}

/** The format of `file` by extension, then by its CSV header. */
export async function detectFormat(file: string): Promise<Exclude<SeriesFormat, 'auto'>> {
  const ext = extname(file).toLowerCase();
  if (ext === '.arrow' || ext === '.feather' || ext === '.ipc') return 'arrow';
  if (ext === '.json') return 'freqtrade';
  await checkReadableFile(file);
  const header = await headerColumns(file);
  if (header.has('sqrtPriceX96') && header.has('tx_type')) return 'uniswap-events';
  if (header.has('closeTick')) return 'uniswap-minute';
  if (header.has('pair') && header.has('unix_s')) return 'cryptocompare';
  return 'csv';
}

/** Parses one file, through `o.cache` when given (keyed by everything besides the file that shapes the parse). */
function loadOne(file: string, format: Exclude<SeriesFormat, 'auto'>, o: LoadSeriesOptions): Promise<PriceSeries> {
  const key = [format, o.timestampColumn ?? null, o.priceColumn ?? null, o.pair ?? null, o.uniswap ?? null];
  return loadThroughCache(o.cache, file, key, () => parseOne(file, format, o));
}

async function parseOne(file: string, format: Exclude<SeriesFormat, 'auto'>, o: LoadSeriesOptions): Promise<PriceSeries> {
  const csv = csvOptionsFor(format, o);
  if (csv !== undefined) return loadCsvPrices(file, csv);
  if (format === 'arrow') {
    // apache-arrow (~0.5 MB of code) is loaded only for Arrow input: CSV runs and sweep workers never compile it
    return (await import('./loaders/arrowPrices.ts')).loadArrowPrices(file, columnOptions(o));
  }
  return loadFreqtradeJson(file);
}

function columnOptions(o: LoadSeriesOptions): { timestampColumn?: string; priceColumn?: string } {
  return { ...(o.timestampColumn === undefined ? {} : { timestampColumn: o.timestampColumn }), ...(o.priceColumn === undefined ? {} : { priceColumn: o.priceColumn }) };
}

/** The CSV loader's options for a format read as CSV (undefined for Arrow and freqtrade JSON): the parse's and {@link locateGap}'s. */
function csvOptionsFor(format: Exclude<SeriesFormat, 'auto'>, o: LoadSeriesOptions): CsvPricesOptions | undefined {
  switch (format) {
    case 'csv':
      return { ...columnOptions(o), ...(o.pair === undefined ? {} : { pair: o.pair }) };
    case 'cryptocompare':
      return cryptoCompareCsvOptions(o.pair === undefined ? {} : { pair: o.pair });
    case 'uniswap-minute':
      return uniswapMinuteCsvOptions(o.uniswap ?? {});
    case 'uniswap-events':
      return uniswapEventsCsvOptions(o.uniswap ?? {});
    case 'arrow':
    case 'freqtrade':
      return undefined;
  }
}

/** A file as loaded, before windows, resampling and division: what {@link locateGap} looks a row up in. */
interface LoadedFile {
  readonly file: string;
  readonly format: Exclude<SeriesFormat, 'auto'>;
  readonly options: LoadSeriesOptions;
  readonly series: PriceSeries;
}

/** The index of the first row at or after `t` (binary search; `ts.length` when none). */
function firstAtOrAfter(ts: Float64Array, t: number): number {
  let lo = 0;
  let hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ts[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The gap error located: `<file>:<line>: <time column>: …` (`<file>: row <n>: …` for Arrow and freqtrade JSON, as
 * their other errors), the line of the first row at or after the step's end (with `bucketMs`, after resampling, the
 * first row of that bucket), in the file that has the gap (of a `--divide-by` pair, the one with no row in it; the
 * denominator when both have rows there that do not match). A CSV file is read again for its line ({@link locateCsvRow}):
 * the loaded columns know none (after a cache hit, or --pair's rows only, or blank and multi-line rows). Returns
 * the error as it was when the row cannot be found (the file changed since it loaded).
 */
function locateGap(e: GapError, files: readonly LoadedFile[], bucketMs: number | undefined): InputError {
  const span = bucketMs ?? 1; // rows in [toMs, toMs + span) belong to the row after the step
  // the file whose rows are missing: no row from one bucket (ms) after the step's start to its end
  const empty = (f: LoadedFile): boolean => {
    const ts = f.series.timestampMs;
    const i = firstAtOrAfter(ts, e.fromMs + span);
    return i >= ts.length || ts[i]! >= e.toMs;
  };
  const f = files.find(empty) ?? files[files.length - 1]!;
  const csv = csvOptionsFor(f.format, f.options);
  if (csv !== undefined) {
    const at = locateCsvRow(f.file, csv, e.toMs);
    if (at === undefined || at.timestampMs >= e.toMs + span) return e;
    return new InputError(f.file, at.line, at.field, e.problem);
  }
  // Arrow and freqtrade rows are the series' rows, one for one
  const ts = f.series.timestampMs;
  const i = firstAtOrAfter(ts, e.toMs);
  if (i >= ts.length || ts[i]! >= e.toMs + span) return e;
  const column = f.format === 'arrow' ? f.series.provenance.params?.['timestampColumn'] : undefined;
  return new RowInputError(f.file, i + 1, typeof column === 'string' ? column : 'timestamp', e.problem);
}

/** Whether a price file has a `pair` column (a long-format CSV: CryptoCompare's, or a CSV headed so). */
async function hasPairColumn(file: string, format: Exclude<SeriesFormat, 'auto'>): Promise<boolean> {
  if (format === 'cryptocompare') return true;
  if (format !== 'csv') return false;
  return (await headerColumns(file)).has('pair');
}


/** Options of one format given for a file of another are refused (a flag is never accepted and then ignored). */
function refuseUnusedOptions(o: LoadSeriesOptions, format: Exclude<SeriesFormat, 'auto'> | 'synthetic'): void {
  const what = format === 'synthetic' ? 'the synthetic series (no --prices)' : `a ${format} file`;
  if (format !== 'uniswap-minute' && format !== 'uniswap-events') {
    const u = o.uniswap ?? {};
    for (const [key, flag] of [['priceOf', '--price-of'], ['decimals0', '--decimals0'], ['decimals1', '--decimals1']] as const) {
      if (u[key] !== undefined) throw new ConfigError(flag, `applies to Uniswap files (uniswap-minute, uniswap-events); the prices are ${what}`);
    }
  }
  if (o.pair !== undefined && format !== 'csv' && format !== 'cryptocompare') throw new ConfigError('--pair', `selects a pair of a long-format CSV (csv, cryptocompare); the prices are ${what}`);
}

/**
 * Loads a price series from `file` (or the synthetic default when undefined) per the module comment.
 * Data problems are InputError (file, line/row, field); bad options are ConfigError.
 */
export async function loadSeries(file: string | undefined, options: LoadSeriesOptions = {}): Promise<PriceSeries> {
  if (options.format !== undefined && !SERIES_FORMATS.includes(options.format)) {
    throw new ConfigError('--format', `must be one of ${SERIES_FORMATS.join(', ')}; was ${JSON.stringify(options.format)}`);
  }
  if (options.gaps !== undefined && !GAP_POLICIES.includes(options.gaps)) {
    throw new ConfigError('--gaps', `must be one of ${GAP_POLICIES.join(', ')}; was ${JSON.stringify(options.gaps)}`);
  }
  if (file === undefined) {
    if (options.divideBy !== undefined) throw new ConfigError('--divide-by', 'needs a price file (--prices) to divide; none was given');
    refuseUnusedOptions(options, 'synthetic');
    let s = windowSeries(generateGbm(options.synthetic ?? {}), options.fromMs, options.toMs);
    if (options.resample !== undefined) s = resampleSeries(s, parseInterval(options.resample));
    return s;
  }
  const format = options.format === undefined || options.format === 'auto' ? await detectFormat(file) : options.format;
  refuseUnusedOptions(options, format);
  let series = await loadOne(file, format, options);
  const loaded: LoadedFile[] = [{ file, format, options, series }];
  if (options.divideByPair !== undefined && options.divideBy === undefined) throw new ConfigError('--divide-by-pair', 'selects the pair of the --divide-by file; give --divide-by FILE');
  if (options.divideBy !== undefined) {
    const fmt2 = options.format === undefined || options.format === 'auto' ? await detectFormat(options.divideBy) : options.format;
    if (options.divideByPair !== undefined && fmt2 !== 'csv' && fmt2 !== 'cryptocompare') throw new ConfigError('--divide-by-pair', `selects a pair of a long-format CSV (csv, cryptocompare); the --divide-by file is a ${fmt2} file`);
    // --pair selects the denominator's rows too only where it has pairs to select (a long-format file)
    const pair = options.divideByPair ?? (options.pair !== undefined && (await hasPairColumn(options.divideBy, fmt2)) ? options.pair : undefined);
    // the same file and pair on both sides would divide the series by itself: a constant 1 that looks like a run
    if (pair === options.pair && sameFile(file, options.divideBy)) {
      throw new ConfigError('--divide-by', `divides the series by itself (the same file${pair === undefined ? '' : ` and pair ${pair}`}): every price would be 1; give the denominator's pair with --divide-by-pair (e.g. ETH/USD to derive ${pair ?? 'BTC/USD'} ÷ ETH/USD)`);
    }
    const o2 = { ...options, pair };
    const denominator = await loadOne(options.divideBy, fmt2, o2);
    loaded.push({ file: options.divideBy, format: fmt2, options: o2, series: denominator });
    // rows of either file with no match in the window are counted (provenance) and warned about (runs/inputWarnings.ts)
    series = withUnmatchedRows(derivePair(series, denominator), series, denominator, options.fromMs, options.toMs);
  }
  // The window comes before the gap check: a gap outside it does not refuse the run.
  series = windowSeries(series, options.fromMs, options.toMs);
  const bucketMs = options.resample === undefined ? undefined : parseInterval(options.resample);
  if (bucketMs !== undefined) series = resampleSeries(series, bucketMs);
  const gaps = options.gaps ?? (format === 'uniswap-events' && options.resample === undefined ? 'skip' : 'error');
  try {
    return applyGapPolicy(series, gaps, { file: series.provenance.file ?? file, ...(options.intervalMs === undefined ? {} : { intervalMs: options.intervalMs }) });
  } catch (e) {
    throw e instanceof GapError ? locateGap(e, loaded, bucketMs) : e;
  }
}

/** A row of a price file that a step of a loaded series carries the price of ({@link locateSeriesRow}). */
export interface SeriesRowLocation {
  readonly file: string;
  /** The CSV line (1-based, the header is line 1), or undefined for a row-numbered format (Arrow, freqtrade JSON). */
  readonly line?: number;
  /** The data row (1-based) of an Arrow or freqtrade JSON file. */
  readonly row?: number;
  /** The file's price column (`price`, `close`, `sqrtPriceX96`, …). */
  readonly field: string;
  /** The row's price as loaded (before a --divide-by division). */
  readonly price: number;
}

/**
 * The rows of the files a series was loaded from (`loadSeries(file, options)`) whose price its step at `timestampMs`
 * carries: the last row at or before the step (with `resample`, the last of its bucket; of a row `--gaps ffill` made,
 * the row it repeats); with `divideBy`, the numerator's row, then the denominator's. A CSV row by its line (the file
 * is read again, {@link locateCsvRow}), an Arrow or freqtrade JSON row by its number. For an error about a price of a
 * loaded series (the columns keep no lines): the files are parsed again (through `options.cache` when given), on that
 * error's path only. A file that no longer has the row is left out.
 */
export async function locateSeriesRow(file: string, options: LoadSeriesOptions, timestampMs: number): Promise<SeriesRowLocation[]> {
  const format = options.format === undefined || options.format === 'auto' ? await detectFormat(file) : options.format;
  const files: Array<{ file: string; format: Exclude<SeriesFormat, 'auto'>; options: LoadSeriesOptions }> = [{ file, format, options }];
  if (options.divideBy !== undefined) {
    const fmt2 = options.format === undefined || options.format === 'auto' ? await detectFormat(options.divideBy) : options.format;
    // the denominator's pair as loadSeries selects it
    const pair = options.divideByPair ?? (options.pair !== undefined && (await hasPairColumn(options.divideBy, fmt2)) ? options.pair : undefined);
    files.push({ file: options.divideBy, format: fmt2, options: { ...options, pair } });
  }
  const end = timestampMs + (options.resample === undefined ? 1 : parseInterval(options.resample));
  const out: SeriesRowLocation[] = [];
  for (const f of files) {
    const s = await loadOne(f.file, f.format, f.options);
    const i = firstAtOrAfter(s.timestampMs, end) - 1;
    if (i < 0) continue;
    const column = s.provenance.params?.['priceColumn'];
    const field = typeof column === 'string' ? column : 'price';
    const csv = csvOptionsFor(f.format, f.options);
    if (csv === undefined) {
      out.push({ file: f.file, row: i + 1, field, price: s.price[i]! });
      continue;
    }
    const at = locateCsvRow(f.file, csv, s.timestampMs[i]!);
    if (at !== undefined && at.timestampMs === s.timestampMs[i]) out.push({ file: f.file, line: at.line, field, price: s.price[i]! });
  }
  return out;
}
