/**
 * `dbghelp find` and `dbghelp store add`: publish the fixtures into a store, then find them
 * back through `srv*`, as DbgHelp would find what symstore published.
 */
import * as fs from 'fs';
import * as path from 'path';
import { PassThrough } from 'stream';
import { main } from '../../../lib/cli/main';
import { openCab } from '../../../lib/formats/cab';
import { BASIC_X64, bin, FIX, listFiles, lonelyImage, tempDir } from './helpers';

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

describe('dbghelp store add', () => {
  test('lays files out as symstore does (PDB by GUID+DBI age, image by TimeDateStamp+SizeOfImage) and creates pingme.txt', async () => {
    const S = path.join(tempDir(), 'S');
    const r = await run('store', 'add', BASIC_X64.pdb, BASIC_X64.image, bin('exports-x64.dll'), '--store', S);
    expect(r.code).toBe(0);
    expect(listFiles(S)).toEqual([
      // test/fixtures/expected/exports-x64.readobj.txt: TimeDateStamp 0xAE3E9816, SizeOfImage 20480
      'basic-x64.exe/982681B88000/basic-x64.exe',
      `basic-x64.pdb/${BASIC_X64.pdbKey}/basic-x64.pdb`,
      'exports-x64.dll/AE3E98165000/exports-x64.dll',
      'pingme.txt',
    ]);
    expect(r.out.split('\n')[0]).toBe(`added   ${BASIC_X64.pdbKey} ${path.join(S, 'basic-x64.pdb', BASIC_X64.pdbKey, 'basic-x64.pdb')}`);
    // Again: nothing changes, each file is reported present.
    const again = await run('store', 'add', BASIC_X64.pdb, '--store', S, '--json');
    expect(JSON.parse(again.out)).toMatchObject({ added: false, key: BASIC_X64.pdbKey });
  });

  test('--compress stores a CAB (name.pd_) that expands to the file; a two-tier store (index2.txt) files it under its first two letters', async () => {
    const S = path.join(tempDir(), 'S');
    fs.mkdirSync(S);
    fs.writeFileSync(path.join(S, 'index2.txt'), '');
    expect((await run('store', 'add', BASIC_X64.pdb, '--store', S, '--compress')).code).toBe(0);
    const cabPath = path.join(S, 'ba', 'basic-x64.pdb', BASIC_X64.pdbKey, 'basic-x64.pd_');
    const cab = openCab(fs.readFileSync(cabPath), cabPath);
    expect(cab.files.map((f) => f.name)).toEqual(['basic-x64.pdb']);
    expect(Buffer.from(cab.extract(cab.files[0])).equals(fs.readFileSync(BASIC_X64.pdb))).toBe(true);
  });

  test('what cannot be indexed is refused (exit 2, one line); usage errors are exit 2', async () => {
    const S = path.join(tempDir(), 'S');
    const r = await run('store', 'add', path.join(FIX, 'README.md'), '--store', S);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/not a PE image, a PDB or a \.dbg file.*\[BAD_FORMAT\]/);
    expect((await run('store', 'add', BASIC_X64.pdb)).code).toBe(2);
    expect((await run('store', 'remove', BASIC_X64.pdb, '--store', S)).code).toBe(2);
  });
});

describe('dbghelp find', () => {
  test('--image: the PDB the image names, through srv* (copied into the downstream store), then from the cache', async () => {
    const root = tempDir();
    const S = path.join(root, 'S');
    const C = path.join(root, 'C');
    await run('store', 'add', BASIC_X64.pdb, '--store', S);
    const image = lonelyImage(root, BASIC_X64.image);
    const r = await run('find', '--image', image, '--symbol-path', `srv*${C}*${S}`, '--verbose');
    expect(r.code).toBe(0);
    const inC = path.join(C, 'basic-x64.pdb', BASIC_X64.pdbKey, 'basic-x64.pdb');
    expect(r.out).toBe(inC + '\n');
    expect(r.err).toContain(`DBGHELP: ${inC} already cached`);
  });

  test('--pdb-name/--guid/--age and --name/--timestamp/--size; not found is exit 1 with a hint', async () => {
    const root = tempDir();
    const S = path.join(root, 'S');
    await run('store', 'add', BASIC_X64.pdb, BASIC_X64.image, '--store', S);
    const pdb = await run('find', '--pdb-name', 'basic-x64.pdb', '--guid', BASIC_X64.guid, '--age', '1', '--symbol-path', S, '--json');
    // S holds pingme.txt (store add wrote it): a plain directory element is searched as a store.
    expect(JSON.parse(pdb.out)).toMatchObject({ file: path.join(S, 'basic-x64.pdb', BASIC_X64.pdbKey, 'basic-x64.pdb') });
    const img = await run('find', '--name', 'basic-x64.exe', '--timestamp', '0x982681B8', '--size', '0x8000', '--symbol-path', `srv*${S}`);
    expect(img.out).toBe(path.join(S, 'basic-x64.exe', '982681B88000', 'basic-x64.exe') + '\n');
    const miss = await run('find', '--pdb-name', 'basic-x64.pdb', '--guid', BASIC_X64.guid, '--age', '2', '--symbol-path', `srv*${S}`, '--home', root);
    expect(miss.code).toBe(1);
    expect(miss.err).toMatch(/not found through the search path .* --verbose/);
  });

  test('usage errors: no mode, two modes, missing identity, bad numbers', async () => {
    expect((await run('find')).code).toBe(2);
    expect((await run('find', '--image', 'a.exe', '--name', 'b.dll')).code).toBe(2);
    expect((await run('find', '--pdb-name', 'a.pdb')).code).toBe(2);
    expect((await run('find', '--name', 'a.dll', '--timestamp', 'xyz', '--size', '1')).code).toBe(2);
  });
});
