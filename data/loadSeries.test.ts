import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Float64, Table, tableToIPC, TimestampMillisecond, Utf8, vectorFromArray } from 'apache-arrow';
import { detectFormat, loadSeries } from './loadSeries.ts';
import { locateCsvRow } from './loaders/csvPrices.ts';
import { generateGbm } from './synthetic/gbm.ts';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ammsim-load-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const T0 = Date.UTC(2024, 0, 1);
const H = 3_600_000;
function put(name: string, data: string | Uint8Array): string {
  const p = path.join(dir, name);
  writeFileSync(p, data);
  return p;
}
const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

describe('loadSeries', () => {
  it('behavior: no file gives the documented synthetic default (GBM, seed 42, 8,760 hourly rows)', async () => {
    const s = await loadSeries(undefined);
    expect(s.provenance.kind).toBe('synthetic');
    expect(s.length).toBe(8760);
    expect(s.price).toEqual(generateGbm().price);
    const t = await loadSeries(undefined, { synthetic: { seed: 7, steps: 10 } });
    expect(t.length).toBe(10);
    expect(t.provenance.params?.['seed']).toBe(7);
  });

  it('behavior: detects formats by extension and CSV header', async () => {
    expect(await detectFormat('x.arrow')).toBe('arrow');
    expect(await detectFormat('x.FEATHER')).toBe('arrow');
    expect(await detectFormat('x.json')).toBe('freqtrade');
    expect(await detectFormat(put('g.csv', 'timestamp,price\n'))).toBe('csv');
    expect(await detectFormat(put('m.csv', 'timestamp,netAmount0,closeTick\n'))).toBe('uniswap-minute');
    expect(await detectFormat(put('e.csv', 'block_number,block_timestamp,tx_type,sqrtPriceX96\n'))).toBe('uniswap-events');
    expect(await detectFormat(put('c.csv', '\uFEFFdatetime_utc,unix_s,pair,close\r\n'))).toBe('cryptocompare');
    expect(await detectFormat(put('cq.csv', '\uFEFF"datetime_utc","unix_s","pair","close"\r\n'))).toBe('cryptocompare');
    expect(await detectFormat(put('eq.csv', '"block_number","block_timestamp","tx_type","sqrtPriceX96"\n'))).toBe('uniswap-events');
  });

  it('behavior: CSV, Arrow and freqtrade JSON load with sha256 of the file bytes', async () => {
    const c = put('p.csv', 'timestamp,price\n2024-01-01T00:00:00Z,1\n2024-01-01T01:00:00Z,2\n');
    const a = put('p.arrow', tableToIPC(new Table({ timestamp: vectorFromArray([T0, T0 + H], new TimestampMillisecond()), price: vectorFromArray([1, 2], new Float64()) }), 'file'));
    const j = put('p.json', JSON.stringify([[T0, 1, 1, 1, 1, 5], [T0 + H, 2, 2, 2, 2, 6]]));
    for (const p of [c, a, j]) {
      const s = await loadSeries(p);
      expect([...s.timestampMs]).toEqual([T0, T0 + H]);
      expect([...s.price]).toEqual([1, 2]);
      expect(s.provenance.sha256).toBe(sha(p));
      expect(s.provenance.file).toBe(p);
    }
  });

  it('behavior: divideBy derives the cross pair; resample then gap policy run after loading', async () => {
    const btc = put('btc.csv', 'timestamp,price\n2024-01-01T00:00:00Z,40000\n2024-01-01T01:00:00Z,42000\n2024-01-01T03:00:00Z,44000\n');
    const eth = put('eth.csv', 'timestamp,price\n2024-01-01T00:00:00Z,2000\n2024-01-01T01:00:00Z,2100\n2024-01-01T03:00:00Z,2200\n');
    // both files lack 02:00: the numerator is named, at the line of the row after the gap
    await expect(loadSeries(btc, { divideBy: eth })).rejects.toThrow(`${btc}:4: timestamp: rows must be evenly spaced every 1h`);
    const s = await loadSeries(btc, { divideBy: eth, gaps: 'ffill' });
    expect([...s.price]).toEqual([20, 20, 20, 20]);
    expect(s.provenance.kind).toBe('derived');
    const d = await loadSeries(btc, { resample: '1d' });
    expect([...d.price]).toEqual([44000]);
    expect(d.extra.get('high')![0]).toBe(44000);
    expect(d.extra.get('low')![0]).toBe(40000);
  });

  it('behavior: divideByPair picks the denominator of a long-format file; the same file and pair on both sides is refused (it read as a constant 1)', async () => {
    const long = put('long.csv', 'timestamp,pair,price\n2024-01-01T00:00:00Z,BTC/USD,40000\n2024-01-01T00:00:00Z,ETH/USD,2000\n2024-01-01T01:00:00Z,BTC/USD,42000\n2024-01-01T01:00:00Z,ETH/USD,2100\n');
    const s = await loadSeries(long, { pair: 'BTC/USD', divideBy: long, divideByPair: 'ETH/USD' });
    expect([...s.price]).toEqual([20, 20]);
    await expect(loadSeries(long, { pair: 'BTC/USD', divideBy: long })).rejects.toThrow('--divide-by: divides the series by itself (the same file and pair BTC/USD): every price would be 1');
    await expect(loadSeries(long, { pair: 'BTC/USD', divideByPair: 'ETH/USD' })).rejects.toThrow('--divide-by-pair: selects the pair of the --divide-by file; give --divide-by FILE');
    const eth = put('eth2.csv', 'timestamp,price\n2024-01-01T00:00:00Z,2000\n2024-01-01T01:00:00Z,2100\n');
    await expect(loadSeries(eth, { divideBy: eth })).rejects.toThrow('divides the series by itself (the same file)');
    // --pair selects the numerator's rows; a denominator without a pair column is read whole
    const d = await loadSeries(long, { pair: 'BTC/USD', divideBy: eth });
    expect([...d.price]).toEqual([20, 20]);
  });

  it('error: bad options are ConfigErrors naming the flag', async () => {
    await expect(loadSeries(undefined, { gaps: 'fill' as never })).rejects.toThrowErrorMatchingInlineSnapshot(`[ConfigError: --gaps: must be one of error, skip, ffill; was "fill"]`);
    await expect(loadSeries(undefined, { format: 'xlsx' as never })).rejects.toThrowErrorMatchingInlineSnapshot(
      `[ConfigError: --format: must be one of auto, csv, arrow, freqtrade, cryptocompare, uniswap-minute, uniswap-events; was "xlsx"]`,
    );
    await expect(loadSeries(undefined, { divideBy: 'x.csv' })).rejects.toThrowErrorMatchingInlineSnapshot(`[ConfigError: --divide-by: needs a price file (--prices) to divide; none was given]`);
    await expect(loadSeries(undefined, { resample: '1 day' })).rejects.toThrow('--resample: must be an interval like 1m');
  });

  it('error: a missing file is an InputError naming it', async () => {
    const p = path.join(dir, 'missing.csv');
    await expect(loadSeries(p)).rejects.toThrow(`${p}: must be a readable file; no such file (ENOENT)`);
  });
});

describe('loadSeries: a gap names the line of the row after it (as a text editor counts lines)', () => {
  const GAP = "rows must be evenly spaced every 1h (the series' most common step; --gaps skip accepts gaps, --gaps ffill fills them); was a step of 3h from 2024-01-01T02:00:00.000Z to 2024-01-01T05:00:00.000Z, 2 missing rows";
  const iso = (h: number): string => new Date(T0 + h * H).toISOString().replace('.000', '');
  /** A file written an hour ago (settled: a series cache keeps it). */
  function aged(name: string, data: string | Uint8Array): string {
    const p = put(name, data);
    const t = new Date(Date.now() - 3_600_000);
    utimesSync(p, t, t);
    return p;
  }

  it('error: CRLF line endings, blank lines and a quoted field spanning two lines are counted; the same line after a cache hit', async () => {
    const text = [
      'timestamp,price,note', // 1
      '', // 2
      `${iso(0)},100,a`, // 3
      `${iso(1)},"101","two`, // 4
      'lines"', // 5
      '', // 6
      `${iso(2)},102,b`, // 7
      '', // 8
      `${iso(5)},105,c`, // 9: after the gap
      `${iso(6)},106,d`, // 10
      `${iso(7)},107,e`, // 11
      '',
    ].join('\r\n');
    const f = aged('gap-crlf.csv', text);
    await expect(loadSeries(f)).rejects.toThrow(`${f}:9: timestamp: ${GAP}`);
    const cacheDir = path.join(dir, 'cache-gap');
    mkdirSync(cacheDir);
    const cache = { dir: cacheDir, codeId: 'gap-test' };
    await expect(loadSeries(f, { cache })).rejects.toThrow(`${f}:9: timestamp: ${GAP}`); // parsed, and kept
    expect(readdirSync(cacheDir).filter((n) => n.endsWith('.series'))).toHaveLength(1);
    await expect(loadSeries(f, { cache })).rejects.toThrow(`${f}:9: timestamp: ${GAP}`); // read back from the cache
    // LF line endings and no quoted field (one line fewer): the lines a text editor shows
    const plain = put('gap-plain.csv', text.replace(/\r\n/g, '\n').replace('"101","two\nlines"', '101,two'));
    await expect(loadSeries(plain)).rejects.toThrow(`${plain}:8: timestamp: ${GAP}`);
  });

  it('error: after --from/--to and --resample, the line of the first row of the bucket after the gap; the real column name', async () => {
    // daily file in unix seconds, column "time": rows at 00:30 of each hour, a gap of 2 hours
    const rows = ['time,price'];
    for (const h of [0, 1, 2, 5, 6, 7]) rows.push(`${(T0 + h * H + 1_800_000) / 1000},${100 + h}`);
    const f = put('gap-resample.csv', `\n${rows.join('\n')}\n`); // a blank line before the header
    await expect(loadSeries(f, { resample: '1h' })).rejects.toThrow(`${f}:6: time: ${GAP}`);
    await expect(loadSeries(f, { resample: '1h', fromMs: T0 + H })).rejects.toThrow(`${f}:6: time: rows must be evenly spaced`);
    // the window leaves the gap out: no error
    expect((await loadSeries(f, { fromMs: T0 + 5 * H })).length).toBe(3);
  });

  it('error: a long-format file read for one --pair counts the other pairs\' lines; CryptoCompare names unix_s', async () => {
    const lines = ['timestamp,pair,price'];
    for (const h of [0, 1, 2, 5, 6]) lines.push(`${iso(h)},BTC/USD,${40000 + h}`, `${iso(h)},ETH/USD,${2000 + h}`);
    const f = put('gap-long.csv', lines.join('\n') + '\n');
    await expect(loadSeries(f, { pair: 'ETH/USD' })).rejects.toThrow(`${f}:9: timestamp: ${GAP}`);
    await expect(loadSeries(f, { pair: 'BTC/USD' })).rejects.toThrow(`${f}:8: timestamp: ${GAP}`);
    const cc = ['datetime_utc,unix_s,pair,open,high,low,close,volumefrom,volumeto'];
    for (const h of [0, 1, 2, 5, 6]) for (const pair of ['BTC/USD', 'ETH/USD']) cc.push(`${iso(h).replace('T', ' ').replace('Z', '')},${(T0 + h * H) / 1000},${pair},1,1,1,${pair === 'BTC/USD' ? 40000 : 2000},1,1`);
    const c = put('gap-cc.csv', cc.join('\n') + '\n');
    await expect(loadSeries(c, { pair: 'ETH/USD' })).rejects.toThrow(`${c}:9: unix_s: ${GAP}`);
  });

  it('error: --divide-by names the file that lacks the rows, at its own line', async () => {
    const btc = put('gap-btc.csv', ['timestamp,price', ...[0, 1, 2, 3, 4, 5, 6].map((h) => `${iso(h)},${40000 + h}`)].join('\n') + '\n');
    const eth = put('gap-eth.csv', ['timestamp,price', '', ...[0, 1, 2, 5, 6].map((h) => `${iso(h)},${2000 + h}`)].join('\n') + '\n');
    await expect(loadSeries(btc, { divideBy: eth })).rejects.toThrow(`${eth}:6: timestamp: ${GAP}`);
    await expect(loadSeries(eth, { divideBy: btc })).rejects.toThrow(`${eth}:6: timestamp: ${GAP}`);
  });

  it('error: Arrow and freqtrade JSON name the row (counted from 1, the first data row), as their other errors do', async () => {
    const hours = [0, 1, 2, 5, 6];
    const a = put('gap.arrow', tableToIPC(new Table({ time: vectorFromArray(hours.map((h) => T0 + h * H), new TimestampMillisecond()), price: vectorFromArray(hours.map((h) => 100 + h), new Float64()) }), 'file'));
    await expect(loadSeries(a)).rejects.toThrow(`${a}: row 4: time: ${GAP}`);
    const t = put('gap-text.arrow', tableToIPC(new Table({ timestamp: vectorFromArray(hours.map(iso), new Utf8()), price: vectorFromArray(hours.map((h) => 100 + h), new Float64()) }), 'file'));
    await expect(loadSeries(t, { fromMs: T0 + H })).rejects.toThrow(`${t}: row 4: timestamp: ${GAP}`);
    const j = put('gap.json', `[\n${hours.map((h) => `  [${T0 + h * H}, 1, 1, 1, ${100 + h}, 5]`).join(',\n')}\n]\n`);
    await expect(loadSeries(j)).rejects.toThrow(`${j}: row 4: timestamp: ${GAP}`);
  });

  it('error: Uniswap pool events: rows other than swaps and several swaps in one second are counted (--gaps error)', async () => {
    const head = 'block_number,block_timestamp,tx_type,sqrtPriceX96,total_liquidity,current_tick';
    const sqrt = '1662995104975155420368771254341874';
    const ev = (h: number, type = 'SWAP'): string => `1,${iso(h).replace('T', ' ').replace('Z', '')},${type},${sqrt},1,199045`;
    const f = put('gap-events.csv', [head, ev(0), ev(1), ev(1), ev(2, 'MINT'), ev(2), ev(5, 'BURN'), ev(5), ev(5), ev(6)].join('\n') + '\n');
    await expect(loadSeries(f, { gaps: 'error' })).rejects.toThrow(`${f}:8: block_timestamp: ${GAP}`);
    expect((await loadSeries(f)).length).toBe(5); // skip, the default for event files
  });

  it('behavior: locateCsvRow finds the first row at or after a time; none (a file changed or gone since it loaded) is undefined, and the gap keeps no line rather than a wrong one', () => {
    const f = put('gap-find.csv', ['timestamp,price', '', ...[0, 1, 2, 5, 6].map((h) => `${iso(h)},${100 + h}`)].join('\n') + '\n');
    expect(locateCsvRow(f, {}, T0 + 5 * H)).toEqual({ line: 6, field: 'timestamp', timestampMs: T0 + 5 * H });
    expect(locateCsvRow(f, {}, T0 + 3 * H)).toEqual({ line: 6, field: 'timestamp', timestampMs: T0 + 5 * H });
    expect(locateCsvRow(f, {}, T0 + 7 * H)).toBeUndefined();
    expect(locateCsvRow(path.join(dir, 'no-such.csv'), {}, T0)).toBeUndefined();
    const bad = put('gap-bad.csv', `timestamp,price\n${iso(0)},1\n${iso(1)},x\n${iso(2)},3\n`);
    expect(locateCsvRow(bad, {}, T0 + 2 * H)).toBeUndefined(); // the file no longer loads
  });
});
