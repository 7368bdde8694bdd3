/**
 * MINIDUMP_THREAD_EX_LIST (minidumpapiset.h): u32 NumberOfThreads, then MINIDUMP_THREAD_EX
 * Threads[] (64 bytes each: MINIDUMP_THREAD's 48 bytes, then MINIDUMP_MEMORY_DESCRIPTOR
 * BackingStore).
 */
import type { Cursor } from '../binary/cursor';
import { listCount, readMemoryDescriptor } from './memory-list';
import { readThread, type MinidumpThread } from './thread-list';

export const THREAD_EX_SIZE = 64;

export function readThreadExList(c: Cursor): MinidumpThread[] {
  const n = listCount(c, THREAD_EX_SIZE, 'MINIDUMP_THREAD_EX');
  const out: MinidumpThread[] = [];
  for (let i = 0; i < n; i++) {
    const t = readThread(c);
    t.backingStore = readMemoryDescriptor(c);
    out.push(t);
  }
  return out;
}
