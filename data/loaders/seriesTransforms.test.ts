import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { makeSeries, type PriceSeries } from '../../sim/core/series.ts';
import { applyGapPolicy, derivePair, formatDuration, inferIntervalMs, parseInterval, resampleSeries } from './seriesTransforms.ts';

const T0 = Date.UTC(2024, 0, 1);
const M = 60_000;
const H = 3_600_000;

function series(ts: number[], price: number[], extra: Record<string, number[]> = {}, file = 'p.csv'): PriceSeries {
  const m = new Map<string, Float64Array>();
  for (const k of Object.keys(extra).sort()) m.set(k, Float64Array.from(extra[k]!));
  return makeSeries(Float64Array.from(ts), Float64Array.from(price), m, { kind: 'csv', file, sha256: 'x' });
}

describe('formatDuration / parseInterval', () => {
  it('behavior: formats and parses durations', () => {
    expect(formatDuration(H)).toBe('1h');
    expect(formatDuration(90_061_500)).toBe('1d 1h 1m 1.5s');
    expect(formatDuration(32 * H + 28 * M + 14_800)).toBe('1d 8h 28m 14.8s');
    expect(formatDuration(0)).toBe('0s');
    expect(parseInterval('1m')).toBe(M);
    expect(parseInterval('4h')).toBe(4 * H);
    expect(parseInterval('1d')).toBe(24 * H);
    expect(() => parseInterval('1 hour')).toThrowErrorMatchingInlineSnapshot(`[ConfigError: --resample: must be an interval like 1m, 5m, 1h, 4h, 1d (units ms, s, m, h, d, w); was "1 hour"]`);
    expect(() => parseInterval('0h')).toThrow('--resample: must be an interval');
  });
});

describe('applyGapPolicy', () => {
  const gappy = () => series([T0, T0 + H, T0 + 4 * H, T0 + 5 * H], [10, 11, 14, 15], { volume: [1, 2, 3, 4], high: [10.5, 11.5, 14.5, 15.5], funding: [7, 8, 9, 10] });

  it('behavior: infers the most common step', () => {
    expect(inferIntervalMs(gappy())).toBe(H);
    expect(inferIntervalMs(series([T0, T0 + H, T0 + 2 * H], [1, 2, 3], {}))).toBe(H);
    expect(inferIntervalMs(series([T0, T0 + 2 * H, T0 + 3 * H, T0 + 5 * H], [1, 2, 3, 4], {}))).toBe(2 * H); // steps 2h, 1h, 2h
    expect(inferIntervalMs(series([T0], [1], {}))).toBeUndefined();
  });

  it('error: names the gap start, end and length', () => {
    expect(() => applyGapPolicy(gappy(), 'error')).toThrowErrorMatchingInlineSnapshot(
      `[InputError: p.csv: timestamp: rows must be evenly spaced every 1h (the series' most common step; --gaps skip accepts gaps, --gaps ffill fills them); was a step of 3h from 2024-01-01T01:00:00.000Z to 2024-01-01T04:00:00.000Z, 2 missing rows]`,
    );
  });

  it('behavior: skip returns the series unchanged; no gap means unchanged under every policy', () => {
    const s = gappy();
    expect(applyGapPolicy(s, 'skip')).toBe(s);
    const even = series([T0, T0 + H], [1, 2]);
    expect(applyGapPolicy(even, 'error')).toBe(even);
    expect(applyGapPolicy(even, 'ffill')).toBe(even);
  });

  it('behavior: ffill inserts rows every interval: price carried, OHLC flat at the carried price, volume 0, others carried', () => {
    const s = applyGapPolicy(gappy(), 'ffill');
    expect([...s.timestampMs]).toEqual([0, 1, 2, 3, 4, 5].map((k) => T0 + k * H));
    expect([...s.price]).toEqual([10, 11, 11, 11, 14, 15]);
    expect([...s.extra.get('volume')!]).toEqual([1, 2, 0, 0, 3, 4]);
    expect([...s.extra.get('high')!]).toEqual([10.5, 11.5, 11, 11, 14.5, 15.5]);
    expect([...s.extra.get('funding')!]).toEqual([7, 8, 8, 8, 9, 10]);
    expect(s.provenance.rows).toBe(6);
    expect(s.provenance.params?.['filledRows']).toBe(2);
  });

  it('behavior: after ffill, the error policy passes for on-grid series (property, 100 runs)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 30 }), (steps) => {
        const ts = [T0];
        for (const k of steps) ts.push(ts[ts.length - 1]! + k * M);
        const s = series(ts, ts.map((_, i) => i + 1));
        const f = applyGapPolicy(s, 'ffill', { intervalMs: M });
        expect(f.length).toBe((ts[ts.length - 1]! - T0) / M + 1);
        expect(applyGapPolicy(f, 'error', { intervalMs: M })).toBe(f);
      }),
      { numRuns: 100, seed: 3 },
    );
  });
});

describe('resampleSeries', () => {
  it('behavior: 1m → 1h OHLC-aware (open first, high max, low min, close last, volume summed), labelled by hour start', () => {
    const ts = [0, 1, 59, 60, 61].map((k) => T0 + k * M);
    const s = series(ts, [10, 12, 9, 20, 21], { volume: [1, 2, 3, 4, 5], liquidity: [100, 101, 102, 103, 104] });
    const r = resampleSeries(s, H);
    expect([...r.timestampMs]).toEqual([T0, T0 + H]);
    expect([...r.price]).toEqual([9, 21]);
    expect([...r.extra.keys()]).toEqual(['high', 'liquidity', 'low', 'open', 'volume']);
    expect([...r.extra.get('open')!]).toEqual([10, 20]);
    expect([...r.extra.get('high')!]).toEqual([12, 21]);
    expect([...r.extra.get('low')!]).toEqual([9, 20]);
    expect([...r.extra.get('volume')!]).toEqual([6, 9]);
    expect([...r.extra.get('liquidity')!]).toEqual([102, 104]);
  });

  it('error: buckets shorter than every step between rows are refused (nothing would be aggregated); the step itself is a no-op', () => {
    const hourly = series([T0, T0 + H, T0 + 2 * H], [1, 2, 3], {});
    expect(() => resampleSeries(hourly, M)).toThrow(/^--resample: 1m is finer than every step between the series' rows \(the shortest: 1h in p\.csv\): resampling only aggregates rows/);
    expect([...resampleSeries(hourly, H).price]).toEqual([1, 2, 3]);
  });

  it('behavior: tick columns follow their open/high/low prefix; amount columns are summed; in ffill amounts are 0', () => {
    const s = series([T0, T0 + M, T0 + 3 * M], [1, 2, 3], { openTick: [5, 6, 7], highestTick: [9, 8, 7], lowestTick: [1, 0, 2], inAmount0: [10, 20, 30], closeTick: [4, 5, 6] });
    const r = resampleSeries(s, H);
    expect(r.extra.get('openTick')![0]).toBe(5);
    expect(r.extra.get('highestTick')![0]).toBe(9);
    expect(r.extra.get('lowestTick')![0]).toBe(0);
    expect(r.extra.get('inAmount0')![0]).toBe(60);
    expect(r.extra.get('closeTick')![0]).toBe(6);
    const f = applyGapPolicy(s, 'ffill', { intervalMs: M });
    expect([...f.extra.get('inAmount0')!]).toEqual([10, 20, 0, 30]);
    expect([...f.extra.get('openTick')!]).toEqual([5, 6, 6, 7]);
  });

  it('behavior: existing OHLC columns are aggregated, not replaced by price', () => {
    const s = series([T0, T0 + H], [5, 6], { open: [4, 5.5], high: [7, 8], low: [3, 2] });
    const r = resampleSeries(s, 24 * H);
    expect([...r.price]).toEqual([6]);
    expect(r.extra.get('open')![0]).toBe(4);
    expect(r.extra.get('high')![0]).toBe(8);
    expect(r.extra.get('low')![0]).toBe(2);
  });

  it('behavior: volume is conserved and prices are a subset of the input (property, 100 runs)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1, max: 1000 })), { minLength: 1, maxLength: 100 }), fc.constantFrom(M, 15 * M, H), (rows, iv) => {
        let t = T0;
        const ts: number[] = [];
        for (const [dt] of rows) ts.push((t += dt * 1000));
        const s = series(ts, rows.map((r) => r[1]), { volume: rows.map((r) => r[1] / 8) });
        // buckets shorter than every step aggregate nothing, and are refused
        if (rows.length > 1 && rows.slice(1).every(([dt]) => dt * 1000 > iv)) return void expect(() => resampleSeries(s, iv)).toThrow(/^--resample: /);
        const r = resampleSeries(s, iv);
        const sum = (a: Float64Array | number[]) => [...a].reduce((x, y) => x + y, 0);
        expect(sum(r.extra.get('volume')!)).toBeCloseTo(sum(rows.map((x) => x[1] / 8)), 9);
        for (let i = 1; i < r.length; i++) expect(r.timestampMs[i]! - r.timestampMs[i - 1]!).toBeGreaterThan(0);
        for (const p of r.price) expect(rows.some((x) => x[1] === p)).toBe(true);
      }),
      { numRuns: 100, seed: 4 },
    );
  });
});

describe('derivePair', () => {
  it('behavior: BTC/ETH = BTC/USD ÷ ETH/USD on matching timestamps only', () => {
    const btc = series([T0, T0 + H, T0 + 2 * H], [40_000, 42_000, 44_000], { volume: [1, 1, 1] }, 'btc.csv');
    const eth = series([T0 + H, T0 + 2 * H, T0 + 3 * H], [2_100, 2_200, 2_300], {}, 'eth.csv');
    const d = derivePair(btc, eth);
    expect([...d.timestampMs]).toEqual([T0 + H, T0 + 2 * H]);
    expect([...d.price]).toEqual([20, 20]);
    expect(d.extra.size).toBe(0);
    expect(d.provenance.kind).toBe('derived');
    expect(d.provenance.params?.['droppedRows']).toBe(2);
  });

  it('error: no common timestamp', () => {
    const a = series([T0], [1], {}, 'a.csv');
    const b = series([T0 + H], [1], {}, 'b.csv');
    expect(() => derivePair(a, b)).toThrowErrorMatchingInlineSnapshot(
      `[InputError: b.csv: timestamp: must share at least one timestamp with a.csv to derive a pair; none match (2024-01-01T00:00:00.000Z… vs 2024-01-01T01:00:00.000Z…)]`,
    );
  });
});
