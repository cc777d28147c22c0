import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { cacheDirFor, canonicalKey, ChunkCache, subtractRanges, type CacheEvent } from './cache.ts';
import { buildTable, readRows, rowsToCsv, sortAndDedupe, tableToArrowFile, type ColumnSpec, type Row } from './table.ts';
import { fetchBinanceKlines } from './binance.ts';
import { DEFAULT_RETRY_POLICY } from './http.ts';
import { startFakeServer, testHttpDeps, type FakeServer } from './testing/fakeServer.ts';
import { loadFixture, nodeReply } from './testing/fakeNode.ts';
import { fetchPoolEvents, rawColumns, type PoolEventsProgress } from './uniswapLogs.ts';
import { ConfigError } from '../../sim/core/errors.ts';

const columns: ColumnSpec[] = [
  { name: 'k', kind: 'f64', nullable: false, doc: '' },
  { name: 's', kind: 'utf8', nullable: true, doc: '' },
  { name: 't', kind: 'i32', nullable: true, doc: '' },
];

const dirs: string[] = [];
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'ammsim-cache-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** The pid of a process that has exited (a lock left by a crashed run). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', ''], { stdio: 'ignore' });
  return r.pid!;
}

/** Rewrites the manifest's sha256 of `file` to match the bytes now on disk (what a careful tamperer would do). */
function fixChecksum(dir: string, file: string): void {
  const mp = join(dir, 'manifest.json');
  const m = JSON.parse(readFileSync(mp, 'utf8')) as { chunks: Array<{ file: string; sha256: string }> };
  for (const e of m.chunks) if (e.file === file) e.sha256 = createHash('sha256').update(readFileSync(join(dir, file))).digest('hex');
  writeFileSync(mp, `${JSON.stringify(m, null, 1)}\n`);
}

describe('subtractRanges', () => {
  it('returns the uncovered parts in order', () => {
    expect(subtractRanges(0, 99, [])).toEqual([{ from: 0, to: 99 }]);
    expect(subtractRanges(0, 99, [{ from: 10, to: 19 }, { from: 50, to: 200 }])).toEqual([{ from: 0, to: 9 }, { from: 20, to: 49 }]);
    expect(subtractRanges(0, 99, [{ from: -5, to: 120 }])).toEqual([]);
    expect(subtractRanges(5, 5, [{ from: 0, to: 4 }, { from: 6, to: 9 }])).toEqual([{ from: 5, to: 5 }]);
  });
});

describe('table', () => {
  it('round-trips rows, nulls and schema metadata through Arrow', () => {
    const rows = [[1, 'a', -3], [2, null, null]];
    const bytes = tableToArrowFile(buildTable(columns, rows, new Map([['ammsim.source', 'test']])));
    const back = readRows(bytes, columns, 'x.arrow');
    expect(back.rows).toEqual(rows);
    expect(back.metadata.get('ammsim.source')).toBe('test');
  });

  it('error: rejects an Arrow file with other columns', () => {
    const bytes = tableToArrowFile(buildTable(columns.slice(0, 2), [[1, 'a']], new Map()));
    expect(() => readRows(bytes, columns, 'x.arrow')).toThrowErrorMatchingInlineSnapshot(`[InputError: x.arrow: columns must be k:Float64,s:Utf8,t:Int32; were k:Float64,s:Utf8]`);
  });

  it('sortAndDedupe sorts by key and keeps the first of each key', () => {
    const { rows, duplicates } = sortAndDedupe([[3, 'c', 0], [1, 'a', 0], [3, 'dup', 0], [2, 'b', 0]], [0]);
    expect(rows).toEqual([[1, 'a', 0], [2, 'b', 0], [3, 'c', 0]]);
    expect(duplicates).toBe(1);
  });

  it('rowsToCsv writes a header, empty nulls and quotes only when needed', () => {
    expect(rowsToCsv(columns, [[1.5, 'a,b', null]])).toBe('k,s,t\n1.5,"a,b",\n');
  });
});

describe('ChunkCache', () => {
  const key = { symbol: 'ETHUSDT', interval: '1h' };

  it('behavior: a re-opened cache knows its completed chunks and what is missing', () => {
    const dir = join(tmp(), 'c');
    const c1 = ChunkCache.open({ dir, source: 'test', key, columns });
    c1.write({ from: 0, to: 9 }, [[0, 'x', 1]], 1000);
    c1.write({ from: 20, to: 29 }, [[25, 'y', 2]], 2000);
    c1.release();
    const c2 = ChunkCache.open({ dir, source: 'test', key, columns });
    expect(c2.chunks.map((e) => [e.from, e.to, e.rows])).toEqual([[0, 9, 1], [20, 29, 1]]);
    expect(c2.missing(0, 39)).toEqual([{ from: 10, to: 19 }, { from: 30, to: 39 }]);
    expect(c2.readRange(0, 39)).toEqual([[0, 'x', 1], [25, 'y', 2]]);
  });

  it('behavior: after a simulated crash (temp file, orphan chunk, corrupted chunk) only valid chunks remain', () => {
    const dir = join(tmp(), 'c');
    const c1 = ChunkCache.open({ dir, source: 'test', key, columns });
    c1.write({ from: 0, to: 9 }, [[0, 'x', 1]], 1000);
    c1.write({ from: 10, to: 19 }, [[10, 'y', 1]], 1000);
    // A crash leaves the run's lock behind (its process is gone), a temp file if it was mid-write, and an
    // unlisted chunk if it was between chunk and manifest.
    writeFileSync(join(dir, '.lock'), JSON.stringify({ pid: deadPid(), host: hostname() }));
    writeFileSync(join(dir, '.chunk-20-29.arrow.999.tmp'), 'partial');
    writeFileSync(join(dir, 'chunk-20-29.arrow'), tableToArrowFile(buildTable(columns, [[20, 'z', 1]], new Map())));
    // Damage from outside (not something ammsim writes) is caught by the checksum.
    const p = join(dir, 'chunk-10-19.arrow');
    const bytes = readFileSync(p);
    bytes[bytes.length - 20] = (bytes[bytes.length - 20] ?? 0) ^ 0xff;
    writeFileSync(p, bytes);
    const events: CacheEvent[] = [];
    const c2 = ChunkCache.open({ dir, source: 'test', key, columns, onEvent: (e) => events.push(e) });
    expect(events.map((e) => e.kind)).toEqual(['cache-reset', 'cache-dropped-chunk']);
    expect(events[0]!.reason).toMatch(/^took over the lock of a run that is no longer running \(pid \d+\)$/);
    expect(events[1]).toEqual({ kind: 'cache-dropped-chunk', file: 'chunk-10-19.arrow', reason: 'checksum mismatch' });
    expect(c2.missing(0, 29)).toEqual([{ from: 10, to: 29 }]);
    expect(readdirSync(dir).sort()).toEqual(['.lock', 'chunk-0-9.arrow', 'manifest.json']);
    c2.release();
    expect(readdirSync(dir).sort()).toEqual(['chunk-0-9.arrow', 'manifest.json']);
  });

  it('error: a second run on the same cache is refused while the first holds it (also from another host); free again after release', () => {
    const dir = join(tmp(), 'c');
    const first = ChunkCache.open({ dir, source: 'test', key, columns });
    expect(() => ChunkCache.open({ dir, source: 'test', key, columns })).toThrow(
      `--cache-dir: ${dir} is in use by another ammsim run (pid ${process.pid}); wait for it to finish, or use another --cache-dir (if no run is using it, delete ${join(dir, '.lock')})`,
    );
    first.release();
    first.release(); // idempotent
    ChunkCache.open({ dir, source: 'test', key, columns }).release();
    writeFileSync(join(dir, '.lock'), JSON.stringify({ pid: deadPid(), host: 'elsewhere' }));
    expect(() => ChunkCache.open({ dir, source: 'test', key, columns })).toThrow(/is in use by another ammsim run \(pid \d+ on elsewhere\)/);
  });

  it('behavior: an unreadable manifest restarts the cache instead of failing', () => {
    const dir = join(tmp(), 'c');
    const first = ChunkCache.open({ dir, source: 'test', key, columns });
    first.write({ from: 0, to: 9 }, [], 1);
    first.release();
    writeFileSync(join(dir, 'manifest.json'), '{"format": "ammsim-fe');
    const events: CacheEvent[] = [];
    const c = ChunkCache.open({ dir, source: 'test', key, columns, onEvent: (e) => events.push(e) });
    expect(events.map((e) => e.kind)).toEqual(['cache-reset']);
    expect(c.missing(0, 9)).toEqual([{ from: 0, to: 9 }]);
  });

  it('error: refuses a directory holding another query', () => {
    const dir = join(tmp(), 'c');
    const first = ChunkCache.open({ dir, source: 'test', key, columns });
    first.write({ from: 0, to: 9 }, [], 1);
    first.release();
    expect(() => ChunkCache.open({ dir, source: 'test', key: { symbol: 'BTCUSDT', interval: '1h' }, columns })).toThrow(ConfigError);
    expect(readdirSync(dir)).not.toContain('.lock'); // a refused open does not keep the lock
  });

  it('cacheDirFor is stable under key order and differs per query', () => {
    const a = cacheDirFor('/r', 'binance', 'ETHUSDT-1h', { symbol: 'ETHUSDT', interval: '1h' });
    expect(cacheDirFor('/r', 'binance', 'ETHUSDT-1h', { interval: '1h', symbol: 'ETHUSDT' })).toBe(a);
    expect(cacheDirFor('/r', 'binance', 'ETHUSDT-1h', { symbol: 'ETHUSDT', interval: '1m' })).not.toBe(a);
    expect(a).toMatch(/^\/r\/binance-ETHUSDT-1h-[0-9a-f]{12}$/);
  });

  /** A chunk file as ChunkCache.write makes it, with metadata and rows of our choosing. */
  function chunkBytes(meta: { source?: string; query?: string; range: string }, rows: Row[], cols: readonly ColumnSpec[] = columns): Uint8Array {
    return tableToArrowFile(
      buildTable(
        cols,
        rows,
        new Map([
          ['ammsim.source', meta.source ?? 'test'],
          ['ammsim.query', meta.query ?? canonicalKey(key)],
          ['ammsim.range', meta.range],
          ['ammsim.fetchedAt', new Date(1000).toISOString()],
        ]),
      ),
    );
  }

  it('behavior: a chunk file holding another range (copied over it, its checksum fixed in the manifest) is dropped and fetched again', () => {
    const dir = join(tmp(), 'c');
    const c1 = ChunkCache.open({ dir, source: 'test', key, columns });
    c1.write({ from: 0, to: 9 }, [[0, 'x', 1], [9, 'x', 2]], 1000);
    c1.write({ from: 10, to: 19 }, [[10, 'y', 1], [15, 'y', 2], [19, 'y', 3]], 1000);
    c1.write({ from: 20, to: 29 }, [[20, 'z', 1]], 1000);
    c1.release();
    writeFileSync(join(dir, 'chunk-10-19.arrow'), readFileSync(join(dir, 'chunk-0-9.arrow')));
    fixChecksum(dir, 'chunk-10-19.arrow');
    const events: CacheEvent[] = [];
    const c2 = ChunkCache.open({ dir, source: 'test', key, columns, onEvent: (e) => events.push(e) });
    expect(events).toEqual([{ kind: 'cache-dropped-chunk', file: 'chunk-10-19.arrow', reason: 'holds the chunk of range 0-9, not 10-19' }]);
    expect(c2.missing(0, 29)).toEqual([{ from: 10, to: 19 }]);
    expect(c2.readRange(0, 29)).toEqual([[0, 'x', 1], [9, 'x', 2], [20, 'z', 1]]);
    expect(readdirSync(dir)).not.toContain('chunk-10-19.arrow'); // an orphan now: removed, written afresh by the refetch
    c2.write({ from: 10, to: 19 }, [[10, 'y', 1]], 2000);
    c2.release();
    expect(ChunkCache.open({ dir, source: 'test', key, columns }).missing(0, 29)).toEqual([]);
  });

  it("behavior: a chunk whose rows lie outside its range, or whose metadata names another query, source or row count, is dropped", () => {
    const cases: Array<[string, Uint8Array, string]> = [
      ['row outside', chunkBytes({ range: '10-19' }, [[10, 'a', 1], [25, 'b', 2]]), 'row 2 is at 25, outside 10-19'],
      ['row before', chunkBytes({ range: '10-19' }, [[9, 'a', 1], [10, 'a', 1]]), 'row 1 is at 9, outside 10-19'],
      ['other query', chunkBytes({ range: '10-19', query: canonicalKey({ symbol: 'BTCUSDT', interval: '1h' }) }, [[10, 'a', 1], [11, 'a', 1]]), `is the chunk of another query (${canonicalKey({ symbol: 'BTCUSDT', interval: '1h' })})`],
      ['other source', chunkBytes({ source: 'other', range: '10-19' }, [[10, 'a', 1], [11, 'a', 1]]), 'is the chunk of another source (other)'],
      ['no metadata', tableToArrowFile(buildTable(columns, [[10, 'a', 1], [11, 'a', 1]], new Map())), 'holds the chunk of range (none), not 10-19'],
      ['row count', chunkBytes({ range: '10-19' }, [[10, 'a', 1], [11, 'b', 1], [12, 'c', 1]]), 'holds 3 rows; the manifest lists 2'],
      ['other columns', tableToArrowFile(buildTable(columns.slice(0, 2), [[10, 'a'], [11, 'a']], new Map([['ammsim.source', 'test'], ['ammsim.query', canonicalKey(key)], ['ammsim.range', '10-19']]))), 'has the columns k:Float64,s:Utf8, not k:Float64,s:Utf8,t:Int32'],
      ['not arrow', new TextEncoder().encode('not an arrow file'), 'not a readable chunk'],
    ];
    for (const [name, bytes, reason] of cases) {
      const dir = join(tmp(), 'c');
      const c1 = ChunkCache.open({ dir, source: 'test', key, columns });
      c1.write({ from: 10, to: 19 }, [[10, 'a', 1], [11, 'a', 1]], 1000);
      c1.release();
      writeFileSync(join(dir, 'chunk-10-19.arrow'), bytes);
      fixChecksum(dir, 'chunk-10-19.arrow');
      const events: CacheEvent[] = [];
      const c2 = ChunkCache.open({ dir, source: 'test', key, columns, onEvent: (e) => events.push(e) });
      expect([name, events]).toEqual([name, [{ kind: 'cache-dropped-chunk', file: 'chunk-10-19.arrow', reason: expect.stringContaining(reason) as string }]]);
      expect(c2.missing(10, 19)).toEqual([{ from: 10, to: 19 }]);
      c2.release();
    }
  });

  it('behavior: a manifest entry whose range was edited to another chunk file is dropped', () => {
    const dir = join(tmp(), 'c');
    const c1 = ChunkCache.open({ dir, source: 'test', key, columns });
    c1.write({ from: 0, to: 9 }, [[0, 'x', 1]], 1000);
    c1.release();
    const mp = join(dir, 'manifest.json');
    const m = JSON.parse(readFileSync(mp, 'utf8')) as { chunks: Array<{ from: number; to: number }> };
    m.chunks[0]!.from = 0;
    m.chunks[0]!.to = 19; // claims 0-19 while the file holds 0-9
    writeFileSync(mp, JSON.stringify(m));
    const events: CacheEvent[] = [];
    const c2 = ChunkCache.open({ dir, source: 'test', key, columns, onEvent: (e) => events.push(e) });
    expect(events.map((e) => e.kind)).toEqual(['cache-dropped-chunk']);
    expect(c2.missing(0, 19)).toEqual([{ from: 0, to: 19 }]);
  });

  it('behavior: the rows are placed by blockNumber when the columns have one (log chunks), else by the first column; rangeColumn names it', () => {
    const logColumns: ColumnSpec[] = [
      { name: 'timestamp', kind: 'f64', nullable: false, doc: '' },
      { name: 'blockNumber', kind: 'f64', nullable: false, doc: '' },
    ];
    const dir = join(tmp(), 'c');
    const c1 = ChunkCache.open({ dir, source: 'test', key, columns: logColumns });
    c1.write({ from: 100, to: 199 }, [[1_704_067_200_000, 100], [1_704_067_212_000, 199]], 1000);
    c1.release();
    const events: CacheEvent[] = [];
    const c2 = ChunkCache.open({ dir, source: 'test', key, columns: logColumns, onEvent: (e) => events.push(e) });
    expect(events).toEqual([]);
    expect(c2.missing(100, 199)).toEqual([]);
    c2.release();
    // a block outside the chunk
    writeFileSync(join(dir, 'chunk-100-199.arrow'), chunkBytes({ range: '100-199' }, [[1_704_067_200_000, 100], [1_704_067_212_000, 200]], logColumns));
    fixChecksum(dir, 'chunk-100-199.arrow');
    const c3 = ChunkCache.open({ dir, source: 'test', key, columns: logColumns, onEvent: (e) => events.push(e) });
    expect(events).toEqual([{ kind: 'cache-dropped-chunk', file: 'chunk-100-199.arrow', reason: 'row 2 is at 200, outside 100-199' }]);
    c3.release();
    // named explicitly
    const d2 = join(tmp(), 'c');
    const c4 = ChunkCache.open({ dir: d2, source: 'test', key, columns: logColumns, rangeColumn: 'timestamp' });
    c4.write({ from: 0, to: 9 }, [[5, 1_000]], 1);
    c4.release();
    expect(ChunkCache.open({ dir: d2, source: 'test', key, columns: logColumns, rangeColumn: 'timestamp' }).missing(0, 9)).toEqual([]);
    expect(() => ChunkCache.open({ dir: join(tmp(), 'c'), source: 'test', key, columns: logColumns, rangeColumn: 'nope' })).toThrow(/rangeColumn/);
  });

  it('error: a chunk file swapped after the cache was opened is an InputError on read, never rows of another range', () => {
    const dir = join(tmp(), 'c');
    const c = ChunkCache.open({ dir, source: 'test', key, columns });
    c.write({ from: 0, to: 9 }, [[0, 'x', 1]], 1000);
    const e2 = c.write({ from: 10, to: 19 }, [[10, 'y', 1]], 1000);
    writeFileSync(join(dir, 'chunk-10-19.arrow'), readFileSync(join(dir, 'chunk-0-9.arrow')));
    expect(() => c.read(e2)).toThrow(`${join(dir, 'chunk-10-19.arrow')}: cached chunk holds the chunk of range 0-9, not 10-19 (changed while this run held the cache); run again to fetch it afresh`);
    expect(() => c.readRange(0, 19)).toThrow(/holds the chunk of range 0-9, not 10-19/);
  });

  it('behavior: valid chunks written by the previous code are kept, and read back unchanged', () => {
    const dir = join(tmp(), 'c');
    const c1 = ChunkCache.open({ dir, source: 'test', key, columns });
    const rows: Row[] = [[0, 'x', 1], [5, null, null], [9, 'z', -3]];
    c1.write({ from: 0, to: 9 }, rows, 1000);
    const bytes = readFileSync(join(dir, 'chunk-0-9.arrow'));
    c1.release();
    const events: CacheEvent[] = [];
    const c2 = ChunkCache.open({ dir, source: 'test', key, columns, onEvent: (e) => events.push(e) });
    expect(events).toEqual([]);
    expect(c2.read(c2.chunks[0]!)).toEqual(rows);
    expect(readFileSync(join(dir, 'chunk-0-9.arrow'))).toEqual(bytes);
  });
});

describe('ChunkCache through the Binance fetcher', () => {
  type Kline = [number, string, string, string, string, string, number, string, number, string, string, string];
  const FIXTURE = JSON.parse(readFileSync(new URL('./fixtures/binance_klines_ETHUSDT_1h.json', import.meta.url), 'utf8')) as Kline[];
  const START = Date.UTC(2023, 11, 31, 12);
  const END = Date.UTC(2024, 0, 1, 0);
  const servers: FakeServer[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.close();
  });

  it("behavior: a chunk file copied over the next chunk's (checksum fixed) is refetched: no candle goes missing", async () => {
    const s = await startFakeServer((req) => {
      const start = Number(req.query.get('startTime'));
      const end = Number(req.query.get('endTime'));
      const limit = Number(req.query.get('limit'));
      return { kind: 'json', body: FIXTURE.filter((k) => k[0] >= start && k[0] <= end).slice(0, limit) };
    }, { maxRequests: 20 });
    servers.push(s);
    const root = tmp();
    const q = { symbol: 'ETHUSDT', interval: '1h', startMs: START, endMs: END, baseUrl: s.url };
    const opts = { cacheRoot: root, deps: testHttpDeps(s), policy: { ...DEFAULT_RETRY_POLICY, maxAttempts: 2 }, limit: 5 };
    const first = await fetchBinanceKlines(q, opts);
    expect(first.rows).toHaveLength(12);
    const dir = first.stats.cacheDir;
    const chunkFiles = readdirSync(dir).filter((f) => f.startsWith('chunk-')).sort();
    expect(chunkFiles).toHaveLength(3);
    const [c1, c2] = chunkFiles.map((f) => ({ f, from: Number(f.split('-')[1]) })).sort((a, b) => a.from - b.from);
    writeFileSync(join(dir, c2!.f), readFileSync(join(dir, c1!.f)));
    fixChecksum(dir, c2!.f);
    const second = await fetchBinanceKlines(q, opts);
    expect(second.rows).toEqual(first.rows);
    expect(second.stats).toMatchObject({ chunksFromCache: 2, chunksFetched: 1 });
  });

  it('behavior: Uniswap log chunks (placed by blockNumber) are all kept on a re-run; one swapped for another is refetched', async () => {
    const V3 = loadFixture('uniswap_v3_usdc_weth_0x8ad5_logs.json');
    const s = await startFakeServer((req) => nodeReply(V3, req, {}), { maxRequests: 200 });
    servers.push(s);
    const root = tmp();
    const q = { rpcUrl: s.url, pool: V3.pool.address, version: 'v3' as const, fromBlock: 18937540, toBlock: 18938110, invert: true };
    const opts = { cacheRoot: root, deps: testHttpDeps(s), policy: { ...DEFAULT_RETRY_POLICY, maxAttempts: 2 }, chunkBlocks: 200 };
    const first = await fetchPoolEvents(q, opts);
    const dir = first.stats.cacheDir;
    const events: PoolEventsProgress[] = [];
    const again = await fetchPoolEvents(q, { ...opts, onProgress: (e) => events.push(e) });
    expect(events.filter((e) => e.kind === 'cache-dropped-chunk')).toEqual([]);
    expect(again.stats.chunksFetched).toBe(0);
    expect(again.rows).toEqual(first.rows);
    // a chunk holding logs copied over another's
    const files = readdirSync(dir).filter((f) => f.startsWith('chunk-')).sort((a, b) => Number(a.split('-')[1]) - Number(b.split('-')[1]));
    const full = files.find((f) => readRows(readFileSync(join(dir, f)), rawColumns('v3'), f).rows.length > 0)!;
    const other = files.find((f) => f !== full)!;
    writeFileSync(join(dir, other), readFileSync(join(dir, full)));
    fixChecksum(dir, other);
    const events2: PoolEventsProgress[] = [];
    const third = await fetchPoolEvents(q, { ...opts, onProgress: (e) => events2.push(e) });
    expect(events2.filter((e) => e.kind === 'cache-dropped-chunk').map((e) => (e.kind === 'cache-dropped-chunk' ? e.file : ''))).toEqual([other]);
    expect(third.stats.chunksFetched).toBeGreaterThan(0);
    expect(third.rows).toEqual(first.rows);
  });
});
