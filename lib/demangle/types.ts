/** Types: primitives, tags, pointers/references, member pointers, arrays, function types, cv. */
import {
  FuncSig, Q_CONST, Q_NONE, Q_PTR64, Q_RESTRICT, Q_UNALIGNED, Q_VOLATILE, Type,
} from './ast';
import { readFullyQualifiedTypeName, readUnqualifiedTypeName } from './names';
import { Reader, fail, readNumber } from './parser';

const PRIMS: Record<string, string> = {
  X: 'void', D: 'char', C: 'signed char', E: 'unsigned char', F: 'short', G: 'unsigned short',
  H: 'int', I: 'unsigned int', J: 'long', K: 'unsigned long', M: 'float', N: 'double', O: 'long double',
};
const PRIMS_UNDER: Record<string, string> = {
  N: 'bool', J: '__int64', K: 'unsigned __int64', W: 'wchar_t', Q: 'char8_t', S: 'char16_t',
  U: 'char32_t', P: 'auto', T: 'decltype(auto)',
};
const CALLCONV: Record<string, string> = {
  A: '__cdecl', B: '__cdecl', C: '__pascal', D: '__pascal', E: '__thiscall', F: '__thiscall',
  G: '__stdcall', H: '__stdcall', I: '__fastcall', J: '__fastcall', M: '__clrcall', N: '__clrcall',
  O: '__eabi', P: '__eabi', Q: '__vectorcall', S: '__attribute__((__swiftcall__)) ',
  W: '__attribute__((__swiftasynccall__)) ',
};

/** Storage-class cv qualifiers: [quals, isMember]. */
export function readQualifiers(r: Reader): [number, boolean] {
  const c = r.next();
  switch (c) {
    case 'Q': return [Q_NONE, true];
    case 'R': return [Q_CONST, true];
    case 'S': return [Q_VOLATILE, true];
    case 'T': return [Q_CONST | Q_VOLATILE, true];
    case 'A': return [Q_NONE, false];
    case 'B': return [Q_CONST, false];
    case 'C': return [Q_VOLATILE, false];
    case 'D': return [Q_CONST | Q_VOLATILE, false];
  }
  return fail();
}

export function readPointerExtQualifiers(r: Reader): number {
  let q = 0;
  if (r.eat('E')) q |= Q_PTR64;
  if (r.eat('I')) q |= Q_RESTRICT;
  if (r.eat('F')) q |= Q_UNALIGNED;
  return q;
}

export function readCallingConvention(r: Reader): string {
  const c = r.next();
  return CALLCONV[c] ?? '';
}

/** 'mangle': cv prefix always present; 'result': optional `?cv`; 'drop': none. */
export type QualMode = 'mangle' | 'result' | 'drop';

function isPointerStart(c: string): boolean {
  return c === 'A' || c === 'P' || c === 'Q' || c === 'R' || c === 'S';
}

function isMemberPointer(r: Reader): boolean {
  const s = r.s;
  const f = s[r.pos];
  if (f === '$' || f === 'A') return false;
  let i = r.pos + 1;
  const c = s.charCodeAt(i);
  if (c >= 48 && c <= 57) {
    if (c !== 54 && c !== 56) fail();
    return c === 56;
  }
  if (s[i] === 'E') i++;
  if (s[i] === 'I') i++;
  if (s[i] === 'F') i++;
  if (i >= s.length) fail();
  switch (s[i]) {
    case 'A': case 'B': case 'C': case 'D': return false;
    case 'Q': case 'R': case 'S': case 'T': return true;
  }
  return fail();
}

function readPointerCV(r: Reader): [number, '*' | '&' | '&&'] {
  if (r.eat('$$Q')) return [Q_NONE, '&&'];
  switch (r.next()) {
    case 'A': return [Q_NONE, '&'];
    case 'P': return [Q_NONE, '*'];
    case 'Q': return [Q_CONST, '*'];
    case 'R': return [Q_VOLATILE, '*'];
    case 'S': return [Q_CONST | Q_VOLATILE, '*'];
  }
  return fail();
}

export function parseType(r: Reader, mode: QualMode): Type {
  r.enter();
  let quals = Q_NONE;
  if (mode === 'mangle') quals = readQualifiers(r)[0];
  else if (mode === 'result' && r.eat('?')) quals = readQualifiers(r)[0];
  if (r.empty) fail();
  const c = r.peekChar();
  let t: Type;
  if (c === 'T' || c === 'U' || c === 'V' || c === 'W') {
    t = parseTagType(r);
  } else if (isPointerStart(c) || r.startsWith('$$Q')) {
    t = isMemberPointer(r) ? parseMemberPointer(r) : parsePointer(r);
  } else if (c === 'Y') {
    t = parseArray(r);
  } else if (r.eat('$$A8@@')) {
    t = parseFunctionType(r, true);
  } else if (r.eat('$$A6')) {
    t = parseFunctionType(r, false);
  } else if (c === '?') {
    r.pos++;
    const id = readUnqualifiedTypeName(r);
    r.expect('@');
    t = { k: 'custom', id, q: 0 };
  } else {
    t = parsePrimitive(r);
  }
  t.q |= quals;
  r.leave();
  return t;
}

function parsePrimitive(r: Reader): Type {
  if (r.eat('$$T')) return { k: 'prim', name: 'std::nullptr_t', q: 0 };
  const c = r.next();
  let name: string | undefined;
  if (c === '_') name = PRIMS_UNDER[r.next()];
  else name = PRIMS[c];
  if (name === undefined) fail();
  return { k: 'prim', name, q: 0 };
}

export function parseTagType(r: Reader): Type {
  const c = r.next();
  let tag: string;
  switch (c) {
    case 'T': tag = 'union'; break;
    case 'U': tag = 'struct'; break;
    case 'V': tag = 'class'; break;
    case 'W':
      r.expect('4');
      tag = 'enum';
      break;
    default: return fail();
  }
  return { k: 'tag', tag, name: readFullyQualifiedTypeName(r), q: 0 };
}

function parsePointer(r: Reader): Type {
  let [q, aff] = readPointerCV(r);
  if (r.eat('6')) {
    return { k: 'ptr', aff, q, pointee: parseFunctionType(r, false) };
  }
  q |= readPointerExtQualifiers(r);
  const pointee = parseType(r, 'mangle');
  return { k: 'ptr', aff, q, pointee };
}

function parseMemberPointer(r: Reader): Type {
  let [q, aff] = readPointerCV(r);
  q |= readPointerExtQualifiers(r);
  if (r.eat('8')) {
    const cls = readFullyQualifiedTypeName(r);
    const pointee = parseFunctionType(r, true);
    return { k: 'ptr', aff, q, pointee, cls };
  }
  const [pq] = readQualifiers(r);
  const cls = readFullyQualifiedTypeName(r);
  const pointee = parseType(r, 'drop');
  pointee.q = pq;
  return { k: 'ptr', aff, q, pointee, cls };
}

function parseArray(r: Reader): Type {
  r.pos++; // Y
  const [rank, neg] = readNumber(r);
  if (neg || rank === 0 || typeof rank === 'bigint' || rank > r.rest) fail();
  const dims = [];
  for (let i = 0; i < rank; i++) {
    const [d, dn] = readNumber(r);
    if (dn) fail();
    dims.push(d);
  }
  let q = 0;
  if (r.eat('$$C')) {
    const [aq, member] = readQualifiers(r);
    if (member) fail();
    q = aq;
  }
  const elem = parseType(r, 'drop');
  return { k: 'array', dims, elem, q };
}

/** Function type after its class code. `thisQuals`: member function (has this-cv). */
export function parseFunctionType(r: Reader, thisQuals: boolean): FuncSig & { q: number } {
  let q = 0;
  let ref: '' | '&' | '&&' = '';
  if (thisQuals) {
    q = readPointerExtQualifiers(r);
    if (r.eat('G')) ref = '&';
    else if (r.eat('H')) ref = '&&';
    q |= readQualifiers(r)[0];
  }
  const cc = readCallingConvention(r);
  let ret: Type | undefined;
  if (!r.eat('@')) ret = parseType(r, 'result');
  const [params, variadic] = readParams(r);
  let noexcept = false;
  if (r.eat('_E')) noexcept = true;
  else if (!r.eat('Z')) fail();
  return { k: 'func', q, fc: 0, cc, ret, params, variadic, noexcept, ref };
}

function readParams(r: Reader): [Type[] | undefined, boolean] {
  if (r.eat('X')) return [undefined, false];
  const out: Type[] = [];
  const br = r.backrefs;
  for (;;) {
    if (r.empty) fail();
    const c = r.peek();
    if (c === 64 /* @ */) {
      r.pos++;
      return [out, false];
    }
    if (c === 90 /* Z */) {
      r.pos++;
      return [out, true];
    }
    if (c >= 48 && c <= 57) {
      const n = c - 48;
      if (n >= br.params.length) fail();
      r.pos++;
      out.push(br.params[n]);
      continue;
    }
    const start = r.pos;
    const t = parseType(r, 'drop');
    out.push(t);
    if (br.params.length <= 9 && r.pos - start > 1) br.params.push(t);
  }
}
