import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { positionIl } from '../../../reports/ilCurve.ts';
import { fullRangeStrategy } from '../../../strategies/lp/fullRange.ts';
import { rebalanceStrategy } from '../../../strategies/lp/rebalance.ts';
import { createArbitrageur } from '../../../strategies/trader/arbitrageur.ts';
import { createNoiseTrader } from '../../../strategies/trader/noise.ts';
import { runBacktest } from '../../../runs/backtest.ts';
import { resolveBacktestConfig, type BacktestConfig } from '../../../runs/config.ts';
import { runEngine } from '../../engine/engine.ts';
import { constantGas } from '../../engine/gas.ts';
import { gbmPath, seriesOf } from '../../engine/testing/engineTesting.ts';
import { Rng } from '../../core/rng.ts';
import { createEnginePool } from '../../../runs/createPool.ts';
import { V3ExactEnginePool } from './v3ExactEnginePool.ts';
import { V3FloatPool } from './v3FloatPool.ts';

const cfg = (over: Partial<BacktestConfig>): BacktestConfig => resolveBacktestConfig({ pool: 'v3', ...over } as Record<string, unknown>);
const dir = mkdtempSync(join(tmpdir(), 'ammsim-v3e2e-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Full-range IL at price ratio r (Uniswap docs; Pintail 2019): 2√r/(1+r) − 1. */
const ilFullRange = (r: number): number => (2 * Math.sqrt(r)) / (1 + r) - 1;

/**
 * IL of a concentrated position on [pa, pb] opened at P0, at P1, derived from the token amounts per unit of
 * liquidity (Uniswap v3 whitepaper, Adams et al. 2021, eq. 6.29–6.30, integrated from the range edges):
 * x(P) = 1/√P − 1/√pb, y(P) = √P − √pa inside, clamped outside; IL = (x1·P1 + y1)/(x0·P1 + y0) − 1.
 */
function ilConcentrated(p0: number, p1: number, pa: number, pb: number): number {
  const amounts = (p: number): [number, number] => {
    const s = Math.sqrt(Math.min(Math.max(p, pa), pb));
    return [1 / s - 1 / Math.sqrt(pb), s - Math.sqrt(pa)];
  };
  const [x0, y0] = amounts(p0);
  const [x1, y1] = amounts(p1);
  return (x1 * p1 + y1) / (x0 * p1 + y0) - 1;
}

describe('end to end (runBacktest --pool v3): full range behaves like v2', () => {
  // A pool so deep that the LP's split swap barely moves the price: the deposit price is P0.
  const deep = { fee: 0, poolLiquidity: 1e15, capital: 10_000, strategy: 'full-range' } as const;

  it.each([
    [0.25, false],
    [0.5, false],
    [2, false],
    [4, false],
    [0.5, true],
    [3, true],
  ] as const)('impermanentLoss equals 2√r/(1+r) − 1 to 1e-9 and no fee is earned at fee 0 (r = %s, exact = %s)', async (r, exact) => {
    const res = await runBacktest(cfg({ ...deep, exact }), seriesOf([1000, 1000 * Math.sqrt(r), 1000 * r]));
    const rr = (1000 * r) / res.timeseries.poolPrice[0]!;
    expect(Math.abs(res.summary.impermanentLoss - ilFullRange(rr))).toBeLessThan(1e-9);
    expect(res.summary.feesEarned).toBe(0);
    const v2 = await runBacktest(resolveBacktestConfig({ ...deep, pool: 'v2' }), seriesOf([1000, 1000 * Math.sqrt(r), 1000 * r]));
    expect(Math.abs(res.summary.impermanentLoss - v2.summary.impermanentLoss)).toBeLessThan(1e-9);
    expect(Math.abs(res.summary.lvr - v2.summary.lvr) / v2.summary.lvr).toBeLessThan(1e-6);
  });
});

describe('end to end: a range position’s IL matches the concentrated-liquidity closed form (two-point path)', () => {
  const deep = { fee: 0, poolLiquidity: 1e15, capital: 10_000, strategy: 'range' } as const;
  it.each([
    [0.1, 1.05, false],
    [0.1, 0.93, false],
    [0.1, 1.5, false], // far above the range: all quote
    [0.1, 0.5, false], // far below: all base
    [0.3, 1.2, true],
    [0.05, 0.8, true],
  ] as const)('width %s, P1/P0 = %s (exact = %s): impermanentLoss to 1e-9', async (width, r, exact) => {
    const res = await runBacktest(cfg({ ...deep, width, exact }), seriesOf([2000, 2000 * r]));
    const ts = res.timeseries;
    const pa = ts.rangeLower[0]!;
    const pb = ts.rangeUpper[0]!;
    // The range is [P0/(1+W), P0(1+W)] snapped outward to the spacing (fee 0 → spacing 1).
    expect(pa).toBeLessThanOrEqual(2000 / (1 + width));
    expect(pa).toBeGreaterThan((2000 / (1 + width)) * 0.9998);
    expect(pb).toBeGreaterThanOrEqual(2000 * (1 + width));
    expect(pb).toBeLessThan(2000 * (1 + width) * 1.0002);
    const expected = ilConcentrated(ts.poolPrice[0]!, 2000 * r, pa, pb);
    expect(Math.abs(res.summary.impermanentLoss - expected)).toBeLessThan(1e-9);
    // Cross-check with the reports engineer's IL curve (independent implementation of the same formula).
    expect(Math.abs(positionIl((2000 * r) / ts.poolPrice[0]!, ts.poolPrice[0]!, { lower: pa, upper: pb }) - expected)).toBeLessThan(1e-9);
    expect(res.summary.feesEarned).toBe(0);
  });
});

describe('property: fees accrue only while in range', () => {
  it('fees grow at a step iff the pool price path of that step overlaps the range (fast-check, 25 runs, seed 31337)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.double({ min: 0.97, max: 1.03, noNaN: true }), { minLength: 5, maxLength: 80 }),
        fc.constantFrom(0.0005, 0.003, 0.01),
        fc.double({ min: 0.005, max: 0.05, noNaN: true }),
        async (moves, fee, width) => {
          const prices = [1500];
          for (const m of moves) prices.push(prices[prices.length - 1]! * m);
          const res = await runBacktest(cfg({ fee, width, strategy: 'range', capital: 5_000, poolLiquidity: 500_000 }), seriesOf(prices));
          const ts = res.timeseries;
          const pa = ts.rangeLower[0]!;
          const pb = ts.rangeUpper[0]!;
          for (let t = 1; t < prices.length; t++) {
            const lo = Math.min(ts.poolPrice[t - 1]!, ts.poolPrice[t]!);
            const hi = Math.max(ts.poolPrice[t - 1]!, ts.poolPrice[t]!);
            const earned = ts.feesCumulative[t]! > ts.feesCumulative[t - 1]!;
            if (earned) expect(hi > pa * (1 - 1e-9) && lo < pb * (1 + 1e-9)).toBe(true);
            // A trade whose path crosses the range interior by a visible margin must pay the LP.
            if (Math.min(hi, pb) > Math.max(lo, pa) * (1 + 1e-6)) expect(earned).toBe(true);
            if (hi < pa * (1 - 1e-9) || lo > pb * (1 + 1e-9)) expect(ts.feesCumulative[t]).toBe(ts.feesCumulative[t - 1]);
          }
        },
      ),
      { numRuns: 25, seed: 31337 },
    );
  });
});

describe('conservation: no token created or lost across LP, traders and pool', () => {
  const series = seriesOf(gbmPath(1500, 1.2, 1 / 8760, 1800, 5));
  it.each([false, true])('tokenBalances + every account = initial pool + capital, 1e-9 relative; the pool covers all positions (exact = %s)', (exact) => {
    const c = cfg({ fee: 0.003, capital: 50_000, poolLiquidity: 400_000, exact, width: 0.03 });
    const pool = createEnginePool(c, series.price[0]!);
    const out = runEngine({
      series,
      pool,
      lp: rebalanceStrategy.create({ width: 0.03, delay: 0, threshold: 0, compound: false }),
      traders: [createNoiseTrader({ rate: 1.5, meanSize: 3_000 }), createArbitrageur()],
      capital: c.capital,
      gas: constantGas('v3', 0),
      rng: new Rng(9),
    });
    expect(out.rebalances).toBeGreaterThan(0);
    let base = pool.tokenBalances().base;
    let quote = pool.tokenBalances().quote;
    for (const a of out.accounts.values()) {
      base += a.base;
      quote += a.quote;
    }
    expect(Math.abs(base - out.initialPoolBalances.base) / out.initialPoolBalances.base).toBeLessThan(1e-9);
    expect(Math.abs(quote - (out.initialPoolBalances.quote + c.capital)) / out.initialPoolBalances.quote).toBeLessThan(1e-9);
    // Independent of the bookkeeping: what the pool holds is what its positions (principal + fees) would take.
    const p = pool as V3FloatPool | V3ExactEnginePool;
    let owedBase = 0;
    let owedQuote = 0;
    for (const id of p.positionIds()) {
      const v = p.position(id);
      owedBase += v.base + v.feesBase;
      owedQuote += v.quote + v.feesQuote;
    }
    const bal = pool.tokenBalances();
    expect(Math.abs(bal.base - owedBase) / bal.base).toBeLessThan(1e-9);
    expect(Math.abs(bal.quote - owedQuote) / bal.quote).toBeLessThan(1e-9);
    expect(out.traders.get('noise')!.trades).toBeGreaterThan(500);
  });
});

describe('float and exact v3 pools agree', () => {
  // Stated tolerance: 1e-7 relative on every summary value and 1e-9 on every step's pool price. The exact
  // pool rounds every amount to 1 wei (1e-18) and sqrt prices to 2^-96; the float pool carries ~1e-16
  // relative per operation; over thousands of swaps both stay far inside these bounds.
  const series = seriesOf(gbmPath(3000, 0.9, 1 / 8760, 2500, 21));
  it.each(['full-range', 'range', 'rebalance', 'adaptive'])('strategy %s with noise and arbitrage: summaries within 1e-7, pool prices within 1e-9', async (strategy) => {
    const over = { strategy, fee: 0.003, ...(strategy === 'full-range' ? {} : { width: 0.04 }), noiseRate: 0.5, noiseSize: 2_000, capital: 20_000, poolLiquidity: 2e6 };
    const f = await runBacktest(cfg({ ...over, exact: false }), series);
    const e = await runBacktest(cfg({ ...over, exact: true }), series);
    for (const k of ['finalValue', 'holdValue', 'feesEarned', 'lvr', 'arbitrageVolume', 'noiseVolume'] as const) {
      expect(Math.abs(f.summary[k] - e.summary[k]) / Math.abs(e.summary[k])).toBeLessThan(1e-7);
    }
    expect(Math.abs(f.summary.impermanentLoss - e.summary.impermanentLoss)).toBeLessThan(1e-7);
    expect(f.summary.rebalances).toBe(e.summary.rebalances);
    expect(f.summary.timeInRange).toBe(e.summary.timeInRange);
    expect(f.summary.arbitrageTrades).toBe(e.summary.arbitrageTrades);
    let worst = 0;
    for (let t = 0; t < series.length; t++) worst = Math.max(worst, Math.abs(f.timeseries.poolPrice[t]! / e.timeseries.poolPrice[t]! - 1));
    expect(worst).toBeLessThan(1e-9);
  });

  it('a background distribution file seeds both pools alike (--pool-liquidity-file)', async () => {
    const file = join(dir, 'dist.json');
    writeFileSync(
      file,
      JSON.stringify({ positions: [{ fullRange: true, valueQuote: 300_000 }, { lower: 2200, upper: 2800, valueQuote: 700_000 }, { lower: 2700, upper: 3500, valueQuote: 100_000 }] }),
    );
    const over = { strategy: 'rebalance', fee: 0.0005, width: 0.02, poolLiquidityFile: file, capital: 10_000 };
    const f = await runBacktest(cfg({ ...over, exact: false }), series);
    const e = await runBacktest(cfg({ ...over, exact: true }), series);
    expect(Math.abs(f.summary.finalValue / e.summary.finalValue - 1)).toBeLessThan(1e-7);
    expect(Math.abs(f.summary.feesEarned / e.summary.feesEarned - 1)).toBeLessThan(1e-7);
    expect(f.summary.rebalances).toBe(e.summary.rebalances);
    // The file replaces --pool-liquidity: at P0 = 2500 the active background is the full-range position plus the
    // [2200, 2800] one (the [2700, 3500] one is above the price), each L = value / value per unit L at P0.
    const { planBackgroundLiquidity } = await import('./v3Liquidity.ts');
    const [full, mid] = planBackgroundLiquidity([{ range: null, valueQuote: 300_000 }, { range: { lower: 2200, upper: 2800 }, valueQuote: 700_000 }], 2500, 10);
    for (const exact of [false, true]) {
      const pool = createEnginePool(cfg({ ...over, exact }), 2500);
      expect(pool.activeLiquidity() / (full!.liquidity + mid!.liquidity)).toBeCloseTo(1, 9);
      const b = pool.tokenBalances();
      expect((b.base * 2500 + b.quote) / 1_100_000).toBeCloseTo(1, 9);
    }
  });
});

describe('range strategies on a volatile path', () => {
  const series = seriesOf(gbmPath(2000, 1.5, 1 / 8760, 2000, 8));
  it('behavior: a narrow fixed range is out of range part of the time (0 < timeInRange < 1); the rebalance strategy rebalances', async () => {
    const range = await runBacktest(cfg({ strategy: 'range', width: 0.01 }), series);
    expect(range.summary.timeInRange).toBeGreaterThan(0);
    expect(range.summary.timeInRange).toBeLessThan(1);
    expect(range.summary.rebalances).toBe(0);
    const reb = await runBacktest(cfg({ strategy: 'rebalance', width: 0.01 }), series);
    expect(reb.summary.rebalances).toBeGreaterThan(0);
    const full = await runBacktest(cfg({ strategy: 'full-range' }), series);
    expect(full.summary.timeInRange).toBe(1);
    // Concentration multiplies fees per unit capital while in range.
    expect(range.summary.feesEarned).toBeGreaterThan(full.summary.feesEarned);
  });

  it('behavior: the full-range strategy on v3 uses a null range and engine-level runs use the fee tier spacing', () => {
    const pool = createEnginePool(cfg({ fee: 0.01 }), 100) as V3FloatPool;
    expect(pool.tickSpacing).toBe(200);
    expect(pool.position(1).range).toBeNull();
    const out = runEngine({
      series: seriesOf([100, 120, 90]),
      pool,
      lp: fullRangeStrategy.create({}),
      traders: [createArbitrageur()],
      capital: 1_000,
      gas: constantGas('v3', 0),
      rng: new Rng(1),
    });
    expect(out.events.map((e) => e.kind)).toEqual(['split', 'mint']);
    expect(Number.isNaN(out.events[1]!.rangeLower)).toBe(true);
  });
});
