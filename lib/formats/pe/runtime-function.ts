/**
 * IMAGE_RUNTIME_FUNCTION_ENTRY (winnt.h, x64), 12 bytes: BeginAddress, EndAddress and
 * UnwindInfoAddress, all RVAs. The exception directory (IMAGE_DIRECTORY_ENTRY_EXCEPTION, the
 * .pdata section) is an array of them sorted by BeginAddress; the Windows unwinder finds the
 * entry for an address with a binary search.
 *
 * UnwindInfoAddress with bit 0 set (RUNTIME_FUNCTION_INDIRECT) points at another
 * RUNTIME_FUNCTION instead of an UNWIND_INFO (the entry shares that function's unwind data).
 */
import { Cursor } from '../binary/cursor';
import { lastWhere } from '../binary/search';

export const RUNTIME_FUNCTION_SIZE = 12;
export const RUNTIME_FUNCTION_INDIRECT = 1;

export interface RuntimeFunction {
  /** RVA of the function's (or fragment's) first byte. */
  readonly begin: number;
  /** RVA one past its last byte. */
  readonly end: number;
  /** RVA of its UNWIND_INFO (bit 0 set: of another RUNTIME_FUNCTION). */
  readonly unwindInfo: number;
}

export function readRuntimeFunction(c: Cursor): RuntimeFunction {
  c.need(RUNTIME_FUNCTION_SIZE, 'IMAGE_RUNTIME_FUNCTION_ENTRY');
  return { begin: c.u32(), end: c.u32(), unwindInfo: c.u32() };
}

/**
 * The x64 exception directory: entries decoded on demand from the directory's bytes (no object
 * per entry until one is asked for). A directory whose size is not a multiple of 12 keeps its
 * whole entries (the loader does the same).
 */
export class RuntimeFunctionTable {
  readonly count: number;
  private readonly c: Cursor;

  constructor(bytes: Uint8Array, origin: string, base = 0) {
    this.c = Cursor.of(bytes, origin, base);
    this.count = Math.floor(bytes.length / RUNTIME_FUNCTION_SIZE);
  }

  at(i: number): RuntimeFunction {
    this.c.seek(i * RUNTIME_FUNCTION_SIZE);
    return readRuntimeFunction(this.c);
  }

  private beginAt(i: number): number {
    this.c.seek(i * RUNTIME_FUNCTION_SIZE);
    return this.c.u32();
  }

  /** The entry whose [begin, end) holds `rva`, or undefined (a leaf function, or no code). */
  find(rva: number): RuntimeFunction | undefined {
    const best = lastWhere(this.count, (i) => this.beginAt(i) <= rva);
    if (best < 0) return undefined;
    const f = this.at(best);
    return rva < f.end ? f : undefined;
  }
}
