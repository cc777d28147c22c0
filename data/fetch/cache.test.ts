import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cacheDirFor, ChunkCache, subtractRanges, type CacheEvent } from './cache.ts';
import { buildTable, readRows, rowsToCsv, sortAndDedupe, tableToArrowFile, type ColumnSpec } from './table.ts';
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
});
