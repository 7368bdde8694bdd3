/**
 * MSVC C++ name undecoration with the semantics of DbgHelp's
 * UnDecorateSymbolName (Microsoft's undname engine inside dbghelp.dll
 * 10.0.19041.685, whose answers are the test oracle), and x86 C name
 * undecoration. Never throws: input that cannot be undecorated comes back
 * unchanged.
 */
import { DN_ERROR, DN_INVALID } from './dname';
import { U, begin, doNameOnly } from './state';
import { parseDecoratedName } from './symbol';
import { UndName } from './flags';

export { UndName } from './flags';
export type { UndNameFlag } from './flags';

/** Longest decorated name we try to undecorate; longer ones come back unchanged. */
export const MAX_DECORATED_LENGTH = 1 << 17;
/** Longest undecorated text we produce (DbgHelp's callers pass buffers far smaller). */
const MAX_OUTPUT = 1 << 20;

/**
 * Undecorates an MSVC-decorated name like DbgHelp's UnDecorateSymbolName
 * with the given UNDNAME_* flags, spelling included (`<a,b<c> >`,
 * `char const * __ptr64`, `` `vector deleting destructor' ``...).
 *
 * As in dbghelp.dll, 0x2000 (dbghelp.h's UNDNAME_NO_ARGUMENTS) is the
 * engine's "type only" mode: the whole input is read as a type encoding,
 * which for symbol names mostly fails (the name comes back unchanged) and
 * sometimes gives nonsense. Names that are not decorated come back
 * unchanged (except under 0x2000, as in dbghelp). Only the low 16 flag bits
 * count (as in dbghelp); a NUL ends the name (it is a C string there). Names
 * dbghelp fails on, names over MAX_DECORATED_LENGTH and names nested deeper
 * than 400 levels come back unchanged; nothing throws.
 */
export function undecorateSymbolName(decorated: string, flags = 0): string {
  if (typeof decorated !== 'string') return String(decorated);
  const nul = decorated.indexOf('\0');
  const name = nul >= 0 ? decorated.slice(0, nul) : decorated;
  if (((flags | 0) & 0xffff) === UndName.NAME_ONLY && name.length <= MAX_DECORATED_LENGTH) {
    const dtor = deletingDestructorName(name);
    if (dtor !== undefined) return dtor;
  }
  return undecorateByEngine(name, flags);
}

/**
 * The engine's answer for `name` (undecorateSymbolName without its shortcut). Exported for the
 * tests that hold the shortcut to it.
 */
export function undecorateByEngine(name: string, flags = 0): string {
  if (name.length === 0 || name.length > MAX_DECORATED_LENGTH) return name;
  try {
    begin(name, (flags | 0) & 0xffff);
    const result = parseDecoratedName();
    if (result.stat === DN_ERROR) return name;
    if (result.stat === DN_INVALID || (!doNameOnly() && U.p < name.length)) return name;
    const out = result.toString(MAX_OUTPUT).replace(/ {2,}/g, ' ');
    // An empty answer is a failure in dbghelp (FALSE, ERROR_INVALID_PARAMETER): the name comes back.
    return out.length > 0 ? out : name;
  } catch {
    // Too long, too deep (DemangleError) or out of stack (RangeError): give the name back.
    return name;
  }
}

/**
 * `??_G` / `??_E` (a class's scalar / vector deleting destructor) with plain identifiers for
 * scopes, under UNDNAME_NAME_ONLY alone: the engine answers `scope::...::Class::\`scalar
 * deleting destructor'` for these without reading the rest (symbol.ts: NAME_ONLY drops the
 * top-level declaration). Every public of a class with a virtual destructor is one; the big
 * bench PDB's 100,000 addresses land on 1,839 of them, which the engine undecorated in 24-30 ms
 * while V8 had not compiled it yet. undefined for any other name.
 */
const DELETING_DTOR = /^\?\?_([GE])((?:[A-Za-z_][A-Za-z0-9_]*@)+)@/;
function deletingDestructorName(name: string): string | undefined {
  const m = DELETING_DTOR.exec(name);
  if (!m) return undefined;
  const scopes = m[2].slice(0, -1).split('@').reverse().join('::');
  return `${scopes}::${m[1] === 'G' ? "`scalar deleting destructor'" : "`vector deleting destructor'"}`;
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
