import { tableFromIPC, type Table } from 'apache-arrow';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../io/atomicWrite.ts';
import { ConfigError, InputError } from '../../sim/core/errors.ts';
import { buildTable, readRows, tableToArrowFile, type ColumnSpec, type Row } from './table.ts';

/**
 * A resumable cache for one query: a directory holding one Arrow file per completed chunk plus
 * `manifest.json`. Each chunk file is written atomically first, then the manifest that lists it (also
 * atomically), so after a crash at any point the manifest only names complete, checksummed files; a chunk
 * written but not yet listed is an orphan that is deleted and fetched again. Re-runs ask {@link missing}
 * for the ranges not yet covered and fetch only those. A listed chunk is used only while it is the one its
 * entry names: its checksum, its own metadata (source, query, range), its row count, and every row's position
 * (the range column) inside its range; anything else drops it, and it is fetched again.
 *
 * Ranges are inclusive integer intervals in the query's own unit (open-time milliseconds for klines, block
 * numbers for logs). The cache key identifies the query without its range, so widening the range reuses
 * what is there.
 */
export interface ChunkRange {
  readonly from: number;
  readonly to: number;
}

export interface ChunkEntry extends ChunkRange {
  /** File name inside the cache directory. */
  readonly file: string;
  readonly rows: number;
  /** sha256 (hex) of the chunk file bytes. */
  readonly sha256: string;
  /** Unix ms (injected clock) when the chunk was fetched; metadata only. */
  readonly fetchedAtMs: number;
}

export type CacheKey = Readonly<Record<string, string | number | boolean>>;

interface Manifest {
  readonly format: 'ammsim-fetch-cache';
  readonly version: 1;
  readonly source: string;
  readonly key: CacheKey;
  readonly chunks: ChunkEntry[];
}

export type CacheEvent =
  | { readonly kind: 'cache-dropped-chunk'; readonly file: string; readonly reason: string }
  | { readonly kind: 'cache-reset'; readonly reason: string };

const MANIFEST = 'manifest.json';
/** Held while a run uses the cache: `{ pid, host }`. Two runs on one cache would delete each other's temporary files. */
const LOCK = '.lock';

/** Whether process `pid` is running on this machine (a signal-0 probe; EPERM means it exists). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the cache directory's lock (creating the directory), or throws a ConfigError naming the run that
 * holds it. A lock left by a run on this machine that is no longer running is taken over, with an event.
 */
function acquireLock(dir: string, onEvent: ((e: CacheEvent) => void) | undefined): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, LOCK);
  const me = JSON.stringify({ pid: process.pid, host: hostname() });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      try {
        writeSync(fd, me);
      } finally {
        closeSync(fd);
      }
      return path;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let holder: { pid?: unknown; host?: unknown } = {};
    try {
      holder = JSON.parse(readFileSync(path, 'utf8')) as typeof holder;
    } catch {
      // unreadable or half-written: judged below as a lock of unknown owner
    }
    const pid = typeof holder.pid === 'number' ? holder.pid : undefined;
    const sameHost = holder.host === hostname();
    if (pid !== undefined && sameHost && !processAlive(pid)) {
      onEvent?.({ kind: 'cache-reset', reason: `took over the lock of a run that is no longer running (pid ${pid})` });
      rmSync(path, { force: true });
      continue;
    }
    const who = pid === undefined ? 'another run' : `another ammsim run (pid ${pid}${sameHost ? '' : ` on ${String(holder.host)}`})`;
    throw new ConfigError('--cache-dir', `${dir} is in use by ${who}; wait for it to finish, or use another --cache-dir (if no run is using it, delete ${path})`);
  }
  throw new ConfigError('--cache-dir', `could not take the lock ${path}`);
}

/** A stable JSON text for a key: keys sorted, so equal keys hash equally whatever their insertion order. */
export function canonicalKey(key: CacheKey): string {
  return JSON.stringify(Object.fromEntries(Object.keys(key).sort().map((k) => [k, key[k]])));
}

/** `<root>/<source>-<label>-<first 12 hex of sha256(source + key)>`: readable, and distinct per query. */
export function cacheDirFor(root: string, source: string, label: string, key: CacheKey): string {
  const hash = createHash('sha256').update(`${source}\n${canonicalKey(key)}`).digest('hex').slice(0, 12);
  const safe = label.replace(/[^A-Za-z0-9._-]+/g, '_');
  return join(root, `${source}-${safe}-${hash}`);
}

/** The parts of [from, to] not covered by `have` (inclusive integer ranges), in ascending order. */
export function subtractRanges(from: number, to: number, have: readonly ChunkRange[]): ChunkRange[] {
  const sorted = [...have].sort((a, b) => a.from - b.from);
  const out: ChunkRange[] = [];
  let cursor = from;
  for (const r of sorted) {
    if (r.to < cursor) continue;
    if (r.from > to) break;
    if (r.from > cursor) out.push({ from: cursor, to: Math.min(to, r.from - 1) });
    cursor = Math.max(cursor, r.to + 1);
    if (cursor > to) break;
  }
  if (cursor <= to) out.push({ from: cursor, to });
  return out;
}

function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * The index of the column that places a row in a chunk's range: `name` when given, else `blockNumber` when the
 * columns have one (log chunks: ranges of blocks), else the first column (klines: open times). It must be numeric.
 */
function rangeColumnIndex(columns: readonly ColumnSpec[], name: string | undefined): number {
  const i = name !== undefined ? columns.findIndex((c) => c.name === name) : Math.max(0, columns.findIndex((c) => c.name === 'blockNumber'));
  const c = columns[i];
  if (c === undefined || c.kind === 'utf8') throw new Error(`ChunkCache rangeColumn: ${name ?? c?.name ?? '(no columns)'} is not a numeric column of ${columns.map((x) => x.name).join(',')}`);
  return i;
}

/** What a chunk's own metadata and rows must be for it to be the chunk of `entry`. */
interface ChunkIdentity {
  readonly source: string;
  readonly query: string;
  /** `name:type` of every column, as the Arrow schema prints them. */
  readonly fields: string;
  readonly rangeColumn: number;
}

/** Why the chunk `bytes` is not the chunk `entry` names (its checksum aside), or undefined when it is. */
function chunkProblem(bytes: Uint8Array, entry: ChunkEntry, want: ChunkIdentity): string | undefined {
  let table: Table;
  try {
    table = tableFromIPC(bytes);
  } catch (err) {
    return `not a readable chunk (${(err as Error).message})`;
  }
  const range = `${entry.from}-${entry.to}`;
  const meta = table.schema.metadata;
  const got = meta.get('ammsim.range');
  if (got !== range) return `holds the chunk of range ${got ?? '(none)'}, not ${range}`;
  const source = meta.get('ammsim.source');
  if (source !== want.source) return `is the chunk of another source (${source ?? 'none'})`;
  const query = meta.get('ammsim.query');
  if (query !== want.query) return `is the chunk of another query (${query ?? 'none'})`;
  const fields = table.schema.fields.map((f) => `${f.name}:${String(f.type)}`).join(',');
  if (fields !== want.fields) return `has the columns ${fields}, not ${want.fields}`;
  if (table.numRows !== entry.rows) return `holds ${table.numRows} rows; the manifest lists ${entry.rows}`;
  const column = table.getChildAt(want.rangeColumn);
  if (column === null) return 'has no range column';
  const values: ArrayLike<unknown> = column.nullCount === 0 ? (column.toArray() as ArrayLike<unknown>) : Array.from({ length: column.length }, (_, i) => column.get(i) as unknown);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !(v >= entry.from && v <= entry.to)) return `row ${i + 1} is at ${String(v)}, outside ${range}`;
  }
  return undefined;
}

export class ChunkCache {
  readonly dir: string;
  readonly source: string;
  readonly key: CacheKey;
  private readonly columns: readonly ColumnSpec[];
  private readonly identity: ChunkIdentity;
  private entries: ChunkEntry[];
  private lock: string | undefined;

  private constructor(dir: string, source: string, key: CacheKey, columns: readonly ColumnSpec[], identity: ChunkIdentity, entries: ChunkEntry[], lock: string) {
    this.dir = dir;
    this.source = source;
    this.key = key;
    this.columns = columns;
    this.identity = identity;
    this.entries = entries;
    this.lock = lock;
  }

  /** Releases the directory's lock (see {@link open}); the cache is not used afterwards. Idempotent. */
  release(): void {
    if (this.lock !== undefined) rmSync(this.lock, { force: true });
    this.lock = undefined;
  }

  /**
   * Opens (or starts) the cache in `dir` and takes its lock — one run at a time per cache, released by
   * {@link release}; a second run is refused with a message, a lock left by a crashed run is taken over.
   * Checks every listed chunk against its checksum, its own metadata (source, query, range), its row count and
   * its rows' positions, and drops the ones that fail (they are fetched again), removes temporary and orphan
   * files, and refuses a directory that belongs to a different query. `rangeColumn` names the column that
   * places a row in its chunk's range (default: `blockNumber` when there is one, else the first column).
   */
  static open(params: { dir: string; source: string; key: CacheKey; columns: readonly ColumnSpec[]; rangeColumn?: string; onEvent?: (e: CacheEvent) => void }): ChunkCache {
    const { dir, source, key, columns, onEvent } = params;
    const identity: ChunkIdentity = {
      source,
      query: canonicalKey(key),
      fields: buildTable(columns, [], new Map()).schema.fields.map((f) => `${f.name}:${String(f.type)}`).join(','),
      rangeColumn: rangeColumnIndex(columns, params.rangeColumn),
    };
    const lock = acquireLock(dir, onEvent);
    try {
      return ChunkCache.load(dir, source, key, columns, identity, onEvent, lock);
    } catch (err) {
      rmSync(lock, { force: true });
      throw err;
    }
  }

  private static load(dir: string, source: string, key: CacheKey, columns: readonly ColumnSpec[], identity: ChunkIdentity, onEvent: ((e: CacheEvent) => void) | undefined, lock: string): ChunkCache {
    let entries: ChunkEntry[] = [];
    const manifestPath = join(dir, MANIFEST);
    if (existsSync(manifestPath)) {
      let manifest: Manifest | undefined;
      try {
        manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
        if (manifest.format !== 'ammsim-fetch-cache' || manifest.version !== 1 || !Array.isArray(manifest.chunks)) manifest = undefined;
      } catch {
        manifest = undefined;
      }
      if (manifest === undefined) {
        onEvent?.({ kind: 'cache-reset', reason: `${manifestPath} is not an ammsim fetch-cache manifest; starting the cache afresh` });
      } else if (manifest.source !== source || canonicalKey(manifest.key) !== canonicalKey(key)) {
        throw new ConfigError(
          '--cache-dir',
          `${dir} holds the cache of another query (${manifest.source} ${canonicalKey(manifest.key)}); this run is ${source} ${canonicalKey(key)}; use another --cache-dir`,
        );
      } else {
        for (const e of manifest.chunks) {
          const p = join(dir, e.file);
          if (!existsSync(p)) {
            onEvent?.({ kind: 'cache-dropped-chunk', file: e.file, reason: 'file missing' });
            continue;
          }
          const bytes = readFileSync(p);
          if (sha256Hex(bytes) !== e.sha256) {
            onEvent?.({ kind: 'cache-dropped-chunk', file: e.file, reason: 'checksum mismatch' });
            continue;
          }
          // the checksum only says the file is the one the manifest lists; that it is this chunk, its contents say
          const problem = chunkProblem(bytes, e, identity);
          if (problem !== undefined) onEvent?.({ kind: 'cache-dropped-chunk', file: e.file, reason: problem });
          else entries.push(e);
        }
      }
    }
    entries = entries.sort((a, b) => a.from - b.from);
    const cache = new ChunkCache(dir, source, key, columns, identity, entries, lock);
    cache.removeStrayFiles();
    return cache;
  }

  /** Completed chunks, ascending by `from`. */
  get chunks(): readonly ChunkEntry[] {
    return this.entries;
  }

  /** Sub-ranges of [from, to] that no completed chunk covers. */
  missing(from: number, to: number): ChunkRange[] {
    return subtractRanges(from, to, this.entries);
  }

  /**
   * Rows of one completed chunk. Its contents are checked again as {@link open} checked them (a file changed
   * since then is an InputError naming it; the next run drops it and fetches it again).
   */
  read(entry: ChunkEntry): Row[] {
    const p = join(this.dir, entry.file);
    const bytes = readFileSync(p);
    const problem = chunkProblem(bytes, entry, this.identity);
    if (problem !== undefined) throw new InputError(p, undefined, undefined, `cached chunk ${problem} (changed while this run held the cache); run again to fetch it afresh`);
    return readRows(bytes, this.columns, p).rows;
  }

  /** Rows of every completed chunk overlapping [from, to], in chunk order (not yet sorted or de-duplicated). */
  readRange(from: number, to: number): Row[] {
    const out: Row[] = [];
    for (const e of this.entries) if (e.to >= from && e.from <= to) for (const r of this.read(e)) out.push(r);
    return out;
  }

  /**
   * Records a completed chunk: writes its Arrow file atomically, then the manifest atomically. A chunk with
   * the same range replaces the old one.
   */
  write(range: ChunkRange, rows: readonly Row[], fetchedAtMs: number): ChunkEntry {
    const file = `chunk-${range.from}-${range.to}.arrow`;
    const meta = new Map([
      ['ammsim.source', this.source],
      ['ammsim.query', canonicalKey(this.key)],
      ['ammsim.range', `${range.from}-${range.to}`],
      ['ammsim.fetchedAt', new Date(fetchedAtMs).toISOString()],
    ]);
    const bytes = tableToArrowFile(buildTable(this.columns, rows, meta));
    writeFileAtomic(join(this.dir, file), bytes);
    const entry: ChunkEntry = { from: range.from, to: range.to, file, rows: rows.length, sha256: sha256Hex(bytes), fetchedAtMs };
    this.entries = [...this.entries.filter((e) => e.file !== file), entry].sort((a, b) => a.from - b.from);
    const manifest: Manifest = { format: 'ammsim-fetch-cache', version: 1, source: this.source, key: this.key, chunks: this.entries };
    writeFileAtomic(join(this.dir, MANIFEST), `${JSON.stringify(manifest, null, 1)}\n`);
    return entry;
  }

  private removeStrayFiles(): void {
    if (!existsSync(this.dir)) return;
    const listed = new Set(this.entries.map((e) => e.file));
    for (const name of readdirSync(this.dir)) {
      const tmp = name.startsWith('.') && name.endsWith('.tmp');
      const orphan = name.startsWith('chunk-') && name.endsWith('.arrow') && !listed.has(name);
      if (tmp || orphan) rmSync(join(this.dir, name), { force: true });
    }
  }
}
