/**
 * `npm run bench`: the performance figures quoted in the README. Wall-clock timings of warmed-up runs on
 * this machine (best and median of N); nothing here is asserted by the test suite.
 *
 *   npx tsx scripts/bench/run.ts [--quick] [--only name,name]   (--help lists the names)
 *
 * Writes a Markdown table to stdout and out/bench/results.json.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../data/io/atomicWrite.ts';
import { benchArgs } from './args.ts';
import { GBM_MINUTE, generateGbm, writeSeriesCsv } from '../../data/synthetic/gbm.ts';
import { runEngine } from '../../sim/engine/engine.ts';
import type { Timeseries } from '../../sim/metrics/record.ts';
import { constantGas } from '../../sim/engine/gas.ts';
import { V2FloatPool } from '../../sim/pools/v2/v2FloatPool.ts';
import { Rng } from '../../sim/core/rng.ts';
import { fullRangeStrategy } from '../../strategies/lp/fullRange.ts';
import { createArbitrageur } from '../../strategies/trader/arbitrageur.ts';
import { cliBenches } from './cli.ts';
import { extraBenches } from './extra.ts';
import { sweepBenches } from './sweep.ts';
import { miningBenches } from './mining.ts';

export interface BenchResult {
  readonly name: string;
  readonly unit: string;
  /** Best (highest throughput / lowest time) and median over the repetitions. */
  readonly best: number;
  readonly median: number;
  readonly target: string;
  readonly note: string;
}

export function timeIt(reps: number, fn: () => void): number[] {
  for (let i = 0; i < 3; i++) fn(); // warm-up: let the JIT settle before timing
  const out: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    fn();
    out.push(performance.now() - t0);
  }
  return out.sort((a, b) => a - b);
}

export const median = (xs: readonly number[]): number => xs[Math.floor(xs.length / 2)]!;

const { quick, only } = benchArgs(process.argv.slice(2));
const want = (name: string): boolean => only === undefined || only.has(name);
const reps = quick ? 3 : 7;
const outDir = 'out/bench';
mkdirSync(outDir, { recursive: true });
const results: BenchResult[] = [];
const log = (s: string): void => void process.stderr.write(s + '\n');

const minute = generateGbm({ ...GBM_MINUTE, seed: 1 });

if (want('engine-v2')) {
  log('engine-v2: v2 full range + arbitrageur, 525,600 minute steps, engine only');
  const run = (columns?: Timeseries): Timeseries =>
    runEngine({
      series: minute,
      pool: new V2FloatPool(0.003, 500, 1_000_000),
      lp: fullRangeStrategy.create({}),
      traders: [createArbitrageur()],
      capital: 10_000,
      gas: constantGas('v2', 0),
      rng: new Rng(1),
      ...(columns === undefined ? {} : { columns }),
    }).timeseries;
  const fresh = timeIt(reps, () => void run());
  results.push({ name: 'engine-v2', unit: 'M steps/s', best: minute.length / fresh[0]! / 1e3, median: minute.length / median(fresh) / 1e3, target: '≥ 5', note: 'v2 full range + arbitrageur, float path, 525,600 steps, into new output arrays (63 MB: page faults included)' });
  let columns = run();
  const reused = timeIt(reps, () => void (columns = run(columns)));
  results.push({ name: 'engine-v2-reuse', unit: 'M steps/s', best: minute.length / reused[0]! / 1e3, median: minute.length / median(reused) / 1e3, target: '≥ 5', note: 'the same, writing into the previous run\'s arrays (as `sweep` does)' });
}

const csvPath = join(outDir, 'minute-1y.csv');
if (want('cli') || want('papaparse')) {
  if (!existsSync(csvPath)) {
    log(`writing ${csvPath} (525,600 rows)`);
    writeSeriesCsv(minute, csvPath);
  }
}

for (const b of await cliBenches({ reps, want, log, csvPath })) results.push(b);
for (const b of await extraBenches({ reps, want, log })) results.push(b);
for (const b of await sweepBenches({ want, log, pairs: quick ? 1 : 3 })) results.push(b);
for (const b of await miningBenches({ reps, want, log })) results.push(b);

const fmt = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const lines = ['| benchmark | best | median | unit | target | what |', '|---|---:|---:|---|---|---|'];
for (const r of results) lines.push(`| ${r.name} | ${fmt(r.best)} | ${fmt(r.median)} | ${r.unit} | ${r.target} | ${r.note} |`);
process.stdout.write(lines.join('\n') + '\n');
writeFileAtomic(join(outDir, 'results.json'), JSON.stringify({ node: process.version, results }, null, 2) + '\n');
