/**
 * SymbolHandler: the public class. One instance stands for one DbgHelp process handle
 * (SymInitialize ... SymCleanup). It validates arguments, enforces the handle lifetime and
 * delegates to the backend chosen at load time; callers never touch a backend directly.
 */
import './api/dispose';
import { EventEmitter } from 'events';
import { DbgHelpError } from './api/errors';
import type {
  AddressFacts,
  BackendHandler,
  EnumLinesOptions,
  EnumSymbolsOptions,
  FindFileOptions,
  FromAddrResult,
  InitializeOptions,
  InlineFrame,
  InlineTraceQuery,
  InlineTraceResult,
  LineInfo,
  LoadModuleOptions,
  ModuleInfo,
  SourceFile,
  SourceLine,
  StackFrameContext,
  SymbolInfo,
  TypeInfoValue,
} from './api/types';
import { activeBackend } from './backend/select';
import { walkInlineFrames } from './symbolicate/inline-frames';
import { statusFromModuleInfo, statusOfError, type ModuleStatus } from './api/module-status';

/**
 * Handlers collected without cleanup(): their backend is cleaned up then (files closed), with a
 * warning, as Node closes a FileHandle that was never closed. The held value is the backend
 * handler, which never references its SymbolHandler (so the SymbolHandler can be collected).
 */
const leaked = new FinalizationRegistry<BackendHandler>((impl) => {
  try {
    impl.cleanup();
  } catch {
    // cleanup after the fact: nothing more to do with its error
  }
  process.emitWarning('a SymbolHandler was garbage-collected without cleanup(): its files were closed now. Call cleanup(), or use try/finally (or `using` on Node 24 / TypeScript >= 5.2)', {
    code: 'DBGHELP_HANDLER_NOT_CLEANED_UP',
  });
});

export class SymbolHandler {
  private impl: BackendHandler | undefined;
  private readonly events = new EventEmitter();

  private constructor(impl: BackendHandler) {
    this.impl = impl;
    leaked.register(this, impl, this);
  }

  /** SymInitialize. */
  static initialize(options: InitializeOptions = {}): SymbolHandler {
    if (options.processId !== undefined && (!Number.isInteger(options.processId) || options.processId <= 0)) {
      throw invalid('initialize: processId must be a positive integer');
    }
    const backend = activeBackend();
    if (options.invadeProcess && backend.name !== 'native') {
      throw new DbgHelpError('INVALID_PARAMETER', `invadeProcess needs the native backend on Windows; the ${backend.name} backend has no live process to read`);
    }
    const h = new SymbolHandler(backend.createHandler(options));
    return h;
  }

  /**
   * The backend handler behind this SymbolHandler, for lib/stack/backend-walk.ts (its optional
   * stackWalk is dbghelp.dll's StackWalkEx on native and ffi). Not part of the DbgHelp-shaped API.
   * @internal
   */
  get backendHandler(): BackendHandler {
    return this.live;
  }

  private get live(): BackendHandler {
    if (!this.impl) {
      throw new DbgHelpError('INVALID_HANDLE', 'the symbol handler was cleaned up; call SymbolHandler.initialize() again');
    }
    return this.impl;
  }

  setSearchPath(p: string | null): void {
    if (p !== null && typeof p !== 'string') throw invalid('setSearchPath: the path must be a string or null');
    this.live.setSearchPath(p);
  }
  getSearchPath(): string {
    return this.live.getSearchPath();
  }
  setOptions(o: number): number {
    // Accept both spellings of a 32-bit mask: JS bitwise results are signed (SymOpt.DEBUG | x < 0).
    if (!Number.isInteger(o) || o < -0x80000000 || o > 0xffffffff) throw invalid('setOptions: options must be a 32-bit integer of SYMOPT_* bits');
    return this.live.setOptions(o >>> 0);
  }
  getOptions(): number {
    return this.live.getOptions();
  }
  /** SymLoadModuleEx. Resolves to the module's base address. */
  async loadModule(imagePath: string, options: LoadModuleOptions = {}): Promise<bigint> {
    if (typeof imagePath !== 'string' || !imagePath) throw invalid('loadModule: imagePath must be a non-empty string');
    if (options.baseAddress !== undefined && typeof options.baseAddress !== 'bigint') {
      throw invalid('loadModule: baseAddress must be a bigint');
    }
    notAborted(options.signal, `loading ${imagePath}`);
    return this.live.loadModule(imagePath, options);
  }
  /**
   * loadModule that never rejects because of the module's files: the module's status either
   * way (docs/API.md "Module status"). `base` is set when the module loaded (with a PDB, with
   * exports only, or with nothing). Bad arguments and a cleaned-up handler still throw.
   */
  async tryLoadModule(imagePath: string, options: LoadModuleOptions = {}): Promise<{ base: bigint | undefined; status: ModuleStatus }> {
    try {
      const base = await this.loadModule(imagePath, options);
      return { base, status: this.getModuleStatus(base)! };
    } catch (e) {
      const status = statusOfError(imagePath, e);
      if (!status) throw e;
      return { base: undefined, status };
    }
  }
  /** Why the module holding `address` has the symbols it has; undefined when no module holds it. */
  getModuleStatus(address: bigint): ModuleStatus | undefined {
    const impl = this.live;
    const a = addr(address, 'getModuleStatus');
    const own = impl.getModuleStatus?.(a);
    if (own) return own;
    const info = impl.getModuleInfo(a);
    return info ? statusFromModuleInfo(info) : undefined;
  }
  unloadModule(base: bigint): void {
    this.live.unloadModule(addr(base, 'unloadModule'));
  }
  getModuleInfo(address: bigint): ModuleInfo | undefined {
    return this.live.getModuleInfo(addr(address, 'getModuleInfo'));
  }
  /** SymEnumerateModules64: the loaded modules (after invadeProcess, the process's), by base. */
  enumModules(): ModuleInfo[] {
    return this.live.enumModules();
  }
  fromAddr(address: bigint): FromAddrResult | undefined {
    return this.live.fromAddr(addr(address, 'fromAddr'));
  }
  fromName(name: string): SymbolInfo | undefined {
    if (typeof name !== 'string' || !name) throw invalid('fromName: name must be a non-empty string');
    return this.live.fromName(name);
  }
  enumSymbols(options: EnumSymbolsOptions = {}): IterableIterator<SymbolInfo> {
    if (options.base !== undefined) addr(options.base, 'enumSymbols');
    return this.live.enumSymbols(options);
  }
  /**
   * SymGetTypeFromName: a UDT, enum or typedef by name in the module at `base` (0n: every
   * module, or the one `module!name` names).
   */
  getTypeFromName(base: bigint, name: string): SymbolInfo | undefined {
    if (typeof name !== 'string' || !name) throw invalid('getTypeFromName: name must be a non-empty string');
    return this.live.getTypeFromName(addr(base, 'getTypeFromName'), name);
  }
  getLineFromAddr(address: bigint): LineInfo | undefined {
    return this.live.getLineFromAddr(addr(address, 'getLineFromAddr'));
  }
  /**
   * fromAddr's and getLineFromAddr's values at `address`, written into `out` (bulk
   * symbolization: the backend's BackendHandler.addressFacts where it has one, else the two
   * calls). Not part of the DbgHelp-shaped API.
   * @internal
   */
  addressFacts(address: bigint, out: AddressFacts): void {
    const b = this.live;
    if (b.addressFacts) return b.addressFacts(addr(address, 'addressFacts'), out);
    const hit = this.fromAddr(address);
    out.name = hit?.symbol.name;
    if (hit) {
      out.displacement = Number(hit.displacement);
      out.flags = hit.symbol.flags;
      out.tag = hit.symbol.tag;
      out.size = hit.symbol.size;
    }
    const line = this.getLineFromAddr(address);
    out.fileName = line?.fileName;
    out.lineNumber = line ? line.lineNumber : 0;
  }
  /** SymGetLineNext64: the next line entry after `line` in its module, or undefined at the end. */
  getLineNext(line: LineInfo): LineInfo | undefined {
    return this.live.getLineNext(lineArg(line, 'getLineNext'));
  }
  /** SymGetLinePrev64. */
  getLinePrev(line: LineInfo): LineInfo | undefined {
    return this.live.getLinePrev(lineArg(line, 'getLinePrev'));
  }
  /**
   * SymGetLineFromName64: the first address of `fileName:lineNumber` (or of the nearest line
   * after it that has code; `displacement` says how many lines away). `moduleName` may be
   * undefined to search every module.
   */
  getLineFromName(moduleName: string | undefined, fileName: string, lineNumber: number): LineInfo | undefined {
    if (moduleName !== undefined && typeof moduleName !== 'string') throw invalid('getLineFromName: moduleName must be a string or undefined');
    if (typeof fileName !== 'string' || !fileName) throw invalid('getLineFromName: fileName must be a non-empty string');
    if (!Number.isInteger(lineNumber) || lineNumber < 0 || lineNumber > 0xffffffff) throw invalid('getLineFromName: lineNumber must be a 32-bit unsigned integer');
    return this.live.getLineFromName(moduleName, fileName, lineNumber);
  }
  /** SymEnumLines / SymEnumSourceLines: every line entry of a module, optionally filtered. */
  enumLines(base: bigint, options: EnumLinesOptions = {}): IterableIterator<SourceLine> {
    return this.live.enumLines(addr(base, 'enumLines'), options);
  }
  /** SymEnumSourceFiles: the source files a module's lines name, optionally matching a mask. */
  enumSourceFiles(base: bigint, mask?: string): IterableIterator<SourceFile> {
    if (mask !== undefined && typeof mask !== 'string') throw invalid('enumSourceFiles: mask must be a string');
    return this.live.enumSourceFiles(addr(base, 'enumSourceFiles'), mask);
  }

  /** SymAddrIncludeInlineTrace: how many inline frames the address is inside (0 if none). */
  addrIncludeInlineTrace(address: bigint): number {
    return this.live.addrIncludeInlineTrace(addr(address, 'addrIncludeInlineTrace'));
  }
  /** SymQueryInlineTrace: the inline context and frame index to start a walk at `curAddress`. */
  queryInlineTrace(query: InlineTraceQuery): InlineTraceResult | undefined {
    addr(query.startAddress, 'queryInlineTrace');
    addr(query.startRetAddress, 'queryInlineTrace');
    addr(query.curAddress, 'queryInlineTrace');
    u32(query.startContext, 'queryInlineTrace: startContext');
    return this.live.queryInlineTrace(query);
  }
  /** SymFromInlineContext: the (inlined) function an inline context names at an address. */
  fromInlineContext(address: bigint, inlineContext: number): FromAddrResult | undefined {
    return this.live.fromInlineContext(addr(address, 'fromInlineContext'), u32(inlineContext, 'fromInlineContext: inlineContext'));
  }
  /** SymGetLineFromInlineContext: the line of an inline frame (the call site, for outer frames). */
  getLineFromInlineContext(address: bigint, inlineContext: number): LineInfo | undefined {
    return this.live.getLineFromInlineContext(addr(address, 'getLineFromInlineContext'), u32(inlineContext, 'getLineFromInlineContext: inlineContext'));
  }
  /**
   * The inline frames at an address, innermost first: what walking SymAddrIncludeInlineTrace,
   * SymQueryInlineTrace and SymFromInlineContext / SymGetLineFromInlineContext per context gives
   * (symbolicate/inline-frames.ts), found in one search where the backend can.
   */
  inlineFrames(address: bigint): InlineFrame[] {
    const live = this.live;
    addr(address, 'inlineFrames');
    return live.inlineFrames?.(address) ?? walkInlineFrames(this, address);
  }

  /** SymEnumTypes: every type of a module (UDTs, enums, typedefs). */
  enumTypes(base: bigint): IterableIterator<SymbolInfo> {
    return this.live.enumTypes(addr(base, 'enumTypes'), undefined);
  }
  /** SymEnumTypesByName: the types whose name matches a DbgHelp mask. */
  enumTypesByName(base: bigint, mask: string): IterableIterator<SymbolInfo> {
    if (typeof mask !== 'string') throw invalid('enumTypesByName: mask must be a string');
    return this.live.enumTypes(addr(base, 'enumTypesByName'), mask);
  }
  /**
   * SymGetTypeInfo: one property (`TypeInfo.GET_*`) of a type or symbol id; undefined where
   * the property does not apply to it (DbgHelp returns FALSE).
   */
  getTypeInfo(base: bigint, typeId: number, request: number): TypeInfoValue | undefined {
    return this.live.getTypeInfo(addr(base, 'getTypeInfo'), u32(typeId, 'getTypeInfo: typeId'), u32(request, 'getTypeInfo: request'));
  }

  /**
   * SymSetContext: the frame whose locals and parameters `enumSymbols()` (no module, no `!` in
   * the mask) lists. Returns false when the instruction is in no known function.
   */
  setContext(frame: StackFrameContext): boolean {
    if (!frame || typeof frame !== 'object') throw invalid('setContext: frame must be an object');
    addr(frame.instructionOffset, 'setContext');
    for (const k of ['returnOffset', 'frameOffset', 'stackOffset'] as const) if (frame[k] !== undefined) addr(frame[k]!, `setContext: ${k}`);
    if (frame.inlineFrameContext !== undefined) u32(frame.inlineFrameContext, 'setContext: inlineFrameContext');
    return this.live.setContext(frame);
  }
  /** SymSetScopeFromAddr: SymSetContext with just an instruction address. */
  setScopeFromAddr(address: bigint): boolean {
    return this.live.setScopeFromAddr(addr(address, 'setScopeFromAddr'));
  }

  /** SymFindFileInPath: locate (and download) a PDB or image by its identity; its path or undefined. */
  async findFileInPath(options: FindFileOptions): Promise<string | undefined> {
    if (!options || typeof options.fileName !== 'string' || !options.fileName) throw invalid('findFileInPath: fileName must be a non-empty string');
    if (typeof options.id !== 'string' && typeof options.id !== 'number') throw invalid('findFileInPath: id must be a GUID string or a number');
    u32(options.two, 'findFileInPath: two');
    notAborted(options.signal, `finding ${options.fileName}`);
    return this.live.findFileInPath(options);
  }
  /** SymSetHomeDirectory: where a blank cache (`srv**url`) goes (`<home>/sym`); null resets it. Returns the directory in effect. */
  setHomeDirectory(dir: string | null): string {
    if (dir !== null && typeof dir !== 'string') throw invalid('setHomeDirectory: dir must be a string or null');
    return this.live.setHomeDirectory(dir);
  }
  /** SymGetHomeDirectory. */
  getHomeDirectory(): string {
    return this.live.getHomeDirectory();
  }
  /** SymCleanup. A second cleanup throws INVALID_HANDLE, as DbgHelp fails with error 6. */
  cleanup(): void {
    const impl = this.live;
    this.impl = undefined;
    leaked.unregister(this);
    impl.onDebug(undefined);
    impl.cleanup();
    this.events.removeAllListeners();
  }
  [Symbol.dispose](): void {
    if (this.impl) this.cleanup();
  }

  /** 'debug': DbgHelp's verbose lines (SYMOPT_DEBUG), in DbgHelp's own wording. */
  on(event: 'debug', listener: (line: string) => void): this {
    if (event !== 'debug') throw invalid(`on: unknown event '${String(event)}'`);
    const events = this.events; // not `this`: the backend must not keep the handler alive (see `leaked`)
    events.on('debug', listener);
    this.live.onDebug((line) => events.emit('debug', line));
    return this;
  }
  off(event: 'debug', listener: (line: string) => void): this {
    this.events.off(event, listener);
    return this;
  }
}

function invalid(message: string): DbgHelpError {
  return new DbgHelpError('INVALID_PARAMETER', message);
}

function notAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw new DbgHelpError('ABORTED', `${what} was cancelled`, { cause: signal.reason });
}

function u32(n: number, where: string): number {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw invalid(`${where} must be a 32-bit unsigned integer`);
  return n;
}

function lineArg(line: LineInfo, where: string): LineInfo {
  if (!line || typeof line !== 'object' || typeof line.fileName !== 'string') throw invalid(`${where}: pass a line from getLineFromAddr or another line call`);
  addr(line.address, where);
  return line;
}

function addr(a: bigint, where: string): bigint {
  if (typeof a !== 'bigint') throw invalid(`${where}: the address must be a bigint (e.g. 0x140001000n)`);
  if (a < 0n || a > 0xffffffffffffffffn) throw invalid(`${where}: the address ${a} is not a 64-bit unsigned value`);
  return a;
}
