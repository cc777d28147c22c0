import type { CommandModule } from 'yargs';

/**
 * Every `ammsim` command, in the order `--help` lists them. Modules are loaded only when their command runs,
 * so `ammsim --version`, `--help` and each command pay only for what they use (vega, Arrow, viem and the
 * EVM are heavy). `describe` here must equal the module's own (scripts/commands/index.test.ts checks it).
 */
export interface CommandEntry {
  readonly name: string;
  readonly describe: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  load(): Promise<AmmsimCommand<any, any>>;
}

/**
 * A command module; `outputsOnFailure`: the files a failed run of the command removes (an earlier run's must not
 * pass for its result), from its flags as parsed. The handler removes them when its work fails; scripts/cli.ts
 * when a flag is refused before the handler runs (a flag given twice, a number flag without a number).
 */
/**
 * Every path-like value the command line gives besides --out (strings and lists of strings: --prices, --config,
 * --events, --gas-price-series …): a run never removes one of them as its own failed output.
 */
export function inputsNamedBy(argv: Readonly<Record<string, unknown>>): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(argv)) {
    if (k === 'out' || k === '_' || k === '$0') continue;
    for (const x of Array.isArray(v) ? v : [v]) if (typeof x === 'string' && x !== '') out.push(x);
  }
  return out;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AmmsimCommand<T = any, U = any> = CommandModule<T, U> & {
  readonly outputsOnFailure?: (argv: Readonly<Record<string, unknown>>) => ReadonlyArray<string | undefined>;
  /** Flags that take a value and also have an off form, `--no-x` (scripts/cli.ts refuses `--no-x` for any other). */
  readonly negatable?: readonly string[];
};

export const COMMANDS: readonly CommandEntry[] = [
  { name: 'backtest', describe: 'run one LP strategy over a price series; write summary.json, timeseries.arrow, report.html', load: async () => (await import('./backtest.ts')).backtestCommand },
  { name: 'compare', describe: 'LP strategy vs hold vs staking on the same capital and series; write summary.json, report.html', load: async () => (await import('./compare.ts')).compareCommand },
  { name: 'sweep', describe: 'run a grid of backtests (lists, ranges or random samples of any flag) on all cores; resumable, shardable (sweep merge); sweep.csv/.arrow/.json, report.html', load: async () => (await import('./sweep.ts')).sweepCommand },
  { name: 'replay', describe: 'Replay events (JSONL) through an exact contract mirror (v3, v2, v3-time, v3-staker, staking-rewards), one result line per event', load: async () => (await import('./replay.ts')).replayCommand },
  { name: 'replay-real', describe: 'replay a real Uniswap v3 swap stream (pool-events CSV) through the exact pool; write the divergence from the logged state', load: async () => (await import('./realReplay.ts')).realReplayCommand },
  { name: 'validate', describe: 'check simulated fees of real positions against the chain: replay a pool-events CSV in log order with their own mint and burn', load: async () => (await import('./validate.ts')).validateCommand },
  { name: 'report', describe: 'rebuild the HTML report (and SVG charts) from saved backtest output folders, or a comparison\'s or a sweep\'s report from its folder', load: async () => (await import('./report.ts')).reportCommand },
  { name: 'il', describe: 'impermanent loss of a position vs price ratio (full range or a price range), as a table or chart', load: async () => (await import('./il.ts')).ilCommand },
  { name: 'apy', describe: 'convert APR ↔ APY for a harvest frequency, a performance fee and gas per harvest; the best harvest interval for a capital', load: async () => (await import('./apy.ts')).apyCommand },
  { name: 'data', describe: 'fetch market data (Binance candles, Uniswap pool events) into Arrow/CSV files', load: async () => (await import('./data.ts')).dataCommand },
];
