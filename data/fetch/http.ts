import type { Rng } from '../../sim/core/rng.ts';
import { AmmsimError } from '../../sim/core/errors.ts';
import { FetchError, redactUrl } from './errors.ts';

/**
 * What an HTTP client needs from the outside world. Everything time-related is injected so that tests
 * never wait in real time and runs are reproducible: `sleep` and `startTimeout` are the only ways this
 * module waits, `now` the only clock, `rng` the only randomness (backoff jitter).
 */
export interface HttpDeps {
  readonly fetch: typeof globalThis.fetch;
  /** Waits `ms` milliseconds. */
  readonly sleep: (ms: number) => Promise<void>;
  /** Unix milliseconds. Used for `Retry-After` dates, rate-limit windows and fetched-at metadata. */
  readonly now: () => number;
  /** Jitter source for backoff (fork one per fetcher). */
  readonly rng: Rng;
  /** Arms a per-attempt timeout that calls `abort` after `ms`; returns a function that disarms it. */
  readonly startTimeout: (ms: number, abort: () => void) => () => void;
}

/** The production dependencies: global fetch, real timers, the wall clock (metadata only), a seeded Rng. */
export function realHttpDeps(rng: Rng): HttpDeps {
  return {
    fetch: globalThis.fetch.bind(globalThis),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    now: () => Date.now(),
    rng,
    startTimeout: (ms, abort) => {
      const t = setTimeout(abort, ms);
      return () => clearTimeout(t);
    },
  };
}

/** Retry policy. Delays are milliseconds. */
export interface RetryPolicy {
  /** Total attempts per request, including the first (>= 1). */
  readonly maxAttempts: number;
  /** Backoff before retry n (1-based) is base·2^(n−1), capped at maxDelayMs, then jittered to [½, 1]× that. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Per-attempt timeout, covering the headers and the whole body. */
  readonly timeoutMs: number;
  /** A `Retry-After` longer than this is not waited out: the fetch fails with a "try again later" error. */
  readonly maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  timeoutMs: 30_000,
  maxRetryAfterMs: 5 * 60_000,
};

export interface HttpRequest {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** A complete response: the body has been read to the end. */
export interface HttpResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

/** Reported before each wait, so the CLI can print progress on stderr. */
export interface RetryEvent {
  readonly kind: 'retry';
  readonly url: string;
  /** The attempt that failed (1-based). */
  readonly attempt: number;
  readonly delayMs: number;
  readonly reason: string;
}

/**
 * Thrown by a response parser to ask for another attempt (a truncated or malformed body, a transient
 * JSON-RPC error). Any other error thrown by the parser ends the request at once.
 */
export class RetryableResponseError extends Error {
  readonly retryAfterMs: number | undefined;
  constructor(message: string, retryAfterMs?: number) {
    super(message);
    this.name = 'RetryableResponseError';
    this.retryAfterMs = retryAfterMs;
  }
}

/** HTTP statuses that are worth retrying: rate limits (429; Binance's 418 ban carries Retry-After) and server errors. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 418 || status === 408 || (status >= 500 && status <= 599);
}

/**
 * Parses a `Retry-After` header: delta-seconds or an HTTP-date (relative to `nowMs`). Returns milliseconds,
 * or undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const t = Date.parse(v);
  if (Number.isNaN(t)) return undefined;
  return Math.max(0, t - nowMs);
}

/** Backoff before retry number `retry` (1-based): min(max, base·2^(retry−1)) scaled by a uniform factor in [0.5, 1). */
export function backoffDelayMs(retry: number, policy: RetryPolicy, rng: Rng): number {
  const capped = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.round(capped * (0.5 + 0.5 * rng.uniform()));
}

type AttemptFailure = { reason: string; status?: number; retryAfterMs?: number; cause?: unknown };

/**
 * Sends `req`, reads the whole body, and hands it to `parse`. Retries, with exponential backoff and seeded
 * jitter, on: network errors, timeouts, bodies cut short, HTTP 408/418/429/5xx (honouring `Retry-After`
 * when it is longer than the backoff), and {@link RetryableResponseError} from `parse`. Other statuses are
 * passed to `parse`, which decides (a 4xx usually becomes a non-retryable error there).
 * Throws {@link FetchError} when attempts run out; errors from `parse` that are AmmsimErrors pass through.
 */
export async function requestWithRetry<T>(
  req: HttpRequest,
  parse: (res: HttpResponse) => T,
  deps: HttpDeps,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  onRetry?: (e: RetryEvent) => void,
): Promise<T> {
  let last: AttemptFailure | undefined;
  for (let attempt = 1; attempt <= policy.maxAttempts; attempt++) {
    const outcome = await attemptOnce(req, deps, policy);
    if ('failure' in outcome) {
      last = outcome.failure;
    } else {
      const res = outcome.response;
      if (isRetryableStatus(res.status)) {
        last = {
          reason: `HTTP ${res.status}${res.text ? `: ${snippet(res.text)}` : ''}`,
          status: res.status,
          retryAfterMs: parseRetryAfter(res.headers.get('retry-after'), deps.now()),
        };
      } else {
        try {
          return parse(res);
        } catch (err) {
          if (!(err instanceof RetryableResponseError)) throw err;
          last = { reason: err.message, status: res.status, retryAfterMs: err.retryAfterMs, cause: err };
        }
      }
    }
    if (attempt === policy.maxAttempts) break;
    if (last.retryAfterMs !== undefined && last.retryAfterMs > policy.maxRetryAfterMs) {
      throw new FetchError(
        req.url,
        `${last.reason}; the server asks to wait ${Math.ceil(last.retryAfterMs / 1000)} s (Retry-After), more than the ${Math.ceil(policy.maxRetryAfterMs / 1000)} s this run waits; run again later (completed chunks are cached)`,
        { status: last.status, retryable: true, attempts: attempt, cause: last.cause },
      );
    }
    const delayMs = Math.max(backoffDelayMs(attempt, policy, deps.rng), last.retryAfterMs ?? 0);
    onRetry?.({ kind: 'retry', url: req.url, attempt, delayMs, reason: last.reason });
    await deps.sleep(delayMs);
  }
  const failure = last ?? { reason: 'no attempt was made (maxAttempts < 1)' };
  throw new FetchError(req.url, `${failure.reason} (gave up after ${policy.maxAttempts} attempt${policy.maxAttempts === 1 ? '' : 's'}; completed chunks are cached, run again to resume)`, {
    status: failure.status,
    retryable: true,
    attempts: policy.maxAttempts,
    cause: failure.cause,
  });
}

async function attemptOnce(req: HttpRequest, deps: HttpDeps, policy: RetryPolicy): Promise<{ response: HttpResponse } | { failure: AttemptFailure }> {
  const controller = new AbortController();
  let timedOut = false;
  const disarm = deps.startTimeout(policy.timeoutMs, () => {
    timedOut = true;
    controller.abort();
  });
  try {
    const res = await deps.fetch(req.url, {
      method: req.method,
      headers: req.headers,
      body: req.body,
      signal: controller.signal,
    });
    // Reading the body is inside the timeout too: a server that stalls mid-body is a timeout.
    const text = await res.text();
    return { response: { status: res.status, headers: res.headers, text } };
  } catch (err) {
    if (err instanceof AmmsimError) throw err;
    if (timedOut) return { failure: { reason: `timed out after ${policy.timeoutMs} ms`, cause: err } };
    return { failure: { reason: `network error: ${describeNetworkError(err)}`, cause: err } };
  } finally {
    disarm();
  }
}

/** Node's fetch wraps the socket error in `cause`; show both ("fetch failed: ECONNRESET", "terminated: other side closed"). */
function describeNetworkError(err: unknown): string {
  if (!(err instanceof Error)) return redactUrlsIn(String(err));
  const cause = err.cause;
  const inner = cause instanceof Error ? ((cause as Error & { code?: string }).code ?? cause.message) : undefined;
  // the runtime's messages may quote the URL whole (key in its path or user:password@ included): masked as ours are
  return redactUrlsIn(inner !== undefined && inner !== err.message ? `${err.message}: ${inner}` : err.message);
}

/** Every http(s) URL in `text` through {@link redactUrl}. */
function redactUrlsIn(text: string): string {
  return text.replace(/https?:\/\/[^\s"'<>]+/g, (u) => redactUrl(u));
}

/** First 200 characters of a body, on one line, for error messages. */
export function snippet(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > 200 ? `${one.slice(0, 200)}…` : one;
}

/** Parses a body as JSON; a body that does not parse (typically cut short) is retryable. */
export function parseJsonBody(res: HttpResponse): unknown {
  try {
    return JSON.parse(res.text) as unknown;
  } catch {
    throw new RetryableResponseError(`HTTP ${res.status}: body is not valid JSON (truncated?): ${snippet(res.text)}`);
  }
}
