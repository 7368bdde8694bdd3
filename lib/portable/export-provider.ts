/**
 * Symbols of a module without a PDB: its export table, as DbgHelp's SymExport modules give
 * them (tag PublicSymbol, SYMFLAG_EXPORT; forwarders SYMFLAG_FORWARDER and no address here).
 * Ordinal-only exports are named `Ordinal<n>`.
 */
import { lastAtOrBelow } from '../formats/binary/search';
import { SymFlag, SymOpt, SymTag, SymType } from '../api/constants';
import { rva, type Rva } from '../formats/binary/address';
import type { ExportDirectory } from '../formats/pe/export-directory';
import { DisplayNames } from './display-name';
import type { ModuleSymbol, SymbolProvider, SymbolQuery } from './provider';

interface Export {
  raw: string;
  rva: number;
  forwarder: boolean;
  index: number;
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
      rva: e.rva,
      forwarder: e.forwarder !== undefined,
      index: i + 1,
    }));
    this.byAddress = this.all.filter((e) => !e.forwarder).sort((a, b) => a.rva - b.rva || a.index - b.index);
    this.rvas = Uint32Array.from(this.byAddress, (e) => e.rva);
    this.symType = this.all.length ? SymType.Export : SymType.None;
  }

  get count(): number {
    return this.all.length;
  }

  private symbol(e: Export, q: SymbolQuery): ModuleSymbol {
    return {
      name: this.names.show(e.raw, q.options),
      rva: rva(e.forwarder ? 0 : e.rva),
      size: 0,
      tag: SymTag.PublicSymbol,
      flags: SymFlag.EXPORT | (e.forwarder ? SymFlag.FORWARDER : 0),
      typeIndex: 0,
      index: e.index,
    };
  }

  fromRva(target: Rva, q: SymbolQuery): { symbol: ModuleSymbol; displacement: number } | undefined {
    if (q.options & SymOpt.NO_PUBLICS) return undefined;
    const list = this.byAddress;
    let best = lastAtOrBelow(this.rvas, target);
    if (best < 0) return undefined;
    while (best > 0 && list[best - 1].rva === list[best].rva) best--;
    return { symbol: this.symbol(list[best], q), displacement: target - list[best].rva };
  }

  fromName(name: string, q: SymbolQuery): ModuleSymbol | undefined {
    const ci = (q.options & SymOpt.CASE_INSENSITIVE) !== 0;
    const want = ci ? name.toLowerCase() : name;
    for (const e of this.all) {
      for (const n of [e.raw, this.names.show(e.raw, q.options)]) {
        if ((ci ? n.toLowerCase() : n) === want) return this.symbol(e, q);
      }
    }
    return undefined;
  }

  *enumerate(q: SymbolQuery): IterableIterator<ModuleSymbol> {
    if (q.options & SymOpt.NO_PUBLICS) return;
    for (const e of this.all) yield this.symbol(e, q);
  }

  close(): void {}
}
