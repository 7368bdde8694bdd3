/**
 * Which folded procedure is named (lib/portable/folded-procs.ts, crt-qsort.ts), on
 * test/fixtures/folded/folded.exe (built by build.sh there: big.obj holds g0..g2 folded to
 * 0x1040 and h0..h4 to 0x10b0 among 17 other procedures and 3 static variables; small.obj, under
 * 1024 symbol bytes, s0/s1 at 0x1110), against Microsoft's dbghelp.dll's answers recorded by
 * msoracle beside it. The qsort is checked against the orders Wine's own qsort left (a mingw
 * program sorting {key, id} pairs under Wine 8.0, README there).
 */
import * as fs from 'fs';
import * as path from 'path';
import { SymOpt, SymbolHandler } from '../../../lib';
import { DbgHelpError } from '../../../lib/api/errors';
import { Cursor } from '../../../lib/formats/binary/cursor';
import { BufferSource } from '../../../lib/formats/binary/source';
import { ModuleSymbols } from '../../../lib/formats/pdb/module-symbols';
import { PdbFile } from '../../../lib/formats/pdb/pdb-file';
import { crtQsort } from '../../../lib/portable/crt-qsort';
import { dbghelpLeads } from '../../../lib/portable/folded-procs';
import { corruptions, truncations } from '../../helpers/mutate';

const DIR = path.resolve(__dirname, '..', '..', 'fixtures', 'folded');
const IMAGE = path.join(DIR, 'folded.exe');
const PDB = path.join(DIR, 'folded.pdb');
const MS = JSON.parse(fs.readFileSync(path.join(DIR, 'folded.dbghelp-10.0.19041.685.json'), 'utf8')) as {
  rows: { rva: string; name: string; symRva: string; disp: number; size: number }[];
};

function sorted(keys: number[]): number[] {
  const ids = Uint32Array.from(keys, (_, i) => i);
  crtQsort(ids, keys);
  return [...ids];
}

describe("the CRT qsort dbghelp.dll's sort runs on (Wine's ucrtbase)", () => {
  // Inputs and the id orders Wine 8.0's qsort returned for them.
  const run = (n: number) => [0, 0, 0, 0, 0, ...Array.from({ length: n - 6 }, (_, i) => i + 1), 100];
  test.each([
    [run(9), [0, 1, 2, 3, 4, 5, 6, 7, 8]],
    [run(10), [1, 2, 3, 4, 0, 5, 6, 7, 8, 9]],
    [run(18), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17]],
    [run(20), [1, 2, 3, 4, 0, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19]],
    [
      [2, 1, 3, 5, 0, 0, 6, 4, 0, 2, 4, 0],
      [4, 5, 8, 11, 1, 9, 0, 2, 10, 7, 3, 6],
    ],
    [
      [4, 1, 0, 0, 3, 3, 0, 1, 0, 4, 3, 0, 6, 4, 0, 1, 5, 5, 4, 0, 4, 4, 3, 0, 1, 0, 4, 6, 1, 2],
      [14, 11, 2, 3, 23, 25, 6, 8, 19, 28, 1, 24, 7, 15, 29, 22, 4, 5, 10, 20, 21, 13, 26, 18, 9, 0, 16, 17, 27, 12],
    ],
    [
      [3, 1, 4, 0, 4, 2, 4, 6, 5, 1, 0, 4, 4, 5, 1, 2, 0, 4, 5, 0, 4, 0, 4, 1, 3, 5, 4, 3, 6, 2, 3, 4, 3, 2, 2, 1, 6, 1, 5, 6, 1, 0, 4, 2, 4, 3, 2, 5, 3, 2, 4, 0, 0, 4, 3, 1, 6],
      [
        16, 10, 21, 3, 52, 19, 51, 41, 9, 1, 35, 23, 40, 37, 14, 55, 43, 34, 49, 5, 33, 46, 15, 29, 48, 54, 27, 0, 24, 45, 30, 32, 31, 26, 2, 22, 53, 20, 4, 6, 50, 17, 42, 11, 44, 12, 13, 47, 8, 38,
        18, 25, 36, 7, 39, 28, 56,
      ],
    ],
    [
      [3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3],
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
    ],
  ])('%j', (keys, ids) => {
    expect(sorted(keys)).toEqual(ids);
  });

  test('no element, one element', () => {
    expect(sorted([])).toEqual([]);
    expect(sorted([7])).toEqual([0]);
  });
});

describe('folded procedures named as dbghelp.dll names them', () => {
  function modules(): { pdb: PdbFile; ms: (i: number, bytes?: Uint8Array) => ModuleSymbols } {
    const pdb = new PdbFile(new BufferSource(new Uint8Array(fs.readFileSync(PDB)), PDB));
    const ms = (i: number, bytes?: Uint8Array) => {
      const info = pdb.modules()[i];
      return new ModuleSymbols(Cursor.of(bytes ?? pdb.msf.readStream(info.symStream), `module ${i}`), info.symByteSize);
    };
    return { pdb, ms };
  }

  test("big.obj: one record per shared address, the one the DLL's two sorts leave last; small.obj: none (stream order)", () => {
    const { pdb, ms } = modules();
    expect(pdb.modules()[0].symByteSize).toBeGreaterThanOrEqual(1024);
    expect(pdb.modules()[1].symByteSize).toBeLessThan(1024);
    // g2 (stream offset 860) of g0 644, g1 752, g2 860; h0 (1616) of h0..h4 1616..2048: h0 only
    // because the 3 static variables join the array before the second sort (without them: h4).
    expect([...(dbghelpLeads(ms(0)) ?? [])].sort((a, b) => a - b)).toEqual([860, 1616]);
    expect(dbghelpLeads(ms(1))).toBeUndefined();
  });

  test("SymFromAddr answers Microsoft's names at every recorded address (g2, not the first record g0)", async () => {
    const sym = SymbolHandler.initialize({ options: SymOpt.UNDNAME | SymOpt.DEFERRED_LOADS | SymOpt.LOAD_LINES });
    try {
      const base = await sym.loadModule(IMAGE, { pdbPath: PDB });
      const ours = MS.rows.map((r) => {
        const hit = sym.fromAddr(base + BigInt(r.rva));
        return { rva: r.rva, name: hit?.symbol.name, symRva: hit ? `0x${(hit.symbol.address - base).toString(16)}` : undefined, disp: Number(hit?.displacement), size: hit?.symbol.size };
      });
      expect(ours).toEqual(MS.rows);
      expect(MS.rows.map((r) => r.name)).toEqual(['g2', 'g2', 'h0', 'h0', 's0', 's0', 'before0', 'mid0']);
    } finally {
      sym.cleanup();
    }
  });

  test('cut or overwritten module streams give BAD_FORMAT or an answer, nothing else', () => {
    const { pdb } = modules();
    const raw = pdb.msf.readStream(pdb.modules()[0].symStream);
    const sym = pdb.modules()[0].symByteSize;
    let answered = 0;
    for (const bytes of [...truncations(raw.subarray(0, sym), 32), ...corruptions(raw.subarray(0, sym), 60, 6, 3, 4)]) {
      try {
        const leads = dbghelpLeads(new ModuleSymbols(Cursor.of(bytes, 'module 0'), Math.min(sym, bytes.length)));
        if (leads === undefined || leads instanceof Set) answered++;
      } catch (e) {
        expect(e).toBeInstanceOf(DbgHelpError);
        expect((e as DbgHelpError).code).toBe('BAD_FORMAT');
      }
    }
    expect(answered).toBeGreaterThan(0);
  });
});
