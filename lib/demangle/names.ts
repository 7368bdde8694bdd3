/**
 * Names: symbol names, scopes, qualified names and numbers ("dimensions").
 * Follows Microsoft's undname step by step, error paths included (they
 * decide what dbghelp prints for odd input).
 */
import { DN_INVALID, DN_TRUNCATED, DName, EMPTY, S, T } from './dname';
import { getOperatorName } from './operators';
import { U, ch, enter, isDigit, leave, next, readTo } from './state';
import { getDecoratedName } from './symbol';
import { getTemplateName } from './templates';

export function getSymbolName(): DName {
  if (ch() === '?') {
    if (ch(1) === '$') return getTemplateName(true);
    U.p++;
    return getOperatorName(false, null);
  }
  return getZName(true, false);
}

export function getZName(updateCache: boolean, allowEmpty: boolean): DName {
  const c = ch();
  if (isDigit(c)) {
    U.p++;
    return U.zNames.get(c.charCodeAt(0) - 48);
  }
  let z: DName;
  if (c === '?') {
    z = getTemplateName(false);
    if (next() !== '@') {
      U.p--;
      z.assignStatus(ch() !== '\0' ? DN_INVALID : DN_TRUNCATED);
    }
  } else if (U.s.startsWith('template-parameter-', U.p)) {
    U.p += 19;
    z = T('`template-parameter-').plus(getSignedDimension()).plusText("'");
  } else if (U.s.startsWith('generic-type-', U.p)) {
    U.p += 13;
    z = T('`generic-type-').plus(getSignedDimension()).plusText("'");
  } else if (allowEmpty && c === '@') {
    z = EMPTY();
    U.p++;
  } else {
    z = readTo('@');
  }
  if (updateCache && !U.zNames.isFull()) U.zNames.add(z);
  return z;
}

export function getScope(): DName {
  let scope = EMPTY();
  let needBracket = false;
  enter();
  while (scope.stat === 0 && ch() !== '\0' && ch() !== '@') {
    if (U.explicitTemplateParams && !U.getTemplateArgumentList) {
      leave();
      return scope;
    }
    if (!scope.isEmpty()) {
      scope = T('::').plus(scope);
      if (needBracket) {
        scope = T('[').plus(scope);
        needBracket = false;
      }
    }
    if (ch() === '?') {
      U.p++;
      switch (ch()) {
        case '?':
          if (ch(1) === '_' && ch(2) === '?') {
            U.p++;
            scope = getOperatorName(false, null).plus(scope);
            if (ch() === '@') U.p++;
          } else {
            scope = T('`').plus(getDecoratedName()).plusText("'").plus(scope);
          }
          break;
        case '$':
          U.p--;
          scope = getZName(true, false).plus(scope);
          break;
        case 'A':
        case '%': {
          const ns = readTo('@');
          scope = T("`anonymous namespace'").plus(scope);
          if (!U.zNames.isFull()) U.zNames.add(ns);
          break;
        }
        case 'I':
          U.p++;
          scope = getZName(true, false).plusText(']').plus(scope);
          needBracket = true;
          break;
        case 'Q': {
          let ex = EMPTY();
          U.p++;
          do {
            const n = getZName(true, false);
            if (n.stat === 0) ex = ex.isEmpty() ? n : n.plusText('::').plus(ex);
            else ex.assignStatus(DN_INVALID);
          } while (ex.stat === 0 && ch() !== '@');
          if (ex.stat === 0) {
            scope = T('[').plus(ex).plusText(']');
            U.p++;
          } else scope.assignStatus(DN_INVALID);
          break;
        }
        default:
          scope = T('`').plus(getDimension(false)).plusText("'").plus(scope);
      }
    } else {
      scope = getZName(true, false).plus(scope);
    }
  }
  leave();
  const c = ch();
  // (`x = DN_truncated` keeps x's own status; `DName(DN_truncated)` is valid.)
  if (c === '\0') {
    if (scope.isEmpty()) scope.assignStatus(DN_TRUNCATED);
    else scope = S(DN_TRUNCATED).plusText('::').plus(scope);
  } else if (c !== '@') {
    scope.assignStatus(DN_INVALID);
  }
  return scope;
}

export function getSignedDimension(): DName {
  if (ch() === '\0') return S(DN_TRUNCATED);
  if (ch() === '?') {
    U.p++;
    return T('-').plus(getDimension(false));
  }
  return getDimension(false);
}

export function getDimension(signed: boolean): DName {
  let prefix = false;
  if (ch() === 'Q') {
    prefix = true;
    U.p++;
  }
  const c = ch();
  if (c === '\0') return S(DN_TRUNCATED);
  const pre = (d: DName): DName => (prefix ? T('`non-type-template-parameter').plus(d) : d);
  if (isDigit(c)) {
    U.p++;
    return pre(DName.num(BigInt(c.charCodeAt(0) - 48 + 1)));
  }
  const v = getValue();
  if (v !== null) {
    U.p++;
    return pre(DName.num(signed ? BigInt.asIntN(64, v) : v));
  }
  return ch() === '\0' ? S(DN_TRUNCATED) : S(DN_INVALID);
}

/** Hex digits A..P up to '@' (not consumed); null when anything else comes first. */
function getValue(): bigint | null {
  let v = 0n;
  for (;;) {
    const c = ch();
    if (c === '\0') return null;
    if (c === '@') return v;
    if (c < 'A' || c > 'P') return null;
    v = BigInt.asUintN(64, (v << 4n) + BigInt(c.charCodeAt(0) - 65));
    U.p++;
  }
}

export function getNumberOfDimensions(): number {
  const c = ch();
  if (c === '\0') return 0;
  if (isDigit(c)) {
    U.p++;
    return c.charCodeAt(0) - 48 + 1;
  }
  let dim = 0;
  while (ch() !== '@') {
    const d = ch();
    if (d === '\0') return 0;
    if (d < 'A' || d > 'P') return -1;
    dim = ((dim << 4) + (d.charCodeAt(0) - 65)) | 0;
    U.p++;
  }
  U.p++;
  return dim;
}

/** `name@scope@...@` read as one qualified name (class, struct, union and enum names). */
export function getScopedName(): DName {
  let name = getZName(true, false);
  if (name.stat === 0 && ch() !== '\0' && ch() !== '@') name = getScope().plusText('::').plus(name);
  if (ch() === '@') U.p++;
  else if (ch() !== '\0') name.assignStatus(DN_INVALID);
  else if (name.isEmpty()) name.assignStatus(DN_TRUNCATED);
  else name = S(DN_TRUNCATED).plusText('::').plus(name);
  return name;
}
