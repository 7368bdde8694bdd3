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

/**
 * dump_syms prints `static int google_breakpad::i()`; DbgHelp's name is `google_breakpad::i`.
 * DIA (dump_syms) also strips one underscore from x86 procedures written by the assembler
 * (`_SEH_prolog4`), where Microsoft's dbghelp.dll answers the record's name (`__SEH_prolog4`:
 * corpus oracle crash.exe 0x34e0, basic32.dll 0xac20): both spellings are accepted.
 */
function matches(ours: string, breakpad: string): boolean {
  const want = bare(breakpad);
  return want === ours || want.endsWith(' ' + ours) || '_' + want === ours;
}

/**
 * Where Microsoft's dbghelp.dll and DIA (dump_syms) part: in an image not reordered, dbghelp.dll
 * answers the nearest symbol below the address even inside a function, a public or data label
 * of an assembler routine (corpus oracle basic32.dll: `_NLG_Dispatch+0` at 0x135c3 inside
 * `_NLG_Notify`, `TrailingUpVec+86` at 0x13f1a inside memcpy). Our answers there, by address.
 */
const NEAREST_LABEL: Record<string, Record<string, string>> = {
  dump_syms_regtest: { '0x45e3': '_NLG_Dispatch2', '0x45e6': '_NLG_Return2', '0x4980': 'TrailDownVec', '0x564b': '_alloca_probe_8' },
};

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
          const label = NEAREST_LABEL[name]?.[`0x${a.toString(16)}`];
          if (label !== undefined) {
            if (hit?.symbol.name !== label) wrong.push(`0x${a.toString(16)}: want ${label} (dbghelp.dll's nearest symbol) got ${hit?.symbol.name}`);
          } else if (!hit || !matches(hit.symbol.name, f.name)) wrong.push(`0x${a.toString(16)}: want ${f.name} got ${hit?.symbol.name}`);
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
