/**
 * SymEnumSymbols over a PDB as Microsoft's dbghelp.dll 10.0.19041.685 lists (corpus
 * `.enum.jsonl` oracle files, test/corpus/dbghelp-enum.test.ts): every module's top-level
 * procedures and data, then the globals' data, then the publics at addresses not already
 * listed. Left out as dbghelp.dll leaves them out: constants, thunk and trampoline records
 * (their addresses' publics are listed), string-literal publics (`??_C@`), and procedures
 * and data whose names have an `@` in them (isHiddenName: the public there is listed). A
 * /DEBUG:FASTLINK PDB cannot be enumerated (dbghelp.dll fails with 16385).
 */
import { DbgHelpError } from '../api/errors';
import { SymFlag, SymOpt, SymTag } from '../api/constants';
import { SymFamily, symFamily } from '../formats/codeview/symbol-kinds';
import { readPublic } from '../formats/codeview/symbol-records';
import { isHiddenName } from './display-name';
import type { PdbProvider } from './pdb-provider';
import type { ModuleSymbol, SymbolQuery } from './provider';

/** GetLastError of dbghelp.dll's SymEnumSymbols on a /DEBUG:FASTLINK module. */
export const FASTLINK_ENUM_ERROR = 16385;

export function* enumeratePdb(p: PdbProvider, q: SymbolQuery): IterableIterator<ModuleSymbol> {
  if (p.pdb.info.fastLink) {
    // Microsoft's dbghelp.dll 10.0.19041.685: SymEnumSymbols fails on such a module with
    // GetLastError 16385 (corpus CppConsoleApp.exe .enum.jsonl), though SymFromAddr answers.
    throw new DbgHelpError(
      'UNSUPPORTED',
      `${p.pdb.name} was linked with /DEBUG:FASTLINK: its symbols stay in the object files, so they cannot be enumerated (dbghelp.dll fails the same way, error ${FASTLINK_ENUM_ERROR}); addresses are still answered from its publics and lines`,
      { file: p.pdb.name, win32Error: FASTLINK_ENUM_ERROR },
    );
  }
  const seen = new Set<number>(); // addresses of listed private symbols (publics there are not listed again)
  const seenData = new Set<string>(); // data listed from a module stream and again in the globals
  if (!(q.options & SymOpt.PUBLICS_ONLY)) {
    const mods = p.pdb.modules();
    for (let m = 0; m < mods.length; m++) {
      // Each module's stream is read for its turn and not kept (a handler that holds them
      // already lends its own): listing the big bench PDB kept its 85 MB of module streams.
      const ms = p.pdb.readModuleSymbols(m);
      if (!ms) continue;
      const wanted: number[] = [];
      ms.forEachTopLevel((kind, offset) => {
        const fam = symFamily(kind);
        // Thunk and trampoline records are not listed (their addresses' publics are).
        if (fam === SymFamily.Proc || fam === SymFamily.Data) wanted.push(offset);
      });
      for (const off of wanted) {
        const s = p.decodeAddressed(ms.symbols, mods[m].symStream, off, q);
        if (!s) continue;
        // `@_EH4_CallFilterFunc@8`, `lo@cal`: not dbghelp.dll's symbols (the public there is listed).
        if (isHiddenName(s.name)) continue;
        if (s.tag === SymTag.Data) seenData.add(`${s.flags}:${s.name}@${s.rva}`);
        if (!(s.flags & SymFlag.TLSREL)) seen.add(s.rva);
        yield s;
      }
    }
    const globals = p.pdb.globals();
    if (globals) {
      const recs = p.pdb.symbolRecords();
      const stream = p.pdb.dbi?.symRecordStream ?? 0;
      const offs = Array.from(globals.recordOffsets).sort((a, b) => a - b);
      for (const off of offs) {
        const kind = recs.kindAt(off);
        const fam = symFamily(kind);
        // Constants are not listed.
        if (fam !== SymFamily.Data) continue;
        const s = p.decodeAddressed(recs, stream, off, q);
        if (!s || isHiddenName(s.name)) continue;
        if (fam === SymFamily.Data) {
          const key = `${s.flags}:${s.name}@${s.rva}`;
          if (seenData.has(key)) continue;
          seenData.add(key);
          if (!(s.flags & SymFlag.TLSREL)) seen.add(s.rva);
        }
        yield s;
      }
    }
  }
  if (q.options & SymOpt.NO_PUBLICS) return;
  const { rvas, records, sizes } = p.publics();
  // Every public is decoded: keep the Symbol Records stream rather than read record by record.
  if (rvas.length) p.pdb.symbolRecords();
  for (let i = 0; i < rvas.length; i++) {
    if (seen.has(rvas[i])) continue;
    // String literals (`??_C@...`, shown as `string') are not listed.
    if (readPublic(p.pdb.symbolRecordAt(records[i], sizes[i]).data).name.startsWith('??_C@')) continue;
    yield p.publicSymbol(records[i], sizes[i], rvas[i], q);
  }
}
