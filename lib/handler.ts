/**
 * SymbolHandler: the public class. One instance stands for one DbgHelp process handle
 * (SymInitialize ... SymCleanup). It validates arguments, enforces the handle lifetime and
 * delegates to the backend chosen at load time; callers never touch a backend directly.
 */
import './api/dispose';
import { EventEmitter } from 'events';
import { DbgHelpError } from './api/errors';
import type {
  BackendHandler,
  EnumSymbolsOptions,
  FromAddrResult,
  InitializeOptions,
  LineInfo,
  LoadModuleOptions,
  ModuleInfo,
  SymbolInfo,
} from './api/types';
import { activeBackend } from './backend/select';

export class SymbolHandler {
  private impl: BackendHandler | undefined;
  private readonly events = new EventEmitter();

  private constructor(impl: BackendHandler) {
    this.impl = impl;
  }

  /** SymInitialize. */
  static initialize(options: InitializeOptions = {}): SymbolHandler {
    if (options.invadeProcess) {
      throw new DbgHelpError(
        'INVALID_PARAMETER',
        `invadeProcess needs the native backend on Windows; the ${activeBackend().name} backend has no live process to read`,
      );
    }
    const h = new SymbolHandler(activeBackend().createHandler(options));
    return h;
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
    options.signal?.throwIfAborted?.();
    return this.live.loadModule(imagePath, options);
  }
  unloadModule(base: bigint): void {
    this.live.unloadModule(addr(base, 'unloadModule'));
  }
  getModuleInfo(address: bigint): ModuleInfo | undefined {
    return this.live.getModuleInfo(addr(address, 'getModuleInfo'));
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
  getTypeFromName(base: bigint, name: string): SymbolInfo | undefined {
    return this.live.getTypeFromName(addr(base, 'getTypeFromName'), name);
  }
  getLineFromAddr(address: bigint): LineInfo | undefined {
    return this.live.getLineFromAddr(addr(address, 'getLineFromAddr'));
  }
  /** SymCleanup. A second cleanup throws INVALID_HANDLE, as DbgHelp fails with error 6. */
  cleanup(): void {
    const impl = this.live;
    this.impl = undefined;
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
    this.events.on('debug', listener);
    this.live.onDebug((line) => this.events.emit('debug', line));
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

function addr(a: bigint, where: string): bigint {
  if (typeof a !== 'bigint') throw invalid(`${where}: the address must be a bigint (e.g. 0x140001000n)`);
  if (a < 0n || a > 0xffffffffffffffffn) throw invalid(`${where}: the address ${a} is not a 64-bit unsigned value`);
  return a;
}
