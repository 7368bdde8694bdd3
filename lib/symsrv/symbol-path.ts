/**
 * The symbol search path: `;`-separated elements (Microsoft's "Symbol Paths" and "Advanced
 * SymSrv Use" pages).
 *
 *   D                         a standard directory: D, D\<ext>, D\symbols\<ext> (ext = dll/exe/sys);
 *                             a directory with pingme.txt at its root is a store (as srv*D)
 *   cache*D                   a downstream store: searched as a store, and any file found further
 *                             right is copied into it; `cache*` alone is the default one
 *   srv*A*B*...*S             a store chain (up to 10): A, B, ... are searched in order and every
 *                             store left of the one that has the file receives a copy; an empty
 *                             entry (`srv**S`) is the default downstream store, <home>/sym
 *   symsrv*symsrv.dll*A*...   the same as srv*A*... (another DLL name is not supported: skipped)
 *   http(s)://...             a store (as srv*URL)
 *
 * `srv*` alone stands for `srv**https://msdl.microsoft.com/download/symbols`, as WinDbg expands
 * it. An HTTP store always gets a downstream store (the default one when none is named), so a
 * remote file is never used from a temporary place.
 */
import { SymOpt } from '../api/constants';
import { hostPath } from './paths';

/** Where Microsoft publishes its symbols; what `srv*` alone means. */
export const MICROSOFT_SYMBOL_SERVER = 'https://msdl.microsoft.com/download/symbols';
/** symsrv's limit on the stores of one `srv*` element. */
export const MAX_CHAIN_STORES = 10;

/** A store location in a chain: a directory or URL, or the default downstream store (`''`). */
export type StoreLocation = { kind: 'default' } | { kind: 'dir'; path: string } | { kind: 'url'; url: string };

export type PathElement =
  | { kind: 'dir'; path: string; text: string }
  | { kind: 'cache'; store: StoreLocation; text: string }
  | { kind: 'chain'; stores: StoreLocation[]; text: string }
  | { kind: 'unsupported'; reason: string; text: string };

function location(part: string): StoreLocation {
  const p = part.trim();
  if (!p) return { kind: 'default' };
  if (/^https?:\/\//i.test(p)) return { kind: 'url', url: p.replace(/\/+$/, '') };
  return { kind: 'dir', path: hostPath(p) };
}

/** Parses a search path into elements (empty elements are dropped). */
export function parseSymbolPath(text: string): PathElement[] {
  const out: PathElement[] = [];
  for (const raw of text.split(';')) {
    const t = raw.trim();
    if (!t) continue;
    const parts = t.split('*');
    const head = parts[0].trim().toLowerCase();
    if (parts.length > 1 && head === 'cache') {
      out.push({ kind: 'cache', store: location(parts.slice(1).join('*')), text: t });
    } else if (parts.length > 1 && (head === 'srv' || head === 'symsrv')) {
      let rest = parts.slice(1);
      if (head === 'symsrv') {
        const dll = (rest.shift() ?? '').trim();
        if (!/^symsrv(\.dll)?$/i.test(dll)) {
          out.push({ kind: 'unsupported', reason: `symbol server DLL '${dll}' is not supported (only symsrv.dll)`, text: t });
          continue;
        }
      }
      // srv* alone: the Microsoft server behind the default downstream store (WinDbg's expansion).
      if (rest.length === 0 || (rest.length === 1 && !rest[0].trim())) rest = ['', MICROSOFT_SYMBOL_SERVER];
      if (rest.length > MAX_CHAIN_STORES) {
        out.push({ kind: 'unsupported', reason: `a srv* element names at most ${MAX_CHAIN_STORES} stores, this one ${rest.length}`, text: t });
        continue;
      }
      const stores = rest.map(location);
      // A remote store always has a downstream store: the default one when none is named.
      const last = stores[stores.length - 1];
      if (stores.length === 1 && last.kind === 'url') stores.unshift({ kind: 'default' });
      out.push({ kind: 'chain', stores, text: t });
    } else if (/^https?:\/\//i.test(t)) {
      out.push({ kind: 'chain', stores: [{ kind: 'default' }, location(t)], text: t });
    } else {
      out.push({ kind: 'dir', path: hostPath(t), text: t });
    }
  }
  return out;
}

/** The environment variables DbgHelp reads (also the spelling SymInitialize's page uses). */
export interface SymbolPathEnv {
  _NT_SYMBOL_PATH?: string;
  _NT_ALT_SYMBOL_PATH?: string;
  _NT_ALTERNATE_SYMBOL_PATH?: string;
}

/**
 * The search path a handler uses, as SymGetSearchPath reports it.
 *
 * - A user path (SymInitialize's UserSearchPath, SymSetSearchPath) is used as given: the
 *   environment is not consulted.
 * - `null` builds DbgHelp's default: `.` (the current directory), then `_NT_SYMBOL_PATH`, then
 *   `_NT_ALT_SYMBOL_PATH` (the order of the Symbol Paths page and of Wine's SymInitialize).
 *   `_NT_ALTERNATE_SYMBOL_PATH`, the spelling on SymInitialize's own page that real programs
 *   set, is read too, after `_NT_ALT_SYMBOL_PATH` when both are set and differ.
 *   SYMOPT_IGNORE_NT_SYMPATH leaves the variables out.
 *
 * The module's directory is not part of the string: the search tries it after every element
 * (never with SYMOPT_IGNORE_IMAGEDIR).
 */
export function effectiveSearchPath(user: string | null, options: number, env: SymbolPathEnv = process.env): string {
  if (user !== null) return user;
  const parts = ['.'];
  if (!(options & SymOpt.IGNORE_NT_SYMPATH)) {
    for (const v of [env._NT_SYMBOL_PATH, env._NT_ALT_SYMBOL_PATH, env._NT_ALTERNATE_SYMBOL_PATH]) {
      const t = v?.trim();
      if (t && !parts.includes(t)) parts.push(t);
    }
  }
  return parts.join(';');
}
