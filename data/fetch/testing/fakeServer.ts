import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { HttpDeps } from '../http.ts';
import { Rng } from '../../../sim/core/rng.ts';

/**
 * Test helper: a local HTTP server on 127.0.0.1 (ephemeral port) that serves scripted responses. It is
 * bounded: it answers at most `maxRequests` requests (later ones get a 599 and the server closes), and it
 * closes itself after `lifetimeMs` even if a test forgets to. It never talks to any other address.
 */

/** What the server does with one request. */
export type FakeReply =
  | { readonly kind: 'json'; readonly status?: number; readonly headers?: Readonly<Record<string, string>>; readonly body: unknown }
  | { readonly kind: 'text'; readonly status?: number; readonly headers?: Readonly<Record<string, string>>; readonly body: string }
  /** Sends headers with a Content-Length larger than what follows, then cuts the connection mid-body. */
  | { readonly kind: 'truncate'; readonly body: string; readonly keepBytes: number }
  /** Accepts the request and never answers (until the client aborts or the server closes). */
  | { readonly kind: 'hang' }
  /** Destroys the socket without any response. */
  | { readonly kind: 'reset' };

export interface FakeRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly body: string;
  /** The body parsed as JSON, or undefined. */
  readonly json: unknown;
}

export interface FakeServer {
  readonly url: string;
  readonly requests: FakeRequest[];
  /** Called whenever a 'hang' reply starts; tests use it to fire their injected timeout. */
  onHang: () => void;
  close(): Promise<void>;
}

export async function startFakeServer(
  handler: (req: FakeRequest, index: number) => FakeReply,
  options: { maxRequests?: number; lifetimeMs?: number } = {},
): Promise<FakeServer> {
  const maxRequests = options.maxRequests ?? 200;
  const sockets = new Set<Socket>();
  const requests: FakeRequest[] = [];
  let closed = false;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => respond(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const self: FakeServer = {
    url: '',
    requests,
    onHang: () => {},
    close: () => {
      if (closed) return Promise.resolve();
      closed = true;
      clearTimeout(lifetime);
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const lifetime = setTimeout(() => void self.close(), options.lifetimeMs ?? 20_000);
  lifetime.unref();

  function respond(req: IncomingMessage, res: ServerResponse, body: string): void {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    let json: unknown;
    try {
      json = body ? JSON.parse(body) : undefined;
    } catch {
      json = undefined;
    }
    const fr: FakeRequest = { method: req.method ?? 'GET', path: u.pathname, query: u.searchParams, body, json };
    const index = requests.length;
    requests.push(fr);
    if (index >= maxRequests) {
      res.writeHead(599, { 'content-type': 'text/plain' }).end('fake server: request budget exhausted');
      void self.close();
      return;
    }
    const reply = handler(fr, index);
    switch (reply.kind) {
      case 'json':
      case 'text': {
        const text = reply.kind === 'json' ? JSON.stringify(reply.body) : reply.body;
        res.writeHead(reply.status ?? 200, {
          'content-type': reply.kind === 'json' ? 'application/json' : 'text/plain',
          'content-length': String(Buffer.byteLength(text)),
          ...reply.headers,
        });
        res.end(text);
        return;
      }
      case 'truncate': {
        const bytes = Buffer.from(reply.body, 'utf8');
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(bytes.length) });
        res.write(bytes.subarray(0, reply.keepBytes), () => res.socket?.destroy());
        return;
      }
      case 'hang':
        setImmediate(() => self.onHang());
        return;
      case 'reset':
        req.socket.destroy();
        return;
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const addr = server.address();
  if (addr === null || typeof addr === 'string') throw new Error('fake server: no address');
  (self as { url: string }).url = `http://127.0.0.1:${addr.port}`;
  return self;
}

/**
 * HttpDeps for tests: real fetch to the fake server, a fixed clock, a recording no-wait sleep, and a timeout
 * that fires when the fake server reports a hanging request (so a timeout test never waits in real time).
 */
export function testHttpDeps(server: FakeServer | undefined, nowMs = Date.UTC(2024, 5, 1)): HttpDeps & { sleeps: number[]; clock: { ms: number } } {
  const sleeps: number[] = [];
  const clock = { ms: nowMs };
  const armed = new Set<() => void>();
  if (server) {
    server.onHang = () => {
      for (const abort of [...armed]) abort();
    };
  }
  return {
    fetch: globalThis.fetch.bind(globalThis),
    sleep: (ms) => {
      sleeps.push(ms);
      clock.ms += ms;
      return Promise.resolve();
    },
    now: () => clock.ms,
    rng: new Rng(7),
    startTimeout: (_ms, abort) => {
      armed.add(abort);
      return () => armed.delete(abort);
    },
    sleeps,
    clock,
  };
}

/**
 * Test scope for fetcher tests: servers started through `start` are closed, and folders made by `tmp()` are
 * removed, after each test (registers a vitest `afterEach`).
 */
export function fakeServerScope(tmpPrefix: string): { start: typeof startFakeServer; tmp: () => string } {
  const servers: FakeServer[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  return {
    start: async (handler, options) => {
      const s = await startFakeServer(handler, options);
      servers.push(s);
      return s;
    },
    tmp: () => {
      const d = mkdtempSync(join(tmpdir(), tmpPrefix));
      dirs.push(d);
      return d;
    },
  };
}
