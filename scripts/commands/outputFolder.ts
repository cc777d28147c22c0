/**
 * The --out folder of backtest, compare and sweep, as those commands check it before a run and clear it after a failed
 * one (data/io/atomicWrite.ts does the file work):
 *
 * - a folder holding another command's outputs (its marker: a sweep's sweep.json or results.jsonl, a backtest's or a
 *   comparison's summary.json) is refused, before any work, and nothing in it is ever removed;
 * - a folder where the run would write over, or remove as obsolete, a file it reads (a price file, a gas series, a
 *   strategy module, the --config file…, named by a flag or by the --config file) is refused, naming that file. The one
 *   exception: the command's own summary.json given back as --config (`backtest --config out/bt/summary.json --out
 *   out/bt`), which is read whole before the run and replaced by the rerun's;
 * - a failed run (a bad flag, bad data) removes the outputs an earlier run of the same command left in the folder, so
 *   they do not pass for its result; it removes nothing when one of them is a file it reads (that --config summary.json):
 *   the folder then keeps the earlier run whole rather than a summary.json without its other files.
 */
import { readFileSync } from 'node:fs';
import { outputsOnFailureIn, refuseInputsAmongOutputs, outputFolderOwner, sameFile, type FolderCommand, type NamedInput } from '../../data/io/atomicWrite.ts';
import { inputsNamedBy } from './index.ts';
import { join } from 'node:path';

/** The flags of backtest, compare and sweep whose value may name a file the run reads, and their config keys. */
const INPUT_FLAGS: ReadonlyArray<readonly [flag: string, key: string]> = [
  ['config', 'config'],
  ['prices', 'prices'],
  ['divide-by', 'divideBy'],
  ['fee-events', 'feeEvents'],
  ['pool-liquidity-file', 'poolLiquidityFile'],
  ['gas-price-series', 'gasPriceSeries'],
  ['native-price-series', 'nativePriceSeries'],
  ['strategy', 'strategy'],
  ['harvest', 'harvest'],
  ['incentive', 'incentives'],
  ['reward-price', 'rewardPrice'],
  ['staking-series', 'stakingSeries'],
  ['lst-series', 'lstSeries'],
  ['grid', 'grid'],
];

/** The strings of `v`: itself, each item of a list; each also split at commas (a list flag: `--strategy a.ts,b.ts`). */
function stringsOf(v: unknown): string[] {
  const out: string[] = [];
  for (const x of Array.isArray(v) ? v : [v]) {
    if (typeof x !== 'string' || x === '') continue;
    out.push(x);
    if (x.includes(',')) out.push(...x.split(',').map((s) => s.trim()).filter((s) => s !== ''));
  }
  return out;
}

/**
 * The files a run of backtest, compare or sweep reads, labelled for an error: those its flags name (`--prices`), then
 * those its resolved config names under a file key (`config`: [key, value] pairs, others ignored; a value may be a
 * list) that no flag gave (`prices in cfg.json`). A value that names no file (a built-in strategy, a reward price model) is harmless here: it never is an
 * output's path.
 */
export function filesRead(argv: Readonly<Record<string, unknown>>, config: Iterable<readonly [key: string, value: unknown]> = []): NamedInput[] {
  const out: NamedInput[] = [];
  for (const [flag] of INPUT_FLAGS) for (const p of stringsOf(argv[flag])) out.push([`--${flag}`, p]);
  const file = typeof argv.config === 'string' ? argv.config : undefined;
  for (const [key, value] of config) {
    const flag = INPUT_FLAGS.find(([, k]) => k === key)?.[0];
    if (flag === undefined || argv[flag] !== undefined) continue; // no file key, or given by its flag (listed above)
    for (const p of stringsOf(value)) out.push([file === undefined ? key : `${key} in ${file}`, p]);
  }
  return out;
}

/**
 * Refuses the --out folder `out` of a run of `own` that reads (`inputs`) one of the files it would write (`writes`) or
 * remove as obsolete (`removes`). The --config file is not refused when it is the folder's own summary.json, a run of
 * this same command, given back to rerun it there.
 */
export function refuseReadingOwnOutputs(out: string, own: FolderCommand, writes: readonly string[], removes: readonly string[], inputs: readonly NamedInput[]): void {
  const ownSummary = outputFolderOwner(out)?.command === own ? join(out, 'summary.json') : undefined;
  refuseInputsAmongOutputs(out, writes, removes, inputs.filter(([label, p]) => !(label === '--config' && ownSummary !== undefined && sameFile(p, ownSummary))));
}

/**
 * Every string a --config JSON file holds, at any depth (paths in it are as given, relative to where the run started):
 * what a failed run never removes, read before the file is parsed as a config (which may be what fails). [] when the
 * file cannot be read or parsed.
 */
function configFileStrings(file: unknown): string[] {
  if (typeof file !== 'string' || file === '') return [];
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
  } catch {
    return [];
  }
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') out.push(...stringsOf(v));
    else if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === 'object' && v !== null) Object.values(v).forEach(walk);
  };
  walk(value);
  return out;
}

/**
 * The files a failed run of `own` removes from its --out (see data/io/atomicWrite.ts outputsOnFailureIn): its outputs
 * `names`, none in another command's folder, none when one of them is a file the run reads: one the command line names
 * (any flag's value, list items too) or the --config file does.
 */
export function outputsOnFailure(argv: Readonly<Record<string, unknown>>, own: FolderCommand, names: readonly string[]): string[] {
  const out = argv.out;
  if (typeof out !== 'string' || out === '') return [];
  const inputs = [...inputsNamedBy(argv).flatMap(stringsOf), ...configFileStrings(argv.config)];
  return outputsOnFailureIn(out, own, names, inputs);
}
