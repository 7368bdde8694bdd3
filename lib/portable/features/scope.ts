/**
 * The scope SymSetContext / SymSetScopeFromAddr selects, and the locals and parameters
 * SymEnumSymbols lists for it (BaseOfDll 0 and no `module!` in the mask).
 *
 * The scope is the procedure (S_*PROC32*) covering the instruction address, found through the
 * provider's code index (PdbProvider.procRecordAt, the index fromAddr uses) or, with an inline
 * frame context from SymQueryInlineTrace (SymSetScopeFromInlineContext), the S_INLINESITE of
 * that frame. Its symbols are the records directly inside it and inside every S_BLOCK32 within
 * it that contains the address (scope-walk.ts); blocks that do not contain it, and nested
 * inline sites (whose locals belong to the inlined function, another frame), are left out.
 * What each record becomes, and the order: scope-locals.ts.
 *
 * Every entry's Index is the id of the record it comes from (an S_DEFRANGE_* for a live range,
 * else the S_LOCAL or other record), so SymGetTypeInfo answers about it from that record alone
 * (features/symbol-info.ts), whatever was listed before.
 */
import { SymFlag, SymOpt, SymTag } from '../../api/constants';
import type { StackFrameContext, SymbolInfo } from '../../api/types';
import { rva } from '../../formats/binary/address';
import { LocalKind } from '../../formats/codeview/local-records';
import type { LoadedModule } from '../loaded-module';
import type { PdbProvider } from '../pdb-provider';
import { pdbOf, type HandlerContext } from './context';
import { inlineFrameAt } from './inlines';
import { CLASSIC, localsAt, twinKey } from './scope-locals';
import { collect, enclosingProc } from './scope-walk';
import { dataType } from './types';

/**
 * What SymSetContext selected. `proc` is absent when the address is in no procedure; `target`
 * is the scope record whose locals are listed: the procedure's, or an inline site's. No module:
 * the address was in none (the scope is empty).
 */
interface Selection {
  module?: LoadedModule;
  pdb: PdbProvider | undefined;
  pdbRva: number;
  proc?: { mod: number; record: number; target: number };
  symbols?: SymbolInfo[];
}

export class Scope {
  private sel: Selection | undefined;

  /**
   * SymSetContext: selects the procedure at `frame.instructionOffset`. False when the address
   * is in no module (the scope is then emptied, as Microsoft's DLL does) or in no procedure with
   * PDB symbols (the scope is then empty too). An inline frame context naming a frame of the
   * address's inline chain (SymSetScopeFromInlineContext) selects that frame's S_INLINESITE; any
   * other context (INIT, IGNORE, another chain's, past the chain) selects the physical
   * function, as Wine's SymSetScopeFromInlineContext falls back to SymSetScopeFromAddr.
   */
  set(h: HandlerContext, frame: StackFrameContext): boolean {
    const m = h.moduleAt(frame.instructionOffset);
    if (!m) {
      this.sel = { pdb: undefined, pdbRva: -1 };
      return false;
    }
    const pdb = pdbOf(m);
    const pdbRva = pdb?.toPdbRva(rva(Number(frame.instructionOffset - m.base)));
    const at = pdb && pdbRva !== undefined ? pdb.procRecordAt(pdbRva) : undefined;
    let proc: Selection['proc'];
    if (at && pdb) {
      proc = { ...at, target: at.record };
      const inline = frame.inlineFrameContext ? inlineFrameAt(h, frame.instructionOffset, frame.inlineFrameContext) : undefined;
      if (inline && inline.mod === at.mod) {
        // The site's own procedure (its parents lead there), which is the one covering the address.
        const symbols = pdb.pdb.moduleSymbols(at.mod)?.symbols;
        const owner = symbols && enclosingProc(symbols, inline.record);
        if (owner !== undefined) proc = { mod: at.mod, record: owner, target: inline.record };
      }
    }
    this.sel = { module: m, pdb, pdbRva: pdbRva ?? -1, proc };
    if (!proc) h.debug(`DBGHELP: no function with symbols at 0x${frame.instructionOffset.toString(16)}: the local scope is empty`);
    return proc !== undefined;
  }

  /** Whether a context is set (enumSymbols without a module then lists the scope). */
  get active(): boolean {
    return this.sel !== undefined;
  }

  /** The scope's locals and parameters matching a mask. */
  *enumerate(h: HandlerContext, match: (name: string) => boolean): IterableIterator<SymbolInfo> {
    const sel = this.sel;
    if (!sel?.proc || !sel.pdb || !sel.module || h.moduleByBase(sel.module.base) !== sel.module) return;
    sel.symbols ??= scopeSymbols(sel.module, sel.pdb, sel.proc, sel.pdbRva, h.options);
    for (const s of sel.symbols) if (match(s.name)) yield { ...s };
  }

  clear(): void {
    this.sel = undefined;
  }
}

/**
 * TI_FINDCHILDREN of a procedure, block or inline site (`target`, in procedure `proc` of DBI
 * module `mod`): its own locals and parameters (each S_LOCAL once, by its own record: a local's
 * location depends on an address, which a child has not; a classic record only when no S_LOCAL
 * twin is there), constants and statics, and its blocks and inline sites, in record order, as
 * symbol ids.
 */
export function scopeChildIds(pdb: PdbProvider, mod: number, proc: number, target: number, options: number): number[] {
  const ms = pdb.pdb.moduleSymbols(mod);
  if (!ms) return [];
  const stream = pdb.pdb.modules()[mod].symStream;
  const walked = collect(pdb, ms.symbols, proc, NaN, target);
  const ci = (options & SymOpt.CASE_INSENSITIVE) !== 0;
  const locals = new Set(walked.raws.filter((r) => r.kind === LocalKind.LOCAL).map((r) => twinKey(r, ci)));
  const records = walked.raws.filter((r) => !(CLASSIC.has(r.kind) && locals.has(twinKey(r, ci)))).map((r) => r.record);
  return [...records, ...walked.scopes].sort((a, b) => a - b).map((r) => pdb.id(stream, r));
}

function scopeSymbols(m: LoadedModule, pdb: PdbProvider, proc: { mod: number; record: number; target: number }, pdbRva: number, options: number): SymbolInfo[] {
  const ms = pdb.pdb.moduleSymbols(proc.mod);
  if (!ms) return [];
  const stream = pdb.pdb.modules()[proc.mod].symStream;
  const locals = localsAt(ms.symbols, proc.record, pdbRva, m.info.machineType, pdb, (options & SymOpt.CASE_INSENSITIVE) !== 0, proc.target);
  return locals.map((l) => {
    const relative = (l.flags & SymFlag.REGREL) !== 0;
    const address = relative ? BigInt.asUintN(64, BigInt(l.offset)) : l.rva === undefined ? 0n : l.flags & SymFlag.TLSREL ? BigInt(l.rva) : m.base + BigInt(l.rva);
    const { typeIndex, size } = dataType(pdb, l.typeIndex);
    return {
      typeIndex,
      index: pdb.id(stream, l.record),
      size: l.length ?? size,
      modBase: m.base,
      flags: l.flags,
      value: l.value ?? 0n,
      address,
      register: l.register,
      scope: 0,
      tag: SymTag.Data,
      nameLen: l.name.length,
      name: l.name,
    };
  });
}
