/**
 * The one table of CodeView symbol record kinds (cvinfo.h SYM_ENUM_e). Names, numbers and the
 * decoder family of every kind the engine knows come from here, LLVM CodeViewSymbols.def style.
 */

export const enum SymFamily {
  Other,
  End,
  Proc, //       PROCSYM32: parent, end, next, len, dbgStart, dbgEnd, type, off, seg, flags, name
  Thunk, //      THUNKSYM32: parent, end, next, off, seg, len, ord, name
  Block, //      BLOCKSYM32: parent, end, len, off, seg, name
  Label, //      LABELSYM32: off, seg, flags, name
  Data, //       DATASYM32: type, off, seg, name
  Public, //     PUBSYM32: flags, off, seg, name
  Constant, //   CONSTSYM: type, numeric leaf, name
  Ref, //        REFSYM2: sumName, ibSym, imod, name
  Trampoline, // TRAMPOLINESYM: type, size, thunkOff, targetOff, thunkSect, targetSect
  SepCode, //    SEPCODESYM: parent, end, len, flags, off, parentOff, sect, parentSect
  Inline, //     INLINESITESYM: parent, end, inlinee, annotations
}

/**
 * Every kind the engine knows, its number written once: `S.<NAME>` (the constants), the names
 * (`symKindName`) and the decoder families (`symFamily`) all derive from this table.
 */
const KINDS = {
  END: [0x0006, SymFamily.End],
  PROC_ID_END: [0x114f, SymFamily.End],
  INLINESITE_END: [0x114e, SymFamily.End],
  LPROC32: [0x110f, SymFamily.Proc],
  GPROC32: [0x1110, SymFamily.Proc],
  LPROC32_ID: [0x1146, SymFamily.Proc],
  GPROC32_ID: [0x1147, SymFamily.Proc],
  LPROC32_DPC: [0x1155, SymFamily.Proc],
  LPROC32_DPC_ID: [0x1156, SymFamily.Proc],
  THUNK32: [0x1102, SymFamily.Thunk],
  BLOCK32: [0x1103, SymFamily.Block],
  LABEL32: [0x1105, SymFamily.Label],
  LDATA32: [0x110c, SymFamily.Data],
  GDATA32: [0x110d, SymFamily.Data],
  LTHREAD32: [0x1112, SymFamily.Data],
  GTHREAD32: [0x1113, SymFamily.Data],
  LMANDATA: [0x1120, SymFamily.Data],
  GMANDATA: [0x1121, SymFamily.Data],
  PUB32: [0x110e, SymFamily.Public],
  CONSTANT: [0x1107, SymFamily.Constant],
  MANCONSTANT: [0x112d, SymFamily.Constant],
  PROCREF: [0x1125, SymFamily.Ref],
  DATAREF: [0x1126, SymFamily.Ref],
  LPROCREF: [0x1127, SymFamily.Ref],
  TRAMPOLINE: [0x112c, SymFamily.Trampoline],
  SEPCODE: [0x1132, SymFamily.SepCode],
  INLINESITE: [0x114d, SymFamily.Inline],
  INLINESITE2: [0x115d, SymFamily.Inline],
  OBJNAME: [0x1101, SymFamily.Other],
  COMPILE2: [0x1116, SymFamily.Other],
  COMPILE3: [0x113c, SymFamily.Other],
  FRAMEPROC: [0x1012, SymFamily.Other],
  REGISTER: [0x1106, SymFamily.Other],
  BPREL32: [0x110b, SymFamily.Other],
  REGREL32: [0x1111, SymFamily.Other],
  LOCAL: [0x113e, SymFamily.Other],
  UDT: [0x1108, SymFamily.Other],
  EXPORT: [0x1138, SymFamily.Other],
  SECTION: [0x1136, SymFamily.Other],
  COFFGROUP: [0x1137, SymFamily.Other],
  UNAMESPACE: [0x1124, SymFamily.Other],
  BUILDINFO: [0x114c, SymFamily.Other],
  ENVBLOCK: [0x113d, SymFamily.Other],
  CALLSITEINFO: [0x1139, SymFamily.Other],
  FRAMECOOKIE: [0x113a, SymFamily.Other],
  HEAPALLOCSITE: [0x115e, SymFamily.Other],
  FILESTATIC: [0x1153, SymFamily.Other],
  CALLEES: [0x115a, SymFamily.Other],
  CALLERS: [0x115b, SymFamily.Other],
  ANNOTATION: [0x1019, SymFamily.Other],
  DEFRANGE: [0x113f, SymFamily.Other],
  DEFRANGE_SUBFIELD: [0x1140, SymFamily.Other],
  DEFRANGE_REGISTER: [0x1141, SymFamily.Other],
  DEFRANGE_FRAMEPOINTER_REL: [0x1142, SymFamily.Other],
  DEFRANGE_SUBFIELD_REGISTER: [0x1143, SymFamily.Other],
  DEFRANGE_FRAMEPOINTER_REL_FULL_SCOPE: [0x1144, SymFamily.Other],
  DEFRANGE_REGISTER_REL: [0x1145, SymFamily.Other],
} as const satisfies Record<string, readonly [number, SymFamily]>;

type KindName = keyof typeof KINDS;

/** `S.GPROC32` = 0x1110 ...: the S_* constants, from KINDS. */
export const S = Object.fromEntries(Object.entries(KINDS).map(([name, [kind]]) => [name, kind])) as { readonly [K in KindName]: (typeof KINDS)[K][0] };

const byKind = new Map<number, { name: string; family: SymFamily }>(Object.entries(KINDS).map(([name, [kind, family]]) => [kind, { name: `S_${name}`, family }]));

/** `S_GPROC32`, or `0x<hex>` for a kind not in the table. */
export function symKindName(kind: number): string {
  return byKind.get(kind)?.name ?? `0x${kind.toString(16)}`;
}

/** Family by kind (u16), from KINDS: the stream walkers ask for every record (millions), so no Map lookup. */
const familyOf = new Uint8Array(0x10000);
for (const [kind, family] of Object.values(KINDS)) familyOf[kind] = family;

export function symFamily(kind: number): SymFamily {
  return familyOf[kind & 0xffff] as SymFamily;
}

/** Records that open a scope closed by S_END (or S_PROC_ID_END / S_INLINESITE_END). */
export function opensScope(fam: SymFamily): boolean {
  return fam === SymFamily.Proc || fam === SymFamily.Thunk || fam === SymFamily.Block || fam === SymFamily.Inline || fam === SymFamily.SepCode;
}
export function isThreadData(kind: number): boolean {
  return kind === S.LTHREAD32 || kind === S.GTHREAD32;
}
/** S_*_ID procedures carry an IPI item (LF_FUNC_ID), not a TPI type. */
export function isIdProc(kind: number): boolean {
  return kind === S.LPROC32_ID || kind === S.GPROC32_ID || kind === S.LPROC32_DPC_ID;
}
