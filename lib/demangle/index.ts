/**
 * MSVC C++ name undecoration (UnDecorateSymbolName semantics) and x86 C name
 * undecoration. Never throws: input that cannot be undecorated comes back
 * unchanged.
 */
import { UndName } from './flags';
import { DemangleError, Reader } from './parser';
import {
  OF_NAME_ONLY, OF_NO_ACCESS, OF_NO_ARGS, OF_NO_CC, OF_NO_MEMBER_TYPE, OF_NO_MS_QUALS, OF_NO_RETURN,
  OF_NO_TAG, OF_NO_THIS_CV, OF_NO_THIS_MS, OF_NO_THROW, OF_NO_UNDERSCORE, renderSymbol, resetBudget,
} from './print';
import { isSpecialAt, parseSymbol } from './symbol';

export { UndName } from './flags';
export type { UndNameFlag } from './flags';

/** Longest decorated name we try to undecorate; longer ones come back unchanged. */
export const MAX_DECORATED_LENGTH = 1 << 17;
/** Output budget per undecoration (characters, including memorized names). */
const MAX_OUTPUT = 1 << 20;

function outputFlags(flags: number): number {
  let f = 0;
  if (flags & UndName.NAME_ONLY) f |= OF_NAME_ONLY;
  if (flags & UndName.NO_LEADING_UNDERSCORES) f |= OF_NO_UNDERSCORE;
  if (flags & UndName.NO_MS_KEYWORDS) f |= OF_NO_CC | OF_NO_MS_QUALS;
  if (flags & UndName.NO_ALLOCATION_LANGUAGE) f |= OF_NO_CC;
  if (flags & UndName.NO_FUNCTION_RETURNS) f |= OF_NO_RETURN;
  if (flags & UndName.NO_MS_THISTYPE) f |= OF_NO_THIS_MS;
  if (flags & UndName.NO_CV_THISTYPE) f |= OF_NO_THIS_CV;
  if (flags & UndName.NO_ACCESS_SPECIFIERS) f |= OF_NO_ACCESS;
  if (flags & UndName.NO_THROW_SIGNATURES) f |= OF_NO_THROW;
  if (flags & UndName.NO_MEMBER_TYPE) f |= OF_NO_MEMBER_TYPE;
  if (flags & UndName.NO_ARGUMENTS) f |= OF_NO_ARGS;
  if (flags & UndName.NO_ECSU) f |= OF_NO_TAG;
  // NO_ALLOCATION_MODEL, NO_RETURN_UDT_MODEL, 32_BIT_DECODE: nothing of the
  // kind (near/far, __based, UDT return models) is ever printed.
  return f;
}

/**
 * Undecorates an MSVC-decorated C++ name (`?name@scope@@...`), like DbgHelp's
 * UnDecorateSymbolName with the given UNDNAME_* flags. Names that are not
 * decorated, or cannot be decoded, are returned unchanged.
 *
 * Layout follows llvm-undname (e.g. template arguments as `<int, class A>`,
 * `>>` unspaced); Microsoft's own undname writes `<int,class A >`. With
 * NAME_ONLY the result is the `[scope::]name` part of the full undecoration,
 * except string literals (`??_C@`), which give "`string'" as DbgHelp does.
 */
export function undecorateSymbolName(decorated: string, flags = 0): string {
  try {
    if (typeof decorated !== 'string') return String(decorated);
    if (decorated.length < 2 || decorated.length > MAX_DECORATED_LENGTH) return decorated;
    const c = decorated.charCodeAt(0);
    if (c !== 63 /* ? */ && c !== 46 /* . */) return decorated;
    if (flags & UndName.NO_SPECIAL_SYMS && c === 63 && isSpecialAt(decorated, 1)) return decorated;
    resetBudget(MAX_OUTPUT);
    const r = new Reader(decorated);
    const sym = parseSymbol(r);
    const out = renderSymbol(sym, outputFlags(flags | 0));
    return out.length > 0 ? out : decorated;
  } catch (e) {
    if (e instanceof DemangleError || e instanceof RangeError) return decorated;
    return decorated;
  }
}

/**
 * Strips x86 C decoration from a public symbol name: `_f` -> `f`,
 * `_f@8` (stdcall) -> `f`, `@f@8` (fastcall) -> `f`. Anything else unchanged.
 */
export function undecorateCName(name: string): string {
  if (name.length < 2) return name;
  const c = name[0];
  if (c === '_') {
    const at = name.indexOf('@', 1);
    if (at < 0) return name.slice(1);
    if (at > 1 && isDigits(name, at + 1)) return name.slice(1, at);
    return name;
  }
  if (c === '@') {
    const at = name.indexOf('@', 1);
    if (at > 1 && isDigits(name, at + 1)) return name.slice(1, at);
    return name;
  }
  return name;
}

function isDigits(s: string, from: number): boolean {
  if (from >= s.length) return false;
  for (let i = from; i < s.length; i++) {
    const d = s.charCodeAt(i);
    if (d < 48 || d > 57) return false;
  }
  return true;
}
