import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { daysFromCivil, ISO_DECLINED, isoBytesToMs, parseDecimal, parseIsoUtcMs, unixToMs, unixUnitOf } from './timestamps.ts';

const FC_SEED = 7;

describe('parseIsoUtcMs', () => {
  // Expected epoch values: 1704067200 s = 2024-01-01T00:00:00Z (e.g. `date -u -d 2024-01-01 +%s`).
  it.each([
    ['2024-01-01', 1704067200000],
    ['2024-01-01 00:00', 1704067200000],
    ['2024-01-01T00:00', 1704067200000],
    ['2024-01-01 01:02:03', 1704067200000 + 3723000],
    ['2024-01-01T01:02:03Z', 1704067200000 + 3723000],
    ['2024-01-01T01:02:03.5Z', 1704067200000 + 3723500],
    ['2024-01-01T01:02:03.123456789Z', 1704067200000 + 3723123],
    ['2024-01-01T01:00:00+01:00', 1704067200000],
    ['2024-01-01T01:00:00+0100', 1704067200000],
    ['2024-01-01T01:00:00+01', 1704067200000],
    ['2023-12-31T23:00:00-01:00', 1704067200000],
    ['2024-01-01 00:00:00+00:00', 1704067200000], // pandas' to_csv of a tz-aware index
    ['2024-01-01 00:00:00 UTC', 1704067200000],
    ['2024-02-29', 1709164800000], // leap day
    ['1969-12-31T23:59:59Z', -1000],
  ])('behavior: %s is %d ms', (text, ms) => {
    expect(parseIsoUtcMs(text)).toBe(ms);
  });

  it.each(['', '2024', '2024-1-01', '2024-13-01', '2023-02-29', '2024-04-31', '2024-01-01 24:00', '2024-01-01 10:60', '2024-01-01T10:00:61',
    '2024-01-01X', '2024-01-01T10', '2024-01-01T10:00:00.', '2024-01-01T10:00:00+1', '2024-01-01T10:00:00 PST', '01/02/2024', ' 2024-01-01', '0099-01-01'])(
    'error: %j is not a date-time (NaN)',
    (text) => {
      expect(parseIsoUtcMs(text)).toBeNaN();
    },
  );

  it('behavior: inverse of Date#toISOString and of the "YYYY-MM-DD HH:MM:SS" form (property, 500 runs)', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1000, 0, 1), max: Date.UTC(9999, 11, 31) }), (ms) => {
        const iso = new Date(ms).toISOString();
        expect(parseIsoUtcMs(iso)).toBe(ms);
        const plain = iso.slice(0, 10) + ' ' + iso.slice(11, 19);
        expect(parseIsoUtcMs(plain)).toBe(Math.floor(ms / 1000) * 1000);
      }),
      { numRuns: 500, seed: FC_SEED },
    );
  });
});

describe('unix unit rule', () => {
  it('behavior: below 1e11 is seconds, below 1e14 milliseconds, else refused', () => {
    expect(unixUnitOf(1704067200)).toBe('s');
    expect(unixUnitOf(99_999_999_999)).toBe('s');
    expect(unixUnitOf(1e11)).toBe('ms');
    expect(unixUnitOf(1704067200000)).toBe('ms');
    expect(unixUnitOf(1704067200000000)).toBeUndefined();
    expect(unixToMs(1704067200.5, 's')).toBe(1704067200500);
    expect(unixToMs(1704067200000, 'ms')).toBe(1704067200000);
  });
});

describe('parseDecimal', () => {
  it('behavior: plain decimals only', () => {
    expect(parseDecimal('12')).toBe(12);
    expect(parseDecimal('-1.5')).toBe(-1.5);
    expect(parseDecimal('.5')).toBe(0.5);
    expect(parseDecimal('1.')).toBe(1);
    expect(parseDecimal('1e-3')).toBe(0.001);
    expect(parseDecimal('+7')).toBe(7);
    for (const bad of ['', ' 1', '1 ', 'abc', 'Infinity', '-Infinity', 'NaN', '0x10', '0b1', '0o7', '1e', '1,5', '--1']) expect(parseDecimal(bad)).toBeNaN();
  });

  it('behavior: String(x) of any finite double parses back to x (property, 500 runs)', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        expect(parseDecimal(String(x))).toBe(x === 0 ? 0 : x); // String(-0) is "0"
      }),
      { numRuns: 500, seed: FC_SEED },
    );
  });
});

describe('daysFromCivil', () => {
  it('property: equals Date.UTC for every date of the years 1000-9999 tried (leap days and month ends included)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1000, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }), (y, m, d) => {
        const dim = new Date(Date.UTC(y, m, 0)).getUTCDate();
        const day = Math.min(d, dim);
        expect(daysFromCivil(y, m, day) * 86_400_000).toBe(Date.UTC(y, m - 1, day));
      }),
      { numRuns: 2000, seed: FC_SEED },
    );
    expect(daysFromCivil(1970, 1, 1)).toBe(0);
    expect(daysFromCivil(2000, 2, 29)).toBe(11_016);
    expect(daysFromCivil(1000, 1, 1)).toBe(-354_285);
  });
});

describe('isoBytesToMs', () => {
  it('property: on any text, it declines or gives exactly what parseIsoUtcMs gives (a time or NaN)', () => {
    const two = (max: number) => fc.integer({ min: 0, max }).map((v) => String(v).padStart(2, '0'));
    const text = fc.tuple(
      fc.oneof(fc.integer({ min: 990, max: 2401 }).map((y) => String(y).padStart(4, '0')), fc.constantFrom('20x4', '202')),
      fc.constantFrom('-', '-', '-', '/'),
      two(13),
      fc.constantFrom('-', '-', '.'),
      two(32),
      fc.constantFrom('T', 't', ' ', ' ', '_', ''),
      two(25),
      fc.constantFrom(':', ':', ''),
      two(61),
      fc.constantFrom('', ':00', ':59', ':60', ':5', `:${'07'}`),
      fc.constantFrom('', '', '.', '.5', '.123', '.123456789', '.1234567890', '.x'),
      fc.constantFrom('', '', 'Z', 'z', ' Z', '+01:00', 'UTC', ' UTC', 'é'),
    ).map((parts) => parts.join(''));
    let answered = 0;
    let valid = 0;
    fc.assert(
      fc.property(text, (s) => {
        const b = Buffer.from(s, 'utf8');
        const fast = isoBytesToMs(b, 0, b.length);
        if (!Number.isNaN(parseIsoUtcMs(s))) valid++;
        if (fast === ISO_DECLINED) return;
        answered++;
        expect(Object.is(fast, parseIsoUtcMs(s)), s).toBe(true);
      }),
      { numRuns: 20_000, seed: FC_SEED },
    );
    // the comparison ran on many texts read from the bytes (valid ones; zones other than Z are left to parseIsoUtcMs)
    expect(answered).toBeGreaterThan(100);
    expect(valid).toBeGreaterThan(answered);

  });
  it('behavior: reads the shapes data files use (minute bars with and without milliseconds and Z)', () => {
    for (const s of ['2022-07-19 00:00:00', '2024-01-01T00:01:00.000Z', '2024-02-29T23:59:59.999z', '2024-01-01T10:30', '1999-12-31 23:59:59.123456789']) {
      const b = Buffer.from(s);
      expect(isoBytesToMs(b, 0, b.length), s).toBe(parseIsoUtcMs(s));
    }
    for (const s of ['2023-02-29 00:00:00', '2024-01-01 24:00:00', '2024-01-01T00:00:00+01:00', '2024-01-01 UTC', '2024-01-01']) {
      const b = Buffer.from(s);
      expect(isoBytesToMs(b, 0, b.length), s).toBe(ISO_DECLINED);
    }
  });
});
