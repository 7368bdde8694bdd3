/**
 * INLINE records end to end: dumpSyms({ inlines: true }) on the inline fixtures (four-deep
 * `always_inline` chains, member functions inlined twice, a header inlined at two sites), read
 * back with the .sym reader, against llvm-symbolizer --inlines at every byte of .text
 * (test/fixtures/expected/inline-*.bytes.symbolizer.jsonl): every frame's function, file and
 * line. The differences, each class checked:
 * - padding: bytes after a function's end, which llvm-symbolizer gives to the function before
 *   (no file, line 0) and a .sym file to nobody;
 * - x86 names: llvm-symbolizer strips one leading `_` from x86 names (`__underscored` →
 *   `_underscored`), the IPI name is kept;
 * - first byte: at a function's first byte the line table has a zero-length entry (the
 *   function's opening line, then the first statement's at the same offset); dump_syms drops
 *   zero-length lines, so the .sym answers the next line (there, or for the call site of an
 *   inline site starting there) where llvm-symbolizer answers the opening line.
 */
import * as fs from 'fs';
import * as path from 'path';
import { PassThrough } from 'stream';
import { dumpSyms } from '../../../lib/breakpad';
import { parseBreakpadSymbols } from '../../../lib/formats/breakpad';

const F = path.join(__dirname, '..', '..', 'fixtures');
const base = (p: string): string => p.split('\\').pop() ?? '';
const bare = (n: string): string => n.replace(/\(.*$/, '').replace(/^static \S+ /, '');

describe.each([
  ['x64', { padding: 14, x86name: 0, firstByte: 0 }],
  ['x86', { padding: 16, x86name: 10, firstByte: 3 }],
])('INLINE records: inline-%s against llvm-symbolizer --inlines', (arch, pinned) => {
  test('every byte of .text', async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (b: Buffer) => chunks.push(b));
    const result = await dumpSyms({ pdb: path.join(F, 'bin', `inline-${arch}.pdb`), image: path.join(F, 'bin', `inline-${arch}.exe`), out, inlines: true });
    out.end();
    const text = Buffer.concat(chunks).toString('utf8');
    expect(result.inlines).toBeGreaterThanOrEqual(10);
    expect(text).toMatch(/^INLINE_ORIGIN 0 geometry::outer$/m);
    const s = parseBreakpadSymbols(text, `inline-${arch}.sym`);
    const tally = { same: 0, padding: 0, x86name: 0, firstByte: 0, other: [] as string[] };
    const rows = fs
      .readFileSync(path.join(F, 'expected', `inline-${arch}.bytes.symbolizer.jsonl`), 'utf8')
      .trim()
      .split('\n')
      .slice(1);
    for (const row of rows) {
      const j = JSON.parse(row) as { Address: string; Symbol: { FunctionName: string; FileName: string; Line: number }[] };
      const want = j.Symbol.map((f) => `${bare(f.FunctionName)}@${base(f.FileName)}:${f.Line}`);
      const hit = s.lookup(parseInt(j.Address, 16));
      const got: string[] = [];
      if (hit) {
        let file = hit.file;
        let line = hit.line;
        for (const i of hit.inlines) {
          got.push(`${bare(i.name)}@${base(file ?? '')}:${line}`);
          file = i.callFile;
          line = i.callLine;
        }
        got.push(`${bare(hit.function)}@${base(file ?? '')}:${line}`);
      }
      const same = (a: string[]): boolean => JSON.stringify(a) === JSON.stringify(want);
      if (same(got)) tally.same++;
      else if (!hit && want.length === 1 && want[0].endsWith('@:0')) tally.padding++;
      else if (arch === 'x86' && same(got.map((g) => g.replace(/^_/, '')))) tally.x86name++;
      else if (hit && hit.functionRva === parseInt(j.Address, 16) && same([...got.slice(0, -1), want[want.length - 1]])) tally.firstByte++;
      else tally.other.push(`${j.Address}: want ${want.join(' < ')} got ${got.join(' < ')}`);
    }
    expect(tally.other).toEqual([]);
    expect({ padding: tally.padding, x86name: tally.x86name, firstByte: tally.firstByte }).toEqual(pinned);
    expect(tally.same).toBe(rows.length - tally.padding - tally.x86name - tally.firstByte);
  });
});
