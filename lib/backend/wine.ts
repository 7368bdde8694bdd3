/**
 * Wine's dbghelp.dll (a reimplementation, used when the Windows backends run under Wine, as in
 * the project's test lane). Some of its exports are stubs that abort the whole process when
 * called ("wine: Call from ... to unimplemented function dbghelp.dll.SymEnumLinesW, aborting"),
 * so the handler refuses them with UNSUPPORTED instead. Found by calling each function the
 * backends use under Wine 8.0 (scripts/windows/probe-stubs.js).
 */
import * as fs from 'fs';

export const WINE_DBGHELP_STUBS: ReadonlySet<string> = new Set(['SymEnumLinesW', 'SymGetHomeDirectoryW', 'SymGetTypeFromNameW']);

/** True when `file` is a Wine builtin DLL (its DOS stub reads "Wine builtin DLL"). */
export function isWineBuiltin(file: string | undefined): boolean {
  if (!file) return false;
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const head = Buffer.alloc(0x60);
      fs.readSync(fd, head, 0, head.length, 0);
      return head.includes('Wine builtin DLL');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return false;
  }
}

/** The dbghelp.dll functions that must not be called in this process. */
export function unusableFunctions(dllPath: string | undefined): ReadonlySet<string> {
  return isWineBuiltin(dllPath) ? WINE_DBGHELP_STUBS : new Set();
}
