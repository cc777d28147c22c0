/**
 * `ammsim validate`: do the simulated fees of real positions match what the chain paid them?
 *
 * Takes a pool-events file, finds the lives of the positions asked for (sim/replay/validate/positions.ts),
 * replays the file in log order through the exact pool with those positions' own mint and burn rows
 * (sim/replay/validate/logOrderReplay.ts) and compares the fees per token the pool credits at each burn with
 * the chain's (collect − burned principal). All amounts are raw integers (decimal strings in the result).
 *
 * Relative error per token: |simulated − actual| / max(actual, 1), so a position the chain paid nothing must
 * be simulated at exactly 0 to be within any tolerance below 1.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError, didYouMean, InputError } from '../sim/core/errors.ts';
import { readPoolEvents, type PoolEventRow } from '../sim/replay/real/poolEvents.ts';
import { checkTicksOnSpacing, defaultTickSpacingOfFeePips } from '../sim/replay/real/replayEvents.ts';
import { replayLogOrder, type LogOrderReplayStats } from '../sim/replay/validate/logOrderReplay.ts';
import { findAllPositions, refOf, resolvePosition, type LogRef, type PositionLife, type PositionSpec } from '../sim/replay/validate/positions.ts';

export interface ValidateOptions {
  /** Pool-events CSV; may be omitted when `positionsFile` names one (relative to that file's folder). */
  readonly events?: string;
  /** Fee in hundredths of a bip; default the positions file's, else 500. */
  readonly fee?: number;
  /** `fee` as the user typed it (`0.003` for 3000), when it came from --fee: messages name the flag as given. */
  readonly feeText?: string;
  readonly tickSpacing?: number;
  /** Exactly one way of choosing positions. */
  readonly all?: boolean;
  readonly positions?: readonly PositionSpec[];
  readonly positionsFile?: string;
  /** Relative error allowed per token (default 1e-3). */
  readonly tol?: number;
}

export interface ValidatedPosition {
  readonly id: string;
  readonly owner: string;
  readonly tickLower: number;
  readonly tickUpper: number;
  readonly liquidity: string;
  readonly mint: LogRef;
  readonly burn: LogRef;
  readonly collect: LogRef | null;
  /** Fees per token, raw integers as decimal strings; null when unknown / not replayed. */
  readonly simulated: { readonly fees0: string; readonly fees1: string } | null;
  readonly actual: { readonly fees0: string; readonly fees1: string } | null;
  /** |sim − actual| / max(actual, 1) per token; null when either side is unknown. */
  readonly relError: { readonly fees0: number; readonly fees1: number } | null;
  /** Both tokens within `tol`; null when the actual fees are unknown. */
  readonly withinTol: boolean | null;
  /** Simulated fees equal the chain's exactly, both tokens. */
  readonly exact: boolean | null;
  readonly swapsInRange: number;
  readonly mapUncertainSwaps: number;
  readonly priceDrivenSwaps: number;
  readonly ambiguous: boolean;
  readonly notes: readonly string[];
}

export interface ValidateSummary {
  readonly positions: number;
  /** Positions whose actual fees are known (and were replayed). */
  readonly compared: number;
  readonly withinTol: number;
  readonly exact: number;
  /** Median and worst of each compared position's larger token error. */
  readonly medianError: number;
  readonly worstError: number;
  /** The position with the worst error; null when every error is 0. */
  readonly worstId: string | null;
}

export interface ValidateResult {
  readonly events: string;
  readonly fee: number;
  readonly tickSpacing: number;
  readonly tol: number;
  readonly summary: ValidateSummary;
  readonly positions: readonly ValidatedPosition[];
  readonly replay: LogOrderReplayStats;
}

const DEC = /^\d+$/;

interface PositionsFile {
  readonly events?: string;
  readonly fee?: number;
  readonly specs: PositionSpec[];
}

/** Parses a `--positions` JSON file: {"events", "fee", "positions": [{"id", "owner", "tickLower", "tickUpper", "liquidity", "mint", "burn"}]}. */
export function parsePositionsFile(text: string, file: string): PositionsFile {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new InputError(file, undefined, undefined, `is not valid JSON (${(err as Error).message})`);
  }
  const bad = (field: string, what: string): never => {
    throw new InputError(file, undefined, field, what);
  };
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) bad('(root)', 'must be an object {"events", "fee", "positions": […]}');
  const d = doc as Record<string, unknown>;
  // a key outside the vocabulary (a typo such as "liqudity") would be ignored, and the position chosen without it
  const unknownKeys = (o: Record<string, unknown>, known: readonly string[], where: (k: string) => string): void => {
    for (const k of Object.keys(o)) if (!known.includes(k)) bad(where(k), `is not a key here (keys: ${known.join(', ')})${didYouMean(k, known)}`);
  };
  unknownKeys(d, ['events', 'fee', 'positions'], (k) => k);
  if (d.events !== undefined && typeof d.events !== 'string') bad('events', 'must be a file path string');
  if (d.fee !== undefined && !(typeof d.fee === 'number' && Number.isInteger(d.fee) && d.fee >= 0 && d.fee < 1_000_000)) bad('fee', `must be an integer in hundredths of a bip (500); was ${JSON.stringify(d.fee)}`);
  if (!Array.isArray(d.positions) || d.positions.length === 0) bad('positions', 'must be a non-empty array');
  const ref = (v: unknown, field: string): LogRef | undefined => {
    if (v === undefined) return undefined;
    const o = v as Record<string, unknown>;
    if (typeof v !== 'object' || v === null || !Number.isInteger(o.block) || !Number.isInteger(o.logIndex) || (o.block as number) < 0 || (o.logIndex as number) < 0) {
      return bad(field, `must be {"block": N, "logIndex": N}; was ${JSON.stringify(v)}`);
    }
    unknownKeys(o, ['block', 'logIndex'], (k) => `${field}.${k}`);
    return { block: o.block as number, logIndex: o.logIndex as number };
  };
  const specs = (d.positions as unknown[]).map((p, i): PositionSpec => {
    const f = (k: string): string => `positions[${i}].${k}`;
    if (typeof p !== 'object' || p === null) return bad(`positions[${i}]`, 'must be an object');
    const o = p as Record<string, unknown>;
    unknownKeys(o, ['id', 'owner', 'tickLower', 'tickUpper', 'liquidity', 'mint', 'burn'], f);
    if (typeof o.owner !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(o.owner)) bad(f('owner'), `must be a 0x address; was ${JSON.stringify(o.owner)}`);
    for (const k of ['tickLower', 'tickUpper']) if (!Number.isInteger(o[k])) bad(f(k), `must be an integer tick; was ${JSON.stringify(o[k])}`);
    if ((o.tickLower as number) >= (o.tickUpper as number)) bad(f('tickLower'), `must be below tickUpper; was ${String(o.tickLower)} ≥ ${String(o.tickUpper)}`);
    if (o.id !== undefined && typeof o.id !== 'string') bad(f('id'), 'must be a string');
    if (o.liquidity !== undefined && !(typeof o.liquidity === 'string' && DEC.test(o.liquidity))) bad(f('liquidity'), `must be a decimal string (raw uint128); was ${JSON.stringify(o.liquidity)}`);
    const mint = ref(o.mint, f('mint'));
    const burn = ref(o.burn, f('burn'));
    if ((mint === undefined) !== (burn === undefined)) bad(f(mint === undefined ? 'mint' : 'burn'), 'give both mint and burn, or neither');
    return {
      owner: (o.owner as string).toLowerCase(),
      tickLower: o.tickLower as number,
      tickUpper: o.tickUpper as number,
      ...(o.id === undefined ? {} : { id: o.id as string }),
      ...(o.liquidity === undefined ? {} : { liquidity: BigInt(o.liquidity as string) }),
      ...(mint === undefined ? {} : { mint, burn: burn! }),
    };
  });
  return { ...(d.events === undefined ? {} : { events: d.events as string }), ...(d.fee === undefined ? {} : { fee: d.fee as number }), specs };
}

function relErr(sim: bigint, act: bigint): number {
  const d = sim > act ? sim - act : act - sim;
  if (d === 0n) return 0;
  const den = act > 0n ? act : 1n;
  // Ratio to 1e-15 resolution without float overflow.
  return Number((d * 10n ** 15n) / den) / 1e15;
}

function median(xs: readonly number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function validatePositions(rows: readonly PoolEventRow[], lives: readonly PositionLife[], fee: number, tickSpacing: number, tol: number): { positions: ValidatedPosition[]; summary: ValidateSummary; replay: LogOrderReplayStats } {
  const r = replayLogOrder(rows, {
    fee,
    tickSpacing,
    positions: lives.map((p) => ({ id: p.id, tickLower: p.tickLower, tickUpper: p.tickUpper, liquidity: p.liquidity, mintIndex: p.mintIndex, burnIndex: p.burnIndex })),
  });
  const positions = lives.map((p, i): ValidatedPosition => {
    const sim = r.positions[i]!;
    const m = rows[p.mintIndex]!;
    const b = rows[p.burnIndex]!;
    const notes = [...p.notes, ...sim.notes];
    if (sim.mintAmount0 !== undefined && (sim.mintAmount0 !== m.amount0 || sim.mintAmount1 !== m.amount1)) notes.push(`the simulated mint takes ${sim.mintAmount0}/${sim.mintAmount1}, the log ${m.amount0}/${m.amount1}`);
    if (sim.burnAmount0 !== undefined && (sim.burnAmount0 !== b.amount0 || sim.burnAmount1 !== b.amount1)) notes.push(`the simulated burn returns ${sim.burnAmount0}/${sim.burnAmount1}, the log ${b.amount0}/${b.amount1}`);
    if (sim.mapUncertainSwaps > 0) notes.push(`${sim.mapUncertainSwaps} swap(s) in range crossed ticks whose liquidity the file never shows (a data gap, not a simulator one)`);
    const simulated = sim.fees0 === undefined || sim.fees1 === undefined ? null : { fees0: sim.fees0, fees1: sim.fees1 };
    const actual = p.actual0 === undefined || p.actual1 === undefined ? null : { fees0: p.actual0, fees1: p.actual1 };
    const relError = simulated === null || actual === null ? null : { fees0: relErr(simulated.fees0, actual.fees0), fees1: relErr(simulated.fees1, actual.fees1) };
    return {
      id: p.id,
      owner: p.owner,
      tickLower: p.tickLower,
      tickUpper: p.tickUpper,
      liquidity: p.liquidity.toString(),
      mint: refOf(m),
      burn: refOf(b),
      collect: p.collectIndex === undefined ? null : refOf(rows[p.collectIndex]!),
      simulated: simulated === null ? null : { fees0: simulated.fees0.toString(), fees1: simulated.fees1.toString() },
      actual: actual === null ? null : { fees0: actual.fees0.toString(), fees1: actual.fees1.toString() },
      relError,
      withinTol: relError === null ? null : relError.fees0 <= tol && relError.fees1 <= tol,
      exact: simulated === null || actual === null ? null : simulated.fees0 === actual.fees0 && simulated.fees1 === actual.fees1,
      swapsInRange: sim.swapsInRange,
      mapUncertainSwaps: sim.mapUncertainSwaps,
      priceDrivenSwaps: sim.priceDrivenSwaps,
      ambiguous: p.ambiguous,
      notes,
    };
  });
  const compared = positions.filter((p) => p.relError !== null);
  const errs = compared.map((p) => Math.max(p.relError!.fees0, p.relError!.fees1));
  let worst = -1;
  for (let i = 0; i < errs.length; i++) if (worst < 0 || errs[i]! > errs[worst]!) worst = i;
  const summary: ValidateSummary = {
    positions: positions.length,
    compared: compared.length,
    withinTol: compared.filter((p) => p.withinTol === true).length,
    exact: compared.filter((p) => p.exact === true).length,
    medianError: median(errs),
    worstError: worst < 0 ? 0 : errs[worst]!,
    worstId: worst < 0 || errs[worst] === 0 ? null : compared[worst]!.id,
  };
  return { positions, summary, replay: r.stats };
}

/** Runs the verb: options in, result out (see the module comment). Throws ConfigError/InputError. */
export async function validate(o: ValidateOptions): Promise<ValidateResult> {
  const ways = [o.all === true, o.positions !== undefined && o.positions.length > 0, o.positionsFile !== undefined].filter(Boolean).length;
  if (ways !== 1) throw new ConfigError('--position', 'choose the positions one way: --position OWNER:TICKLOWER:TICKUPPER[@MINTBLOCK.LOG-BURNBLOCK.LOG] (repeatable), --positions FILE.json, or --all');
  let file: PositionsFile | undefined;
  if (o.positionsFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(o.positionsFile, 'utf8');
    } catch (err) {
      throw new ConfigError('--positions', `cannot read ${o.positionsFile}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(err)}`);
    }
    file = parsePositionsFile(text, o.positionsFile);
  }
  // A relative "events" path in a positions file is relative to that file's folder.
  const events = o.events ?? (file?.events === undefined ? undefined : resolve(dirname(o.positionsFile!), file.events));
  if (events === undefined || events === '') throw new ConfigError('--events', 'give the pool-events CSV: --events FILE.pool_events.csv (or "events" in the --positions file)');
  const fee = o.fee ?? file?.fee ?? 500;
  const tickSpacing = o.tickSpacing ?? defaultTickSpacingOfFeePips(fee);
  const tol = o.tol ?? 1e-3;
  if (!(Number.isFinite(tol) && tol >= 0)) throw new ConfigError('--tol', `must be a relative error ≥ 0 (1e-3 = 0.1 %); was ${tol}`);
  const rows = await readPoolEvents(events);
  // A logged MINT/BURN is always on the pool's spacing (the contract requires it): one off it means a wrong fee tier.
  const feeGiven = o.feeText === undefined || o.feeText.trim() === String(fee) ? String(fee) : `${o.feeText.trim()} (${fee})`;
  const feeFrom = o.fee !== undefined ? `--fee ${feeGiven}` : file?.fee !== undefined ? `the fee ${fee} of ${o.positionsFile} (--fee overrides it)` : `the default --fee ${fee}`;
  checkTicksOnSpacing(rows, tickSpacing, events, `is ${feeFrom} the pool's fee tier?`);
  let lives: PositionLife[];
  if (o.all === true) lives = findAllPositions(rows);
  else {
    const flag = file === undefined ? '--position' : '--positions';
    lives = (file?.specs ?? o.positions ?? []).map((s) => resolvePosition(rows, s, flag));
    const ids = new Set<string>();
    for (const p of lives) {
      if (ids.has(p.id)) throw new ConfigError(flag, `position ${p.id} is named twice`);
      ids.add(p.id);
    }
  }
  const v = validatePositions(rows, lives, fee, tickSpacing, tol);
  return { events, fee, tickSpacing, tol, summary: v.summary, positions: v.positions, replay: v.replay };
}
