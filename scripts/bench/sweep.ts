/**
 * Sweep throughput (`npm run bench -- --only sweep`): 10,000 v3 range configurations (width 0.0001..1 by
 * 0.0001) over the built-in synthetic series (one year of hourly prices, 8,760 steps), with 1 and 2 worker
 * threads, worker start-up included. Targets: ≤ 30 s with 2 workers; 2 workers ≥ 1.8× one.
 */
import { loadSeries } from '../../data/loadSeries.ts';
import { resolveBacktestConfig } from '../../runs/config.ts';
import { decimalRange, Grid } from '../../runs/sweep/grid.ts';
import { runSweep } from '../../runs/sweep/sweep.ts';
import type { BenchResult } from './run.ts';

export async function sweepBenches(opts: { readonly want: (name: string) => boolean; readonly log: (s: string) => void; readonly configurations?: number }): Promise<BenchResult[]> {
  if (!opts.want('sweep')) return [];
  const n = opts.configurations ?? 10_000;
  const series = await loadSeries(undefined, { synthetic: { seed: 42 } });
  const base = resolveBacktestConfig({ pool: 'v3', strategy: 'range' });
  const grid = new Grid([{ name: 'width', values: decimalRange(`0.0001:${n / 10_000}:0.0001`, 'width') }]);
  const secs: Record<number, number> = {};
  const cpu: Record<number, number> = {};
  for (const workers of [1, 2]) {
    opts.log(`sweep: ${grid.size.toLocaleString('en-US')} v3 range configurations × ${series.length.toLocaleString('en-US')} steps, ${workers} worker${workers > 1 ? 's' : ''}`);
    const t0 = performance.now();
    const c0 = process.cpuUsage(); // the whole process: main and worker threads
    const out = await runSweep(base, grid, series, { workers });
    secs[workers] = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    cpu[workers] = (c.user + c.system) / 1e6;
    if (out.failed > 0) throw new Error(`sweep bench: ${out.failed} configurations failed: ${out.rows.find((r) => r.error)?.error}`);
  }
  const speedup = secs[1]! / secs[2]!;
  return [
    { name: 'sweep-1-worker', unit: 's', best: secs[1]!, median: secs[1]!, target: '(reference)', note: `${grid.size.toLocaleString('en-US')} v3 range configurations over 8,760 hourly steps, 1 worker thread (${(grid.size / secs[1]!).toFixed(0)} runs/s; CPU ${cpu[1]!.toFixed(1)} s, ${((cpu[1]! / grid.size) * 1000).toFixed(2)} ms a run)` },
    { name: 'sweep-2-workers', unit: 's', best: secs[2]!, median: secs[2]!, target: '≤ 30', note: `the same on 2 worker threads (${(grid.size / secs[2]!).toFixed(0)} runs/s; CPU ${cpu[2]!.toFixed(1)} s), ${speedup.toFixed(2)}× one worker (target ≥ 1.8×)` },
  ];
}

if (process.argv[1] !== undefined && /[\\/]bench[\\/]sweep\.ts$/.test(process.argv[1])) {
  const n = Number(process.argv[2] ?? 10_000);
  for (const r of await sweepBenches({ want: () => true, log: (s) => void process.stderr.write(s + '\n'), configurations: n })) process.stdout.write(`${r.name}: ${r.best.toFixed(2)} ${r.unit} — ${r.note}\n`);
}
