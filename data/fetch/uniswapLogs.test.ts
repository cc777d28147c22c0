import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { encodeAbiParameters, encodeEventTopics } from 'viem';
import { describe, expect, it } from 'vitest';
import { FetchError, RpcError } from './errors.ts';
import { DEFAULT_RETRY_POLICY } from './http.ts';
import { writeFetchOutput } from './output.ts';
import { classifyRpcError } from './rpc.ts';
import { fakeServerScope, testHttpDeps, type FakeServer } from './testing/fakeServer.ts';
import { loadFixture, nodeReply, type Fault, type Fixture, type NodeOptions } from './testing/fakeNode.ts';
import { UNISWAP_V3_POOL_EVENTS_ABI } from './uniswapAbi.ts';
import { decodeLogs, fetchPoolEvents, priceFromSqrtPriceX96, type PoolEventsProgress, type PoolEventsQuery } from './uniswapLogs.ts';
import { ConfigError } from '../../sim/core/errors.ts';

const V3 = loadFixture('uniswap_v3_usdc_weth_0x8ad5_logs.json');
const V2 = loadFixture('uniswap_v2_usdc_weth_0xb4e1_logs.json');
// The source rows, copied from the shared data set (see fixtures/README.md): an independent check on decoding.
const SHARED_CSV = new URL('./fixtures/uniswap_v3_usdc_weth_0x8ad5_events_2024-01-05_subset.csv', import.meta.url);

const FROM = 18937540;
const TO = 18938110;
const LATER = Date.UTC(2024, 5, 1);
const policy = { ...DEFAULT_RETRY_POLICY, maxAttempts: 3 };

const scope = fakeServerScope('ammsim-logs-');
const tmp = scope.tmp;

/** Serves the node; `faults` replace the reply to the request with that index (0-based, counting every HTTP request). */
async function serve(fx: Fixture, o: NodeOptions = {}, faults: ReadonlyMap<number, Fault> = new Map()): Promise<FakeServer> {
  return scope.start((req, i) => faults.get(i)?.(req) ?? nodeReply(fx, req, o), { maxRequests: 120 });
}

function q(s: FakeServer, over: Partial<PoolEventsQuery> = {}): PoolEventsQuery {
  return { rpcUrl: `${s.url}/v2/AbCdEf0123456789xyzXYZ`, pool: V3.pool.address, version: 'v3', fromBlock: FROM, toBlock: TO, invert: true, ...over };
}

/** The shared CSV rows in the fixture's block range, keyed by "block:logIndex". */
function csvEvents(): Map<string, Record<string, string>> {
  const lines = readFileSync(SHARED_CSV, 'utf8').trim().split('\n');
  const header = lines[0]!.split(',');
  const out = new Map<string, Record<string, string>>();
  for (const line of lines.slice(1)) {
    const cells = line.split(',');
    const r = Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']));
    if (+r.block_number! >= FROM && +r.block_number! <= TO) out.set(`${r.block_number}:${r.log_index}`, r);
  }
  return out;
}

function col(result: { columns: readonly { name: string }[] }, name: string): number {
  return result.columns.findIndex((c) => c.name === name);
}

function expectCompleteV3(result: Awaited<ReturnType<typeof fetchPoolEvents>>): void {
  const keys = result.rows.map((r) => `${r[col(result, 'blockNumber')]}:${r[col(result, 'logIndex')]}`);
  expect(new Set(keys).size).toBe(keys.length);
  expect(keys).toEqual(V3.logs.map((l) => `${Number(l.blockNumber)}:${Number(l.logIndex)}`));
}

describe('fetchPoolEvents (v3)', () => {
  it('behavior: decodes every event with timestamps, raw amounts and an oriented price matching the recorded CSV', async () => {
    const s = await serve(V3);
    const root = tmp();
    const result = await fetchPoolEvents(q(s), { cacheRoot: root, deps: testHttpDeps(s, LATER), policy, chunkBlocks: 200 });
    expectCompleteV3(result);
    expect(result.pool).toEqual({
      chainId: 1,
      address: V3.pool.address,
      version: 'v3',
      token0: '0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48',
      token1: '0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2',
      decimals0: 6,
      decimals1: 18,
      symbol0: 'USDC',
      symbol1: 'WETH',
      fee: 3000,
      tickSpacing: 60,
    });
    const csv = csvEvents();
    expect(csv.size).toBe(58);
    const names = result.columns.map((c) => c.name);
    for (const row of result.rows) {
      const r = Object.fromEntries(names.map((n, i) => [n, row[i]]));
      const want = csv.get(`${r.blockNumber}:${r.logIndex}`)!;
      expect(r.event).toBe({ SWAP: 'Swap', MINT: 'Mint', BURN: 'Burn', COLLECT: 'Collect' }[want.tx_type!]);
      expect(r.timestamp).toBe(Date.parse(`${want.block_timestamp!.replace(' ', 'T')}Z`));
      expect(r.transactionHash).toBe(want.transaction_hash);
      expect(r.transactionIndex).toBe(+want.tx_index!);
      expect(r.amount0).toBe(want.amount0);
      expect(r.amount1).toBe(want.amount1);
      expect(r.amount0Tokens).toBeCloseTo(+want.amount0! / 1e6, 6);
      if (r.event === 'Swap') {
        expect(r.sqrtPriceX96).toBe(want.sqrtPriceX96);
        expect(r.tick).toBe(+want.current_tick!);
        expect(r.liquidity).toBe(want.total_liquidity);
        // Independent formula from the data README: ETH price in USDC = 1e12 / 1.0001^tick, within one tick.
        expect(Math.abs((r.price as number) / (1e12 / 1.0001 ** +want.current_tick!) - 1)).toBeLessThan(1.0001e-4);
      } else {
        expect(r.price).toBeNull();
        expect(r.tickLower).toBe(+want.tick_lower!);
        expect(r.tickUpper).toBe(+want.tick_upper!);
      }
    }
    // First swap: tick 199032 → ≈ 2272.7 USDC per WETH.
    expect(result.rows[0]![col(result, 'price')]).toBeCloseTo(2272.7, 1);

    const out = join(root, 'events.arrow');
    writeFetchOutput(out, result, false);
    const table = tableFromIPC(readFileSync(out));
    expect(table.numRows).toBe(58);
    const meta = table.schema.metadata;
    expect(meta.get('ammsim.source')).toBe('uniswap-v3-pool-events');
    expect(meta.get('ammsim.price')).toBe('price = USDC per WETH (token0 per token1, whole tokens, decimals applied)');
    expect(JSON.parse(meta.get('ammsim.query')!)).toEqual({ rpc: `${s.url}/v2/***`, chainId: 1, pool: V3.pool.address, version: 'v3', fromBlock: FROM, toBlock: TO, invert: true });
    expect(JSON.parse(meta.get('ammsim.pool')!)).toMatchObject({ fee: 3000, tickSpacing: 60 });
    expect(meta.get('ammsim.fetchedAt')).toBe('2024-06-01T00:00:00.000Z');
  });

  it('behavior: without --invert the price is token1 per token0 (WETH per USDC)', async () => {
    const s = await serve(V3);
    const r = await fetchPoolEvents(q(s, { invert: false }), { cacheRoot: tmp(), deps: testHttpDeps(s, LATER), policy });
    // First swap at tick 199032: token1/token0 in whole tokens = 1.0001^tick / 1e12, within one tick.
    expect(Math.abs((r.rows[0]![col(r, 'price')] as number) / (1.0001 ** 199032 / 1e12) - 1)).toBeLessThan(1.0001e-4);
    expect(r.metadata.get('ammsim.price')).toBe('price = WETH per USDC (token1 per token0, whole tokens, decimals applied)');
  });

  it('behavior: halves the block range on -32005 "more than 10000 results" and grows back; complete, no duplicates', async () => {
    const s = await serve(V3, { maxLogs: 3 });
    const progress: PoolEventsProgress[] = [];
    const r = await fetchPoolEvents(q(s), { cacheRoot: tmp(), deps: testHttpDeps(s, LATER), policy, chunkBlocks: 200, onProgress: (e) => progress.push(e) });
    expectCompleteV3(r);
    const halved = progress.filter((e) => e.kind === 'range-halved');
    expect(halved.length).toBeGreaterThan(0);
    expect(halved[0]).toMatchObject({ fromBlock: FROM, toBlock: FROM + 199, nextBlocks: 100, reason: expect.stringContaining('more than 10000 results') });
    // The fetched chunks tile the range exactly.
    const chunks = progress.flatMap((e) => (e.kind === 'blocks' ? [{ from: e.fromBlock, to: e.toBlock }] : []));
    expect(chunks[0]?.from).toBe(FROM);
    expect(chunks[chunks.length - 1]?.to).toBe(TO);
    for (let i = 1; i < chunks.length; i++) expect(chunks[i]?.from).toBe((chunks[i - 1]?.to ?? NaN) + 1);
    // After the dense start, the size grows back above the smallest halved size.
    const smallest = Math.min(...halved.map((e) => (e.kind === 'range-halved' ? e.nextBlocks : Infinity)));
    expect(Math.max(...chunks.slice(-3).map((c) => c.to - c.from + 1))).toBeGreaterThan(smallest);
  });

  it('error: a single block with more logs than the node serves fails with a clear message', async () => {
    const s = await serve(V3, { maxLogs: 1 });
    const err = await fetchPoolEvents(q(s), { cacheRoot: tmp(), deps: testHttpDeps(s, LATER), policy, chunkBlocks: 64 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RpcError);
    expect((err as Error).message).toBe(
      `${s.url}/v2/***: eth_getLogs: JSON-RPC error -32005: query returned more than 10000 results. Try with this block range [0x1210b84, 0x1210c4c]. (for the single block 18937587; this node cannot serve it: try another --rpc)`,
    );
  });

  it('behavior: a re-run is idempotent: only eth_chainId is asked, output identical', async () => {
    const s = await serve(V3);
    const root = tmp();
    const a = await fetchPoolEvents(q(s), { cacheRoot: root, deps: testHttpDeps(s, LATER), policy, chunkBlocks: 200 });
    const before = s.requests.length;
    const b = await fetchPoolEvents(q(s), { cacheRoot: root, deps: testHttpDeps(s, LATER + 1000), policy, chunkBlocks: 200 });
    expect(s.requests.slice(before).map((r) => (r.json as { method: string }).method)).toEqual(['eth_chainId']);
    expect(b.stats).toMatchObject({ requests: 1, chunksFetched: 0, chunksFromCache: 3 });
    expect(b.rows).toEqual(a.rows);
    expect(b.metadata).toEqual(a.metadata);
  });

  it('behavior: --to-block finalized asks the node once, fetches up to that block and records both in the metadata', async () => {
    const s = await serve(V3, { finalized: TO });
    const progress: PoolEventsProgress[] = [];
    const r = await fetchPoolEvents(q(s, { toBlock: 'finalized' }), { cacheRoot: tmp(), deps: testHttpDeps(s, LATER), policy, chunkBlocks: 200, onProgress: (e) => progress.push(e) });
    expectCompleteV3(r);
    expect(progress.filter((e) => e.kind === 'finalized')).toEqual([{ kind: 'finalized', block: TO }]);
    const asked = s.requests.map((x) => x.json as { method: string; params: unknown[] }).filter((x) => x.method === 'eth_getBlockByNumber' && x.params[0] === 'finalized');
    expect(asked).toHaveLength(1);
    expect(JSON.parse(r.metadata.get('ammsim.query')!)).toMatchObject({ fromBlock: FROM, toBlock: TO, toBlockAsked: 'finalized' });
  });

  it('error: --to-block finalized on a node without finality, or finalized before --from-block, is a --to-block error', async () => {
    const none = await serve(V3);
    await expect(fetchPoolEvents(q(none, { toBlock: 'finalized' }), { cacheRoot: tmp(), deps: testHttpDeps(none, LATER), policy })).rejects.toThrow(
      '--to-block: finalized: the node on chain 1 does not know the finalized block (finalized block not found); pass a block number',
    );
    const early = await serve(V3, { finalized: FROM - 1 });
    await expect(fetchPoolEvents(q(early, { toBlock: 'finalized' }), { cacheRoot: tmp(), deps: testHttpDeps(early, LATER), policy })).rejects.toThrow(
      `--to-block: finalized is block ${FROM - 1}, before --from-block ${FROM}`,
    );
  });

  // 9 requests read the chain id and the pool (chainId, token0, token1, fee, tickSpacing, 2×decimals,
  // 2×symbol); request 9 is the first eth_getLogs and request 10 its block-timestamp batch.
  const rpcError = (code: number, message: string): Fault => (req) => ({ kind: 'json', body: { jsonrpc: '2.0', id: (req.json as { id: unknown }).id, error: { code, message } } });
  const faults: Array<[string, number, Fault, string]> = [
    ['HTTP 429 with Retry-After', 9, () => ({ kind: 'text', status: 429, headers: { 'retry-after': '1' }, body: 'Too Many Requests' }), 'HTTP 429'],
    ['HTTP 503', 9, () => ({ kind: 'text', status: 503, body: 'Service Unavailable' }), 'HTTP 503'],
    ['connection reset', 9, () => ({ kind: 'reset' }), 'network error'],
    ['timeout', 9, () => ({ kind: 'hang' }), 'timed out'],
    ['body cut short', 9, (req) => ({ kind: 'truncate', body: JSON.stringify(nodeReply(V3, req, {}).kind === 'json' ? (nodeReply(V3, req, {}) as { body: unknown }).body : {}), keepBytes: 500 }), 'network error'],
    ['truncated JSON', 9, () => ({ kind: 'text', body: '{"jsonrpc":"2.0","id":10,"result":[{"address":"0x8ad5' }), 'not valid JSON'],
    ['JSON-RPC rate limit (-32005 daily request count exceeded)', 9, rpcError(-32005, 'daily request count exceeded, request rate limited'), 'rate limited'],
    ['JSON-RPC 429', 9, rpcError(429, 'Your app has exceeded its compute units per second capacity'), 'JSON-RPC error 429'],
    ['header not found', 9, rpcError(-32000, 'header not found'), 'header not found'],
    ['internal error', 9, rpcError(-32603, 'internal error'), 'internal error'],
    ['garbled log data', 9, (req) => {
      const good = nodeReply(V3, req, {}) as { body: { result: Array<Record<string, unknown>> } };
      return { kind: 'json', body: { ...good.body, result: good.body.result.map((l, i) => (i === 0 ? { ...l, data: '0x00' } : l)) } };
    }, 'does not decode'],
    ['log of another contract', 9, (req) => {
      const good = nodeReply(V3, req, {}) as { body: { result: Array<Record<string, unknown>> } };
      return { kind: 'json', body: { ...good.body, result: good.body.result.map((l) => ({ ...l, address: '0x88e6a0c2ddd26feeb64f039a2c41296fcb3f5640' })) } };
    }, 'not the pool'],
    ['block batch missing a reply', 10, (req) => ({ kind: 'json', body: (nodeReply(V3, req, {}) as { body: unknown[] }).body.slice(1) }), 'no reply for request id'],
    ['block not yet known (null)', 10, (req) => ({ kind: 'json', body: (nodeReply(V3, req, {}) as { body: Array<Record<string, unknown>> }).body.map((r) => ({ ...r, result: null })) }), 'not found (node behind?)'],
  ];
  it.each(faults)('failure: %s is retried and ends with a complete cache and no duplicates', async (_name, at, fault, reason) => {
    const s = await serve(V3, {}, new Map([[at, fault]]));
    const root = tmp();
    const progress: PoolEventsProgress[] = [];
    const r = await fetchPoolEvents(q(s), { cacheRoot: root, deps: testHttpDeps(s, LATER), policy, chunkBlocks: 200, onProgress: (e) => progress.push(e) });
    expectCompleteV3(r);
    const retries = progress.filter((e) => e.kind === 'retry');
    expect(retries).toHaveLength(1);
    expect(retries[0]?.kind === 'retry' && retries[0].reason).toContain(reason);
    const again = await fetchPoolEvents(q(s), { cacheRoot: root, deps: testHttpDeps(s, LATER), policy, chunkBlocks: 200 });
    expect(again.stats.requests).toBe(1);
    expect(again.rows).toEqual(r.rows);
  });

  it('failure: a run that gives up keeps its completed ranges; the re-run asks only for the rest', async () => {
    const down: Fault = () => ({ kind: 'text', status: 502, body: 'Bad Gateway' });
    // Requests 9, 10: first chunk (logs, timestamps); 11–13: the second chunk's eth_getLogs fails 3 times.
    const s = await serve(V3, {}, new Map([[11, down], [12, down], [13, down]]));
    const root = tmp();
    const err = await fetchPoolEvents(q(s), { cacheRoot: root, deps: testHttpDeps(s, LATER), policy, chunkBlocks: 200 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FetchError);
    expect((err as Error).message).toContain('HTTP 502: Bad Gateway (gave up after 3 attempts');
    const before = s.requests.length;
    const r = await fetchPoolEvents(q(s), { cacheRoot: root, deps: testHttpDeps(s, LATER), policy, chunkBlocks: 200 });
    expectCompleteV3(r);
    const ranges = s.requests
      .slice(before)
      .map((x) => x.json as { method: string; params: Array<{ fromBlock: string }> })
      .filter((x) => x.method === 'eth_getLogs')
      .map((x) => Number(x.params[0]!.fromBlock));
    expect(ranges).toEqual([FROM + 200, FROM + 400]);
    expect(r.stats).toMatchObject({ chunksFromCache: 1, chunksFetched: 2 });
  });

  it('error: a v2 pair asked for as v3 is a --pool error with a hint', async () => {
    const s = await serve(V2);
    const err = await fetchPoolEvents(q(s, { pool: V2.pool.address }), { cacheRoot: tmp(), deps: testHttpDeps(s, LATER), policy }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toBe(
      `--pool: ${V2.pool.address}.fee() failed on chain 1 (execution reverted); is it a Uniswap v3 pool on this chain? (for a v2 pair pass --version v2)`,
    );
  });

  it('error: flags are checked before any request', async () => {
    const opts = { cacheRoot: '/nonexistent', deps: testHttpDeps(undefined, LATER), policy };
    const base: PoolEventsQuery = { rpcUrl: 'http://127.0.0.1:9', pool: V3.pool.address, version: 'v3', fromBlock: 10, toBlock: 20, invert: false };
    await expect(fetchPoolEvents({ ...base, pool: '0x8ad5' }, opts)).rejects.toThrowErrorMatchingInlineSnapshot(`[ConfigError: --pool: must be a 0x-prefixed 20-byte address; was "0x8ad5"]`);
    await expect(fetchPoolEvents({ ...base, toBlock: 9 }, opts)).rejects.toThrowErrorMatchingInlineSnapshot(`[ConfigError: --to-block: must be a block number >= --from-block (10), or finalized; was 9]`);
    await expect(fetchPoolEvents({ ...base, rpcUrl: 'wss://x' }, opts)).rejects.toThrow(/^--rpc: /);
  });
});

describe('fetchPoolEvents (v2)', () => {
  it('behavior: decodes Sync/Swap/Mint/Burn, prices from reserves, uses blockTimestamp from logs when present', async () => {
    const s = await serve(V2, { blockTimestampInLogs: true });
    const r = await fetchPoolEvents(q(s, { pool: V2.pool.address, version: 'v2', fromBlock: 18937500, toBlock: 18937700 }), { cacheRoot: tmp(), deps: testHttpDeps(s, LATER), policy });
    const names = r.columns.map((c) => c.name);
    const rows = r.rows.map((row) => Object.fromEntries(names.map((n, i) => [n, row[i]])));
    expect(rows.map((x) => x.event)).toEqual(['Sync', 'Swap', 'Sync', 'Mint', 'Sync', 'Swap', 'Sync', 'Burn']);
    expect(s.requests.some((x) => JSON.stringify(x.json).includes('eth_getBlockByNumber'))).toBe(false);
    expect(rows[0]!.timestamp).toBe(1704414959000);
    // Swap of 2 WETH in, USDC out: pool-side signed amounts.
    expect(rows[1]).toMatchObject({ amount1: '2000000000000000000', amount1In: '2000000000000000000', amount0In: '0' });
    expect(Number(rows[1]!.amount0)).toBeLessThan(0);
    expect(rows[1]!.price).toBeNull();
    // Sync price (inverted): USDC per WETH = (reserve0/1e6) / (reserve1/1e18).
    const sync = rows[0]!;
    expect(sync.price).toBeCloseTo(Number(sync.reserve0) / 1e6 / (Number(sync.reserve1) / 1e18), 9);
    expect(sync.price as number).toBeGreaterThan(2200);
    expect(sync.price as number).toBeLessThan(2300);
    expect(r.pool).toMatchObject({ version: 'v2', fee: null, tickSpacing: null, symbol0: 'USDC', symbol1: 'WETH' });
  });
});

describe('decoding', () => {
  it('decodes an Initialize log (not in the recorded day) and its price', () => {
    const sqrtPriceX96 = 1661902247488239778583400955918697n;
    const [topic0] = encodeEventTopics({ abi: UNISWAP_V3_POOL_EVENTS_ABI, eventName: 'Initialize' });
    const log = {
      address: V3.pool.address,
      blockNumber: '0xbcc4c0',
      transactionIndex: '0x1',
      logIndex: '0x2',
      transactionHash: `0x${'ab'.repeat(32)}`,
      topics: [topic0],
      data: encodeAbiParameters([{ type: 'uint160' }, { type: 'int24' }], [sqrtPriceX96, 199032]),
    };
    const [d] = decodeLogs('v3', V3.pool.address, [log], 0, 2 ** 40);
    expect(d).toMatchObject({ eventName: 'Initialize', blockNumber: 0xbcc4c0, args: { sqrtPriceX96, tick: 199032 } });
    expect(1 / priceFromSqrtPriceX96(sqrtPriceX96, 6, 18)).toBeCloseTo(2272.7, 1);
  });

  it('drops removed (re-orged) logs', () => {
    const log = { ...V3.logs[0]!, removed: true };
    expect(decodeLogs('v3', V3.pool.address, [log], 0, 2 ** 40)).toEqual([]);
  });

  it('classifyRpcError sorts provider messages', () => {
    expect(classifyRpcError('eth_getLogs', -32005, 'query returned more than 10000 results')).toBe('range-too-large');
    expect(classifyRpcError('eth_getLogs', -32602, 'Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range')).toBe('range-too-large');
    expect(classifyRpcError('eth_getLogs', -32000, 'block range is too wide')).toBe('range-too-large');
    expect(classifyRpcError('eth_getLogs', -32005, 'daily request count exceeded, request rate limited')).toBe('transient');
    expect(classifyRpcError('eth_call', -32000, 'execution reverted')).toBe('fatal');
    expect(classifyRpcError('eth_getLogs', -32602, 'invalid argument 0: hex string without 0x prefix')).toBe('fatal');
    expect(classifyRpcError('eth_getBlockByNumber', -32000, 'header not found')).toBe('transient');
  });
});

describe('--rpc with user:password@', () => {
  it('error: refused before any request (fetch cannot send such a URL, and its error printed them), masked', async () => {
    const { checkPoolEventsQuery } = await import('./uniswapLogs.ts');
    const q = { rpcUrl: 'http://user:secretkey@127.0.0.1:9/v2/abcdef0123456789abcdef', pool: '0x88e6a0c2ddd26feeb64f039a2c41296fcb3f5640', version: 'v3' as const, fromBlock: 10, toBlock: 20, invert: false };
    expect(() => checkPoolEventsQuery(q)).toThrow(ConfigError);
    expect(() => checkPoolEventsQuery(q)).toThrow(/^--rpc: must not carry user:password@/);
    expect(() => checkPoolEventsQuery(q)).not.toThrow(/secretkey/);
  });
});
