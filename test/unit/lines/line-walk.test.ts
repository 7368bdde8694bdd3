/**
 * The portable line walks beyond what the conformance suite can ask every backend: a line a
 * step answered is that entry (IMAGEHLP_LINE64.Key's role; the DLL backends pass the address
 * alone), and DbgHelp's line masks (a backslash escapes).
 */
import * as path from 'path';
import { SymbolHandler } from '../../../lib';
import { escapedMask } from '../../../lib/portable/features/lines';

const FIX = path.resolve(__dirname, '..', '..', 'fixtures', 'bin');

describe('getLineNext/getLinePrev on the portable backend', () => {
  test('a line a step answered is that entry: Prev of crt.c 11 is 10 at 0x1150, whose Next is 11 again', async () => {
    const sym = SymbolHandler.initialize();
    try {
      const base = await sym.loadModule(path.join(FIX, 'locals-x64.exe'));
      const eleven = sym.getLineFromAddr(base + 0x116bn)!;
      const ten = sym.getLinePrev(eleven)!;
      expect(ten).toMatchObject({ lineNumber: 10, address: base + 0x1150n, displacement: 0 });
      expect(sym.getLineNext(ten)).toEqual(eleven);
      // Line 10 at 0x1150 is the second entry there: its Prev (8) shares the address.
      expect(sym.getLinePrev(ten)).toBeUndefined();
      // Held by hand with a displacement, the same line is the first entry at the address (8).
      expect(sym.getLineNext({ ...ten, displacement: 1 })).toBeUndefined();
      // A walk over every entry of every file ends, each step moving the line number one way.
      for (const l of sym.enumLines(base)) {
        for (const step of ['getLineNext', 'getLinePrev'] as const) {
          let n = 0;
          for (let cur = sym.getLineFromAddr(l.address); cur; cur = sym[step](cur)) expect(++n).toBeLessThan(40);
        }
      }
    } finally {
      sym.cleanup();
    }
  });
});

describe('escapedMask (SymEnumLines / SymEnumSourceFiles masks)', () => {
  test.each([
    ['*crt.obj', 'C:\\obj\\crt.obj', true],
    ['*\\crt.obj', 'C:\\obj\\crt.obj', true],
    ['*obj\\crt.obj', 'C:\\obj\\crt.obj', false],
    ['C:\\obj\\crt.*', 'C:\\obj\\crt.obj', false],
    ['C:obj*', 'C:\\obj\\crt.obj', false],
    ['c:*', 'C:\\obj\\crt.obj', true],
    ['*.H', 'x\\locals.h', true],
    ['locals.?', 'locals.c', true],
    ['locals.?', 'locals.cc', false],
    ['a\\*b', 'a*b', true],
    ['a\\*b', 'axb', false],
    ['a.b(c)[d]+', 'a.b(c)[d]+', true],
    ['a.b', 'axb', false],
    ['trailing\\', 'trailing\\', true],
  ])('%s on %s: %s', (mask, name, want) => {
    expect(escapedMask(mask)(name)).toBe(want);
  });
});
