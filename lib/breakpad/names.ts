/**
 * FUNC and PUBLIC names as Breakpad's DIA-based dump_syms writes them
 * (pdb_source_line_writer.cc GetSymbolFunctionName):
 * 1. the decorated name undecorated with UnDecorateSymbolName flags 0x87FE (no MS keywords,
 *    function returns, allocation model/language, this type, access specifiers, throw
 *    signatures, member type, return UDT model, ECSU);
 * 2. a name with an LLVM uniquing suffix (`.llvm.123`, `$` + 32 hex digits) is undecorated
 *    without it;
 * 3. a trailing `(void)` becomes `()`;
 * 4. a C name (no `:` or `(`) starting with `_` or `@`: `_f@8` / `@f@8` give `f` and the
 *    stack parameter size 8 (fastcall: minus the 8 bytes passed in ECX/EDX), other `_f` lose
 *    one underscore.
 * Step 4 applies only when step 1 succeeded (DIA's undecoratedNameEx answered S_OK), which
 * for publics is always, and for functions is when a decorated public names them.
 */
import { undecorateSymbolName } from '../demangle';

export const BREAKPAD_UNDNAME_FLAGS = 0x87fe;

export interface BreakpadName {
  name: string;
  /** From a stdcall/fastcall decoration; undefined when the name does not say. */
  parameterSize: number | undefined;
}

function undecorate(decorated: string): string {
  let name = undecorateSymbolName(decorated, BREAKPAD_UNDNAME_FLAGS);
  if (decorated.startsWith('?')) {
    for (let i = 0; i < decorated.length; i++) {
      const c = decorated[i];
      // `$` + 32 hex digits ends the name; a `$` 33 characters from the end that is not
      // followed by hex digits is part of the name (`?$allocator@...`: basic32.pdb's _Get_first).
      if (c === '.' || (c === '$' && decorated.length - i === 33 && /^[0-9a-f]{32}$/i.test(decorated.slice(i + 1)))) {
        const u = undecorateSymbolName(decorated.slice(0, i), BREAKPAD_UNDNAME_FLAGS);
        if (u && !u.startsWith('?')) name = u;
        break;
      }
    }
  }
  return name;
}

/** The name DIA's get_undecoratedNameEx + dump_syms' clean-up give for a decorated name. */
export function breakpadName(decorated: string): BreakpadName {
  let name = undecorate(decorated);
  if (name === '') return { name: '<name omitted>', parameterSize: undefined };
  if (name.endsWith('(void)')) name = name.slice(0, -6) + '()';
  let parameterSize: number | undefined;
  if (!name.includes(':') && !name.includes('(') && (name[0] === '_' || name[0] === '@')) {
    const at = name.lastIndexOf('@');
    const digits = at > 0 ? name.slice(at + 1) : '';
    if (at > 0 && /^(0|[1-9][0-9]*)$/.test(digits) && Number(digits) <= 0x7fffffff) {
      parameterSize = Number(digits);
      if (name[0] === '@') parameterSize = parameterSize > 8 ? parameterSize - 8 : 0;
      name = name.slice(1, at);
    } else if (name[0] === '_') {
      name = name.slice(1);
    }
  }
  return { name, parameterSize };
}
