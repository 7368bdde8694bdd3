/**
 * SymFromName over a PDB: the globals' GSI hash bucket of the name, then the publics' (by the
 * name a public is shown with, as Microsoft's dbghelp.dll finds it), each falling back to a
 * table of every global or public by name, built on the first miss (writers do not all file
 * names in the bucket the published hash gives). Procedures and data named with an `@` are
 * not found (isHiddenName: dbghelp.dll answers none of `f@g`, `y@z`, `lo@cal`, `q@1`,
 * `?bar@@3HA`, while it finds the publics `q` and `bar` those data have).
 *
 * A name with `*`, `?`, `[`, `]` or `\` is a mask (wildcard.ts; SymFromName's documentation does
 * not say so; dbghelp.dll 10.0.19041.685 answers the first match, and never a name equal to a
 * mask that cannot match, such as `operator delete[]`): the globals' data in GSI hash order,
 * then their procedures in the same order, then the publics in the publics' hash order, each
 * by the name it is shown with (test/conformance/symbols.test.ts, checked against the DLL in
 * the Wine lane).
 */
import { SymOpt } from '../api/constants';
import type { Cursor } from '../formats/binary/cursor';
import { S, SymFamily, symFamily } from '../formats/codeview/symbol-kinds';
import { readConstant, readData, readPublic, readRef } from '../formats/codeview/symbol-records';
import { isHiddenName, type DisplayNames } from './display-name';
import { compileMask, isMask } from './wildcard';
import type { PdbProvider } from './pdb-provider';
import type { ModuleSymbol, SymbolQuery } from './provider';

export class PdbNameLookup {
  /** Name tables built on the first miss: globals [case-sensitive, case-insensitive]; publics also by SYMOPT_UNDNAME. */
  private readonly publicTables: (Map<string, number[]> | undefined)[] = [];
  private readonly globalTables: (Map<string, number[]> | undefined)[] = [];

  constructor(
    private readonly p: PdbProvider,
    private readonly names: DisplayNames,
  ) {}

  fromName(name: string, q: SymbolQuery): ModuleSymbol | undefined {
    const ci = (q.options & SymOpt.CASE_INSENSITIVE) !== 0;
    if (isMask(name)) return this.firstMatch(compileMask(name, ci), q);
    const key = fold(name, ci);
    const isKey = (n: string) => fold(n, ci) === key;
    if (!(q.options & SymOpt.PUBLICS_ONLY)) {
      const globals = this.p.pdb.globals();
      if (globals) {
        // Fast path: the name's GSI hash bucket. Writers do not all agree with the published
        // hash (lld-link 19 files a few 8-character names elsewhere), so a miss falls back to a
        // table of every global by name, built once.
        const hit = this.firstGlobal(globals.candidates(name), isKey, ANY, q) ?? this.firstGlobal(this.globalsByName(ci).get(key) ?? [], isKey, ANY, q);
        if (hit) return hit;
      }
    }
    if (q.options & SymOpt.NO_PUBLICS) return undefined;
    const ps = this.p.pdb.publics();
    if (!ps) return undefined;
    // A public is found by the name it is shown with, as in Microsoft's dbghelp.dll: under
    // SYMOPT_UNDNAME `chain_b`, not `_chain_b`; without it the decorated name only. Its hash
    // bucket first (the decorated name's; a user may ask for `?f@@YAXXZ` or `_main`), then the
    // table of publics by displayed name, built once per case rule and UNDNAME.
    return this.firstPublic(ps.hash.candidates(name), isKey, q) ?? this.firstPublic(this.publicsByName(q, ci).get(key)?.slice(0, 1) ?? [], () => true, q);
  }

  /** The first symbol a mask matches, in the order dbghelp.dll searches (see the header). */
  private firstMatch(match: (name: string) => boolean, q: SymbolQuery): ModuleSymbol | undefined {
    if (!(q.options & SymOpt.PUBLICS_ONLY)) {
      const offsets = this.p.pdb.globals()?.recordOffsets ?? [];
      const hit = this.firstGlobal(offsets, match, SymFamily.Data, q) ?? this.firstGlobal(offsets, match, SymFamily.Ref, q);
      if (hit) return hit;
    }
    if (q.options & SymOpt.NO_PUBLICS) return undefined;
    const ps = this.p.pdb.publics();
    return ps ? this.firstPublic(ps.hash.recordOffsets, match, q) : undefined;
  }

  /**
   * The first global record among `offsets` of the family `family` (data and constants, or
   * procedure references; ANY: both) whose name `accept`s, as a symbol; records named with an
   * `@` are skipped (isHiddenName).
   */
  private firstGlobal(offsets: Iterable<number>, accept: (name: string) => boolean, family: SymFamily.Data | SymFamily.Ref | typeof ANY, q: SymbolQuery): ModuleSymbol | undefined {
    const recs = this.p.pdb.symbolRecords();
    for (const off of offsets) {
      const { kind, data } = recs.recordAt(off);
      const g = globalName(kind, data);
      if (!g || (family !== ANY && g.family !== family) || isHiddenName(g.name, q.options) || !accept(g.name)) continue;
      const sym = g.family === SymFamily.Ref ? this.p.moduleSymbol(g.module - 1, g.record, q) : this.p.decodeAddressed(recs, this.p.pdb.dbi?.symRecordStream ?? 0, off, q);
      if (sym) return sym;
    }
    return undefined;
  }

  /** The first public among `offsets` whose shown name `accept`s. */
  private firstPublic(offsets: Iterable<number>, accept: (name: string) => boolean, q: SymbolQuery): ModuleSymbol | undefined {
    const recs = this.p.pdb.symbolRecords();
    for (const off of offsets) {
      const { kind, data } = recs.recordAt(off);
      if (kind === S.PUB32 && accept(this.names.show(readPublic(data).name, q.options))) return this.p.publicByRecord(off, q);
    }
    return undefined;
  }

  private globalsByName(ci: boolean): Map<string, number[]> {
    const cached = this.globalTables[ci ? 1 : 0];
    if (cached) return cached;
    const map = new Map<string, number[]>();
    const globals = this.p.pdb.globals();
    const recs = this.p.pdb.symbolRecords();
    for (const off of globals?.recordOffsets ?? []) {
      const { kind, data } = recs.recordAt(off);
      const g = globalName(kind, data);
      if (g) push(map, fold(g.name, ci), off);
    }
    this.globalTables[ci ? 1 : 0] = map;
    return map;
  }

  private publicsByName(q: SymbolQuery, ci: boolean): Map<string, number[]> {
    const slot = (ci ? 1 : 0) + (q.options & SymOpt.UNDNAME ? 2 : 0);
    const cached = this.publicTables[slot];
    if (cached) return cached;
    const map = new Map<string, number[]>();
    const ps = this.p.pdb.publics();
    const recs = this.p.pdb.symbolRecords();
    for (const off of ps?.addressMap ?? []) {
      const { kind, data } = recs.recordAt(off);
      if (kind !== S.PUB32) continue;
      push(map, fold(this.names.show(readPublic(data).name, q.options), ci), off);
    }
    this.publicTables[slot] = map;
    return map;
  }
}

/** Both families of firstGlobal. */
const ANY = -1;

/**
 * A global record a name lookup can answer: a procedure reference (S_PROCREF / S_LPROCREF, with
 * the module and record it names; family Ref), a datum or a constant (family Data); else
 * undefined.
 */
function globalName(kind: number, data: Cursor): { family: SymFamily.Data | SymFamily.Ref; name: string; module: number; record: number } | undefined {
  const fam = symFamily(kind);
  if (fam === SymFamily.Ref && kind !== S.DATAREF) {
    const r = readRef(data);
    return { family: SymFamily.Ref, name: r.name, module: r.module, record: r.symOffset };
  }
  if (fam === SymFamily.Data) return { family: SymFamily.Data, name: readData(data).name, module: 0, record: 0 };
  if (fam === SymFamily.Constant) return { family: SymFamily.Data, name: readConstant(data).name, module: 0, record: 0 };
  return undefined;
}

function fold(name: string, ci: boolean): string {
  return ci ? name.toLowerCase() : name;
}

function push(map: Map<string, number[]>, key: string, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
