/**
 * The writer's pieces on hand-made inputs: dump_syms' name clean-up, the OMAP image map on a
 * hand-built table (worked out by hand below), the store layout, and the output written through
 * a slow stream (backpressure) without losing or reordering records.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Writable } from 'stream';
import { breakpadName, breakpadStorePath, breakpadDebugId, breakpadCodeId, breakpadIdOfImage, dumpSyms, dumpSymsToStore } from '../../../lib/breakpad';
import { PeImage } from '../../../lib/formats/pe/pe-image';
import { ImageMap } from '../../../lib/breakpad/image-map';
import { Omap } from '../../../lib/formats/pdb/omap';
import { Cursor } from '../../../lib/formats/binary/cursor';
import { parseBreakpadSymbols } from '../../../lib/formats/breakpad';
import { DbgHelpError } from '../../../lib/api/errors';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'bin');

describe('breakpadName (dump_syms GetSymbolFunctionName)', () => {
  test.each([
    ['_RtlUnwind@16', 'RtlUnwind', 16], // stdcall: size from the decoration
    ['@fast@12', 'fast', 4], //             fastcall: minus the 8 bytes in ECX/EDX
    ['@fast@8', 'fast', 0],
    ['__NLG_Dispatch', '_NLG_Dispatch', undefined], // cdecl: one underscore off
    ['_main', 'main', undefined],
    ['plain', 'plain', undefined],
    ['_x@01', 'x@01', undefined], //         a leading zero is no size (wcstol_positive_strict)
    ['?f@@YAXXZ', 'f()', undefined], //      (void) → ()
    ['?f@@YAXH@Z', 'f(int)', undefined],
    ['?f@@YAXXZ.llvm.1234', 'f()', undefined], // LLVM uniquing suffix
    ['?f@@YAXXZ$0123456789abcdef0123456789abcdef', 'f()', undefined], // `$` + 32 hex digits
    // A `$` 33 characters from the end that is part of the name (basic32.pdb, DIA's .old.sym):
    [
      '?_Get_first@?$_Compressed_pair@V?$allocator@D@std@@V?$_String_val@U?$_Simple_types@D@std@@@2@$00@std@@QAEAAV?$allocator@D@2@XZ',
      'std::_Compressed_pair<std::allocator<char>,std::_String_val<std::_Simple_types<char> >,1>::_Get_first()',
      undefined,
    ],
    ['??$get_environment_from_os@$$V@?$__crt_char_traits@D@@SAPADXZ', '__crt_char_traits<char>::get_environment_from_os<>()', undefined],
    ['', '<name omitted>', undefined],
  ])('%s', (decorated, name, size) => {
    expect(breakpadName(decorated)).toEqual({ name, parameterSize: size });
  });
});

describe('identifiers and the store layout', () => {
  test('debug and code ids are upper-case hex', () => {
    expect(breakpadDebugId('5a9832e5-2872-41c1-838e-d98914e9b7ff', 0x1a)).toBe('5A9832E5287241C1838ED98914E9B7FF1A');
    expect(breakpadCodeId(0x5d6aa558, 0x1ad000)).toBe('5D6AA5581AD000');
    expect(breakpadCodeId(0x58, 0x9000)).toBe('000000589000');
  });
  test.each([
    ['basic-x86', 'x86'],
    ['basic-x64', 'x86_64'],
    ['basic-arm64', 'arm64'],
  ])('MODULE of %s names %s and the PDB identity', async (name, arch) => {
    const chunks: Buffer[] = [];
    const out = new Writable({ write: (c: Buffer, _e, cb) => (chunks.push(c), cb()) });
    const r = await dumpSyms({ pdb: path.join(FIXTURES, `${name}.pdb`), image: path.join(FIXTURES, `${name}.exe`), out, generator: null });
    const head = Buffer.concat(chunks).toString('utf8').split('\n').slice(0, 3);
    expect(head[0]).toBe(`MODULE windows ${arch} ${r.module.id} ${name}.pdb`);
    expect(head[1]).toBe(`INFO CODE_ID ${r.codeId} ${name}.exe`);
    expect(head[2]).toMatch(/^FILE 1 /);
    // The image's CodeView record names the same GUID + age (an independent source).
    const image = PeImage.open(path.join(FIXTURES, `${name}.exe`));
    try {
      expect(breakpadIdOfImage(image)).toEqual({ debugFile: `${name}.pdb`, debugId: r.module.id });
    } finally {
      image.close();
    }
  });

  test('name.pdb/<id>/name.sym', () => {
    expect(breakpadStorePath('test_app.pdb', '5A9832E5287241C1838ED98914E9B7FF1')).toBe(path.join('test_app.pdb', '5A9832E5287241C1838ED98914E9B7FF1', 'test_app.sym'));
    expect(breakpadStorePath('C:\\build\\X.PDB', 'AB1')).toBe(path.join('X.PDB', 'AB1', 'X.sym'));
    expect(breakpadStorePath('libfoo.so', '00')).toBe(path.join('libfoo.so', '00', 'libfoo.so.sym'));
    expect(() => breakpadStorePath('..', 'AB')).toThrow(DbgHelpError);
    expect(() => breakpadStorePath('a.pdb', '../x')).toThrow(DbgHelpError);
  });
});

function omap(pairs: [number, number][]): Omap {
  const b = new Uint8Array(pairs.length * 8);
  const v = new DataView(b.buffer);
  pairs.forEach(([a, c], i) => {
    v.setUint32(i * 8, a, true);
    v.setUint32(i * 8 + 4, c, true);
  });
  return Omap.read(Cursor.of(b, 'omap'));
}

describe('ImageMap (dump_syms MapAddressRange)', () => {
  // Original layout: A = [0x1000, 0x1010), B = [0x1010, 0x1020), C = [0x1020, 0x1030).
  // Final layout: B at 0x1000, C at 0x1010, A at 0x1020 (moved after them), image end 0x1030
  // (the last records end the tables, as linkers write them: an entry's length runs to the next).
  const to = omap([
    [0x1000, 0x1010],
    [0x1010, 0x1020],
    [0x1020, 0x1000],
    [0x1030, 0x1030],
  ]);
  const from = omap([
    [0x1000, 0x1020],
    [0x1010, 0x1000],
    [0x1020, 0x1010],
    [0x1030, 0x1030],
  ]);
  const map = ImageMap.build(to, from, 0x1030)!;

  test('a range inside one block moves with it', () => {
    expect(map.ranges(0x1004, 8)).toEqual([[0x1024, 8]]);
    expect(map.ranges(0x1010, 0x10)).toEqual([[0x1000, 0x10]]);
  });
  test('a range over blocks that stay adjacent is one piece; over moved blocks, several', () => {
    // B+C stay together in the final image: one range.
    expect(map.ranges(0x1010, 0x20)).toEqual([[0x1000, 0x20]]);
    // A+B: A went after C, B to the front: two pieces, in final-address order.
    expect(map.ranges(0x1008, 0x10)).toEqual([
      [0x1000, 8],
      [0x1028, 8],
    ]);
  });
  test('zero-length queries answer each place the address landed', () => {
    expect(map.ranges(0x1000, 0)).toEqual([[0x1020, 0]]);
  });
  test('no OMAP: no map', () => {
    expect(ImageMap.build(undefined, undefined, 0x1000)).toBeUndefined();
  });
});

describe('dumpSyms output', () => {
  const pdb = path.join(FIXTURES, 'basic-x64.pdb');
  const exe = path.join(FIXTURES, 'basic-x64.exe');

  async function text(out: Writable & { text(): string }): Promise<string> {
    await dumpSyms({ pdb, image: exe, out, generator: 'test' });
    return out.text();
  }

  function sink(delayEvery = 0): Writable & { text(): string } {
    const chunks: Buffer[] = [];
    let n = 0;
    const w = new Writable({
      highWaterMark: 16,
      write(chunk: Buffer, _enc, cb) {
        chunks.push(chunk);
        if (delayEvery && ++n % delayEvery === 0) setTimeout(cb, 1);
        else cb();
      },
    }) as Writable & { text(): string };
    w.text = () => Buffer.concat(chunks).toString('utf8');
    return w;
  }

  test('a slow destination gets the same bytes, and the reader reads them back', async () => {
    const fast = await text(sink());
    const slow = await text(sink(1));
    expect(slow).toBe(fast);
    const s = parseBreakpadSymbols(fast, 'basic-x64.sym');
    expect(s.module).toMatchObject({ os: 'windows', arch: 'x86_64', name: 'basic-x64.pdb', generator: 'test' });
    expect(s.module.codeId).toMatch(/^[0-9A-F]{9,16}$/);
    expect(s.counts.functions).toBeGreaterThan(5);
    expect(s.counts.lines).toBeGreaterThan(20);
  });

  test('the stack seam: records from `stack` follow FUNC/PUBLIC and are read back', async () => {
    const out = sink();
    let at = -1;
    const result = await dumpSyms({
      pdb,
      out,
      stack: function* (ctx) {
        expect(ctx.arch).toBe('x86_64');
        const f = ctx.functions.find((x) => x.length > 1)!;
        at = f.rva;
        yield `STACK CFI INIT ${f.rva.toString(16)} ${f.length.toString(16)} .cfa: $rsp 8 + .ra: .cfa -8 + ^`;
        yield `STACK CFI ${(f.rva + 1).toString(16)} .cfa: $rsp 16 +`;
      },
    });
    expect(result.stack).toBe(2);
    const text = out.text();
    expect(text.indexOf('STACK CFI INIT')).toBeGreaterThan(text.lastIndexOf('\nFUNC '));
    const s = parseBreakpadSymbols(text);
    expect(s.cfi(at)!.rules).toEqual({ '.cfa': '$rsp 8 +', '.ra': '.cfa -8 + ^' });
    expect(s.cfi(at + 1)!.rules).toEqual({ '.cfa': '$rsp 16 +', '.ra': '.cfa -8 + ^' });
  });

  test('the store gets the file under name.pdb/<id>/name.sym, and nothing else', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bp-store-'));
    try {
      const { path: file, result } = await dumpSymsToStore({ pdb, image: exe, store: dir });
      expect(file).toBe(path.join(dir, 'basic-x64.pdb', result.module.id, 'basic-x64.sym'));
      expect(fs.readdirSync(path.dirname(file))).toEqual(['basic-x64.sym']);
      expect(fs.readFileSync(file, 'utf8').split('\n')[0]).toBe(`MODULE windows x86_64 ${result.module.id} basic-x64.pdb`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a bad PDB is a DbgHelpError and leaves nothing in the store', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bp-store-'));
    try {
      const bad = path.join(dir, 'bad.pdb');
      fs.writeFileSync(bad, fs.readFileSync(pdb).subarray(0, 5000));
      await expect(dumpSymsToStore({ pdb: bad, store: dir })).rejects.toBeInstanceOf(DbgHelpError);
      expect(fs.readdirSync(dir)).toEqual(['bad.pdb']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('dumpSyms on truncated and corrupted PDBs', () => {
  // Every byte the writer reads goes through the PDB readers: bad input is a DbgHelpError (or a
  // .sym written from what was readable), never a RangeError or a hang.
  const { corruptions, truncations } = jest.requireActual('../../helpers/mutate') as typeof import('../../helpers/mutate');
  const good = fs.readFileSync(path.join(FIXTURES, 'inline-x86.pdb'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bp-bad-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function survives(bytes: Uint8Array, i: number): Promise<void> {
    const file = path.join(dir, `m${i}.pdb`);
    fs.writeFileSync(file, bytes);
    const out = new Writable({ write: (_c, _e, cb) => cb() });
    try {
      await dumpSyms({ pdb: file, out, inlines: true });
    } catch (e) {
      if (!(e instanceof DbgHelpError)) throw e;
    }
  }

  test('truncations', async () => {
    let i = 0;
    for (const t of truncations(good, 4096)) await survives(t, i++);
  });

  test('corruptions', async () => {
    let i = 0;
    for (const c of corruptions(good, 200, 16, 5)) await survives(c, i++);
  });
});
