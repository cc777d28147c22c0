/**
 * Whole-process benches, timed as a user meets them (`npm run bench -- --only startup,cli,real-backtest`):
 *
 * - startup: `node scripts/ammsim.mjs --version`, and the README's checkout command `npm run -s ammsim -- --version`
 *   less npm's own start-up (npm running a no-op script in an empty package, less `node -e 0`): target ≤ 1.5×.
 * - cli-backtest: the README's command `npm run -s ammsim -- backtest` on the one-year minute CSV with default
 *   outputs, against papaparse parsing the same CSV to typed rows in a fresh process: target ≤ 2×. The same
 *   backtest through `node scripts/ammsim.mjs` is in the note (npm's own start-up apart, it costs the same).
 * - real-backtest: the 35-day Polygon minute file (../shared, skipped without it) with a fixed ±10 % v3 range
 *   written as a user strategy module (scripts/bench/fixed-range.ts), `--fee-model volume`, default outputs:
 *   whole process ≤ 0.35 s, peak RSS ≤ 110 MiB. Beside it, real-backtest-warm (a reference): the same command
 *   run again and again in one process (scripts/bench/warmBacktest.ts), its time once the JIT is warm.
 *
 * Wall time is best and median of N runs; where /usr/bin/time exists, CPU time (user + system, children
 * included) and peak RSS (`%M`) too, and the load average is noted: on a shared machine, CPU time is the steadier
 * figure. The bundle is brought up to date first, and every command runs once untimed (disk cache, the kept
 * compile of the user module, the kept parse of the price file), so no run pays a rebuild. The runs keep their
 * caches in a temporary `AMMSIM_CACHE_DIR` of their own (never the user's); real-backtest-first is the same
 * command with the parsed-series cache emptied before each run: a first run on a file, parse and entry written.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchResult } from './run.ts';

const REAL = '../shared/data/uniswap_v3/polygon_usdc_weth_005_0x45dd_minute_2022-07-19_2022-08-22.csv';
const TIME = '/usr/bin/time';

interface Sample {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly maxRssMiB: number;
  /** Minor page faults (first touches of new memory), all threads. */
  readonly faults: number;
}

/** Runs a command to completion (stdout dropped) and times it; NaN CPU and RSS without /usr/bin/time. */
function timed(cmd: string, args: readonly string[], cwd?: string): Sample {
  const out = join(tmpdir(), `ammsim-bench-time-${process.pid}`);
  const withTime = existsSync(TIME);
  const t0 = performance.now();
  const r = withTime
    ? spawnSync(TIME, ['-f', '%U %S %M %R', '-o', out, cmd, ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' })
    : spawnSync(cmd, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const wallMs = performance.now() - t0;
  if (r.status !== 0) throw new Error(`bench: ${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  if (!withTime) return { wallMs, cpuMs: Number.NaN, maxRssMiB: Number.NaN, faults: Number.NaN };
  const [u, s, m, f] = readFileSync(out, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
  rmSync(out, { force: true });
  return { wallMs, cpuMs: (u! + s!) * 1000, maxRssMiB: m! / 1024, faults: f! };
}

const sorted = (xs: readonly number[]): number[] => [...xs].sort((a, b) => a - b);
const med = (xs: readonly number[]): number => sorted(xs)[Math.floor(xs.length / 2)]!;
const min = (xs: readonly number[]): number => sorted(xs)[0]!;

/** `reps` timed runs after one untimed. */
function series(reps: number, cmd: string, args: readonly string[], cwd?: string): Sample[] {
  timed(cmd, args, cwd);
  const out: Sample[] = [];
  for (let i = 0; i < reps; i++) out.push(timed(cmd, args, cwd));
  return out;
}

const wall = (s: readonly Sample[]): number[] => s.map((x) => x.wallMs);
const cpu = (s: readonly Sample[]): number[] => s.map((x) => x.cpuMs);
const load = (): string => `load avg ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores`;
const f0 = (x: number): string => x.toFixed(0);
/** A whole-process row: best and median wall time of `samples`, in ms. */
const msRow = (name: string, samples: readonly Sample[], target: string, note: string): BenchResult => ({ name, unit: 'ms', best: min(wall(samples)), median: med(wall(samples)), target, note });

export async function cliBenches(opts: { readonly reps: number; readonly want: (name: string) => boolean; readonly log: (s: string) => void; readonly csvPath: string }): Promise<BenchResult[]> {
  const { want } = opts;
  const out: BenchResult[] = [];
  if (!want('startup') && !want('cli') && !want('papaparse') && !want('real-backtest')) return out;
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: ['ignore', 'ignore', 'inherit'] }); // no timed run rebuilds
  const node = process.execPath;
  const cacheRoot = mkdtempSync(join(tmpdir(), 'ammsim-bench-cache-'));
  const priorCache = process.env.AMMSIM_CACHE_DIR;
  process.env.AMMSIM_CACHE_DIR = cacheRoot; // inherited by every timed command
  try {
    return await benches(opts, node, cacheRoot, out);
  } finally {
    if (priorCache === undefined) delete process.env.AMMSIM_CACHE_DIR;
    else process.env.AMMSIM_CACHE_DIR = priorCache;
    rmSync(cacheRoot, { recursive: true, force: true });
  }
}

async function benches(opts: Parameters<typeof cliBenches>[0], node: string, cacheRoot: string, out: BenchResult[]): Promise<BenchResult[]> {
  const { reps, want, log } = opts;
  let startupMs = Number.NaN;
  if (want('startup') || want('cli')) {
    log('startup: ammsim --version, through node and through npm run (less npm\'s own start-up)');
    const direct = series(reps, node, ['scripts/ammsim.mjs', '--version']);
    startupMs = med(wall(direct));
    out.push({ name: 'startup', unit: 'ms', best: min(wall(direct)), median: startupMs, target: '(reference)', note: `\`node scripts/ammsim.mjs --version\` (node + the prebuilt CLI bundle); CPU ${f0(min(cpu(direct)))}/${f0(med(cpu(direct)))} ms; ${load()}` });
    const empty = mkdtempSync(join(tmpdir(), 'ammsim-bench-npm-'));
    writeFileSync(join(empty, 'package.json'), JSON.stringify({ name: 'noop', version: '1.0.0', private: true, scripts: { noop: 'node -e 0' } }));
    const npmNoop = series(reps, 'npm', ['run', '-s', 'noop'], empty);
    const nodeNoop = series(reps, node, ['-e', '0']);
    rmSync(empty, { recursive: true, force: true });
    out.push(msRow('node-start', nodeNoop, '(reference)', `\`node -e 0\`: this machine's own process start-up, to compare machines by (CPU ${f0(min(cpu(nodeNoop)))}/${f0(med(cpu(nodeNoop)))} ms, ${f0(med(nodeNoop.map((x) => x.faults)))} page faults)`));
    // npm's own start-up from the fastest runs (the least disturbed by other load), and from the medians
    const npmOwnBest = min(wall(npmNoop)) - min(wall(nodeNoop));
    const npmOwnMedian = med(wall(npmNoop)) - med(wall(nodeNoop));
    const npmOwnCpu = min(cpu(npmNoop)) - min(cpu(nodeNoop));
    const viaNpm = series(reps, 'npm', ['run', '-s', 'ammsim', '--', '--version']);
    const best = min(wall(viaNpm)) - npmOwnBest;
    const cpuRatio = (min(cpu(viaNpm)) - npmOwnCpu) / min(cpu(direct));
    out.push({
      name: 'startup-npm',
      unit: 'ms',
      best,
      median: med(wall(viaNpm)) - npmOwnMedian,
      target: `≤ 1.5 × ${f0(min(wall(direct)))} = ${f0(1.5 * min(wall(direct)))}`,
      note: `\`npm run -s ammsim -- --version\` less npm's own start-up (\`npm run -s\` of \`node -e 0\` less \`node -e 0\`: ${f0(npmOwnBest)} ms best, ${f0(npmOwnMedian)} ms median): ${(best / min(wall(direct))).toFixed(2)}× the node command (best runs), ${cpuRatio.toFixed(2)}× in CPU time`,
    });
  }

  let papaMs = Number.NaN;
  if (want('papaparse') || want('cli')) {
    log('papaparse-typed: papaparse alone, the one-year minute CSV to typed rows, a fresh process');
    const p = series(reps, node, ['scripts/bench/papaparseOnly.mjs', opts.csvPath, '--typed']);
    papaMs = med(wall(p));
    const inside = Number(execFileSync(node, ['scripts/bench/papaparseOnly.mjs', opts.csvPath, '--typed'], { encoding: 'utf8' }).split(' ')[0]);
    out.push({ name: 'papaparse-typed', unit: 'ms', best: min(wall(p)), median: papaMs, target: '(reference)', note: `whole process: node + papaparse stream-parsing the one-year minute CSV (525,600 rows) with \`header: true, dynamicTyping: true\` (the parse alone ${f0(inside)} ms); CPU ${f0(min(cpu(p)))}/${f0(med(cpu(p)))} ms` });
  }

  if (want('cli')) {
    log('cli-backtest: npm run -s ammsim -- backtest on the one-year minute CSV, default outputs');
    const runArgs = ['backtest', '--prices', opts.csvPath, '--out', join('out', 'bench', 'cli-run')];
    const viaNpm = series(Math.min(reps, 5), 'npm', ['run', '-s', 'ammsim', '--', ...runArgs]);
    const direct = series(Math.min(reps, 5), node, ['scripts/ammsim.mjs', ...runArgs]);
    const m = med(wall(viaNpm));
    out.push({
      name: 'cli-backtest',
      unit: 'ms',
      best: min(wall(viaNpm)),
      median: m,
      target: `≤ 2 × papaparse-typed = ${f0(2 * papaMs)}`,
      note: `the README's command, whole process: ${(m / papaMs).toFixed(2)}× papaparse-typed; through \`node scripts/ammsim.mjs\` ${f0(med(wall(direct)))} ms (CPU ${f0(med(cpu(direct)))} ms vs ${f0(med(cpu(viaNpm)))} ms through npm); peak RSS ${f0(med(viaNpm.map((x) => x.maxRssMiB)))} MiB; ${load()}`,
    });
  }

  if (want('real-backtest')) {
    if (!existsSync(REAL)) {
      log(`real-backtest: skipped, ${REAL} is absent (the shared data folder beside the checkout)`);
    } else {
      log('real-backtest: 35-day Polygon minute file, a user ±10 % v3 range module, --fee-model volume, default outputs');
      mkdirSync(join('out', 'bench'), { recursive: true });
      const args = ['scripts/ammsim.mjs', 'backtest', '--prices', REAL, '--gaps', 'skip', '--pool', 'v3', '--fee', '0.0005', '--fee-model', 'volume', '--strategy', 'scripts/bench/fixed-range.ts', '--out', join('out', 'bench', 'real-run')];
      const before = load();
      // each timed run beside a `node -e 0`, so the ratio of the two is this machine's speed taken out
      timed(node, args);
      const s: Sample[] = [];
      const ratios: number[] = [];
      for (let i = 0; i < reps; i++) {
        const bare = timed(node, ['-e', '0']);
        const run = timed(node, args);
        s.push(run);
        ratios.push(run.wallMs / bare.wallMs);
      }
      const builtin = series(reps, node, [...args.slice(0, -4), '--strategy', 'range', '--width', '0.1', '--out', join('out', 'bench', 'real-run-builtin')]);
      const first: Sample[] = [];
      for (let i = 0; i < reps; i++) {
        rmSync(join(cacheRoot, 'series'), { recursive: true, force: true });
        first.push(timed(node, args));
      }
      const rss = s.map((x) => x.maxRssMiB);
      out.push(msRow('real-backtest', s, '≤ 350', `whole process, \`node scripts/ammsim.mjs backtest\` on the 35-day Polygon minute file (50,390 steps) with scripts/bench/fixed-range.ts (a user .ts module), --fee-model volume, default outputs, the file's parse read from the series cache (as on every run after the first); CPU ${f0(min(cpu(s)))}/${f0(med(cpu(s)))} ms, ${f0(med(s.map((x) => x.faults)))} page faults; ${med(ratios).toFixed(1)}× a \`node -e 0\` timed beside each run (median); the built-in \`range\` ${f0(med(wall(builtin)))} ms (CPU ${f0(med(cpu(builtin)))}); ${before} → ${load()}`));
      out.push(msRow('real-backtest-first', first, '(reference)', `the same command, its series cache emptied before each run (a first run on the file: the CSV parsed, its entry written); CPU ${f0(min(cpu(first)))}/${f0(med(cpu(first)))} ms, peak RSS ${f0(med(first.map((x) => x.maxRssMiB)))} MiB`));
      out.push({ name: 'real-backtest-rss', unit: 'MiB', best: min(rss), median: med(rss), target: '≤ 110', note: `its peak RSS (/usr/bin/time %M); the built-in \`range\`: ${f0(med(builtin.map((x) => x.maxRssMiB)))} MiB` });
      const warm = await warmRuns(node, args.slice(1), reps);
      const bare = min(ratios.map((r, i) => s[i]!.wallMs / r)); // the fastest `node -e 0` beside the runs
      out.push({
        name: 'real-backtest-warm',
        unit: 'ms',
        best: min(warm.later),
        median: med(warm.later),
        target: '(reference)',
        note: `the same command run ${warm.later.length + WARM_SKIP} times in one process through the CLI's run() (scripts/bench/warmBacktest.ts), runs ${WARM_SKIP + 1}–${warm.later.length + WARM_SKIP}: its own work once V8's JIT is warm (its first run in that process: ${f0(warm.first)} ms). With a \`node -e 0\` (${f0(bare)} ms best beside the runs above) and \`--version\` start-up, this is the floor of the whole-process row on this machine; the rest of that row is cold code`,
      });
    }
  }
  return out;
}

/** Runs of the warm-process driver left out of `real-backtest-warm` (JIT warm-up). */
const WARM_SKIP = 4;

/**
 * The real backtest run `WARM_SKIP + reps` times in one fresh process (scripts/bench/warmBacktest.ts, bundled
 * with esbuild into out/bench/ first, its npm packages left in node_modules): the first run's time, and the runs
 * after the skipped ones.
 */
async function warmRuns(node: string, cliArgs: readonly string[], reps: number): Promise<{ first: number; later: number[] }> {
  const { build } = await import('esbuild');
  const bundle = join('out', 'bench', 'warm-backtest.mjs');
  await build({
    entryPoints: [join('scripts', 'bench', 'warmBacktest.ts')],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external', // from node_modules, as the run's own imports are (load time is not what this row measures)
    outfile: bundle,
    logLevel: 'warning',
  });
  const r = spawnSync(node, [bundle, '--runs', String(WARM_SKIP + reps), '--', ...cliArgs], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`bench: the warm-process backtest failed (${r.status}): ${r.stderr}`);
  const ms = (JSON.parse(r.stdout.trim().split('\n').pop()!) as { ms: number[] }).ms;
  return { first: ms[0]!, later: ms.slice(WARM_SKIP) };
}
