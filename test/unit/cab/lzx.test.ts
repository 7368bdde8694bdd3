/**
 * The LZX decoder on hand-assembled streams (test/fixtures/cab, checked with cabextract) and on
 * malformed ones. Expected bytes come from the assembler's `play` (the spec's rules applied to the
 * spelled-out tokens, no Huffman decoding), from tables written out by hand, and from the MD5s
 * cabextract reported; the decoder must match all three.
 */
import { createHash } from 'crypto';
import { DbgHelpError } from '../../../lib/api/errors';
import { openCab } from '../../../lib/formats/cab';
import { LzxDecoder, LzxError, undoE8 } from '../../../lib/formats/cab/lzx';
import { assemble, Block, Stream } from './lzx-assembler';
import { E8_BLOCK_A, E8_BLOCK_A_EXPECTED, build, expectedOutput, lzxFixtures } from './lzx-fixtures';
import { expectedFixtures, fixture } from './fixtures';

const md5 = (b: Uint8Array) => createHash('md5').update(b).digest('hex');
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe.each(lzxFixtures.map((f) => [f.name, f] as const))('%s', (name, f) => {
  const bytes = fixture(name);
  const rec = expectedFixtures[name];

  test('the committed file is what the assembler builds (the bytes cabextract checked)', () => {
    expect(sha256(bytes)).toBe(rec.sha256);
    expect(sha256(build(f))).toBe(rec.sha256);
  });

  test('every file decodes to the bytes the tokens stand for, and to cabextract’s output', () => {
    const cab = openCab(bytes, name);
    expect(cab.folders).toEqual([expect.objectContaining({ method: 'lzx', lzxWindowBits: f.stream.windowBits })]);
    const want = expectedOutput(f);
    expect(cab.files.map((x) => [x.name, x.size, x.folderOffset])).toEqual(f.files.map((x) => [x.name, x.size, x.start]));
    for (const x of f.files) {
      const got = cab.extract(x.name);
      expect(md5(got)).toBe(md5(want.subarray(x.start, x.start + x.size)));
      expect(md5(got)).toBe(rec.cabextract[x.name]);
    }
  });
});

describe('E8 translation and repeated offsets (lzx-e8-uncompressed.cab), values derived by hand', () => {
  const out = openCab(fixture('lzx-e8-uncompressed.cab'), 'e8').extract('e8.bin');

  test('the uncompressed block of E8 calls', () => {
    expect(E8_BLOCK_A.length).toBe(45);
    expect(Array.from(out.subarray(0, 45))).toEqual(Array.from(E8_BLOCK_A_EXPECTED));
  });

  test('R0, R1, R2 stored by an uncompressed block (5, 7, 9) drive the next block’s matches', () => {
    // Block B put "0123456789abcdefghij" at 45..64: R0=5 copies "fghi" from 60; R1=7 (swapped to
    // R0) copies "hij" from 62; R2=9 (swapped to R0) copies "ij" then the "f" just written.
    expect(Buffer.from(out.subarray(45, 75)).toString('latin1')).toBe('0123456789abcdefghij' + 'fghi' + 'hij' + 'ijf');
  });

  test('a literal E8 call in a verbatim block is translated; one in the last 10 bytes is not', () => {
    // E8 at 120 holding 0x10: 0x10 - 120 = -104 = 0xFFFFFF98.
    expect(Array.from(out.subarray(120, 125))).toEqual([0xe8, 0x98, 0xff, 0xff, 0xff]);
    expect(out.length).toBe(135);
    expect(Array.from(out.subarray(127, 132))).toEqual([0xe8, 0x00, 0x01, 0x00, 0x00]);
    expect(Buffer.from(out.subarray(132)).toString('latin1')).toBe('end');
  });
});

describe('undoE8', () => {
  test('follows the translation rules at a frame that starts past 0', () => {
    const frame = new Uint8Array(40);
    // at folder offset 32768 + 2: 40000 -> 40000 - 32770
    frame.set([0xe8, 0x40, 0x9c, 0x00, 0x00], 2);
    // at 32768 + 10: -32778 (exactly -i) -> -32778 + 1000000
    frame.set([0xe8, ...new Uint8Array(new Int32Array([-32778]).buffer)], 10);
    // at 32768 + 20: -32789 (< -i) stays
    frame.set([0xe8, ...new Uint8Array(new Int32Array([-32789]).buffer)], 20);
    // at 32768 + 30: in the last 10 bytes, stays
    frame.set([0xe8, 0x01, 0x00, 0x00, 0x00], 30);
    const out = new Uint8Array(32768 + 40);
    out.set(frame, 32768);
    undoE8(out, 32768, 40, 1000000);
    const v = new DataView(out.buffer, 32768);
    expect(v.getInt32(3, true)).toBe(40000 - 32770);
    expect(v.getInt32(11, true)).toBe(-32778 + 1000000);
    expect(v.getInt32(21, true)).toBe(-32789);
    expect(v.getInt32(31, true)).toBe(1);
  });
});

/** A one-folder LZX cabinet around a stream, built with the fixture builder's container. */
function cabOf(stream: Stream, size?: number): Uint8Array {
  const f = { name: 'x.cab', description: '', stream, files: [{ name: 'x', start: 0, size: size ?? total(stream.blocks) }] };
  return build(f);
}
function total(blocks: Block[]): number {
  return blocks.reduce((n, b) => n + (b.type === 'uncompressed' ? b.data.length : b.tokens.reduce((m, t) => m + ('lit' in t ? 1 : t.len), 0)), 0);
}
function badFormat(bytes: Uint8Array): DbgHelpError {
  try {
    openCab(bytes, 'bad.cab').extract('x');
  } catch (e) {
    expect(e).toBeInstanceOf(DbgHelpError);
    expect((e as DbgHelpError).code).toBe('BAD_FORMAT');
    expect((e as DbgHelpError).message).toMatch(/^bad\.cab: .* at offset 0x[0-9a-f]+$/);
    return e as DbgHelpError;
  }
  throw new Error('no error');
}

describe('malformed LZX streams are BAD_FORMAT with the file offset', () => {
  const lits = (s: string) => Array.from(ascii(s), (lit) => ({ lit }));

  test('a well-formed control decodes', () => {
    const cab = cabOf({ windowBits: 16, blocks: [{ type: 'verbatim', tokens: [...lits('abc'), { len: 6, off: 3 }] }] });
    expect(Buffer.from(openCab(cab, 'ok').extract('x')).toString()).toBe('abcabcabc');
  });

  test('a match reaching before the start of the data', () => {
    // "ab" then a match 5 back: the assembler's play() would refuse, so build the tokens' bits directly.
    const cab = cabOf({ windowBits: 16, blocks: [{ type: 'verbatim', tokens: [...lits('ab'), { len: 3, off: 5 }] }] }, 5);
    expect(badFormat(cab).message).toMatch(/match offset 5 at output 2 is outside/);
  });

  test('a match running past the end of its block', () => {
    const cab = cabOf({ windowBits: 16, blocks: [{ type: 'verbatim', tokens: [...lits('abc'), { len: 6, off: 3 }], declaredSize: 6 }] }, 6);
    expect(badFormat(cab).message).toMatch(/runs past the end of its (block|frame)/);
  });

  test('an over-subscribed main tree', () => {
    const lens = new Map([
      [0x61, 1],
      [0x62, 1],
      [0x63, 1],
    ]);
    const cab = cabOf({ windowBits: 16, blocks: [{ type: 'verbatim', tokens: lits('abc'), mainLens: lens }] });
    expect(badFormat(cab).message).toMatch(/main tree is not a complete prefix code/);
  });

  test('an incomplete aligned offset tree', () => {
    const cab = cabOf({ windowBits: 16, blocks: [{ type: 'aligned', tokens: lits('abc'), alignedLens: [3, 3, 3, 3, 3, 3, 3, 0] }] });
    expect(badFormat(cab).message).toMatch(/aligned offset tree/);
  });

  test('block type 0 and 7', () => {
    for (const t of [0, 7]) {
      const cab = cabOf({ windowBits: 16, blocks: [{ type: 'verbatim', tokens: lits('abc') }] });
      // The block type is the 3 bits after the E8 header bit: bits 1-3 of the first word (MSB first).
      const dataAt = cab.length - assemble({ windowBits: 16, blocks: [{ type: 'verbatim', tokens: lits('abc') }] }).frames[0].length;
      const word = cab[dataAt] | (cab[dataAt + 1] << 8);
      const patched = (word & ~(0x7 << 12)) | (t << 12);
      const b = Uint8Array.from(cab);
      b[dataAt] = patched & 0xff;
      b[dataAt + 1] = patched >> 8;
      new DataView(b.buffer).setUint32(dataAt - 8, 0, true); // drop the checksum
      expect(badFormat(b).message).toMatch(new RegExp(`block type ${t} `));
    }
  });

  test('data cut short inside an uncompressed block', () => {
    const cab = cabOf({ windowBits: 15, blocks: [{ type: 'uncompressed', data: ascii('0123456789'), r: [1, 1, 1] }] });
    const b = Uint8Array.from(cab.subarray(0, cab.length - 4));
    const v = new DataView(b.buffer);
    // Patch the CFDATA size to what is left, and drop the checksum.
    const dataAt = cab.length - assemble({ windowBits: 15, blocks: [{ type: 'uncompressed', data: ascii('0123456789'), r: [1, 1, 1] }] }).frames[0].length;
    v.setUint32(dataAt - 8, 0, true);
    v.setUint16(dataAt - 4, b.length - dataAt, true);
    v.setUint32(8, b.length, true);
    expect(badFormat(b).message).toMatch(/ends inside an uncompressed block/);
  });

  test('window sizes outside 2^15..2^21', () => {
    const cab = cabOf({ windowBits: 16, blocks: [{ type: 'verbatim', tokens: lits('abc') }] });
    for (const w of [14, 22]) {
      const b = Uint8Array.from(cab);
      new DataView(b.buffer).setUint16(42, 3 | (w << 8), true);
      expect(badFormat(b).message).toMatch(new RegExp(`LZX window 2\\^${w} outside`));
    }
  });
});

describe('LzxDecoder directly', () => {
  test('decodes only up to the frame holding the limit', () => {
    const a = assemble({ windowBits: 15, blocks: [{ type: 'uncompressed', data: new Uint8Array(70000).map((_, i) => i & 0xff), r: [1, 1, 1] }] });
    const input = Uint8Array.from(a.frames.flatMap((f) => Array.from(f)));
    const out = new Uint8Array(32768);
    new LzxDecoder(15, input).decode(out, 70000, 100);
    expect(out[32767]).toBe(32767 & 0xff);
  });

  test('LzxError carries the input offset', () => {
    const e = (() => {
      try {
        new LzxDecoder(15, Uint8Array.from([0x00, 0x00])).decode(new Uint8Array(10), 10, 10);
      } catch (x) {
        return x as LzxError;
      }
    })();
    expect(e).toBeInstanceOf(LzxError);
    expect(e!.inputOffset).toBeLessThanOrEqual(2);
  });
});
