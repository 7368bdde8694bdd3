/**
 * LZX decompression as cabinets use it (typeCompress 3, window 2^15..2^21).
 *
 * Hand-written: no npm package decodes LZX. Written from Microsoft's "LZX DELTA Compression and
 * Decompression" ([MS-PATCH] 2.x, which documents plain LZX as its subset and corrects the old
 * cabinet SDK's LZX notes) and checked against what libmspack/cabextract accept:
 *
 * - The bitstream is 16-bit little-endian words, each read most-significant bit first.
 * - The stream opens with one bit: E8 translation on, then a 32-bit translation size.
 * - Blocks: 3-bit type (1 verbatim, 2 aligned offset, 3 uncompressed), 24-bit output size.
 *   Verbatim/aligned blocks carry the main and length trees as deltas (mod 17) against the
 *   previous block's lengths, coded with a 20-symbol pretree; aligned blocks first carry an
 *   8-symbol aligned-offset tree (3 bits per length). Uncompressed blocks pad to the next
 *   16-bit boundary (1 to 16 bits), store R0, R1, R2 and the raw bytes, then a pad byte when the
 *   size is odd.
 * - Matches: main symbol 256 + (position slot << 3 | length header); header 7 adds a length-tree
 *   symbol; slots 0-2 reuse the repeated offsets R0/R1/R2 (with LRU swaps), slot 3 and up give
 *   position_base[slot] - 2 plus extra bits (in aligned blocks the low 3 bits of offsets with 3
 *   or more extra bits come from the aligned tree).
 * - Output is cut into 32 KiB frames; at the end of each frame the input is realigned to 16 bits.
 *   No match may run past the end of its block or frame.
 * - E8 translation, undone per frame after decoding (only in the first 32768 frames, only for
 *   frames over 10 bytes, only once a block could have produced an 0xE8): each 0xE8 byte at
 *   output position p followed by a 32-bit value v in [-p, size) gets v - p (v >= 0) or
 *   v + size (v < 0); the last 10 bytes of a frame are left alone.
 *
 * The whole folder is decoded into one linear buffer, which is also the window: a match reads
 * `out[pos - offset]`, and offsets are checked against the output so far and the window size.
 * E8 translation runs after the last frame is decoded, so matches see untranslated bytes.
 *
 * Over 400 lines on purpose: one decoder state machine (bit reader, three Huffman trees,
 * window, the E8 translation) whose parts share its state; split, they would pass it around.
 */
import { BuildResult, HuffmanTable } from './huffman';

export const LZX_FRAME_SIZE = 32768;
export const LZX_MIN_WINDOW_BITS = 15;
export const LZX_MAX_WINDOW_BITS = 21;

const NUM_CHARS = 256;
const PRETREE_SYMBOLS = 20;
const LENGTH_SYMBOLS = 249;
const ALIGNED_SYMBOLS = 8;
const MIN_MATCH = 2;
const NUM_PRIMARY_LENGTHS = 7;
/** Length arrays are padded: a pretree run may write past the last symbol, as in libmspack. */
const LENTABLE_SAFETY = 64;
const BLOCK_VERBATIM = 1;
const BLOCK_ALIGNED = 2;
const BLOCK_UNCOMPRESSED = 3;

/** Position slots for window sizes 2^15..2^21. */
const POSITION_SLOTS = [30, 32, 34, 36, 38, 42, 50];
const EXTRA_BITS = new Uint8Array(51);
const POSITION_BASE = new Uint32Array(51);
for (let i = 0; i < 51; i++) {
  EXTRA_BITS[i] = i < 4 ? 0 : i < 36 ? (i >> 1) - 1 : 17;
  POSITION_BASE[i] = i === 0 ? 0 : POSITION_BASE[i - 1] + (1 << EXTRA_BITS[i - 1]);
}

/** Thrown by the decoder; the caller turns it into BAD_FORMAT at a file offset. */
export class LzxError extends Error {
  constructor(
    message: string,
    /** Byte offset in the compressed input where decoding stood. */
    readonly inputOffset: number,
  ) {
    super(message);
  }
}

export class LzxDecoder {
  readonly windowSize: number;
  private readonly mainElements: number;
  private readonly pretree = new HuffmanTable(PRETREE_SYMBOLS, 8);
  private readonly mainTree: HuffmanTable;
  private readonly lengthTree = new HuffmanTable(LENGTH_SYMBOLS, 10);
  private readonly alignedTree = new HuffmanTable(ALIGNED_SYMBOLS, 7);
  private readonly preLens = new Uint8Array(PRETREE_SYMBOLS);
  private readonly mainLens: Uint8Array;
  private readonly lengthLens = new Uint8Array(LENGTH_SYMBOLS + LENTABLE_SAFETY);
  private readonly alignedLens = new Uint8Array(ALIGNED_SYMBOLS);
  private lengthEmpty = false;

  // Bit reader: `bb` holds `bl` unread bits at its top; `ip` is the next input byte.
  private bb = 0;
  private bl = 0;
  private ip = 0;
  private readonly input: Uint8Array;
  private readonly inputLength: number;

  constructor(windowBits: number, input: Uint8Array) {
    if (!(windowBits >= LZX_MIN_WINDOW_BITS && windowBits <= LZX_MAX_WINDOW_BITS)) {
      throw new LzxError(`LZX window 2^${windowBits} outside 2^15..2^21`, 0);
    }
    this.windowSize = 2 ** windowBits;
    this.mainElements = NUM_CHARS + POSITION_SLOTS[windowBits - LZX_MIN_WINDOW_BITS] * 8;
    this.mainTree = new HuffmanTable(this.mainElements, 11);
    this.mainLens = new Uint8Array(this.mainElements + LENTABLE_SAFETY);
    // Zero padding lets the bit reader look ahead past the end without bounds checks per word;
    // running past the real end is caught at block and frame boundaries.
    this.inputLength = input.length;
    this.input = new Uint8Array(input.length + 8);
    this.input.set(input);
  }

  private fail(what: string, at = this.consumed()): never {
    throw new LzxError(what, Math.min(at, this.inputLength));
  }

  /** Input bytes consumed so far (whole bytes, rounding up a partly read one). */
  private consumed(): number {
    return this.ip - (this.bl >> 3);
  }

  private checkInput(what: string): void {
    if (this.ip * 8 - this.bl > this.inputLength * 8) this.fail(`LZX data ends inside ${what}`, this.inputLength);
  }

  private ensure(n: number): void {
    const inp = this.input;
    const end = this.inputLength + 4;
    while (this.bl < n) {
      const p = this.ip;
      const w = p < end ? inp[p] | (inp[p + 1] << 8) : 0;
      this.ip = p + 2;
      this.bb |= w << (16 - this.bl);
      this.bl += 16;
    }
  }

  private bits(n: number): number {
    this.ensure(n);
    const v = this.bb >>> (32 - n);
    this.bb <<= n;
    this.bl -= n;
    return v;
  }

  private symbol(t: HuffmanTable): number {
    this.ensure(16);
    let e = t.table[this.bb >>> (32 - t.tableBits)];
    if (e < 0) e = t.table[-e + ((this.bb << t.tableBits) >>> (32 - t.subBits))];
    const len = e & 31;
    this.bb <<= len;
    this.bl -= len;
    return e >>> 5;
  }

  /** Code lengths for lens[first, last): pretree, then deltas and runs (libmspack's lzxd_read_lens). */
  private readLengths(lens: Uint8Array, first: number, last: number, what: string): void {
    const pre = this.preLens;
    for (let i = 0; i < PRETREE_SYMBOLS; i++) pre[i] = this.bits(4);
    if (this.pretree.build(pre) !== BuildResult.OK) this.fail(`LZX pretree for the ${what} is not a complete prefix code`);
    let x = first;
    while (x < last) {
      let z = this.symbol(this.pretree);
      if (z === 17) {
        let y = this.bits(4) + 4;
        while (y--) lens[x++] = 0;
      } else if (z === 18) {
        let y = this.bits(5) + 20;
        while (y--) lens[x++] = 0;
      } else if (z === 19) {
        let y = this.bits(1) + 4;
        z = this.symbol(this.pretree);
        if (z > 16) this.fail(`LZX pretree symbol ${z} where a length delta belongs (${what})`);
        z = lens[x] - z;
        if (z < 0) z += 17;
        while (y--) lens[x++] = z;
      } else {
        z = lens[x] - z;
        if (z < 0) z += 17;
        lens[x++] = z;
      }
    }
  }

  /**
   * Decodes the folder's stream into `out`: `total` bytes in all, stopping after the frame that
   * reaches `limit` (<= total, <= out.length). Throws LzxError on malformed data.
   */
  decode(out: Uint8Array, total: number, limit: number): void {
    const windowSize = this.windowSize;
    const mainTree = this.mainTree;
    const lengthTree = this.lengthTree;
    const alignedTree = this.alignedTree;
    const mainLens = this.mainLens;
    const inp = this.input;
    const inEnd = this.inputLength + 4;
    const e8Frames: number[] = [];

    let R0 = 1;
    let R1 = 1;
    let R2 = 1;
    let blockType = 0;
    let blockLength = 0;
    let blockRemaining = 0;
    let intelStarted = false;
    let intelSize = 0;

    // Header: one bit, then the E8 translation size when it is set.
    if (this.bits(1)) {
      const hi = this.bits(16);
      intelSize = (hi << 16) | this.bits(16) | 0;
    }

    let pos = 0;
    for (let frame = 0; pos < limit; frame++) {
      const frameSize = Math.min(LZX_FRAME_SIZE, total - pos);
      const frameEnd = pos + frameSize;
      while (pos < frameEnd) {
        if (blockRemaining === 0) {
          if (blockType === BLOCK_UNCOMPRESSED && blockLength & 1) this.ip++; // pad byte after an odd uncompressed block
          this.checkInput('a block header');
          blockType = this.bits(3);
          const hi = this.bits(16);
          blockLength = blockRemaining = (hi << 8) | this.bits(8);
          if (blockType === BLOCK_ALIGNED) {
            // An aligned block's header is a verbatim block's preceded by the aligned offset tree.
            for (let i = 0; i < ALIGNED_SYMBOLS; i++) this.alignedLens[i] = this.bits(3);
            if (alignedTree.build(this.alignedLens) !== BuildResult.OK) this.fail('LZX aligned offset tree is not a complete prefix code');
          }
          switch (blockType) {
            case BLOCK_ALIGNED:
            case BLOCK_VERBATIM: {
              this.readLengths(mainLens, 0, NUM_CHARS, 'main tree');
              this.readLengths(mainLens, NUM_CHARS, this.mainElements, 'main tree');
              if (mainTree.build(mainLens) !== BuildResult.OK) this.fail('LZX main tree is not a complete prefix code');
              if (mainLens[0xe8] !== 0) intelStarted = true;
              this.readLengths(this.lengthLens, 0, LENGTH_SYMBOLS, 'length tree');
              const r = lengthTree.build(this.lengthLens);
              if (r === BuildResult.BAD) this.fail('LZX length tree is not a complete prefix code');
              this.lengthEmpty = r === BuildResult.EMPTY;
              this.checkInput('block trees');
              break;
            }
            case BLOCK_UNCOMPRESSED: {
              intelStarted = true;
              // Skip to the next 16-bit boundary: 1 to 16 bits.
              if (this.bl === 0) this.ensure(16);
              this.bl = 0;
              this.bb = 0;
              const p = this.ip;
              if (p + 12 > this.inputLength) this.fail('LZX data ends inside an uncompressed block header', p);
              R0 = (inp[p] | (inp[p + 1] << 8) | (inp[p + 2] << 16) | (inp[p + 3] << 24)) >>> 0;
              R1 = (inp[p + 4] | (inp[p + 5] << 8) | (inp[p + 6] << 16) | (inp[p + 7] << 24)) >>> 0;
              R2 = (inp[p + 8] | (inp[p + 9] << 8) | (inp[p + 10] << 16) | (inp[p + 11] << 24)) >>> 0;
              this.ip = p + 12;
              break;
            }
            default:
              this.fail(`LZX block type ${blockType} is not verbatim (1), aligned (2) or uncompressed (3)`);
          }
          if (blockLength === 0) continue;
        }

        const runEnd = pos + Math.min(blockRemaining, frameEnd - pos);
        const start = pos;
        if (blockType === BLOCK_UNCOMPRESSED) {
          const n = runEnd - pos;
          const p = this.ip;
          if (p + n > this.inputLength) this.fail('LZX data ends inside an uncompressed block', this.inputLength);
          out.set(inp.subarray(p, p + n), pos);
          this.ip = p + n;
          pos = runEnd;
        } else {
          // The hot loop: bit reader state in locals.
          const aligned = blockType === BLOCK_ALIGNED;
          const mt = mainTree.table;
          const mtBits = mainTree.tableBits;
          const mtSub = mainTree.subBits;
          const lt = lengthTree.table;
          const ltBits = lengthTree.tableBits;
          const ltSub = lengthTree.subBits;
          const lengthEmpty = this.lengthEmpty;
          let bb = this.bb;
          let bl = this.bl;
          let ip = this.ip;
          while (pos < runEnd) {
            // ensure 16 bits
            while (bl < 16) {
              bb |= (ip < inEnd ? inp[ip] | (inp[ip + 1] << 8) : 0) << (16 - bl);
              ip += 2;
              bl += 16;
            }
            let e = mt[bb >>> (32 - mtBits)];
            if (e < 0) e = mt[-e + ((bb << mtBits) >>> (32 - mtSub))];
            let len = e & 31;
            bb <<= len;
            bl -= len;
            let sym = e >>> 5;
            if (sym < NUM_CHARS) {
              out[pos++] = sym;
              continue;
            }
            sym -= NUM_CHARS;
            let matchLength = sym & NUM_PRIMARY_LENGTHS;
            if (matchLength === NUM_PRIMARY_LENGTHS) {
              if (lengthEmpty) {
                this.ip = ip;
                this.bl = bl;
                this.fail('LZX match needs the length tree, which is empty');
              }
              while (bl < 16) {
                bb |= (ip < inEnd ? inp[ip] | (inp[ip + 1] << 8) : 0) << (16 - bl);
                ip += 2;
                bl += 16;
              }
              e = lt[bb >>> (32 - ltBits)];
              if (e < 0) e = lt[-e + ((bb << ltBits) >>> (32 - ltSub))];
              len = e & 31;
              bb <<= len;
              bl -= len;
              matchLength += e >>> 5;
            }
            matchLength += MIN_MATCH;

            const slot = sym >>> 3;
            let offset: number;
            if (slot === 0) {
              offset = R0;
            } else if (slot === 1) {
              offset = R1;
              R1 = R0;
              R0 = offset;
            } else if (slot === 2) {
              offset = R2;
              R2 = R0;
              R0 = offset;
            } else {
              const extra = EXTRA_BITS[slot];
              offset = POSITION_BASE[slot] - 2;
              if (extra >= 3 && aligned) {
                if (extra > 3) {
                  const n = extra - 3;
                  while (bl < n) {
                    bb |= (ip < inEnd ? inp[ip] | (inp[ip + 1] << 8) : 0) << (16 - bl);
                    ip += 2;
                    bl += 16;
                  }
                  offset += (bb >>> (32 - n)) << 3;
                  bb <<= n;
                  bl -= n;
                }
                while (bl < 16) {
                  bb |= (ip < inEnd ? inp[ip] | (inp[ip + 1] << 8) : 0) << (16 - bl);
                  ip += 2;
                  bl += 16;
                }
                e = alignedTree.table[bb >>> (32 - alignedTree.tableBits)];
                len = e & 31;
                bb <<= len;
                bl -= len;
                offset += e >>> 5;
              } else if (extra) {
                while (bl < extra) {
                  bb |= (ip < inEnd ? inp[ip] | (inp[ip + 1] << 8) : 0) << (16 - bl);
                  ip += 2;
                  bl += 16;
                }
                offset += bb >>> (32 - extra);
                bb <<= extra;
                bl -= extra;
              }
              R2 = R1;
              R1 = R0;
              R0 = offset;
            }

            if (pos + matchLength > runEnd) {
              this.ip = ip;
              this.bl = bl;
              this.fail(`LZX match of ${matchLength} bytes at output ${pos} runs past the end of its ${pos + matchLength > frameEnd ? 'frame' : 'block'}`);
            }
            if (offset > pos || offset === 0 || offset > windowSize) {
              this.ip = ip;
              this.bl = bl;
              this.fail(`LZX match offset ${offset} at output ${pos} is outside the ${Math.min(pos, windowSize)} bytes before it`);
            }
            let src = pos - offset;
            if (offset >= matchLength && matchLength > 16) {
              out.copyWithin(pos, src, src + matchLength);
              pos += matchLength;
            } else {
              const stop = pos + matchLength;
              while (pos < stop) out[pos++] = out[src++];
            }
          }
          this.bb = bb;
          this.bl = bl;
          this.ip = ip;
        }
        blockRemaining -= pos - start;
      }
      // Realign the input to 16 bits at the end of each frame.
      const drop = this.bl & 15;
      this.bb <<= drop;
      this.bl -= drop;
      this.checkInput(`frame ${frame}`);
      if (intelStarted && intelSize !== 0 && frame < 32768 && frameSize > 10) e8Frames.push(frameEnd - frameSize);
    }
    for (const at of e8Frames) undoE8(out, at, Math.min(LZX_FRAME_SIZE, total - at), intelSize);
  }
}

/** Undoes the E8 call translation on out[at, at + size) (one frame at output offset `at`). */
export function undoE8(out: Uint8Array, at: number, size: number, fileSize: number): void {
  const end = at + size - 10;
  let i = at;
  while (i < end) {
    if (out[i] !== 0xe8) {
      i++;
      continue;
    }
    const abs = out[i + 1] | (out[i + 2] << 8) | (out[i + 3] << 16) | (out[i + 4] << 24);
    if (abs >= -i && abs < fileSize) {
      const rel = abs >= 0 ? abs - i : abs + fileSize;
      out[i + 1] = rel;
      out[i + 2] = rel >> 8;
      out[i + 3] = rel >> 16;
      out[i + 4] = rel >> 24;
    }
    i += 5;
  }
}
