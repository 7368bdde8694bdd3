/**
 * One walk of a procedure's records for its scope (features/scope.ts) and for TI_FINDCHILDREN
 * (features/symbol-info.ts): the records directly in a target scope (the procedure, one of its
 * S_BLOCK32s or S_INLINESITEs) and in the blocks inside it that contain an address, with the
 * S_DEFRANGE_* records that follow each S_LOCAL. Nothing is located here (scope-locals.ts does).
 */
import { isDefRange, readDefRange, type DefRange } from '../../formats/codeview/def-ranges';
import { readFrameProc, type FrameProcSym } from '../../formats/codeview/frame-proc';
import { LocalFlags, LocalKind, readBpRel, readLocal, readRegRel, readRegister } from '../../formats/codeview/local-records';
import { S, SymFamily, symFamily, isThreadData, opensScope } from '../../formats/codeview/symbol-kinds';
import { readBlock, readConstant, readData, readProc } from '../../formats/codeview/symbol-records';
import type { SymbolStream } from '../../formats/pdb/symbol-stream';

/** The address translations the walk needs (PdbProvider has them). */
export interface AddressMap {
  sectionOffsetToPdbRva(section: number, offset: number): number | undefined;
  toImageRva(pdbRva: number): number;
}

/** One S_DEFRANGE_* of an S_LOCAL: the record's stream offset, what it says, its start (PDB RVA). */
export interface RangeRecord {
  record: number;
  range: DefRange;
  start: number | undefined;
}

/** A record of the scope, before its location is worked out. */
export interface Raw {
  kind: number;
  record: number;
  /** Stream offset of the innermost scope (procedure, block or inline site) holding the record. */
  scope: number;
  /** How deep that scope is (the procedure or target 0, a block inside it 1...). */
  depth: number;
  name: string;
  typeIndex: number;
  localFlags?: number;
  ranges?: RangeRecord[];
  offset?: number;
  register?: number;
  value?: bigint;
  address?: number;
  tls?: boolean;
}

export interface Walked {
  raws: Raw[];
  frame: FrameProcSym | undefined;
  /** The target's direct child scopes (blocks, inline sites), by stream offset. */
  scopes: number[];
  /** The procedure's code length (what a whole-scope S_DEFRANGE covers). */
  procLength: number;
}

function nextRecord(symbols: SymbolStream, offset: number): { kind: number; data: ReturnType<SymbolStream['recordAt']>['data']; next: number } {
  const { kind, data } = symbols.recordAt(offset);
  return { kind, data, next: offset + 4 + data.length };
}

/**
 * Walks the procedure at `record` for the scope `target` (the procedure itself, or a block or
 * inline site inside it): the records directly in the target and in the blocks inside it that
 * contain `pdbRva` (NaN: none), not those of nested inline sites. S_FRAMEPROC is read from the
 * procedure.
 */
export function collect(pdb: AddressMap, symbols: SymbolStream, record: number, pdbRva: number, target = record): Walked {
  const raws: Raw[] = [];
  const scopes: number[] = [];
  let frame: FrameProcSym | undefined;
  const first = nextRecord(symbols, record);
  const procLength = readProc(first.data).length;
  // Open scopes: [record offset, whether its records are listed, depth below the target].
  const open: [number, boolean, number][] = [[record, record === target, 0]];
  let last: Raw | undefined; // the S_LOCAL that following S_DEFRANGE_* records describe
  let off = first.next;
  while (open.length) {
    const { kind, data, next } = nextRecord(symbols, off);
    const fam = symFamily(kind);
    const [scope, active, depth] = open[open.length - 1];
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
      open.push([off, inside, inside && active ? depth + 1 : 0]);
      last = undefined;
    } else if (isDefRange(kind)) {
      if (active && last) {
        const range = readDefRange(kind, data);
        const start = range.range ? pdb.sectionOffsetToPdbRva(range.range.section, range.range.offset) : undefined;
        last.ranges!.push({ record: off, range, start });
      }
    } else {
      last = undefined;
      if (kind === LocalKind.FRAMEPROC && open.length === 1) {
        frame ??= readFrameProc(data);
      } else if (active) {
        const raw = decodeLocal(pdb, kind, data, off, scope, depth);
        if (raw) {
          raws.push(raw);
          if (kind === LocalKind.LOCAL) last = raw;
        }
      }
    }
    off = next;
  }
  return { raws, frame, scopes, procLength };
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

/** A local, parameter, constant or static record as a Raw (undefined for other records). */
export function decodeLocal(pdb: AddressMap, kind: number, data: Parameters<typeof readLocal>[0], record: number, scope: number, depth = 0): Raw | undefined {
  const at = { kind, record, scope, depth };
  switch (kind) {
    case LocalKind.LOCAL: {
      const l = readLocal(data);
      // Globals and statics cached in a register are not locals (Wine leaves them out too).
      if (l.flags & (LocalFlags.ENREG_GLOBAL | LocalFlags.ENREG_STATIC)) return undefined;
      return { ...at, name: l.name, typeIndex: l.typeIndex, localFlags: l.flags, ranges: [] };
    }
    case LocalKind.REGREL32: {
      const r = readRegRel(data);
      return { ...at, name: r.name, typeIndex: r.typeIndex, offset: r.offset, register: r.register };
    }
    case LocalKind.BPREL32: {
      const r = readBpRel(data);
      return { ...at, name: r.name, typeIndex: r.typeIndex, offset: r.offset };
    }
    case LocalKind.REGISTER: {
      const r = readRegister(data);
      return { ...at, name: r.name, typeIndex: r.typeIndex, register: r.register };
    }
  }
  const fam = symFamily(kind);
  if (fam === SymFamily.Constant && kind === S.CONSTANT) {
    const k = readConstant(data);
    return { ...at, name: k.name, typeIndex: k.typeIndex, value: k.value };
  }
  if (fam === SymFamily.Data) {
    const d = readData(data);
    if (isThreadData(kind)) return { ...at, name: d.name, typeIndex: d.typeIndex, address: d.offset, tls: true };
    const start = pdb.sectionOffsetToPdbRva(d.segment, d.offset);
    if (start === undefined) return undefined;
    return { ...at, name: d.name, typeIndex: d.typeIndex, address: pdb.toImageRva(start) };
  }
  return undefined;
}
