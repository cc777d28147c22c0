/**
 * Finds real positions in a pool-events file (see ../real/poolEvents.ts) and what the chain paid them.
 *
 * A position's life in the logs is a MINT row, a BURN row of the same ticks and the same liquidity (burned to
 * zero) and the first COLLECT after that burn by the same owner and ticks. How the logs name the owner:
 * - BURN and COLLECT rows carry the position's owner as the pool sees it (for position-manager NFTs that is
 *   the manager contract; several NFTs share one (manager, ticks) key in the pool);
 * - a MINT row carries the Mint event's msg.sender, which is often a helper contract, not the owner. So a mint
 *   is paired with the burn of the same ticks and liquidity, never by its sender alone.
 * Fees the chain paid: `actual = collect − burned principal` per token (the collect pays out principal plus
 * fees owed since the mint). It is unknown (undefined) when the collect pays out less than the principal.
 */
import { ConfigError } from '../../core/errors.ts';
import type { PoolEventRow } from '../real/poolEvents.ts';

/** A row's place in the chain's order. */
export interface LogRef {
  readonly block: number;
  readonly logIndex: number;
}

export interface PositionLife {
  /** `OWNER:TICKLOWER:TICKUPPER@MINTBLOCK.LOG-BURNBLOCK.LOG` unless given. */
  readonly id: string;
  /** The owner as BURN/COLLECT rows name it (lower case). */
  readonly owner: string;
  readonly tickLower: number;
  readonly tickUpper: number;
  readonly liquidity: bigint;
  /** Indexes into the rows the life was found in. */
  readonly mintIndex: number;
  readonly burnIndex: number;
  /** Undefined when no COLLECT by the owner of these ticks follows the burn. */
  readonly collectIndex: number | undefined;
  /** Fees per token the chain paid (collect − burned principal); undefined when unknown. */
  readonly actual0: bigint | undefined;
  readonly actual1: bigint | undefined;
  /** True when the file allows more than one reading of this life (see notes). */
  readonly ambiguous: boolean;
  readonly notes: readonly string[];
}

export function refOf(r: PoolEventRow): LogRef {
  return { block: r.blockNumber, logIndex: r.logIndex };
}

export function refText(r: PoolEventRow | LogRef): string {
  return 'blockNumber' in r ? `${r.blockNumber}.${r.logIndex}` : `${r.block}.${r.logIndex}`;
}

export function lifeId(owner: string, lo: number, hi: number, mint: PoolEventRow, burn: PoolEventRow): string {
  return `${owner}:${lo}:${hi}@${refText(mint)}-${refText(burn)}`;
}

const sameTicks = (a: PoolEventRow, b: PoolEventRow): boolean => a.tickLower === b.tickLower && a.tickUpper === b.tickUpper;

/** Completes a (mint, burn) pair: the collect, the actual fees, cleanliness notes. */
function complete(rows: readonly PoolEventRow[], mi: number, bi: number, id: string | undefined, notes: string[], ambiguous: boolean): PositionLife {
  const m = rows[mi]!;
  const b = rows[bi]!;
  const owner = b.owner;
  let ci: number | undefined;
  for (let j = bi + 1; j < rows.length; j++) {
    const c = rows[j]!;
    if (c.kind === 'COLLECT' && c.owner === owner && sameTicks(c, b)) {
      ci = j;
      break;
    }
  }
  // Other activity on the same pool key (owner, ticks) during the life: a position-manager key is shared by
  // many NFTs (harmless: the manager accounts per NFT); a direct owner's collect may then mix lives.
  let others = 0;
  for (let j = mi + 1; j < bi; j++) {
    const r = rows[j]!;
    if (r.kind !== 'SWAP' && r.owner === owner && sameTicks(r, b)) others++;
  }
  if (others > 0) notes.push(`${others} other MINT/BURN/COLLECT row(s) on the same owner and ticks during the life (a shared pool key): the collect may mix fees of other liquidity`);
  let a0: bigint | undefined;
  let a1: bigint | undefined;
  if (ci === undefined) {
    notes.push('no COLLECT by this owner and ticks after the burn: the actual fees are unknown');
  } else {
    const c = rows[ci]!;
    if (c.txHash !== '' && c.txHash !== b.txHash) notes.push(`the collect (${refText(c)}) is not in the burn's transaction`);
    if (c.amount0 < b.amount0 || c.amount1 < b.amount1) {
      notes.push('the collect pays out less than the burned principal (a partial collect): the actual fees are unknown');
    } else {
      a0 = c.amount0 - b.amount0;
      a1 = c.amount1 - b.amount1;
    }
  }
  return {
    id: id ?? lifeId(owner, b.tickLower, b.tickUpper, m, b),
    owner,
    tickLower: b.tickLower,
    tickUpper: b.tickUpper,
    liquidity: b.liquidity,
    mintIndex: mi,
    burnIndex: bi,
    collectIndex: ci,
    actual0: a0,
    actual1: a1,
    ambiguous,
    notes,
  };
}

/**
 * Every position minted, burned to zero and collected inside `rows` (sorted as parsePoolEventsCsv returns
 * them). Each BURN of liquidity > 0 takes the latest earlier unpaired MINT of the same ticks and liquidity,
 * preferring one whose sender is the burn's owner; when several mints qualify the life is marked ambiguous.
 */
export function findAllPositions(rows: readonly PoolEventRow[]): PositionLife[] {
  const open: number[] = [];
  const out: PositionLife[] = [];
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (r.kind === 'MINT' && r.liquidity > 0n) open.push(i);
    if (r.kind !== 'BURN' || r.liquidity === 0n) continue;
    const cands = open.filter((k) => sameTicks(rows[k]!, r) && rows[k]!.liquidity === r.liquidity);
    if (cands.length === 0) continue;
    const own = cands.filter((k) => rows[k]!.owner === r.owner);
    const pick = (own.length > 0 ? own : cands)[(own.length > 0 ? own : cands).length - 1]!;
    open.splice(open.indexOf(pick), 1);
    const notes: string[] = [];
    if (cands.length > 1) notes.push(`ambiguous: ${cands.length} open mints of these ticks and liquidity (${cands.map((k) => refText(rows[k]!)).join(', ')}); took ${refText(rows[pick]!)}`);
    const life = complete(rows, pick, i, undefined, notes, cands.length > 1);
    if (life.collectIndex !== undefined) out.push(life);
  }
  return out;
}

/** A position as the user names it (`--position` or a `--positions` file entry). */
export interface PositionSpec {
  readonly id?: string;
  readonly owner: string;
  readonly tickLower: number;
  readonly tickUpper: number;
  readonly liquidity?: bigint;
  readonly mint?: LogRef;
  readonly burn?: LogRef;
}

function indexOfRef(rows: readonly PoolEventRow[], ref: LogRef): number {
  return rows.findIndex((r) => r.blockNumber === ref.block && r.logIndex === ref.logIndex);
}

/**
 * Resolves a user's position to its life in `rows`. With `mint` and `burn` the rows at those (block, log
 * index) are used and checked; without them the burns of this owner and ticks (and liquidity, when given)
 * are paired with mints as in {@link findAllPositions}; several candidate lives are reported as ambiguity
 * (the first is used). Throws ConfigError (flag `flag`) when nothing matches.
 */
export function resolvePosition(rows: readonly PoolEventRow[], spec: PositionSpec, flag: string): PositionLife {
  const owner = spec.owner.toLowerCase();
  const name = `${owner}:${spec.tickLower}:${spec.tickUpper}`;
  if (spec.mint !== undefined && spec.burn !== undefined) {
    const mi = indexOfRef(rows, spec.mint);
    const bi = indexOfRef(rows, spec.burn);
    const m = rows[mi];
    const b = rows[bi];
    if (m === undefined || m.kind !== 'MINT') throw new ConfigError(flag, `${name}: no MINT row at block ${spec.mint.block}, log index ${spec.mint.logIndex}`);
    if (b === undefined || b.kind !== 'BURN') throw new ConfigError(flag, `${name}: no BURN row at block ${spec.burn.block}, log index ${spec.burn.logIndex}`);
    if (bi < mi) throw new ConfigError(flag, `${name}: the burn (${refText(b)}) comes before the mint (${refText(m)})`);
    for (const [r, what] of [[m, 'mint'], [b, 'burn']] as const) {
      if (r.tickLower !== spec.tickLower || r.tickUpper !== spec.tickUpper) throw new ConfigError(flag, `${name}: the ${what} row ${refText(r)} has ticks ${r.tickLower}:${r.tickUpper}`);
    }
    if (b.owner !== owner) throw new ConfigError(flag, `${name}: the burn row ${refText(b)} is by ${b.owner}, not ${owner}`);
    if (m.liquidity !== b.liquidity) throw new ConfigError(flag, `${name}: the mint adds liquidity ${m.liquidity} but the burn removes ${b.liquidity}; only lives burned to zero in one burn can be validated`);
    if (spec.liquidity !== undefined && spec.liquidity !== m.liquidity) throw new ConfigError(flag, `${name}: liquidity ${spec.liquidity} differs from the mint row's ${m.liquidity}`);
    return complete(rows, mi, bi, spec.id, [], false);
  }
  const lives = findAllPositions(rows).filter(
    (p) => p.owner === owner && p.tickLower === spec.tickLower && p.tickUpper === spec.tickUpper && (spec.liquidity === undefined || p.liquidity === spec.liquidity),
  );
  if (lives.length === 0) {
    throw new ConfigError(flag, `${name}: no life (mint, burn to zero, collect) of this owner and ticks${spec.liquidity === undefined ? '' : ` with liquidity ${spec.liquidity}`} in the events; give @MINTBLOCK.LOG-BURNBLOCK.LOG to name the rows`);
  }
  const first = lives[0]!;
  const notes = [...first.notes];
  if (lives.length > 1) {
    notes.push(`ambiguous: ${lives.length} lives of this owner and ticks (${lives.map((p) => `${refText(rows[p.mintIndex]!)}-${refText(rows[p.burnIndex]!)}`).join(', ')}); took the first — name one with @MINTBLOCK.LOG-BURNBLOCK.LOG`);
  }
  return { ...first, id: spec.id ?? first.id, notes, ambiguous: first.ambiguous || lives.length > 1 };
}

/** Parses `OWNER:TICKLOWER:TICKUPPER[@MINTBLOCK.LOG-BURNBLOCK.LOG]`. */
export function parsePositionArg(text: string, flag = '--position'): PositionSpec {
  const m = /^(0x[0-9a-fA-F]{40}):(-?\d+):(-?\d+)(?:@(\d+)\.(\d+)-(\d+)\.(\d+))?$/.exec(text.trim());
  if (m === null) throw new ConfigError(flag, `must be OWNER:TICKLOWER:TICKUPPER[@MINTBLOCK.LOG-BURNBLOCK.LOG] (e.g. 0x51c7…2a7f:199060:199070@18937605.36-18937605.45); was ${JSON.stringify(text)}`);
  const lo = Number(m[2]);
  const hi = Number(m[3]);
  if (!(lo < hi)) throw new ConfigError(flag, `tickLower must be below tickUpper; was ${lo}:${hi}`);
  const base = { owner: m[1]!.toLowerCase(), tickLower: lo, tickUpper: hi };
  if (m[4] === undefined) return base;
  return { ...base, mint: { block: Number(m[4]), logIndex: Number(m[5]) }, burn: { block: Number(m[6]), logIndex: Number(m[7]) } };
}
