/**
 * Binary annotations: the line program of an inline site (the tail of S_INLINESITE /
 * S_INLINESITE2, cvinfo.h BinaryAnnotationOpcode, CVUncompressData, DecodeSignedInt32).
 *
 * The tail is a sequence of compressed unsigned integers: an opcode, then its operands.
 *   compressed unsigned:  0xxxxxxx                             7 bits, 1 byte
 *                         10xxxxxx xxxxxxxx                    14 bits, 2 bytes (big-endian)
 *                         110xxxxx xxxxxxxx xxxxxxxx xxxxxxxx  29 bits, 4 bytes (big-endian)
 *                         111xxxxx                             invalid
 *   signed operands are stored as (|v| << 1) | sign.
 * Opcode 0 (BA_OP_Invalid) pads the record to 4 bytes and ends the program.
 *
 * Running the program (state: code offset, code offset base, line, file, code length) yields
 * the code ranges of the inlinee with the line and file of each. Offsets are relative to the
 * start of the procedure that holds the inline site, whatever the site's nesting depth.
 * Three opcodes emit a range at the new code offset: ChangeCodeOffset,
 * ChangeCodeOffsetAndLineOffset and ChangeCodeLengthAndCodeOffset (which also gives that
 * range's length). A range without a length ends where the next one starts, or where a later
 * ChangeCodeLength says (which also moves the code offset past it). This is the reading of
 * cvdump and getsentry/pdb's InlineeLineIterator; the MSVC bytes of crash.pdb's
 * `_Tidy_deallocate` site checked in test/unit/inlines give the same ranges as llvm-pdbutil.
 * A ChangeCodeLength before any opcode has moved the code offset makes no range, but
 * Microsoft's dbghelp.dll gives the site the address where it ends (the sink gets an empty
 * `marker` range there; checked with the DLL on a patched inline-x64.pdb, test/unit/inlines).
 */
import type { Cursor } from '../binary/cursor';

/** BinaryAnnotationOpcode (cvinfo.h). */
export const BA = {
  Invalid: 0, //                       padding: the end of the program
  CodeOffset: 1, //                    code offset = operand
  ChangeCodeOffsetBase: 2, //          separated code chunk number (main chunk = 0)
  ChangeCodeOffset: 3, //              code offset += operand; emits
  ChangeCodeLength: 4, //              the length of the last range; code offset += operand
  ChangeFile: 5, //                    file = operand (an offset into DEBUG_S_FILECHKSMS)
  ChangeLineOffset: 6, //              line += signed operand
  ChangeLineEndDelta: 7, //            lines a range spans (default 1)
  ChangeRangeKind: 8, //               1 statement (default), 0 expression
  ChangeColumnStart: 9, //             start column (0: none)
  ChangeColumnEndDelta: 10, //         end column += signed operand
  ChangeCodeOffsetAndLineOffset: 11, // operand: code delta in bits 0-3, signed line delta above; emits
  ChangeCodeLengthAndCodeOffset: 12, // operands: length, code delta; emits a range of that length
  ChangeColumnEnd: 13, //              end column = operand
} as const;

/** One decoded annotation; `a`/`b` are its operands (signed ones already decoded). */
export interface BinaryAnnotation {
  op: number;
  a: number;
  b: number;
}

/** CVUncompressData: one compressed unsigned integer. */
export function readCompressedUnsigned(c: Cursor): number {
  const at = c.pos;
  const b0 = c.u8();
  if ((b0 & 0x80) === 0) return b0;
  if ((b0 & 0xc0) === 0x80) return ((b0 & 0x3f) << 8) | c.u8();
  if ((b0 & 0xe0) === 0xc0) {
    const b1 = c.u8();
    const b2 = c.u8();
    const b3 = c.u8();
    return (b0 & 0x1f) * 0x1000000 + ((b1 << 16) | (b2 << 8) | b3);
  }
  return c.fail(`invalid compressed integer prefix 0x${b0.toString(16)} in binary annotations`, at);
}

/** DecodeSignedInt32: the low bit is the sign. */
export function decodeSignedOperand(u: number): number {
  return u & 1 ? -(u >>> 1) | 0 : u >>> 1;
}

/** The annotations of an inline site, up to the end of the record or the first BA_OP_Invalid. */
export function readBinaryAnnotations(c: Cursor): BinaryAnnotation[] {
  const out: BinaryAnnotation[] = [];
  while (c.remaining > 0) {
    const at = c.pos;
    const op = readCompressedUnsigned(c);
    switch (op) {
      case BA.Invalid:
        return out;
      case BA.CodeOffset:
      case BA.ChangeCodeOffsetBase:
      case BA.ChangeCodeOffset:
      case BA.ChangeCodeLength:
      case BA.ChangeFile:
      case BA.ChangeLineEndDelta:
      case BA.ChangeRangeKind:
      case BA.ChangeColumnStart:
      case BA.ChangeColumnEnd:
        out.push({ op, a: readCompressedUnsigned(c), b: 0 });
        break;
      case BA.ChangeLineOffset:
      case BA.ChangeColumnEndDelta:
        out.push({ op, a: decodeSignedOperand(readCompressedUnsigned(c)), b: 0 });
        break;
      case BA.ChangeCodeOffsetAndLineOffset: {
        const v = readCompressedUnsigned(c);
        out.push({ op, a: v & 0xf, b: decodeSignedOperand(v >>> 4) });
        break;
      }
      case BA.ChangeCodeLengthAndCodeOffset: {
        const length = readCompressedUnsigned(c);
        out.push({ op, a: length, b: readCompressedUnsigned(c) });
        break;
      }
      default:
        c.fail(`unknown binary annotation opcode ${op}`, at);
    }
  }
  return out;
}

/** A code range of an inlinee with its source position. */
export interface InlineRange {
  /** Code offset from the start of the procedure holding the site. */
  offset: number;
  /** Bytes covered (0 when the program never said; such a range covers nothing). */
  length: number;
  /** Separated code chunk (ChangeCodeOffsetBase); 0 for the procedure's main body. */
  chunk: number;
  line: number;
  /** File checksum offset (DEBUG_S_FILECHKSMS) of the range's source file. */
  fileId: number;
}

/**
 * Receives each finished range of a line program, in program order (see InlineRange). `marker`
 * is set on the empty range that only carries a site's address (a code length before any
 * range, RangeProgram.step).
 */
export type InlineRangeSink = (offset: number, length: number, chunk: number, line: number, fileId: number, marker?: boolean) => void;

/**
 * The state of a running line program: one opcode at a time in, finished ranges out through
 * `sink`. A range whose length the program leaves open is held until the next range, a
 * ChangeCodeLength or the end (`finish`) closes it.
 */
class RangeProgram {
  private offset = 0;
  private line = 0;
  private fileId = 0;
  private sink: InlineRangeSink = () => {};
  private chunk = 0;
  private open = false;
  /** Whether an opcode has moved the code offset yet. */
  private moved = false;
  private oOffset = 0;
  private oChunk = 0;
  private oLine = 0;
  private oFile = 0;

  /** Ready to run a program from an inlinee's first line and file. */
  reset(line: number, fileId: number, sink: InlineRangeSink): this {
    this.offset = this.chunk = this.oOffset = this.oChunk = this.oLine = this.oFile = 0;
    this.open = this.moved = false;
    this.line = line;
    this.fileId = fileId;
    this.sink = sink;
    return this;
  }

  private emit(length: number | undefined): void {
    if (this.open) {
      this.open = false;
      this.sink(this.oOffset, this.oChunk === this.chunk && this.offset > this.oOffset ? this.offset - this.oOffset : 0, this.oChunk, this.oLine, this.oFile);
    }
    if (length !== undefined) {
      this.sink(this.offset, length, this.chunk, this.line, this.fileId);
      return;
    }
    this.open = true;
    this.oOffset = this.offset;
    this.oChunk = this.chunk;
    this.oLine = this.line;
    this.oFile = this.fileId;
  }

  step(op: number, a: number, b: number): void {
    const first = !this.moved;
    if (op === BA.CodeOffset || op === BA.ChangeCodeOffset || op === BA.ChangeCodeLength || op === BA.ChangeCodeOffsetAndLineOffset || op === BA.ChangeCodeLengthAndCodeOffset) this.moved = true;
    switch (op) {
      case BA.CodeOffset:
        this.offset = a;
        break;
      case BA.ChangeCodeOffsetBase:
        this.chunk = a;
        break;
      case BA.ChangeCodeOffset:
        this.offset = (this.offset + a) >>> 0;
        this.emit(undefined);
        break;
      case BA.ChangeCodeLength:
        if (this.open) {
          this.open = false;
          this.sink(this.oOffset, a, this.oChunk, this.oLine, this.oFile);
        }
        this.offset = (this.offset + a) >>> 0;
        // A length before any range (MSVC: line +2, length 9, code +6 line +2, length 0x1F):
        // no code, but Microsoft's dbghelp.dll puts the site's address where it ends (+9, not
        // the first range's +0xF). An empty range there carries that address.
        if (first) this.sink(this.offset, 0, this.chunk, this.line, this.fileId, true);
        break;
      case BA.ChangeFile:
        this.fileId = a;
        break;
      case BA.ChangeLineOffset:
        this.line = (this.line + a) >>> 0;
        break;
      case BA.ChangeCodeOffsetAndLineOffset:
        this.offset = (this.offset + a) >>> 0;
        this.line = (this.line + b) >>> 0;
        this.emit(undefined);
        break;
      case BA.ChangeCodeLengthAndCodeOffset:
        this.offset = (this.offset + b) >>> 0;
        this.emit(a);
        break;
      default:
        // Line end, range kind and columns do not move code or lines.
        break;
    }
  }

  /** The end of the program: a range still open covers nothing. */
  finish(): void {
    if (this.open) {
      this.open = false;
      this.sink(this.oOffset, 0, this.oChunk, this.oLine, this.oFile);
    }
  }
}

const PROGRAM = new RangeProgram();

/**
 * Runs an inline site's program. `startLine`/`startFileId` are the inlinee's entry in
 * DEBUG_S_INLINEELINES (its first line and file). Ranges come out in program order.
 */
export function inlineRanges(annotations: readonly BinaryAnnotation[], startLine: number, startFileId: number): InlineRange[] {
  const out: InlineRange[] = [];
  const p = new RangeProgram().reset(startLine, startFileId, (offset, length, chunk, line, fileId, marker) => {
    if (!marker) out.push({ offset, length, chunk, line, fileId });
  });
  for (const { op, a, b } of annotations) p.step(op, a, b);
  p.finish();
  return out;
}

/**
 * The same program run straight from the record's bytes (no annotation objects): what an
 * index of every site of a module is built with. Malformed bytes are BAD_FORMAT, as in
 * readBinaryAnnotations.
 */
export function forEachInlineRange(c: Cursor, startLine: number, startFileId: number, sink: InlineRangeSink): void {
  // One program object for every site (a sink never starts another program).
  const p = PROGRAM.reset(startLine, startFileId, sink);
  while (c.remaining > 0) {
    const at = c.pos;
    const op = readCompressedUnsigned(c);
    if (op === BA.Invalid) break;
    if (op > BA.ChangeColumnEnd) c.fail(`unknown binary annotation opcode ${op}`, at);
    const v = readCompressedUnsigned(c);
    if (op === BA.ChangeCodeOffsetAndLineOffset) p.step(op, v & 0xf, decodeSignedOperand(v >>> 4));
    else if (op === BA.ChangeCodeLengthAndCodeOffset) p.step(op, v, readCompressedUnsigned(c));
    else if (op === BA.ChangeLineOffset || op === BA.ChangeColumnEndDelta) p.step(op, decodeSignedOperand(v), 0);
    else p.step(op, v, 0);
  }
  p.finish();
}
