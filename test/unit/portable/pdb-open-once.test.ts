/**
 * Loading a module opens its PDB once: the search checks a candidate's identity by opening it
 * (lib/symsrv/identify.ts) and hands the open file over (SearchRequest.keepPdb), so the load
 * does not open and parse the stream directory again (bench/README.md, the cold lookup).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SymbolHandler } from '../../../lib/handler';
import { SymOpt } from '../../../lib/api/constants';
import { PdbFile } from '../../../lib/formats/pdb/pdb-file';

const BIN = path.join(__dirname, '..', '..', 'fixtures', 'bin');

describe('loadModule opens the PDB it loads once', () => {
  let spy: jest.SpyInstance;
  let closes: jest.SpyInstance;
  beforeEach(() => {
    spy = jest.spyOn(PdbFile, 'open');
    closes = jest.spyOn(PdbFile.prototype, 'close');
  });
  afterEach(() => {
    spy.mockRestore();
    closes.mockRestore();
  });

  test('found beside the image: one open, the same file answers, nothing else left open', async () => {
    const sym = SymbolHandler.initialize({ searchPath: '' });
    try {
      const base = await sym.loadModule(path.join(BIN, 'cppfeatures-x64.exe'));
      expect(spy).toHaveBeenCalledTimes(1);
      expect(closes).not.toHaveBeenCalled();
      expect(sym.fromAddr(base + 0x1010n)?.symbol.name).toBe('geometry::Rect::Rect');
    } finally {
      sym.cleanup();
    }
    expect(closes).toHaveBeenCalledTimes(1);
  });

  test('a mismatched candidate first: it is closed, the matching one loaded from its one open', async () => {
    // A directory on the search path holding another build's PDB under the wanted name.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pdb-once-'));
    try {
      fs.copyFileSync(path.join(BIN, 'cppfeatures-x86.pdb'), path.join(dir, 'cppfeatures-x64.pdb'));
      const sym = SymbolHandler.initialize({ searchPath: dir });
      try {
        await sym.loadModule(path.join(BIN, 'cppfeatures-x64.exe'));
        expect(spy.mock.calls.map((c) => path.basename(path.dirname(c[0] as string)))).toEqual([path.basename(dir), 'bin']);
        expect(closes).toHaveBeenCalledTimes(1); // the mismatched one
      } finally {
        sym.cleanup();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('SYMOPT_LOAD_ANYTHING checks nothing: one open', async () => {
    const sym = SymbolHandler.initialize({ searchPath: '', options: SymOpt.UNDNAME | SymOpt.LOAD_ANYTHING });
    try {
      await sym.loadModule(path.join(BIN, 'cppfeatures-x64.exe'));
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      sym.cleanup();
    }
  });
});
