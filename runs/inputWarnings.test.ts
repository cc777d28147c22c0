import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { backtest, runBacktest } from './backtest.ts';
import { resolveBacktestConfig } from './config.ts';
import { entryWarnings, ffillWarnings, fractionRateWarning, inputWarnings } from './inputWarnings.ts';
import { makeSeries } from '../sim/core/series.ts';
import { replayCoverageWarnings } from './feeModels/replayFeeSource.ts';
import { seriesOf } from '../sim/engine/testing/engineTesting.ts';
import { rawPriceFromPrice, sqrtPriceX96FromPrice } from '../sim/math/v3/priceConversions.ts';
import type { PoolEventRow } from '../sim/replay/real/poolEvents.ts';

const H = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);
const TOKENS = { decimals0: 6, decimals1: 18, priceOf: 'token1' as const };
const EVENTS = path.resolve(process.cwd(), '../shared/data/uniswap_v3/ethereum_usdc_weth_005_0x88e6_2024-01-05.pool_events.csv');
const haveEvents = existsSync(EVENTS);
if (!haveEvents) console.warn(`skipping the real-events warning tests: ${EVENTS} not found (it lives beside the checkout in ../shared)`);

/** A SWAP row at `ms` (whole seconds) with the pool at `price` (USDC per ETH). */
function swap(ms: number, price: number, line: number): PoolEventRow {
  return {
    line,
    blockNumber: line,
    timestampSec: Math.floor(ms / 1000),
    kind: 'SWAP',
    txHash: '0x',
    logIndex: 0,
    owner: '',
    amount0: 0n,
    amount1: 0n,
    totalLiquidity: 1n,
    sqrtPriceX96: sqrtPriceX96FromPrice(rawPriceFromPrice(price, TOKENS)),
    tick: 0,
    tickLower: 0,
    tickUpper: 0,
    liquidity: 0n,
  };
}

describe('replay fee events that cover less of the run, or price it far from the series (finding 1)', () => {
  const series = seriesOf(Array.from({ length: 24 * 10 }, () => 2000)); // 10 days, hourly, at 2,000

  it('behavior: events over the whole run at the series\' prices say nothing', () => {
    const rows = Array.from({ length: 240 }, (_, i) => swap(T0 + i * H + 60_000, 2000 * (1 + 0.001 * Math.sin(i)), i + 2));
    expect(replayCoverageWarnings(rows, series, TOKENS, 'e.csv')).toEqual([]);
  });

  it('behavior: one day of events under a 10-day run: its span and share of the run, one line', () => {
    const rows = Array.from({ length: 24 }, (_, i) => swap(T0 + 4 * 24 * H + i * H, 2000, i + 2));
    expect(replayCoverageWarnings(rows, series, TOKENS, 'e.csv')).toEqual([
      'the fee events e.csv span 2024-01-05T00:00:00Z … 2024-01-05T23:00:00Z, 9.6 % of the run (2024-01-01T00:00:00Z … 2024-01-10T23:00:00Z): the replay credits fees only there',
    ]);
  });

  it('behavior: events outside the run: no fees, said', () => {
    const rows = [swap(T0 + 20 * 24 * H, 2000, 2), swap(T0 + 21 * 24 * H, 2000, 3)];
    expect(replayCoverageWarnings(rows, series, TOKENS, 'e.csv')).toEqual([
      'the fee events e.csv span 2024-01-21T00:00:00Z … 2024-01-22T00:00:00Z, outside the run (2024-01-01T00:00:00Z … 2024-01-10T23:00:00Z): the replay credits no fees',
    ]);
  });

  it('behavior: logged prices a median 10 % above the series\' (under the ×2 refusal) are said, with a sample line; 4 % is not', () => {
    const at = (f: number): PoolEventRow[] => Array.from({ length: 240 }, (_, i) => swap(T0 + i * H + 60_000, 2000 * f, i + 2));
    const w = replayCoverageWarnings(at(1.1), series, TOKENS, 'e.csv');
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(/^where they overlap the run, the pool's logged prices are a median 10 % above the series' \(2200\.\d+ vs 2000\.00 at e\.csv:\d+\): positions are placed at the series' price, so their ranges may miss the logged swaps$/);
    expect(replayCoverageWarnings(at(1 / 1.1), series, TOKENS, 'e.csv')[0]).toMatch(/a median 9\.1 % below the series'/);
    expect(replayCoverageWarnings(at(1.04), series, TOKENS, 'e.csv')).toEqual([]);
  });

  it.skipIf(!haveEvents)('acceptance: a day of real events (~2,270) under the year-long synthetic series (~2,000): both warnings in summary.json', async () => {
    const r = await backtest({ pool: 'v3', fee: 0.0005, feeModel: 'replay', feeEvents: EVENTS });
    expect(r.summary.warnings).toEqual([
      `the fee events ${EVENTS} span 2024-01-05T00:00:23Z … 2024-01-05T23:59:59Z, 0.27 % of the run (2024-01-01T00:00:00Z … 2024-12-30T23:00:00Z): the replay credits fees only there`,
      expect.stringMatching(/^where they overlap the run, the pool's logged prices are a median 42\.6 % above the series' \(/),
    ]);
  });

  it.skipIf(!haveEvents)('behavior: the events file as the prices (one step per event row) covers its own run: no warning', async () => {
    const r = await backtest({ pool: 'v3', fee: 0.0005, feeModel: 'replay', prices: EVENTS, from: '2024-01-05T00:00:00Z', to: '2024-01-05T01:00:00Z' });
    expect(r.summary.warnings).toEqual([]);
  });
});

describe('--divide-by rows without a match (finding 2)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ammsim-divide-'));
  const a = path.join(dir, 'a.csv');
  const c = path.join(dir, 'c.csv');
  const t0 = T0 / 1000;
  writeFileSync(a, `timestamp,price\n${Array.from({ length: 100 }, (_, i) => `${t0 + i * 3600},${2000 + i}`).join('\n')}\n`);
  writeFileSync(c, `timestamp,price\n${Array.from({ length: 50 }, (_, k) => `${t0 + 2 * k * 3600},${1 + k / 1000}`).join('\n')}\n`);

  it('behavior: an hourly file divided by one with every other hour, under --gaps error: 50 of 100 rows unmatched, said with the first', async () => {
    const r = await backtest({ prices: a, divideBy: c, gaps: 'error' });
    expect(r.summary.warnings).toEqual([
      `--divide-by keeps only the times both files have: 50 of 100 rows of ${a} and 0 of 50 of ${c} had no row at the same time in the other (the first at 2024-01-01T01:00:00Z)`,
    ]);
    expect(r.summary.data.params).toMatchObject({ droppedRows: 50, matchedRows: 50, numeratorUnmatchedRows: 50, denominatorUnmatchedRows: 0, firstUnmatched: '2024-01-01T01:00:00Z' });
  });

  it('behavior: counted in the window only; files that match row for row there say nothing and keep their provenance', async () => {
    // the window [10 h, 14 h] holds a's hours 10–14 (11 and 13 unmatched) and c's 10, 12, 14 (all matched)
    const w = await backtest({ prices: a, divideBy: c, gaps: 'skip', from: String(t0 + 10 * 3600), to: String(t0 + 14 * 3600) });
    expect(w.summary.warnings).toEqual([
      `--divide-by keeps only the times both files have: 2 of 5 rows of ${a} and 0 of 3 of ${c} had no row at the same time in the other (the first at 2024-01-01T11:00:00Z)`,
    ]);
    const b = path.join(dir, 'b.csv');
    writeFileSync(b, `timestamp,price\n${Array.from({ length: 100 }, (_, i) => `${t0 + i * 3600},${1 + i / 1000}`).join('\n')}\n`);
    const clean = await backtest({ prices: a, divideBy: b });
    expect(clean.summary.warnings).toEqual([]);
    expect(Object.keys(clean.summary.data.params ?? {})).toEqual(['numerator', 'numeratorSha256', 'denominator', 'denominatorSha256', 'droppedRows']);
  });
});

describe('a --from/--to window wider than the data (finding 3)', () => {
  it('behavior: the built-in 2024 series under --from 2023-01-01 --to 2026-01-01: where the data starts and ends, one line each', async () => {
    const r = await backtest({ from: '2023-01-01', to: '2026-01-01' });
    expect(r.summary.steps).toBe(8760);
    expect(r.summary.warnings).toEqual([
      'the data starts at 2024-01-01T00:00:00Z, 365 days after --from 2023-01-01T00:00:00Z: the run starts there',
      'the data ends at 2024-12-30T23:00:00Z, 367 days before --to 2026-01-01T23:59:59.999Z: the run ends there',
    ]);
  });

  it('behavior: a window inside the data, or off it by less than two steps, says nothing', async () => {
    expect((await backtest({ from: '2024-03-01', to: '2024-04-29' })).summary.warnings).toEqual([]);
    // the last row is 2024-12-30T23:00, 25 h before --to 2024-12-31's end: more than two steps, less than 1 % of the window
    expect((await backtest({ from: '2024-01-01', to: '2024-12-31' })).summary.warnings).toEqual([]);
  });

  it('error: a bare four-digit number is refused as ambiguous (a year or unix seconds), naming the flag and what to give', async () => {
    await expect(backtest({ from: '2024', to: '2025' })).rejects.toThrow('--from: 2024 is ambiguous: a year or 2024 unix seconds (1970-01-01T00:33:44Z)? give a date, e.g. 2024-01-01, or unix seconds with more digits');
    await expect(backtest({ to: '2025' })).rejects.toThrow('--to: 2025 is ambiguous: a year or 2025 unix seconds (1970-01-01T00:33:45Z)? give a date, e.g. 2025-12-31 (a bare date as --to is the whole day), or unix seconds with more digits');
  });
});

describe('rates given as fractions that read as 100 % a year or more (finding 4)', () => {
  it('behavior: 4 is 400 %, with the fraction meant; below 1 nothing; the %-taking flags name that form too', () => {
    expect(fractionRateWarning('--staking-apr', 4)).toBe('--staking-apr 4 is 400 % a year (the rate is a fraction); for 4 % give 0.04');
    expect(fractionRateWarning('--apr', 30, true)).toBe('--apr 30 is 3,000 % a year (the rate is a fraction); for 30 % give 0.3 or 30%');
    expect(fractionRateWarning('--apr', 1)).toBe('--apr 1 is 100 % a year (the rate is a fraction); for 1 % give 0.01');
    expect(fractionRateWarning('--staking-apr', -2)).toBe('--staking-apr -2 is -200 % a year (the rate is a fraction); for -2 % give -0.02');
    expect(fractionRateWarning('--staking-apr', 0.99)).toBeUndefined();
    expect(fractionRateWarning('--staking-apr', 0.04)).toBeUndefined();
  });
});

describe('an entry through a shallow or very-high-fee pool (finding 5)', () => {
  it('behavior: --pool-liquidity 1 moves the price ×20,000 at the entry: said, naming --pool-liquidity', async () => {
    const r = await backtest({ poolLiquidity: 1 });
    expect(r.summary.warnings).toEqual([
      expect.stringMatching(/^the entry cost 69\.\d\d \(0\.7 % of the capital\) and moved the pool price \+2,000,000 %: the pool is shallow for --capital 10000; raise --pool-liquidity \(now 1\)$/),
    ]);
  });

  it('behavior: --fee 0.9999 costs the whole capital at the entry: said, naming --fee as a fraction', async () => {
    const r = await backtest({ fee: 0.9999 });
    expect(r.summary.warnings).toEqual(['the entry cost 9,998.00 (99.98 % of the capital): --fee 0.9999 takes 99.99 % of every swap (a fraction: 0.003 = 0.30 %)']);
  });

  it('behavior: the default pool (entry cost 0.15 %, impact < 1 bp), and a 1 % fee tier full range, say nothing', async () => {
    const s = seriesOf([2000, 2010, 1990]);
    expect((await runBacktest(resolveBacktestConfig({}), s)).summary.warnings).toEqual([]);
    expect((await runBacktest(resolveBacktestConfig({ fee: 0.01 }), s)).summary.warnings).toEqual([]);
  });

  it('behavior: the thresholds: 1 % of the capital, a 5 % price move', () => {
    const c = { capital: 1000, fee: 0.003, poolLiquidity: undefined, poolLiquidityFile: undefined };
    expect(entryWarnings(c, { entryCost: 10, entryPriceImpact: 0.05 })).toEqual([]);
    expect(entryWarnings(c, { entryCost: 10.5, entryPriceImpact: 0 })).toEqual(['the entry cost 10.50 (1.05 % of the capital): --fee 0.003 takes 0.3 % of every swap (a fraction: 0.003 = 0.30 %)']);
    expect(entryWarnings({ ...c, poolLiquidityFile: 'liq.json' }, { entryCost: 1, entryPriceImpact: -0.06 })).toEqual([
      'the entry cost 1.00 (0.1 % of the capital) and moved the pool price -6 %: the pool (--pool-liquidity-file liq.json) is shallow for --capital 1000',
    ]);
    expect(entryWarnings({ ...c, poolLiquidity: 100_000 }, { entryCost: 12, entryPriceImpact: 0.2 })).toEqual([
      'the entry cost 12.00 (1.2 % of the capital) and moved the pool price +20 %: the pool is shallow for --capital 1000; raise --pool-liquidity (now 100000)',
    ]);
  });

  it('behavior: inputWarnings of a plain run is empty', () => {
    expect(inputWarnings(resolveBacktestConfig({}), seriesOf([1, 2, 3]), {}, { entryCost: 0, entryPriceImpact: 0 })).toEqual([]);
  });
});

describe('--gaps ffill and rows off the grid', () => {
  const H = 3_600_000;
  const t0 = Date.UTC(2024, 0, 1);
  const series = (times: number[]) => makeSeries(Float64Array.from(times), Float64Array.from(times.map(() => 2000)), new Map(), { kind: 'csv', file: 'x.csv', sha256: 'x', params: {} });
  it('behavior: steps off the most common step are said once, with the first of them and the flag that evens them', () => {
    const s = series([t0, t0 + H, t0 + 2 * H, t0 + 2 * H + 1_694_800, t0 + 3 * H + 1_694_800, t0 + 4 * H + 1_694_800]);
    expect(ffillWarnings({ gaps: 'ffill', resample: undefined }, s)).toEqual([
      '--gaps ffill fills whole missing steps of 1h only: 1 step is off that grid and kept as it is (the first 28m 14.8s, from 2024-01-01T02:00:00.000Z to 2024-01-01T02:28:14.800Z); --resample 1h --gaps ffill puts the rows on an even grid',
    ]);
  });
  it('behavior: nothing to say for an even series, or without --gaps ffill', () => {
    const even = series([t0, t0 + H, t0 + 2 * H, t0 + 3 * H]);
    expect(ffillWarnings({ gaps: 'ffill', resample: undefined }, even)).toEqual([]);
    const uneven = series([t0, t0 + H, t0 + 2 * H, t0 + 2 * H + 60_000]);
    expect(ffillWarnings({ gaps: 'skip', resample: undefined }, uneven)).toEqual([]);
    expect(ffillWarnings({ gaps: undefined, resample: undefined }, uneven)).toEqual([]);
  });
});
