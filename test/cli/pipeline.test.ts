/**
 * The built bin in pipelines (issue 10, item 3): a co-process that waits for each answer, bad
 * lines that do not stop the rest, module+0xOFFSET / module!symbol inputs, module maps, a PDB
 * alone, EPIPE, --help on every subcommand, --version, one-line usage errors, --json everywhere,
 * find --debug-id, one warning per module without symbols and --verbose's search log.
 * Needs `npm run build` (dist/) first, as the installed package runs dist/.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { corpusPath, describeCorpus } from '../helpers/corpus';

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'dbghelp.js');
const FIX = path.join(ROOT, 'test', 'fixtures', 'bin');
const fx = (f: string) => path.join(FIX, f);

function run(args: string[], input = ''): { code: number | null; out: string; err: string } {
  const p = spawnSync(process.execPath, [BIN, ...args], { input, encoding: 'utf8' });
  return { code: p.status, out: p.stdout, err: p.stderr };
}
const rows = (out: string) =>
  out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));

describe('symbolize as a co-process', () => {
  test('sends one address, reads its answer, then sends the next (stdin stays open)', async () => {
    const child = spawn(process.execPath, [BIN, 'symbolize', '--image', fx('basic-x64.exe'), '--json'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let buf = '';
    const waiters: ((line: string) => void)[] = [];
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      buf += d;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        waiters.shift()?.(line);
      }
    });
    const ask = (q: string) =>
      new Promise<Record<string, unknown>>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no answer to ${q} within 10 s`)), 10_000);
        waiters.push((l) => {
          clearTimeout(t);
          resolve(JSON.parse(l));
        });
        child.stdin.write(q + '\n');
      });
    expect(await ask('0x140001000')).toMatchObject({ address: '0x140001000', symbol: 'chain_c', displacement: 0 });
    expect(await ask('nonsense')).toMatchObject({ input: 'nonsense', error: expect.stringMatching(/not an address/) });
    expect(await ask('basic-x64!chain_b')).toMatchObject({ input: 'basic-x64!chain_b', symbol: 'chain_b', displacement: 0 });
    const exited = new Promise<number | null>((r) => child.on('close', r));
    child.stdin.end();
    expect(await exited).toBe(2); // one bad line
  });
});

describe('symbolize inputs', () => {
  test('a bad line gets an error row; every good line is still answered; exit 2', () => {
    const r = run(['symbolize', '--image', fx('basic-x64.exe'), '--json'], '0x140001000\n0xZZ\n\n0x140001000 junk\n0x140001004\n');
    expect(r.code).toBe(2);
    expect(rows(r.out)).toEqual([
      expect.objectContaining({ address: '0x140001000', symbol: 'chain_c' }),
      { input: '0xZZ', error: expect.stringMatching(/not an address/) },
      { input: '0x140001000 junk', error: expect.stringMatching(/not an address/) },
      expect.objectContaining({ address: '0x140001004', symbol: 'chain_c', displacement: 4 }),
    ]);
  });

  test('text mode: a bad line is one stderr line naming its line number', () => {
    const r = run(['symbolize', '--image', fx('basic-x64.exe')], '0x140001000\nzzz\n0x140001004\n');
    expect(r.code).toBe(2);
    expect(r.out.trim().split('\n')).toHaveLength(2);
    expect(r.err).toBe("dbghelp: input line 2: 'zzz' is not an address (0x140001000), module+0xOFFSET or module!symbol\n");
  });

  test('module+0xOFFSET and module!symbol; an unknown module is an error row', () => {
    const r = run(['symbolize', '--image', fx('basic-x64.exe'), '--json', 'basic-x64+0x1000', 'BASIC-X64.EXE+0x1004', 'basic-x64!chain_a', 'basic-x64!no_such_fn', 'other+0x10']);
    const [a, b, c, d, e] = rows(r.out);
    expect(a).toMatchObject({ input: 'basic-x64+0x1000', address: '0x140001000', module: 'basic-x64', symbol: 'chain_c', displacement: 0 });
    expect(b).toMatchObject({ address: '0x140001004', symbol: 'chain_c', displacement: 4 });
    expect(c).toMatchObject({ input: 'basic-x64!chain_a', symbol: 'chain_a', displacement: 0 });
    expect(d).toMatchObject({ input: 'basic-x64!no_such_fn', address: null, symbol: null });
    expect(e).toEqual({ input: 'other+0x10', error: "no module 'other' is loaded (loaded: basic-x64)" });
    expect(r.code).toBe(2);
  });

  test('several --image: a module map, each address answered from its module', () => {
    const r = run(['symbolize', '--image', fx('basic-x64.exe'), '--image', `${fx('cppfeatures-x64.exe')}@0x180000000`, '--json', '0x140001000', '0x180001000', 'cppfeatures-x64+0x1000']);
    expect(r.code).toBe(0);
    const [a, b, c] = rows(r.out);
    expect(a).toMatchObject({ module: 'basic-x64', symbol: 'chain_c' });
    expect(b).toMatchObject({ module: 'cppfeatures-x64', symbol: 'geometry::scale' });
    expect(c).toMatchObject({ address: '0x180001000', module: 'cppfeatures-x64', symbol: 'geometry::scale' });
  });

  test('--pdb X.pdb --rva without an image', () => {
    const r = run(['symbolize', '--pdb', fx('basic-x64.pdb'), '--rva', '--json', '0x1000']);
    expect(r.code).toBe(0);
    expect(rows(r.out)[0]).toMatchObject({ address: '0x1000', module: 'basic-x64', symbol: 'chain_c', displacement: 0 });
    const noRva = run(['symbolize', '--pdb', fx('basic-x64.pdb'), '0x1000']);
    expect(noRva.code).toBe(2);
    expect(noRva.err.trim().split('\n')).toHaveLength(1);
  });
});

describe('modules without symbols', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dbghelp-cli-'));
    fs.copyFileSync(fx('basic-x64.exe'), path.join(tmp, 'basic-x64.exe'));
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test('one warning line per module without symbols; the run goes on', () => {
    const key = JSON.parse(run(['info', '--json', fx('basic-x64.exe')]).out).debugId;
    const r = run(['symbolize', '--image', path.join(tmp, 'basic-x64.exe'), '--image', `${fx('cppfeatures-x64.exe')}@0x180000000`, '--symbol-path', tmp, '--json', '0x180001000']);
    expect(r.err).toBe(`dbghelp: warning: basic-x64: symbols basic-x64.pdb ${key} not found (searched 4 places)\n`); // the CodeView path, D, D/exe, D/symbols/exe (the image's directory is D)
    expect(rows(r.out)[0]).toMatchObject({ symbol: 'geometry::scale' });
    const missing = run(['symbolize', '--image', path.join(tmp, 'nothere.exe'), '--image', fx('basic-x64.exe'), '0x140001000']);
    expect(missing.err).toBe('dbghelp: warning: nothere.exe: image nothere.exe not found (searched 1 place)\n');
    expect(missing.code).toBe(0);
  });

  test('--verbose prints the search log on stderr', () => {
    const r = run(['symbolize', '--image', path.join(tmp, 'basic-x64.exe'), '--symbol-path', tmp, '--verbose', '0x140001000']);
    expect(r.err).toContain(`DBGHELP: ${path.join(tmp, 'basic-x64.pdb')} - file not found`);
    expect(r.err).toMatch(/DBGHELP: basic-x64 - no symbols loaded/);
  });
});

describe('every subcommand', () => {
  const commands = ['symbolize', 'symbolicate', 'symbols', 'info', 'find', 'store', 'undname'];

  test.each(commands)('%s --help prints its usage on stdout, exit 0', (c) => {
    const r = run([c, '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`^usage: dbghelp ${c}`));
    expect(r.err).toBe('');
  });

  test.each(commands)('%s --bogus is one line on stderr, exit 2', (c) => {
    const r = run([c, '--bogus']);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`dbghelp: Unknown option '--bogus' (dbghelp ${c} --help)\n`);
  });

  test('--version prints package.json version', () => {
    const r = run(['--version']);
    expect(r.code).toBe(0);
    expect(r.out).toBe(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version + '\n');
  });

  test('an option missing its value, an unknown command: one line', () => {
    for (const args of [['symbolize', '--image'], ['frobnicate'], ['symbolize', '0x1']]) {
      const r = run(args);
      expect(r.code).toBe(2);
      expect(r.err.trim().split('\n')).toHaveLength(1);
    }
  });

  test('--json on every subcommand', () => {
    expect(rows(run(['symbolize', '--image', fx('basic-x64.exe'), '--json', '0x140001000']).out)[0]).toMatchObject({ symbol: 'chain_c' });
    expect(rows(run(['symbols', fx('basic-x64.pdb'), '--mask', 'chain_c', '--json']).out)[0]).toMatchObject({ name: 'chain_c' });
    expect(rows(run(['info', fx('basic-x64.pdb'), '--json']).out)[0]).toMatchObject({ kind: 'PDB' });
    expect(rows(run(['undname', '--json', '?scale@geometry@@YANNN@Z']).out)[0]).toEqual({ name: '?scale@geometry@@YANNN@Z', undecorated: 'double __cdecl geometry::scale(double,double)' });
    expect(rows(run(['find', '--image', fx('basic-x64.exe'), '--json', '--symbol-path', '']).out)[0]).toMatchObject({ file: fx('basic-x64.pdb') });
    expect(JSON.parse(run(['symbolicate', '--json', '--symbol-path', FIX], JSON.stringify({ memoryMap: [], stacks: [] })).out)).toEqual({
      results: [{ stacks: [], found_modules: {}, module_status: {} }],
    });
    const store = fs.mkdtempSync(path.join(os.tmpdir(), 'dbghelp-cli-store-'));
    try {
      expect(rows(run(['store', 'add', fx('basic-x64.pdb'), '--store', store, '--json']).out)[0]).toMatchObject({ added: true });
    } finally {
      fs.rmSync(store, { recursive: true, force: true });
    }
  });

  test('find takes the debug id info prints', () => {
    const id = JSON.parse(run(['info', '--json', fx('basic-x64.pdb')]).out).debugId;
    expect(id).toMatch(/^[0-9A-F]{33,}$/);
    const r = run(['find', '--pdb-name', 'basic-x64.pdb', '--debug-id', id, '--symbol-path', FIX]);
    expect(r.code).toBe(0);
    expect(r.out).toBe(path.join(FIX, 'basic-x64.pdb') + '\n');
    expect(run(['find', '--pdb-name', 'basic-x64.pdb', '--guid', id, '--symbol-path', FIX]).out).toBe(path.join(FIX, 'basic-x64.pdb') + '\n');
    expect(run(['find', '--pdb-name', 'basic-x64.pdb', '--debug-id', 'xyz']).code).toBe(2);
  });
});

describeCorpus('a reader that goes away (EPIPE)', () => {
  test('symbols into a pipe closed after the first chunk ends quietly', async () => {
    const pdb = corpusPath('derived/mozilla_dump_syms/test_data/windows/basic32.pdb');
    const child = spawn(process.execPath, [BIN, 'symbols', pdb, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(err).toBe('');
    expect(code).toBe(0);
  });
});
