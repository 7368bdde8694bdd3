/**
 * What the portable handler's feature files (lines, inline frames, types, scope, search) see of
 * the handler: its options and its loaded modules. Each feature keeps its per-PDB state with
 * `PdbProvider.memo`, so the handler itself stays a thin dispatcher.
 */
import type { FromAddrResult, LineInfo } from '../../api/types';
import type { LoadedModule } from '../loaded-module';
import { PdbProvider } from '../pdb-provider';

export interface HandlerContext {
  /** SYMOPT_* in effect now. */
  readonly options: number;
  /** The module containing an address. */
  moduleAt(address: bigint): LoadedModule | undefined;
  /** The module loaded at exactly this base. */
  moduleByBase(base: bigint): LoadedModule | undefined;
  /** Modules by name (case-insensitive); every module when `name` is undefined. */
  modulesNamed(name: string | undefined): LoadedModule[];
  /** A verbose line (sent only under SYMOPT_DEBUG). */
  debug(line: string): void;
  /** SymFromAddr, as the handler answers it (optional so that test doubles need not give it). */
  fromAddr?(address: bigint): FromAddrResult | undefined;
  /** SymGetLineFromAddr64, as the handler answers it (optional, as fromAddr). */
  getLineFromAddr?(address: bigint): LineInfo | undefined;
}

/** The module's PDB provider, or undefined for modules answered from exports. */
export function pdbOf(m: LoadedModule | undefined): PdbProvider | undefined {
  return m && m.provider instanceof PdbProvider ? m.provider : undefined;
}
