/**
 * Operator names (`?0`..`?Z`, `?_0`..`?_Y`, `?__A`..`?__M`): operators,
 * constructors and destructors, compiler-generated names (vftables, RTTI
 * descriptors, string literals, dynamic initializers).
 */
import { DN_INVALID, DN_TRUNCATED, DName, EMPTY, F_NOTE, F_VCALLTHUNK, S, T } from './dname';
import { getDimension, getSignedDimension, getSymbolName, getZName } from './names';
import { U, ch, next } from './state';
import { getDecoratedName } from './symbol';
import { getTemplateArgumentList } from './templates';
import { getDataType } from './types';

const OPS_BASIC = [' new', ' delete', '=', '>>', '<<', '!', '==', '!='];
// 'A'..'Z' after '?': operator[] ... operator-=  ('B' is the conversion operator).
const OPS_ALPHA = ['[]', 'operator', '->', '*', '++', '--', '-', '+', '&', '->*', '/', '%', '<', '<=', '>', '>=', ',', '()', '~', '^', '|', '&&', '||', '*=', '+=', '-='];
// '_0'..'_6'
const OPS_ASSIGN = ['/=', '%=', '>>=', '<<=', '&=', '|=', '^='];
// '_7'..'_9', then '_A'..'_Y'
const SPECIAL: Record<string, string> = {
  '7': "`vftable'",
  '8': "`vbtable'",
  '9': "`vcall'",
  A: "`typeof'",
  B: "`local static guard'",
  C: "`string'",
  D: "`vbase destructor'",
  E: "`vector deleting destructor'",
  F: "`default constructor closure'",
  G: "`scalar deleting destructor'",
  H: "`vector constructor iterator'",
  I: "`vector destructor iterator'",
  J: "`vector vbase constructor iterator'",
  K: "`virtual displacement map'",
  L: "`eh vector constructor iterator'",
  M: "`eh vector destructor iterator'",
  N: "`eh vector vbase constructor iterator'",
  O: "`copy constructor closure'",
  P: "`udt returning'",
  Q: '`EH',
  R: '`RTTI',
  S: "`local vftable'",
  T: "`local vftable constructor closure'",
  U: ' new[]',
  V: ' delete[]',
  W: "`omni callsig'",
  X: "`placement delete closure'",
  Y: "`placement delete[] closure'",
};
// '__A'..'__N'
const DUNDER: Record<string, string> = {
  A: "`managed vector constructor iterator'",
  B: "`managed vector destructor iterator'",
  C: "`eh vector copy constructor iterator'",
  D: "`eh vector vbase copy constructor iterator'",
  E: "`dynamic initializer for '",
  F: "`dynamic atexit destructor for '",
  G: "`vector copy constructor iterator'",
  H: "`vector vbase copy constructor iterator'",
  I: "`managed vector copy constructor iterator'",
  J: "`local static thread guard'",
  K: 'operator "" ',
  L: 'operator co_await',
  M: 'operator<=>',
};
const RTTI = [" Type Descriptor'", ' Base Class Descriptor at (', " Base Class Array'", " Class Hierarchy Descriptor'", " Complete Object Locator'"];

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
      const targs = EMPTY();
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
