/**
 * Paths in search paths and CodeView records, on a host that may not be Windows.
 *
 * Decisions (ARCHITECTURE.md, "Symbol search"):
 * - On Windows nothing is rewritten.
 * - Elsewhere a `\` in a search-path element is a directory separator: symbol paths are often
 *   copied from Windows, and a backslash inside a POSIX directory name is vanishingly rare. So
 *   `srv*C:\sym*...` names the relative directory `C:/sym`, and `.\syms` is `./syms`.
 * - Paths are joined with the host separator and never normalised, so a log line shows the
 *   element as written (`./dll/ntdll.pdb`, as DbgHelp prints `.\dll\ntdll.pdb`).
 * - A file name taken from a CodeView record or a path is the part after the last `\` or `/`,
 *   whichever the record used (`C:\build\x.pdb` and `/builds/w/x.pdb` both give `x.pdb`).
 */
import * as path from 'path';

const isWindows = process.platform === 'win32';

/** A search-path element or pointer target as a path on this host. */
export function hostPath(p: string): string {
  return isWindows ? p : p.replace(/\\/g, '/');
}

/** `base` + host separator + parts, without normalising `base` (trailing separators dropped). */
export function joinHost(base: string, ...parts: string[]): string {
  let b = base;
  while (b.length > 1 && (b.endsWith('/') || b.endsWith(path.sep)) && !/^[A-Za-z]:[\\/]$/.test(b)) b = b.slice(0, -1);
  if (!parts.length) return b;
  const sep = b.endsWith('/') || b.endsWith(path.sep) ? '' : path.sep;
  return b + sep + parts.join(path.sep);
}

/** The file name at the end of a Windows or POSIX path. */
export function baseName(p: string): string {
  const i = Math.max(p.lastIndexOf('\\'), p.lastIndexOf('/'));
  return i >= 0 ? p.slice(i + 1) : p;
}

/** The directory part of a path as written ('' when there is none). */
export function dirName(p: string): string {
  const i = Math.max(p.lastIndexOf('\\'), p.lastIndexOf('/'));
  return i > 0 ? p.slice(0, i) : i === 0 ? p.slice(0, 1) : '';
}

/** The extension without the dot, lower case (`dll` for `ntdll.DLL`), '' when none. */
export function extensionOf(fileName: string): string {
  const b = baseName(fileName);
  const dot = b.lastIndexOf('.');
  return dot > 0 ? b.slice(dot + 1).toLowerCase() : '';
}

/**
 * Whether a path written on Windows (drive letter or UNC) cannot name anything on this POSIX
 * host: such CodeView paths are reported as not found without touching the file system.
 */
export function isForeignWindowsPath(p: string): boolean {
  return !isWindows && (/^[A-Za-z]:[\\/]/.test(p) || /^\\\\/.test(p));
}
