/**
 * The HTTP(S) symbol-store client (SymSrv's protocol over node:http/https).
 *
 * `createHttpStore` is the RemoteStoreFactory a search uses for `srv*cache*https://...` elements
 * (handed to it by lib/symsrv/remote-store.ts; importing this module registers nothing).
 */
import * as path from 'path';
import type { SymbolServerOptions } from '../../api/types';
import type { StoreContext } from '../store';
import { HttpStore } from './http-store';
import type { HttpStoreOptions } from './options';

export { HttpStore, unsafeComponent } from './http-store';
export { DEFAULT_HTTP_OPTIONS, type HttpStoreOptions } from './options';
export { BreakerBoard, breakers } from './breaker';
export { NegativeCache, negativeCacheFor } from './negative-cache';
export { withFileLock, pidAlive, type LockOptions, type LockOutcome } from './file-lock';
export { once as inFlightOnce } from './in-flight';
export { closeSharedAgents } from './agents';
export { ProgressBar, renderProgressBar } from './progress-bar';
export { statusHresult, internetHresult, resultLine } from './wininet';

/** A StoreContext that may carry HTTP options (timeouts, allowHttpFilePtrToLocal...). */
export interface HttpStoreContext extends StoreContext {
  readonly http?: Partial<HttpStoreOptions>;
}

/** Where the negative cache lives by default: in the default downstream store, `<home>/sym`. */
export function defaultNegativeCacheFile(homeDirectory: string): string {
  return path.join(homeDirectory, 'sym', '.dbghelp', 'misses.jsonl');
}

let processDefaults: Partial<HttpStoreOptions> = {};

/**
 * Options every HTTP store made from a search path starts from, for the process (timeouts,
 * retries, allowHttpFilePtrToLocal...); a context's own `http` options go on top. Returns the
 * previous defaults. Call with `{}` to go back to DEFAULT_HTTP_OPTIONS.
 */
export function setHttpStoreDefaults(o: Partial<HttpStoreOptions>): Partial<HttpStoreOptions> {
  const prev = processDefaults;
  processDefaults = { ...o };
  return prev;
}

/** A handler's SymbolServerOptions as HTTP store options (only the fields it sets). */
export function fromSymbolServerOptions(s: SymbolServerOptions | undefined): Partial<HttpStoreOptions> {
  if (!s) return {};
  const o: Partial<HttpStoreOptions> = {};
  if (s.headers) o.headers = { ...s.headers };
  if (s.connectTimeoutMs !== undefined) o.connectTimeoutMs = s.connectTimeoutMs;
  if (s.idleTimeoutMs !== undefined) o.idleTimeoutMs = s.idleTimeoutMs;
  if (s.totalTimeoutMs !== undefined) o.totalTimeoutMs = s.totalTimeoutMs;
  if (s.retries !== undefined) o.retries = s.retries;
  if (s.missCacheTtlMs !== undefined) o.missTtlMs = s.missCacheTtlMs;
  if (s.proxy !== undefined) o.proxy = s.proxy;
  if (s.allowHttpFilePtrToLocal !== undefined) o.allowHttpFilePtrToLocal = s.allowHttpFilePtrToLocal;
  if (s.userAgent !== undefined) o.userAgent = s.userAgent;
  return o;
}

/** The process defaults, then the handler's settings, then the context's own `http` options. */
export function createHttpStore(url: string, ctx: HttpStoreContext): HttpStore {
  const o: Partial<HttpStoreOptions> = { ...processDefaults, ...fromSymbolServerOptions(ctx.symbolServer), ...ctx.http };
  if (o.negativeCacheFile === undefined && ctx.homeDirectory) o.negativeCacheFile = defaultNegativeCacheFile(ctx.homeDirectory);
  return new HttpStore(url, o);
}
