/**
 * MINIDUMP_THREAD_INFO_LIST (minidumpapiset.h), 12-byte header: u32 SizeOfHeader,
 * u32 SizeOfEntry, u32 NumberOfEntries; then MINIDUMP_THREAD_INFO entries (64 bytes each:
 * u32 ThreadId, u32 DumpFlags, u32 DumpError, u32 ExitStatus, u64 CreateTime, u64 ExitTime,
 * u64 KernelTime, u64 UserTime, u64 StartAddress, u64 Affinity).
 */
import type { Cursor } from '../binary/cursor';
import { readSizedHeader } from './sized-list';

export const THREAD_INFO_SIZE = 64;

/** MINIDUMP_THREAD_INFO_* DumpFlags. */
export const ThreadInfoFlags = {
  ERROR_THREAD: 0x1,
  WRITING_THREAD: 0x2,
  EXITED_THREAD: 0x4,
  INVALID_INFO: 0x8,
  INVALID_CONTEXT: 0x10,
  INVALID_TEB: 0x20,
} as const;

export interface ThreadInfo {
  threadId: number;
  dumpFlags: number;
  dumpError: number;
  exitStatus: number;
  /** FILETIME values (100 ns since 1601). */
  createTime: bigint;
  exitTime: bigint;
  kernelTime: bigint;
  userTime: bigint;
  startAddress: bigint;
  affinity: bigint;
}

export function readThreadInfoList(c: Cursor): ThreadInfo[] {
  const list = readSizedHeader(c, 12, THREAD_INFO_SIZE, false, 'MINIDUMP_THREAD_INFO');
  const out: ThreadInfo[] = [];
  for (let i = 0; i < list.count; i++) {
    const e = list.entry(i);
    out.push({
      threadId: e.u32(),
      dumpFlags: e.u32(),
      dumpError: e.u32(),
      exitStatus: e.u32(),
      createTime: e.u64(),
      exitTime: e.u64(),
      kernelTime: e.u64(),
      userTime: e.u64(),
      startAddress: e.u64(),
      affinity: e.u64(),
    });
  }
  return out;
}
