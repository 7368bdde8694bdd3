/**
 * An inline site whose annotations give a code length before any code offset (MSVC writes it:
 * softokn3.pdb's sftk_fipsCheck sites, `0604 0409 0B46 041F`): no code there, but Microsoft's
 * dbghelp.dll gives the frame the address where that length ends. The expected values are the
 * DLL's own (10.0.19041.685, ../shared/tools/msoracle under Wine 8.0) on copies of
 * test/fixtures/bin/inline-x64.pdb whose geometry::outer site (record 252 of run_chain, at RVA
 * 0x1000) had its 12 annotation bytes `0B26 0B29 0602 0345 0B26 0406` overwritten as below.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { InlineFrameContext, SymbolHandler } from '../../../lib';
import { inlineRanges, readBinaryAnnotations } from '../../../lib/formats/codeview/inline-annotations';
import { Cursor } from '../../../lib/formats/binary/cursor';

const BIN = path.resolve(__dirname, '..', '..', 'fixtures', 'bin');
const OUTER = Buffer.from('0B260B29060203450B260406', 'hex');

/** inline-x64.exe and a copy of its PDB with outer's annotations replaced, in a scratch dir. */
function patched(annotations: string): { image: string; pdb: string } {
  const bytes = fs.readFileSync(path.join(BIN, 'inline-x64.pdb'));
  const at = bytes.indexOf(OUTER);
  expect(at).toBeGreaterThan(0);
  expect(bytes.indexOf(OUTER, at + 1)).toBe(-1);
  Buffer.from(annotations, 'hex').copy(bytes, at);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'site-address-'));
  fs.copyFileSync(path.join(BIN, 'inline-x64.exe'), path.join(dir, 'inline-x64.exe'));
  fs.writeFileSync(path.join(dir, 'inline-x64.pdb'), bytes);
  return { image: path.join(dir, 'inline-x64.exe'), pdb: path.join(dir, 'inline-x64.pdb') };
}

/** geometry::outer's frame at each RVA: [frame address RVA, line, line RVA], or null for none. */
async function outerFrames(annotations: string, rvas: number[]): Promise<([number, number | undefined, number | undefined] | null)[]> {
  const { image, pdb } = patched(annotations);
  const sym = SymbolHandler.initialize();
  try {
    const base = await sym.loadModule(image, { pdbPath: pdb });
    return rvas.map((r) => {
      const a = base + BigInt(r);
      const n = sym.addrIncludeInlineTrace(a);
      const q = n ? sym.queryInlineTrace({ startAddress: a, startContext: InlineFrameContext.INIT, startRetAddress: a, curAddress: a }) : undefined;
      for (let i = 0; q && i < n; i++) {
        const ctx = (q.curContext + i) >>> 0;
        const hit = sym.fromInlineContext(a, ctx);
        if (hit?.symbol.name !== 'geometry::outer') continue;
        const line = sym.getLineFromInlineContext(a, ctx);
        return [Number(hit.symbol.address - base), line?.lineNumber, line ? Number(line.address - base) : undefined];
      }
      return null;
    });
  } finally {
    sym.cleanup();
    fs.rmSync(path.dirname(image), { recursive: true, force: true });
  }
}

describe("an inline site's code length before any range", () => {
  test('gives no range (the ranges are those llvm-pdbutil lists)', () => {
    const r = inlineRanges(readBinaryAnnotations(Cursor.of(Buffer.from('060404090B46041F', 'hex'), 'site')), 30, 0);
    expect(r.map((x) => [x.offset, x.length, x.line])).toEqual([[0xf, 0x1f, 34]]);
  });

  test("line +2, length 9, code +6 line +2, length 0x1F: the frame's address is +9, its code +0xF..+0x2E (dbghelp.dll)", async () => {
    const rvas = [0x1000, 0x1008, 0x1009, 0x100e, 0x100f, 0x1017, 0x102d, 0x102e];
    // dbghelp.dll: no frame before 0x100f nor from 0x102e; geometry::outer at 0x1009, line 32 at 0x100f.
    expect(await outerFrames('060404090B46041F00000000', rvas)).toEqual([null, null, null, null, [0x1009, 32, 0x100f], [0x1009, 32, 0x100f], [0x1009, 32, 0x100f], null]);
  });

  test('two lengths before the first range: the first one gives the address (dbghelp.dll: 0x1009, not 0x100c)', async () => {
    const rvas = [0x1009, 0x100c, 0x1011, 0x1012, 0x1017, 0x102d];
    expect(await outerFrames('0604040904030B46041F0000', rvas)).toEqual([null, null, null, [0x1009, 32, 0x1012], [0x1009, 32, 0x1012], [0x1009, 32, 0x1012]]);
  });

  test('a site whose first range comes first keeps that range start as its address (unpatched outer: dbghelp.dll 0x1006, line 29)', async () => {
    expect(await outerFrames(OUTER.toString('hex'), [0x1006, 0x1007])).toEqual([
      [0x1006, 29, 0x1006],
      [0x1006, 29, 0x1006],
    ]);
  });
});
