/**
 * The scope SymSetContext / SymSetScopeFromAddr selects, and the locals and parameters
 * SymEnumSymbols lists for it (BaseOfDll 0 and no `module!` in the mask).
 *
 * The scope is the procedure (S_*PROC32*) covering the instruction address or, with an inline
 * frame context from SymQueryInlineTrace (SymSetScopeFromInlineContext), the S_INLINESITE of
 * that frame. Its symbols are the records directly inside it and inside every S_BLOCK32 within
 * it that contains the address, in record order; blocks that do not contain it, and nested
 * inline sites (whose locals belong to the inlined function, another frame), are left out.
 * What each record becomes (ARCHITECTURE.md says why):
 *
 *   S_LOCAL + S_DEFRANGE_*   the first range covering the address (outside its gaps) gives
 *                            the location: _REGISTER / _SUBFIELD_REGISTER → REGISTER;
 *                            _REGISTER_REL → REGREL; _FRAMEPOINTER_REL(_FULL_SCOPE) →
 *                            REGREL from S_FRAMEPROC's local or parameter base register
 *                            (FRAMEREL when that is x86's virtual frame VFRAME). No range
 *                            there: a same-named S_REGREL32/S_BPREL32/S_REGISTER of the same
 *                            scope answers, else the value is unavailable (SYMFLAG_NULL).
 *                            PARAMETER from the record's fIsParam.
 *   S_REGREL32               REGREL, register + offset; a parameter when the offset is
 *                            positive on x86, at or past S_FRAMEPROC's frame size elsewhere
 *                            (classicIsParam, checked against MSVC's S_LOCAL twins).
 *   S_BPREL32                REGREL from the frame pointer (EBP on x86); a parameter when
 *                            the offset is positive.
 *   S_REGISTER               REGISTER.
 *   S_CONSTANT               LOCAL | CONSTANT | VALUEPRESENT with the value.
 *   S_LDATA32 / S_LTHREAD32  static locals: their address (TLSREL offset for thread data).
 * LOCAL is set on every local and parameter; Address holds the register-relative offset as a
 * 64-bit two's complement (BigInt.asIntN(64, address) gives it back signed); Register the raw
 * CV_HREG_e number of the module's machine. A S_LOCAL and its same-named S_REGREL32 twin
 * (MSVC writes both) are listed once. TypeIndex is the record's type as a type id (modifiers
 * and forward references resolved) and Size that type's length, read when the scope is listed.
 *
 * Every local handed out is remembered per PDB (its lexical parent, DataKind and the location
 * it was listed with) for SymGetTypeInfo on its Index (features/symbol-info.ts), which also
 * lists a procedure's, block's or inline site's children through scopeChildIds.
 */
import { DataKind, MachineType, SymFlag, SymOpt, SymTag } from '../../api/constants';
import type { StackFrameContext, SymbolInfo } from '../../api/types';
import { rva } from '../../formats/binary/address';
import { lastAtOrBelow } from '../../formats/binary/search';
import { isDefRange, rangeCovers, readDefRange, type DefRange } from '../../formats/codeview/def-ranges';
import { readFrameProc, type FrameProcSym } from '../../formats/codeview/frame-proc';
import { LocalFlags, LocalKind, readBpRel, readLocal, readRegRel, readRegister } from '../../formats/codeview/local-records';
import { bpRelRegister, CvReg, decodeFramePointer, defaultFramePointer } from '../../formats/codeview/registers';
import { S, SymFamily, symFamily, isThreadData, opensScope } from '../../formats/codeview/symbol-kinds';
import { readBlock, readConstant, readData, readProc } from '../../formats/codeview/symbol-records';
import type { SymbolStream } from '../../formats/pdb/symbol-stream';
import type { LoadedModule } from '../loaded-module';
import type { PdbProvider } from '../pdb-provider';
import { pdbOf, type HandlerContext } from './context';
import { inlineFrameAt } from './inlines';
import { dataType } from './types';

/** One DBI module's procedures sorted by PDB RVA (record = stream offset). */
interface ProcIndex {
  starts: Uint32Array;
  lengths: Uint32Array;
  records: Uint32Array;
}

/**
 * What SymSetContext selected. `proc` is absent when the address is in no procedure; `target`
 * is the scope record whose locals are listed: the procedure's, or an inline site's.
 */
interface Selection {
  module: LoadedModule;
  pdb: PdbProvider | undefined;
  pdbRva: number;
  proc?: { mod: number; record: number; target: number };
  symbols?: SymbolInfo[];
}

export class Scope {
  private sel: Selection | undefined;

  /**
   * SymSetContext: selects the procedure at `frame.instructionOffset`. False when the address
   * is in no module (the previous scope stays, as in DbgHelp) or in no procedure with PDB
   * symbols (the scope is then empty: enumSymbols lists nothing). An inline frame context
   * naming a frame of the address's inline chain (SymSetScopeFromInlineContext) selects that
   * frame's S_INLINESITE; any other context (INIT, IGNORE, another chain's, past the chain)
   * selects the physical function, as Wine's SymSetScopeFromInlineContext falls back to
   * SymSetScopeFromAddr.
   */
  set(h: HandlerContext, frame: StackFrameContext): boolean {
    const m = h.moduleAt(frame.instructionOffset);
    if (!m) return false;
    const pdb = pdbOf(m);
    const pdbRva = pdb?.toPdbRva(rva(Number(frame.instructionOffset - m.base)));
    const at = pdb && pdbRva !== undefined ? procAt(pdb, pdbRva) : undefined;
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
    if (!sel?.proc || !sel.pdb || h.moduleByBase(sel.module.base) !== sel.module) return;
    sel.symbols ??= scopeSymbols(sel.module, sel.pdb, sel.proc, sel.pdbRva, h.options);
    for (const s of sel.symbols) if (match(s.name)) yield { ...s };
  }

  clear(): void {
    this.sel = undefined;
  }
}

// --- which procedure ----------------------------------------------------------------------

function procIndex(pdb: PdbProvider, mod: number): ProcIndex {
  const all = pdb.memo('scope.procs', () => new Map<number, ProcIndex>());
  let idx = all.get(mod);
  if (idx) return idx;
  const ms = pdb.pdb.moduleSymbols(mod);
  const rows: { start: number; length: number; record: number }[] = [];
  for (const r of ms?.codeRanges() ?? []) {
    if (symFamily(r.kind) !== SymFamily.Proc) continue;
    const start = pdb.sectionOffsetToPdbRva(r.section, r.offset);
    if (start !== undefined) rows.push({ start, length: r.length, record: r.record });
  }
  rows.sort((a, b) => a.start - b.start || a.record - b.record);
  idx = {
    starts: Uint32Array.from(rows, (r) => r.start),
    lengths: Uint32Array.from(rows, (r) => r.length),
    records: Uint32Array.from(rows, (r) => r.record),
  };
  all.set(mod, idx);
  return idx;
}

/** The procedure covering a PDB RVA: its DBI module and record (the first one in the stream). */
function procAt(pdb: PdbProvider, pdbRva: number): { mod: number; record: number } | undefined {
  const so = pdb.pdbRvaToSectionOffset(pdbRva);
  if (!so) return undefined;
  const mod = pdb.pdb.sectionContribs().moduleAt(so.section, so.offset);
  if (mod < 0) return undefined;
  const { starts, lengths, records } = procIndex(pdb, mod);
  let i = lastAtOrBelow(starts, pdbRva);
  if (i < 0) return undefined;
  const start = starts[i];
  while (i > 0 && starts[i - 1] === start) i--;
  for (; i < starts.length && starts[i] === start; i++) if (pdbRva - start < Math.max(lengths[i], 1)) return { mod, record: records[i] };
  return undefined;
}

// --- the procedure's records ---------------------------------------------------------------

/** A record of the scope, before its location is worked out. */
interface Raw {
  kind: number;
  record: number;
  /** Stream offset of the innermost scope (procedure or block) holding the record. */
  scope: number;
  name: string;
  typeIndex: number;
  localFlags?: number;
  ranges?: { range: DefRange; start: number | undefined }[];
  offset?: number;
  register?: number;
  value?: bigint;
  address?: number;
  tls?: boolean;
}

function nextRecord(symbols: SymbolStream, offset: number): { kind: number; data: ReturnType<SymbolStream['recordAt']>['data']; next: number } {
  const { kind, data } = symbols.recordAt(offset);
  return { kind, data, next: offset + 4 + data.length };
}

/**
 * Walks the procedure at `record` for the scope `target` (the procedure itself, or a block or
 * inline site inside it): the records directly in the target and in the blocks inside it that
 * contain `pdbRva` (NaN: none), not those of nested inline sites; `scopes` are the target's
 * direct child scopes (blocks, inline sites). S_FRAMEPROC is read from the procedure.
 */
function collect(pdb: AddressMap, symbols: SymbolStream, record: number, pdbRva: number, target = record): { raws: Raw[]; frame: FrameProcSym | undefined; scopes: number[] } {
  const raws: Raw[] = [];
  const scopes: number[] = [];
  let frame: FrameProcSym | undefined;
  const first = nextRecord(symbols, record);
  readProc(first.data);
  // Open scopes: [record offset, whether its records are listed].
  const open: [number, boolean][] = [[record, record === target]];
  let last: Raw | undefined; // the S_LOCAL that following S_DEFRANGE_* records describe
  let off = first.next;
  while (open.length) {
    const { kind, data, next } = nextRecord(symbols, off);
    const fam = symFamily(kind);
    const [scope, active] = open[open.length - 1];
    if (fam === SymFamily.End) {
      open.pop();
      last = undefined;
      if (scope === target) break; // nothing after the target's end is listed
    } else if (opensScope(fam)) {
      let inside = off === target;
      if (!inside && fam === SymFamily.Block && active) {
        const b = readBlock(data);
        const start = pdb.sectionOffsetToPdbRva(b.segment, b.offset);
        inside = start !== undefined && pdbRva >= start && pdbRva - start < b.length;
      }
      if (scope === target) scopes.push(off);
      open.push([off, inside]);
      last = undefined;
    } else if (isDefRange(kind)) {
      if (active && last) {
        const range = readDefRange(kind, data);
        const start = range.range ? pdb.sectionOffsetToPdbRva(range.range.section, range.range.offset) : undefined;
        last.ranges!.push({ range, start });
      }
    } else {
      last = undefined;
      if (kind === LocalKind.FRAMEPROC && open.length === 1) {
        frame ??= readFrameProc(data);
      } else if (active) {
        const raw = decodeLocal(pdb, kind, data, off, scope);
        if (raw) {
          raws.push(raw);
          if (kind === LocalKind.LOCAL) last = raw;
        }
      }
    }
    off = next;
  }
  return { raws, frame, scopes };
}

/**
 * The procedure a scope record (block, inline site, separated code) is in, by its pParent
 * links; the record itself when it is a procedure. Undefined for records outside procedures.
 * A parent at or after its child is BAD_FORMAT (so the walk always ends).
 */
export function enclosingProc(symbols: SymbolStream, record: number): number | undefined {
  let off = record;
  for (;;) {
    const { kind, data } = symbols.recordAt(off);
    const fam = symFamily(kind);
    if (fam === SymFamily.Proc) return off;
    if (fam !== SymFamily.Block && fam !== SymFamily.Inline && fam !== SymFamily.SepCode) return undefined;
    const parent = data.u32();
    if (parent === 0) return undefined;
    if (parent >= off) data.fail(`scope record at ${off} names its parent at ${parent}, which is not before it`, data.start);
    off = parent;
  }
}

function decodeLocal(pdb: AddressMap, kind: number, data: Parameters<typeof readLocal>[0], record: number, scope: number): Raw | undefined {
  switch (kind) {
    case LocalKind.LOCAL: {
      const l = readLocal(data);
      // Globals and statics cached in a register are not locals (Wine leaves them out too).
      if (l.flags & (LocalFlags.ENREG_GLOBAL | LocalFlags.ENREG_STATIC)) return undefined;
      return { kind, record, scope, name: l.name, typeIndex: l.typeIndex, localFlags: l.flags, ranges: [] };
    }
    case LocalKind.REGREL32: {
      const r = readRegRel(data);
      return { kind, record, scope, name: r.name, typeIndex: r.typeIndex, offset: r.offset, register: r.register };
    }
    case LocalKind.BPREL32: {
      const r = readBpRel(data);
      return { kind, record, scope, name: r.name, typeIndex: r.typeIndex, offset: r.offset };
    }
    case LocalKind.REGISTER: {
      const r = readRegister(data);
      return { kind, record, scope, name: r.name, typeIndex: r.typeIndex, register: r.register };
    }
  }
  const fam = symFamily(kind);
  if (fam === SymFamily.Constant && kind === S.CONSTANT) {
    const k = readConstant(data);
    return { kind, record, scope, name: k.name, typeIndex: k.typeIndex, value: k.value };
  }
  if (fam === SymFamily.Data) {
    const d = readData(data);
    if (isThreadData(kind)) return { kind, record, scope, name: d.name, typeIndex: d.typeIndex, address: d.offset, tls: true };
    const start = pdb.sectionOffsetToPdbRva(d.segment, d.offset);
    if (start === undefined) return undefined;
    return { kind, record, scope, name: d.name, typeIndex: d.typeIndex, address: pdb.toImageRva(start) };
  }
  return undefined;
}

// --- locations -----------------------------------------------------------------------------

interface Location {
  flags: number;
  register: number;
  offset: number;
}

const NULL_LOCATION: Location = { flags: SymFlag.NULL, register: 0, offset: 0 };

function frameRegister(frame: FrameProcSym | undefined, param: boolean, machine: number): number {
  const reg = frame ? decodeFramePointer(param ? frame.paramBasePointer : frame.localBasePointer, machine) : CvReg.NONE;
  return reg === CvReg.NONE ? defaultFramePointer(machine) : reg;
}

function regRel(register: number, offset: number): Location {
  // x86's virtual frame is no register a caller can read: DbgHelp's "frame relative".
  return register === CvReg.VFRAME ? { flags: SymFlag.FRAMEREL, register, offset } : { flags: SymFlag.REGREL, register, offset };
}

/**
 * Where an S_LOCAL lives at `pdbRva`: its first covering range for the variable's start.
 * Without an address (NaN: a child listed by TI_FINDCHILDREN), its first range's location.
 */
function fromRanges(raw: Raw, pdbRva: number, frame: FrameProcSym | undefined, machine: number): Location | undefined {
  const param = ((raw.localFlags ?? 0) & LocalFlags.IS_PARAM) !== 0;
  const anywhere = Number.isNaN(pdbRva);
  for (const { range: r, start } of raw.ranges ?? []) {
    if (r.range && !anywhere) {
      if (start === undefined || !rangeCovers(r.range, start, pdbRva)) continue;
    }
    switch (r.kind) {
      case 'register':
        if (r.offsetInParent !== 0) continue; // another piece of a variable split over registers
        return { flags: SymFlag.REGISTER, register: r.register, offset: 0 };
      case 'regrel':
        if (r.offsetInParent !== 0) continue;
        return regRel(r.register, r.offset);
      case 'framerel':
        return regRel(frameRegister(frame, param, machine), r.offset);
      case 'program':
        continue; // a DIA program: its encoding is not public
    }
  }
  return undefined;
}

/**
 * Whether a S_REGREL32 / S_BPREL32 / S_REGISTER names a parameter (they carry no flag):
 * on x86, offsets above the register (the return address and the arguments sit above the
 * entry ESP and above EBP); elsewhere offsets at or past S_FRAMEPROC's frame size (Wine's
 * rule); S_REGISTER never. `frameSize` is undefined without S_FRAMEPROC. On the corpus'
 * MSVC PDBs, where an S_LOCAL twin says the truth, this agrees 132 times out of 133 on x86 and
 * 500 of 539 on x64 (MSVC x64 also keeps locals in unused parameter home slots).
 */
export function classicIsParam(kind: number, offset: number, frameSize: number | undefined, machine: number): boolean {
  if (kind === LocalKind.REGISTER) return false;
  if (kind === LocalKind.BPREL32 || machine === MachineType.I386) return offset > 0;
  return frameSize !== undefined && offset >= frameSize;
}

/** A S_REGREL32 / S_BPREL32 / S_REGISTER's location and whether it is a parameter. */
function classic(raw: Raw, frame: FrameProcSym | undefined, machine: number): { loc: Location; param: boolean } {
  const param = classicIsParam(raw.kind, raw.offset ?? 0, frame?.frameSize, machine);
  if (raw.kind === LocalKind.REGISTER) return { loc: { flags: SymFlag.REGISTER, register: raw.register!, offset: 0 }, param };
  if (raw.kind === LocalKind.BPREL32) return { loc: regRel(bpRelRegister(machine), raw.offset!), param };
  return { loc: regRel(raw.register!, raw.offset!), param };
}

const CLASSIC = new Set<number>([LocalKind.REGREL32, LocalKind.BPREL32, LocalKind.REGISTER]);

/** The address translations the walk needs (PdbProvider has them). */
export interface AddressMap {
  sectionOffsetToPdbRva(section: number, offset: number): number | undefined;
  toImageRva(pdbRva: number): number;
}

/** One local of a scope, before it becomes a SymbolInfo. */
export interface ScopeLocal {
  /** Stream offset of the record. */
  record: number;
  /** Stream offset of the innermost scope record (procedure, block, inline site) holding it. */
  scope: number;
  name: string;
  typeIndex: number;
  flags: number;
  register: number;
  /** Register-relative offset (REGREL/FRAMEREL), else 0. */
  offset: number;
  /** Constants only. */
  value?: bigint;
  /** Static locals: image RVA (or TLS offset with TLSREL). */
  rva?: number;
}

/**
 * The locals and parameters of the procedure whose record is at `record` in `symbols`, as
 * seen from `pdbRva` (see the header comment for what each record becomes); with `target`,
 * those of that block or inline site of the procedure instead. A NaN `pdbRva` lists the
 * target's own records only (no block is entered), each S_LOCAL at its first range.
 */
export function localsAt(symbols: SymbolStream, record: number, pdbRva: number, machine: number, addr: AddressMap, caseInsensitive = false, target = record): ScopeLocal[] {
  return locate(collect(addr, symbols, record, pdbRva, target), pdbRva, machine, caseInsensitive);
}

function locate({ raws, frame }: { raws: Raw[]; frame: FrameProcSym | undefined }, pdbRva: number, machine: number, caseInsensitive: boolean): ScopeLocal[] {
  const key = (r: Raw) => `${r.scope}\u0000${caseInsensitive ? r.name.toLowerCase() : r.name}`;
  const locals = new Set(raws.filter((r) => r.kind === LocalKind.LOCAL).map(key));
  const twins = new Map<string, Raw>();
  for (const r of raws) if (CLASSIC.has(r.kind) && !twins.has(key(r))) twins.set(key(r), r);
  const out: ScopeLocal[] = [];
  for (const r of raws) {
    const base = { record: r.record, scope: r.scope, name: r.name, typeIndex: r.typeIndex };
    if (r.kind === LocalKind.LOCAL) {
      const param = ((r.localFlags ?? 0) & LocalFlags.IS_PARAM) !== 0;
      const twin = twins.get(key(r));
      const loc = fromRanges(r, pdbRva, frame, machine) ?? (twin ? classic(twin, frame, machine).loc : NULL_LOCATION);
      out.push({ ...base, flags: SymFlag.LOCAL | (param ? SymFlag.PARAMETER : 0) | loc.flags, register: loc.register, offset: loc.offset });
    } else if (CLASSIC.has(r.kind)) {
      if (locals.has(key(r))) continue; // listed with its S_LOCAL
      const { loc, param } = classic(r, frame, machine);
      out.push({ ...base, flags: SymFlag.LOCAL | (param ? SymFlag.PARAMETER : 0) | loc.flags, register: loc.register, offset: loc.offset });
    } else if (r.value !== undefined) {
      out.push({ ...base, flags: SymFlag.LOCAL | SymFlag.CONSTANT | SymFlag.VALUEPRESENT, register: 0, offset: 0, value: r.value });
    } else {
      out.push({ ...base, flags: r.tls ? SymFlag.TLSREL : 0, register: 0, offset: 0, rva: r.address });
    }
  }
  return out;
}

// --- symbols and their facts ------------------------------------------------------------------

/** What SymGetTypeInfo answers about a local beyond its record (remembered when it is listed). */
export interface LocalFacts {
  /** Id of the scope (procedure, block, inline site) the record is in: TI_GET_LEXICALPARENT. */
  parent: number;
  /** TI_GET_DATAKIND. */
  dataKind: number;
  /** SYMFLAG_* location bits and register it was last listed with. */
  flags: number;
  register: number;
  /** Register-relative offset (REGREL/FRAMEREL), else 0. */
  offset: number;
}

function factsTable(pdb: PdbProvider): Map<number, LocalFacts> {
  return pdb.memo('scope.facts', () => new Map<number, LocalFacts>());
}

/** The facts remembered for a local's id (SymbolInfo.index), if it was ever listed. */
export function localFacts(pdb: PdbProvider, id: number): LocalFacts | undefined {
  return factsTable(pdb).get(id);
}

function dataKindOf(l: ScopeLocal): number {
  if (l.flags & SymFlag.CONSTANT) return DataKind.Constant;
  if (l.rva !== undefined) return DataKind.StaticLocal;
  return l.flags & SymFlag.PARAMETER ? DataKind.Param : DataKind.Local;
}

/** Ids for a list of locals; each one's facts remembered. */
function remember(pdb: PdbProvider, stream: number, locals: ScopeLocal[]): number[] {
  const table = factsTable(pdb);
  return locals.map((l) => {
    const id = pdb.id(stream, l.record);
    table.set(id, { parent: pdb.id(stream, l.scope), dataKind: dataKindOf(l), flags: l.flags, register: l.register, offset: l.offset });
    return id;
  });
}

/**
 * TI_FINDCHILDREN of a procedure, block or inline site (`target`, in procedure `proc` of DBI
 * module `mod`): its own locals and parameters (an S_LOCAL and its twin once) and its blocks
 * and inline sites, in record order, as symbol ids.
 */
export function scopeChildIds(pdb: PdbProvider, mod: number, proc: number, target: number, machine: number, options: number): number[] {
  const ms = pdb.pdb.moduleSymbols(mod);
  if (!ms) return [];
  const stream = pdb.pdb.modules()[mod].symStream;
  const walked = collect(pdb, ms.symbols, proc, NaN, target);
  const locals = locate(walked, NaN, machine, (options & SymOpt.CASE_INSENSITIVE) !== 0);
  const ids = remember(pdb, stream, locals);
  const rows = [...locals.map((l, i) => ({ record: l.record, id: ids[i] })), ...walked.scopes.map((r) => ({ record: r, id: pdb.id(stream, r) }))];
  return rows.sort((a, b) => a.record - b.record).map((r) => r.id);
}

function scopeSymbols(m: LoadedModule, pdb: PdbProvider, proc: { mod: number; record: number; target: number }, pdbRva: number, options: number): SymbolInfo[] {
  const ms = pdb.pdb.moduleSymbols(proc.mod);
  if (!ms) return [];
  const stream = pdb.pdb.modules()[proc.mod].symStream;
  const locals = localsAt(ms.symbols, proc.record, pdbRva, m.info.machineType, pdb, (options & SymOpt.CASE_INSENSITIVE) !== 0, proc.target);
  const ids = remember(pdb, stream, locals);
  return locals.map((l, i) => {
    const relative = (l.flags & (SymFlag.REGREL | SymFlag.FRAMEREL)) !== 0;
    const address = relative ? BigInt.asUintN(64, BigInt(l.offset)) : l.rva === undefined ? 0n : l.flags & SymFlag.TLSREL ? BigInt(l.rva) : m.base + BigInt(l.rva);
    const { typeIndex, size } = dataType(pdb, l.typeIndex);
    return {
      typeIndex,
      index: ids[i],
      size,
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
