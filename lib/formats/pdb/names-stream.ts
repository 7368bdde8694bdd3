/**
 * The /names stream (PDB string table): header 12 bytes
 *   u32 signature 0xEFFEEFFE  u32 hashVersion (1 or 2)  u32 byteSize
 * then byteSize bytes of NUL-terminated strings, u32 bucketCount, u32 buckets[], u32 count.
 * Other streams refer to its strings by offset (file names of line tables, FPO programs).
 */
import { Cursor } from '../binary/cursor';

export class NamesStream {
  private readonly strings: Cursor;
  private readonly memo = new Map<number, string>();

  constructor(c: Cursor) {
    const sig = c.u32();
    if (sig !== 0xeffeeffe) c.fail(`/names signature 0x${sig.toString(16)} is not 0xeffeeffe`, 0);
    const version = c.u32();
    if (version !== 1 && version !== 2) c.fail(`/names hash version ${version} is not 1 or 2`, 4);
    this.strings = c.take(c.u32(), '/names strings');
  }

  /** The string at `offset`; a bad offset is BAD_FORMAT. */
  get(offset: number): string {
    let s = this.memo.get(offset);
    if (s === undefined) {
      s = this.strings.seek(offset).cstring('/names string');
      this.memo.set(offset, s);
    }
    return s;
  }
}
