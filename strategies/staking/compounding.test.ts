import { describe, expect, it } from 'vitest';
import { InputError } from '../../sim/core/errors.ts';
import { parseAprCsv } from '../../data/loaders/stakingSeries.ts';
import { stakingGrowth, MS_PER_DAY } from './compounding.ts';

const H = 3_600_000;
const T0 = Date.UTC(2021, 0, 1);

/** Hourly timestamps from T0 for `hours` hours (inclusive of both ends). */
function hourly(hours: number): Float64Array {
  return Float64Array.from({ length: hours + 1 }, (_, i) => T0 + i * H);
}

describe('stakingGrowth with a fixed APR', () => {
  const ts = hourly(24 * 3 + 12); // 3.5 days
  it('behavior: daily credits only at whole days (hand-computed)', () => {
    const g = stakingGrowth({ kind: 'fixed', apr: 0.365 }, 'daily', 1, ts, Infinity).growth;
    expect(g[23]).toBe(1); // 23 h: no credit yet
    expect(g[24]).toBeCloseTo(1.001, 15); // one credit of 0.365/365 = 0.001
    expect(g[47]).toBeCloseTo(1.001, 15);
    expect(g[ts.length - 1]).toBeCloseTo(1.001 ** 3, 15); // the trailing half day earns nothing
  });
  it('behavior: none is linear simple interest, continuous is exp', () => {
    const none = stakingGrowth({ kind: 'fixed', apr: 0.365 }, 'none', 1, ts, Infinity).growth;
    const cont = stakingGrowth({ kind: 'fixed', apr: 0.365 }, 'continuous', 1, ts, Infinity).growth;
    expect(none[ts.length - 1]).toBeCloseTo(1 + 0.0035, 14); // 3.5 days × 0.001 a day
    expect(cont[ts.length - 1]).toBeCloseTo(Math.exp(0.0035), 14);
    expect(none[12]).toBeCloseTo(1.0005, 14);
  });
  it('behavior: accrual stops at accrualEndMs', () => {
    const g = stakingGrowth({ kind: 'fixed', apr: 0.365 }, 'none', 1, ts, T0 + 2 * MS_PER_DAY).growth;
    expect(g[ts.length - 1]).toBeCloseTo(1.002, 14);
    expect(g[48]).toBeCloseTo(1.002, 14);
  });
});

describe('stakingGrowth with an APR series', () => {
  // 10 % from T0, 20 % from day 1.25 (mid-day), 30 % from day 3.
  const series = parseAprCsv(`timestamp,apr\n${T0 / 1000},0.1\n${(T0 + 1.25 * MS_PER_DAY) / 1000},0.2\n${(T0 + 3 * MS_PER_DAY) / 1000},0.3\n`, 's.csv');
  const ts = hourly(24 * 4 + 6); // 4.25 days
  it('behavior: daily is the product of daily factors, each at the APR in force at the day start', () => {
    const g = stakingGrowth({ kind: 'series', series }, 'daily', 1, ts, Infinity).growth;
    // day 1 starts T0 (10 %), day 2 starts T0+1d (still 10 %), day 3 starts T0+2d (20 %), day 4 starts T0+3d (30 %)
    const expected = (1 + 0.1 / 365) * (1 + 0.1 / 365) * (1 + 0.2 / 365) * (1 + 0.3 / 365);
    expect(g[ts.length - 1]! / expected - 1).toBeCloseTo(0, 14);
  });
  it('behavior: continuous integrates the step function exactly; none is linear in the integral', () => {
    const integral = (0.1 * 1.25 + 0.2 * 1.75 + 0.3 * 1.25) / 365; // APR·years over 4.25 days
    const c = stakingGrowth({ kind: 'series', series }, 'continuous', 0.8, ts, Infinity).growth;
    const s = stakingGrowth({ kind: 'series', series }, 'none', 0.8, ts, Infinity).growth;
    expect(c[ts.length - 1]! / Math.exp(0.8 * integral) - 1).toBeCloseTo(0, 14);
    expect(s[ts.length - 1]! / (1 + 0.8 * integral) - 1).toBeCloseTo(0, 14);
    // at 1.5 days: 0.1·1.25 + 0.2·0.25
    expect(s[36]! / (1 + (0.8 * (0.1 * 1.25 + 0.2 * 0.25)) / 365) - 1).toBeCloseTo(0, 14);
  });
  it('error: a series starting after the run', () => {
    const late = parseAprCsv(`timestamp,apr\n${(T0 + H) / 1000},0.1\n`, 'late.csv');
    expect(() => stakingGrowth({ kind: 'series', series: late }, 'daily', 1, ts, Infinity)).toThrow(InputError);
    expect(() => stakingGrowth({ kind: 'series', series: late }, 'daily', 1, ts, Infinity)).toThrow(
      'late.csv: timestamp: the staking APR series starts at 2021-01-01T01:00:00.000Z, after the run starts at 2021-01-01T00:00:00.000Z; give a series that covers the run',
    );
  });
  it('behavior: a note when the run outlasts the series', () => {
    const daily = parseAprCsv(`timestamp,apr\n2020-12-30,0.1\n2020-12-31,0.1\n`, 'd.csv');
    const r = stakingGrowth({ kind: 'series', series: daily }, 'daily', 1, ts, Infinity);
    expect(r.notes).toEqual(['the staking APR series ends at 2020-12-31T00:00:00.000Z; its last APR (0.1) is used until 2021-01-05T06:00:00.000Z']);
    expect(r.growth[ts.length - 1]).toBeCloseTo((1 + 0.1 / 365) ** 4, 15);
  });
});
