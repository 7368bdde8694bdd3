/**
 * INLINE and INLINE_ORIGIN records against Microsoft's dbghelp.dll (issue 13): the `.sym`
 * dumpSyms writes with `inlines: true` for each corpus image of the address oracle, loaded back
 * as a symbol source, answers every oracle address's inline chain (names, innermost first, and
 * each frame's line) as the DLL answered it from the PDB. No DIA-made `.sym` in the corpus has
 * these records, so the DLL is the reference.
 *
 * The one chain that differs is a folded procedure's (identical functions at one address): the
 * DLL takes the inline sites of the procedure it names (the PDB engine's choices are pinned in
 * dbghelp-oracle.test.ts); the .sym writes one FUNC per address, another of them. Frame names
 * and lines are compared; a frame's address is not (a .sym keeps the range holding the address,
 * not the site's first range, where the DLL puts it).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PassThrough } from 'stream';
import { InlineFrameContext, SymTag, SymbolHandler } from '../../lib';
import { dumpSyms } from '../../lib/breakpad';
import { describeCorpus } from '../helpers/corpus';
import { MS_OPTIONS, msAddressOracles } from '../helpers/ms-oracle';

function chain(sym: SymbolHandler, address: bigint): { name: string; line: number | undefined }[] {
  const n = sym.addrIncludeInlineTrace(address);
  if (!n) return [];
  const q = sym.queryInlineTrace({ startAddress: address, startContext: InlineFrameContext.INIT, startRetAddress: address, curAddress: address });
  if (!q) return [];
  const out: { name: string; line: number | undefined }[] = [];
  for (let i = 0; i < n; i++) {
    const ctx = (q.curContext + i) >>> 0;
    const hit = sym.fromInlineContext(address, ctx);
    if (!hit || hit.symbol.tag !== SymTag.InlineSite) break;
    out.push({ name: hit.symbol.name, line: sym.getLineFromInlineContext(address, ctx)?.lineNumber });
  }
  return out;
}

describeCorpus('corpus: .sym INLINE records against Microsoft dbghelp.dll inline frames', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sym-inlines-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const oracles = msAddressOracles().filter((o) => o.pdb && o.rows.some((r) => r.inlines?.length));

  test('the oracle has images with inline frames', () => {
    expect(oracles.length).toBeGreaterThanOrEqual(5);
  });

  test.each(oracles.map((o) => [o.image, o] as const))('%s', async (image, o) => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (b: Buffer) => chunks.push(b));
    await dumpSyms({ pdb: o.pdb!, image: o.pe, out, inlines: true });
    out.end();
    const file = path.join(tmp, `${path.basename(image)}.sym`);
    fs.writeFileSync(file, Buffer.concat(chunks));
    const sym = SymbolHandler.initialize({ options: MS_OPTIONS });
    try {
      const base = await sym.loadModule(file, { baseAddress: o.base });
      let frames = 0;
      const differ: string[] = [];
      for (const r of o.rows) {
        const want = (r.inlines ?? []).map((f) => ({ name: f.name, line: f.line?.line }));
        const got = chain(sym, base + BigInt(r.rva));
        if (!want.length && !got.length) continue;
        frames += want.length;
        if (JSON.stringify(got) !== JSON.stringify(want)) {
          differ.push(r.rva);
          if (process.env.SHOW_DIFF && differ.length <= 3) console.log(image, r.rva, JSON.stringify(got), JSON.stringify(want));
        }
      }
      // The addresses whose chain differs, pinned: the folded procedures of softokn3.dll.
      expect({ image, frames: frames > 0, differ }).toEqual({ image, frames: true, differ: FOLDED[image] ?? [] });
    } finally {
      sym.cleanup();
    }
  });
});

const FOLDED: Record<string, string[]> = {
  // 0x6ae0..: FC_Sign and FC_SignRecover folded to one body; the DLL names FC_SignRecover and
  // gives its inlined NSC_SignRecover, the .sym's one FUNC there is FC_Sign's, without it.
  'mstange_samply/fixtures/win64-ci/softokn3.dll': ['0x6b0a'],
};
