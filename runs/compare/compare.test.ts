import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { makeSeries, type PriceSeries } from '../../sim/core/series.ts';
import { loadCsvPrices } from '../../data/loaders/csvPrices.ts';
import { loadAprSeries, loadLstPriceSeries } from '../../data/loaders/stakingSeries.ts';
import { runBacktest } from '../backtest.ts';
import { resolveBacktestConfig, type BacktestConfig } from '../config.ts';
import { ConfigError } from '../../sim/core/errors.ts';
import { Rng } from '../../sim/core/rng.ts';
import { COMPARE_DEFAULTS, parseList, resolveCompareOptions, type CompareOptions } from './config.ts';
import { distributionOf, lpAlternatives, quantileSorted, runCompare, type CompareConfig } from './compare.ts';

const H = 3_600_000;
const D = 86_400_000;
const T0 = Date.UTC(2022, 0, 1);
const rel = (a: number, b: number): number => Math.abs(a / b - 1);

/** 30 days and 5 hours of hourly GBM (σ 60 %/yr, seed 3) from 2000. */
function synthetic(): PriceSeries {
  const n = 24 * 30 + 6;
  const rng = new Rng(3);
  const ts = Float64Array.from({ length: n }, (_, i) => T0 + i * H);
  const price = new Float64Array(n);
  price[0] = 2000;
  const dt = 1 / (365 * 24);
  for (let i = 1; i < n; i++) price[i] = price[i - 1]! * Math.exp(-0.5 * 0.36 * dt + 0.6 * Math.sqrt(dt) * rng.normal());
  return makeSeries(ts, price, new Map(), { kind: 'test', sha256: 'test' });
}

function cfg(over: { backtest?: Partial<BacktestConfig>; strategies?: string[]; widths?: number[]; options?: Partial<CompareOptions> } = {}): CompareConfig {
  return {
    backtest: resolveBacktestConfig({ ...over.backtest }),
    strategies: over.strategies ?? ['full-range'],
    widths: over.widths ?? [0.1],
    options: { ...COMPARE_DEFAULTS, ...over.options },
    aprSeries: undefined,
    lstSeries: undefined,
  };
}

type Entry = { finalValue: number; apr: number; maxDrawdown: number };

/** The backtest config of {@link cfg} on v3. */
const c0 = (): BacktestConfig => resolveBacktestConfig({ pool: 'v3' });

describe('quantileSorted / distributionOf', () => {
  it('behavior: linear interpolation between order statistics (hand-computed)', () => {
    const s = Float64Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
    expect(quantileSorted(s, 0.5)).toBe(6);
    expect(quantileSorted(s, 0.05)).toBeCloseTo(1.5, 15); // h = 0.5
    expect(quantileSorted(s, 0.95)).toBeCloseTo(10.5, 15);
    const d = distributionOf([3, 1, 2, 10]);
    expect(d.median).toBe(2.5);
    expect(d.mean).toBe(4);
    expect([d.min, d.max]).toEqual([1, 10]);
  });
});

describe('runCompare on a synthetic series', () => {
  const series = synthetic();
  it('behavior: one entry per alternative; LP = the backtest; staking = (C/P0)(1 + A/365)^30·P_T', async () => {
    const c = cfg({ options: { stakingApr: 0.05 } });
    const r = await runCompare(c, series);
    const s = r.summary as Record<string, unknown>;
    expect(s.alternatives).toEqual(['lp', 'hold', 'staking', 'hold-staked']);
    const direct = await runBacktest({ ...c.backtest, strategy: 'full-range' }, series);
    const lp = s.lp as Entry;
    expect(lp.finalValue).toBe(direct.summary.finalValue);
    expect((s.hold as Entry).finalValue).toBe(direct.summary.holdValue);
    const st = s.staking as Entry;
    expect(rel(st.finalValue, (10_000 / 2000) * (1 + 0.05 / 365) ** 30 * series.price[series.length - 1]!)).toBeLessThan(1e-9);
    const diff = s.differences as Record<string, { minusStaking?: number; minusHold: number }>;
    expect(diff.lp!.minusStaking).toBe(lp.finalValue - st.finalValue);
    expect(diff.staking!.minusHold).toBe(st.finalValue - (s.hold as Entry).finalValue);
    expect(s.whatIf).toBeNull();
  });

  // Hand computation: C = 10,000, half kept as quote; the other half buys 5,000/P0 base, staked 30 whole days at
  // 5 % a year compounded daily with 10 % commission: each day's credit is (1 − 0.1)·0.05/365 of the stake.
  it('behavior: hold-staked = C/2 + (C/2 / P0)·(1 + 0.9·0.05/365)^30·P_T, with the staking settings of staking', async () => {
    const c = cfg({ options: { stakingApr: 0.05, commission: 0.1, compounding: 'daily' } });
    const r = await runCompare(c, series);
    const s = r.summary as Record<string, unknown>;
    const p0 = series.price[0]!;
    const pT = series.price[series.length - 1]!;
    const expected = 5000 + (5000 / p0) * (1 + (0.9 * 0.05) / 365) ** 30 * pT;
    const hs = s['hold-staked'] as Entry & { kind: string; quoteHeld: number; baseInitial: number; netPnl: number };
    expect(hs.kind).toBe('hold-staked');
    expect(rel(hs.finalValue, expected)).toBeLessThan(1e-12);
    expect(hs.quoteHeld).toBe(5000);
    expect(rel(hs.baseInitial, 5000 / p0)).toBeLessThan(1e-15);
    expect(hs.netPnl).toBe(hs.finalValue - 10_000);
    // it lies halfway between holding quote and staking everything, at every step
    for (const i of [0, 100, series.length - 1]) expect(rel(r.holdStaked.value[i]!, 5000 + r.staking.value[i]! / 2)).toBeLessThan(1e-12);
    const diff = s.differences as Record<string, Record<string, number>>;
    expect(diff.lp!.minusHoldStaked).toBe((s.lp as Entry).finalValue - hs.finalValue);
    expect(diff['hold-staked']!.minusStaking).toBe(hs.finalValue - (s.staking as Entry).finalValue);
    // a different staking setting moves it: the same model as staking, not a fixed one
    const none = await runCompare(cfg({ options: { stakingApr: 0.05, commission: 0, compounding: 'daily' } }), series);
    expect(rel((none.summary['hold-staked'] as Entry).finalValue, 5000 + (5000 / p0) * (1 + 0.05 / 365) ** 30 * pT)).toBeLessThan(1e-12);
  });

  for (const compounding of ['none', 'daily', 'continuous'] as const) {
    it(`behavior: the breakeven APR fed back as --staking-apr makes staking equal the LP (${compounding}, 1e-6 relative)`, async () => {
      const opts = { compounding, commission: 0.1, unbondingDays: 2 };
      const r = await runCompare(cfg({ options: { ...opts, stakingApr: 0.03 } }), series);
      const a = ((r.summary.breakeven as Record<string, { stakingApr: number }>).lp!).stakingApr;
      const again = await runCompare(cfg({ options: { ...opts, stakingApr: a } }), series);
      expect(rel((again.summary.staking as Entry).finalValue, (again.summary.lp as Entry).finalValue)).toBeLessThan(1e-6);
    });
  }

  it('behavior: an LP run\'s warnings reach summary.json, named by alternative; entry cost and fees at end value are in its entry', async () => {
    // gas at 3,000 gwei on 1,000 of capital: the re-centring strategy cannot afford its mint
    const c = cfg({ strategies: ['rebalance'], widths: [0.01], backtest: { pool: 'v3', capital: 1000, gasPrice: 3000 } });
    const r = await runCompare(c, series);
    const direct = await runBacktest({ ...c.backtest, strategy: 'rebalance', width: 0.01 }, series);
    expect(direct.summary.warnings!.length).toBeGreaterThan(0);
    expect(r.summary.warnings).toEqual(direct.summary.warnings!.map((w) => `lp: ${w}`));
    const lp = r.summary.lp as Record<string, unknown>;
    expect(lp.entryCost).toBe(direct.summary.entryCost);
    expect(lp.feesValueAtEnd).toBe(direct.summary.feesValueAtEnd);
    expect((await runCompare(cfg(), series)).summary.warnings).toEqual([]);
  });

  it('behavior: several LP alternatives, each its own line equal to its own backtest', async () => {
    const c = cfg({ strategies: ['full-range', 'hold'] });
    const r = await runCompare(c, series);
    expect(r.summary.alternatives).toEqual(['lp:full-range', 'lp:hold', 'hold', 'staking', 'hold-staked']);
    const direct = await runBacktest({ ...c.backtest, strategy: 'hold' }, series);
    expect((r.summary['lp:hold'] as Entry).finalValue).toBe(direct.summary.finalValue);
    expect((r.summary['lp:full-range'] as Entry).finalValue).not.toBe(direct.summary.finalValue);
  });

  it('behavior: --width list on v3: one LP line per width, each equal to its own backtest', async () => {
    const c = cfg({ strategies: ['range'], widths: [0.05, 0.2], backtest: { pool: 'v3' } });
    const r = await runCompare(c, series);
    expect(r.summary.alternatives).toEqual(['lp:width=0.05', 'lp:width=0.2', 'hold', 'staking', 'hold-staked']);
    for (const w of [0.05, 0.2]) {
      const direct = await runBacktest({ ...c.backtest, strategy: 'range', width: w }, series);
      expect((r.summary[`lp:width=${w}`] as Entry).finalValue).toBe(direct.summary.finalValue);
    }
    expect((r.summary['lp:width=0.05'] as Entry).finalValue).not.toBe((r.summary['lp:width=0.2'] as Entry).finalValue);
  });

  it('behavior: with several LPs each LP − hold (differences.minusHold) is against its own hold, as its vsHold; staking − hold against the hold alternative', async () => {
    // ranges of different widths on v3 deposit different splits, so their holds differ (the first LP's is `hold`)
    const r = await runCompare(cfg({ strategies: ['range', 'full-range'], widths: [0.05, 0.2], backtest: { pool: 'v3' }, options: { stakingApr: 0.04 } }), series);
    const ids = ['lp:range,width=0.05', 'lp:range,width=0.2', 'lp:full-range'];
    const s = r.summary as Record<string, unknown>;
    const entry = (id: string): Entry & { holdValue: number; vsHold: number } => s[id] as Entry & { holdValue: number; vsHold: number };
    const hold = s.hold as Entry & { basis: string };
    expect(hold.finalValue).toBe(entry(ids[0]!).holdValue);
    expect(new Set(ids.map((id) => entry(id).holdValue)).size).toBe(3); // three different holds
    const diff = s.differences as Record<string, Record<string, number>>;
    for (const [i, id] of ids.entries()) {
      const direct = await runBacktest({ ...c0(), strategy: i < 2 ? 'range' : 'full-range', width: i === 0 ? 0.05 : i === 1 ? 0.2 : undefined }, series);
      expect(entry(id).holdValue).toBe(direct.summary.holdValue);
      expect(diff[id]!.minusHold, id).toBe(entry(id).finalValue - entry(id).holdValue);
      expect(diff[id]!.minusHold, id).toBe(entry(id).vsHold);
    }
    expect(diff.staking!.minusHold).toBe((s.staking as Entry).finalValue - hold.finalValue);
    expect(diff['hold-staked']!.minusHold).toBe((s['hold-staked'] as Entry).finalValue - hold.finalValue);
    expect(hold.basis).toBe("the tokens lp:range,width=0.05 deposited at the start, held; each LP alternative's vsHold and differences.minusHold are against the tokens it deposited itself, held (its holdValue)");
    // one LP: its hold is the hold alternative, and the basis says only that
    const one = await runCompare(cfg({ strategies: ['range'], widths: [0.05], backtest: { pool: 'v3' } }), series);
    expect((one.summary.hold as { basis: string }).basis).toBe('the tokens lp deposited at the start, held');
    expect((one.summary.differences as Record<string, Record<string, number>>).lp!.minusHold).toBe((one.summary.lp as { vsHold: number }).vsHold);
  });

  it('behavior: the config records the widths run: as given, else each strategy\'s own', async () => {
    const given = await runCompare(cfg({ strategies: ['range'], widths: [0.05, 0.2], backtest: { pool: 'v3' } }), series);
    expect((given.summary.config as Record<string, unknown>).widths).toEqual([0.05, 0.2]);
    const c = { ...cfg({ strategies: ['range', 'full-range'], backtest: { pool: 'v3' } }), widths: undefined };
    expect(((await runCompare(c, series)).summary.config as Record<string, unknown>).widths).toEqual([0.1]);
    expect(((await runCompare({ ...c, strategies: ['full-range'] }, series)).summary.config as Record<string, unknown>).widths).toEqual([]);
  });

  it('behavior: a width list gives one alternative per width for width strategies, one for the others', async () => {
    const alts = await lpAlternatives(resolveBacktestConfig({ pool: 'v3' }), ['range', 'full-range'], [0.05, 0.1, 0.2]);
    expect(alts.map((a) => a.id)).toEqual(['lp:range,width=0.05', 'lp:range,width=0.1', 'lp:range,width=0.2', 'lp:full-range']);
    expect(alts.map((a) => a.config.width)).toEqual([0.05, 0.1, 0.2, undefined]); // full-range has no width
    const one = await lpAlternatives(resolveBacktestConfig({}), ['range'], [0.05, 0.2]);
    expect(one.map((a) => a.id)).toEqual(['lp:width=0.05', 'lp:width=0.2']);
    expect((await lpAlternatives(resolveBacktestConfig({}), ['range'], [0.05])).map((a) => a.id)).toEqual(['lp']);
  });

  it('behavior: found by an audit: --rebalance-delay applies to the strategies that have a delay, as --width to those with a range; refused when none has one', async () => {
    const alts = await lpAlternatives(resolveBacktestConfig({ pool: 'v3', rebalanceDelay: 5 }), ['range', 'rebalance'], undefined);
    expect(alts.map((a) => [a.id, a.config.rebalanceDelay])).toEqual([['lp:range', 0], ['lp:rebalance', 5]]);
    const r = await runCompare(cfg({ backtest: { pool: 'v3', rebalanceDelay: 5, width: 0.02 }, strategies: ['range', 'rebalance'], widths: [0.02], options: { stakingApr: 0.04 } }), series);
    const alone = await runCompare(cfg({ backtest: { pool: 'v3', strategy: 'rebalance', rebalanceDelay: 5, width: 0.02 }, strategies: ['rebalance'], widths: [0.02], options: { stakingApr: 0.04 } }), series);
    expect((r.summary['lp:rebalance'] as { finalValue: number }).finalValue).toBe((alone.summary.lp as { finalValue: number }).finalValue);
    const noDelay = await runCompare(cfg({ backtest: { pool: 'v3', strategy: 'rebalance', width: 0.02 }, strategies: ['rebalance'], widths: [0.02], options: { stakingApr: 0.04 } }), series);
    expect((noDelay.summary.lp as { finalValue: number }).finalValue).not.toBe((alone.summary.lp as { finalValue: number }).finalValue);
    await expect(lpAlternatives(resolveBacktestConfig({ pool: 'v3', rebalanceDelay: 5 }), ['range', 'hold'], undefined)).rejects.toThrowError('--rebalance-delay: no strategy of this comparison has a re-centring delay (range, hold); leave --rebalance-delay out');
  });

  it('behavior: the what-if sweep is deterministic and path p is the LP − staking of scenario p', async () => {
    const c = cfg({ options: { paths: 4, stakingApr: 0.04 } });
    const a = await runCompare(c, series);
    const b = await runCompare(c, series);
    expect(JSON.stringify(a.summary)).toBe(JSON.stringify(b.summary));
    const d = a.whatIf.get('lp')!;
    expect(d.length).toBe(4);
    const w = (a.summary.whatIf as { lpMinusStaking: Record<string, { median: number; p5: number; p95: number; lpWinShare: number }> }).lpMinusStaking.lp!;
    expect(w.p5).toBeLessThanOrEqual(w.median);
    expect(w.median).toBeLessThanOrEqual(w.p95);
    expect(w.median).toBeCloseTo(quantileSorted(Float64Array.from(d).sort(), 0.5), 9);
    expect(w.lpWinShare).toBe([...d].filter((x) => x > 0).length / 4);
    // Scenario paths differ from each other
    expect(new Set(d).size).toBe(4);
  });
});

describe('compare config', () => {
  it('error: both --staking-apr and --staking-series', () => {
    expect(() => resolveCompareOptions({ stakingApr: 0.04, stakingSeries: 'x.csv' })).toThrow('--staking-apr: give either --staking-apr or --staking-series, not both');
  });
  it('error: bad compounding with a hint', () => {
    expect(() => resolveCompareOptions({ compounding: 'dayly' })).toThrow('--compounding: must be one of none, daily, continuous; was "dayly"; did you mean "daily"?');
  });
  it('behavior: flags win over the config file', () => {
    expect(resolveCompareOptions({ commission: 0.1 }, { commission: 0.2, paths: 3 })).toMatchObject({ commission: 0.1, paths: 3 });
  });
  it('behavior: a staking flag replaces the config file\'s staking source, either way round; both in one layer is refused', () => {
    expect(resolveCompareOptions({ stakingSeries: 'apr.csv' }, { stakingApr: 0.04 })).toMatchObject({ stakingSeries: 'apr.csv', stakingApr: undefined });
    expect(resolveCompareOptions({ stakingApr: 0.05 }, { stakingSeries: 'apr.csv' })).toMatchObject({ stakingApr: 0.05, stakingSeries: undefined });
    expect(() => resolveCompareOptions({}, { stakingApr: 0.04, stakingSeries: 'apr.csv' })).toThrow('give either --staking-apr or --staking-series, not both');
  });
  it('behavior: lists from flags and config arrays', () => {
    expect(parseList('--width', '0.05, 0.1,0.2', true)).toEqual([0.05, 0.1, 0.2]);
    expect(parseList('--width', [0.05, 0.1], true)).toEqual([0.05, 0.1]);
    expect(parseList('--strategy', 'range,full-range', false)).toEqual(['range', 'full-range']);
    expect(() => parseList('--width', '0.05,x', true)).toThrow(ConfigError);
    expect(() => parseList('--width', '0.05,x', true)).toThrow('--width: must be a number or a comma-separated list of numbers; found "x"');
  });
});

const ETH_1H = path.resolve(process.cwd(), '../shared/data/eth_usd/binance_spot_ETHUSDT_1h.csv');
const ETHSTORE = path.resolve(process.cwd(), '../shared/data/staking/ethstore_mainnet_daily.json');
const CC_HOURLY = path.resolve(process.cwd(), '../shared/data/cryptocompare/cryptocompare_hourly_2022-12-16_2023-03-09.csv');

function windowOf(s: PriceSeries, fromMs: number, toMs: number): PriceSeries {
  let a = 0;
  while (s.timestampMs[a]! < fromMs) a++;
  let b = a;
  while (b < s.length && s.timestampMs[b]! <= toMs) b++;
  return makeSeries(s.timestampMs.slice(a, b), s.price.slice(a, b), new Map(), { kind: 'csv-window', sha256: s.provenance.sha256 });
}

describe.skipIf(!existsSync(ETH_1H) || !existsSync(ETHSTORE))('real ETH hourly vs real ETH.STORE APR, 2021-06-01 → 2021-09-01 (skipped: ../shared/data eth_usd or staking file absent)', () => {
  it('behavior: staking is the product of daily ETH.STORE factors; breakeven fed back reproduces the LP', async () => {
    const series = windowOf(await loadCsvPrices(ETH_1H), Date.UTC(2021, 5, 1), Date.UTC(2021, 8, 1));
    const aprSeries = loadAprSeries(ETHSTORE);
    const base = cfg({ options: { stakingSeries: ETHSTORE } });
    const r = await runCompare({ ...base, aprSeries }, series);
    const st = r.summary.staking as Entry & { creditedDays: number };
    expect(st.creditedDays).toBe(92);
    let g = 1;
    for (let k = 0; k < 92; k++) {
      const t = Date.UTC(2021, 5, 1) + k * D;
      let j = 0;
      while (j + 1 < aprSeries.length && aprSeries.timestampMs[j + 1]! <= t) j++;
      g *= 1 + aprSeries.apr[j]! / 365;
    }
    expect(rel(st.finalValue, (10_000 / series.price[0]!) * g * series.price[series.length - 1]!)).toBeLessThan(1e-9);
    const lp = r.summary.lp as Entry;
    expect(Number.isFinite(lp.finalValue)).toBe(true);
    const a = (r.summary.breakeven as Record<string, { stakingApr: number }>).lp!.stakingApr;
    const again = await runCompare(cfg({ options: { stakingApr: a } }), series);
    expect(rel((again.summary.staking as Entry).finalValue, lp.finalValue)).toBeLessThan(1e-6);
  });
});

describe.skipIf(!existsSync(CC_HOURLY))('real ETH/USD with the stETH/ETH depeg, CryptoCompare hourly 2022-12-16 → 2023-03-09 (skipped: ../shared/data cryptocompare hourly file absent)', () => {
  it('behavior: LST staking is worth native staking × the stETH price at every step', async () => {
    const series = await loadCsvPrices(CC_HOURLY, { pair: 'ETH/USD', timestampColumn: 'unix_s', extraColumns: [] });
    const lstSeries = loadLstPriceSeries(CC_HOURLY, 'STETH/ETH');
    const native = await runCompare(cfg({ options: { stakingApr: 0.05 } }), series);
    const liquid = await runCompare({ ...cfg({ options: { stakingApr: 0.05, lstSeries: CC_HOURLY, lstPair: 'STETH/ETH' } }), lstSeries }, series);
    const last = series.length - 1;
    expect(liquid.staking.value[last]! / native.staking.value[last]!).toBeCloseTo(lstSeries.price[lstSeries.length - 1]!, 12);
    expect((liquid.summary.staking as Entry).maxDrawdown).toBeGreaterThanOrEqual((native.summary.staking as Entry).maxDrawdown);
    expect((liquid.summary.lp as Entry).finalValue).toBe((native.summary.lp as Entry).finalValue);
  });
});
