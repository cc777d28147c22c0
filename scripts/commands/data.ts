import { dirname, join } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { ConfigError } from '../../sim/core/errors.ts';
import { Rng } from '../../sim/core/rng.ts';
import { BINANCE_DEFAULTS, checkBinanceQuery, fetchBinanceKlines, parseTimeFlag, type BinanceProgress } from '../../data/fetch/binance.ts';
import { DEFAULT_RETRY_POLICY, realHttpDeps, type HttpDeps, type RetryPolicy } from '../../data/fetch/http.ts';
import { checkOutPath, writeFetchOutput, type FetchResult } from '../../data/fetch/output.ts';
import { checkPoolEventsQuery, fetchPoolEvents, POOL_EVENTS_DEFAULTS, type PoolEventsProgress, type PoolVersion } from '../../data/fetch/uniswapLogs.ts';

/**
 * `ammsim data fetch binance|pool-events`: download market data into an Arrow file (and CSV with --csv),
 * resumably. Each handler parses flags, calls one fetcher, writes the outputs atomically, and reports
 * progress on stderr.
 */

/** Defaults for the fetch flags (the builder carries none: they are applied here and shown in --help). */
export const DATA_FETCH_DEFAULTS = {
  interval: '1h',
  baseUrl: BINANCE_DEFAULTS.baseUrl,
  version: POOL_EVENTS_DEFAULTS.version,
  chunkBlocks: POOL_EVENTS_DEFAULTS.chunkBlocks,
  timeoutSeconds: DEFAULT_RETRY_POLICY.timeoutMs / 1000,
  retries: DEFAULT_RETRY_POLICY.maxAttempts - 1,
  seed: 0,
  /** Cache folder, relative to the folder of --out. */
  cacheDirName: '.ammsim-cache',
} as const;

/** What the command needs from outside; tests inject a fake-server client, a fixed clock and a stderr buffer. */
export interface DataCommandDeps {
  readonly httpDeps: (seed: number) => HttpDeps;
  readonly stderr: (line: string) => void;
}

const defaultDeps: DataCommandDeps = {
  httpDeps: (seed) => realHttpDeps(new Rng(seed).fork('data-fetch')),
  stderr: (line) => process.stderr.write(`${line}\n`),
};

interface CommonArgs {
  out: string;
  csv?: boolean;
  'cache-dir'?: string;
  timeout?: string;
  retries?: string;
  seed?: string;
}

interface BinanceArgs extends CommonArgs {
  symbol: string;
  interval?: string;
  start: string;
  end: string;
  'base-url'?: string;
}

interface PoolEventsArgs extends CommonArgs {
  rpc: string;
  pool: string;
  'from-block': string;
  'to-block': string;
  invert?: boolean;
  version?: string;
  'chunk-blocks'?: string;
}

function intFlag(flag: string, value: string | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const v = String(value).trim();
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(Number(v)) || Number(v) < min) throw new ConfigError(flag, `must be an integer >= ${min}; was "${value}"`);
  return Number(v);
}

function positiveNumberFlag(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new ConfigError(flag, `must be a number > 0; was "${value}"`);
  return n;
}

/** The longest wait a Node timer can do (2^31 − 1 ms); a longer one fires after 1 ms. */
const MAX_TIMEOUT_MS = 2_147_483_647;

function commonSettings(a: CommonArgs): { policy: RetryPolicy; cacheRoot: string; seed: number } {
  checkOutPath(a.out);
  const timeoutSeconds = positiveNumberFlag('--timeout', a.timeout, DATA_FETCH_DEFAULTS.timeoutSeconds);
  const timeoutMs = Math.round(timeoutSeconds * 1000);
  if (!(timeoutMs >= 1 && timeoutMs <= MAX_TIMEOUT_MS)) throw new ConfigError('--timeout', `must be seconds in [0.001, ${Math.floor(MAX_TIMEOUT_MS / 1000)}] (a timer cannot wait longer); was "${a.timeout}"`);
  const retries = intFlag('--retries', a.retries, DATA_FETCH_DEFAULTS.retries, 0);
  return {
    policy: { ...DEFAULT_RETRY_POLICY, timeoutMs, maxAttempts: retries + 1 },
    cacheRoot: a['cache-dir'] ?? join(dirname(a.out), DATA_FETCH_DEFAULTS.cacheDirName),
    seed: intFlag('--seed', a.seed, DATA_FETCH_DEFAULTS.seed, 0),
  };
}

function commonOptions<T>(y: Argv<T>): Argv<T> {
  return y
    .option('out', { type: 'string', demandOption: true, describe: 'Arrow file to write (.arrow or .feather); provenance goes in its schema metadata' })
    .option('csv', { type: 'boolean', describe: 'also write the same rows as CSV beside --out (same name, .csv)' })
    .option('cache-dir', { type: 'string', describe: `folder for the resumable chunk cache [default: ${DATA_FETCH_DEFAULTS.cacheDirName}/ beside --out]` })
    .option('timeout', { type: 'string', describe: `seconds per request attempt [default: ${DATA_FETCH_DEFAULTS.timeoutSeconds}]` })
    .option('retries', { type: 'string', describe: `retries per request on 429/5xx/timeouts/cut-short bodies, with exponential backoff [default: ${DATA_FETCH_DEFAULTS.retries}]` })
    .option('seed', { type: 'string', describe: `seed of the backoff jitter [default: ${DATA_FETCH_DEFAULTS.seed}]` });
}

const iso = (ms: number): string => new Date(ms).toISOString().replace(':00.000Z', 'Z');

function retryLine(e: { attempt: number; delayMs: number; reason: string }): string {
  return `  retry: ${e.reason}; waiting ${(e.delayMs / 1000).toFixed(1)} s (attempt ${e.attempt} failed)`;
}

function cacheLine(e: { kind: 'cache-dropped-chunk'; file: string; reason: string } | { kind: 'cache-reset'; reason: string }): string {
  return e.kind === 'cache-reset' ? `  cache: ${e.reason}` : `  cache: dropped ${e.file} (${e.reason}); fetching it again`;
}

function summaryLine(paths: readonly string[], r: FetchResult): string {
  const s = r.stats;
  return `wrote ${paths.join(' and ')}: ${r.rows.length} rows (${s.requests} requests, ${s.chunksFetched} chunks fetched, ${s.chunksFromCache} from cache ${s.cacheDir})`;
}

function binanceCommand(deps: DataCommandDeps): CommandModule {
  return {
    command: 'binance',
    describe: 'Binance spot klines (GET /api/v3/klines) → timestamp, open, high, low, close, volume, … (a price series: close)',
    builder: (y) =>
      commonOptions(
        y
          .option('symbol', { type: 'string', demandOption: true, describe: 'spot pair, e.g. ETHUSDT (close = USDT per ETH)' })
          .option('interval', { type: 'string', describe: `candle length: 1s 1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 3d 1w 1M (calendar month; backtest monthly candles with --gaps skip) [default: ${DATA_FETCH_DEFAULTS.interval}]` })
          .option('start', { type: 'string', demandOption: true, describe: 'first candle open time, UTC (2024-01-01, 2024-01-01T12:00, unix s or ms); inclusive' })
          .option('end', { type: 'string', demandOption: true, describe: 'end time, UTC, exclusive (candles opening before it)' })
          .option('base-url', { type: 'string', describe: `API root [default: ${DATA_FETCH_DEFAULTS.baseUrl}]` }),
      )
        .example('$0 data fetch binance --symbol ETHUSDT --interval 1h --start 2024-01-01 --end 2024-02-01 --out data/ETHUSDT-1h.arrow --csv', 'one month of hourly ETH/USDT candles')
        .example('$0 backtest --prices data/ETHUSDT-1h.arrow --pool v3 --strategy range --width 0.1', 'use them as the price series'),
    handler: async (argv) => {
      const a = argv as unknown as BinanceArgs;
      const common = commonSettings(a);
      const query = {
        symbol: a.symbol.toUpperCase(),
        interval: a.interval ?? DATA_FETCH_DEFAULTS.interval,
        startMs: parseTimeFlag('--start', a.start),
        endMs: parseTimeFlag('--end', a.end),
        baseUrl: a['base-url'] ?? DATA_FETCH_DEFAULTS.baseUrl,
      };
      checkBinanceQuery(query);
      deps.stderr(`fetching Binance ${query.symbol} ${query.interval} klines, ${iso(query.startMs)} to ${iso(query.endMs)} (exclusive)`);
      const onProgress = (e: BinanceProgress): void => {
        if (e.kind === 'chunk') deps.stderr(`  chunk ${e.index}/${e.total} from ${iso(e.fromMs)}: ${e.rows} candles${e.cached ? ' (cached)' : e.partial ? ' (not final yet: not cached)' : ''}`);
        else if (e.kind === 'retry') deps.stderr(retryLine(e));
        else if (e.kind === 'rate-limit-wait') deps.stderr(`  rate limit: used weight ${e.usedWeight} this minute; waiting ${(e.delayMs / 1000).toFixed(0)} s`);
        else deps.stderr(cacheLine(e));
      };
      const result = await fetchBinanceKlines(query, { cacheRoot: common.cacheRoot, deps: deps.httpDeps(common.seed), policy: common.policy, onProgress });
      if (result.rows.length === 0) deps.stderr(`warning: no closed candles for ${query.symbol} in this range (not listed yet, or the range is in the future)`);
      deps.stderr(summaryLine(writeFetchOutput(a.out, result, a.csv === true), result));
    },
  };
}

const STABLE = /^(USDC|USDC\.E|USDT|DAI|FRAX|LUSD|TUSD|BUSD|USDP|GUSD|PYUSD|USDE)$/i;

function poolEventsCommand(deps: DataCommandDeps): CommandModule {
  return {
    command: 'pool-events',
    describe: 'Uniswap v3 (Swap, Mint, Burn, Collect, Initialize) or v2 (Swap, Mint, Burn, Sync) pool events over JSON-RPC eth_getLogs',
    builder: (y) =>
      commonOptions(
        y
          // The top-level --version (print ammsim's version) would shadow this flag.
          .version(false)
          .option('rpc', { type: 'string', demandOption: true, describe: 'JSON-RPC endpoint URL (http/https); keys in the URL are masked in messages and metadata' })
          .option('pool', { type: 'string', demandOption: true, describe: 'pool (v3) or pair (v2) address' })
          .option('from-block', { type: 'string', demandOption: true, describe: 'first block, inclusive' })
          .option('to-block', { type: 'string', demandOption: true, describe: 'last block, inclusive, or finalized (the newest finalized block, asked of the node)' })
          .option('version', { type: 'string', describe: `Uniswap version: v3 or v2 [default: ${DATA_FETCH_DEFAULTS.version}]` })
          .option('invert', {
            type: 'boolean',
            describe: 'price = token0 per token1 instead of token1 per token0 (USDC/WETH pools have token0 = USDC: --invert gives USDC per WETH)',
          })
          .option('chunk-blocks', { type: 'string', describe: `blocks per eth_getLogs request; halved automatically when the node says "too many results" [default: ${DATA_FETCH_DEFAULTS.chunkBlocks}]` }),
      )
        .example(
          '$0 data fetch pool-events --rpc "$RPC_URL" --pool 0x88e6a0c2ddd26feeb64f039a2c41296fcb3f5640 --from-block 18937000 --to-block 18944000 --invert --out usdc-weth.arrow',
          'about a day of the USDC/WETH 0.05 % pool; price in USDC per WETH',
        )
        .example('$0 data fetch pool-events --version v2 --rpc "$RPC_URL" --pool 0xb4e16d0168e52d35cacd2c6185b44281ec28c9dc --from-block 18937000 --to-block 18944000 --invert --out pair.arrow', 'the USDC/WETH v2 pair (price from Sync reserves)'),
    handler: async (argv) => {
      const a = argv as unknown as PoolEventsArgs;
      const common = commonSettings(a);
      const version = (a.version ?? DATA_FETCH_DEFAULTS.version) as PoolVersion;
      const query = {
        rpcUrl: a.rpc,
        pool: a.pool,
        version,
        fromBlock: intFlag('--from-block', a['from-block'], 0, 0),
        toBlock: String(a['to-block']).trim() === 'finalized' ? ('finalized' as const) : intFlag('--to-block', a['to-block'], 0, 0),
        invert: a.invert === true,
      };
      checkPoolEventsQuery(query);
      const chunkBlocks = intFlag('--chunk-blocks', a['chunk-blocks'], DATA_FETCH_DEFAULTS.chunkBlocks, 1);
      deps.stderr(`fetching Uniswap ${version} events of ${a.pool.toLowerCase()}, blocks ${query.fromBlock}–${query.toBlock}`);
      const onProgress = (e: PoolEventsProgress): void => {
        if (e.kind === 'pool') {
          const p = e.pool;
          deps.stderr(
            `  pool on chain ${p.chainId}: token0 ${p.symbol0 ?? '?'} ${p.token0} (${p.decimals0} decimals), token1 ${p.symbol1 ?? '?'} ${p.token1} (${p.decimals1} decimals)${p.fee === null ? '' : `, fee ${p.fee}, tickSpacing ${p.tickSpacing}`}${e.cached ? ' (cached)' : ''}`,
          );
        } else if (e.kind === 'blocks') deps.stderr(`  blocks ${e.fromBlock}–${e.toBlock}: ${e.logs} events (${e.blocksDone}/${e.blocksTotal} blocks)`);
        else if (e.kind === 'finalized') deps.stderr(`  finalized block: ${e.block}`);
        else if (e.kind === 'range-halved') deps.stderr(`  blocks ${e.fromBlock}–${e.toBlock}: node refused (${e.reason}); retrying ${e.nextBlocks} blocks at a time`);
        else if (e.kind === 'retry') deps.stderr(retryLine(e));
        else deps.stderr(cacheLine(e));
      };
      const result = await fetchPoolEvents(query, { cacheRoot: common.cacheRoot, deps: deps.httpDeps(common.seed), policy: common.policy, chunkBlocks, onProgress });
      const p = result.pool;
      if (!query.invert && p.symbol0 !== null && STABLE.test(p.symbol0) && !(p.symbol1 !== null && STABLE.test(p.symbol1))) {
        deps.stderr(`note: price is ${p.symbol1 ?? 'token1'} per ${p.symbol0}; pass --invert for ${p.symbol0} per ${p.symbol1 ?? 'token1'}`);
      }
      deps.stderr(`  ${result.metadata.get('ammsim.price') ?? ''}`);
      deps.stderr(summaryLine(writeFetchOutput(a.out, result, a.csv === true), result));
    },
  };
}

/** Builds the `data` command; `deps` is for tests (a fake server, a fixed clock, captured stderr). */
export function createDataCommand(deps: DataCommandDeps = defaultDeps): CommandModule {
  const fetchCommand: CommandModule = {
    command: 'fetch',
    describe: 'download market data to an Arrow file (resumable: a re-run fetches only what is missing)',
    builder: (y) =>
      y
        .command(binanceCommand(deps))
        .command(poolEventsCommand(deps))
        .demandCommand(1, 'error: name a source: binance or pool-events'),
    handler: () => {},
  };
  return {
    command: 'data',
    describe: 'fetch market data (Binance candles, Uniswap pool events) into Arrow/CSV files',
    builder: (y) => y.command(fetchCommand).demandCommand(1, 'error: name a data command: fetch'),
    handler: () => {},
  };
}

export const dataCommand: CommandModule = createDataCommand();
