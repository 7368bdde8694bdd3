/**
 * Binary annotations (S_INLINESITE's line program), DEBUG_S_INLINEELINES, S_INLINESITE(2) and
 * the cross-scope id subsections, from hand-verified bytes; then truncated and corrupted copies
 * under a hang watchdog.
 *
 * Hand-verified bytes:
 * - crash.pdb (corpus, MSVC 19.13), module 2, S_INLINESITE at stream offset 404 (inlinee
 *   `_Tidy_deallocate`): `0B03 060A 0308 0606 032D 0608 0307 0B72 0606 0C0307 060F 0C0605 0000`.
 *   llvm-pdbutil-19 prints it as: code 0x3 line 0 / line 5 / code 0xB / line 8 / code 0x38 /
 *   line 12 / code 0x3F / code 0x41 line 9 / line 12 / code 0x48 code end 0x4B / line 5 /
 *   code 0x4D code end 0x53, i.e. the ranges below.
 * - test/fixtures/bin/inline-x64.pdb (clang 19), S_INLINESITE `geometry::leaf`:
 *   `0602 031F 0B2A 0602 0313 0B26 0406 0000` (expected/inline-x64.pdbutil.txt: line 1 /
 *   code 0x1F / code 0x29 line 2 / line 3 / code 0x3C / code 0x42 line 4 / code end 0x48).
 */
import { DbgHelpError } from '../../../lib/api/errors';
import { Cursor } from '../../../lib/formats/binary/cursor';
import { crossScopeParts, isCrossScopeId, readCrossScopeExports, readCrossScopeImports } from '../../../lib/formats/codeview/cross-scope-ids';
import { BA, decodeSignedOperand, inlineRanges, readBinaryAnnotations, readCompressedUnsigned } from '../../../lib/formats/codeview/inline-annotations';
import { readInlineSite } from '../../../lib/formats/codeview/inline-site';
import { checksumFileNameOffset, findInlineeSubsections, readInlineeLines } from '../../../lib/formats/codeview/inlinee-lines';
import { S } from '../../../lib/formats/codeview/symbol-kinds';
import { corruptions, rng, truncations } from '../../helpers/mutate';
import { Watchdog } from './watchdog';

const cur = (bytes: number[]) => Cursor.of(Uint8Array.from(bytes), 'test');
const hex = (s: string) =>
  s
    .split(/\s+/)
    .filter(Boolean)
    .flatMap((w) => w.match(/../g)!.map((b) => parseInt(b, 16)));

const TIDY_DEALLOCATE = hex('0B03 060A 0308 0606 032D 0608 0307 0B72 0606 0C0307 060F 0C0605 0000');
const LEAF = hex('0602 031F 0B2A 0602 0313 0B26 0406 0000');

function u32(n: number): number[] {
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24];
}
function subsection(kind: number, body: number[]): number[] {
  const out = [...u32(kind), ...u32(body.length), ...body];
  while (out.length % 4) out.push(0);
  return out;
}

function badFormat(fn: () => unknown): DbgHelpError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DbgHelpError);
    expect((e as DbgHelpError).code).toBe('BAD_FORMAT');
    expect((e as DbgHelpError).offset).toEqual(expect.any(Number));
    return e as DbgHelpError;
  }
  throw new Error('expected BAD_FORMAT');
}

describe('compressed integers (CVUncompressData) and signed operands', () => {
  test.each([
    [[0x00], 0],
    [[0x7f], 0x7f],
    [[0x80, 0x80], 0x80],
    [[0x81, 0x02], 0x102],
    [[0xbf, 0xff], 0x3fff],
    [[0xc0, 0x00, 0x40, 0x00], 0x4000],
    [[0xdf, 0xff, 0xff, 0xff], 0x1fffffff],
  ])('%j is %d', (bytes, value) => {
    const c = cur(bytes);
    expect(readCompressedUnsigned(c)).toBe(value);
    expect(c.remaining).toBe(0);
  });

  test('a 111xxxxx prefix is no compressed integer; a cut one is BAD_FORMAT', () => {
    expect(badFormat(() => readCompressedUnsigned(cur([0xe0, 0, 0, 0]))).message).toMatch(/invalid compressed integer prefix 0xe0/);
    badFormat(() => readCompressedUnsigned(cur([0x81])));
    badFormat(() => readCompressedUnsigned(cur([0xc1, 2, 3])));
    badFormat(() => readCompressedUnsigned(cur([])));
  });

  test('signed operands keep the sign in the low bit', () => {
    expect(decodeSignedOperand(0x0a)).toBe(5);
    expect(decodeSignedOperand(0x0f)).toBe(-7);
    expect(decodeSignedOperand(0x07)).toBe(-3);
    expect(Object.is(decodeSignedOperand(1), 0)).toBe(true);
    expect(decodeSignedOperand(0x1fffffff)).toBe(-0xfffffff);
  });
});

describe('binary annotations', () => {
  test("MSVC's _Tidy_deallocate site (crash.pdb): opcodes and operands", () => {
    expect(readBinaryAnnotations(cur(TIDY_DEALLOCATE))).toEqual([
      { op: BA.ChangeCodeOffsetAndLineOffset, a: 3, b: 0 },
      { op: BA.ChangeLineOffset, a: 5, b: 0 },
      { op: BA.ChangeCodeOffset, a: 8, b: 0 },
      { op: BA.ChangeLineOffset, a: 3, b: 0 },
      { op: BA.ChangeCodeOffset, a: 0x2d, b: 0 },
      { op: BA.ChangeLineOffset, a: 4, b: 0 },
      { op: BA.ChangeCodeOffset, a: 7, b: 0 },
      { op: BA.ChangeCodeOffsetAndLineOffset, a: 2, b: -3 },
      { op: BA.ChangeLineOffset, a: 3, b: 0 },
      { op: BA.ChangeCodeLengthAndCodeOffset, a: 3, b: 7 },
      { op: BA.ChangeLineOffset, a: -7, b: 0 },
      { op: BA.ChangeCodeLengthAndCodeOffset, a: 6, b: 5 },
    ]);
  });

  test("MSVC's _Tidy_deallocate site: ranges end at the next range, or have their own length", () => {
    const r = inlineRanges(readBinaryAnnotations(cur(TIDY_DEALLOCATE)), 3902, 0x48);
    const rows = r.map((x) => [x.offset, x.length, x.line - 3902]);
    // [start, length, line offset] as llvm-pdbutil lists them (code / code end / line).
    expect(rows).toEqual([
      [0x3, 0x8, 0],
      [0xb, 0x2d, 5],
      [0x38, 0x7, 8],
      [0x3f, 0x2, 12],
      [0x41, 0x7, 9],
      [0x48, 0x3, 12],
      [0x4d, 0x6, 5],
    ]);
    expect(new Set(r.map((x) => x.fileId))).toEqual(new Set([0x48]));
    expect(new Set(r.map((x) => x.chunk))).toEqual(new Set([0]));
  });

  test("clang's geometry::leaf site (inline-x64.pdb): a trailing ChangeCodeLength ends the last range", () => {
    const r = inlineRanges(readBinaryAnnotations(cur(LEAF)), 16, 0);
    expect(r.map((x) => [x.offset, x.length, x.line])).toEqual([
      [0x1f, 0xa, 17],
      [0x29, 0x13, 18],
      [0x3c, 0x6, 19],
      [0x42, 0x6, 20],
    ]);
  });

  test('ChangeCodeLength moves the code offset past the range; a gap then belongs to no range', () => {
    // line +4, code 0x1B, length 0x14 (code end 0x2F), code +0x10 -> 0x3F, length 2
    const r = inlineRanges(readBinaryAnnotations(cur(hex('0608 031B 0414 0310 0402'))), 1, 0);
    expect(r.map((x) => [x.offset, x.length, x.line])).toEqual([
      [0x1b, 0x14, 5],
      [0x3f, 0x2, 5],
    ]);
  });

  test('ChangeFile, ChangeCodeOffsetBase, CodeOffset; columns and range kind change nothing', () => {
    const anns = readBinaryAnnotations(
      cur([
        BA.ChangeFile,
        0x18,
        BA.ChangeColumnStart,
        4,
        BA.ChangeRangeKind,
        0,
        BA.CodeOffset,
        0x10,
        BA.ChangeCodeOffset,
        2,
        BA.ChangeColumnEndDelta,
        3,
        BA.ChangeLineEndDelta,
        2,
        BA.ChangeColumnEnd,
        9,
        BA.ChangeCodeOffsetBase,
        1,
        BA.ChangeCodeLengthAndCodeOffset,
        4,
        0,
      ]),
    );
    expect(anns.map((a) => a.op)).toEqual([
      BA.ChangeFile,
      BA.ChangeColumnStart,
      BA.ChangeRangeKind,
      BA.CodeOffset,
      BA.ChangeCodeOffset,
      BA.ChangeColumnEndDelta,
      BA.ChangeLineEndDelta,
      BA.ChangeColumnEnd,
      BA.ChangeCodeOffsetBase,
      BA.ChangeCodeLengthAndCodeOffset,
    ]);
    const r = inlineRanges(anns, 7, 0);
    // The first range (chunk 0) is closed by a range of another chunk: its length is unknown (0).
    expect(r).toEqual([
      { offset: 0x12, length: 0, chunk: 0, line: 7, fileId: 0x18 },
      { offset: 0x12, length: 4, chunk: 1, line: 7, fileId: 0x18 },
    ]);
  });

  test('a last range whose length the program never gives covers nothing', () => {
    expect(inlineRanges(readBinaryAnnotations(cur(hex('0304 0602'))), 1, 0)).toEqual([{ offset: 4, length: 0, chunk: 0, line: 1, fileId: 0 }]);
  });

  test('BA_OP_Invalid ends the program; an unknown opcode or a cut operand is BAD_FORMAT', () => {
    expect(readBinaryAnnotations(cur([BA.ChangeCodeOffset, 1, 0, BA.ChangeCodeOffset, 2]))).toHaveLength(1);
    expect(badFormat(() => readBinaryAnnotations(cur([BA.ChangeCodeOffset, 1, 14, 0]))).message).toMatch(/unknown binary annotation opcode 14 at offset 0x2/);
    badFormat(() => readBinaryAnnotations(cur([BA.ChangeCodeLengthAndCodeOffset, 3])));
    badFormat(() => readBinaryAnnotations(cur([BA.ChangeLineOffset, 0x81])));
  });
});

describe('S_INLINESITE / S_INLINESITE2 records', () => {
  test('parent, end, inlinee, invocations and the annotations after them', () => {
    const one = readInlineSite(S.INLINESITE, cur([...u32(160), ...u32(796), ...u32(0x1174), ...TIDY_DEALLOCATE]));
    expect(one).toMatchObject({ parent: 160, end: 796, inlinee: 0x1174, invocations: undefined });
    expect(one.annotations.length).toBe(TIDY_DEALLOCATE.length);
    const two = readInlineSite(S.INLINESITE2, cur([...u32(1), ...u32(2), ...u32(0x80000005), ...u32(42), ...LEAF]));
    expect(two).toMatchObject({ parent: 1, end: 2, inlinee: 0x80000005, invocations: 42 });
    expect(inlineRanges(readBinaryAnnotations(two.annotations), 16, 0)).toHaveLength(4);
    badFormat(() => readInlineSite(S.INLINESITE2, cur([...u32(1), ...u32(2), ...u32(3)])));
  });
});

describe('DEBUG_S_INLINEELINES, file checksums and cross-scope ids', () => {
  const plain = [...u32(0), ...u32(0x1001), ...u32(0x18), ...u32(23), ...u32(0x1002), ...u32(0), ...u32(7)];
  const ex = [...u32(1), ...u32(0x1001), ...u32(0x18), ...u32(23), ...u32(2), ...u32(0x30), ...u32(0x48), ...u32(0x1003), ...u32(0), ...u32(9), ...u32(0)];

  test('signature 0: (inlinee, file, line) entries', () => {
    expect(readInlineeLines(cur(plain))).toEqual([
      { inlinee: 0x1001, fileId: 0x18, line: 23, extraFileIds: [] },
      { inlinee: 0x1002, fileId: 0, line: 7, extraFileIds: [] },
    ]);
  });

  test('signature 1 (_EX): extra files follow each entry', () => {
    expect(readInlineeLines(cur(ex))).toEqual([
      { inlinee: 0x1001, fileId: 0x18, line: 23, extraFileIds: [0x30, 0x48] },
      { inlinee: 0x1003, fileId: 0, line: 9, extraFileIds: [] },
    ]);
  });

  test('a bad signature, a cut entry or an extra-file count past the bytes is BAD_FORMAT', () => {
    expect(badFormat(() => readInlineeLines(cur([...u32(2), ...plain.slice(4)]))).message).toMatch(/signature 2/);
    badFormat(() => readInlineeLines(cur(plain.slice(0, plain.length - 2))));
    expect(badFormat(() => readInlineeLines(cur([...u32(1), ...u32(0x1001), ...u32(0), ...u32(1), ...u32(0x40000000)]))).message).toMatch(/inlinee extra file count/);
  });

  test('the C13 block: inlinee lines, checksums and cross-scope subsections found, ignored kinds skipped', () => {
    const checksums = [...u32(0x77), 0, 0, 0, 0, ...u32(0x99), 16, 1, ...new Array(16).fill(0xab), 0, 0];
    const imports = [...u32(0x10), ...u32(2), ...u32(0x1022), ...u32(0x80001464)];
    const exports = [...u32(0x80001464), ...u32(0x1185), ...u32(0x1022), ...u32(0x214e)];
    const block = [...subsection(0x80000000 | 0xf6, [1, 2, 3]), ...subsection(0xf4, checksums), ...subsection(0xf6, plain), ...subsection(0xf7, imports), ...subsection(0xf8, exports)];
    const found = findInlineeSubsections(cur(block));
    expect(found.inlineeLines).toHaveLength(1);
    expect(readInlineeLines(found.inlineeLines[0])).toHaveLength(2);
    expect(checksumFileNameOffset(found.checksums!, 0)).toBe(0x77);
    expect(checksumFileNameOffset(found.checksums!, 8)).toBe(0x99);
    expect(badFormat(() => checksumFileNameOffset(found.checksums!, 0x100)).message).toMatch(/file checksum offset 256 outside/);
    expect(readCrossScopeImports(found.crossScopeImports!)).toEqual([{ moduleNameOffset: 0x10, localIds: Uint32Array.from([0x1022, 0x80001464]) }]);
    expect(readCrossScopeExports(found.crossScopeExports!)).toEqual(
      new Map([
        [0x80001464, 0x1185],
        [0x1022, 0x214e],
      ]),
    );
    badFormat(() => findInlineeSubsections(cur([...block, 1, 2, 3])));
    badFormat(() => readCrossScopeImports(cur([...u32(0x10), ...u32(5), ...u32(1)])));
    badFormat(() => readCrossScopeExports(cur([...u32(1), ...u32(2), ...u32(3)])));
  });

  test('cross-scope ids: bit 31, the import in bits 20-30, the position in bits 0-19', () => {
    expect(isCrossScopeId(0x1001)).toBe(false);
    expect(isCrossScopeId(0x80000005)).toBe(true);
    expect(crossScopeParts(0x80000005)).toEqual({ imod: 0, index: 5 });
    expect(crossScopeParts(0x80312345)).toEqual({ imod: 3, index: 0x12345 });
  });
});

describe('malformed inputs never crash or hang (each case in a worker, 2 s bound)', () => {
  const guard = new Watchdog(2000);
  afterAll(() => guard.close());
  function expectOkOrBadFormat(results: { outcome: string; detail?: string }[]): void {
    const problems = results.map((r, i) => (r.outcome === 'ok' || r.outcome === 'BAD_FORMAT' ? undefined : `case ${i}: ${r.outcome}: ${r.detail}`)).filter(Boolean);
    expect(problems).toEqual([]);
  }

  test('the watchdog itself: a case that never returns is reported as a hang, and the next cases still run', async () => {
    const quick = new Watchdog(300);
    try {
      expect((await quick.run('spin', [false, true, false])).map((r) => r.outcome)).toEqual(['ok', 'hang', 'ok']);
    } finally {
      await quick.close();
    }
  });

  test('annotations: every prefix, seeded corruptions and random bytes', async () => {
    const cases: number[][] = [];
    for (const base of [TIDY_DEALLOCATE, LEAF]) {
      const buf = Uint8Array.from(base);
      for (const t of truncations(buf, 1)) cases.push(Array.from(t));
      for (const c of corruptions(buf, 60, 3, 7)) cases.push(Array.from(c));
    }
    const r = rng(99);
    for (let i = 0; i < 200; i++) cases.push(Array.from({ length: Math.floor(r() * 64) }, () => Math.floor(r() * 256)));
    // Hostile operands: huge code deltas and lengths, lines running below zero.
    cases.push([BA.ChangeCodeOffset, 0xdf, 0xff, 0xff, 0xff, BA.ChangeCodeLength, 0xdf, 0xff, 0xff, 0xff, BA.ChangeLineOffset, 0xdf, 0xff, 0xff, 0xff]);
    const results = await guard.run('annotations', cases);
    expectOkOrBadFormat(results);
    expect(results.filter((x) => x.outcome === 'BAD_FORMAT').length).toBeGreaterThan(10);
  });

  test('inline site records, inlinee lines and C13 blocks: prefixes and corruptions', async () => {
    const site = [...u32(1), ...u32(2), ...u32(3), ...u32(4), ...LEAF];
    const lines = [...u32(1), ...u32(0x1001), ...u32(0x18), ...u32(23), ...u32(2), ...u32(0x30), ...u32(0x48)];
    const block = [...subsection(0xf6, lines), ...subsection(0xf7, [...u32(0x10), ...u32(1), ...u32(0x1022)]), ...subsection(0xf8, [...u32(0x1022), ...u32(0x214e)])];
    const variants = (bytes: number[]) => {
      const b = Uint8Array.from(bytes);
      return [...truncations(b, 1), ...corruptions(b, 40, 2, 3), ...corruptions(b, 40, 6, 5)].map((x) => Array.from(x));
    };
    expectOkOrBadFormat(
      await guard.run(
        'inlineSite',
        variants(site).map((bytes) => ({ kind: S.INLINESITE2, bytes })),
      ),
    );
    expectOkOrBadFormat(await guard.run('inlineeLines', variants(lines)));
    expectOkOrBadFormat(await guard.run('c13', variants(block)));
  });
});
