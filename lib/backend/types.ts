import type { BackendHandler, InitializeOptions } from '../api/types';

export type BackendName = 'native' | 'ffi' | 'portable';

/** A loaded backend: makes one handler per SymbolHandler. */
export interface Backend {
  readonly name: BackendName;
  /** native and ffi: the dbghelp.dll the process loaded (GetModuleFileNameW). */
  readonly dllPath?: string;
  createHandler(options: InitializeOptions): BackendHandler;
}
