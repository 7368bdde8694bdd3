/**
 * What DIA derives from a function's types that dump_syms prints:
 * - diaSignature: the undecorated name DIA builds for an internal function with no public to
 *   undecorate (`static int f(char *, struct s *)`): `static`, the return type, the name, the
 *   arguments in DIA's spelling (`char * *`, `const wchar_t *`, `struct tag *`, function types
 *   spelled empty: `void (**)(void)` reads ` * *`), `(void)` written `()`;
 * - x86StackParamSize: dump_syms' GetFunctionStackParamSize: from the lowest EBP offset of the
 *   function's own parameters (the first frame records, as many as its type declares, and
 *   `this`; only S.REGREL32 on EBP: DIA reports no EBP register for S.BPREL32, so old
 *   compilers' frames give 0, as the corpus' .sym files show; at least 4) to the end of the
 *   highest one, rounded up to 4.
 */
import type { ModuleSymbols } from '../formats/pdb/module-symbols';
import type { TpiStream } from '../formats/pdb/tpi-stream';
import { S, SymFamily, symFamily } from '../formats/codeview/symbol-kinds';
import { readBpRel, readRegRel } from '../formats/codeview/local-records';
import { readArray, readIndexList, readMFunction, readModifier, readPointer, readProcedure } from '../formats/codeview/type-records';
import { simpleKind, simpleMode, simplePointerSize } from '../formats/codeview/type-simple';
import { LF } from '../formats/codeview/type-kinds';

const SIMPLE: Record<number, string> = {
  0x03: 'void',
  0x08: 'HRESULT',
  0x10: 'signed char',
  0x11: 'short',
  0x12: 'long',
  0x13: '__int64',
  0x20: 'unsigned char',
  0x21: 'unsigned short',
  0x22: 'unsigned long',
  0x23: 'unsigned __int64',
  0x30: 'bool',
  0x40: 'float',
  0x41: 'double',
  0x42: 'long double',
  0x68: 'signed char',
  0x69: 'unsigned char',
  0x70: 'char',
  0x71: 'wchar_t',
  0x72: 'short',
  0x73: 'unsigned short',
  0x74: 'int',
  0x75: 'unsigned int',
  0x76: '__int64',
  0x77: 'unsigned __int64',
  0x7a: 'char16_t',
  0x7b: 'char32_t',
  0x7c: 'char8_t',
};

/** The word DIA writes before a user-defined type's name, by leaf. */
const TAG_WORD: Record<number, string> = {
  [LF.CLASS]: 'class',
  [LF.STRUCTURE]: 'struct',
  [LF.UNION]: 'union',
  [LF.ENUM]: 'enum',
  [LF.CLASS2]: 'class',
  [LF.STRUCTURE2]: 'struct',
  [LF.UNION2]: 'union',
};

/** A type as DIA spells it in a built signature; '' for what it leaves empty. */
export function diaTypeName(tpi: TpiStream | undefined, index: number, depth = 0): string {
  if (depth > 32) return '';
  if (index < 0x1000) {
    const base = SIMPLE[index & 0xff] ?? '';
    return simpleMode(index) ? `${base} *` : base;
  }
  if (!tpi || !tpi.has(index)) return '';
  const { leaf, data } = tpi.record(index);
  switch (leaf) {
    case LF.MODIFIER: {
      const m = readModifier(data);
      const inner = diaTypeName(tpi, m.type, depth + 1);
      return (m.attr & 1 ? 'const ' : '') + (m.attr & 2 ? 'volatile ' : '') + inner;
    }
    case LF.POINTER: {
      const p = readPointer(data);
      const inner = diaTypeName(tpi, p.referent, depth + 1);
      const op = p.mode === 1 ? '&' : p.mode === 4 ? '&&' : '*';
      return `${inner} ${op}${p.isConst ? ' const' : ''}`;
    }
    case LF.ARRAY: {
      const a = readArray(leaf, data);
      return `${diaTypeName(tpi, a.element, depth + 1)}[]`;
    }
    case LF.PROCEDURE:
    case LF.MFUNCTION:
      return '';
    default: {
      const word = TAG_WORD[leaf];
      const t = word ? tpi.tag(index) : undefined;
      return t ? `${word} ${t.name}` : '';
    }
  }
}

/** `static <return> <name>(<args>)` for an internal function without a public. */
export function diaSignature(tpi: TpiStream | undefined, name: string, typeIndex: number): string {
  let ret = '';
  let args = '()';
  if (tpi && tpi.has(typeIndex)) {
    const { leaf, data } = tpi.record(typeIndex);
    if (leaf === LF.PROCEDURE || leaf === LF.MFUNCTION) {
      const p = leaf === LF.PROCEDURE ? readProcedure(data) : readMFunction(data);
      ret = diaTypeName(tpi, p.returnType);
      args = `(${argList(tpi, p.argList)})`;
    }
  }
  if (args === '(void)') args = '()';
  return `static ${ret} ${name}${args}`;
}

function argList(tpi: TpiStream, index: number): string {
  if (!tpi.has(index)) return '';
  const { leaf, data } = tpi.record(index);
  if (leaf !== LF.ARGLIST) return '';
  const list = readIndexList(data);
  if (list.length === 0) return 'void';
  return Array.from(list, (t) => (t === 0 ? '...' : diaTypeName(tpi, t))).join(', ');
}

/** Byte length of a type (0 when unknown). */
export function typeLength(tpi: TpiStream | undefined, index: number, depth = 0): number {
  if (depth > 32) return 0;
  if (index < 0x1000) return simpleMode(index) ? simplePointerSize(index) : (simpleKind(index)?.length ?? 0);
  if (!tpi || !tpi.has(index)) return 0;
  const { leaf, data } = tpi.record(index);
  if (leaf === LF.MODIFIER) return typeLength(tpi, readModifier(data).type, depth + 1);
  if (leaf === LF.POINTER) return readPointer(data).size;
  if (leaf === LF.ARRAY) return readArray(leaf, data).size;
  if (TAG_WORD[leaf]) {
    const def = tpi.resolveForwardRef(index);
    const t = tpi.tag(def);
    if (!t) return 0;
    return t.leaf === LF.ENUM ? typeLength(tpi, t.underlying, depth + 1) : t.size;
  }
  return 0;
}

const CV_REG_EBP = 22;

/** The number of parameters a procedure's type declares (undefined when the type is unknown). */
function paramCount(tpi: TpiStream | undefined, typeIndex: number): number | undefined {
  if (!tpi || !tpi.has(typeIndex)) return undefined;
  const { leaf, data } = tpi.record(typeIndex);
  if (leaf === LF.PROCEDURE) return readProcedure(data).paramCount;
  if (leaf === LF.MFUNCTION) return readMFunction(data).paramCount;
  return undefined;
}

/**
 * dump_syms' GetFunctionStackParamSize (x86 only) for the procedure at `record` whose S_END is
 * at `end`: its own records only (nested blocks and inline sites skipped). DIA's parameters are
 * the first frame records, as many as the type declares, plus `this`; where the type is unknown,
 * those at a positive offset.
 */
export function x86StackParamSize(ms: ModuleSymbols, record: number, end: number, tpi: TpiStream | undefined, typeIndex: number): number {
  let lowest = Infinity;
  let highest = -Infinity;
  let depth = 0;
  let left = paramCount(tpi, typeIndex);
  const syms = ms.symbols;
  let offset = record + syms.recordBytes(record).length;
  for (let guard = 0; offset < end && guard < 1 << 20; guard++) {
    const bytes = syms.recordBytes(offset);
    const kind = bytes[2] | (bytes[3] << 8);
    const at = offset;
    offset += bytes.length;
    const fam = symFamily(kind);
    if (fam === SymFamily.End) {
      depth--;
      continue;
    }
    if (fam === SymFamily.Block || fam === SymFamily.Inline || fam === SymFamily.Proc || fam === SymFamily.Thunk || fam === SymFamily.SepCode) {
      depth++;
      continue;
    }
    if (depth !== 0 || (kind !== S.REGREL32 && kind !== S.BPREL32)) continue;
    const data = syms.recordAt(at).data;
    // S.BPREL32: DIA reports no EBP register for it, so it counts as a parameter slot only.
    const r = kind === S.REGREL32 ? readRegRel(data) : { ...readBpRel(data), register: -1 };
    const isThis = r.name === 'this';
    let param: boolean;
    if (isThis) param = true;
    else if (left === undefined) param = r.offset > 0;
    else param = left > 0 && left-- > 0;
    if (!param || r.register !== CV_REG_EBP) continue;
    lowest = Math.min(lowest, r.offset);
    highest = Math.max(highest, r.offset + typeLength(tpi, r.typeIndex));
  }
  if (lowest === Infinity) return 0;
  if (lowest < 4) lowest = 4;
  if (highest <= lowest) return 0;
  if (highest % 4) highest += 4 - (highest % 4);
  return highest - lowest;
}
