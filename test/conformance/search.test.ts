/**
 * Conformance: symbol search paths and stores (SymSetSearchPath/SymGetSearchPath,
 * SymFindFileInPath, SymSetHomeDirectory, SymLoadModuleEx through `cache*` and `srv*`), once
 * per backend, on synthetic stores built in a temporary directory from the fixtures.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BACKENDS, KNOWN_GAPS, loadBackend, type BackendName } from './backends';

const FIX = path.resolve(__dirname, '..', 'fixtures');
const PDB = path.join(FIX, 'bin', 'basic-x64.pdb');
const IMAGE = path.join(FIX, 'bin', 'basic-x64.exe');
// test/fixtures/expected/basic-x64.readobj.txt
const GUID = '8C6EB4D7-60FE-3FA6-4C4C-44205044422E';
const KEY = '8C6EB4D760FE3FA64C4C44205044422E1';
const TIMESTAMP = 0x982681b8;
const SIZE_OF_IMAGE = 0x8000;

/** symsrv.dll's lines for a miss in a key directory that does not exist. */
const uncMisses = (keyDir: string) => ['basic-x64.pdb', 'basic-x64.pd_', 'file.ptr'].map((n) => `SYMSRV:  UNC: ${path.join(keyDir, n)} - path not found`);

function tempStore(): { root: string; S: string; C: string; image: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dbghelp-conf-search-'));
  const S = path.join(root, 'S');
  fs.mkdirSync(path.join(S, 'basic-x64.pdb', KEY), { recursive: true });
  fs.copyFileSync(PDB, path.join(S, 'basic-x64.pdb', KEY, 'basic-x64.pdb'));
  fs.mkdirSync(path.join(S, 'basic-x64.exe', '982681B88000'), { recursive: true });
  fs.copyFileSync(IMAGE, path.join(S, 'basic-x64.exe', '982681B88000', 'basic-x64.exe'));
  fs.mkdirSync(path.join(root, 'app'));
  const image = path.join(root, 'app', 'basic-x64.exe');
  fs.copyFileSync(IMAGE, image);
  return { root, S, C: path.join(root, 'C'), image };
}

describe.each(BACKENDS)('%s backend', (name: BackendName) => {
  const loaded = loadBackend(name);
  if ('error' in loaded) {
    test(`is not available on ${process.platform}: the load error says what was tried and what to do`, () => {
      expect(loaded.error).toMatchObject({ name: 'DbgHelpError', code: 'BACKEND_UNAVAILABLE' });
    });
    return;
  }
  const { SymbolHandler, SymOpt, SymType } = loaded.lib;
  const gaps = KNOWN_GAPS[name];
  const t = (title: string, fn: () => Promise<unknown>) => (gaps[title] ? test.failing(`${title} [known gap: ${gaps[title]}]`, fn) : test(title, fn));

  t('SymGetSearchPath answers the path SymInitialize or SymSetSearchPath was given', async () => {
    const sym = SymbolHandler.initialize({ searchPath: 'srv*x*y;z' });
    try {
      expect(sym.getSearchPath()).toBe('srv*x*y;z');
      sym.setSearchPath('a;b');
      expect(sym.getSearchPath()).toBe('a;b');
    } finally {
      sym.cleanup();
    }
  });

  t('SymSetHomeDirectory sets the directory SymGetHomeDirectory answers', async () => {
    const sym = SymbolHandler.initialize();
    try {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dbghelp-home-'));
      expect(sym.setHomeDirectory(dir)).toBe(dir);
      expect(sym.getHomeDirectory()).toBe(dir);
    } finally {
      sym.cleanup();
    }
  });

  t('SymLoadModuleEx through cache*C;srv*S: the PDB is copied into C and loaded from there', async () => {
    const { root, S, C, image } = tempStore();
    const sym = SymbolHandler.initialize({ searchPath: `cache*${C};srv*${S}` });
    try {
      sym.setHomeDirectory(root);
      const base = await sym.loadModule(image);
      const info = sym.getModuleInfo(base)!;
      expect(info.symType).toBe(SymType.Pdb);
      expect(path.resolve(info.loadedPdbName)).toBe(path.join(C, 'basic-x64.pdb', KEY, 'basic-x64.pdb'));
      expect(fs.readFileSync(info.loadedPdbName).equals(fs.readFileSync(PDB))).toBe(true);
      expect(sym.fromAddr(base + 0x1000n)?.symbol.name).toBe('chain_c');
    } finally {
      sym.cleanup();
    }
  });

  // A PDB only in a local store S, behind a downstream store C, in the three spellings of a
  // store chain. The dbghelp.dll backends load it whether the DLL has symsrv.dll beside it or
  // not (then the handler's own store search finds it and the DLL reads the copy in C): without
  // the store, the image's PDB is nowhere the DLL looks (its CodeView path is bare, the image
  // directory holds no PDB).
  const CHAINS: [string, (C: string, S: string) => string][] = [
    ['srv*C*S', (C, S) => `srv*${C}*${S}`],
    ['symsrv*symsrv.dll*C*S', (C, S) => `symsrv*symsrv.dll*${C}*${S}`],
    ['cache*C;srv*S', (C, S) => `cache*${C};srv*${S}`],
  ];
  for (const [form, make] of CHAINS) {
    t(`a load through ${form} reads the store's PDB from its copy in C; with S gone, C alone serves the next load`, async () => {
      const { root, S, C, image } = tempStore();
      const handlers: { cleanup(): void }[] = [];
      try {
        const load = async () => {
          const sym = SymbolHandler.initialize({ searchPath: make(C, S) });
          handlers.push(sym);
          sym.setHomeDirectory(root);
          const base = await sym.loadModule(image);
          const info = sym.getModuleInfo(base)!;
          expect(info.symType).toBe(SymType.Pdb);
          expect([info.pdbSig70, info.pdbAge, info.pdbUnmatched]).toEqual([GUID, 1, false]);
          // test/fixtures/expected/basic-x64.symbolizer.jsonl: 0x1000 is chain_c, basic.c:40.
          expect(sym.fromAddr(base + 0x1000n)?.symbol.name).toBe('chain_c');
          expect(sym.getLineFromAddr(base + 0x1000n)).toMatchObject({ lineNumber: 40, fileName: 'C:\\dbghelp\\fixtures\\src\\basic.c' });
        };
        await load();
        const inC = path.join(C, 'basic-x64.pdb', KEY, 'basic-x64.pdb');
        expect(fs.readFileSync(inC).equals(fs.readFileSync(PDB))).toBe(true);
        expect(fs.readdirSync(path.dirname(inC))).toEqual(['basic-x64.pdb']);
        fs.rmSync(S, { recursive: true });
        await load();
      } finally {
        for (const h of handlers) h.cleanup();
        fs.rmSync(root, { recursive: true, force: true });
      }
    });
  }

  t('SYMOPT_DEBUG: a load through srv*C*S logs the miss in C and opens the copy there', async () => {
    const { root, S, C, image } = tempStore();
    const sym = SymbolHandler.initialize({ searchPath: `srv*${C}*${S}` });
    const lines: string[] = [];
    try {
      sym.setHomeDirectory(root);
      sym.setOptions(sym.getOptions() | SymOpt.DEBUG);
      sym.on('debug', (l) => lines.push(...l.split('\n').map((x) => x.trim())));
      const base = await sym.loadModule(image);
      // Microsoft's symsrv.dll 10.0.19041.685 (asked under Wine): the miss in C is three lines;
      // the copy from a local store is not logged; the file is then opened from C.
      expect(lines).toEqual(expect.arrayContaining(uncMisses(path.join(C, 'basic-x64.pdb', KEY))));
      expect(fs.readFileSync(path.join(C, 'basic-x64.pdb', KEY, 'basic-x64.pdb')).equals(fs.readFileSync(PDB))).toBe(true);
      expect(sym.getModuleInfo(base)!.symType).toBe(SymType.Pdb);
    } finally {
      sym.cleanup();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  t('SymFindFileInPath through srv*C*S answers the copy in C', async () => {
    const { root, S, C } = tempStore();
    const sym = SymbolHandler.initialize({ searchPath: `srv*${C}*${S}` });
    try {
      sym.setHomeDirectory(root);
      const inC = path.join(C, 'basic-x64.pdb', KEY, 'basic-x64.pdb');
      expect(path.resolve((await sym.findFileInPath({ fileName: 'basic-x64.pdb', id: GUID, two: 1 }))!)).toBe(inC);
      expect(fs.readFileSync(inC).equals(fs.readFileSync(PDB))).toBe(true);
      // An explicit path overrides the handler's: S alone answers S's file.
      expect(path.resolve((await sym.findFileInPath({ searchPath: `srv*${S}`, fileName: 'basic-x64.pdb', id: GUID, two: 1 }))!)).toBe(path.join(S, 'basic-x64.pdb', KEY, 'basic-x64.pdb'));
    } finally {
      sym.cleanup();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  t('SYMOPT_DEBUG: the cache miss is logged in symsrv.dll wording, then the PDB DbgHelp loads', async () => {
    const { root, S, C, image } = tempStore();
    const sym = SymbolHandler.initialize({ searchPath: `cache*${C};srv*${S}` });
    const lines: string[] = [];
    try {
      sym.setHomeDirectory(root);
      sym.setOptions(sym.getOptions() | SymOpt.DEBUG);
      sym.on('debug', (l) => lines.push(...l.split('\n').map((x) => x.trim())));
      await sym.loadModule(image);
      const inC = path.join(C, 'basic-x64.pdb', KEY, 'basic-x64.pdb');
      expect(lines).toEqual(expect.arrayContaining(uncMisses(path.dirname(inC))));
      expect(lines).toContain('DBGHELP: basic-x64 - private symbols & lines');
      expect(lines).toContain(inC);
    } finally {
      sym.cleanup();
    }
  });

  t('SymFindFileInPath finds a PDB by GUID and age and an image by TimeDateStamp and SizeOfImage in a store', async () => {
    const { root, S } = tempStore();
    const sym = SymbolHandler.initialize({ searchPath: `srv*${S}` });
    try {
      sym.setHomeDirectory(root);
      const pdb = await sym.findFileInPath({ fileName: 'basic-x64.pdb', id: GUID, two: 1 });
      expect(path.resolve(pdb!)).toBe(path.join(S, 'basic-x64.pdb', KEY, 'basic-x64.pdb'));
      const img = await sym.findFileInPath({ fileName: 'basic-x64.exe', id: TIMESTAMP, two: SIZE_OF_IMAGE });
      expect(path.resolve(img!)).toBe(path.join(S, 'basic-x64.exe', '982681B88000', 'basic-x64.exe'));
      expect(await sym.findFileInPath({ fileName: 'basic-x64.pdb', id: GUID, two: 7 })).toBeUndefined();
    } finally {
      sym.cleanup();
    }
  });

  // pdbUnmatched stays FALSE: no PDB is in use (Microsoft's dbghelp.dll sets it only for a
  // mismatched PDB it loads, under SYMOPT_LOAD_ANYTHING).
  t('a PDB of another build under the right key is not loaded (no private symbols, pdbUnmatched FALSE)', async () => {
    const { root, S, image } = tempStore();
    fs.copyFileSync(path.join(FIX, 'mismatch', 'basic-x64.pdb'), path.join(S, 'basic-x64.pdb', KEY, 'basic-x64.pdb'));
    const sym = SymbolHandler.initialize({ searchPath: `srv*${S}` });
    try {
      sym.setHomeDirectory(root);
      const base = await sym.loadModule(image);
      const info = sym.getModuleInfo(base)!;
      expect(info.symType).not.toBe(SymType.Pdb);
      expect(info.pdbUnmatched).toBe(false);
      expect(sym.fromName('chain_c')).toBeUndefined();
    } finally {
      sym.cleanup();
    }
  });
});
