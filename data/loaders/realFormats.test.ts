/**
 * Tests on the real files in ../shared/data (see its README.md for their provenance, row counts and spans,
 * which are the independent references used below). Skipped, with a message, when that folder is absent.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadSeries } from '../loadSeries.ts';
import { loadCsvPrices } from './csvPrices.ts';
import { priceFromSqrtPriceX96, priceFromTick } from '../../sim/math/v3/priceConversions.ts';
import { loadCryptoCompareCsv, loadFreqtradeJson, loadUniswapEvents, loadUniswapMinute, USDC_WETH } from './realFormats.ts';
import { derivePair, resampleSeries } from './seriesTransforms.ts';

const DATA = path.resolve(process.cwd(), '../shared/data');
const HAVE_DATA = existsSync(path.join(DATA, 'README.md'));
if (!HAVE_DATA) console.warn(`skipping real-data loader tests: ${DATA} not found (the shared real data set is not checked out beside the repo)`);
const f = (p: string) => path.join(DATA, p);
const H = 3_600_000;
const utc = (s: string) => Date.parse(s);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

describe.skipIf(!HAVE_DATA)('real data formats in ../shared/data (skipped when the folder is absent)', () => {
  it('behavior: Binance spot ETHUSDT 1h CSV (date,open,high,low,close): 74,542 rows, spans and values as in the README', async () => {
    const s = await loadCsvPrices(f('eth_usd/binance_spot_ETHUSDT_1h.csv'));
    expect(s.length).toBe(74_542);
    expect(s.timestampMs[0]).toBe(utc('2017-08-17T04:00:00Z'));
    expect(s.timestampMs[s.length - 1]).toBe(utc('2026-05-01T23:00:00Z'));
    expect(s.price[0]).toBe(301.61); // first row: 2017-08-17 04:00,301.13,302.57,298.0,301.61
    expect([...s.extra.keys()]).toEqual(['high', 'low', 'open']);
    const lo = s.extra.get('low')!;
    const hi = s.extra.get('high')!;
    let outside = 0;
    for (let i = 0; i < s.length; i++) if (!(lo[i]! <= s.price[i]! && s.price[i]! <= hi[i]!)) outside++;
    expect(outside).toBe(0);
  });

  it('error: the spot file has gaps, so the default gap policy names the first one; ffill makes it hourly', async () => {
    const file = f('eth_usd/binance_spot_ETHUSDT_1h.csv');
    await expect(loadSeries(file)).rejects.toThrow(
      `${file}:494: date: rows must be evenly spaced every 1h (the series' most common step; --gaps skip accepts gaps, --gaps ffill fills them); was a step of 8h from 2017-09-06T15:00:00.000Z to 2017-09-06T23:00:00.000Z, 7 missing rows`,
    );
    const s = await loadSeries(file, { gaps: 'ffill' });
    expect(s.length).toBe((utc('2026-05-01T23:00:00Z') - utc('2017-08-17T04:00:00Z')) / H + 1);
  });

  it('behavior: 2022 of the spot file has no gaps (README), so the error policy passes on it', async () => {
    const s = await loadSeries(f('eth_usd/binance_spot_ETHUSDT_1h.csv'), { gaps: 'skip' });
    const t = s.timestampMs;
    let n = 0;
    let off = 0;
    for (let i = 1; i < t.length; i++) {
      if (t[i]! >= utc('2022-01-01T00:00:00Z') && t[i]! < utc('2023-01-01T00:00:00Z')) {
        if (t[i]! - t[i - 1]! !== H) off++;
        n++;
      }
    }
    expect(off).toBe(0);
    expect(n).toBe(8760);
  });

  it('behavior: freqtrade JSON ETH/USDT equals the spot CSV on every common hour (README: 37,266 hours)', async () => {
    const j = await loadFreqtradeJson(f('cex_hourly_2021/binance_ETH_USDT-1h.json'));
    expect(j.length).toBe(37_906);
    expect(j.timestampMs[0]).toBe(1502942400000);
    expect(j.extra.get('volume')![0]).toBe(125.66877);
    const c = await loadCsvPrices(f('eth_usd/binance_spot_ETHUSDT_1h.csv'));
    const at = new Map<number, number>();
    c.timestampMs.forEach((t, i) => at.set(t, c.price[i]!));
    let common = 0;
    let differ = 0;
    for (let i = 0; i < j.length; i++) {
      const p = at.get(j.timestampMs[i]!);
      if (p === undefined) continue;
      common++;
      if (j.price[i] !== p) differ++;
    }
    expect(common).toBe(37_266);
    expect(differ).toBe(0);
  });

  it('behavior: freqtrade BTC/USDT: 9,171 rows from 2020-12-01 00:00 (README), 8 gaps', async () => {
    const s = await loadFreqtradeJson(f('cex_hourly_2021/binance_BTC_USDT-1h.json'));
    expect(s.length).toBe(9_171);
    expect(s.timestampMs[0]).toBe(utc('2020-12-01T00:00:00Z'));
    expect(s.price[0]).toBe(19565.47);
    let gaps = 0;
    for (let i = 1; i < s.length; i++) if (s.timestampMs[i]! - s.timestampMs[i - 1]! !== H) gaps++;
    expect(gaps).toBe(8);
  });

  it('behavior: pandas-index perp CSV: index column ignored, datetime parsed as UTC, volume extra, no gaps', async () => {
    const s = await loadSeries(f('binance_perp/ETHUSDT_1h.csv'));
    expect(s.length).toBe(35_809);
    expect(s.timestampMs[0]).toBe(utc('2019-12-01T00:00:00Z'));
    expect(s.timestampMs[s.length - 1]).toBe(utc('2024-01-01T00:00:00Z'));
    expect(s.price[0]).toBe(150.6);
    expect(s.extra.get('volume')![0]).toBe(16927.583);
    expect([...s.extra.keys()]).toEqual(['high', 'low', 'open', 'volume']);
  });

  it('behavior: BTC/ETH derived from the perp files agrees with CryptoCompare daily BTC/ETH (median |diff| < 0.5 %)', async () => {
    const btc = await loadSeries(f('binance_perp/BTCUSDT_1h.csv'));
    const eth = await loadSeries(f('binance_perp/ETHUSDT_1h.csv'));
    const d = derivePair(btc, eth);
    expect(d.length).toBe(35_809); // the ETH span lies inside the BTC span, both gap-free
    // Daily close of the derived hourly series (last hour 23:00) vs CryptoCompare's daily close (day end)
    const daily = resampleSeries(d, 24 * H);
    const cc = await loadCryptoCompareCsv(f('cryptocompare/cryptocompare_daily_coins_vs_ETH_2017-08-07_2023-01-28.csv'), { pair: 'BTC/ETH' });
    const ccAt = new Map<number, number>();
    cc.timestampMs.forEach((t, i) => ccAt.set(t, cc.price[i]!));
    const diffs: number[] = [];
    for (let i = 0; i < daily.length; i++) {
      const p = ccAt.get(daily.timestampMs[i]!);
      if (p !== undefined) diffs.push(Math.abs(daily.price[i]! / p - 1));
    }
    expect(diffs.length).toBeGreaterThan(1000);
    expect(median(diffs)).toBeLessThan(0.005);
  });

  it('behavior: CryptoCompare long CSV needs a pair; ETH/USD hourly has 2,001 rows from 2022-12-16 11:00', async () => {
    const file = f('cryptocompare/cryptocompare_hourly_2022-12-16_2023-03-09.csv');
    await expect(loadSeries(file)).rejects.toThrow(`${file}:2003: pair: must be the same on every row, or choose one with the pair option (--pair); was "BTC/USD" after "BTC/ETH"`);
    const s = await loadSeries(file, { pair: 'ETH/USD' });
    expect(s.provenance.kind).toBe('cryptocompare');
    expect(s.length).toBe(2_001);
    expect(s.timestampMs[0]).toBe(utc('2022-12-16T11:00:00Z'));
    expect(s.price[0]).toBe(1213.35);
    expect(s.extra.get('volumefrom')![0]).toBe(25798.75);
    expect([...s.extra.keys()]).toEqual(['high', 'low', 'open', 'volumefrom', 'volumeto']);
  });

  it('behavior: Uniswap minute file 0x88e6 (2024-01-05): 1,440 rows, ETH price in USDC between 2,200 and 2,300', async () => {
    const s = await loadSeries(f('uniswap_v3/ethereum_usdc_weth_005_0x88e6_2024-01-05.minute.csv'));
    expect(s.provenance.kind).toBe('uniswap-minute');
    expect(s.length).toBe(1_440);
    expect(s.timestampMs[0]).toBe(utc('2024-01-05T00:00:00Z'));
    expect(s.price[0]).toBe(priceFromTick(199045, USDC_WETH)); // first row closeTick 199045.0
    expect(s.price.every((p) => p > 2200 && p < 2300)).toBe(true);
    // the opposite orientation is WETH per USDC
    const inv = await loadUniswapMinute(f('uniswap_v3/ethereum_usdc_weth_005_0x88e6_2024-01-05.minute.csv'), { priceOf: 'token0' });
    expect(inv.price[0]! * s.price[0]!).toBeCloseTo(1, 12);
  });

  it('behavior: pool events 0x88e6: swap prices from sqrtPriceX96 lie within the minute file closeTick bracket every minute', async () => {
    const ev = await loadSeries(f('uniswap_v3/ethereum_usdc_weth_005_0x88e6_2024-01-05.pool_events.csv'));
    expect(ev.provenance.kind).toBe('uniswap-events');
    expect(ev.timestampMs[0]).toBe(utc('2024-01-05T00:00:23Z'));
    expect(ev.price.every((p) => p > 2200 && p < 2300)).toBe(true);
    expect([...ev.extra.keys()]).toEqual(['liquidity', 'tick']);
    const lastPerMinute = resampleSeries(ev, 60_000);
    const minute = await loadUniswapMinute(f('uniswap_v3/ethereum_usdc_weth_005_0x88e6_2024-01-05.minute.csv'));
    const at = new Map<number, number>();
    minute.timestampMs.forEach((t, i) => at.set(t, i));
    let checked = 0;
    let outside = 0;
    for (let k = 0; k < lastPerMinute.length; k++) {
      const i = at.get(lastPerMinute.timestampMs[k]!)!;
      // closeTick of the minute = the tick after its last swap; the sqrt price lies in [tick, tick+1)
      const tick = Math.round(Math.log(1e12 / minute.price[i]!) / Math.log(1.0001));
      const p = lastPerMinute.price[k]!;
      if (!(p <= priceFromTick(tick, USDC_WETH) * (1 + 1e-12) && p >= priceFromTick(tick + 1, USDC_WETH) * (1 - 1e-12))) outside++;
      checked++;
    }
    expect(checked).toBe(1_408);
    expect(outside).toBe(0);
  });

  it('behavior: pool events 0x8ad5: several swaps in one second keep the last; 1m resample + ffill is evenly spaced', async () => {
    const file = f('uniswap_v3/ethereum_usdc_weth_030_0x8ad5_2024-01-05.pool_events.csv');
    const raw = await loadUniswapEvents(file);
    // independent count: distinct block_timestamp values among the SWAP rows (267 swaps per the README)
    const rows = readFileSync(file, 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    const swaps = rows.filter((r) => r[2] === 'SWAP');
    expect(swaps.length).toBe(267);
    expect(raw.length).toBe(new Set(swaps.map((r) => r[1])).size);
    const lastSwap = swaps[swaps.length - 1]!;
    expect(raw.price[raw.length - 1]).toBe(priceFromSqrtPriceX96(Number(lastSwap[12]), USDC_WETH));
    const s = await loadSeries(f('uniswap_v3/ethereum_usdc_weth_030_0x8ad5_2024-01-05.pool_events.csv'), { resample: '1m', gaps: 'ffill' });
    expect(s.timestampMs.every((t, i) => i === 0 || t - s.timestampMs[i - 1]! === 60_000)).toBe(true);
    expect(s.price.every((p) => p > 2200 && p < 2300)).toBe(true);
  });

  it('error: Polygon 2022 minute file has day-boundary gaps (README); ffill gives 35 full days', async () => {
    const file = f('uniswap_v3/polygon_usdc_weth_005_0x45dd_minute_2022-07-19_2022-08-22.csv');
    await expect(loadSeries(file)).rejects.toThrow(
      `${file}:7202: timestamp: rows must be evenly spaced every 1m (the series' most common step; --gaps skip accepts gaps, --gaps ffill fills them); was a step of 2m from 2022-07-23T23:59:00.000Z to 2022-07-24T00:01:00.000Z, 1 missing row`,
    );
    const s = await loadSeries(file, { gaps: 'ffill' });
    expect(s.length).toBe(35 * 1440);
    const skip = await loadSeries(file, { gaps: 'skip' });
    expect(skip.length).toBe(50_390);
  });

  it('behavior: Polygon 2025 minute file (float ticks) resampled to 1h: 48 hourly rows, ETH price in a sane range', async () => {
    const s = await loadSeries(f('uniswap_v3/polygon_usdc_weth_005_0x45dd_minute_2025-07-01_2025-07-02.csv'), { resample: '1h' });
    expect(s.length).toBe(48);
    expect(s.price.every((p) => p > 2000 && p < 3500)).toBe(true);
  });
});

describe('freqtrade JSON: unusual and bad files', () => {
  const write = (name: string, text: string): string => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ammsim-freqtrade-'));
    const p = path.join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const candles = '[\n[1700000000000,1,2,0.5,1.5,10],\n[1700003600000,1,2,0.5,1.6,10]\n]';

  it('behavior: a UTF-8 byte-order mark is ignored (RFC 8259 lets a parser ignore one)', async () => {
    const s = await loadFreqtradeJson(write('bom.json', '\uFEFF' + candles));
    expect([...s.price]).toEqual([1.5, 1.6]);
  });

  it('error: a syntax error names its line; null is not "an object"', async () => {
    const p = write('comma.json', candles.replace('1.6,10]', '1.6,10],'));
    await expect(loadFreqtradeJson(p)).rejects.toThrow(new RegExp(`^${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4: must be JSON \\(freqtrade candles`));
    const q = write('null.json', 'null');
    await expect(loadFreqtradeJson(q)).rejects.toThrow(`${q}: must be a JSON array of candles [time, open, high, low, close, volume]; was null`);
  });
});
