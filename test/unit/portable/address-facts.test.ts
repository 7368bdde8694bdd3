/**
 * BackendHandler.addressFacts (what `dbghelp symbolize` reads per address) answers what
 * fromAddr and getLineFromAddr answer: every byte of each fixture image's sections (code, data,
 * read-only data: functions, publics, data symbols sized by their type, thunks), compared field
 * by field.
 */
import * as path from 'path';
import { SymbolHandler } from '../../../lib';
import type { AddressFacts } from '../../../lib/api/types';
import { PeImage } from '../../../lib/formats/pe/pe-image';

const BIN = path.resolve(__dirname, '..', '..', 'fixtures', 'bin');
const IMAGES = ['basic-x64.exe', 'cppfeatures-x64.exe', 'cppfeatures-x86.exe', 'locals-arm64.exe', 'exports-x86.dll', 'types-x64.exe'];

test.each(IMAGES)('%s: addressFacts equals fromAddr and getLineFromAddr', async (image) => {
  const sym = SymbolHandler.initialize();
  try {
    const base = await sym.loadModule(path.join(BIN, image), { pdbPath: path.join(BIN, image.replace(/\.(exe|dll)$/, '.pdb')) });
    const pe = PeImage.open(path.join(BIN, image));
    const sections = pe.sections.map((s) => [s.virtualAddress, s.virtualAddress + Math.min(s.virtualSize, 0x4000)]);
    pe.close();
    const f: AddressFacts = { name: undefined, displacement: 0, flags: 0, tag: 0, size: 0, fileName: undefined, lineNumber: 0 };
    const tags = new Set<number>();
    let named = 0;
    for (const [from, to] of sections) {
      for (let r = from; r < to; r += 1) {
        const a = base + BigInt(r);
        sym.backendHandler.addressFacts!(a, f);
        const hit = sym.fromAddr(a);
        const line = sym.getLineFromAddr(a);
        const want = hit ? [hit.symbol.name, Number(hit.displacement), hit.symbol.flags, hit.symbol.tag, hit.symbol.size] : [undefined];
        const got = f.name !== undefined ? [f.name, f.displacement, f.flags, f.tag, f.size] : [undefined];
        if (JSON.stringify(got) !== JSON.stringify(want)) expect({ rva: r.toString(16), got }).toEqual({ rva: r.toString(16), got: want });
        const wantLine = line ? [line.fileName, line.lineNumber] : [undefined];
        const gotLine = f.fileName !== undefined ? [f.fileName, f.lineNumber] : [undefined];
        if (JSON.stringify(gotLine) !== JSON.stringify(wantLine)) expect({ rva: r.toString(16), gotLine }).toEqual({ rva: r.toString(16), gotLine: wantLine });
        if (hit) {
          named++;
          tags.add(hit.symbol.tag);
        }
      }
    }
    expect(named).toBeGreaterThan(400);
    // Functions and data (or publics) among the answers.
    expect(tags.size).toBeGreaterThan(1);
  } finally {
    sym.cleanup();
  }
});

test('SymbolHandler.addressFacts: the backend answer where it has one, else fromAddr and getLineFromAddr, alike', async () => {
  const sym = SymbolHandler.initialize();
  try {
    const image = 'cppfeatures-x64.exe';
    const base = await sym.loadModule(path.join(BIN, image), { pdbPath: path.join(BIN, 'cppfeatures-x64.pdb') });
    const backend = sym.backendHandler;
    const own = backend.addressFacts!.bind(backend);
    const facts = (): AddressFacts => ({ name: undefined, displacement: 0, flags: 0, tag: 0, size: 0, fileName: undefined, lineNumber: 0 });
    let found = 0;
    for (let r = 0x1000; r < 0x3000; r += 7) {
      const a = base + BigInt(r);
      const viaBackend = facts();
      sym.addressFacts(a, viaBackend);
      const direct = facts();
      own(a, direct);
      expect(viaBackend).toEqual(direct);
      backend.addressFacts = undefined;
      const fallback = facts();
      sym.addressFacts(a, fallback);
      backend.addressFacts = own;
      const norm = (f: AddressFacts) => [f.name, f.name === undefined ? 0 : f.displacement, f.flags, f.tag, f.size, f.fileName, f.fileName === undefined ? 0 : f.lineNumber];
      if (direct.name !== undefined) found++;
      expect(norm(fallback)).toEqual(norm(direct));
    }
    expect(found).toBeGreaterThan(100);
  } finally {
    sym.cleanup();
  }
});
