import { describe, expect, it } from 'vitest';
import { parseTimestampArg } from './timeArg.ts';

describe('parseTimestampArg', () => {
  it('behavior: unix seconds, an ISO time (UTC when no zone), a bare date as --to is the whole day', () => {
    expect(parseTimestampArg('--from', '1704412800')).toBe(1_704_412_800);
    expect(parseTimestampArg('--from', '2024-01-05 12:00')).toBe(1_704_456_000);
    expect(parseTimestampArg('--to', '2024-01-05')).toBe(1_704_412_800 + 86_399);
    expect(parseTimestampArg('--to', '99999999999')).toBe(99_999_999_999); // the last second below the limit (the year 5138)
  });

  it('error: unix milliseconds are refused with a hint naming the flag, not read as seconds (the year 53970)', () => {
    expect(() => parseTimestampArg('--to', '1640995200000')).toThrow('--to: 1640995200000 reads as a time after the year 5000: milliseconds? (1640995200 in seconds)');
    expect(() => parseTimestampArg('--from', '1704412800000')).toThrow('--from: 1704412800000 reads as a time after the year 5000: milliseconds? (1704412800 in seconds)');
  });

  it('error: text that is no time', () => {
    expect(() => parseTimestampArg('--from', 'soon')).toThrow('--from: must be an ISO-8601 time (2024-01-05 12:00, UTC when no zone) or unix seconds; was "soon"');
  });
});
