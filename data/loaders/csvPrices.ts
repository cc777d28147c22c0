/**
 * Streaming CSV price loader (CONTRACT.md "Price series in").
 *
 * - Header row required. Column names are trimmed; the timestamp and price columns are found
 *   case-insensitively. A leading column with an empty name (or pandas' `Unnamed: 0`) is a pandas row index
 *   and is ignored.
 * - Timestamp column: `timestamp`, else `time`, else `date`, else `datetime` (or `timestampColumn`).
 *   Values are unix seconds or unix milliseconds (decided by magnitude: |v| < 1e11 is seconds, < 1e14 is
 *   milliseconds, see `timestamps.ts`; the first data row fixes the unit for the file and every row must
 *   agree), or ISO-8601 / `YYYY-MM-DD HH:MM[:SS]` text, read as UTC when it has no zone.
 * - Price column: `price`, else `close` (or `priceColumn`); finite and > 0.
 * - Every other column whose values are numbers becomes an `extra` column (sorted by name; empty = NaN).
 *   A column whose first non-empty value is not a number is text and is dropped; `NaN`, `NA`, `null` and the
 *   like do not decide (a numeric column holding one is refused, whichever row it is on).
 * - A `pair` column (CryptoCompare long format) selects rows with the `pair` option; without the option the
 *   file must hold one pair only.
 * - Rows strictly increasing in time. Blank lines are skipped (and counted).
 *
 * Line endings may be LF, CRLF, CR or a mix (read as LF; a quoted field's line breaks come out as `\n`).
 * Line numbers are 1-based physical lines with the header as line 1; a row holding a quoted field that spans
 * lines counts them all. The file is streamed through papaparse in chunks into
 * growable Float64Arrays, so its text is never held whole; its sha256 is computed from the same bytes.
 */
import { readFileSync } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import Papa from 'papaparse';
import { InputError } from '../../sim/core/errors.ts';
import { makeSeries, type PriceSeries } from '../../sim/core/series.ts';
import { Float64Builder } from './columnBuilder.ts';
import type { CsvPricesOptions, PriceTransform } from './csvOptions.ts';
export type { CsvPricesOptions, PriceTransform } from './csvOptions.ts';
import { ISO_DECLINED, isoBytesToMs, isoForMessage, parseDecimal, parseIsoUtcMs, quoteForMessage, unixToMs, unixUnitOf, UNIX_SECONDS_LIMIT, type UnixUnit } from './timestamps.ts';

/** Candidate names of the timestamp column, in order of preference. */
export const TIMESTAMP_COLUMNS = ['timestamp', 'time', 'date', 'datetime'] as const;
/** Candidate names of the price column, in order of preference. */
export const PRICE_COLUMNS = ['price', 'close'] as const;

/**
 * Characters that do not print: C0 and C1 controls, DEL, U+FFFD (what bytes that are not UTF-8 decode to), zero-width,
 * bidi and line/paragraph separators, a BOM. A header holding them is a compressed or binary file read as text.
 */
const NON_PRINTING = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufffd]/;
const NON_PRINTING_ALL = new RegExp(NON_PRINTING.source, 'g');

/**
 * A header's column names for a message, `a, b, c`: each name as it is, or, when it has characters that do not print,
 * quoted and cut by {@link quoteForMessage} with those characters escaped (`"\u001f\ufffd\b…"`) and a hint at the
 * end that the file may be compressed or binary (a `.csv.gz` given as a CSV): the raw bytes are never echoed.
 */
export function headerForMessage(names: readonly string[]): string {
  if (!names.some((n) => NON_PRINTING.test(n))) return names.join(', ');
  const escaped = names.map((n) => (NON_PRINTING.test(n) ? quoteForMessage(n).replace(NON_PRINTING_ALL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : n));
  return `${escaped.join(', ')} (characters that do not print, escaped: is the file compressed or binary? it must be CSV text)`;
}


type ExtraState = 0 | 1 | 2; // undecided | numeric | text
const UNDECIDED: ExtraState = 0;
const NUMERIC: ExtraState = 1;
const TEXT: ExtraState = 2;

interface ExtraColumn {
  readonly index: number;
  readonly name: string; // header name
  readonly outName: string;
  readonly required: boolean;
  state: ExtraState;
  firstLine: number;
  readonly values: Float64Builder;
}

/**
 * Spellings of a missing number (pandas' and R's): read as an empty cell is (NaN) on any row, so they never decide a
 * column's type: a `volume` column whose first value is `NaN` is still numeric when its later rows are numbers.
 */
const MISSING = /^(?:[+-]?nan|na|n\/a|#n\/a|<na>|null|none)$/i;

/**
 * Turns CSV rows (as string arrays) into a price series, one row at a time. Used by {@link loadCsvPrices}
 * (streaming) and by tests on in-memory text.
 */
export class CsvPriceRowReader {
  private readonly file: string;
  private readonly opts: CsvPricesOptions;
  private line = 0;
  private headerSeen = false;
  private width = 0;
  private names: string[] = [];
  private tsIndex = -1;
  private priceIndex = -1;
  private pairIndex = -1;
  private filterIndex = -1;
  protected tsName = '';
  private priceName = '';
  private extras: ExtraColumn[] = [];
  private tsFormat: UnixUnit | 'iso' | undefined;
  private firstDataLine = 0;
  private firstPair: string | undefined;
  private readonly pairsSeen = new Set<string>();
  protected lastT = Number.NEGATIVE_INFINITY;
  protected lastLine = 0;
  private lastRaw = '';
  /**
   * Where the last row's timestamp text is when {@link rowBytes} read it, `buf[lastRawA, lastRawB)` (its string
   * is made only for a message, or by {@link releaseBytes} before the buffer is reused).
   */
  private lastRawBuf: Buffer | undefined;
  private lastRawA = 0;
  private lastRawB = 0;
  /** Rows expected in all ({@link expectRows}): the columns are allocated for them once. */
  private expectedRows = 0;
  private quoted = false;
  private readonly ts = new Float64Builder(1 << 14);
  private readonly price = new Float64Builder(1 << 14);

  constructor(file: string, options: CsvPricesOptions = {}) {
    this.file = file;
    this.opts = options;
  }

  private fail(line: number | undefined, field: string | undefined, problem: string): never {
    throw new InputError(this.file, line, field, problem);
  }

  /** Feeds one physical CSV row (already split into fields). */
  row(fields: readonly string[]): void {
    const line = ++this.line;
    // Once the text has shown a quote, a field may hold line breaks: later rows start that many lines on.
    if (this.quoted) this.line += lineBreaksIn(fields);
    if (!this.headerSeen) {
      if (fields.length === 1 && fields[0] === '') return; // leading blank line(s)
      this.header(fields, line);
      return;
    }
    if (fields.length === 1 && fields[0] === '') return; // blank line
    this.data(fields, line);
  }

  /**
   * Feeds one physical row given as bytes `buf[start, end)` (no line break, no quote: the caller sends rows
   * with quotes to {@link row} through papaparse). The common row, once the header and the first data row are
   * read, is taken apart here without a string per field: numbers are read from the bytes ({@link bytesToNumber});
   * anything else (a header, the first rows, a row with a field that is not a plain number, a row filter or pair
   * column, a row that would fail or replace the previous one) goes through {@link row} as strings, so every
   * result and message is the string path's.
   */
  rowBytes(buf: Buffer, start: number, end: number, delimiter: number): void {
    if (!this.fastReady()) {
      this.row(splitToStrings(buf, start, end, delimiter));
      return;
    }
    // field boundaries: field k is buf[bounds[k], bounds[k + 1] - 1)
    const bounds = this.bounds;
    const width = this.width;
    if (fieldBounds(buf, start, end, delimiter, bounds, width) !== width) {
      this.row(splitToStrings(buf, start, end, delimiter)); // a blank line, or a row of the wrong width
      return;
    }
    // timestamp, read from the bytes where it can be (its text is made only for a message that quotes it)
    const ts = this.tsIndex;
    const ta = bounds[ts]!;
    const tb = bounds[ts + 1]! - 1;
    let t: number;
    if (this.tsFormat === 'iso') {
      t = isoBytesToMs(buf, ta, tb);
      if (t === ISO_DECLINED) t = parseIsoUtcMs(buf.toString('utf8', ta, tb));
    } else {
      let v = bytesToNumber(buf, ta, tb);
      if (v === DECLINED) v = parseDecimal(buf.toString('utf8', ta, tb));
      t = Number.isFinite(v) && unixUnitOf(v) === this.tsFormat ? unixToMs(v, this.tsFormat!) : Number.NaN;
    }
    // price
    const pi = this.priceIndex;
    let v = bytesToNumber(buf, bounds[pi]!, bounds[pi + 1]! - 1);
    if (v === DECLINED) v = parseDecimal(buf.toString('utf8', bounds[pi]!, bounds[pi + 1]! - 1));
    const tr = this.opts.priceTransform;
    const p = tr === undefined ? v : Number.isFinite(v) ? tr.apply(v) : Number.NaN;
    if (!(t > this.lastT) || !(p > 0 && p < Number.POSITIVE_INFINITY)) {
      this.row(splitToStrings(buf, start, end, delimiter)); // an error, or a row replacing the last one
      return;
    }
    // extras: decided columns only (fastReady); a text value in a numeric column is an error, left to row()
    const extras = this.extras;
    const vals = this.extraValues;
    for (let j = 0; j < extras.length; j++) {
      const x = extras[j]!;
      if (x.state === TEXT) continue;
      const a = bounds[x.index]!;
      const b = bounds[x.index + 1]! - 1;
      let val = a === b ? Number.NaN : bytesToNumber(buf, a, b);
      if (val === DECLINED) {
        val = parseDecimal(buf.toString('utf8', a, b));
        if (Number.isNaN(val)) {
          this.row(splitToStrings(buf, start, end, delimiter));
          return;
        }
      }
      vals[j] = val;
    }
    const line = ++this.line;
    this.lastT = t;
    this.lastLine = line;
    this.lastRawBuf = buf;
    this.lastRawA = ta;
    this.lastRawB = tb;
    for (let j = 0; j < extras.length; j++) if (extras[j]!.state !== TEXT) extras[j]!.values.push(vals[j]!);
    this.ts.push(t);
    this.price.push(p);
  }

  private bounds = new Int32Array(0);
  private extraValues = new Float64Array(0);

  /** Whether {@link rowBytes} may take rows apart itself: header read, timestamp format and every extra column decided, no row selection. */
  private fastReady(): boolean {
    if (!this.headerSeen || this.tsFormat === undefined || this.quoted || this.filterIndex >= 0 || this.pairIndex >= 0) return false;
    for (const x of this.extras) if (x.state === UNDECIDED) return false;
    if (this.bounds.length !== this.width + 1) {
      this.bounds = new Int32Array(this.width + 1);
      this.extraValues = new Float64Array(this.extras.length);
    }
    return true;
  }

  /**
   * Tells the reader that the text fed from now on may hold quoted fields (it has a `"`): it then counts the
   * line breaks inside fields, so line numbers stay physical. Until then that check is skipped (it costs a
   * scan of every field).
   */
  sawQuote(): void {
    this.quoted = true;
  }

  /**
   * Tells the reader how many data rows to expect (an estimate from the file's size): its columns are then
   * allocated once for that many instead of doubling as rows arrive. More rows than that still fit.
   */
  expectRows(rows: number): void {
    this.expectedRows = Math.max(this.expectedRows, Math.ceil(rows));
    this.ts.reserve(this.expectedRows);
    this.price.reserve(this.expectedRows);
    for (const x of this.extras) x.values.reserve(this.expectedRows);
  }

  /** Data rows read so far (rows kept, before any replaced by a later one with the same timestamp). */
  get rowsRead(): number {
    return this.ts.length;
  }

  /**
   * Stops referring to bytes handed to {@link rowBytes}: the caller is about to reuse its buffer (the last
   * row's timestamp text, kept for a message about the next row, becomes a string).
   */
  releaseBytes(): void {
    const b = this.lastRawBuf;
    if (b === undefined) return;
    this.lastRaw = b.toString('utf8', this.lastRawA, this.lastRawB);
    this.lastRawBuf = undefined;
  }

  private header(raw: readonly string[], line: number): void {
    this.headerSeen = true;
    const names = raw.map((s, i) => (i === 0 ? s.replace(/^\uFEFF/, '') : s).trim());
    this.names = names;
    this.width = names.length;
    const ignored = new Set<number>();
    if (names.length > 1 && (names[0] === '' || names[0] === 'Unnamed: 0')) ignored.add(0); // pandas index
    const seen = new Map<string, number>();
    names.forEach((n, i) => {
      if (ignored.has(i)) return;
      if (n === '') this.fail(line, 'header', `every column must have a name; column ${i + 1} has none`);
      if (seen.has(n)) this.fail(line, 'header', `column names must be unique; ${quoteForMessage(n)} appears twice`);
      seen.set(n, i);
    });
    const lower = new Map<string, number>();
    names.forEach((n, i) => {
      if (!ignored.has(i) && !lower.has(n.toLowerCase())) lower.set(n.toLowerCase(), i);
    });
    const list = headerForMessage(names.filter((_, i) => !ignored.has(i)));
    const find = (wanted: string | undefined, candidates: readonly string[], field: string, rule: string): number => {
      if (wanted !== undefined) {
        const i = seen.get(wanted);
        if (i === undefined) this.fail(line, wanted, `column is required (${field} column chosen by option); header has: ${list}`);
        return i;
      }
      for (const c of candidates) {
        const i = lower.get(c);
        if (i !== undefined) return i;
      }
      return this.fail(line, field, `${rule}; header has: ${list}`);
    };
    this.tsIndex = find(this.opts.timestampColumn, TIMESTAMP_COLUMNS, 'timestamp', 'must have a timestamp column ("timestamp", "time", "date" or "datetime")');
    this.priceIndex = find(this.opts.priceColumn, PRICE_COLUMNS, 'price', 'must have a price column ("price", or "close")');
    if (this.tsIndex === this.priceIndex) this.fail(line, names[this.tsIndex], 'must not be both the timestamp and the price column');
    this.tsName = names[this.tsIndex]!;
    this.priceName = names[this.priceIndex]!;
    this.pairIndex = lower.get('pair') ?? -1;
    if (this.opts.pair !== undefined && this.pairIndex < 0) {
      this.fail(line, 'pair', `column is required to select pair ${quoteForMessage(this.opts.pair)}; header has: ${list}`);
    }
    if (this.opts.rowFilter !== undefined) {
      const i = seen.get(this.opts.rowFilter.column);
      if (i === undefined) this.fail(line, this.opts.rowFilter.column, `column is required to select rows; header has: ${list}`);
      this.filterIndex = i;
    }
    const taken = new Set<number>([...ignored, this.tsIndex, this.priceIndex, this.pairIndex, this.filterIndex]);
    const rename = this.opts.renameExtras ?? {};
    if (this.opts.extraColumns !== undefined) {
      for (const name of this.opts.extraColumns) {
        const i = seen.get(name);
        if (i === undefined) this.fail(line, name, `column is required (listed in extraColumns); header has: ${list}`);
        this.extras.push({ index: i, name, outName: rename[name] ?? name, required: true, state: UNDECIDED, firstLine: 0, values: new Float64Builder(Math.max(1 << 14, this.expectedRows)) });
      }
    } else {
      names.forEach((name, i) => {
        if (taken.has(i)) return;
        this.extras.push({ index: i, name, outName: rename[name] ?? name, required: false, state: UNDECIDED, firstLine: 0, values: new Float64Builder(Math.max(1 << 14, this.expectedRows)) });
      });
    }
  }

  private data(f: readonly string[], line: number): void {
    if (f.length !== this.width) {
      if (f.length < this.width) {
        const missing = this.names[f.length]!;
        this.fail(line, missing === '' ? `column ${f.length + 1}` : missing, `must be present (the header has ${this.width} fields); the row has ${f.length}`);
      }
      this.fail(line, 'row', `must have ${this.width} fields like the header; has ${f.length}`);
    }
    if (this.filterIndex >= 0 && f[this.filterIndex] !== this.opts.rowFilter!.equals) return;
    if (this.pairIndex >= 0) {
      const pair = f[this.pairIndex]!;
      if (this.opts.pair !== undefined) {
        if (pair !== this.opts.pair) {
          if (this.pairsSeen.size < 1000) this.pairsSeen.add(pair);
          return;
        }
      } else if (this.firstPair === undefined) {
        this.firstPair = pair;
      } else if (pair !== this.firstPair) {
        this.fail(line, this.names[this.pairIndex], `must be the same on every row, or choose one with the pair option (--pair); was ${quoteForMessage(pair)} after ${quoteForMessage(this.firstPair)}`);
      }
    }

    // timestamp
    const rawT = f[this.tsIndex]!;
    let t: number;
    if (this.tsFormat === undefined) {
      this.firstDataLine = line;
      const v = parseDecimal(rawT);
      if (Number.isFinite(v)) {
        const unit = unixUnitOf(v);
        if (unit === undefined) this.fail(line, this.tsName, `must be unix seconds or unix milliseconds (below 1e14), or an ISO-8601 date-time; was ${quoteForMessage(rawT)}`);
        this.tsFormat = unit;
        t = unixToMs(v, unit);
      } else {
        t = parseIsoUtcMs(rawT);
        if (Number.isNaN(t)) this.badTimestamp(line, rawT);
        this.tsFormat = 'iso';
      }
    } else if (this.tsFormat === 'iso') {
      t = parseIsoUtcMs(rawT);
      if (Number.isNaN(t)) {
        if (Number.isFinite(parseDecimal(rawT))) this.fail(line, this.tsName, `must be an ISO-8601 date-time like the first data row (line ${this.firstDataLine}); was ${quoteForMessage(rawT)}`);
        this.badTimestamp(line, rawT);
      }
    } else {
      const v = parseDecimal(rawT);
      if (!Number.isFinite(v)) this.badTimestamp(line, rawT);
      if (unixUnitOf(v) !== this.tsFormat) {
        const rule = this.tsFormat === 's' ? `unix seconds (below ${UNIX_SECONDS_LIMIT})` : `unix milliseconds (${UNIX_SECONDS_LIMIT} to 1e14)`;
        this.fail(line, this.tsName, `must be ${rule} like the first data row (line ${this.firstDataLine}); was ${quoteForMessage(rawT)}`);
      }
      t = unixToMs(v, this.tsFormat);
    }

    // price
    const rawP = f[this.priceIndex]!;
    const v = parseDecimal(rawP);
    let p: number;
    const tr = this.opts.priceTransform;
    if (tr !== undefined) {
      if (!Number.isFinite(v)) this.fail(line, this.priceName, `must be a finite number; was ${quoteForMessage(rawP)}`);
      p = tr.apply(v);
      if (!(p > 0 && p < Number.POSITIVE_INFINITY)) this.fail(line, this.priceName, `must give a finite price > 0 by ${tr.describe}; was ${quoteForMessage(rawP)}, giving ${p}`);
    } else {
      p = v;
      if (!(p > 0 && p < Number.POSITIVE_INFINITY)) this.fail(line, this.priceName, `must be a finite number > 0; was ${quoteForMessage(rawP)}`);
    }

    // order
    let replace = false;
    if (!(t > this.lastT)) {
      if (t === this.lastT) {
        if (this.opts.duplicateTimestamps === 'last') replace = true;
        else this.fail(line, this.tsName, `must be strictly increasing; was ${quoteForMessage(rawT)}, the same time as line ${this.lastLine}`);
      } else {
        this.fail(line, this.tsName, `must be strictly increasing; was ${quoteForMessage(rawT)} (${isoForMessage(t)}), earlier than line ${this.lastLine} (${quoteForMessage(this.previousRaw())})`);
      }
    }
    this.lastT = t;
    this.lastLine = line;
    this.lastRaw = rawT;
    this.lastRawBuf = undefined;

    // extras (a bad value throws, and the first error ends the load, so a half-pushed row is never returned)
    for (const x of this.extras) {
      const raw = f[x.index]!;
      let val = Number.NaN;
      // a missing number spelled out (NaN, NA, null…) reads as an empty cell does: NaN, deciding nothing
      if (raw !== '' && !MISSING.test(raw)) {
        val = parseDecimal(raw);
        if (Number.isNaN(val)) {
          if (x.state === NUMERIC || x.required) {
            const since = x.state === NUMERIC ? ` (the column is numeric from line ${x.firstLine})` : '';
            this.fail(line, x.name, `must be a number or empty${since}; was ${quoteForMessage(raw)}`);
          }
          x.state = TEXT;
        } else if (x.state === UNDECIDED) {
          x.state = NUMERIC;
          x.firstLine = line;
        }
      }
      if (x.state !== TEXT) {
        if (replace) x.values.setLast(val);
        else x.values.push(val);
      }
    }
    if (replace) {
      this.price.setLast(p);
    } else {
      this.ts.push(t);
      this.price.push(p);
    }
  }

  /**
   * A row whose quoted field is never closed (papaparse's `MissingQuotes`: the field ran to the end of the text,
   * taking every line after it): an error naming the line the field starts on, instead of rows silently lost.
   */
  unclosedQuote(fields: readonly string[]): never {
    const k = fields.length - 1;
    const line = this.line + 1 + lineBreaksIn(fields.slice(0, k));
    const field = !this.headerSeen ? 'header' : this.names[k] === undefined || this.names[k] === '' ? `column ${k + 1}` : this.names[k];
    this.fail(line, field, `has a quote (") that is never closed, so the rest of the file would be read as this one field; it starts ${quoteForMessage(`"${fields[k] ?? ''}`)}`);
  }

  /** The last row's timestamp text. */
  private previousRaw(): string {
    const b = this.lastRawBuf;
    return b === undefined ? this.lastRaw : b.toString('utf8', this.lastRawA, this.lastRawB);
  }

  private badTimestamp(line: number, raw: string): never {
    this.fail(line, this.tsName, `must be unix seconds, unix milliseconds or an ISO-8601 date-time (UTC unless it has a zone); was ${quoteForMessage(raw)}`);
  }

  /** Ends the input and returns the series. `sha256` is the hex digest of the file bytes. */
  finish(sha256: string): PriceSeries {
    if (!this.headerSeen) this.fail(1, 'header', 'must name the columns (at least timestamp and price); the file is empty');
    if (this.price.length === 0) {
      if (this.opts.pair !== undefined) {
        const found = [...this.pairsSeen].sort().join(', ');
        this.fail(undefined, 'pair', `must match at least one row; no row has ${quoteForMessage(this.opts.pair)} (pairs found: ${found === '' ? 'none' : found})`);
      }
      if (this.opts.rowFilter !== undefined) {
        this.fail(undefined, this.opts.rowFilter.column, `must be ${quoteForMessage(this.opts.rowFilter.equals)} on at least one row; no row matched`);
      }
      this.fail(this.line + 1, 'rows', 'must have at least one data row after the header; found none');
    }
    const extra = new Map<string, Float64Array>();
    const kept = this.extras.filter((x) => x.state !== TEXT).sort((a, b) => (a.outName < b.outName ? -1 : a.outName > b.outName ? 1 : 0));
    for (const x of kept) {
      // an all-empty column (never decided) is kept only when asked for
      if (x.state === UNDECIDED && !x.required) continue;
      extra.set(x.outName, x.values.finish());
    }
    const params: Record<string, string | number | boolean> = {
      timestampColumn: this.tsName,
      timestampFormat: this.tsFormat === 's' ? 'unix-seconds' : this.tsFormat === 'ms' ? 'unix-milliseconds' : 'iso-8601',
      priceColumn: this.priceName,
      extraColumns: [...extra.keys()].join(','),
    };
    if (this.opts.pair !== undefined) params['pair'] = this.opts.pair;
    if (this.opts.priceTransform !== undefined) params['priceTransform'] = this.opts.priceTransform.describe;
    if (this.opts.rowFilter !== undefined) params['rowFilter'] = `${this.opts.rowFilter.column}=${this.opts.rowFilter.equals}`;
    return makeSeries(this.ts.finish(), this.price.finish(), extra, { kind: this.opts.kind ?? 'csv', file: this.file, sha256, params });
  }
}

/**
 * The row of a papaparse result whose quoted field is never closed (its `MissingQuotes` error), or -1. The errors'
 * type is papaparse's ParseError by shape, not by name: the library's declarations reach this file (through
 * realFormats' CSV options) and must not need @types/papaparse, which needs DOM types.
 */
export function unclosedQuoteRow(errors: ReadonlyArray<{ readonly code: string; readonly row?: number | undefined }>): number {
  for (const e of errors) if (e.code === 'MissingQuotes' && e.row !== undefined) return e.row;
  return -1;
}

/** Physical line breaks inside a row's fields (CRLF counts once; a lone CR counts as one). */
function lineBreaksIn(fields: readonly string[]): number {
  let n = 0;
  for (const f of fields) {
    for (let i = f.indexOf('\n'); i >= 0; i = f.indexOf('\n', i + 1)) n++;
    for (let i = f.indexOf('\r'); i >= 0; i = f.indexOf('\r', i + 1)) if (f.charCodeAt(i + 1) !== 10) n++;
  }
  return n;
}

/**
 * Fills `bounds` with where each of a line's fields starts (`bounds[k]`), and `bounds[n]` = `end + 1` after the
 * last of the `n` fields, so field k is `[bounds[k], bounds[k + 1] - 1)`; returns n. Stops counting past `width`.
 */
function fieldBounds(buf: Uint8Array, start: number, end: number, delimiter: number, bounds: Int32Array, width: number): number {
  let k = 0;
  bounds[0] = start;
  for (let i = buf.indexOf(delimiter, start); i >= 0 && i < end; i = buf.indexOf(delimiter, i + 1)) {
    if (++k >= width) return width + 1;
    bounds[k] = i + 1;
  }
  bounds[k + 1] = end + 1;
  return k + 1;
}

/** A row's fields as strings (UTF-8), as papaparse gives them for a line without quotes. */
function splitToStrings(buf: Buffer, start: number, end: number, delimiter: number): string[] {
  const out: string[] = [];
  let from = start;
  for (let i = start; i < end; i++) {
    if (buf[i] === delimiter) {
      out.push(buf.toString('utf8', from, i));
      from = i + 1;
    }
  }
  out.push(buf.toString('utf8', from, end));
  return out;
}

/** {@link bytesToNumber}'s answer for text it does not read itself. */
const DECLINED = Number.NEGATIVE_INFINITY;
const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16];
const TWO_53 = 9_007_199_254_740_992;

/**
 * The number written in `buf[start, end)` when it is a plain decimal `[+-]digits[.digits]` of at most 15 digits,
 * or of 16 with at least one after the point whose digits read as an integer are at most 2^53 (either side of the
 * point may be empty, not both),
 * or a plain integer of 16 to 30 digits; {@link DECLINED} otherwise (exponents, longer numbers, any other text:
 * the caller then uses {@link parseDecimal} on the string). Exactly `Number(text)`, the correctly rounded value:
 * - ≤ 15 digits, or 16 digits m ≤ 2^53: the digits as an integer m and 10^k (k ≤ 16) are exact doubles, so
 *   m / 10^k is one correctly rounded division (Clinger's fast path). A price printed by JavaScript has up to
 *   17 significant digits; about a quarter of such 16- and 17-digit prices fit here;
 * - 16–30 digits, N = H·10^k + L (H the first 15 digits, L the last k ≤ 15): p = fl(H·10^k) and its rounding error
 *   e = H·10^k − p exactly (Dekker's product), an integer below 2^48; e + L < 2^51 is exact, so p + (e + L) is one
 *   rounding of N itself.
 */
export function bytesToNumber(buf: Uint8Array, start: number, end: number): number {
  let i = start;
  let neg = false;
  const c0 = buf[i];
  if (c0 === 45) {
    neg = true;
    i++;
  } else if (c0 === 43) {
    i++;
  }
  let m = 0;
  let digits = 0;
  let frac = -1;
  for (; i < end; i++) {
    const c = buf[i]! - 48;
    if (c >= 0 && c <= 9) {
      if (digits >= 15) {
        if (frac < 0) return longInteger(buf, i, end, m, neg);
        // a 16th digit after the point: exact while the digits as an integer stay ≤ 2^53 (a 17th never is)
        if (digits === 16 || m * 10 + c > TWO_53) return DECLINED;
      }
      m = m * 10 + c;
      digits++;
    } else if (c === -2 && frac < 0) {
      frac = digits; // '.'
    } else {
      return DECLINED;
    }
  }
  if (digits === 0) return DECLINED;
  const k = frac < 0 ? 0 : digits - frac;
  const v = k === 0 ? m : m / POW10[k]!;
  return neg ? -v : v;
}

const SPLIT = 134_217_729; // 2^27 + 1, Veltkamp's splitter

/** {@link bytesToNumber} past 15 digits: `high` holds the first 15, `buf[at, end)` must be 1 to 15 more digits. */
function longInteger(buf: Uint8Array, at: number, end: number, high: number, neg: boolean): number {
  const k = end - at;
  if (k > 15) return DECLINED;
  let low = 0;
  for (let i = at; i < end; i++) {
    const c = buf[i]! - 48;
    if (c < 0 || c > 9) return DECLINED;
    low = low * 10 + c;
  }
  const scale = POW10[k]!;
  const p = high * scale;
  // Dekker: the exact error of p, from the halves of both factors (each < 2^53, so the halves multiply exactly)
  let t = SPLIT * high;
  const hh = t - (t - high);
  const hl = high - hh;
  t = SPLIT * scale;
  const sh = t - (t - scale);
  const sl = scale - sh;
  const e = hh * sh - p + hh * sl + hl * sh + hl * sl;
  const v = p + (e + low);
  return neg ? -v : v;
}

/**
 * Cuts LF-separated bytes into lines for {@link CsvPriceRowReader.rowBytes}, carrying a line cut by a chunk's end
 * to the next chunk. Like papaparse streaming with `newline: '\n'`, the empty text after a final line break is no row.
 */
class LineSplitter {
  private carry: Buffer | undefined;

  constructor(
    private readonly reader: CsvPriceRowReader,
    private readonly delimiter: number,
  ) {}

  push(chunk: Buffer): void {
    let at = 0;
    if (this.carry !== undefined) {
      const nl = chunk.indexOf(10);
      if (nl < 0) {
        this.carry = Buffer.concat([this.carry, chunk]);
        return;
      }
      const line = Buffer.concat([this.carry, chunk.subarray(0, nl)]);
      this.carry = undefined;
      this.reader.rowBytes(line, 0, line.length, this.delimiter);
      at = nl + 1;
    }
    for (let nl = chunk.indexOf(10, at); nl >= 0; nl = chunk.indexOf(10, at)) {
      this.reader.rowBytes(chunk, at, nl, this.delimiter);
      at = nl + 1;
    }
    this.carry = Buffer.from(chunk.subarray(at)); // the start of the next line (empty after a line break)
  }

  /** The bytes not yet cut into lines (handed to papaparse when the file turns out to hold quotes). */
  take(): Buffer {
    const rest = this.carry ?? Buffer.alloc(0);
    this.carry = undefined;
    return rest;
  }

  /** The end of the text: its last line, unless empty (papaparse streaming gives no row after a final line break). */
  end(): void {
    const rest = this.take();
    if (rest.length > 0) this.reader.rowBytes(rest, 0, rest.length, this.delimiter);
  }
}

/**
 * Rewrites a byte stream's line endings to LF, chunk by chunk: CRLF becomes LF and a lone CR (old Mac files)
 * becomes LF, so files saved on Windows, or mixing endings, parse like LF files (papaparse takes one line ending
 * per file, guessed from its start, and would leave `\r` on the last field of rows that differ). A chunk
 * without CR (the common case) is returned as it is; a CR at the end of a chunk waits for the next one.
 */
export class LfNormalizer {
  private pendingCr = false;

  push(chunk: Buffer): Buffer {
    const lead = this.pendingCr;
    this.pendingCr = false;
    let cr = chunk.indexOf(0x0d);
    if (cr < 0 && !lead) return chunk;
    // an LF-less CR left from the last chunk: a line break of its own unless this chunk starts with its LF
    const out = Buffer.allocUnsafe(chunk.length + 1);
    let n = 0;
    if (lead && chunk[0] !== 0x0a) out[n++] = 0x0a;
    if (cr < 0) cr = chunk.length;
    n += chunk.copy(out, n, 0, cr);
    // byte by byte from the first CR (a copy call per line costs more than this loop)
    const last = chunk.length - 1;
    for (let i = cr; i <= last; i++) {
      const b = chunk[i]!;
      if (b !== 0x0d) out[n++] = b;
      else if (i === last) this.pendingCr = true;
      else if (chunk[i + 1] !== 0x0a) out[n++] = 0x0a;
    }
    return out.subarray(0, n);
  }

  /** The end of the input: a CR left over is a line break. */
  end(): Buffer {
    const rest = this.pendingCr ? Buffer.from([0x0a]) : Buffer.alloc(0);
    this.pendingCr = false;
    return rest;
  }
}

/** Checks that `file` is a readable regular file, as an InputError naming it otherwise. */
export async function checkReadableFile(file: string): Promise<void> {
  let st;
  try {
    st = await stat(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    const what = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    throw new InputError(file, undefined, undefined, `must be a readable file; ${what} (${code})`, { cause: err });
  }
  if (!st.isFile()) throw new InputError(file, undefined, undefined, 'must be a readable file; it is a directory or special file');
}

const READ_BYTES = 1 << 20;
const PARSE_BYTES = 1 << 16;

/** papaparse fed by hand: pieces of text in, rows to the reader; `done` settles when it ends or a row fails. */
interface PapaFeed {
  write(bytes: Buffer): Promise<void>;
  end(): void;
  readonly done: Promise<void>;
  readonly failed: () => boolean;
}

function startPapa(file: string, reader: CsvPriceRowReader, delimiter: string): PapaFeed {
  const text = new PassThrough();
  text.setEncoding('utf8'); // decoded across piece boundaries
  let failed = false;
  const done = new Promise<void>((resolve, reject) => {
    let settled = false;
    const settle = (err?: unknown): void => {
      if (settled) return;
      settled = true;
      if (err === undefined) resolve();
      else {
        failed = true;
        text.destroy();
        reject(err);
      }
    };
    Papa.parse<string[]>(text, {
      delimiter,
      newline: '\n',
      header: false,
      dynamicTyping: false,
      skipEmptyLines: false,
      chunk(results, parser) {
        if (settled) return;
        try {
          const rows = results.data;
          const open = unclosedQuoteRow(results.errors);
          for (let i = 0; i < rows.length; i++) {
            if (i === open) reader.unclosedQuote(rows[i]!);
            reader.row(rows[i]!);
          }
        } catch (err) {
          settle(err);
          parser.abort();
        }
      },
      complete() {
        settle();
      },
      error(err: Error) {
        settle(new InputError(file, undefined, undefined, `must be readable CSV; ${err.message}`, { cause: err }));
      },
    });
  });
  done.catch(() => {}); // awaited by the caller; a failure also stops its writes
  return {
    // 64 KiB pieces: papaparse parses a year of minute rows in ~2/3 of the time it takes in 1 MiB pieces (each
    // piece's rows are short-lived garbage, and smaller pieces let them die young)
    async write(bytes) {
      for (let at = 0; at < bytes.length && !failed; at += PARSE_BYTES) {
        if (!text.write(bytes.subarray(at, at + PARSE_BYTES))) await Promise.race([once(text, 'drain'), done]);
      }
    },
    end: () => void text.end(),
    done,
    failed: () => failed,
  };
}

/**
 * Loads a CSV price file (see the module comment for the rules), reading it in pieces of 1 MiB (fewer waits on
 * the disk) into one buffer used again for every piece, so a large file costs no new memory per piece. Lines are
 * cut from the bytes and rows read without a string per field ({@link CsvPriceRowReader.rowBytes}); the columns
 * are allocated once for the rows the file's size suggests ({@link CsvPriceRowReader.expectRows}). From the first
 * piece holding a quote on, the text goes through papaparse instead (a quoted field may hold delimiters and line
 * breaks). Both give the same rows: papaparse's, for text without quotes, are the lines split at the delimiter.
 * Every bad row is an InputError naming file, line and field; the first one found is thrown.
 */
export async function loadCsvPrices(file: string, options: CsvPricesOptions = {}): Promise<PriceSeries> {
  await checkReadableFile(file);
  const reader = new CsvPriceRowReader(file, options);
  const hash = createHash('sha256');
  const newlines = new LfNormalizer();
  const delimiter = options.delimiter ?? ',';
  const d = delimiter.charCodeAt(0);
  const lines = delimiter.length === 1 && d < 0x80 && d !== 0x22 && d !== 0x0a && d !== 0x0d ? new LineSplitter(reader, d) : undefined;
  let papa = lines === undefined ? startPapa(file, reader, delimiter) : undefined;
  const readFailed = (err: unknown): InputError =>
    new InputError(file, undefined, undefined, `must be a readable file; ${(err as Error).message}`, { cause: err });
  let fh: FileHandle;
  let size: number;
  try {
    fh = await open(file, 'r');
    size = (await fh.stat()).size;
  } catch (err) {
    throw readFailed(err);
  }
  try {
    const piece = Buffer.allocUnsafe(Math.max(1, Math.min(READ_BYTES, size + 1)));
    let bytesSeen = 0;
    for (;;) {
      let bytesRead: number;
      try {
        ({ bytesRead } = await fh.read(piece, 0, piece.length, null));
      } catch (err) {
        throw readFailed(err);
      }
      if (bytesRead === 0) break;
      const read = piece.subarray(0, bytesRead);
      hash.update(read);
      // a UTF-8 byte-order mark is no part of the text (papaparse would read `\uFEFF"timestamp"` as an unquoted field)
      const chunk = bytesSeen === 0 && read[0] === 0xef && read[1] === 0xbb && read[2] === 0xbf ? read.subarray(3) : read;
      const quote = chunk.indexOf(0x22) >= 0;
      // before papaparse sees these bytes, so the reader counts line breaks inside quoted fields
      if (quote) reader.sawQuote();
      const lf = newlines.push(chunk);
      if (papa === undefined && !quote) {
        lines!.push(lf);
        reader.releaseBytes(); // the piece is read into again
        if (bytesSeen === 0 && bytesRead < size && reader.rowsRead > 0) {
          // rows in the whole file, from this first piece's bytes per row (a little over, so it rarely grows)
          reader.expectRows((reader.rowsRead * size) / bytesRead * 1.02 + 64);
        }
        bytesSeen += bytesRead;
        continue;
      }
      bytesSeen += bytesRead;
      if (papa === undefined) {
        papa = startPapa(file, reader, delimiter);
        await papa.write(lines!.take());
      }
      // papaparse's stream may hold the bytes after write() returns: it gets its own copy of the piece
      await papa.write(lf === chunk ? Buffer.from(chunk) : lf);
      if (papa.failed()) break;
    }
  } finally {
    await fh.close().catch(() => {});
  }
  const rest = newlines.end();
  if (papa !== undefined) {
    if (!papa.failed()) {
      await papa.write(rest);
      papa.end();
    }
    await papa.done;
  } else {
    lines!.push(rest);
    lines!.end();
  }
  return reader.finish(hash.digest('hex'));
}

/** Parses CSV text held in memory (small inputs and tests). Same rules and messages as {@link loadCsvPrices}. */
export function parseCsvPricesText(text: string, file: string, options: CsvPricesOptions = {}): PriceSeries {
  const reader = new CsvPriceRowReader(file, options);
  if (text.includes('"')) reader.sawQuote();
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // a byte-order mark is no part of the text
  const lf = body.includes('\r') ? body.replace(/\r\n?/g, '\n') : body;
  const parsed = Papa.parse<string[]>(lf, { delimiter: options.delimiter ?? ',', newline: '\n', header: false, skipEmptyLines: false });
  const open = unclosedQuoteRow(parsed.errors);
  parsed.data.forEach((row, i) => {
    if (i === open) reader.unclosedQuote(row);
    reader.row(row);
  });
  return reader.finish(createHash('sha256').update(text, 'utf8').digest('hex'));
}

/** Where {@link locateCsvRow} found a row: its line (physical, the header's is 1), the timestamp column's name, and its time. */
export interface CsvRowLocation {
  readonly line: number;
  readonly field: string;
  readonly timestampMs: number;
}

/** What a {@link RowLocator} throws to stop reading once it has found its row. */
const FOUND = Symbol('found');

/** Any raw price in: 1 out (the locator reads times only; a file that loaded has every price the loader wants). */
const ANY_PRICE: PriceTransform = { describe: 'any', apply: () => 1 };

/**
 * The reader {@link loadCsvPrices} uses, watching the rows it keeps: the first whose time is at or after
 * `atOrAfterMs` is the one sought, and reading stops there. The line is the reader's own, so it counts blank lines,
 * quoted fields that span lines and rows another pair's or filtered out exactly as the load's messages do.
 */
class RowLocator extends CsvPriceRowReader {
  found: CsvRowLocation | undefined;

  constructor(
    file: string,
    options: CsvPricesOptions,
    private readonly atOrAfterMs: number,
  ) {
    super(file, options);
  }

  override row(fields: readonly string[]): void {
    super.row(fields);
    this.check();
  }

  override rowBytes(buf: Buffer, start: number, end: number, delimiter: number): void {
    super.rowBytes(buf, start, end, delimiter);
    this.check();
  }

  private check(): void {
    if (this.found === undefined && this.lastT >= this.atOrAfterMs) {
      this.found = { line: this.lastLine, field: this.tsName, timestampMs: this.lastT };
      throw FOUND;
    }
  }
}

/**
 * The line of the first row of a CSV price file, read with `options` (those its load used: the same columns, pair and
 * row filter), whose time is at or after `atOrAfterMs`; undefined when there is none, or when the file cannot be read
 * or no longer loads. For an error about a series already loaded (a gap found after a cache hit, a window or
 * resampling; a gas price out of range), whose columns keep no lines: the file is read again, on that error's path
 * only (synchronously: the 35-day minute file in ~0.1 s), so loading costs nothing per row for it. Prices and extra
 * columns are not read.
 */
export function locateCsvRow(file: string, options: CsvPricesOptions, atOrAfterMs: number): CsvRowLocation | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return undefined;
  }
  const locator = new RowLocator(file, { ...options, extraColumns: [], priceTransform: ANY_PRICE }, atOrAfterMs);
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  const delimiter = options.delimiter ?? ',';
  const d = delimiter.charCodeAt(0);
  try {
    if (body.indexOf(0x22) < 0 && delimiter.length === 1 && d < 0x80 && d !== 0x0a && d !== 0x0d) {
      const newlines = new LfNormalizer();
      const lines = new LineSplitter(locator, d);
      lines.push(newlines.push(body));
      lines.push(newlines.end());
      lines.end();
    } else {
      locator.sawQuote();
      const text = body.toString('utf8');
      let stopped: unknown;
      Papa.parse<string[]>(text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text, {
        delimiter,
        newline: '\n',
        header: false,
        skipEmptyLines: false,
        step(results, parser) {
          if (stopped !== undefined) return;
          try {
            locator.row(results.data);
          } catch (err) {
            stopped = err;
            parser.abort();
          }
        },
      });
    }
  } catch (err) {
    if (err !== FOUND) return undefined; // the file changed since it loaded: no line rather than a wrong one
  }
  return locator.found;
}
