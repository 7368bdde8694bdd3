/**
 * Types from TPI (and typedefs from the globals' S_UDT records): SymGetTypeFromName,
 * SymEnumTypes / SymEnumTypesByName and SymGetTypeInfo.
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
import { BasicType, DataKind, MachineType, SymOpt, SymTag, TypeInfo, UdtKind } from '../../api/constants';
import { DbgHelpError, badFormat } from '../../api/errors';
import type { SymbolInfo, TypeInfoValue } from '../../api/types';
import { FieldFamily, LF, PtrMode, TypeFamily, CvProp, isTagRecord, methodProp, MethodProp, typeFamily } from '../../formats/codeview/type-kinds';
import {
  isForwardRef,
  readArray,
  readBitField,
  readFieldList,
  readIndexList,
  readMethodList,
  readMFunction,
  readModifier,
  readPointer,
  readProcedure,
  readTag,
  type FieldEntry,
  type ProcedureRecord,
  type TagRecord,
} from '../../formats/codeview/type-records';
import { simpleKind, simpleMode, simplePointerSize } from '../../formats/codeview/type-simple';
import { hashStringV1 } from '../../formats/pdb/gsi';
import type { PdbFile } from '../../formats/pdb/pdb-file';
import { FIRST_TYPE_INDEX, type TpiStream } from '../../formats/pdb/tpi-stream';
import type { LoadedModule } from '../loaded-module';
import type { PdbProvider } from '../pdb-provider';
import { compileMask, splitModule } from '../wildcard';
import { pdbOf, type HandlerContext } from './context';
import { S } from '../../formats/codeview/symbol-kinds';
import { lastWhere } from '../../formats/binary/search';

/** The first id of symbols that are not TPI types. */
export const SYNTHETIC_BASE = 0x80000000;
/** LF_MODIFIER / forward reference / LF_BITFIELD links followed before calling it a cycle. */
const MAX_CHAIN = 64;
/** Children lists kept decoded (the ids stay valid; evicted lists are decoded again). */
const CHILD_CACHE = 512;

const enum ChildKind {
  Member,
  StaticMember,
  BaseClass,
  Enumerator,
  Method,
  Nested,
  VTable,
  Arg,
}

interface Child {
  kind: ChildKind;
  name: string;
  /** The TPI index the child refers to (member type, base class, method type, argument type...). */
  type: number;
  entry?: FieldEntry;
  /** Methods: CV_fldattr_t and the vtable offset of introducing virtuals. */
  attr: number;
  vtableOffset: number;
}

/** What an id stands for. */
type Node =
  | { t: 'base'; id: number; basicType: number; length: number }
  | { t: 'sptr'; id: number; to: number; length: number }
  | { t: 'tag'; id: number; rec: TagRecord }
  | { t: 'pointer'; id: number; referent: number; size: number; mode: number; containingClass: number }
  | { t: 'array'; id: number; element: number; index: number; size: number }
  | { t: 'function'; id: number; proc: ProcedureRecord }
  | { t: 'vtshape'; id: number; count: number }
  | { t: 'child'; id: number; owner: number; child: Child }
  | { t: 'typedef'; id: number; name: string; type: number };

/** A block of synthetic ids: the children of one parent, or one typedef. */
interface Block {
  first: number;
  /** The parent's canonical TPI index, or -1 for a typedef. */
  owner: number;
  count: number;
  /** Typedefs: the S_UDT record's name and type. */
  name?: string;
  type?: number;
}

/** The type symbols of one PDB, kept with its provider. */
export class TypeModel {
  private readonly blocks: Block[] = [];
  private readonly blockOf = new Map<number, Block>();
  private readonly typedefOf = new Map<number, Block>();
  private readonly children = new Map<number, Child[]>();
  private nextId = SYNTHETIC_BASE;

  /** The machine's pointer size, for std::nullptr_t (T_PVOID, 0x0103). */
  private readonly pointerSize: number;

  constructor(
    private readonly pdb: PdbFile,
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

  private requireTpi(t: number): TpiStream {
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
    list = this.decodeChildren(owner);
    if (this.children.size >= CHILD_CACHE) this.children.delete(this.children.keys().next().value!);
    this.children.set(owner, list);
    return list;
  }

  private decodeChildren(owner: number): Child[] {
    const n = this.node(owner);
    if (!n) return [];
    if (n.t === 'function') {
      if (!n.proc.argList) return [];
      const { leaf, data } = this.requireTpi(n.proc.argList).record(n.proc.argList);
      if (leaf !== LF.ARGLIST) data.fail(`function type 0x${owner.toString(16)}: its argument list 0x${n.proc.argList.toString(16)} is not an LF_ARGLIST`, data.start - 4);
      return Array.from(readIndexList(data), (type) => ({ kind: ChildKind.Arg, name: '', type, attr: 0, vtableOffset: 0 }));
    }
    if (n.t !== 'tag' || !n.rec.fieldList) return [];
    const out: Child[] = [];
    const tpi = this.tpi!;
    const visited = new Set<number>();
    let fl = n.rec.fieldList;
    while (fl) {
      if (visited.has(fl)) throw badFormat(tpi.origin, 0, `type 0x${owner.toString(16)}: field list 0x${fl.toString(16)} continues into itself`);
      visited.add(fl);
      const { leaf, data } = this.requireTpi(fl).record(fl);
      if (leaf !== LF.FIELDLIST) data.fail(`type 0x${owner.toString(16)}: 0x${fl.toString(16)} is not an LF_FIELDLIST`, data.start - 4);
      let next = 0;
      for (const e of readFieldList(data)) {
        const base = { name: e.name, type: e.type, entry: e, attr: e.attr, vtableOffset: 0 };
        switch (e.family) {
          case FieldFamily.Index:
            next = e.type;
            break;
          case FieldFamily.Member:
            out.push({ ...base, kind: ChildKind.Member });
            break;
          case FieldFamily.StMember:
            out.push({ ...base, kind: ChildKind.StaticMember });
            break;
          case FieldFamily.BClass:
          case FieldFamily.VBClass:
            out.push({ ...base, kind: ChildKind.BaseClass });
            break;
          case FieldFamily.Enumerate:
            out.push({ ...base, kind: ChildKind.Enumerator });
            break;
          case FieldFamily.OneMethod:
            out.push({ ...base, kind: ChildKind.Method, vtableOffset: e.offset });
            break;
          case FieldFamily.Method: {
            const ml = this.requireTpi(e.type).record(e.type);
            if (ml.leaf !== LF.METHODLIST) ml.data.fail(`method ${e.name}: 0x${e.type.toString(16)} is not an LF_METHODLIST`, ml.data.start - 4);
            for (const m of readMethodList(ml.data)) out.push({ ...base, kind: ChildKind.Method, type: m.type, attr: m.attr, vtableOffset: m.vtableOffset });
            break;
          }
          case FieldFamily.NestType:
          case FieldFamily.NestTypeEx:
            out.push({ ...base, kind: ChildKind.Nested });
            break;
          case FieldFamily.VFuncTab:
            out.push({ ...base, kind: ChildKind.VTable });
            break;
          default:
            break; // friends, vfunc offsets, member modifications: not DbgHelp children
        }
      }
      fl = next;
    }
    return out;
  }

  /**
   * A nested-type entry stands for the nested UDT itself when that UDT is named `Owner::name`;
   * otherwise it is a member typedef (`typedef int T;`, or `typedef ::X X;` in a class).
   */
  private nestedIsType(owner: number, c: Child): number | undefined {
    const t = this.canonical(c.type);
    const n = t >= FIRST_TYPE_INDEX ? this.node(t) : undefined;
    const o = this.node(owner);
    if (n?.t === 'tag' && o?.t === 'tag' && n.rec.name === `${o.rec.name}::${c.name}`) return t;
    return undefined;
  }

  /** A nested UDT's enclosing UDT: the definition named by its name's qualifier (`A::B` → `A`). */
  private enclosing(name: string): number | undefined {
    const q = qualifier(name);
    return q && this.tpi ? this.tpi.findDefinition(q) : undefined;
  }

  // --- requests -------------------------------------------------------------------------

  /** SymGetTypeInfo: one property of an id; undefined where it does not apply. */
  info(id: number, request: number): TypeInfoValue | undefined {
    let n = this.node(id);
    if (!n) return undefined;
    // A nested UDT entry is the UDT itself.
    if (n.t === 'child' && n.child.kind === ChildKind.Nested) {
      const t = this.nestedIsType(n.owner, n.child);
      if (t !== undefined && request !== TypeInfo.GET_CLASSPARENTID) n = this.node(t)!;
    }
    switch (request) {
      case TypeInfo.GET_SYMTAG:
        return this.tag(n);
      case TypeInfo.GET_SYMNAME:
        return this.name(n);
      case TypeInfo.GET_LENGTH:
        return this.length(n);
      case TypeInfo.GET_TYPE:
      case TypeInfo.GET_TYPEID:
        return this.typeOf(n);
      case TypeInfo.GET_BASETYPE:
        return this.basicType(n);
      case TypeInfo.GET_CHILDRENCOUNT: {
        const ids = this.findChildren(n);
        return ids && ids.length;
      }
      case TypeInfo.FINDCHILDREN:
        return this.findChildren(n);
      case TypeInfo.GET_DATAKIND:
        if (n.t !== 'child') return undefined;
        if (n.child.kind === ChildKind.Member) return DataKind.Member;
        if (n.child.kind === ChildKind.StaticMember) return DataKind.StaticMember;
        if (n.child.kind === ChildKind.Enumerator) return DataKind.Constant;
        return undefined;
      case TypeInfo.GET_OFFSET:
        if (n.t !== 'child' || !n.child.entry) return undefined;
        if (n.child.kind === ChildKind.Member) return n.child.entry.offset;
        if (n.child.kind === ChildKind.BaseClass && n.child.entry.family === FieldFamily.BClass) return n.child.entry.offset;
        return undefined;
      case TypeInfo.GET_BITPOSITION:
        return n.t === 'child' && n.child.kind === ChildKind.Member ? this.bitField(n.child.type)?.position : undefined;
      case TypeInfo.GET_COUNT:
        if (n.t === 'array') {
          const elem = this.lengthOfRef(n.element);
          return elem ? Math.floor(n.size / Number(elem)) : 0;
        }
        if (n.t === 'function') return n.proc.paramCount;
        return undefined;
      case TypeInfo.GET_ARRAYINDEXTYPEID:
        return n.t === 'array' ? this.canonical(n.index) : undefined;
      case TypeInfo.GET_CALLING_CONVENTION:
        return n.t === 'function' ? n.proc.callConv : undefined;
      case TypeInfo.GET_VALUE:
        if (n.t !== 'child' || n.child.kind !== ChildKind.Enumerator) return undefined;
        return asNumber(n.child.entry!.value);
      case TypeInfo.GET_UDTKIND:
        return n.t === 'tag' ? udtKind(n.rec) : undefined;
      case TypeInfo.GET_CLASSPARENTID:
        if (n.t === 'child' && n.child.kind !== ChildKind.Arg) return n.owner;
        if (n.t === 'function' && n.proc.classType) return this.canonical(n.proc.classType);
        if (n.t === 'pointer' && n.containingClass) return this.canonical(n.containingClass);
        if (n.t === 'tag' && n.rec.property & CvProp.IS_NESTED) return this.enclosing(n.rec.name);
        return undefined;
      case TypeInfo.GET_VIRTUALBASECLASS:
        return n.t === 'child' && n.child.kind === ChildKind.BaseClass ? n.child.entry!.family === FieldFamily.VBClass : undefined;
      case TypeInfo.GET_INDIRECTVIRTUALBASECLASS:
        return n.t === 'child' && n.child.kind === ChildKind.BaseClass ? n.child.entry!.leaf === LF.IVBCLASS : undefined;
      case TypeInfo.GET_VIRTUALBASEPOINTEROFFSET:
        return n.t === 'child' && n.child.entry?.family === FieldFamily.VBClass ? n.child.entry.vbptrOffset : undefined;
      case TypeInfo.GET_VIRTUALBASEDISPINDEX:
        return n.t === 'child' && n.child.entry?.family === FieldFamily.VBClass ? n.child.entry.vbtableIndex : undefined;
      case TypeInfo.GET_VIRTUALBASETABLETYPE:
        return n.t === 'child' && n.child.entry?.family === FieldFamily.VBClass ? this.canonical(n.child.entry.vbptrType) : undefined;
      case TypeInfo.GET_VIRTUALBASEOFFSET:
        // Introducing virtual methods: their slot's offset in the vtable.
        if (n.t !== 'child' || n.child.kind !== ChildKind.Method) return undefined;
        return isIntro(n.child.attr) ? n.child.vtableOffset : undefined;
      case TypeInfo.GET_VIRTUALTABLESHAPEID:
        return n.t === 'tag' && n.rec.vshape ? this.canonical(n.rec.vshape) : undefined;
      case TypeInfo.GET_NESTED:
        return n.t === 'tag' ? (n.rec.property & CvProp.IS_NESTED) !== 0 : undefined;
      case TypeInfo.GET_THISADJUST:
        return n.t === 'function' && n.proc.classType ? n.proc.thisAdjust : undefined;
      case TypeInfo.GET_OBJECTPOINTERTYPE:
        return n.t === 'function' && n.proc.thisType ? this.canonical(n.proc.thisType) : undefined;
      case TypeInfo.GET_IS_REFERENCE:
        return n.t === 'pointer' ? n.mode === PtrMode.LVALUE_REF || n.mode === PtrMode.RVALUE_REF : n.t === 'sptr' ? false : undefined;
      case TypeInfo.GET_SYMINDEX:
        return n.id;
      default:
        return undefined;
    }
  }

  private tag(n: Node): number {
    switch (n.t) {
      case 'base':
        return SymTag.BaseType;
      case 'sptr':
      case 'pointer':
        return SymTag.PointerType;
      case 'tag':
        return n.rec.family === TypeFamily.Enum ? SymTag.Enum : SymTag.UDT;
      case 'array':
        return SymTag.ArrayType;
      case 'function':
        return SymTag.FunctionType;
      case 'vtshape':
        return SymTag.VTableShape;
      case 'typedef':
        return SymTag.Typedef;
      case 'child':
        switch (n.child.kind) {
          case ChildKind.BaseClass:
            return SymTag.BaseClass;
          case ChildKind.Method:
            return SymTag.Function;
          case ChildKind.Nested:
            return SymTag.Typedef;
          case ChildKind.VTable:
            return SymTag.VTable;
          case ChildKind.Arg:
            return SymTag.FunctionArgType;
          default:
            return SymTag.Data;
        }
    }
  }

  private name(n: Node): string | undefined {
    if (n.t === 'tag') return n.rec.name;
    if (n.t === 'typedef') return n.name;
    if (n.t !== 'child') return undefined;
    if (n.child.kind === ChildKind.BaseClass) {
      const b = this.node(this.canonical(n.child.type));
      return b?.t === 'tag' ? b.rec.name : undefined;
    }
    return n.child.kind === ChildKind.VTable || n.child.kind === ChildKind.Arg ? undefined : n.child.name;
  }

  /**
   * TI_GET_LENGTH: bytes (bits for bitfield members), as a bigint (ULONG64). `depth` bounds
   * the references followed (an enum whose underlying type is an enum whose underlying...).
   */
  private length(n: Node, depth = 0): bigint | undefined {
    if (depth > MAX_CHAIN) throw badFormat(this.tpi?.origin ?? this.pdb.name, 0, `type 0x${n.id.toString(16)}: its length depends on more than ${MAX_CHAIN} other types (a cycle)`);
    const ref = (ti: number) => this.lengthOfRef(ti, depth + 1);
    switch (n.t) {
      case 'base':
      case 'sptr':
        return BigInt(n.length);
      case 'pointer':
        return BigInt(n.size);
      case 'tag':
        return n.rec.family === TypeFamily.Enum ? ref(n.rec.underlying) : BigInt(n.rec.size);
      case 'array':
        return BigInt(n.size);
      case 'typedef':
        return ref(n.type);
      case 'child': {
        const c = n.child;
        if (c.kind === ChildKind.Member) {
          const bf = this.bitField(c.type);
          if (bf) return BigInt(bf.length);
        }
        if (c.kind === ChildKind.Method) return undefined;
        if (c.kind === ChildKind.Enumerator) return ref(n.owner);
        return ref(c.type);
      }
      default:
        return undefined;
    }
  }

  private lengthOfRef(ti: number, depth = 0): bigint | undefined {
    const n = this.node(this.canonical(ti));
    return n && this.length(n, depth);
  }

  private bitField(ti: number): { length: number; position: number } | undefined {
    let t = ti;
    // A member's type is the LF_BITFIELD itself, or (rarely) a modifier of one.
    for (let i = 0; i < MAX_CHAIN && t >= FIRST_TYPE_INDEX; i++) {
      const { leaf, data } = this.requireTpi(t).record(t);
      if (leaf === LF.BITFIELD) return readBitField(data);
      if (leaf !== LF.MODIFIER) return undefined;
      t = readModifier(data).type;
    }
    return undefined;
  }

  /** TI_GET_TYPE: the id of the type a symbol has (canonical: definitions, no modifiers). */
  private typeOf(n: Node): number | undefined {
    switch (n.t) {
      case 'sptr':
        return n.to;
      case 'pointer':
        return this.canonical(n.referent);
      case 'array':
        return this.canonical(n.element);
      case 'function':
        return this.canonical(n.proc.returnType);
      case 'tag':
        return n.rec.family === TypeFamily.Enum ? this.canonical(n.rec.underlying) : undefined;
      case 'typedef':
        return this.canonical(n.type);
      case 'child':
        if (n.child.kind === ChildKind.Enumerator) return this.typeOf(this.node(n.owner)!);
        return this.canonical(n.child.type);
      default:
        return undefined;
    }
  }

  private basicType(n: Node): number | undefined {
    if (n.t === 'base') return n.basicType;
    if (n.t === 'tag' && n.rec.family === TypeFamily.Enum) {
      const u = this.node(this.canonical(n.rec.underlying));
      return u?.t === 'base' ? u.basicType : undefined;
    }
    return undefined;
  }

  private findChildren(n: Node): number[] | undefined {
    switch (n.t) {
      case 'tag':
      case 'function':
        return this.childIds(n.id);
      case 'base':
      case 'sptr':
      case 'pointer':
      case 'array':
      case 'typedef':
        return [];
      case 'child':
        return n.child.kind === ChildKind.Arg || n.child.kind === ChildKind.Method || n.child.kind === ChildKind.Nested ? [] : undefined;
      default:
        return undefined;
    }
  }

  // --- by name, enumeration -------------------------------------------------------------

  /**
   * SymGetTypeFromName: a UDT or enum definition by name (the TPI hash bucket), else a typedef
   * (an S_UDT of the globals naming another type).
   */
  fromName(name: string, ci: boolean): { id: number; name: string } | undefined {
    const tpi = this.tpi;
    if (tpi) {
      const def = ci ? this.findDefinitionCi(name) : tpi.findDefinition(name);
      if (def !== undefined) return { id: def, name: tpi.tag(def)!.name };
    }
    const globals = this.pdb.globals();
    if (!globals) return undefined;
    const key = ci ? name.toLowerCase() : name;
    for (const off of globals.candidates(name)) {
      const u = this.udtRecord(off);
      if (u && (ci ? u.name.toLowerCase() : u.name) === key) return this.udtSymbol(off, u);
    }
    return undefined;
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
  private udtSymbol(off: number, u: { type: number; name: string }): { id: number; name: string } {
    const t = this.canonical(u.type);
    const n = t >= FIRST_TYPE_INDEX ? this.node(t) : undefined;
    if (n?.t === 'tag' && n.rec.name === u.name) return { id: t, name: u.name };
    return { id: this.typedefId(off, u.name, u.type), name: u.name };
  }

  /** SymEnumTypes: every UDT and enum definition in TPI order, then the typedefs. */
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
      const s = this.udtSymbol(off, u);
      if (s.id >= SYNTHETIC_BASE) yield s;
    }
  }
}

const T_NULLPTR = 0x0103;

/** S_UDT (cvinfo.h UDTSYM): u32 type, name. */

/** `ns::A<x::y>::B` → `ns::A<x::y>`: the name before the last `::` outside template brackets. */
function qualifier(name: string): string | undefined {
  let depth = 0;
  for (let i = name.length - 1; i > 0; i--) {
    const ch = name[i];
    if (ch === '>' || ch === ')') depth++;
    else if (ch === '<' || ch === '(') depth--;
    else if (depth === 0 && ch === ':' && name[i - 1] === ':') return name.slice(0, i - 1);
  }
  return undefined;
}

function simpleNode(id: number, pointerSize: number): Node {
  const mode = simpleMode(id);
  // T_PVOID (0x0103, a near16 pointer to void by the encoding) is what compilers write for
  // std::nullptr_t: as large as any pointer of the machine.
  if (id === T_NULLPTR) return { t: 'sptr', id, to: 0x03, length: pointerSize };
  if (mode) return { t: 'sptr', id, to: id & 0xff, length: simplePointerSize(id) };
  const k = simpleKind(id);
  return { t: 'base', id, basicType: k?.basicType ?? BasicType.NoType, length: k?.length ?? 0 };
}

function udtKind(t: TagRecord): number {
  switch (t.leaf) {
    case LF.CLASS:
    case LF.CLASS2:
    case LF.CLASS_ST:
      return UdtKind.Class;
    case LF.INTERFACE:
    case LF.INTERFACE2:
      return UdtKind.Interface;
    default:
      return t.family === TypeFamily.Union || t.family === TypeFamily.Union2 ? UdtKind.Union : UdtKind.Struct;
  }
}

function isIntro(attr: number): boolean {
  const p = methodProp(attr);
  return p === MethodProp.INTRO || p === MethodProp.PURE_INTRO;
}

function asNumber(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

// --- the feature's entry points ---------------------------------------------------------

export function model(pdb: PdbProvider): TypeModel {
  return pdb.memo('types', () => new TypeModel(pdb.pdb, pdb.pdb.tpi()));
}

/**
 * SYMBOL_INFO.TypeIndex and Size of a data symbol (global, static, local, parameter, constant)
 * whose record names type `ti`: the type as an id (modifiers, forward references resolved, so
 * it equals what TI_GET_TYPE answers for the symbol) and its length (TI_GET_LENGTH of the type,
 * as DbgHelp fills Size). Read only when such a symbol is handed out. A type the TPI stream
 * cannot answer (missing, malformed) leaves the record's index and size 0: the symbol is still
 * found; SymGetTypeInfo on the type reports the BAD_FORMAT.
 */
export function dataType(pdb: PdbProvider, ti: number): { typeIndex: number; size: number } {
  const cache = pdb.memo('types.data', () => new Map<number, { typeIndex: number; size: number }>());
  let hit = cache.get(ti);
  if (hit) return hit;
  try {
    const tm = model(pdb);
    const typeIndex = ti === 0 ? 0 : tm.canonical(ti);
    const length = typeIndex === 0 ? undefined : tm.info(typeIndex, TypeInfo.GET_LENGTH);
    hit = { typeIndex, size: typeof length === 'bigint' && length <= 0xffffffffn ? Number(length) : 0 };
  } catch (e) {
    if (!(e instanceof DbgHelpError) || e.code !== 'BAD_FORMAT') throw e;
    hit = { typeIndex: ti, size: 0 };
  }
  cache.set(ti, hit);
  return hit;
}

/** SymbolInfo.typeIndex and size of a symbol of a module: data symbols' from their type (dataType). */
export function symbolType(m: LoadedModule, tag: number, typeIndex: number, size: number): { typeIndex: number; size: number } {
  const p = tag === SymTag.Data ? pdbOf(m) : undefined;
  return p ? dataType(p, typeIndex) : { typeIndex, size };
}

/** The module a type call names: by base (or an address inside it). */
export function moduleFor(h: HandlerContext, base: bigint, where: string): LoadedModule {
  const m = h.moduleByBase(base) ?? h.moduleAt(base);
  if (!m) throw new DbgHelpError('MODULE_NOT_FOUND', `${where}: no module is loaded at 0x${base.toString(16)}`);
  return m;
}

function symbolInfo(m: LoadedModule, tm: TypeModel, hit: { id: number; name: string }): SymbolInfo {
  const length = tm.info(hit.id, TypeInfo.GET_LENGTH);
  return {
    typeIndex: hit.id,
    index: hit.id,
    size: typeof length === 'bigint' ? Number(length) : 0,
    modBase: m.base,
    flags: 0,
    value: 0n,
    address: 0n,
    register: 0,
    scope: 0,
    tag: tm.info(hit.id, TypeInfo.GET_SYMTAG) as number,
    nameLen: hit.name.length,
    name: hit.name,
  };
}

/**
 * SymGetTypeFromName. `base` 0 searches every module (or the one `module!name` names);
 * otherwise the module at `base`. Case-sensitive whatever the options (Microsoft's DLL).
 */
export function getTypeFromName(h: HandlerContext, base: bigint, name: string): SymbolInfo | undefined {
  const { module, rest } = splitModule(name);
  const mods = base === 0n ? h.modulesNamed(module) : [moduleFor(h, base, 'getTypeFromName')];
  // Microsoft's dbghelp.dll 10.0.19041.685 matches type names exactly, SYMOPT_CASE_INSENSITIVE
  // or not (TypeModel.fromName keeps the case-insensitive search for other callers).
  for (const m of mods) {
    const p = pdbOf(m);
    if (!p) continue;
    const tm = model(p);
    const hit = tm.fromName(base === 0n ? rest : name, false);
    if (hit) return symbolInfo(m, tm, hit);
  }
  return undefined;
}

/** SymEnumTypes / SymEnumTypesByName: UDTs and enums (definitions), then typedefs. */
export function* enumTypes(h: HandlerContext, base: bigint, mask: string | undefined): IterableIterator<SymbolInfo> {
  const m = moduleFor(h, base, mask === undefined ? 'enumTypes' : 'enumTypesByName');
  const p = pdbOf(m);
  if (!p) return;
  const tm = model(p);
  const match = compileMask(mask ?? '*', (h.options & SymOpt.CASE_INSENSITIVE) !== 0);
  for (const hit of tm.enumerate(match)) yield symbolInfo(m, tm, hit);
}

/** SymGetTypeInfo. */
export function getTypeInfo(h: HandlerContext, base: bigint, typeId: number, request: number): TypeInfoValue | undefined {
  const p = pdbOf(moduleFor(h, base, 'getTypeInfo'));
  if (!p) return undefined;
  return model(p).info(typeId, request);
}
