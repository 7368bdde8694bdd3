/**
 * MINIDUMP_MEMORY_LIST (minidumpapiset.h): u32 NumberOfMemoryRanges, then
 * MINIDUMP_MEMORY_DESCRIPTOR MemoryRanges[] (16 bytes each: u64 StartOfMemoryRange,
 * MINIDUMP_LOCATION_DESCRIPTOR Memory). Thread stacks are MINIDUMP_MEMORY_DESCRIPTORs too.
 */
import type { Cursor } from '../binary/cursor';
import { readLocation, type Location } from './dump-file';

export const MEMORY_DESCRIPTOR_SIZE = 16;

export interface MemoryDescriptor {
  start: bigint;
  location: Location;
}

export function readMemoryDescriptor(c: Cursor): MemoryDescriptor {
  const start = c.u64();
  return { start, location: readLocation(c) };
}

/**
 * A list stream's count, checked against the stream's bytes. Some writers put 4 bytes of
 * padding after a 32-bit count (Breakpad's reader accepts it; so do we).
 */
export function listCount(c: Cursor, entrySize: number, what: string): number {
  const n = c.u32();
  c.count(n, entrySize, what);
  if (c.remaining === n * entrySize + 4) c.skip(4);
  return n;
}

export function readMemoryList(c: Cursor): MemoryDescriptor[] {
  const n = listCount(c, MEMORY_DESCRIPTOR_SIZE, 'MINIDUMP_MEMORY_DESCRIPTOR');
  const out: MemoryDescriptor[] = [];
  for (let i = 0; i < n; i++) out.push(readMemoryDescriptor(c));
  return out;
}
