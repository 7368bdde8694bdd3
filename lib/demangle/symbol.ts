/**
 * Symbols: the top-level grammar (functions, variables, special symbols such
 * as `??_7` vftables, `??_R0` RTTI descriptors, `??_C@` string literals).
 */
import {
  FC_EXTERN_C, FC_FAR, FC_GLOBAL, FC_NO_PARAMS, FC_PRIVATE, FC_PROTECTED, FC_PUBLIC, FC_STATIC,
  FC_STATIC_THIS_ADJUST, FC_VIRTUAL, FC_VIRTUAL_THIS_ADJUST, FC_VIRTUAL_THIS_ADJUST_EX,
  FuncSig, Ident, QName, Symbol, VarSymbol, lastIdent, qname,
} from './ast';
import { readFullyQualifiedSymbolName, readFullyQualifiedTypeName, readScopeChain } from './names';
import { Reader, fail, readSigned, readUnsigned } from './parser';
import { readStringLiteral } from './strings';
import {
  parseFunctionType, parseType, readCallingConvention, readPointerExtQualifiers, readQualifiers,
} from './types';

/** Parses one symbol at the reader (used recursively for local scopes and template args). */
export function parseSymbol(r: Reader): Symbol {
  r.enter();
  try {
    if (r.peek() === 46 /* . */) {
      r.pos++;
      const type = parseType(r, 'result');
      if (!r.empty) fail();
      return { k: 'typedesc', type, label: "`RTTI Type Descriptor Name'" };
    }
    if (r.startsWith('??@')) return readMd5(r);
    if (!r.eat('?')) fail();
    const special = readSpecial(r);
    if (special) return special;
    return readDeclarator(r);
  } finally {
    r.leave();
  }
}

function readMd5(r: Reader): Symbol {
  const start = r.pos;
  const end = r.s.indexOf('@', start + 3);
  if (end < 0) fail();
  r.pos = end + 1;
  r.eat('??_R4@');
  return { k: 'md5', text: r.s.slice(start, r.pos) };
}

/** Whether the symbol at this position (after the leading '?') is a special one. */
export function isSpecialAt(s: string, pos: number): boolean {
  return /^\?(_[789ABCPS]|_R[0-4]|__[EFJ])/.test(s.slice(pos, pos + 4));
}

function readSpecial(r: Reader): Symbol | null {
  if (r.eat('?_7')) return readTable(r, "`vftable'");
  if (r.eat('?_8')) return readTable(r, "`vbtable'");
  if (r.eat('?_9')) return readVcall(r);
  if (r.eat('?_A') || r.eat('?_P')) fail();
  if (r.eat('?_B')) return readLocalStaticGuard(r, false);
  if (r.eat('?_C')) return readStringLiteral(r);
  if (r.eat('?_R0')) {
    const type = parseType(r, 'result');
    r.expect('@8');
    if (!r.empty) fail();
    return { k: 'typedesc', type, label: "`RTTI Type Descriptor'" };
  }
  if (r.eat('?_R1')) {
    const nv = u32(readUnsigned(r));
    const vbptr = i32(readSigned(r));
    const vbtable = u32(readUnsigned(r));
    const flags = u32(readUnsigned(r));
    const name = readScopeChain(r, { k: 'rttibcd', nv, vbptr, vbtable, flags });
    r.eat('8');
    return { k: 'var', name, sc: 'none' };
  }
  if (r.eat('?_R2')) return readUntypedVariable(r, "`RTTI Base Class Array'");
  if (r.eat('?_R3')) return readUntypedVariable(r, "`RTTI Class Hierarchy Descriptor'");
  if (r.eat('?_R4')) return readTable(r, "`RTTI Complete Object Locator'");
  if (r.eat('?_S')) return readTable(r, "`local vftable'");
  if (r.eat('?__E')) return readInitFini(r, false);
  if (r.eat('?__F')) return readInitFini(r, true);
  if (r.eat('?__J')) return readLocalStaticGuard(r, true);
  return null;
}

function readTable(r: Reader, label: string): Symbol {
  const name = readScopeChain(r, { k: 'named', name: label });
  const f = r.next();
  if (f !== '6' && f !== '7') fail();
  const [q] = readQualifiers(r);
  const targets: QName[] = [];
  while (!r.eat('@')) {
    if (r.empty) fail();
    targets.push(readFullyQualifiedTypeName(r));
  }
  return { k: 'table', name, q, targets: targets.length ? targets : undefined };
}

function readVcall(r: Reader): Symbol {
  const id: Ident = { k: 'vcall', offset: 0 };
  const name = readScopeChain(r, id);
  r.expect('$B');
  id.offset = readUnsigned(r);
  r.expect('A');
  const cc = readCallingConvention(r);
  const sig: FuncSig = {
    k: 'func', q: 0, fc: FC_NO_PARAMS, cc, variadic: false, noexcept: false, ref: '',
    thunk: { kind: 'vcall', static: 0, vtordisp: 0, vbptr: 0, vboff: 0 },
  };
  return { k: 'fn', name, sig };
}

function readLocalStaticGuard(r: Reader, thread: boolean): Symbol {
  const id: Ident = { k: 'guard', thread, scope: 0 };
  const name = readScopeChain(r, id);
  if (!r.eat('4IA') && !r.eat('5')) fail();
  if (!r.empty) id.scope = u32(readUnsigned(r));
  return { k: 'guardvar', name };
}

function readUntypedVariable(r: Reader, label: string): Symbol {
  const name = readScopeChain(r, { k: 'named', name: label });
  r.expect('8');
  return { k: 'var', name, sc: 'none' };
}

function readInitFini(r: Reader, dtor: boolean): Symbol {
  const known = r.eat('?');
  const sym = readDeclarator(r);
  const id: Ident = { k: 'dyn', dtor };
  if (sym.k === 'var') {
    id.variable = sym;
    const n = known ? 2 : 1;
    for (let i = 0; i < n; i++) r.expect('@');
    const fn = readFunctionEncoding(r);
    fn.name = qname([id]);
    return fn;
  }
  if (known || sym.k !== 'fn') fail();
  id.qname = sym.name;
  return { k: 'fn', name: qname([id]), sig: sym.sig };
}

function readDeclarator(r: Reader): Symbol {
  const name = readFullyQualifiedSymbolName(r);
  const sym = readEncodedSymbol(r, name);
  const leaf = lastIdent(name);
  if (leaf.k === 'conv' && !leaf.target) fail();
  return sym;
}

function readEncodedSymbol(r: Reader, name: QName): Symbol {
  const c = r.peekChar();
  if (c === '') fail();
  if (c >= '0' && c <= '4') {
    r.pos++;
    const sc = (['private', 'protected', 'public', 'global', 'local'] as const)[c.charCodeAt(0) - 48];
    return readVariableEncoding(r, name, sc);
  }
  const fn = readFunctionEncoding(r);
  fn.name = name;
  const leaf = lastIdent(name);
  if (leaf.k === 'conv') leaf.target = fn.sig.ret;
  return fn;
}

function readVariableEncoding(r: Reader, name: QName, sc: VarSymbol['sc']): VarSymbol {
  const type = parseType(r, 'drop');
  if (type.k === 'ptr') {
    type.q |= readPointerExtQualifiers(r);
    const [extra] = readQualifiers(r);
    if (type.cls) readFullyQualifiedTypeName(r);
    type.pointee.q |= extra;
  } else {
    type.q = readQualifiers(r)[0];
  }
  return { k: 'var', name, sc, type };
}

const FUNC_CLASS: Record<string, number> = {
  A: FC_PRIVATE, B: FC_PRIVATE | FC_FAR, C: FC_PRIVATE | FC_STATIC, D: FC_PRIVATE | FC_STATIC | FC_FAR,
  E: FC_PRIVATE | FC_VIRTUAL, F: FC_PRIVATE | FC_VIRTUAL | FC_FAR,
  G: FC_PRIVATE | FC_STATIC_THIS_ADJUST, H: FC_PRIVATE | FC_STATIC_THIS_ADJUST | FC_FAR,
  I: FC_PROTECTED, J: FC_PROTECTED | FC_FAR, K: FC_PROTECTED | FC_STATIC, L: FC_PROTECTED | FC_STATIC | FC_FAR,
  M: FC_PROTECTED | FC_VIRTUAL, N: FC_PROTECTED | FC_VIRTUAL | FC_FAR,
  O: FC_PROTECTED | FC_VIRTUAL | FC_STATIC_THIS_ADJUST, P: FC_PROTECTED | FC_VIRTUAL | FC_STATIC_THIS_ADJUST | FC_FAR,
  Q: FC_PUBLIC, R: FC_PUBLIC | FC_FAR, S: FC_PUBLIC | FC_STATIC, T: FC_PUBLIC | FC_STATIC | FC_FAR,
  U: FC_PUBLIC | FC_VIRTUAL, V: FC_PUBLIC | FC_VIRTUAL | FC_FAR,
  W: FC_PUBLIC | FC_VIRTUAL | FC_STATIC_THIS_ADJUST, X: FC_PUBLIC | FC_VIRTUAL | FC_STATIC_THIS_ADJUST | FC_FAR,
  Y: FC_GLOBAL, Z: FC_GLOBAL | FC_FAR,
  '9': FC_EXTERN_C | FC_NO_PARAMS,
};
const VTORDISP_CLASS = [
  FC_PRIVATE, FC_PRIVATE | FC_FAR, FC_PROTECTED, FC_PROTECTED | FC_FAR, FC_PUBLIC, FC_PUBLIC | FC_FAR,
];

function readFunctionClass(r: Reader): number {
  const c = r.next();
  if (c === '$') {
    let v = FC_VIRTUAL_THIS_ADJUST;
    if (r.eat('R')) v |= FC_VIRTUAL_THIS_ADJUST_EX;
    const d = r.next().charCodeAt(0) - 48;
    if (d < 0 || d > 5) fail();
    return VTORDISP_CLASS[d] | FC_VIRTUAL | v;
  }
  const fc = FUNC_CLASS[c];
  if (fc === undefined) fail();
  return fc;
}

function readFunctionEncoding(r: Reader): Symbol & { k: 'fn' } {
  let extra = 0;
  if (r.eat('$$J0')) extra = FC_EXTERN_C;
  if (r.empty) fail();
  const fc = readFunctionClass(r) | extra;
  let thunk: FuncSig['thunk'];
  if (fc & FC_STATIC_THIS_ADJUST) {
    thunk = { kind: 'static', static: u32(readSigned(r)), vtordisp: 0, vbptr: 0, vboff: 0 };
  } else if (fc & FC_VIRTUAL_THIS_ADJUST) {
    let vbptr: number | bigint = 0;
    let vboff: number | bigint = 0;
    const ex = (fc & FC_VIRTUAL_THIS_ADJUST_EX) !== 0;
    if (ex) {
      vbptr = i32(readSigned(r));
      vboff = i32(readSigned(r));
    }
    const vtordisp = i32(readSigned(r));
    const st = u32(readSigned(r));
    thunk = { kind: ex ? 'vtordispex' : 'vtordisp', static: st, vtordisp, vbptr, vboff };
  }
  let sig: FuncSig;
  if (fc & FC_NO_PARAMS) {
    sig = { k: 'func', q: 0, fc: 0, cc: '', variadic: false, noexcept: false, ref: '' };
  } else {
    sig = parseFunctionType(r, !(fc & (FC_GLOBAL | FC_STATIC)));
  }
  sig.fc = fc;
  if (thunk) sig.thunk = thunk;
  return { k: 'fn', name: qname([]), sig };
}

/** Thunk adjustments and RTTI offsets are 32-bit fields (as in LLVM's printer). */
function i32(v: number | bigint): number {
  return Number(BigInt.asIntN(32, BigInt(v)));
}
function u32(v: number | bigint): number {
  return Number(BigInt.asUintN(32, BigInt(v)));
}
