/**
 * Symbols of a module from its PDB, looked up lazily:
 * - by address (Microsoft's nearest-symbol rule): section contributions name the module whose
 *   stream holds the procedure; that module's code index (code-index.ts) answers the covering
 *   procedure, and the publics and global data (global-index.ts), indexed on first use, the
 *   nearest symbol below; lines from the module's line index (line-index.ts);
 * - by name: pdb-by-name.ts; enumeration: pdb-enumerate.ts.
 * OMAP'd images are handled by translating image RVAs to PDB RVAs and back.
 *
 * Over 400 lines on purpose: this class owns the per-PDB and per-module indexes and the one
 * reused buffer module streams are read into, so everything that reads them (the address
 * lookups, the record decoder every answer goes through, the accessors the features use:
 * codeRecordAt, readModule, moduleLines) stays behind one set of private fields; the index
 * builders, the name lookup and the enumeration live in their own files.
 */
import { SymFlag, SymOpt, SymTag, SymType } from '../api/constants';
import { badFormat, DbgHelpError } from '../api/errors';
import { rva, type Rva } from '../formats/binary/address';
import { Cursor } from '../formats/binary/cursor';
import { readC13LineTable, type LineTable } from '../formats/codeview/c13-lines';
import { S, SymFamily, symFamily, isIdProc, isThreadData } from '../formats/codeview/symbol-kinds';
import { CVPSF_CODE, CVPSF_FUNCTION, readConstant, readData, readProc, readPublic, readThunk, readTrampoline } from '../formats/codeview/symbol-records';
import { ImageSectionCharacteristics as SectionFlags, type SectionHeader } from '../formats/pe/section-header';
import type { Omap } from '../formats/pdb/omap';
import type { StreamScratch } from '../formats/msf/msf-file';
import type { ModuleSymbols } from '../formats/pdb/module-symbols';
import type { PdbFile } from '../formats/pdb/pdb-file';
import type { SectionContribProbe, SectionContribs } from '../formats/pdb/section-contribs';
import type { SymbolStream } from '../formats/pdb/symbol-stream';
import { dbghelpDataPicks } from './data-ties';
import { DisplayNames, isHiddenName } from './display-name';
import { buildDataIndex, buildGlobalIndexes, buildPublicsIndex, type GlobalIndex, type ToImageRva } from './global-index';
import { PROBED_LOOKUPS, PublicsIndex, PublicsProbe } from './publics-index';
import { buildCodeIndex, buildStaticIndex, copiedRecord, NO_CODE, NO_STATICS, NOT_COPIED, type CodeIndex, type RecordIndex } from './code-index';
import type { PdbNameLookup } from './pdb-by-name';
import { buildLineIndex, fileOf, leftOutAt, lineEntryAt, NO_LINES, startOf, type LineIndex } from './line-index';
import { RecordIds } from './record-ids';
import type { LineHit, ModuleSymbol, SymbolProvider, SymbolQuery } from './provider';
import { lastAtOrBelow } from '../formats/binary/search';
import { lazy } from '../lazy';
import { RvaBatch } from './rva-batch';

// Name lookup and enumeration are required on first use (lib/lazy.ts): an address lookup needs neither.
const byNameModule = lazy(() => require('./pdb-by-name') as typeof import('./pdb-by-name'));
const enumerateModule = lazy(() => require('./pdb-enumerate') as typeof import('./pdb-enumerate'));

/** Symbol ids (SYMBOL_INFO.Index) are SYMBOL_ID_BASE.. SYMBOL_ID_LIMIT - 1: above every simple type and TPI index, below the types feature's synthetic ids (0x80000000). */
export const SYMBOL_ID_BASE = 0x40000000;
export const SYMBOL_ID_LIMIT = 0x80000000;

/** CV_PROCFLAGS.CV_PFLAG_NEVER: the function does not return. */
const CV_PFLAG_NEVER = 0x08;

export class PdbProvider implements SymbolProvider {
  readonly symType = SymType.Pdb;
  private readonly names: DisplayNames;
  private readonly codeIndex = new Map<number, CodeIndex>();
  private readonly lineIndex = new Map<number, LineIndex>();
  private publicsIdx: GlobalIndex | undefined;
  private dataIdx: GlobalIndex | undefined;
  /** The records dbghelp.dll answers where global data records share an address (data-ties.ts), on first need. */
  private dataPicks: Set<number> | undefined;
  private nearPublic: PublicsIndex | undefined;
  private readonly staticIndex = new Map<number, RecordIndex>();
  private byName: PdbNameLookup | undefined;
  private readonly ids = new RecordIds();
  private readonly symSections: readonly SectionHeader[];
  private readonly featureState = new Map<string, unknown>();
  private omapTo: Omap | null | undefined;
  private omapFrom: Omap | null | undefined;
  private contribs: SectionContribs | undefined;
  /** The contributions searched in place for the first PROBED_LOOKUPS modules asked (moduleOfRva). */
  private contribProbe: SectionContribProbe | undefined;
  private contribLookups = 0;
  /** PROBED_LOOKUPS for this provider (tests set 0: whole tables at once, or Infinity: always probe). */
  probedLookups = PROBED_LOOKUPS;
  /** The last moduleOfRva answer (a symbol and its line are asked for one after the other). */
  private lastModRva = -1;
  private lastMod = -1;
  /**
   * The module stream read last, not kept by the PDB: its code and line indexes read it in
   * turn. Module streams are read into one reused buffer (nothing outlives indexing but copies).
   */
  private lastStream: { mod: number; ms: ModuleSymbols | undefined } | undefined;
  private readonly scratch: StreamScratch = { buf: new Uint8Array(0) };
  private lineScratch: LineTable | undefined;
  /** The batch of lookups under way (beginBatch), which module indexes built meanwhile may be cut to. */
  batch: RvaBatch | undefined;

  constructor(
    readonly pdb: PdbFile,
    /** The image's own section headers, used when the PDB lacks its copy. */
    imageSections: readonly SectionHeader[] | undefined,
    machine: number,
  ) {
    this.names = new DisplayNames(machine);
    // Symbol records use the pre-OMAP section layout when the image was reordered.
    this.symSections = pdb.originalSectionHeaders() ?? pdb.sectionHeaders() ?? imageSections ?? [];
  }

  close(): void {
    this.pdb.close();
  }

  /**
   * Per-PDB state of the features that live in their own files (lines walk, inline frames,
   * types, scopes): made on first use, kept with the provider.
   */
  memo<T>(key: string, make: () => T): T {
    let v = this.featureState.get(key) as T | undefined;
    if (v === undefined) {
      v = make();
      this.featureState.set(key, v);
    }
    return v;
  }

  // --- address spaces -------------------------------------------------------------------

  sectionOffsetToPdbRva(section: number, offset: number): number | undefined {
    return this.pdbRva(section, offset);
  }
  /** The PDB RVA of section:offset (1-based section, the PDB's numbering), or undefined. */
  pdbRva(section: number, offset: number): number | undefined {
    const s = this.symSections[section - 1];
    return s === undefined ? undefined : s.virtualAddress + offset;
  }
  /** Whether section `section` (1-based, the PDB's numbering) holds code. */
  isCodeSection(section: number): boolean {
    const s = this.symSections[section - 1];
    return s !== undefined && (s.characteristics & (SectionFlags.CNT_CODE | SectionFlags.MEM_EXECUTE)) !== 0;
  }
  pdbRvaToSectionOffset(pdbRva: number): { section: number; offset: number } | undefined {
    const section = this.sectionOf(pdbRva);
    return section === 0 ? undefined : { section, offset: pdbRva - this.symSections[section - 1].virtualAddress };
  }
  /** The 1-based PDB section holding a PDB RVA, or 0. */
  private sectionOf(pdbRva: number): number {
    const secs = this.symSections;
    for (let i = 0; i < secs.length; i++) {
      const s = secs[i];
      if (pdbRva >= s.virtualAddress && pdbRva < s.virtualAddress + Math.max(s.virtualSize, s.sizeOfRawData)) return i + 1;
    }
    return 0;
  }
  toPdbRva(image: Rva): number | undefined {
    // The OMAP streams are looked for on first use; null: the PDB has none.
    if (this.omapTo === undefined) this.omapTo = this.pdb.omapToSrc() ?? null;
    return this.omapTo ? this.omapTo.map(image) : image;
  }
  toImageRva(pdbRva: number): number {
    if (this.omapFrom === undefined) this.omapFrom = this.pdb.omapFromSrc() ?? null;
    if (!this.omapFrom) return pdbRva;
    return this.omapFrom.map(pdbRva) ?? pdbRva;
  }

  /**
   * SYMBOL_INFO.Index of the record at `offset` in symbol stream `stream`: SYMBOL_ID_BASE + n,
   * numbered on first use (ARCHITECTURE.md "Ids": the range keeps symbols apart from type ids,
   * so SymGetTypeInfo can take either).
   */
  id(stream: number, offset: number): number {
    let n = this.ids.find(stream, offset);
    if (n < 0) {
      if (this.ids.size >= SYMBOL_ID_LIMIT - SYMBOL_ID_BASE) throw new DbgHelpError('UNSUPPORTED', `${this.pdb.name}: more symbols than the symbol id range can number`);
      n = this.ids.add(stream, offset);
    }
    return SYMBOL_ID_BASE + n;
  }
  /** The stream and record offset a symbol id was given for, or undefined. */
  idRecord(id: number): { stream: number; offset: number } | undefined {
    return this.ids.record(id - SYMBOL_ID_BASE);
  }

  // --- by address -----------------------------------------------------------------------

  /**
   * SymFromAddr as Microsoft's dbghelp.dll answers it: the nearest symbol at or below the
   * address among procedures (thunks, trampolines), global data and publics, even inside a
   * function's range (`MsetTab+148` in memset, `_NLG_Dispatch` in `_NLG_Notify`). At one
   * address data wins over a procedure (`_guard_dispatch_icall_nop`, a GDATA32 of size 1 and
   * a 2-byte procedure), a procedure over a public. A procedure or datum whose record name
   * has an `@` in it (`@_EH4_CallFilterFunc@8`, `__@@_PchSym_@00@...`) is none of dbghelp.dll's
   * symbols (isHiddenName) but still the nearest: when it wins, the nearest public answers,
   * not a procedure or datum below it. Each candidate comes from its own typed-array index;
   * only the winner is decoded.
   */
  fromRva(target: Rva, q: SymbolQuery): { symbol: ModuleSymbol; displacement: number } | undefined {
    const pdbRva = this.toPdbRva(target);
    let best: { symbol: ModuleSymbol; displacement: number } | undefined;
    let bestRva = -1;
    if (this.omapTo) return this.fromRvaReordered(target, pdbRva, q);
    if (!(q.options & SymOpt.PUBLICS_ONLY)) {
      const hit = pdbRva === undefined ? undefined : (this.procAt(pdbRva, q) ?? this.procBefore(pdbRva, q));
      if (hit && !(hit.symbol.rva > target && isHiddenName(hit.symbol.name, q.options))) {
        // OMAP: a basic block moved before its function's entry keeps the original offset.
        if (hit.symbol.rva > target) return { symbol: hit.symbol, displacement: hit.pdbDisplacement };
        best = { symbol: hit.symbol, displacement: target - hit.symbol.rva };
        bestRva = hit.symbol.rva;
      }
      const st = pdbRva === undefined ? undefined : this.staticAt(pdbRva, bestRva, q);
      if (st && st.symbol.rva >= bestRva && st.symbol.rva <= target) {
        best = { symbol: st.symbol, displacement: target - st.symbol.rva };
        bestRva = st.symbol.rva;
      }
      const data = this.dataIndex();
      const d = lastAtOrBelow(data.rvas, target);
      if (d >= 0 && data.rvas[d] >= bestRva) {
        let first = d;
        while (first > 0 && data.rvas[first - 1] === data.rvas[d]) first--;
        // Several records at one address (`__xi_a[]` and `__xi_a[1]`): the one dbghelp.dll's
        // sort leaves last (data-ties.ts), else the one written last (first in the index).
        if (first < d) {
          const picks = (this.dataPicks ??= dbghelpDataPicks(this.pdb));
          for (let i = first; i <= d; i++) if (picks.has(data.records[i])) first = i;
        }
        const symbol = this.dataSymbol(first, q);
        if (symbol) {
          best = { symbol, displacement: target - symbol.rva };
          bestRva = symbol.rva;
        }
      }
      // The nearest is named with an `@`: not answered, and what lies below it is not either
      // (dbghelp.dll's bsearch lands on it and gives up): the nearest public answers.
      if (best && isHiddenName(best.symbol.name, q.options)) {
        best = undefined;
        bestRva = -1;
      }
    }
    // SYMOPT_NO_PUBLICS does not keep the publics out of SymFromAddr: Microsoft's dbghelp.dll
    // answers the nearest symbol as without it (an IAT slot its `_imp_` public, `_NLG_Dispatch`
    // inside `_NLG_Notify`: all 3,820 corpus addresses asked with the option through
    // msoracle), only the records named with an `@` are no longer hidden (isHiddenName).
    const pubs = this.nearestPublics();
    const u = pubs.nearest(target);
    if (u < 0) return best;
    const pubRva = pubs.rva(u);
    return pubRva > bestRva ? { symbol: this.publicSymbol(pubs.record(u), pubs.size(u), pubRva, q), displacement: target - pubRva } : best;
  }

  /**
   * Images reordered after linking (OMAP; no dbghelp.dll oracle covers one): nearness in the
   * final layout says nothing about the original one, so the procedure covering the address
   * answers, else the nearest public (what breakpad's DIA-made .sym files say).
   */
  private fromRvaReordered(target: Rva, pdbRva: number | undefined, q: SymbolQuery): { symbol: ModuleSymbol; displacement: number } | undefined {
    if (!(q.options & SymOpt.PUBLICS_ONLY) && pdbRva !== undefined) {
      const hit = this.procAt(pdbRva, q);
      if (hit && !isHiddenName(hit.symbol.name, q.options)) {
        return hit.symbol.rva <= target ? { symbol: hit.symbol, displacement: target - hit.symbol.rva } : { symbol: hit.symbol, displacement: hit.pdbDisplacement };
      }
    }
    return this.publicAt(target, q);
  }

  /** The procedure (thunk, trampoline) starting nearest below a PDB RVA, in the module that contributed it and the same section. */
  private procBefore(pdbRva: number, q: SymbolQuery): { symbol: ModuleSymbol; pdbDisplacement: number } | undefined {
    const mod = this.moduleOfRva(pdbRva);
    if (mod < 0) return undefined;
    const idx = this.moduleCode(mod);
    let best = lastAtOrBelow(idx.starts, pdbRva);
    if (best < 0) return undefined;
    const start = idx.starts[best];
    // Only within the address's own section: a data address of the module is not its last
    // function's (the publics and data decide there, as before any procedure).
    if (this.pdbRvaToSectionOffset(start)?.section !== this.pdbRvaToSectionOffset(pdbRva)?.section) return undefined;
    while (best > 0 && idx.starts[best - 1] === start) best--;
    const symbol = this.codeSymbol(idx, best, q, false);
    return symbol ? { symbol, pdbDisplacement: pdbRva - start } : undefined;
  }

  /**
   * The function-static datum nearest below a PDB RVA in the module that contributed it, decoded
   * only when it starts at or after `from` (no OMAP here: PDB and image RVAs are the same), that
   * is when it can beat the procedure already found.
   */
  private staticAt(pdbRva: number, from: number, q: SymbolQuery): { symbol: ModuleSymbol } | undefined {
    // Function statics in code are left out of the index: a code address has none to find.
    const section = this.sectionOf(pdbRva);
    if (section === 0 || this.isCodeSection(section)) return undefined;
    const mod = this.moduleOfRva(pdbRva);
    if (mod < 0) return undefined;
    let idx = this.staticIndex.get(mod);
    if (!idx) {
      const ms = this.moduleStream(mod);
      idx = ms ? buildStaticIndex(ms, this) : NO_STATICS;
      this.staticIndex.set(mod, idx);
    }
    let i = lastAtOrBelow(idx.starts, pdbRva);
    if (i < 0 || idx.starts[i] < from) return undefined;
    while (i > 0 && idx.starts[i - 1] === idx.starts[i]) i--;
    const { kind, data } = copiedRecord(idx, i, this.pdb.name);
    const symbol = this.decodeRecord(kind, data, this.id(this.pdb.modules()[mod].symStream, idx.records[i]), q, false);
    return symbol ? { symbol } : undefined;
  }

  /** Entry i of the data index as a symbol (its one record read). */
  private dataSymbol(i: number, q: SymbolQuery): ModuleSymbol | undefined {
    const { records, sizes } = this.dataIndex();
    const { kind, data } = this.pdb.symbolRecordAt(records[i], sizes[i]);
    return this.decodeRecord(kind, data, this.id(this.pdb.dbi?.symRecordStream ?? 0, records[i]), q, false);
  }

  /**
   * The procedure/thunk/trampoline covering a PDB RVA. `naming` is set when the lookup only
   * names a trampoline's target: trampolines found then are not resolved in turn, so a
   * trampoline aimed at itself (or two aimed at each other) cannot recurse without end.
   */
  procAt(pdbRva: number, q: SymbolQuery, naming = false): { symbol: ModuleSymbol; pdbDisplacement: number } | undefined {
    const mod = this.moduleOfRva(pdbRva);
    if (mod < 0) return undefined;
    const idx = this.moduleCode(mod);
    const { starts, lengths } = idx;
    let best = lastAtOrBelow(starts, pdbRva);
    if (best < 0) return undefined;
    // Among records starting at the same address, the first one in the stream wins.
    const start = starts[best];
    while (best > 0 && starts[best - 1] === start) best--;
    for (let i = best; i < starts.length && starts[i] === start; i++) {
      if (pdbRva - start < Math.max(lengths[i], 1)) {
        const symbol = this.codeSymbol(idx, i, q, naming);
        if (symbol) return { symbol, pdbDisplacement: pdbRva - start };
      }
    }
    return undefined;
  }

  /**
   * Where procAt looks for a PDB RVA: the module that contributed it and the stream offset of
   * the code record (procedure, thunk, trampoline; with `procsOnly` S_*PROC32* only) that
   * covers it, the first in the stream among those starting at one address; record -1 where
   * none covers it; undefined outside every contribution. For features that index a
   * procedure's nested records (inline sites, scopes) by the record that holds them.
   */
  codeRecordAt(pdbRva: number, procsOnly = false): { mod: number; record: number } | undefined {
    const mod = this.moduleOfRva(pdbRva);
    if (mod < 0) return undefined;
    let idx = this.moduleCode(mod);
    const { starts, lengths, records } = idx;
    let i = lastAtOrBelow(starts, pdbRva);
    if (i < 0) return { mod, record: -1 };
    const start = starts[i];
    while (i > 0 && starts[i - 1] === start) i--;
    for (; i < starts.length && starts[i] === start; i++) {
      if (pdbRva - start >= Math.max(lengths[i], 1)) continue;
      if (procsOnly) {
        if (idx.copyAt[i] === NOT_COPIED) idx = this.wholeCode(idx);
        const { copies, copyAt } = idx;
        if (symFamily(copies[copyAt[i] + 2] | (copies[copyAt[i] + 3] << 8)) !== SymFamily.Proc) continue;
      }
      return { mod, record: records[i] };
    }
    return { mod, record: -1 };
  }

  /** The procedure record (S_*PROC32*) covering a PDB RVA (codeRecordAt), or undefined. */
  procRecordAt(pdbRva: number): { mod: number; record: number } | undefined {
    const at = this.codeRecordAt(pdbRva, true);
    return at && at.record >= 0 ? at : undefined;
  }

  /**
   * A module's symbols for a feature building its own index: read into the provider's reused
   * buffer (valid until the next module read through the provider) and not kept.
   */
  readModule(mod: number): ModuleSymbols | undefined {
    return this.moduleStream(mod);
  }

  /**
   * The DBI module whose section contribution covers a PDB RVA, or -1. The first
   * PROBED_LOOKUPS addresses are searched for in the substream itself (SectionContribProbe: a
   * few 4 KiB reads, where reading and parsing the 5.85 MB of the generated big PDB's costs
   * ~75 ms of a cold lookup); then, or when the probe finds the substream out of order, the
   * whole table is parsed and kept (bulk symbolization).
   */
  moduleOfRva(pdbRva: number): number {
    if (pdbRva === this.lastModRva) return this.lastMod;
    const so = this.pdbRvaToSectionOffset(pdbRva);
    let mod = -1;
    if (so) {
      const probed = !this.contribs && ++this.contribLookups <= this.probedLookups ? (this.contribProbe ??= this.pdb.sectionContribProbe()).moduleAt(so.section, so.offset) : undefined;
      mod = probed ?? (this.contribs ??= this.pdb.sectionContribs()).moduleAt(so.section, so.offset);
    }
    this.lastModRva = pdbRva;
    this.lastMod = mod;
    return mod;
  }

  /** A module's symbols, read for an index (not kept by the PDB; the last one is kept here). */
  private moduleStream(mod: number): ModuleSymbols | undefined {
    if (this.lastStream?.mod !== mod) {
      this.lastStream = undefined;
      this.lastStream = { mod, ms: this.pdb.readModuleSymbols(mod, this.scratch) };
    }
    return this.lastStream.ms;
  }

  /**
   * Entry i of a code index as a symbol, decoded from its record's copy. The last one decoded is
   * kept (symbols are not changed by their users): addresses asked in order land in the same
   * procedure one after the other (the bench's 99,543 addresses in 56,648 procedures).
   */
  private codeSymbol(idx: CodeIndex, i: number, q: SymbolQuery, naming: boolean): ModuleSymbol | undefined {
    const last = this.lastCode;
    if (last.idx === idx && last.i === i && last.options === q.options && last.naming === naming) return last.symbol;
    if (idx.copyAt[i] === NOT_COPIED) idx = this.wholeCode(idx);
    const { kind, data } = copiedRecord(idx, i, idx.origin);
    const id = idx.ids[i] || (idx.ids[i] = this.id(idx.stream, idx.records[i]));
    const symbol = this.decodeRecord(kind, data, id, q, naming);
    last.idx = idx;
    last.i = i;
    last.options = q.options;
    last.naming = naming;
    last.symbol = symbol;
    return symbol;
  }
  private readonly lastCode: { idx: CodeIndex | undefined; i: number; options: number; naming: boolean; symbol: ModuleSymbol | undefined } = {
    idx: undefined,
    i: -1,
    options: 0,
    naming: false,
    symbol: undefined,
  };

  /**
   * A module's code index: its top-level procedures, thunks and trampolines by PDB RVA
   * (code-index.ts).
   */
  private moduleCode(mod: number): CodeIndex {
    let idx = this.codeIndex.get(mod);
    if (idx) return idx;
    const ms = this.moduleStream(mod);
    idx = ms ? buildCodeIndex(ms, mod, this.pdb.modules()[mod].symStream, this, this.batch) : NO_CODE;
    this.codeIndex.set(mod, idx);
    return idx;
  }

  /**
   * The whole code index of a module whose index was built for a batch (a record it did not copy
   * is asked for): the same entries in the same order, every record copied; the ids given so far
   * kept.
   */
  private wholeCode(partial: CodeIndex): CodeIndex {
    // A caller may still hold the partial index after another rebuilt it.
    const current = this.codeIndex.get(partial.mod);
    if (current && !current.partial) return current;
    const ms = this.moduleStream(partial.mod)!;
    const idx = buildCodeIndex(ms, partial.mod, partial.stream, this);
    idx.ids.set(partial.ids);
    this.codeIndex.set(partial.mod, idx);
    return idx;
  }

  /**
   * SymbolProvider.beginBatch: these image RVAs (ascending) are looked up next. Indexes built
   * until endBatch may leave out what none of them reaches (rva-batch.ts).
   */
  beginBatch(imageRvas: ArrayLike<number>): void {
    const pdbRvas = new Float64Array(imageRvas.length);
    let n = 0;
    for (let i = 0; i < imageRvas.length; i++) {
      const r = this.toPdbRva(rva(imageRvas[i]));
      if (r !== undefined) pdbRvas[n++] = r;
    }
    // OMAP'd images: PDB RVAs in another order.
    this.batch = new RvaBatch(pdbRvas.subarray(0, n).sort());
    // Past the probed lookups every address reads the publics index and the data index both
    // (fromRva's nearest of three): one pass over the Symbol Records stream builds the two.
    if (n > this.probedLookups && !this.publicsIdx && !this.dataIdx) {
      ({ data: this.dataIdx, publics: this.publicsIdx } = buildGlobalIndexes(this.pdb, this.recordImageRva));
    }
  }
  endBatch(): void {
    this.batch = undefined;
  }

  /** A module stream record as a symbol (procedures, thunks, trampolines, data). */
  moduleSymbol(mod: number, record: number, q: SymbolQuery, naming = false): ModuleSymbol | undefined {
    const ms = this.pdb.moduleSymbols(mod);
    if (!ms) return undefined;
    const stream = this.pdb.modules()[mod].symStream;
    return this.decodeAddressed(ms.symbols, stream, record, q, naming);
  }

  decodeAddressed(symbols: SymbolStream, stream: number, record: number, q: SymbolQuery, naming = false): ModuleSymbol | undefined {
    const { kind, data } = symbols.recordAt(record);
    return this.decodeRecord(kind, data, this.id(stream, record), q, naming);
  }

  /** A record (kind, data) as a symbol with SYMBOL_INFO.Index `index`. */
  private decodeRecord(kind: number, data: Cursor, index: number, q: SymbolQuery, naming: boolean): ModuleSymbol | undefined {
    const fam = symFamily(kind);
    if (fam === SymFamily.Proc) {
      const p = readProc(data);
      const start = this.sectionOffsetToPdbRva(p.segment, p.offset);
      if (start === undefined) return undefined;
      // *_ID procedures name an IPI item, not a TPI type; those are resolved with the type reader.
      const typeIndex = isIdProc(kind) ? 0 : p.typeIndex;
      // Microsoft's dbghelp.dll: procedure names as written (x86 `__SEH_prolog4` too); Flags 0,
      // or FUNC_NO_RETURN for CV_PFLAG_NEVER (corpus oracle: 162 no-return functions, 0x100000).
      const flags = p.flags & CV_PFLAG_NEVER ? SymFlag.FUNC_NO_RETURN : 0;
      return { name: p.name, rva: rva(this.toImageRva(start)), size: p.length, tag: SymTag.Function, flags, typeIndex, index };
    }
    if (fam === SymFamily.Thunk) {
      const t = readThunk(data);
      const start = this.sectionOffsetToPdbRva(t.segment, t.offset);
      if (start === undefined) return undefined;
      // Thunk names are shown as publics' are (`__CxxFrameHandler3` → `_CxxFrameHandler3`); Flags 0.
      return { name: this.names.show(t.name, q.options), rva: rva(this.toImageRva(start)), size: t.length, tag: SymTag.Thunk, flags: 0, typeIndex: 0, index };
    }
    if (kind === S.TRAMPOLINE) {
      const t = readTrampoline(data);
      const start = this.sectionOffsetToPdbRva(t.thunkSection, t.thunkOffset);
      const target = this.sectionOffsetToPdbRva(t.targetSection, t.targetOffset);
      if (start === undefined) return undefined;
      // Only one level: a target that is itself a trampoline is named without its own target.
      const targetName = target === undefined || naming ? undefined : (this.procAt(target, q, true)?.symbol.name ?? this.publicAt(rva(this.toImageRva(target)), q)?.symbol.name);
      const name = targetName ? `ILT+${t.thunkOffset.toString(16)}(${targetName})` : `ILT+${t.thunkOffset.toString(16)}`;
      return { name, rva: rva(this.toImageRva(start)), size: t.size, tag: SymTag.Thunk, flags: 0, typeIndex: 0, index };
    }
    if (fam === SymFamily.Data) {
      const d = readData(data);
      if (isThreadData(kind)) {
        return { name: d.name, rva: rva(d.offset), size: 0, tag: SymTag.Data, flags: SymFlag.TLSREL, typeIndex: d.typeIndex, index };
      }
      const start = this.sectionOffsetToPdbRva(d.segment, d.offset);
      if (start === undefined) return undefined;
      return { name: d.name, rva: rva(this.toImageRva(start)), size: 0, tag: SymTag.Data, flags: 0, typeIndex: d.typeIndex, index };
    }
    if (fam === SymFamily.Constant) {
      const k = readConstant(data);
      return { name: k.name, rva: rva(0), size: 0, tag: SymTag.Data, flags: SymFlag.CONSTANT | SymFlag.VALUEPRESENT, typeIndex: k.typeIndex, index, value: k.value };
    }
    return undefined;
  }

  /** Every public by image RVA (global-index.ts), built on first use: enumeration, bulk lookups. */
  publics(): GlobalIndex {
    return (this.publicsIdx ??= buildPublicsIndex(this.pdb, this.recordImageRva));
  }
  /** Global and file-static data by image RVA (global-index.ts), built on first use. */
  private dataIndex(): GlobalIndex {
    return (this.dataIdx ??= buildDataIndex(this.pdb, this.recordImageRva));
  }
  private readonly recordImageRva: ToImageRva = (section, offset) => {
    const start = this.pdbRva(section, offset);
    return start === undefined ? undefined : this.toImageRva(start);
  };
  /**
   * The public nearest an address (publics-index.ts): the address map probed in place for the
   * first lookups when its order is address order (no OMAP, sections at ascending addresses),
   * else, and after those, publics().
   */
  private nearestPublics(): PublicsIndex {
    if (this.nearPublic) return this.nearPublic;
    if (this.omapTo === undefined) this.omapTo = this.pdb.omapToSrc() ?? null;
    if (this.omapFrom === undefined) this.omapFrom = this.pdb.omapFromSrc() ?? null;
    const map = !this.omapTo && !this.omapFrom && !this.publicsIdx ? this.pdb.publicsAddressMap() : undefined;
    const secs = this.symSections;
    let ascending = true;
    for (let i = 1; i < secs.length; i++) if (secs[i].virtualAddress <= secs[i - 1].virtualAddress) ascending = false;
    const probe = map && ascending ? new PublicsProbe(this.pdb, map, secs.length, this.recordImageRva) : undefined;
    return (this.nearPublic = new PublicsIndex(
      probe,
      () => this.publics(),
      this.probedLookups,
      () => this.publicsIdx,
    ));
  }

  publicAt(target: Rva, q: SymbolQuery): { symbol: ModuleSymbol; displacement: number } | undefined {
    const pubs = this.nearestPublics();
    const best = pubs.nearest(target);
    if (best < 0) return undefined;
    const at = pubs.rva(best);
    return { symbol: this.publicSymbol(pubs.record(best), pubs.size(best), at, q), displacement: target - at };
  }

  publicSymbol(record: number, size: number, imageRva: number, q: SymbolQuery): ModuleSymbol {
    const { data } = this.pdb.symbolRecordAt(record, size);
    const p = readPublic(data);
    // Microsoft's dbghelp.dll: PUBLIC_CODE alone, for publics flagged code or function and for
    // any public in an executable section (`__NLG_Dispatch`, flags none, in .text, is code).
    const flags = p.flags & (CVPSF_CODE | CVPSF_FUNCTION) || this.isCodeSection(p.segment) ? SymFlag.PUBLIC_CODE : 0;
    return {
      name: this.names.show(p.name, q.options),
      rva: rva(imageRva),
      size: 0,
      tag: SymTag.PublicSymbol,
      flags,
      typeIndex: 0,
      index: this.id(this.pdb.dbi?.symRecordStream ?? 0, record),
    };
  }

  /** The public whose record is at `record` in the Symbol Records stream, as a symbol. */
  publicByRecord(record: number, q: SymbolQuery): ModuleSymbol | undefined {
    const recs = this.pdb.symbolRecords();
    const p = readPublic(recs.recordAt(record).data);
    const start = this.sectionOffsetToPdbRva(p.segment, p.offset);
    if (start === undefined) return undefined;
    return this.publicSymbol(record, recs.recordBytes(record).length, this.toImageRva(start), q);
  }

  // --- lines ----------------------------------------------------------------------------

  /**
   * SymGetLineFromAddr64: the line entry at or below the address within the same line section
   * of the module that contributed the address (section contributions, as for procedures).
   */
  lineFromRva(target: Rva, _q: SymbolQuery): LineHit | undefined {
    const pdbRva = this.toPdbRva(target);
    if (pdbRva === undefined) return undefined;
    const mod = this.moduleOfRva(pdbRva);
    if (mod < 0) return undefined;
    let idx = this.lineIndex.get(mod);
    if (!idx) this.lineIndex.set(mod, (idx = this.buildLines(mod, this.batch)));
    if (leftOutAt(idx, pdbRva)) idx = this.moduleLines(mod);
    const best = lineEntryAt(idx, pdbRva);
    if (best < 0) return undefined;
    const names = this.pdb.names();
    if (!names) throw badFormat(this.pdb.name, 0, 'line tables name files, but the PDB has no /names stream');
    const start = startOf(idx, best);
    const imageRva = this.toImageRva(start);
    return {
      fileName: names.get(fileOf(idx, best)),
      lineNumber: idx.lines[best],
      rva: rva(imageRva),
      displacement: imageRva <= target ? target - imageRva : pdbRva - start,
    };
  }

  /**
   * A module's line entries sorted by PDB RVA (ties in stream order), built from its C13 block
   * on first use; the module stream is not kept.
   */
  moduleLines(mod: number): LineIndex {
    let idx = this.lineIndex.get(mod);
    if (idx && !idx.skippedStart.length) return idx;
    idx = this.buildLines(mod, undefined);
    this.lineIndex.set(mod, idx);
    return idx;
  }

  /** A module's line index, built now; with a batch, without the line sections it does not reach. */
  private buildLines(mod: number, batch: RvaBatch | undefined): LineIndex {
    const info = this.pdb.modules()[mod];
    const ms = info && info.c13ByteSize > 0 ? this.moduleStream(mod) : undefined;
    if (!ms) return NO_LINES;
    // The table is scratch reused across modules (growing its arrays for each cost more than
    // decoding them); the index copies what it keeps.
    const keep = batch && ((start: number, length: number) => batch.holdsAny(start, length));
    this.lineScratch = readC13LineTable(ms.c13Block(info.c11ByteSize, info.c13ByteSize), (section, offset) => this.pdbRva(section, offset), this.lineScratch, keep);
    return buildLineIndex(this.lineScratch);
  }

  // --- by name --------------------------------------------------------------------------

  /** SymFromName (pdb-by-name.ts). */
  fromName(name: string, q: SymbolQuery): ModuleSymbol | undefined {
    return (this.byName ??= new (byNameModule().PdbNameLookup)(this, this.names)).fromName(name, q);
  }

  // --- enumeration ----------------------------------------------------------------------

  /** SymEnumSymbols' list, in dbghelp.dll's order and selection (pdb-enumerate.ts). */
  enumerate(q: SymbolQuery, match?: (name: string) => boolean): IterableIterator<ModuleSymbol> {
    return enumerateModule().enumeratePdb(this, q, match);
  }
}
