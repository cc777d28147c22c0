/**
 * The bench runner's command line: `--quick`, `--only name,…` and `--help`. Anything else is refused (exit 2)
 * rather than ignored, so a mistyped name never runs the whole bench or silently leaves a row out.
 */
import { parseArgs } from 'node:util';

/** The names `--only` takes: each selects the rows it lists (one name may produce several rows). */
export const BENCH_GROUPS: ReadonlyArray<readonly [name: string, rows: string]> = [
  ['engine-v2', 'engine-v2, engine-v2-reuse'],
  ['engine-v3', 'engine-v3'],
  ['engine-v2-mining', 'engine-v2-mining'],
  ['v3-replay', 'v3-replay'],
  ['v3-replay-hard', 'v3-replay-hard'],
  ['startup', 'startup, node-start, startup-npm'],
  ['papaparse', 'papaparse-typed'],
  ['cli', 'the startup rows, papaparse-typed, cli-backtest'],
  ['real-backtest', 'real-backtest, real-backtest-first, real-backtest-rss, real-backtest-warm'],
  ['sweep', 'sweep-1-worker, sweep-2-workers, sweep-2-processes'],
];

export const BENCH_USAGE = [
  'Usage: npx tsx scripts/bench/run.ts [--quick] [--only NAME,...]',
  '',
  'Runs the benchmarks quoted in the README and prints their Markdown table (also out/bench/results.json).',
  '',
  '  --quick        3 timed runs instead of 7, one sweep pair instead of 3',
  '  --only NAMES   run only these (comma-separated):',
  ...BENCH_GROUPS.map(([name, rows]) => `                   ${name.padEnd(17)} ${rows}`),
  '  --help         this text',
].join('\n');

export class BenchArgsError extends Error {}

export interface BenchArgs {
  readonly quick: boolean;
  /** undefined: everything. */
  readonly only: ReadonlySet<string> | undefined;
  readonly help: boolean;
}

/** Parses the bench's arguments; throws BenchArgsError naming what is wrong. */
export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  let values: { quick?: boolean; only?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { quick: { type: 'boolean' }, only: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    throw new BenchArgsError((e as Error).message);
  }
  let only: Set<string> | undefined;
  if (values.only !== undefined) {
    const names = values.only.split(',').map((s) => s.trim()).filter((s) => s !== '');
    if (names.length === 0) throw new BenchArgsError('--only needs at least one name');
    const known = new Set(BENCH_GROUPS.map(([n]) => n));
    const unknown = names.filter((n) => !known.has(n));
    if (unknown.length > 0) throw new BenchArgsError(`--only: unknown benchmark ${unknown.map((n) => `'${n}'`).join(', ')}; the names are ${[...known].join(', ')}`);
    only = new Set(names);
  }
  return { quick: values.quick === true, only, help: values.help === true };
}

/** For the runner: --help prints the usage and exits 0; a bad argument prints why and the usage and exits 2. */
export function benchArgs(argv: readonly string[]): { readonly quick: boolean; readonly only: ReadonlySet<string> | undefined } {
  let parsed: BenchArgs;
  try {
    parsed = parseBenchArgs(argv);
  } catch (e) {
    if (!(e instanceof BenchArgsError)) throw e;
    process.stderr.write(`bench: ${e.message}\n\n${BENCH_USAGE}\n`);
    process.exit(2);
  }
  if (parsed.help) {
    process.stdout.write(BENCH_USAGE + '\n');
    process.exit(0);
  }
  return parsed;
}
