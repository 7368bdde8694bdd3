/** dbghelp: Microsoft DbgHelp's symbol handler for Node.js. Public exports only. */
export { SymbolHandler } from './handler';
export { DbgHelpError, Win32Error } from './api/errors';
export type { DbgHelpErrorCode } from './api/errors';
export { SymOpt, SymFlag, SymTag, SymType, MachineType, TypeInfo, InlineFrameContext, BasicType, UdtKind, DataKind, CvCall } from './api/constants';
export type {
  SymbolInfo,
  ModuleInfo,
  LineInfo,
  InitializeOptions,
  LoadModuleOptions,
  EnumSymbolsOptions,
  FromAddrResult,
  SourceLine,
  SourceFile,
  EnumLinesOptions,
  InlineTraceQuery,
  InlineTraceResult,
  StackFrameContext,
  TypeInfoValue,
  FindFileOptions,
  SymbolFileProgress,
} from './api/types';
export { undecorateSymbolName, UndName } from './demangle';
export { describeModuleStatus, hasSymbols, statusOfError } from './api/module-status';
export type { ModuleStatus, ModuleStatusKind, SymbolSource, SymbolFileIdentity } from './api/module-status';
import { activeBackend } from './backend/select';
import type { BackendName } from './backend/types';
export type { BackendName };

/** Which backend is active: 'native', 'ffi' or 'portable'. Picked once, at load time. */
export const backend: BackendName = activeBackend().name;

export { symbolicate, Symbolicator, splitDebugId } from './symbolicate';
export type {
  SymbolicationRequest,
  SymbolicationJob,
  SymbolicationResponse,
  SymbolicationResult,
  SymbolicatedFrame,
  SymbolicatedInlineFrame,
  SymbolicateOptions,
} from './symbolicate';
