/**
 * The header the newer list streams share (MINIDUMP_UNLOADED_MODULE_LIST,
 * MINIDUMP_MEMORY_INFO_LIST, MINIDUMP_THREAD_INFO_LIST, MINIDUMP_HANDLE_DATA_STREAM):
 * u32 SizeOfHeader, u32 SizeOfEntry, then the entry count (u32, or u64 for the memory info
 * list). Entries start SizeOfHeader bytes into the stream, SizeOfEntry bytes apart; an entry
 * longer than the structure we know is read for the part we know.
 */
import type { Cursor } from '../binary/cursor';

export interface SizedList {
  count: number;
  sizeOfEntry: number;
  /** A cursor over entry i. */
  entry(i: number): Cursor;
}

export function readSizedHeader(c: Cursor, minHeader: number, minEntry: number, count64: boolean, what: string): SizedList {
  const at = c.rel;
  const sizeOfHeader = c.u32();
  const sizeOfEntry = c.u32();
  let count: number;
  if (count64) {
    const n = c.u64();
    if (n > 0xffffffffn) c.fail(`${what} count ${n} is absurd`, c.pos - 8);
    count = Number(n);
  } else {
    count = c.u32();
  }
  if (sizeOfHeader < minHeader) c.fail(`${what} list SizeOfHeader ${sizeOfHeader} is below ${minHeader}`, c.start + at);
  if (sizeOfEntry < minEntry) c.fail(`${what} SizeOfEntry ${sizeOfEntry} is below ${minEntry}`, c.start + at + 4);
  c.seek(at);
  c.skip(sizeOfHeader);
  c.count(count, sizeOfEntry, what);
  const first = c.rel;
  return {
    count,
    sizeOfEntry,
    entry(i: number): Cursor {
      c.seek(first + i * sizeOfEntry);
      return c.take(sizeOfEntry, what);
    },
  };
}
