import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { DateDay, DateMillisecond, Float16, Float64, Int64, makeData, makeVector, Table, tableToIPC, TimestampMicrosecond, TimestampMillisecond, TimestampNanosecond, TimestampSecond, Utf8, vectorFromArray, type DataType, type Vector } from 'apache-arrow';
import { loadArrowPrices } from './arrowPrices.ts';
import { writeTimeseriesArrow } from '../../reports/timeseriesFile.ts';
import { TIMESERIES_COLUMNS, type Timeseries, type TimeseriesColumn } from '../../sim/metrics/record.ts';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ammsim-arrow-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const T0 = 1704067200000; // 2024-01-01T00:00:00Z
const H = 3_600_000;

function writeTable(name: string, columns: Record<string, Vector>, format: 'file' | 'stream' = 'file'): string {
  const p = path.join(dir, name);
  writeFileSync(p, tableToIPC(new Table(columns), format));
  return p;
}

const f64 = (xs: (number | null)[]) => vectorFromArray(xs, new Float64());

describe('loadArrowPrices', () => {
  it('behavior: Timestamp[ms] + Float64 price; numeric extras sorted; text columns dropped; sha256 of the bytes', async () => {
    const p = writeTable('a.arrow', {
      timestamp: vectorFromArray([T0, T0 + H, T0 + 2 * H], new TimestampMillisecond()),
      price: f64([2000, 2001.5, 1999]),
      volume: f64([1, null, 3]),
      note: vectorFromArray(['a', 'b', 'c'], new Utf8()),
      amount: f64([7, 8, 9]),
    });
    const s = await loadArrowPrices(p);
    expect([...s.timestampMs]).toEqual([T0, T0 + H, T0 + 2 * H]);
    expect([...s.price]).toEqual([2000, 2001.5, 1999]);
    expect([...s.extra.keys()]).toEqual(['amount', 'volume']);
    expect([...s.extra.get('volume')!]).toEqual([1, Number.NaN, 3]);
    const { readFileSync } = await import('node:fs');
    expect(s.provenance.sha256).toBe(createHash('sha256').update(readFileSync(p)).digest('hex'));
    expect(s.provenance.kind).toBe('arrow');
  });

  it.each([
    ['Timestamp[s]', vectorFromArray([T0, T0 + H], new TimestampSecond())],
    ['Timestamp[us]', vectorFromArray([T0, T0 + H], new TimestampMicrosecond())],
    ['Int64 unix seconds', vectorFromArray([BigInt(T0 / 1000), BigInt((T0 + H) / 1000)], new Int64())],
    ['Float64 unix ms', f64([T0, T0 + H])],
    ['Utf8 "YYYY-MM-DD HH:MM"', vectorFromArray(['2024-01-01 00:00', '2024-01-01 01:00'], new Utf8())],
  ])('behavior: timestamp column as %s', async (_what, ts) => {
    const p = writeTable('t.feather', { time: ts, close: f64([1, 2]) });
    const s = await loadArrowPrices(p);
    expect([...s.timestampMs]).toEqual([T0, T0 + H]);
    expect([...s.price]).toEqual([1, 2]);
  });

  it('behavior: Date[day] timestamps and the IPC stream format', async () => {
    const p = writeTable('d.arrow', { date: vectorFromArray([new Date(T0), new Date(T0 + 86_400_000)], new DateDay()), price: f64([1, 2]) }, 'stream');
    const s = await loadArrowPrices(p);
    expect([...s.timestampMs]).toEqual([T0, T0 + 86_400_000]);
  });

  it('behavior: a timeseries.arrow written by ammsim loads as a price series', async () => {
    const ts = {} as Record<TimeseriesColumn, Float64Array>;
    for (const c of TIMESERIES_COLUMNS) ts[c] = new Float64Array([c === 'timestamp' ? T0 : 5, c === 'timestamp' ? T0 + H : 6]);
    const p = path.join(dir, 'timeseries.arrow');
    writeFileSync(p, writeTimeseriesArrow(ts as Timeseries));
    const s = await loadArrowPrices(p);
    expect([...s.price]).toEqual([5, 6]);
    expect(s.extra.size).toBe(TIMESERIES_COLUMNS.length - 2);
  });

  const ts3 = () => vectorFromArray([T0, T0 + H, T0 + 2 * H], new TimestampMillisecond());
  it.each([
    ['negative price', () => ({ timestamp: ts3(), price: f64([1, 2, -3]) }), 'row 3: price: must be a finite number > 0; was -3'],
    ['null price', () => ({ timestamp: ts3(), price: f64([1, null, 3]) }), 'row 2: price: must be a finite number > 0; was null'],
    ['NaN price', () => ({ timestamp: ts3(), price: f64([Number.NaN, 1, 3]) }), 'row 1: price: must be a finite number > 0; was NaN'],
    ['Infinity price', () => ({ timestamp: ts3(), price: f64([1, Infinity, 3]) }), 'row 2: price: must be a finite number > 0; was Infinity'],
    ['unsorted', () => ({ timestamp: vectorFromArray([T0, T0 + 2 * H, T0 + H], new TimestampMillisecond()), price: f64([1, 2, 3]) }),
      'row 3: timestamp: must be strictly increasing; was 2024-01-01T01:00:00.000Z, earlier than row 2 (2024-01-01T02:00:00.000Z)'],
    ['duplicate', () => ({ timestamp: vectorFromArray([T0, T0, T0 + H], new TimestampMillisecond()), price: f64([1, 2, 3]) }),
      'row 2: timestamp: must be strictly increasing; was 2024-01-01T00:00:00.000Z, the same time as row 1'],
    ['bad ISO text', () => ({ timestamp: vectorFromArray(['2024-01-01', 'soon', '2024-01-03'], new Utf8()), price: f64([1, 2, 3]) }),
      'row 2: timestamp: must be an ISO-8601 date-time (UTC unless it has a zone); was "soon"'],
    ['missing price column', () => ({ timestamp: ts3(), open: f64([1, 2, 3]) }), 'price: must have a price column ("price", or "close"); columns: timestamp, open'],
    ['missing timestamp column', () => ({ when: ts3(), price: f64([1, 2, 3]) }), 'timestamp: must have a timestamp column ("timestamp", "time", "date" or "datetime"); columns: when, price'],
    ['text price column', () => ({ timestamp: ts3(), price: vectorFromArray(['1', '2', '3'], new Utf8()) }), 'price: must be a numeric column; was Utf8'],
  ])('error: %s', async (_what, cols, problem) => {
    const p = writeTable('prices.arrow', cols());
    const err = await loadArrowPrices(p).catch((e: unknown) => e);
    expect((err as Error).name).toBe('InputError');
    expect((err as Error).message).toBe(`${p}: ${problem}`);
  });

  it('behavior: Float16 price and extra columns are read as their values, not as the 16-bit patterns that store them', async () => {
    const p = writeTable('half.arrow', {
      timestamp: vectorFromArray([T0, T0 + H, T0 + 2 * H], new TimestampMillisecond()),
      price: vectorFromArray([1, 2.5, 2048], new Float16()),
      volume: vectorFromArray([0.5, null, 3], new Float16()),
    });
    const s = await loadArrowPrices(p);
    expect([...s.price]).toEqual([1, 2.5, 2048]);
    expect([...s.extra.get('volume')!]).toEqual([0.5, Number.NaN, 3]);
  });

  // a 64-bit time column as its stored integers (vectorFromArray goes through a double, which is what is tested here)
  const int64Times = (type: DataType, raw: bigint[]) => makeVector(makeData({ type, length: raw.length, data: new BigInt64Array(raw) } as never)) as Vector;
  const MS = 1000;

  it('behavior: Timestamp[ns] (pandas\' default) read exactly, not 1 ms early: 2024-01-01T00:00:00.000 / .001 / .002', async () => {
    const ns = BigInt(T0) * 1_000_000n;
    const p = writeTable('ns.feather', { timestamp: int64Times(new TimestampNanosecond(), [ns, ns + 1_000_000n, ns + 2_000_000n]), price: f64([1, 2, 3]) });
    const s = await loadArrowPrices(p);
    expect([...s.timestampMs]).toEqual([T0, T0 + 1, T0 + 2]);
    expect(s.provenance.params?.['timestampFormat']).toBe('arrow-timestamp-nanosecond');
  });

  it.each([
    ['Timestamp[ns]', () => new TimestampNanosecond(), 1_000_000n],
    ['Timestamp[us]', () => new TimestampMicrosecond(), 1000n],
    ['Timestamp[ms]', () => new TimestampMillisecond(), 1n],
    ['Date[ms]', () => new DateMillisecond(), 1n],
  ])('behavior: %s: every millisecond of a second read exactly, sub-ms parts floored (also before 1970)', async (_what, type, perMs) => {
    const ms = Array.from({ length: MS }, (_, i) => T0 + i);
    const p = writeTable('units.arrow', { timestamp: int64Times(type(), ms.map((t) => BigInt(t) * perMs)), price: f64(ms.map(() => 1)) });
    expect([...(await loadArrowPrices(p)).timestampMs]).toEqual(ms);
    if (perMs === 1n) return;
    // floored toward −∞: 0.999… ms after T0 is T0; 1 unit before 1970 is -1 ms
    const q = writeTable('floor.arrow', { timestamp: int64Times(type(), [-1n, BigInt(T0) * perMs + perMs - 1n]), price: f64([1, 2]) });
    expect([...(await loadArrowPrices(q)).timestampMs]).toEqual([-1, T0]);
  });

  it('behavior: Timestamp[s] at the limits of the ms range a double holds exactly', async () => {
    const p = writeTable('s.arrow', { timestamp: int64Times(new TimestampSecond(), [-1n, 0n, BigInt(T0 / 1000), 8_000_000_000_000n]), price: f64([1, 2, 3, 4]) });
    expect([...(await loadArrowPrices(p)).timestampMs]).toEqual([-1000, 0, T0, 8e15]);
  });

  it('error: empty table, non-Arrow bytes, missing file', async () => {
    const p = writeTable('empty.arrow', { timestamp: vectorFromArray([], new TimestampMillisecond()), price: f64([]) });
    await expect(loadArrowPrices(p)).rejects.toThrow(`${p}: rows: must have at least one data row; found none`);
    const q = path.join(dir, 'text.arrow');
    writeFileSync(q, 'timestamp,price\n1,2\n');
    await expect(loadArrowPrices(q)).rejects.toThrow(`${q}: must be an Arrow IPC file (.arrow or Feather v2); could not be read:`);
    await expect(loadArrowPrices(path.join(dir, 'none.arrow'))).rejects.toThrow(`${path.join(dir, 'none.arrow')}: must be a readable file; no such file (ENOENT)`);
  });
});
