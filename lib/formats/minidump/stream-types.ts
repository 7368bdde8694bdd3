/**
 * MINIDUMP_STREAM_TYPE (minidumpapiset.h) and the Breakpad / Crashpad extension streams
 * (google_breakpad/common/minidump_format.h, crashpad minidump_extensions.h).
 */
export const StreamType = {
  Unused: 0,
  ThreadList: 3,
  ModuleList: 4,
  MemoryList: 5,
  Exception: 6,
  SystemInfo: 7,
  ThreadExList: 8,
  Memory64List: 9,
  CommentA: 10,
  CommentW: 11,
  HandleData: 12,
  FunctionTable: 13,
  UnloadedModuleList: 14,
  MiscInfo: 15,
  MemoryInfoList: 16,
  ThreadInfoList: 17,
  HandleOperationList: 18,
  Token: 19,
  JavaScriptData: 20,
  SystemMemoryInfo: 21,
  ProcessVmCounters: 22,
  IptTrace: 23,
  ThreadNames: 24,
  /** MD_BREAKPAD_INFO_STREAM: MDRawBreakpadInfo. */
  BreakpadInfo: 0x47670001,
  /** MD_ASSERTION_INFO_STREAM: MDRawAssertionInfo. */
  AssertionInfo: 0x47670002,
  /** Linux streams written by Breakpad (kept raw). */
  LinuxCpuInfo: 0x47670003,
  LinuxProcStatus: 0x47670004,
  LinuxLsbRelease: 0x47670005,
  LinuxCmdLine: 0x47670006,
  LinuxEnviron: 0x47670007,
  LinuxAuxv: 0x47670008,
  LinuxMaps: 0x47670009,
  LinuxDsoDebug: 0x4767000a,
  /** MinidumpCrashpadInfo. */
  CrashpadInfo: 0x43500001,
} as const;

const names = new Map<number, string>(Object.entries(StreamType).map(([k, v]) => [v, k]));

/** A stream type's name (`ThreadList`), or its number in hex when it has none. */
export function streamTypeName(type: number): string {
  return names.get(type) ?? `0x${type.toString(16)}`;
}
