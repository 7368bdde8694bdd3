/**
 * The HTTP symbol store, as the factory a search is handed by default. lib/symsrv/http/ is loaded
 * on the first `http(s)://` element a search meets, not before: it costs ~45 ms of module
 * loading that a lookup without a symbol server should not pay (bench/README.md, cold lookup).
 * Nothing registers itself anywhere: the factory is a value passed to the search.
 */
import type { RemoteStoreFactory } from './store';

let httpFactory: RemoteStoreFactory | undefined;

export function httpStoreFactory(): RemoteStoreFactory {
  httpFactory ??= (require('./http') as typeof import('./http')).createHttpStore;
  return httpFactory;
}
