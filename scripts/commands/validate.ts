import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { inputsNamedBy, type AmmsimCommand } from './index.ts';
import { outputsNotInputs, removingOutputsOnError, sameFile, writeFileAtomic } from '../../data/io/atomicWrite.ts';
import { ConfigError } from '../../sim/core/errors.ts';
import { parsePositionArg } from '../../sim/replay/validate/positions.ts';
import { validate, type ValidatedPosition, type ValidateResult } from '../../runs/validate.ts';
import { feePipsOf } from './realReplay.ts';

export interface ValidateArgs {
  events?: string;
  /** As typed: parsed by {@link numberArg}, so an error quotes the text (`was "abc"`), never the NaN it reads as. */
  fee?: string;
  position?: string[];
  positions?: string;
  all?: boolean;
  tol?: string;
  out?: string;
  json?: boolean;
}

/** A relative error as a short percentage ("0", "0.1 %", "1.23e-5 %"). */
export function pctText(x: number): string {
  if (x === 0) return '0';
  const p = x * 100;
  return `${p >= 0.01 ? String(Number(p.toPrecision(3))) : p.toExponential(2)} %`;
}

function shortId(p: ValidatedPosition): string {
  return `${p.owner.slice(0, 6)}…${p.owner.slice(-4)} ${p.tickLower}:${p.tickUpper} @${p.mint.block}.${p.mint.logIndex}-${p.burn.block}.${p.burn.logIndex}`;
}

/** One line per position and the summary line (what stdout shows). */
export function formatValidate(r: ValidateResult): string {
  const lines: string[] = [];
  for (const p of r.positions) {
    const fees = (f: { fees0: string; fees1: string } | null): string => (f === null ? '?' : `${f.fees0}/${f.fees1}`);
    const status = p.withinTol === null ? 'unknown' : p.exact === true ? 'exact' : p.withinTol ? 'ok' : 'OUT';
    const err = p.relError === null ? '' : `  err ${pctText(Math.max(p.relError.fees0, p.relError.fees1))}`;
    const flags = [p.ambiguous ? 'ambiguous' : '', p.mapUncertainSwaps > 0 ? `${p.mapUncertainSwaps} map-uncertain` : ''].filter((s) => s !== '').join(', ');
    lines.push(`${status.padEnd(7)} ${shortId(p)}  sim ${fees(p.simulated)}  actual ${fees(p.actual)}${err}  swaps in range ${p.swapsInRange}${flags === '' ? '' : `  (${flags})`}`);
  }
  const s = r.summary;
  if (s.compared === 0) {
    lines.push(s.positions === 0 ? 'no position is minted, burned to zero and collected in the file' : `no position with known actual fees (${s.positions} found)`);
    return lines.join('\n') + '\n';
  }
  const worst = `, worst ${pctText(s.worstError)}${s.worstId === null ? '' : ` (${s.worstId})`}`;
  lines.push(`${s.withinTol}/${s.compared} within ${pctText(r.tol)}; ${s.exact} exact; median error ${pctText(s.medianError)}${worst}${s.positions > s.compared ? `; ${s.positions - s.compared} without known actual fees` : ''}`);
  return lines.join('\n') + '\n';
}

/**
 * A numeric flag as typed: a decimal number (`500`, `0.0005`, `1e-3`), or a ConfigError naming the flag with `need`
 * and quoting the text (`was "abc"`; a flag given without a value, `was ""`), where yargs' number type would read
 * NaN, `--fee=` 0 and a bare `--fee` nothing at all.
 */
export function numberArg(flag: string, text: string, need: string): number {
  const t = text.trim();
  const v = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t) ? Number(t) : NaN;
  if (!Number.isFinite(v)) throw new ConfigError(flag, `${need}; was ${JSON.stringify(text)}`);
  return v;
}

/** A value as typed, for a message: the number when it reads the same (`-1`), else the text quoted (`"1e-3x"`). */
const typedText = (text: string, v: number): string => (text.trim() === String(v) ? String(v) : JSON.stringify(text));

const FEE_NEED = 'must be the fee tier in hundredths of a bip (500 = 0.05 %) or a fraction (0.0005)';
const TOL_NEED = 'must be a relative error ≥ 0 (1e-3 = 0.1 %)';

/** JSON with bigints as decimal strings. */
function toJson(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x), 2) + '\n';
}

/**
 * `ammsim validate`: replays a pool-events file in log order with real positions' own mint and burn and
 * compares the fees per token with what the chain paid them (runs/validate.ts).
 */
/**
 * The files validate reads: --events, --positions and the events file --positions names (relative to it). Never
 * removed as a failed run's output, and refused as --out.
 */
function validateInputs(argv: Readonly<Record<string, unknown>>): string[] {
  const inputs = inputsNamedBy(argv);
  if (typeof argv.positions === 'string' && argv.positions !== '') {
    try {
      const named = (JSON.parse(readFileSync(argv.positions, 'utf8')) as { events?: unknown }).events;
      if (typeof named === 'string' && named !== '') inputs.push(resolve(dirname(argv.positions), named));
    } catch {
      // unreadable or not JSON: the run says so; nothing more it names
    }
  }
  return inputs;
}

export const validateCommand: AmmsimCommand<object, ValidateArgs> = {
  outputsOnFailure: (argv) => outputsNotInputs([typeof argv.out === 'string' ? argv.out : undefined], validateInputs(argv)),
  command: 'validate',
  describe: 'check simulated fees of real positions against the chain: replay a pool-events CSV in log order with their own mint and burn',
  builder: (y: Argv<object>) =>
    y
      .usage(
        '$0 validate --events FILE.pool_events.csv [--fee 500] (--position OWNER:TICKLOWER:TICKUPPER[@MINTBLOCK.LOG-BURNBLOCK.LOG]… | --positions FILE.json | --all) [--tol 1e-3] [--out result.json] [--json]\n\n' +
          'A position is named by its owner (as BURN/COLLECT rows name it), integer ticks and, optionally, the (block.logIndex) of its MINT and BURN rows; ' +
          'liquidity is the raw uint128 of those rows. The file is replayed row by row in log order through the exact v3 pool, with each position\'s own ' +
          'mint and burn (never a copy on top of the logged liquidity); the liquidity of each tick-spacing bucket is inferred from the logged in-range L. ' +
          'Simulated fees are what the pool credits at the burn; actual fees are the COLLECT after the burn minus the burned principal. ' +
          'stdout: a line per position and a summary; exit status 1 when a position with known actual fees is off by more than --tol (per token, relative).',
      )
      .option('events', { type: 'string', describe: 'demeter-fetch pool-events CSV (block_number, …, tx_type, log_index, sender, amount0, amount1, total_liquidity, sqrtPriceX96, current_tick, tick_lower, tick_upper, liquidity)' })
      .option('fee', { type: 'string', describe: 'pool fee tier in hundredths of a bip (500 = 0.05 %) or a fraction (0.0005) [default: the --positions file\'s, else 500]' })
      .option('position', { type: 'string', array: true, describe: 'OWNER:TICKLOWER:TICKUPPER[@MINTBLOCK.LOG-BURNBLOCK.LOG]; repeatable. Without @…, the lives of this owner and ticks are found (ambiguity is reported)' })
      .option('positions', { type: 'string', describe: 'JSON {"events", "fee", "positions": [{"id", "owner", "tickLower", "tickUpper", "liquidity" (decimal string), "mint": {"block", "logIndex"}, "burn": {…}}]}; liquidity, mint and burn optional; a relative events path is relative to the JSON file' })
      .option('all', { type: 'boolean', describe: 'every position minted, burned to zero and collected inside the file' })
      .option('tol', { type: 'string', describe: 'relative error allowed per token, |sim − actual| / max(actual, 1) [default: 1e-3]' })
      .option('out', { type: 'string', describe: 'write the per-position result JSON here (atomically): simulated and actual fees per token (raw integers as strings), errors, swaps in range, mapUncertainSwaps, notes' })
      .option('json', { type: 'boolean', describe: 'print the result JSON to stdout instead of the table' })
      .example('$0 validate --events ../shared/data/uniswap_v3/ethereum_usdc_weth_005_0x88e6_2024-01-05.pool_events.csv --all --out out/validate.json', 'every clean position of a day of USDC/WETH 0.05 %')
      .example('$0 validate --events FILE.csv --position 0x51c72848c68a965f66fa7a88855f9f7784502a7f:199060:199070@18937605.36-18937605.45', 'one just-in-time position, named by its mint and burn rows')
      .example('$0 validate --positions mine.json --tol 1e-4', 'the positions (and events file) listed in mine.json'),
  handler: async (argv) => {
    if (argv.events !== undefined && argv.events === '') throw new ConfigError('--events', 'must be a file path');
    const out = argv.out;
    if (out !== undefined) {
      if (out === '') throw new ConfigError('--out', 'must be a file path');
      const input = validateInputs(argv as unknown as Record<string, unknown>).find((f) => sameFile(f, out));
      if (input !== undefined) throw new ConfigError('--out', `must differ from the files this run reads: it is ${input}; give another --out`);
    }
    // No stale output: a previous run's OUT must not pass for this failed run's result (as in replay, replay-real),
    // whether the flags or the data fail.
    const r: ValidateResult = await removingOutputsOnError(outputsNotInputs([out], validateInputs(argv as unknown as Record<string, unknown>)), async () => {
      // an empty value would read "cannot read : no such file"; a bare --position, as if none were given
      if (argv.positions !== undefined && argv.positions === '') throw new ConfigError('--positions', 'must be a file path');
      if (argv.position !== undefined && argv.position.length === 0) throw new ConfigError('--position', 'needs a value: OWNER:TICKLOWER:TICKUPPER[@MINTBLOCK.LOG-BURNBLOCK.LOG]');
      const feeText = argv.fee === undefined ? undefined : String(argv.fee);
      const fee = feeText === undefined ? undefined : feePipsOf(numberArg('--fee', feeText, FEE_NEED));
      const tolText = argv.tol === undefined ? undefined : String(argv.tol);
      const tol = tolText === undefined ? undefined : numberArg('--tol', tolText, TOL_NEED);
      if (tol !== undefined && !(tol >= 0)) throw new ConfigError('--tol', `${TOL_NEED}; was ${typedText(tolText!, tol)}`);
      const specs = (argv.position ?? []).map((p) => parsePositionArg(String(p)));
      return validate({
        ...(argv.events === undefined ? {} : { events: argv.events }),
        ...(fee === undefined ? {} : { fee, feeText: feeText! }),
        ...(tol === undefined ? {} : { tol }),
        ...(argv.all === true ? { all: true } : {}),
        ...(specs.length > 0 ? { positions: specs } : {}),
        ...(argv.positions === undefined ? {} : { positionsFile: argv.positions }),
      });
    });
    const body = toJson(r);
    if (out !== undefined) writeFileAtomic(out, body);
    process.stdout.write(argv.json === true ? body : formatValidate(r));
    if (r.positions.some((p) => p.withinTol === false)) process.exitCode = 1;
  },
};
