import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeSeries, type PriceSeries } from '../../sim/core/series.ts';
import { Rng } from '../../sim/core/rng.ts';
import { runBacktest } from '../backtest.ts';
import { resolveBacktestConfig, type BacktestConfig } from '../config.ts';
import { REWARD_SUMMARY_KEYS } from '../incentives/index.ts';
import { COMPARE_DEFAULTS, type CompareOptions } from './config.ts';
import { runCompare, type CompareConfig } from './compare.ts';

/**
 * compare with liquidity mining (issue #13 item 4): each LP alternative is its backtest with the programs, its entry
 * carries the run's reward keys (APR, APY with its n) and the breakeven reward price against staking as well as hold.
 */

const H = 3_600_000;
const T0 = Date.UTC(2022, 0, 1);
const rel = (a: number, b: number): number => Math.abs(a / b - 1);
const dir = mkdtempSync(join(tmpdir(), 'ammsim-compare-lm-'));

/** 20 days of hourly GBM (σ 60 %/yr, seed 5) from 2000. */
function synthetic(): PriceSeries {
  const n = 24 * 20 + 1;
  const rng = new Rng(5);
  const ts = Float64Array.from({ length: n }, (_, i) => T0 + i * H);
  const price = new Float64Array(n);
  price[0] = 2000;
  const dt = 1 / (365 * 24);
  for (let i = 1; i < n; i++) price[i] = price[i - 1]! * Math.exp(-0.5 * 0.36 * dt + 0.6 * Math.sqrt(dt) * rng.normal());
  return makeSeries(ts, price, new Map(), { kind: 'test', sha256: 'test' });
}

const program = join(dir, 'farm.json');
writeFileSync(program, JSON.stringify({ kind: 'staking-rewards', token: 'FARM', total: 40_000, start: '2022-01-03T00:00:00Z', end: '2022-01-18T00:00:00Z', otherStakedValue: 2_000_000 }));

function cfg(backtest: Partial<BacktestConfig>, options: Partial<CompareOptions> = {}, strategies = ['full-range']): CompareConfig {
  return { backtest: resolveBacktestConfig(backtest), strategies, widths: [0.1], options: { ...COMPARE_DEFAULTS, stakingApr: 0.05, ...options }, aprSeries: undefined, lstSeries: undefined };
}

type Lp = Record<string, number | null | string>;

describe('compare with liquidity-mining programs', () => {
  const series = synthetic();

  it('behavior: the LP entry carries its backtest\'s reward keys after entryPriceImpact, then the breakeven reward price vs staking; hold and staking are unchanged', async () => {
    const mining = { incentives: [program], harvest: 'interval', harvestParams: { every: '1d', then: 'sell' }, rewardPrice: 3, gasPrice: 5 } as const;
    const c = cfg(mining);
    const r = await runCompare(c, series);
    const lp = r.summary.lp as Lp;
    const direct = await runBacktest({ ...c.backtest, strategy: 'full-range' }, series);
    const d = direct.summary as unknown as Lp;
    expect(lp.finalValue).toBe(d.finalValue);
    for (const k of REWARD_SUMMARY_KEYS) expect(lp[k], k).toBe(d[k]);
    // Daily from the first claimable hour (Jan 3 01:00) to Jan 17 01:00, and the last 23 hours on Jan 18 01:00.
    expect(lp.harvests).toBe(16);
    expect(lp.rewardsEarned as number).toBeGreaterThan(0);
    const keys = Object.keys(lp);
    const at = keys.indexOf('entryPriceImpact');
    expect(keys.slice(at + 1, at + 2 + REWARD_SUMMARY_KEYS.length)).toEqual([...REWARD_SUMMARY_KEYS, 'breakevenRewardPriceStaking']);
    expect(typeof lp.breakevenRewardPriceStaking).toBe('number');
    // The rewards are the LP's: holding and staking are what they are without them.
    const plain = await runCompare(cfg({ gasPrice: 5 }), series);
    for (const id of ['hold', 'staking', 'hold-staked']) expect(r.summary[id], id).toEqual(plain.summary[id]);
    expect(Object.keys(plain.summary.lp as Lp).some((k) => k.startsWith('reward') || k === 'apy' || k.startsWith('breakevenReward'))).toBe(false);
    // The differences include the rewards.
    const diff = r.summary.differences as Record<string, Record<string, number>>;
    expect(diff.lp!.minusStaking).toBe((lp.finalValue as number) - ((r.summary.staking as Lp).finalValue as number));
  });

  it('behavior: the breakeven reward prices, fed back as a constant --reward-price, make the LP end level with staking and with hold (never claiming: exact model)', async () => {
    const base = { incentives: [program], harvest: 'never', rewardPrice: 3 } as const;
    const r = await runCompare(cfg(base), series);
    const lp = r.summary.lp as Lp;
    const pStake = lp.breakevenRewardPriceStaking as number;
    const pHold = lp.breakevenRewardPriceHold as number;
    expect(pStake).not.toBe(pHold);
    const atStake = await runCompare(cfg({ ...base, rewardPrice: pStake }), series);
    expect(rel((atStake.summary.lp as Lp).finalValue as number, (atStake.summary.staking as Lp).finalValue as number)).toBeLessThan(1e-9);
    const atHold = await runCompare(cfg({ ...base, rewardPrice: pHold }), series);
    expect(rel((atHold.summary.lp as Lp).finalValue as number, (atHold.summary.hold as Lp).finalValue as number)).toBeLessThan(1e-9);
  });

  it('behavior: every LP alternative gets the programs (a range and full range), each equal to its own backtest', async () => {
    const c = cfg({ pool: 'v3', incentives: [program], harvest: 'interval', harvestParams: { every: '2d', then: 'compound' }, rewardPrice: 'decay:linear:0.5', rewardPriceStart: 4 }, {}, ['full-range', 'range']);
    const r = await runCompare(c, series);
    expect(r.summary.alternatives).toEqual(['lp:full-range', 'lp:range', 'hold', 'staking', 'hold-staked']);
    for (const a of r.alternatives) {
      const direct = await runBacktest(a.config, series);
      const e = r.summary[a.id] as Lp;
      expect(e.finalValue).toBe(direct.summary.finalValue);
      expect(e.apy).toBe((direct.summary as unknown as Lp).apy);
      expect(e.apyCompoundsPerYear).toBeCloseTo(365 / 2, 9);
    }
  });
});
