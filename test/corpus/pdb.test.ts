/**
 * Corpus PDB behaviours: laziness on a multi-MB PDB, /DEBUG:FASTLINK refusal, DBI-age
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
      // Streams touched: PDB info (1), DBI (3), section headers, the one module stream. Not the
      // TPI/IPI, not the publics or globals, not the other modules.
      const read = [...pdb.streamsRead];
      expect(read).toContain(1);
      expect(read).toContain(3);
      expect(read.length).toBeLessThanOrEqual(5);
      expect(read).not.toContain(2);
      expect(read).not.toContain(4);
      expect(read).not.toContain(pdb.dbi!.publicStreamIndex);
      expect(read).not.toContain(pdb.dbi!.symRecordStream);
      // Bytes: opening plus the lookup stay a small fraction of the file.
      expect(opened).toBeLessThan(src.size / 4);
      expect(src.bytesRead).toBeLessThan(src.size / 4);
    } finally {
      pdb.close();
    }
  });

  test('a /DEBUG:FASTLINK PDB is refused with an error that names the cause', async () => {
    const sym = SymbolHandler.initialize();
    try {
      const img = corpusPath('getsentry_symbolic/symbolic-debuginfo/tests/fixtures/CppConsoleApp.exe');
      const pdb = corpusPath('getsentry_symbolic/symbolic-debuginfo/tests/fixtures/CppConsoleApp.pdb');
      await expect(sym.loadModule(img, { pdbPath: pdb })).rejects.toMatchObject({ code: 'UNSUPPORTED', message: expect.stringMatching(/FASTLINK/) });
      await expect(sym.loadModule(pdb, { baseAddress: 0x400000n })).rejects.toMatchObject({ code: 'UNSUPPORTED' });
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
