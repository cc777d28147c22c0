import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SERIES_CACHE_BYTES, loadThroughCache, seriesCacheBytes, seriesCacheDir, type SeriesCache } from './seriesCache.ts';
import { loadSeries } from '../loadSeries.ts';
import { cacheRoot } from '../../sim/core/cacheRoot.ts';
import type { PriceSeries } from '../../sim/core/series.ts';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ammsim-series-cache-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const T0 = Date.UTC(2024, 0, 1);
const H = 3_600_000;
let fresh = 0;
/** A new cache folder and code identity. */
function newCache(codeId = 'code-a'): SeriesCache {
  const d = join(dir, `cache-${++fresh}`);
  mkdirSync(d);
  return { dir: d, codeId };
}
/** A price file written an hour ago (settled: the cache keeps it). */
function aged(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  const t = new Date(Date.now() - 3_600_000);
  utimesSync(p, t, t);
  return p;
}
function csv(rows: number, extra = true, scale = 1): string {
  const lines = [extra ? 'timestamp,price,volume' : 'timestamp,price'];
  for (let i = 0; i < rows; i++) lines.push(`${T0 + i * H},${(1000 + i * 0.1 + 1 / 3) * scale}${extra ? `,${i * 7.25}` : ''}`);
  return lines.join('\n') + '\n';
}
const entries = (c: SeriesCache): string[] => readdirSync(c.dir).filter((f) => f.endsWith('.series'));
/** Every byte of a series as the engine and summary.json see it. */
function bytesOf(s: PriceSeries): string {
  const hex = (a: Float64Array): string => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex');
  return JSON.stringify([s.length, hex(s.timestampMs), hex(s.price), [...s.extra].map(([k, v]) => [k, hex(v)]), JSON.stringify(s.provenance)]);
}
/** A loader that counts its calls. */
function counting(file: string, opts: Parameters<typeof loadSeries>[1] = {}): { load: () => Promise<PriceSeries>; calls: () => number } {
  let n = 0;
  return {
    load: () => {
      n++;
      return loadSeries(file, opts);
    },
    calls: () => n,
  };
}

describe('parsed-series cache', () => {
  it('behavior: the first load parses and keeps the series; the next reads it back bit for bit without parsing', async () => {
    const c = newCache();
    const f = aged('a.csv', csv(500));
    const l = counting(f);
    const first = await loadThroughCache(c, f, ['csv'], l.load);
    expect(l.calls()).toBe(1);
    expect(entries(c)).toHaveLength(1);
    const second = await loadThroughCache(c, f, ['csv'], l.load);
    expect(l.calls()).toBe(1);
    expect(bytesOf(second)).toBe(bytesOf(first));
    expect(bytesOf(second)).toBe(bytesOf(await loadSeries(f)));
    expect([...second.extra.keys()]).toEqual(['volume']);
    // provenance keeps the loader's key order (summary.json writes it so) and names the file as given this time
    expect(Object.keys(second.provenance)).toEqual(Object.keys(first.provenance));
    const link = join(dir, 'a-link.csv');
    symlinkSync(f, link);
    const viaLink = await loadThroughCache(c, link, ['csv'], l.load);
    expect(l.calls()).toBe(1); // same real file, same entry
    expect(viaLink.provenance.file).toBe(link);
    expect(bytesOf(viaLink)).toBe(bytesOf(await loadSeries(link)));
  });

  it('behavior: through loadSeries, windows, resampling and the gap policy apply afresh to the kept parse', async () => {
    const c = newCache();
    const f = aged('w.csv', csv(200));
    const opts = { fromMs: T0 + 10 * H, toMs: T0 + 150 * H, resample: '2h' } as const;
    const plain = await loadSeries(f, opts);
    const miss = await loadSeries(f, { ...opts, cache: c });
    const hit = await loadSeries(f, { ...opts, cache: c });
    expect(entries(c)).toHaveLength(1);
    expect(bytesOf(miss)).toBe(bytesOf(plain));
    expect(bytesOf(hit)).toBe(bytesOf(plain));
    const whole = await loadSeries(f, { cache: c });
    expect(whole.length).toBe(200);
    expect(bytesOf(whole)).toBe(bytesOf(await loadSeries(f)));
  });

  it('behavior: a changed file is parsed again (size, modification time, or the same bytes rewritten)', async () => {
    const c = newCache();
    const f = aged('b.csv', csv(100));
    const l = counting(f);
    await loadThroughCache(c, f, ['csv'], l.load);
    writeFileSync(f, csv(100, true, 2)); // same size, new prices, mtime now
    const t = new Date(Date.now() - 3_600_000);
    utimesSync(f, t, t); // even given back an old modification time, the change time moved
    const changed = await loadThroughCache(c, f, ['csv'], l.load);
    expect(l.calls()).toBe(2);
    expect(changed.price[0]).toBe((1000 + 1 / 3) * 2);
    expect(bytesOf(changed)).toBe(bytesOf(await loadSeries(f)));
  });

  it('behavior: other code, or other loader options, are other entries', async () => {
    const c = newCache('code-a');
    const f = aged('c.csv', csv(50));
    const l = counting(f);
    await loadThroughCache(c, f, ['csv'], l.load);
    await loadThroughCache({ ...c, codeId: 'code-b' }, f, ['csv'], l.load);
    expect(l.calls()).toBe(2);
    expect(entries(c)).toHaveLength(1); // code-b's entry replaced code-a's
    await loadThroughCache({ ...c, codeId: 'code-b' }, f, ['csv'], l.load);
    expect(l.calls()).toBe(2);
    await loadThroughCache(c, f, ['csv'], l.load);
    expect(l.calls()).toBe(3);
    await loadThroughCache(c, f, ['csv', 'close'], l.load);
    expect(l.calls()).toBe(4);
    expect(entries(c)).toHaveLength(2);
  });

  it('behavior: loadSeries keys the entry by the parse options (a price column is another series)', async () => {
    const c = newCache();
    const f = aged('d.csv', ['timestamp,price,close', ...Array.from({ length: 30 }, (_, i) => `${T0 + i * H},${100 + i},${200 + i}`)].join('\n'));
    const byPrice = await loadSeries(f, { cache: c });
    const byClose = await loadSeries(f, { cache: c, priceColumn: 'close' });
    expect(entries(c)).toHaveLength(2);
    expect(byPrice.price[0]).toBe(100);
    expect(byClose.price[0]).toBe(200);
    expect((await loadSeries(f, { cache: c, priceColumn: 'close' })).price[0]).toBe(200);
    expect((await loadSeries(f, { cache: c })).price[0]).toBe(100);
  });

  it('behavior: a torn, truncated or foreign entry is a miss, never an error, and is replaced', async () => {
    const c = newCache();
    const f = aged('e.csv', csv(300));
    const l = counting(f);
    const want = bytesOf(await loadThroughCache(c, f, ['csv'], l.load));
    const [entry] = entries(c);
    const p = join(c.dir, entry!);
    const size = statSync(p).size;
    for (const damage of [() => truncateSync(p, size - 8), () => truncateSync(p, 5), () => writeFileSync(p, 'AMMSIMS1\xff\xff\xff\xffgarbage'), () => writeFileSync(p, '')]) {
      damage();
      const before = l.calls();
      expect(bytesOf(await loadThroughCache(c, f, ['csv'], l.load))).toBe(want);
      expect(l.calls()).toBe(before + 1);
      expect(statSync(p).size).toBe(size); // rewritten whole
    }
    // a header that parses but lies about its columns
    const bytes = readFileSync(p);
    const headerLength = bytes.readUInt32LE(8);
    const header = bytes.subarray(12, 12 + headerLength).toString('utf8').replace('"length":300', '"length":299');
    writeFileSync(p, Buffer.concat([bytes.subarray(0, 12), Buffer.from(header), bytes.subarray(12 + headerLength)]));
    const before = l.calls();
    expect(bytesOf(await loadThroughCache(c, f, ['csv'], l.load))).toBe(want);
    expect(l.calls()).toBe(before + 1);
  });

  it('behavior: an entry whose column bytes were altered (same size) is a miss and is rebuilt, never used', async () => {
    const c = newCache();
    const n = 300;
    const f = aged('k.csv', csv(n));
    const l = counting(f);
    const want = bytesOf(await loadThroughCache(c, f, ['csv'], l.load));
    const p = join(c.dir, entries(c)[0]!);
    const size = statSync(p).size;
    const start = Math.ceil((12 + readFileSync(p).readUInt32LE(8)) / 8) * 8;
    // one float64 of each column in turn: timestamps, price (×3, as the audit did), volume; and the last byte
    const damages: Array<(b: Buffer) => void> = [
      (b) => b.writeDoubleLE(b.readDoubleLE(start + n * 8 + 17 * 8) * 3, start + n * 8 + 17 * 8),
      (b) => b.writeDoubleLE(b.readDoubleLE(start + 5 * 8) + H, start + 5 * 8),
      (b) => b.writeDoubleLE(b.readDoubleLE(start + 2 * n * 8) + 1, start + 2 * n * 8),
      (b) => {
        b[b.length - 1] = (b[b.length - 1] ?? 0) ^ 1;
      },
    ];
    for (const damage of damages) {
      const b = readFileSync(p);
      damage(b);
      writeFileSync(p, b);
      const t = new Date(Date.now() - 1000);
      utimesSync(p, t, t);
      const before = l.calls();
      expect(bytesOf(await loadThroughCache(c, f, ['csv'], l.load))).toBe(want);
      expect(l.calls()).toBe(before + 1); // parsed again
      expect(statSync(p).size).toBe(size); // and rewritten whole
      expect(bytesOf(await loadThroughCache(c, f, ['csv'], l.load))).toBe(want);
      expect(l.calls()).toBe(before + 1); // the rebuilt entry serves
    }
  });

  it('behavior: an entry of the previous format (no checksum) is a miss and is rebuilt', async () => {
    const c = newCache();
    const f = aged('m.csv', csv(200));
    const l = counting(f);
    const want = bytesOf(await loadThroughCache(c, f, ['csv'], l.load));
    const p = join(c.dir, entries(c)[0]!);
    const bytes = readFileSync(p);
    const headerLength = bytes.readUInt32LE(8);
    const payload = bytes.subarray(Math.ceil((12 + headerLength) / 8) * 8);
    // the header as the previous code wrote it: format 1, no checksum
    const { checksum: _dropped, ...rest } = JSON.parse(bytes.subarray(12, 12 + headerLength).toString('utf8')) as Record<string, unknown>;
    const old = Buffer.from(JSON.stringify({ ...rest, format: 1 }));
    const prefix = Buffer.alloc(Math.ceil((12 + old.length) / 8) * 8);
    prefix.write('AMMSIMS1', 0, 'latin1');
    prefix.writeUInt32LE(old.length, 8);
    old.copy(prefix, 12);
    writeFileSync(p, Buffer.concat([prefix, payload]));
    const before = l.calls();
    expect(bytesOf(await loadThroughCache(c, f, ['csv'], l.load))).toBe(want);
    expect(l.calls()).toBe(before + 1);
    expect(bytesOf(await loadThroughCache(c, f, ['csv'], l.load))).toBe(want);
    expect(l.calls()).toBe(before + 1);
  });

  it('behavior: a file saved just now is loaded but not kept (its time may not yet tell an edit apart)', async () => {
    const c = newCache();
    const f = join(dir, 'f.csv');
    writeFileSync(f, csv(20));
    const l = counting(f);
    await loadThroughCache(c, f, ['csv'], l.load);
    expect(entries(c)).toHaveLength(0);
    await loadThroughCache(c, f, ['csv'], l.load);
    expect(l.calls()).toBe(2);
  });

  it('behavior: a load that fails keeps nothing and fails as it would without the cache', async () => {
    const c = newCache();
    const f = aged('g.csv', `timestamp,price\n${T0},100\n${T0 + H},-5\n`);
    const without = await loadSeries(f).then(
      () => 'loaded',
      (e: Error) => e.message,
    );
    expect(without).toMatch(/g\.csv:3: price/);
    await expect(loadSeries(f, { cache: c })).rejects.toThrow(without);
    expect(entries(c)).toHaveLength(0);
    await expect(loadSeries(join(dir, 'missing.csv'), { cache: c })).rejects.toThrow(/missing\.csv/);
  });

  it('behavior: without a cache, the loader alone; a folder that is not writable is no cache, and the run goes on', async () => {
    const f = aged('h.csv', csv(10));
    const l = counting(f);
    await loadThroughCache(undefined, f, ['csv'], l.load);
    expect(l.calls()).toBe(1);
    const notAFolder = join(dir, 'plain-file');
    writeFileSync(notAFolder, '');
    const s = await loadThroughCache({ dir: notAFolder, codeId: 'x' }, f, ['csv'], l.load);
    expect(l.calls()).toBe(2);
    expect(s.length).toBe(10);
  });
});

describe('the cache keeps to its size', () => {
  it('behavior: past maxBytes the least recently used entries go (a hit renews one); the newest always stays', async () => {
    const files = ['s1.csv', 's2.csv', 's3.csv'].map((n) => aged(n, csv(400)));
    const probe = newCache();
    await loadThroughCache(probe, files[0]!, ['csv'], () => loadSeries(files[0]!));
    const one = statSync(join(probe.dir, entries(probe)[0]!)).size;
    const c = { ...newCache(), maxBytes: 2 * one + 100 }; // room for two
    const at = (p: string, s: number): void => utimesSync(p, new Date(Date.now() - s * 1000), new Date(Date.now() - s * 1000));
    const pathOf = async (f: string): Promise<string> => {
      const before = new Set(entries(c));
      await loadThroughCache(c, f, ['csv'], () => loadSeries(f));
      return join(c.dir, entries(c).find((e) => !before.has(e)) ?? '');
    };
    const e1 = await pathOf(files[0]!);
    at(e1, 30);
    const e2 = await pathOf(files[1]!);
    at(e2, 20);
    // a hit on the first renews it: the second is now the least recently used
    const l = counting(files[0]!);
    await loadThroughCache(c, files[0]!, ['csv'], l.load);
    expect(l.calls()).toBe(0);
    const e3 = await pathOf(files[2]!);
    expect(existsSync(e1)).toBe(true);
    expect(existsSync(e2)).toBe(false);
    expect(existsSync(e3)).toBe(true);
    expect(entries(c)).toHaveLength(2);
  });

  it('behavior: an entry larger than the cache is not written; old temporary files of dead writers are removed', async () => {
    const f = aged('big.csv', csv(400));
    const c = { ...newCache(), maxBytes: 1000 };
    const stale = join(c.dir, '.x.series.99999.tmp');
    const fresh = join(c.dir, '.y.series.99998.tmp');
    writeFileSync(stale, 'torn');
    writeFileSync(fresh, 'being written');
    const old = new Date(Date.now() - 2 * 3_600_000);
    utimesSync(stale, old, old);
    const l = counting(f);
    await loadThroughCache(c, f, ['csv'], l.load);
    await loadThroughCache(c, f, ['csv'], l.load);
    expect(l.calls()).toBe(2);
    expect(entries(c)).toHaveLength(0);
    // a small file's entry fits, and writing it clears the stale temporary file only
    const g = aged('tiny.csv', csv(3, false));
    await loadThroughCache(c, g, ['csv'], () => loadSeries(g));
    expect(entries(c)).toHaveLength(1);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
  });

  it('behavior: a folder over AMMSIM_CACHE_MAX_MB is brought within it by the next load that misses, even when its entry is not written', async () => {
    // ~1.85 MB in series/ (three entries of ~620 kB), then AMMSIM_CACHE_MAX_MB=1 with a file whose entry (~1.2 MB) cannot fit
    const c = newCache();
    const folder = (): number => entries(c).reduce((sum, e) => sum + statSync(join(c.dir, e)).size, 0);
    for (const [i, name] of ['l1.csv', 'l2.csv', 'l3.csv'].entries()) {
      const f = aged(name, csv(25_800 + i));
      await loadThroughCache(c, f, ['csv'], () => loadSeries(f));
    }
    expect(entries(c)).toHaveLength(3);
    expect(folder()).toBeGreaterThan(1_800_000);
    const big = aged('l4.csv', csv(50_000));
    const oneMb = { ...c, maxBytes: seriesCacheBytes({ AMMSIM_CACHE_MAX_MB: '1' }) };
    const s = await loadThroughCache(oneMb, big, ['csv'], () => loadSeries(big));
    expect(s.length).toBe(50_000);
    expect(folder()).toBeLessThanOrEqual(1024 * 1024);
    expect(entries(c)).toHaveLength(1); // the most recently used of the three
    // 0: nothing kept, not even what was there
    const small = aged('l5.csv', csv(10));
    await loadThroughCache({ ...c, maxBytes: seriesCacheBytes({ AMMSIM_CACHE_MAX_MB: '0' }) }, small, ['csv'], () => loadSeries(small));
    expect(entries(c)).toHaveLength(0);
  });

  it('behavior: AMMSIM_CACHE_MAX_MB sets the size (MiB); error: anything but a number ≥ 0 names the variable', () => {
    expect(seriesCacheBytes({})).toBe(DEFAULT_SERIES_CACHE_BYTES);
    expect(seriesCacheBytes({ AMMSIM_CACHE_MAX_MB: '' })).toBe(DEFAULT_SERIES_CACHE_BYTES);
    expect(seriesCacheBytes({ AMMSIM_CACHE_MAX_MB: '512' })).toBe(512 * 1024 * 1024);
    expect(seriesCacheBytes({ AMMSIM_CACHE_MAX_MB: '0' })).toBe(0);
    for (const bad of ['abc', '-1', 'Infinity', '1e400']) expect(() => seriesCacheBytes({ AMMSIM_CACHE_MAX_MB: bad })).toThrow(/^AMMSIM_CACHE_MAX_MB: must be the series cache's size in MiB, a number ≥ 0; was "/);
  });
});

describe('cache folders', () => {
  it('behavior: AMMSIM_CACHE_DIR, else XDG_CACHE_HOME/ammsim, else ~/.cache/ammsim; AMMSIM_NO_CACHE turns it off', () => {
    expect(cacheRoot({ AMMSIM_CACHE_DIR: '/x/c', XDG_CACHE_HOME: '/x/xdg' })).toBe('/x/c');
    expect(cacheRoot({ XDG_CACHE_HOME: '/x/xdg' })).toBe(join('/x/xdg', 'ammsim'));
    expect(cacheRoot({ HOME: '/x/home' })).toMatch(/[/\\]\.cache[/\\]ammsim$/);
    expect(cacheRoot({ AMMSIM_CACHE_DIR: '', XDG_CACHE_HOME: '/x/xdg' })).toBe(join('/x/xdg', 'ammsim'));
    for (const on of ['1', 'yes', 'true']) expect(cacheRoot({ AMMSIM_CACHE_DIR: '/x/c', AMMSIM_NO_CACHE: on })).toBeUndefined();
    for (const off of ['', '0']) expect(cacheRoot({ AMMSIM_CACHE_DIR: '/x/c', AMMSIM_NO_CACHE: off })).toBe('/x/c');
  });

  it('behavior: the series folder is made private (mode 700) under the cache folder', () => {
    const root = join(dir, 'root');
    const d = seriesCacheDir({ AMMSIM_CACHE_DIR: root });
    expect(d).toBe(join(root, 'series'));
    if (process.platform !== 'win32') expect(statSync(d!).mode & 0o777).toBe(0o700);
    expect(seriesCacheDir({ AMMSIM_CACHE_DIR: root, AMMSIM_NO_CACHE: '1' })).toBeUndefined();
    const blocked = join(dir, 'blocked');
    writeFileSync(blocked, '');
    expect(seriesCacheDir({ AMMSIM_CACHE_DIR: blocked })).toBeUndefined();
  });
});
