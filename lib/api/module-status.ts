/**
 * Why a module has the symbols it has: the one status type every command, the minidump handler,
 * batch symbolication and the Breakpad source report (docs/API.md, "Module status").
 *
 * A module never fails a batch or a dump: a failure to find, fetch or read its symbols becomes
 * one of these values on that module, and the rest go on.
 */

/** What identifies a symbol file: a PDB (GUID + age), an image (timestamp + SizeOfImage), a .sym. */
export interface SymbolFileIdentity {
  /** File name as searched for (`app.pdb`, `app.exe`, `app.sym`). */
  name: string;
  /** The debug id: GUID without dashes, upper case, then the age in hex (`3249D99D...B69361`). */
  debugId?: string;
  /** The code id: TimeDateStamp as 8 hex digits then SizeOfImage in hex (`5AB380779000`). */
  codeId?: string;
  /** The file this identity was read from, when one was read. */
  path?: string;
}

/** Where a loaded module's symbols came from. */
export type SymbolSource = 'pdb' | 'exports' | 'breakpad' | 'dbg' | 'none';

export type ModuleStatus =
  /** Symbols loaded. `source` says from what; `exports` and `none` mean no private symbols. */
  | { kind: 'loaded'; source: SymbolSource; symbolFile?: string; imageFile?: string }
  /** The image was needed (it names the PDB, holds unwind data or exports) and was not found. */
  | { kind: 'image-missing'; image: SymbolFileIdentity; searched: string[] }
  /** No symbol file was found anywhere on the search path. */
  | { kind: 'symbols-missing'; wanted: SymbolFileIdentity; searched: string[] }
  /** A symbol file was found, but its identity is not the one wanted. */
  | { kind: 'mismatched'; wanted: SymbolFileIdentity; found: SymbolFileIdentity }
  /**
   * A symbol server could not answer: unreachable, timed out, or answered an error. `reason` is
   * the HTTP reason (`HTTP 500 Internal Server Error`, `connect ECONNREFUSED 127.0.0.1:8080`,
   * `timed out after 10000 ms`); `httpStatus` is set when the server answered.
   */
  | { kind: 'unavailable'; wanted: SymbolFileIdentity; server: string; reason: string; httpStatus?: number }
  /** A symbol file was found and could not be read: `error` is the DbgHelpError's message. */
  | { kind: 'malformed'; path: string; error: string; offset?: number }
  /** A symbol file the engine cannot use (e.g. a types-only PDB with no DBI stream). */
  | { kind: 'unsupported'; path?: string; reason: string };

export type ModuleStatusKind = ModuleStatus['kind'];

/** True when the module answers from private or public symbols of a symbol file. */
export function hasSymbols(s: ModuleStatus): boolean {
  return s.kind === 'loaded' && (s.source === 'pdb' || s.source === 'breakpad' || s.source === 'dbg');
}

/** One line saying why a module has no (or only some) symbols, for a CLI warning. */
export function describeModuleStatus(moduleName: string, s: ModuleStatus): string {
  const id = (w: SymbolFileIdentity) => `${w.name}${w.debugId ? ` ${w.debugId}` : w.codeId ? ` ${w.codeId}` : ''}`;
  switch (s.kind) {
    case 'loaded':
      return s.source === 'pdb' || s.source === 'breakpad' || s.source === 'dbg'
        ? `${moduleName}: symbols loaded from ${s.symbolFile ?? s.source}`
        : `${moduleName}: no symbol file; answering from ${s.source === 'exports' ? 'the image exports' : 'nothing'}`;
    case 'image-missing':
      return `${moduleName}: image ${id(s.image)} not found (searched ${s.searched.length} place${s.searched.length === 1 ? '' : 's'})`;
    case 'symbols-missing':
      return `${moduleName}: symbols ${id(s.wanted)} not found (searched ${s.searched.length} place${s.searched.length === 1 ? '' : 's'})`;
    case 'mismatched':
      return `${moduleName}: ${s.found.path ?? s.found.name} is ${id(s.found)}, wanted ${id(s.wanted)}`;
    case 'unavailable':
      return `${moduleName}: symbol server ${s.server} unavailable for ${id(s.wanted)}: ${s.reason}`;
    case 'malformed':
      return `${moduleName}: ${s.path} is malformed: ${s.error}`;
    case 'unsupported':
      return `${moduleName}: unsupported symbols${s.path ? ` in ${s.path}` : ''}: ${s.reason}`;
  }
}

/** Statuses the loader attached to the errors it threw (attachStatus), read by statusOfError. */
const attached = new WeakMap<object, ModuleStatus>();

/** Records the status a load that throws `error` ends with, when the loader knows it in full. */
export function attachStatus<E extends object>(error: E, status: ModuleStatus): E {
  attached.set(error, status);
  return error;
}

/**
 * The status of a module whose load threw `error` (a DbgHelpError, by its code): so that one
 * module's failure is a value on that module, not the end of a batch. `file` is the image (or
 * PDB) the caller asked to load. Errors that are not about the module's files (bad arguments,
 * a cleaned-up handler) are not statuses: undefined.
 */
export function statusOfError(file: string, error: unknown): ModuleStatus | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const known = attached.get(error);
  if (known) return known;
  const e = error as { code?: string; message?: string; file?: string; offset?: number };
  const name = file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
  switch (e.code) {
    case 'FILE_NOT_FOUND':
      return e.file && e.file !== file
        ? { kind: 'symbols-missing', wanted: { name: e.file.slice(Math.max(e.file.lastIndexOf('/'), e.file.lastIndexOf('\\')) + 1) }, searched: [e.file] }
        : { kind: 'image-missing', image: { name }, searched: [file] };
    case 'BAD_FORMAT':
    case 'IO_ERROR':
      return { kind: 'malformed', path: e.file ?? file, error: e.message ?? String(error), ...(e.offset !== undefined ? { offset: e.offset } : {}) };
    case 'UNSUPPORTED':
      return { kind: 'unsupported', path: e.file ?? file, reason: e.message ?? String(error) };
    case 'PDB_MISMATCH':
      return { kind: 'mismatched', wanted: { name }, found: { name: e.file ?? name, ...(e.file ? { path: e.file } : {}) } };
    default:
      return undefined;
  }
}

/**
 * The status a module's IMAGEHLP_MODULE64 alone implies (backends that keep no status, i.e.
 * dbghelp.dll's): SymPdb is loaded from the PDB; otherwise a PDB the image names was not used,
 * mismatched when pdbUnmatched says so.
 */
export function statusFromModuleInfo(info: {
  symType: number;
  loadedPdbName: string;
  loadedImageName: string;
  cvSig: number;
  cvData: string;
  pdbSig70: string;
  pdbAge: number;
  pdbUnmatched: boolean;
  timeDateStamp: number;
  imageSize: number;
}): ModuleStatus {
  const SYM_PDB = 3;
  const SYM_EXPORT = 4;
  if (info.symType === SYM_PDB) return { kind: 'loaded', source: 'pdb', symbolFile: info.loadedPdbName || undefined, imageFile: info.loadedImageName || undefined };
  const source: SymbolSource = info.symType === SYM_EXPORT ? 'exports' : 'none';
  if (!info.cvSig || !info.cvData) return { kind: 'loaded', source, imageFile: info.loadedImageName || undefined };
  const name = info.cvData.slice(Math.max(info.cvData.lastIndexOf('/'), info.cvData.lastIndexOf('\\')) + 1);
  const debugId = info.cvSig === 0x53445352 ? info.pdbSig70.replace(/-/g, '').toUpperCase() + info.pdbAge.toString(16).toUpperCase() : undefined;
  const wanted: SymbolFileIdentity = { name, ...(debugId ? { debugId } : {}) };
  return info.pdbUnmatched ? { kind: 'mismatched', wanted, found: { name } } : { kind: 'symbols-missing', wanted, searched: [] };
}
