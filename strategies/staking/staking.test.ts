import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { ConfigError } from '../../sim/core/errors.ts';
import { loadAprSeries, parseLstPriceCsv, loadLstPriceSeries } from '../../data/loaders/stakingSeries.ts';
import { simulateStaking, STAKING_DEFAULTS, type StakingParams } from './staking.ts';

const H = 3_600_000;
const D = 86_400_000;
const T0 = Date.UTC(2022, 0, 1);

function params(over: Partial<StakingParams>): StakingParams {
  return { ...STAKING_DEFAULTS, ...over };
}

/** A deterministic wiggly price path with `n` hourly steps. */
function path_(n: number, p0 = 2000): { ts: Float64Array; price: Float64Array } {
  const ts = Float64Array.from({ length: n }, (_, i) => T0 + i * H);
  const price = Float64Array.from({ length: n }, (_, i) => p0 * (1 + 0.3 * Math.sin(i / 50)) * (1 + i / (10 * n)));
  return { ts, price };
}

const rel = (a: number, b: number): number => Math.abs(a / b - 1);

describe('simulateStaking: closed forms (acceptance, 1e-9 relative)', () => {
  const C = 10_000;
  const A = 0.05;
  const { ts, price } = path_(24 * 90 + 7); // 90 days and 6 hours
  const p0 = price[0]!;
  const pT = price[price.length - 1]!;
  const days = 90;
  const years = (ts[ts.length - 1]! - ts[0]!) / (365 * D);

  it('behavior: daily = (C/P0)·(1 + A/365)^days·P_T with whole days', () => {
    const r = simulateStaking(params({ capital: C, apr: A, compounding: 'daily' }), ts, price);
    expect(rel(r.finalValue, (C / p0) * (1 + A / 365) ** days * pT)).toBeLessThan(1e-9);
    expect(r.creditedDays).toBe(90);
  });
  it('behavior: continuous = (C/P0)·e^(A·years)·P_T', () => {
    const r = simulateStaking(params({ capital: C, apr: A, compounding: 'continuous' }), ts, price);
    expect(rel(r.finalValue, (C / p0) * Math.exp(A * years) * pT)).toBeLessThan(1e-9);
  });
  it('behavior: none = (C/P0)·(1 + A·years)·P_T', () => {
    const r = simulateStaking(params({ capital: C, apr: A, compounding: 'none' }), ts, price);
    expect(rel(r.finalValue, (C / p0) * (1 + A * years) * pT)).toBeLessThan(1e-9);
  });
  it('behavior: value at every step is base × price, starting at C', () => {
    const r = simulateStaking(params({ capital: C, apr: A }), ts, price);
    expect(r.value[0]).toBeCloseTo(C, 9);
    for (const i of [0, 100, 1000, ts.length - 1]) expect(r.value[i]).toBe(r.base[i]! * price[i]!);
    expect(r.apr).toBeCloseTo((r.finalValue - C) / C / years, 12);
  });
});

describe('simulateStaking: commission (hand-computed)', () => {
  // C = 1000 at P0 = 100 → B0 = 10 base. A = 10 %, commission 25 % → net 7.5 %. One year, simple interest:
  // net rewards 0.75 base, the provider keeps 0.25 base. Flat price 100 → final value 1075.
  const ts = Float64Array.from({ length: 366 }, (_, i) => T0 + i * D);
  const price = new Float64Array(366).fill(100);
  it('behavior: the provider keeps a fraction of rewards', () => {
    const r = simulateStaking(params({ capital: 1000, apr: 0.1, commission: 0.25, compounding: 'none' }), ts, price);
    expect(r.baseInitial).toBe(10);
    expect(r.rewardsBase).toBeCloseTo(0.75, 12);
    expect(r.commissionBase).toBeCloseTo(0.25, 12);
    expect(r.finalValue).toBeCloseTo(1075, 9);
    expect(r.apr).toBeCloseTo(0.075, 12);
    expect(r.rewardApr).toBeCloseTo(0.075, 12);
  });
  it('behavior: daily with commission uses the net rate: 10·(1 + 0.075/365)^365', () => {
    const r = simulateStaking(params({ capital: 1000, apr: 0.1, commission: 0.25, compounding: 'daily' }), ts, price);
    expect(rel(r.finalBase, 10 * (1 + 0.075 / 365) ** 365)).toBeLessThan(1e-12);
    expect(r.commissionBase).toBeCloseTo(r.rewardsBase / 3, 12);
  });
  it('error: commission of 1 or more', () => {
    expect(() => simulateStaking(params({ commission: 1 }), ts, price)).toThrow(ConfigError);
    expect(() => simulateStaking(params({ commission: 1 }), ts, price)).toThrow('--commission: must be a fraction in [0, 1) (0.1 = the provider keeps 10 % of rewards); was 1');
  });
});

describe('simulateStaking: unbonding (hand-computed)', () => {
  // 10 days daily, flat price 50, C = 500 → B0 = 10. A = 36.5 % → 0.1 % a day simple.
  const ts = Float64Array.from({ length: 11 }, (_, i) => T0 + i * D);
  const flat = new Float64Array(11).fill(50);
  it('behavior: rewards stop D days before the end; the base keeps its price exposure', () => {
    const price = Float64Array.from(flat, (p, i) => (i === 10 ? 60 : p));
    const r = simulateStaking(params({ capital: 500, apr: 0.365, compounding: 'none', unbondingDays: 3 }), ts, price);
    // accrual 7 days: B = 10·1.007 = 10.07; value at T = 10.07 × 60 = 604.2
    expect(r.finalBase).toBeCloseTo(10.07, 12);
    expect(r.finalValue).toBeCloseTo(604.2, 9);
    expect(r.base[7]).toBeCloseTo(10.07, 12);
    expect(r.base[8]).toBe(r.base[7]);
    expect(r.accrualEndMs).toBe(T0 + 7 * D);
    expect(r.accrualYears).toBeCloseTo(7 / 365, 15);
  });
  it('behavior: fractional delay with daily credits: 2.5 days out of 10 leaves 7 whole-day credits', () => {
    const r = simulateStaking(params({ capital: 500, apr: 0.365, compounding: 'daily', unbondingDays: 2.5 }), ts, flat);
    expect(r.creditedDays).toBe(7);
    expect(r.finalBase).toBeCloseTo(10 * 1.001 ** 7, 12);
  });
  it('behavior: a delay longer than the run earns nothing, with a note', () => {
    const r = simulateStaking(params({ capital: 500, apr: 0.365, unbondingDays: 30 }), ts, flat);
    expect(r.finalBase).toBe(10);
    expect(r.notes).toEqual(['the unbonding delay (30 days) is at least as long as the run (10.000 days): the withdrawal is requested at the start and no rewards accrue']);
  });
});

describe('simulateStaking: liquid staking token', () => {
  const ts = Float64Array.from({ length: 5 }, (_, i) => T0 + i * D);
  const price = new Float64Array(5).fill(1000);
  // LST observations at half-days: as-of join takes the last at or before each run time.
  const lst = parseLstPriceCsv(
    `timestamp,price\n${(T0 - D / 2) / 1000},1\n${(T0 + D / 2) / 1000},0.9\n${(T0 + 1.5 * D) / 1000},0.95\n${(T0 + 2.5 * D) / 1000},1\n`,
    'lst.csv',
  );
  it('behavior: value = base × LST price × price; a depeg is a drawdown', () => {
    const r = simulateStaking(params({ capital: 10_000, apr: 0, lst }), ts, price);
    expect([...r.markMultiplier]).toEqual([1, 0.9, 0.95, 1, 1]);
    expect([...r.value]).toEqual([10_000, 9_000, 9_500, 10_000, 10_000]);
    expect(r.maxDrawdown).toBeCloseTo(0.1, 15);
  });
  it('behavior: market entry buys more LST at a discount', () => {
    const late = Float64Array.from(ts, (t) => t + D);
    const r = simulateStaking(params({ capital: 9_000, apr: 0, lst, lstEntry: 'market' }), late, price);
    expect(r.baseInitial).toBeCloseTo(10, 12); // 9000 / (1000 × 0.9)
    expect(r.value[0]).toBeCloseTo(9_000, 9);
  });
  it('behavior: with unbonding, the LST is redeemed at par from T − D', () => {
    const r = simulateStaking(params({ capital: 10_000, apr: 0, lst, unbondingDays: 3 }), ts, price);
    expect([...r.markMultiplier]).toEqual([1, 1, 1, 1, 1]); // request at T0 + 1 d
    const r2 = simulateStaking(params({ capital: 10_000, apr: 0, lst, unbondingDays: 2 }), ts.subarray(0, 3), price.subarray(0, 3));
    expect([...r2.markMultiplier]).toEqual([1, 1, 1]);
  });
});

describe('simulateStaking: properties (fast-check, seed 7, 100 runs)', () => {
  it('behavior: more APR never lowers the final value; the base never falls below B0 for APR ≥ 0', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        fc.constantFrom('none', 'daily', 'continuous' as const),
        fc.double({ min: 0, max: 0.9, noNaN: true }),
        fc.integer({ min: 2, max: 24 * 30 }),
        (a, extra, compounding, commission, hours) => {
          const { ts, price } = path_(hours);
          const lo = simulateStaking(params({ apr: a, compounding, commission }), ts, price);
          const hi = simulateStaking(params({ apr: a + extra, compounding, commission }), ts, price);
          expect(hi.finalValue).toBeGreaterThanOrEqual(lo.finalValue);
          for (let i = 0; i < ts.length; i++) expect(lo.base[i]).toBeGreaterThanOrEqual(lo.baseInitial);
        },
      ),
      { numRuns: 100, seed: 7 },
    );
  });
});

const ETH_1H = path.resolve(process.cwd(), '../shared/data/eth_usd/binance_spot_ETHUSDT_1h.csv');
const ETHSTORE = path.resolve(process.cwd(), '../shared/data/staking/ethstore_mainnet_daily.json');
const CC_HOURLY = path.resolve(process.cwd(), '../shared/data/cryptocompare/cryptocompare_hourly_2022-12-16_2023-03-09.csv');

/** The real Binance hourly closes between two UTC instants (a test-only reader: `date` is `YYYY-MM-DD HH:MM` UTC). */
function ethHourly(fromMs: number, toMs: number): { ts: Float64Array; price: Float64Array } {
  const rows = Papa.parse<string[]>(readFileSync(ETH_1H, 'utf8'), { skipEmptyLines: true }).data.slice(1);
  const ts: number[] = [];
  const price: number[] = [];
  for (const r of rows) {
    const t = Date.parse(`${r[0]!.replace(' ', 'T')}:00Z`);
    if (t >= fromMs && t <= toMs) {
      ts.push(t);
      price.push(Number(r[4]));
    }
  }
  return { ts: Float64Array.from(ts), price: Float64Array.from(price) };
}

describe.skipIf(!existsSync(ETH_1H) || !existsSync(ETHSTORE))('real ETH hourly × ETH.STORE APR (skipped: ../shared/data eth_usd or staking file absent)', () => {
  it('behavior: 2021-06-01 → 2021-09-01, daily compounding = product of the daily ETH.STORE factors (as of each day start)', () => {
    const { ts, price } = ethHourly(Date.UTC(2021, 5, 1), Date.UTC(2021, 8, 1));
    expect(ts.length).toBeGreaterThan(2200);
    const series = loadAprSeries(ETHSTORE);
    const r = simulateStaking(params({ capital: 10_000, apr: series, compounding: 'daily', commission: 0.1 }), ts, price);
    // Independent reference from the raw JSON: 92 whole days; day k starts at 2021-06-01 + (k−1) d, 00:00 UTC, when
    // the ETH.STORE day that began the previous noon (12:00:23) is in force.
    const raw = JSON.parse(readFileSync(ETHSTORE, 'utf8')) as Array<{ dayTime: string; apr: string }>;
    let g = 1;
    for (let k = 0; k < 92; k++) {
      const dayStart = Date.UTC(2021, 5, 1) + k * D;
      const entry = raw.filter((e) => Date.parse(e.dayTime) <= dayStart).at(-1)!;
      expect(Date.parse(entry.dayTime)).toBe(dayStart - 12 * H + 23_000); // the previous day's 12:00:23
      g *= 1 + (0.9 * Number(entry.apr)) / 365;
    }
    expect(r.creditedDays).toBe(92);
    expect(rel(r.finalValue, (10_000 / price[0]!) * g * price[price.length - 1]!)).toBeLessThan(1e-9);
    expect(r.notes).toEqual([]);
    expect(r.rewardApr).toBeGreaterThan(0.03);
    expect(r.rewardApr).toBeLessThan(0.08);
  });
});

describe.skipIf(!existsSync(ETH_1H) || !existsSync(CC_HOURLY))('real stETH/ETH depeg (skipped: ../shared/data eth_usd or cryptocompare hourly file absent)', () => {
  it('behavior: the Dec-2022 stETH discount shows in the LST value and its drawdown exceeds native staking', () => {
    const { ts, price } = ethHourly(Date.UTC(2022, 11, 17), Date.UTC(2023, 2, 9));
    const lst = loadLstPriceSeries(CC_HOURLY, 'STETH/ETH');
    const native = simulateStaking(params({ apr: 0.04 }), ts, price);
    const liquid = simulateStaking(params({ apr: 0.04, lst }), ts, price);
    const i = ts.indexOf(Date.UTC(2022, 11, 30, 13)); // the 0.9 low
    expect(liquid.markMultiplier[i]).toBe(0.9);
    expect(liquid.value[i]! / native.value[i]!).toBeCloseTo(0.9, 12);
    expect(liquid.maxDrawdown).toBeGreaterThan(native.maxDrawdown);
  });
});
