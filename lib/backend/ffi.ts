/**
 * The ffi backend: koffi calling dbghelp.dll, for Windows machines where no prebuild matches and
 * no compiler exists. It implements the same DbgHelpSession as the native addon, so DllHandler
 * gives both the same behaviour.
 *
 * Every call runs on the JS thread (loadModule and findFileInPath included: their Promise is
 * settled when the call returns), which serializes DbgHelp by construction. Structs are read
 * from Buffers with koffi's layouts of SYMBOL_INFOW, IMAGEHLP_MODULEW64 and IMAGEHLP_LINEW64
 * (the SizeOfStruct values DbgHelp checks: 88, 3264 and 40 on x64).
 *
 * Over 400 lines on purpose: koffi's declaration of every dbghelp.dll structure and entry point
 * the DllHandler calls sits next to the call that marshals it.
 */
import { DEFAULT_SYMOPTS, SymOpt } from '../api/constants';
import { DbgHelpError } from '../api/errors';
import type { FromAddrResult, InitializeOptions, LineInfo, ModuleInfo, SourceFile, SourceLine, SymbolInfo } from '../api/types';
import type { DbgHelpSession } from './dbghelp-session';
import { DllHandler } from './dll-handler';
import type { Backend } from './types';
import { CODE_BY_WIN32, win32Error } from './win32-codes';
import { identifyDll, unusableFunctions, type DllImage } from './wine';
import { dumpFunction, writeMinidumpArgs } from './minidump-io';
import { dllReadsStores } from './store-search';

type Koffi = typeof import('koffi');
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Fn = (...args: any[]) => any;
type KType = ReturnType<Koffi['pointer']>;

const SYMBOL_INFO_SIZE = 88; // SizeOfStruct: the fixed part, Name[1] included, padded
const NAME_OFFSET = 84;
const MAX_NAME = 2000;
const LOAD_LINES = 0x10;
const API_KEY = Symbol.for('dbghelp.ffi.api');

export function loadFfi(): Backend {
  if (process.platform !== 'win32') {
    throw new DbgHelpError('BACKEND_UNAVAILABLE', `the ffi backend calls dbghelp.dll through koffi and runs only on Windows (this is ${process.platform}); use DBGHELP_BACKEND=portable`);
  }
  // koffi's native module and the types it registers by name live once per process, while this
  // file may be loaded again (jest.isolateModules, bundlers): bind once and keep it on globalThis.
  const g = globalThis as { [API_KEY]?: Api };
  let api = g[API_KEY];
  if (!api) {
    let koffi: Koffi;
    try {
      koffi = require('koffi') as Koffi;
    } catch (e) {
      throw new DbgHelpError(
        'BACKEND_UNAVAILABLE',
        `the ffi backend needs the optional dependency koffi, which did not load: ${String((e as Error).message).split('\n')[0]}. ` +
          'Possible solutions: reinstall without --omit=optional so koffi and its win32 binary are installed; or use DBGHELP_BACKEND=portable.',
        { cause: e },
      );
    }
    api = g[API_KEY] = bind(koffi);
  }
  const a = api;
  const unusable = unusableFunctions(a.dllImage);
  const readsStores = dllReadsStores(a.dllPath, a.dllImage.kind);
  return {
    name: 'ffi',
    dllPath: a.dllPath,
    dllImage: a.dllImage,
    createHandler: (options: InitializeOptions) => new DllHandler(new FfiSession(a, options), unusable, a.dllPath, readsStores, options.symbolServer, a.dllImage.kind),
    writeMinidump(file, opts) {
      const fn = dumpExport(a, 'MiniDumpWriteDump', 'int CC MiniDumpWriteDump(void *h, uint32 pid, void *file, uint32 type, void *e, void *u, void *c)');
      const [p, pid, type] = writeMinidumpArgs(file, opts);
      const k = a.f;
      const self = pid === 0 || pid === process.pid;
      const proc = self ? k.GetCurrentProcess() : k.OpenProcess(0x0400 | 0x0010 | 0x0040, 0, pid);
      if (!proc) throw win32Error(`OpenProcess(${pid})`, k.GetLastError() as number);
      // GENERIC_READ | GENERIC_WRITE, no sharing, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL
      const h = k.CreateFileW(p, 0xc0000000, 0, null, 2, 0x80, null);
      try {
        if (!h || BigInt(a.k.address(h)) === 0xffffffffffffffffn) throw win32Error(`CreateFileW(${p})`, k.GetLastError() as number);
        try {
          if (!fn(proc, self ? process.pid : pid, h, type, null, null, null)) throw win32Error('MiniDumpWriteDump', k.GetLastError() as number);
        } finally {
          k.CloseHandle(h);
        }
      } finally {
        if (!self) k.CloseHandle(proc);
      }
    },
    readDumpStream(dump, streamType) {
      const fn = dumpExport(a, 'MiniDumpReadDumpStream', 'int CC MiniDumpReadDumpStream(void *base, uint32 type, _Out_ void **dir, _Out_ void **stream, _Out_ uint32 *size)');
      // The dump in memory koffi owns, so the stream pointer can be turned into an offset.
      const mem = a.k.alloc('uint8', Math.max(dump.byteLength, 1));
      try {
        new Uint8Array(a.k.view(mem, dump.byteLength)).set(dump);
        const dir = [null];
        const stream = [null];
        const size = [0];
        if (!fn(mem, streamType >>> 0, dir, stream, size) || !stream[0]) return undefined;
        const offset = Number(a.k.address(stream[0]) - a.k.address(mem));
        if (offset < 0 || offset + size[0] > dump.byteLength) return undefined;
        return Uint8Array.prototype.slice.call(dump, offset, offset + size[0]);
      } finally {
        a.k.free(mem);
      }
    },
  };
}

const lateBound = new Map<string, Fn>();
/** A minidump function of dbghelp.dll, looked up now (minidump-io.ts says why); UNSUPPORTED when it does not resolve. */
function dumpExport(a: Api, name: string, decl: string): Fn {
  const fn = lateBound.get(name) ?? a.late(decl);
  dumpFunction(name, a.dllPath, a.dllImage, fn !== undefined);
  lateBound.set(name, fn!);
  return fn!;
}

/** dbghelp.dll's functions and the struct layouts, bound once. */
interface Api {
  k: Koffi;
  f: Record<string, Fn>;
  /** Inline-frame functions: absent from older dbghelp.dll files. */
  opt: Record<string, Fn | undefined>;
  MODULE: KType;
  LINE: KType;
  moduleSize: number;
  lineSize: number;
  enumSymProto: KType;
  enumLinesProto: KType;
  enumFilesProto: KType;
  enumModsProto: KType;
  regProto: KType;
  readMemProto: KType;
  ftaProto: KType;
  modBaseProto: KType;
  dllPath: string | undefined;
  dllImage: DllImage;
  /** Binds a dbghelp.dll function by name when called (CC is the calling convention). */
  late(decl: string): Fn | undefined;
}

function bind(k: Koffi): Api {
  const dll = k.load('dbghelp.dll');
  // koffi registers type names in its native module, shared by every load of this file in the
  // process (each jest test file has its own globalThis): a per-bind suffix keeps them unique.
  const tag = `_${Math.random().toString(36).slice(2, 10)}`;
  const kernel32 = k.load('kernel32.dll');
  const cc = process.arch === 'ia32' ? '__stdcall' : '';
  const GUID = k.struct(`DBGHELP_GUID${tag}`, { Data1: 'uint32', Data2: 'uint16', Data3: 'uint16', Data4: k.array('uint8', 8) });
  const MODULE = k.struct(`IMAGEHLP_MODULEW64${tag}`, {
    SizeOfStruct: 'uint32',
    BaseOfImage: 'uint64',
    ImageSize: 'uint32',
    TimeDateStamp: 'uint32',
    CheckSum: 'uint32',
    NumSyms: 'uint32',
    SymType: 'int',
    ModuleName: k.array('char16', 32),
    ImageName: k.array('char16', 256),
    LoadedImageName: k.array('char16', 256),
    LoadedPdbName: k.array('char16', 256),
    CVSig: 'uint32',
    CVData: k.array('char16', 780),
    PdbSig: 'uint32',
    PdbSig70: GUID,
    PdbAge: 'uint32',
    PdbUnmatched: 'int',
    DbgUnmatched: 'int',
    LineNumbers: 'int',
    GlobalSymbols: 'int',
    TypeInfo: 'int',
    SourceIndexed: 'int',
    Publics: 'int',
    MachineType: 'uint32',
    Reserved: 'uint32',
  });
  const LINE = k.struct(`IMAGEHLP_LINEW64${tag}`, { SizeOfStruct: 'uint32', Key: 'void *', LineNumber: 'uint32', FileName: 'void *', Address: 'uint64' });
  const fn = (decl: string) => dll.func(decl.replace('CC ', cc ? `${cc} ` : ''));
  const f: Record<string, Fn> = {
    SymInitializeW: fn('int CC SymInitializeW(void *h, const char16_t *path, int invade)'),
    SymCleanup: fn('int CC SymCleanup(void *h)'),
    SymSetOptions: fn('uint32 CC SymSetOptions(uint32 o)'),
    SymSetSearchPathW: fn('int CC SymSetSearchPathW(void *h, const char16_t *path)'),
    SymGetSearchPathW: fn('int CC SymGetSearchPathW(void *h, void *buf, uint32 size)'),
    SymLoadModuleExW: fn('uint64 CC SymLoadModuleExW(void *h, void *file, const char16_t *image, const char16_t *module, uint64 base, uint32 size, void *data, uint32 flags)'),
    SymUnloadModule64: fn('int CC SymUnloadModule64(void *h, uint64 base)'),
    SymGetModuleInfoW64: fn('int CC SymGetModuleInfoW64(void *h, uint64 addr, void *info)'),
    SymEnumerateModulesW64: fn('int CC SymEnumerateModulesW64(void *h, void *cb, void *ctx)'),
    SymFromAddrW: fn('int CC SymFromAddrW(void *h, uint64 addr, _Out_ uint64 *disp, void *info)'),
    SymFromNameW: fn('int CC SymFromNameW(void *h, const char16_t *name, void *info)'),
    SymEnumSymbolsW: fn('int CC SymEnumSymbolsW(void *h, uint64 base, const char16_t *mask, void *cb, void *ctx)'),
    SymGetTypeFromNameW: fn('int CC SymGetTypeFromNameW(void *h, uint64 base, const char16_t *name, void *info)'),
    SymGetLineFromAddrW64: fn('int CC SymGetLineFromAddrW64(void *h, uint64 addr, _Out_ uint32 *disp, void *line)'),
    SymGetLineNextW64: fn('int CC SymGetLineNextW64(void *h, void *line)'),
    SymGetLinePrevW64: fn('int CC SymGetLinePrevW64(void *h, void *line)'),
    SymGetLineFromNameW64: fn('int CC SymGetLineFromNameW64(void *h, const char16_t *module, const char16_t *file, uint32 line, _Out_ int32 *disp, void *out)'),
    SymEnumLinesW: fn('int CC SymEnumLinesW(void *h, uint64 base, const char16_t *obj, const char16_t *file, void *cb, void *ctx)'),
    SymEnumSourceFilesW: fn('int CC SymEnumSourceFilesW(void *h, uint64 base, const char16_t *mask, void *cb, void *ctx)'),
    SymGetTypeInfo: fn('int CC SymGetTypeInfo(void *h, uint64 base, uint32 id, int what, void *out)'),
    SymEnumTypesW: fn('int CC SymEnumTypesW(void *h, uint64 base, void *cb, void *ctx)'),
    SymEnumTypesByNameW: fn('int CC SymEnumTypesByNameW(void *h, uint64 base, const char16_t *mask, void *cb, void *ctx)'),
    SymSetContext: fn('int CC SymSetContext(void *h, void *frame, void *ctx)'),
    SymSetScopeFromAddr: fn('int CC SymSetScopeFromAddr(void *h, uint64 addr)'),
    SymFindFileInPathW: fn('int CC SymFindFileInPathW(void *h, const char16_t *path, const char16_t *file, void *id, uint32 two, uint32 three, uint32 flags, void *found, void *cb, void *ctx)'),
    SymSetHomeDirectoryW: fn('void * CC SymSetHomeDirectoryW(void *h, const char16_t *dir)'),
    SymGetHomeDirectoryW: fn('void * CC SymGetHomeDirectoryW(uint32 type, void *dir, uintptr_t size)'),
    SymRegisterCallbackW64: fn('int CC SymRegisterCallbackW64(void *h, void *cb, uint64 ctx)'),
    GetLastError: kernel32.func(`uint32 ${cc} GetLastError()`.replace('  ', ' ')),
    SetLastError: kernel32.func(`void ${cc} SetLastError(uint32 e)`.replace('  ', ' ')),
    LocalFree: kernel32.func(`void * ${cc} LocalFree(void *p)`.replace('  ', ' ')),
    GetCurrentProcess: kernel32.func(`void * ${cc} GetCurrentProcess()`.replace('  ', ' ')),
    OpenProcess: kernel32.func(`void * ${cc} OpenProcess(uint32 access, int inherit, uint32 pid)`.replace('  ', ' ')),
    CreateFileW: kernel32.func(`void * ${cc} CreateFileW(const char16_t *name, uint32 access, uint32 share, void *sa, uint32 disp, uint32 flags, void *tmpl)`.replace('  ', ' ')),
    CloseHandle: kernel32.func(`int ${cc} CloseHandle(void *h)`.replace('  ', ' ')),
  };
  const optional = (decl: string): Fn | undefined => {
    try {
      return fn(decl);
    } catch {
      return undefined;
    }
  };
  const opt: Record<string, Fn | undefined> = {
    StackWalkEx: optional('int CC StackWalkEx(uint32 machine, void *h, void *thread, _Inout_ void *frame, void *ctx, void *read, void *fta, void *modBase, void *translate, uint32 flags)'),
    SymFunctionTableAccess64AccessRoutines: optional('void * CC SymFunctionTableAccess64AccessRoutines(void *h, uint64 addr, void *read, void *modBase)'),
    SymFunctionTableAccess64: optional('void * CC SymFunctionTableAccess64(void *h, uint64 addr)'),
    SymGetModuleBase64: optional('uint64 CC SymGetModuleBase64(void *h, uint64 addr)'),
    SymAddrIncludeInlineTrace: optional('uint32 CC SymAddrIncludeInlineTrace(void *h, uint64 addr)'),
    SymQueryInlineTrace: optional('int CC SymQueryInlineTrace(void *h, uint64 start, uint32 startCtx, uint64 ret, uint64 cur, _Out_ uint32 *ctx, _Out_ uint32 *frame)'),
    SymFromInlineContextW: optional('int CC SymFromInlineContextW(void *h, uint64 addr, uint32 ctx, _Out_ uint64 *disp, void *info)'),
    SymGetLineFromInlineContextW: optional('int CC SymGetLineFromInlineContextW(void *h, uint64 addr, uint32 ctx, uint64 base, _Out_ uint32 *disp, void *line)'),
    SymSetScopeFromInlineContext: optional('int CC SymSetScopeFromInlineContext(void *h, uint64 addr, uint32 ctx)'),
  };
  // Callback data (ULONG64) is a pointer; on ia32 it is split in two 32-bit halves on the stack.
  const dataArgs = process.arch === 'ia32' ? 'void *data, uint32 dataHigh' : 'void *data';
  const k32 = k.load('kernel32.dll');
  const GetModuleHandleW = k32.func(`void * ${cc} GetModuleHandleW(const char16_t *name)`.replace('  ', ' '));
  const GetModuleFileNameW = k32.func(`uint32 ${cc} GetModuleFileNameW(void *m, void *buf, uint32 size)`.replace('  ', ' '));
  const pathBuf = Buffer.alloc(1040);
  const hDbgHelp = GetModuleHandleW('dbghelp.dll');
  const n = GetModuleFileNameW(hDbgHelp, pathBuf, 520) as number;
  // The version resource of the image in memory (RT_VERSION 16, id 1), as the addon reads it.
  const FindResourceW = k32.func(`void * ${cc} FindResourceW(void *m, uintptr_t name, uintptr_t type)`.replace('  ', ' '));
  const LoadResource = k32.func(`void * ${cc} LoadResource(void *m, void *r)`.replace('  ', ' '));
  const LockResource = k32.func(`void * ${cc} LockResource(void *g)`.replace('  ', ' '));
  const SizeofResource = k32.func(`uint32 ${cc} SizeofResource(void *m, void *r)`.replace('  ', ' '));
  const res = FindResourceW(hDbgHelp, 1, 16);
  const resData = res ? LockResource(LoadResource(hDbgHelp, res)) : null;
  const resSize = res ? (SizeofResource(hDbgHelp, res) as number) : 0;
  const versionResource = resData && resSize ? Buffer.from(k.view(resData, resSize)) : undefined;
  const api: Api = {
    k,
    f,
    opt,
    MODULE,
    LINE,
    moduleSize: k.sizeof(MODULE),
    lineSize: k.sizeof(LINE),
    enumSymProto: k.pointer(k.proto(`int ${cc} DbgHelpEnumSymbolsCb${tag}(void *info, uint32 size, void *ctx)`.replace('  ', ' '))),
    enumLinesProto: k.pointer(k.proto(`int ${cc} DbgHelpEnumLinesCb${tag}(void *line, void *ctx)`.replace('  ', ' '))),
    enumFilesProto: k.pointer(k.proto(`int ${cc} DbgHelpEnumFilesCb${tag}(void *file, void *ctx)`.replace('  ', ' '))),
    enumModsProto: k.pointer(k.proto(`int ${cc} DbgHelpEnumModulesCb${tag}(const char16_t *name, uint64 base, void *ctx)`.replace('  ', ' '))),
    regProto: k.pointer(k.proto(`int ${cc} DbgHelpRegisteredCb${tag}(void *h, uint32 action, ${dataArgs}, uint64 ctx)`.replace('  ', ' '))),
    readMemProto: k.pointer(k.proto(`int ${cc} DbgHelpReadMemoryCb${tag}(void *h, uint64 base, void *buf, uint32 size, void *done)`.replace('  ', ' '))),
    ftaProto: k.pointer(k.proto(`void * ${cc} DbgHelpFunctionTableCb${tag}(void *h, uint64 addr)`.replace('  ', ' '))),
    modBaseProto: k.pointer(k.proto(`uint64 ${cc} DbgHelpModuleBaseCb${tag}(void *h, uint64 addr)`.replace('  ', ' '))),
    dllPath: n ? pathBuf.toString('utf16le', 0, n * 2) : undefined,
    dllImage: identifyDll(versionResource),
    late: optional,
  };
  if (process.arch === 'x64' && api.moduleSize !== 3264) throw new Error(`IMAGEHLP_MODULEW64 is ${api.moduleSize} bytes, not 3264`);
  return api;
}

let nextFakeHandle = 0x0db60000;

class FfiSession implements DbgHelpSession {
  private readonly h: bigint;
  private live = false;
  private options: number;
  private listener: ((line: string) => void) | undefined;
  private readonly debugCb: bigint;
  private readonly f: Record<string, Fn>;

  constructor(
    private readonly api: Api,
    init: InitializeOptions,
  ) {
    if (init.invadeProcess) {
      throw new DbgHelpError('UNSUPPORTED', 'the ffi backend does not invade processes; use the native backend (DBGHELP_BACKEND=native)');
    }
    this.f = api.f;
    // A unique, never-dereferenced value per session: DbgHelp only needs hProcess to be unique.
    nextFakeHandle += 4;
    this.h = BigInt(nextFakeHandle);
    this.options = (init.options ?? DEFAULT_SYMOPTS) >>> 0;
    this.apply();
    if (!this.f.SymInitializeW(this.h, init.searchPath ?? null, 0)) throw this.error('SymInitializeW');
    this.live = true;
    this.debugCb = api.k.register((_h: unknown, action: number, data: unknown) => {
      if (action !== 0x10000000) return 0; // CBA_DEBUG_INFO
      const line = api.k.decode.string16(data);
      this.listener?.(line.replace(/[\r\n]+$/, ''));
      return 1;
    }, api.regProto);
    this.f.SymRegisterCallbackW64(this.h, this.debugCb, 0n);
  }

  /** The session's options, as the addon applies them (see native/session.cc ApplyOptions). */
  private apply(): void {
    this.f.SymSetOptions(((this.options | LOAD_LINES) & ~SymOpt.DEFERRED_LOADS) >>> 0);
  }
  private check(): void {
    if (!this.live) throw new DbgHelpError('INVALID_HANDLE', 'the symbol handler was cleaned up');
  }
  /** One DbgHelp call with the session's options; returns its result. */
  private call<T>(fn: () => T): T {
    this.check();
    this.apply();
    this.f.SetLastError(0);
    return fn();
  }
  private error(what: string, fallback: DbgHelpError['code'] = 'IO_ERROR'): DbgHelpError {
    const n = this.f.GetLastError() as number;
    return new DbgHelpError(CODE_BY_WIN32[n] ?? fallback, `${what} failed (Win32 error ${n})`, { win32Error: n });
  }
  /** Runs an enumeration with a registered callback, unregistering it afterwards. */
  private withCallback<T>(cb: Fn, proto: KType, run: (ptr: unknown) => T): T {
    const ptr = this.api.k.register(cb, proto);
    try {
      return run(ptr);
    } finally {
      this.api.k.unregister(ptr);
    }
  }

  setSearchPath(p: string | null): void {
    if (!this.call(() => this.f.SymSetSearchPathW(this.h, p))) throw this.error('SymSetSearchPathW');
  }
  getSearchPath(): string {
    const buf = Buffer.alloc(65536);
    if (!this.call(() => this.f.SymGetSearchPathW(this.h, buf, 32768))) throw this.error('SymGetSearchPathW');
    return wstr(buf, 0, 32768);
  }
  setOptions(o: number): number {
    this.check();
    this.options = o >>> 0;
    return this.options;
  }
  getOptions(): number {
    this.check();
    return this.options;
  }
  async loadModule(image: string, moduleName: string | null, base: bigint, size: number, searchPath?: string | null): Promise<bigint> {
    // A search path for this load only: set and restored inside this one synchronous call.
    const saved = searchPath !== null && searchPath !== undefined ? this.getSearchPath() : undefined;
    if (searchPath !== null && searchPath !== undefined) this.setSearchPath(searchPath);
    let r: bigint;
    let n: number;
    try {
      r = BigInt(this.call(() => this.f.SymLoadModuleExW(this.h, null, image, moduleName, base, size, null, 0)));
      n = r === 0n ? (this.f.GetLastError() as number) : 0;
    } finally {
      if (saved !== undefined) this.setSearchPath(saved);
    }
    if (r !== 0n) return r;
    if (n === 0 && base !== 0n) return base; // already loaded there (documented: 0 with ERROR_SUCCESS)
    throw new DbgHelpError(CODE_BY_WIN32[n] ?? 'IO_ERROR', `SymLoadModuleExW(${image}) failed (Win32 error ${n})`, { win32Error: n, file: image });
  }
  unloadModule(base: bigint): void {
    if (!this.call(() => this.f.SymUnloadModule64(this.h, base))) throw this.error('SymUnloadModule64', 'MODULE_NOT_FOUND');
  }
  getModuleInfo(address: bigint): ModuleInfo | undefined {
    const buf = Buffer.alloc(this.api.moduleSize);
    buf.writeUInt32LE(this.api.moduleSize, 0);
    if (!this.call(() => this.f.SymGetModuleInfoW64(this.h, address, buf))) return undefined;
    return moduleFromJs(this.api.k.decode(buf, this.api.MODULE));
  }
  listModules(): bigint[] {
    const bases: bigint[] = [];
    this.withCallback(
      (_n: string, base: bigint | number) => (bases.push(BigInt(base)), 1),
      this.api.enumModsProto,
      (cb) => this.call(() => this.f.SymEnumerateModulesW64(this.h, cb, null)),
    );
    return bases;
  }
  fromAddr(address: bigint): FromAddrResult | undefined {
    const buf = symbolBuffer();
    const disp = [0n];
    if (!this.call(() => this.f.SymFromAddrW(this.h, address, disp, buf))) return undefined;
    return { symbol: symbolFromBuffer(buf), displacement: BigInt(disp[0]) };
  }
  fromName(name: string): SymbolInfo | undefined {
    const buf = symbolBuffer();
    return this.call(() => this.f.SymFromNameW(this.h, name, buf)) ? symbolFromBuffer(buf) : undefined;
  }
  private collectSymbols(run: (cb: unknown) => unknown): SymbolInfo[] {
    const out: SymbolInfo[] = [];
    const k = this.api.k;
    this.withCallback(
      (info: unknown) => {
        const fixed = Buffer.from(k.view(info, SYMBOL_INFO_SIZE)).subarray(0, NAME_OFFSET);
        const nameLen = fixed.readUInt32LE(76);
        const name = k.decode(info, NAME_OFFSET, 'char16', nameLen) as string;
        out.push(symbolFields(fixed, name));
        return 1;
      },
      this.api.enumSymProto,
      run,
    );
    return out;
  }
  enumSymbols(base: bigint, mask: string): SymbolInfo[] {
    return this.collectSymbols((cb) => this.call(() => this.f.SymEnumSymbolsW(this.h, base, mask, cb, null)));
  }
  getTypeFromName(base: bigint, name: string): SymbolInfo | undefined {
    const buf = symbolBuffer();
    return this.call(() => this.f.SymGetTypeFromNameW(this.h, base, name, buf)) ? symbolFromBuffer(buf) : undefined;
  }
  private lineBuffer(): Buffer {
    const b = Buffer.alloc(this.api.lineSize);
    b.writeUInt32LE(this.api.lineSize, 0);
    return b;
  }
  private lineFrom(buf: Buffer, displacement: number): LineInfo {
    const l = this.api.k.decode(buf, this.api.LINE) as { LineNumber: number; FileName: unknown; Address: bigint | number };
    return {
      fileName: l.FileName ? (this.api.k.decode.string16(l.FileName) as string) : '',
      lineNumber: l.LineNumber,
      address: BigInt(l.Address),
      displacement,
    };
  }
  getLineFromAddr(address: bigint): LineInfo | undefined {
    const buf = this.lineBuffer();
    const disp = [0];
    if (!this.call(() => this.f.SymGetLineFromAddrW64(this.h, address, disp, buf))) return undefined;
    return this.lineFrom(buf, disp[0]);
  }
  private step(address: bigint, next: boolean): LineInfo | undefined {
    const buf = this.lineBuffer();
    const disp = [0];
    if (!this.call(() => this.f.SymGetLineFromAddrW64(this.h, address, disp, buf))) return undefined;
    if (!this.call(() => (next ? this.f.SymGetLineNextW64 : this.f.SymGetLinePrevW64)(this.h, buf))) return undefined;
    return this.lineFrom(buf, 0);
  }
  getLineNext(address: bigint): LineInfo | undefined {
    return this.step(address, true);
  }
  getLinePrev(address: bigint): LineInfo | undefined {
    return this.step(address, false);
  }
  getLineFromName(moduleName: string | null, fileName: string, lineNumber: number): { line: LineInfo; displacement: number } | undefined {
    const buf = this.lineBuffer();
    const disp = [0];
    if (!this.call(() => this.f.SymGetLineFromNameW64(this.h, moduleName, fileName, lineNumber, disp, buf))) return undefined;
    return { line: this.lineFrom(buf, 0), displacement: disp[0] };
  }
  enumLines(base: bigint, obj: string | null, file: string | null): SourceLine[] {
    const k = this.api.k;
    const out: SourceLine[] = [];
    // SRCCODEINFOW: SizeOfStruct, Key, ModBase, Obj[261], FileName[261], LineNumber, Address.
    const ptr = process.arch === 'ia32' ? 4 : 8;
    const modBaseAt = ptr === 8 ? 16 : 8;
    const objAt = modBaseAt + 8;
    const fileAt = objAt + 261 * 2;
    const lineAt = fileAt + 261 * 2;
    const addrAt = (lineAt + 4 + 7) & ~7;
    this.withCallback(
      (info: unknown) => {
        const b = Buffer.from(k.view(info, addrAt + 8));
        out.push({ modBase: b.readBigUInt64LE(modBaseAt), obj: wstr(b, objAt, 261), fileName: wstr(b, fileAt, 261), lineNumber: b.readUInt32LE(lineAt), address: b.readBigUInt64LE(addrAt) });
        return 1;
      },
      this.api.enumLinesProto,
      (cb) => this.call(() => this.f.SymEnumLinesW(this.h, base, obj, file, cb, null)),
    );
    return out;
  }
  enumSourceFiles(base: bigint, mask: string | null): SourceFile[] {
    const k = this.api.k;
    const out: SourceFile[] = [];
    this.withCallback(
      (info: unknown) => {
        // SOURCEFILEW: DWORD64 ModBase; PWSTR FileName.
        const b = Buffer.from(k.view(info, 16));
        const namePtr = k.decode(info, 8, 'void *');
        out.push({ modBase: b.readBigUInt64LE(0), fileName: namePtr ? (k.decode.string16(namePtr) as string) : '' });
        return 1;
      },
      this.api.enumFilesProto,
      (cb) => this.call(() => this.f.SymEnumSourceFilesW(this.h, base, mask, cb, null)),
    );
    return out;
  }
  private inline(name: string): Fn {
    const fn = this.api.opt[name];
    if (!fn) throw new DbgHelpError('UNSUPPORTED', `${this.api.dllPath ?? 'dbghelp.dll'} has no ${name} (DbgHelp 6.2 / Windows 8 added it)`);
    return fn;
  }
  addrIncludeInlineTrace(address: bigint): number {
    const fn = this.inline('SymAddrIncludeInlineTrace');
    return this.call(() => fn(this.h, address)) as number;
  }
  queryInlineTrace(start: bigint, startContext: number, retAddress: bigint, cur: bigint): { context: number; frameIndex: number } | undefined {
    const fn = this.inline('SymQueryInlineTrace');
    const ctx = [0];
    const frame = [0];
    if (!this.call(() => fn(this.h, start, startContext, retAddress, cur, ctx, frame))) {
      // A start outside CurAddress's function is the caller's mistake (ERROR_INVALID_PARAMETER).
      if (this.f.GetLastError() === 87) throw this.error('SymQueryInlineTrace');
      return undefined;
    }
    return { context: ctx[0], frameIndex: frame[0] };
  }
  fromInlineContext(address: bigint, inlineContext: number): FromAddrResult | undefined {
    const fn = this.inline('SymFromInlineContextW');
    const buf = symbolBuffer();
    const disp = [0n];
    if (!this.call(() => fn(this.h, address, inlineContext, disp, buf))) return undefined;
    return { symbol: symbolFromBuffer(buf), displacement: BigInt(disp[0]) };
  }
  getLineFromInlineContext(address: bigint, inlineContext: number, base: bigint | null): LineInfo | undefined {
    const fn = this.inline('SymGetLineFromInlineContextW');
    const buf = this.lineBuffer();
    const disp = [0];
    if (!this.call(() => fn(this.h, address, inlineContext, base ?? 0n, disp, buf))) return undefined;
    return this.lineFrom(buf, disp[0]);
  }
  getTypeInfo(base: bigint, typeId: number, request: number): number | bigint | string | number[] | undefined {
    const k = this.api.k;
    const out = Buffer.alloc(24);
    switch (request) {
      case 1: {
        // TI_GET_SYMNAME: a WCHAR* DbgHelp allocated with LocalAlloc.
        if (!this.call(() => this.f.SymGetTypeInfo(this.h, base, typeId, request, out))) return undefined;
        const p = k.decode(out, 'void *');
        const s = p ? (k.decode.string16(p) as string) : '';
        if (p) this.f.LocalFree(p);
        return s;
      }
      case 2:
      case 22: // TI_GET_LENGTH, TI_GET_ADDRESS: ULONG64
        return this.call(() => this.f.SymGetTypeInfo(this.h, base, typeId, request, out)) ? out.readBigUInt64LE(0) : undefined;
      case 7: {
        // TI_FINDCHILDREN: TI_FINDCHILDREN_PARAMS { ULONG Count; ULONG Start; ULONG ChildId[] }.
        const count = this.getTypeInfo(base, typeId, 13);
        if (typeof count !== 'number') return undefined;
        const p = Buffer.alloc(8 + 4 * count);
        p.writeUInt32LE(count, 0);
        if (count && !this.call(() => this.f.SymGetTypeInfo(this.h, base, typeId, request, p))) return undefined;
        return Array.from({ length: count }, (_, i) => p.readUInt32LE(8 + 4 * i));
      }
      case 11: {
        // TI_GET_VALUE: a VARIANT (vt at 0, value at 8).
        if (!this.call(() => this.f.SymGetTypeInfo(this.h, base, typeId, request, out))) return undefined;
        const vt = out.readUInt16LE(0);
        const read: Record<number, () => number | bigint> = {
          16: () => out.readInt8(8),
          2: () => out.readInt16LE(8),
          3: () => out.readInt32LE(8),
          22: () => out.readInt32LE(8),
          17: () => out.readUInt8(8),
          18: () => out.readUInt16LE(8),
          19: () => out.readUInt32LE(8),
          23: () => out.readUInt32LE(8),
          20: () => out.readBigInt64LE(8),
          21: () => out.readBigUInt64LE(8),
        };
        return read[vt]?.();
      }
      default:
        return this.call(() => this.f.SymGetTypeInfo(this.h, base, typeId, request, out)) ? out.readUInt32LE(0) : undefined;
    }
  }
  enumTypes(base: bigint, mask: string | null): SymbolInfo[] {
    return this.collectSymbols((cb) => this.call(() => (mask === null ? this.f.SymEnumTypesW(this.h, base, cb, null) : this.f.SymEnumTypesByNameW(this.h, base, mask, cb, null))));
  }
  setContext(instruction: bigint, ret: bigint, frame: bigint, stack: bigint, inlineContext: number): boolean {
    if (inlineContext !== 0 && this.api.opt.SymSetScopeFromInlineContext) {
      return !!this.call(() => this.api.opt.SymSetScopeFromInlineContext!(this.h, instruction, inlineContext));
    }
    // IMAGEHLP_STACK_FRAME: InstructionOffset, ReturnOffset, FrameOffset, StackOffset, ... (168 bytes).
    const f = Buffer.alloc(168);
    f.writeBigUInt64LE(instruction, 0);
    f.writeBigUInt64LE(ret, 8);
    f.writeBigUInt64LE(frame, 16);
    f.writeBigUInt64LE(stack, 24);
    // FALSE with ERROR_SUCCESS: the scope is unchanged, which still counts as set.
    return !!this.call(() => this.f.SymSetContext(this.h, f, null)) || this.f.GetLastError() === 0;
  }
  setScopeFromAddr(address: bigint): boolean {
    if (this.call(() => this.f.SymSetScopeFromAddr(this.h, address))) return true;
    return this.setContext(address, 0n, 0n, 0n, 0);
  }
  async findFileInPath(searchPath: string | null, fileName: string, id: { guid?: string; dword?: number }, two: number, three: number): Promise<string | undefined> {
    const found = Buffer.alloc(4 * 520 * 2);
    let idArg: unknown;
    let flags: number;
    if (id.guid !== undefined) {
      idArg = guidBytes(id.guid);
      flags = 0x08; // SSRVOPT_GUIDPTR
    } else {
      // SSRVOPT_DWORD: the DWORD itself travels in the pointer argument.
      idArg = id.dword ? BigInt(id.dword) : null;
      flags = 0x02;
    }
    const ok = this.call(() => this.f.SymFindFileInPathW(this.h, searchPath, fileName, idArg, two, three, flags, found, null, null));
    return ok ? wstr(found, 0, found.length / 2) : undefined;
  }
  setHomeDirectory(dir: string | null): string {
    const p = this.call(() => this.f.SymSetHomeDirectoryW(this.h, dir));
    if (!p) throw this.error('SymSetHomeDirectoryW');
    return this.api.k.decode.string16(p) as string;
  }
  getHomeDirectory(type: number): string | undefined {
    const buf = Buffer.alloc(4 * 520 * 2);
    return this.call(() => this.f.SymGetHomeDirectoryW(type, buf, 4 * 520)) ? wstr(buf, 0, 4 * 520) : undefined;
  }
  setDebugListener(listener: ((line: string) => void) | undefined): void {
    this.listener = listener;
  }
  stackWalk(
    machine: number,
    context: Uint8Array,
    read: (address: bigint, size: number) => Uint8Array | undefined,
    threadId: number,
    maxFrames: number,
    pc: bigint,
    sp: bigint,
    fp: bigint,
  ): { frames: { pc: bigint; ret: bigint; sp: bigint; fp: bigint; inlineContext: number }[]; stopped: number } {
    this.check();
    const { k, opt } = this.api;
    const walk = opt.StackWalkEx;
    const modBase = opt.SymGetModuleBase64;
    const plainFta = opt.SymFunctionTableAccess64;
    if (!walk || !modBase || !plainFta) throw new DbgHelpError('UNSUPPORTED', `${this.api.dllPath ?? 'dbghelp.dll'} has no StackWalkEx (DbgHelp 6.2 / Windows 8 added it)`);
    // ReadProcessMemoryRoutine64: the caller's bytes; FunctionTableAccess: the AccessRoutines
    // variant with that reader when the DLL has it (as native/stackwalk.cc does).
    const readCb = k.register((_h: unknown, base: bigint | number, buf: unknown, size: number, done: unknown) => {
      let n = 0;
      try {
        const b = size > 0 ? read(BigInt(base), size) : undefined;
        if (b) {
          n = Math.min(b.length, size);
          new Uint8Array(k.view(buf, n)).set(b.subarray(0, n));
        }
      } catch {
        n = 0;
      }
      if (done) k.encode(done, 'uint32', n);
      return n === size ? 1 : 0;
    }, this.api.readMemProto);
    const modBaseCb = k.register((h: unknown, a: bigint | number) => modBase(h, BigInt(a)), this.api.modBaseProto);
    const withRoutines = opt.SymFunctionTableAccess64AccessRoutines;
    const ftaCb = k.register((h: unknown, a: bigint | number) => (withRoutines ? withRoutines(h, BigInt(a), readCb, modBaseCb) : plainFta(h, BigInt(a))), this.api.ftaProto);
    // STACKFRAME_EX (272 bytes on x64): AddrPC at 0, AddrReturn 16, AddrFrame 32, AddrStack 48
    // (ADDRESS64: Offset u64, Segment u16, Mode u32 at +12; 3 = AddrModeFlat); StackFrameSize at
    // 264, InlineFrameContext 268.
    const sf = Buffer.alloc(272);
    for (const [at, v] of [
      [0, pc],
      [32, fp],
      [48, sp],
    ] as const) {
      sf.writeBigUInt64LE(v, at);
      sf.writeUInt32LE(3, at + 12);
    }
    sf.writeUInt32LE(272, 264);
    const ctx = Buffer.alloc(Math.max(context.length, 1232));
    ctx.set(context);
    const frames: { pc: bigint; ret: bigint; sp: bigint; fp: bigint; inlineContext: number }[] = [];
    let stopped = 0;
    try {
      this.apply();
      for (let i = 0; i < maxFrames; i++) {
        this.f.SetLastError(0);
        if (!walk(machine, this.h, BigInt(threadId), sf, ctx, readCb, ftaCb, modBaseCb, null, 0)) {
          stopped = this.f.GetLastError() as number;
          break;
        }
        frames.push({ pc: sf.readBigUInt64LE(0), ret: sf.readBigUInt64LE(16), fp: sf.readBigUInt64LE(32), sp: sf.readBigUInt64LE(48), inlineContext: sf.readUInt32LE(268) });
      }
    } finally {
      k.unregister(ftaCb);
      k.unregister(modBaseCb);
      k.unregister(readCb);
    }
    return { frames, stopped };
  }
  cleanup(): void {
    this.check();
    this.live = false;
    this.f.SymCleanup(this.h);
    this.api.k.unregister(this.debugCb);
    this.listener = undefined;
  }
}

function symbolBuffer(): Buffer {
  const b = Buffer.alloc(SYMBOL_INFO_SIZE + MAX_NAME * 2);
  b.writeUInt32LE(SYMBOL_INFO_SIZE, 0);
  b.writeUInt32LE(MAX_NAME, 80);
  return b;
}

/** SYMBOL_INFOW at offset 0 of `b` (fixed part) with `name`. Offsets from dbghelp.h (x64 and x86 alike). */
function symbolFields(b: Buffer, name: string): SymbolInfo {
  return {
    typeIndex: b.readUInt32LE(4),
    index: b.readUInt32LE(24),
    size: b.readUInt32LE(28),
    modBase: b.readBigUInt64LE(32),
    flags: b.readUInt32LE(40),
    value: b.readBigUInt64LE(48),
    address: b.readBigUInt64LE(56),
    register: b.readUInt32LE(64),
    scope: b.readUInt32LE(68),
    tag: b.readUInt32LE(72),
    nameLen: name.length,
    name,
  };
}

function symbolFromBuffer(b: Buffer): SymbolInfo {
  const nameLen = Math.min(b.readUInt32LE(76), MAX_NAME);
  return symbolFields(b, wstr(b, NAME_OFFSET, nameLen));
}

/** A UTF-16 string of at most `max` units at `offset`, up to its NUL. */
function wstr(b: Buffer, offset: number, max: number): string {
  let end = offset;
  const limit = Math.min(b.length, offset + max * 2);
  while (end + 1 < limit && (b[end] | b[end + 1]) !== 0) end += 2;
  return b.toString('utf16le', offset, end);
}

function guidBytes(g: string): Buffer {
  const hex = g.replace(/-/g, '');
  const b = Buffer.alloc(16);
  b.writeUInt32LE(parseInt(hex.slice(0, 8), 16), 0);
  b.writeUInt16LE(parseInt(hex.slice(8, 12), 16), 4);
  b.writeUInt16LE(parseInt(hex.slice(12, 16), 16), 6);
  Buffer.from(hex.slice(16), 'hex').copy(b, 8);
  return b;
}

interface RawModule {
  BaseOfImage: bigint | number;
  ImageSize: number;
  TimeDateStamp: number;
  CheckSum: number;
  NumSyms: number;
  SymType: number;
  ModuleName: string;
  ImageName: string;
  LoadedImageName: string;
  LoadedPdbName: string;
  CVSig: number;
  CVData: string;
  PdbSig70: { Data1: number; Data2: number; Data3: number; Data4: number[] };
  PdbAge: number;
  PdbUnmatched: number;
  DbgUnmatched: number;
  LineNumbers: number;
  GlobalSymbols: number;
  TypeInfo: number;
  SourceIndexed: number;
  Publics: number;
  MachineType: number;
}

function moduleFromJs(m: RawModule): ModuleInfo {
  const g = m.PdbSig70;
  const hex = (v: number, n: number) => v.toString(16).toUpperCase().padStart(n, '0');
  const d4 = Array.from(g.Data4, (x) => hex(x, 2)).join('');
  return {
    baseOfImage: BigInt(m.BaseOfImage),
    imageSize: m.ImageSize,
    timeDateStamp: m.TimeDateStamp,
    checkSum: m.CheckSum,
    numSyms: m.NumSyms,
    symType: m.SymType,
    moduleName: m.ModuleName,
    imageName: m.ImageName,
    loadedImageName: m.LoadedImageName,
    loadedPdbName: m.LoadedPdbName,
    cvSig: m.CVSig,
    cvData: m.CVData,
    pdbSig70: `${hex(g.Data1, 8)}-${hex(g.Data2, 4)}-${hex(g.Data3, 4)}-${d4.slice(0, 4)}-${d4.slice(4)}`,
    pdbAge: m.PdbAge,
    pdbUnmatched: !!m.PdbUnmatched,
    dbgUnmatched: !!m.DbgUnmatched,
    lineNumbers: !!m.LineNumbers,
    globalSymbols: !!m.GlobalSymbols,
    typeInfo: !!m.TypeInfo,
    sourceIndexed: !!m.SourceIndexed,
    publics: !!m.Publics,
    machineType: m.MachineType,
  };
}
