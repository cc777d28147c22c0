import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { fetchBinanceKlines, nextOpenMs, parseTimeFlag, type BinanceKlinesQuery, type BinanceProgress } from './binance.ts';
import { FetchError } from './errors.ts';
import { DEFAULT_RETRY_POLICY } from './http.ts';
import { writeFetchOutput } from './output.ts';
import { fakeServerScope, testHttpDeps, type FakeReply, type FakeRequest, type FakeServer } from './testing/fakeServer.ts';
import { ConfigError } from '../../sim/core/errors.ts';
import { loadArrowPrices } from '../loaders/arrowPrices.ts';

// Recorded-format fixture: 15 hourly ETHUSDT klines, 2023-12-31 12:00 → 2024-01-01 02:00 UTC (see fixtures/README.md).
type Kline = [number, string, string, string, string, string, number, string, number, string, string, string];
const FIXTURE = JSON.parse(readFileSync(new URL('./fixtures/binance_klines_ETHUSDT_1h.json', import.meta.url), 'utf8')) as Kline[];

const H = 3_600_000;
const START = Date.UTC(2023, 11, 31, 12);
const END = Date.UTC(2024, 0, 1, 0); // exclusive: 12 candles
const LATER = Date.UTC(2024, 5, 1); // a clock long after every candle closed
const policy = { ...DEFAULT_RETRY_POLICY, maxAttempts: 3 };

/** Answers like Binance: filters the fixture by startTime/endTime, caps at limit, reports used weight. */
function binancePage(req: FakeRequest, usedWeight = 10, klines: readonly Kline[] = FIXTURE): FakeReply {
  if (req.path !== '/api/v3/klines') return { kind: 'json', status: 404, body: { code: -1, msg: 'not found' } };
  if (req.query.get('symbol') !== 'ETHUSDT') return { kind: 'json', status: 400, body: { code: -1121, msg: 'Invalid symbol.' } };
  const start = Number(req.query.get('startTime'));
  const end = Number(req.query.get('endTime'));
  const limit = Number(req.query.get('limit'));
  const rows = klines.filter((k) => k[0] >= start && k[0] <= end).slice(0, limit);
  return { kind: 'json', headers: { 'x-mbx-used-weight-1m': String(usedWeight) }, body: rows };
}

const scope = fakeServerScope('ammsim-binance-');
const tmp = scope.tmp;

async function serve(faults: ReadonlyMap<number, FakeReply> = new Map(), usedWeight?: (i: number) => number): Promise<FakeServer> {
  return scope.start((req, i) => faults.get(i) ?? binancePage(req, usedWeight?.(i)), { maxRequests: 40 });
}

function query(s: FakeServer, over: Partial<BinanceKlinesQuery> = {}): BinanceKlinesQuery {
  return { symbol: 'ETHUSDT', interval: '1h', startMs: START, endMs: END, baseUrl: s.url, ...over };
}

/** The fixture rows as output rows (KLINE_COLUMNS order). */
function expectedRows(from: number, to: number): unknown[][] {
  return FIXTURE.filter((k) => k[0] >= from && k[0] < to).map((k) => [k[0], +k[1], +k[2], +k[3], +k[4], +k[5], k[6], +k[7], k[8], +k[9], +k[10]]);
}

function expectCompleteAndUnique(rows: readonly unknown[][], from = START, to = END): void {
  expect(rows).toEqual(expectedRows(from, to));
  const ts = rows.map((r) => r[0]);
  expect(new Set(ts).size).toBe(ts.length);
}

describe('fetchBinanceKlines', () => {
  it('behavior: pages through epoch-aligned chunks and writes an Arrow file with provenance metadata', async () => {
    const s = await serve();
    const root = tmp();
    const deps = testHttpDeps(s, LATER);
    const progress: BinanceProgress[] = [];
    const result = await fetchBinanceKlines(query(s), { cacheRoot: root, deps, policy, limit: 5, onProgress: (e) => progress.push(e) });
    expectCompleteAndUnique(result.rows);
    // 12:00 is hour 473340 since the epoch, a multiple of 5: three chunks of five candles, one request each.
    expect(s.requests.map((r) => [r.query.get('startTime'), r.query.get('endTime'), r.query.get('limit')])).toEqual([
      [String(START), String(START + 5 * H - 1), '5'],
      [String(START + 5 * H), String(START + 10 * H - 1), '5'],
      [String(START + 10 * H), String(START + 15 * H - 1), '5'],
    ]);
    expect(result.stats).toMatchObject({ requests: 3, chunksFetched: 3, chunksFromCache: 0, duplicatesDropped: 0 });
    expect(progress.filter((e) => e.kind === 'chunk').map((e) => (e.kind === 'chunk' ? [e.index, e.total, e.cached] : []))).toEqual([[1, 3, false], [2, 3, false], [3, 3, false]]);

    const out = join(root, 'out', 'ETHUSDT-1h.arrow');
    expect(writeFetchOutput(out, result, true)).toEqual([out, join(root, 'out', 'ETHUSDT-1h.csv')]);
    const table = tableFromIPC(readFileSync(out));
    expect(table.schema.fields.map((f) => f.name)).toEqual(['timestamp', 'open', 'high', 'low', 'close', 'volume', 'closeTime', 'quoteVolume', 'trades', 'takerBuyBaseVolume', 'takerBuyQuoteVolume']);
    expect(table.numRows).toBe(12);
    expect(table.getChild('close')?.get(0)).toBe(2304.85);
    expect(table.schema.metadata.get('ammsim.source')).toBe('binance-spot-klines');
    expect(JSON.parse(table.schema.metadata.get('ammsim.query')!)).toEqual({
      url: `${s.url}/api/v3/klines`,
      symbol: 'ETHUSDT',
      interval: '1h',
      start: '2023-12-31T12:00:00.000Z',
      endExclusive: '2024-01-01T00:00:00.000Z',
    });
    expect(table.schema.metadata.get('ammsim.fetchedAt')).toBe('2024-06-01T00:00:00.000Z');
    const csv = readFileSync(join(root, 'out', 'ETHUSDT-1h.csv'), 'utf8').split('\n');
    expect(csv[0]).toBe('timestamp,open,high,low,close,volume,closeTime,quoteVolume,trades,takerBuyBaseVolume,takerBuyQuoteVolume');
    expect(csv[1]).toBe('1704024000000,2310.66,2324.78,2296.48,2304.85,13926.4495,1704027599999,32138833.4658725,58098,6684.6958,15426640.155929');
    expect(csv).toHaveLength(14); // header, 12 rows, final newline
  });

  it('behavior: the output loads as a price series (close as price, open time as timestamp)', async () => {
    const s = await serve();
    const root = tmp();
    const result = await fetchBinanceKlines(query(s), { cacheRoot: root, deps: testHttpDeps(s, LATER), policy, limit: 5 });
    const out = join(root, 'ETHUSDT-1h.arrow');
    writeFetchOutput(out, result, false);
    const series = await loadArrowPrices(out);
    expect(series.length).toBe(12);
    expect(Array.from(series.timestampMs)).toEqual(FIXTURE.slice(0, 12).map((k) => k[0]));
    expect(Array.from(series.price)).toEqual(FIXTURE.slice(0, 12).map((k) => Number(k[4])));
  });

  it('behavior: a re-run is idempotent: no request, byte-identical output', async () => {
    const s = await serve();
    const root = tmp();
    const first = await fetchBinanceKlines(query(s), { cacheRoot: root, deps: testHttpDeps(s, LATER), policy, limit: 5 });
    writeFetchOutput(join(root, 'a.arrow'), first, false);
    const deps2 = testHttpDeps(s, LATER + 86_400_000);
    const second = await fetchBinanceKlines(query(s), { cacheRoot: root, deps: deps2, policy, limit: 5 });
    writeFetchOutput(join(root, 'b.arrow'), second, false);
    expect(s.requests).toHaveLength(3);
    expect(second.stats).toMatchObject({ requests: 0, chunksFetched: 0, chunksFromCache: 3 });
    expect(readFileSync(join(root, 'b.arrow'))).toEqual(readFileSync(join(root, 'a.arrow')));
  });

  it('behavior: a widened range fetches only the missing chunk', async () => {
    const s = await serve();
    const root = tmp();
    await fetchBinanceKlines(query(s, { endMs: START + 5 * H }), { cacheRoot: root, deps: testHttpDeps(s, LATER), policy, limit: 5 });
    const r = await fetchBinanceKlines(query(s, { endMs: START + 10 * H }), { cacheRoot: root, deps: testHttpDeps(s, LATER), policy, limit: 5 });
    expect(s.requests.map((q) => q.query.get('startTime'))).toEqual([String(START), String(START + 5 * H)]);
    expectCompleteAndUnique(r.rows, START, START + 10 * H);
  });

  // Every failure mode of the endpoint, injected on the second request (the second chunk). Each run must end
  // with the complete series, no duplicate rows, and exactly one extra request for the retry.
  const faults: Array<[string, FakeReply, string]> = [
    ['429 with Retry-After', { kind: 'json', status: 429, headers: { 'retry-after': '2' }, body: { code: -1003, msg: 'Too many requests; current limit of IP is 6000 request weight per 1 MINUTE.' } }, 'HTTP 429'],
    ['418 IP ban with a short Retry-After', { kind: 'json', status: 418, headers: { 'retry-after': '30' }, body: { code: -1003, msg: 'Way too many requests; IP banned.' } }, 'HTTP 418'],
    ['500', { kind: 'text', status: 500, body: 'Internal Server Error' }, 'HTTP 500'],
    ['503', { kind: 'json', status: 503, body: { code: -1001, msg: 'Internal error; unable to process your request. Please try again.' } }, 'HTTP 503'],
    ['504 gateway timeout', { kind: 'text', status: 504, body: '<html>504 Gateway Time-out</html>' }, 'HTTP 504'],
    ['connection reset', { kind: 'reset' }, 'network error'],
    ['timeout (server never answers)', { kind: 'hang' }, 'timed out'],
    ['body cut short mid-transfer', { kind: 'truncate', body: JSON.stringify(FIXTURE.slice(5, 10)), keepBytes: 300 }, 'network error'],
    ['complete response with truncated JSON', { kind: 'text', body: JSON.stringify(FIXTURE.slice(5, 10)).slice(0, 250) }, 'HTTP 200: body is not valid JSON'],
    ['malformed kline row', { kind: 'json', body: [[1704042000000, '2291.1', 'x']] }, 'kline 0'],
    ['repeated candle in a page', { kind: 'json', body: [FIXTURE[5], FIXTURE[5]] }, 'kline 1: open times must increase'],
  ];
  it.each(faults)('failure: %s is retried and ends with a complete cache and no duplicates', async (_name, fault, reason) => {
    const s = await serve(new Map([[1, fault]]));
    const root = tmp();
    const deps = testHttpDeps(s, LATER);
    const progress: BinanceProgress[] = [];
    const result = await fetchBinanceKlines(query(s), { cacheRoot: root, deps, policy, limit: 5, onProgress: (e) => progress.push(e) });
    expectCompleteAndUnique(result.rows);
    expect(s.requests).toHaveLength(4);
    const retries = progress.filter((e) => e.kind === 'retry');
    expect(retries).toHaveLength(1);
    expect(retries[0]?.kind === 'retry' && retries[0].reason).toContain(reason);
    // The cache alone now reproduces the result.
    const again = await fetchBinanceKlines(query(s), { cacheRoot: root, deps: testHttpDeps(s, LATER), policy, limit: 5 });
    expect(again.stats.requests).toBe(0);
    expect(again.rows).toEqual(result.rows);
  });

  it('failure: a run that gives up keeps its completed chunks; the re-run fetches only the rest', async () => {
    const down: FakeReply = { kind: 'text', status: 502, body: 'Bad Gateway' };
    const s = await serve(new Map([[1, down], [2, down], [3, down]]));
    const root = tmp();
    const err = await fetchBinanceKlines(query(s), { cacheRoot: root, deps: testHttpDeps(s, LATER), policy, limit: 5 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FetchError);
    expect((err as FetchError).message).toContain('HTTP 502: Bad Gateway (gave up after 3 attempts; completed chunks are cached, run again to resume)');
    const resumed = await fetchBinanceKlines(query(s), { cacheRoot: root, deps: testHttpDeps(s, LATER), policy, limit: 5 });
    expect(resumed.stats).toMatchObject({ chunksFromCache: 1, chunksFetched: 2, requests: 2 });
    expect(s.requests.slice(4).map((r) => r.query.get('startTime'))).toEqual([String(START + 5 * H), String(START + 10 * H)]);
    expectCompleteAndUnique(resumed.rows);
  });

  it('behavior: waits for the next minute when X-MBX-USED-WEIGHT-1M nears the limit', async () => {
    const s = await serve(new Map(), (i) => (i === 0 ? 5999 : 12));
    const deps = testHttpDeps(s, LATER + 15_000); // 15 s into a minute
    const progress: BinanceProgress[] = [];
    const r = await fetchBinanceKlines(query(s), { cacheRoot: tmp(), deps, policy, limit: 5, onProgress: (e) => progress.push(e) });
    expectCompleteAndUnique(r.rows);
    expect(deps.sleeps).toEqual([46_000]);
    expect(progress.filter((e) => e.kind === 'rate-limit-wait')).toEqual([{ kind: 'rate-limit-wait', usedWeight: 5999, delayMs: 46_000 }]);
  });

  it('behavior: open candles are dropped and the unfinished chunk is not cached until it has closed', async () => {
    const s = await serve();
    const root = tmp();
    const q = query(s, { endMs: START + 15 * H });
    const early = await fetchBinanceKlines(q, { cacheRoot: root, deps: testHttpDeps(s, Date.UTC(2024, 0, 1, 1, 30)), policy, limit: 5 });
    // The 01:00 candle closes at 01:59:59.999, after the clock: left out.
    expectCompleteAndUnique(early.rows, START, Date.UTC(2024, 0, 1, 1));
    const later = await fetchBinanceKlines(q, { cacheRoot: root, deps: testHttpDeps(s, Date.UTC(2024, 0, 1, 6)), policy, limit: 5 });
    expectCompleteAndUnique(later.rows, START, START + 15 * H);
    expect(later.stats).toMatchObject({ chunksFromCache: 2, chunksFetched: 1 });
  });

  it('behavior: 1M candles open on each month\'s 1st (UTC); paging steps by the calendar, not by 31 days', async () => {
    // Binance-shaped monthly klines, 2023-01 … 2024-06 (open on the 1st, close 1 ms before the next 1st)
    const months: Kline[] = [];
    for (let m = 0; m < 18; m++) {
      const open = Date.UTC(2023, m, 1);
      const close = Date.UTC(2023, m + 1, 1) - 1;
      months.push([open, '2000', '2100', '1900', String(2000 + m), '1000', close, '2000000', 500, '400', '800000', '0']);
    }
    const s = await scope.start((req) => binancePage(req, 10, months), { maxRequests: 200 });
    // small pages force paging inside chunks, where a fixed 31-day step would skip the 1st of a month
    for (const limit of [1, 2, 3]) {
      const r = await fetchBinanceKlines(query(s, { interval: '1M', startMs: Date.UTC(2023, 2, 1), endMs: Date.UTC(2024, 0, 1) }), { cacheRoot: tmp(), deps: testHttpDeps(s, LATER), policy, limit });
      expect(r.rows.map((row) => new Date(row[0] as number).toISOString().slice(0, 10)), `limit ${limit}`).toEqual(
        ['2023-03-01', '2023-04-01', '2023-05-01', '2023-06-01', '2023-07-01', '2023-08-01', '2023-09-01', '2023-10-01', '2023-11-01', '2023-12-01'],
      );
      expect(r.rows.map((row) => row[4])).toEqual([2002, 2003, 2004, 2005, 2006, 2007, 2008, 2009, 2010, 2011]);
    }
  });

  it('behavior: the next candle opens one interval on, or on the next month\'s 1st for 1M (28-, 29-, 30-day months, year end)', () => {
    expect(nextOpenMs(Date.UTC(2024, 0, 1, 5), '1h')).toBe(Date.UTC(2024, 0, 1, 6));
    expect(nextOpenMs(Date.UTC(2023, 1, 1), '1M')).toBe(Date.UTC(2023, 2, 1));
    expect(nextOpenMs(Date.UTC(2024, 1, 1), '1M')).toBe(Date.UTC(2024, 2, 1));
    expect(nextOpenMs(Date.UTC(2023, 3, 1), '1M')).toBe(Date.UTC(2023, 4, 1));
    expect(nextOpenMs(Date.UTC(2023, 11, 1), '1M')).toBe(Date.UTC(2024, 0, 1));
  });

  it('error: an unknown symbol is a --symbol error, not retried', async () => {
    const s = await serve();
    const err = await fetchBinanceKlines(query(s, { symbol: 'ETHUSDX' }), { cacheRoot: tmp(), deps: testHttpDeps(s, LATER), policy, limit: 5 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toBe('--symbol: Binance does not list this symbol (code -1121: Invalid symbol.)');
    expect(s.requests).toHaveLength(1);
  });

  it('error: flags are checked before any request', async () => {
    const opts = { cacheRoot: '/nonexistent', deps: testHttpDeps(undefined, LATER), policy };
    await expect(fetchBinanceKlines({ symbol: 'ETHUSDT', interval: '2M', startMs: 0, endMs: 1, baseUrl: 'http://127.0.0.1:9' }, opts)).rejects.toThrowErrorMatchingInlineSnapshot(
      `[ConfigError: --interval: must be one of 1s, 1m, 3m, 5m, 15m, 30m, 1h, 2h, 4h, 6h, 8h, 12h, 1d, 3d, 1w, 1M; was "2M"]`,
    );
    await expect(fetchBinanceKlines({ symbol: 'ETHUSDT', interval: '1h', startMs: 5, endMs: 5, baseUrl: 'http://127.0.0.1:9' }, opts)).rejects.toThrow(/^--end: must be after --start/);
  });
});

describe('parseTimeFlag', () => {
  it('reads dates, times, and unix seconds or ms as UTC', () => {
    expect(parseTimeFlag('--start', '2024-01-01')).toBe(Date.UTC(2024, 0, 1));
    expect(parseTimeFlag('--start', '2024-01-01 12:30')).toBe(Date.UTC(2024, 0, 1, 12, 30));
    expect(parseTimeFlag('--start', '2024-01-01T12:30:15+02:00')).toBe(Date.UTC(2024, 0, 1, 10, 30, 15));
    expect(parseTimeFlag('--start', '1704067200')).toBe(1704067200000);
    expect(parseTimeFlag('--start', '1704067200000')).toBe(1704067200000);
  });
  it('error: rejects impossible dates and other text', () => {
    expect(() => parseTimeFlag('--end', '2024-02-30')).toThrowErrorMatchingInlineSnapshot(
      `[ConfigError: --end: must be a UTC date or time (2024-01-01, 2024-01-01T12:00, unix seconds or ms); was "2024-02-30"]`,
    );
    expect(() => parseTimeFlag('--end', 'yesterday')).toThrow(ConfigError);
  });
});
