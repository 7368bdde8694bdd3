/**
 * Walking a CodeView symbol stream (module symbol streams and the global Symbol Records
 * stream): records are u16 reclen, u16 kind, data[reclen - 2], padded to 4 bytes by reclen.
 * The walker yields (kind, offset) pairs without decoding; `recordAt` hands out a cursor over
 * one record's data for the decoders in codeview/symbol-records.ts.
 */
import { Cursor } from '../binary/cursor';

/** forEach's table: no kind is below its end, so every record is passed on. */
const ALL_KINDS = new Uint8Array(0);

export class SymbolStream {
  /** `c` spans the records (for module streams: after the 4-byte signature). */
  constructor(
    readonly c: Cursor,
    /** Offset of c's first byte in the stream (record offsets are stream offsets). */
    readonly firstOffset: number,
  ) {}

  /**
   * Calls fn(kind, offset) for each record; offsets are stream offsets. A record that runs past
   * the end is BAD_FORMAT, or with `upToDamage` ends the walk there (a side index that must not
   * make a damaged stream's other answers fail).
   */
  forEach(fn: (kind: number, offset: number, reclen: number) => void, upToDamage = false): void {
    this.walk(ALL_KINDS, fn, upToDamage);
  }

  /**
   * forEach, calling fn only for records whose kind `wanted` marks (non-zero; kinds past its end
   * are all passed on): a walk that looks at a few kinds of a module's records (scopes, among
   * its locals and their ranges) checks every record's length without a call for each.
   */
  forEachWanted(wanted: Uint8Array, fn: (kind: number, offset: number, reclen: number) => void): void {
    this.walk(wanted, fn, false);
  }

  private walk(wanted: Uint8Array, fn: (kind: number, offset: number, reclen: number) => void, upToDamage: boolean): void {
    const { buf, start, end } = this.c;
    const delta = this.firstOffset - start;
    const n = wanted.length;
    let p = start;
    while (p + 4 <= end) {
      const reclen = buf[p] | (buf[p + 1] << 8);
      if (reclen < 2 || p + 2 + reclen > end) {
        if (upToDamage) return;
        this.c.fail(`symbol record of length ${reclen} runs past the end of the stream`, p);
      }
      const kind = buf[p + 2] | (buf[p + 3] << 8);
      if (kind >= n || wanted[kind] !== 0) fn(kind, p + delta, reclen);
      p += 2 + reclen;
    }
    if (!upToDamage) this.checkTail(p);
  }

  /** A walk that stopped at buffer position p: fewer than 4 bytes may follow, and only zeros. */
  checkTail(p: number): void {
    const { buf, end } = this.c;
    if (p !== end && end - p < 4 && buf.subarray(p, end).some((x) => x !== 0)) {
      this.c.fail('trailing bytes after the last symbol record', p);
    }
  }

  /** Kind of the record at a stream offset. */
  kindAt(offset: number): number {
    const r = this.header(offset);
    return r.kind;
  }

  /** A cursor over the data of the record at a stream offset (after reclen and kind). */
  recordAt(offset: number): { kind: number; data: Cursor } {
    const { kind, reclen, at } = this.header(offset);
    const data = new Cursor(this.c.buf, this.c.origin, at + 4, at + 2 + reclen, this.c.base);
    return { kind, data };
  }

  /** The whole record at a stream offset (reclen, kind and data), a view of the stream. */
  recordBytes(offset: number): Uint8Array {
    const { reclen, at } = this.header(offset);
    return this.c.buf.subarray(at, at + 2 + reclen);
  }

  private header(offset: number): { kind: number; reclen: number; at: number } {
    const rel = offset - this.firstOffset;
    const at = this.c.start + rel;
    if (rel < 0 || at + 4 > this.c.end) this.c.fail(`symbol record offset ${offset} outside the stream`, Math.max(this.c.start, Math.min(at, this.c.end)));
    const b = this.c.buf;
    const reclen = b[at] | (b[at + 1] << 8);
    const kind = b[at + 2] | (b[at + 3] << 8);
    if (reclen < 2 || at + 2 + reclen > this.c.end) this.c.fail(`symbol record of length ${reclen} runs past the end of the stream`, at);
    return { kind, reclen, at };
  }
}
