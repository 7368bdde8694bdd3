/**
 * A module loaded from a Breakpad .sym answers the inline API (SymAddrIncludeInlineTrace,
 * SymQueryInlineTrace, SymFromInlineContext, SymGetLineFromInlineContext) from its INLINE
 * records: the same chains, names and lines as the PDB it was written from, at every byte of
 * the inline fixtures' code.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PassThrough } from 'stream';
import { SymbolHandler } from '../../../lib';
import { dumpSyms } from '../../../lib/breakpad';
import { PeImage } from '../../../lib/formats/pe/pe-image';
import { inlineFrames } from '../../../lib/symbolicate/inline-frames';

const BIN = path.join(__dirname, '..', '..', 'fixtures', 'bin');
const BASE = 0x140000000n;

test.each(['inline-x64', 'inline-x86'])("%s: .sym inline frames equal the PDB engine's", async (name) => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sym-inline-api-'));
  const image = path.join(BIN, `${name}.exe`);
  const pdb = path.join(BIN, `${name}.pdb`);
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (b: Buffer) => chunks.push(b));
  await dumpSyms({ pdb, image, out, inlines: true });
  out.end();
  const sym = path.join(tmp, `${name}.sym`);
  fs.writeFileSync(sym, Buffer.concat(chunks));
  const fromPdb = SymbolHandler.initialize({ searchPath: '' });
  const fromSym = SymbolHandler.initialize({ searchPath: '' });
  try {
    await fromPdb.loadModule(image, { pdbPath: pdb, baseAddress: BASE });
    await fromSym.loadModule(sym, { baseAddress: BASE });
    const pe = PeImage.open(image);
    const text = pe.sections.find((s) => s.name === '.text')!;
    pe.close();
    let withFrames = 0;
    for (let r = text.virtualAddress; r < text.virtualAddress + text.virtualSize; r++) {
      const at = BASE + BigInt(r);
      const want = inlineFrames(fromPdb, at).map((f) => [f.symbol, f.line]);
      const got = inlineFrames(fromSym, at).map((f) => [f.symbol, f.line]);
      expect([r.toString(16), got]).toEqual([r.toString(16), want]);
      if (want.length) withFrames++;
    }
    expect(withFrames).toBeGreaterThan(20);
  } finally {
    fromPdb.cleanup();
    fromSym.cleanup();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
