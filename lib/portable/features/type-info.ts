/**
 * SymGetTypeInfo on type ids: what each request answers per node (features/type-nodes.ts),
 * following DIA's documentation (IDiaSymbol::get_*), with Wine's dbghelp (type.c symt_get_info)
 * where DIA's is silent; ARCHITECTURE.md (Types) lists the choices.
 */
import { DataKind, SymTag, TypeInfo, UdtKind } from '../../api/constants';
import { badFormat } from '../../api/errors';
import type { TypeInfoValue } from '../../api/types';
import { CvProp, FieldFamily, LF, methodProp, MethodProp, PtrMode, TypeFamily } from '../../formats/codeview/type-kinds';
import { readBitField, readModifier, type TagRecord } from '../../formats/codeview/type-records';
import { FIRST_TYPE_INDEX } from '../../formats/pdb/tpi-stream';
import type { TypeModel } from './type-model';
import { ChildKind, MAX_CHAIN, type Node } from './type-nodes';

/** SymGetTypeInfo: one property of an id; undefined where it does not apply. */
export function typeInfo(tm: TypeModel, id: number, request: number): TypeInfoValue | undefined {
  let n = tm.node(id);
  if (!n) return undefined;
  // A nested UDT entry is the UDT itself.
  if (n.t === 'child' && n.child.kind === ChildKind.Nested) {
    const t = tm.nestedIsType(n.owner, n.child);
    if (t !== undefined && request !== TypeInfo.GET_CLASSPARENTID) n = tm.node(t)!;
  }
  switch (request) {
    case TypeInfo.GET_SYMTAG:
      return tag(n);
    case TypeInfo.GET_SYMNAME:
      return name(tm, n);
    case TypeInfo.GET_LENGTH:
      return length(tm, n);
    case TypeInfo.GET_TYPE:
    case TypeInfo.GET_TYPEID:
      return typeOf(tm, n);
    case TypeInfo.GET_BASETYPE:
      return basicType(tm, n);
    case TypeInfo.GET_CHILDRENCOUNT: {
      const ids = findChildren(tm, n);
      return ids && ids.length;
    }
    case TypeInfo.FINDCHILDREN:
      return findChildren(tm, n);
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
      return n.t === 'child' && n.child.kind === ChildKind.Member ? bitField(tm, n.child.type)?.position : undefined;
    case TypeInfo.GET_COUNT:
      if (n.t === 'array') {
        const elem = lengthOfRef(tm, n.element);
        return elem ? Math.floor(n.size / Number(elem)) : 0;
      }
      // A member function's count includes `this` (Microsoft's DLL: touch(int) answers 2).
      if (n.t === 'function') return n.proc.paramCount + (n.proc.thisType ? 1 : 0);
      return undefined;
    case TypeInfo.GET_ARRAYINDEXTYPEID:
      return n.t === 'array' ? tm.canonical(n.index) : undefined;
    case TypeInfo.GET_CALLING_CONVENTION:
      return n.t === 'function' ? n.proc.callConv : undefined;
    case TypeInfo.GET_VALUE:
      if (n.t !== 'child' || n.child.kind !== ChildKind.Enumerator) return undefined;
      return asNumber(n.child.entry!.value);
    case TypeInfo.GET_UDTKIND:
      return n.t === 'tag' ? udtKind(n.rec) : undefined;
    case TypeInfo.GET_CLASSPARENTID:
      if (n.t === 'child' && n.child.kind !== ChildKind.Arg) return n.owner;
      if (n.t === 'function' && n.proc.classType) return tm.canonical(n.proc.classType);
      if (n.t === 'pointer' && n.containingClass) return tm.canonical(n.containingClass);
      if (n.t === 'tag' && n.rec.property & CvProp.IS_NESTED) return tm.enclosing(n.rec.name);
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
      return n.t === 'child' && n.child.entry?.family === FieldFamily.VBClass ? tm.canonical(n.child.entry.vbptrType) : undefined;
    case TypeInfo.GET_VIRTUALBASEOFFSET:
      // Introducing virtual methods: their slot's offset in the vtable.
      if (n.t !== 'child' || n.child.kind !== ChildKind.Method) return undefined;
      return isIntro(n.child.attr) ? n.child.vtableOffset : undefined;
    case TypeInfo.GET_VIRTUALTABLESHAPEID:
      return n.t === 'tag' && n.rec.vshape ? tm.canonical(n.rec.vshape) : undefined;
    case TypeInfo.GET_NESTED:
      return n.t === 'tag' ? (n.rec.property & CvProp.IS_NESTED) !== 0 : undefined;
    case TypeInfo.GET_THISADJUST:
      return n.t === 'function' && n.proc.classType ? n.proc.thisAdjust : undefined;
    case TypeInfo.GET_OBJECTPOINTERTYPE:
      return n.t === 'function' && n.proc.thisType ? tm.canonical(n.proc.thisType) : undefined;
    case TypeInfo.GET_IS_REFERENCE:
      return n.t === 'pointer' ? n.mode === PtrMode.LVALUE_REF || n.mode === PtrMode.RVALUE_REF : n.t === 'sptr' ? false : undefined;
    case TypeInfo.GET_SYMINDEX:
      return n.id;
    default:
      return undefined;
  }
}

function tag(n: Node): number {
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

function name(tm: TypeModel, n: Node): string | undefined {
  if (n.t === 'tag') return n.rec.name;
  if (n.t === 'typedef') return n.name;
  if (n.t !== 'child') return undefined;
  if (n.child.kind === ChildKind.BaseClass) {
    const b = tm.node(tm.canonical(n.child.type));
    return b?.t === 'tag' ? b.rec.name : undefined;
  }
  return n.child.kind === ChildKind.VTable || n.child.kind === ChildKind.Arg ? undefined : n.child.name;
}

/**
 * TI_GET_LENGTH: bytes (bits for bitfield members), as a bigint (ULONG64). `depth` bounds
 * the references followed (an enum whose underlying type is an enum whose underlying...).
 */
function length(tm: TypeModel, n: Node, depth = 0): bigint | undefined {
  if (depth > MAX_CHAIN) throw badFormat(tm.tpi?.origin ?? tm.pdb.name, 0, `type 0x${n.id.toString(16)}: its length depends on more than ${MAX_CHAIN} other types (a cycle)`);
  const ref = (ti: number) => lengthOfRef(tm, ti, depth + 1);
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
        const bf = bitField(tm, c.type);
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

function lengthOfRef(tm: TypeModel, ti: number, depth = 0): bigint | undefined {
  const n = tm.node(tm.canonical(ti));
  return n && length(tm, n, depth);
}

function bitField(tm: TypeModel, ti: number): { length: number; position: number } | undefined {
  let t = ti;
  // A member's type is the LF_BITFIELD itself, or (rarely) a modifier of one.
  for (let i = 0; i < MAX_CHAIN && t >= FIRST_TYPE_INDEX; i++) {
    const { leaf, data } = tm.requireTpi(t).record(t);
    if (leaf === LF.BITFIELD) return readBitField(data);
    if (leaf !== LF.MODIFIER) return undefined;
    t = readModifier(data).type;
  }
  return undefined;
}

/** TI_GET_TYPE: the id of the type a symbol has (canonical: definitions, no modifiers). */
function typeOf(tm: TypeModel, n: Node): number | undefined {
  switch (n.t) {
    case 'sptr':
      return n.to;
    case 'pointer':
      return tm.canonical(n.referent);
    case 'array':
      return tm.canonical(n.element);
    case 'function':
      return tm.canonical(n.proc.returnType);
    case 'tag':
      return n.rec.family === TypeFamily.Enum ? tm.canonical(n.rec.underlying) : undefined;
    case 'typedef':
      return tm.canonical(n.type);
    case 'child':
      if (n.child.kind === ChildKind.Enumerator) return typeOf(tm, tm.node(n.owner)!);
      return tm.canonical(n.child.type);
    default:
      return undefined;
  }
}

function basicType(tm: TypeModel, n: Node): number | undefined {
  if (n.t === 'base') return n.basicType;
  if (n.t === 'tag' && n.rec.family === TypeFamily.Enum) {
    const u = tm.node(tm.canonical(n.rec.underlying));
    return u?.t === 'base' ? u.basicType : undefined;
  }
  return undefined;
}

function findChildren(tm: TypeModel, n: Node): number[] | undefined {
  switch (n.t) {
    case 'tag':
    case 'function':
      return tm.childIds(n.id);
    case 'base':
    case 'sptr':
    case 'pointer':
    case 'array':
      return [];
    case 'typedef':
      return undefined; // Microsoft's DLL answers FALSE: the children are its type's
    case 'child':
      return n.child.kind === ChildKind.Arg || n.child.kind === ChildKind.Method || n.child.kind === ChildKind.Nested ? [] : undefined;
    default:
      return undefined;
  }
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

export function asNumber(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}
