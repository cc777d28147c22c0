import { readFileSync } from 'node:fs';
import { encodeFunctionResult, toFunctionSelector, type Hex } from 'viem';
import type { FakeReply, FakeRequest } from './fakeServer.ts';
import { ERC20_VIEW_ABI, POOL_VIEW_ABI } from '../uniswapAbi.ts';

/**
 * Test helper: a fake Ethereum JSON-RPC node over a log fixture (data/fetch/fixtures/uniswap_*_logs.json),
 * answering eth_chainId, eth_call (pool and token views), eth_getLogs and eth_getBlockByNumber, single or batched.
 */
export interface Fixture {
  chainId: number;
  pool: { address: string; token0: string; token1: string; fee?: number; tickSpacing?: number };
  tokens: Record<string, { decimals: number; symbol: string }>;
  blocks: Record<string, number>;
  logs: Array<Record<string, unknown> & { blockNumber: string; address: string; topics: string[] }>;
}
export const loadFixture = (name: string): Fixture => JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')) as Fixture;
const sel = (sig: string): string => toFunctionSelector(sig).toLowerCase();
const SELECTORS: Record<string, string> = {
  [sel('token0()')]: 'token0',
  [sel('token1()')]: 'token1',
  [sel('fee()')]: 'fee',
  [sel('tickSpacing()')]: 'tickSpacing',
  [sel('decimals()')]: 'decimals',
  [sel('symbol()')]: 'symbol',
};

export interface NodeOptions {
  /** eth_getLogs answers -32005 when a range holds more logs than this. */
  maxLogs?: number;
  /** Logs carry `blockTimestamp` (newer nodes), so no eth_getBlockByNumber is needed. */
  blockTimestampInLogs?: boolean;
  /** The block eth_getBlockByNumber("finalized") answers; without it the node says it has none (as pre-merge geth does). */
  finalized?: number;
}

/** A JSON-RPC node over the fixture: eth_chainId, eth_call (pool and token views), eth_getLogs, eth_getBlockByNumber. */
export function nodeAnswer(fx: Fixture, call: { id: unknown; method: string; params: unknown[] }, o: NodeOptions): Record<string, unknown> {
  const ok = (result: unknown) => ({ jsonrpc: '2.0', id: call.id, result });
  const fail = (code: number, message: string) => ({ jsonrpc: '2.0', id: call.id, error: { code, message } });
  switch (call.method) {
    case 'eth_chainId':
      return ok(`0x${fx.chainId.toString(16)}`);
    case 'eth_call': {
      const { to, data } = call.params[0] as { to: string; data: string };
      const fn = SELECTORS[data.slice(0, 10).toLowerCase()];
      const addr = to.toLowerCase();
      if (addr === fx.pool.address && (fn === 'token0' || fn === 'token1')) return ok(encodeFunctionResult({ abi: POOL_VIEW_ABI, functionName: fn, result: fx.pool[fn] as Hex }));
      if (addr === fx.pool.address && (fn === 'fee' || fn === 'tickSpacing')) {
        const v = fx.pool[fn];
        return v === undefined ? fail(-32000, 'execution reverted') : ok(encodeFunctionResult({ abi: POOL_VIEW_ABI, functionName: fn, result: v }));
      }
      const token = fx.tokens[addr];
      if (token !== undefined && fn === 'decimals') return ok(encodeFunctionResult({ abi: ERC20_VIEW_ABI, functionName: 'decimals', result: token.decimals }));
      if (token !== undefined && fn === 'symbol') return ok(encodeFunctionResult({ abi: ERC20_VIEW_ABI, functionName: 'symbol', result: token.symbol }));
      return ok('0x');
    }
    case 'eth_getLogs': {
      const f = call.params[0] as { address: string; fromBlock: string; toBlock: string; topics: string[][] };
      const from = Number(f.fromBlock);
      const to = Number(f.toBlock);
      const logs = fx.logs.filter((l) => l.address === f.address.toLowerCase() && Number(l.blockNumber) >= from && Number(l.blockNumber) <= to && f.topics[0]!.includes(l.topics[0]!));
      if (logs.length > (o.maxLogs ?? Infinity)) return fail(-32005, 'query returned more than 10000 results. Try with this block range [0x1210b84, 0x1210c4c].');
      return ok(o.blockTimestampInLogs ? logs.map((l) => ({ ...l, blockTimestamp: `0x${fx.blocks[String(Number(l.blockNumber))]!.toString(16)}` })) : logs);
    }
    case 'eth_getBlockByNumber': {
      if (call.params[0] === 'finalized') {
        const f = o.finalized;
        return f === undefined ? fail(-32000, 'finalized block not found') : ok({ number: `0x${f.toString(16)}`, timestamp: `0x${(fx.blocks[String(f)] ?? 0).toString(16)}`, transactions: [] });
      }
      const n = Number(call.params[0]);
      const t = fx.blocks[String(n)];
      return ok(t === undefined ? null : { number: `0x${n.toString(16)}`, timestamp: `0x${t.toString(16)}`, transactions: [] });
    }
    default:
      return fail(-32601, `the method ${call.method} does not exist/is not available`);
  }
}

export type Fault = (req: FakeRequest) => FakeReply;

export function nodeReply(fx: Fixture, req: FakeRequest, o: NodeOptions): FakeReply {
  const body = req.json as { id: unknown; method: string; params: unknown[] } | Array<{ id: unknown; method: string; params: unknown[] }>;
  return { kind: 'json', body: Array.isArray(body) ? body.map((c) => nodeAnswer(fx, c, o)) : nodeAnswer(fx, body, o) };
}

