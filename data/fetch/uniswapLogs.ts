import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeEventLog, decodeFunctionResult, encodeFunctionData, hexToString, toEventSelector, type Abi, type Hex } from 'viem';
import { writeFileAtomic } from '../io/atomicWrite.ts';
import { ConfigError } from '../../sim/core/errors.ts';
import { cacheDirFor, ChunkCache, type CacheEvent } from './cache.ts';
import { redactUrl, RpcError } from './errors.ts';
import { DEFAULT_RETRY_POLICY, RetryableResponseError, type HttpDeps, type RetryEvent, type RetryPolicy } from './http.ts';
import type { FetchResult, FetchStats } from './output.ts';
import { JsonRpcClient, RpcRangeTooLargeError } from './rpc.ts';
import { sortAndDedupe, type Cell, type ColumnSpec, type Row } from './table.ts';
import { ERC20_SYMBOL_BYTES32_ABI, ERC20_VIEW_ABI, POOL_VIEW_ABI, UNISWAP_V2_PAIR_EVENTS_ABI, UNISWAP_V3_POOL_EVENTS_ABI } from './uniswapAbi.ts';
import { priceFromSqrtPriceX96 as orientedPriceFromSqrtPriceX96 } from '../../sim/math/v3/priceConversions.ts';
import { pow10 } from '../../sim/core/pow.ts';

/**
 * Uniswap v2/v3 pool events over JSON-RPC `eth_getLogs`, decoded with viem, cached per block range.
 *
 * Block ranges: the request range is walked in chunks of `chunkBlocks`; when the node refuses a chunk as
 * too large (-32005, "query returned more than 10000 results", "Log response size exceeded", …) the chunk
 * is halved and retried, down to a single block; after a few successes the size doubles back towards
 * `chunkBlocks`. Each fetched chunk (logs decoded, block timestamps attached) is a cache chunk, so a re-run
 * fetches only the missing ranges.
 *
 * Orientation: amounts stay in raw token units as exact decimal strings (`amount0`, `amount1`, …), with
 * float helpers `amount0Tokens`/`amount1Tokens` = raw / 10^decimals. `price` is token1 per token0 in whole
 * tokens, 10^(decimals0 − decimals1) · (sqrtPriceX96 / 2^96)^2 (v3) or (reserve1/10^d1)/(reserve0/10^d0)
 * (v2 Sync); `--invert` makes it token0 per token1. For USDC/WETH (token0 = USDC, 6 decimals; token1 = WETH,
 * 18) the default price is WETH per USDC (≈ 0.00044) and `--invert` gives USDC per WETH (≈ 2270).
 */
export type PoolVersion = 'v2' | 'v3';

export const POOL_EVENTS_DEFAULTS = {
  version: 'v3' as PoolVersion,
  /** Blocks per eth_getLogs request at the start (and the ceiling when growing back). */
  chunkBlocks: 2000,
  /** Consecutive successes after which a halved chunk size doubles again. */
  growAfterSuccesses: 4,
  /** Blocks per eth_getBlockByNumber batch when logs carry no blockTimestamp. */
  timestampBatchSize: 50,
} as const;

export interface PoolEventsQuery {
  readonly rpcUrl: string;
  /** Pool (v3) or pair (v2) address, 0x + 40 hex. */
  readonly pool: string;
  readonly version: PoolVersion;
  /**
   * Inclusive block range. `toBlock` may be `finalized`: the newest block the chain has finalized, asked of
   * the node when the fetch starts (finalized blocks cannot be reorganised away, so caching them is safe; a
   * `latest` block could be, which is why there is no `latest`).
   */
  readonly fromBlock: number;
  readonly toBlock: number | 'finalized';
  /** false: price = token1 per token0; true: token0 per token1. */
  readonly invert: boolean;
}

/** The pool's immutable parameters, read with eth_call at `latest` (they never change). */
export interface PoolInfo {
  readonly chainId: number;
  readonly address: string;
  readonly version: PoolVersion;
  readonly token0: string;
  readonly token1: string;
  readonly decimals0: number;
  readonly decimals1: number;
  readonly symbol0: string | null;
  readonly symbol1: string | null;
  /** v3 fee in hundredths of a basis point (500 = 0.05 %); null for v2 (always 0.30 %, not stored on-chain). */
  readonly fee: number | null;
  readonly tickSpacing: number | null;
}

const u = (name: string, doc: string): ColumnSpec => ({ name, kind: 'utf8', nullable: true, doc });
const i32 = (name: string, doc: string): ColumnSpec => ({ name, kind: 'i32', nullable: true, doc });

const COMMON_COLUMNS: readonly ColumnSpec[] = [
  { name: 'timestamp', kind: 'f64', nullable: false, doc: 'block timestamp, unix milliseconds UTC' },
  { name: 'blockNumber', kind: 'f64', nullable: false, doc: 'block number' },
  { name: 'transactionIndex', kind: 'u32', nullable: false, doc: 'position of the transaction in the block' },
  { name: 'logIndex', kind: 'u32', nullable: false, doc: 'position of the log in the block' },
  { name: 'transactionHash', kind: 'utf8', nullable: false, doc: 'transaction hash' },
  { name: 'event', kind: 'utf8', nullable: false, doc: 'event name (Swap, Mint, Burn, Collect, Initialize; v2: Swap, Mint, Burn, Sync)' },
];

/** v3 raw columns (cached). Integers from the contract are decimal strings. */
export const V3_RAW_COLUMNS: readonly ColumnSpec[] = [
  ...COMMON_COLUMNS,
  u('sender', 'Swap/Mint: msg.sender'),
  u('recipient', 'Swap/Collect: recipient'),
  u('owner', 'Mint/Burn/Collect: position owner'),
  u('amount0', 'raw token0 units; Swap: signed, positive = paid into the pool; Mint/Burn/Collect: amounts'),
  u('amount1', 'raw token1 units; same conventions as amount0'),
  u('sqrtPriceX96', 'Swap/Initialize: pool sqrt price after the event, Q64.96'),
  u('liquidity', 'Swap: in-range liquidity after the swap'),
  i32('tick', 'Swap/Initialize: pool tick after the event'),
  i32('tickLower', 'Mint/Burn/Collect: position lower tick'),
  i32('tickUpper', 'Mint/Burn/Collect: position upper tick'),
  u('amount', 'Mint/Burn: liquidity added/removed'),
];

/** v2 raw columns (cached). */
export const V2_RAW_COLUMNS: readonly ColumnSpec[] = [
  ...COMMON_COLUMNS,
  u('sender', 'Swap/Mint/Burn: msg.sender'),
  u('recipient', 'Swap/Burn: to'),
  u('amount0', 'raw token0 units; Swap: amount0In − amount0Out (positive = paid into the pool); Mint/Burn: amounts'),
  u('amount1', 'raw token1 units; same conventions as amount0'),
  u('amount0In', 'Swap: raw token0 in'),
  u('amount1In', 'Swap: raw token1 in'),
  u('amount0Out', 'Swap: raw token0 out'),
  u('amount1Out', 'Swap: raw token1 out'),
  u('reserve0', 'Sync: raw token0 reserve after the event'),
  u('reserve1', 'Sync: raw token1 reserve after the event'),
];

/** Columns computed when merging (not cached: they depend on --invert). */
export const DERIVED_COLUMNS: readonly ColumnSpec[] = [
  { name: 'price', kind: 'f64', nullable: true, doc: 'v3 Swap/Initialize, v2 Sync: token1 per token0 in whole tokens (token0 per token1 with --invert)' },
  { name: 'amount0Tokens', kind: 'f64', nullable: true, doc: 'amount0 / 10^decimals0 (float)' },
  { name: 'amount1Tokens', kind: 'f64', nullable: true, doc: 'amount1 / 10^decimals1 (float)' },
];

export function rawColumns(version: PoolVersion): readonly ColumnSpec[] {
  return version === 'v3' ? V3_RAW_COLUMNS : V2_RAW_COLUMNS;
}

function eventsAbi(version: PoolVersion): Abi {
  return version === 'v3' ? UNISWAP_V3_POOL_EVENTS_ABI : UNISWAP_V2_PAIR_EVENTS_ABI;
}

/** topic0 of every event the fetcher asks for, in ABI order. */
export function eventTopics(version: PoolVersion): Hex[] {
  return eventsAbi(version)
    .filter((x) => x.type === 'event')
    .map((e) => toEventSelector(e as never));
}

export type PoolEventsProgress =
  | RetryEvent
  | CacheEvent
  | { readonly kind: 'pool'; readonly pool: PoolInfo; readonly cached: boolean }
  | { readonly kind: 'blocks'; readonly fromBlock: number; readonly toBlock: number; readonly logs: number; readonly blocksDone: number; readonly blocksTotal: number }
  | { readonly kind: 'range-halved'; readonly fromBlock: number; readonly toBlock: number; readonly nextBlocks: number; readonly reason: string }
  | { readonly kind: 'finalized'; readonly block: number };

export interface PoolEventsOptions {
  readonly cacheRoot: string;
  readonly deps: HttpDeps;
  readonly policy?: RetryPolicy;
  readonly chunkBlocks?: number;
  readonly onProgress?: (e: PoolEventsProgress) => void;
}

/** Validates the query's flags; throws ConfigError naming the flag. */
export function checkPoolEventsQuery(q: PoolEventsQuery): void {
  if (!/^https?:\/\//.test(q.rpcUrl)) throw new ConfigError('--rpc', `must be an http(s) JSON-RPC URL; was "${redactUrl(q.rpcUrl)}"`);
  // fetch refuses a URL with user:password@ (and its error would print them): providers take the key in the path
  if (/^https?:\/\/[^/?#]*@/.test(q.rpcUrl)) throw new ConfigError('--rpc', `must not carry user:password@ (a request cannot be made from such a URL); put the key in the path or query as providers do; was "${redactUrl(q.rpcUrl)}"`);
  if (!/^0x[0-9a-fA-F]{40}$/.test(q.pool)) throw new ConfigError('--pool', `must be a 0x-prefixed 20-byte address; was "${q.pool}"`);
  if (q.version !== 'v2' && q.version !== 'v3') throw new ConfigError('--version', `must be v2 or v3; was "${String(q.version)}"`);
  if (!Number.isSafeInteger(q.fromBlock) || q.fromBlock < 0) throw new ConfigError('--from-block', `must be a block number (integer >= 0); was ${q.fromBlock}`);
  if (q.toBlock !== 'finalized' && (!Number.isSafeInteger(q.toBlock) || q.toBlock < q.fromBlock)) {
    throw new ConfigError('--to-block', `must be a block number >= --from-block (${q.fromBlock}), or finalized; was ${q.toBlock}`);
  }
}

/** The number of the chain's newest finalized block (eth_getBlockByNumber("finalized")). */
async function finalizedBlock(rpc: JsonRpcClient, chainId: number): Promise<number> {
  let block: unknown;
  try {
    block = await rpc.call('eth_getBlockByNumber', ['finalized', false]);
  } catch (err) {
    if (err instanceof RpcError) throw new ConfigError('--to-block', `finalized: the node on chain ${chainId} does not know the finalized block (${err.rpcMessage}); pass a block number`, { cause: err });
    throw err;
  }
  if (block === null || typeof block !== 'object') throw new ConfigError('--to-block', `finalized: the node on chain ${chainId} returned no finalized block; pass a block number`);
  return parseQuantity((block as { number?: unknown }).number, 'the finalized block number');
}

const hexQuantity = (n: number): Hex => `0x${n.toString(16)}`;

function parseQuantity(v: unknown, what: string): number {
  if (typeof v !== 'string' || !/^0x[0-9a-fA-F]+$/.test(v)) throw new RetryableResponseError(`${what} must be a hex quantity; was ${JSON.stringify(v)}`);
  const n = Number.parseInt(v.slice(2), 16);
  if (!Number.isSafeInteger(n)) throw new RetryableResponseError(`${what} out of range: ${v}`);
  return n;
}

/** Reads the pool's immutable parameters and its tokens' decimals and symbols. */
export async function fetchPoolInfo(rpc: JsonRpcClient, address: string, version: PoolVersion, chainId: number): Promise<PoolInfo> {
  const view = async (to: string, functionName: string, abi: Abi, flag: string, hint: string): Promise<unknown> => {
    let data: unknown;
    try {
      data = await rpc.call('eth_call', [{ to, data: encodeFunctionData({ abi, functionName } as never) }, 'latest']);
    } catch (err) {
      if (err instanceof RpcError) throw new ConfigError(flag, `${to}.${functionName}() failed on chain ${chainId} (${err.rpcMessage}); ${hint}`, { cause: err });
      throw err;
    }
    if (data === '0x' || typeof data !== 'string') throw new ConfigError(flag, `${to}.${functionName}() returned nothing on chain ${chainId}; ${hint}`);
    return decodeFunctionResult({ abi, functionName, data: data as Hex } as never);
  };
  const notPool = `is it a Uniswap ${version} ${version === 'v3' ? 'pool' : 'pair'} on this chain?${version === 'v3' ? ' (for a v2 pair pass --version v2)' : ''}`;
  const token0 = String(await view(address, 'token0', POOL_VIEW_ABI, '--pool', notPool)).toLowerCase();
  const token1 = String(await view(address, 'token1', POOL_VIEW_ABI, '--pool', notPool)).toLowerCase();
  let fee: number | null = null;
  let tickSpacing: number | null = null;
  if (version === 'v3') {
    fee = Number(await view(address, 'fee', POOL_VIEW_ABI, '--pool', notPool));
    tickSpacing = Number(await view(address, 'tickSpacing', POOL_VIEW_ABI, '--pool', notPool));
  }
  const decimals = async (token: string): Promise<number> => Number(await view(token, 'decimals', ERC20_VIEW_ABI, '--pool', 'the token has no decimals(); cannot scale amounts'));
  const symbol = async (token: string): Promise<string | null> => {
    for (const abi of [ERC20_VIEW_ABI, ERC20_SYMBOL_BYTES32_ABI] as Abi[]) {
      try {
        const s = await view(token, 'symbol', abi, '--pool', '');
        const text = typeof s === 'string' && s.startsWith('0x') && s.length === 66 ? hexToString(s as Hex, { size: 32 }) : String(s);
        const clean = text.replace(/\0+$/, '');
        if (clean.length > 0) return clean;
      } catch (err) {
        if (!(err instanceof ConfigError) && !(err instanceof Error && err.name.startsWith('AbiDecoding'))) throw err;
      }
    }
    return null;
  };
  return {
    chainId,
    address: address.toLowerCase(),
    version,
    token0,
    token1,
    decimals0: await decimals(token0),
    decimals1: await decimals(token1),
    symbol0: await symbol(token0),
    symbol1: await symbol(token1),
    fee,
    tickSpacing,
  };
}

interface RawLog {
  readonly blockNumber: number;
  readonly blockTimestampMs: number | undefined;
  readonly transactionIndex: number;
  readonly logIndex: number;
  readonly transactionHash: string;
  readonly eventName: string;
  readonly args: Readonly<Record<string, unknown>>;
}

/**
 * Checks and decodes an eth_getLogs result for [from, to]. Removed (re-orged) logs are dropped. A result
 * that is not a well-formed log list, or holds a log from another address or outside the range, is
 * retryable: it is what a cut-short or garbled response looks like.
 */
export function decodeLogs(version: PoolVersion, pool: string, result: unknown, from: number, to: number): RawLog[] {
  if (!Array.isArray(result)) throw new RetryableResponseError(`eth_getLogs: result must be an array; was ${typeof result}`);
  const abi = eventsAbi(version);
  const out: RawLog[] = [];
  for (let i = 0; i < result.length; i++) {
    const log = result[i] as Record<string, unknown> | null;
    if (typeof log !== 'object' || log === null) throw new RetryableResponseError(`eth_getLogs: log ${i} is not an object`);
    if (log.removed === true) continue;
    const blockNumber = parseQuantity(log.blockNumber, `log ${i} blockNumber`);
    if (blockNumber < from || blockNumber > to) throw new RetryableResponseError(`eth_getLogs: log ${i} is in block ${blockNumber}, outside the requested ${from}–${to}`);
    if (typeof log.address !== 'string' || log.address.toLowerCase() !== pool.toLowerCase()) {
      throw new RetryableResponseError(`eth_getLogs: log ${i} is from ${String(log.address)}, not the pool ${pool}`);
    }
    const topics = log.topics;
    if (!Array.isArray(topics) || topics.length === 0 || !topics.every((t) => typeof t === 'string' && /^0x[0-9a-fA-F]{64}$/.test(t))) {
      throw new RetryableResponseError(`eth_getLogs: log ${i} has malformed topics`);
    }
    if (typeof log.data !== 'string' || !/^0x([0-9a-fA-F]{2})*$/.test(log.data)) throw new RetryableResponseError(`eth_getLogs: log ${i} has malformed data`);
    if (typeof log.transactionHash !== 'string' || !/^0x[0-9a-fA-F]{64}$/.test(log.transactionHash)) throw new RetryableResponseError(`eth_getLogs: log ${i} has a malformed transactionHash`);
    let decoded: { eventName: string; args: unknown };
    try {
      decoded = decodeEventLog({ abi, data: log.data as Hex, topics: topics as [Hex, ...Hex[]], strict: true }) as { eventName: string; args: unknown };
    } catch (err) {
      throw new RetryableResponseError(`eth_getLogs: log ${i} (block ${blockNumber}) does not decode as a Uniswap ${version} event: ${(err as Error).message.split('\n')[0]}`);
    }
    out.push({
      blockNumber,
      blockTimestampMs: log.blockTimestamp === undefined ? undefined : parseQuantity(log.blockTimestamp, `log ${i} blockTimestamp`) * 1000,
      transactionIndex: parseQuantity(log.transactionIndex, `log ${i} transactionIndex`),
      logIndex: parseQuantity(log.logIndex, `log ${i} logIndex`),
      transactionHash: log.transactionHash.toLowerCase(),
      eventName: decoded.eventName,
      args: decoded.args as Record<string, unknown>,
    });
  }
  return out;
}

const str = (v: unknown): string | null => (v === undefined || v === null ? null : typeof v === 'string' ? v.toLowerCase() : String(v));
const num = (v: unknown): number | null => (v === undefined || v === null ? null : Number(v));

/** One decoded log as a row of the version's raw columns. */
export function rawRow(version: PoolVersion, log: RawLog, timestampMs: number): Row {
  const a = log.args;
  const head: Cell[] = [timestampMs, log.blockNumber, log.transactionIndex, log.logIndex, log.transactionHash, log.eventName];
  if (version === 'v3') {
    return [...head, str(a.sender), str(a.recipient), str(a.owner), str(a.amount0), str(a.amount1), str(a.sqrtPriceX96), str(a.liquidity), num(a.tick), num(a.tickLower), num(a.tickUpper), str(a.amount)];
  }
  let amount0 = str(a.amount0);
  let amount1 = str(a.amount1);
  if (log.eventName === 'Swap') {
    amount0 = ((a.amount0In as bigint) - (a.amount0Out as bigint)).toString();
    amount1 = ((a.amount1In as bigint) - (a.amount1Out as bigint)).toString();
  }
  const recipient = str(a.to);
  return [...head, str(a.sender), recipient, amount0, amount1, str(a.amount0In), str(a.amount1In), str(a.amount0Out), str(a.amount1Out), str(a.reserve0), str(a.reserve1)];
}

/** token1 per token0 in whole tokens from sqrtPriceX96: (sqrtPriceX96 / 2^96)^2 · 10^(decimals0 − decimals1). Float. */
export function priceFromSqrtPriceX96(sqrtPriceX96: bigint, decimals0: number, decimals1: number): number {
  return orientedPriceFromSqrtPriceX96(Number(sqrtPriceX96), { decimals0, decimals1, priceOf: 'token0' });
}

/** Appends the derived columns (price oriented by `invert`, amounts in whole tokens) to raw rows. */
export function deriveRows(version: PoolVersion, rows: readonly Row[], pool: PoolInfo, invert: boolean): Row[] {
  const cols = rawColumns(version).map((c) => c.name);
  const at = (name: string): number => cols.indexOf(name);
  const iSqrt = at('sqrtPriceX96');
  const iR0 = at('reserve0');
  const iR1 = at('reserve1');
  const iA0 = at('amount0');
  const iA1 = at('amount1');
  const scale = (v: Cell | undefined, d: number): number | null => (typeof v === 'string' ? Number(v) / pow10(d) : null);
  return rows.map((r) => {
    let p01: number | null = null;
    const sqrt = iSqrt >= 0 ? r[iSqrt] : null;
    if (typeof sqrt === 'string') p01 = priceFromSqrtPriceX96(BigInt(sqrt), pool.decimals0, pool.decimals1);
    const r0 = iR0 >= 0 ? r[iR0] : null;
    const r1 = iR1 >= 0 ? r[iR1] : null;
    if (typeof r0 === 'string' && typeof r1 === 'string' && r0 !== '0') p01 = Number(r1) / pow10(pool.decimals1) / (Number(r0) / pow10(pool.decimals0));
    const price = p01 === null || p01 === 0 ? null : invert ? 1 / p01 : p01;
    return [...r, price, scale(r[iA0], pool.decimals0), scale(r[iA1], pool.decimals1)];
  });
}

/**
 * Fetches every pool event in [fromBlock, toBlock]: reads the chain id and the pool's parameters (cached in
 * the query's cache directory after the first run), walks the missing block ranges with adaptive chunking,
 * attaches block timestamps, caches each chunk, and returns the merged rows sorted by (block, log index),
 * de-duplicated, with the derived columns.
 */
export async function fetchPoolEvents(asked: PoolEventsQuery, opts: PoolEventsOptions): Promise<FetchResult & { pool: PoolInfo }> {
  checkPoolEventsQuery(asked);
  const { deps, onProgress } = opts;
  const maxChunk = opts.chunkBlocks ?? POOL_EVENTS_DEFAULTS.chunkBlocks;
  if (!Number.isSafeInteger(maxChunk) || maxChunk < 1) throw new ConfigError('--chunk-blocks', `must be an integer >= 1; was ${maxChunk}`);
  const rpc = new JsonRpcClient(asked.rpcUrl, deps, opts.policy ?? DEFAULT_RETRY_POLICY, onProgress);
  const pool = asked.pool.toLowerCase();
  const chainId = await rpc.call('eth_chainId', [], (r) => parseQuantity(r, 'eth_chainId'));
  let query: PoolEventsQuery & { readonly toBlock: number };
  if (asked.toBlock === 'finalized') {
    const toBlock = await finalizedBlock(rpc, chainId);
    if (toBlock < asked.fromBlock) throw new ConfigError('--to-block', `finalized is block ${toBlock}, before --from-block ${asked.fromBlock}`);
    onProgress?.({ kind: 'finalized', block: toBlock });
    query = { ...asked, toBlock };
  } else {
    query = { ...asked, toBlock: asked.toBlock };
  }
  const key = { chainId, pool, version: query.version };
  const dir = cacheDirFor(opts.cacheRoot, `uniswap-${query.version}`, `${chainId}-${pool.slice(0, 10)}`, key);
  const columns = rawColumns(query.version);
  const cache = ChunkCache.open({ dir, source: `uniswap-${query.version}-pool-events`, key, columns, onEvent: onProgress });
  try {
    const stats: FetchStats = { requests: 0, chunksFetched: 0, chunksFromCache: 0, duplicatesDropped: 0, cacheDir: dir };

    const poolPath = join(dir, 'pool.json');
    let info: PoolInfo;
    if (existsSync(poolPath)) {
      info = JSON.parse(readFileSync(poolPath, 'utf8')) as PoolInfo;
      onProgress?.({ kind: 'pool', pool: info, cached: true });
    } else {
      info = await fetchPoolInfo(rpc, pool, query.version, chainId);
      writeFileAtomic(poolPath, `${JSON.stringify(info, null, 1)}\n`);
      onProgress?.({ kind: 'pool', pool: info, cached: false });
    }

    stats.chunksFromCache = cache.chunks.filter((e) => e.to >= query.fromBlock && e.from <= query.toBlock).length;
    const missing = cache.missing(query.fromBlock, query.toBlock);
    const blocksTotal = query.toBlock - query.fromBlock + 1;
    let blocksDone = blocksTotal - missing.reduce((s, r) => s + (r.to - r.from + 1), 0);
    const topics = [eventTopics(query.version)];
    let size = maxChunk;
    let successes = 0;
    for (const range of missing) {
      let cursor = range.from;
      while (cursor <= range.to) {
        const end = Math.min(range.to, cursor + size - 1);
        let logs: RawLog[];
        try {
          logs = await rpc.call('eth_getLogs', [{ address: pool, fromBlock: hexQuantity(cursor), toBlock: hexQuantity(end), topics }], (r) => decodeLogs(query.version, pool, r, cursor, end));
        } catch (err) {
          if (!(err instanceof RpcRangeTooLargeError)) throw err;
          if (end === cursor) {
            throw new RpcError(query.rpcUrl, 'eth_getLogs', err.rpcCode, `${err.rpcMessage} (for the single block ${cursor}; this node cannot serve it: try another --rpc)`);
          }
          size = Math.max(1, Math.floor((end - cursor + 1) / 2));
          successes = 0;
          onProgress?.({ kind: 'range-halved', fromBlock: cursor, toBlock: end, nextBlocks: size, reason: err.rpcMessage });
          continue;
        }
        const timestamps = await blockTimestamps(rpc, logs);
        const rows = logs.map((l) => rawRow(query.version, l, timestamps.get(l.blockNumber)!));
        cache.write({ from: cursor, to: end }, rows, deps.now());
        stats.chunksFetched++;
        blocksDone += end - cursor + 1;
        onProgress?.({ kind: 'blocks', fromBlock: cursor, toBlock: end, logs: rows.length, blocksDone, blocksTotal });
        cursor = end + 1;
        if (size < maxChunk && ++successes >= POOL_EVENTS_DEFAULTS.growAfterSuccesses) {
          size = Math.min(maxChunk, size * 2);
          successes = 0;
        }
      }
    }
    stats.requests = rpc.requests;

    const merged = sortAndDedupe(
      cache.readRange(query.fromBlock, query.toBlock).filter((r) => (r[1] as number) >= query.fromBlock && (r[1] as number) <= query.toBlock),
      [1, 3],
    );
    stats.duplicatesDropped = merged.duplicates;
    const fetchedAtMs = cache.chunks.reduce((m, e) => Math.max(m, e.fetchedAtMs), 0);
    const name0 = info.symbol0 ?? info.token0;
    const name1 = info.symbol1 ?? info.token1;
    const [base, quote] = query.invert ? [name1, name0] : [name0, name1];
    const metadata = new Map<string, string>([
      ['ammsim.source', `uniswap-${query.version}-pool-events`],
      ['ammsim.query', JSON.stringify({ rpc: redactUrl(query.rpcUrl), chainId, pool, version: query.version, fromBlock: query.fromBlock, toBlock: query.toBlock, ...(asked.toBlock === 'finalized' ? { toBlockAsked: 'finalized' } : {}), invert: query.invert })],
      ['ammsim.pool', JSON.stringify(info)],
      ['ammsim.price', `price = ${quote} per ${base} (${query.invert ? 'token0 per token1' : 'token1 per token0'}, whole tokens, decimals applied)`],
      ['ammsim.base', base],
      ['ammsim.quote', quote],
      ['ammsim.timestamp', 'block timestamp, unix milliseconds UTC'],
      ['ammsim.fetchedAt', new Date(fetchedAtMs || deps.now()).toISOString()],
    ]);
    return { columns: [...columns, ...DERIVED_COLUMNS], rows: deriveRows(query.version, merged.rows, info, query.invert), metadata, stats, pool: info };
  } finally {
    cache.release();
  }
}

/** Block timestamps (unix ms) for the logs' blocks: from `blockTimestamp` when the node sends it, else eth_getBlockByNumber in batches. */
async function blockTimestamps(rpc: JsonRpcClient, logs: readonly RawLog[]): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  for (const l of logs) if (l.blockTimestampMs !== undefined) out.set(l.blockNumber, l.blockTimestampMs);
  const need = [...new Set(logs.map((l) => l.blockNumber))].filter((b) => !out.has(b)).sort((a, b) => a - b);
  for (let i = 0; i < need.length; i += POOL_EVENTS_DEFAULTS.timestampBatchSize) {
    const group = need.slice(i, i + POOL_EVENTS_DEFAULTS.timestampBatchSize);
    const times = await rpc.batch(
      group.map((b) => ({ method: 'eth_getBlockByNumber', params: [hexQuantity(b), false] })),
      (results) =>
        results.map((r, j) => {
          const b = group[j]!;
          if (typeof r !== 'object' || r === null) throw new RetryableResponseError(`eth_getBlockByNumber: block ${b} not found (node behind?)`);
          const block = r as Record<string, unknown>;
          if (parseQuantity(block.number, `block ${b} number`) !== b) throw new RetryableResponseError(`eth_getBlockByNumber: asked for block ${b}, got ${String(block.number)}`);
          return parseQuantity(block.timestamp, `block ${b} timestamp`) * 1000;
        }),
    );
    group.forEach((b, j) => out.set(b, times[j]!));
  }
  return out;
}
