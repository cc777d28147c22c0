/**
 * Reader for demeter-fetch Uniswap v3 pool-event CSVs (../shared/data/README.md §5): one row per pool log,
 * `block_number, block_timestamp, tx_type, transaction_hash, tx_index, log_index, sender, receipt, amount0,
 * amount1, total_liquidity, total_liquidity_delta, sqrtPriceX96, current_tick, tick_lower, tick_upper,
 * liquidity`. Integers are parsed straight to bigint (never through a float); ticks may be written `199045.0`.
 *
 * What each row means for a replay:
 * - SWAP: `amount0`/`amount1` signed from the pool's side (> 0 paid in); `sqrtPriceX96`, `current_tick` and
 *   `total_liquidity` are the Swap event's own post-swap slot0 and in-range liquidity.
 * - MINT/BURN: `sender` (the position owner key used here), `tick_lower`, `tick_upper`, `liquidity` (the
 *   amount, ≥ 0); `total_liquidity` is the pool's in-range L after the event.
 * - COLLECT: no effect on price or liquidity.
 * Rows are returned sorted by (block_number, log_index), the chain's total order; two rows with the same pair are
 * the same log written twice, and refused (replayed, it would count twice).
 */
import { readFile } from 'node:fs/promises';
import { InputError } from '../../core/errors.ts';
import { daysInMonth } from '../../core/time.ts';

export type PoolEventKind = 'SWAP' | 'MINT' | 'BURN' | 'COLLECT';

export interface PoolEventRow {
  /** 1-based line in the file (for messages). */
  readonly line: number;
  readonly blockNumber: number;
  /** Block time, unix seconds (UTC). */
  readonly timestampSec: number;
  readonly kind: PoolEventKind;
  readonly txHash: string;
  readonly logIndex: number;
  /** MINT/BURN/COLLECT: the owner key of the position (the event's owner, as demeter writes it in `sender`). */
  readonly owner: string;
  readonly amount0: bigint;
  readonly amount1: bigint;
  /** Pool in-range liquidity after the event (SWAP: the Swap event's `liquidity`). */
  readonly totalLiquidity: bigint;
  /** SWAP: slot0 after the swap. Other rows carry the last known value. */
  readonly sqrtPriceX96: bigint;
  readonly tick: number;
  /** MINT/BURN/COLLECT only (0 otherwise). */
  readonly tickLower: number;
  readonly tickUpper: number;
  /** MINT/BURN: the liquidity amount (≥ 0); 0 otherwise. */
  readonly liquidity: bigint;
}

const REQUIRED = ['block_number', 'block_timestamp', 'tx_type', 'log_index', 'amount0', 'amount1', 'total_liquidity', 'sqrtPriceX96', 'current_tick', 'tick_lower', 'tick_upper', 'liquidity'] as const;

const INT_RE = /^-?\d+$/;
const TICK_RE = /^-?\d+(\.0+)?$/;

const U128 = 1n << 128n;
const I128 = 1n << 127n;
const U256 = 1n << 256n;
const I256 = 1n << 255n;
const NEG_I256 = -I256;
const SAFE_LIMIT = BigInt(Number.MAX_SAFE_INTEGER) + 1n;
/** The pool's price range (TickMath): every sqrtPriceX96 a pool can hold lies in [MIN_SQRT_RATIO, MAX_SQRT_RATIO). */
const MIN_SQRT_RATIO = 4295128739n;
const MAX_SQRT_RATIO = 1461446703485210103287273052203988822378723970342n;
const MIN_TICK = -887272;
const MAX_TICK = 887272;

/**
 * Parses the CSV text of a pool-events file (see the module comment). `file` names the file in errors.
 *
 * Each column is checked against the type of the Uniswap v3 event field it holds, so that a corrupt value is refused
 * naming file, line and column instead of replaying into a wrong result or failing deep in the pool:
 * `block_number` and `log_index` safe integers ≥ 0; SWAP `amount0`/`amount1` int256 (signed); MINT/BURN amounts
 * uint256 and COLLECT amounts uint128 (unsigned); `total_liquidity` uint128 and MINT/BURN `liquidity` a uint128 below 2^127 (the pool's int128 delta);
 * `sqrtPriceX96` a pool price (MIN_SQRT_RATIO ≤ x < MAX_SQRT_RATIO, so a uint160 above 0); ticks int24 in
 * [MIN_TICK, MAX_TICK], and a MINT/BURN's `tick_lower` below its `tick_upper`.
 */
export function parsePoolEventsCsv(text: string, file: string): PoolEventRow[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = (lines[0] ?? '').split(',').map((s) => s.trim());
  const col = new Map(header.map((h, i) => [h, i]));
  for (const r of REQUIRED) {
    if (!col.has(r)) throw new InputError(file, 1, r, `column is required in a Uniswap v3 pool-events CSV; header has: ${header.join(', ')}`);
  }
  const idx = (name: string): number => col.get(name) ?? -1;
  const iSender = idx('sender');
  const iHash = idx('transaction_hash');
  const rows: PoolEventRow[] = [];
  // the row being parsed: the helpers below read it (made once, not per row: the parse is on the replay's hot path)
  let f: string[] = [];
  let line = 0;
  const get = (name: string): string => (f[idx(name)] ?? '').trim();
  const int = (name: string): bigint => {
    const v = get(name);
    if (!INT_RE.test(v)) throw new InputError(file, line, name, `must be an integer; was ${JSON.stringify(v)}`);
    return BigInt(v);
  };
  /** An integer in [0, limit); `what` names the type in the message. */
  const uint = (name: string, limit: bigint, what: string): bigint => {
    const x = int(name);
    if (x < 0n || x >= limit) throw new InputError(file, line, name, `${what}; was ${x}`);
    return x;
  };
  /** A block number or log index: a safe integer ≥ 0 (one beyond 2^53 would lose precision as a number). */
  const index = (name: string): number => Number(uint(name, SAFE_LIMIT, 'must be an integer ≥ 0 and at most 2^53 − 1 (9007199254740991)'));
  const tick = (name: string, opt: boolean): number => {
    const v = get(name);
    if (v === '' && opt) return 0;
    if (!TICK_RE.test(v)) throw new InputError(file, line, name, `must be an integer tick (e.g. 199045 or 199045.0); was ${JSON.stringify(v)}`);
    const t = Number.parseInt(v, 10);
    if (!(t >= MIN_TICK && t <= MAX_TICK)) throw new InputError(file, line, name, `must be a tick (int24) in [${MIN_TICK}, ${MAX_TICK}]; was ${v}`);
    return t;
  };
  for (let li = 1; li < lines.length; li++) {
    const raw = lines[li]!;
    if (raw.trim() === '') continue;
    line = li + 1;
    f = raw.split(',');
    if (f.length !== header.length) {
      if (f.length < header.length) throw new InputError(file, line, header[f.length]!, `must be present (the header has ${header.length} fields); the row has ${f.length}`);
      throw new InputError(file, line, 'row', `must have ${header.length} fields like the header; has ${f.length}`);
    }
    const kind = get('tx_type');
    if (kind !== 'SWAP' && kind !== 'MINT' && kind !== 'BURN' && kind !== 'COLLECT') {
      throw new InputError(file, line, 'tx_type', `must be SWAP, MINT, BURN or COLLECT; was ${JSON.stringify(kind)}`);
    }
    const blockNumber = index('block_number');
    const ts = get('block_timestamp');
    const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:Z|\+00:00)?$/.exec(ts);
    // Date.UTC would roll an impossible date or time over (2024-02-30 to 2024-03-01): each field is checked first
    const [y, mo, d, h, mi, se] = (m ?? []).slice(1).map(Number) as number[];
    if (m === null || !(mo! >= 1 && mo! <= 12 && d! >= 1 && d! <= daysInMonth(y!, mo!) && h! <= 23 && mi! <= 59 && se! <= 59)) {
      throw new InputError(file, line, 'block_timestamp', `must be "YYYY-MM-DD HH:MM:SS" (UTC), a real date and time; was ${JSON.stringify(ts)}`);
    }
    const timestampSec = Date.UTC(y!, mo! - 1, d!, h!, mi!, se!) / 1000;
    const logIndex = index('log_index');
    const positionRow = kind !== 'SWAP';
    const liquidityRow = kind === 'MINT' || kind === 'BURN';
    // Swap amounts are int256 (signed, from the pool's side); Mint and Burn amounts uint256, Collect amounts uint128
    let amount0: bigint;
    let amount1: bigint;
    if (kind === 'SWAP') {
      amount0 = int('amount0');
      amount1 = int('amount1');
      if (amount0 < NEG_I256 || amount0 >= I256) throw new InputError(file, line, 'amount0', `must be an int256 on a SWAP row; was ${amount0}`);
      if (amount1 < NEG_I256 || amount1 >= I256) throw new InputError(file, line, 'amount1', `must be an int256 on a SWAP row; was ${amount1}`);
    } else {
      const [limit, type] = kind === 'COLLECT' ? [U128, 'uint128'] : [U256, 'uint256'];
      const what = `must be a ${type} (≥ 0: ${kind} amounts are unsigned; only SWAP amounts are signed)`;
      amount0 = uint('amount0', limit, what);
      amount1 = uint('amount1', limit, what);
    }
    const totalLiquidity = uint('total_liquidity', U128, 'must be a uint128 (the pool\'s in-range liquidity, 0 ≤ L < 2^128)');
    // uint128 in the event, but the pool takes it as an int128 delta (toInt128): a Mint or Burn of 2^127 or more reverts
    const liquidity = liquidityRow ? uint('liquidity', I128, `must be a uint128 below 2^127 on a ${kind} row (the pool takes it as an int128 delta)`) : 0n;
    const sqrtPriceX96 = int('sqrtPriceX96');
    if (!(sqrtPriceX96 >= MIN_SQRT_RATIO && sqrtPriceX96 < MAX_SQRT_RATIO)) {
      throw new InputError(file, line, 'sqrtPriceX96', `must be a pool price, a uint160 in [MIN_SQRT_RATIO, MAX_SQRT_RATIO) = [${MIN_SQRT_RATIO}, ${MAX_SQRT_RATIO}); was ${sqrtPriceX96}`);
    }
    const currentTick = tick('current_tick', false);
    const tickLower = tick('tick_lower', !positionRow);
    const tickUpper = tick('tick_upper', !positionRow);
    if (liquidityRow && !(tickLower < tickUpper)) throw new InputError(file, line, 'tick_upper', `must be above tick_lower (${tickLower}) on a ${kind} row; was ${tickUpper}`);
    const owner = iSender < 0 ? '' : (f[iSender] ?? '').trim().toLowerCase();
    if (liquidityRow && owner === '') {
      throw new InputError(file, line, 'sender', iSender < 0 ? `a ${kind} row needs the position's owner, and the header has no sender column` : `must be the position's owner on a ${kind} row; is empty`);
    }
    rows.push({
      line,
      blockNumber,
      timestampSec,
      kind,
      txHash: iHash < 0 ? '' : (f[iHash] ?? '').trim(),
      logIndex,
      owner,
      amount0,
      amount1,
      totalLiquidity,
      sqrtPriceX96,
      tick: currentTick,
      tickLower,
      tickUpper,
      liquidity,
    });
  }
  if (rows.length === 0) throw new InputError(file, 2, 'rows', 'must have at least one event row; found none');
  // The chain's order; a stable sort keeps the file's order for equal keys.
  rows.sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex);
  for (let k = 1; k < rows.length; k++) {
    const a = rows[k - 1]!;
    const b = rows[k]!;
    if (a.blockNumber === b.blockNumber && a.logIndex === b.logIndex) {
      const [first, again] = a.line < b.line ? [a, b] : [b, a];
      throw new InputError(file, again.line, 'log_index', `must not repeat within a block: block ${b.blockNumber} log ${b.logIndex} is also on line ${first.line} (the same event twice would be replayed twice)`);
    }
  }
  return rows;
}

/** Reads and parses a pool-events CSV file. */
export async function readPoolEvents(file: string): Promise<PoolEventRow[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (err as Error).message;
    throw new InputError(file, undefined, undefined, `cannot read the events file; ${why}`, { cause: err });
  }
  return parsePoolEventsCsv(text, file);
}
