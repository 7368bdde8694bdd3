/**
 * The knobs of the HTTP symbol-store client, with their defaults and why.
 */
import type { Duplex } from 'stream';
import type { BreakerBoard } from './breaker';

export interface HttpStoreOptions {
  /** TCP connect (and TLS handshake) must finish within this. Default 10 s. */
  connectTimeoutMs: number;
  /** No byte for this long (waiting for headers, or inside a body) is a stall. Default 30 s. */
  idleTimeoutMs: number;
  /** One file's fetch, all attempts and redirects included, ends by then. Default 30 min. */
  totalTimeoutMs: number;
  /** Extra attempts after a retryable failure (reset, timeout, truncated body, 5xx, 429). Default 2. */
  retries: number;
  /** First pause before a retry; doubles each time, with jitter. Default 250 ms. */
  retryBaseMs: number;
  /** Longest pause before a retry (also caps a server's Retry-After). Default 4 s. */
  retryMaxMs: number;
  /** Redirects followed per request. Default 5. https → http is always refused. */
  maxRedirects: number;
  /** Largest file accepted (Content-Length or counted bytes). Default 16 GiB. */
  maxBytes: number;
  /** Failures in a row that open a host's breaker. Default 5. */
  breakerThreshold: number;
  /** How long an open breaker skips its host. Default 60 s. */
  breakerCooldownMs: number;
  /** How long a 404 is remembered. Default 1 hour; 0 disables the negative cache. */
  missTtlMs: number;
  /** The negative cache file; undefined: none (the factory puts it under the home directory). */
  negativeCacheFile: string | undefined;
  /**
   * A file.ptr served over HTTP may point at a local or UNC path (`PATH:\\server\share\x.pdb`).
   * Following it would let a web server make us read local files, so it is refused unless this
   * is true. (A file.ptr in a local or UNC store is always followed, as DbgHelp does.)
   */
  allowHttpFilePtrToLocal: boolean;
  /** Ask for `index2.txt` once per store to detect a two-tier layout, as symsrv does. Default true. */
  probeIndex2: boolean;
  /** Sent as User-Agent. */
  userAgent: string;
  /** Extra request headers (an Authorization header for a private server...). */
  headers: Record<string, string>;
  /**
   * The proxy to reach servers through: a URL (`http://proxy:3128`), `false` for none, or
   * undefined to follow the environment (`_NT_SYMBOL_PROXY`, then `HTTPS_PROXY`/`HTTP_PROXY`
   * with `NO_PROXY`: lib/symsrv/http/proxy.ts).
   */
  proxy: string | false | undefined;
  /** Clock of the negative cache and the breakers (tests); timeouts use the real clock. */
  now: () => number;
  /** Breakers to use; default the process-wide board. */
  breakers: BreakerBoard | undefined;
  /** Test seam: how connections are made (see http.request's createConnection). */
  createConnection: ((opts: object) => Duplex) | undefined;
}

export const DEFAULT_HTTP_OPTIONS: Readonly<HttpStoreOptions> = Object.freeze({
  connectTimeoutMs: 10_000,
  idleTimeoutMs: 30_000,
  totalTimeoutMs: 30 * 60_000,
  retries: 2,
  retryBaseMs: 250,
  retryMaxMs: 4_000,
  maxRedirects: 5,
  maxBytes: 16 * 1024 ** 3,
  breakerThreshold: 5,
  breakerCooldownMs: 60_000,
  missTtlMs: 60 * 60_000,
  negativeCacheFile: undefined,
  allowHttpFilePtrToLocal: false,
  probeIndex2: true,
  userAgent: 'Microsoft-Symbol-Server/10.0.0.0 (dbghelp for Node.js)',
  headers: {},
  proxy: undefined,
  now: Date.now,
  breakers: undefined,
  createConnection: undefined,
});

export function resolveOptions(o: Partial<HttpStoreOptions> | undefined): HttpStoreOptions {
  const r: HttpStoreOptions = { ...DEFAULT_HTTP_OPTIONS, ...stripUndefined(o ?? {}) };
  for (const k of [
    'connectTimeoutMs',
    'idleTimeoutMs',
    'totalTimeoutMs',
    'retries',
    'retryBaseMs',
    'retryMaxMs',
    'maxRedirects',
    'maxBytes',
    'breakerThreshold',
    'breakerCooldownMs',
    'missTtlMs',
  ] as const) {
    const v = r[k];
    if (typeof v !== 'number' || Number.isNaN(v) || v < 0) throw new TypeError(`HTTP store option ${k} must be a number >= 0 (got ${String(v)})`);
  }
  return r;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
