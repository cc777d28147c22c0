import { afterEach, describe, expect, it } from 'vitest';
import { FetchError, redactUrl } from './errors.ts';
import { backoffDelayMs, DEFAULT_RETRY_POLICY, parseJsonBody, parseRetryAfter, requestWithRetry, type RetryEvent } from './http.ts';
import { startFakeServer, testHttpDeps, type FakeReply, type FakeServer } from './testing/fakeServer.ts';
import { Rng } from '../../sim/core/rng.ts';

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(replies: FakeReply[]): Promise<FakeServer> {
  server = await startFakeServer((_req, i) => replies[i] ?? { kind: 'text', status: 500, body: 'script exhausted' }, { maxRequests: replies.length + 2 });
  return server;
}

const ok: FakeReply = { kind: 'json', body: { ok: true } };

describe('requestWithRetry', () => {
  it('behavior: retries 429, 5xx, reset, truncated body, bad JSON and a timeout, then returns the good body', async () => {
    const s = await serve([
      { kind: 'json', status: 429, headers: { 'retry-after': '3' }, body: { code: -1003, msg: 'Too many requests' } },
      { kind: 'text', status: 503, body: 'upstream unavailable' },
      { kind: 'reset' },
      { kind: 'truncate', body: JSON.stringify({ ok: true, pad: 'x'.repeat(100) }), keepBytes: 20 },
      { kind: 'text', body: '{"ok": tr' },
      { kind: 'hang' },
      ok,
    ]);
    const deps = testHttpDeps(s);
    const events: RetryEvent[] = [];
    const policy = { ...DEFAULT_RETRY_POLICY, maxAttempts: 7 };
    const got = await requestWithRetry({ method: 'GET', url: `${s.url}/x` }, parseJsonBody, deps, policy, (e) => events.push(e));
    expect(got).toEqual({ ok: true });
    expect(s.requests).toHaveLength(7);
    expect(events.map((e) => e.reason.split(':')[0])).toEqual(['HTTP 429', 'HTTP 503', 'network error', 'network error', 'HTTP 200', 'timed out after 30000 ms']);
    // Retry-After (3 s) wins over the first backoff (<= 500 ms); the rest follow the exponential schedule.
    expect(deps.sleeps[0]).toBe(3000);
    const rng = new Rng(7);
    const expected = [1, 2, 3, 4, 5, 6].map((n) => backoffDelayMs(n, policy, rng));
    expect(deps.sleeps.slice(1)).toEqual(expected.slice(1));
  });

  it('error: gives up after maxAttempts with a FetchError naming the last failure', async () => {
    const s = await serve([
      { kind: 'text', status: 502, body: 'bad gateway' },
      { kind: 'text', status: 502, body: 'bad gateway' },
      { kind: 'text', status: 502, body: 'bad gateway' },
    ]);
    const deps = testHttpDeps(s);
    const err = await requestWithRetry({ method: 'GET', url: `${s.url}/k` }, parseJsonBody, deps, { ...DEFAULT_RETRY_POLICY, maxAttempts: 3 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FetchError);
    expect((err as FetchError).message).toBe(`${s.url}/k: HTTP 502: bad gateway (gave up after 3 attempts; completed chunks are cached, run again to resume)`);
    expect((err as FetchError).status).toBe(502);
    expect(s.requests).toHaveLength(3);
    expect(deps.sleeps).toHaveLength(2);
  });

  it('error: a network error that quotes the URL (its key in the path) is masked like the rest of the message', async () => {
    const s = await serve([ok]);
    const secret = 'AbCdEf0123456789xyzXYZ';
    const deps = { ...testHttpDeps(s), fetch: async (url: string | URL | Request) => Promise.reject(new TypeError(`Request cannot be constructed from ${String(url)}`)) };
    const err = await requestWithRetry({ method: 'GET', url: `${s.url}/v2/${secret}` }, parseJsonBody, deps, { ...DEFAULT_RETRY_POLICY, maxAttempts: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FetchError);
    expect((err as FetchError).message).not.toContain(secret);
    expect((err as FetchError).message).toContain('network error: Request cannot be constructed from');
  });

  it('error: a Retry-After beyond maxRetryAfterMs fails at once instead of waiting', async () => {
    const s = await serve([{ kind: 'text', status: 418, headers: { 'retry-after': '7200' }, body: 'banned' }]);
    const deps = testHttpDeps(s);
    const err = await requestWithRetry({ method: 'GET', url: `${s.url}/k` }, parseJsonBody, deps).catch((e: unknown) => e);
    expect((err as Error).message).toBe(
      `${s.url}/k: HTTP 418: banned; the server asks to wait 7200 s (Retry-After), more than the 300 s this run waits; run again later (completed chunks are cached)`,
    );
    expect(deps.sleeps).toEqual([]);
  });

  it('behavior: a 4xx goes to the parser, which decides (no retry)', async () => {
    const s = await serve([{ kind: 'json', status: 400, body: { code: -1121, msg: 'Invalid symbol.' } }]);
    const deps = testHttpDeps(s);
    const err = await requestWithRetry(
      { method: 'GET', url: `${s.url}/k` },
      (res) => {
        if (res.status !== 200) throw new FetchError(`${s.url}/k`, `HTTP ${res.status}`, { status: res.status });
        return res.text;
      },
      deps,
    ).catch((e: unknown) => e);
    expect((err as FetchError).status).toBe(400);
    expect(s.requests).toHaveLength(1);
  });
});

describe('helpers', () => {
  it('parseRetryAfter reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('2', 0)).toBe(2000);
    expect(parseRetryAfter(null, 0)).toBeUndefined();
    expect(parseRetryAfter('Sat, 01 Jun 2024 00:00:10 GMT', Date.UTC(2024, 5, 1))).toBe(10_000);
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
  });

  it('backoffDelayMs stays within [half, full] of the capped exponential', () => {
    const rng = new Rng(1);
    for (let n = 1; n <= 12; n++) {
      const full = Math.min(DEFAULT_RETRY_POLICY.maxDelayMs, DEFAULT_RETRY_POLICY.baseDelayMs * 2 ** (n - 1));
      const d = backoffDelayMs(n, DEFAULT_RETRY_POLICY, rng);
      expect(d).toBeGreaterThanOrEqual(full / 2);
      expect(d).toBeLessThanOrEqual(full);
    }
  });

  it('redactUrl masks key-like path segments and key parameters only', () => {
    expect(redactUrl('https://eth-mainnet.g.alchemy.com/v2/AbCdEf0123456789xyzXYZ')).toBe('https://eth-mainnet.g.alchemy.com/v2/***');
    expect(redactUrl('https://api.binance.com/api/v3/klines?symbol=ETHUSDT&apiKey=s3cr3t')).toBe('https://api.binance.com/api/v3/klines?symbol=ETHUSDT&apiKey=***');
  });
});
