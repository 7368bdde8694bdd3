/**
 * Symbols of a module without a PDB: its export table, as Microsoft's dbghelp.dll
 * 10.0.19041.685 gives a SymExport module's (asked under Wine on exports-x64.dll without its PDB:
 * test/conformance/symbols.test.ts): tag PublicSymbol, listed in address order; a named export
 * has SYMFLAG_EXPORT, an ordinal-only one (named `Ordinal<n>`) no flag, a forwarder
 * SYMFLAG_FORWARDER alone at its forwarder string's address; Size is the distance to the next
 * export's address (0 for the last).
 */
import { lastAtOrBelow } from '../formats/binary/search';
import { SymFlag, SymOpt, SymTag, SymType } from '../api/constants';
import { rva, type Rva } from '../formats/binary/address';
import type { ExportDirectory } from '../formats/pe/export-directory';
import { DisplayNames } from './display-name';
import type { ModuleSymbol, SymbolProvider, SymbolQuery } from './provider';
import { compileMask } from './wildcard';

interface Export {
  raw: string;
  /** Exported by name (not by ordinal alone). */
  named: boolean;
  /** The export address table's entry: the code or data, or a forwarder's string. */
  rva: number;
  forwarder: boolean;
  index: number;
  /** To the next export's address (0 for the last). */
  size: number;
}

export class ExportProvider implements SymbolProvider {
  readonly symType: number;
  private readonly byAddress: Export[];
  private readonly rvas: Uint32Array;
  private readonly all: Export[];
  private readonly names: DisplayNames;

  constructor(dir: ExportDirectory | undefined, machine: number) {
    this.names = new DisplayNames(machine, false);
    this.all = (dir?.entries ?? []).map((e, i) => ({
      raw: e.name ?? `Ordinal${e.ordinal}`,
      named: e.name !== undefined,
      rva: e.rva,
      forwarder: e.forwarder !== undefined,
      index: i + 1,
      size: 0,
    }));
    this.byAddress = [...this.all].sort((a, b) => a.rva - b.rva || a.index - b.index);
    for (let i = 0, j = 0; i < this.byAddress.length; i++) {
      const e = this.byAddress[i];
      while (j < this.byAddress.length && this.byAddress[j].rva <= e.rva) j++;
      e.size = j < this.byAddress.length ? this.byAddress[j].rva - e.rva : 0;
    }
    this.rvas = Uint32Array.from(this.byAddress, (e) => e.rva);
    this.symType = this.all.length ? SymType.Export : SymType.None;
  }

  get count(): number {
    return this.all.length;
  }

  private symbol(e: Export, q: SymbolQuery): ModuleSymbol {
    return {
      name: this.names.show(e.raw, q.options),
      rva: rva(e.rva),
      size: e.size,
      tag: SymTag.PublicSymbol,
      flags: e.forwarder ? SymFlag.FORWARDER : e.named ? SymFlag.EXPORT : 0,
      typeIndex: 0,
      index: e.index,
    };
  }

  fromRva(target: Rva, q: SymbolQuery): { symbol: ModuleSymbol; displacement: number } | undefined {
    const list = this.byAddress;
    let best = lastAtOrBelow(this.rvas, target);
    if (best < 0) return undefined;
    while (best > 0 && list[best - 1].rva === list[best].rva) best--;
    return { symbol: this.symbol(list[best], q), displacement: target - list[best].rva };
  }

  /**
   * SymFromName on export symbols, as Microsoft's dbghelp.dll finds them: by the name shown
   * (under SYMOPT_UNDNAME `mathlib::Multiply`, not `?Multiply@mathlib@@YAHHH@Z`), a mask
   * (wildcard.ts) answering the first match in address order (`m*`: mathlib::Multiply).
   */
  fromName(name: string, q: SymbolQuery): ModuleSymbol | undefined {
    const match = compileMask(name, (q.options & SymOpt.CASE_INSENSITIVE) !== 0);
    for (const e of this.byAddress) if (match(this.names.show(e.raw, q.options))) return this.symbol(e, q);
    return undefined;
  }

  *enumerate(q: SymbolQuery): IterableIterator<ModuleSymbol> {
    for (const e of this.byAddress) yield this.symbol(e, q);
  }

  close(): void {}
}
