/**
 * The undecorator's state for one call: the decorated name and the read
 * position, the disable flags, and the back-reference lists (replicators).
 * One undecoration runs at a time (JavaScript is single-threaded and the
 * undecorator never calls out), so the state is a module singleton, reset by
 * `begin`.
 */
import { DN_ERROR, DN_INVALID, DName, S } from './dname';
import { DemangleError } from './errors';

// Disable flags (undname.h / dbghelp.h values).
export const NO_LEADING_UNDERSCORES = 0x1;
export const NO_MS_KEYWORDS = 0x2;
export const NO_FUNCTION_RETURNS = 0x4;
export const NO_ALLOCATION_MODEL = 0x8;
export const NO_ALLOCATION_LANGUAGE = 0x10;
export const NO_THISTYPE = 0x60;
export const NO_ACCESS_SPECIFIERS = 0x80;
export const NO_THROW_SIGNATURES = 0x100;
export const NO_MEMBER_TYPE = 0x200;
export const NAME_ONLY = 0x1000;
/** dbghelp.h calls it NO_ARGUMENTS; the engine decodes the input as a bare type. */
export const TYPE_ONLY = 0x2000;
export const NO_ECSU = 0x8000;
export const NO_IDENT_CHAR_CHECK = 0x10000;
export const NO_PTR64 = 0x20000;

/** Deepest recursion we follow before giving up (undname has no limit). */
const MAX_DEPTH = 400;

/** Up to ten remembered names or types, referred to by a digit. */
export class Replicator {
  private items: DName[] = [];
  isFull(): boolean {
    return this.items.length >= 10;
  }
  add(d: DName): void {
    if (!this.isFull() && !d.isEmpty()) this.items.push(d.copy());
  }
  get(i: number): DName {
    if (i < 0 || i > 9) return S(DN_ERROR);
    if (i >= this.items.length) return S(DN_INVALID);
    return this.items[i].copy();
  }
}

export const U = {
  s: '',
  p: 0,
  flags: 0,
  zNames: new Replicator(),
  args: new Replicator(),
  targs: new Replicator(),
  explicitTemplateParams: false,
  getTemplateArgumentList: false,
  recursion: 0,
  depth: 0,
};

export function begin(name: string, flags: number): void {
  U.s = name;
  U.p = 0;
  U.flags = flags;
  U.zNames = new Replicator();
  U.args = new Replicator();
  U.targs = new Replicator();
  U.explicitTemplateParams = false;
  U.getTemplateArgumentList = false;
  U.recursion = 0;
  U.depth = 0;
}

/** The character `off` places ahead, '\0' at or past the end (the C string's NUL). */
export function ch(off = 0): string {
  const i = U.p + off;
  return i < U.s.length ? U.s[i] : '\0';
}
/** Reads one character and advances (undname's `*gName++`). */
export function next(): string {
  const c = ch();
  U.p++;
  return c;
}
export function atEnd(): boolean {
  return U.p >= U.s.length;
}

export function enter(): void {
  if (++U.depth > MAX_DEPTH) throw new DemangleError('name nested too deeply');
}
export function leave(): void {
  U.depth--;
}

export const doUnderScore = (): boolean => (U.flags & NO_LEADING_UNDERSCORES) === 0;
export const doMSKeywords = (): boolean => (U.flags & NO_MS_KEYWORDS) === 0;
export const doPtr64 = (): boolean => (U.flags & NO_PTR64) === 0;
export const doFunctionReturns = (): boolean => (U.flags & NO_FUNCTION_RETURNS) === 0;
export const doAllocationModel = (): boolean => (U.flags & NO_ALLOCATION_MODEL) === 0;
export const doAllocationLanguage = (): boolean => (U.flags & NO_ALLOCATION_LANGUAGE) === 0;
export const doThisTypes = (): boolean => (U.flags & NO_THISTYPE) !== NO_THISTYPE;
export const doAccessSpecifiers = (): boolean => (U.flags & NO_ACCESS_SPECIFIERS) === 0;
export const doThrowTypes = (): boolean => (U.flags & NO_THROW_SIGNATURES) === 0;
export const doMemberTypes = (): boolean => (U.flags & NO_MEMBER_TYPE) === 0;
export const doNameOnly = (): boolean => (U.flags & NAME_ONLY) !== 0;
export const doTypeOnly = (): boolean => (U.flags & TYPE_ONLY) !== 0;
export const doEcsu = (): boolean => (U.flags & NO_ECSU) === 0;
export const doNoIdentCharCheck = (): boolean => (U.flags & NO_IDENT_CHAR_CHECK) !== 0;

/** An MS keyword token, without its leading `__` under NO_LEADING_UNDERSCORES. */
export function uscore(tok: string): string {
  return doUnderScore() ? tok : tok.slice(2);
}

export function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

function isIdentChar(c: string): boolean {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  if (c === '_' || c === '$' || c === '<' || c === '>' || c === '-') return true;
  const code = c.charCodeAt(0);
  return code >= 0x80 && code !== 0xff;
}

/**
 * Reads a name up to `term` (undname's `DName(gName, terminator)`): invalid
 * on a character that cannot be in an identifier, truncated (but holding the
 * text) when the input ends first.
 */
export function readTo(term: string): DName {
  const d = new DName();
  if (atEnd()) {
    d.stat = 1; // truncated, no text
    return d;
  }
  const start = U.p;
  const s = U.s;
  let i = start;
  const check = !doNoIdentCharCheck();
  while (i < s.length && s[i] !== term && s[i] !== '\0') {
    if (check && !isIdentChar(s[i])) {
      U.p = i;
      d.stat = DN_INVALID;
      return d;
    }
    i++;
  }
  if (i > start) d.node = s.slice(start, i);
  else if (i < s.length) {
    // An empty name: dbghelp's engine rejects it (`??2@` under 0x2000 comes back unchanged).
    U.p = i + 1;
    d.stat = DN_INVALID;
    return d;
  }
  if (i < s.length && s[i] === term) {
    U.p = i + 1;
  } else {
    U.p = i;
    d.stat = 1;
  }
  return d;
}
