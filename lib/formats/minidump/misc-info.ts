/**
 * MINIDUMP_MISC_INFO (24 bytes) and its extensions _2 (44), _3 (232), _4 (832), _5 (1364),
 * minidumpapiset.h. The stream's SizeOfInfo says which; Flags1 says which fields are valid.
 *   _1: u32 SizeOfInfo, Flags1, ProcessId, ProcessCreateTime, ProcessUserTime, ProcessKernelTime
 *   _2: + u32 ProcessorMaxMhz, ProcessorCurrentMhz, ProcessorMhzLimit, ProcessorMaxIdleState,
 *       ProcessorCurrentIdleState
 *   _3: + u32 ProcessIntegrityLevel, ProcessExecuteFlags, ProtectedProcess, TimeZoneId,
 *       TIME_ZONE_INFORMATION TimeZone (172 bytes: i32 Bias, WCHAR StandardName[32], SYSTEMTIME
 *       StandardDate, i32 StandardBias, WCHAR DaylightName[32], SYSTEMTIME DaylightDate, i32 DaylightBias)
 *   _4: + WCHAR BuildString[260], DbgBldStr[40]
 *   _5: + XSTATE_CONFIG_FEATURE_MSC_INFO XStateData (u32 SizeOfInfo, u32 ContextSize,
 *       u64 EnabledFeatures, XSTATE_FEATURE Features[64] = {u32 Offset, u32 Size}), u32 ProcessCookie
 */
import type { Cursor } from '../binary/cursor';
import { fixedUtf16 } from './dump-file';

export const MiscInfoFlags = {
  PROCESS_ID: 0x1,
  PROCESS_TIMES: 0x2,
  PROCESSOR_POWER_INFO: 0x4,
  PROCESS_INTEGRITY: 0x10,
  PROCESS_EXECUTE_FLAGS: 0x20,
  TIMEZONE: 0x40,
  PROTECTED_PROCESS: 0x80,
  BUILDSTRING: 0x100,
  PROCESS_COOKIE: 0x200,
} as const;

export const MISC_INFO_SIZES = [24, 44, 232, 832, 1364] as const;

export interface XStateConfig {
  contextSize: number;
  enabledFeatures: bigint;
  /** Features[k] where Size is not 0. */
  features: Record<number, { offset: number; size: number }>;
}

export interface MiscInfo {
  /** 1..5: which MINIDUMP_MISC_INFO_n the stream holds. */
  level: number;
  sizeOfInfo: number;
  flags1: number;
  processId?: number;
  /** time_t seconds. */
  processCreateTime?: number;
  processUserTime?: number;
  processKernelTime?: number;
  processor?: { maxMhz: number; currentMhz: number; mhzLimit: number; maxIdleState: number; currentIdleState: number };
  processIntegrityLevel?: number;
  processExecuteFlags?: number;
  protectedProcess?: number;
  timeZone?: { id: number; bias: number; standardName: string; daylightName: string };
  buildString?: string;
  dbgBuildString?: string;
  xstate?: XStateConfig;
  processCookie?: number;
}

export function readMiscInfo(c: Cursor): MiscInfo {
  const sizeOfInfo = c.u32();
  const level = MISC_INFO_SIZES.filter((s) => sizeOfInfo >= s).length;
  if (level === 0) c.fail(`MINIDUMP_MISC_INFO SizeOfInfo ${sizeOfInfo} is below 24`, c.pos - 4);
  c.need(Math.min(sizeOfInfo, MISC_INFO_SIZES[level - 1]) - 4, `MINIDUMP_MISC_INFO_${level > 1 ? level : ''}`);
  const flags1 = c.u32();
  const has = (f: number) => (flags1 & f) !== 0;
  const m: MiscInfo = { level, sizeOfInfo, flags1 };
  const pid = c.u32();
  if (has(MiscInfoFlags.PROCESS_ID)) m.processId = pid;
  const times = [c.u32(), c.u32(), c.u32()];
  if (has(MiscInfoFlags.PROCESS_TIMES)) [m.processCreateTime, m.processUserTime, m.processKernelTime] = times;
  if (level < 2) return m;
  const p = { maxMhz: c.u32(), currentMhz: c.u32(), mhzLimit: c.u32(), maxIdleState: c.u32(), currentIdleState: c.u32() };
  if (has(MiscInfoFlags.PROCESSOR_POWER_INFO)) m.processor = p;
  if (level < 3) return m;
  const integrity = c.u32();
  const exec = c.u32();
  const prot = c.u32();
  const tzId = c.u32();
  const bias = c.i32();
  const standardName = fixedUtf16(c, 32);
  c.skip(16 + 4); // StandardDate, StandardBias
  const daylightName = fixedUtf16(c, 32);
  c.skip(16 + 4); // DaylightDate, DaylightBias
  if (has(MiscInfoFlags.PROCESS_INTEGRITY)) m.processIntegrityLevel = integrity;
  if (has(MiscInfoFlags.PROCESS_EXECUTE_FLAGS)) m.processExecuteFlags = exec;
  if (has(MiscInfoFlags.PROTECTED_PROCESS)) m.protectedProcess = prot;
  if (has(MiscInfoFlags.TIMEZONE)) m.timeZone = { id: tzId, bias, standardName, daylightName };
  if (level < 4) return m;
  const build = fixedUtf16(c, 260);
  const dbg = fixedUtf16(c, 40);
  if (has(MiscInfoFlags.BUILDSTRING)) {
    m.buildString = build;
    m.dbgBuildString = dbg;
  }
  if (level < 5) return m;
  c.skip(4); // XStateData.SizeOfInfo
  const contextSize = c.u32();
  const enabledFeatures = c.u64();
  const features: XStateConfig['features'] = {};
  for (let k = 0; k < 64; k++) {
    const offset = c.u32();
    const size = c.u32();
    if (size) features[k] = { offset, size };
  }
  if (enabledFeatures) m.xstate = { contextSize, enabledFeatures, features };
  const cookie = c.u32();
  if (has(MiscInfoFlags.PROCESS_COOKIE)) m.processCookie = cookie;
  return m;
}
