/**
 * SymEnumSymbols over a PDB as Microsoft's dbghelp.dll 10.0.19041.685 lists (corpus
 * `.enum.jsonl` oracle files, which keep the DLL's order: test/corpus/dbghelp-enum.test.ts):
 * the globals' data (S_GDATA32, S_LDATA32 and their thread-local kinds) in GSI hash order, then
 * the procedures their S_PROCREF / S_LPROCREF name, in the same order, then the publics in the
 * publics' hash order, each at an address no symbol listed before it holds. The mask is
 * applied as each symbol is reached, so a public is left out only for a symbol the mask let
 * through (with `*a*`, the public `` Rect::`scalar deleting destructor' `` at
 * `Rect::~Rect`'s address is listed; with `*`, the procedure is, and the public is not). Left
 * out as dbghelp.dll leaves them out: constants, thunk and trampoline records (their
 * addresses' publics are listed), string-literal publics (`??_C@`), and procedures and data
 * whose names have an `@` in them unless SYMOPT_NO_PUBLICS is set (isHiddenName: the public
 * there is listed). A
 * /DEBUG:FASTLINK PDB cannot be enumerated (dbghelp.dll fails with 16385).
 */
import { DbgHelpError } from '../api/errors';
import { SymFlag, SymOpt, SymTag } from '../api/constants';
import { S, SymFamily, symFamily } from '../formats/codeview/symbol-kinds';
import { readPublic, readRef } from '../formats/codeview/symbol-records';
import { rva } from '../formats/binary/address';
import { sortedOrder } from '../formats/binary/search';
import { isHiddenName } from './display-name';
import type { PdbProvider } from './pdb-provider';
import type { ModuleSymbol, SymbolQuery } from './provider';

/** GetLastError of dbghelp.dll's SymEnumSymbols on a /DEBUG:FASTLINK module. */
export const FASTLINK_ENUM_ERROR = 16385;

export function* enumeratePdb(p: PdbProvider, q: SymbolQuery, match: (name: string) => boolean = () => true): IterableIterator<ModuleSymbol> {
  if (p.pdb.info.fastLink) {
    // Microsoft's dbghelp.dll 10.0.19041.685: SymEnumSymbols fails on such a module with
    // GetLastError 16385 (corpus CppConsoleApp.exe .enum.jsonl), though SymFromAddr answers.
    throw new DbgHelpError(
      'UNSUPPORTED',
      `${p.pdb.name} was linked with /DEBUG:FASTLINK: its symbols stay in the object files, so they cannot be enumerated (dbghelp.dll fails the same way, error ${FASTLINK_ENUM_ERROR}); addresses are still answered from its publics and lines`,
      { file: p.pdb.name, win32Error: FASTLINK_ENUM_ERROR },
    );
  }
  const seen = new Set<number>(); // addresses of listed private symbols (publics there are not listed)
  const listed = (s: ModuleSymbol | undefined): s is ModuleSymbol => {
    if (!s || isHiddenName(s.name, q.options) || !match(s.name)) return false;
    if (!(s.flags & SymFlag.TLSREL)) seen.add(s.rva);
    return true;
  };
  const globals = q.options & SymOpt.PUBLICS_ONLY ? undefined : p.pdb.globals();
  if (globals) {
    const recs = p.pdb.symbolRecords();
    const stream = p.pdb.dbi?.symRecordStream ?? 0;
    for (const off of globals.recordOffsets) {
      if (symFamily(recs.kindAt(off)) !== SymFamily.Data) continue; // constants are not listed
      const s = p.decodeAddressed(recs, stream, off, q);
      if (listed(s)) yield s;
    }
    // The procedures, decoded module by module (each module's stream read once, for its turn,
    // and not kept: one read per reference cost the big bench PDB twice the time and 120 MB),
    // then listed in the references' order.
    const mods = p.pdb.modules();
    const refMod: number[] = [];
    const refRecord: number[] = [];
    for (const off of globals.recordOffsets) {
      const { kind, data } = recs.recordAt(off);
      if (symFamily(kind) !== SymFamily.Ref || kind === S.DATAREF) continue;
      const r = readRef(data);
      if (isHiddenName(r.name, q.options) || r.module < 1 || r.module > mods.length) continue;
      refMod.push(r.module - 1);
      refRecord.push(r.symOffset);
    }
    const n = refMod.length;
    const byModule = sortedOrder(refMod) ?? Uint32Array.from({ length: n }, (_, i) => i);
    // What a listed procedure is, kept in arrays until its turn (an object each held the big
    // bench PDB's 148,000 at once: 50 MB more peak RSS).
    const name: (string | undefined)[] = new Array(n).fill(undefined);
    const fields = new Uint32Array(5 * n); // rva, size, flags, typeIndex, index
    for (let i = 0; i < n;) {
      const m = refMod[byModule[i]];
      const ms = p.pdb.readModuleSymbols(m);
      for (; i < n && refMod[byModule[i]] === m; i++) {
        const k = byModule[i];
        const s = ms ? p.decodeAddressed(ms.symbols, mods[m].symStream, refRecord[k], q) : undefined;
        // Thunk and trampoline records are not listed (their addresses' publics are).
        if (!s || s.tag !== SymTag.Function) continue;
        name[k] = s.name;
        fields.set([s.rva, s.size, s.flags, s.typeIndex, s.index], 5 * k);
      }
    }
    for (let k = 0; k < n; k++) {
      const nm = name[k];
      if (nm === undefined) continue;
      const f = 5 * k;
      const s: ModuleSymbol = { name: nm, rva: rva(fields[f]), size: fields[f + 1], tag: SymTag.Function, flags: fields[f + 2], typeIndex: fields[f + 3], index: fields[f + 4] };
      if (listed(s)) yield s;
    }
  }
  if (q.options & SymOpt.NO_PUBLICS) return;
  const ps = p.pdb.publics();
  if (!ps) return;
  // Every public is decoded: keep the Symbol Records stream rather than read record by record.
  const recs = p.pdb.symbolRecords();
  for (const off of ps.hash.recordOffsets) {
    const { kind, data } = recs.recordAt(off);
    if (kind !== S.PUB32) continue;
    const pub = readPublic(data);
    // String literals (`??_C@...`, shown as `string') are not listed; nor a public where a
    // listed symbol is (found before its name is undecorated: most of them are).
    const at = p.sectionOffsetToPdbRva(pub.segment, pub.offset);
    if (at === undefined || seen.has(p.toImageRva(at)) || pub.name.startsWith('??_C@')) continue;
    const s = p.publicByRecord(off, q);
    if (s && match(s.name)) yield s;
  }
}
