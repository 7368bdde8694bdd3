/**
 * The symbol search: one file (a PDB, an image, a .dbg) by name and identity, through the
 * search path, as DbgHelp and SymSrv look for it, with DbgHelp's verbose lines.
 *
 * Order:
 * 1. `first` (the PDB path in the image's CodeView record, unless SYMOPT_IGNORE_CVREC);
 * 2. each element of the path, left to right:
 *    - a directory D: D\name, D\<ext>\name, D\symbols\<ext>\name (ext = the image's extension);
 *      a directory with pingme.txt at its root is searched as `srv*D` (unless
 *      SYMOPT_DISABLE_SYMSRV_AUTODETECT);
 *    - `cache*C`: C as a store; from then on anything found further right is copied into C;
 *    - `srv*A*B*...*S`: A, B, ... S as stores, in order; a file found in one is copied into every
 *      store to its left (and into the `cache*` stores before the element), and opened from the
 *      leftmost copy;
 * 3. the module's directory (unless SYMOPT_IGNORE_IMAGEDIR).
 * Every candidate is checked against the identity (lib/symsrv/identify.ts) unless
 * SYMOPT_LOAD_ANYTHING; a mismatch is logged and the search goes on.
 *
 * Log lines (DbgHelp's wording, from the Symbol Paths page's example and from Microsoft's
 * symsrv.dll 10.0.19041.685 asked under Wine, ../shared/docs/DBGHELP-NOTES.md):
 *   DBGHELP: .\dll\ntdll.pdb - file not found
 *   DBGHELP: C:\build\ntdll.pdb - mismatched pdb
 *   SYMSRV:  UNC: c:\myCache\ntdll.pdb\<key>\ntdll.pdb - path not found   (a local store's miss:
 *   SYMSRV:  UNC: c:\myCache\ntdll.pdb\<key>\ntdll.pd_ - path not found    the file, the compressed
 *   SYMSRV:  UNC: c:\myCache\ntdll.pdb\<key>\file.ptr - path not found     file, the pointer; `file
 *                                                    not found` when the key directory exists)
 *   SYMSRV:  ntdll.pdb from \\symbols\symbols: 10497024 bytes - copied
 *   DBGHELP: c:\myCache\ntdll.pdb\<key>\ntdll.pdb already cached
 * and, where DbgHelp's wording is not documented, lines in the same style:
 *   SYMSRV:  <key dir>\file.ptr: PATH: <target>          (a pointer followed)
 *   SYMSRV:  <key dir>\file.ptr: MSG: <text>             (a pointer that only says why not)
 *   SYMSRV:  <location> - <reason>                       (a store that could not be asked)
 *
 * Over 400 lines on purpose: the order of the search (path elements, stores, caches, the
 * verbose lines at each step) is one procedure, as DbgHelp's and SymSrv's logs show it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { SymOpt } from '../api/constants';
import { DbgHelpError } from '../api/errors';
import type { EnsureResult, ProduceResult } from './cache';
import { checkFile, type FileIdentity } from './identify';
import type { PdbFile } from '../formats/pdb/pdb-file';
import { imageKey, nb10Key, pdbKey } from './keys';
import { copyWithProgress, isFile, LocalStore, PINGME_FILE } from './local-store';
import { hostPath, isForeignWindowsPath, joinHost } from './paths';
import type { SymbolServerOptions } from '../api/types';
import { httpStoreFactory } from './remote-store';
import type { RemoteStoreFactory } from './store';
import { storePaths, type FetchProgress, type StoreRequest, type StoreSource } from './store';
import { uncMissLines } from './symsrv-log';
import { parseSymbolPath, type StoreLocation } from './symbol-path';

// Required on first use, not at start-up: the HTTP(S) store (which installs itself as the
// remote store factory when loaded) for the first URL element, the cabinet reader for the first
// .pd_, the downstream-store writer (crypto, locks) for the first copy. A search of local
// directories loads none of them (bench/README.md, cold lookup).
const expandCab: typeof import('./expand').expandCab = (...a) => (require('./expand') as typeof import('./expand')).expandCab(...a);
const ensureFile: typeof import('./cache').ensureFile = (...a) => (require('./cache') as typeof import('./cache')).ensureFile(...a);

export interface SearchRequest {
  /** The file's name (`ntdll.pdb`). */
  fileName: string;
  identity: FileIdentity;
  /** The image's extension (dll, exe, sys) for D\<ext> and D\symbols\<ext>; absent: D only. */
  subdir?: string;
  /** Paths tried before the search path, as written (the CodeView record's PDB path). */
  first?: string[];
  /** The module's directory, tried after the search path. */
  imageDir?: string;
  /** The word in "- mismatched <word>" (DbgHelp: pdb, dbg, image). */
  mismatchWord?: string;
  /** Told about every candidate that exists but does not match. */
  onMismatch?(file: string, reason: string): void;
  /**
   * Handed the open PdbFile of a candidate PDB that matched (its identity checked by opening
   * it): the receiver owns it, and a load uses it instead of opening the file again.
   */
  keepPdb?(file: string, pdb: PdbFile): void;
  /** Told about every place looked at that did not have the file (a path, a store URL). */
  onNotFound?(where: string): void;
  /** Told about every store that could not answer (`server` as in the path; `reason` as logged). */
  onUnavailable?(server: string, reason: string, tried: string): void;
}

export interface SearchEnv {
  /** SYMOPT_* in effect. */
  options: number;
  /** SymGetHomeDirectory: the default downstream store is `<home>/sym`. */
  homeDirectory: string;
  debug(line: string): void;
  signal?: AbortSignal;
  onProgress?(p: FetchProgress): void;
  /** The handler's symbol-server settings (headers, timeouts, proxy, miss cache). */
  symbolServer?: SymbolServerOptions;
  /** Makes the store of an `http(s)://` element; default the HTTP store (lib/symsrv/remote-store.ts). */
  remoteStore?: RemoteStoreFactory;
}

/** The store key of an identity, or undefined when only the name is known. */
export function storeKey(id: FileIdentity): string | undefined {
  switch (id.kind) {
    case 'pdb70':
      return pdbKey(id.guid, id.age);
    case 'pdb20':
      return nb10Key(id.signature, id.age);
    case 'image':
    case 'dbg':
      return imageKey(id.timeDateStamp, id.sizeOfImage);
    case 'any':
      return undefined;
  }
}

/** The default downstream store: `<home>/sym` (SymSetHomeDirectory). */
export function defaultDownstreamStore(homeDirectory: string): string {
  return joinHost(homeDirectory, 'sym');
}

/** Finds the file; its path (as a path on this host), or undefined. */
export async function searchFile(searchPath: string, req: SearchRequest, env: SearchEnv): Promise<string | undefined> {
  return new Search(req, env).run(searchPath);
}

class Search {
  private readonly tried = new Set<string>();
  /** `cache*` stores met so far, left to right. */
  private readonly caches: LocalStore[] = [];
  private readonly key: string | undefined;
  private readonly storeReq: StoreRequest | undefined;

  constructor(
    private readonly req: SearchRequest,
    private readonly env: SearchEnv,
  ) {
    this.key = storeKey(req.identity);
    this.storeReq = this.key === undefined ? undefined : { fileName: req.fileName, key: this.key };
  }

  private get options(): number {
    return this.env.options;
  }

  async run(searchPath: string): Promise<string | undefined> {
    for (const f of this.req.first ?? []) {
      const hit = this.tryFile(f);
      if (hit) return hit;
    }
    for (const el of parseSymbolPath(searchPath)) {
      this.abortCheck();
      let hit: string | undefined;
      switch (el.kind) {
        case 'dir':
          hit = await this.searchDir(el.path);
          break;
        case 'cache': {
          const store = this.localStore(el.store);
          if (this.storeReq) hit = await this.searchStores([store], true);
          this.caches.push(store);
          break;
        }
        case 'chain':
          if (this.storeReq)
            hit = await this.searchStores(
              el.stores.map((s) => this.source(s)),
              false,
            );
          break;
        case 'unsupported':
          this.env.debug(`DBGHELP: ${el.text} - ${el.reason}`);
          break;
      }
      if (hit) return hit;
    }
    if (this.req.imageDir !== undefined && !(this.options & SymOpt.IGNORE_IMAGEDIR)) {
      const hit = this.tryFile(joinHost(this.req.imageDir, this.req.fileName));
      if (hit) return hit;
    }
    return undefined;
  }

  private abortCheck(): void {
    const s = this.env.signal;
    if (s?.aborted) throw new DbgHelpError('ABORTED', `the search for ${this.req.fileName} was cancelled`, { cause: s.reason });
  }

  /** Checks a candidate against the identity; logs and reports a mismatch. */
  private matches(file: string, shown: string): boolean {
    if (this.options & SymOpt.LOAD_ANYTHING) return true;
    const keep = this.req.keepPdb;
    const why = checkFile(file, this.req.identity, keep && ((pdb) => keep(file, pdb)));
    if (why === undefined) return true;
    this.env.debug(`DBGHELP: ${shown} - mismatched ${this.req.mismatchWord ?? 'pdb'}`);
    this.req.onMismatch?.(file, why);
    return false;
  }

  /** One path in a directory (or the CodeView path): the file if it is there and matches. */
  private tryFile(shown: string): string | undefined {
    this.abortCheck();
    if (isForeignWindowsPath(shown)) {
      this.env.debug(`DBGHELP: ${shown} - file not found`);
      this.req.onNotFound?.(shown);
      return undefined;
    }
    const p = hostPath(shown);
    const resolved = path.resolve(p);
    if (this.tried.has(resolved)) return undefined;
    this.tried.add(resolved);
    if (!isFile(p)) {
      this.env.debug(`DBGHELP: ${shown} - file not found`);
      this.req.onNotFound?.(shown);
      return undefined;
    }
    return this.matches(p, shown) ? p : undefined;
  }

  private async searchDir(dir: string): Promise<string | undefined> {
    if (this.storeReq && !(this.options & SymOpt.DISABLE_SYMSRV_AUTODETECT) && isFile(joinHost(dir, PINGME_FILE))) {
      return this.searchStores([new LocalStore(dir)], false);
    }
    const candidates = [joinHost(dir, this.req.fileName)];
    if (this.req.subdir) {
      candidates.push(joinHost(dir, this.req.subdir, this.req.fileName), joinHost(dir, 'symbols', this.req.subdir, this.req.fileName));
    }
    for (const c of candidates) {
      const hit = this.tryFile(c);
      if (!hit) continue;
      // A cache* element to the left keeps a copy of what is found further right.
      if (this.storeReq && this.caches.length) {
        const cached = await this.copyInto([...this.caches].reverse(), dir, { path: hit, form: 'file', from: c });
        if (cached) return cached;
      }
      return hit;
    }
    return undefined;
  }

  private localStore(loc: StoreLocation): LocalStore {
    if (loc.kind === 'dir') return new LocalStore(loc.path);
    return new LocalStore(defaultDownstreamStore(this.env.homeDirectory), { flat: (this.options & SymOpt.FLAT_DIRECTORY) !== 0 });
  }

  private source(loc: StoreLocation): StoreSource {
    if (loc.kind !== 'url') return this.localStore(loc);
    const make = this.env.remoteStore ?? httpStoreFactory();
    return make(loc.url, { homeDirectory: this.env.homeDirectory, symbolServer: this.env.symbolServer });
  }

  /**
   * Searches `stores` in order (a srv* chain, or the one store of a cache* element). A hit in
   * stores[i] is copied into stores[0..i-1] (nearest first) and into the cache* stores met
   * before. Every store but the last of a chain is a downstream store, and so is a cache*.
   */
  private async searchStores(stores: StoreSource[], isCache: boolean): Promise<string | undefined> {
    for (let i = 0; i < stores.length; i++) {
      this.abortCheck();
      const src = stores[i];
      const targets = [...stores.slice(0, i)].reverse().filter((s): s is LocalStore => s instanceof LocalStore);
      targets.push(...[...this.caches].reverse());
      const downstream = isCache || i < stores.length - 1;
      const hit = src.local ? await this.fromLocal(src, targets, downstream) : await this.fromRemote(src, targets);
      if (hit) return hit;
    }
    return undefined;
  }

  /** A local store: look in place, use the file there or copy it into the downstream stores. */
  private async fromLocal(src: StoreSource, targets: LocalStore[], downstream: boolean): Promise<string | undefined> {
    const req = this.storeReq!;
    const r = await src.fetch(req, this.fetchOpts());
    let found: { path: string; form: 'file' | 'compressed'; from: string };
    switch (r.status) {
      case 'not-found':
        for (const l of uncMissLines(r.tried)) this.env.debug(l);
        this.req.onNotFound?.(r.tried);
        return undefined;
      case 'unavailable':
        this.env.debug(`SYMSRV:  ${r.tried} - ${r.reason}`);
        this.req.onUnavailable?.(src.describe(), r.reason, r.tried);
        return undefined;
      case 'message':
        this.env.debug(`SYMSRV:  ${r.from}: MSG: ${r.message}`);
        return undefined;
      case 'pointer': {
        const target = this.followPointer(r.from, r.target);
        if (!target) return undefined;
        found = target;
        break;
      }
      case 'found':
        found = { path: r.path, form: r.form, from: r.from };
        break;
    }
    if (found.form === 'file' && targets.length === 0) {
      if (!this.matches(found.path, found.from)) return undefined;
      if (downstream) this.env.debug(`DBGHELP: ${found.from} already cached`);
      return found.path;
    }
    // Copies go into the stores to the left; a compressed file with none goes to the default one.
    const dests = targets.length ? targets : [this.localStore({ kind: 'default' })];
    return this.copyInto(dests, src.describe(), found);
  }

  /** A file.ptr PATH: target that exists here, as a found file; logs either way. */
  private followPointer(from: string, target: string): { path: string; form: 'file' | 'compressed'; from: string } | undefined {
    this.env.debug(`SYMSRV:  ${from}: PATH: ${target}`);
    if (/^https?:\/\//i.test(target) || isForeignWindowsPath(target) || !isFile(hostPath(target))) {
      this.env.debug(`SYMSRV:  ${target} not found`);
      return undefined;
    }
    return { path: hostPath(target), form: target.endsWith('_') ? 'compressed' : 'file', from: target };
  }

  /**
   * Puts a found file (plain or compressed) into `dests[0]`, then copies it on into the other
   * destinations, each from the one before; returns the last (leftmost) copy.
   */
  private async copyInto(dests: LocalStore[], fromStore: string, found: { path: string; form: 'file' | 'compressed'; from?: string }): Promise<string | undefined> {
    const req = this.storeReq!;
    const first = await this.ensure(dests[0], async (tmp) => {
      const bytes = found.form === 'compressed' ? expandCab(found.path, req.fileName, tmp) : await copyWithProgress(found.path, tmp, statSize(found.path), found.path, this.fetchOpts());
      return { written: true, bytes };
    });
    return this.afterFirst(dests, fromStore, found.from ?? found.path, first);
  }

  /** A remote store: download straight into the nearest downstream store (the default one when none). */
  private async fromRemote(src: StoreSource, targets: LocalStore[]): Promise<string | undefined> {
    const req = this.storeReq!;
    const dests = targets.length ? targets : [this.localStore({ kind: 'default' })];
    const first = await this.ensure(dests[0], async (tmp): Promise<ProduceResult> => {
      const part = `${tmp}.part`;
      try {
        const r = await src.fetch(req, { ...this.fetchOpts(), copyTo: part });
        switch (r.status) {
          case 'found':
            if (r.form === 'compressed') return { written: true, bytes: expandCab(part, req.fileName, tmp) };
            fs.renameSync(part, tmp);
            return { written: true, bytes: r.bytes };
          case 'not-found':
            this.env.debug(`SYMSRV:  ${r.tried} not found`);
            this.req.onNotFound?.(r.tried);
            return { written: false, outcome: 'not-found' };
          case 'unavailable':
            this.env.debug(`SYMSRV:  ${r.tried} - ${r.reason}`);
            this.req.onUnavailable?.(src.describe(), r.reason, r.tried);
            return { written: false, outcome: 'unavailable', reason: r.reason };
          case 'message':
            this.env.debug(`SYMSRV:  ${r.from}: MSG: ${r.message}`);
            return { written: false, outcome: 'not-found', reason: r.message };
          case 'pointer': {
            const t = this.followPointer(r.from, r.target);
            if (!t) return { written: false, outcome: 'not-found' };
            const bytes = t.form === 'compressed' ? expandCab(t.path, req.fileName, tmp) : await copyWithProgress(t.path, tmp, statSize(t.path), t.path, this.fetchOpts());
            return { written: true, bytes };
          }
        }
      } finally {
        fs.rmSync(part, { force: true });
      }
    });
    if (first.status === 'not-found' || first.status === 'unavailable') removeEmptyKeyDirs(dests[0], req);
    // A remote store logs its own transfer ("... bytes - copied"): only the hops after it are logged here.
    return this.afterFirst(dests, src.describe(), `${src.describe()}/${storePaths(req).file}`, first, false);
  }

  /** ensureFile for one destination store, with IO errors logged as a failed element. */
  private async ensure(dest: LocalStore, produce: (tmp: string) => Promise<ProduceResult>): Promise<EnsureResult | { status: 'failed' }> {
    const req = this.storeReq!;
    const target = hostPath(dest.filePath(req));
    try {
      return await ensureFile(target, produce, (tmp) => this.check(tmp), { signal: this.env.signal });
    } catch (e) {
      if (e instanceof DbgHelpError && (e.code === 'IO_ERROR' || e.code === 'BAD_FORMAT' || e.code === 'UNSUPPORTED')) {
        this.env.debug(`SYMSRV:  ${e.message}`);
        return { status: 'failed' };
      }
      throw e;
    }
  }

  private check(file: string): string | undefined {
    if (this.options & SymOpt.LOAD_ANYTHING) return undefined;
    return checkFile(file, this.req.identity);
  }

  private async afterFirst(dests: LocalStore[], fromStore: string, fromFile: string, first: EnsureResult | { status: 'failed' }, logFirst = true): Promise<string | undefined> {
    const req = this.storeReq!;
    if (first.status === 'mismatch') {
      this.env.debug(`DBGHELP: ${fromFile} - mismatched ${this.req.mismatchWord ?? 'pdb'}`);
      this.req.onMismatch?.(fromFile, first.reason ?? 'mismatch');
      return undefined;
    }
    if (first.status !== 'written' && first.status !== 'cached') return undefined;
    if (first.status === 'written' && logFirst) this.env.debug(`SYMSRV:  ${req.fileName} from ${fromStore}: ${first.bytes} bytes - copied`);
    else if (!this.matches(first.path, dests[0].filePath(req))) return undefined;
    let current = first.path;
    let shown = dests[0].filePath(req);
    for (let k = 1; k < dests.length; k++) {
      const prev = current;
      const r = await this.ensure(dests[k], async (tmp) => ({ written: true, bytes: await copyWithProgress(prev, tmp, statSize(prev), prev, this.fetchOpts()) }));
      if (r.status === 'written') this.env.debug(`SYMSRV:  ${req.fileName} from ${dests[k - 1].describe()}: ${r.bytes} bytes - copied`);
      if (r.status !== 'written' && r.status !== 'cached') break;
      current = r.path;
      shown = dests[k].filePath(req);
    }
    this.env.debug(`DBGHELP: ${shown} already cached`);
    return current;
  }

  private fetchOpts() {
    return { signal: this.env.signal, onProgress: this.env.onProgress, debug: this.env.debug, options: this.options };
  }
}

function statSize(p: string): number {
  try {
    return fs.statSync(p).size;
  } catch {
    return 0;
  }
}

/** After a miss, the key directory (and the name directory) ensureFile made, if still empty. */
function removeEmptyKeyDirs(store: LocalStore, req: StoreRequest): void {
  if (store.layout.flat) return;
  const keyDir = hostPath(store.keyDir(req));
  for (const d of [keyDir, path.dirname(keyDir)]) {
    try {
      fs.rmdirSync(d);
    } catch {
      return; // not empty (or gone): leave it
    }
  }
}
