import { ConfigError } from '../../sim/core/errors.ts';
import { cacheDirFor, ChunkCache, type CacheEvent } from './cache.ts';
import { FetchError } from './errors.ts';
import { DEFAULT_RETRY_POLICY, parseJsonBody, requestWithRetry, RetryableResponseError, snippet, type HttpDeps, type HttpResponse, type RetryEvent, type RetryPolicy } from './http.ts';
import type { FetchResult, FetchStats } from './output.ts';
import { sortAndDedupe, type ColumnSpec, type Row } from './table.ts';

/**
 * Binance spot klines (candles) over the public REST endpoint `GET /api/v3/klines`, cached in chunks of
 * `limit` candles on a grid anchored at the Unix epoch (so overlapping queries share chunks).
 *
 * Documented behaviour relied on (Binance spot API docs, "Kline/Candlestick data" and "Limits"):
 * - parameters `symbol`, `interval`, `startTime`, `endTime` (open times, ms, inclusive), `limit` ≤ 1000;
 * - each row is `[openTime, open, high, low, close, volume, closeTime, quoteAssetVolume, numberOfTrades,
 *   takerBuyBaseAssetVolume, takerBuyQuoteAssetVolume, ignore]`, prices and volumes as decimal strings;
 * - `X-MBX-USED-WEIGHT-1M` reports the IP's request weight used in the current minute; 429 asks to back
 *   off (with `Retry-After`, seconds), 418 is an IP ban (also with `Retry-After`);
 * - errors are `{"code": -1121, "msg": "Invalid symbol."}` with HTTP 4xx.
 */
export const BINANCE_DEFAULTS = {
  baseUrl: 'https://api.binance.com',
  /** Candles per request and per cache chunk (the endpoint's maximum). */
  limit: 1000,
  /** Request-weight budget per minute (the documented REQUEST_WEIGHT limit for spot). */
  weightLimitPerMinute: 6000,
  /** Weight of one klines request (2 at the time of writing); the fetcher keeps used + this under the limit. */
  requestWeight: 2,
} as const;

/**
 * Interval lengths in ms. `1M` (calendar month: candles open at 00:00 UTC on the 1st) is listed as its
 * longest month, 31 days — an upper bound, which is all the chunk plan and the "closed" test need;
 * {@link nextOpenMs} steps months by the calendar.
 */
export const BINANCE_INTERVAL_MS: Readonly<Record<string, number>> = {
  '1s': 1_000,
  '1m': 60_000,
  '3m': 180_000,
  '5m': 300_000,
  '15m': 900_000,
  '30m': 1_800_000,
  '1h': 3_600_000,
  '2h': 7_200_000,
  '4h': 14_400_000,
  '6h': 21_600_000,
  '8h': 28_800_000,
  '12h': 43_200_000,
  '1d': 86_400_000,
  '3d': 259_200_000,
  '1w': 604_800_000,
  '1M': 2_678_400_000,
};

/** The open time of the candle after the one opening at `openMs`: one interval on, or the next calendar month (UTC) for `1M`. */
export function nextOpenMs(openMs: number, interval: string): number {
  if (interval !== '1M') return openMs + BINANCE_INTERVAL_MS[interval]!;
  const d = new Date(openMs);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

export interface BinanceKlinesQuery {
  /** Upper-case pair symbol, e.g. ETHUSDT (base ETH, quote USDT: prices are USDT per ETH). */
  readonly symbol: string;
  readonly interval: string;
  /** Candles with open time in [startMs, endMs) are returned. Unix ms. */
  readonly startMs: number;
  readonly endMs: number;
  readonly baseUrl: string;
}

const f64 = (name: string, doc: string): ColumnSpec => ({ name, kind: 'f64', nullable: false, doc });

/** Output columns. `timestamp` + `close` make it a price series for the loaders (`close` is read as price). */
export const KLINE_COLUMNS: readonly ColumnSpec[] = [
  f64('timestamp', 'candle open time, unix milliseconds UTC'),
  f64('open', 'first trade price, quote per base'),
  f64('high', 'highest trade price, quote per base'),
  f64('low', 'lowest trade price, quote per base'),
  f64('close', 'last trade price, quote per base'),
  f64('volume', 'traded amount, base units'),
  f64('closeTime', 'candle close time, unix milliseconds UTC (open time + interval − 1)'),
  f64('quoteVolume', 'traded amount, quote units'),
  { name: 'trades', kind: 'u32', nullable: false, doc: 'number of trades' },
  f64('takerBuyBaseVolume', 'base amount bought by takers'),
  f64('takerBuyQuoteVolume', 'quote amount paid by buying takers'),
];

export type BinanceProgress =
  | RetryEvent
  | CacheEvent
  | { readonly kind: 'chunk'; readonly index: number; readonly total: number; readonly fromMs: number; readonly toMs: number; readonly rows: number; readonly cached: boolean; readonly partial: boolean }
  | { readonly kind: 'rate-limit-wait'; readonly usedWeight: number; readonly delayMs: number };

export interface BinanceFetchOptions {
  /** Root folder for caches; the query's own directory is created inside (see {@link cacheDirFor}). */
  readonly cacheRoot: string;
  readonly deps: HttpDeps;
  readonly policy?: RetryPolicy;
  readonly onProgress?: (e: BinanceProgress) => void;
  /** Overrides for tests: candles per request/chunk and the weight budget. */
  readonly limit?: number;
  readonly weightLimitPerMinute?: number;
}

/** Validates a query's flags (symbol, interval, times, base URL); throws ConfigError naming the flag. */
export function checkBinanceQuery(q: BinanceKlinesQuery): void {
  if (!/^[A-Z0-9]{2,30}$/.test(q.symbol)) throw new ConfigError('--symbol', `must be a Binance spot symbol in capitals and digits, such as ETHUSDT; was "${q.symbol}"`);
  if (BINANCE_INTERVAL_MS[q.interval] === undefined) {
    throw new ConfigError('--interval', `must be one of ${Object.keys(BINANCE_INTERVAL_MS).join(', ')}; was "${q.interval}"`);
  }
  if (!(q.startMs < q.endMs)) throw new ConfigError('--end', `must be after --start; was ${new Date(q.endMs).toISOString()} (start ${new Date(q.startMs).toISOString()})`);
  if (!/^https?:\/\//.test(q.baseUrl)) throw new ConfigError('--base-url', `must be an http(s) URL; was "${q.baseUrl}"`);
}

/**
 * Fetches the candles with open time in [startMs, endMs), resuming from and filling the cache. Only closed
 * candles are returned (close time before `deps.now()`), and a chunk is cached only when every candle it
 * can hold has closed, so a re-run later completes the recent end. Rows are sorted by open time and
 * de-duplicated.
 */
export async function fetchBinanceKlines(query: BinanceKlinesQuery, opts: BinanceFetchOptions): Promise<FetchResult> {
  checkBinanceQuery(query);
  const { deps, onProgress } = opts;
  const policy = opts.policy ?? DEFAULT_RETRY_POLICY;
  const limit = opts.limit ?? BINANCE_DEFAULTS.limit;
  const weightLimit = opts.weightLimitPerMinute ?? BINANCE_DEFAULTS.weightLimitPerMinute;
  const ivMs = BINANCE_INTERVAL_MS[query.interval]!;
  const span = limit * ivMs;
  const baseUrl = query.baseUrl.replace(/\/+$/, '');
  const key = { baseUrl, symbol: query.symbol, interval: query.interval, limit };
  const dir = cacheDirFor(opts.cacheRoot, 'binance-klines', `${query.symbol}-${query.interval}`, key);
  const cache = ChunkCache.open({ dir, source: 'binance-klines', key, columns: KLINE_COLUMNS, onEvent: onProgress });
  try {
    const stats: FetchStats = { requests: 0, chunksFetched: 0, chunksFromCache: 0, duplicatesDropped: 0, cacheDir: dir };
    const countingDeps: HttpDeps = {
      ...deps,
      fetch: (input, init) => {
        stats.requests++;
        return deps.fetch(input, init);
      },
    };

    const firstChunk = Math.floor(query.startMs / span);
    const lastChunk = Math.floor((query.endMs - 1) / span);
    const total = lastChunk - firstChunk + 1;
    const rows: Row[] = [];
    let latestFetchMs = 0;
    for (let k = firstChunk; k <= lastChunk; k++) {
      const from = k * span;
      const to = (k + 1) * span - 1;
      const index = k - firstChunk + 1;
      const entry = cache.chunks.find((e) => e.from === from && e.to === to);
      if (entry !== undefined) {
        const cached = cache.read(entry);
        for (const r of cached) rows.push(r);
        latestFetchMs = Math.max(latestFetchMs, entry.fetchedAtMs);
        stats.chunksFromCache++;
        onProgress?.({ kind: 'chunk', index, total, fromMs: from, toMs: to, rows: cached.length, cached: true, partial: false });
        continue;
      }
      const nowMs = deps.now();
      if (from >= nowMs) break; // the future holds no candles
      const fetched = await fetchChunk(query.symbol, query.interval, baseUrl, from, to, limit, weightLimit, countingDeps, policy, onProgress);
      const closed = fetched.filter((r) => (r[6] as number) < deps.now());
      // A chunk is final only once the last candle it could hold has closed.
      const complete = to + ivMs < deps.now();
      const fetchedAtMs = deps.now();
      if (complete) cache.write({ from, to }, closed, fetchedAtMs);
      latestFetchMs = Math.max(latestFetchMs, fetchedAtMs);
      stats.chunksFetched++;
      for (const r of closed) rows.push(r);
      onProgress?.({ kind: 'chunk', index, total, fromMs: from, toMs: to, rows: closed.length, cached: false, partial: !complete });
    }

    const inRange = rows.filter((r) => (r[0] as number) >= query.startMs && (r[0] as number) < query.endMs);
    const merged = sortAndDedupe(inRange, [0]);
    stats.duplicatesDropped = merged.duplicates;
    const metadata = new Map<string, string>([
      ['ammsim.source', 'binance-spot-klines'],
      ['ammsim.query', JSON.stringify({ url: `${baseUrl}/api/v3/klines`, symbol: query.symbol, interval: query.interval, start: new Date(query.startMs).toISOString(), endExclusive: new Date(query.endMs).toISOString() })],
      ['ammsim.fetchedAt', new Date(latestFetchMs || deps.now()).toISOString()],
      ['ammsim.price', `close = ${query.symbol} last trade price (quote per one unit of base)`],
      ['ammsim.timestamp', 'candle open time, unix milliseconds UTC'],
    ]);
    return { columns: KLINE_COLUMNS, rows: merged.rows, metadata, stats };
  } finally {
    cache.release();
  }
}

/** Pages through one chunk [from, to] (open times, ms) until a short page or the chunk end. */
async function fetchChunk(
  symbol: string,
  interval: string,
  baseUrl: string,
  from: number,
  to: number,
  limit: number,
  weightLimit: number,
  deps: HttpDeps,
  policy: RetryPolicy,
  onProgress: ((e: BinanceProgress) => void) | undefined,
): Promise<Row[]> {
  const out: Row[] = [];
  let cursor = from;
  for (;;) {
    const params = new URLSearchParams({ symbol, interval, startTime: String(cursor), endTime: String(to), limit: String(limit) });
    const url = `${baseUrl}/api/v3/klines?${params.toString()}`;
    const page = await requestWithRetry(
      { method: 'GET', url, headers: { accept: 'application/json' } },
      (res) => parseKlinesResponse(res, url),
      deps,
      policy,
      (e) => {
        onProgress?.(e);
      },
    );
    const rows = page.rows.filter((r) => (r[0] as number) >= cursor && (r[0] as number) <= to);
    for (const r of rows) out.push(r);
    if (page.usedWeight !== undefined && page.usedWeight + BINANCE_DEFAULTS.requestWeight > weightLimit) {
      // Wait for the next one-minute window (plus a second of slack) instead of provoking a 429.
      const delayMs = 60_000 - (deps.now() % 60_000) + 1_000;
      onProgress?.({ kind: 'rate-limit-wait', usedWeight: page.usedWeight, delayMs });
      await deps.sleep(delayMs);
    }
    const last = rows[rows.length - 1];
    if (page.rows.length < limit || last === undefined) return out;
    // The next candle opens one interval later (also on grids not aligned to the epoch, like 1w), or on the next month's 1st.
    const next = nextOpenMs(last[0] as number, interval);
    if (next > to) return out;
    cursor = next;
  }
}

/**
 * Parses one klines response. A 4xx with Binance's `{code, msg}` becomes a ConfigError for the flag at
 * fault (unknown symbol, bad interval) or a non-retryable FetchError; a body that is not a well-formed
 * kline array is retryable (a cut-short body).
 */
export function parseKlinesResponse(res: HttpResponse, url: string): { rows: Row[]; usedWeight: number | undefined } {
  const weightHeader = res.headers.get('x-mbx-used-weight-1m');
  const usedWeight = weightHeader !== null && /^\d+$/.test(weightHeader.trim()) ? Number(weightHeader) : undefined;
  if (res.status < 200 || res.status > 299) {
    let code: number | undefined;
    let msg = snippet(res.text);
    try {
      const e = JSON.parse(res.text) as { code?: unknown; msg?: unknown };
      if (typeof e.code === 'number') code = e.code;
      if (typeof e.msg === 'string') msg = e.msg;
    } catch {
      // keep the raw snippet
    }
    if (code === -1121) throw new ConfigError('--symbol', `Binance does not list this symbol (code -1121: ${msg})`);
    if (code === -1120 || (code === -1100 && /interval/i.test(msg))) throw new ConfigError('--interval', `Binance rejected the interval (code ${code}: ${msg})`);
    throw new FetchError(url, `HTTP ${res.status}${code === undefined ? '' : ` (Binance code ${code})`}: ${msg}`, { status: res.status });
  }
  const body = parseJsonBody(res);
  if (!Array.isArray(body)) throw new RetryableResponseError(`HTTP ${res.status}: expected a JSON array of klines; got ${snippet(res.text)}`);
  const rows: Row[] = [];
  let prevOpen = -Infinity;
  for (let i = 0; i < body.length; i++) {
    const row = parseKlineRow(body[i]);
    if (typeof row === 'string') throw new RetryableResponseError(`kline ${i}: ${row}`);
    if ((row[0] as number) <= prevOpen) throw new RetryableResponseError(`kline ${i}: open times must increase; ${row[0]} after ${prevOpen}`);
    prevOpen = row[0] as number;
    rows.push(row);
  }
  return { rows, usedWeight };
}

/** One kline array to a row in KLINE_COLUMNS order, or a string saying what is wrong. */
function parseKlineRow(x: unknown): Row | string {
  if (!Array.isArray(x) || x.length < 11) return `must be an array of at least 11 fields; was ${snippet(JSON.stringify(x) ?? String(x))}`;
  const openTime = x[0] as unknown;
  const closeTime = x[6] as unknown;
  const trades = x[8] as unknown;
  if (!Number.isSafeInteger(openTime)) return `open time must be integer ms; was ${JSON.stringify(openTime)}`;
  if (!Number.isSafeInteger(closeTime)) return `close time must be integer ms; was ${JSON.stringify(closeTime)}`;
  if (!Number.isSafeInteger(trades) || (trades as number) < 0) return `trade count must be a non-negative integer; was ${JSON.stringify(trades)}`;
  const dec = (i: number, name: string): number | string => {
    const v = x[i] as unknown;
    const n = typeof v === 'string' && /^\d+(\.\d+)?$/.test(v) ? Number(v) : typeof v === 'number' ? v : NaN;
    return Number.isFinite(n) && n >= 0 ? n : `${name} must be a non-negative decimal; was ${JSON.stringify(v)}`;
  };
  const vals = [dec(1, 'open'), dec(2, 'high'), dec(3, 'low'), dec(4, 'close'), dec(5, 'volume'), dec(7, 'quote volume'), dec(9, 'taker buy base volume'), dec(10, 'taker buy quote volume')];
  const bad = vals.find((v) => typeof v === 'string');
  if (bad !== undefined) return bad as string;
  const [open, high, low, close, volume, quoteVolume, takerBase, takerQuote] = vals as number[];
  return [openTime as number, open!, high!, low!, close!, volume!, closeTime as number, quoteVolume!, trades as number, takerBase!, takerQuote!];
}

/**
 * Reads a time flag as unix ms, UTC: `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS]`, ISO-8601 (a zone-less time is
 * UTC), or an integer (13+ digits: ms; fewer: seconds). Throws ConfigError naming `flag`.
 */
export function parseTimeFlag(flag: string, value: string): number {
  const v = value.trim();
  if (/^\d+$/.test(v)) return v.length >= 13 ? Number(v) : Number(v) * 1000;
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(v);
  if (m !== null) {
    const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4] ?? '00'}:${m[5] ?? '00'}:${m[6] ?? '00'}${m[7] ?? ''}${m[8] ?? 'Z'}`;
    const t = Date.parse(iso);
    // Date.parse rolls 2024-02-30 over to March in some engines; a zone-less date must read back unchanged.
    if (!Number.isNaN(t) && (m[8] !== undefined || new Date(t).toISOString().slice(0, 10) === `${m[1]}-${m[2]}-${m[3]}`)) return t;
  }
  throw new ConfigError(flag, `must be a UTC date or time (2024-01-01, 2024-01-01T12:00, unix seconds or ms); was "${value}"`);
}
