import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSeriesCoversRun, loadGasPriceSeries, loadGasSeriesFiles } from './gasSeries.ts';
import { loadGasModelForRun } from '../../runs/gas.ts';

function file(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'ammsim-gas-'));
  const p = join(dir, 'gas.csv');
  writeFileSync(p, text);
  return p;
}

describe('loadGasPriceSeries', () => {
  it('error: a column in wei (values past 1,000,000 gwei) is refused, as --gas-price is', async () => {
    const p = file('timestamp,gwei\n1704412800,21.5\n1704416400,2e10\n');
    await expect(loadGasPriceSeries(p)).rejects.toThrow(`${p}:3: gwei: must be gwei, at most 1,000,000 (a price in wei is 10^9 times too large); was 20000000000 at 2024-01-05T01:00:00.000Z`);
  });
  it('error: the line of a value in wei counts CRLF line endings, blank lines (before the header too) and a quoted field spanning lines', async () => {
    const p = file('\r\ntimestamp,gwei,note\r\n1704412800,21.5,"a\r\nb"\r\n\r\n1704416400,"30",c\r\n\r\n1704420000,35000000000,d\r\n');
    await expect(loadGasPriceSeries(p)).rejects.toThrow(`${p}:8: gwei: must be gwei, at most 1,000,000 (a price in wei is 10^9 times too large); was 35000000000 at 2024-01-05T02:00:00.000Z`);
  });
  it('behavior: reads timestamp,gwei (unix seconds and ISO) into a series whose price is gwei', async () => {
    const s = await loadGasPriceSeries(file('timestamp,gwei\n1704412800,21.5\n1704416400,35\n'));
    expect(Array.from(s.timestampMs)).toEqual([1704412800000, 1704416400000]);
    expect(Array.from(s.price)).toEqual([21.5, 35]);
    const t = await loadGasPriceSeries(file('date,gas_price_gwei\n2024-01-05 00:00,12\n2024-01-05 01:00,14\n'));
    expect(Array.from(t.price)).toEqual([12, 14]);
    expect(t.timestampMs[0]).toBe(Date.UTC(2024, 0, 5));
  });
  it('error: no gwei column names the header', async () => {
    const p = file('timestamp,price\n1,2\n');
    await expect(loadGasPriceSeries(p)).rejects.toThrow(`${p}:1: header: must have a gas-price column in gwei (gwei, gas_price_gwei, gasPrice); found timestamp, price`);
    const late = file('\n\ntimestamp,price\n1,2\n');
    await expect(loadGasPriceSeries(late)).rejects.toThrow(`${late}:3: header: must have a gas-price column in gwei`);
    const empty = file('');
    await expect(loadGasPriceSeries(empty)).rejects.toThrow(`${empty}:1: header: the file is empty; it needs a header with a gas-price column in gwei (gwei, gas_price_gwei, gasPrice), then a row per time`);
  });
  it('error: a binary file (a .csv.gz) names its header with the bytes escaped, not echoed', async () => {
    const p = file('');
    writeFileSync(p, Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x2c, 0x41, 0x0a]));
    await expect(loadGasPriceSeries(p)).rejects.toThrow(
      `${p}:1: header: must have a gas-price column in gwei (gwei, gas_price_gwei, gasPrice); found "\\u001f\\ufffd\\b\\u0000", A (characters that do not print, escaped: is the file compressed or binary? it must be CSV text)`,
    );
  });
  it('behavior: blank lines before the header are skipped, as the price loader skips them', async () => {
    const t = await loadGasPriceSeries(file('\n\ntimestamp,gwei\n1704412800,21.5\n1704416400,20\n'));
    expect(Array.from(t.price)).toEqual([21.5, 20]);
  });
  it('error: a negative gas price names file, line and field', async () => {
    const p = file('timestamp,gwei\n1704412800,21.5\n1704416400,-3\n');
    await expect(loadGasPriceSeries(p)).rejects.toThrow(`${p}:3: gwei:`);
  });
  it('error: rows out of order', async () => {
    const p = file('timestamp,gwei\n1704416400,21.5\n1704412800,3\n');
    await expect(loadGasPriceSeries(p)).rejects.toThrow(`${p}:3: timestamp:`);
  });
});

describe('a gas series that does not cover the run (issue #11 item 8)', () => {
  const H = 3_600_000;
  const T = 1704412800000; // 2024-01-05T00:00:00Z
  const gasCsv = 'timestamp,gwei\n1704412800,21.5\n1704416400,35\n1704420000,30\n'; // 00:00, 01:00, 02:00
  const cfg = (gasPriceSeries: string, gasBefore?: 'fill' | 'error') => ({ pool: 'v3' as const, gasPrice: 0, gasPriceSeries, nativePriceSeries: undefined, ...(gasBefore === undefined ? {} : { gasBefore }) });

  it('behavior: a series covering the run gives no warning', async () => {
    const p = file(gasCsv);
    expect((await loadGasModelForRun(cfg(p), { startMs: T, endMs: T + 2 * H })).warnings).toEqual([]);
    expect((await loadGasModelForRun(cfg(p, 'error'), { startMs: T + H, endMs: T + 3 * H })).warnings).toEqual([]); // 1 spacing past its end: fine
  });

  it('behavior: starting after the run is back-filled with its first value, and said in a warning (default fill)', async () => {
    const p = file(gasCsv);
    const { gas, warnings } = await loadGasModelForRun(cfg(p), { startMs: T - 5 * H, endMs: T + 2 * H });
    expect(warnings).toEqual([`the gas-price series ${p} starts at 2024-01-05T00:00:00.000Z, after the run starts at 2024-01-04T19:00:00.000Z; its first value (21.5 gwei) is used until 2024-01-05T00:00:00.000Z (--gas-before error refuses this)`]);
    // what the warning says: 5 h before the series, a mint costs 370,000 gas × 21.5 gwei × the base price
    expect(gas.cost('mint', T - 5 * H, 2000)).toBeCloseTo(370_000 * 21.5e-9 * 2000, 12);
    // a run that ends before the series starts: the first value is used all along
    const early = await loadGasModelForRun(cfg(p, 'fill'), { startMs: T - 5 * H, endMs: T - 4 * H });
    expect(early.warnings[0]).toMatch(/is used until 2024-01-04T20:00:00\.000Z \(--gas-before error refuses this\)$/);
  });

  it('error: --gas-before error refuses it, naming the file, its first timestamp and the run start', async () => {
    const p = file(gasCsv);
    await expect(loadGasModelForRun(cfg(p, 'error'), { startMs: T - 1000, endMs: T + 2 * H })).rejects.toThrow(
      `${p}: timestamp: the gas-price series starts at 2024-01-05T00:00:00.000Z, after the run starts at 2024-01-04T23:59:59.000Z (--gas-before error); give a series that covers the run, or --gas-before fill to use its first value (21.5 gwei) until it starts`,
    );
    await expect(loadGasModelForRun({ ...cfg(p), gasBefore: 'zero' as 'fill' }, { startMs: T, endMs: T })).rejects.toThrow('--gas-before: must be fill or error; was "zero"');
  });

  it('behavior: ending more than two spacings before the run ends is a warning; the native-price series is checked the same way', async () => {
    const p = file(gasCsv);
    const native = file('timestamp,price\n1704416400,2300\n1704420000,2310\n'); // from 01:00
    const { warnings } = await loadGasModelForRun({ ...cfg(p), nativePriceSeries: native }, { startMs: T, endMs: T + 5 * H });
    expect(warnings).toEqual([
      `the gas-price series ${p} ends at 2024-01-05T02:00:00.000Z; its last value (30 gwei) is used until 2024-01-05T05:00:00.000Z`,
      `the native-price series ${native} starts at 2024-01-05T01:00:00.000Z, after the run starts at 2024-01-05T00:00:00.000Z; its first value (2300) is used until 2024-01-05T01:00:00.000Z (--gas-before error refuses this)`,
      `the native-price series ${native} ends at 2024-01-05T02:00:00.000Z; its last value (2310) is used until 2024-01-05T05:00:00.000Z`,
    ]);
  });

  it('behavior: checkSeriesCoversRun on a one-row series has no spacing, so no end warning', async () => {
    const s = await loadGasPriceSeries(file('timestamp,gwei\n1704412800,9\n'));
    expect(checkSeriesCoversRun(s, { name: 'gas-price series', unit: 'gwei' }, { startMs: T, endMs: T + 100 * H })).toEqual([]);
  });
});

describe('a native-price series with gaps (read as of each step)', () => {
  const H = 3_600_000;
  const T = 1704412800000; // 2024-01-05T00:00:00Z

  it('behavior: a gap in the native-price series is no error (--gaps acts on --prices only); the price before it is used across it', async () => {
    const native = file('timestamp,price\n1704412800,2300\n1704416400,2310\n1704427200,2330\n1704430800,2340\n'); // 00:00, 01:00, (gap) 04:00, 05:00
    const { nativePriceSeries } = await loadGasSeriesFiles({ gasPriceSeries: undefined, nativePriceSeries: native });
    expect(Array.from(nativePriceSeries!.price)).toEqual([2300, 2310, 2330, 2340]);
    const { gas, warnings } = await loadGasModelForRun({ pool: 'v3', gasPrice: 10, gasPriceSeries: undefined, nativePriceSeries: native }, { startMs: T, endMs: T + 5 * H });
    expect(warnings).toEqual([]);
    expect(gas.cost('mint', T + 2 * H, 1)).toBeCloseTo(370_000 * 10e-9 * 2310, 9); // as of 02:00, in the gap: 01:00's price
  });

  const ETH_1H = resolve(process.cwd(), '../shared/data/eth_usd/binance_spot_ETHUSDT_1h.csv');
  it.skipIf(!existsSync(ETH_1H))('behavior: the real Binance ETHUSDT 1h file (2018-02 missing, see ../shared/data/README.md) serves a 2022 run (skipped when absent)', async () => {
    const start = Date.UTC(2022, 0, 1);
    const { gas, warnings } = await loadGasModelForRun({ pool: 'v3', gasPrice: 10, gasPriceSeries: undefined, nativePriceSeries: ETH_1H }, { startMs: start, endMs: start + 24 * H });
    expect(warnings).toEqual([]);
    expect(gas.cost('mint', start, 1)).toBeCloseTo(370_000 * 10e-9 * 3723.04, 9); // close of the 2022-01-01 00:00 bar
  });
});
