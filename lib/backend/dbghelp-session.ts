/**
 * The boundary to dbghelp.dll, typed in one place: what the native addon's `Session` class
 * (native/session.cc) and the koffi binding (ffi.ts) both provide. Each method is one DbgHelp
 * call (W variant) on the session's own process handle, serialized with every other call.
 *
 * Conventions on both sides of the boundary: addresses are bigint; a DbgHelp FALSE on a lookup
 * is `undefined`; a failure that is not a miss throws DbgHelpError with DbgHelp's GetLastError
 * number in `win32Error`; a null string argument is DbgHelp's NULL.
 */
import type { FromAddrResult, LineInfo, ModuleInfo, SourceFile, SourceLine, SymbolInfo } from '../api/types';

export interface DbgHelpSession {
  setSearchPath(path: string | null): void;
  getSearchPath(): string;
  /** Per session: applied (with SYMOPT_LOAD_LINES) before each call, since SymSetOptions is process-wide. */
  setOptions(options: number): number;
  getOptions(): number;
  /**
   * SymLoadModuleExW; resolves to the base. Runs off the JS thread in the addon. `searchPath`,
   * when given, is the search path for this load only: set before and restored after it, inside
   * the DbgHelp lock, so no other call sees it.
   */
  loadModule(image: string, moduleName: string | null, base: bigint, size: number, searchPath?: string | null): Promise<bigint>;
  unloadModule(base: bigint): void;
  getModuleInfo(address: bigint): ModuleInfo | undefined;
  /** SymEnumerateModulesW64: every module's base (after invading a process, its modules). */
  listModules(): bigint[];
  fromAddr(address: bigint): FromAddrResult | undefined;
  fromName(name: string): SymbolInfo | undefined;
  /** SymEnumSymbolsW with DbgHelp's own base/mask rules (base 0 and no `!`: the scope). */
  enumSymbols(base: bigint, mask: string): SymbolInfo[];
  getTypeFromName(base: bigint, name: string): SymbolInfo | undefined;
  getLineFromAddr(address: bigint): LineInfo | undefined;
  /** The line at `address`, then SymGetLineNextW64 / SymGetLinePrevW64. */
  getLineNext(address: bigint): LineInfo | undefined;
  getLinePrev(address: bigint): LineInfo | undefined;
  getLineFromName(moduleName: string | null, fileName: string, lineNumber: number): { line: LineInfo; displacement: number } | undefined;
  enumLines(base: bigint, obj: string | null, file: string | null): SourceLine[];
  enumSourceFiles(base: bigint, mask: string | null): SourceFile[];
  addrIncludeInlineTrace(address: bigint): number;
  /** SymQueryInlineTrace; FALSE with ERROR_INVALID_PARAMETER (a start in another function) throws INVALID_PARAMETER. */
  queryInlineTrace(start: bigint, startContext: number, retAddress: bigint, cur: bigint): { context: number; frameIndex: number } | undefined;
  fromInlineContext(address: bigint, inlineContext: number): FromAddrResult | undefined;
  getLineFromInlineContext(address: bigint, inlineContext: number, base: bigint | null): LineInfo | undefined;
  /** SymGetTypeInfo: string (SYMNAME), bigint (LENGTH, ADDRESS, 64-bit VALUE), number[] (FINDCHILDREN), else number. */
  getTypeInfo(base: bigint, typeId: number, request: number): number | bigint | string | number[] | undefined;
  /** SymEnumTypesW, or SymEnumTypesByNameW when a mask is given. */
  enumTypes(base: bigint, mask: string | null): SymbolInfo[];
  setContext(instruction: bigint, ret: bigint, frame: bigint, stack: bigint, inlineContext: number): boolean;
  setScopeFromAddr(address: bigint): boolean;
  /** SymFindFileInPathW: SSRVOPT_GUIDPTR with `guid`, else SSRVOPT_DWORD with `dword`. */
  findFileInPath(searchPath: string | null, fileName: string, id: { guid?: string; dword?: number }, two: number, three: number): Promise<string | undefined>;
  setHomeDirectory(dir: string | null): string;
  /** SymGetHomeDirectoryW: 0 hdBase, 1 hdSym, 2 hdSrc. */
  getHomeDirectory(type: number): string | undefined;
  setDebugListener(listener: ((line: string) => void) | undefined): void;
  cleanup(): void;
  /**
   * StackWalkEx(machine, handle, thread, frame, context, ...) from AddrPC/AddrStack/AddrFrame =
   * pc/sp/fp until it answers FALSE or maxFrames frames; every memory read goes to `read`
   * (called synchronously from DbgHelp's callbacks: a prefix of the bytes asked, or undefined).
   * `stopped` is GetLastError after the last call.
   */
  stackWalk(
    machine: number,
    context: Uint8Array,
    read: (address: bigint, size: number) => Uint8Array | undefined,
    threadId: number,
    maxFrames: number,
    pc: bigint,
    sp: bigint,
    fp: bigint,
  ): { frames: { pc: bigint; ret: bigint; sp: bigint; fp: bigint; inlineContext: number }[]; stopped: number };
}

/** How a session is opened: SymInitializeW(handle, searchPath, invade). */
export interface SessionInit {
  searchPath: string | null;
  options: number;
  /** 0: a private fake process handle; else the id of a process to open and invade. */
  invadePid: number;
}
