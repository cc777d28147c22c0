import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import yargs from 'yargs';
import { describe, expect, it } from 'vitest';
import { createDataCommand } from './data.ts';
import { fakeServerScope, testHttpDeps, type FakeServer } from '../../data/fetch/testing/fakeServer.ts';
import { loadFixture, nodeReply } from '../../data/fetch/testing/fakeNode.ts';

type Kline = [number, ...unknown[]];
const FIXTURE = JSON.parse(readFileSync(new URL('../../data/fetch/fixtures/binance_klines_ETHUSDT_1h.json', import.meta.url), 'utf8')) as Kline[];
const LATER = Date.UTC(2024, 5, 1);

const scope = fakeServerScope('ammsim-data-cli-');
const tmp = scope.tmp;

/** Runs `ammsim <argv>` with the data command wired to the fake server; returns stderr lines or the error. */
async function run(argv: string[], s?: FakeServer): Promise<{ stderr: string[]; error?: Error }> {
  const stderr: string[] = [];
  const cmd = createDataCommand({ httpDeps: () => testHttpDeps(s, LATER), stderr: (l) => stderr.push(l) });
  try {
    await yargs(argv)
      .scriptName('ammsim')
      .version('0.0.0-test')
      .strict()
      .exitProcess(false)
      .fail((msg, err) => {
        throw err ?? new Error(msg);
      })
      .command(cmd)
      .parseAsync();
    return { stderr };
  } catch (error) {
    return { stderr, error: error as Error };
  }
}

async function serveBinance(): Promise<FakeServer> {
  return scope.start(
    (req) => {
      const start = Number(req.query.get('startTime'));
      const end = Number(req.query.get('endTime'));
      const rows = FIXTURE.filter((k) => k[0] >= start && k[0] <= end).slice(0, Number(req.query.get('limit')));
      return { kind: 'json', headers: { 'x-mbx-used-weight-1m': '4' }, body: rows };
    },
    { maxRequests: 10 },
  );
}

describe('ammsim data fetch binance', () => {
  it('behavior: writes a price-series Arrow file and CSV, progress on stderr; a re-run uses the cache', async () => {
    const s = await serveBinance();
    const dir = tmp();
    const out = join(dir, 'ETHUSDT-1h.arrow');
    const argv = ['data', 'fetch', 'binance', '--symbol', 'ethusdt', '--interval', '1h', '--start', '2023-12-31T12:00', '--end', '2024-01-01', '--out', out, '--csv', '--base-url', s.url];
    const first = await run(argv, s);
    expect(first.error).toBeUndefined();
    expect(first.stderr[0]).toBe('fetching Binance ETHUSDT 1h klines, 2023-12-31T12:00Z to 2024-01-01T00:00Z (exclusive)');
    // Chunks of 1000 candles on a grid from the epoch: hour 473000 = 2023-12-17 08:00 starts this one.
    expect(first.stderr[1]).toBe('  chunk 1/1 from 2023-12-17T08:00Z: 15 candles');
    expect(first.stderr[2]).toMatch(new RegExp(`^wrote ${out} and ${join(dir, 'ETHUSDT-1h.csv')}: 12 rows \\(1 requests, 1 chunks fetched, 0 from cache ${join(dir, '.ammsim-cache')}/binance-klines-ETHUSDT-1h-[0-9a-f]{12}\\)$`));
    const table = tableFromIPC(readFileSync(out));
    expect(table.numRows).toBe(12);
    expect(table.schema.fields.slice(0, 6).map((f) => f.name)).toEqual(['timestamp', 'open', 'high', 'low', 'close', 'volume']);
    expect(readFileSync(join(dir, 'ETHUSDT-1h.csv'), 'utf8').split('\n')).toHaveLength(14);

    const second = await run(argv, s);
    expect(second.stderr[1]).toBe('  chunk 1/1 from 2023-12-17T08:00Z: 15 candles (cached)');
    expect(s.requests).toHaveLength(1);
  });

  it('error: bad flags are --flag errors and write nothing', async () => {
    const dir = tmp();
    const out = join(dir, 'x.arrow');
    const cases: Array<[string[], string]> = [
      [['--symbol', 'ETHUSDT', '--start', '2024-01-01', '--end', '2024-13-01', '--out', out], '--end: must be a UTC date or time (2024-01-01, 2024-01-01T12:00, unix seconds or ms); was "2024-13-01"'],
      [['--symbol', 'ETHUSDT', '--start', '2024-01-01', '--end', '2024-02-01', '--out', join(dir, 'x.csv')], `--out: must name an Arrow file ending in .arrow or .feather; was "${join(dir, 'x.csv')}"`],
      [['--symbol', 'ETHUSDT', '--start', '2024-01-01', '--end', '2024-02-01', '--out', out, '--retries', 'many'], '--retries: must be an integer >= 0; was "many"'],
      [['--symbol', 'ETH/USDT', '--start', '2024-01-01', '--end', '2024-02-01', '--out', out], '--symbol: must be a Binance spot symbol in capitals and digits, such as ETHUSDT; was "ETH/USDT"'],
      // a timeout that rounds to 0 ms, or beyond what a timer can wait (Node would fire it after 1 ms)
      [['--symbol', 'ETHUSDT', '--start', '2024-01-01', '--end', '2024-02-01', '--out', out, '--timeout', '1e-9'], '--timeout: must be seconds in [0.001, 2147483] (a timer cannot wait longer); was "1e-9"'],
      [['--symbol', 'ETHUSDT', '--start', '2024-01-01', '--end', '2024-02-01', '--out', out, '--timeout', '1e7'], '--timeout: must be seconds in [0.001, 2147483] (a timer cannot wait longer); was "1e7"'],
    ];
    for (const [flags, message] of cases) {
      const r = await run(['data', 'fetch', 'binance', ...flags]);
      expect(r.error?.message).toBe(message);
      expect(r.stderr).toEqual([]);
    }
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('ammsim data fetch pool-events', () => {
  it('behavior: fetches a v3 pool, writes Arrow + CSV with the oriented price, and hints at --invert for USDC/WETH', async () => {
    const fx = loadFixture('uniswap_v3_usdc_weth_0x8ad5_logs.json');
    const server = await scope.start((req) => nodeReply(fx, req, {}), { maxRequests: 40 });
    const dir = tmp();
    const out = join(dir, 'events.arrow');
    const r = await run(['data', 'fetch', 'pool-events', '--rpc', `${server.url}/rpc`, '--pool', fx.pool.address, '--from-block', '18937540', '--to-block', '18938110', '--chunk-blocks', '300', '--out', out, '--csv'], server);
    expect(r.error).toBeUndefined();
    expect(r.stderr.slice(0, 5)).toEqual([
      'fetching Uniswap v3 events of 0x8ad599c3a0ff1de082011efddc58f1908eb6e6d8, blocks 18937540–18938110',
      '  pool on chain 1: token0 USDC 0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48 (6 decimals), token1 WETH 0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2 (18 decimals), fee 3000, tickSpacing 60',
      '  blocks 18937540–18937839: 17 events (300/571 blocks)',
      '  blocks 18937840–18938110: 41 events (571/571 blocks)',
      'note: price is WETH per USDC; pass --invert for USDC per WETH',
    ]);
    const table = tableFromIPC(readFileSync(out));
    expect(table.numRows).toBe(58);
    expect(table.getChild('price')?.get(0)).toBeCloseTo(1 / 2272.7, 7);
    const csv = readFileSync(join(dir, 'events.csv'), 'utf8').split('\n');
    expect(csv[0]).toBe('timestamp,blockNumber,transactionIndex,logIndex,transactionHash,event,sender,recipient,owner,amount0,amount1,sqrtPriceX96,liquidity,tick,tickLower,tickUpper,amount,price,amount0Tokens,amount1Tokens');
    expect(csv[1]).toMatch(/^1704414803000,18937547,86,204,0x2c21608a118100f3de0b629d24d711554f54865c0a9115e2f4d8153281fd9179,Swap,0x3fc91a3afd70395cd496c647d5a6cc9d4b2b7fad,0x3fc91a3afd70395cd496c647d5a6cc9d4b2b7fad,,-4531900819,2000000000000000000,1661902247488239778583400955918697,5876290753422535546,199032,,,,0\.00043999\d+,-4531\.900819,2,?$/);
  });

  it('behavior: --to-block finalized is resolved by the node and printed', async () => {
    const fx = loadFixture('uniswap_v3_usdc_weth_0x8ad5_logs.json');
    const server = await scope.start((req) => nodeReply(fx, req, { finalized: 18938110 }), { maxRequests: 40 });
    const out = join(tmp(), 'events.arrow');
    const r = await run(['data', 'fetch', 'pool-events', '--rpc', `${server.url}/rpc`, '--pool', fx.pool.address, '--from-block', '18937540', '--to-block', 'finalized', '--chunk-blocks', '300', '--out', out], server);
    expect(r.error).toBeUndefined();
    expect(r.stderr.slice(0, 2)).toEqual(['fetching Uniswap v3 events of 0x8ad599c3a0ff1de082011efddc58f1908eb6e6d8, blocks 18937540–finalized', '  finalized block: 18938110']);
    expect(tableFromIPC(readFileSync(out)).numRows).toBe(58);
  });

  it('behavior: --version is the Uniswap version here, not the program version; flags are checked before any request', async () => {
    const dir = tmp();
    const base = ['data', 'fetch', 'pool-events', '--rpc', 'http://127.0.0.1:9/', '--pool', '0x8ad599c3a0ff1de082011efddc58f1908eb6e6d8', '--out', join(dir, 'e.arrow')];
    expect((await run([...base, '--from-block', '10', '--to-block', '20', '--version', 'v4'])).error?.message).toBe('--version: must be v2 or v3; was "v4"');
    expect((await run([...base, '--from-block', '10', '--to-block', '9'])).error?.message).toBe('--to-block: must be a block number >= --from-block (10), or finalized; was 9');
    expect((await run([...base, '--from-block', '1e6', '--to-block', '9'])).error?.message).toBe('--from-block: must be an integer >= 0; was "1e6"');
    expect((await run([...base, '--from-block', '1', '--to-block', '9', '--chunk-blocks', '0'])).error?.message).toBe('--chunk-blocks: must be an integer >= 1; was "0"');
    expect(existsSync(join(dir, '.ammsim-cache'))).toBe(false);
  });

  it('error: a missing required flag is reported by name', async () => {
    const r = await run(['data', 'fetch', 'pool-events', '--pool', '0x8ad599c3a0ff1de082011efddc58f1908eb6e6d8']);
    expect(r.error?.message).toBe('Missing required arguments: rpc, from-block, to-block, out');
  });
});
