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
  InlineFrame,
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

// Minidumps (issue 12): the reader and a symbol handler over a dump.
export { openMinidump, Minidump } from './formats/minidump/minidump';
export { StreamType, streamTypeName } from './formats/minidump/stream-types';
export { DumpMemory } from './formats/minidump/dump-memory';
export { exceptionName, crashReason } from './stack/exception-codes';
export type { MinidumpHeader, DirectoryEntry } from './formats/minidump/header';
export type { MinidumpThread } from './formats/minidump/thread-list';
export type { MinidumpModule } from './formats/minidump/module-list';
export type { ModuleCodeView, DebugMisc } from './formats/minidump/codeview-record';
export type { FixedFileInfo } from './formats/minidump/fixed-file-info';
export type { UnloadedModule } from './formats/minidump/unloaded-module-list';
export type { ExceptionStream } from './formats/minidump/exception';
export type { SystemInfo } from './formats/minidump/system-info';
export type { MiscInfo, XStateConfig } from './formats/minidump/misc-info';
export type { MemoryDescriptor } from './formats/minidump/memory-list';
export type { Memory64Range } from './formats/minidump/memory64-list';
export type { MemoryInfo } from './formats/minidump/memory-info-list';
export type { ThreadInfo } from './formats/minidump/thread-info-list';
export type { HandleDescriptor } from './formats/minidump/handle-data';
export type { BreakpadInfo, AssertionInfo } from './formats/minidump/breakpad-info';
export type { CrashpadInfo, CrashpadModuleInfo, CrashpadAnnotation } from './formats/minidump/crashpad-info';
export type { ThreadContext } from './formats/minidump/context';
export { loadDump } from './dump/load-dump';
export type { LoadDumpOptions, LoadedDump, DumpLoadProgress } from './dump/load-dump';
export { DumpModule } from './dump/dump-module';
export { symbolicate, Symbolicator, splitDebugId } from './symbolicate';
export type { SymbolicationRequest, SymbolicationJob, SymbolicationResponse, SymbolicationResult, SymbolicatedFrame, SymbolicatedInlineFrame, SymbolicateOptions } from './symbolicate';
// Stack walking over a dump, symbolicated (dbghelp stack).
export { processMinidump } from './stack/process-dump';
export { writeMinidump } from './backend/minidump-io';
export type { WriteMinidumpOptions } from './backend/types';
export type { ProcessOptions } from './stack/process-dump';
export { formatText as formatStackText } from './stack/format-text';
export { formatJson as formatStackJson, toRustMinidumpJson } from './stack/format-json';
export type { ProcessState, ThreadOut, FrameOut, ModuleOut, InlineFrameOut, SystemOut } from './stack/process-state';
export { walkStack } from './stackwalk';
export type { WalkOptions, WalkResult, WalkedFrame, WalkModule, RegisterSet, MemoryReader, FrameTrust, WalkArch } from './stackwalk/types';
