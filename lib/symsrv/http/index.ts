/**
 * The HTTP(S) symbol-store client (SymSrv's protocol over node:http/https).
 *
 * Importing this module installs `createHttpStore` as the remote store factory of
 * lib/symsrv/store.ts, so `srv*cache*https://...` elements of a search path use it.
 */
import * as path from 'path';
import { setRemoteStoreFactory, type StoreContext } from '../store';
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

export function createHttpStore(url: string, ctx: HttpStoreContext): HttpStore {
  const o: Partial<HttpStoreOptions> = { ...processDefaults, ...ctx.http };
  if (o.negativeCacheFile === undefined && ctx.homeDirectory) o.negativeCacheFile = defaultNegativeCacheFile(ctx.homeDirectory);
  return new HttpStore(url, o);
}

setRemoteStoreFactory(createHttpStore);
