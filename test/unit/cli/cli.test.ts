/**
 * The dbghelp command (API.md "Command line"): output formats, stdin, exit codes 0/1/2 and
 * one-line errors. Most cases call main() in-process; one runs the real bin with stdin.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { PassThrough } from 'stream';
import { main } from '../../../lib/cli/main';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const FIX = path.join(ROOT, 'test', 'fixtures');
const bin = (f: string) => path.join(FIX, 'bin', f);

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  let o = '';
  let e = '';
  out.on('data', (d) => (o += d));
  err.on('data', (d) => (e += d));
  const code = await main(argv, out, err);
  return { code, out: o, err: e };
}

describe('dbghelp symbolize', () => {
  test('--json prints one object per address, with the module, the symbol and the displacement', async () => {
    const r = await run('symbolize', '--image', bin('cppfeatures-x64.exe'), '--json', '0x140001000', '0x140001004');
    expect(r.code).toBe(0);
    const rows = r.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows[0]).toMatchObject({ address: '0x140001000', module: 'cppfeatures-x64', symbol: 'geometry::scale', displacement: 0 });
    expect(rows[1]).toMatchObject({ address: '0x140001004', symbol: 'geometry::scale', displacement: 4 });
  });

  test('--rva takes and prints module-relative addresses; a miss is symbol null and exit 1', async () => {
    const r = await run('symbolize', '--image', bin('basic-x64.exe'), '--pdb', bin('basic-x64.pdb'), '--rva', '--json', '0x1000', '0x0');
    expect(r.code).toBe(1);
    const rows = r.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows[0]).toMatchObject({ address: '0x1000', symbol: 'chain_c', displacement: 0 });
    expect(rows[1]).toMatchObject({ address: '0x0', symbol: null });
  });

  test('--base moves the module', async () => {
    const r = await run('symbolize', '--image', bin('basic-x64.exe'), '--base', '0x10000000', '0x10001000');
    expect(r.out.trim()).toMatch(/^0x10001000 basic-x64!chain_c/);
  });

  test('bad usage and bad input exit 2 with one line that says what to do', async () => {
    const noImage = await run('symbolize', '0x1000');
    expect(noImage.code).toBe(2);
    expect(noImage.err.split('\n')[0]).toMatch(/needs --image/);
    const badAddr = await run('symbolize', '--image', bin('basic-x64.exe'), 'zzz');
    expect(badAddr.code).toBe(2);
    expect(badAddr.err.split('\n')[0]).toMatch(/not an address/);
    const notPe = await run('symbolize', '--image', path.join(FIX, 'README.md'), '0x1');
    expect(notPe.code).toBe(2);
    expect(notPe.err.trim().split('\n')).toHaveLength(1);
    expect(notPe.err).toMatch(/BAD_FORMAT/);
    const missing = await run('symbolize', '--image', bin('missing.exe'), '0x1');
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/file not found/);
    expect((await run('frobnicate')).code).toBe(2);
    expect((await run('symbolize', '--image', bin('basic-x64.exe'), '--bogus', '1')).code).toBe(2);
  });

  test('the installed bin reads addresses from stdin', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'dbghelp.js'), 'symbolize', '--image', path.join(ROOT, 'examples', 'shapes-x64.exe'), '--json'], {
      input: '0x140001000\n0x140001024\n\n',
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(
      r.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).symbol),
    ).toEqual(['geometry::scale', 'geometry::area']);
  });
});

describe('dbghelp symbols / info / undname', () => {
  test('symbols --json --mask lists matching symbols of an image', async () => {
    const r = await run('symbols', bin('basic-x64.exe'), '--mask', 'chain_*', '--json');
    expect(r.code).toBe(0);
    const names = r.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).name)
      .sort();
    expect(names).toEqual(['chain_a', 'chain_b', 'chain_c']);
  });

  test('symbols of a PDB alone; no match exits 1', async () => {
    expect((await run('symbols', bin('basic-x64.pdb'), '--mask', 'chain_c')).out).toMatch(/chain_c/);
    expect((await run('symbols', bin('basic-x64.pdb'), '--mask', 'nothing_*')).code).toBe(1);
  });

  test('info names what identifies an image and its PDB, with the symbol-store keys', async () => {
    const img = JSON.parse((await run('info', bin('basic-x64.exe'), '--json')).out);
    const pdb = JSON.parse((await run('info', bin('basic-x64.pdb'), '--json')).out);
    expect(img).toMatchObject({ machine: 'x64', format: 'PE32+', pdb: 'basic-x64.pdb', age: 1 });
    expect(img.guid).toBe(pdb.guid);
    expect(img.pdbStoreKey).toBe(pdb.symbolStoreKey);
    expect(pdb.symbolStoreKey).toBe(pdb.guid.replace(/-/g, '') + '1');
    // readobj: TimeDateStamp and SizeOfImage of the same file.
    const readobj = fs.readFileSync(path.join(FIX, 'expected', 'basic-x64.readobj.txt'), 'utf8');
    const size = /SizeOfImage: (\d+)/.exec(readobj)![1];
    expect(img.symbolStoreKey.slice(8)).toBe(Number(size).toString(16));
  });

  test('undname undecorates, honours --flags, and reads stdin lines', async () => {
    expect((await run('undname', '?scale@geometry@@YANNN@Z')).out.trim()).toBe('double __cdecl geometry::scale(double,double)');
    expect((await run('undname', '--flags', '0x1000', '?scale@geometry@@YANNN@Z')).out.trim()).toBe('geometry::scale');
    expect((await run('undname', 'not_decorated')).out.trim()).toBe('not_decorated');
    expect((await run('undname', '--flags', 'x')).code).toBe(2);
  });
});
