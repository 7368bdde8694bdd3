/**
 * Names: simple and qualified names, template instantiations, name
 * back-references, operator codes, anonymous namespaces, local scopes.
 */
import { Ident, Node, QName, qname } from './ast';
import { Reader, fail, readNumber, readSigned } from './parser';
import { renderIdent, renderSymbol } from './print';
import { parseSymbol } from './symbol';
import { parseType } from './types';

const OPS_BASIC: (string | null)[] = [
  null, null, 'operator new', 'operator delete', 'operator=', 'operator>>', 'operator<<', 'operator!',
  'operator==', 'operator!=', 'operator[]', null, 'operator->', 'operator*', 'operator++', 'operator--',
  'operator-', 'operator+', 'operator&', 'operator->*', 'operator/', 'operator%', 'operator<', 'operator<=',
  'operator>', 'operator>=', 'operator,', 'operator()', 'operator~', 'operator^', 'operator|', 'operator&&',
  'operator||', 'operator*=', 'operator+=', 'operator-=',
];
const OPS_UNDER: (string | null)[] = [
  'operator/=', 'operator%=', 'operator>>=', 'operator<<=', 'operator&=', 'operator|=', 'operator^=',
  null, null, null, null, null, null,
  "`vbase dtor'", "`vector deleting dtor'", "`default ctor closure'", "`scalar deleting dtor'",
  "`vector ctor iterator'", "`vector dtor iterator'", "`vector vbase ctor iterator'",
  "`virtual displacement map'", "`eh vector ctor iterator'", "`eh vector dtor iterator'",
  "`eh vector vbase ctor iterator'", "`copy ctor closure'", null, null, null, null,
  "`local vftable ctor closure'", 'operator new[]', 'operator delete[]', null, null, null, null,
];
const OPS_DUNDER: (string | null)[] = [
  null, null, null, null, null, null, null, null, null, null,
  "`managed vector ctor iterator'", "`managed vector dtor iterator'", "`EH vector copy ctor iterator'",
  "`EH vector vbase copy ctor iterator'", null, null, "`vector copy ctor iterator'",
  "`vector vbase copy constructor iterator'", "`managed vector vbase copy constructor iterator'",
  null, null, 'operator co_await', 'operator<=>', null, null, null, null, null, null, null, null, null, null,
  null, null, null,
];

function codeIndex(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 90) return c - 65 + 10;
  return fail();
}

/** Remembers a name for `0`..`9` back-references (first 10 distinct names). */
function memorize(r: Reader, name: string): void {
  const names = r.backrefs.names;
  if (names.length >= 10) return;
  for (const n of names) if ((n as { name: string }).name === name) return;
  names.push({ k: 'named', name });
}

function memorizeIdent(r: Reader, id: Ident): void {
  if (r.backrefs.names.length >= 10) return;
  memorize(r, renderIdent(id));
}

/** `name@`: a non-empty run of characters up to '@'. */
export function readSimpleString(r: Reader): string {
  const end = r.indexOf('@');
  if (end <= r.pos) fail();
  const s = r.s.slice(r.pos, end);
  r.pos = end + 1;
  return s;
}

function readSimpleName(r: Reader, mem: boolean): Ident {
  const name = readSimpleString(r);
  if (mem) memorize(r, name);
  return { k: 'named', name };
}

function readBackref(r: Reader): Ident {
  const i = r.peek() - 48;
  if (i >= r.backrefs.names.length) fail();
  r.pos++;
  return r.backrefs.names[i];
}

/** `?$name@args@`. `forType`: memorize it (types and non-leaf scopes). */
function readTemplateInstantiation(r: Reader, forType: boolean): Ident {
  r.pos += 2; // ?$
  const outer = r.backrefs;
  r.backrefs = { names: [], params: [] };
  let id: Ident;
  try {
    id = readUnqualifiedSymbolName(r, true);
    id = { ...id, targs: readTemplateArgs(r) };
  } finally {
    r.backrefs = outer;
  }
  if (forType) {
    if (id.k === 'conv' || id.k === 'structor') fail();
    memorizeIdent(r, id);
  }
  return id;
}

function readOperatorCode(r: Reader): Ident {
  r.pos++; // ?
  if (r.empty) fail();
  if (r.eat('__')) {
    const c = r.next();
    if (c === 'K') return { k: 'literalop', name: readSimpleString(r) };
    const n = OPS_DUNDER[codeIndex(c.charCodeAt(0))];
    return { k: 'op', name: n ?? '' };
  }
  if (r.eat('_')) {
    const c = r.next();
    const n = OPS_UNDER[codeIndex(c.charCodeAt(0))];
    return { k: 'op', name: n ?? '' };
  }
  const c = r.next();
  if (c === '0' || c === '1') return { k: 'structor', dtor: c === '1' };
  if (c === 'B') return { k: 'conv' };
  const n = OPS_BASIC[codeIndex(c.charCodeAt(0))];
  return { k: 'op', name: n ?? '' };
}

/** The leaf of a symbol name (may be an operator). `simple`: memorize simple names. */
function readUnqualifiedSymbolName(r: Reader, simple: boolean): Ident {
  if (r.startsWithDigit()) return readBackref(r);
  if (r.startsWith('?$')) return readTemplateInstantiation(r, false);
  if (r.peek() === 63 /* ? */) return readOperatorCode(r);
  return readSimpleName(r, simple);
}

/** The leaf of a type name. */
export function readUnqualifiedTypeName(r: Reader): Ident {
  if (r.startsWithDigit()) return readBackref(r);
  if (r.startsWith('?$')) return readTemplateInstantiation(r, true);
  return readSimpleName(r, true);
}

function isLocalScopePattern(r: Reader): boolean {
  // ?<digit>? or ?<B-P><A-P>*@?  or ?@?
  if (r.peek() !== 63) return false;
  const s = r.s;
  const start = r.pos + 1;
  const end = s.indexOf('?', start);
  if (end < 0 || end === start) return false;
  if (end - start === 1) {
    const c = s.charCodeAt(start);
    return c === 64 || (c >= 48 && c <= 57);
  }
  if (s.charCodeAt(end - 1) !== 64) return false;
  const first = s.charCodeAt(start);
  if (first < 66 || first > 80) return false;
  for (let i = start + 1; i < end - 1; i++) {
    const c = s.charCodeAt(i);
    if (c < 65 || c > 80) return false;
  }
  return true;
}

function readScopePiece(r: Reader): Ident {
  if (r.startsWithDigit()) return readBackref(r);
  if (r.startsWith('?$')) return readTemplateInstantiation(r, true);
  if (r.startsWith('?A')) {
    r.pos += 2;
    const end = r.indexOf('@');
    if (end < 0) fail();
    memorize(r, r.s.slice(r.pos, end));
    r.pos = end + 1;
    return { k: 'named', name: "`anonymous namespace'" };
  }
  if (isLocalScopePattern(r)) {
    r.pos++;
    const [n] = readNumber(r);
    r.eat('?');
    const scope = parseSymbol(r);
    return { k: 'named', name: '`' + renderSymbolDefault(scope) + "'::`" + n.toString() + "'" };
  }
  return readSimpleName(r, true);
}

function renderSymbolDefault(s: Parameters<typeof renderSymbol>[0]): string {
  return renderSymbol(s, 0);
}

/** Scope chain after the leaf: `B@C@@` -> C::B::leaf. */
export function readScopeChain(r: Reader, leaf: Ident): QName {
  const parts: Ident[] = [leaf];
  r.enter();
  while (!r.eat('@')) {
    if (r.empty) fail();
    parts.push(readScopePiece(r));
  }
  r.leave();
  parts.reverse();
  return qname(parts);
}

export function readFullyQualifiedTypeName(r: Reader): QName {
  const id = readUnqualifiedTypeName(r);
  return readScopeChain(r, id);
}

export function readFullyQualifiedSymbolName(r: Reader): QName {
  const id = readUnqualifiedSymbolName(r, true);
  const q = readScopeChain(r, id);
  if (id.k === 'structor') {
    if (q.parts.length < 2) fail();
    id.cls = q.parts[q.parts.length - 2];
  }
  return q;
}

function startsWithEither(r: Reader, withDollar: string, without: string, dollar: boolean): boolean {
  return r.startsWith(dollar ? withDollar : without);
}

/** Template argument list up to and including the terminating '@'. */
export function readTemplateArgs(r: Reader): Node[] {
  const out: Node[] = [];
  r.enter();
  while (!r.eat('@')) {
    if (r.empty) fail();
    if (r.eat('$S') || r.eat('$$V') || r.eat('$$$V') || r.eat('$$Z')) continue;
    const auto = r.eat('$M');
    if (auto) parseType(r, 'drop');
    const d = !auto;
    if (r.eat('$$Y')) {
      out.push(readFullyQualifiedTypeName(r));
    } else if (r.eat('$$B')) {
      out.push(parseType(r, 'drop'));
    } else if (r.eat('$$C')) {
      out.push(parseType(r, 'mangle'));
    } else if (
      startsWithEither(r, '$1', '1', d) ||
      startsWithEither(r, '$H', 'H', d) ||
      startsWithEither(r, '$I', 'I', d) ||
      startsWithEither(r, '$J', 'J', d)
    ) {
      if (d) r.pos++;
      const spec = r.next();
      let sym;
      if (r.peek() === 63) {
        sym = parseSymbol(r);
        const q = 'name' in sym ? (sym.name as QName | undefined) : undefined;
        if (!q || q.k !== 'qname') fail();
        memorizeIdent(r, q.parts[q.parts.length - 1]);
      }
      const n = spec === 'J' ? 3 : spec === 'I' ? 2 : spec === 'H' ? 1 : 0;
      const offsets = [];
      for (let i = 0; i < n; i++) offsets.push(readSigned(r));
      out.push({ k: 'tpref', sym, offsets, aff: '*' });
    } else if (r.startsWith('$E?')) {
      r.pos += 2;
      out.push({ k: 'tpref', sym: parseSymbol(r), offsets: [], aff: '&' });
    } else if (startsWithEither(r, '$F', 'F', d) || startsWithEither(r, '$G', 'G', d)) {
      if (d) r.pos++;
      const spec = r.next();
      const n = spec === 'G' ? 3 : 2;
      const offsets = [];
      for (let i = 0; i < n; i++) offsets.push(readSigned(r));
      out.push({ k: 'tpref', offsets, aff: '' });
    } else if (r.eat(d ? '$0' : '0')) {
      const [v, neg] = readNumber(r);
      out.push({ k: 'int', neg, v });
    } else {
      out.push(parseType(r, 'drop'));
    }
  }
  r.leave();
  return out;
}
