/**
 * The indexed .sym reader against scripts/sym-gen.js (the 1 GB lane's generator) on a small
 * file: every sampled address answers what the generator says it must (function, line, inline
 * chain, CFI rules, STACK WIN, gap PUBLICs); the index keeps no line records; the file is read
 * back on demand (closing gives the descriptor back, a later lookup reopens it, a file changed
 * since indexing is BAD_FORMAT); the record-ownership rules the index needs.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DbgHelpError } from '../../../lib/api/errors';
import { parseBreakpadSymbols, readBreakpadSymbols, type BreakpadSymbols } from '../../../lib/formats/breakpad';

interface Gen {
  generateSym(file: string, o: { bytes: number }): { functions: number; bytes: number };
  expected(rva: number, functions: number): Record<string, unknown> | undefined;
  sampleAddresses(functions: number, count: number, seed?: number): number[];
  checkAnswer(s: BreakpadSymbols, rva: number, functions: number): string[];
}
const gen = require('../../../scripts/sym-gen.js') as Gen;

describe('breakpad .sym reader on the generated file', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'symgen-'));
  const file = path.join(dir, 'synthetic.sym');
  let made: { functions: number; bytes: number };
  let s: BreakpadSymbols;

  beforeAll(async () => {
    made = gen.generateSym(file, { bytes: 4 << 20 });
    s = await readBreakpadSymbols(file, { holdBytes: 0 }); // read back from the file, as a big one is
  });
  afterAll(() => {
    s?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('about the size asked for, every record counted', () => {
    expect(made.bytes).toBe(fs.statSync(file).size);
    expect(Math.abs(made.bytes - (4 << 20))).toBeLessThan((4 << 20) / 20);
    const c = s.counts;
    expect(c.functions).toBe(made.functions);
    expect(c.cfiInit).toBe(Math.ceil(made.functions / 2));
    expect(c.cfi).toBe(2 * c.cfiInit);
    expect(c.stackWin).toBe(Math.floor(made.functions / 2));
    expect(c.files).toBe(4000);
    expect(c.publics).toBe(Math.ceil(made.functions / 16) + Math.ceil(made.functions / 5));
    expect(c.lines).toBeGreaterThan(8 * made.functions);
  });

  test('sampled addresses answer what the generator wrote', () => {
    const bad: string[] = [];
    for (const rva of gen.sampleAddresses(made.functions, 3000, 7)) bad.push(...gen.checkAnswer(s, rva, made.functions));
    expect(bad.slice(0, 10)).toEqual([]);
  });

  test('the same answers from the text held in memory', async () => {
    const m = parseBreakpadSymbols(fs.readFileSync(file), 'mem.sym');
    const held = await readBreakpadSymbols(file); // under HOLD_BYTES: kept in memory
    for (const rva of gen.sampleAddresses(made.functions, 300, 9)) {
      expect(m.lookup(rva)).toEqual(s.lookup(rva));
      expect(held.lookup(rva)).toEqual(s.lookup(rva));
      expect(held.cfi(rva)).toEqual(s.cfi(rva));
    }
  });

  test('close gives the file back; a later lookup opens it again', () => {
    const rva = gen.sampleAddresses(made.functions, 1, 3)[0];
    const before = s.lookup(rva + 0x400 * 5);
    s.close();
    expect(s.lookup(rva + 0x400 * 5)).toEqual(before);
  });

  test('a file changed since it was indexed is BAD_FORMAT, not a wrong answer', async () => {
    const copy = path.join(dir, 'changed.sym');
    fs.copyFileSync(file, copy);
    const c = await readBreakpadSymbols(copy, { holdBytes: 0 });
    c.close();
    const text = fs.readFileSync(copy, 'latin1');
    // Same size, one FUNC moved by a byte: its block no longer starts with the FUNC indexed.
    const at = text.indexOf('\nFUNC ', text.length >> 1) + 1;
    fs.writeFileSync(copy, text.slice(0, at - 1) + text.slice(at, at + 5) + '\n' + text.slice(at + 5), 'latin1');
    const addr = parseInt(text.slice(at + 5).split(' ')[0], 16);
    expect(() => c.lookup(addr)).toThrow(/changed since it was read/);
    fs.appendFileSync(copy, '\n');
    c.close();
    try {
      c.lookup(addr + 0x400);
      throw new Error('no error');
    } catch (e) {
      expect(e).toBeInstanceOf(DbgHelpError);
      expect((e as DbgHelpError).message).toMatch(/changed since it was read: it has \d+ bytes/);
    }
  });
});

describe('breakpad .sym index: which records own line, INLINE and CFI records', () => {
  const HEAD = 'MODULE windows x86 00 x.pdb\nFILE 1 a.c\nFUNC 1000 10 0 f\n1000 8 5 1\n';
  const fail = (text: string): string => {
    try {
      parseBreakpadSymbols(text, 'own.sym');
    } catch (e) {
      expect(e).toBeInstanceOf(DbgHelpError);
      return (e as DbgHelpError).message;
    }
    throw new Error('parsed without error');
  };

  test('FILE, INLINE_ORIGIN and INFO lines may sit inside a FUNC block', () => {
    const s = parseBreakpadSymbols(HEAD + 'FILE 2 b.c\nINLINE_ORIGIN 0 g\nINFO x\nINLINE 0 3 2 0 1008 4\n1008 8 6 2\n', 'ok.sym');
    expect(s.lookup(0x1009)).toMatchObject({ function: 'f', line: 6, file: 'b.c', inlines: [{ name: 'g', callFile: 'b.c', callLine: 3 }] });
    expect(s.counts).toMatchObject({ lines: 2, inlines: 1 });
  });

  test('after a PUBLIC or STACK record, line and INLINE records belong to no FUNC', () => {
    expect(fail(HEAD + 'PUBLIC 2000 0 p\n1008 8 6 1\n')).toContain('line 6: line record after a PUBLIC or STACK record (it belongs to no FUNC)');
    expect(fail(HEAD + 'STACK WIN 4 1000 10 0 0 0 0 0 0 0 1\nINLINE 0 3 1 0 1008 4\n')).toContain('line 6: INLINE after a PUBLIC or STACK record');
  });

  test('STACK CFI deltas follow their INIT', () => {
    const ok = parseBreakpadSymbols(HEAD + 'STACK CFI INIT 1000 10 .cfa: $esp 4 +\nSTACK CFI 1004 .cfa: $esp 8 +\n');
    expect(ok.cfi(0x1005)!.rules['.cfa']).toBe('$esp 8 +');
    expect(fail(HEAD + 'STACK CFI INIT 1000 10 .cfa: $esp 4 +\nPUBLIC 2000 0 p\nSTACK CFI 1004 .cfa: $esp 8 +\n')).toContain(
      'line 7: STACK CFI after a record other than STACK CFI (it belongs to no STACK CFI INIT)',
    );
  });

  test('MODULE after FUNC records', () => {
    expect(fail(HEAD + 'MODULE windows x86 00 y.pdb\n')).toContain('line 5: a second MODULE record');
  });
});
