/**
 * The BackendHandler over dbghelp.dll, shared by the native and ffi backends: both hand it a
 * DbgHelpSession (one DbgHelp process handle) and it maps the contract onto DbgHelp's calls.
 * Just over 400 lines: one short method per BackendHandler call, the contract's whole surface.
 *
 * What it adds to the DLL, and why:
 * - enumSymbols with no base and no `module!` means every module in the contract (`*!mask`),
 *   unless a scope was set (setContext), which is what DbgHelp itself reads it as.
 * - loadModule's `pdbPath`: DbgHelp has no such argument; the PDB's directory is put in front
 *   of the search path for that one load, after checking (with the project's own PE/PDB readers)
 *   that the PDB matches the image, as the contract asks (PDB_MISMATCH unless LOAD_ANYTHING).
 * - Before DbgHelp sees an image, the project's PE reader opens it: a missing file is
 *   FILE_NOT_FOUND, a file that is not PE is BAD_FORMAT with the offset (DbgHelp's answers to
 *   both vary by version: Wine says 183 for a junk file), and its preferred base and size are
 *   known, so a range taken by another module is MODULE_EXISTS and loading the same file at
 *   the same base again returns that base, whatever the DLL does with overlaps.
 * - A .pdb loaded alone needs a base (DbgHelp would invent one); a cancelled load is unloaded.
 * - Symbol stores (`srv*`, `cache*`, pingme.txt directories) when the DLL cannot read them (no
 *   symsrv.dll beside it, or Wine's): loadModule and findFileInPath first run the package's own
 *   symbol search (store-search.ts), then dbghelp.dll loads the PDB it found from that file's
 *   directory; the search's lines go to the 'debug' listener (SYMOPT_DEBUG), and a PDB of
 *   another build it saw makes a module left without one `mismatched` (getModuleStatus;
 *   pdbUnmatched stays the DLL's, FALSE for a PDB not in use, as Microsoft's answers).
 * - The home directory, when the DLL has none (Wine: SymSetHomeDirectoryW is a stub returning
 *   NULL, SymGetHomeDirectoryW one that aborts): the handler keeps it, for its own store search
 *   (`<home>/sym` is the default downstream store).
 * - SYMBOL_INFO.Register is 0 unless Flags says the symbol lives in or relative to a register
 *   (the contract; Wine copies its SYMBOL_INFO from an uninitialised heap block, so Register of
 *   a function is whatever the heap held).
 */
import * as fs from 'fs';
import * as path from 'path';
import { SymFlag, SymOpt, SymType, TypeInfo } from '../api/constants';
import { DbgHelpError } from '../api/errors';
import { statusFromModuleInfo, type ModuleStatus } from '../api/module-status';
import type {
  BackendHandler,
  EnumLinesOptions,
  EnumSymbolsOptions,
  FindFileOptions,
  FromAddrResult,
  InlineTraceQuery,
  InlineTraceResult,
  LineInfo,
  LoadModuleOptions,
  ModuleInfo,
  SourceFile,
  SourceLine,
  StackFrameContext,
  SymbolInfo,
  SymbolServerOptions,
  TypeInfoValue,
} from '../api/types';
import type { DbgHelpSession } from './dbghelp-session';
import type { DllKind } from './wine';
import { contextRecord, MACHINE_OF_ARCH, readForDbgHelp, WALK_REGISTERS, type BackendWalk, type BackendWalkRequest } from '../stack/backend-walk';
import { checkPdbMatchesImage } from './pdb-identity';
import { PeImage } from '../formats/pe/pe-image';
import { defaultHomeDirectory } from '../portable/features/search';
import type { SearchEnv } from '../symsrv/search';
import type { FetchProgress } from '../symsrv/store';
import { dllReadsStores, findFile, findImagePdb, hasStoreElements } from './store-search';

/** SymGetTypeInfo requests whose answer is a BOOL. */
const BOOLEAN_REQUESTS: ReadonlySet<number> = new Set([
  TypeInfo.GET_VIRTUALBASECLASS,
  TypeInfo.GET_NESTED,
  TypeInfo.IS_EQUIV_TO,
  TypeInfo.IS_CLOSE_EQUIV_TO,
  TypeInfo.GET_IS_REFERENCE,
  TypeInfo.GET_INDIRECTVIRTUALBASECLASS,
]);

/** Flags under which SYMBOL_INFO.Register means something. */
const REGISTER_FLAGS = SymFlag.REGISTER | SymFlag.REGREL | SymFlag.FRAMEREL | SymFlag.REGREL_ALIASINDIR;

/** The contract's SymbolInfo: Register only where Flags gives it a meaning. */
function cleanSymbol(s: SymbolInfo): SymbolInfo {
  return s.register !== 0 && !(s.flags & REGISTER_FLAGS) ? { ...s, register: 0 } : s;
}
function cleanHit(r: FromAddrResult | undefined): FromAddrResult | undefined {
  return r && { ...r, symbol: cleanSymbol(r.symbol) };
}

export class DllHandler implements BackendHandler {
  private scopeActive = false;
  private debugListener: ((line: string) => void) | undefined;
  /** Bases of modules left without a PDB where the handler's own search saw one of another build. */
  private readonly unmatched = new Set<bigint>();
  /** The home directory the handler keeps when the DLL has none (null: the default). */
  private home: string | null = null;
  private readonly ownHome: boolean;

  /**
   * @param unusable dbghelp.dll functions this DLL only has as aborting stubs (Wine's): the
   *   methods that need them throw UNSUPPORTED.
   * @param readsStores whether the DLL serves `srv*`/`cache*` itself (symsrv.dll beside it);
   *   when not, the handler searches stores for it.
   */
  constructor(
    private readonly s: DbgHelpSession,
    private readonly unusable: ReadonlySet<string> = new Set(),
    private readonly dllPath = 'dbghelp.dll',
    private readonly readsStores = dllReadsStores(dllPath, unusable.has('SymEnumLinesW') ? 'wine' : 'unknown'),
    /** Settings for the package's own HTTP store search (used where the DLL has no symsrv.dll). */
    private readonly symbolServer?: SymbolServerOptions,
    /** Whose DLL this is (wine.ts): StackWalkEx's InlineFrameContext is encoded differently by each. */
    private readonly dllKind: DllKind = unusable.size ? 'wine' : 'unknown',
  ) {
    this.ownHome = unusable.has('SymGetHomeDirectoryW');
  }

  /** The environment of the handler's own store search: options, home, debug lines, signal. */
  private searchEnv(signal: AbortSignal | undefined, onProgress: ((p: FetchProgress) => void) | undefined): SearchEnv {
    const options = this.s.getOptions();
    return {
      options,
      homeDirectory: this.getHomeDirectory(),
      debug: (line) => {
        if (options & SymOpt.DEBUG) this.debugListener?.(line);
      },
      signal,
      onProgress,
      symbolServer: this.symbolServer,
    };
  }
  /** The search path when the handler must search its stores itself, else undefined. */
  private storePath(searchPath: string): string | undefined {
    return !this.readsStores && hasStoreElements(searchPath, this.s.getOptions()) ? searchPath : undefined;
  }

  /** The per-module calls name a loaded module's base; DbgHelp's answer otherwise varies. */
  private module(base: bigint, where: string): void {
    if (this.s.getModuleInfo(base)?.baseOfImage !== base) {
      throw new DbgHelpError('MODULE_NOT_FOUND', `${where}: no module is loaded at 0x${base.toString(16)}`);
    }
  }

  private need(fn: string): void {
    if (this.unusable.has(fn)) {
      throw new DbgHelpError('UNSUPPORTED', `${this.dllPath} (Wine's) has ${fn} only as a stub that would abort the process; use DBGHELP_BACKEND=portable for this call`);
    }
  }

  setSearchPath(p: string | null): void {
    this.s.setSearchPath(p);
  }
  getSearchPath(): string {
    return this.s.getSearchPath();
  }
  setOptions(o: number): number {
    return this.s.setOptions(o >>> 0);
  }
  getOptions(): number {
    return this.s.getOptions();
  }

  async loadModule(imagePath: string, opts: LoadModuleOptions): Promise<bigint> {
    notAborted(opts.signal, `loadModule(${imagePath})`);
    const isPdb = path.extname(imagePath).toLowerCase() === '.pdb';
    if (isPdb && !opts.baseAddress) {
      throw new DbgHelpError('INVALID_PARAMETER', `loadModule: ${imagePath} is a PDB without an image; give a baseAddress to load it at`);
    }
    const planned = isPdb ? { base: opts.baseAddress!, size: opts.size ?? 1 } : plannedRange(imagePath, opts);
    const existing = this.overlapping(planned.base, planned.size);
    if (existing) {
      if (samePath(existing.imageName, imagePath) && existing.baseOfImage === planned.base) return existing.baseOfImage;
      throw new DbgHelpError(
        'MODULE_EXISTS',
        `loadModule: ${imagePath} at 0x${planned.base.toString(16)} would overlap ${existing.moduleName} (0x${existing.baseOfImage.toString(16)}, ${existing.imageSize} bytes)`,
      );
    }
    let base: bigint;
    let unmatched = false;
    const load = (searchPath?: string) => this.s.loadModule(imagePath, opts.moduleName ?? null, planned.base, opts.size ?? 0, searchPath);
    const stores = isPdb ? undefined : this.storePath(this.s.getSearchPath());
    if (opts.pdbPath !== undefined && !isPdb) {
      const dir = checkPdbMatchesImage(imagePath, opts.pdbPath, (this.s.getOptions() & SymOpt.LOAD_ANYTHING) !== 0);
      base = await load(`${dir};${this.s.getSearchPath()}`);
    } else if (stores !== undefined) {
      // The DLL cannot read the path's stores: find the PDB with the package's search, then let
      // the DLL read it from its directory (it checks GUID and age again as it loads).
      const r = await findImagePdb(imagePath, stores, this.searchEnv(opts.signal, opts.onProgress));
      notAborted(opts.signal, `loadModule(${imagePath})`);
      base = r.found ? await load(path.dirname(path.resolve(r.found))) : await load();
      unmatched = r.mismatched && !r.found;
    } else {
      base = await load();
    }
    if (opts.signal?.aborted) {
      this.s.unloadModule(base);
      throw new DbgHelpError('ABORTED', `loadModule(${imagePath}) was cancelled`, { cause: opts.signal.reason });
    }
    if (unmatched && this.s.getModuleInfo(base)?.symType !== SymType.Pdb) this.unmatched.add(base);
    return base;
  }
  /** The loaded module whose range meets [base, base + size), if any. */
  private overlapping(base: bigint, size: number): ModuleInfo | undefined {
    for (const b of this.s.listModules()) {
      const m = this.s.getModuleInfo(b);
      if (m && base < m.baseOfImage + BigInt(Math.max(m.imageSize, 1)) && m.baseOfImage < base + BigInt(Math.max(size, 1))) return m;
    }
    return undefined;
  }
  unloadModule(base: bigint): void {
    this.s.unloadModule(base);
    this.unmatched.delete(base);
  }
  getModuleInfo(address: bigint): ModuleInfo | undefined {
    return this.s.getModuleInfo(address);
  }
  /** A module whose PDB the handler's own store search saw only in another build: mismatched. */
  getModuleStatus(address: bigint): ModuleStatus | undefined {
    const m = this.s.getModuleInfo(address);
    return m && this.unmatched.has(m.baseOfImage) ? statusFromModuleInfo({ ...m, pdbUnmatched: true }) : undefined;
  }
  enumModules(): ModuleInfo[] {
    const out: ModuleInfo[] = [];
    for (const base of [...this.s.listModules()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
      const m = this.getModuleInfo(base);
      if (m) out.push(m);
    }
    return out;
  }
  fromAddr(address: bigint): FromAddrResult | undefined {
    return cleanHit(this.s.fromAddr(address));
  }
  fromName(name: string): SymbolInfo | undefined {
    const r = this.s.fromName(name);
    return r && cleanSymbol(r);
  }
  enumSymbols(opts: EnumSymbolsOptions): IterableIterator<SymbolInfo> {
    const base = opts.base ?? 0n;
    let mask = opts.mask ?? '*';
    if (base === 0n && !mask.includes('!') && !this.scopeActive) mask = `*!${mask}`;
    return this.s.enumSymbols(base, mask).map(cleanSymbol)[Symbol.iterator]();
  }
  getTypeFromName(base: bigint, name: string): SymbolInfo | undefined {
    this.need('SymGetTypeFromNameW');
    const r = this.s.getTypeFromName(base, name);
    return r && cleanSymbol(r);
  }
  getLineFromAddr(address: bigint): LineInfo | undefined {
    return this.s.getLineFromAddr(address);
  }

  getLineNext(line: LineInfo): LineInfo | undefined {
    return this.s.getLineNext(line.address);
  }
  getLinePrev(line: LineInfo): LineInfo | undefined {
    return this.s.getLinePrev(line.address);
  }
  getLineFromName(moduleName: string | undefined, fileName: string, lineNumber: number): LineInfo | undefined {
    const r = this.s.getLineFromName(moduleName ?? null, fileName, lineNumber);
    return r && { ...r.line, displacement: r.displacement };
  }
  enumLines(base: bigint, opts: EnumLinesOptions): IterableIterator<SourceLine> {
    this.module(base, 'enumLines');
    this.need('SymEnumLinesW');
    return this.s.enumLines(base, opts.obj ?? null, opts.file ?? null)[Symbol.iterator]();
  }
  enumSourceFiles(base: bigint, mask: string | undefined): IterableIterator<SourceFile> {
    // Base 0 is DbgHelp's "the modules the mask's `module!` names" (SymEnumSourceFiles).
    if (base !== 0n) this.module(base, 'enumSourceFiles');
    return this.s.enumSourceFiles(base, mask ?? null)[Symbol.iterator]();
  }

  addrIncludeInlineTrace(address: bigint): number {
    return this.s.addrIncludeInlineTrace(address);
  }
  queryInlineTrace(q: InlineTraceQuery): InlineTraceResult | undefined {
    const r = this.s.queryInlineTrace(q.startAddress, q.startContext, q.startRetAddress, q.curAddress);
    return r && { curContext: r.context, curFrameIndex: r.frameIndex };
  }
  fromInlineContext(address: bigint, inlineContext: number): FromAddrResult | undefined {
    return cleanHit(this.s.fromInlineContext(address, inlineContext));
  }
  getLineFromInlineContext(address: bigint, inlineContext: number): LineInfo | undefined {
    return this.s.getLineFromInlineContext(address, inlineContext, null);
  }

  enumTypes(base: bigint, mask: string | undefined): IterableIterator<SymbolInfo> {
    this.module(base, 'enumTypes');
    return this.s
      .enumTypes(base, mask ?? null)
      .map(cleanSymbol)
      .values();
  }
  getTypeInfo(base: bigint, typeId: number, request: number): TypeInfoValue | undefined {
    this.module(base, 'getTypeInfo');
    const v = this.s.getTypeInfo(base, typeId, request);
    if (v !== undefined && BOOLEAN_REQUESTS.has(request)) return v !== 0;
    return v;
  }

  setContext(frame: StackFrameContext): boolean {
    // Once a scope was asked for, enumSymbols without a module means the scope (DbgHelp's
    // reading), even when this call failed and left it empty or unchanged.
    this.scopeActive = true;
    return this.s.setContext(frame.instructionOffset, frame.returnOffset ?? 0n, frame.frameOffset ?? 0n, frame.stackOffset ?? 0n, frame.inlineFrameContext ?? 0);
  }
  setScopeFromAddr(address: bigint): boolean {
    this.scopeActive = true;
    return this.s.setScopeFromAddr(address);
  }

  async findFileInPath(opts: FindFileOptions): Promise<string | undefined> {
    notAborted(opts.signal, `findFileInPath(${opts.fileName})`);
    const id = typeof opts.id === 'string' ? { guid: dashedGuid(opts.id) } : { dword: opts.id >>> 0 };
    const stores = this.storePath(opts.searchPath ?? this.s.getSearchPath());
    const found =
      stores !== undefined
        ? await findFile(stores, opts.fileName, opts.id, opts.two, this.searchEnv(opts.signal, opts.onProgress))
        : await this.s.findFileInPath(opts.searchPath ?? null, opts.fileName, id, opts.two >>> 0, (opts.three ?? 0) >>> 0);
    notAborted(opts.signal, `findFileInPath(${opts.fileName})`);
    return found;
  }
  setHomeDirectory(dir: string | null): string {
    if (!this.ownHome) return this.s.setHomeDirectory(dir);
    this.home = dir;
    return this.getHomeDirectory();
  }
  getHomeDirectory(): string {
    if (this.ownHome) return this.home ?? defaultHomeDirectory();
    return this.s.getHomeDirectory(0) ?? '';
  }

  cleanup(): void {
    this.s.cleanup();
  }

  /**
   * dbghelp.dll's StackWalkEx (SYM_STKWALK_DEFAULT: inline frames included) on this handler's
   * process handle, where the caller loaded the modules at their bases; memory reads are served by
   * the request's memory, then its modules' images (readForDbgHelp). amd64, and x86 as
   * IMAGE_FILE_MACHINE_I386 from an x86 CONTEXT (the x64 DLL walks WOW64 stacks so).
   */
  stackWalk(req: BackendWalkRequest): BackendWalk {
    const machine = MACHINE_OF_ARCH[req.arch];
    const names = WALK_REGISTERS[req.arch];
    if (machine === undefined || !names || req.context.arch !== req.arch) {
      throw new DbgHelpError('UNSUPPORTED', `stackWalk: StackWalkEx is driven for amd64 and x86 contexts here, not ${req.context.arch} as ${req.arch}`);
    }
    const reg = (n: string) => req.context.registers.get(n) ?? req.context.raw.get(n) ?? 0n;
    const r = this.s.stackWalk(
      machine,
      contextRecord(req.context),
      (address, size) => readForDbgHelp(req.memory, req.moduleAt, address, size),
      req.threadId ?? 0,
      req.maxFrames ?? 1024,
      reg(names[0]),
      reg(names[1]),
      reg(names[2]),
    );
    // An inline frame: Microsoft's STACK_FRAME_TYPE_INLINE (2) in byte 1 of InlineFrameContext,
    // with STACK_FRAME_TYPE_RA (0x80) at a return address (0x82: mini.dmp's invoke_main);
    // Wine's own encoding (dlls/dbghelp/dbghelp_private.h) puts a mode in bits 31:30, 01 = IFC_MODE_INLINE.
    const isInline = this.dllKind === 'wine' ? (c: number) => (c & 0xc0000000) >>> 0 === 0x40000000 : (c: number) => ((c >>> 8) & 0x7f) === 2;
    return {
      engine: `StackWalkEx (${this.dllPath})`,
      frames: r.frames.map((f) => ({ ...f, inline: isInline(f.inlineContext) })),
      stopped: r.stopped,
    };
  }
  onDebug(listener: ((line: string) => void) | undefined): void {
    this.debugListener = listener;
    this.s.setDebugListener(listener);
  }
}

/**
 * Where an image will go: the caller's base or the image's preferred ImageBase (passed to
 * DbgHelp explicitly: Wine refuses base 0 for a 32-bit image in a 64-bit process). Opening it
 * with the PE reader also turns a missing or malformed file into FILE_NOT_FOUND / BAD_FORMAT.
 */
function plannedRange(imagePath: string, opts: LoadModuleOptions): { base: bigint; size: number } {
  if (!fs.existsSync(imagePath)) {
    throw new DbgHelpError('FILE_NOT_FOUND', `loadModule: ${imagePath} does not exist`, { file: imagePath });
  }
  const image = PeImage.open(imagePath);
  try {
    return { base: opts.baseAddress || image.imageBase, size: opts.size || image.sizeOfImage };
  } finally {
    image.close();
  }
}

/** An aborted signal is DbgHelpError ABORTED with the reason as cause (the facade's rule). */
function notAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw new DbgHelpError('ABORTED', `${what} was cancelled`, { cause: signal.reason });
}

function samePath(a: string, b: string): boolean {
  return path.resolve(a).toLowerCase() === path.resolve(b).toLowerCase();
}

/** A GUID with or without dashes/braces → `XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX`. */
function dashedGuid(g: string): string {
  const hex = g.replace(/[{}-]/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new DbgHelpError('INVALID_PARAMETER', `findFileInPath: ${g} is not a GUID`);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`.toUpperCase();
}
