import { describe, expect, it } from 'vitest';
import { MS_PER_YEAR } from '../core/time.ts';
import { OPTIONAL_METRICS, SUMMARY_METRICS } from './index.ts';
import type { MetricInput } from './input.ts';
import { apyOf, computeRewardMetrics, REWARD_METRICS, rewardMetricWarnings, rewardTokensSoldOf, type RewardMetricInput, type RewardTotalsInput } from './rewards.ts';

/**
 * A hand-made run of a tenth of a year: capital 10,000; final LP value 10,400 (with rewards), hold 10,200, fees 150.
 * Rewards: 1,000 tokens claimed over the run at prices worth 1,500 (gross), 10 % performance + 2 % caller fees
 * (150 + 30), so 880 kept: 300 held, 580 sold for 812 quote (set aside 500, compounded 312) with 18 slippage;
 * 50 pending at the end, of which the fees will take 12 % (6 + 1.2 at the last reward price 1.2).
 */
function run(over: Partial<RewardTotalsInput> = {}): RewardMetricInput {
  const t = [0, MS_PER_YEAR / 10];
  const col = (a: number, b: number) => Float64Array.from([a, b]);
  const base: MetricInput = {
    timeseries: {
      timestamp: Float64Array.from(t),
      price: col(2000, 2100),
      lpValue: col(10_000, 10_400),
      holdValue: col(10_000, 10_200),
      feesCumulative: col(0, 150),
      impermanentLoss: col(0, -0.01),
      lvrCumulative: col(0, 120),
      gasCumulative: col(0, 40),
    },
    timestampMs: t,
    capital: 10_000,
    inRangeSteps: 2,
    rebalances: 0,
    traders: new Map(),
    feesBase: 0,
    feesQuote: 0,
    entryCost: 0,
    entryPriceImpact: 0,
    seed: 1,
  };
  const rewards: RewardTotalsInput = {
    rewardTokensEarned: 1050,
    rewardsEarned: 1500 + 50 * 1.2,
    rewardsValueAtEnd: 1050 * 1.2,
    harvests: 12,
    harvestGas: 36,
    rewardSlippage: 18,
    performanceFees: 150 + 6,
    callerFees: 30 + 1.2,
    rewardTokensHeld: 300,
    rewardTokensPending: 50,
    rewardQuote: 500,
    rewardsCompounded: 312,
    lpRatePerSecondAtStart: 0.001,
    rewardPriceAtStart: 2,
    compoundsPerYear: 52,
    ...over,
  };
  return { ...base, rewards };
}

describe('reward metrics (hand-computed run)', () => {
  const m = computeRewardMetrics(run());
  it('behavior: keys in the design’s summary.json order', () => {
    expect(Object.keys(m)).toEqual([
      'rewardTokensEarned',
      'rewardsEarned',
      'rewardsValueAtEnd',
      'rewardAprSpot',
      'rewardApr',
      'totalApr',
      'apy',
      'apyCompoundsPerYear',
      'harvests',
      'harvestGas',
      'rewardSlippage',
      'performanceFees',
      'callerFees',
      'breakevenRewardPriceHold',
    ]);
  });
  it('behavior: APRs over the 0.1-year run, spot APR from the start rate, APY after fees at n = 52', () => {
    expect(m.rewardApr).toBeCloseTo(1560 / 10_000 / 0.1, 12); // 1.56
    expect(m.totalApr).toBeCloseTo((150 + 1560) / 10_000 / 0.1, 12); // 1.71
    expect(m.rewardAprSpot).toBeCloseTo((0.001 * 31_536_000 * 2) / 10_000, 12); // 6.3072
    const net = (150 + 1560 * (1 - 0.12)) / 10_000 / 0.1; // fee share 187.2 / 1,560 = 12 % of the rewards, pending included
    expect(m.apy).toBeCloseTo(Math.pow(1 + net / 52, 52) - 1, 12);
    expect(computeRewardMetrics(run({ compoundsPerYear: 0 })).apy).toBeCloseTo(net, 12);
  });
  it('behavior: tokens sold are claimed × (1 − fee share) − held: 1,000 × 0.88 − 300 = 580', () => {
    expect(rewardTokensSoldOf(run().rewards)).toBeCloseTo(580, 9);
    expect(rewardTokensSoldOf(run({ rewardTokensSold: 7 }).rewards)).toBe(7);
  });
  it('behavior: breakeven vs hold: owned 300 + 50·0.88 = 344; V0 = 10,400 − 344·1.2 − 812 = 9,175.2; s = 18/830; p* = 1,024.8 / (344 + (1 − s)·580)', () => {
    const s = 18 / 830;
    expect(m.breakevenRewardPriceHold).toBeCloseTo((10_200 - 9175.2) / (344 + (1 - s) * 580), 10);
  });
  it('behavior: no reward tokens → breakeven NaN (null in summary.json)', () => {
    const none = computeRewardMetrics(run({ rewardTokensEarned: 0, rewardsEarned: 0, rewardsValueAtEnd: 0, rewardTokensHeld: 0, rewardTokensPending: 0, rewardQuote: 0, rewardsCompounded: 0, performanceFees: 0, callerFees: 0, rewardSlippage: 0 }));
    expect(none.breakevenRewardPriceHold).toBeNaN();
    expect(JSON.parse(JSON.stringify(none)).breakevenRewardPriceHold).toBeNull();
  });
});

describe('the run’s summary (runs/incentives rewardSummary) is these definitions', () => {
  it('behavior: same keys in the same order, NaN written as null', async () => {
    const { rewardSummary, REWARD_SUMMARY_KEYS } = await import('../../runs/incentives/index.ts');
    const x = run({ rewardTokensSold: 580, rewardPriceAtEnd: 1.2 });
    const mine = computeRewardMetrics(x) as Record<string, number>;
    const { rewards, ...input } = x;
    const theirs = rewardSummary(rewards as never, input);
    expect(Object.keys(theirs)).toEqual(Object.keys(mine));
    expect([...REWARD_SUMMARY_KEYS]).toEqual(Object.keys(mine));
    for (const k of Object.keys(mine)) expect(theirs[k], k).toBe(mine[k]);
    const none = rewardSummary({ ...rewards, rewardTokensEarned: 0, rewardsEarned: 0, rewardsValueAtEnd: 0, rewardTokensHeld: 0, rewardTokensPending: 0, rewardQuote: 0, rewardsCompounded: 0, performanceFees: 0, callerFees: 0, rewardSlippage: 0, rewardTokensSold: 0 } as never, input);
    expect(none.breakevenRewardPriceHold).toBeNull();
  });
});

describe('reward metric definitions', () => {
  it('behavior: optional (not in SUMMARY_METRICS), listed in OPTIONAL_METRICS in order, with labels ≤ 18 for the terminal', () => {
    const standard = new Set(SUMMARY_METRICS.map((x) => x.key));
    for (const d of REWARD_METRICS) {
      expect(standard.has(d.key), d.key).toBe(false);
      expect((d.short ?? d.label).length <= 18 || !d.terminal, d.key).toBe(true);
      expect(d.description.length).toBeGreaterThan(0);
    }
    expect(OPTIONAL_METRICS.map((x) => x.key)).toEqual([...REWARD_METRICS.map((x) => x.key), 'breakevenRewardPriceStaking']);
  });
});

describe('apy beyond the largest number (regression: Infinity, null in summary.json with exit 0, "∞" in the terminal, "n/a" in the report)', () => {
  // A 3-day run (as `backtest --prices move.csv --pool v3 --incentive sr1.json --harvest interval --harvest-param
  // every=5h --harvest-param then=compound`): 86,400 reward tokens at 1 on 10,000, compounded 1,752 times a year.
  const three = (over: Partial<RewardTotalsInput> = {}): RewardMetricInput => {
    const x = run({ rewardsEarned: 86_400, rewardTokensEarned: 86_400, rewardsValueAtEnd: 86_400, performanceFees: 0, callerFees: 0, compoundsPerYear: 1752, ...over });
    const t = [0, (3 * MS_PER_YEAR) / 365];
    return { ...x, timestampMs: t, timeseries: { ...x.timeseries, timestamp: Float64Array.from(t) } };
  };

  it('behavior: NaN (null, n/a everywhere), never ±Infinity, and said in a warning naming the rate, the compounding and totalApr', () => {
    const x = three();
    const m = computeRewardMetrics(x);
    expect(m.apy).toBeNaN();
    expect(JSON.parse(JSON.stringify(m)).apy).toBeNull();
    expect(apyOf(x)).toMatchObject({ overflow: true });
    expect(m.totalApr).toBeCloseTo((150 + 86_400) / 10_000 / (3 / 365), 9);
    expect(rewardMetricWarnings(x)).toEqual([
      "apy is not stated (null): the net APR 105,303 % compounded 1,752 times a year grows beyond the largest number; a 3.0-day run's rate does not compound over a year — read totalApr (105,303 %) and rewardApr",
    ]);
  });

  it('behavior: the same run compounding less often, or not at all, states its APY (finite) and warns of nothing', () => {
    for (const n of [0, 1, 52, 100]) {
      const x = three({ compoundsPerYear: n });
      const apy = computeRewardMetrics(x).apy;
      expect(Number.isFinite(apy), `n ${n}`).toBe(true);
      expect(rewardMetricWarnings(x), `n ${n}`).toEqual([]);
    }
    expect(rewardMetricWarnings(run())).toEqual([]);
  });

  it('property: apy is finite or NaN for any rate and compounding, and NaN exactly when a warning says so', () => {
    for (const earned of [0, 1, 1e3, 1e5, 1e7, 1e9, 1e12, 1e15]) {
      for (const n of [0, 0.5, 1, 12, 365, 8760, 525_600]) {
        const x = three({ rewardsEarned: earned, compoundsPerYear: n });
        const apy = computeRewardMetrics(x).apy;
        expect(Number.isNaN(apy) || Number.isFinite(apy), `${earned} × ${n}`).toBe(true);
        expect(rewardMetricWarnings(x).length, `${earned} × ${n}`).toBe(Number.isNaN(apy) ? 1 : 0);
      }
    }
  });
});
