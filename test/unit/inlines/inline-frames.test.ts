/**
 * SymbolHandler.inlineFrames: the portable backend finds an address's inline frames in one chain
 * search (features/inlines.ts inlineFramesAt). Its answer must be, at every byte of every
 * fixture's code, what the DbgHelp walk gives (symbolicate/inline-frames.ts walkInlineFrames:
 * SymAddrIncludeInlineTrace, SymQueryInlineTrace, then SymFromInlineContext and
 * SymGetLineFromInlineContext per context), which the corpus checks against dbghelp.dll.
 */
import * as path from 'path';
import { SymbolHandler } from '../../../lib';
import { walkInlineFrames } from '../../../lib/symbolicate/inline-frames';
import { PeImage } from '../../../lib/formats/pe/pe-image';

const BIN = path.resolve(__dirname, '..', '..', 'fixtures', 'bin');
const FIXTURES = ['inline-x64', 'inline-x86', 'cppfeatures-x64', 'cppfeatures-x86', 'cppfeatures-arm64', 'locals-x64'];

test.each(FIXTURES)('%s: inlineFrames equals the DbgHelp walk at every code byte', async (name) => {
  const image = path.join(BIN, `${name}.exe`);
  const pe = PeImage.open(image);
  const code = pe.sections.filter((s) => s.characteristics & 0x20000000);
  pe.close();
  const sym = SymbolHandler.initialize({ searchPath: null });
  try {
    const base = await sym.loadModule(image, { pdbPath: path.join(BIN, `${name}.pdb`) });
    // The backend's own search answers (the walk is only the fallback).
    const impl = (sym as unknown as { impl: { inlineFrames(a: bigint): unknown } }).impl;
    let direct = 0;
    let withFrames = 0;
    let frames = 0;
    for (const s of code) {
      for (let r = s.virtualAddress; r < s.virtualAddress + s.virtualSize; r++) {
        const a = base + BigInt(r);
        const got = sym.inlineFrames(a);
        expect([r, got]).toEqual([r, walkInlineFrames(sym, a)]);
        if (impl.inlineFrames(a) !== undefined) direct++;
        if (got.length) withFrames++;
        frames += got.length;
      }
    }
    expect(direct).toBeGreaterThan(0);
    // The inline fixtures have chains (several frames deep) to compare.
    if (name.startsWith('inline')) {
      expect(withFrames).toBeGreaterThan(20);
      expect(frames).toBeGreaterThan(withFrames);
    }
  } finally {
    sym.cleanup();
  }
});
