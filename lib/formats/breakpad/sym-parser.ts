/**
 * SymParser: splits a Breakpad .sym file into lines as its bytes arrive (chunk by chunk from a
 * stream, or all at once) and hands each to SymIndex, which checks it and keeps where it is.
 * Memory stays bounded by the index plus one chunk: a line cut by a chunk boundary is carried
 * over (at most MAX_LINE bytes).
 */
import { DbgHelpError } from '../../api/errors';
import { SymLine } from './sym-line';
import { SymIndex } from './sym-index';

/** The longest line accepted (a STACK WIN program string or a long C++ name fits easily). */
export const MAX_LINE = 1 << 20;

export class SymParser {
  readonly index = new SymIndex();
  private readonly line: SymLine;
  private carry: Uint8Array | undefined;
  private lineNo = 0;
  /** File offset of the first byte of the next chunk. */
  private offset = 0;

  constructor(readonly origin: string) {
    this.line = new SymLine(origin);
  }

  push(chunk: Uint8Array): void {
    let start = 0;
    if (this.carry) {
      const nl = chunk.indexOf(0x0a);
      if (nl < 0) {
        this.carry = concat(this.carry, chunk);
        this.checkLength(this.carry.length, this.offset - (this.carry.length - chunk.length));
        this.offset += chunk.length;
        return;
      }
      const lineStart = this.offset - this.carry.length;
      const whole = concat(this.carry, chunk.subarray(0, nl));
      this.carry = undefined;
      this.one(whole, 0, whole.length, lineStart);
      start = nl + 1;
    }
    for (;;) {
      const nl = chunk.indexOf(0x0a, start);
      if (nl < 0) break;
      this.one(chunk, start, nl, this.offset + start);
      start = nl + 1;
    }
    if (start < chunk.length) {
      this.carry = new Uint8Array(chunk.subarray(start)); // a copy: the caller may reuse chunk
      this.checkLength(this.carry.length, this.offset + start);
    }
    this.offset += chunk.length;
  }

  /** The last line (without a newline) and the end of input. */
  end(): SymIndex {
    if (this.carry) {
      const c = this.carry;
      this.carry = undefined;
      this.one(c, 0, c.length, this.offset - c.length);
    }
    if (!this.index.module) {
      throw new DbgHelpError('BAD_FORMAT', `${this.origin}: no MODULE record (not a Breakpad symbol file)`, { file: this.origin, offset: 0 });
    }
    this.index.bytes = this.offset;
    this.index.finish();
    return this.index;
  }

  private one(buf: Uint8Array, start: number, end: number, fileOffset: number): void {
    this.lineNo++;
    if (end > start && buf[end - 1] === 0x0d) end--;
    this.checkLength(end - start, fileOffset);
    const l = this.line;
    l.reset(buf, start, end, this.lineNo, fileOffset);
    if (fileOffset === 0 && end - start >= 3 && buf[start] === 0xef && buf[start + 1] === 0xbb && buf[start + 2] === 0xbf) l.pos += 3;
    if (l.atEnd) return;
    if (!this.index.module) {
      const p = l.pos;
      if (!l.accept('MODULE')) l.fail('the first record is not MODULE');
      l.pos = p;
    }
    this.index.record(l, fileOffset + (end - start));
  }

  private checkLength(n: number, at: number): void {
    if (n > MAX_LINE) {
      throw new DbgHelpError('BAD_FORMAT', `${this.origin}: line ${this.lineNo + 1}: longer than ${MAX_LINE} bytes (at offset 0x${at.toString(16)})`, {
        file: this.origin,
        offset: at,
      });
    }
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
