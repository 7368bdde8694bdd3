/**
 * Decoders for the CodeView type records of the TPI and IPI streams (cvinfo.h lfClass, lfEnum,
 * lfPointer, lfFieldList...). A record is
 *   u16 reclen (bytes after this field), u16 leaf, data[reclen - 2]
 * and decoders take the leaf and a cursor over `data`. Records may end in LF_PAD bytes
 * (0xf0-0xff), which decoders ignore. Type indices are returned as they are: following them
 * (forward references, continuations, cycles) is the reader's business, not the decoder's.
 */
import { Cursor } from '../binary/cursor';
import { readNumericLeaf } from './numeric-leaf';
import { FieldFamily, TypeFamily, CvProp, fieldFamily, hasPascalNames, isIntroVirtual, leafName, typeFamily } from './type-kinds';

/** A NUL-terminated name, or a u8-length-prefixed one for the `_ST` leaves. */
function readName(c: Cursor, st: boolean, what: string): string {
  if (!st) return c.cstring(what);
  const n = c.u8();
  const b = c.bytes(n, what);
  return new TextDecoder('latin1').decode(b);
}
/** A trailing name that may be missing in records whose writer stopped early (empty then). */
function optionalName(c: Cursor, st: boolean, what: string): string {
  if (c.eof || c.buf[c.pos] >= 0xf0) return '';
  return readName(c, st, what);
}

/** Numeric leaves sized as numbers: sizes, offsets and counts beyond 2^53 are malformed. */
function numeric(c: Cursor, what: string): number {
  const at = c.pos;
  const v = readNumericLeaf(c);
  if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER)) c.fail(`${what} ${v} is out of range`, at);
  return Number(v);
}

/** lfClass / lfStructure / lfInterface / lfUnion / lfEnum and the `2` and `_ST` variants. */
export interface TagRecord {
  leaf: number;
  family: TypeFamily.Class | TypeFamily.Class2 | TypeFamily.Union | TypeFamily.Union2 | TypeFamily.Enum;
  /** Number of members the field list holds (as the record says). */
  count: number;
  /** CV_prop_t. */
  property: number;
  /** The LF_FIELDLIST (0 for a forward reference). */
  fieldList: number;
  derived: number;
  vshape: number;
  /** Size in bytes (classes, unions); 0 for enums. */
  size: number;
  /** Enums: the underlying type. */
  underlying: number;
  name: string;
  /** The decorated unique name when CV_prop_t.hasuniquename is set, else ''. */
  uniqueName: string;
}

export function isForwardRef(t: TagRecord): boolean {
  return (t.property & CvProp.FWDREF) !== 0;
}

export function readTag(leaf: number, c: Cursor): TagRecord {
  const t: TagRecord = { leaf, family: typeFamily(leaf) as TagRecord['family'], count: 0, property: 0, fieldList: 0, derived: 0, vshape: 0, size: 0, underlying: 0, name: '', uniqueName: '' };
  readTagFields(t, c);
  const st = hasPascalNames(leaf, false);
  t.name = readName(c, st, 'type name');
  if (t.property & CvProp.HAS_UNIQUE_NAME) t.uniqueName = optionalName(c, st, 'unique type name');
  return t;
}

const SCRATCH: TagRecord = { leaf: 0, family: TypeFamily.Class, count: 0, property: 0, fieldList: 0, derived: 0, vshape: 0, size: 0, underlying: 0, name: '', uniqueName: '' };

/**
 * A class/union/enum record's name alone (readTag's, without its object or unique name): what
 * names an inlinee's class (LF_MFUNC_ID), 88,000 times over the generated big PDB's inline sites.
 */
export function readTagName(leaf: number, c: Cursor): string {
  SCRATCH.leaf = leaf;
  SCRATCH.family = typeFamily(leaf) as TagRecord['family'];
  readTagFields(SCRATCH, c);
  return readName(c, hasPascalNames(leaf, false), 'type name');
}

/** The fields before a tag record's name, into `t` (its leaf and family set). */
function readTagFields(t: TagRecord, c: Cursor): void {
  const leaf = t.leaf;
  switch (t.family) {
    case TypeFamily.Class:
      t.count = c.u16();
      t.property = c.u16();
      t.fieldList = c.u32();
      t.derived = c.u32();
      t.vshape = c.u32();
      t.size = numeric(c, 'class size');
      break;
    case TypeFamily.Class2:
      t.property = c.u32();
      t.fieldList = c.u32();
      t.derived = c.u32();
      t.vshape = c.u32();
      t.count = numeric(c, 'class member count');
      t.size = numeric(c, 'class size');
      break;
    case TypeFamily.Union:
      t.count = c.u16();
      t.property = c.u16();
      t.fieldList = c.u32();
      t.size = numeric(c, 'union size');
      break;
    case TypeFamily.Union2:
      t.property = c.u32();
      t.fieldList = c.u32();
      t.count = numeric(c, 'union member count');
      t.size = numeric(c, 'union size');
      break;
    case TypeFamily.Enum:
      t.count = c.u16();
      t.property = c.u16();
      t.underlying = c.u32();
      t.fieldList = c.u32();
      break;
    default:
      return c.fail(`${leafName(leaf)} is not a class, union or enum record`, c.start);
  }
}

/** lfModifier: the modified type and CV_modifier_t (const 1, volatile 2, unaligned 4). */
export interface ModifierRecord {
  type: number;
  attr: number;
}
export function readModifier(c: Cursor): ModifierRecord {
  return { type: c.u32(), attr: c.u16() };
}

/** lfPointer. `attr` is CV_ptrtype (bits 0-4), mode (5-7), flags, size (13-18). */
export interface PointerRecord {
  referent: number;
  attr: number;
  ptrType: number;
  mode: number;
  /** Size in bytes (from the attr's size field, else from the pointer type). */
  size: number;
  isConst: boolean;
  isVolatile: boolean;
  /** Pointers to members: the containing class and CV_pmtype_e. */
  containingClass: number;
  pmType: number;
}
const CV_PTR_NEAR32 = 0x0a;
const CV_PTR_64 = 0x0c;
export function readPointer(c: Cursor): PointerRecord {
  const referent = c.u32();
  const attr = c.u32();
  const ptrType = attr & 0x1f;
  const mode = (attr >> 5) & 7;
  let size = (attr >> 13) & 0x3f;
  if (size === 0) size = ptrType === CV_PTR_64 ? 8 : ptrType === CV_PTR_NEAR32 ? 4 : 0;
  let containingClass = 0;
  let pmType = 0;
  if ((mode === 2 || mode === 3) && c.remaining >= 6) {
    containingClass = c.u32();
    pmType = c.u16();
  }
  return { referent, attr, ptrType, mode, size, isConst: (attr & 0x400) !== 0, isVolatile: (attr & 0x200) !== 0, containingClass, pmType };
}

/** lfArray: element and index types, total size in bytes, name (usually empty). */
export interface ArrayRecord {
  element: number;
  index: number;
  size: number;
  name: string;
}
export function readArray(leaf: number, c: Cursor): ArrayRecord {
  const element = c.u32();
  const index = c.u32();
  const size = numeric(c, 'array size');
  return { element, index, size, name: optionalName(c, hasPascalNames(leaf, false), 'array name') };
}

/** lfBitfield. */
export interface BitFieldRecord {
  type: number;
  length: number;
  position: number;
}
export function readBitField(c: Cursor): BitFieldRecord {
  return { type: c.u32(), length: c.u8(), position: c.u8() };
}

/** lfProc and lfMFunc; the member-function fields are 0 for LF_PROCEDURE. */
export interface ProcedureRecord {
  returnType: number;
  classType: number;
  thisType: number;
  /** CV_call_e. */
  callConv: number;
  funcAttr: number;
  paramCount: number;
  argList: number;
  thisAdjust: number;
}
export function readProcedure(c: Cursor): ProcedureRecord {
  return { returnType: c.u32(), classType: 0, thisType: 0, callConv: c.u8(), funcAttr: c.u8(), paramCount: c.u16(), argList: c.u32(), thisAdjust: 0 };
}
export function readMFunction(c: Cursor): ProcedureRecord {
  const returnType = c.u32();
  const classType = c.u32();
  const thisType = c.u32();
  const callConv = c.u8();
  const funcAttr = c.u8();
  const paramCount = c.u16();
  const argList = c.u32();
  const thisAdjust = c.i32();
  return { returnType, classType, thisType, callConv, funcAttr, paramCount, argList, thisAdjust };
}

/** lfArgList / lfSubstrList: u32 count, u32 indices[count]. */
export function readIndexList(c: Cursor): Uint32Array {
  const n = c.count(c.u32(), 4, 'argument list');
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = c.u32();
  return out;
}

/** One overload of an LF_METHODLIST. */
export interface MethodListEntry {
  attr: number;
  type: number;
  vtableOffset: number;
}
export function readMethodList(c: Cursor): MethodListEntry[] {
  const out: MethodListEntry[] = [];
  while (c.remaining >= 8) {
    const attr = c.u16();
    c.u16();
    const type = c.u32();
    const vtableOffset = isIntroVirtual(attr) ? c.i32() : 0;
    out.push({ attr, type, vtableOffset });
  }
  return out;
}

/** One member leaf of an LF_FIELDLIST, decoded. */
export interface FieldEntry {
  leaf: number;
  family: FieldFamily;
  /** CV_fldattr_t (0 for leaves without one). */
  attr: number;
  /** The member's type, base class, nested type, method list, vtable pointer or continuation. */
  type: number;
  /** Members and base classes: the byte offset; LF_VFUNCOFF: the offset. */
  offset: number;
  /** Enumerators: the value. */
  value: bigint;
  /** Virtual bases: the vbptr type, its offset and the base's index in the vbtable. */
  vbptrType: number;
  vbptrOffset: number;
  vbtableIndex: number;
  /** LF_METHOD: the overload count; LF_ONEMETHOD: the vtable offset for introducing virtuals. */
  count: number;
  name: string;
}

function entry(leaf: number, family: FieldFamily): FieldEntry {
  return { leaf, family, attr: 0, type: 0, offset: 0, value: 0n, vbptrType: 0, vbptrOffset: 0, vbtableIndex: 0, count: 0, name: '' };
}

/**
 * The member leaves of one LF_FIELDLIST record, in order. An LF_INDEX entry names the
 * continuation record; the caller follows it. An unknown leaf ends the list (its length is
 * unknown) with a format error.
 */
export function readFieldList(c: Cursor): FieldEntry[] {
  const out: FieldEntry[] = [];
  while (c.remaining > 0) {
    const b = c.buf[c.pos];
    if (b >= 0xf0) {
      // LF_PAD: the low nibble says how many bytes to skip to the next leaf.
      c.skip(Math.max(1, Math.min(b & 0x0f, c.remaining)));
      continue;
    }
    const at = c.pos;
    const leaf = c.u16();
    const family = fieldFamily(leaf);
    const st = hasPascalNames(leaf, true);
    const e = entry(leaf, family);
    switch (family) {
      case FieldFamily.Member:
        e.attr = c.u16();
        e.type = c.u32();
        e.offset = numeric(c, 'member offset');
        e.name = readName(c, st, 'member name');
        break;
      case FieldFamily.StMember:
        e.attr = c.u16();
        e.type = c.u32();
        e.name = readName(c, st, 'static member name');
        break;
      case FieldFamily.BClass:
        e.attr = c.u16();
        e.type = c.u32();
        e.offset = numeric(c, 'base class offset');
        break;
      case FieldFamily.VBClass:
        e.attr = c.u16();
        e.type = c.u32();
        e.vbptrType = c.u32();
        e.vbptrOffset = numeric(c, 'virtual base pointer offset');
        e.vbtableIndex = numeric(c, 'virtual base table index');
        break;
      case FieldFamily.Enumerate:
        e.attr = c.u16();
        e.value = readNumericLeaf(c);
        e.name = readName(c, st, 'enumerator name');
        break;
      case FieldFamily.OneMethod:
        e.attr = c.u16();
        e.type = c.u32();
        if (isIntroVirtual(e.attr)) e.offset = c.i32();
        e.name = readName(c, st, 'method name');
        break;
      case FieldFamily.Method:
        e.count = c.u16();
        e.type = c.u32();
        e.name = readName(c, st, 'method name');
        break;
      case FieldFamily.NestType:
      case FieldFamily.FriendFcn:
        c.u16();
        e.type = c.u32();
        e.name = readName(c, st, 'nested type name');
        break;
      case FieldFamily.NestTypeEx:
      case FieldFamily.MemberModify:
        e.attr = c.u16();
        e.type = c.u32();
        e.name = readName(c, st, 'nested type name');
        break;
      case FieldFamily.VFuncTab:
      case FieldFamily.Index:
      case FieldFamily.FriendCls:
        c.u16();
        e.type = c.u32();
        break;
      case FieldFamily.VFuncOff:
        c.u16();
        e.type = c.u32();
        e.offset = c.i32();
        break;
      default:
        return c.fail(`unknown field list leaf 0x${leaf.toString(16)}`, at);
    }
    out.push(e);
  }
  return out;
}

/** lfFuncId (IPI): the scope (an LF_STRING_ID, 0 for none), the function type, the name. */
export interface FuncIdRecord {
  scope: number;
  type: number;
  name: string;
}
export function readFuncId(c: Cursor): FuncIdRecord {
  return { scope: c.u32(), type: c.u32(), name: c.cstring('function id name') };
}

/** lfMFuncId (IPI): the class (a TPI type), the member function type, the name. */
export interface MFuncIdRecord {
  parentType: number;
  type: number;
  name: string;
}
export function readMFuncId(c: Cursor): MFuncIdRecord {
  return { parentType: c.u32(), type: c.u32(), name: c.cstring('member function id name') };
}

/** lfStringId (IPI): an LF_SUBSTR_LIST (0 when none) and the string. */
export interface StringIdRecord {
  substrings: number;
  text: string;
}
export function readStringId(c: Cursor): StringIdRecord {
  return { substrings: c.u32(), text: c.cstring('string id') };
}
