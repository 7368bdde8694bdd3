/**
 * The request and response of Mozilla's symbolication API v5 (Tecken's `/symbolicate/v5`, also
 * served by samply's local server), as `symbolicate()` takes and answers them.
 *
 * Request: `{"jobs":[{"memoryMap":[[debugName, debugId],...],"stacks":[[[moduleIndex, moduleOffset],...]]}]}`
 * (a single job without `jobs` is accepted too). Response: per job, `stacks` of frames and
 * `found_modules` (`"name/ID": true|false`), plus `module_errors` for modules without symbols
 * and `module_status` (this package's ModuleStatus, docs/API.md) for every module.
 */
import type { SymbolServerOptions } from '../api/types';
import type { ModuleStatus } from '../api/module-status';

export interface SymbolicationJob {
  /** [debug file name, debug id] per module: `["xul.pdb", "44E4EC8C2F41492B9369D6B9A059577C2"]`. */
  memoryMap: [string, string][];
  /** Stacks of [index into memoryMap (-1: no module), module-relative offset]. */
  stacks: [number, number][][];
}

export type SymbolicationRequest = { jobs: SymbolicationJob[] } | SymbolicationJob;

export interface SymbolicatedInlineFrame {
  function?: string;
  file?: string;
  line?: number;
}

export interface SymbolicatedFrame {
  /** Index of the frame in its stack. */
  frame: number;
  /** `0x...`, as given. */
  module_offset: string;
  /** The memoryMap's debug name, `<unknown>` for a frame outside every module. */
  module: string;
  /** The function (the outermost: the one the code is physically in), when found. */
  function?: string;
  function_offset?: string;
  /** The function's code size in bytes, `0x...`, when known. */
  function_size?: string;
  /** File and line in `function` (for inlined code: the call site of the outermost inline). */
  file?: string;
  line?: number;
  /** Inline frames, innermost first (as samply's local server answers). */
  inlines?: SymbolicatedInlineFrame[];
}

export interface SymbolicationResult {
  stacks: SymbolicatedFrame[][];
  /** `"debugName/debugId"`: whether symbols were found for it. */
  found_modules: Record<string, boolean>;
  /** As samply: `{name, message}` per module without symbols. */
  module_errors?: Record<string, { name: string; message: string }[]>;
  /** This package's status of every module (docs/API.md "Module status"). */
  module_status: Record<string, ModuleStatus>;
}

export interface SymbolicationResponse {
  results: SymbolicationResult[];
}

export interface SymbolicateOptions {
  /** The symbol path (`srv*C:\cache*https://...`); undefined or null: DbgHelp's default (`_NT_SYMBOL_PATH`). */
  searchPath?: string | null;
  /** SymSetHomeDirectory: the default downstream store is `<home>/sym`. */
  homeDirectory?: string;
  /** Inline frames (default true). */
  inlines?: boolean;
  /** DbgHelp's search log lines (SYMOPT_DEBUG wording). */
  onDebug?(line: string): void;
  signal?: AbortSignal;
  /** HTTP symbol-server settings (headers, timeouts, proxy, miss cache). */
  symbolServer?: SymbolServerOptions;
}
