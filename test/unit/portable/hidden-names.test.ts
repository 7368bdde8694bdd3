/**
 * Procedures and data whose record names have an `@` in them are none of Microsoft's
 * dbghelp.dll's symbols: SymFromAddr answers the public at their address and SymEnumSymbols
 * lists that public (display-name.ts isHiddenName). The image (test/fixtures/src/
 * hidden-names.ll, built by test/fixtures/build.sh) sets debug names apart from link names:
 * S_GDATA32 `y@z` over public `pub_yz`, `?bar@@3HA` and `q@1` and MSVC's precompiled-header
 * marker `__@@_PchSym_@00@...` over publics of the same names, S_LDATA32 `lo@cal` with no
 * public, S_GPROC32 `f@g` over public `pub_f`, a static `st@tic` in `plaing` (S_LDATA32 nested
 * in the procedure), and `plain`, `loplain`, `plaing`, `plainstatic` beside them. Where a hidden
 * record is the nearest the nearest public answers, not the datum below it: at 0x301c,
 * `st@tic`, `__PchSym_`+12 rather than `loplain`+4.
 *
 * Every expected value below is Microsoft's dbghelp.dll 10.0.19041.685 answer, asked under
 * Wine with ../shared/tools/msoracle (`run addr --rvas`, `run enum`, SYMOPT_UNDNAME |
 * DEFERRED_LOADS | LOAD_LINES): name, RVA or displacement, tag, size, flags.
 */
import * as path from 'path';
import { SymbolHandler, SymOpt } from '../../../lib';
import { isHiddenName } from '../../../lib/portable/display-name';

const DIR = path.resolve(__dirname, '..', '..', 'fixtures', 'hidden');
const IMAGE = path.join(DIR, 'hidden-names-x64.exe');

// SymFromAddr: [rva, name, displacement, tag, size].
const FROM_ADDR: [number, string, number, number, number][] = [
  [0x1000, 'pub_f', 0, 10, 0],
  [0x1002, 'pub_f', 2, 10, 0],
  [0x1004, 'pub_f', 4, 10, 0],
  [0x1010, 'plaing', 0, 5, 18],
  [0x1014, 'plaing', 4, 5, 18],
  [0x1030, 'main', 0, 5, 63],
  [0x3000, 'pub_yz', 0, 10, 0],
  [0x3002, 'pub_yz', 2, 10, 0],
  [0x3004, 'plain', 0, 7, 4],
  [0x3008, 'bar', 0, 10, 0],
  [0x300c, 'q', 0, 10, 0],
  [0x3010, '__PchSym_', 0, 10, 0],
  [0x3014, '__PchSym_', 4, 10, 0],
  [0x3018, 'loplain', 0, 7, 4],
  [0x301c, '__PchSym_', 12, 10, 0],
  [0x301e, '__PchSym_', 14, 10, 0],
  [0x3020, 'plainstatic', 0, 7, 4],
];

// SymEnumSymbols(mask *): [name, rva, tag, size, flags], in dbghelp.dll's order.
const ENUM: [string, number, number, number, number][] = [
  ['loplain', 0x3018, 7, 4, 0],
  ['plain', 0x3004, 7, 4, 0],
  ['main', 0x1030, 5, 63, 0],
  ['plaing', 0x1010, 5, 18, 0],
  ['__PchSym_', 0x3010, 10, 0, 0],
  ['q', 0x300c, 10, 0, 0],
  ['bar', 0x3008, 10, 0, 0],
  ['pub_f', 0x1000, 10, 0, 4194304],
  ['pub_yz', 0x3000, 10, 0, 0],
];

async function withImage(fn: (sym: SymbolHandler, base: bigint) => void): Promise<void> {
  const sym = SymbolHandler.initialize();
  try {
    fn(sym, await sym.loadModule(IMAGE, { pdbPath: IMAGE.replace(/\.exe$/, '.pdb') }));
  } finally {
    sym.cleanup();
  }
}

const ROWS = FROM_ADDR.map(([rva, name, disp, tag, size]) => [`0x${rva.toString(16)}`, name, disp, tag, size, rva] as const);
test.each(ROWS)('SymFromAddr at RVA %s answers %s+%d (tag %d, size %d) as dbghelp.dll does', async (_, name, disp, tag, size, rva) => {
  await withImage((sym, base) => {
    const hit = sym.fromAddr(base + BigInt(rva));
    expect(hit && [hit.symbol.name, Number(hit.displacement), hit.symbol.tag, hit.symbol.size]).toEqual([name, disp, tag, size]);
  });
});

test('SymEnumSymbols lists the publics of hidden records, not the records', async () => {
  await withImage((sym, base) => {
    const got = [...sym.enumSymbols({ base, mask: '*' })].map((s) => [s.name, Number(s.address - base), s.tag, s.size, s.flags]);
    // The same set as dbghelp.dll's (our order: module records, globals, then publics).
    const key = (e: unknown[]) => JSON.stringify(e);
    expect(got.map(key).sort()).toEqual(ENUM.map(key).sort());
  });
});

test('the batch path of `dbghelp symbolize` (addressFacts, publics and data indexes from one pass) answers alike', async () => {
  await withImage((sym, base) => {
    const backend = sym.backendHandler;
    const addresses = Float64Array.from(FROM_ADDR, ([rva]) => Number(base) + rva);
    // Past the probed lookups, so that the global indexes come from the one pass.
    const many = new Float64Array(4096).map((_, i) => addresses[i % addresses.length]).sort();
    backend.beginBatch?.(many);
    try {
      const f = { name: undefined as string | undefined, displacement: 0, flags: 0, tag: 0, size: 0, fileName: undefined as string | undefined, lineNumber: 0 };
      for (const [rva, name, disp, tag, size] of FROM_ADDR) {
        sym.addressFacts(base + BigInt(rva), f);
        expect([rva, f.name, f.displacement, f.tag, f.size]).toEqual([rva, name, disp, tag, size]);
      }
    } finally {
      backend.endBatch?.();
    }
  });
});

test('isHiddenName: an `@` anywhere, while publics take part', () => {
  const withPublics = SymOpt.UNDNAME;
  for (const n of ['@_EH4_CallFilterFunc@8', '__@@_PchSym_@00@x@1', 'y@z', 'q@1', '?bar@@3HA']) expect(isHiddenName(n, withPublics)).toBe(true);
  for (const n of ['plain', '_und', '__security_init_cookie', "std::bad_alloc::`vftable'", '']) expect(isHiddenName(n, withPublics)).toBe(false);
  expect(isHiddenName('y@z', SymOpt.UNDNAME | SymOpt.NO_PUBLICS)).toBe(false);
});
