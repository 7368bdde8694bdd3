/**
 * TypeModel: the type ids of one PDB, from TPI (and typedefs from the globals' S_UDT records),
 * what each id stands for (type-nodes.ts), children numbered on first use, lookups by name and
 * the enumeration; the requests are answered by type-info.ts, the entry points are types.ts.
 *
 * Type ids (what SymbolInfo.typeIndex, getTypeFromName and TI_GET_TYPE / TI_FINDCHILDREN
 * answer, and what getTypeInfo takes). DIA numbers the symbols it hands out; we number them so
 * that the type indices already in symbol records work unchanged:
 * - 1..0xfff: CodeView simple types: a base type (SymTagBaseType, T_INT4 = `int`), or with a
 *   pointer mode a pointer to one (T_64PVOID = `void *`);
 * - typeIndexBegin..typeIndexEnd-1: the TPI record with that index. LF_MODIFIER is
 *   transparent (DbgHelp has no const/volatile symtag): its id answers as the modified type.
 *   A forward reference answers as its definition, and every id we hand out is already the
 *   definition's; an LF_BITFIELD answers as its underlying type;
 * - 0x80000000 and up: symbols that are not TPI types, numbered on first use in blocks, one
 *   block per parent: the children of a UDT (members, static members, base classes, methods
 *   (one per overload), nested types, the vtable pointer), of an enum (enumerators), of a
 *   function type (arguments), and typedefs (S_UDT records naming another type). A block is
 *   numbered when its parent's children are first listed, so an id is stable for the
 *   handler's life and equal ids mean the same symbol.
 * Ids DbgHelp would not have (LF_ARGLIST, LF_FIELDLIST, LF_METHODLIST, unknown numbers)
 * answer undefined to every request. Symbol ids (SYMBOL_INFO.Index, 0x40000000..0x7fffffff)
 * are answered by features/symbol-info.ts (ARCHITECTURE.md "Ids" has the whole map).
 *
 * What each request answers follows DIA's documentation (IDiaSymbol::get_*), with Wine's
 * dbghelp (type.c symt_get_info) where DIA's is silent; ARCHITECTURE.md lists the choices.
 */

import { MachineType } from '../../api/constants';
import { DbgHelpError, badFormat } from '../../api/errors';
import type { TypeInfoValue } from '../../api/types';
import { lastWhere } from '../../formats/binary/search';
import { S } from '../../formats/codeview/symbol-kinds';
import { TypeFamily, isTagRecord, typeFamily } from '../../formats/codeview/type-kinds';
import { isForwardRef, readArray, readBitField, readMFunction, readModifier, readPointer, readProcedure, readTag } from '../../formats/codeview/type-records';
import { hashStringV1 } from '../../formats/pdb/gsi';
import type { PdbFile } from '../../formats/pdb/pdb-file';
import { FIRST_TYPE_INDEX, type TpiStream } from '../../formats/pdb/tpi-stream';
import { decodeChildren } from './type-children';
import { typeInfo } from './type-info';
import { CHILD_CACHE, ChildKind, MAX_CHAIN, qualifier, simpleNode, SYNTHETIC_BASE, type Block, type Child, type Node } from './type-nodes';

/** The type symbols of one PDB, kept with its provider. */
export class TypeModel {
  private readonly blocks: Block[] = [];
  private readonly blockOf = new Map<number, Block>();
  private readonly typedefOf = new Map<number, Block>();
  private readonly children = new Map<number, Child[]>();
  private nextId = SYNTHETIC_BASE;

  /** The machine's pointer size, for std::nullptr_t (T_PVOID, 0x0103). */
  readonly pointerSize: number;

  constructor(
    readonly pdb: PdbFile,
    readonly tpi: TpiStream | undefined,
  ) {
    const m = pdb.machine;
    this.pointerSize = m === MachineType.AMD64 || m === MachineType.ARM64 ? 8 : 4;
  }

  // --- ids ------------------------------------------------------------------------------

  /**
   * The id a type reference found in a record stands for: modifiers stripped, forward
   * references resolved, bitfields replaced by their type. 0 stays 0 (no type). A reference to
   * a record the stream does not have is BAD_FORMAT.
   */
  canonical(ti: number): number {
    let t = ti;
    for (let i = 0; i < MAX_CHAIN; i++) {
      if (t < FIRST_TYPE_INDEX) return t;
      const tpi = this.requireTpi(t);
      const { leaf, data } = tpi.record(t);
      const fam = typeFamily(leaf);
      if (fam === TypeFamily.Modifier) t = readModifier(data).type;
      else if (fam === TypeFamily.BitField) t = readBitField(data).type;
      else if (isTagRecord(leaf)) return tpi.resolveForwardRef(t);
      else return t;
    }
    throw badFormat(this.tpi?.origin ?? this.pdb.name, 0, `type 0x${ti.toString(16)}: more than ${MAX_CHAIN} LF_MODIFIER/LF_BITFIELD links (a cycle)`);
  }

  requireTpi(t: number): TpiStream {
    if (!this.tpi || !this.tpi.has(t)) {
      throw badFormat(this.tpi?.origin ?? this.pdb.name, 0, `a record refers to type 0x${t.toString(16)}, which the TPI stream does not have`);
    }
    return this.tpi;
  }

  /** What an id stands for, or undefined for ids DbgHelp would not know. */
  node(id: number): Node | undefined {
    if (id === 0) return undefined;
    if (id >= SYNTHETIC_BASE) return this.synthetic(id);
    if (id < FIRST_TYPE_INDEX) return simpleNode(id, this.pointerSize);
    if (!this.tpi || !this.tpi.has(id)) return undefined;
    const c = this.canonical(id);
    if (c < FIRST_TYPE_INDEX) return c === 0 ? undefined : simpleNode(c, this.pointerSize);
    const { leaf, data } = this.tpi.record(c);
    switch (typeFamily(leaf)) {
      case TypeFamily.Class:
      case TypeFamily.Class2:
      case TypeFamily.Union:
      case TypeFamily.Union2:
      case TypeFamily.Enum:
        return { t: 'tag', id: c, rec: readTag(leaf, data) };
      case TypeFamily.Pointer: {
        const p = readPointer(data);
        return { t: 'pointer', id: c, referent: p.referent, size: p.size, mode: p.mode, containingClass: p.containingClass };
      }
      case TypeFamily.Array: {
        const a = readArray(leaf, data);
        return { t: 'array', id: c, element: a.element, index: a.index, size: a.size };
      }
      case TypeFamily.Procedure:
        return { t: 'function', id: c, proc: readProcedure(data) };
      case TypeFamily.MFunction:
        return { t: 'function', id: c, proc: readMFunction(data) };
      case TypeFamily.VtShape:
        return { t: 'vtshape', id: c, count: data.u16() };
      default:
        return undefined;
    }
  }

  private synthetic(id: number): Node | undefined {
    const b = this.blockAt(id);
    if (!b) return undefined;
    if (b.owner < 0) return { t: 'typedef', id, name: b.name!, type: b.type! };
    const list = this.childList(b.owner);
    const child = list[id - b.first];
    return child && { t: 'child', id, owner: b.owner, child };
  }

  private blockAt(id: number): Block | undefined {
    const bs = this.blocks;
    const b = bs[lastWhere(bs.length, (i) => bs[i].first <= id)];
    return b && id < b.first + b.count ? b : undefined;
  }

  private allocate(owner: number, count: number, extra?: { name: string; type: number }): Block {
    if (this.nextId + count > 0xffffffff) throw new DbgHelpError('UNSUPPORTED', 'more type symbols than 32-bit ids can number');
    const b: Block = { first: this.nextId, owner, count, ...extra };
    this.nextId += Math.max(count, 1);
    this.blocks.push(b);
    return b;
  }

  /**
   * The ids of a parent's children (numbered on first use). A nested UDT is listed by its own
   * type id, so it has one id whichever way it is reached.
   */
  childIds(owner: number): number[] {
    let b = this.blockOf.get(owner);
    if (!b) {
      b = this.allocate(owner, this.childList(owner).length);
      this.blockOf.set(owner, b);
    }
    const list = this.childList(owner);
    return list.map((c, i) => (c.kind === ChildKind.Nested ? this.nestedIsType(owner, c) : undefined) ?? b.first + i);
  }

  /** The id of a typedef (an S_UDT record of the globals), numbered on first use. */
  typedefId(record: number, name: string, type: number): number {
    let b = this.typedefOf.get(record);
    if (!b) {
      b = this.allocate(-1, 1, { name, type });
      this.typedefOf.set(record, b);
    }
    return b.first;
  }

  // --- children -------------------------------------------------------------------------

  /** A UDT's, enum's or function type's children, decoded (and kept, a bounded number). */
  private childList(owner: number): Child[] {
    let list = this.children.get(owner);
    if (list) return list;
    list = decodeChildren(this, owner);
    if (this.children.size >= CHILD_CACHE) this.children.delete(this.children.keys().next().value!);
    this.children.set(owner, list);
    return list;
  }

  /**
   * A nested-type entry stands for the nested UDT itself when that UDT is named `Owner::name`;
   * otherwise it is a member typedef (`typedef int T;`, or `typedef ::X X;` in a class).
   */
  nestedIsType(owner: number, c: Child): number | undefined {
    const t = this.canonical(c.type);
    const n = t >= FIRST_TYPE_INDEX ? this.node(t) : undefined;
    const o = this.node(owner);
    if (n?.t === 'tag' && o?.t === 'tag' && n.rec.name === `${o.rec.name}::${c.name}`) return t;
    return undefined;
  }

  /** A nested UDT's enclosing UDT: the definition named by its name's qualifier (`A::B` → `A`). */
  enclosing(name: string): number | undefined {
    const q = qualifier(name);
    return q && this.tpi ? this.tpi.findDefinition(q) : undefined;
  }

  /** SymGetTypeInfo: one property of an id (type-info.ts); undefined where it does not apply. */
  info(id: number, request: number): TypeInfoValue | undefined {
    return typeInfo(this, id, request);
  }

  // --- by name, enumeration -------------------------------------------------------------

  /**
   * SymGetTypeFromName: a UDT or enum definition by name (the TPI hash bucket), else a typedef
   * (an S_UDT of the globals naming another type).
   */
  fromName(name: string, ci: boolean): { id: number; name: string } | undefined {
    // An S_UDT of that name first (a typedef, even of a same-named class: Microsoft's DLL
    // answers SymTagTypedef there, whose TYPE is the class), then the UDT/enum definition.
    const globals = this.pdb.globals();
    const key = ci ? name.toLowerCase() : name;
    for (const off of globals?.candidates(name) ?? []) {
      const u = this.udtRecord(off);
      if (u && (ci ? u.name.toLowerCase() : u.name) === key) return this.udtSymbol(off, u);
    }
    const tpi = this.tpi;
    if (!tpi) return undefined;
    const def = ci ? this.findDefinitionCi(name) : tpi.findDefinition(name);
    return def === undefined ? undefined : { id: def, name: tpi.tag(def)!.name };
  }

  private findDefinitionCi(name: string): number | undefined {
    const tpi = this.tpi!;
    const exact = tpi.findDefinition(name);
    if (exact !== undefined) return exact;
    // The stored hash is case-insensitive, so the bucket is the same for any spelling.
    const want = name.toLowerCase();
    const bucket = tpi.bucket(hashStringV1(name));
    const candidates = bucket ? Array.from(bucket) : this.allTags();
    for (const ti of candidates) {
      if (!isTagRecord(tpi.leafOf(ti))) continue;
      const t = tpi.tag(ti)!;
      if (!isForwardRef(t) && t.name.toLowerCase() === want) return ti;
    }
    return undefined;
  }

  private allTags(): number[] {
    const out: number[] = [];
    this.tpi!.forEach((ti, leaf) => {
      if (isTagRecord(leaf)) out.push(ti);
    });
    return out;
  }

  /** An S_UDT record of the symbol records stream: its type and name. */
  private udtRecord(off: number): { type: number; name: string } | undefined {
    const { kind, data } = this.pdb.symbolRecords().recordAt(off);
    if (kind !== S.UDT) return undefined;
    return { type: data.u32(), name: data.cstring('S_UDT name') };
  }

  /** An S_UDT as DbgHelp lists it: the UDT itself when it just names one, else a typedef. */
  /** An S_UDT as Microsoft's DLL answers it: a typedef (SymTagTypedef, TYPE the named type). */
  private udtSymbol(off: number, u: { type: number; name: string }): { id: number; name: string } {
    return { id: this.typedefId(off, u.name, u.type), name: u.name };
  }

  /** SymEnumTypes: every UDT and enum definition in TPI order, then the typedefs (every S_UDT). */
  *enumerate(match: (name: string) => boolean): IterableIterator<{ id: number; name: string }> {
    const tpi = this.tpi;
    if (tpi) {
      const defs: number[] = [];
      tpi.forEach((ti, leaf) => {
        if (isTagRecord(leaf)) defs.push(ti);
      });
      for (const ti of defs) {
        const t = tpi.tag(ti)!;
        if (!isForwardRef(t) && match(t.name)) yield { id: ti, name: t.name };
      }
    }
    const globals = this.pdb.globals();
    if (!globals) return;
    const offs = Array.from(globals.recordOffsets).sort((a, b) => a - b);
    for (const off of offs) {
      const u = this.udtRecord(off);
      if (!u || !match(u.name)) continue;
      yield this.udtSymbol(off, u);
    }
  }
}
