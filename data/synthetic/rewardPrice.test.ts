import { describe, expect, it } from 'vitest';
import { makeSeries } from '../../sim/core/series.ts';
import { parseRewardPrice, rewardPricePath } from './rewardPrice.ts';

const H = 3_600_000;
const T = 1704412800000; // 2024-01-05T00:00:00Z

/** An hourly series of `n` rows from `t0`, price `p0 + i`. */
function hourly(t0: number, n: number, p0: number, file?: string) {
  const ts = Float64Array.from({ length: n }, (_, i) => t0 + i * H);
  const price = Float64Array.from({ length: n }, (_, i) => p0 + i);
  return makeSeries(ts, price, new Map(), { kind: 'csv', sha256: '', ...(file === undefined ? {} : { file }) });
}

describe('rewardPricePath with a price file', () => {
  const run = hourly(T, 6, 2000); // 00:00 … 05:00

  it('behavior: a file covering the run gives no warning (ending within two of its spacings of the run end is covering)', () => {
    expect(rewardPricePath(parseRewardPrice('r.csv'), run, { file: hourly(T - H, 8, 1, 'r.csv') }).warnings).toEqual([]);
    expect(rewardPricePath(parseRewardPrice('r.csv'), run, { file: hourly(T, 4, 1, 'r.csv') }).warnings).toEqual([]); // ends 03:00, 2 spacings before 05:00
  });

  it('behavior: a file that ends before the run ends is said in a warning, as a gas series is (its last value is carried)', () => {
    const { price, warnings } = rewardPricePath(parseRewardPrice('r.csv'), run, { file: hourly(T, 3, 1, 'r.csv') }); // ends 02:00
    expect(Array.from(price)).toEqual([1, 2, 3, 3, 3, 3]);
    expect(warnings).toEqual(['the reward price file r.csv ends at 2024-01-05T02:00:00.000Z; its last value (3) is used until 2024-01-05T05:00:00.000Z']);
  });

  it('behavior: a file inside the run warns at both ends; the start warning keeps its words', () => {
    const { warnings } = rewardPricePath(parseRewardPrice('r.csv'), hourly(T, 12, 2000), { file: hourly(T + 2 * H, 3, 1) }); // 02:00 … 04:00; no provenance file
    expect(warnings).toEqual([
      'reward price file r.csv starts at 2024-01-05T02:00:00.000Z, after the run (2024-01-05T00:00:00.000Z): its first price is used before that',
      'the reward price file r.csv ends at 2024-01-05T04:00:00.000Z; its last value (3) is used until 2024-01-05T11:00:00.000Z',
    ]);
  });
});

describe('parseRewardPrice crash time', () => {
  it('behavior: unix seconds and ISO-8601', () => {
    expect(parseRewardPrice('crash:0.5@1704412800')).toEqual({ kind: 'crash', drop: 0.5, atMs: T });
    expect(parseRewardPrice('crash:0.5@2024-01-05')).toEqual({ kind: 'crash', drop: 0.5, atMs: T });
  });

  it('error: unix milliseconds are refused with a hint, not read as seconds (a crash some 54,000 years on never happens)', () => {
    expect(() => parseRewardPrice('crash:0.5@1704412800000')).toThrow('--reward-price: crash time 1704412800000 reads as a time after the year 5000: milliseconds? (1704412800 in seconds)');
  });
});
