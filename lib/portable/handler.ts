/**
 * The portable backend's symbol handler: DbgHelp's semantics over the TypeScript PE/PDB
 * readers. Modules are kept sorted by base; lookups are synchronous.
 */
import { DEFAULT_SYMOPTS, SymFlag, SymOpt, SymTag } from '../api/constants';
import { DbgHelpError } from '../api/errors';
import type {
  AddressFacts,
  BackendHandler,
  EnumLinesOptions,
  EnumSymbolsOptions,
  FindFileOptions,
  FromAddrResult,
  InitializeOptions,
  InlineTraceQuery,
  InlineTraceResult,
  InlineFrame,
  LineInfo,
  LoadModuleOptions,
  ModuleInfo,
  SourceFile,
  SourceLine,
  StackFrameContext,
  SymbolInfo,
  TypeInfoValue,
} from '../api/types';
import { rva } from '../formats/binary/address';
import type { ModuleStatus } from '../api/module-status';
import { LoadedModule } from './loaded-module';
import { openModule } from './open-module';
import type { ModuleSymbol, SymbolQuery } from './provider';
import { compileMask, splitModule } from './wildcard';
import type { HandlerContext } from './features/context';
import type { Scope } from './features/scope';
import { SearchState } from './features/search';
import { effectiveSearchPath } from '../symsrv/symbol-path';
import { lastWhere } from '../formats/binary/search';
import { lazy } from '../lazy';

// The features are required on first use (lib/lazy.ts): symbolizing addresses needs none of
// them (they were 40 of the 110 modules a cold `dbghelp symbolize` loaded).
const lines = lazy(() => require('./features/lines') as typeof import('./features/lines'));
const inlines = lazy(() => require('./features/inlines') as typeof import('./features/inlines'));
const types = lazy(() => require('./features/types') as typeof import('./features/types'));
const symbolInfo = lazy(() => require('./features/symbol-info') as typeof import('./features/symbol-info'));
const scopes = lazy(() => require('./features/scope') as typeof import('./features/scope'));

export class PortableHandler implements BackendHandler, HandlerContext {
  options = DEFAULT_SYMOPTS;
  /** The path in effect (SymGetSearchPath), fixed when set, as DbgHelp does. */
  private searchPath: string;
  /** By base (address lookups search it). */
  private modules: LoadedModule[] = [];
  /**
   * In load order: the order Microsoft's dbghelp.dll searches and lists modules by name
   * (SymFromName, SymEnumSymbols: the module loaded first answers first, whatever the bases).
   */
  private loaded: LoadedModule[] = [];
  /** The module moduleAt found last (unset when modules are unloaded). */
  private lastModule: LoadedModule | undefined;
  private debugListener: ((line: string) => void) | undefined;
  /** SymSetContext's scope, made on first use. */
  private scopeState: Scope | undefined;
  private readonly search: SearchState;
  /** The query the address lookups pass: one object while the options stay (bulk runs millions of lookups). */
  private query: SymbolQuery = { options: this.options };
  private get q(): SymbolQuery {
    if (this.query.options !== this.options) this.query = { options: this.options };
    return this.query;
  }

  constructor(init: InitializeOptions) {
    this.search = new SearchState(init.symbolServer);
    if (init.options !== undefined) this.options = init.options >>> 0;
    this.searchPath = effectiveSearchPath(init.searchPath ?? null, this.options);
  }

  /**
   * SymSetSearchPath: the user's path as given; null builds DbgHelp's default from `.`,
   * _NT_SYMBOL_PATH and _NT_ALT_SYMBOL_PATH (lib/symsrv/symbol-path.ts).
   */
  setSearchPath(p: string | null): void {
    this.searchPath = effectiveSearchPath(p, this.options);
  }
  /** SymGetSearchPath. The module's directory is searched after it without being part of it. */
  getSearchPath(): string {
    return this.searchPath;
  }
  setOptions(o: number): number {
    this.options = o >>> 0;
    return this.options;
  }
  getOptions(): number {
    return this.options;
  }
  onDebug(listener: ((line: string) => void) | undefined): void {
    this.debugListener = listener;
  }
  debug(line: string): void {
    if (this.debugListener && this.options & SymOpt.DEBUG) this.debugListener(line);
  }

  async loadModule(imagePath: string, opts: LoadModuleOptions): Promise<bigint> {
    if (opts.signal?.aborted) throw new DbgHelpError('ABORTED', `loading ${imagePath} was cancelled`, { cause: opts.signal.reason });
    const mod = await openModule(imagePath, opts, {
      options: this.options,
      searchPath: this.searchPath,
      homeDirectory: this.search.getHome(),
      symbolServer: this.search.symbolServer,
      debug: (l) => this.debug(l),
      signal: opts.signal,
      onProgress: opts.onProgress,
    });
    if (opts.signal?.aborted) {
      mod.close();
      throw new DbgHelpError('ABORTED', `loading ${imagePath} was cancelled`, { cause: opts.signal.reason });
    }
    const clash = this.modules.find((m) => m.overlaps(mod.base, mod.size));
    if (clash) {
      mod.close();
      if (clash.base === mod.base && clash.info.imageName === mod.info.imageName) return clash.base;
      throw new DbgHelpError(
        'MODULE_EXISTS',
        `cannot load ${imagePath} at 0x${mod.base.toString(16)}: ${clash.name} already occupies 0x${clash.base.toString(16)}-0x${(clash.base + BigInt(clash.size)).toString(16)}`,
      );
    }
    this.modules.push(mod);
    this.modules.sort((a, b) => (a.base < b.base ? -1 : a.base > b.base ? 1 : 0));
    this.loaded.push(mod);
    return mod.base;
  }

  unloadModule(base: bigint): void {
    const i = this.modules.findIndex((m) => m.base === base);
    // Microsoft's SymUnloadModule64 of a base with no module: ERROR_INVALID_PARAMETER (87).
    if (i < 0) throw new DbgHelpError('INVALID_PARAMETER', `unloadModule: no module is loaded at 0x${base.toString(16)}`);
    this.modules[i].close();
    this.loaded = this.loaded.filter((m) => m !== this.modules[i]);
    this.modules.splice(i, 1);
    this.lastModule = undefined;
  }

  moduleByBase(base: bigint): LoadedModule | undefined {
    return this.modules.find((m) => m.base === base);
  }

  moduleAt(address: bigint): LoadedModule | undefined {
    // Addresses come in runs within one module (a symbol, then its line; a stack's frames).
    const last = this.lastModule;
    if (last !== undefined && last.contains(address)) return last;
    const mods = this.modules;
    const i = lastWhere(mods.length, (k) => mods[k].base <= address);
    const m = i >= 0 && mods[i].contains(address) ? mods[i] : undefined;
    if (m) this.lastModule = m;
    return m;
  }

  /** BackendHandler.beginBatch: each module's share of the addresses, as RVAs, to its source. */
  beginBatch(addresses: Float64Array): void {
    for (const m of this.modules) {
      if (!m.provider.beginBatch) continue;
      const base = Number(m.base);
      const end = Number(m.end);
      const from = lastWhere(addresses.length, (k) => addresses[k] < base) + 1;
      const to = lastWhere(addresses.length, (k) => addresses[k] < end) + 1;
      if (to > from) m.provider.beginBatch(addresses.subarray(from, to).map((a) => a - base));
    }
  }
  endBatch(): void {
    for (const m of this.modules) m.provider.endBatch?.();
  }

  getModuleInfo(address: bigint): ModuleInfo | undefined {
    const m = this.moduleAt(address);
    return m ? { ...m.info } : undefined;
  }

  getModuleStatus(address: bigint): ModuleStatus | undefined {
    return this.moduleAt(address)?.status;
  }

  enumModules(): ModuleInfo[] {
    return this.modules.map((m) => ({ ...m.info }));
  }

  fromAddr(address: bigint): FromAddrResult | undefined {
    const m = this.moduleAt(address);
    if (!m) return undefined;
    const hit = m.provider.fromRva(rva(Number(address - m.base)), this.q);
    if (!hit) return undefined;
    return { symbol: toSymbolInfo(m, hit.symbol), displacement: BigInt(hit.displacement) };
  }

  /** BackendHandler.addressFacts: fromAddr's and getLineFromAddr's values (toSymbolInfo's type rule). */
  addressFacts(address: bigint, out: AddressFacts): void {
    out.name = out.fileName = undefined;
    const m = this.moduleAt(address);
    if (!m) return;
    const at = rva(Number(address - m.base));
    const hit = m.provider.fromRva(at, this.q);
    if (hit) {
      const s = hit.symbol;
      out.name = s.name;
      out.displacement = hit.displacement;
      out.flags = s.flags;
      out.tag = s.tag;
      out.size = typeOf(m, s).size;
    }
    const line = m.provider.lineFromRva?.(at, this.q);
    if (line) {
      out.fileName = line.fileName;
      out.lineNumber = line.lineNumber;
    }
  }

  fromName(name: string): SymbolInfo | undefined {
    const { module, rest } = splitModule(name);
    // `!memset` (an empty module part) is any module's, as in Microsoft's dbghelp.dll.
    for (const m of this.modulesNamed(module || undefined)) {
      const s = m.provider.fromName(rest, { options: this.options });
      if (s) return toSymbolInfo(m, s);
    }
    return undefined;
  }

  *enumSymbols(opts: EnumSymbolsOptions): IterableIterator<SymbolInfo> {
    const { module, rest } = splitModule(opts.mask ?? '*');
    // DbgHelp: no module base and no `module!` in the mask means the scope SymSetContext set.
    if (this.scopeState?.active && (opts.base === undefined || opts.base === 0n) && module === undefined) {
      yield* this.scopeState.enumerate(this, compileMask(rest || '*', (this.options & SymOpt.CASE_INSENSITIVE) !== 0));
      return;
    }
    // The module part is a mask too here (`*!mem*`, `basic*!main`), not in SymFromName; an
    // empty one (`!mem*`) names no module (the DLL lists nothing).
    const isModule = module === undefined ? undefined : module === '' ? () => false : compileMask(module, true);
    let mods = isModule ? this.loaded.filter((m) => isModule(m.name)) : this.loaded;
    if (opts.base !== undefined && opts.base !== 0n) mods = mods.filter((m) => m.base === opts.base);
    const match = compileMask(rest || '*', (this.options & SymOpt.CASE_INSENSITIVE) !== 0, true);
    const q = { options: this.options };
    for (const m of [...mods]) {
      for (const s of m.provider.enumerate(q, match)) {
        if (match(s.name)) yield toSymbolInfo(m, s);
      }
    }
  }

  /** The modules named so (any case), or all of them, in load order. */
  modulesNamed(module: string | undefined): LoadedModule[] {
    if (module === undefined) return this.loaded;
    const want = module.toLowerCase();
    return this.loaded.filter((m) => m.name.toLowerCase() === want);
  }

  getTypeFromName(base: bigint, name: string): SymbolInfo | undefined {
    return types().getTypeFromName(this, base, name);
  }
  enumTypes(base: bigint, mask: string | undefined): IterableIterator<SymbolInfo> {
    return types().enumTypes(this, base, mask);
  }
  getTypeInfo(base: bigint, typeId: number, request: number): TypeInfoValue | undefined {
    // SymGetTypeInfo takes a SYMBOL_INFO.Index as well as a type id: symbol ids have their own range.
    const si = symbolInfo();
    return si.isSymbolId(typeId) ? si.symbolTypeInfo(this, base, typeId, request) : types().getTypeInfo(this, base, typeId, request);
  }

  getLineFromAddr(address: bigint): LineInfo | undefined {
    const m = this.moduleAt(address);
    const hit = m?.provider.lineFromRva?.(rva(Number(address - m.base)), this.q);
    if (!m || !hit) return undefined;
    return { fileName: hit.fileName, lineNumber: hit.lineNumber, address: m.base + BigInt(hit.rva), displacement: hit.displacement };
  }

  getLineNext(line: LineInfo): LineInfo | undefined {
    return lines().getLineNext(this, line, 1);
  }
  getLinePrev(line: LineInfo): LineInfo | undefined {
    return lines().getLineNext(this, line, -1);
  }
  getLineFromName(moduleName: string | undefined, fileName: string, lineNumber: number): LineInfo | undefined {
    return lines().getLineFromName(this, moduleName, fileName, lineNumber);
  }
  enumLines(base: bigint, opts: EnumLinesOptions): IterableIterator<SourceLine> {
    return lines().enumLines(this, base, opts);
  }
  enumSourceFiles(base: bigint, mask: string | undefined): IterableIterator<SourceFile> {
    return lines().enumSourceFiles(this, base, mask);
  }

  addrIncludeInlineTrace(address: bigint): number {
    return inlines().addrIncludeInlineTrace(this, address);
  }
  queryInlineTrace(q: InlineTraceQuery): InlineTraceResult | undefined {
    return inlines().queryInlineTrace(this, q);
  }
  fromInlineContext(address: bigint, inlineContext: number): FromAddrResult | undefined {
    return inlines().fromInlineContext(this, address, inlineContext);
  }
  getLineFromInlineContext(address: bigint, inlineContext: number): LineInfo | undefined {
    return inlines().getLineFromInlineContext(this, address, inlineContext);
  }
  inlineFrames(address: bigint): InlineFrame[] | undefined {
    return inlines().inlineFramesAt(this, address);
  }

  setContext(frame: StackFrameContext): boolean {
    return (this.scopeState ??= new (scopes().Scope)()).set(this, frame);
  }
  setScopeFromAddr(address: bigint): boolean {
    return (this.scopeState ??= new (scopes().Scope)()).set(this, { instructionOffset: address });
  }

  findFileInPath(opts: FindFileOptions): Promise<string | undefined> {
    return this.search.findFileInPath(this, opts.searchPath ?? this.getSearchPath(), opts);
  }
  setHomeDirectory(dir: string | null): string {
    return this.search.setHome(dir);
  }
  getHomeDirectory(): string {
    return this.search.getHome();
  }

  cleanup(): void {
    this.scopeState?.clear();
    for (const m of this.modules) m.close();
    this.modules = [];
    this.loaded = [];
    this.lastModule = undefined;
  }
}

/** Data symbols: their type as an id and its length as Size (read now, for this symbol only). */
function typeOf(m: LoadedModule, s: ModuleSymbol): { typeIndex: number; size: number } {
  return s.tag === SymTag.Data ? types().symbolType(m, s.tag, s.typeIndex, s.size) : s;
}

function toSymbolInfo(m: LoadedModule, s: ModuleSymbol): SymbolInfo {
  // Constants have no address; thread-local data is addressed by its offset in the TLS block.
  const address = s.value !== undefined ? 0n : s.flags & SymFlag.TLSREL ? BigInt(s.rva) : m.base + BigInt(s.rva);
  const { typeIndex, size } = typeOf(m, s);
  return {
    typeIndex,
    index: s.index,
    size,
    modBase: m.base,
    flags: s.flags,
    value: s.value ?? 0n,
    address,
    register: s.register ?? 0,
    scope: 0,
    tag: s.tag,
    nameLen: s.name.length,
    name: s.name,
  };
}
