import { AmmsimError } from '../../sim/core/errors.ts';

/**
 * A network fetch that failed for good: after the retry policy gave up, or at once when retrying cannot help
 * (HTTP 4xx other than 429/418, a JSON-RPC error that is not transient). `retryable` says whether the
 * last failure was of a transient kind (then a later re-run may succeed and resumes from the cache).
 */
export class FetchError extends AmmsimError {
  /** The request URL with anything that looks like an API key masked (see {@link redactUrl}). */
  readonly url: string;
  /** HTTP status of the last response, when there was one. */
  readonly status: number | undefined;
  readonly retryable: boolean;
  /** Attempts made, including the first. */
  readonly attempts: number;
  constructor(
    url: string,
    problem: string,
    options: { status?: number; retryable?: boolean; attempts?: number; details?: readonly string[]; cause?: unknown } = {},
  ) {
    const safe = redactUrl(url);
    super('FETCH', `${safe}: ${problem}`, { details: options.details ?? [], cause: options.cause });
    this.name = 'FetchError';
    this.url = safe;
    this.status = options.status;
    this.retryable = options.retryable ?? false;
    this.attempts = options.attempts ?? 1;
  }
}

/**
 * A JSON-RPC error object returned by the node (`{"error": {"code", "message"}}`), kept with its code so the
 * caller can decide (e.g. halve an `eth_getLogs` block range on -32005).
 */
export class RpcError extends FetchError {
  readonly rpcCode: number;
  readonly rpcMessage: string;
  readonly method: string;
  constructor(url: string, method: string, rpcCode: number, rpcMessage: string, options: { retryable?: boolean; attempts?: number } = {}) {
    super(url, `${method}: JSON-RPC error ${rpcCode}: ${rpcMessage}`, options);
    this.name = 'RpcError';
    this.rpcCode = rpcCode;
    this.rpcMessage = rpcMessage;
    this.method = method;
  }
}

/**
 * Masks what commonly carries a secret in an RPC or API URL: path segments of 16+ key-like characters
 * (Alchemy/Infura put the key there), userinfo, and query parameters named like a key or token.
 * Leaves ordinary query parameters (symbol, interval, times) readable.
 */
export function redactUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url;
  }
  if (u.username || u.password) {
    u.username = '***';
    u.password = '';
  }
  u.pathname = u.pathname
    .split('/')
    .map((seg) => (/^[A-Za-z0-9_-]{16,}$/.test(seg) ? '***' : seg))
    .join('/');
  for (const name of [...u.searchParams.keys()]) {
    if (/key|token|secret|signature|auth/i.test(name)) u.searchParams.set(name, '***');
  }
  return u.toString().replace(/%2A%2A%2A/g, '***');
}
