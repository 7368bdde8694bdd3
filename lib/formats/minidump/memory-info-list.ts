/**
 * MINIDUMP_MEMORY_INFO_LIST (minidumpapiset.h), 16-byte header: u32 SizeOfHeader,
 * u32 SizeOfEntry, u64 NumberOfEntries; then MINIDUMP_MEMORY_INFO entries (48 bytes each:
 * u64 BaseAddress, u64 AllocationBase, u32 AllocationProtect, u32 __alignment1, u64 RegionSize,
 * u32 State, u32 Protect, u32 Type, u32 __alignment2): VirtualQuery's answers.
 */
import type { Cursor } from '../binary/cursor';
import { readSizedHeader } from './sized-list';

export const MEMORY_INFO_SIZE = 48;

export interface MemoryInfo {
  baseAddress: bigint;
  allocationBase: bigint;
  allocationProtect: number;
  regionSize: bigint;
  /** MEM_COMMIT 0x1000, MEM_RESERVE 0x2000, MEM_FREE 0x10000. */
  state: number;
  /** PAGE_* protection. */
  protect: number;
  /** MEM_PRIVATE 0x20000, MEM_MAPPED 0x40000, MEM_IMAGE 0x1000000. */
  type: number;
}

export function readMemoryInfoList(c: Cursor): MemoryInfo[] {
  const list = readSizedHeader(c, 16, MEMORY_INFO_SIZE, true, 'MINIDUMP_MEMORY_INFO');
  const out: MemoryInfo[] = [];
  for (let i = 0; i < list.count; i++) {
    const e = list.entry(i);
    const baseAddress = e.u64();
    const allocationBase = e.u64();
    const allocationProtect = e.u32();
    e.skip(4);
    const regionSize = e.u64();
    out.push({ baseAddress, allocationBase, allocationProtect, regionSize, state: e.u32(), protect: e.u32(), type: e.u32() });
  }
  return out;
}
