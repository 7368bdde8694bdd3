/**
 * Corpus PDB behaviours: laziness on a multi-MB PDB, /DEBUG:FASTLINK loading, DBI-age
 * matching where the info stream's age differs.
 */
import * as path from 'path';
import { SymbolHandler, SymType } from '../../lib';
import { BufferSource, FileSource } from '../../lib/formats/binary/source';
import { PdbFile } from '../../lib/formats/pdb/pdb-file';
import { PdbProvider } from '../../lib/portable/pdb-provider';
import { rva } from '../../lib/formats/binary/address';
import { SymOpt } from '../../lib';
import { CORPUS, corpusPath, describeCorpus } from '../helpers/corpus';

describeCorpus('corpus: PDB behaviours', () => {
  test('one fromAddr on a 6.5 MB PDB reads only the streams it needs', () => {
    // basic32.pdb (derived from mozilla dump_syms' basic32.pd_): 6,590,464 bytes, 1,600+ streams.
    const file = path.join(CORPUS, 'derived/mozilla_dump_syms/test_data/windows/basic32.pdb');
    const src = FileSource.open(file);
    const pdb = new PdbFile(src);
    try {
      const provider = new PdbProvider(pdb, undefined, pdb.machine);
      const opened = src.bytesRead;
      // 0x6be0 is test1(int *) (llvm-symbolizer oracle, first row).
      const hit = provider.fromRva(rva(0x6be0), { options: SymOpt.UNDNAME });
      expect(hit?.symbol.name).toBe('test1');
      // Streams touched: PDB info (1), DBI (3), section headers, the one module stream, and the
      // globals, publics and symbol records: dbghelp.dll answers the nearest symbol among
      // procedures, data and publics, so their address indexes are built (once; typed arrays,
      // the records stream read for them and dropped). Not the TPI/IPI, not the other modules.
      const read = [...pdb.streamsRead];
      expect(read).toContain(1);
      expect(read).toContain(3);
      const indexes = [pdb.dbi!.globalStreamIndex, pdb.dbi!.publicStreamIndex, pdb.dbi!.symRecordStream];
      expect(read.filter((s) => !indexes.includes(s)).length).toBeLessThanOrEqual(4);
      expect(read).not.toContain(2);
      expect(read).not.toContain(4);
      // Bytes: opening plus the lookup stay a small fraction of the file.
      expect(opened).toBeLessThan(src.size / 4);
      expect(src.bytesRead).toBeLessThan(src.size / 4);
    } finally {
      pdb.close();
    }
  });

  test('a /DEBUG:FASTLINK PDB loads as dbghelp.dll loads it: publics and lines answer, enumeration fails saying why', async () => {
    // Microsoft's dbghelp.dll 10.0.19041.685 (corpus oracle CppConsoleApp.exe.*.jsonl): every
    // address answered by a public (tag 10, PUBLIC_CODE) with its C13 line; globalSymbols 0;
    // SymEnumSymbols fails with 16385.
    const sym = SymbolHandler.initialize();
    try {
      const img = corpusPath('getsentry_symbolic/symbolic-debuginfo/tests/fixtures/CppConsoleApp.exe');
      const pdb = corpusPath('getsentry_symbolic/symbolic-debuginfo/tests/fixtures/CppConsoleApp.pdb');
      const base = await sym.loadModule(img, { pdbPath: pdb });
      expect(sym.getModuleInfo(base)).toMatchObject({ symType: SymType.Pdb, globalSymbols: false, lineNumbers: true, publics: true });
      const hit = sym.fromAddr(base + 0x116fen)!;
      expect(hit.symbol).toMatchObject({ name: 'plus_one', tag: 10, flags: 0x400000, size: 0, address: base + 0x116e0n });
      expect(hit.displacement).toBe(30n);
      expect(sym.getLineFromAddr(base + 0x116fen)).toMatchObject({ lineNumber: 0xf00f00, address: base + 0x116fen, displacement: 0 });
      expect(sym.getLineFromAddr(base + 0x11708n)).toMatchObject({ lineNumber: 5 });
      expect(sym.fromName('plus_one')).toMatchObject({ name: 'plus_one', address: base + 0x116e0n });
      expect(() => [...sym.enumSymbols({ base, mask: '*' })]).toThrow(expect.objectContaining({ code: 'UNSUPPORTED', win32Error: 16385, message: expect.stringMatching(/FASTLINK/) }));
    } finally {
      sym.cleanup();
    }
  });

  test('an image matches its PDB by the DBI age when the info stream age differs (crash_with_srcsrv.pdb: info age 4, DBI age 1)', async () => {
    const sym = SymbolHandler.initialize();
    try {
      const base = await sym.loadModule(corpusPath('getsentry_symbolic/symbolic-testutils/fixtures/windows/crash.exe'), {
        pdbPath: corpusPath('getsentry_symbolic/symbolic-testutils/fixtures/windows/crash_with_srcsrv.pdb'),
      });
      const info = sym.getModuleInfo(base)!;
      expect(info).toMatchObject({ symType: SymType.Pdb, pdbAge: 1, pdbSig70: '3249D99D-0C40-4931-8610-F4E4FB0B6936', sourceIndexed: true });
    } finally {
      sym.cleanup();
    }
  });

  test('the info stream of an in-memory copy reads the same as the file (ByteSource independence)', () => {
    const file = corpusPath('getsentry_symbolic/symbolic-testutils/fixtures/windows/crash.pdb');
    const fromFile = PdbFile.open(file);
    const buf = require('fs').readFileSync(file);
    const fromBuf = new PdbFile(new BufferSource(buf, file));
    expect(fromBuf.info.guid).toBe(fromFile.info.guid);
    expect(fromBuf.modules().length).toBe(71); // MANIFEST: modules=71
    fromFile.close();
  });
});
