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

interface KindRow {
  readonly kind: number;
  readonly name: string;
  readonly family: SymFamily;
}

const rows: KindRow[] = [
  { kind: 0x0006, name: 'S_END', family: SymFamily.End },
  { kind: 0x114f, name: 'S_PROC_ID_END', family: SymFamily.End },
  { kind: 0x114e, name: 'S_INLINESITE_END', family: SymFamily.End },
  { kind: 0x110f, name: 'S_LPROC32', family: SymFamily.Proc },
  { kind: 0x1110, name: 'S_GPROC32', family: SymFamily.Proc },
  { kind: 0x1146, name: 'S_LPROC32_ID', family: SymFamily.Proc },
  { kind: 0x1147, name: 'S_GPROC32_ID', family: SymFamily.Proc },
  { kind: 0x1155, name: 'S_LPROC32_DPC', family: SymFamily.Proc },
  { kind: 0x1156, name: 'S_LPROC32_DPC_ID', family: SymFamily.Proc },
  { kind: 0x1102, name: 'S_THUNK32', family: SymFamily.Thunk },
  { kind: 0x1103, name: 'S_BLOCK32', family: SymFamily.Block },
  { kind: 0x1105, name: 'S_LABEL32', family: SymFamily.Label },
  { kind: 0x110c, name: 'S_LDATA32', family: SymFamily.Data },
  { kind: 0x110d, name: 'S_GDATA32', family: SymFamily.Data },
  { kind: 0x1112, name: 'S_LTHREAD32', family: SymFamily.Data },
  { kind: 0x1113, name: 'S_GTHREAD32', family: SymFamily.Data },
  { kind: 0x1120, name: 'S_LMANDATA', family: SymFamily.Data },
  { kind: 0x1121, name: 'S_GMANDATA', family: SymFamily.Data },
  { kind: 0x110e, name: 'S_PUB32', family: SymFamily.Public },
  { kind: 0x1107, name: 'S_CONSTANT', family: SymFamily.Constant },
  { kind: 0x112d, name: 'S_MANCONSTANT', family: SymFamily.Constant },
  { kind: 0x1125, name: 'S_PROCREF', family: SymFamily.Ref },
  { kind: 0x1126, name: 'S_DATAREF', family: SymFamily.Ref },
  { kind: 0x1127, name: 'S_LPROCREF', family: SymFamily.Ref },
  { kind: 0x112c, name: 'S_TRAMPOLINE', family: SymFamily.Trampoline },
  { kind: 0x1132, name: 'S_SEPCODE', family: SymFamily.SepCode },
  { kind: 0x114d, name: 'S_INLINESITE', family: SymFamily.Inline },
  { kind: 0x115d, name: 'S_INLINESITE2', family: SymFamily.Inline },
  { kind: 0x1101, name: 'S_OBJNAME', family: SymFamily.Other },
  { kind: 0x1116, name: 'S_COMPILE2', family: SymFamily.Other },
  { kind: 0x113c, name: 'S_COMPILE3', family: SymFamily.Other },
  { kind: 0x1012, name: 'S_FRAMEPROC', family: SymFamily.Other },
  { kind: 0x1106, name: 'S_REGISTER', family: SymFamily.Other },
  { kind: 0x110b, name: 'S_BPREL32', family: SymFamily.Other },
  { kind: 0x1111, name: 'S_REGREL32', family: SymFamily.Other },
  { kind: 0x113e, name: 'S_LOCAL', family: SymFamily.Other },
  { kind: 0x1108, name: 'S_UDT', family: SymFamily.Other },
  { kind: 0x1138, name: 'S_EXPORT', family: SymFamily.Other },
  { kind: 0x1136, name: 'S_SECTION', family: SymFamily.Other },
  { kind: 0x1137, name: 'S_COFFGROUP', family: SymFamily.Other },
  { kind: 0x1124, name: 'S_UNAMESPACE', family: SymFamily.Other },
  { kind: 0x114c, name: 'S_BUILDINFO', family: SymFamily.Other },
  { kind: 0x113d, name: 'S_ENVBLOCK', family: SymFamily.Other },
  { kind: 0x1139, name: 'S_CALLSITEINFO', family: SymFamily.Other },
  { kind: 0x113a, name: 'S_FRAMECOOKIE', family: SymFamily.Other },
  { kind: 0x115e, name: 'S_HEAPALLOCSITE', family: SymFamily.Other },
  { kind: 0x1153, name: 'S_FILESTATIC', family: SymFamily.Other },
  { kind: 0x115a, name: 'S_CALLEES', family: SymFamily.Other },
  { kind: 0x115b, name: 'S_CALLERS', family: SymFamily.Other },
  { kind: 0x1019, name: 'S_ANNOTATION', family: SymFamily.Other },
];

const byKind = new Map<number, KindRow>(rows.map((r) => [r.kind, r]));

export const S = {
  END: 0x0006,
  PROC_ID_END: 0x114f,
  LPROC32: 0x110f,
  GPROC32: 0x1110,
  LPROC32_ID: 0x1146,
  GPROC32_ID: 0x1147,
  LPROC32_DPC: 0x1155,
  LPROC32_DPC_ID: 0x1156,
  THUNK32: 0x1102,
  BLOCK32: 0x1103,
  LABEL32: 0x1105,
  LDATA32: 0x110c,
  GDATA32: 0x110d,
  LTHREAD32: 0x1112,
  GTHREAD32: 0x1113,
  PUB32: 0x110e,
  CONSTANT: 0x1107,
  PROCREF: 0x1125,
  DATAREF: 0x1126,
  LPROCREF: 0x1127,
  TRAMPOLINE: 0x112c,
  SEPCODE: 0x1132,
  INLINESITE: 0x114d,
  INLINESITE2: 0x115d,
  INLINESITE_END: 0x114e,
} as const;

export function symFamily(kind: number): SymFamily {
  return byKind.get(kind)?.family ?? SymFamily.Other;
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
