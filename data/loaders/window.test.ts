import { describe, expect, it } from 'vitest';
import { makeSeries } from '../../sim/core/series.ts';
import { windowSeries } from './window.ts';

const s = makeSeries(Float64Array.of(1000, 2000, 3000, 4000, 5000), Float64Array.of(1, 2, 3, 4, 5), new Map([['volume', Float64Array.of(10, 20, 30, 40, 50)]]), { kind: 'csv', file: 'x.csv', sha256: 'abc' });

describe('windowSeries', () => {
  it('behavior: keeps rows with from ≤ t ≤ to, extras too, and records the window', () => {
    const w = windowSeries(s, 2000, 4500);
    expect([...w.price]).toEqual([2, 3, 4]);
    expect([...w.extra.get('volume')!]).toEqual([20, 30, 40]);
    expect(w.provenance).toMatchObject({ kind: 'csv', file: 'x.csv', sha256: 'abc', rows: 3, firstTimestampMs: 2000, lastTimestampMs: 4000, params: { from: '1970-01-01T00:00:02.000Z', to: '1970-01-01T00:00:04.500Z' } });
    expect(windowSeries(s, undefined, undefined)).toBe(s);
    expect([...windowSeries(s, undefined, 2000).price]).toEqual([1, 2]);
  });
  it('error: fewer than two rows', () => {
    expect(() => windowSeries(s, 4500, undefined)).toThrow('--from: the window keeps 1 row(s) of the series (1970-01-01T00:00:01.000Z … 1970-01-01T00:00:05.000Z); it needs at least 2');
  });
});
