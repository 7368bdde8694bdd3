/** Rendering of the syntax tree to text (LLVM llvm-undname layout), honouring output flags. */
import {
  FC_EXTERN_C, FC_GLOBAL, FC_NO_PARAMS, FC_PRIVATE, FC_PROTECTED, FC_PUBLIC, FC_STATIC,
  FC_VIRTUAL, FuncSig, Ident, Node, QName, Q_CONST, Q_RESTRICT, Q_UNALIGNED, Q_VOLATILE, Symbol, Type,
} from './ast';
import { DemangleError } from './parser';

// Output flags (internal).
export const OF_NO_CC = 1 << 0;
export const OF_NO_ACCESS = 1 << 1;
export const OF_NO_RETURN = 1 << 2;
export const OF_NO_MEMBER_TYPE = 1 << 3;
export const OF_NO_TAG = 1 << 4;
export const OF_NO_THIS_CV = 1 << 5;
export const OF_NO_THIS_MS = 1 << 6;
export const OF_NO_THROW = 1 << 7;
export const OF_NO_ARGS = 1 << 8;
export const OF_NO_UNDERSCORE = 1 << 9;
export const OF_NO_MS_QUALS = 1 << 10;
export const OF_NAME_ONLY = 1 << 11;
/** Flags that apply to nested declarations too (not only the primary one). */
export const OF_NESTED = OF_NO_CC | OF_NO_TAG | OF_NO_THROW | OF_NO_UNDERSCORE | OF_NO_MS_QUALS;

/** Output budget shared by one undecoration (guards back-reference blow-up). */
let budget = 0;
export function resetBudget(n: number): void {
  budget = n;
}

class Out {
  parts: string[] = [];
  last = 0; // char code of the last character written, 0 if none
  w(s: string): void {
    if (s.length === 0) return;
    budget -= s.length;
    if (budget < 0) throw new DemangleError('output too long');
    this.parts.push(s);
    this.last = s.charCodeAt(s.length - 1);
  }
  /** A space unless the output is empty or ends in punctuation (other than '>'). */
  space(): void {
    const c = this.last;
    if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 62) this.w(' ');
  }
  toString(): string {
    return this.parts.join('');
  }
}

function quals(o: Out, q: number, f: number, spaceBefore: boolean, spaceAfter: boolean): void {
  let any = false;
  const one = (s: string) => {
    if (spaceBefore || any) o.w(' ');
    o.w(s);
    any = true;
  };
  if (q & Q_CONST) one('const');
  if (q & Q_VOLATILE) one('volatile');
  if (q & Q_RESTRICT && !(f & OF_NO_MS_QUALS)) one('__restrict');
  if (spaceAfter && any) o.w(' ');
}

function callConv(o: Out, cc: string, f: number): void {
  o.space();
  if (f & OF_NO_UNDERSCORE && cc.startsWith('__') && !cc.startsWith('__attr')) cc = cc.slice(2);
  o.w(cc);
}

function num(n: number | bigint): string {
  return n.toString();
}

// ---- identifiers and names ----

function targs(o: Out, args: Node[] | undefined, f: number): void {
  if (!args) return;
  o.w('<');
  for (let i = 0; i < args.length; i++) {
    if (i) o.w(', ');
    node(o, args[i], f);
  }
  o.w('>');
}

function node(o: Out, n: Node, f: number): void {
  switch (n.k) {
    case 'qname': return qualified(o, n, f);
    case 'int':
      if (n.neg) o.w('-');
      o.w(num(n.v));
      return;
    case 'tpref':
      if (n.offsets.length > 0) o.w('{');
      else if (n.aff === '*') o.w('&');
      if (n.sym) {
        symbol(o, n.sym, f);
        if (n.offsets.length > 0) o.w(', ');
      }
      if (n.offsets.length > 0) {
        o.w(n.offsets.map(num).join(', '));
        o.w('}');
      }
      return;
    default:
      typePre(o, n, f);
      typePost(o, n, f);
  }
}

function ident(o: Out, id: Ident, f: number): void {
  switch (id.k) {
    case 'named':
    case 'op':
      o.w(id.name);
      break;
    case 'structor':
      if (id.dtor) o.w('~');
      if (id.cls) ident(o, id.cls, f);
      break;
    case 'conv':
      o.w('operator');
      targs(o, id.targs, f);
      o.w(' ');
      if (id.target) {
        typePre(o, id.target, f);
        typePost(o, id.target, f);
      }
      return;
    case 'literalop':
      o.w('operator ""');
      o.w(id.name);
      break;
    case 'dyn':
      o.w(id.dtor ? '`dynamic atexit destructor for ' : '`dynamic initializer for ');
      if (id.variable) {
        o.w('`');
        symbol(o, id.variable, f);
        o.w("''");
      } else {
        o.w("'");
        if (id.qname) qualified(o, id.qname, f);
        o.w("''");
      }
      break;
    case 'guard':
      o.w(id.thread ? "`local static thread guard'" : "`local static guard'");
      if (id.scope > 0) o.w('{' + num(id.scope) + '}');
      break;
    case 'vcall':
      o.w("`vcall'{" + num(id.offset) + ', {flat}}');
      break;
    case 'rttibcd':
      o.w('`RTTI Base Class Descriptor at (' + [id.nv, id.vbptr, id.vbtable, id.flags].map(num).join(', ') + ")'");
      break;
  }
  targs(o, id.targs, f);
}

function qualified(o: Out, q: QName, f: number): void {
  for (let i = 0; i < q.parts.length; i++) {
    if (i) o.w('::');
    ident(o, q.parts[i], f);
  }
}

// ---- types ----

function typePre(o: Out, t: Type, f: number): void {
  switch (t.k) {
    case 'prim':
      o.w(t.name);
      quals(o, t.q, f, true, false);
      return;
    case 'tag':
      if (!(f & OF_NO_TAG)) {
        o.w(t.tag);
        o.w(' ');
      }
      qualified(o, t.name, f);
      quals(o, t.q, f, true, false);
      return;
    case 'custom':
      ident(o, t.id, f);
      return;
    case 'array':
      typePre(o, t.elem, f);
      quals(o, t.q, f, true, false);
      return;
    case 'func':
      funcPre(o, t, f);
      return;
    case 'ptr': {
      const p = t.pointee;
      if (p.k === 'func') funcPreSignature(o, p, f & ~OF_NO_RETURN);
      else typePre(o, p, f);
      o.space();
      if (t.q & Q_UNALIGNED && !(f & OF_NO_MS_QUALS)) o.w('__unaligned ');
      if (p.k === 'array') o.w('(');
      else if (p.k === 'func') {
        o.w('(');
        if (!(f & OF_NO_CC)) {
          callConv(o, p.cc, f);
          o.w(' ');
        }
      }
      if (t.cls) {
        qualified(o, t.cls, f);
        o.w('::');
      }
      o.w(t.aff);
      quals(o, t.q, f, false, false);
      return;
    }
  }
}

function typePost(o: Out, t: Type, f: number): void {
  switch (t.k) {
    case 'array':
      o.w('[');
      for (let i = 0; i < t.dims.length; i++) {
        if (i) o.w('][');
        if (t.dims[i] != 0) o.w(num(t.dims[i]));
      }
      o.w(']');
      typePost(o, t.elem, f);
      return;
    case 'func':
      funcPost(o, t, f, false);
      return;
    case 'ptr': {
      const p = t.pointee;
      if (p.k === 'array' || p.k === 'func') o.w(')');
      if (p.k === 'func') typePost(o, p, f & ~OF_NO_RETURN);
      else typePost(o, p, f);
      return;
    }
    default:
      return;
  }
}

function funcPreSignature(o: Out, s: FuncSig, f: number): void {
  const fc = s.fc;
  if (!(f & OF_NO_ACCESS)) {
    if (fc & FC_PUBLIC) o.w('public: ');
    if (fc & FC_PROTECTED) o.w('protected: ');
    if (fc & FC_PRIVATE) o.w('private: ');
  }
  if (!(f & OF_NO_MEMBER_TYPE)) {
    if (!(fc & FC_GLOBAL) && fc & FC_STATIC) o.w('static ');
    if (fc & FC_VIRTUAL) o.w('virtual ');
    if (fc & FC_EXTERN_C) o.w('extern "C" ');
  }
  if (!(f & OF_NO_RETURN) && s.ret) {
    typePre(o, s.ret, f & OF_NESTED);
    o.w(' ');
  }
}

function funcPre(o: Out, s: FuncSig, f: number): void {
  if (s.thunk) o.w('[thunk]: ');
  funcPreSignature(o, s, f);
  if (!(f & OF_NO_CC)) callConv(o, s.cc, f);
}

/** `primary`: the symbol's own signature (this-type and argument flags apply). */
function funcPost(o: Out, s: FuncSig, f: number, primary: boolean): void {
  const th = s.thunk;
  if (th && th.kind !== 'vcall') {
    if (th.kind === 'static') o.w('`adjustor{' + num(th.static) + "}'");
    else if (th.kind === 'vtordispex')
      o.w('`vtordispex{' + [th.vbptr, th.vboff, th.vtordisp, th.static].map(num).join(', ') + "}'");
    else o.w('`vtordisp{' + num(th.vtordisp) + ', ' + num(th.static) + "}'");
  }
  const nf = f & OF_NESTED;
  if (!(s.fc & FC_NO_PARAMS) && !(primary && f & OF_NO_ARGS)) {
    o.w('(');
    if (s.params) {
      for (let i = 0; i < s.params.length; i++) {
        if (i) o.w(', ');
        typePre(o, s.params[i], nf);
        typePost(o, s.params[i], nf);
      }
    } else o.w('void');
    if (s.variadic) {
      if (o.last !== 40 /* ( */) o.w(', ');
      o.w('...');
    }
    o.w(')');
  }
  const noCv = primary && (f & OF_NO_THIS_CV) !== 0;
  const noMs = (primary && (f & OF_NO_THIS_MS) !== 0) || (f & OF_NO_MS_QUALS) !== 0;
  if (!noCv) {
    if (s.q & Q_CONST) o.w(' const');
    if (s.q & Q_VOLATILE) o.w(' volatile');
  }
  if (!noMs) {
    if (s.q & Q_RESTRICT) o.w(' __restrict');
    if (s.q & Q_UNALIGNED) o.w(' __unaligned');
  }
  if (s.noexcept && !(f & OF_NO_THROW)) o.w(' noexcept');
  if (s.ref) o.w(' ' + s.ref);
  if (!(f & OF_NO_RETURN) && s.ret) typePost(o, s.ret, nf);
}

// ---- symbols ----

function symbol(o: Out, s: Symbol, f: number): void {
  switch (s.k) {
    case 'fn':
      if (f & OF_NAME_ONLY) return qualified(o, s.name, f & OF_NESTED);
      funcPre(o, s.sig, f);
      o.space();
      qualified(o, s.name, f & OF_NESTED);
      funcPost(o, s.sig, f, true);
      return;
    case 'var': {
      if (f & OF_NAME_ONLY) return qualified(o, s.name, f & OF_NESTED);
      const access = s.sc === 'private' || s.sc === 'public' || s.sc === 'protected' ? s.sc : '';
      if (access && !(f & OF_NO_ACCESS)) o.w(access + ': ');
      if (access && !(f & OF_NO_MEMBER_TYPE)) o.w('static ');
      if (s.type) typePre(o, s.type, f & OF_NESTED);
      o.space();
      qualified(o, s.name, f & OF_NESTED);
      if (s.type) typePost(o, s.type, f & OF_NESTED);
      return;
    }
    case 'typedesc':
      typePre(o, s.type, f & OF_NAME_ONLY ? (f & OF_NESTED) | OF_NO_TAG : f & OF_NESTED);
      o.space();
      o.w(s.label);
      typePost(o, s.type, f & OF_NESTED);
      return;
    case 'table':
      if (!(f & OF_NAME_ONLY)) quals(o, s.q, f, false, true);
      qualified(o, s.name, f & OF_NESTED);
      if (s.targets) {
        o.w('{for `');
        for (let i = 0; i < s.targets.length; i++) {
          if (i) o.w("'s `");
          qualified(o, s.targets[i], f & OF_NESTED);
        }
        o.w("'}");
      }
      return;
    case 'string':
      if (f & OF_NAME_ONLY) return o.w("`string'");
      o.w(s.prefix);
      o.w(s.text);
      o.w('"');
      if (s.truncated) o.w('...');
      return;
    case 'md5':
      o.w(s.text);
      return;
    case 'guardvar':
      qualified(o, s.name, f & OF_NESTED);
      return;
  }
}

export function renderSymbol(s: Symbol, f: number): string {
  const o = new Out();
  symbol(o, s, f);
  return o.toString();
}

export function renderIdent(id: Ident): string {
  const o = new Out();
  ident(o, id, 0);
  return o.toString();
}

export function renderType(t: Type, f: number): string {
  const o = new Out();
  typePre(o, t, f);
  typePost(o, t, f);
  return o.toString();
}
