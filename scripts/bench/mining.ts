/**
 * The cost of liquidity mining in the engine (issue #13: one program with a daily harvest ≤ 25 % slower on a year
 * of minutes). The engine-v2 bench (v2 full range + arbitrageur, 525,600 minute steps) without and with one
 * StakingRewards program over the whole year, harvested daily (claim, then sell through the reward pool), interleaved
 * so both see the same machine load. Run alone: `npx tsx scripts/bench/run.ts --only engine-v2-mining`.
 */
import { loadavg } from 'node:os';
import { generateGbm, GBM_MINUTE } from '../../data/synthetic/gbm.ts';
import { runEngine } from '../../sim/engine/engine.ts';
import { constantGas } from '../../sim/engine/gas.ts';
import { createProgram, type IncentivesInput } from '../../sim/engine/incentives.ts';
import type { Timeseries } from '../../sim/metrics/record.ts';
import { V2FloatPool } from '../../sim/pools/v2/v2FloatPool.ts';
import { Rng } from '../../sim/core/rng.ts';
import { intervalHarvest } from '../../strategies/harvest/builtins.ts';
import { fullRangeStrategy } from '../../strategies/lp/fullRange.ts';
import { createArbitrageur } from '../../strategies/trader/arbitrageur.ts';
import { median, type BenchResult } from './run.ts';

export async function miningBenches(opts: { reps: number; want: (name: string) => boolean; log: (s: string) => void }): Promise<BenchResult[]> {
  if (!opts.want('engine-v2-mining')) return [];
  opts.log('engine-v2-mining: engine-v2 without and with one StakingRewards program harvested daily (claim + sell), interleaved');
  const minute = generateGbm({ ...GBM_MINUTE, seed: 1 });
  const n = minute.length;
  const startSec = Math.floor(minute.timestampMs[0]! / 1000);
  const endSec = Math.floor(minute.timestampMs[n - 1]! / 1000);
  const rewardPrice = new Float64Array(n).fill(2);
  const incentives = (): IncentivesInput => ({
    programs: [createProgram({ kind: 'staking-rewards', token: 'R', source: 'bench', startSec, endSec, amountRaw: 10n ** 24n, topUps: [], otherStake: 10n ** 21n })],
    policy: intervalHarvest.create({ every: '1d', then: 'sell' }),
    rewardPrice,
    rewardPoolLiquidity: 1_000_000,
    performanceFee: 0,
    callerFee: 0,
  });
  const run = (mining: boolean, columns?: Timeseries): Timeseries =>
    runEngine({
      series: minute,
      pool: new V2FloatPool(0.003, 500, 1_000_000),
      lp: fullRangeStrategy.create({}),
      traders: [createArbitrageur()],
      capital: 10_000,
      gas: constantGas('v2', 20),
      rng: new Rng(1),
      ...(mining ? { incentives: incentives() } : {}),
      ...(columns === undefined ? {} : { columns }),
    }).timeseries;
  // Each writes into its own previous arrays (as sweep does): the difference is the mining work, not page faults.
  let plainCols = run(false);
  let miningCols = run(true);
  for (let i = 0; i < 2; i++) {
    plainCols = run(false, plainCols);
    miningCols = run(true, miningCols);
  }
  const plain: number[] = [];
  const mining: number[] = [];
  const ratio: number[] = [];
  // Process CPU time (user + system), not wall time: on a loaded machine the ratio stays meaningful.
  const cpuMs = (): number => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  // Pairs, alternating which goes first; the overhead is the median of the pairs' ratios (load that drifts over
  // the bench shifts both halves of a pair alike), beside the ratios of the minima and of the medians.
  const reps = Math.max(opts.reps, 11);
  for (let i = 0; i < reps; i++) {
    let p = 0;
    let m = 0;
    for (const first of i % 2 === 0 ? [false, true] : [true, false]) {
      const t0 = cpuMs();
      if (first) miningCols = run(true, miningCols);
      else plainCols = run(false, plainCols);
      const dt = cpuMs() - t0;
      if (first) m = dt;
      else p = dt;
    }
    plain.push(p);
    mining.push(m);
    ratio.push(m / p);
  }
  plain.sort((a, b) => a - b);
  mining.sort((a, b) => a - b);
  ratio.sort((a, b) => a - b);
  const pct = (r: number): string => `${r >= 1 ? '+' : '−'}${(Math.abs(r - 1) * 100).toFixed(1)} %`;
  const pairs = pct(median(ratio));
  const load = loadavg().map((l) => l.toFixed(2)).join(' ');
  opts.log(
    `  CPU time over ${reps} pairs (load average ${load}): without min ${plain[0]!.toFixed(0)} median ${median(plain).toFixed(0)} ms; ` +
      `with one program + daily harvest min ${mining[0]!.toFixed(0)} median ${median(mining).toFixed(0)} ms; ` +
      `overhead: median of pairs ${pairs}, min/min ${pct(mining[0]! / plain[0]!)}, median/median ${pct(median(mining) / median(plain))}`,
  );
  return [
    { name: 'engine-v2-mining', unit: 'M steps/s', best: n / mining[0]! / 1e3, median: n / median(mining) / 1e3, target: '≤ +25 % CPU vs without', note: `engine-v2 with one StakingRewards program harvested daily (claim + sell); CPU time vs without: ${pairs} (median of ${reps} interleaved pairs; min/min ${pct(mining[0]! / plain[0]!)}; load ${load})` },
  ];
}
