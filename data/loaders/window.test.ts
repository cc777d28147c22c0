import { describe, expect, it } from 'vitest';
import { makeSeries } from '../../sim/core/series.ts';
import { windowBoundMs, windowCoverageWarnings, windowSeries } from './window.ts';
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

describe('windowCoverageWarnings (a window wider than the data)', () => {
  const H = 3_600_000;
  const hourly = (n: number, start: number) => makeSeries(Float64Array.from({ length: n }, (_, i) => start + i * H), Float64Array.from({ length: n }, () => 1), new Map(), { kind: 'csv', file: 'x.csv', sha256: 'abc' });
  const T = Date.UTC(2024, 0, 1);

  it('behavior: the data starting or ending inside the window by more than two steps and 1 % of it: one line each, the window as read', () => {
    const w = windowSeries(hourly(24 * 30, T), T - 10 * 24 * H, T + 40 * 24 * H);
    expect(windowCoverageWarnings(w)).toEqual([
      'the data starts at 2024-01-01T00:00:00Z, 10 days after --from 2023-12-22T00:00:00Z: the run starts there',
      'the data ends at 2024-01-30T23:00:00Z, 10 days before --to 2024-02-10T00:00:00Z: the run ends there',
    ]);
  });

  it('behavior: inside the data, two steps short, or under 1 % of the window: nothing; no window: nothing', () => {
    const s = hourly(24 * 30, T);
    expect(windowCoverageWarnings(windowSeries(s, T + H, T + 10 * H))).toEqual([]);
    expect(windowCoverageWarnings(windowSeries(s, T - 2 * H, undefined))).toEqual([]);
    // 5 hours short of a 30-day window: more than two steps, under 1 % of it (7.2 h)
    expect(windowCoverageWarnings(windowSeries(s, T - 5 * H, undefined))).toEqual([]);
    expect(windowCoverageWarnings(windowSeries(s, T - 8 * H, undefined))).toEqual(['the data starts at 2024-01-01T00:00:00Z, 8 hours after --from 2023-12-31T16:00:00Z: the run starts there']);
    expect(windowCoverageWarnings(s)).toEqual([]);
  });
});

describe('windowBoundMs: a bare year', () => {
  it('error: a four-digit number is refused as ambiguous, with the date to give for each bound; longer numbers are unix seconds', () => {
    expect(() => windowBoundMs('2024', 'from')).toThrow(new ConfigError('--from', '2024 is ambiguous: a year or 2024 unix seconds (1970-01-01T00:33:44Z)? give a date, e.g. 2024-01-01, or unix seconds with more digits'));
    expect(() => windowBoundMs(2025, 'to')).toThrow('--to: 2025 is ambiguous: a year or 2025 unix seconds (1970-01-01T00:33:45Z)? give a date, e.g. 2025-12-31 (a bare date as --to is the whole day), or unix seconds with more digits');
    expect(windowBoundMs('20240', 'from')).toBe(20_240_000);
    expect(windowBoundMs('0', 'from')).toBe(0);
  });
});
