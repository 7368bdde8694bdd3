/**
 * The symbol search through synthetic stores built from the committed fixtures: chains and
 * cascades, the default downstream store, pingme.txt, two-tier stores, file.ptr, mismatches,
 * the SYMOPT_* that change the search, cancellation and faults (after every fault a cache
 * holds the right file or nothing).
 */
import * as fs from 'fs';
import * as path from 'path';
import { DbgHelpError, SymbolHandler, SymOpt, SymType } from '../../../lib';
import { writeCab } from '../../../lib/formats/cab';
import { searchFile } from '../../../lib/symsrv/search';
import { BASIC_X64, bin, FIX, listFiles, lonelyImage, putInStore, tempDir } from './helpers';

/** Microsoft's symsrv.dll lines for a miss in a local store whose key directory does not exist. */
function unc(file: string): string[] {
  const name = path.basename(file);
  const dir = file.slice(0, file.length - name.length);
  return [name, `${name.slice(0, -1)}_`, 'file.ptr'].map((n) => `SYMSRV:  UNC: ${dir}${n} - path not found`);
}

const sep = path.sep;
const j = (...p: string[]) => p.join(sep);
const PDB = 'basic-x64.pdb';
const KEY = BASIC_X64.pdbKey;
const SIZE = fs.statSync(BASIC_X64.pdb).size;

interface Loaded {
  lines: string[];
  info: ReturnType<SymbolHandler['getModuleInfo']>;
  status: ReturnType<SymbolHandler['getModuleStatus']>;
  chainC?: string;
}

async function load(searchPath: string, root: string, image: string, extra = 0, opts: { signal?: AbortSignal; onProgress?: (p: { bytes: number }) => void } = {}): Promise<Loaded> {
  const lines: string[] = [];
  const sym = SymbolHandler.initialize({ searchPath });
  try {
    sym.setOptions(sym.getOptions() | SymOpt.DEBUG | extra);
    sym.setHomeDirectory(path.join(root, 'home'));
    sym.on('debug', (l) => lines.push(l));
    const base = await sym.loadModule(image, opts);
    return { lines, info: sym.getModuleInfo(base), status: sym.getModuleStatus(base), chainC: sym.fromAddr(base + 0x1000n)?.symbol.name };
  } finally {
    sym.cleanup();
  }
}

function setup() {
  const root = tempDir();
  return { root, image: lonelyImage(root, BASIC_X64.image), d: (n: string) => path.join(root, n) };
}

describe('srv* chains', () => {
  test('srv*A*B*S: found in S, copied into B then A, opened from A', async () => {
    const { root, image, d } = setup();
    putInStore(d('S'), BASIC_X64.pdb, KEY);
    const { lines, info, chainC } = await load(`srv*${d('A')}*${d('B')}*${d('S')}`, root, image);
    const inA = j(d('A'), PDB, KEY, PDB);
    const inB = j(d('B'), PDB, KEY, PDB);
    expect(lines).toEqual([
      `DBGHELP: ${PDB} - file not found`,
      ...unc(inA),
      ...unc(inB),
      `SYMSRV:  ${PDB} from ${d('S')}: ${SIZE} bytes - copied`,
      `SYMSRV:  ${PDB} from ${d('B')}: ${SIZE} bytes - copied`,
      `DBGHELP: ${inA} already cached`,
      'DBGHELP: basic-x64 - private symbols & lines',
      `        ${inA}`,
    ]);
    expect(info?.loadedPdbName).toBe(inA);
    expect(chainC).toBe('chain_c');
    expect(listFiles(d('A'))).toEqual([`${PDB}/${KEY}/${PDB}`]);
    expect(listFiles(d('B'))).toEqual([`${PDB}/${KEY}/${PDB}`]);
  });

  test('srv*A*B*S: found in B, copied into A only; S is never asked', async () => {
    const { root, image, d } = setup();
    putInStore(d('B'), BASIC_X64.pdb, KEY);
    const { lines, info } = await load(`srv*${d('A')}*${d('B')}*${d('S')}`, root, image);
    expect(lines.filter((l) => l.startsWith('SYMSRV'))).toEqual([...unc(j(d('A'), PDB, KEY, PDB)), `SYMSRV:  ${PDB} from ${d('B')}: ${SIZE} bytes - copied`]);
    expect(info?.loadedPdbName).toBe(j(d('A'), PDB, KEY, PDB));
    expect(fs.existsSync(d('S'))).toBe(false);
  });

  test('srv*S alone (a local store): the file is opened where it lies, nothing is copied', async () => {
    const { root, image, d } = setup();
    const stored = putInStore(d('S'), BASIC_X64.pdb, KEY);
    const { lines, info } = await load(`srv*${d('S')}`, root, image);
    expect(info?.loadedPdbName).toBe(stored);
    expect(lines).toEqual([`DBGHELP: ${PDB} - file not found`, 'DBGHELP: basic-x64 - private symbols & lines', `        ${stored}`]);
    expect(fs.existsSync(d('home'))).toBe(false);
  });

  test('srv**S: the blank downstream store is <home>/sym (setHomeDirectory)', async () => {
    const { root, image, d } = setup();
    putInStore(d('S'), BASIC_X64.pdb, KEY);
    const { info } = await load(`srv**${d('S')}`, root, image);
    expect(info?.loadedPdbName).toBe(j(d('home'), 'sym', PDB, KEY, PDB));
  });

  test('cache* before srv*A*S: found in S, copied into A and into the cache, opened from the cache (leftmost)', async () => {
    const { root, image, d } = setup();
    putInStore(d('S'), BASIC_X64.pdb, KEY);
    const { lines, info } = await load(`cache*${d('C')};srv*${d('A')}*${d('S')}`, root, image);
    expect(lines.slice(1, 10)).toEqual([
      ...unc(j(d('C'), PDB, KEY, PDB)),
      ...unc(j(d('A'), PDB, KEY, PDB)),
      `SYMSRV:  ${PDB} from ${d('S')}: ${SIZE} bytes - copied`,
      `SYMSRV:  ${PDB} from ${d('A')}: ${SIZE} bytes - copied`,
      `DBGHELP: ${j(d('C'), PDB, KEY, PDB)} already cached`,
    ]);
    expect(info?.loadedPdbName).toBe(j(d('C'), PDB, KEY, PDB));
  });

  test('cache* keeps a copy of a file found in a plain directory further right', async () => {
    const { root, image, d } = setup();
    fs.mkdirSync(d('D'));
    fs.copyFileSync(BASIC_X64.pdb, path.join(d('D'), PDB));
    const { info } = await load(`cache*${d('C')};${d('D')}`, root, image);
    expect(info?.loadedPdbName).toBe(j(d('C'), PDB, KEY, PDB));
  });
});

describe('store layouts', () => {
  test('a directory with pingme.txt is searched as srv*; SYMOPT_DISABLE_SYMSRV_AUTODETECT makes it a plain directory again', async () => {
    const { root, image, d } = setup();
    const stored = putInStore(d('S'), BASIC_X64.pdb, KEY);
    fs.writeFileSync(path.join(d('S'), 'pingme.txt'), '');
    expect((await load(d('S'), root, image)).info?.loadedPdbName).toBe(stored);
    const plain = await load(d('S'), root, image, SymOpt.DISABLE_SYMSRV_AUTODETECT);
    expect(plain.info?.symType).toBe(SymType.None); // basic-x64.exe has no exports
    expect(plain.lines).toContain(`DBGHELP: ${j(d('S'), PDB)} - file not found`);
  });

  test('two-tier store (index2.txt): files under the first two letters of their name', async () => {
    const { root, image, d } = setup();
    const stored = putInStore(d('S'), BASIC_X64.pdb, KEY, { twoTier: true });
    fs.writeFileSync(path.join(d('S'), 'index2.txt'), 'two-tier');
    expect(stored).toBe(j(d('S'), 'ba', PDB, KEY, PDB));
    expect((await load(`srv*${d('S')}`, root, image)).info?.loadedPdbName).toBe(stored);
  });

  test('a key written in upper case by another tool is found too', async () => {
    const { d } = setup();
    const sym = SymbolHandler.initialize({ searchPath: `srv*${d('S')}` });
    try {
      // basic-x64.exe: TimeDateStamp 0x982681B8, SizeOfImage 0x8000; pretend SizeOfImage 0xc000.
      const wrongCase = putInStore(d('S'), BASIC_X64.image, '982681B8C000');
      sym.setOptions(sym.getOptions() | SymOpt.LOAD_ANYTHING);
      expect(await sym.findFileInPath({ fileName: 'basic-x64.exe', id: 0x982681b8, two: 0xc000 })).toBe(wrongCase);
    } finally {
      sym.cleanup();
    }
  });

  test('file.ptr PATH: is followed (and copied into the downstream store); MSG: is logged and the search goes on', async () => {
    const { root, image, d } = setup();
    fs.mkdirSync(d('elsewhere'));
    const target = path.join(d('elsewhere'), 'real.pdb');
    fs.copyFileSync(BASIC_X64.pdb, target);
    const ptrDir = path.join(d('S'), PDB, KEY);
    fs.mkdirSync(ptrDir, { recursive: true });
    fs.writeFileSync(path.join(ptrDir, 'file.ptr'), `PATH:${target}\r\n`);
    const followed = await load(`srv*${d('C')}*${d('S')}`, root, image);
    expect(followed.lines).toContain(`SYMSRV:  ${j(ptrDir, 'file.ptr')}: PATH: ${target}`);
    expect(followed.info?.loadedPdbName).toBe(j(d('C'), PDB, KEY, PDB));

    fs.writeFileSync(path.join(ptrDir, 'file.ptr'), 'MSG: withdrawn by the build team');
    const told = await load(`srv*${d('S')};${d('fallback')}`, root, image);
    expect(told.lines).toContain(`SYMSRV:  ${j(ptrDir, 'file.ptr')}: MSG: withdrawn by the build team`);
    expect(told.lines).toContain(`DBGHELP: ${j(d('fallback'), PDB)} - file not found`);
    expect(told.info?.symType).toBe(SymType.None);
  });

  test('a compressed .pd_ (written by our CAB writer) is expanded into the downstream store', async () => {
    const { root, image, d } = setup();
    const cab = writeCab([{ name: PDB, data: fs.readFileSync(BASIC_X64.pdb) }]);
    putInStore(d('S'), BASIC_X64.pdb, KEY, { as: 'basic-x64.pd_', data: cab });
    const { lines, info } = await load(`srv*${d('C')}*${d('S')}`, root, image);
    expect(lines).toContain(`SYMSRV:  ${PDB} from ${d('S')}: ${SIZE} bytes - copied`);
    expect(fs.readFileSync(info!.loadedPdbName).equals(fs.readFileSync(BASIC_X64.pdb))).toBe(true);
  });
});

describe('matching', () => {
  test('a PDB of another build filed under the image key is refused: logged, not cached, status mismatched, exports fallback', async () => {
    const { root, image, d } = setup();
    const wrong = putInStore(d('S'), path.join(FIX, 'mismatch', PDB), KEY);
    const { lines, info, status } = await load(`srv*${d('C')}*${d('S')}`, root, image);
    expect(lines).toContain(`DBGHELP: ${wrong} - mismatched pdb`);
    // pdbUnmatched is for a PDB in use that does not match (Microsoft's dbghelp.dll): none here.
    expect(info?.pdbUnmatched).toBe(false);
    expect(status?.kind).toBe('mismatched');
    expect(info?.symType).toBe(SymType.None);
    expect(listFiles(d('C'))).toEqual([]);
  });

  test('SYMOPT_LOAD_ANYTHING takes the first file found, matching or not', async () => {
    const { root, image, d } = setup();
    const wrong = putInStore(d('S'), path.join(FIX, 'mismatch', PDB), KEY);
    const { info, chainC } = await load(`srv*${d('S')}`, root, image, SymOpt.LOAD_ANYTHING);
    expect(info?.loadedPdbName).toBe(wrong);
    expect(info?.pdbUnmatched).toBe(true);
    expect(chainC).toBe('variant_only'); // the mismatched build's function at RVA 0x1000 (test/fixtures/README.md)
  });

  test('a mismatched PDB in a directory does not stop the search: the right one further on is used', async () => {
    const { root, image, d } = setup();
    fs.mkdirSync(d('D'));
    fs.copyFileSync(path.join(FIX, 'mismatch', PDB), path.join(d('D'), PDB));
    const stored = putInStore(d('S'), BASIC_X64.pdb, KEY);
    const { lines, info } = await load(`${d('D')};srv*${d('S')}`, root, image);
    expect(lines).toContain(`DBGHELP: ${j(d('D'), PDB)} - mismatched pdb`);
    expect(info?.loadedPdbName).toBe(stored);
    expect(info?.pdbUnmatched).toBe(false);
  });
});

describe('options and order', () => {
  test('the image directory is searched after the path; SYMOPT_IGNORE_IMAGEDIR skips it', async () => {
    const { root, d } = setup();
    const image = lonelyImage(root, BASIC_X64.image);
    fs.copyFileSync(BASIC_X64.pdb, path.join(path.dirname(image), PDB));
    const found = await load(d('D'), root, image);
    expect(found.lines.slice(0, 4)).toEqual([
      `DBGHELP: ${PDB} - file not found`,
      `DBGHELP: ${j(d('D'), PDB)} - file not found`,
      `DBGHELP: ${j(d('D'), 'exe', PDB)} - file not found`,
      `DBGHELP: ${j(d('D'), 'symbols', 'exe', PDB)} - file not found`,
    ]);
    expect(found.info?.loadedPdbName).toBe(j(path.dirname(image), PDB));
    expect((await load(d('D'), root, image, SymOpt.IGNORE_IMAGEDIR)).info?.symType).toBe(SymType.None);
  });

  test('the CodeView path is tried first (relative: from the current directory); SYMOPT_IGNORE_CVREC skips it', async () => {
    const { root, image, d } = setup();
    fs.mkdirSync(d('cwd'));
    fs.copyFileSync(BASIC_X64.pdb, path.join(d('cwd'), PDB));
    const cwd = process.cwd();
    try {
      process.chdir(d('cwd'));
      const first = await load(d('D'), root, image);
      expect(first.lines).toEqual(['DBGHELP: basic-x64 - private symbols & lines', `        ${PDB}`]);
      const ignored = await load(d('D'), root, image, SymOpt.IGNORE_CVREC);
      expect(ignored.lines[0]).toBe(`DBGHELP: ${j(d('D'), PDB)} - file not found`);
      expect(ignored.info?.symType).toBe(SymType.None);
    } finally {
      process.chdir(cwd);
    }
  });

  test('no PDB: the export table, unless SYMOPT_EXACT_SYMBOLS ("do not load export symbols if all else fails")', async () => {
    const { root, d } = setup();
    const dll = lonelyImage(root, path.join(FIX, 'noPdb', 'exports-x64.dll'));
    const exports = await load(d('D'), root, dll);
    expect(exports.info?.symType).toBe(SymType.Export);
    expect(exports.lines.at(-1)).toBe('DBGHELP: exports-x64 - export symbols');
    const exact = await load(d('D'), root, dll, SymOpt.EXACT_SYMBOLS);
    expect(exact.info?.symType).toBe(SymType.None);
    expect(exact.info?.numSyms).toBe(0);
    expect(exact.lines.at(-1)).toBe('DBGHELP: exports-x64 - no symbols loaded');
  });

  test('SYMOPT_FLAT_DIRECTORY: the default downstream store keeps files at its root', async () => {
    const { root, image, d } = setup();
    putInStore(d('S'), BASIC_X64.pdb, KEY);
    const { info } = await load(`srv**${d('S')}`, root, image, SymOpt.FLAT_DIRECTORY);
    expect(info?.loadedPdbName).toBe(j(d('home'), 'sym', PDB));
  });

  test('a Windows path in the CodeView record is reported not found without touching the file system (POSIX)', async () => {
    if (process.platform === 'win32') return;
    const lines: string[] = [];
    const found = await searchFile(
      '',
      { fileName: 'x.pdb', identity: { kind: 'any' }, first: ['C:\\build\\x.pdb', '\\\\server\\share\\x.pdb'] },
      { options: 0, homeDirectory: tempDir(), debug: (l) => lines.push(l) },
    );
    expect(found).toBeUndefined();
    expect(lines).toEqual(['DBGHELP: C:\\build\\x.pdb - file not found', 'DBGHELP: \\\\server\\share\\x.pdb - file not found']);
  });
});

describe('the environment (SymInitialize with a NULL path)', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const k of ['_NT_SYMBOL_PATH', '_NT_ALT_SYMBOL_PATH', '_NT_ALTERNATE_SYMBOL_PATH']) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });

  test('getSearchPath: ".;_NT_SYMBOL_PATH;_NT_ALT_SYMBOL_PATH"; a user path ignores them; SYMOPT_IGNORE_NT_SYMPATH drops them on the next SymSetSearchPath(NULL)', () => {
    process.env._NT_SYMBOL_PATH = '/main';
    process.env._NT_ALT_SYMBOL_PATH = '/alt';
    delete process.env._NT_ALTERNATE_SYMBOL_PATH;
    const sym = SymbolHandler.initialize();
    try {
      expect(sym.getSearchPath()).toBe('.;/main;/alt');
      sym.setSearchPath('/mine');
      expect(sym.getSearchPath()).toBe('/mine');
      sym.setOptions(sym.getOptions() | SymOpt.IGNORE_NT_SYMPATH);
      sym.setSearchPath(null);
      expect(sym.getSearchPath()).toBe('.');
    } finally {
      sym.cleanup();
    }
  });

  test('_NT_SYMBOL_PATH is searched before _NT_ALT_SYMBOL_PATH', async () => {
    const { root, image, d } = setup();
    const inMain = putInStore(d('main'), BASIC_X64.pdb, KEY);
    putInStore(d('alt'), BASIC_X64.pdb, KEY);
    process.env._NT_SYMBOL_PATH = `srv*${d('main')}`;
    process.env._NT_ALTERNATE_SYMBOL_PATH = `srv*${d('alt')}`;
    const sym = SymbolHandler.initialize();
    try {
      sym.setHomeDirectory(path.join(root, 'home'));
      const base = await sym.loadModule(image);
      expect(sym.getModuleInfo(base)?.loadedPdbName).toBe(inMain);
    } finally {
      sym.cleanup();
    }
  });
});

describe('cancellation and faults: a cache holds the right file or nothing', () => {
  test('aborting during the copy: ABORTED, and the cache has no file, no temporary file, no lock', async () => {
    const { root, image, d } = setup();
    putInStore(d('S'), BASIC_X64.pdb, KEY);
    const ac = new AbortController();
    const p = load(`srv*${d('C')}*${d('S')}`, root, image, 0, { signal: ac.signal, onProgress: () => ac.abort(new Error('user pressed ^C')) });
    await expect(p).rejects.toMatchObject({ name: 'DbgHelpError', code: 'ABORTED' });
    expect(listFiles(d('C'))).toEqual([]);
  });

  test('a truncated .pd_ is BAD_FORMAT inside: logged, nothing cached, the search goes on to the next element', async () => {
    const { root, image, d } = setup();
    const cab = writeCab([{ name: PDB, data: fs.readFileSync(BASIC_X64.pdb) }]);
    putInStore(d('S'), BASIC_X64.pdb, KEY, { as: 'basic-x64.pd_', data: cab.subarray(0, cab.length >> 1) });
    const good = putInStore(d('T'), BASIC_X64.pdb, KEY);
    const { lines, info } = await load(`srv*${d('C')}*${d('S')};srv*${d('T')}`, root, image);
    expect(lines.some((l) => l.startsWith('SYMSRV:  ') && /basic-x64\.pd_/.test(l))).toBe(true);
    expect(info?.loadedPdbName).toBe(good);
    expect(listFiles(d('C'))).toEqual([]);
  });

  test('a cache that cannot be written: logged, the element fails, the search goes on', async () => {
    const { root, image, d } = setup();
    putInStore(d('S'), BASIC_X64.pdb, KEY);
    fs.writeFileSync(d('C'), 'a file where the cache directory should be');
    const good = putInStore(d('T'), BASIC_X64.pdb, KEY);
    const { lines, info } = await load(`srv*${d('C')}*${d('S')};srv*${d('T')}`, root, image);
    expect(lines.some((l) => /^SYMSRV: {2}cannot create/.test(l))).toBe(true);
    expect(info?.loadedPdbName).toBe(good);
  });

  test('two handlers loading the same missing PDB at once copy it once and both load it', async () => {
    const { root, image, d } = setup();
    putInStore(d('S'), BASIC_X64.pdb, KEY);
    const [a, b] = await Promise.all([load(`srv*${d('C')}*${d('S')}`, root, image), load(`srv*${d('C')}*${d('S')}`, root, image)]);
    const copies = [...a.lines, ...b.lines].filter((l) => l.endsWith('bytes - copied'));
    expect(copies).toHaveLength(1);
    expect(a.info?.loadedPdbName).toBe(j(d('C'), PDB, KEY, PDB));
    expect(b.info?.loadedPdbName).toBe(j(d('C'), PDB, KEY, PDB));
    expect(listFiles(d('C'))).toEqual([`${PDB}/${KEY}/${PDB}`]);
  });

  test('an aborted signal before the load is ABORTED', async () => {
    const { root, image } = setup();
    const ac = new AbortController();
    ac.abort();
    await expect(load('', root, image, 0, { signal: ac.signal })).rejects.toBeDefined();
  });
});

describe('findFileInPath (SymFindFileInPath)', () => {
  test('a PDB by GUID and age, an image by TimeDateStamp and SizeOfImage (in D\\exe), a .dbg by its header', async () => {
    const { root, d } = setup();
    const stored = putInStore(d('S'), BASIC_X64.pdb, KEY);
    fs.mkdirSync(path.join(d('D'), 'exe'), { recursive: true });
    fs.copyFileSync(BASIC_X64.image, path.join(d('D'), 'exe', 'basic-x64.exe'));
    // IMAGE_SEPARATE_DEBUG_HEADER: 'DI', flags, machine 0x8664, characteristics, TimeDateStamp, CheckSum, ImageBase, SizeOfImage, ...
    const dbg = Buffer.alloc(48);
    dbg.writeUInt16LE(0x4944, 0);
    dbg.writeUInt16LE(0x8664, 4);
    dbg.writeUInt32LE(0x12345678, 8);
    dbg.writeUInt32LE(0x1a000, 20);
    const dbgStored = putInStore(d('S'), '', '123456781a000', { name: 'old.dbg', data: dbg });

    const lines: string[] = [];
    const sym = SymbolHandler.initialize({ searchPath: `${d('D')};srv*${d('S')}` });
    try {
      sym.setHomeDirectory(path.join(root, 'home'));
      sym.setOptions(sym.getOptions() | SymOpt.DEBUG);
      sym.on('debug', (l) => lines.push(l));
      expect(await sym.findFileInPath({ fileName: PDB, id: BASIC_X64.guid, two: 1 })).toBe(stored);
      expect(await sym.findFileInPath({ fileName: PDB, id: BASIC_X64.guid.toLowerCase().replace(/-/g, ''), two: 1 })).toBe(stored);
      expect(await sym.findFileInPath({ fileName: 'basic-x64.exe', id: 0x982681b8, two: 0x8000 })).toBe(j(d('D'), 'exe', 'basic-x64.exe'));
      expect(await sym.findFileInPath({ fileName: 'old.dbg', id: 0x12345678, two: 0x1a000 })).toBe(dbgStored);
      // Wrong identities: nothing, and the wrong file is named in the log.
      lines.length = 0;
      expect(await sym.findFileInPath({ fileName: 'basic-x64.exe', id: 0x982681b8, two: 0x9000 })).toBeUndefined();
      expect(lines).toContain(`DBGHELP: ${j(d('D'), 'exe', 'basic-x64.exe')} - mismatched exe`);
      expect(await sym.findFileInPath({ fileName: PDB, id: BASIC_X64.guid, two: 2 })).toBeUndefined();
      // A search path given to the call replaces the handler's.
      expect(await sym.findFileInPath({ searchPath: d('nowhere'), fileName: PDB, id: BASIC_X64.guid, two: 1 })).toBeUndefined();
      await expect(sym.findFileInPath({ fileName: PDB, id: 'zz', two: 1 })).rejects.toBeInstanceOf(DbgHelpError);
    } finally {
      sym.cleanup();
    }
  });

  test('home directory: DBGHELP_HOMEDIR or the user home by default; setHomeDirectory(null) resets', () => {
    const sym = SymbolHandler.initialize();
    try {
      const def = sym.getHomeDirectory();
      expect(def).toBe(process.env.DBGHELP_HOMEDIR || require('os').homedir());
      expect(sym.setHomeDirectory('/x/y')).toBe('/x/y');
      expect(sym.getHomeDirectory()).toBe('/x/y');
      expect(sym.setHomeDirectory(null)).toBe(def);
    } finally {
      sym.cleanup();
    }
  });
});

void bin;
