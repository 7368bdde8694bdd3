/**
 * Names: symbol names, operator names, scopes, template names and their
 * argument lists, numbers ("dimensions"). Follows Microsoft's undname step by
 * step, error paths included (they decide what dbghelp prints for odd input).
 */
import { DN_INVALID, DN_TRUNCATED, DName, EMPTY, F_NOTE, F_VCALLTHUNK, S, T } from './dname';
import {
  Replicator, U, ch, enter, isDigit, leave, next, readTo,
} from './state';
import { getDecoratedName } from './symbol';
import { getDataType, getPrimaryDataType } from './types';

const OPS_BASIC = [' new', ' delete', '=', '>>', '<<', '!', '==', '!='];
// 'A'..'Z' after '?': operator[] ... operator-=  ('B' is the conversion operator).
const OPS_ALPHA = [
  '[]', 'operator', '->', '*', '++', '--', '-', '+', '&', '->*', '/', '%', '<', '<=', '>', '>=', ',',
  '()', '~', '^', '|', '&&', '||', '*=', '+=', '-=',
];
// '_0'..'_6'
const OPS_ASSIGN = ['/=', '%=', '>>=', '<<=', '&=', '|=', '^='];
// '_7'..'_9', then '_A'..'_Y'
const SPECIAL: Record<string, string> = {
  '7': "`vftable'", '8': "`vbtable'", '9': "`vcall'",
  A: "`typeof'", B: "`local static guard'", C: "`string'", D: "`vbase destructor'",
  E: "`vector deleting destructor'", F: "`default constructor closure'", G: "`scalar deleting destructor'",
  H: "`vector constructor iterator'", I: "`vector destructor iterator'",
  J: "`vector vbase constructor iterator'", K: "`virtual displacement map'",
  L: "`eh vector constructor iterator'", M: "`eh vector destructor iterator'",
  N: "`eh vector vbase constructor iterator'", O: "`copy constructor closure'", P: "`udt returning'",
  Q: '`EH', R: '`RTTI', S: "`local vftable'", T: "`local vftable constructor closure'",
  U: ' new[]', V: ' delete[]', W: "`omni callsig'", X: "`placement delete closure'",
  Y: "`placement delete[] closure'",
};
// '__A'..'__N'
const DUNDER: Record<string, string> = {
  A: "`managed vector constructor iterator'", B: "`managed vector destructor iterator'",
  C: "`eh vector copy constructor iterator'", D: "`eh vector vbase copy constructor iterator'",
  E: "`dynamic initializer for '", F: "`dynamic atexit destructor for '",
  G: "`vector copy constructor iterator'", H: "`vector vbase copy constructor iterator'",
  I: "`managed vector copy constructor iterator'", J: "`local static thread guard'",
  K: 'operator "" ', L: 'operator co_await', M: 'operator<=>',
};
const RTTI = [" Type Descriptor'", ' Base Class Descriptor at (', " Base Class Array'",
  " Class Hierarchy Descriptor'", " Complete Object Locator'"];

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

/** After the '?' of an operator code. `readArgs` is set when template arguments were read. */
export function getOperatorName(isTemplate: boolean, readArgs: { v: boolean } | null): DName {
  let op: DName;
  let udc = false;
  const c = next();
  switch (c) {
    case '\0':
      U.p--;
      return S(DN_TRUNCATED);
    case '0':
    case '1': {
      let targs = EMPTY();
      if (isTemplate) {
        targs.add(T('<').plus(getTemplateArgumentList()));
        if (targs.lastChar() === '>') targs.addText(' ');
        targs.addText('>');
        if (readArgs) readArgs.v = true;
        if (ch() === '\0') return targs;
        U.p++;
      }
      const save = U.p;
      op = getZName(false, false);
      U.p = save;
      if (!op.isEmpty() && U.s[U.p - 1] === '1') op = T('~').plus(op);
      if (!targs.isEmpty()) op.add(targs);
      return op;
    }
    case '_':
      return getUnderscoreOperator();
    default: {
      const i = '23456789'.indexOf(c);
      if (i >= 0 && c !== '') op = T(OPS_BASIC[i]);
      else if (c >= 'A' && c <= 'Z') {
        if (c === 'B') udc = true;
        op = T(OPS_ALPHA[c.charCodeAt(0) - 65]);
      } else return S(DN_INVALID);
    }
  }
  if (udc) op.setIsUDC();
  else if (!op.isEmpty()) op = T('operator').plus(op);
  return op;
}

function getUnderscoreOperator(): DName {
  const c = next();
  if (c === '\0') {
    U.p--;
    return S(DN_TRUNCATED);
  }
  if (c >= '0' && c <= '6') return T('operator').plus(T(OPS_ASSIGN[c.charCodeAt(0) - 48]));
  switch (c) {
    case '7':
    case '8':
      return T(SPECIAL[c]);
    case '9':
      return T(SPECIAL[c]).set(F_VCALLTHUNK);
    case 'C': {
      const r = getStringEncoding("`string'");
      return r.set(F_NOTE);
    }
    case 'P': {
      const op = T(SPECIAL.P);
      const tmp = getOperatorName(false, null);
      if (!tmp.isEmpty() && tmp.has(4 /* F_UDTTHUNK */)) return S(DN_INVALID);
      return op.plus(tmp);
    }
    case 'Q':
      return EMPTY();
    case 'R':
      return getRttiName();
    case 'U':
    case 'V':
      return T('operator').plus(T(SPECIAL[c]));
    case '?':
      return getNestedOperator();
    case '_':
      return getDoubleUnderscoreOperator();
  }
  if (SPECIAL[c] !== undefined && c !== 'W') return T(SPECIAL[c]);
  return S(DN_INVALID);
}

function getRttiName(): DName {
  const op = T('`RTTI');
  if (ch() === '\0') return op.plusStatus(DN_TRUNCATED);
  const index = ch().charCodeAt(0) - 48;
  if (index < 0 || index >= RTTI.length) return S(DN_INVALID);
  const tmp = T(RTTI[index]);
  U.p++;
  switch (index) {
    case 0: {
      const r = getDataType(null);
      return r.plusText(' ').plus(op).plus(tmp);
    }
    case 1: {
      const r = op.plus(tmp);
      r.add(getSignedDimension().plusText(','));
      r.add(getSignedDimension().plusText(','));
      r.add(getSignedDimension().plusText(','));
      r.add(getDimension(false).plusText(')'));
      return r.plusText("'");
    }
    default:
      return op.plus(tmp);
  }
}

function getNestedOperator(): DName {
  const c = next();
  if (c === '\0') {
    U.p--;
    return S(DN_TRUNCATED);
  }
  if (c === '0') return getStringEncoding("`anonymous namespace'").set(F_NOTE);
  return S(DN_INVALID);
}

function getDoubleUnderscoreOperator(): DName {
  const c = next();
  switch (c) {
    case 'E':
    case 'F': {
      const r = T(DUNDER[c]);
      if (ch() === '?') {
        r.add(getDecoratedName());
        if (ch() === '@') U.p++;
      } else {
        r.add(getSymbolName());
      }
      return r.plusText("''");
    }
    case 'K': {
      const r = T(DUNDER.K);
      while (ch() !== '\0' && ch() !== '@') r.addText(next());
      if (ch() === '@') U.p++;
      return r;
    }
  }
  if (DUNDER[c] !== undefined) return T(DUNDER[c]);
  return S(DN_INVALID);
}

/** `??_C@_<kind><len><crc>@<bytes>@` and the anonymous-namespace form: the text is skipped. */
function getStringEncoding(prefix: string): DName {
  const r = T(prefix);
  if (next() !== '@' || next() !== '_') return S(DN_INVALID);
  U.p++; // string kind
  getDimension(false);
  getDimension(false);
  while (ch() !== '\0' && ch() !== '@') U.p++;
  if (ch() === '\0') {
    U.p--;
    return S(DN_TRUNCATED);
  }
  U.p++;
  return r;
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

export function getTemplateName(readTerminator: boolean): DName {
  if (ch() !== '?' || ch(1) !== '$') return S(DN_INVALID);
  U.p += 2;
  const save = [U.args, U.zNames, U.targs] as const;
  U.args = new Replicator();
  U.zNames = new Replicator();
  U.targs = new Replicator();
  enter();
  try {
    let name: DName;
    const readArgs = { v: false };
    if (ch() === '?') {
      U.p++;
      name = getOperatorName(true, readArgs);
    } else {
      name = getZName(true, true);
    }
    if (name.isEmpty()) U.explicitTemplateParams = true;
    if (!readArgs.v) {
      name.addText('<');
      name.add(getTemplateArgumentList());
      if (name.lastChar() === '>') name.addText(' ');
      name.addText('>');
      if (readTerminator && ch() !== '\0') U.p++;
    }
    return name;
  } finally {
    leave();
    [U.args, U.zNames, U.targs] = save;
  }
}

export function getTemplateArgumentList(): DName {
  let first = true;
  const list = EMPTY();
  U.getTemplateArgumentList = true;
  while (list.stat === 0 && ch() !== '\0' && ch() !== '@') {
    const needComma = !first;
    first = false;
    let arg: DName;
    let pack = false;
    const c = ch();
    if (isDigit(c)) {
      U.p++;
      arg = U.targs.get(c.charCodeAt(0) - 48);
    } else {
      const old = U.p;
      if (c === '$' && ch(1) === '$') {
        let skip = false;
        switch (ch(2)) {
          case 'W': pack = true; U.p += 3; break;
          case 'U': U.p += 3; break;
          case 'V': case 'Z': U.p += 3; skip = true; break;
          case '$': if (ch(3) === 'V') { U.p += 4; skip = true; } break;
        }
        if (skip) continue;
      }
      if (ch() === '$' && ch(1) !== '$') {
        U.p++;
        arg = getTemplateNonTypeArgument();
      } else {
        arg = getTemplateTypeArgument();
      }
      if (U.p - old > 1 && !U.targs.isFull()) U.targs.add(arg);
    }
    // An argument that fails is left out and the list goes on (dbghelp 10.0.19041.685
    // answers `<,`template-parameter- ?? '>` for `ABV?`, a truncated `ABV?$...`).
    if (!arg.isEmpty()) {
      if (needComma) list.addText(',');
      list.add(arg);
      if (pack) list.addText('...');
    }
  }
  U.getTemplateArgumentList = false;
  return list;
}

function getTemplateNonTypeArgument(): DName {
  const c = next();
  switch (c) {
    case '0':
      return getSignedDimension();
    case '1':
      if (ch() === '@') {
        U.p++;
        return T('NULL');
      }
      return T('&').plus(getDecoratedName());
    case 'E':
      return getDecoratedName();
    case '2': {
      // <mantissa digits><exponent>: 1.12e0 (a point after the first digit)
      const mantissa = getSignedDimension();
      const exponent = getSignedDimension();
      if (!mantissa.isValid() || !exponent.isValid()) return S(DN_TRUNCATED);
      const m = mantissa.toString().slice(0, 99);
      const fp = m[0] === '-' ? '-' + (m[1] ?? '') + '.' + m.slice(2) : (m[0] ?? '') + '.' + m.slice(1);
      return T(fp).plusText('e').plus(exponent);
    }
    case 'F': case 'G': case 'H': case 'I': case 'J': {
      const ptm = T('{');
      if (c === 'H' || c === 'I' || c === 'J') {
        ptm.add(getDecoratedName());
        ptm.addText(',');
      }
      if (c === 'G' || c === 'J') {
        ptm.add(getSignedDimension());
        ptm.addText(',');
      }
      if (c !== 'H') {
        ptm.add(getSignedDimension());
        ptm.addText(',');
      }
      ptm.add(getSignedDimension());
      return ptm.plusText('}');
    }
    case 'S':
      return EMPTY();
    case 'R': case 'T': case 'U': case 'V': {
      const dim = getSignedDimension();
      const n = (parseInt(dim.toString().slice(0, 15).trim(), 10) || 0) & 0xfff;
      const label = c === 'U' ? '`generic-class-parameter-' : c === 'V' ? '`generic-method-parameter-' : '`template-type-parameter-';
      return T(label + n + "'");
    }
    case 'M': {
      const type = getTemplateTypeArgument();
      if (!type.isValid()) return S(DN_INVALID);
      return getTemplateNonTypeArgument();
    }
    case 'N':
      return EMPTY(); // (dbghelp 10.0.19041.685 predates `nullptr` member pointers: `f<>`)
    case '\0':
      U.p--;
      return S(DN_TRUNCATED);
  }
  return S(DN_INVALID);
}

export function getTemplateTypeArgument(): DName {
  if (ch() === 'X') {
    U.p++;
    return T('void');
  }
  if (ch() === '?') return T('`template-parameter').plus(getSignedDimension()).plusText("'");
  return getPrimaryDataType(EMPTY());
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
