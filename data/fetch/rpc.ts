import { FetchError, RpcError } from './errors.ts';
import { DEFAULT_RETRY_POLICY, parseJsonBody, requestWithRetry, RetryableResponseError, snippet, type HttpDeps, type HttpResponse, type RetryEvent, type RetryPolicy } from './http.ts';

/**
 * A minimal Ethereum JSON-RPC 2.0 client over {@link requestWithRetry}: single calls and batches, with
 * JSON-RPC error objects sorted into three kinds (see {@link classifyRpcError}).
 */

/** How a JSON-RPC error should be handled. */
export type RpcErrorKind = 'range-too-large' | 'transient' | 'fatal';

/** An `eth_getLogs` range the node refuses as too large (too many results, response too big, range too wide). */
export class RpcRangeTooLargeError extends RpcError {
  constructor(url: string, method: string, code: number, message: string) {
    super(url, method, code, message);
    this.name = 'RpcRangeTooLargeError';
  }
}

const RATE_LIMIT = /rate.?limit|too many requests|request rate|requests per second|daily request count|exceeded .*(quota|capacity|credits|compute units)|throughput|capacity exceeded/i;
const RANGE_TOO_LARGE =
  /more than \d+ results|too many (results|logs)|response size|log response size|block range|range (is )?too (large|wide|big)|range limit|limit exceeded|max(imum)? (number of )?(results|logs)|result set too large|query timeout|exceeds? the (max|limit)/i;
const TRANSIENT = /header not found|unknown block|not (yet )?synced|timeout|timed out|busy|try again|temporar|unavailable|internal error|overloaded/i;

/**
 * Classifies a JSON-RPC error. Rate limits (HTTP-style code 429, -32029, -32090, or a message saying so)
 * are transient; for `eth_getLogs`, -32005 and the providers' "too many results" / "block range" messages
 * mean the range must shrink (Infura: "query returned more than 10000 results", Alchemy: "Log response
 * size exceeded", others: "block range is too wide"); node hiccups (-32603, "header not found") are
 * transient; the rest (bad params, reverts) is fatal.
 */
export function classifyRpcError(method: string, code: number, message: string): RpcErrorKind {
  if (code === 429 || code === -32029 || code === -32090 || RATE_LIMIT.test(message)) return 'transient';
  if (method === 'eth_getLogs' && (code === -32005 || RANGE_TOO_LARGE.test(message))) return 'range-too-large';
  if (code === -32005) return 'transient';
  if (code === -32603 || ((code === -32000 || code === -32001 || code === -32002) && TRANSIENT.test(message))) return 'transient';
  return 'fatal';
}

export interface RpcCall {
  readonly method: string;
  readonly params: readonly unknown[];
}

export class JsonRpcClient {
  readonly url: string;
  /** HTTP requests made (each attempt counts). */
  requests = 0;
  private nextId = 1;
  private readonly deps: HttpDeps;
  private readonly policy: RetryPolicy;
  private readonly onRetry: ((e: RetryEvent) => void) | undefined;

  constructor(url: string, deps: HttpDeps, policy: RetryPolicy = DEFAULT_RETRY_POLICY, onRetry?: (e: RetryEvent) => void) {
    this.url = url;
    this.policy = policy;
    this.onRetry = onRetry;
    this.deps = {
      ...deps,
      fetch: (input, init) => {
        this.requests++;
        return deps.fetch(input, init);
      },
    };
  }

  /**
   * One call; returns `result` passed through `transform` (which may throw RetryableResponseError for a
   * malformed result, to have it fetched again). Throws RpcRangeTooLargeError, RpcError (fatal) or
   * FetchError (retries exhausted).
   */
  async call<T = unknown>(method: string, params: readonly unknown[], transform?: (result: unknown) => T): Promise<T> {
    const [result] = await this.batch([{ method, params }], transform === undefined ? undefined : (rs) => [transform(rs[0])]);
    return result as T;
  }

  /**
   * Several calls in one HTTP request (a JSON-RPC batch; a single call is sent unbatched). Results come
   * back in call order. A missing or transient per-call error retries the whole batch.
   */
  async batch<T = unknown>(calls: readonly RpcCall[], transform?: (results: unknown[]) => T[]): Promise<T[]> {
    if (calls.length === 0) return [];
    const ids = calls.map(() => this.nextId++);
    const payload = calls.map((c, i) => ({ jsonrpc: '2.0', id: ids[i], method: c.method, params: c.params }));
    const body = JSON.stringify(calls.length === 1 ? payload[0] : payload);
    return requestWithRetry(
      { method: 'POST', url: this.url, headers: { 'content-type': 'application/json', accept: 'application/json' }, body },
      (res) => {
        const results = this.parse(res, calls, ids);
        return transform === undefined ? (results as T[]) : transform(results);
      },
      this.deps,
      this.policy,
      this.onRetry,
    );
  }

  private parse(res: HttpResponse, calls: readonly RpcCall[], ids: readonly number[]): unknown[] {
    if (res.status < 200 || res.status > 299) {
      throw new FetchError(this.url, `HTTP ${res.status}: ${snippet(res.text)}`, { status: res.status });
    }
    const body = parseJsonBody(res);
    const replies = Array.isArray(body) ? body : [body];
    const byId = new Map<unknown, Record<string, unknown>>();
    for (const r of replies) if (typeof r === 'object' && r !== null) byId.set((r as Record<string, unknown>).id, r as Record<string, unknown>);
    // A batch-level error (e.g. the node refuses batches or rate-limits the whole request) has id null.
    const lone = replies.length === 1 && calls.length > 1 ? (replies[0] as Record<string, unknown> | undefined) : undefined;
    return calls.map((c, i) => {
      const r = byId.get(ids[i]) ?? lone;
      if (r === undefined) throw new RetryableResponseError(`${c.method}: no reply for request id ${ids[i]} in ${snippet(res.text)}`);
      const err = r.error as { code?: unknown; message?: unknown } | undefined;
      if (err !== undefined && err !== null) {
        const code = typeof err.code === 'number' ? err.code : 0;
        const message = typeof err.message === 'string' ? err.message : JSON.stringify(err);
        const kind = classifyRpcError(c.method, code, message);
        if (kind === 'transient') throw new RetryableResponseError(`${c.method}: JSON-RPC error ${code}: ${message}`);
        if (kind === 'range-too-large') throw new RpcRangeTooLargeError(this.url, c.method, code, message);
        throw new RpcError(this.url, c.method, code, message);
      }
      if (!('result' in r)) throw new RetryableResponseError(`${c.method}: reply has neither result nor error: ${snippet(JSON.stringify(r))}`);
      return r.result;
    });
  }
}
