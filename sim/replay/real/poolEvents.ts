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

/** Parses the CSV text of a pool-events file (see the module comment). `file` names the file in errors. */
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
  for (let li = 1; li < lines.length; li++) {
    const raw = lines[li]!;
    if (raw.trim() === '') continue;
    const line = li + 1;
    const f = raw.split(',');
    if (f.length !== header.length) {
      if (f.length < header.length) throw new InputError(file, line, header[f.length]!, `must be present (the header has ${header.length} fields); the row has ${f.length}`);
      throw new InputError(file, line, 'row', `must have ${header.length} fields like the header; has ${f.length}`);
    }
    const get = (name: string): string => (f[idx(name)] ?? '').trim();
    const int = (name: string, opt = false): bigint => {
      const v = get(name);
      if (v === '' && opt) return 0n;
      if (!INT_RE.test(v)) throw new InputError(file, line, name, `must be an integer; was ${JSON.stringify(v)}`);
      return BigInt(v);
    };
    const tick = (name: string, opt: boolean): number => {
      const v = get(name);
      if (v === '' && opt) return 0;
      if (!TICK_RE.test(v)) throw new InputError(file, line, name, `must be an integer tick (e.g. 199045 or 199045.0); was ${JSON.stringify(v)}`);
      return Number.parseInt(v, 10);
    };
    const kind = get('tx_type');
    if (kind !== 'SWAP' && kind !== 'MINT' && kind !== 'BURN' && kind !== 'COLLECT') {
      throw new InputError(file, line, 'tx_type', `must be SWAP, MINT, BURN or COLLECT; was ${JSON.stringify(kind)}`);
    }
    const ts = get('block_timestamp');
    const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:Z|\+00:00)?$/.exec(ts);
    // Date.UTC would roll an impossible date or time over (2024-02-30 to 2024-03-01): each field is checked first
    const [y, mo, d, h, mi, se] = (m ?? []).slice(1).map(Number) as number[];
    if (m === null || !(mo! >= 1 && mo! <= 12 && d! >= 1 && d! <= daysInMonth(y!, mo!) && h! <= 23 && mi! <= 59 && se! <= 59)) {
      throw new InputError(file, line, 'block_timestamp', `must be "YYYY-MM-DD HH:MM:SS" (UTC), a real date and time; was ${JSON.stringify(ts)}`);
    }
    const timestampSec = Date.UTC(y!, mo! - 1, d!, h!, mi!, se!) / 1000;
    const positionRow = kind !== 'SWAP';
    const liquidity = kind === 'MINT' || kind === 'BURN' ? int('liquidity') : 0n;
    if (liquidity < 0n) throw new InputError(file, line, 'liquidity', `must be ≥ 0; was ${liquidity}`);
    const sqrtPriceX96 = int('sqrtPriceX96');
    if (sqrtPriceX96 <= 0n) throw new InputError(file, line, 'sqrtPriceX96', `must be > 0; was ${sqrtPriceX96}`);
    const owner = iSender < 0 ? '' : (f[iSender] ?? '').trim().toLowerCase();
    if ((kind === 'MINT' || kind === 'BURN') && owner === '') {
      throw new InputError(file, line, 'sender', iSender < 0 ? `a ${kind} row needs the position's owner, and the header has no sender column` : `must be the position's owner on a ${kind} row; is empty`);
    }
    rows.push({
      line,
      blockNumber: Number(int('block_number')),
      timestampSec,
      kind,
      txHash: iHash < 0 ? '' : (f[iHash] ?? '').trim(),
      logIndex: Number(int('log_index')),
      owner,
      amount0: int('amount0'),
      amount1: int('amount1'),
      totalLiquidity: int('total_liquidity'),
      sqrtPriceX96,
      tick: tick('current_tick', false),
      tickLower: tick('tick_lower', !positionRow),
      tickUpper: tick('tick_upper', !positionRow),
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
