/**
 * Data types: primary and basic types, class/struct/union/enum names,
 * pointers, references and their qualifiers, arrays. Types are composed
 * around a "super type" (the declarator built so far), as undname does.
 *
 * Over 400 lines on purpose: these are undname's mutually recursive type productions
 * (getDataType, getPrimaryDataType, getBasicDataType, getDataIndirectType, the ECSU and array types), kept
 * together as the one grammar they are; the function types and names live in their own files.
 */
import { DN_INVALID, DN_TRUNCATED, DName, EMPTY, F_ARRAY, F_COMARRAY, F_PINPTR, F_PTRREF, S, T } from './dname';
import { getBasedType, getFunctionIndirectType } from './functions';
import { getDimension, getNumberOfDimensions, getScope, getScopedName } from './names';
import { U, ch, doEcsu, doMSKeywords, doNameOnly, doPtr64, enter, leave, next, uscore } from './state';

export const K_NONE = 0;
export const K_PTR = 1;
export const K_LREF = 2;
export const K_RREF = 3;
const K_HANDLE = 4;
const K_PERCENT = 5;
const INDIRECTION = ['', '*', '&', '&&', '^', '%'];

export function isFunctionIndirection(c: string): boolean {
  return (c >= '6' && c <= '9') || c === '_';
}

export function getDataType(decl: DName | null): DName {
  const sup = DName.ref(decl);
  switch (ch()) {
    case '\0':
      return S(DN_TRUNCATED).plus(sup);
    case 'X':
      U.p++;
      return sup.isEmpty() ? T('void') : T('void ').plus(sup);
    case '?': {
      U.p++;
      const t = getDataIndirectType(sup, K_NONE, EMPTY(), false);
      return getPrimaryDataType(t);
    }
  }
  return getPrimaryDataType(sup);
}

export function getPrimaryDataType(sup: DName): DName {
  enter();
  try {
    return primary(sup);
  } finally {
    leave();
  }
}

function primary(sup: DName): DName {
  let cv = EMPTY();
  switch (ch()) {
    case '\0':
      return S(DN_TRUNCATED).plus(sup);
    case 'B':
    case 'A':
      if (ch() === 'B') cv = T(sup.isEmpty() ? 'volatile' : 'volatile ');
      U.p++;
      return getPtrRefType(cv, sup.copy().set(F_PTRREF), K_LREF);
    case '$':
      break;
    default:
      return getBasicDataType(sup);
  }
  if (ch(1) !== '$') return ch(1) === '\0' ? S(DN_TRUNCATED).plus(sup) : S(DN_INVALID);
  U.p += 2;
  switch (ch()) {
    case 'A':
      U.p++;
      return getFunctionIndirectType(sup);
    case 'B':
      U.p++;
      return getPtrRefDataType(sup, true);
    case 'C':
      U.p++;
      return getBasicDataType(getDataIndirectType(sup, K_NONE, EMPTY(), false));
    case 'R':
    case 'Q':
      if (ch() === 'R') cv = T(sup.isEmpty() ? 'volatile' : 'volatile ');
      U.p++;
      return getPtrRefType(cv, sup.copy().set(F_PTRREF), K_RREF);
    case 'S':
      U.p++;
      return S(DN_INVALID);
    case 'T':
      U.p++;
      return sup.isEmpty() ? T('std::nullptr_t') : T('std::nullptr_t ').plus(sup);
    case 'Y':
      U.p++;
      return getScopedName();
    case 'V':
      U.p++;
      return sup;
    case '\0':
      return S(DN_TRUNCATED).plus(sup);
  }
  return S(DN_INVALID);
}

const SIMPLE: Record<string, string> = {
  C: 'char',
  D: 'char',
  E: 'char',
  F: 'short',
  G: 'short',
  H: 'int',
  I: 'int',
  J: 'long',
  K: 'long',
  M: 'float',
  N: 'double',
  O: 'long double',
  X: 'void',
};
const EXTENDED: Record<string, string> = {
  N: 'bool',
  D: '__int8',
  E: '__int8',
  F: '__int16',
  G: '__int16',
  H: '__int32',
  I: '__int32',
  J: '__int64',
  K: '__int64',
  L: '__int128',
  M: '__int128',
  R: '<unknown>',
  S: 'char16_t',
  U: 'char32_t',
  W: 'wchar_t',
  // char8_t (_Q), auto (_P), decltype(auto) (_T) are newer than dbghelp 10.0.19041.685: "UNKNOWN".
};

export function getBasicDataType(sup: DName): DName {
  if (ch() === '\0') return S(DN_TRUNCATED).plus(sup);
  const bdt = next();
  let ext = '';
  let pCv = -1;
  let basic = EMPTY();
  if (SIMPLE[bdt] !== undefined) {
    basic = T(SIMPLE[bdt]);
  } else if (bdt === 'P' || bdt === 'Q' || bdt === 'R' || bdt === 'S') {
    pCv = bdt.charCodeAt(0) & 3;
  } else if (bdt === '_') {
    ext = next();
    if (ext === 'O') pCv = -2;
    else if (EXTENDED[ext] !== undefined) basic = T(EXTENDED[ext]);
    else if (ext === 'X' || ext === 'Y') {
      U.p--;
      basic = getECSUDataType();
      if (basic.isEmpty()) return basic;
    } else if (ext === '$') {
      return T('__w64 ').plus(getBasicDataType(sup));
    } else if (ext === '\0') {
      U.p--;
      basic.assignStatus(DN_TRUNCATED);
    } else basic = T('UNKNOWN');
  } else {
    U.p--;
    basic = getECSUDataType();
    if (basic.isEmpty()) return basic;
  }
  if (pCv === -1) {
    if (bdt === 'E' || bdt === 'G' || bdt === 'I' || bdt === 'K') basic = T('unsigned ').plus(basic);
    else if (bdt === 'C') basic = T('signed ').plus(basic);
    else if (bdt === '_' && (ext === 'E' || ext === 'G' || ext === 'I' || ext === 'K' || ext === 'M')) {
      basic = T('unsigned ').plus(basic);
    }
    if (!sup.isEmpty()) basic.add(T(' ').plus(sup));
    return basic;
  }
  let cv = EMPTY();
  const superName = sup.copy();
  if (pCv === -2) {
    superName.set(F_ARRAY);
    const ar = getPtrRefType(cv, superName, K_NONE);
    if (!ar.has(F_ARRAY)) ar.addText('[]');
    return ar;
  }
  if (sup.isEmpty()) {
    if (pCv & 1) cv = T(pCv & 2 ? 'const volatile' : 'const');
    else if (pCv & 2) cv = T('volatile');
  }
  return getPtrRefType(cv, superName, K_PTR);
}

function getECSUDataType(): DName {
  if (ch() === '\0') return T("`unknown ecsu'").plusStatus(DN_TRUNCATED);
  let ecsu = EMPTY();
  const prefix = ch() === 'W' ? doEcsu() : doEcsu() && !doNameOnly();
  if (prefix) {
    let p = EMPTY();
    switch (next()) {
      case 'T':
        p = T('union ');
        break;
      case 'U':
        p = T('struct ');
        break;
      case 'V':
        p = T('class ');
        break;
      case 'X':
        p = T('coclass ');
        break;
      case 'Y':
        p = T('cointerface ');
        break;
      case 'W':
        p = T('enum ').plus(getEnumType());
        break;
    }
    ecsu = p;
  } else if (next() === 'W') {
    getEnumType();
  }
  ecsu.add(getScopedName());
  return ecsu;
}

function getEnumType(): DName {
  if (ch() === '\0') return S(DN_TRUNCATED);
  let e = EMPTY();
  switch (ch()) {
    case '0':
    case '1':
      e = T('char ');
      break;
    case '2':
    case '3':
      e = T('short ');
      break;
    case '4':
      break;
    case '5':
      e = T('int ');
      break;
    case '6':
    case '7':
      e = T('long ');
      break;
    default:
      return S(DN_INVALID);
  }
  const c = next();
  if (c === '1' || c === '3' || c === '5' || c === '7') e = T('unsigned ').plus(e);
  return e;
}

export function getPtrRefType(cv: DName, sup: DName, kind: number): DName {
  const ptr = INDIRECTION[kind];
  if (ch() === '\0') {
    const trunk = S(DN_TRUNCATED);
    trunk.addText(ptr);
    if (!cv.isEmpty()) trunk.add(cv);
    if (!sup.isEmpty()) {
      if (!cv.isEmpty()) trunk.addText(' ');
      trunk.add(sup);
    }
    return trunk;
  }
  if (isFunctionIndirection(ch())) {
    const fit = T(ptr);
    if (!cv.isEmpty() && (sup.isEmpty() || !sup.has(F_PTRREF))) fit.add(cv);
    if (!sup.isEmpty()) fit.add(sup);
    return getFunctionIndirectType(fit);
  }
  const inner = getDataIndirectType(sup, kind, cv, false);
  return getPtrRefDataType(inner, kind === K_PTR);
}

interface Indir {
  kind: number;
  pin: boolean;
}

function getExtendedDataIndirectType(st: Indir, thisFlag: boolean): DName {
  U.p++; // '$'
  switch (ch()) {
    case 'A':
      if (!thisFlag) {
        if (st.kind === K_LREF || st.kind === K_RREF) st.kind = K_PERCENT;
        else if (st.kind === K_PTR) st.kind = K_HANDLE;
      }
      U.p++;
      return EMPTY();
    case 'B':
      if (thisFlag) return S(DN_INVALID);
      st.pin = true;
      U.p++;
      return EMPTY();
    case 'C':
      st.kind = K_PERCENT;
      U.p++;
      return EMPTY();
  }
  if (ch() === '\0' || ch(1) === '\0') return S(DN_TRUNCATED);
  if (thisFlag) return S(DN_INVALID);
  const rank = (((ch().charCodeAt(0) - 48) << 4) + (ch(1).charCodeAt(0) - 48)) >>> 0;
  U.p += 2;
  let sz = EMPTY();
  if (rank > 1) sz = T(',').plus(DName.num(BigInt(rank)));
  sz = sz.plusText('>');
  if (ch() === '$') U.p++;
  else sz = sz.plusText('^');
  if (ch() !== '\0') U.p++;
  else sz.addStatus(DN_TRUNCATED);
  return sz.set(F_COMARRAY);
}

function ditCode(c: string): number {
  const v = c.charCodeAt(0);
  return (c >= 'A' ? v - 65 : v - (48 - 26)) >>> 0;
}

export function getDataIndirectType(sup: DName, kind: number, cv: DName, thisFlag: boolean): DName {
  if (ch() === '\0') {
    if (!thisFlag && !sup.isEmpty()) {
      if (sup.has(F_PTRREF) || cv.isEmpty()) return S(DN_TRUNCATED).plus(sup);
      return S(DN_TRUNCATED).plus(cv).plusText(' ').plus(sup);
    }
    if (!thisFlag && !cv.isEmpty()) return S(DN_TRUNCATED).plus(cv);
    return S(DN_TRUNCATED);
  }
  const st: Indir = { kind, pin: false };
  if (ch() === '$') {
    const r = getExtendedDataIndirectType(st, thisFlag);
    if (!r.isEmpty()) return r;
  }
  let dit = ditCode(ch());
  let msExt = EMPTY();
  let msPre = EMPTY();
  let lref = false;
  let rref = false;
  const join = (a: DName, tok: string): DName => (a.isEmpty() ? T(uscore(tok)) : a.plusText(' ').plusText(uscore(tok)));
  for (;;) {
    if (dit === 4) {
      if (doMSKeywords() && doPtr64()) msExt = join(msExt, '__ptr64');
    } else if (dit === 5) {
      if (doMSKeywords()) msPre = join(msPre, '__unaligned');
    } else if (dit === 8) {
      if (doMSKeywords()) msExt = join(msExt, '__restrict');
    } else if (dit === 6 || dit === 7) {
      if (!thisFlag) return S(DN_INVALID);
      if (dit === 6) lref = true;
      else rref = true;
    } else break;
    U.p++;
    if (ch() === '$') {
      const r = getExtendedDataIndirectType(st, thisFlag);
      if (!r.isEmpty()) return r;
    }
    dit = ditCode(ch());
  }
  if (ch() !== '\0') U.p++;
  if (dit > 0x1f) return S(DN_INVALID);
  const prType = INDIRECTION[st.kind];
  let d = T(prType);
  if (!msExt.isEmpty()) d = d.plusText(' ').plus(msExt);
  if (!msPre.isEmpty()) d = msPre.plusText(' ').plus(d);
  if (dit & 0x10) {
    if (thisFlag) return S(DN_INVALID);
    if (prType.length > 0) {
      d = T('::').plus(d);
      d = ch() !== '\0' ? getScope().plus(d) : S(DN_TRUNCATED).plus(d);
    } else if (ch() !== '\0') {
      d.orStatus(getScope());
    }
    if (ch() === '\0') d.addStatus(DN_TRUNCATED);
    else if (next() !== '@') return S(DN_INVALID);
  }
  if ((dit & 0xc) === 0xc) {
    if (doMSKeywords()) {
      if (thisFlag) return S(DN_INVALID);
      d = getBasedType().plus(d);
    } else d.orStatus(getBasedType());
  }
  if (dit & 2) d = T('volatile ').plus(d);
  if (dit & 1) d = T('const ').plus(d);
  if (lref) d = d.plusText('& ');
  if (rref) d = d.plusText('&& ');
  if (!thisFlag) {
    if (!sup.isEmpty()) {
      if (sup.has(F_PTRREF) || cv.isEmpty()) {
        if (sup.has(F_ARRAY)) d = d.assign(sup);
        else d.add(T(' ').plus(sup));
      } else d.add(T(' ').plus(cv).plusText(' ').plus(sup));
    } else if (!cv.isEmpty()) d.add(T(' ').plus(cv));
  }
  d.set(F_PTRREF);
  if (st.pin) d.set(F_PINPTR);
  return d;
}

export function getPtrRefDataType(sup: DName, isPtr: boolean): DName {
  if (ch() === '\0') return S(DN_TRUNCATED).plus(sup);
  if (isPtr) {
    if (ch() === 'X') {
      U.p++;
      return sup.isEmpty() ? T('void') : T('void ').plus(sup);
    }
    if (ch() === '_' && ch(1) === '_' && ch(2) === 'Z') U.p += 3;
  }
  if (ch() === '$' && ch(1) === '$' && ch(2) === 'T') {
    U.p += 3;
    return sup.isEmpty() ? T('std::nullptr_t') : T('std::nullptr_t ').plus(sup);
  }
  if (ch() === 'Y') {
    U.p++;
    return getArrayType(sup);
  }
  let bdt = getBasicDataType(sup);
  if (sup.has(F_COMARRAY)) bdt = T('cli::array<').plus(bdt);
  else if (sup.has(F_PINPTR)) bdt = T('cli::pin_ptr<').plus(bdt);
  return bdt;
}

function getArrayType(sup: DName): DName {
  const truncDim = (): DName => T('[').plusStatus(DN_TRUNCATED).plusText(']');
  if (ch() === '\0') {
    if (!sup.isEmpty()) return getBasicDataType(T('(').plus(sup).plusText(')[').plusStatus(DN_TRUNCATED).plusText(']'));
    return getBasicDataType(truncDim());
  }
  let n = getNumberOfDimensions();
  if (n < 0) n = 0;
  if (n === 0) return getBasicDataType(truncDim());
  let arr = EMPTY();
  if (sup.has(F_ARRAY)) arr.addText('[]');
  while (arr.isValid() && n-- > 0 && ch() !== '\0') arr.add(T('[').plus(getDimension(false)).plusText(']'));
  if (!sup.isEmpty()) arr = sup.has(F_ARRAY) ? sup.plus(arr) : T('(').plus(sup).plusText(')').plus(arr);
  const t = getPrimaryDataType(arr);
  return t.set(F_ARRAY);
}

export const getThisType = (): DName => getDataIndirectType(EMPTY(), K_NONE, EMPTY(), true);
export const getStorageConvention = (): DName => getDataIndirectType(EMPTY(), K_NONE, EMPTY(), false);
