/**
 * The real-data backtest run again and again in one process, through the CLI's own `run()` (parse, the
 * `runs/` call, every output written), for the `real-backtest-warm` row of `npm run bench`: how long the
 * command's own work takes once V8's JIT has compiled and optimised its code. The whole-process row less this
 * one is start-up (Node, the bundle, the command's modules) and the cost of running cold code.
 *
 * Not run directly: scripts/bench/cli.ts bundles it with esbuild (our sources in one file, as in dist/, rather than
 * compiled module by module through tsx) and runs the bundle with `--runs N -- <backtest args…>`; it prints one
 * JSON line, `{ "ms": [first, second, …] }`, each the wall time of one whole command.
 */
import { run } from '../cli.ts';

const argv = process.argv.slice(2);
const at = argv.indexOf('--');
const runsFlag = argv.indexOf('--runs');
if (at < 0 || runsFlag < 0 || runsFlag > at) throw new Error('usage: warmBacktest --runs N -- <ammsim backtest args…>');
const runs = Number(argv[runsFlag + 1]);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs: a positive integer; was ${argv[runsFlag + 1]}`);
const command = argv.slice(at + 1);

// the command's own terminal summary is not part of what is printed here
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = (() => true) as typeof process.stdout.write;
const ms: number[] = [];
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  await run(command);
  ms.push(performance.now() - t0);
  if (process.exitCode !== undefined && process.exitCode !== 0) throw new Error(`run ${i + 1} of ${command.join(' ')} exited ${process.exitCode}`);
}
write(`${JSON.stringify({ ms })}\n`);
