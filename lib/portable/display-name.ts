/**
 * How DbgHelp shows a decorated name under SYMOPT_UNDNAME (checked against Microsoft's
 * dbghelp.dll 10.0.19041.685, corpus oracle files):
 * - C++ names (`?...`) undecorated to the name alone (`?scale@geometry@@YAHHH@Z` → `geometry::scale`);
 * - every other name of a public or a thunk, on every machine (x64 too), through the C rule
 *   of `linkNameShown`: `_main` → `main`, `_f@8` → `f`, `@f@8` → `f`, `__imp_GetLastError` →
 *   `_imp_GetLastError`, `_TI2?AVbad_alloc@std@@` → `TI2?AVbad_allocstd`, `__real@3ff0...` → `_real`.
 * Procedure records are shown as written (`__SEH_prolog4` stays): see pdb-provider.ts.
 * Results are memoized since big PDBs repeat lookups of the same names.
 */
import { SymOpt } from '../api/constants';
import { MachineType } from '../api/constants';
import { lazy } from '../lazy';

/** The undecorator, required on first use (ten modules; a lookup answered by a procedure needs none). */
const demangle = lazy(() => require('../demangle') as typeof import('../demangle'));

/**
 * DbgHelp's C rule for a name that is not C++-decorated: one leading `_` or `@` dropped, every
 * other `@` removed, and the name cut where an `@` is followed by a digit (a stdcall/fastcall
 * byte count or a constant's hex bits). A name this empties (`_`, `@`, `_@1`) is shown empty,
 * as dbghelp.dll lists it (SymEnumSymbols over an lld-linked image of such publics).
 */
export function linkNameShown(raw: string): string {
  let i = raw[0] === '_' || raw[0] === '@' ? 1 : 0;
  if (raw.indexOf('@', i) < 0) return i ? raw.slice(1) : raw;
  let out = '';
  for (; i < raw.length; i++) {
    const c = raw[i];
    if (c !== '@') out += c;
    else {
      const d = raw.charCodeAt(i + 1);
      if (d >= 48 && d <= 57) break;
    }
  }
  return out;
}

/**
 * Whether dbghelp.dll leaves a procedure or data record out of its symbols for its name: one
 * with an `@` in it (an assembler's fastcall name `@_EH4_CallFilterFunc@8`, MSVC's precompiled-
 * header marker `__@@_PchSym_@00@...`, any record named `y@z`). Where such a record is the
 * nearest, SymFromAddr answers the nearest public (even one below a datum that is not hidden:
 * the record still stands in the DLL's sorted arrays), and SymEnumSymbols lists the publics,
 * not the records (corpus oracle basic32.dll 0xb710, CrashWithException.exe 0x5700; lld-linked
 * images whose S_GPROC32, S_GDATA32 and S_LDATA32 records, a function's static among them,
 * were named `f@g`, `y@z`, `lo@cal`, `st@tic`: test/unit/portable/hidden-names.test.ts).
 * Only while publics take part: under SYMOPT_NO_PUBLICS the DLL answers, finds and lists such
 * records like any other, by their record names (`f@g`+4, `?bar@@3HA`; the Wine lane's
 * conformance suite with Microsoft's DLL).
 */
export function isHiddenName(name: string, options: number): boolean {
  return (options & SymOpt.NO_PUBLICS) === 0 && name.indexOf('@') >= 0;
}

export class DisplayNames {
  private readonly memo = new Map<string, string>();
  /**
   * `pdbRule` false (export tables, which no oracle covers): C decoration is stripped on x86
   * only (`undecorateCName`), as before the PDB rule was checked.
   */
  constructor(
    private readonly machine: number,
    private readonly pdbRule = true,
  ) {}

  /** Names of publics and thunks under the options in effect. */
  show(raw: string, options: number): string {
    if (!(options & SymOpt.UNDNAME)) return raw;
    let s = this.memo.get(raw);
    if (s === undefined) {
      if (raw.startsWith('?')) s = demangle().undecorateSymbolName(raw, demangle().UndName.NAME_ONLY);
      else if (this.pdbRule) s = linkNameShown(raw);
      else s = this.machine === MachineType.I386 ? demangle().undecorateCName(raw) : raw;
      this.memo.set(raw, s);
    }
    return s;
  }
}
