/**
 * How DbgHelp shows a decorated name under SYMOPT_UNDNAME: C++ names undecorated to the name
 * alone (`?scale@geometry@@YAHHH@Z` → `geometry::scale`), and on x86 the C decorations
 * stripped (`_main` → `main`, `_f@8` → `f`, `@f@8` → `f`). Results are memoized per string
 * table since big PDBs repeat lookups of the same names.
 */
import { SymOpt } from '../api/constants';
import { MachineType } from '../api/constants';
import { undecorateCName, undecorateSymbolName, UndName } from '../demangle';

export class DisplayNames {
  private readonly memo = new Map<string, string>();
  constructor(private readonly machine: number) {}

  /**
   * For names of private records (thunks): C++ names are undecorated, but a leading underscore
   * is part of the name itself (MSVC's thunk for the CRT's `_exit` is named `_exit`; its public
   * is `__exit`), so C decoration is left alone.
   */
  showPrivate(raw: string, options: number): string {
    return raw.startsWith('?') ? this.show(raw, options) : raw;
  }

  show(raw: string, options: number): string {
    if (!(options & SymOpt.UNDNAME)) return raw;
    let s = this.memo.get(raw);
    if (s === undefined) {
      if (raw.startsWith('?')) s = undecorateSymbolName(raw, UndName.NAME_ONLY);
      else if (this.machine === MachineType.I386) s = undecorateCName(raw);
      else s = raw;
      this.memo.set(raw, s);
    }
    return s;
  }
}
