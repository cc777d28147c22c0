import { rmSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { inputsNamedBy, type AmmsimCommand } from './index.ts';
import { outputsNotInputs, removeOutputFiles, sameFile, writeFilesAtomic } from '../../data/io/atomicWrite.ts';
import { checkOutputPath } from '../../data/io/outputPath.ts';
import { ConfigError } from '../../sim/core/errors.ts';
import { readPoolEvents } from '../../sim/replay/real/poolEvents.ts';
import { checkTicksOnSpacing, defaultTickSpacingOfFeePips, divergenceCsv, replayRealEvents, type DivergenceSummary } from '../../sim/replay/real/replayEvents.ts';
import { parseTimestampArg } from '../../sim/replay/real/timeArg.ts';

export interface RealReplayArgs {
  events?: string;
  fee?: number;
  'tick-spacing'?: number;
  reanchor?: boolean;
  from?: string;
  to?: string;
  out?: string;
  csv?: boolean;
}

/** `--fee`: hundredths of a bip (500) or, below 1, a fraction (0.0005). Returns pips. */
export function feePipsOf(v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new ConfigError('--fee', `must be the fee tier in hundredths of a bip (500 = 0.05 %) or a fraction (0.0005); was ${typeof v === 'number' ? String(v) : JSON.stringify(v)}`);
  // A fraction is v·1e6 pips up to float error (0.0005·1e6 = 500.00000000000006); one that is not a whole number of
  // pips is refused rather than rounded to another fee (0.0000001 would be fee 0).
  if (v < 1 && Math.abs(v * 1e6 - Math.round(v * 1e6)) > 1e-6) {
    throw new ConfigError('--fee', `must be a whole number of hundredths of a bip (0.0005 = 500); was ${decimal(v)} (${Number((v * 1e6).toPrecision(12))} hundredths of a bip)`);
  }
  const pips = v < 1 ? Math.round(v * 1e6) : v;
  if (!Number.isInteger(pips) || pips >= 1_000_000) throw new ConfigError('--fee', `must be an integer number of hundredths of a bip below 1,000,000 (500, 3000, …); was ${v}`);
  return pips;
}

/** A number as typed, not in exponent form (1e-7 → 0.0000001). */
function decimal(v: number): string {
  const s = String(v);
  return /e/i.test(s) ? v.toFixed(20).replace(/\.?0+$/, '') : s;
}

/**
 * What to tell a user when few swaps reproduce the logged amounts (more than 20 swaps, under 10 % exact). Re-anchored,
 * every swap starts from the logged state, so that points at the fee tier. Free-running, the pool drifts from the
 * chain (the liquidity map a day of events reveals is incomplete) and few swaps reproduce the logged amounts whatever
 * the fee, so the line says so and points at --reanchor, where a wrong fee shows.
 */
export function amountsHint(summary: Pick<DivergenceSummary, 'mode' | 'swaps' | 'exact'>, fee: number): string | undefined {
  const share = summary.exact.amountOut;
  if (!(share < 0.1 && summary.swaps > 20)) return undefined;
  if (summary.mode === 'reanchor') return `warning: only ${pct(share)} of swaps reproduce the logged amounts from the logged state; is --fee ${fee} the pool's fee tier?`;
  return `note: only ${pct(share)} of swaps reproduce the logged amounts free-running, where errors compound; --reanchor replays each swap from the logged state (and shows a wrong --fee as few exact swaps)`;
}

function pct(x: number): string {
  return (x * 100).toFixed(1) + ' %';
}

/** A short terminal table of a divergence summary. */
export function formatDivergence(s: DivergenceSummary): string {
  const rows: Array<[string, string]> = [
    ['mode', s.mode],
    ['swaps replayed', String(s.swaps)],
    ['mints / burns applied', `${s.mints} / ${s.burns}`],
    ['positions learned at start', String(s.knownPositionsAtStart)],
    ['sqrtPriceX96 exact', pct(s.exact.sqrtPriceX96)],
    ['  … by an amount-consistent reading', pct(s.exact.sqrtPriceX96EitherReading)],
    ['tick exact', pct(s.exact.tick)],
    ['in-range L exact', pct(s.exact.liquidity)],
    ['|Δtick| p50 / p99 / max', `${s.absTickError.p50} / ${s.absTickError.p99} / ${s.absTickError.max}`],
    ['price rel. error p50 / p99 / max', `${s.priceRelError.p50.toExponential(2)} / ${s.priceRelError.p99.toExponential(2)} / ${s.priceRelError.max.toExponential(2)}`],
  ];
  if (s.mode === 'reanchor') rows.push(['anchor failures', String(s.anchorFailures)]);
  const w = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join('\n') + '\n';
}

/** JSON with bigints as decimal strings, stable key order (construction order). */
function toJson(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x), 2) + '\n';
}

/**
 * `ammsim replay-real`: replays a real Uniswap v3 swap stream (demeter pool-events CSV) through the exact pool
 * and writes how far the simulation drifts from the logged state (sim/realReplay/replayEvents.ts).
 */
/**
 * The files a replay-real removes before it runs and when it fails: --out and OUT.csv, with or without --csv (without
 * it, an earlier run's OUT.csv would otherwise lie beside this run's OUT.json as if it were this run's); never a file
 * the run reads (the events file may be named OUT.csv when --csv is not given).
 */
function realReplayOutputs(argv: Readonly<Record<string, unknown>>): Array<string | undefined> {
  const out = typeof argv.out === 'string' ? argv.out : undefined;
  if (out === undefined) return [];
  return outputsNotInputs([out, csvPathOf(out)], inputsNamedBy(argv));
}

/** Where --csv writes the per-swap divergence: OUT less .json, plus .csv. */
const csvPathOf = (out: string): string => out.replace(/\.json$/i, '') + '.csv';

export const realReplayCommand: AmmsimCommand<object, RealReplayArgs> = {
  outputsOnFailure: realReplayOutputs,
  command: 'replay-real',
  describe: 'replay a real Uniswap v3 swap stream (pool-events CSV) through the exact pool; write the divergence from the logged state',
  builder: (y: Argv<object>) =>
    y
      .usage(
        '$0 replay-real --events FILE.csv [--fee 500] [--reanchor] [--out OUT.json] [--csv]\n\n' +
          'Seeds the exact v3 pool from the first SWAP row (sqrtPriceX96, in-range L), learns the positions that the file burns, ' +
          'puts the rest of L in one full-range background position, applies MINT/BURN rows and replays every later swap. ' +
          'Reports, per swap and in summary, the divergence of sqrtPriceX96, tick and in-range L from what the chain logged. ' +
          'The liquidity map is incomplete (a day of events does not reveal it); the divergence measures that error. ' +
          '--reanchor puts the pool back on the logged state after every swap, so errors do not compound.',
      )
      .option('events', { type: 'string', describe: 'demeter-fetch pool-events CSV (block_number, block_timestamp, tx_type, …, sqrtPriceX96, current_tick, …)' })
      .option('fee', { type: 'number', describe: 'pool fee tier in hundredths of a bip (500 = 0.05 %), or a fraction (0.0005) [default: 500]' })
      .option('tick-spacing', { type: 'number', describe: 'tick spacing [default: from the fee tier: 100→1, 500→10, 3000→60, 10000→200]' })
      .option('reanchor', { type: 'boolean', describe: 're-anchor the pool to the logged state after each swap (otherwise free-running)' })
      .option('from', { type: 'string', describe: 'only events at or after this time (ISO-8601 UTC or unix seconds)' })
      .option('to', { type: 'string', describe: 'only events at or before this time' })
      .option('out', { type: 'string', describe: 'divergence summary JSON', default: 'out/replay-real.json' })
      .option('csv', { type: 'boolean', describe: "also write the per-swap divergence as CSV beside --out (OUT.csv); without --csv, an earlier run's OUT.csv is removed" })
      .example('$0 replay-real --events ../shared/data/uniswap_v3/ethereum_usdc_weth_005_0x88e6_2024-01-05.pool_events.csv --fee 500 --reanchor --out out/r.json --csv', 'USDC/WETH 0.05 %, one day, re-anchored'),
  handler: async (argv) => {
    const events = argv.events;
    if (events === undefined || events === '') throw new ConfigError('--events', 'give the pool-events CSV: --events FILE.csv');
    try {
      if (!statSync(events).isFile()) throw new ConfigError('--events', `${events} is not a file`);
    } catch (err) {
      if (err instanceof ConfigError) throw err;
      throw new ConfigError('--events', `cannot read ${events}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(err)}`);
    }
    const out = String(argv.out);
    if (sameFile(out, events)) throw new ConfigError('--out', `must differ from --events (both are ${events})`);
    const csvName = csvPathOf(out);
    if (argv.csv === true && sameFile(csvName, events)) throw new ConfigError('--csv', `would write ${csvName}, which is the --events file; give another --out`);
    // checked before the replay like --out (scripts/cli.ts): a folder there failed only when the files were written
    // (its probe file comes and goes before the old outputs are removed, so a Ctrl-C after that leaves no probe)
    if (argv.csv === true) checkOutputPath(csvName, { kind: 'file', flag: '--csv' });
    // No stale output: a previous run's files must not pass for this run's result should this one fail (a flag as
    // much as the data) or be interrupted (Ctrl-C kills it outright while no temporary file is open). The new ones are
    // renamed into place.
    removeOutputFiles(realReplayOutputs(argv as unknown as Record<string, unknown>));
    const fee = feePipsOf(argv.fee ?? 500);
    const ts = argv['tick-spacing'];
    if (ts !== undefined && !(Number.isInteger(ts) && ts >= 1 && ts < 16384)) throw new ConfigError('--tick-spacing', `must be an integer in [1, 16383]; was ${ts}`);
    const fromSec = argv.from === undefined ? undefined : parseTimestampArg('--from', argv.from);
    const toSec = argv.to === undefined ? undefined : parseTimestampArg('--to', argv.to);
    if (fromSec !== undefined && toSec !== undefined && !(toSec >= fromSec)) throw new ConfigError('--to', `must not be before --from (${String(argv.from)}); was ${String(argv.to)}`);
    try {
      const rows = await readPoolEvents(events);
      const spacing = ts ?? defaultTickSpacingOfFeePips(fee);
      checkTicksOnSpacing(rows, spacing, events, ts === undefined ? `is --fee ${fee} the pool's fee tier (--tick-spacing sets the spacing)?` : `is --tick-spacing ${ts} the pool's?`);
      const swaps = rows.filter((row) => row.kind === 'SWAP');
      if ((fromSec !== undefined || toSec !== undefined) && !swaps.some((row) => (fromSec === undefined || row.timestampSec >= fromSec) && (toSec === undefined || row.timestampSec <= toSec))) {
        const iso = (sec: number): string => new Date(sec * 1000).toISOString().replace('.000Z', 'Z');
        const span = swaps.length === 0 ? 'it has none' : `its swaps run from ${iso(swaps[0]!.timestampSec)} to ${iso(swaps[swaps.length - 1]!.timestampSec)}`;
        throw new ConfigError(fromSec !== undefined ? '--from' : '--to', `no SWAP row of ${events} lies in the window (--from ${String(argv.from ?? '…')} --to ${String(argv.to ?? '…')}), so nothing anchors the pool; ${span}`);
      }
      const r = replayRealEvents(rows, {
        fee,
        file: events,
        reanchor: argv.reanchor === true,
        ...(ts === undefined ? {} : { tickSpacing: ts }),
        ...(fromSec === undefined ? {} : { fromSec }),
        ...(toSec === undefined ? {} : { toSec }),
      });
      const body = toJson({ events, summary: r.summary });
      const files: Array<[string, string]> = [];
      if (argv.csv === true) files.push([resolve(csvName), divergenceCsv(r.swaps)]);
      files.push([resolve(out), body]);
      writeFilesAtomic('/', files, basename(resolve(out)));
      process.stdout.write(formatDivergence(r.summary));
      const hint = amountsHint(r.summary, fee);
      if (hint !== undefined) process.stderr.write(`${hint}\n`);
      process.stdout.write(`wrote ${out}${argv.csv === true ? ` and ${csvName}` : ''}\n`);
    } catch (err) {
      rmSync(out, { force: true });
      if (argv.csv === true) rmSync(csvName, { force: true });
      throw err;
    }
  },
};
