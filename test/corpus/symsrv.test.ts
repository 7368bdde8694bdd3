/**
 * Real symbol-store files from the corpus through `srv*`: mstange/symsrv's store fixture
 * (ShowSSEConfig.exe/.pdb, each both plain and as a makecab `.ex_`/`.pd_`) and mozilla
 * dump_syms' `basic32.pd_` placed in a store. Expanded files are compared byte for byte with
 * the corpus's `derived/` copies, which cabextract produced.
 */
import * as fs from 'fs';
import * as path from 'path';
import { SymbolHandler, SymOpt } from '../../lib';
import { corpusPath, describeCorpus } from '../helpers/corpus';
import { listFiles, putInStore, tempDir } from '../unit/symsrv/helpers';

/** Microsoft's symsrv.dll lines for a miss in a local store whose key directory does not exist. */
function unc(file: string): string[] {
  const name = path.basename(file);
  const dir = file.slice(0, file.length - name.length);
  return [name, `${name.slice(0, -1)}_`, 'file.ptr'].map((n) => `SYMSRV:  UNC: ${dir}${n} - path not found`);
}

const sep = path.sep;

async function withHandler<T>(searchPath: string, home: string, options: number, fn: (sym: SymbolHandler, lines: string[]) => Promise<T>): Promise<T> {
  const sym = SymbolHandler.initialize({ searchPath });
  sym.setOptions(sym.getOptions() | SymOpt.DEBUG | options);
  sym.setHomeDirectory(home);
  const lines: string[] = [];
  sym.on('debug', (l) => lines.push(l));
  try {
    return await fn(sym, lines);
  } finally {
    sym.cleanup();
  }
}

describeCorpus('symbol stores from the corpus', () => {
  const symsrvStore = corpusPath('mstange_symsrv/tests/fixtures');
  const pdbKey = 'A62592418D7807494C4C44205044422E1';
  const exeKey = '63E6C7F78000';

  test('mstange/symsrv store: ShowSSEConfig.exe finds its PDB through srv*C*store and the copy in C is the stored file', async () => {
    const root = tempDir();
    const C = path.join(root, 'C');
    const image = path.join(symsrvStore, 'ShowSSEConfig.exe', exeKey, 'ShowSSEConfig.exe');
    await withHandler(`srv*${C}*${symsrvStore}`, path.join(root, 'home'), 0, async (sym, lines) => {
      const base = await sym.loadModule(image);
      const info = sym.getModuleInfo(base)!;
      const inC = [C, 'ShowSSEConfig.pdb', pdbKey, 'ShowSSEConfig.pdb'].join(sep);
      expect(info.loadedPdbName).toBe(inC);
      expect(lines).toEqual(expect.arrayContaining(unc(inC)));
      expect(lines).toContain(`DBGHELP: ${inC} already cached`);
      expect(fs.readFileSync(inC).equals(fs.readFileSync(path.join(symsrvStore, 'ShowSSEConfig.pdb', pdbKey, 'ShowSSEConfig.pdb')))).toBe(true);
      // The corpus oracle (llvm-symbolizer) names RVA 0x10bc `wmain`, ShowSSEConfig.cpp line 119.
      expect(sym.fromAddr(base + 0x10bcn)?.symbol.name).toBe('wmain');
      expect(sym.getLineFromAddr(base + 0x10bcn)?.lineNumber).toBe(119);
    });
  });

  test('mstange/symsrv store, compressed forms first (SYMOPT_FAVOR_COMPRESSED): the .pd_ expands to what cabextract produced', async () => {
    const root = tempDir();
    const C = path.join(root, 'C');
    const image = path.join(symsrvStore, 'ShowSSEConfig.exe', exeKey, 'ShowSSEConfig.exe');
    await withHandler(`srv*${C}*${symsrvStore}`, path.join(root, 'home'), SymOpt.FAVOR_COMPRESSED, async (sym) => {
      const base = await sym.loadModule(image);
      const inC = [C, 'ShowSSEConfig.pdb', pdbKey, 'ShowSSEConfig.pdb'].join(sep);
      expect(sym.getModuleInfo(base)!.loadedPdbName).toBe(inC);
      const expanded = fs.readFileSync(inC);
      const byCabextract = fs.readFileSync(corpusPath(`derived/mstange_symsrv/tests/fixtures/ShowSSEConfig.pdb/${pdbKey}/ShowSSEConfig.pdb`));
      expect(expanded.equals(byCabextract)).toBe(true);
    });
  });

  test('findFileInPath fetches the image ShowSSEConfig.exe by TimeDateStamp/SizeOfImage from its .ex_', async () => {
    const root = tempDir();
    const C = path.join(root, 'C');
    await withHandler(`srv*${C}*${symsrvStore}`, path.join(root, 'home'), SymOpt.FAVOR_COMPRESSED, async (sym) => {
      const found = await sym.findFileInPath({ fileName: 'ShowSSEConfig.exe', id: 0x63e6c7f7, two: 0x8000 });
      expect(found).toBe([C, 'ShowSSEConfig.exe', exeKey, 'ShowSSEConfig.exe'].join(sep));
      const byCabextract = fs.readFileSync(corpusPath(`derived/mstange_symsrv/tests/fixtures/ShowSSEConfig.exe/${exeKey}/ShowSSEConfig.exe`));
      expect(fs.readFileSync(found!).equals(byCabextract)).toBe(true);
    });
  });

  test('mozilla dump_syms basic32.pd_ in a store: basic32.dll loads its 6.5 MB PDB through srv*, expanded as cabextract does', async () => {
    const root = tempDir();
    const S = path.join(root, 'S');
    const key = '34060D222DBB44E5AA72243CE8326C2F2';
    putInStore(S, corpusPath('mozilla_dump_syms/test_data/windows/basic32.pd_'), key, { name: 'basic32.pdb', as: 'basic32.pd_' });
    await withHandler(`srv*${S}`, path.join(root, 'home'), 0, async (sym, lines) => {
      const base = await sym.loadModule(corpusPath('mozilla_dump_syms/test_data/windows/basic32.dll'));
      const info = sym.getModuleInfo(base)!;
      // No downstream store was named: a compressed file is expanded into the default one, <home>/sym.
      const inHome = [path.join(root, 'home'), 'sym', 'basic32.pdb', key, 'basic32.pdb'].join(sep);
      expect(info.loadedPdbName).toBe(inHome);
      expect(info.pdbAge).toBe(2);
      expect(lines).toContain(`DBGHELP: ${inHome} already cached`);
      const byCabextract = fs.readFileSync(corpusPath('derived/mozilla_dump_syms/test_data/windows/basic32.pdb'));
      expect(fs.readFileSync(inHome).equals(byCabextract)).toBe(true);
      expect(listFiles(path.join(root, 'home', 'sym'))).toEqual([`basic32.pdb/${key}/basic32.pdb`]);
    });
  });
});
