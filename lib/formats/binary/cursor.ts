/**
 * Cursor: the one bounds-checked reader every byte of every file goes through.
 *
 * A cursor is a window [start, end) over a Uint8Array plus a position. Every read checks the
 * window first; an overrun throws DbgHelpError BAD_FORMAT naming the file (or stream) and the
 * absolute offset, never a RangeError. `take`/`bytes` return views, not copies.
 *
 * `origin` is what the messages call the data (e.g. "crash.pdb stream 3 (DBI)"), and `base`
 * the offset of byte 0 of `buf` inside that origin, so nested cursors report offsets in their
 * origin's terms.
 */
import { badFormat } from '../../api/errors';

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8');

export class Cursor {
  pos: number;

  constructor(
    readonly buf: Uint8Array,
    readonly origin: string,
    readonly start = 0,
    readonly end = buf.length,
    readonly base = 0,
  ) {
    if (start < 0 || end > buf.length || start > end) {
      throw badFormat(origin, base + start, `window [${start}, ${end}) outside ${buf.length} bytes`);
    }
    this.pos = start;
  }

  static of(buf: Uint8Array, origin: string, base = 0): Cursor {
    return new Cursor(buf, origin, 0, buf.length, base);
  }

  /** Absolute offset (in the origin) of the current position. */
  get offset(): number {
    return this.base + this.pos;
  }
  get remaining(): number {
    return this.end - this.pos;
  }
  get eof(): boolean {
    return this.pos >= this.end;
  }
  /** Position relative to the window start. */
  get rel(): number {
    return this.pos - this.start;
  }
  get length(): number {
    return this.end - this.start;
  }

  fail(what: string, at = this.pos): never {
    throw badFormat(this.origin, this.base + at, what);
  }

  need(n: number, what = 'data'): void {
    // (n | 0) !== n also refuses NaN, fractions and lengths past 2 GiB.
    if ((n | 0) !== n || n < 0 || this.pos + n > this.end) {
      this.fail(`truncated ${what}: need ${n} bytes, ${Math.max(0, this.end - this.pos)} left`);
    }
  }

  /** Move to `rel` bytes from the window start. */
  seek(rel: number): this {
    if (rel < 0 || this.start + rel > this.end) this.fail(`seek to ${rel} outside ${this.length}-byte window`);
    this.pos = this.start + rel;
    return this;
  }
  skip(n: number): this {
    this.need(n, 'skip');
    this.pos += n;
    return this;
  }
  align(n: number): this {
    const r = (this.pos - this.start) % n;
    if (r) this.pos = Math.min(this.end, this.pos + (n - r));
    return this;
  }

  u8(): number {
    this.need(1, 'u8');
    return this.buf[this.pos++];
  }
  u16(): number {
    this.need(2, 'u16');
    const b = this.buf;
    const p = this.pos;
    this.pos = p + 2;
    return b[p] | (b[p + 1] << 8);
  }
  i16(): number {
    return (this.u16() << 16) >> 16;
  }
  u32(): number {
    this.need(4, 'u32');
    const b = this.buf;
    const p = this.pos;
    this.pos = p + 4;
    return (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16)) + b[p + 3] * 0x1000000;
  }
  i32(): number {
    return this.u32() | 0;
  }
  u64(): bigint {
    const lo = this.u32();
    const hi = this.u32();
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  /** A sub-cursor over the next n bytes (a view, no copy); this cursor moves past them. */
  take(n: number, what = 'block'): Cursor {
    this.need(n, what);
    const c = new Cursor(this.buf, this.origin, this.pos, this.pos + n, this.base);
    this.pos += n;
    return c;
  }
  /** A view of the next n bytes (no copy). */
  bytes(n: number, what = 'bytes'): Uint8Array {
    this.need(n, what);
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }
  /** A NUL-terminated UTF-8 string; the cursor moves past the NUL. A missing NUL is an error. */
  cstring(what = 'string'): string {
    const b = this.buf;
    const end = this.end;
    let i = this.pos;
    // One pass finds the NUL and whether every byte is ASCII (nearly every symbol name is).
    let any = 0;
    for (let x; i < end && (x = b[i]) !== 0; i++) any |= x;
    if (i >= end) this.fail(`unterminated ${what}`);
    // ASCII from a Node Buffer (module streams, record copies): toString reads it in place, where
    // a decoder needs a view (an object per name: 100,000 of them in a bulk run).
    const s = any & 0x80 ? utf8.decode(b.subarray(this.pos, i)) : Buffer.isBuffer(b) ? b.toString('latin1', this.pos, i) : latin1.decode(b.subarray(this.pos, i));
    this.pos = i + 1;
    return s;
  }
  /**
   * Checks that the next n bytes (a record's fixed part) are there and moves past them;
   * returns where they start in `buf`, for reads by field offset (codeview/record-layout.ts).
   */
  fixed(n: number, what: string): number {
    this.need(n, what);
    const p = this.pos;
    this.pos = p + n;
    return p;
  }
  /** A fixed-size, NUL-padded ASCII field (PE section names). */
  fixedString(n: number): string {
    const v = this.bytes(n, 'fixed string');
    let len = v.indexOf(0);
    if (len < 0) len = n;
    return latin1.decode(v.subarray(0, len));
  }
  /** A GUID in its Windows text form, upper case, with dashes. */
  guid(): string {
    const d1 = this.u32();
    const d2 = this.u16();
    const d3 = this.u16();
    const d4 = this.bytes(8, 'GUID');
    const h = (n: number, w: number) => n.toString(16).padStart(w, '0');
    const tail = Array.from(d4, (x) => h(x, 2)).join('');
    return `${h(d1, 8)}-${h(d2, 4)}-${h(d3, 4)}-${tail.slice(0, 4)}-${tail.slice(4)}`.toUpperCase();
  }
  /** Checks a count * size product fits in what is left, so a corrupt count cannot hang a loop. */
  count(n: number, size: number, what: string): number {
    if ((n | 0) !== n || n < 0 || n * size > this.remaining) this.fail(`${what} count ${n} (x${size} bytes) exceeds the ${this.remaining} bytes left`);
    return n;
  }
}
