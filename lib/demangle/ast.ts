/** Syntax tree of an undecorated MSVC name (built by the parser, printed by print.ts). */

export const Q_NONE = 0;
export const Q_CONST = 1;
export const Q_VOLATILE = 2;
export const Q_RESTRICT = 4;
export const Q_UNALIGNED = 8;
export const Q_PTR64 = 16;

// Function classes (access, storage, thunk kind).
export const FC_PUBLIC = 1 << 0;
export const FC_PROTECTED = 1 << 1;
export const FC_PRIVATE = 1 << 2;
export const FC_GLOBAL = 1 << 3;
export const FC_STATIC = 1 << 4;
export const FC_VIRTUAL = 1 << 5;
export const FC_FAR = 1 << 6;
export const FC_EXTERN_C = 1 << 7;
export const FC_NO_PARAMS = 1 << 8;
export const FC_VIRTUAL_THIS_ADJUST = 1 << 9;
export const FC_VIRTUAL_THIS_ADJUST_EX = 1 << 10;
export const FC_STATIC_THIS_ADJUST = 1 << 11;

export type Num = number | bigint;

/** One component of a qualified name. `targs` are template arguments. */
export type Ident =
  | { k: 'named'; name: string; targs?: Node[] }
  | { k: 'op'; name: string; targs?: Node[] }
  | { k: 'structor'; dtor: boolean; cls?: Ident; targs?: Node[] }
  | { k: 'conv'; target?: Type; targs?: Node[] }
  | { k: 'literalop'; name: string; targs?: Node[] }
  | { k: 'dyn'; dtor: boolean; variable?: VarSymbol; qname?: QName; targs?: Node[] }
  | { k: 'guard'; thread: boolean; scope: Num; targs?: Node[] }
  | { k: 'vcall'; offset: Num; targs?: Node[] }
  | { k: 'rttibcd'; nv: Num; vbptr: Num; vbtable: Num; flags: Num; targs?: Node[] };

export type QName = { k: 'qname'; parts: Ident[] };

export interface FuncSig {
  k: 'func';
  q: number;
  fc: number;
  cc: string;
  ret?: Type;
  params?: Type[];
  variadic: boolean;
  noexcept: boolean;
  ref: '' | '&' | '&&';
  thunk?: { kind: 'static' | 'vtordisp' | 'vtordispex' | 'vcall'; static: Num; vtordisp: Num; vbptr: Num; vboff: Num };
}

export type Type =
  | { k: 'prim'; name: string; q: number }
  | { k: 'tag'; tag: string; name: QName; q: number }
  | { k: 'ptr'; aff: '*' | '&' | '&&'; q: number; pointee: Type; cls?: QName }
  | { k: 'array'; dims: Num[]; elem: Type; q: number }
  | { k: 'custom'; id: Ident; q: number }
  | (FuncSig & { q: number });

/** Template arguments: types, names, integers, symbol references. */
export type Node =
  | Type
  | QName
  | { k: 'int'; neg: boolean; v: Num }
  | { k: 'tpref'; sym?: Symbol; offsets: Num[]; aff: '' | '&' | '*' };

export interface VarSymbol {
  k: 'var';
  name: QName;
  sc: 'private' | 'protected' | 'public' | 'global' | 'local' | 'none';
  type?: Type;
}

export type Symbol =
  | { k: 'fn'; name: QName; sig: FuncSig }
  | VarSymbol
  | { k: 'typedesc'; type: Type; label: string }
  | { k: 'table'; name: QName; q: number; targets?: QName[] }
  | { k: 'string'; prefix: string; text: string; truncated: boolean }
  | { k: 'md5'; text: string }
  | { k: 'guardvar'; name: QName };

export function qname(parts: Ident[]): QName {
  return { k: 'qname', parts };
}
export function lastIdent(q: QName): Ident {
  return q.parts[q.parts.length - 1];
}
