/**
 * What c13-lines.ts keeps besides lines: CV_Column_t columns (CV_LINES_HAVE_COLUMNS) and the
 * DEBUG_S_FILECHKSMS entries (name offset, checksum kind and bytes), on hand-made blocks; and
 * the MD5s of a real fixture against llvm-pdbutil's `dump -files`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Cursor } from '../../../lib/formats/binary/cursor';
import { readC13 } from '../../../lib/formats/codeview/c13-lines';
import { BufferSource } from '../../../lib/formats/binary/source';
import { PdbFile } from '../../../lib/formats/pdb/pdb-file';

const u16 = (n: number) => [n & 0xff, n >>> 8];
const u32 = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24];
function subsection(kind: number, body: number[]): number[] {
  const out = [...u32(kind), ...u32(body.length), ...body];
  while (out.length % 4) out.push(0);
  return out;
}
const checksums = [
  ...[...u32(1), 16, 1, ...new Array(16).fill(0xab), 0, 0], // MD5, padded to 24
  ...[...u32(9), 0, 0, 0, 0], // no checksum, padded to 8
];
/** Two blocks (files at checksum offsets 0 and 24), with columns; line 0xfeefee is hidden. */
function linesWithColumns(): number[] {
  const block = (file: number, entries: [number, number, number, number][]) => [
    ...u32(file),
    ...u32(entries.length),
    ...u32(12 + entries.length * 12),
    ...entries.flatMap(([off, line]) => [...u32(off), ...u32(line | 0x80000000)]),
    ...entries.flatMap(([, , c0, c1]) => [...u16(c0), ...u16(c1)]),
  ];
  return [
    ...u32(0x40),
    ...u16(1),
    ...u16(1), // CV_LINES_HAVE_COLUMNS
    ...u32(0x30),
    ...block(0, [
      [0, 10, 5, 9],
      [4, 0xfeefee, 0, 0],
      [8, 12, 3, 20],
    ]),
    ...block(24, [[0x10, 7, 1, 2]]),
  ];
}
const parse = (b: number[]) => readC13(Cursor.of(Uint8Array.from(b), 'test C13'));

describe('C13 columns and file checksums', () => {
  test('columns are kept per kept line (hidden lines drop theirs too); checksums keep kind and bytes', () => {
    const { sections, checksums: sums } = parse([...subsection(0xf4, checksums), ...subsection(0xf2, linesWithColumns())]);
    expect(sections).toEqual([{ section: 1, offset: 0x40, length: 0x30, offsets: [0, 8, 0x10], lines: [10, 12, 7], files: [1, 1, 9], columns: [5, 3, 1], columnEnds: [9, 20, 2] }]);
    expect(sums.map((k) => [k.offset, k.nameOffset, k.kind, k.checksum.length])).toEqual([
      [0, 1, 1, 16],
      [24, 9, 0, 0],
    ]);
    expect([...sums[0].checksum]).toEqual(new Array(16).fill(0xab));
  });

  test('a module without lines still lists its checksums; without columns there are none', () => {
    const { sections, checksums: sums } = parse(subsection(0xf4, checksums));
    expect(sections).toEqual([]);
    expect(sums.length).toBe(2);
  });

  test('a second DEBUG_S_FILECHKSMS, or a checksum running past its subsection, is BAD_FORMAT', () => {
    expect(() => parse([...subsection(0xf4, checksums), ...subsection(0xf4, checksums)])).toThrow(expect.objectContaining({ code: 'BAD_FORMAT' }));
    const long = [...u32(1), 200, 1, 0, 0];
    expect(() => parse(subsection(0xf4, long))).toThrow(expect.objectContaining({ code: 'BAD_FORMAT' }));
  });

  test('every truncation and byte overwrite of a block with columns parses or is BAD_FORMAT', () => {
    const good = [...subsection(0xf4, checksums), ...subsection(0xf2, linesWithColumns())];
    const check = (b: number[]) => {
      try {
        parse(b);
      } catch (e) {
        expect((e as { code?: string }).code).toBe('BAD_FORMAT');
      }
    };
    for (let n = 0; n < good.length; n++) check(good.slice(0, n));
    for (let i = 0; i < good.length; i++) for (const v of [0, 0x7f, 0xff]) check(good.map((x, j) => (j === i ? v : x)));
  });

  test("the fixture's file checksums are the MD5s llvm-pdbutil prints", () => {
    const FIX = path.resolve(__dirname, '..', '..', 'fixtures');
    const pdb = new PdbFile(new BufferSource(new Uint8Array(fs.readFileSync(path.join(FIX, 'bin', 'locals-x64.pdb'))), 'locals-x64.pdb'));
    const names = pdb.names()!;
    const got: string[] = [];
    pdb.modules().forEach((m, i) => {
      const ms = pdb.moduleSymbols(i);
      if (!ms || !m.c13ByteSize) return;
      for (const k of readC13(ms.c13Block(m.c11ByteSize, m.c13ByteSize)).checksums) {
        got.push(`- (MD5: ${Buffer.from(k.checksum).toString('hex').toUpperCase()}) ${names.get(k.nameOffset)}`);
      }
    });
    const dump = fs.readFileSync(path.join(FIX, 'expected', 'locals-x64.lines.txt'), 'utf8');
    expect(got).toEqual(dump.split('\n').filter((l) => l.startsWith('- (MD5:')));
  });
});
