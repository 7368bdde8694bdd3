/**
 * OMAP: the breakpad test PDBs describe images whose code was reordered after linking (by
 * basic block, by function, and "stretched"). Their symbols are in the pre-reordering layout;
 * OmapToSrc/OmapFromSrc translate. Breakpad's dump_syms (which uses DIA, i.e. DbgHelp's own
 * reader) wrote the .sym files beside them: each FUNC line gives a function's range in the
 * *final* image. Every range's first and last byte must resolve to that function here.
 * dump_syms_regtest.pdb (the same program, not reordered) is the control.
 */
import * as fs from 'fs';
import * as path from 'path';
import { SymbolHandler } from '../../lib';
import { CORPUS, describeCorpus } from '../helpers/corpus';
import { bare } from '../helpers/oracle';

const DIR = 'google_breakpad/src/tools/windows/dump_syms/testdata';

interface Func {
  address: number;
  size: number;
  name: string;
}

function funcs(symFile: string): Func[] {
  return fs
    .readFileSync(symFile, 'utf8')
    .split(/\r?\n/)
    .map((l) => /^FUNC (?:m )?([0-9a-f]+) ([0-9a-f]+) [0-9a-f]+ (.*)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ address: parseInt(m[1], 16), size: parseInt(m[2], 16), name: m[3] }));
}

/** dump_syms prints `static int google_breakpad::i()`; DbgHelp's name is `google_breakpad::i`. */
function matches(ours: string, breakpad: string): boolean {
  const want = bare(breakpad);
  return want === ours || want.endsWith(' ' + ours);
}

describeCorpus('corpus: OMAP-translated addresses (breakpad omap_*.pdb)', () => {
  test.each(['omap_reorder_funcs', 'omap_reorder_bbs', 'omap_stretched', 'omap_stretched_filled', 'dump_syms_regtest'])('%s', async (name) => {
    const base = 0x400000n;
    const sym = SymbolHandler.initialize();
    try {
      await sym.loadModule(path.join(CORPUS, DIR, `${name}.pdb`), { baseAddress: base });
      const list = funcs(path.join(CORPUS, DIR, `${name}.sym`));
      expect(list.length).toBeGreaterThan(150);
      const wrong: string[] = [];
      for (const f of list) {
        for (const a of [f.address, f.address + f.size - 1]) {
          const hit = sym.fromAddr(base + BigInt(a));
          if (!hit || !matches(hit.symbol.name, f.name)) wrong.push(`0x${a.toString(16)}: want ${f.name} got ${hit?.symbol.name}`);
          // The symbol's address is its entry in the final image's layout. A byte at or after it
          // is that far into the function; a basic block moved *before* the entry (reorder_bbs)
          // gets its offset in the original layout instead of a negative displacement.
          else if (hit.symbol.address <= base + BigInt(a) && hit.symbol.address + hit.displacement !== base + BigInt(a)) {
            wrong.push(`0x${a.toString(16)}: address+displacement is off`);
          }
        }
      }
      expect(wrong).toEqual([]);
    } finally {
      sym.cleanup();
    }
  });
});
