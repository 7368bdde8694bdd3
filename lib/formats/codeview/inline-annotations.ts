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
 * Runs an inline site's program. `startLine`/`startFileId` are the inlinee's entry in
 * DEBUG_S_INLINEELINES (its first line and file). Ranges come out in program order.
 */
export function inlineRanges(annotations: readonly BinaryAnnotation[], startLine: number, startFileId: number): InlineRange[] {
  const out: InlineRange[] = [];
  let offset = 0;
  let chunk = 0;
  let line = startLine;
  let fileId = startFileId;
  // The last range while its length is still open (implicit).
  let open: InlineRange | undefined;
  const emit = (length: number | undefined) => {
    if (open) {
      open.length = open.chunk === chunk && offset > open.offset ? offset - open.offset : 0;
      open = undefined;
    }
    const r: InlineRange = { offset, length: length ?? 0, chunk, line, fileId };
    out.push(r);
    if (length === undefined) open = r;
  };
  for (const { op, a, b } of annotations) {
    switch (op) {
      case BA.CodeOffset:
        offset = a;
        break;
      case BA.ChangeCodeOffsetBase:
        chunk = a;
        break;
      case BA.ChangeCodeOffset:
        offset = (offset + a) >>> 0;
        emit(undefined);
        break;
      case BA.ChangeCodeLength:
        if (open) {
          open.length = a;
          open = undefined;
        }
        offset = (offset + a) >>> 0;
        break;
      case BA.ChangeFile:
        fileId = a;
        break;
      case BA.ChangeLineOffset:
        line = (line + a) >>> 0;
        break;
      case BA.ChangeCodeOffsetAndLineOffset:
        offset = (offset + a) >>> 0;
        line = (line + b) >>> 0;
        emit(undefined);
        break;
      case BA.ChangeCodeLengthAndCodeOffset:
        offset = (offset + b) >>> 0;
        emit(a);
        break;
      default:
        // Line end, range kind and columns do not move code or lines.
        break;
    }
  }
  return out;
}
