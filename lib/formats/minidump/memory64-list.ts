/**
 * MINIDUMP_MEMORY64_LIST (minidumpapiset.h), full-memory dumps: u64 NumberOfMemoryRanges,
 * RVA64 BaseRva, then MINIDUMP_MEMORY_DESCRIPTOR64 MemoryRanges[] (16 bytes each: u64
 * StartOfMemoryRange, u64 DataSize). The ranges' bytes lie back to back from BaseRva.
 */
import type { Cursor } from '../binary/cursor';

export const MEMORY64_DESCRIPTOR_SIZE = 16;

export interface Memory64Range {
  start: bigint;
  size: bigint;
  /** File offset of the range's first byte (BaseRva plus the sizes before it). */
  fileOffset: bigint;
}

export function readMemory64List(c: Cursor, fileSize: number): Memory64Range[] {
  const n64 = c.u64();
  const baseRva = c.u64();
  if (n64 > BigInt(c.remaining)) c.fail(`MINIDUMP_MEMORY_DESCRIPTOR64 count ${n64} exceeds the ${c.remaining} bytes left`, c.pos - 16);
  const n = c.count(Number(n64), MEMORY64_DESCRIPTOR_SIZE, 'MINIDUMP_MEMORY_DESCRIPTOR64');
  const out: Memory64Range[] = [];
  let at = baseRva;
  for (let i = 0; i < n; i++) {
    const descAt = c.pos;
    const start = c.u64();
    const size = c.u64();
    if (at + size > BigInt(fileSize)) c.fail(`memory range ${i} (0x${size.toString(16)} bytes at file offset 0x${at.toString(16)}) runs past the end of the ${fileSize}-byte file`, descAt);
    out.push({ start, size, fileOffset: at });
    at += size;
  }
  return out;
}
