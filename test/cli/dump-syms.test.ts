/**
 * `dbghelp dump-syms` on the built bin (`npm run build` first): a PDB to stdout, an image whose
 * PDB is found on the symbol path to -o FILE and to --store DIR, read back with the package's
 * .sym reader and checked against the PDB through SymbolHandler; a corpus PDB against its
 * DIA-made crash.sym (MODULE, INFO CODE_ID, the FUNC and PUBLIC addresses).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SymbolHandler } from '../../lib';
import { parseBreakpadSymbols } from '../../lib/formats/breakpad';
import { corpusPath, describeCorpus } from '../helpers/corpus';

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'dbghelp.js');
const DUMPS_BIN = path.join(ROOT, 'test', 'fixtures', 'dumps', 'bin');
const run = (args: string[]) => {
  const p = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  return { code: p.status, out: p.stdout, err: p.stderr };
};

let tmp: string;
beforeAll(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dump-syms-'))));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('an image: its PDB found beside it, the .sym written to -o, every FUNC answering as the PDB does', async () => {
  const out = path.join(tmp, 'crashes.sym');
  const r = run(['dump-syms', path.join(DUMPS_BIN, 'crashes-x64.exe'), '-o', out, '--json', '--symbol-path', '']);
  expect(r.code).toBe(0);
  const summary = JSON.parse(r.out);
  expect(summary).toMatchObject({ path: out, module: { os: 'windows', arch: 'x86_64', name: 'crashes-x64.pdb' }, codeId: '8D58758711000' });
  const text = fs.readFileSync(out, 'utf8');
  expect(text.split('\n', 2)).toEqual([`MODULE windows x86_64 ${summary.module.id} crashes-x64.pdb`, 'INFO CODE_ID 8D58758711000 crashes-x64.exe']);
  const syms = parseBreakpadSymbols(text);
  const sym = SymbolHandler.initialize({ searchPath: '' });
  try {
    const base = await sym.loadModule(path.join(DUMPS_BIN, 'crashes-x64.exe'));
    const funcs = [...text.matchAll(/^FUNC (?:m )?([0-9a-f]+) [0-9a-f]+ [0-9a-f]+ (.+)$/gm)];
    expect(funcs.length).toBe(summary.functions);
    let hidden = 0;
    for (const [, rva, name] of funcs) {
      const at = parseInt(rva, 16);
      const ours = syms.lookup(at);
      const pdb = sym.fromAddr(base + BigInt(at));
      const line = sym.getLineFromAddr(base + BigInt(at));
      expect(ours?.functionRva).toBe(at);
      if (name.includes('@')) {
        // A procedure named with an `@` (clang's SEH filter `?filt$0@0@seh_guard@@`) is none of
        // dbghelp.dll's symbols: at 0x1300 it answers the public before it, seh_guard+48, tag 10
        // (msoracle, dbghelp.dll 10.0.19041.685); Breakpad's FUNC keeps it (DIA lists it).
        expect([at, pdb?.symbol.name, pdb?.displacement, pdb?.symbol.tag]).toEqual([0x1300, 'seh_guard', 48n, 10]);
        hidden++;
        continue;
      }
      expect(pdb?.displacement).toBe(0n);
      // C functions: Breakpad's name is the record's, as SymFromAddr's, except that DIA writes
      // internal (static) functions with a signature built from their type. (Lines can differ at
      // a function's first byte: dump_syms drops zero-length line records, DbgHelp answers the first.)
      expect(ours?.function.replace(/^static .*?([^\s*&]+)\(.*\)$/, '$1')).toBe(pdb?.symbol.name);
      if (line) expect(ours?.line).toBeGreaterThan(0);
    }
    expect(hidden).toBe(1);
  } finally {
    sym.cleanup();
  }
});

test('--store writes name.pdb/<ID>/name.sym; stdout without -o', () => {
  const store = path.join(tmp, 'store');
  const r = run(['dump-syms', path.join(DUMPS_BIN, 'crashes-x64.pdb'), '--store', store]);
  expect(r.code).toBe(0);
  const written = r.out.trim();
  expect(path.relative(store, written).split(path.sep)).toEqual(['crashes-x64.pdb', expect.stringMatching(/^[0-9A-F]{33}$/), 'crashes-x64.sym']);
  const stdout = run(['dump-syms', path.join(DUMPS_BIN, 'crashes-x64.pdb')]);
  expect(stdout.out).toBe(fs.readFileSync(written, 'utf8'));
});

test('an image without a PDB: exit 1 and the reason; usage errors in one line', () => {
  const r = run(['dump-syms', path.join(ROOT, 'test', 'fixtures', 'noPdb', 'exports-x64.dll'), '--symbol-path', '']);
  expect(r.code).toBe(1);
  expect(r.err).toMatch(/^dbghelp: .*exports-x64.*not found/m);
  const u = run(['dump-syms']);
  expect(u.code).toBe(2);
  expect(u.err.trim().split('\n')).toHaveLength(1);
});

describeCorpus('dump-syms on a corpus PDB', () => {
  test('crash.pdb: MODULE, CODE_ID and the FUNC and PUBLIC addresses of the DIA-made crash.sym', () => {
    const dir = corpusPath('getsentry_symbolic/symbolic-testutils/fixtures/windows');
    const r = run(['dump-syms', path.join(dir, 'crash.pdb')]);
    expect(r.code).toBe(0);
    const want = fs.readFileSync(path.join(dir, 'crash.sym'), 'utf8');
    const first = (t: string, re: RegExp) => t.split('\n').filter((l) => re.test(l));
    expect(first(r.out, /^(MODULE|INFO CODE_ID)/)).toEqual(first(want, /^(MODULE|INFO CODE_ID)/));
    const addrs = (t: string, kind: string) =>
      first(t, new RegExp(`^${kind} `))
        .map((l) => l.split(' ').find((w, i) => i > 0 && w !== 'm'))
        .sort();
    expect(addrs(r.out, 'FUNC')).toEqual(addrs(want, 'FUNC'));
    expect(addrs(r.out, 'PUBLIC')).toEqual(addrs(want, 'PUBLIC'));
  });
});
