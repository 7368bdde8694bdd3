/**
 * The hand-assembled LZX cabinets committed in test/fixtures/cab (see its README): their streams,
 * the bytes each stands for, and a plain cabinet container around them. `build()` regenerates
 * them; test/fixtures/cab/build.js writes them to disk.
 */
import { assemble, Block, Stream, Token, play, undoE8Reference } from './lzx-assembler';

export interface LzxFixture {
  name: string;
  description: string;
  stream: Stream;
  files: { name: string; start: number; size: number }[];
}

/** A seeded xorshift, so the fixtures are the same on every run. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
}

/**
 * Tokens for `size` bytes starting at output `pos`: literals from `alphabet` and matches with
 * explicit offsets up to `maxOff` or repeated offsets, none crossing a 32 KiB frame. `e8Every`
 * inserts a literal E8 call (E8 + 4 bytes) every so many tokens.
 */
function tokens(seed: number, pos: number, size: number, r: [number, number, number], maxOff: number, alphabet: string, e8Every = 0): Token[] {
  const rand = rng(seed);
  const out: Token[] = [];
  const end = pos + size;
  let [R0, R1, R2] = r;
  let n = 0;
  while (pos < end) {
    const room = Math.min(end - pos, 32768 - (pos % 32768));
    n++;
    if (e8Every && n % e8Every === 0 && room >= 5) {
      // A relative call target that the E8 translation will map: a mix of in-range and out-of-range values.
      const v = [0x1234, -0x20, 0x7fffffff, (pos * 3) & 0xffff, -pos - 1][n % 5] | 0;
      out.push({ lit: 0xe8 }, { lit: v & 0xff }, { lit: (v >> 8) & 0xff }, { lit: (v >> 16) & 0xff }, { lit: (v >>> 24) & 0xff });
      pos += 5;
      continue;
    }
    const p = rand();
    if (pos < 2 || room < 2 || p < 0.35) {
      out.push({ lit: alphabet.charCodeAt(Math.floor(rand() * alphabet.length)) });
      pos++;
      continue;
    }
    const q = rand();
    const long = rand() < 0.1;
    const len = Math.min(room, long ? 9 + Math.floor(rand() * 249) : 2 + Math.floor(rand() * 12));
    if (len < 2) continue;
    const rs = [R0, R1, R2];
    const k = q < 0.12 ? 0 : q < 0.2 ? 1 : q < 0.28 ? 2 : -1;
    if (k >= 0 && rs[k] <= pos) {
      out.push({ len, r: k as 0 | 1 | 2 });
      if (k === 1) [R0, R1] = [R1, R0];
      if (k === 2) [R0, R2] = [R2, R0];
    } else {
      // Offsets spread over every slot up to maxOff: pick a bit length, then a value.
      const limit = Math.min(pos, maxOff);
      const bits = 1 + Math.floor(rand() * Math.log2(limit + 1));
      const off = Math.max(1, Math.min(limit, Math.floor(2 ** (bits - 1) + rand() * 2 ** (bits - 1))));
      out.push({ len, off });
      [R2, R1, R0] = [R1, R0, off];
    }
    pos += len;
  }
  return out;
}

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** Block A of lzx-e8-uncompressed.cab: E8 calls at known offsets (see the test for their expected values). */
export const E8_BLOCK_A = Uint8Array.from([
  ...ascii('E8:'),
  0xe8,
  0x00,
  0x10,
  0x00,
  0x00, // at 3: 0x1000 in [0, size) -> 0x1000 - 3
  0xe8,
  0xf0,
  0xff,
  0xff,
  0xff, // at 8: -16 < -8 -> unchanged
  0xe8,
  0xf8,
  0xff,
  0xff,
  0xff, // at 13: -8 in [-13, 0) -> -8 + size
  0xe8,
  0x00,
  0x00,
  0x10,
  0x00, // at 18: == size -> unchanged
  0xe8,
  0xff,
  0xff,
  0x0f,
  0x00, // at 23: size - 1 -> size - 1 - 23
  0xe8,
  0xe8,
  0x00,
  0x00,
  0x00, // at 28: 0xE8 -> 0xE8 - 28; the E8 at 29 is an operand, not a call
  ...ascii('ABCDEFGHIJKL'),
]);
/** Expected bytes of block A after the translation is undone (translation size 0x100000). */
export const E8_BLOCK_A_EXPECTED = Uint8Array.from([
  ...ascii('E8:'),
  0xe8,
  0xfd,
  0x0f,
  0x00,
  0x00,
  0xe8,
  0xf0,
  0xff,
  0xff,
  0xff,
  0xe8,
  0xf8,
  0xff,
  0x0f,
  0x00,
  0xe8,
  0x00,
  0x00,
  0x10,
  0x00,
  0xe8,
  0xe8,
  0xff,
  0x0f,
  0x00,
  0xe8,
  0xcc,
  0x00,
  0x00,
  0x00,
  ...ascii('ABCDEFGHIJKL'),
]);

function e8Fixture(): LzxFixture {
  const blockC: Token[] = [
    { len: 4, r: 0 }, // R0 = 5 (from block B's header): copies from 5 back
    { len: 3, r: 1 }, // R1 = 7, swapped into R0
    { len: 3, r: 2 }, // R2 = 9, swapped into R0
    { len: 20, off: 30 }, // length-tree match
    ...Array.from(ascii('literal run then a call: '), (lit) => ({ lit })),
    { lit: 0xe8 },
    { lit: 0x10 },
    { lit: 0x00 },
    { lit: 0x00 },
    { lit: 0x00 }, // E8 0x10 at output 120
    ...Array.from(ascii('..'), (lit) => ({ lit })),
    { lit: 0xe8 },
    { lit: 0x00 },
    { lit: 0x01 },
    { lit: 0x00 },
    { lit: 0x00 }, // in the last 10 bytes: untouched
    ...Array.from(ascii('end'), (lit) => ({ lit })),
  ];
  const blocks: Block[] = [
    { type: 'uncompressed', data: E8_BLOCK_A, r: [1, 1, 1] },
    { type: 'uncompressed', data: ascii('0123456789abcdefghij'), r: [5, 7, 9] },
    { type: 'verbatim', tokens: blockC },
  ];
  const total = play(blocks).length;
  return {
    name: 'lzx-e8-uncompressed.cab',
    description: 'LZX:15, E8 size 0x100000: an odd-sized uncompressed block of E8 calls, an uncompressed block storing R0-R2 = 5, 7, 9, a verbatim block using them',
    stream: { windowBits: 15, e8Size: 0x100000, blocks },
    files: [{ name: 'e8.bin', start: 0, size: total }],
  };
}

function framesFixture(): LzxFixture {
  const alphabet = 'etaoin shrdlu';
  const t1 = tokens(101, 0, 36000, [1, 1, 1], 32765, alphabet);
  const r1 = rsAfter(t1);
  const t2 = tokens(202, 36000, 4000, r1, 32765, 'cmfwyp vbgkqjxz');
  return {
    name: 'lzx-verbatim-frames.cab',
    description:
      'LZX:15, no E8: a 36000-byte verbatim block across the first frame boundary, then a 4000-byte verbatim block whose trees are deltas (with runs) from the first; two files, the second spanning both CFDATA blocks',
    stream: {
      windowBits: 15,
      blocks: [
        { type: 'verbatim', tokens: t1 },
        { type: 'verbatim', tokens: t2 },
      ],
    },
    files: [
      { name: 'one.txt', start: 0, size: 30000 },
      { name: 'two.txt', start: 30000, size: 10000 },
    ],
  };
}

function alignedFixture(): LzxFixture {
  const t1 = tokens(303, 0, 40000, [1, 1, 1], 1 << 20, 'abcdefgh', 7);
  const t2 = tokens(404, 40000, 30000, rsAfter(t1), 1 << 20, 'ijklmnop', 11);
  const tail = new Uint8Array(999).map((_, i) => (i * 7 + 3) & 0xff);
  return {
    name: 'lzx-aligned-e8.cab',
    description:
      'LZX:21, E8 size 12000000: a 40000-byte aligned offset block (aligned tree 2,2,3,3,4,4,4,4), a 30000-byte verbatim block, a 999-byte uncompressed block; literal E8 calls in every frame',
    stream: {
      windowBits: 21,
      e8Size: 12000000,
      blocks: [
        { type: 'aligned', tokens: t1, alignedLens: [2, 2, 3, 3, 4, 4, 4, 4] },
        { type: 'verbatim', tokens: t2 },
        { type: 'uncompressed', data: tail, r: [3, 2, 1] },
      ],
    },
    files: [{ name: 'a.bin', start: 0, size: 70999 }],
  };
}

function rsAfter(ts: Token[]): [number, number, number] {
  let [R0, R1, R2] = [1, 1, 1];
  for (const t of ts) {
    if ('lit' in t) continue;
    if ('r' in t) {
      if (t.r === 1) [R0, R1] = [R1, R0];
      if (t.r === 2) [R0, R2] = [R2, R0];
    } else [R2, R1, R0] = [R1, R0, t.off];
  }
  return [R0, R1, R2];
}

export const lzxFixtures: LzxFixture[] = [e8Fixture(), framesFixture(), alignedFixture()];

/** The bytes a fixture's files hold: `play` of its tokens with the E8 translation undone. */
export function expectedOutput(f: LzxFixture): Uint8Array {
  const played = play(f.stream.blocks);
  return f.stream.e8Size === undefined ? played : undoE8Reference(played, f.stream.e8Size);
}

/** A one-folder cabinet around an assembled LZX stream, one CFDATA block per frame, with checksums. */
export function build(f: LzxFixture): Uint8Array {
  const a = assemble(f.stream);
  const enc = new TextEncoder();
  const names = f.files.map((x) => enc.encode(x.name));
  const filesSize = names.reduce((n, b) => n + 16 + b.length + 1, 0);
  const dataAt = 36 + 8 + filesSize;
  const dataSize = a.frames.reduce((n, b) => n + 8 + b.length, 0);
  const out = new Uint8Array(dataAt + dataSize);
  const v = new DataView(out.buffer);
  out.set([0x4d, 0x53, 0x43, 0x46]);
  v.setUint32(8, out.length, true);
  v.setUint32(16, 36 + 8, true);
  out[24] = 3;
  out[25] = 1;
  v.setUint16(26, 1, true);
  v.setUint16(28, f.files.length, true);
  v.setUint32(36, dataAt, true);
  v.setUint16(40, a.frames.length, true);
  v.setUint16(42, 3 | (f.stream.windowBits << 8), true);
  let p = 44;
  f.files.forEach((x, i) => {
    v.setUint32(p, x.size, true);
    v.setUint32(p + 4, x.start, true);
    v.setUint16(p + 8, 0, true);
    v.setUint16(p + 10, (45 << 9) | (1 << 5) | 1, true); // 2025-01-01
    v.setUint16(p + 12, 12 << 11, true); // 12:00:00
    v.setUint16(p + 14, 0x20, true);
    out.set(names[i], p + 16);
    p += 16 + names[i].length + 1;
  });
  a.frames.forEach((data, i) => {
    v.setUint16(p + 4, data.length, true);
    v.setUint16(p + 6, a.sizes[i], true);
    out.set(data, p + 8);
    v.setUint32(p, checksum(out, p + 8, p + 8 + data.length, checksum(out, p + 4, p + 8, 0)), true);
    p += 8 + data.length;
  });
  return out;
}

/** [MS-CAB] checksum: data first (LE words, 1-3 tail bytes big-endian), then the 4 size bytes. */
function checksum(b: Uint8Array, from: number, to: number, seed: number): number {
  // Seeded with the sizes' checksum, over the data: the sum is an XOR, so order of the two parts
  // does not matter, only that each part's tail is folded on its own.
  let s = seed;
  let i = from;
  for (; i + 4 <= to; i += 4) s ^= b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24);
  let t = 0;
  for (; i < to; i++) t = (t << 8) | b[i];
  return (s ^ t) >>> 0;
}
