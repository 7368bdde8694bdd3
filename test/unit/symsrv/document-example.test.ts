/**
 * The example of Microsoft's "Symbol Paths" page (DbgHelp docs), reproduced against a local
 * store: search path `cache*c:\myCache;srv*\\symbols\symbols`, and the verbose output
 *
 *   DBGHELP: .\ntdll.pdb - file not found
 *   DBGHELP: .\dll\ntdll.pdb - file not found
 *   DBGHELP: .\symbols\dll\ntdll.pdb - file not found
 *   SYMSRV: c:\myCache\ntdll.pdb\0F7FCF88442F4B0E9FB51DC4A754D9DE2\ntdll.pdb not found
 *   SYMSRV: ntdll.pdb from \\symbols\symbols: 10497024 bytes - copied
 *   DBGHELP: c:\myCache\ntdll.pdb\0F7FCF88442F4B0E9FB51DC4A754D9DE2\ntdll.pdb already cached
 *   DBGHELP: ntdll - private symbols & lines
 *           c:\myCache\ntdll.pdb\0F7FCF88442F4B0E9FB51DC4A754D9DE2\ntdll.pdb
 *
 * "The first three lines show the symbol handler processing the first path element of `.`
 * [a standard element]. The fourth line shows [it] using the symbol server to look for the file
 * in [the cache]. The fifth line shows the file is found in [the store]. The sixth line shows
 * that the file is copied to the cache. The last two lines [show] that the file is opened from
 * the cache."
 *
 * The page's fourth line is older symsrv wording: Microsoft's symsrv.dll 10.0.19041.685 (asked
 * under Wine) logs a cache miss as three lines, `SYMSRV:  UNC: <key dir>\ntdll.pdb - path not
 * found`, the same for `ntdll.pd_` and `file.ptr`, and so does the package (unc() below).
 */
import * as fs from 'fs';
import * as path from 'path';
import { SymbolHandler, SymOpt } from '../../../lib';
import { BASIC_X64, listFiles, lonelyImage, putInStore, tempDir } from './helpers';

/** Microsoft's symsrv.dll lines for a miss in a local store whose key directory does not exist. */
function unc(file: string): string[] {
  const name = path.basename(file);
  const dir = file.slice(0, file.length - name.length);
  return [name, `${name.slice(0, -1)}_`, 'file.ptr'].map((n) => `SYMSRV:  UNC: ${dir}${n} - path not found`);
}

const sep = path.sep;

async function load(searchPath: string, root: string, image: string) {
  const lines: string[] = [];
  const sym = SymbolHandler.initialize({ searchPath });
  sym.setOptions(sym.getOptions() | SymOpt.DEBUG);
  sym.setHomeDirectory(path.join(root, 'home'));
  sym.on('debug', (l) => lines.push(l));
  const base = await sym.loadModule(image);
  const info = sym.getModuleInfo(base)!;
  const hit = sym.fromAddr(base + 0x1000n);
  sym.cleanup();
  return { lines, info, hit };
}

describe("the Symbol Paths page's example: cache*C;srv*S", () => {
  test('the log lines come in DbgHelp order and wording, the PDB is opened from the cache, and the cache holds exactly the file', async () => {
    const root = tempDir();
    const S = path.join(root, 'S');
    const C = path.join(root, 'C');
    const stored = putInStore(S, BASIC_X64.pdb, BASIC_X64.pdbKey);
    const image = lonelyImage(root, BASIC_X64.image);
    const inCache = [C, 'basic-x64.pdb', BASIC_X64.pdbKey, 'basic-x64.pdb'].join(sep);
    const size = fs.statSync(BASIC_X64.pdb).size;

    const { lines, info, hit } = await load(`cache*${C};srv*${S}`, root, image);

    expect(lines).toEqual([
      // The image's CodeView record names `basic-x64.pdb` (relative): tried first, not there.
      'DBGHELP: basic-x64.pdb - file not found',
      ...unc(inCache),
      `SYMSRV:  basic-x64.pdb from ${S}: ${size} bytes - copied`,
      `DBGHELP: ${inCache} already cached`,
      'DBGHELP: basic-x64 - private symbols & lines',
      `        ${inCache}`,
    ]);
    expect(info.loadedPdbName).toBe(inCache);
    expect(info.symType).toBe(3 /* SymPdb */);
    expect(hit?.symbol.name).toBe('chain_c'); // test/fixtures/expected/basic-x64.symbolizer.jsonl: RVA 0x1000
    // The cache holds the file, byte for byte, and nothing else (no temporary file, no lock).
    expect(listFiles(C)).toEqual([`basic-x64.pdb/${BASIC_X64.pdbKey}/basic-x64.pdb`]);
    expect(fs.readFileSync(inCache).equals(fs.readFileSync(stored))).toBe(true);
  });

  test("with a standard element first (the page's `.`): D, D\\exe, D\\symbols\\exe are tried before the cache", async () => {
    const root = tempDir();
    const S = path.join(root, 'S');
    const C = path.join(root, 'C');
    const D = path.join(root, 'D');
    fs.mkdirSync(D);
    putInStore(S, BASIC_X64.pdb, BASIC_X64.pdbKey);
    const image = lonelyImage(root, BASIC_X64.image);
    const inCache = [C, 'basic-x64.pdb', BASIC_X64.pdbKey, 'basic-x64.pdb'].join(sep);
    const size = fs.statSync(BASIC_X64.pdb).size;

    const { lines } = await load(`${D};cache*${C};srv*${S}`, root, image);
    expect(lines).toEqual([
      'DBGHELP: basic-x64.pdb - file not found',
      `DBGHELP: ${D}${sep}basic-x64.pdb - file not found`,
      `DBGHELP: ${D}${sep}exe${sep}basic-x64.pdb - file not found`,
      `DBGHELP: ${D}${sep}symbols${sep}exe${sep}basic-x64.pdb - file not found`,
      ...unc(inCache),
      `SYMSRV:  basic-x64.pdb from ${S}: ${size} bytes - copied`,
      `DBGHELP: ${inCache} already cached`,
      'DBGHELP: basic-x64 - private symbols & lines',
      `        ${inCache}`,
    ]);
  });

  test('a second load finds the file in the cache: no copy, "already cached"', async () => {
    const root = tempDir();
    const S = path.join(root, 'S');
    const C = path.join(root, 'C');
    putInStore(S, BASIC_X64.pdb, BASIC_X64.pdbKey);
    const image = lonelyImage(root, BASIC_X64.image);
    const inCache = [C, 'basic-x64.pdb', BASIC_X64.pdbKey, 'basic-x64.pdb'].join(sep);
    await load(`cache*${C};srv*${S}`, root, image);
    fs.rmSync(S, { recursive: true }); // the store is gone: only the cache can answer
    const { lines, info } = await load(`cache*${C};srv*${S}`, root, image);
    expect(lines).toEqual(['DBGHELP: basic-x64.pdb - file not found', `DBGHELP: ${inCache} already cached`, 'DBGHELP: basic-x64 - private symbols & lines', `        ${inCache}`]);
    expect(info.loadedPdbName).toBe(inCache);
  });
});
