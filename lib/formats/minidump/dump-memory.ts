/**
 * DumpMemory: the process memory a minidump holds (MemoryList and Memory64List ranges) as a
 * MemoryReader (stackwalk/types.ts). Ranges are sorted once; a read is a binary search and one
 * positional read of the file (a read spanning ranges that touch is assembled from them).
 */
import type { MemoryReader } from '../../stackwalk/types';
import type { ByteSource } from '../binary/source';
import { lastWhere } from '../binary/search';

export interface DumpMemoryRange {
  start: bigint;
  /** Bytes (a range over 2 GiB is cut at 2 GiB: nothing reads more at once). */
  size: number;
  fileOffset: number;
}

const MAX_READ = 0x7fffffff;

export class DumpMemory implements MemoryReader {
  readonly ranges: readonly DumpMemoryRange[];

  constructor(
    private readonly source: ByteSource,
    ranges: DumpMemoryRange[],
  ) {
    this.ranges = [...ranges].filter((r) => r.size > 0).sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  }

  /** The range holding `address`, if any. */
  rangeAt(address: bigint): DumpMemoryRange | undefined {
    const rs = this.ranges;
    const found = lastWhere(rs.length, (i) => rs[i].start <= address);
    if (found < 0) return undefined;
    const r = rs[found];
    return address < r.start + BigInt(r.size) ? r : undefined;
  }

  read(address: bigint, size: number): Uint8Array | undefined {
    if (typeof address !== 'bigint' || address < 0n || !Number.isInteger(size) || size < 0 || size > MAX_READ) return undefined;
    const first = this.rangeAt(address);
    if (!first) return undefined;
    const off = Number(address - first.start);
    if (off + size <= first.size) return this.source.read(first.fileOffset + off, size);
    // Spanning ranges that touch: copy piece by piece.
    const out = new Uint8Array(size);
    let done = 0;
    let at = address;
    while (done < size) {
      const r = this.rangeAt(at);
      if (!r) return undefined;
      const o = Number(at - r.start);
      const n = Math.min(size - done, r.size - o);
      this.source.readInto(out, done, r.fileOffset + o, n);
      done += n;
      at += BigInt(n);
    }
    return out;
  }
}
