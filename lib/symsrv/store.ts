/**
 * What a symbol store is to the search: a place that, asked for one file by name and key,
 * answers where the file is, hands over its bytes, points elsewhere (file.ptr) or says no.
 *
 * Two implementations: `LocalStore` (lib/symsrv/local-store.ts: a directory or UNC share, the
 * symstore layout, one- or two-tier) and the HTTP store (lib/symsrv/http/: SymSrv's HTTP
 * protocol). The search (lib/symsrv/search.ts) and the downstream-store writer
 * (lib/symsrv/cache.ts) are the same for both:
 *
 * - the search asks each store in path order; `not-found` moves on, `unavailable` logs why and
 *   moves on (DbgHelp never fails a load because one store is down), ABORTED propagates;
 * - when the file must land in a downstream store (a `cache*` element, a `srv*A*B*` chain, or
 *   any compressed or remote file), the writer creates `copyTo`, a fresh temporary file next
 *   to the final place, and passes it to `fetch`; the source writes the bytes there and nothing
 *   else; the writer then expands a CAB (`form: 'compressed'`), checks the result against the
 *   key (PDB GUID/age, PE TimeDateStamp/SizeOfImage) and renames it into place. So a source
 *   never validates, never renames and never leaves a partial file where a reader could find
 *   it; the writer also holds the in-process de-duplication and the cross-process lock.
 * - a local store asked without `copyTo` answers where the file lies (`path`), and nothing is
 *   copied: DbgHelp opens files in a plain `srv*\\server\share` store in place.
 */
import type { SymbolServerOptions } from '../api/types';

/** Which file is wanted: `ntdll.pdb` under key `0F7F...2` (lib/symsrv/keys.ts). */
export interface StoreRequest {
  /** The file's name as stored (`ntdll.pdb`, `ntdll.dll`); never a path. */
  readonly fileName: string;
  /** The key directory (`pdbKey`, `imageKey`). */
  readonly key: string;
}

export interface FetchProgress {
  /** Bytes written to `copyTo` so far. */
  readonly bytes: number;
  /** Total bytes when the source knows them (Content-Length, file size). */
  readonly total?: number;
  /** Where the bytes come from (a path or URL), for progress displays. */
  readonly from: string;
}

export interface FetchOptions {
  /**
   * A temporary file (in the destination directory, not yet existing) to write the stored bytes
   * into: the file itself or the compressed `name.pd_` as it is, whichever was found. Absent:
   * only say where the file lies (local stores); a remote store then answers `unavailable`.
   */
  readonly copyTo?: string;
  readonly signal?: AbortSignal;
  onProgress?(p: FetchProgress): void;
  /** A verbose line (SYMSRV:  ...), already gated on SYMOPT_DEBUG by the caller. */
  debug?(line: string): void;
  /** SYMOPT_* in effect (FAVOR_COMPRESSED changes the probe order). */
  readonly options?: number;
}

export type FetchOutcome =
  /**
   * Found. `path` is where the bytes are now: `copyTo` when it was given, else the file in the
   * store. `form` says whether they are the file itself or a CAB holding it (`name.pd_`).
   * `from` is the location it was found at (path or URL), for the log.
   */
  | { readonly status: 'found'; readonly form: 'file' | 'compressed'; readonly path: string; readonly bytes: number; readonly from: string }
  /** Not in this store; `tried` is the location of the uncompressed file (for "... not found"). */
  | { readonly status: 'not-found'; readonly tried: string }
  /** The key directory holds a file.ptr `PATH:` line: the file is at `target` (a path or URL). */
  | { readonly status: 'pointer'; readonly target: string; readonly from: string }
  /** The key directory holds a file.ptr `MSG:` line: the file is not available, and why. */
  | { readonly status: 'message'; readonly message: string; readonly from: string }
  /** The store could not be asked (timeout, HTTP 5xx, host breaker open...): logged, then the next store is tried. */
  | { readonly status: 'unavailable'; readonly reason: string; readonly tried: string };

export interface StoreSource {
  /** The store as written in the search path (`c:\myCache`, `https://msdl.microsoft.com/download/symbols`). */
  describe(): string;
  /** True for stores whose files can be opened where they lie (directories, shares). */
  readonly local: boolean;
  /**
   * Looks for the file (`name/key/name`, then `name/key/name.pd_`, then `name/key/file.ptr`;
   * FAVOR_COMPRESSED puts the compressed form first). Rejects only with DbgHelpError: ABORTED
   * when `signal` fires, IO_ERROR when a local read fails midway; everything else is an outcome.
   */
  fetch(req: StoreRequest, opts: FetchOptions): Promise<FetchOutcome>;
}

/** What a store needs from the handler that made it. */
export interface StoreContext {
  /** SymGetHomeDirectory: remote stores may keep their state (negative cache) under it. */
  readonly homeDirectory: string;
  /** The handler's symbol-server settings (InitializeOptions.symbolServer). */
  readonly symbolServer?: SymbolServerOptions;
}

/**
 * Makes the source for an `http://` or `https://` store element. The search is handed one
 * (SearchEnv.remoteStore); without one it uses lib/symsrv/remote-store.ts's HTTP store.
 */
export type RemoteStoreFactory = (url: string, ctx: StoreContext) => StoreSource;

/** `ntdll.pdb` → `ntdll.pd_`: the name symstore gives a compressed file. */
export function compressedName(fileName: string): string {
  return fileName.length > 1 ? fileName.slice(0, -1) + '_' : fileName + '_';
}

/** The store-relative paths of a request, `/`-separated (URLs use them as they are). */
export function storePaths(req: StoreRequest, key = req.key): { file: string; compressed: string; pointer: string } {
  const dir = `${req.fileName}/${key}`;
  return { file: `${dir}/${req.fileName}`, compressed: `${dir}/${compressedName(req.fileName)}`, pointer: `${dir}/file.ptr` };
}

/**
 * A file.ptr's meaning: `PATH:<location>` or `MSG:<text>` (symstore /p). Lines are trimmed;
 * the first recognised line wins; anything else is `undefined` (treated as not found).
 */
export function parseFilePtr(text: string): { kind: 'path'; target: string } | { kind: 'message'; message: string } | undefined {
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/^\uFEFF/, '').trim();
    const m = /^(PATH|MSG):(.*)$/i.exec(line);
    if (!m) continue;
    const rest = m[2].trim();
    if (m[1].toUpperCase() === 'PATH') {
      if (rest) return { kind: 'path', target: rest };
    } else {
      return { kind: 'message', message: rest };
    }
  }
  return undefined;
}
