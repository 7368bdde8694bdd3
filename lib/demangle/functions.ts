/**
 * Function types: calling conventions, argument lists, `noexcept` and
 * throw specifications, function pointers (and pointers to member
 * functions), `__based`.
 */
import { DN_INVALID, DN_TRUNCATED, DName, EMPTY, S, T } from './dname';
import { getScope, getScopedName } from './names';
import { U, ch, doMSKeywords, doThisTypes, doThrowTypes, isDigit, next, uscore } from './state';
import { getDataType, getPrimaryDataType, getThisType, isFunctionIndirection } from './types';

const CALLCONV: Record<number, string> = {
  0x0: '__cdecl',
  0x2: '__pascal',
  0x4: '__thiscall',
  0x6: '__stdcall',
  0x8: '__fastcall',
  0xc: '__clrcall',
  0xe: '__eabi',
  0x10: '__vectorcall',
  0x12: '__swift_1',
  0x14: '__swift_2',
};
/** Highest calling-convention code dbghelp 10.0.19041.685 accepts ('U', __swift_2; 'V' is invalid). */
const CC_LAST = 0x14;

/**
 * Invalid for an unknown code (or `__interrupt`, 'K'/'L'), which empties the declarator of a
 * function pointer (`void (*)(void)` is printed `void `) but not a function's own declaration.
 */
export function getCallingConvention(): DName {
  if (ch() === '\0') return S(DN_TRUNCATED);
  const code = next().charCodeAt(0) - 65;
  if (code < 0 || code > CC_LAST) return S(DN_INVALID);
  if (!doMSKeywords()) return EMPTY();
  const tok = CALLCONV[code & ~1];
  return tok === undefined ? S(DN_INVALID) : T(uscore(tok));
}

export function getReturnType(decl: DName | null): DName {
  if (ch() === '@') {
    U.p++;
    return DName.ref(decl);
  }
  return getDataType(decl);
}

export function getArgumentTypes(): DName {
  switch (ch()) {
    case 'Z':
      U.p++;
      return T('...');
    case 'X':
      U.p++;
      return T('void');
  }
  const args = getArgumentList();
  if (args.stat !== 0) return args;
  switch (ch()) {
    case '\0':
      return args;
    case 'Z':
      U.p++;
      return args.plusText(',...');
    case '@':
      U.p++;
      return args;
  }
  return S(DN_INVALID);
}

function getArgumentList(): DName {
  let first = true;
  const list = EMPTY();
  while (list.stat === 0 && ch() !== '@' && ch() !== 'Z') {
    if (first) first = false;
    else list.addText(',');
    const c = ch();
    if (c === '\0') {
      list.addStatus(DN_TRUNCATED);
      break;
    }
    if (isDigit(c)) {
      U.p++;
      list.add(U.args.get(c.charCodeAt(0) - 48));
    } else {
      const old = U.p;
      const arg = getPrimaryDataType(EMPTY());
      if (U.p - old > 1 && !U.args.isFull()) U.args.add(arg);
      list.add(arg);
      if (U.p === old) list.assignStatus(DN_INVALID);
    }
  }
  return list;
}

/** A dynamic exception specification (`Z`) is read and never printed. */
export function getThrowTypes(): DName {
  if (ch() === 'Z') U.p++;
  return EMPTY();
}

export function getNoexcept(): DName {
  if (ch() === '_' && ch(1) === 'E') {
    U.p += 2;
    return T(' noexcept');
  }
  return EMPTY();
}

export function getBasedType(): DName {
  const based = T(uscore('__based('));
  if (ch() !== '\0') {
    switch (next()) {
      case '0':
        based.addText('void');
        break;
      case '2':
        based.add(getScopedName());
        break;
      case '5':
        return S(DN_INVALID);
    }
  } else {
    based.addStatus(DN_TRUNCATED);
  }
  based.addText(') ');
  return based;
}

/** A function type after a pointer or reference (`6`..`9`, `_A`..`_D`), composed around `sup`. */
export function getFunctionIndirectType(sup: DName): DName {
  if (ch() === '\0') return S(DN_TRUNCATED).plus(sup);
  if (!isFunctionIndirection(ch())) return S(DN_INVALID);
  let fit = next().charCodeAt(0) - 54;
  if (fit === 95 - 54) {
    if (ch() === '\0') return S(DN_TRUNCATED).plus(sup);
    fit = next().charCodeAt(0) - 65 + 4;
    if (fit < 4 || fit > 7) fit = -1;
  } else if (fit < 0 || fit > 3) fit = -1;
  if (fit === -1) return S(DN_INVALID);
  let thisType = EMPTY();
  let ft = sup.copy();
  if (fit & 2) {
    if (ch() !== '@') {
      ft = T('::').plus(ft);
      ft = ch() !== '\0' ? T(' ').plus(getScope()).plus(ft) : S(DN_TRUNCATED).plus(ft);
    } else U.p++;
    if (ch() === '\0') return S(DN_TRUNCATED).plus(ft);
    if (ch() !== '@') return S(DN_INVALID);
    U.p++;
    if (doThisTypes()) thisType = getThisType();
    else thisType.orStatus(getThisType());
  }
  if (fit & 4) {
    if (doMSKeywords()) ft = T(' ').plus(getBasedType()).plus(ft);
    else ft.orStatus(getBasedType());
  }
  if (doMSKeywords()) ft = getCallingConvention().plus(ft);
  else {
    // A bare function type (no pointer around it) loses its declarator without MS keywords:
    // dbghelp prints `X<void >` for `X<void __cdecl(void)>` under NO_MS_KEYWORDS.
    const cc = getCallingConvention();
    if (sup.isEmpty()) ft.orStatus(cc.isValid() ? S(DN_INVALID) : cc);
  }
  if (!sup.isEmpty()) ft = T('(').plus(ft).plusText(')');
  const decl = new DName();
  const ret = getReturnType(decl);
  ft.add(T('(').plus(getArgumentTypes()).plusText(')'));
  if (doThisTypes() && fit & 2) ft.add(thisType);
  ft.add(getNoexcept());
  if (doThrowTypes()) ft.add(getThrowTypes());
  else ft.orStatus(getThrowTypes());
  decl.assign(ft);
  return ret;
}
