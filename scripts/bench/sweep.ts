/**
 * Sweep throughput (`npm run bench -- --only sweep`), through the CLI as a user runs it (the README's command,
 * whole process, prebuilt bundle): 10,000 v3 range configurations (`--width 0.0001:1:0.0001`) over the built-in
 * synthetic series (one year of hourly prices, 8,760 steps), with 1 and 2 worker threads, the two interleaved
 * (pairs of runs one after the other, so a change of the machine's load hits both). Targets: ≤ 30 s with 2
 * workers; 2 workers ≥ 1.8× one. The outputs of the two must be byte-identical (checked). After each pair, the
 * machine's own parallel capacity for reference: the grid as two 1-worker processes at once (two shards).
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchResult } from './run.ts';
import { groupThousands } from '../../sim/core/format.ts';

const TIME = '/usr/bin/time';

interface Run {
  readonly secs: number;
  readonly cpuSecs: number;
}

function sweepOnce(workers: number, n: number, out: string): Run {
  const args = ['scripts/ammsim.mjs', 'sweep', '--pool', 'v3', '--strategy', 'range', '--width', `0.0001:${n / 10_000}:0.0001`, '--workers', String(workers), '--out', out];
  const timeFile = join(out, '..', `time-${workers}`);
  const withTime = existsSync(TIME);
  rmSync(out, { recursive: true, force: true });
  const t0 = performance.now();
  const r = withTime
    ? spawnSync(TIME, ['-f', '%U %S', '-o', timeFile, process.execPath, ...args], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' })
    : spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const secs = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`sweep bench: ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  const [u, s] = withTime ? readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number) : [Number.NaN, Number.NaN];
  return { secs, cpuSecs: u! + s! };
}

/**
 * This machine's own parallel capacity, the reference for "2 workers ≥ 1.8× one": the same grid as two 1-worker
 * processes at once (`--shard 0/2` and `--shard 1/2`: every other configuration each, so equal work), as a user would
 * run two shards. Returns each process's wall time; their summed throughput over one worker's is what two
 * independent threads get from this machine, with no pool, no shared memory and no main thread in common.
 */
async function shardsAtOnce(n: number, dir: string): Promise<number[]> {
  const one = (i: number): Promise<number> =>
    new Promise((resolve, reject) => {
      const out = join(dir, `shard${i}`);
      rmSync(out, { recursive: true, force: true });
      const args = ['scripts/ammsim.mjs', 'sweep', '--pool', 'v3', '--strategy', 'range', '--width', `0.0001:${n / 10_000}:0.0001`, '--workers', '1', '--shard', `${i}/2`, '--out', out];
      const t0 = performance.now();
      const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      child.stderr.on('data', (d: Buffer) => void (err += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve((performance.now() - t0) / 1000) : reject(new Error(`sweep bench: ${args.join(' ')} failed (${code}): ${err}`))));
    });
  return Promise.all([one(0), one(1)]);
}

const sorted = (xs: readonly number[]): number[] => [...xs].sort((a, b) => a - b);
const med = (xs: readonly number[]): number => sorted(xs)[Math.floor(xs.length / 2)]!;

export async function sweepBenches(opts: { readonly want: (name: string) => boolean; readonly log: (s: string) => void; readonly configurations?: number; readonly pairs?: number }): Promise<BenchResult[]> {
  if (!opts.want('sweep')) return [];
  const n = opts.configurations ?? 10_000;
  const pairs = opts.pairs ?? 3;
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: ['ignore', 'ignore', 'inherit'] }); // no timed run rebuilds
  const dir = mkdtempSync(join(tmpdir(), 'ammsim-bench-sweep-'));
  try {
    const runs: Record<number, Run[]> = { 1: [], 2: [] };
    const loads: number[] = [];
    const shardRates: number[] = [];
    const shardWalls: number[] = [];
    const shardSecs: number[] = [];
    for (let p = 0; p < pairs; p++) {
      for (const workers of p % 2 === 0 ? [1, 2] : [2, 1]) {
        opts.log(`sweep: ${groupThousands(String(n))} v3 range configurations × 8,760 steps, ${workers} worker${workers > 1 ? 's' : ''} (pair ${p + 1} of ${pairs})`);
        runs[workers]!.push(sweepOnce(workers, n, join(dir, `w${workers}`)));
        loads.push(loadavg()[0]!);
      }
      const csv = (w: number): Buffer => readFileSync(join(dir, `w${w}`, 'sweep.csv'));
      if (!csv(1).equals(csv(2))) throw new Error('sweep bench: sweep.csv differs between 1 and 2 workers');
      opts.log(`sweep: the same grid as two 1-worker processes at once (--shard 0/2, --shard 1/2) (pair ${p + 1} of ${pairs})`);
      const [a, b] = await shardsAtOnce(n, dir);
      const alone = runs[1]![p]!.secs;
      shardRates.push(((n / 2 / a! + n / 2 / b!) * alone) / n);
      shardWalls.push(alone / Math.max(a!, b!));
      shardSecs.push(Math.max(a!, b!));
    }
    const secs = (w: number): number[] => runs[w]!.map((r) => r.secs);
    const cpu = (w: number): number[] => runs[w]!.map((r) => r.cpuSecs);
    const ratios = runs[1]!.map((r, i) => r.secs / runs[2]![i]!.secs);
    const best1 = sorted(secs(1))[0]!;
    const best2 = sorted(secs(2))[0]!;
    const machine = `load avg ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} on ${availableParallelism()} cores`;
    return [
      {
        name: 'sweep-1-worker',
        unit: 's',
        best: best1,
        median: med(secs(1)),
        target: '(reference)',
        note: `\`ammsim sweep --pool v3 --strategy range --width 0.0001:${n / 10_000}:0.0001 --workers 1\`, whole process: ${groupThousands(String(n))} configurations over 8,760 hourly steps (${(n / best1).toFixed(0)} runs/s; CPU ${med(cpu(1)).toFixed(1)} s, ${((med(cpu(1)) / n) * 1000).toFixed(2)} ms a run); ${pairs} runs interleaved with the 2-worker ones; ${machine}`,
      },
      {
        name: 'sweep-2-workers',
        unit: 's',
        best: best2,
        median: med(secs(2)),
        target: '≤ 30',
        note: `the same with \`--workers 2\` (${(n / best2).toFixed(0)} runs/s; CPU ${med(cpu(2)).toFixed(1)} s): ${(best1 / best2).toFixed(2)}× one worker best to best, ${med(ratios).toFixed(2)}× the median of the pairs' ratios (target ≥ 1.8×); sweep.csv byte-identical`,
      },
      {
        name: 'sweep-2-processes',
        unit: 's',
        best: sorted(shardSecs)[0]!,
        median: med(shardSecs),
        target: '(reference)',
        note: `this machine's own parallel capacity: the same grid as two independent 1-worker processes at once (\`--shard 0/2\` and \`--shard 1/2\`, every other configuration each), after each pair's 1-worker run: together ${med(shardRates).toFixed(2)}× one process's throughput (median of ${pairs}; each process's configurations over its own time, summed), ${med(shardWalls).toFixed(2)}× until both had finished: what this machine gives two independent single-threaded jobs, the yardstick for the 2-worker ratio`,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && /[\\/]bench[\\/]sweep\.ts$/.test(process.argv[1])) {
  // npx tsx scripts/bench/sweep.ts [CONFIGURATIONS=10000] [PAIRS=3]
  const whole = (i: number, fallback: number, what: string): number => {
    const text = process.argv[i];
    const n = text === undefined ? fallback : Number(text);
    if (!Number.isInteger(n) || n < 1 || process.argv.length > 4) {
      process.stderr.write(`bench/sweep.ts: ${what} must be a positive whole number; was ${text}\nUsage: npx tsx scripts/bench/sweep.ts [CONFIGURATIONS=10000] [PAIRS=3]\n`);
      process.exit(2);
    }
    return n;
  };
  const n = whole(2, 10_000, 'CONFIGURATIONS');
  const pairs = whole(3, 3, 'PAIRS');
  for (const r of await sweepBenches({ want: () => true, log: (s) => void process.stderr.write(s + '\n'), configurations: n, pairs })) {
    process.stdout.write(`${r.name}: best ${r.best.toFixed(2)} ${r.unit}, median ${r.median.toFixed(2)} — ${r.note}\n`);
  }
}
