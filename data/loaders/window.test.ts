import { describe, expect, it } from 'vitest';
import { makeSeries } from '../../sim/core/series.ts';
import { windowBoundMs, windowSeries } from './window.ts';
import { ConfigError } from '../../sim/core/errors.ts';

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

describe('windowBoundMs', () => {
  it('behavior: a date (the whole day for --to), a time, unix seconds', () => {
    expect(windowBoundMs('2024-02-29', 'from')).toBe(Date.UTC(2024, 1, 29));
    expect(windowBoundMs('2024-02-29', 'to')).toBe(Date.UTC(2024, 2, 1) - 1);
    expect(windowBoundMs('2024-02-29T12:00:00Z', 'from')).toBe(Date.UTC(2024, 1, 29, 12));
    expect(windowBoundMs('1700000000', 'from')).toBe(1_700_000_000_000);
  });

  it('error: a day the month does not have is refused, not rolled over (Date.parse reads 2023-02-30 as 2023-03-02)', () => {
    expect(() => windowBoundMs('2023-02-30', 'from')).toThrow('--from: must be a real date; 2023-02-30 has no day 30');
    expect(() => windowBoundMs('2023-02-29T10:00:00Z', 'to')).toThrow('--to: must be a real date; 2023-02-29 has no day 29');
    expect(() => windowBoundMs('2023-04-31', 'to')).toThrow('--to: must be a real date; 2023-04-31 has no day 31');
  });

  it('error: unix milliseconds are refused with a hint naming the flag, not read as seconds (the year 53970)', () => {
    expect(() => windowBoundMs('1640995200000', 'to')).toThrow(new ConfigError('--to', '1640995200000 reads as a time after the year 5000: milliseconds? (1640995200 in seconds)'));
    expect(() => windowBoundMs(1640995200000, 'from')).toThrow('--from: 1640995200000 reads as a time after the year 5000: milliseconds? (1640995200 in seconds)');
    expect(() => windowBoundMs('1640995200123.5', 'from')).toThrow('--from: 1640995200123.5 reads as a time after the year 5000: milliseconds? (1640995200 in seconds)');
    expect(windowBoundMs('99999999999', 'to')).toBe(99_999_999_999_000); // the last second below the limit (the year 5138)
  });
});
