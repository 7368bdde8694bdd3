/**
 * The contract's data shapes: SYMBOL_INFO, IMAGEHLP_MODULE64 and IMAGEHLP_LINE64 in camelCase.
 */
import type { ModuleStatus } from './module-status';
import type { BackendWalk, BackendWalkRequest } from '../stack/backend-walk';

/** SYMBOL_INFO, field for field. Addresses are bigint (ULONG64). */
export interface SymbolInfo {
  /** TypeIndex: the symbol's type, an id to pass to getTypeInfo (0 when it has none, e.g. publics). */
  typeIndex: number;
  /**
   * Index: the symbol's unique id inside its module (for DbgHelp, a DIA symbol id); getTypeInfo
   * accepts it too (TI_GET_SYMTAG, SYMNAME, TYPE, LENGTH, ADDRESS... of the symbol itself).
   */
  index: number;
  /** Size in bytes (0 when unknown, as for publics). */
  size: number;
  modBase: bigint;
  /** SYMFLAG_* bits. */
  flags: number;
  /** Value: for constants their value, else the address. */
  value: bigint;
  address: bigint;
  /** Register (CV_HREG_e) for register-relative symbols, else 0. */
  register: number;
  /** Scope: tag of the lexical parent (0 unless set). */
  scope: number;
  /** SymTagEnum. */
  tag: number;
  nameLen: number;
  name: string;
}

/** IMAGEHLP_MODULE64. */
export interface ModuleInfo {
  baseOfImage: bigint;
  imageSize: number;
  timeDateStamp: number;
  checkSum: number;
  numSyms: number;
  /** SYM_TYPE: SymPdb, SymExport, SymDeferred... */
  symType: number;
  moduleName: string;
  imageName: string;
  loadedImageName: string;
  loadedPdbName: string;
  /** CodeView signature: 0x53445352 ('RSDS') or 0x3031424e ('NB10'), 0 without one. */
  cvSig: number;
  /** CvData: the PDB path the image's debug directory names. */
  cvData: string;
  /** PdbSig70: the GUID, upper-case with dashes (all zeros when none). */
  pdbSig70: string;
  pdbAge: number;
  pdbUnmatched: boolean;
  dbgUnmatched: boolean;
  lineNumbers: boolean;
  globalSymbols: boolean;
  typeInfo: boolean;
  sourceIndexed: boolean;
  publics: boolean;
  machineType: number;
}

/** IMAGEHLP_LINE64. */
export interface LineInfo {
  fileName: string;
  lineNumber: number;
  address: bigint;
  /**
   * SymGetLineFromAddr64: the queried address minus `address`. SymGetLineFromName64: how far
   * the line found is from the line asked for. 0 from SymGetLineNext64/Prev64.
   */
  displacement: number;
}

/** SRCCODEINFO (SymEnumLines / SymEnumSourceLines): one line entry of a module. */
export interface SourceLine {
  modBase: bigint;
  /** The object file (compiland) the line belongs to. */
  obj: string;
  fileName: string;
  lineNumber: number;
  address: bigint;
}

/** SOURCEFILE (SymEnumSourceFiles). */
export interface SourceFile {
  modBase: bigint;
  fileName: string;
}

export interface EnumLinesOptions {
  /** Only lines of this object file (compiland) name, DbgHelp wildcards allowed. */
  obj?: string;
  /** Only lines of this source file name, DbgHelp wildcards allowed. */
  file?: string;
}

/** SymQueryInlineTrace's inputs. */
export interface InlineTraceQuery {
  startAddress: bigint;
  /** The inline context the walk starts from (0 = INLINE_FRAME_CONTEXT_INIT). */
  startContext: number;
  startRetAddress: bigint;
  curAddress: bigint;
}

/** SymQueryInlineTrace's outputs. */
export interface InlineTraceResult {
  curContext: number;
  curFrameIndex: number;
}

/** IMAGEHLP_STACK_FRAME, the fields SymSetContext reads. */
export interface StackFrameContext {
  instructionOffset: bigint;
  returnOffset?: bigint;
  frameOffset?: bigint;
  stackOffset?: bigint;
  /** 0 (INLINE_FRAME_CONTEXT_INIT) or an inline context from SymQueryInlineTrace. */
  inlineFrameContext?: number;
}

/**
 * What SymGetTypeInfo answers for one TI_GET_* request: a number for ids, counts, tags and
 * offsets; a bigint for LENGTH, ADDRESS and 64-bit VALUEs; a string for SYMNAME; a boolean for
 * the TI_IS_* / nested / virtual questions; the child ids for TI_FINDCHILDREN.
 */
export type TypeInfoValue = number | bigint | string | boolean | number[];

/** SymFindFileInPath's inputs. */
export interface FindFileOptions {
  /** The search path to use; the handler's when absent. */
  searchPath?: string;
  /** The file's name (`ntdll.pdb`, `ntdll.dll`). */
  fileName: string;
  /** A PDB's GUID (string, dashes optional) or NB10 signature; an image's TimeDateStamp. */
  id: string | number;
  /** A PDB's age; an image's SizeOfImage. */
  two: number;
  three?: number;
  signal?: AbortSignal;
  /** Told as a file is copied or downloaded into a downstream store. */
  onProgress?: (p: SymbolFileProgress) => void;
}

/** A copy or download in progress (`onProgress` of loadModule and findFileInPath). */
export interface SymbolFileProgress {
  /** Bytes received so far. */
  readonly bytes: number;
  /** Total bytes when known. */
  readonly total?: number;
  /** Where they come from (a path or URL). */
  readonly from: string;
}

export interface InitializeOptions {
  /** SymInitialize's UserSearchPath: null means the default (module directory). */
  searchPath?: string | null;
  /**
   * SymInitialize's fInvadeProcess: enumerate and load the modules of a live process (Windows,
   * native backend only). The current process unless `processId` names another.
   */
  invadeProcess?: boolean;
  /** With invadeProcess: the process to read (default: this one). */
  processId?: number;
  /** SYMOPT_* to set right after initialization. */
  options?: number;
  /** How this handler talks to HTTP symbol servers (`srv*C*https://...` elements). */
  symbolServer?: SymbolServerOptions;
}

/**
 * Settings for HTTP(S) symbol servers, per handler. Unset fields keep the defaults
 * (lib/symsrv/http/options.ts says each one and why).
 */
export interface SymbolServerOptions {
  /** Extra request headers, e.g. `{ authorization: 'Bearer ...' }` for a private server. */
  headers?: Record<string, string>;
  /** TCP connect and TLS handshake must finish within this. Default 10 s. */
  connectTimeoutMs?: number;
  /** No byte for this long is a stall. Default 30 s. */
  idleTimeoutMs?: number;
  /** One file's fetch, retries and redirects included. Default 30 min. */
  totalTimeoutMs?: number;
  /** Extra attempts after a retryable failure (reset, timeout, 5xx, 429). Default 2. */
  retries?: number;
  /** How long a server's "not found" is remembered on disk. Default 1 hour; 0 turns the miss cache off. */
  missCacheTtlMs?: number;
  /**
   * Proxy URL (`http://proxy:3128`), or `false` for none. Default: `_NT_SYMBOL_PROXY`, then
   * `HTTPS_PROXY`/`HTTP_PROXY` with `NO_PROXY`.
   */
  proxy?: string | false;
  /** Follow a `file.ptr` served over HTTP to a local or UNC path. Default false (a server could make us read local files). */
  allowHttpFilePtrToLocal?: boolean;
  /** User-Agent sent. Default `Microsoft-Symbol-Server/10.0.0.0 (dbghelp for Node.js)`. */
  userAgent?: string;
}

export interface LoadModuleOptions {
  baseAddress?: bigint;
  size?: number;
  moduleName?: string;
  /** A PDB to use instead of searching for one (still checked against the image). */
  pdbPath?: string;
  signal?: AbortSignal;
  /** Told as a symbol file is copied or downloaded into a downstream store. */
  onProgress?: (p: SymbolFileProgress) => void;
}

export interface EnumSymbolsOptions {
  /** Module base; 0n/undefined means every module (or the one `mask` names with `mod!`). */
  base?: bigint;
  /** DbgHelp wildcard mask (`*`, `?`), optionally `module!mask`. */
  mask?: string;
}

export interface FromAddrResult {
  symbol: SymbolInfo;
  displacement: bigint;
}

/**
 * What bulk symbolization reads of SymFromAddr's and SymGetLineFromAddr64's answers at one
 * address (BackendHandler.addressFacts): the same values, in one reused object.
 */
export interface AddressFacts {
  /** SymFromAddr's SYMBOL_INFO.Name (undefined: no symbol), its displacement, Flags, Tag and Size. */
  name: string | undefined;
  displacement: number;
  flags: number;
  tag: number;
  size: number;
  /** SymGetLineFromAddr64's FileName (undefined: no line) and LineNumber. */
  fileName: string | undefined;
  lineNumber: number;
}

/** What every backend implements; SymbolHandler delegates to one of these. */
/** One inline frame at an address (SymbolHandler.inlineFrames). */
export interface InlineFrame {
  /** The inlinee's name (SymFromInlineContext's SYMBOL_INFO.Name). */
  symbol: string;
  /** SymFromInlineContext's SYMBOL_INFO.Address: the start of the inline site's first range. */
  address: bigint;
  /** SymGetLineFromInlineContext's file and line: the innermost frame's line, else its call site. */
  file?: string;
  line?: number;
}

export interface BackendHandler {
  setSearchPath(p: string | null): void;
  getSearchPath(): string;
  setOptions(o: number): number;
  getOptions(): number;
  loadModule(imagePath: string, opts: LoadModuleOptions): Promise<bigint>;
  unloadModule(base: bigint): void;
  getModuleInfo(address: bigint): ModuleInfo | undefined;
  /** Why the module holding `address` has the symbols it has; absent: SymbolHandler derives it from getModuleInfo. */
  getModuleStatus?(address: bigint): ModuleStatus | undefined;
  /** SymEnumerateModulesW64: every loaded module, in ascending base order. */
  enumModules(): ModuleInfo[];
  fromAddr(address: bigint): FromAddrResult | undefined;
  fromName(name: string): SymbolInfo | undefined;
  enumSymbols(opts: EnumSymbolsOptions): IterableIterator<SymbolInfo>;
  getTypeFromName(base: bigint, name: string): SymbolInfo | undefined;
  getLineFromAddr(address: bigint): LineInfo | undefined;
  /**
   * Not DbgHelp's: these addresses (ascending, as numbers) are looked up next, until endBatch.
   * The portable backend then builds only the parts of its module indexes they reach
   * (portable/rva-batch.ts); answers are the same either way.
   */
  beginBatch?(addresses: Float64Array): void;
  endBatch?(): void;
  /**
   * Not DbgHelp's: fromAddr's and getLineFromAddr's answers at one address written into `out`,
   * without their objects and bigints (at 100,000 addresses those were ~25% of what
   * `dbghelp symbolize` allocated). SymbolHandler.addressFacts falls back to the two calls.
   */
  addressFacts?(address: bigint, out: AddressFacts): void;

  // Lines (SymGetLineNext64/Prev64, SymGetLineFromName64, SymEnumLines, SymEnumSourceFiles).
  getLineNext(line: LineInfo): LineInfo | undefined;
  getLinePrev(line: LineInfo): LineInfo | undefined;
  getLineFromName(moduleName: string | undefined, fileName: string, lineNumber: number): LineInfo | undefined;
  enumLines(base: bigint, opts: EnumLinesOptions): IterableIterator<SourceLine>;
  enumSourceFiles(base: bigint, mask: string | undefined): IterableIterator<SourceFile>;

  // Inline frames (SymAddrIncludeInlineTrace, SymQueryInlineTrace, SymFromInlineContext,
  // SymGetLineFromInlineContext).
  addrIncludeInlineTrace(address: bigint): number;
  queryInlineTrace(q: InlineTraceQuery): InlineTraceResult | undefined;
  fromInlineContext(address: bigint, inlineContext: number): FromAddrResult | undefined;
  getLineFromInlineContext(address: bigint, inlineContext: number): LineInfo | undefined;
  /**
   * The inline frames at an address, exactly as the DbgHelp walk over the four calls above
   * gives them (symbolicate/inline-frames.ts), from one search; undefined where this backend
   * leaves it to that walk.
   */
  inlineFrames?(address: bigint): InlineFrame[] | undefined;

  // Types (SymEnumTypes / SymEnumTypesByName, SymGetTypeInfo).
  enumTypes(base: bigint, mask: string | undefined): IterableIterator<SymbolInfo>;
  getTypeInfo(base: bigint, typeId: number, request: number): TypeInfoValue | undefined;

  // Scope (SymSetContext, SymSetScopeFromAddr): enumSymbols without a module then lists the
  // scope's locals and parameters.
  setContext(frame: StackFrameContext): boolean;
  setScopeFromAddr(address: bigint): boolean;

  // Search (SymFindFileInPath, SymSetHomeDirectory / SymGetHomeDirectory).
  findFileInPath(opts: FindFileOptions): Promise<string | undefined>;
  setHomeDirectory(dir: string | null): string;
  getHomeDirectory(): string;

  cleanup(): void;
  onDebug(listener: ((line: string) => void) | undefined): void;

  /**
   * StackWalkEx over a thread the caller serves memory for (lib/stack/backend-walk.ts): the
   * native and ffi backends walk with dbghelp.dll on this handler's process handle, with the
   * modules loaded at their bases; absent (portable): lib/stackwalk walks.
   */
  stackWalk?(req: BackendWalkRequest): BackendWalk;
}
