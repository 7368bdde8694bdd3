/**
 * Type walks compared with llvm-pdbutil's dump, shared by the conformance and corpus type
 * suites. A type is described by what it looks like (tag, name or base type and length,
 * pointee), never by id, so the comparison holds for any backend's ids: `looks` asks the API,
 * `expectedLooks` reads the dump (test/helpers/type-dump.ts).
 *
 * The base types' BasicType and length come from a table written here from the C/C++ types the
 * CodeView simple kinds name (cvinfo.h), not from the library's table.
 */
import { DataKind, SymTag, TypeInfo as TI } from '../../lib/api/constants';
import type { DumpMember, DumpRecord } from './type-dump';

/** What getTypeInfo answers: `(id, request) => value`. */
export type Query = (id: number, request: number) => unknown;

// cvconst.h BasicType.
export const BT = { Void: 1, Char: 2, WChar: 3, Int: 6, UInt: 7, Float: 8, Bool: 10, Long: 13, ULong: 14, Hresult: 31, Char16: 32, Char32: 33, Char8: 34 };
/** CodeView simple kinds: [BasicType, length] DbgHelp reports (`long` is btLong, `signed char` btInt). */
export const SIMPLE: Record<number, [number, number]> = {
  0x03: [BT.Void, 0], //    void
  0x08: [BT.Hresult, 4], // HRESULT
  0x10: [BT.Int, 1], //     signed char
  0x11: [BT.Int, 2], //     short
  0x12: [BT.Long, 4], //    long
  0x13: [BT.Int, 8], //     long long / __int64
  0x14: [BT.Int, 16], //    __int128
  0x20: [BT.UInt, 1], //    unsigned char
  0x21: [BT.UInt, 2], //    unsigned short
  0x22: [BT.ULong, 4], //   unsigned long
  0x23: [BT.UInt, 8], //    unsigned long long
  0x24: [BT.UInt, 16], //   unsigned __int128
  0x30: [BT.Bool, 1], //    bool
  0x31: [BT.Bool, 2],
  0x32: [BT.Bool, 4],
  0x33: [BT.Bool, 8],
  0x40: [BT.Float, 4], //   float
  0x41: [BT.Float, 8], //   double (and long double on Windows)
  0x42: [BT.Float, 10], //  80-bit long double
  0x68: [BT.Int, 1], //     __int8
  0x69: [BT.UInt, 1], //    unsigned __int8
  0x70: [BT.Char, 1], //    char
  0x71: [BT.WChar, 2], //   wchar_t
  0x72: [BT.Int, 2], //     __int16
  0x73: [BT.UInt, 2], //    unsigned __int16
  0x74: [BT.Int, 4], //     int
  0x75: [BT.UInt, 4], //    unsigned int
  0x76: [BT.Int, 8], //     __int64
  0x77: [BT.UInt, 8], //    unsigned __int64
  0x7a: [BT.Char16, 2], //  char16_t
  0x7b: [BT.Char32, 4], //  char32_t
  0x7c: [BT.Char8, 1], //   char8_t
};
/** Simple pointer modes: near32 and near64. */
export const POINTER_SIZE: Record<number, number> = { 4: 4, 6: 8 };
/** T_PVOID (0x0103) is what compilers write for std::nullptr_t; its size is the machine's pointer size. */
export const walkContext = { pointerSize: 8 };

const TAGS = new Set(['LF_STRUCTURE', 'LF_CLASS', 'LF_UNION', 'LF_INTERFACE', 'LF_ENUM']);

/** The UDT and enum definitions of a dump (not forward references). */
export function definitions(records: DumpRecord[]): DumpRecord[] {
  return records.filter((r) => TAGS.has(r.kind) && r.forwardTo === undefined && !/forward ref/.test(r.options ?? ''));
}

/** What a type looks like through the API: tag, then name / base type and length, pointee. */
export function looks(api: Query, id: number, depth = 0): string {
  const q = (r: number) => api(id, r);
  const tag = q(TI.GET_SYMTAG);
  switch (tag) {
    case SymTag.BaseType:
      return `base(${q(TI.GET_BASETYPE)},${q(TI.GET_LENGTH)})`;
    case SymTag.UDT:
    case SymTag.Enum:
    case SymTag.Typedef:
      return `${tag === SymTag.UDT ? 'udt' : tag === SymTag.Enum ? 'enum' : 'typedef'} ${q(TI.GET_SYMNAME)}`;
    case SymTag.PointerType:
      // Pointers to members: their size depends on the class's inheritance model, which the
      // dump does not print; the pointee is what the tests compare.
      if (q(TI.GET_CLASSPARENTID) !== undefined) return `ptr(member)->${looks(api, q(TI.GET_TYPE) as number, depth + 1)}`;
      return `ptr(${q(TI.GET_LENGTH)}${q(TI.GET_IS_REFERENCE) ? ',ref' : ''})->${depth < 3 ? looks(api, q(TI.GET_TYPE) as number, depth + 1) : '...'}`;
    case SymTag.ArrayType:
      return `array(${q(TI.GET_LENGTH)},${q(TI.GET_COUNT)})->${looks(api, q(TI.GET_TYPE) as number, depth + 1)}`;
    case SymTag.FunctionType:
      return `fn(${q(TI.GET_COUNT)})`;
    case SymTag.VTableShape:
      return 'vtshape';
    default:
      return `tag ${tag}`;
  }
}

/** The same description from llvm-pdbutil's dump. */
/**
 * `staticMethod`: the type is that of a method the field list marks static (the corpus extracts
 * leave out LF_MFUNCTION's `this type` line, which says it otherwise).
 */
export function expectedLooks(dump: Map<number, DumpRecord>, ti: number, depth = 0, staticMethod = false): string {
  if (ti < 0x1000) {
    const mode = (ti >> 8) & 7;
    const kind = SIMPLE[ti & 0xff];
    if (!kind) throw new Error(`the test's table lacks simple kind 0x${(ti & 0xff).toString(16)}`);
    const b = `base(${kind[0]},${kind[1]})`;
    if (ti === 0x0103) return `ptr(${walkContext.pointerSize})->${b}`;
    return mode ? `ptr(${POINTER_SIZE[mode]})->${b}` : b;
  }
  const r = dump.get(ti)!;
  switch (r.kind) {
    case 'LF_MODIFIER':
    case 'LF_BITFIELD':
      return expectedLooks(dump, r.referent!, depth);
    case 'LF_STRUCTURE':
    case 'LF_CLASS':
    case 'LF_UNION':
    case 'LF_INTERFACE':
      return `udt ${r.name}`;
    case 'LF_ENUM':
      return `enum ${r.name}`;
    case 'LF_POINTER': {
      if (/member/.test(r.mode!)) return `ptr(member)->${expectedLooks(dump, r.referent!, depth + 1)}`;
      const size = r.ptrKind === 'ptr64' ? 8 : 4;
      const ref = r.mode === 'ref' || r.mode === 'rvalue ref';
      return `ptr(${size}${ref ? ',ref' : ''})->${depth < 3 ? expectedLooks(dump, r.referent!, depth + 1) : '...'}`;
    }
    case 'LF_ARRAY': {
      const elem = elementSize(dump, r.referent!);
      return `array(${r.arraySize},${elem ? r.arraySize! / elem : 0})->${expectedLooks(dump, r.referent!, depth + 1)}`;
    }
    case 'LF_PROCEDURE':
      return `fn(${r.argCount})`;
    case 'LF_MFUNCTION': {
      // TI_GET_COUNT of a member function counts `this` (Microsoft's dbghelp.dll: touch(int) is
      // 2), which the dump's `# args` does not.
      const self = r.thisType !== undefined ? r.thisType !== 0 : !staticMethod;
      return `fn(${r.argCount! + (self ? 1 : 0)})`;
    }
    case 'LF_VTSHAPE':
      return 'vtshape';
    default:
      throw new Error(`unexpected ${r.kind} 0x${ti.toString(16)}`);
  }
}
export function elementSize(dump: Map<number, DumpRecord>, ti: number): number {
  if (ti < 0x1000) return (ti >> 8) & 7 ? POINTER_SIZE[(ti >> 8) & 7] : SIMPLE[ti & 0xff][1];
  const r = dump.get(ti)!;
  if (r.kind === 'LF_MODIFIER') return elementSize(dump, r.referent!);
  if (r.kind === 'LF_ARRAY') return r.arraySize!;
  if (r.kind === 'LF_POINTER') return r.ptrKind === 'ptr64' ? 8 : 4;
  const def = r.forwardTo !== undefined ? dump.get(r.forwardTo)! : r;
  return def.sizeof ?? 0;
}

/** A child as the API describes it, in the same words as expectedChildren. */
export function describeChild(api: Query, parent: number, c: number): string {
  const q = (r: number) => api(c, r);
  const tag = q(TI.GET_SYMTAG);
  const type = q(TI.GET_TYPE) as number;
  const parentOk = q(TI.GET_CLASSPARENTID) === parent ? '' : ' (wrong parent)';
  switch (tag) {
    case SymTag.BaseClass:
      return `base ${looks(api, type)} @${q(TI.GET_OFFSET)}${q(TI.GET_VIRTUALBASECLASS) ? ' virtual' : ''}${parentOk}`;
    case SymTag.Data: {
      const kind = q(TI.GET_DATAKIND);
      if (kind === DataKind.Constant) return `enumerator ${q(TI.GET_SYMNAME)} = ${q(TI.GET_VALUE)}${parentOk}`;
      if (kind === DataKind.StaticMember) return `static ${q(TI.GET_SYMNAME)}: ${looks(api, type)}${parentOk}`;
      const bit = q(TI.GET_BITPOSITION);
      const bits = bit === undefined ? '' : ` bits ${bit}+${q(TI.GET_LENGTH)}`;
      return `member ${q(TI.GET_SYMNAME)} @${q(TI.GET_OFFSET)}${bits}: ${looks(api, type)}${parentOk}`;
    }
    case SymTag.Function:
      return `method ${q(TI.GET_SYMNAME)}: ${looks(api, type)}${parentOk}`;
    case SymTag.VTable:
      return `vtable ${looks(api, type)}${parentOk}`;
    case SymTag.Typedef:
      return `typedef ${q(TI.GET_SYMNAME)}: ${looks(api, type)}`;
    case SymTag.UDT:
    case SymTag.Enum:
      return `nested ${looks(api, c)}`;
    default:
      return `tag ${tag}`;
  }
}

export function expectedChildren(dump: Map<number, DumpRecord>, m: DumpMember, owner: string): string[] {
  switch (m.kind) {
    case 'LF_BCLASS':
      return [`base ${expectedLooks(dump, m.type)} @${m.offset}`];
    case 'LF_VBCLASS':
    case 'LF_IVBCLASS':
      return [`base ${expectedLooks(dump, m.type)} @undefined virtual`];
    case 'LF_ENUMERATE':
      return [`enumerator ${m.name} = ${m.value}`];
    case 'LF_STMEMBER':
      return [`static ${m.name}: ${expectedLooks(dump, m.type)}`];
    case 'LF_MEMBER': {
      const r = dump.get(m.type);
      const bits = r?.kind === 'LF_BITFIELD' ? ` bits ${r.bitOffset}+${r.bits}` : '';
      return [`member ${m.name} @${m.offset}${bits}: ${expectedLooks(dump, m.type)}`];
    }
    case 'LF_ONEMETHOD':
      return [`method ${m.name}: ${expectedLooks(dump, m.type, 0, /\bstatic\b/.test(m.attrs))}`];
    case 'LF_METHOD': {
      const list = dump.get(m.type)!.methods!;
      if (list.length !== m.overloads) throw new Error(`method list 0x${m.type.toString(16)}: ${list.length} entries, LF_METHOD says ${m.overloads}`);
      return list.map((x) => `method ${m.name}: ${expectedLooks(dump, x.type, 0, /\bstatic\b/.test(x.attrs))}`);
    }
    case 'LF_VFUNCTAB':
      return [`vtable ${expectedLooks(dump, m.type)}`];
    case 'LF_NESTTYPE': {
      const looksAs = expectedLooks(dump, m.type);
      // Nested when the named UDT is `Owner::name`; else a member typedef (`typedef ::X X;`).
      return [looksAs === `udt ${owner}::${m.name}` || looksAs === `enum ${owner}::${m.name}` ? `nested ${looksAs}` : `typedef ${m.name}: ${looksAs}`];
    }
    default:
      return [];
  }
}

/** A field list's members, following LF_INDEX continuations. */
export function fieldMembers(dump: Map<number, DumpRecord>, fl: number): DumpMember[] {
  const out: DumpMember[] = [];
  for (let at: number | undefined = fl; at;) {
    const r: DumpRecord = dump.get(at)!;
    at = undefined;
    for (const m of r.members ?? []) {
      if (m.kind === 'LF_INDEX') at = m.type;
      else out.push(m);
    }
  }
  return out;
}
