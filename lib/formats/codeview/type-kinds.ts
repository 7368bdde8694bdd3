/**
 * The one table of CodeView type record kinds (cvinfo.h LEAF_ENUM_e): the leaves that start a
 * TPI/IPI record and the member leaves inside an LF_FIELDLIST. Names, numbers, the decoder
 * family and whether names are length-prefixed (the VC 4-6 `_ST` leaves) come from here, as
 * LLVM's CodeViewTypes.def does it.
 */

export const enum TypeFamily {
  Other,
  Modifier, //    lfModifier: type, attr
  Pointer, //     lfPointer: utype, attr, [member pointer: class, pmtype]
  Array, //       lfArray: elemtype, idxtype, size (numeric), name
  Class, //       lfClass/lfStructure/lfInterface: count, property, field, derived, vshape, size, name, [unique]
  Class2, //      lfClass2 (VS2019+): property (u32), field, derived, vshape, count, size, name, [unique]
  Union, //       lfUnion: count, property, field, size, name, [unique]
  Union2, //      lfUnion2: property (u32), field, count, size, name, [unique]
  Enum, //        lfEnum: count, property, utype, field, name, [unique]
  Procedure, //   lfProc: rvtype, calltype, funcattr, parmcount, arglist
  MFunction, //   lfMFunc: rvtype, classtype, thistype, calltype, funcattr, parmcount, arglist, thisadjust
  ArgList, //     lfArgList: count, arg[count]
  FieldList, //   lfFieldList: member leaves, each padded to 4 bytes
  BitField, //    lfBitfield: type, length, position
  MethodList, //  lfMethodList: { attr, pad, type, [vbaseoff] }...
  VtShape, //     lfVTShape: count, 4-bit descriptors
  FuncId, //      lfFuncId (IPI): scopeId, type, name
  MFuncId, //     lfMFuncId (IPI): parentType, type, name
  StringId, //    lfStringId (IPI): id, name
  SubstrList, //  lfArgList layout (IPI): count, ids
  BuildInfo, //   lfBuildInfo (IPI): count (u16), ids
  UdtSrcLine, //  lfUdtSrcLine (IPI): udt, src (string id), line
  UdtModSrcLine, // lfUdtModSrcLine (IPI): udt, src (/names offset), line, imod
}

/** Member leaves of an LF_FIELDLIST (cvinfo.h lfMember, lfBClass, lfEnumerate...). */
export const enum FieldFamily {
  Unknown,
  Member, //      lfMember: attr, index, offset (numeric), name
  StMember, //    lfSTMember: attr, index, name
  BClass, //      lfBClass: attr, index, offset (numeric)
  VBClass, //     lfVBClass / lfIVBClass: attr, index, vbptr, vbpoff (numeric), vboff (numeric)
  Enumerate, //   lfEnumerate: attr, value (numeric), name
  OneMethod, //   lfOneMethod: attr, index, [vbaseoff], name
  Method, //      lfMethod: count, mList, name
  NestType, //    lfNestType: pad, index, name
  NestTypeEx, //  lfNestTypeEx: attr, index, name
  VFuncTab, //    lfVFuncTab: pad, type
  Index, //       lfIndex: pad, index (continuation field list)
  FriendFcn, //   lfFriendFcn: pad, index, name
  FriendCls, //   lfFriendCls: pad, index
  VFuncOff, //    lfVFuncOff: pad, type, offset
  MemberModify, // lfMemberModify: attr, index, name
}

interface LeafRow {
  readonly kind: number;
  readonly name: string;
  readonly family: TypeFamily | FieldFamily;
  /** A field-list member leaf (else a record leaf). */
  readonly field?: true;
  /** Names are length-prefixed (u8 length) rather than NUL-terminated. */
  readonly st?: true;
}

const rows: LeafRow[] = [
  // Record leaves (TPI).
  { kind: 0x1001, name: 'LF_MODIFIER', family: TypeFamily.Modifier },
  { kind: 0x1002, name: 'LF_POINTER', family: TypeFamily.Pointer },
  { kind: 0x1003, name: 'LF_ARRAY_ST', family: TypeFamily.Array, st: true },
  { kind: 0x1004, name: 'LF_CLASS_ST', family: TypeFamily.Class, st: true },
  { kind: 0x1005, name: 'LF_STRUCTURE_ST', family: TypeFamily.Class, st: true },
  { kind: 0x1006, name: 'LF_UNION_ST', family: TypeFamily.Union, st: true },
  { kind: 0x1007, name: 'LF_ENUM_ST', family: TypeFamily.Enum, st: true },
  { kind: 0x1008, name: 'LF_PROCEDURE', family: TypeFamily.Procedure },
  { kind: 0x1009, name: 'LF_MFUNCTION', family: TypeFamily.MFunction },
  { kind: 0x000a, name: 'LF_VTSHAPE', family: TypeFamily.VtShape },
  { kind: 0x100d, name: 'LF_VFTPATH', family: TypeFamily.Other },
  { kind: 0x1010, name: 'LF_ALIAS_ST', family: TypeFamily.Other },
  { kind: 0x1201, name: 'LF_ARGLIST', family: TypeFamily.ArgList },
  { kind: 0x1203, name: 'LF_FIELDLIST', family: TypeFamily.FieldList },
  { kind: 0x1204, name: 'LF_DERIVED', family: TypeFamily.Other },
  { kind: 0x1205, name: 'LF_BITFIELD', family: TypeFamily.BitField },
  { kind: 0x1206, name: 'LF_METHODLIST', family: TypeFamily.MethodList },
  { kind: 0x1501, name: 'LF_TYPESERVER', family: TypeFamily.Other },
  { kind: 0x1503, name: 'LF_ARRAY', family: TypeFamily.Array },
  { kind: 0x1504, name: 'LF_CLASS', family: TypeFamily.Class },
  { kind: 0x1505, name: 'LF_STRUCTURE', family: TypeFamily.Class },
  { kind: 0x1506, name: 'LF_UNION', family: TypeFamily.Union },
  { kind: 0x1507, name: 'LF_ENUM', family: TypeFamily.Enum },
  { kind: 0x1508, name: 'LF_DIMARRAY', family: TypeFamily.Other },
  { kind: 0x1509, name: 'LF_PRECOMP', family: TypeFamily.Other },
  { kind: 0x150a, name: 'LF_ALIAS', family: TypeFamily.Other },
  { kind: 0x1514, name: 'LF_MANAGED', family: TypeFamily.Other },
  { kind: 0x1515, name: 'LF_TYPESERVER2', family: TypeFamily.Other },
  { kind: 0x1516, name: 'LF_STRIDED_ARRAY', family: TypeFamily.Other },
  { kind: 0x1517, name: 'LF_HLSL', family: TypeFamily.Other },
  { kind: 0x1518, name: 'LF_MODIFIER_EX', family: TypeFamily.Other },
  { kind: 0x1519, name: 'LF_INTERFACE', family: TypeFamily.Class },
  { kind: 0x151b, name: 'LF_VECTOR', family: TypeFamily.Other },
  { kind: 0x151c, name: 'LF_MATRIX', family: TypeFamily.Other },
  { kind: 0x151d, name: 'LF_VFTABLE', family: TypeFamily.Other },
  { kind: 0x1608, name: 'LF_CLASS2', family: TypeFamily.Class2 },
  { kind: 0x1609, name: 'LF_STRUCTURE2', family: TypeFamily.Class2 },
  { kind: 0x160a, name: 'LF_UNION2', family: TypeFamily.Union2 },
  { kind: 0x160b, name: 'LF_INTERFACE2', family: TypeFamily.Class2 },
  // Record leaves (IPI).
  { kind: 0x1601, name: 'LF_FUNC_ID', family: TypeFamily.FuncId },
  { kind: 0x1602, name: 'LF_MFUNC_ID', family: TypeFamily.MFuncId },
  { kind: 0x1603, name: 'LF_BUILDINFO', family: TypeFamily.BuildInfo },
  { kind: 0x1604, name: 'LF_SUBSTR_LIST', family: TypeFamily.SubstrList },
  { kind: 0x1605, name: 'LF_STRING_ID', family: TypeFamily.StringId },
  { kind: 0x1606, name: 'LF_UDT_SRC_LINE', family: TypeFamily.UdtSrcLine },
  { kind: 0x1607, name: 'LF_UDT_MOD_SRC_LINE', family: TypeFamily.UdtModSrcLine },
  // Field-list member leaves.
  { kind: 0x1400, name: 'LF_BCLASS', family: FieldFamily.BClass, field: true },
  { kind: 0x1401, name: 'LF_VBCLASS', family: FieldFamily.VBClass, field: true },
  { kind: 0x1402, name: 'LF_IVBCLASS', family: FieldFamily.VBClass, field: true },
  { kind: 0x1404, name: 'LF_INDEX', family: FieldFamily.Index, field: true },
  { kind: 0x1409, name: 'LF_VFUNCTAB', family: FieldFamily.VFuncTab, field: true },
  { kind: 0x140a, name: 'LF_FRIENDCLS', family: FieldFamily.FriendCls, field: true },
  { kind: 0x140c, name: 'LF_VFUNCOFF', family: FieldFamily.VFuncOff, field: true },
  { kind: 0x0403, name: 'LF_ENUMERATE_ST', family: FieldFamily.Enumerate, field: true, st: true },
  { kind: 0x1403, name: 'LF_FRIENDFCN_ST', family: FieldFamily.FriendFcn, field: true, st: true },
  { kind: 0x1405, name: 'LF_MEMBER_ST', family: FieldFamily.Member, field: true, st: true },
  { kind: 0x1406, name: 'LF_STMEMBER_ST', family: FieldFamily.StMember, field: true, st: true },
  { kind: 0x1407, name: 'LF_METHOD_ST', family: FieldFamily.Method, field: true, st: true },
  { kind: 0x1408, name: 'LF_NESTTYPE_ST', family: FieldFamily.NestType, field: true, st: true },
  { kind: 0x140b, name: 'LF_ONEMETHOD_ST', family: FieldFamily.OneMethod, field: true, st: true },
  { kind: 0x140d, name: 'LF_NESTTYPEEX_ST', family: FieldFamily.NestTypeEx, field: true, st: true },
  { kind: 0x140e, name: 'LF_MEMBERMODIFY_ST', family: FieldFamily.MemberModify, field: true, st: true },
  { kind: 0x1502, name: 'LF_ENUMERATE', family: FieldFamily.Enumerate, field: true },
  { kind: 0x150b, name: 'LF_FRIENDFCN', family: FieldFamily.FriendFcn, field: true },
  { kind: 0x150d, name: 'LF_MEMBER', family: FieldFamily.Member, field: true },
  { kind: 0x150e, name: 'LF_STMEMBER', family: FieldFamily.StMember, field: true },
  { kind: 0x150f, name: 'LF_METHOD', family: FieldFamily.Method, field: true },
  { kind: 0x1510, name: 'LF_NESTTYPE', family: FieldFamily.NestType, field: true },
  { kind: 0x1511, name: 'LF_ONEMETHOD', family: FieldFamily.OneMethod, field: true },
  { kind: 0x1512, name: 'LF_NESTTYPEEX', family: FieldFamily.NestTypeEx, field: true },
  { kind: 0x1513, name: 'LF_MEMBERMODIFY', family: FieldFamily.MemberModify, field: true },
  { kind: 0x151a, name: 'LF_BINTERFACE', family: FieldFamily.BClass, field: true },
];

const records = new Map<number, LeafRow>();
const fields = new Map<number, LeafRow>();
for (const r of rows) (r.field ? fields : records).set(r.kind, r);

/** The LF_* constants the decoders switch on, by name; their numbers come from the rows above. */
const LF_USED = [
  'CLASS_ST',
  'MODIFIER',
  'POINTER',
  'PROCEDURE',
  'MFUNCTION',
  'VTSHAPE',
  'ARGLIST',
  'FIELDLIST',
  'BITFIELD',
  'METHODLIST',
  'ARRAY',
  'CLASS',
  'STRUCTURE',
  'UNION',
  'ENUM',
  'INTERFACE',
  'CLASS2',
  'STRUCTURE2',
  'UNION2',
  'INTERFACE2',
  'FUNC_ID',
  'MFUNC_ID',
  'BUILDINFO',
  'SUBSTR_LIST',
  'STRING_ID',
  'UDT_SRC_LINE',
  'UDT_MOD_SRC_LINE',
  'BCLASS',
  'VBCLASS',
  'IVBCLASS',
  'INDEX',
  'VFUNCTAB',
  'ENUMERATE',
  'MEMBER',
  'STMEMBER',
  'METHOD',
  'NESTTYPE',
  'ONEMETHOD',
] as const;
const byName = new Map<string, number>(rows.map((r) => [r.name, r.kind]));
export const LF = Object.fromEntries(LF_USED.map((n) => [n, byName.get(`LF_${n}`)!])) as { readonly [K in (typeof LF_USED)[number]]: number };

export function typeFamily(kind: number): TypeFamily {
  return (records.get(kind)?.family as TypeFamily | undefined) ?? TypeFamily.Other;
}
export function fieldFamily(kind: number): FieldFamily {
  return (fields.get(kind)?.family as FieldFamily | undefined) ?? FieldFamily.Unknown;
}
/** Whether a record or member leaf stores its names length-prefixed (the `_ST` leaves). */
export function hasPascalNames(kind: number, field: boolean): boolean {
  return (field ? fields : records).get(kind)?.st === true;
}
/** The leaf's cvinfo.h name (`LF_STRUCTURE`), or its number in hex. */
export function leafName(kind: number): string {
  return (records.get(kind) ?? fields.get(kind))?.name ?? `LF_0x${kind.toString(16).padStart(4, '0')}`;
}
/** The UDT leaves: classes, structures, interfaces, unions and enums (incl. `_ST` and `2`). */
export function isTagRecord(kind: number): boolean {
  const f = typeFamily(kind);
  return f === TypeFamily.Class || f === TypeFamily.Class2 || f === TypeFamily.Union || f === TypeFamily.Union2 || f === TypeFamily.Enum;
}

/** CV_prop_t bits of a UDT's `property` field. */
export const CvProp = {
  PACKED: 0x0001,
  CTOR: 0x0002,
  OVLOPS: 0x0004,
  IS_NESTED: 0x0008,
  CNESTED: 0x0010,
  OPASSIGN: 0x0020,
  OPCAST: 0x0040,
  FWDREF: 0x0080,
  SCOPED: 0x0100,
  HAS_UNIQUE_NAME: 0x0200,
  SEALED: 0x0400,
  INTRINSIC: 0x2000,
} as const;

/** CV_methodprop_e, bits 2-4 of CV_fldattr_t. */
export const MethodProp = {
  VANILLA: 0,
  VIRTUAL: 1,
  STATIC: 2,
  FRIEND: 3,
  INTRO: 4,
  PURE_VIRT: 5,
  PURE_INTRO: 6,
} as const;

export function methodProp(attr: number): number {
  return (attr >> 2) & 7;
}
/** Introducing virtuals carry a vtable offset after their type index. */
export function isIntroVirtual(attr: number): boolean {
  const p = methodProp(attr);
  return p === MethodProp.INTRO || p === MethodProp.PURE_INTRO;
}

/** CV_ptrmode_e, bits 5-7 of lfPointer.attr. */
export const PtrMode = {
  POINTER: 0,
  LVALUE_REF: 1,
  DATA_MEMBER: 2,
  METHOD: 3,
  RVALUE_REF: 4,
} as const;
