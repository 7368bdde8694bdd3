/**
 * What a loaded module's symbol source (a PDB, or the image's export table) answers, in
 * module-relative terms. The module adds its base to turn these into SymbolInfo.
 */
import type { Rva } from '../formats/binary/address';

/**
 * A symbol relative to its module: `rva` is image-space (after OMAP). Read-only: a provider may
 * hand the same object to several lookups.
 */
export interface ModuleSymbol {
  readonly name: string;
  readonly rva: Rva;
  readonly size: number;
  readonly tag: number;
  readonly flags: number;
  readonly typeIndex: number;
  readonly index: number;
  /** Constants only. */
  readonly value?: bigint;
  readonly register?: number;
}

export interface SymbolQuery {
  /** SYMOPT_* in effect at the time of the query. */
  options: number;
}

/** A source line relative to its module: `rva` is the line entry's image-space start. */
export interface LineHit {
  fileName: string;
  lineNumber: number;
  rva: Rva;
  displacement: number;
}

/** One inline frame of a source's own chain (SymbolProvider.inlineChainAt). */
export interface InlineChainFrame {
  name: string;
  /** Module RVA of the start of the inline range holding the address. */
  rva: number;
  file: string | undefined;
  line: number | undefined;
}

export interface SymbolProvider {
  /** SYM_TYPE for IMAGEHLP_MODULE64.SymType. */
  readonly symType: number;
  fromRva(rva: Rva, q: SymbolQuery): { symbol: ModuleSymbol; displacement: number } | undefined;
  /** Exact name (undecorated where SYMOPT_UNDNAME is set), or undefined. */
  fromName(name: string, q: SymbolQuery): ModuleSymbol | undefined;
  /**
   * Every symbol, in DbgHelp's order: privates first, then publics not already listed. `match`
   * (the mask; the caller filters by it as well) lets a source leave a public out only for a
   * private symbol the mask let through, as dbghelp.dll does.
   */
  enumerate(q: SymbolQuery, match?: (name: string) => boolean): IterableIterator<ModuleSymbol>;
  /** The line entry covering an address (SymGetLineFromAddr64); absent where the source has no lines (exports). */
  lineFromRva?(rva: Rva, q: SymbolQuery): LineHit | undefined;
  /**
   * The inline frames at an address, innermost first, for a source that lists them itself (a
   * Breakpad .sym's INLINE records; PDBs go through features/inlines.ts): each frame's name and
   * range start, and the line it is at (the innermost one's line record; then each call site).
   */
  inlineChainAt?(rva: Rva): InlineChainFrame[];
  /**
   * These image RVAs (ascending) are looked up next, until endBatch: a source may build only the
   * parts of its indexes they reach (rva-batch.ts), never answering differently for it.
   */
  beginBatch?(imageRvas: ArrayLike<number>): void;
  endBatch?(): void;
  close(): void;
}
