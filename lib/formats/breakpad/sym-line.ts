/**
 * SymLine: the bounds-checked reader of one line of a Breakpad .sym file (the text format's
 * counterpart of formats/binary/cursor.ts). Every byte of a line is read through it; a
 * malformed field throws DbgHelpError BAD_FORMAT naming the file, the 1-based line number and
 * the byte offset of the line in the file.
 *
 * Fields are separated by one or more spaces or tabs (Breakpad writes one space). Numbers are
 * hex (addresses, sizes) or decimal (line numbers, ids), as each record says; values past
 * 2^53 cannot be held exactly by a JS number and are refused.
 */
import { DbgHelpError } from '../../api/errors';

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const latin1 = new TextDecoder('latin1');

export function isBlank(b: number): boolean {
  return b === 0x20 || b === 0x09;
}

export class SymLine {
  pos = 0;
  buf: Uint8Array = new Uint8Array(0);
  end = 0;
  /** 1-based line number and the byte offset of the line's start in the file. */
  lineNo = 0;
  offset = 0;
  /** Where the line starts in `buf`. */
  lineStart = 0;

  constructor(readonly origin: string) {}

  reset(buf: Uint8Array, start: number, end: number, lineNo: number, offset: number): void {
    this.buf = buf;
    this.lineStart = start;
    this.pos = start;
    this.end = end;
    this.lineNo = lineNo;
    this.offset = offset;
  }

  /** The file offset of position `pos` of this line. */
  fileOffset(pos: number): number {
    return this.offset + (pos - this.lineStart);
  }

  fail(what: string): never {
    throw new DbgHelpError('BAD_FORMAT', `${this.origin}: line ${this.lineNo}: ${what} (at offset 0x${this.offset.toString(16)})`, {
      file: this.origin,
      offset: this.offset,
    });
  }

  get atEnd(): boolean {
    this.skipBlanks();
    return this.pos >= this.end;
  }

  skipBlanks(): void {
    while (this.pos < this.end && isBlank(this.buf[this.pos])) this.pos++;
  }

  /** The next field's bounds [start, end); fails when there is none. */
  field(what: string): number {
    this.skipBlanks();
    const start = this.pos;
    while (this.pos < this.end && !isBlank(this.buf[this.pos])) this.pos++;
    if (this.pos === start) this.fail(`missing ${what}`);
    return start;
  }

  /** The next field as text (latin1: fields other than names are ASCII). */
  word(what: string): string {
    const s = this.field(what);
    return latin1.decode(this.buf.subarray(s, this.pos));
  }

  /** Does the next field equal `text` (ASCII)? Consumes it only when it does. */
  accept(text: string): boolean {
    this.skipBlanks();
    const p = this.pos;
    if (p + text.length > this.end) return false;
    for (let i = 0; i < text.length; i++) if (this.buf[p + i] !== text.charCodeAt(i)) return false;
    if (p + text.length < this.end && !isBlank(this.buf[p + text.length])) return false;
    this.pos = p + text.length;
    return true;
  }

  hex(what: string): number {
    const s = this.field(what);
    let v = 0;
    for (let i = s; i < this.pos; i++) {
      const c = this.buf[i];
      let d: number;
      if (c >= 0x30 && c <= 0x39) d = c - 0x30;
      else if (c >= 0x61 && c <= 0x66) d = c - 0x57;
      else if (c >= 0x41 && c <= 0x46) d = c - 0x37;
      else this.fail(`${what} is not a hex number`);
      v = v * 16 + d;
    }
    if (v > MAX_SAFE) this.fail(`${what} is too large`);
    return v;
  }

  /** A decimal number; `signed` accepts a leading '-'. */
  dec(what: string, signed = false): number {
    const s = this.field(what);
    let i = s;
    let neg = false;
    if (signed && this.buf[i] === 0x2d) {
      neg = true;
      i++;
    }
    if (i === this.pos) this.fail(`${what} is not a decimal number`);
    let v = 0;
    for (; i < this.pos; i++) {
      const c = this.buf[i];
      if (c < 0x30 || c > 0x39) this.fail(`${what} is not a decimal number`);
      v = v * 10 + (c - 0x30);
    }
    if (v > MAX_SAFE) this.fail(`${what} is too large`);
    return neg ? -v : v;
  }

  /** The rest of the line after the blanks that follow the previous field: [start, end). */
  rest(): number {
    this.skipBlanks();
    const s = this.pos;
    this.pos = this.end;
    return s;
  }

  expectEnd(what: string): void {
    if (!this.atEnd) this.fail(`unexpected text after ${what}`);
  }
}
