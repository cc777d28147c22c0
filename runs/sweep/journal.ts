/**
 * The results journal of a sweep (`results.jsonl`): a header line naming the grid, then one line per finished
 * configuration, appended as runs finish. Every line is `<checksum> <json>\n` with the checksum the first 16 hex
 * digits of the JSON's sha256, and is written whole (a finished batch's lines in one append); a line cut short by
 * a kill (no newline, or a checksum that does not match) can only be the last one, and is dropped (and cut off the
 * file) on reading.
 * Lines are fsync'd at most every {@link SYNC_INTERVAL_MS} and when the journal is closed.
 */
import { closeSync, existsSync, fsyncSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import * as crypto from 'node:crypto';
import { writeFileAtomic } from '../../data/io/atomicWrite.ts';
import { InputError } from '../../sim/core/errors.ts';

/** What a journal belongs to. */
export interface JournalHeader {
  readonly gridHash: string;
  readonly configurations: number;
  /** This journal's slice of the grid (rows k with k mod count = index), or null for the whole grid. */
  readonly shard: { readonly index: number; readonly count: number } | null;
  readonly metrics: readonly string[];
}

/** One finished configuration: its metrics (in header order) and the run's warnings, or the error that stopped it. */
export interface JournalRow {
  readonly k: number;
  readonly metrics?: readonly number[];
  readonly warnings?: readonly string[];
  readonly error?: string;
}

/**
 * A kill loses nothing written (the lines are in the page cache); an operating-system crash or power cut may lose
 * the lines of the last second. Syncing more often cost the main thread, which shares the cores with the workers.
 */
export const SYNC_INTERVAL_MS = 1000;

/**
 * sha256 through Node's one-shot `crypto.hash` (Node ≥ 20.12; ~5× faster than a Hash object on lines this short,
 * which matters for the main thread that shares the cores with the workers), else through `createHash`.
 */
const sha256Hex: (text: string) => string =
  typeof crypto.hash === 'function' ? (text) => crypto.hash('sha256', text, 'hex') : (text) => crypto.createHash('sha256').update(text).digest('hex');

const checksum = (json: string): string => sha256Hex(json).slice(0, 16);

/** A metric as JSON: finite numbers as numbers, NaN and ±Infinity as strings. */
export function encodeMetric(v: number): number | string {
  return Number.isFinite(v) ? v : String(v);
}

export function decodeMetric(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  throw new TypeError(`not a metric value: ${JSON.stringify(v)}`);
}

/** The line of a row or header, newline included. */
export function journalLine(value: unknown): string {
  const json = JSON.stringify(value);
  return `${checksum(json)} ${json}\n`;
}

/** A row's journal line (`<checksum> <json>\n`); the same text for the row and for its {@link roundTrip}. */
export function rowLine(r: JournalRow): string {
  return journalLine(rowJson(r));
}

function rowJson(r: JournalRow): unknown {
  if (r.error !== undefined) return { k: r.k, error: r.error };
  return { k: r.k, m: (r.metrics ?? []).map(encodeMetric), ...(r.warnings !== undefined && r.warnings.length > 0 ? { w: r.warnings } : {}) };
}

/**
 * A row as it reads back from the journal (metrics through their JSON form: -0 becomes 0). Outputs are always
 * built from rows in this form, so a resumed or merged sweep writes the same bytes as an uninterrupted one.
 */
export function roundTrip(r: JournalRow): JournalRow {
  if (r.error !== undefined) return { k: r.k, error: r.error };
  return { k: r.k, metrics: (r.metrics ?? []).map((v) => (v === 0 ? 0 : v)), ...(r.warnings !== undefined && r.warnings.length > 0 ? { warnings: [...r.warnings] } : {}) };
}

export interface JournalContents {
  readonly header: JournalHeader;
  /** Rows by configuration index (first occurrence wins). */
  readonly rows: Map<number, JournalRow>;
  /** Bytes of whole, valid lines; anything after is a torn last line. */
  readonly validBytes: number;
  readonly tornBytes: number;
}

/** Reads a journal; undefined when the file does not exist or holds not even a whole header line. */
export function readJournal(file: string): JournalContents | undefined {
  if (!existsSync(file)) return undefined;
  const buf = readFileSync(file);
  let pos = 0;
  let lineNo = 0;
  let header: JournalHeader | undefined;
  const rows = new Map<number, JournalRow>();
  while (pos < buf.length) {
    const nl = buf.indexOf(0x0a, pos);
    if (nl < 0) break; // torn last line: no newline
    const line = buf.subarray(pos, nl).toString('utf8');
    lineNo++;
    const sp = line.indexOf(' ');
    const json = line.slice(sp + 1);
    if (sp !== 16 || checksum(json) !== line.slice(0, 16)) {
      if (nl === buf.length - 1) break; // a torn last line that happens to end in a newline byte
      throw new InputError(file, lineNo, undefined, 'checksum mismatch in the middle of the results journal (the file was edited or the disk corrupted it); delete the folder to start the sweep over');
    }
    const value = JSON.parse(json) as Record<string, unknown>;
    if (header === undefined) {
      if (typeof value.gridHash !== 'string' || !Array.isArray(value.metrics)) throw new InputError(file, lineNo, undefined, 'is not a sweep results journal (no header line)');
      header = value as unknown as JournalHeader;
    } else {
      const k = value.k;
      if (typeof k !== 'number' || !Number.isInteger(k) || k < 0 || k >= header.configurations) throw new InputError(file, lineNo, 'k', `must be a configuration index in [0, ${header.configurations})`);
      if (!rows.has(k)) {
        if (typeof value.error === 'string') rows.set(k, { k, error: value.error });
        else {
          const m = value.m;
          if (!Array.isArray(m) || m.length !== header.metrics.length) throw new InputError(file, lineNo, 'm', `must hold ${header.metrics.length} metrics`);
          const w = value.w;
          if (w !== undefined && !(Array.isArray(w) && w.every((x) => typeof x === 'string'))) throw new InputError(file, lineNo, 'w', 'must be a list of warnings');
          rows.set(k, { k, metrics: m.map(decodeMetric), ...(w === undefined ? {} : { warnings: w as string[] }) });
        }
      }
    }
    pos = nl + 1;
  }
  if (header === undefined) return undefined;
  return { header, rows, validBytes: pos, tornBytes: buf.length - pos };
}

/** Appends rows to a journal as they finish; see the module comment for the guarantees. */
export class JournalWriter {
  private fd: number;
  private lastSync = 0;
  private dirty = false;
  private readonly now: () => number;

  private constructor(fd: number, now: () => number) {
    this.fd = fd;
    this.now = now;
  }

  /**
   * Opens `file` for appending: a new journal gets `header` as its first line; an existing one (already read
   * with {@link readJournal}, whose `validBytes` are kept) loses its torn last line first.
   */
  static open(file: string, header: JournalHeader, existing: JournalContents | undefined, now: () => number = () => performance.now()): JournalWriter {
    if (existing === undefined) {
      writeFileAtomic(file, journalLine(header));
      return new JournalWriter(openSync(file, 'a'), now);
    }
    const fd = openSync(file, 'r+');
    if (existing.tornBytes > 0) {
      ftruncateSync(fd, existing.validBytes);
      fsyncSync(fd);
    }
    closeSync(fd);
    return new JournalWriter(openSync(file, 'a'), now);
  }

  /**
   * Appends rows, one write for the batch (whole lines: a kill leaves at most the last line torn); syncs to disk
   * if the last sync is older than SYNC_INTERVAL_MS.
   */
  append(rows: readonly JournalRow[]): void {
    let text = '';
    for (const r of rows) text += rowLine(r);
    this.appendLines(text);
  }

  /** {@link append} for rows whose lines ({@link rowLine}) are already made, e.g. by the worker that ran them. */
  appendLines(text: string): void {
    if (text === '') return;
    writeSync(this.fd, text);
    this.dirty = true;
    const t = this.now();
    if (t - this.lastSync >= SYNC_INTERVAL_MS) this.sync();
  }

  sync(): void {
    if (!this.dirty || this.fd < 0) return;
    fsyncSync(this.fd);
    this.dirty = false;
    this.lastSync = this.now();
  }

  close(): void {
    if (this.fd < 0) return;
    this.sync();
    closeSync(this.fd);
    this.fd = -1;
  }
}

/**
 * The journal's bytes with every row in index order (written atomically once a sweep completes). `lines`: rows'
 * lines already made ({@link rowLine}, by configuration index); the others are made here.
 */
export function canonicalJournal(header: JournalHeader, rows: readonly JournalRow[], lines?: ReadonlyMap<number, string>): string {
  return journalLine(header) + [...rows].sort((a, b) => a.k - b.k).map((r) => lines?.get(r.k) ?? rowLine(r)).join('');
}
