/**
 * Lines in Microsoft's symsrv.dll 10.0.19041.685 wording (asked under Wine through the native
 * backend; ../shared/docs/DBGHELP-NOTES.md), for the symbol search's SYMOPT_DEBUG output.
 */
import * as fs from 'fs';
import { hostPath } from './paths';

/**
 * A local store's miss as Microsoft's symsrv.dll logs it: the file, its compressed form and
 * file.ptr in the key directory, each `- path not found` when that directory does not exist,
 * `- file not found` when it does.
 */
export function uncMissLines(tried: string): string[] {
  const cut = Math.max(tried.lastIndexOf('/'), tried.lastIndexOf('\\')) + 1;
  const dir = tried.slice(0, cut);
  const name = tried.slice(cut);
  const why = dir && isDirectory(hostPath(dir)) ? 'file not found' : 'path not found';
  const compressed = name.endsWith('_') ? name : `${name.slice(0, -1)}_`;
  return [name, compressed, 'file.ptr'].filter((n, i, all) => all.indexOf(n) === i).map((n) => `SYMSRV:  UNC: ${dir}${n} - ${why}`);
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
