/**
 * The .sym reader on hand-written files whose answers are worked out by hand below: module
 * identity, FUNC/line/PUBLIC lookup (Breakpad's public fallback rule), inline chains, STACK WIN
 * containment and preference, STACK CFI rules, unsorted input, chunked reading.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseBreakpadSymbols, readBreakpadSymbols, SymParser, SymBytes, BreakpadSymbols, cfiRules } from '../../../lib/formats/breakpad';

const SYM = [
  'MODULE windows x86_64 F535C5FB2AE84BB8AA206C30BE566C5A1 app.pdb',
  'INFO CODE_ID 5C9E09599000 app.exe',
  'INFO GENERATOR dbghelp-test 1.0',
  'FILE 0 unknown file',
  'FILE 1 c:\\src\\main.cc',
  'FILE 2 c:\\src\\util.h',
  'INLINE_ORIGIN 0 util::inner()',
  'INLINE_ORIGIN 1 util::outer(int)',
  'FUNC m 1000 40 8 main(int, char **)',
  'INLINE 0 12 1 1 1010 10 1030 8',
  'INLINE 1 5 2 0 1014 4',
  '1000 10 10 1',
  '1010 4 3 2',
  '1014 4 7 2',
  '1018 8 4 2',
  '1020 10 14 1',
  '1030 8 3 2',
  'FUNC 1100 20 0 helper',
  '1100 20 30 1',
  'PUBLIC 1080 0 between_public',
  'PUBLIC m 1200 4 _stdcall_thing@4',
  'STACK WIN 4 1000 40 4 0 8 0 10 0 1 $T0 .raSearch = $eip $T0 ^ = $esp $T0 4 + =',
  'STACK WIN 4 1010 8 0 0 0 0 0 0 1 inner program',
  'STACK WIN 0 1000 80 2 0 4 8 c 0 0 1',
  'STACK CFI INIT 1100 20 .cfa: $rsp 8 + .ra: .cfa -8 + ^',
  'STACK CFI 1104 .cfa: $rsp 16 +',
  'STACK CFI 1108 .cfa: $rsp 48 + $rbx: .cfa -16 + ^',
  '',
].join('\n');

describe('breakpad .sym reader', () => {
  const s = parseBreakpadSymbols(SYM, 'hand.sym');

  test('MODULE and INFO', () => {
    expect(s.module).toEqual({
      os: 'windows',
      arch: 'x86_64',
      id: 'F535C5FB2AE84BB8AA206C30BE566C5A1',
      name: 'app.pdb',
      codeId: '5C9E09599000',
      codeFile: 'app.exe',
      generator: 'dbghelp-test 1.0',
    });
    expect(s.counts).toEqual({ files: 3, functions: 2, lines: 7, inlines: 2, publics: 2, stackWin: 3, cfiInit: 1, cfi: 2 });
  });

  test('FUNC with m flag, its line and no inline outside inline ranges', () => {
    expect(s.lookup(0x1000)).toEqual({
      function: 'main(int, char **)',
      functionRva: 0x1000,
      functionSize: 0x40,
      parameterSize: 8,
      isPublic: false,
      index: 1,
      multiple: true,
      file: 'c:\\src\\main.cc',
      line: 10,
      lineRva: 0x1000,
      inlines: [],
    });
    expect(s.lookup(0x1037)?.line).toBe(3);
    expect(s.lookup(0x103f)).toMatchObject({ function: 'main(int, char **)', line: undefined, file: undefined });
    expect(s.lookup(0x1040)).toBeUndefined(); // past main, before the next PUBLIC/FUNC start: nothing at or below but main
  });

  test('inline chain innermost first, with call sites', () => {
    const hit = s.lookup(0x1015)!;
    expect(hit.function).toBe('main(int, char **)');
    expect([hit.file, hit.line]).toEqual(['c:\\src\\util.h', 7]);
    expect(hit.inlines).toEqual([
      { name: 'util::inner()', depth: 1, callFile: 'c:\\src\\util.h', callLine: 5, address: 0x1014, size: 4 },
      { name: 'util::outer(int)', depth: 0, callFile: 'c:\\src\\main.cc', callLine: 12, address: 0x1010, size: 0x10 },
    ]);
    // 0x1018: inside outer (1010+10) but not inner (1014+4).
    expect(s.lookup(0x1018)!.inlines.map((i) => i.name)).toEqual(['util::outer(int)']);
    // Second range of the depth-0 inline.
    expect(s.lookup(0x1031)!.inlines.map((i) => [i.name, i.address])).toEqual([['util::outer(int)', 0x1030]]);
    expect(s.lookup(0x1020)!.inlines).toEqual([]);
  });

  test('PUBLIC fallback only when no FUNC starts between it and the address', () => {
    // 0x1090: nearest public 0x1080 lies after main's start (0x1000): the public answers.
    expect(s.lookup(0x1090)).toMatchObject({ function: 'between_public', functionRva: 0x1080, isPublic: true, multiple: false, file: undefined });
    // 0x1120: past helper (1100+20); nearest public 0x1080 is before helper's start: nothing.
    expect(s.lookup(0x1120)).toBeUndefined();
    expect(s.lookup(0x1300)).toMatchObject({ function: '_stdcall_thing@4', parameterSize: 4, multiple: true, index: 4 });
    expect([...s.symbols()].map((x) => [x.name, x.index, x.isPublic])).toEqual([
      ['main(int, char **)', 1, false],
      ['helper', 2, false],
      ['between_public', 3, true],
      ['_stdcall_thing@4', 4, true],
    ]);
    expect(s.lookup(0xfff)).toBeUndefined();
  });

  test('STACK WIN: innermost FRAME_DATA record, then FPO', () => {
    expect(s.stackWin(0x1012)).toMatchObject({ type: 4, address: 0x1010, codeSize: 8, programString: 'inner program' });
    expect(s.stackWin(0x1018)).toEqual({
      type: 4,
      address: 0x1000,
      codeSize: 0x40,
      prologueSize: 4,
      epilogueSize: 0,
      parameterSize: 8,
      savedRegisterSize: 0,
      localSize: 0x10,
      maxStackSize: 0,
      programString: '$T0 .raSearch = $eip $T0 ^ = $esp $T0 4 + =',
      allocatesBasePointer: false,
    });
    expect(s.stackWin(0x1050)).toMatchObject({ type: 0, codeSize: 0x80, savedRegisterSize: 8, localSize: 0xc, programString: undefined, allocatesBasePointer: true });
    expect(s.stackWin(0x1080)).toBeUndefined();
    expect(s.stackWinAll(0x1012).map((w) => w.type)).toEqual([4, 0]);
  });

  test('STACK CFI: INIT rules with the deltas up to the address', () => {
    expect(s.cfi(0x1100)).toEqual({ address: 0x1100, size: 0x20, rules: { '.cfa': '$rsp 8 +', '.ra': '.cfa -8 + ^' } });
    expect(s.cfi(0x1104)!.rules).toEqual({ '.cfa': '$rsp 16 +', '.ra': '.cfa -8 + ^' });
    expect(s.cfi(0x111f)!.rules).toEqual({ '.cfa': '$rsp 48 +', '.ra': '.cfa -8 + ^', $rbx: '.cfa -16 + ^' });
    expect(s.cfi(0x1120)).toBeUndefined();
    expect(s.cfi(0x10ff)).toBeUndefined();
  });

  test('cfiRules splits at register names', () => {
    expect(cfiRules('.cfa: sp 16 + .ra: .cfa -8 + ^ x29: .cfa -16 + ^')).toEqual({ '.cfa': 'sp 16 +', '.ra': '.cfa -8 + ^', x29: '.cfa -16 + ^' });
  });
});

describe('breakpad .sym reader: layout variations', () => {
  test('unsorted FUNCs, lines and CFI, CRLF line ends, old INLINE form without call-site file', () => {
    const text = [
      'MODULE Linux x86_64 0123 libx.so',
      'FUNC 2000 10 0 b',
      '2008 8 21 1',
      '2000 8 20 1',
      'FUNC 1000 10 0 a',
      'INLINE 0 33 0 1000 4',
      'INLINE_ORIGIN 0 inl',
      '1000 10 10 1',
      'FILE 1 /src/x.c',
      'STACK CFI INIT 2000 10 .cfa: $rsp 8 +',
      'STACK CFI INIT 1000 10 .cfa: $rsp 8 +',
      'STACK CFI 1004 .cfa: $rsp 24 +',
    ].join('\r\n');
    const s = parseBreakpadSymbols(text);
    expect(s.lookup(0x2009)).toMatchObject({ function: 'b', line: 21, file: '/src/x.c' });
    expect(s.lookup(0x2001)).toMatchObject({ function: 'b', line: 20 });
    expect(s.lookup(0x1002)).toMatchObject({ function: 'a', line: 10, inlines: [{ name: 'inl', callLine: 33, callFile: undefined, depth: 0 }] });
    expect(s.cfi(0x1005)!.rules['.cfa']).toBe('$rsp 24 +');
    expect(s.cfi(0x2005)!.rules['.cfa']).toBe('$rsp 8 +');
  });

  test('chunked input gives the same answers for every split point', () => {
    const bytes = Buffer.from(SYM);
    const whole = parseBreakpadSymbols(bytes);
    for (let cut = 1; cut < bytes.length; cut += 7) {
      const p = new SymParser('cut');
      p.push(bytes.subarray(0, cut));
      p.push(bytes.subarray(cut));
      const s = new BreakpadSymbols(p.end(), SymBytes.of(bytes, 'cut'));
      expect(s.counts).toEqual(whole.counts);
      expect(s.lookup(0x1015)).toEqual(whole.lookup(0x1015));
    }
    const p = new SymParser('bytes');
    for (let i = 0; i < bytes.length; i++) p.push(bytes.subarray(i, i + 1));
    expect(new BreakpadSymbols(p.end(), SymBytes.of(bytes, 'bytes')).cfi(0x1108)).toEqual(whole.cfi(0x1108));
  });

  test('readBreakpadSymbols streams a file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bp-'));
    const file = path.join(dir, 'x.sym');
    // ~3 MB: several stream chunks; a FUNC every 0x10 bytes with one line each.
    const out = fs.createWriteStream(file);
    out.write('MODULE windows x86 00 x.pdb\nFILE 1 a.c\n');
    for (let i = 0; i < 60000; i++) out.write(`FUNC ${(0x1000 + i * 16).toString(16)} 10 0 function_number_${i}\n${(0x1000 + i * 16).toString(16)} 10 ${i + 1} 1\n`);
    await new Promise<void>((r) => out.end(r));
    try {
      const s = await readBreakpadSymbols(file);
      expect(s.counts.functions).toBe(60000);
      expect(s.lookup(0x1000 + 43210 * 16 + 5)).toMatchObject({ function: 'function_number_43210', line: 43211, file: 'a.c' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
