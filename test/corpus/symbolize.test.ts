/**
 * SymFromAddr on every corpus image with an llvm-symbolizer oracle (../shared/corpus/oracle):
 * the start, middle and last byte of every procedure and every public.
 *
 * The oracle is LLVM's reading, not DbgHelp's. Where our answer differs, the difference must be
 * one of the classes explained in test/helpers/oracle.ts (each checked against the PDB's bytes
 * with llvm-pdbutil), or an alias: both names are symbols at the very same address (identical
 * code folding or a second public/label on a function) and we, like DbgHelp, answer with the
 * procedure record's name. Anything else fails. The per-image counts are pinned so a change in
 * behaviour shows up as a diff here.
 *
 * Where LLVM and Microsoft's dbghelp.dll differ, dbghelp.dll is the reference: an answer equal to
 * its oracle's at that address (test/helpers/ms-oracle.ts) is the class `dbghelp-oracle`
 * (nearest data or label inside a function, the C rule for non-C++ publics, x86 procedure names
 * as written). test/corpus/dbghelp-oracle.test.ts scores every field against it.
 *
 * Why images score below 100% in ../shared/tools/corpus-score --oracle llvm (raw strings):
 * - template-spelling is the bulk: MSVC-built PDBs name procedures in MSVC's spelling
 *   (`std::basic_string<wchar_t,std::char_traits<wchar_t>,std::allocator<wchar_t> >::assign`),
 *   which is what DbgHelp returns; llvm-symbolizer prints the public symbol through
 *   llvm-undname (`std::basic_string<wchar_t, struct std::char_traits<wchar_t>, class
 *   std::allocator<wchar_t>>::assign`).
 * - basic32.dll (x86) adds llvm-x86-underscore: llvm strips one underscore from private x86
 *   names (`S_LPROC32 __acrt_lock_stream_and_call<...>` in the PDB, `_acrt_...` in the oracle).
 */
import * as path from 'path';
import { SymbolHandler, SymOpt } from '../../lib';
import { CORPUS, corpusPath, describeCorpus } from '../helpers/corpus';
import { explainDifference, readSymbolizerOracle, sameName } from '../helpers/oracle';
import { msAddressOracles } from '../helpers/ms-oracle';

const ORACLES = [
  'getsentry_symbolic/symbolic-testutils/fixtures/windows/CrashWithException.exe',
  'getsentry_symbolic/symbolic-testutils/fixtures/windows/crash.exe',
  'google_breakpad/src/tools/windows/dump_syms/testdata/dump_syms_regtest64.exe',
  'mozilla_dump_syms/test_data/windows/basic32-min.dll',
  'mozilla_dump_syms/test_data/windows/basic32.dll',
  'mstange_samply/fixtures/win64-ci/WriteArgument.exe',
  'mstange_samply/fixtures/win64-ci/softokn3.dll',
  'mstange_symsrv/tests/fixtures/ShowSSEConfig.exe/63E6C7F78000/ShowSSEConfig.exe',
];

function resolve(p: string): string {
  return p.startsWith('derived/') ? path.join(CORPUS, p) : corpusPath(p);
}

describeCorpus('corpus: fromAddr against llvm-symbolizer-19', () => {
  test.each(ORACLES)('%s', async (rel) => {
    const { head, rows } = readSymbolizerOracle(path.join(CORPUS, 'oracle', `${rel}.llvm-symbolizer-19.jsonl`));
    const ms = msAddressOracles().find((o) => o.image === rel);
    const microsoft = new Map((ms?.rows ?? []).map((r) => [Number(BigInt(r.rva)), r.sym?.name]));
    const sym = SymbolHandler.initialize();
    try {
      const base = await sym.loadModule(resolve(head.pe), { pdbPath: resolve(head.pdb) });
      const classes: Record<string, number> = {};
      const unexplained: string[] = [];
      let scored = 0;
      for (const row of rows) {
        // String-literal publics are data whose rendering differs between tools (corpus-score skips them too).
        if (!row.function || /^L?"/.test(row.function)) continue;
        scored++;
        const hit = sym.fromAddr(base + BigInt(row.address));
        if (hit && sameName(hit.symbol.name, row.function)) {
          classes.same = (classes.same ?? 0) + 1;
          continue;
        }
        let why = hit ? explainDifference(hit.symbol.name, row.function) : undefined;
        // Microsoft's dbghelp.dll gives our answer (its oracle, where it has one): LLVM differs.
        if (!why && hit && microsoft.get(row.address) === hit.symbol.name) why = 'dbghelp-oracle';
        if (!why && hit) {
          // An alias: llvm's name is also a symbol, at exactly the address of ours.
          const raw = sym.getOptions();
          sym.setOptions(raw | SymOpt.PUBLICS_ONLY);
          const other = findByLlvmName(sym, row.function);
          sym.setOptions(raw);
          const mine = hit.symbol.address;
          if (other && other.address === mine) why = 'alias';
        }
        if (why) classes[why] = (classes[why] ?? 0) + 1;
        else unexplained.push(`0x${row.address.toString(16)}: want ${row.function} got ${hit?.symbol.name}`);
      }
      expect(unexplained).toEqual([]);
      expect({ scored, ...classes }).toMatchSnapshot();
    } finally {
      sym.cleanup();
    }
  });
});

function findByLlvmName(sym: SymbolHandler, llvmName: string) {
  const name = llvmName.replace(/\(.*$/, '');
  const found = sym.fromName(name) ?? sym.fromName(name.replace(/^_/, ''));
  if (found) return found;
  // Publics are named as dbghelp spells them (`<a,b<c> >`, `deleting destructor'), llvm-undname otherwise.
  for (const s of sym.enumSymbols({ mask: '*' })) if (sameName(s.name, name)) return s;
  return undefined;
}
