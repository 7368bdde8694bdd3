/**
 * The modules a CLI run loads (one or several `--image`, or a PDB alone), each with its status
 * (docs/API.md "Module status"): a module without symbols gets one warning line on stderr and
 * the run goes on; `--verbose` shows the search's log lines.
 */
import { SymOpt } from '../api/constants';
import { describeModuleStatus, hasSymbols, statusOfError, type ModuleStatus } from '../api/module-status';
import type { SymbolHandler } from '../handler';
import { tryAddress, UsageError } from './args';

export interface ModuleSpec {
  file: string;
  baseAddress?: bigint;
  pdbPath?: string;
}

export interface CliModule {
  base: bigint;
  end: bigint;
  /** Module name (file name without extension) and the file name, for `name+0x10` and `name!f` inputs. */
  name: string;
  fileName: string;
  /** JSON.stringify(name), once. */
  json: string;
  status: ModuleStatus;
}

/** `PATH` or `PATH@BASE` (a module map entry: the image loaded at BASE). */
export function moduleSpec(text: string): ModuleSpec {
  const at = /@((?:0x)?[0-9a-f]+)$/i.exec(text);
  if (at && at.index > 0) {
    const base = tryAddress(at[1].startsWith('0x') || at[1].startsWith('0X') ? at[1] : `0x${at[1]}`);
    if (base !== undefined) return { file: text.slice(0, at.index), baseAddress: base };
  }
  return { file: text };
}

/** Turns on SYMOPT_DEBUG with the log going to `err` (`--verbose`). */
export function verboseTo(sym: SymbolHandler, err: NodeJS.WritableStream): void {
  sym.setOptions(sym.getOptions() | SymOpt.DEBUG);
  sym.on('debug', (l) => err.write(l + '\n'));
}

/**
 * Loads every module; a module that cannot load is warned about and left out. When none loads,
 * the first failure is thrown (one module asked for and missing: the command fails as before).
 */
export async function loadModules(sym: SymbolHandler, specs: ModuleSpec[], err: NodeJS.WritableStream): Promise<CliModule[]> {
  const out: CliModule[] = [];
  let first: unknown;
  for (const s of specs) {
    let base: bigint;
    try {
      base = await sym.loadModule(s.file, { baseAddress: s.baseAddress, pdbPath: s.pdbPath });
    } catch (e) {
      const status = statusOfError(s.file, e);
      if (!status) throw e;
      first ??= e;
      if (specs.length > 1) err.write(`dbghelp: warning: ${describeModuleStatus(fileNameOf(s.file), status)}\n`);
      continue;
    }
    const info = sym.getModuleInfo(base)!;
    const status = sym.getModuleStatus(base)!;
    if (!hasSymbols(status)) err.write(`dbghelp: warning: ${describeModuleStatus(info.moduleName, status)}\n`);
    out.push({ base, end: base + BigInt(Math.max(info.imageSize, 1)), name: info.moduleName, fileName: fileNameOf(s.file), json: JSON.stringify(info.moduleName), status });
  }
  if (!out.length && first !== undefined) throw first;
  out.sort((a, b) => (a.base < b.base ? -1 : 1));
  return out;
}

/** The module whose name (`basic-x64`) or file name (`basic-x64.exe`) is `name`, any case. */
export function moduleNamed(mods: CliModule[], name: string): CliModule {
  const n = name.toLowerCase();
  const m = mods.find((x) => x.name.toLowerCase() === n || x.fileName.toLowerCase() === n);
  if (!m) throw new UsageError(`no module '${name}' is loaded (loaded: ${mods.map((x) => x.name).join(', ') || 'none'})`);
  return m;
}

/** The module holding `address`, or undefined. */
export function moduleAt(mods: CliModule[], address: bigint): CliModule | undefined {
  for (const m of mods) if (address >= m.base && address < m.end) return m;
  return undefined;
}

function fileNameOf(p: string): string {
  return p.slice(Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\')) + 1);
}
