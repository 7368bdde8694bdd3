/**
 * Where each record of a module's symbol stream sits among the procedures' scopes, so that a
 * symbol id (a record) answers SymGetTypeInfo from itself alone: its innermost scope (procedure,
 * S_BLOCK32, S_INLINESITE: TI_GET_LEXICALPARENT), its procedure (S_FRAMEPROC, length), and for
 * an S_DEFRANGE_* the S_LOCAL it describes. Built per DBI module in one walk of the stream (the
 * first time an id of that module is asked about), kept as sorted typed arrays.
 */
import { lastAtOrBelow } from '../../formats/binary/search';
import { isDefRange } from '../../formats/codeview/def-ranges';
import { LocalKind } from '../../formats/codeview/local-records';
import { SymFamily, symFamily, opensScope } from '../../formats/codeview/symbol-kinds';
import type { SymbolStream } from '../../formats/pdb/symbol-stream';
import type { PdbProvider } from '../pdb-provider';

export interface RecordPlace {
  /** Innermost scope record holding it (0: top level). */
  scope: number;
  /** Its procedure (0: none). */
  proc: number;
  /** An S_DEFRANGE_*'s S_LOCAL (0: none, or not a def range). */
  local: number;
  /** The procedure's S_FRAMEPROC (0: none). */
  frameProc: number;
}

export class ModuleScopes {
  private readonly offsets: Uint32Array;
  private readonly scopes: Uint32Array;
  private readonly procs: Uint32Array;
  private readonly locals: Uint32Array;
  private readonly frames = new Map<number, number>();

  constructor(symbols: SymbolStream) {
    const offsets: number[] = [];
    const scopes: number[] = [];
    const procs: number[] = [];
    const locals: number[] = [];
    const open: number[] = [];
    let proc = 0;
    let local = 0;
    symbols.forEach((kind, offset) => {
      const fam = symFamily(kind);
      const scope = open.length ? open[open.length - 1] : 0;
      if (scope || fam === SymFamily.Proc) {
        offsets.push(offset);
        scopes.push(scope);
        procs.push(fam === SymFamily.Proc && !open.length ? offset : proc);
        locals.push(isDefRange(kind) ? local : 0);
      }
      if (fam === SymFamily.End) {
        open.pop();
        if (!open.length) proc = 0;
        local = 0;
      } else if (opensScope(fam)) {
        if (!open.length && fam === SymFamily.Proc) proc = offset;
        open.push(offset);
        local = 0;
      } else if (kind === LocalKind.LOCAL) {
        local = offset;
      } else if (!isDefRange(kind)) {
        if (kind === LocalKind.FRAMEPROC && proc && !this.frames.has(proc)) this.frames.set(proc, offset);
        local = 0;
      }
    });
    this.offsets = Uint32Array.from(offsets);
    this.scopes = Uint32Array.from(scopes);
    this.procs = Uint32Array.from(procs);
    this.locals = Uint32Array.from(locals);
  }

  /** Where the record at `offset` is; undefined for records outside every procedure. */
  place(offset: number): RecordPlace | undefined {
    const i = lastAtOrBelow(this.offsets, offset);
    if (i < 0 || this.offsets[i] !== offset) return undefined;
    const proc = this.procs[i];
    return { scope: this.scopes[i], proc, local: this.locals[i], frameProc: this.frames.get(proc) ?? 0 };
  }
}

/** The index of DBI module `mod` (built on first use, kept with the provider). */
export function moduleScopes(p: PdbProvider, mod: number, symbols: SymbolStream): ModuleScopes {
  const all = p.memo('symbols.scopes', () => new Map<number, ModuleScopes>());
  let s = all.get(mod);
  if (!s) all.set(mod, (s = new ModuleScopes(symbols)));
  return s;
}
