/**
 * Templates: template names (`?$name@args@`, their own back-reference scope)
 * and argument lists (types, constants, addresses, member pointers).
 */
import { DN_INVALID, DN_TRUNCATED, DName, EMPTY, S, T } from './dname';
import { getSignedDimension, getZName } from './names';
import { getOperatorName } from './operators';
import { Replicator, U, ch, enter, isDigit, leave, next } from './state';
import { getDecoratedName } from './symbol';
import { getPrimaryDataType } from './types';

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
          case 'W':
            pack = true;
            U.p += 3;
            break;
          case 'U':
            U.p += 3;
            break;
          case 'V':
          case 'Z':
            U.p += 3;
            skip = true;
            break;
          case '$':
            if (ch(3) === 'V') {
              U.p += 4;
              skip = true;
            }
            break;
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
      if (U.p === old) return S(DN_INVALID); // no progress (never seen; guards against a hang)
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
    case 'F':
    case 'G':
    case 'H':
    case 'I':
    case 'J': {
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
    case 'R':
    case 'T':
    case 'U':
    case 'V': {
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
