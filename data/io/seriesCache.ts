/**
 * A cache of loaded price series: a file's parsed columns kept between runs, so a second backtest (or compare, or
 * sweep) on the same file reads its numbers instead of parsing the text again. The 35-day Polygon minute file
 * (6.4 MB, 50,390 rows) loads in ~105–140 ms parsed and a few ms from the cache.
 *
 * One entry per (file's real path, format, loader options): `<dir>/<hash>.series`, written whole or not at all (a
 * temporary file, then a rename). An entry is used only while it was made by the same code (`codeId`: the CLI
 * passes the identity of its bundle, so any rebuild invalidates every entry) and the file is the one it was made
 * from: same device, inode, size, modification and change time, to the nanosecond, as make and git's index
 * trust. A file saved within 2 s before the load began is loaded and not kept (a coarse file-system clock could
 * give an edit made during the load the same time), nor one whose identity changed while it was read. Anything
 * unexpected in an entry (torn, foreign, another format, column bytes that fail the header's sha1 of them) is a
 * miss: the file is parsed as if there were no cache, and parse errors are the loader's own. The cached series is
 * the parsed one bit for bit (raw float64 bytes; little-endian hosts only), provenance (the file's sha256
 * included) as the parse gave it, `file` as given now. The sha1 of a 50,400-row entry with 10 columns (4 MB)
 * costs ~2 ms on a read.
 */
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readdirSync, readSync, realpathSync, rmSync, statSync, utimesSync, type BigIntStats } from 'node:fs';
import { dirname, join } from 'node:path';
import type { PriceSeries, SeriesProvenance } from '../../sim/core/series.ts';
import { cacheFolder } from '../../sim/core/cacheRoot.ts';
import { ConfigError } from '../../sim/core/errors.ts';
import { removeStaleTemps, writeFileAtomic } from './atomicWrite.ts';

/** Where entries live and which code made them. */
export interface SeriesCache {
  readonly dir: string;
  /** Identity of the loader code; an entry made by other code is a miss. */
  readonly codeId: string;
  /**
   * The most the folder's entries may take together, in bytes (default {@link DEFAULT_SERIES_CACHE_BYTES}): on
   * every miss (whether its entry is written or not), the least recently used entries other than the one just
   * written are removed until the rest fit; an entry larger than this is not written.
   */
  readonly maxBytes?: number;
}

/** The series cache's default size: 2 GiB (a year of minute rows with 10 columns is ~42 MB). */
export const DEFAULT_SERIES_CACHE_BYTES = 2_147_483_648;
/** A temporary file left by a process that died while writing an entry is removed once this old. */

const MAGIC = 'AMMSIMS1';
/** 2: the header holds `checksum`, the sha1 of the column bytes (format 1 had none; its entries are misses). */
const FORMAT = 2;
/** The checksum of an entry's payload: a fast hash (sha1, ~2 ms for 4 MB), against damage rather than forgery. */
const CHECKSUM = 'sha1';
/** A file whose modification time is this close before the load began is not kept. */
const SETTLE_NS = 2_000_000_000n;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

interface Identity {
  readonly dev: string;
  readonly ino: string;
  readonly size: string;
  readonly mtimeNs: string;
  readonly ctimeNs: string;
}

interface Header {
  readonly format: number;
  readonly codeId: string;
  readonly key: string;
  readonly identity: Identity;
  readonly length: number;
  readonly extra: readonly string[];
  readonly provenance: SeriesProvenance;
  /** {@link CHECKSUM} (hex) of every column's bytes, in file order. */
  readonly checksum: string;
}

/** The series cache folder of a process environment: `series/` in ammsim's cache folder (sim/core/cacheRoot.ts). */
export function seriesCacheDir(env: Readonly<Record<string, string | undefined>> = process.env): string | undefined {
  return cacheFolder('series', env);
}

/**
 * The series cache's size in a process environment: `AMMSIM_CACHE_MAX_MB` (MiB; 0 keeps nothing new), else
 * {@link DEFAULT_SERIES_CACHE_BYTES}. Anything but a number ≥ 0 is refused.
 */
export function seriesCacheBytes(env: Readonly<Record<string, string | undefined>> = process.env): number {
  const text = env.AMMSIM_CACHE_MAX_MB;
  if (text === undefined || text.trim() === '') return DEFAULT_SERIES_CACHE_BYTES;
  const mb = Number(text);
  if (!Number.isFinite(mb) || mb < 0) throw new ConfigError('AMMSIM_CACHE_MAX_MB', `must be the series cache's size in MiB, a number ≥ 0; was ${JSON.stringify(text)}`);
  return Math.floor(mb * 1024 * 1024);
}

function identityOf(st: BigIntStats): Identity {
  return { dev: String(st.dev), ino: String(st.ino), size: String(st.size), mtimeNs: String(st.mtimeNs), ctimeNs: String(st.ctimeNs) };
}

function sameIdentity(a: Identity, b: Identity): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs;
}

/** Reads exactly `bytes.length` bytes at `position`, or throws. */
function readFully(fd: number, bytes: Uint8Array, position: number): void {
  let done = 0;
  while (done < bytes.length) {
    const n = readSync(fd, bytes, done, bytes.length - done, position + done);
    if (n === 0) throw new Error('short read');
    done += n;
  }
}

/** The entry at `path` when it was made by `codeId` for `key` from a file of identity `identity`; else undefined. */
function readEntry(path: string, codeId: string, key: string, identity: Identity, file: string): PriceSeries | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const total = fstatSync(fd).size;
    const prefix = new Uint8Array(12);
    readFully(fd, prefix, 0);
    if (new TextDecoder().decode(prefix.subarray(0, 8)) !== MAGIC) return undefined;
    const headerBytes = new DataView(prefix.buffer).getUint32(8, true);
    if (headerBytes > total) return undefined;
    const raw = new Uint8Array(headerBytes);
    readFully(fd, raw, 12);
    const h = JSON.parse(new TextDecoder().decode(raw)) as Header;
    if (h.format !== FORMAT || h.codeId !== codeId || h.key !== key || !sameIdentity(h.identity, identity)) return undefined;
    const n = h.length;
    const start = padded(12 + headerBytes);
    if (!Number.isSafeInteger(n) || n < 0 || total !== start + (2 + h.extra.length) * n * 8) return undefined;
    if (typeof h.checksum !== 'string') return undefined;
    const hash = createHash(CHECKSUM);
    const column = (i: number): Float64Array => {
      const col = new Float64Array(n);
      const bytes = new Uint8Array(col.buffer);
      readFully(fd, bytes, start + i * n * 8);
      hash.update(bytes);
      return col;
    };
    const timestampMs = column(0);
    const price = column(1);
    const extra = new Map<string, Float64Array>();
    h.extra.forEach((name, i) => extra.set(name, column(2 + i)));
    if (hash.digest('hex') !== h.checksum) return undefined; // damaged since it was written: a miss
    // `file` as given this time, in the key order the loader gave (summary.json writes it in that order)
    const provenance: SeriesProvenance = 'file' in h.provenance ? { ...h.provenance, file } : h.provenance;
    return { timestampMs, price, extra, length: n, provenance };
  } catch {
    return undefined; // torn or foreign: a miss
  } finally {
    closeSync(fd);
  }
}

const padded = (n: number): number => Math.ceil(n / 8) * 8;

/** Writes the entry when it fits in `maxBytes`; either way, then prunes the folder to `maxBytes`. */
function writeEntry(path: string, codeId: string, key: string, identity: Identity, s: PriceSeries, maxBytes: number): void {
  const columns = [s.timestampMs, s.price, ...s.extra.values()].map((c) => new Uint8Array(c.buffer, c.byteOffset, s.length * 8));
  const tooLarge = (size: number): boolean => {
    if (size <= maxBytes) return false;
    prune(dirname(path), undefined, maxBytes); // it could not fit; what is there is still kept to the size
    return true;
  };
  if (tooLarge(12 + columns.length * s.length * 8)) return; // before hashing what would not be kept
  const hash = createHash(CHECKSUM);
  for (const c of columns) hash.update(c);
  const header: Header = { format: FORMAT, codeId, key, identity, length: s.length, extra: [...s.extra.keys()], provenance: s.provenance, checksum: hash.digest('hex') };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const start = padded(12 + json.length);
  const size = start + columns.length * s.length * 8;
  if (tooLarge(size)) return;
  const bytes = new Uint8Array(size);
  bytes.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(bytes.buffer).setUint32(8, json.length, true);
  bytes.set(json, 12);
  columns.forEach((c, i) => bytes.set(c, start + i * s.length * 8));
  writeFileAtomic(path, bytes);
  prune(dirname(path), path, maxBytes);
}

/**
 * Removes the least recently used entries (oldest modification time: a hit renews it) until the folder's
 * entries fit in `maxBytes`, never `keep`; and temporary files left by processes that died while writing.
 */
function prune(dir: string, keep: string | undefined, maxBytes: number): void {
  const entries: Array<{ path: string; size: number; mtimeMs: number }> = [];
  let total = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const st = statSync(path, { throwIfNoEntry: false });
    if (st === undefined || !st.isFile()) continue;
    if (name.endsWith('.series')) {
      entries.push({ path, size: st.size, mtimeMs: st.mtimeMs });
      total += st.size;
    }
  }
  removeStaleTemps(dir);
  entries.sort((a, b) => a.mtimeMs - b.mtimeMs || (a.path < b.path ? -1 : 1));
  for (const e of entries) {
    if (total <= maxBytes) break;
    if (e.path === keep) continue;
    rmSync(e.path, { force: true });
    total -= e.size;
  }
}

/**
 * Loads `file` through `cache`: the kept series when the entry for (`file`, `keyParts`) matches the file and the
 * code, else `load()`'s series, then kept for the next run when the file has settled. `keyParts` names
 * everything besides the file that shapes the series (format, columns, pair, token decimals …). Without a cache,
 * for a file that is not a regular file, or on a big-endian host: `load()` alone.
 */
export async function loadThroughCache(cache: SeriesCache | undefined, file: string, keyParts: unknown, load: () => Promise<PriceSeries>): Promise<PriceSeries> {
  if (cache === undefined || !LITTLE_ENDIAN) return load();
  let before: BigIntStats;
  let real: string;
  try {
    before = statSync(file, { bigint: true });
    real = realpathSync(file);
  } catch {
    return load(); // the loader names the problem
  }
  if (!before.isFile()) return load();
  const key = JSON.stringify([real, keyParts]);
  const path = join(cache.dir, `${createHash('sha256').update(key).digest('hex').slice(0, 32)}.series`);
  const identity = identityOf(before);
  const hit = readEntry(path, cache.codeId, key, identity, file);
  if (hit !== undefined) {
    try {
      const now = new Date();
      utimesSync(path, now, now); // recently used: the last to go when the folder is over its size
    } catch {
      // a read-only cache still serves
    }
    return hit;
  }
  const startedNs = BigInt(Date.now()) * 1_000_000n; // wall clock for a cache decision only, never in a result
  const series = await load();
  const maxBytes = cache.maxBytes ?? DEFAULT_SERIES_CACHE_BYTES;
  try {
    const after = identityOf(statSync(file, { bigint: true }));
    if (sameIdentity(after, identity) && before.mtimeNs < startedNs - SETTLE_NS) writeEntry(path, cache.codeId, key, identity, series, maxBytes);
    else prune(cache.dir, undefined, maxBytes); // nothing kept this time; the folder still keeps to its size
  } catch {
    // a cache that cannot be written is no cache: the run goes on
  }
  return series;
}
