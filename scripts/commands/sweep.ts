import type { Argv, CommandModule } from 'yargs';
import { loadSeries } from '../../data/loadSeries.ts';
import { writeFilesAtomic } from '../../data/io/atomicWrite.ts';
import { ConfigError } from '../../sim/core/errors.ts';
import { runSweep, SWEEPABLE, sweepToCsv, type SweepKey } from '../../runs/sweep.ts';
import { progressBar } from '../progress.ts';
import { BACKTEST_FLAGS, configFromArgv, seriesOptions } from './backtestFlags.ts';

const KEY_TO_FLAG: Record<SweepKey, string> = {
  strategy: 'strategy', fee: 'fee', width: 'width', capital: 'capital', poolLiquidity: 'pool-liquidity', gasPrice: 'gas-price',
  noiseRate: 'noise-rate', noiseSize: 'noise-size', rebalanceDelay: 'rebalance-delay', seed: 'seed', pool: 'pool',
};

/** Splits `a,b,c` flag values into a sweep axis; numbers stay numbers. */
function axisValues(flag: string, raw: unknown): Array<string | number> {
  const parts = String(raw).split(',').map((s) => s.trim());
  if (parts.some((p) => p === '')) throw new ConfigError(`--${flag}`, `empty value in ${JSON.stringify(String(raw))}`);
  const numeric = flag !== 'strategy' && flag !== 'pool';
  return parts.map((p) => {
    if (!numeric) return p;
    const v = Number(p);
    if (!Number.isFinite(v)) throw new ConfigError(`--${flag}`, `must be a number or a comma-separated list of numbers; was ${JSON.stringify(p)}`);
    return v;
  });
}

export const sweepCommand: CommandModule<object, Record<string, unknown>> = {
  command: 'sweep',
  describe: 'run a grid of backtests (comma-separated values on any of the flags below) and tabulate the metrics',
  builder: (y: Argv) => {
    // Sweepable flags are read as strings so that they can hold lists.
    const flags: Record<string, object> = { ...BACKTEST_FLAGS };
    for (const k of SWEEPABLE) {
      const f = KEY_TO_FLAG[k];
      flags[f] = { ...(BACKTEST_FLAGS[f] ?? {}), type: 'string', choices: undefined, describe: `${(BACKTEST_FLAGS[f] as { describe?: string } | undefined)?.describe ?? f} (list: a,b,c)` };
    }
    return y
      .options(flags)
      .options({ out: { type: 'string', group: 'Output:', describe: 'output folder (sweep.csv, sweep.json)', default: 'out/sweep' } })
      .example('$0 sweep --pool v3 --strategy range,rebalance --width 0.02,0.05,0.1,0.2', '8 runs: two strategies × four widths')
      .example('$0 sweep --fee 0.0005,0.003,0.01 --noise-rate 2', 'fee tiers under arbitrage + noise flow');
  },
  handler: async (argv) => {
    const axes: Array<[SweepKey, Array<string | number>]> = [];
    const fixed: Record<string, unknown> = { ...argv };
    for (const k of SWEEPABLE) {
      const f = KEY_TO_FLAG[k];
      if (argv[f] === undefined) continue;
      const values = axisValues(f, argv[f]);
      if (values.length > 1) axes.push([k, values]);
      fixed[f] = values[0];
    }
    const base = configFromArgv(fixed);
    const series = await loadSeries(base.prices, seriesOptions(base));
    const total = axes.reduce((n, [, v]) => n * v.length, 1);
    const bar = progressBar('sweep', process.stderr, 'runs');
    bar.onProgress?.(0, total);
    const rows = await runSweep(base, axes, series, bar.onProgress);
    bar.done();
    const keys = axes.map(([k]) => k);
    const out = String(argv.out);
    writeFilesAtomic(out, [
      ['sweep.csv', sweepToCsv(keys, rows)],
      ['sweep.json', JSON.stringify({ axes: Object.fromEntries(axes), rows }, null, 2) + '\n'],
    ], 'sweep.json');
    const best = [...rows].sort((a, b) => b.metrics.vsHold - a.metrics.vsHold)[0];
    process.stdout.write(`${rows.length} runs → ${out}/sweep.csv\n`);
    if (best !== undefined && keys.length > 0) process.stdout.write(`best vs hold: ${keys.map((k) => `${k}=${best.params[k]}`).join(' ')} (vsHold ${best.metrics.vsHold.toFixed(2)})\n`);
  },
};
