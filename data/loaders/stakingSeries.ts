import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { ConfigError, InputError } from '../../sim/core/errors.ts';
import { parseDecimal, parseIsoUtcMs, quoteForMessage, unixToMs, unixUnitOf } from './timestamps.ts';
import { jsonErrorLine, stripBom } from './jsonText.ts';

/**
 * Staking inputs as time series: a historical staking APR (`--staking-series`) and the market price of a liquid
 * staking token against its base asset (`--lst-series`).
 *
 * Both are step functions read "as of" a time: the value in force at t is the last observation at or before t.
 * Times are unix milliseconds (UTC).
 */

export type { AprSeries, LstPriceSeries } from '../../sim/core/series.ts';
import type { AprSeries, LstPriceSeries } from '../../sim/core/series.ts';
export { asOfIndex } from '../../sim/core/series.ts';
import { asOfIndex } from '../../sim/core/series.ts';

const TIME_COLUMNS = ['timestamp', 'time', 'date', 'datetime', 'datetime_utc', 'unix_s'] as const;

/**
 * Parses one timestamp cell to unix ms (UTC) by the same rules as the price loader (data/loaders/timestamps.ts):
 * unix seconds below 1e11, unix milliseconds from there up to 1e14, else ISO-8601 / `YYYY-MM-DD[ HH:MM[:SS]]`, read
 * as UTC when no zone is given. Returns undefined when the cell is not a time.
 */
export function parseTimestampMs(cell: string): number | undefined {
  const s = cell.trim();
  const v = parseDecimal(s);
  if (!Number.isNaN(v)) {
    const unit = unixUnitOf(v);
    return unit === undefined ? undefined : unixToMs(v, unit);
  }
  const iso = parseIsoUtcMs(s);
  return Number.isNaN(iso) ? undefined : iso;
}


/** The APR in force at `tMs` (the last observation at or before it), or undefined before the series starts. */
export function aprAt(series: AprSeries, tMs: number): number | undefined {
  const i = asOfIndex(series.timestampMs, tMs);
  return i < 0 ? undefined : series.apr[i];
}

/** The LST price in force at `tMs` (as-of), or undefined before the series starts. */
export function lstPriceAt(series: LstPriceSeries, tMs: number): number | undefined {
  const i = asOfIndex(series.timestampMs, tMs);
  return i < 0 ? undefined : series.price[i];
}

interface CsvTable {
  readonly header: readonly string[];
  /** The header's 1-based line: the first line that is not blank (blank lines before it are skipped, as the price loader skips them). */
  readonly headerLine: number;
  /** Data rows with their 1-based line number in the file (physical lines: blank ones and those a quoted field spans counted). */
  readonly rows: ReadonlyArray<{ readonly line: number; readonly cells: readonly string[] }>;
}

function readCsv(text: string, file: string): CsvTable {
  // CRLF, CR and mixed line endings read as LF (papaparse takes one ending per file, guessed from its start)
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n'), { newline: '\n', skipEmptyLines: false });
  const all = parsed.data;
  const blank = (cells: readonly string[]): boolean => cells.length === 1 && cells[0]!.trim() === '';
  const rows: Array<{ line: number; cells: string[] }> = [];
  let header: string[] | undefined;
  let headerLine = 1;
  // Without skipEmptyLines, each row of papaparse's output starts one line after the previous row ends (a quoted
  // field may span lines: they are counted, so lines stay physical).
  const unclosed = parsed.errors.find((e) => e.code === 'MissingQuotes')?.row ?? -1;
  let line = 1;
  for (let k = 0; k < all.length; k++) {
    const cells = all[k]!;
    if (k === unclosed) {
      const i = cells.length - 1;
      throw new InputError(file, line, header === undefined ? 'header' : (header[i] ?? `column ${i + 1}`), `has a quote (") that is never closed, so the rest of the file would be read as this one field; it starts ${quoteForMessage(`"${cells[i] ?? ''}`)}`);
    }
    if (header === undefined) {
      if (!blank(cells)) {
        header = cells.map((h) => h.trim().toLowerCase());
        headerLine = line;
      }
    } else if (!blank(cells)) rows.push({ line, cells });
    line += 1;
    for (const c of cells) for (let at = c.indexOf('\n'); at >= 0; at = c.indexOf('\n', at + 1)) line++;
  }
  if (header === undefined) throw new InputError(file, 1, 'header', 'the file is empty; expected a header row');
  return { header, headerLine, rows };
}

function pickColumn(table: CsvTable, file: string, names: readonly string[], what: string): number {
  for (const n of names) {
    const i = table.header.indexOf(n);
    if (i >= 0) return i;
  }
  throw new InputError(file, table.headerLine, what, `no ${names.map((n) => `"${n}"`).join(' / ')} column in the header; found ${table.header.map((h) => `"${h}"`).join(', ')}`);
}

function cell(row: { line: number; cells: readonly string[] }, i: number, file: string, field: string): string {
  const v = row.cells[i];
  if (v === undefined) throw new InputError(file, row.line, field, `missing value (the row has ${row.cells.length} fields)`);
  return v;
}

function checkIncreasing(file: string, line: number | undefined, field: string, prev: number | undefined, t: number, raw: string): void {
  if (prev !== undefined && !(t > prev)) {
    throw new InputError(file, line, field, `rows must be strictly increasing in time; ${JSON.stringify(raw.trim())} is not after the previous row`);
  }
}

/** Parses a CSV with a header `timestamp,apr` (time column aliases: time, date, datetime). */
export function parseAprCsv(text: string, file: string): AprSeries {
  const table = readCsv(text, file);
  const tCol = pickColumn(table, file, TIME_COLUMNS, 'timestamp');
  const aCol = pickColumn(table, file, ['apr'], 'apr');
  const ts = new Float64Array(table.rows.length);
  const apr = new Float64Array(table.rows.length);
  let prev: number | undefined;
  table.rows.forEach((row, i) => {
    const rawT = cell(row, tCol, file, table.header[tCol]!);
    const t = parseTimestampMs(rawT);
    if (t === undefined) throw new InputError(file, row.line, table.header[tCol]!, `not a time (unix s/ms or ISO-8601); found ${JSON.stringify(rawT)}`);
    checkIncreasing(file, row.line, table.header[tCol]!, prev, t, rawT);
    prev = t;
    const rawA = cell(row, aCol, file, 'apr');
    const a = parseDecimal(rawA); // a plain decimal, as the price loader reads numbers (no hex, no spaces)
    if (!Number.isFinite(a) || a <= -1) throw new InputError(file, row.line, 'apr', `must be a finite fraction > -1 (0.05 = 5 % a year); found ${JSON.stringify(rawA)}`);
    ts[i] = t;
    apr[i] = a;
  });
  if (table.rows.length === 0) throw new InputError(file, table.headerLine + 1, 'rows', 'no data rows after the header');
  return { timestampMs: ts, apr, length: ts.length, file, kind: 'csv' };
}

/** 1-based line on which each top-level array element starts (string-aware; LF, CRLF or CR line ends), for error messages. */
function elementLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let next = false; // an element starts at the next character that is not white space
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\n' || (ch === '\r' && text[i + 1] !== '\n')) line++;
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (next && ch !== ' ' && ch !== '\t' && ch !== '\n' && ch !== '\r') {
      lines.push(line);
      next = false;
    }
    if (ch === '"') inString = true;
    else if (ch === '[' || ch === '{') {
      depth++;
      if (depth === 1) next = true;
    } else if (ch === ']' || ch === '}') depth--;
    else if (ch === ',' && depth === 1) next = true;
  }
  return lines;
}

/**
 * Parses the ETH.STORE daily JSON (gobitfly/eth.store `ethstore.mainnet.json`): an array of objects whose `dayTime`
 * (ISO, the start of the 24 h beacon day) and `apr` (fraction) are strings. Other fields are ignored. The APR of a
 * day is in force from its `dayTime` until the next day's.
 */
export function parseEthStoreJson(text: string, file: string): AprSeries {
  text = stripBom(text);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new InputError(file, jsonErrorLine(text), undefined, `not valid JSON (${(err as Error).message})`, { cause: err });
  }
  if (!Array.isArray(data)) throw new InputError(file, 1, undefined, `expected a JSON array of {"dayTime", "apr", ...} objects; found ${data === null ? 'null' : typeof data === 'object' ? 'an object' : typeof data}`);
  const lines = elementLines(text);
  const ts = new Float64Array(data.length);
  const apr = new Float64Array(data.length);
  let prev: number | undefined;
  data.forEach((el: unknown, i) => {
    const line = lines[i];
    if (typeof el !== 'object' || el === null || Array.isArray(el)) throw new InputError(file, line, undefined, `element ${i} must be an object; found ${JSON.stringify(el)}`);
    const o = el as Record<string, unknown>;
    const rawT = o['dayTime'];
    const t = typeof rawT === 'string' || typeof rawT === 'number' ? parseTimestampMs(String(rawT)) : undefined;
    if (t === undefined) throw new InputError(file, line, 'dayTime', `not a time (ISO-8601); found ${JSON.stringify(rawT)}`);
    checkIncreasing(file, line, 'dayTime', prev, t, String(rawT));
    prev = t;
    const rawA = o['apr'];
    const a = typeof rawA === 'string' ? parseDecimal(rawA) : typeof rawA === 'number' ? rawA : NaN;
    if (!Number.isFinite(a) || a <= -1) throw new InputError(file, line, 'apr', `must be a finite fraction > -1; found ${JSON.stringify(rawA)}`);
    ts[i] = t;
    apr[i] = a;
  });
  if (data.length === 0) throw new InputError(file, 1, undefined, 'the array is empty; expected daily {"dayTime", "apr"} objects');
  return { timestampMs: ts, apr, length: ts.length, file, kind: 'ethstore-json' };
}

function readText(file: string, flag: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(flag, `cannot read ${JSON.stringify(file)} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, { cause: err });
  }
}

/**
 * Loads a staking APR series: the ETH.STORE JSON format when the file starts with `[` or `{` (after whitespace), else a CSV
 * `timestamp,apr`. Bad rows raise an InputError naming file, line and field.
 */
export function loadAprSeries(file: string): AprSeries {
  const text = readText(file, '--staking-series');
  // (`\s` takes a byte-order mark too; an object is JSON that is not the expected array, said so by parseEthStoreJson)
  return /^\s*[[{]/.test(text) ? parseEthStoreJson(text, file) : parseAprCsv(text, file);
}

/**
 * Parses an LST price series. Two layouts:
 * - long format with a `pair` column (CryptoCompare: `datetime_utc,unix_s,pair,open,high,low,close,…`): rows of
 *   `pair` are kept (case-insensitive), the price is `close` (or `price`). When `pair` is not given and the file holds
 *   one pair, that one is used; with several, a ConfigError lists them.
 * - plain `timestamp,price` (or `close`).
 * Time: `unix_s` is preferred when present, else the first of timestamp / time / date / datetime / datetime_utc.
 */
export function parseLstPriceCsv(text: string, file: string, pair?: string): LstPriceSeries {
  const table = readCsv(text, file);
  const pairCol = table.header.indexOf('pair');
  const tCol = table.header.includes('unix_s') ? table.header.indexOf('unix_s') : pickColumn(table, file, TIME_COLUMNS, 'timestamp');
  const pCol = pickColumn(table, file, ['price', 'close'], 'price');
  let rows = table.rows;
  let usedPair: string | undefined;
  if (pairCol >= 0) {
    const pairs = [...new Set(rows.map((r) => (r.cells[pairCol] ?? '').trim().toUpperCase()))].sort();
    if (pair === undefined) {
      if (pairs.length !== 1) throw new ConfigError('--lst-pair', `${file} holds several pairs (${pairs.join(', ')}); choose one, e.g. --lst-pair STETH/ETH`);
      usedPair = pairs[0]!;
    } else {
      usedPair = pair.trim().toUpperCase();
      if (!pairs.includes(usedPair)) throw new ConfigError('--lst-pair', `${file} has no rows for pair ${JSON.stringify(pair)}; it holds ${pairs.join(', ')}`);
    }
    rows = rows.filter((r) => (r.cells[pairCol] ?? '').trim().toUpperCase() === usedPair);
  } else if (pair !== undefined) {
    throw new ConfigError('--lst-pair', `${file} has no "pair" column; leave --lst-pair out for a plain timestamp,price file`);
  }
  if (rows.length === 0) throw new InputError(file, table.headerLine + 1, 'rows', 'no data rows after the header');
  const ts = new Float64Array(rows.length);
  const price = new Float64Array(rows.length);
  const tName = table.header[tCol]!;
  const pName = table.header[pCol]!;
  let prev: number | undefined;
  rows.forEach((row, i) => {
    const rawT = cell(row, tCol, file, tName);
    const t = parseTimestampMs(rawT);
    if (t === undefined) throw new InputError(file, row.line, tName, `not a time (unix s/ms or ISO-8601); found ${JSON.stringify(rawT)}`);
    checkIncreasing(file, row.line, tName, prev, t, rawT);
    prev = t;
    const rawP = cell(row, pCol, file, pName);
    const p = parseDecimal(rawP);
    if (!Number.isFinite(p) || p <= 0) throw new InputError(file, row.line, pName, `must be a finite price > 0 (base per one LST); found ${JSON.stringify(rawP)}`);
    ts[i] = t;
    price[i] = p;
  });
  return { timestampMs: ts, price, length: ts.length, file, pair: usedPair };
}

/** Loads an LST price series from a file (see {@link parseLstPriceCsv}). */
export function loadLstPriceSeries(file: string, pair?: string): LstPriceSeries {
  return parseLstPriceCsv(readText(file, '--lst-series'), file, pair);
}
