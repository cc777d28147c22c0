import { describe, expect, it } from 'vitest';
import { makeSeries } from '../../sim/core/series.ts';
import { Rng } from '../../sim/core/rng.ts';
import { MS_PER_YEAR } from '../../sim/core/time.ts';
import { gbmLogReturns } from './gbm.ts';
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

describe('parseRewardPrice numbers (regression: ".5", "+2" were read as file names, "-1" as a missing file)', () => {
  it('behavior: a number as --fee reads one is a constant price, whatever its sign, point or exponent', () => {
    for (const [s, p] of [['.5', 0.5], ['+2', 2], ['5.', 5], ['2.5', 2.5], [' 3 ', 3], ['1e-3', 0.001], ['+.25E1', 2.5]] as const) {
      expect(parseRewardPrice(s), s).toEqual({ kind: 'constant', price: p });
    }
  });

  it('error: a price ≤ 0 or not finite is refused naming --reward-price, not looked up as a file', () => {
    expect(() => parseRewardPrice('-1')).toThrow('--reward-price: a constant price must be a finite number > 0; was -1');
    expect(() => parseRewardPrice('0')).toThrow('--reward-price: a constant price must be a finite number > 0; was 0');
    expect(() => parseRewardPrice('-.5')).toThrow('--reward-price: a constant price must be a finite number > 0; was -.5');
    expect(() => parseRewardPrice('Infinity')).toThrow('--reward-price: a constant price must be a finite number > 0; was Infinity');
    expect(() => parseRewardPrice('-infinity')).toThrow('--reward-price: a constant price must be a finite number > 0; was -infinity');
    expect(() => parseRewardPrice(-2)).toThrow('--reward-price: a constant price must be a finite number > 0; was -2');
  });

  it('behavior: anything else that is not a scenario is a file name', () => {
    for (const s of ['r.csv', '.5.csv', './2', '1,2']) expect(parseRewardPrice(s)).toEqual({ kind: 'file', file: s });
  });
});

/** An hourly series of `n` rows from `t0` at a constant price. */
function flatHourly(t0: number, n: number, p: number) {
  return makeSeries(
    Float64Array.from({ length: n }, (_, i) => t0 + i * H),
    new Float64Array(n).fill(p),
    new Map(),
    { kind: 'csv', sha256: '' },
  );
}

describe('rewardPricePath crash outside the run (regression: ignored silently after it; before it, every step at the crashed price)', () => {
  const run = flatHourly(T, 6, 2000); // 2024-01-05 00:00 … 05:00
  const iso = (ms: number) => new Date(ms).toISOString();

  it('behavior: inside the run it acts from the first step at or after its time; at the last step it acts there; no warning', () => {
    expect(rewardPricePath(parseRewardPrice(`crash:0.5@${iso(T + 2.5 * H)}`), run, { start: 4 })).toEqual({ price: Float64Array.from([4, 4, 4, 2, 2, 2]), warnings: [] });
    expect(rewardPricePath(parseRewardPrice(`crash:0.25@${iso(T + 5 * H)}`), run, { start: 4 })).toEqual({ price: Float64Array.from([4, 4, 4, 4, 4, 3]), warnings: [] });
  });

  it('behavior: after the run it never acts and says so; the price stays at --reward-price-start', () => {
    const { price, warnings } = rewardPricePath(parseRewardPrice('crash:0.5@2030-01-02'), run, { start: 4 });
    expect(Array.from(price)).toEqual([4, 4, 4, 4, 4, 4]);
    expect(warnings).toEqual(['--reward-price crash:0.5@2030-01-02T00:00:00.000Z is after the run 2024-01-05T00:00:00.000Z … 2024-01-05T05:00:00.000Z: it never acts, and the reward price stays at 4 (the start price) throughout']);
  });

  it('behavior: at or before the first step it cannot act (--reward-price-start is the price at the first step): said, the price stays at the start', () => {
    const why = 'it cannot act, as the start price (4, --reward-price-start) is the price at the first step, so the reward price stays at 4 throughout; for a price already crashed, give --reward-price-start the price after the crash';
    const before = rewardPricePath(parseRewardPrice('crash:0.5@2020-01-01'), run, { start: 4 });
    expect(Array.from(before.price)).toEqual([4, 4, 4, 4, 4, 4]);
    expect(before.warnings).toEqual([`--reward-price crash:0.5@2020-01-01T00:00:00.000Z is before the run 2024-01-05T00:00:00.000Z … 2024-01-05T05:00:00.000Z: ${why}`]);
    const atStart = rewardPricePath(parseRewardPrice(`crash:0.5@${iso(T)}`), run, { start: 4 });
    expect(Array.from(atStart.price)).toEqual([4, 4, 4, 4, 4, 4]);
    expect(atStart.warnings).toEqual([`--reward-price crash:0.5@2024-01-05T00:00:00.000Z is at the first step of the run 2024-01-05T00:00:00.000Z … 2024-01-05T05:00:00.000Z: ${why}`]);
  });
});

/** Annualised volatility of a price path's log returns (each return over its own step, drift ignored). */
function realisedVol(ts: ArrayLike<number>, price: ArrayLike<number>, from = 1, pick: (i: number) => boolean = () => true): number {
  let s = 0;
  let k = 0;
  for (let i = Math.max(1, from); i < price.length; i++) {
    if (!pick(i)) continue;
    const r = Math.log(price[i]! / price[i - 1]!);
    s += (r * r) / ((ts[i]! - ts[i - 1]!) / MS_PER_YEAR);
    k++;
  }
  return Math.sqrt(s / k);
}

describe('rewardPricePath gbm volatility (regression: on a flat base it fell with rho, 0.128 instead of 0.9 at rho 0.99)', () => {
  const n = 4001;

  it('behavior: on a base that never moves the reward moves at sigma whatever rho; rho ≠ 0 is said in a warning, rho 0 is not', () => {
    const flat = flatHourly(T, n, 2000);
    for (const rho of [0, 0.6, 0.99, 1, -1]) {
      const { price, warnings } = rewardPricePath(parseRewardPrice(`gbm:sigma=0.9,rho=${rho}`), flat, { seed: 3 });
      expect(realisedVol(flat.timestampMs, price) / 0.9, `rho ${rho}`).toBeCloseTo(1, 1);
      expect(warnings, `rho ${rho}`).toEqual(
        rho === 0
          ? []
          : [`--reward-price gbm: rho=${rho} has nothing to correlate with: the pool's base price does not move over the run (2024-01-05T00:00:00.000Z … 2024-06-19T16:00:00.000Z), so the reward price moves independently of it, at sigma=0.9`],
      );
    }
    // one return (two rows) has no deviation either
    expect(rewardPricePath(parseRewardPrice('gbm:sigma=0.9,rho=0.5'), hourly(T, 2, 2000), { seed: 3 }).warnings).toHaveLength(1);
  });

  it('behavior: on a flat base rho is moot: every rho gives the independent path of rho 0', () => {
    const flat = flatHourly(T, 50, 2000);
    const indep = rewardPricePath(parseRewardPrice('gbm:sigma=0.9,rho=0'), flat, { seed: 3 }).price;
    expect(rewardPricePath(parseRewardPrice('gbm:sigma=0.9,rho=0.99'), flat, { seed: 3 }).price).toEqual(indep);
  });

  it('regression: on a base that moves (even steps) the path is the construction it always was, bit for bit: ρ·z + √(1 − ρ²)·ε', () => {
    const base = seriesOfGbm(T, 500, 0.7, 11);
    for (const rho of [0, 0.6, -0.3, 1]) {
      const got = rewardPricePath(parseRewardPrice(`gbm:sigma=0.9,rho=${rho},mu=0.1`), base, { seed: 5, start: 3 }).price;
      expect(got).toEqual(referencePath(base, 0.9, rho, 0.1, 5, 3));
    }
  });

  it('behavior: the reward moves at sigma whatever the base’s volatility and rho', () => {
    for (const baseVol of [0.05, 0.8, 3]) {
      const base = seriesOfGbm(T, n, baseVol, 2);
      for (const rho of [0.3, 0.95]) {
        const { price } = rewardPricePath(parseRewardPrice(`gbm:sigma=0.9,rho=${rho}`), base, { seed: 9 });
        expect(realisedVol(base.timestampMs, price) / 0.9, `base ${baseVol}, rho ${rho}`).toBeCloseTo(1, 1);
      }
    }
  });

  it('behavior: across a gap in the clock the reward moves at sigma too (a base return over a long step is not a larger shock)', () => {
    // steps alternating 1 h and 24 h: before, the 24 h steps took ρ²·24 + 1 − ρ² ≈ 22 times the variance at rho 0.95
    const ts = new Float64Array(n);
    for (let i = 1; i < n; i++) ts[i] = ts[i - 1]! + (i % 2 === 0 ? 24 * H : H);
    for (let i = 0; i < n; i++) ts[i] = ts[i]! + T;
    const prices = gbmPathOn(ts, 0.8, 4);
    const base = makeSeries(ts, prices, new Map(), { kind: 'csv', sha256: '' });
    const { price } = rewardPricePath(parseRewardPrice('gbm:sigma=0.9,rho=0.95'), base, { seed: 9 });
    expect(realisedVol(ts, price, 1, (i) => i % 2 === 0) / 0.9).toBeCloseTo(1, 1);
    expect(realisedVol(ts, price, 1, (i) => i % 2 === 1) / 0.9).toBeCloseTo(1, 1);
  });

  it('error: a path that leaves the numbers a price can be names gbm, not decay', () => {
    expect(() => rewardPricePath(parseRewardPrice('gbm:sigma=1000'), flatHourly(T, 73, 2000), { seed: 42 })).toThrow(/^--reward-price: the reward price at step \d+ is (0|Infinity) \(must be a finite number > 0\); gbm:sigma=1000,mu=0 moves the price beyond the numbers a price can be over this run — use a smaller sigma or mu$/);
  });
});

/** GBM log prices on the clock `ts` from 2000 (annual volatility `vol`, seed `seed`). */
function gbmPathOn(ts: Float64Array, vol: number, seed: number): Float64Array {
  const g = gbmLogReturns(ts, 0, vol, new Rng(seed).fork('base'));
  const p = new Float64Array(ts.length);
  p[0] = 2000;
  for (let i = 1; i < ts.length; i++) p[i] = p[i - 1]! * Math.exp(g[i]!);
  return p;
}

function seriesOfGbm(t0: number, n: number, vol: number, seed: number) {
  const ts = Float64Array.from({ length: n }, (_, i) => t0 + i * H);
  return makeSeries(ts, gbmPathOn(ts, vol, seed), new Map(), { kind: 'csv', sha256: '' });
}

/** The gbm reward path as it was built before the flat-base fix (for a base that moves, on even steps). */
function referencePath(series: ReturnType<typeof seriesOfGbm>, sigma: number, rho: number, mu: number, seed: number, p0: number): Float64Array {
  const n = series.length;
  const r = new Float64Array(n);
  let m = 0;
  for (let i = 1; i < n; i++) {
    r[i] = Math.log(series.price[i]! / series.price[i - 1]!);
    m += r[i]!;
  }
  m /= Math.max(1, n - 1);
  let v = 0;
  for (let i = 1; i < n; i++) v += (r[i]! - m) ** 2;
  const sd = Math.sqrt(v / Math.max(1, n - 2));
  const rng = new Rng(seed).fork('reward-price');
  const c = Math.sqrt(1 - rho * rho);
  let i = 0;
  const g = gbmLogReturns(series.timestampMs, mu, sigma, {
    normal: () => {
      i++;
      return rho * ((r[i]! - m) / sd) + c * rng.normal();
    },
  });
  const out = new Float64Array(n);
  out[0] = p0;
  for (let k = 1; k < n; k++) out[k] = out[k - 1]! * Math.exp(g[k]!);
  return out;
}
