/**
 * MINIDUMP_THREAD_LIST (minidumpapiset.h): u32 NumberOfThreads, then MINIDUMP_THREAD Threads[]
 * (48 bytes each: u32 ThreadId, u32 SuspendCount, u32 PriorityClass, u32 Priority, u64 Teb,
 * MINIDUMP_MEMORY_DESCRIPTOR Stack, MINIDUMP_LOCATION_DESCRIPTOR ThreadContext).
 */
import type { Cursor } from '../binary/cursor';
import { readLocation, type Location } from './dump-file';
import { listCount, readMemoryDescriptor, type MemoryDescriptor } from './memory-list';

export const THREAD_SIZE = 48;

export interface MinidumpThread {
  threadId: number;
  suspendCount: number;
  priorityClass: number;
  priority: number;
  teb: bigint;
  stack: MemoryDescriptor;
  contextLocation: Location;
  /** MINIDUMP_THREAD_EX only (IA64's backing store). */
  backingStore?: MemoryDescriptor;
}

export function readThread(c: Cursor): MinidumpThread {
  return {
    threadId: c.u32(),
    suspendCount: c.u32(),
    priorityClass: c.u32(),
    priority: c.u32(),
    teb: c.u64(),
    stack: readMemoryDescriptor(c),
    contextLocation: readLocation(c),
  };
}

export function readThreadList(c: Cursor): MinidumpThread[] {
  const n = listCount(c, THREAD_SIZE, 'MINIDUMP_THREAD');
  const out: MinidumpThread[] = [];
  for (let i = 0; i < n; i++) out.push(readThread(c));
  return out;
}
