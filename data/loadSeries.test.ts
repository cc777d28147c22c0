import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Float64, Table, tableToIPC, TimestampMillisecond, vectorFromArray } from 'apache-arrow';
import { detectFormat, loadSeries } from './loadSeries.ts';
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
    await expect(loadSeries(btc, { divideBy: eth })).rejects.toThrow('timestamp: rows must be evenly spaced every 1h');
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
