import type { BackendHandler, InitializeOptions } from '../api/types';
import type { DllImage } from './wine';

/** writeMinidump's options: the process (default this one) and MINIDUMP_TYPE flags (default 0, MiniDumpNormal). */
export interface WriteMinidumpOptions {
  processId?: number;
  type?: number;
}

export type BackendName = 'native' | 'ffi' | 'portable';

/** A loaded backend: makes one handler per SymbolHandler. */
export interface Backend {
  readonly name: BackendName;
  /** native and ffi: the dbghelp.dll the process loaded (GetModuleFileNameW). */
  readonly dllPath?: string;
  /** native and ffi: the dbghelp.dll image in memory (Microsoft's or Wine's), from its version resource. */
  readonly dllImage?: DllImage;
  createHandler(options: InitializeOptions): BackendHandler;
  /**
   * MiniDumpWriteDump into a new file (native and ffi), resolved when called: Microsoft's
   * dbghelp.dll forwards it to dbgcore.dll, and without that DLL this throws UNSUPPORTED.
   */
  writeMinidump?(file: string, opts: WriteMinidumpOptions): void;
  /** MiniDumpReadDumpStream over a dump's bytes: a copy of the stream, undefined when absent (same resolution). */
  readDumpStream?(dump: Uint8Array, streamType: number): Uint8Array | undefined;
}
