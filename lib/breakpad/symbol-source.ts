/**
 * Breakpad .sym files as a module's symbol source:
 * - breakpadIdOfImage: the debug file and debug id an image's CodeView record names (what a
 *   .sym file's MODULE line carries: GUID + age for RSDS, signature %08X + age for NB10);
 * - findBreakpadSymbols: that module's file in Breakpad stores (DIR/<pdb>/<id>/<name>.sym);
 * - BreakpadProvider: a SymbolProvider (lib/portable/provider.ts) over BreakpadSymbols, SymType
 *   SymSym: FUNCs as functions (SYMFLAG_FUNCTION, their size), PUBLICs as public symbols
 *   (SYMFLAG_PUBLIC_CODE, size 0), line records as lines. Names are the .sym's (undecorated by
 *   dump_syms), for every SYMOPT_UNDNAME setting.
 */
import * as fs from 'fs';
import * as path from 'path';
import { SymFlag, SymTag, SymType } from '../api/constants';
import { rva as asRva, type Rva } from '../formats/binary/address';
import type { PeImage } from '../formats/pe/pe-image';
import type { BreakpadSymbols } from '../formats/breakpad/sym-file';
import type { InlineChainFrame, LineHit, ModuleSymbol, SymbolProvider, SymbolQuery } from '../portable/provider';
import { breakpadDebugId, breakpadStorePath } from './ids';

export interface BreakpadId {
  debugFile: string;
  debugId: string;
}

export function breakpadIdOfImage(image: PeImage): BreakpadId | undefined {
  const cv = image.codeView();
  if (!cv) return undefined;
  const debugFile = path.basename(cv.pdbPath.replace(/\\/g, '/'));
  if (cv.signature === 'RSDS') return { debugFile, debugId: breakpadDebugId(cv.guid, cv.age) };
  return { debugFile, debugId: cv.timestamp.toString(16).toUpperCase().padStart(8, '0') + cv.age.toString(16).toUpperCase() };
}

/** The first store (in order) holding the module's .sym file. */
export function findBreakpadSymbols(stores: readonly string[], id: BreakpadId): string | undefined {
  const rel = breakpadStorePath(id.debugFile, id.debugId);
  const variants = [rel, breakpadStorePath(id.debugFile, id.debugId.toUpperCase())];
  for (const dir of stores) {
    for (const r of variants) {
      const p = path.join(dir, r);
      if (fs.existsSync(p)) return p;
    }
  }
  return undefined;
}

export class BreakpadProvider implements SymbolProvider {
  readonly symType = SymType.Sym;
  private byName: Map<string, ModuleSymbol> | undefined;
  private byNameCi: Map<string, ModuleSymbol> | undefined;

  constructor(readonly symbols: BreakpadSymbols) {}

  fromRva(at: Rva): { symbol: ModuleSymbol; displacement: number } | undefined {
    const hit = this.symbols.lookup(at);
    if (!hit) return undefined;
    return { symbol: this.symbol(hit.function, hit.functionRva, hit.functionSize, hit.isPublic, hit.index), displacement: at - hit.functionRva };
  }

  fromName(name: string, q: SymbolQuery): ModuleSymbol | undefined {
    if (!this.byName) {
      this.byName = new Map();
      this.byNameCi = new Map();
      for (const s of this.symbols.symbols()) {
        const m = this.symbol(s.name, s.rva, s.size, s.isPublic, s.index);
        if (!this.byName.has(s.name)) this.byName.set(s.name, m);
        const k = s.name.toLowerCase();
        if (!this.byNameCi!.has(k)) this.byNameCi!.set(k, m);
      }
    }
    // SYMOPT_CASE_INSENSITIVE (0x1) is DbgHelp's default.
    return q.options & 0x1 ? this.byNameCi!.get(name.toLowerCase()) : this.byName.get(name);
  }

  *enumerate(): IterableIterator<ModuleSymbol> {
    for (const s of this.symbols.symbols()) yield this.symbol(s.name, s.rva, s.size, s.isPublic, s.index);
  }

  lineFromRva(at: Rva): LineHit | undefined {
    const hit = this.symbols.lookup(at);
    if (!hit || hit.file === undefined || hit.line === undefined || hit.lineRva === undefined) return undefined;
    return { fileName: hit.file, lineNumber: hit.line, rva: asRva(hit.lineRva), displacement: at - hit.lineRva };
  }

  /**
   * The INLINE chain at an address, innermost first: frame i is at the line record's position
   * (i = 0) or at the call site of frame i - 1, as Breakpad's processor reads them.
   */
  inlineChainAt(at: Rva): InlineChainFrame[] {
    const hit = this.symbols.lookup(at);
    if (!hit || hit.isPublic || !hit.inlines.length) return [];
    return hit.inlines.map((f, i) => ({
      name: f.name,
      rva: f.address,
      file: i === 0 ? hit.file : hit.inlines[i - 1].callFile,
      line: i === 0 ? hit.line : hit.inlines[i - 1].callLine,
    }));
  }

  /** Gives back the .sym file's descriptor (a later lookup, e.g. by a dump's walker, reopens it). */
  close(): void {
    this.symbols.close();
  }

  private symbol(name: string, at: number, size: number, isPublic: boolean, index: number): ModuleSymbol {
    return {
      name,
      rva: asRva(at),
      size,
      tag: isPublic ? SymTag.PublicSymbol : SymTag.Function,
      flags: isPublic ? SymFlag.PUBLIC_CODE : SymFlag.FUNCTION,
      typeIndex: 0,
      index,
    };
  }
}

const opened = new Map<string, WeakRef<BreakpadSymbols>>();

/**
 * A .sym file read once while something holds it: the module loader (symbols) and the dump's
 * walker (STACK records) share one parse of a possibly large file.
 */
export async function openBreakpadSymbols(file: string, opts: { signal?: AbortSignal } = {}): Promise<BreakpadSymbols> {
  const key = path.resolve(file);
  const alive = opened.get(key)?.deref();
  if (alive) return alive;
  const { readBreakpadSymbols } = require('../formats/breakpad') as typeof import('../formats/breakpad');
  const symbols = await readBreakpadSymbols(file, opts);
  opened.set(key, new WeakRef(symbols));
  return symbols;
}
