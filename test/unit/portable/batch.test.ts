/**
 * A batch (BackendHandler.beginBatch, lib/portable/rva-batch.ts) changes what the module indexes
 * hold, never an answer: every byte of each fixture image's first code section, looked up with
 * batches that reach one procedure, a few, or none of the module, answers SymFromAddr and
 * SymGetLineFromAddr64 as without a batch. (Inline frames: test/unit/inlines/index.test.ts.)
 */
import * as fs from 'fs';
import * as path from 'path';
import { SymbolHandler } from '../../../lib';
import { PeImage } from '../../../lib/formats/pe/pe-image';

const BIN = path.resolve(__dirname, '..', '..', 'fixtures', 'bin');
const IMAGES = ['basic-x64.exe', 'cppfeatures-x64.exe', 'cppfeatures-x86.exe', 'locals-arm64.exe', 'exports-x64.dll'];

/** The first executable section's [start, end) RVAs. */
function codeRange(image: string): [number, number] {
  const pe = PeImage.open(path.join(BIN, image));
  try {
    const text = pe.sections.find((s) => s.characteristics & 0x20000000)!;
    return [text.virtualAddress, text.virtualAddress + Math.min(text.virtualSize, 0x3000)];
  } finally {
    pe.close();
  }
}

async function answers(image: string, batch: (from: number, to: number) => number[] | undefined): Promise<string[]> {
  const sym = SymbolHandler.initialize();
  try {
    const base = await sym.loadModule(path.join(BIN, image), { pdbPath: path.join(BIN, image.replace(/\.(exe|dll)$/, '.pdb')) });
    const [from, to] = codeRange(image);
    const rvas = batch(from, to);
    if (rvas) sym.backendHandler.beginBatch!(Float64Array.from(rvas, (r) => Number(base) + r));
    const out: string[] = [];
    for (let r = from; r < to; r++) {
      const a = base + BigInt(r);
      const s = sym.fromAddr(a);
      const l = sym.getLineFromAddr(a);
      out.push(`${s ? `${s.symbol.name}+${s.displacement}` : '-'} ${l ? `${l.fileName}:${l.lineNumber}+${l.displacement}` : '-'}`);
    }
    if (rvas) sym.backendHandler.endBatch!();
    return out;
  } finally {
    sym.cleanup();
  }
}

describe('a batch of addresses changes no answer', () => {
  test.each(IMAGES)('%s', async (image) => {
    expect(fs.existsSync(path.join(BIN, image))).toBe(true);
    const plain = await answers(image, () => undefined);
    expect(plain.filter((a) => !a.endsWith(' -')).length).toBeGreaterThan(100);
    // One address near the start, a few spread out, one past the code.
    expect(await answers(image, (from) => [from + 0x20])).toEqual(plain);
    expect(await answers(image, (from, to) => [from + 3, from + ((to - from) >> 2), to - 7])).toEqual(plain);
    expect(await answers(image, (_from, to) => [to + 0x100000])).toEqual(plain);
  });
});
