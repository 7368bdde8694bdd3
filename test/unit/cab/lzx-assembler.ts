/**
 * A hand assembler for LZX bitstreams, used to build test cabinets whose contents are known
 * independently of the decoder under test (cabextract checked the committed results; see
 * test/fixtures/cab/README.md).
 *
 * It is not a compressor: the caller spells out every block, tree and token (literal, match with
 * an explicit offset, or a repeated-offset match R0/R1/R2), and `play` gives the bytes those tokens
 * mean by the rules of [MS-PATCH] 2.x read literally, with no Huffman coding involved. The
 * assembler writes them the way the spec lays them out: 16-bit little-endian words filled from
 * the most significant bit, the E8 header, 3+24-bit block headers, pretree-coded code lengths as
 * deltas (mod 17) against the previous block's (with the run codes 17, 18, 19), aligned offset
 * trees, uncompressed blocks padded to 16 bits with R0-R2 and an odd-size pad byte, and the
 * realignment to 16 bits at every 32 KiB of output.
 */

export type Token =
  | { lit: number }
  | { len: number; off: number } // explicit match offset (becomes the new R0)
  | { len: number; r: 0 | 1 | 2 }; // repeated offset

export type Block =
  | {
      type: 'verbatim' | 'aligned';
      tokens: Token[];
      mainLens?: Map<number, number>;
      lengthLens?: Map<number, number>;
      alignedLens?: number[];
      /** Block size to declare instead of the tokens' total (to build malformed streams). */
      declaredSize?: number;
    }
  | { type: 'uncompressed'; data: Uint8Array; r: [number, number, number] };

export interface Stream {
  windowBits: number;
  /** E8 translation size; undefined writes the header bit 0. */
  e8Size?: number;
  blocks: Block[];
}

const FRAME = 32768;
export const EXTRA_BITS: number[] = [];
export const POSITION_BASE: number[] = [];
for (let i = 0; i < 51; i++) {
  EXTRA_BITS.push(i < 4 ? 0 : i < 36 ? Math.floor(i / 2) - 1 : 17);
  POSITION_BASE.push(i === 0 ? 0 : POSITION_BASE[i - 1] + 2 ** EXTRA_BITS[i - 1]);
}
const SLOTS: Record<number, number> = { 15: 30, 16: 32, 17: 34, 18: 36, 19: 38, 20: 42, 21: 50 };

/** Bits written MSB-first into 16-bit little-endian words; raw bytes may be interleaved. */
export class BitWriter {
  readonly out: number[] = [];
  private word = 0;
  private n = 0;
  bits(value: number, count: number): void {
    for (let i = count - 1; i >= 0; i--) {
      this.word = (this.word << 1) | (Math.floor(value / 2 ** i) & 1);
      if (++this.n === 16) {
        this.out.push(this.word & 0xff, this.word >> 8);
        this.word = 0;
        this.n = 0;
      }
    }
  }
  /** Zero bits up to the next 16-bit boundary (none when already there). */
  align(): void {
    if (this.n) this.bits(0, 16 - this.n);
  }
  /** The uncompressed-block padding: 1 to 16 zero bits. */
  padBlock(): void {
    this.bits(0, 16 - this.n);
  }
  raw(bytes: ArrayLike<number>): void {
    if (this.n) throw new Error('raw bytes while bits are pending');
    for (let i = 0; i < bytes.length; i++) this.out.push(bytes[i]);
  }
  get length(): number {
    return this.out.length;
  }
}

/** Canonical codes for code lengths (shortest first, then by symbol). */
export function canonicalCodes(lens: number[]): number[] {
  const codes = new Array<number>(lens.length).fill(-1);
  let code = 0;
  for (let len = 1; len <= 16; len++) {
    for (let s = 0; s < lens.length; s++) if (lens[s] === len) codes[s] = code++;
    code <<= 1;
  }
  return codes;
}

/** Lengths giving a complete code over `symbols` (at least two). */
export function completeLengths(symbols: number[]): Map<number, number> {
  const k = symbols.length;
  if (k < 2) throw new Error('need two symbols');
  const L = Math.ceil(Math.log2(k));
  const short = 2 ** L - k; // this many at L-1, the rest at L: Kraft sum (k + short) / 2^L = 1
  return new Map(symbols.map((s, i) => [s, i < short ? L - 1 : L]));
}

function slotOf(position: number): number {
  let s = 0;
  while (s + 1 < POSITION_BASE.length && POSITION_BASE[s + 1] <= position) s++;
  return s;
}

/** The main-tree symbol and optional length-tree symbol of a match. */
function matchSymbols(t: { len: number; off?: number; r?: number }): { main: number; length?: number; slot: number } {
  if (t.len < 2 || t.len > 257) throw new Error(`match length ${t.len}`);
  const header = Math.min(t.len - 2, 7);
  const slot = t.r !== undefined ? t.r : slotOf(t.off! + 2);
  if (t.r === undefined && slot < 3) throw new Error(`offset ${t.off} has no slot`);
  return { main: 256 + slot * 8 + header, length: header === 7 ? t.len - 9 : undefined, slot };
}

/** The bytes the blocks stand for, by the spec's rules (no E8 translation). */
export function play(blocks: Block[]): Uint8Array {
  const out: number[] = [];
  let [R0, R1, R2] = [1, 1, 1];
  for (const b of blocks) {
    if (b.type === 'uncompressed') {
      out.push(...b.data);
      [R0, R1, R2] = b.r;
      continue;
    }
    for (const t of b.tokens) {
      if ('lit' in t) {
        out.push(t.lit);
        continue;
      }
      let off: number;
      if ('r' in t) {
        if (t.r === 0) off = R0;
        else if (t.r === 1) [off, R1, R0] = [R1, R0, R1];
        else [off, R2, R0] = [R2, R0, R2];
      } else {
        off = t.off;
        [R2, R1, R0] = [R1, R0, off];
      }
      if (off < 1 || off > out.length) throw new Error(`offset ${off} at ${out.length}`);
      for (let i = 0; i < t.len; i++) out.push(out[out.length - off]);
    }
  }
  return Uint8Array.from(out);
}

/** Pretree lengths used for every tree: symbols 0-11 get 4 bits, 12-19 get 5 (a complete code). */
const PRE_LENS = Array.from({ length: 20 }, (_, i) => (i < 12 ? 4 : 5));
const PRE_CODES = canonicalCodes(PRE_LENS);

function writeLengths(w: BitWriter, prev: number[], next: number[], first: number, last: number): void {
  for (const l of PRE_LENS) w.bits(l, 4);
  const pre = (z: number) => w.bits(PRE_CODES[z], PRE_LENS[z]);
  let x = first;
  while (x < last) {
    let zeros = 0;
    while (x + zeros < last && next[x + zeros] === 0 && zeros < 51) zeros++;
    if (zeros >= 20) {
      pre(18);
      w.bits(zeros - 20, 5);
      for (let i = 0; i < zeros; i++) prev[x++] = 0;
      continue;
    }
    if (zeros >= 4) {
      pre(17);
      w.bits(zeros - 4, 4);
      for (let i = 0; i < zeros; i++) prev[x++] = 0;
      continue;
    }
    let same = 1;
    while (x + same < last && next[x + same] === next[x] && same < 5) same++;
    if (same >= 4 && next[x] !== 0) {
      // code 19: (4 + 1 bit) entries all set to (prev[x] - z) mod 17
      pre(19);
      w.bits(same - 4, 1);
      pre((prev[x] - next[x] + 17) % 17);
      const v = next[x];
      for (let i = 0; i < same; i++) prev[x++] = v;
      continue;
    }
    pre((prev[x] - next[x] + 17) % 17);
    prev[x] = next[x];
    x++;
  }
}

export interface Assembled {
  /** Compressed bytes per 32 KiB frame (one CFDATA block each). */
  frames: Uint8Array[];
  /** Uncompressed size of each frame. */
  sizes: number[];
  /** The output before E8 translation is undone (what `play` gives). */
  played: Uint8Array;
}

export function assemble(s: Stream): Assembled {
  const w = new BitWriter();
  const mainCount = 256 + SLOTS[s.windowBits] * 8;
  const mainPrev = new Array<number>(mainCount).fill(0);
  const lengthPrev = new Array<number>(249).fill(0);
  const cuts: number[] = [];
  let pos = 0;
  const frameDone = () => {
    if (pos % FRAME === 0) {
      w.align();
      cuts.push(w.length);
    }
  };

  if (s.e8Size === undefined) w.bits(0, 1);
  else {
    w.bits(1, 1);
    w.bits(s.e8Size >>> 16, 16);
    w.bits(s.e8Size & 0xffff, 16);
  }
  let lastUncompressedOdd = false;
  for (const b of s.blocks) {
    if (lastUncompressedOdd) {
      w.raw([0]);
      lastUncompressedOdd = false;
    }
    const size = b.type === 'uncompressed' ? b.data.length : (b.declaredSize ?? b.tokens.reduce((n, t) => n + ('lit' in t ? 1 : t.len), 0));
    const typeCode = { verbatim: 1, aligned: 2, uncompressed: 3 }[b.type];
    w.bits(typeCode, 3);
    w.bits(size >>> 8, 16);
    w.bits(size & 0xff, 8);
    if (b.type === 'uncompressed') {
      w.padBlock();
      const r = new Uint8Array(12);
      const v = new DataView(r.buffer);
      b.r.forEach((x, i) => v.setUint32(i * 4, x, true));
      w.raw(r);
      for (let i = 0; i < b.data.length;) {
        const n = Math.min(b.data.length - i, FRAME - (pos % FRAME));
        w.raw(b.data.subarray(i, i + n));
        i += n;
        pos += n;
        if (pos % FRAME === 0) cuts.push(w.length);
      }
      lastUncompressedOdd = (b.data.length & 1) === 1;
      continue;
    }
    // Trees: the caller's lengths, or a complete code over the symbols the tokens use.
    const mainSyms = new Set<number>();
    const lengthSyms = new Set<number>();
    for (const t of b.tokens) {
      if ('lit' in t) mainSyms.add(t.lit);
      else {
        const m = matchSymbols(t);
        mainSyms.add(m.main);
        if (m.length !== undefined) lengthSyms.add(m.length);
      }
    }
    while (mainSyms.size < 2) mainSyms.add(mainSyms.has(0) ? 1 : 0);
    if (lengthSyms.size === 1) lengthSyms.add(lengthSyms.has(0) ? 1 : 0);
    const mainLens = b.mainLens ?? completeLengths([...mainSyms].sort((a, c) => a - c));
    const lengthLens = b.lengthLens ?? (lengthSyms.size ? completeLengths([...lengthSyms].sort((a, c) => a - c)) : new Map<number, number>());
    const alignedLens = b.alignedLens ?? [3, 3, 3, 3, 3, 3, 3, 3];
    const mainArr = Array.from({ length: mainCount }, (_, i) => mainLens.get(i) ?? 0);
    const lengthArr = Array.from({ length: 249 }, (_, i) => lengthLens.get(i) ?? 0);
    if (b.type === 'aligned') for (const l of alignedLens) w.bits(l, 3);
    writeLengths(w, mainPrev, mainArr, 0, 256);
    writeLengths(w, mainPrev, mainArr, 256, mainCount);
    writeLengths(w, lengthPrev, lengthArr, 0, 249);
    const mainCodes = canonicalCodes(mainArr);
    const lengthCodes = canonicalCodes(lengthArr);
    const alignedCodes = canonicalCodes(alignedLens);
    const sym = (codes: number[], lens: number[], s: number) => {
      if (!lens[s]) throw new Error(`symbol ${s} has no code`);
      w.bits(codes[s], lens[s]);
    };
    for (const t of b.tokens) {
      if ('lit' in t) {
        sym(mainCodes, mainArr, t.lit);
        pos++;
        frameDone();
        continue;
      }
      const m = matchSymbols(t);
      if (Math.floor(pos / FRAME) !== Math.floor((pos + t.len - 1) / FRAME)) throw new Error(`match at ${pos} crosses a frame`);
      sym(mainCodes, mainArr, m.main);
      if (m.length !== undefined) sym(lengthCodes, lengthArr, m.length);
      if (!('r' in t)) {
        const extra = EXTRA_BITS[m.slot];
        const vb = t.off + 2 - POSITION_BASE[m.slot];
        if (b.type === 'aligned' && extra >= 3) {
          if (extra > 3) w.bits(vb >>> 3, extra - 3);
          sym(alignedCodes, alignedLens, vb & 7);
        } else if (extra) w.bits(vb, extra);
      }
      pos += t.len;
      frameDone();
    }
  }
  if (pos % FRAME !== 0) {
    w.align();
    cuts.push(w.length);
  }
  if (lastUncompressedOdd) w.raw([0]);
  const bytes = Uint8Array.from(w.out);
  const frames: Uint8Array[] = [];
  const sizes: number[] = [];
  let from = 0;
  cuts.forEach((c, i) => {
    frames.push(bytes.subarray(from, i === cuts.length - 1 ? bytes.length : c));
    sizes.push(Math.min(FRAME, pos - i * FRAME));
    from = c;
  });
  return {
    frames,
    sizes,
    get played() {
      return play(s.blocks);
    },
  };
}

/**
 * The E8 translation undone by the rules of [MS-PATCH] 2.x, written out plainly: in each 32 KiB
 * frame (of more than 10 bytes, among the first 32768 frames), an 0xE8 byte at output offset i
 * below the frame's last 10 bytes, followed by the 32-bit value v, gets v - i when 0 <= v < size,
 * v + size when -i <= v < 0, and is left alone otherwise; the four bytes after it are skipped.
 */
export function undoE8Reference(data: Uint8Array, size: number): Uint8Array {
  const out = Uint8Array.from(data);
  for (let start = 0, frame = 0; start < out.length && frame < 32768; start += FRAME, frame++) {
    const end = Math.min(out.length, start + FRAME);
    if (end - start <= 10) continue;
    for (let i = start; i < end - 10; i++) {
      if (out[i] !== 0xe8) continue;
      const v = new DataView(out.buffer).getInt32(i + 1, true);
      let nv: number | undefined;
      if (v >= 0 && v < size) nv = v - i;
      else if (v < 0 && v >= -i) nv = v + size;
      if (nv !== undefined) new DataView(out.buffer).setInt32(i + 1, nv, true);
      i += 4;
    }
  }
  return out;
}
