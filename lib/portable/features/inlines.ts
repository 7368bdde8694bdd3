/**
 * Inline frames: SymAddrIncludeInlineTrace, SymQueryInlineTrace, SymFromInlineContext,
 * SymGetLineFromInlineContext, from a module's S_INLINESITE records.
 *
 * Per PDB module, on the first query that lands in it, one walk of its symbol stream records
 * the procedures that hold inline sites and the nesting of those sites (blocks are looked
 * through; an S_INLINESITE's parent is the nearest enclosing inline site). A site's binary
 * annotations are run the first time a lookup reaches it (formats/codeview/inline-annotations.ts)
 * and give its code ranges with the inlinee's line and file; DEBUG_S_INLINEELINES gives the
 * inlinee's first line and file (formats/codeview/inlinee-lines.ts); the IPI LF_FUNC_ID /
 * LF_MFUNC_ID item its name.
 *
 * The chain at an address is found from the procedure down: the first site (stream order)
 * among the procedure's sites whose ranges hold the address, then the first among that site's
 * children, and so on (a parent's ranges cover its children's code, with the call-site line).
 *
 * Inline contexts (the INLINE_FRAME_CONTEXT DWORD of StackWalkEx and SymQueryInlineTrace):
 *   bits 0-7   FrameId: 0 for the innermost inline frame, +1 per frame outwards, so callers
 *              walk a chain with `curContext + i` for i < SymAddrIncludeInlineTrace(address)
 *   bits 8-15  FrameType: STACK_FRAME_TYPE_INLINE (0x02)
 *   bits 16-31 FrameSignature: a 16-bit hash of the module and the innermost site's record, so
 *              a context used at an address of another chain is recognised as foreign
 * A context that is not an inline one (INIT 0, IGNORE 0xffffffff, FrameType without 0x02), a
 * foreign one, or a FrameId past the chain names the physical frame: SymFromInlineContext
 * answers as SymFromAddr and SymGetLineFromInlineContext as SymGetLineFromAddr64 (what
 * dbghelp.dll was observed to do). See ARCHITECTURE.md "Inline frames".
 */
import { SymTag } from '../../api/constants';
import { badFormat, DbgHelpError } from '../../api/errors';
import type { FromAddrResult, InlineTraceQuery, InlineTraceResult, LineInfo, SymbolInfo } from '../../api/types';
import { rva } from '../../formats/binary/address';
import type { Cursor } from '../../formats/binary/cursor';
import { crossScopeParts, isCrossScopeId, readCrossScopeExports, readCrossScopeImports, type CrossScopeImport } from '../../formats/codeview/cross-scope-ids';
import { inlineRanges, readBinaryAnnotations } from '../../formats/codeview/inline-annotations';
import { readInlineSite } from '../../formats/codeview/inline-site';
import { checksumFileNameOffset, findInlineeSubsections, readInlineeLines, type InlineeSourceLine } from '../../formats/codeview/inlinee-lines';
import { opensScope, SymFamily, symFamily } from '../../formats/codeview/symbol-kinds';
import type { SymbolStream } from '../../formats/pdb/symbol-stream';
import type { LoadedModule } from '../loaded-module';
import type { PdbProvider } from '../pdb-provider';
import { pdbOf, type HandlerContext } from './context';
import { lastAtOrBelow, lastWhere } from '../../formats/binary/search';

/** INLINE_FRAME_CONTEXT.FrameType of an inline frame (dbghelp.h STACK_FRAME_TYPE_INLINE). */
export const STACK_FRAME_TYPE_INLINE = 0x02;
const INLINE_FRAME_CONTEXT_IGNORE = 0xffffffff;
/** FrameId is a byte: deeper chains are cut at this many frames (outermost kept). */
export const MAX_INLINE_DEPTH = 255;

/** An S_INLINESITE of a module and its place in the nesting. */
interface Site {
  record: number;
  kind: number;
  /** Index of the procedure (in ModuleInlines.procs) whose code the site's offsets are in. */
  proc: number;
  /** Sites nested directly in this one, in stream order. */
  children: number[];
}

/** A procedure (or separated code block) that holds inline sites. */
interface Proc {
  /** PDB RVA of its first byte. */
  start: number;
  length: number;
  /** Its outermost inline sites, in stream order. */
  sites: number[];
}

/** A site's code ranges as PDB RVAs, sorted by start; line and file per range. */
interface SiteRanges {
  starts: Uint32Array;
  ends: Uint32Array;
  lines: Uint32Array;
  /** File checksum offset per range; NO_FILE when the inlinee has no DEBUG_S_INLINEELINES entry. */
  fileIds: Uint32Array;
  inlinee: number;
}
const NO_FILE = 0xffffffff;

/** One frame of a chain: the site and the range holding the address. */
interface Hit {
  site: number;
  /** Where the site's first code range starts: its SYMBOL_INFO.Address. */
  siteStart: number;
  rangeStart: number;
  line: number;
  fileId: number;
  inlinee: number;
}

interface Chain {
  mod: number;
  state: ModuleInlines;
  /** Outermost first. */
  hits: Hit[];
  /** FrameSignature of the chain's contexts. */
  signature: number;
}

/** What a module's C13 subsections say about inlinees (read on first use). */
interface C13Data {
  inlinees: Map<number, InlineeSourceLine>;
  checksums: Cursor | undefined;
  importsAt: Cursor | undefined;
  exportsAt: Cursor | undefined;
  imports: CrossScopeImport[] | undefined;
}

/** Everything known about the inline sites of one PDB module. */
class ModuleInlines {
  readonly procs: Proc[] = [];
  private procStarts: Uint32Array | undefined;
  readonly sites: Site[] = [];
  private readonly ranges = new Map<number, SiteRanges>();
  private c13: C13Data | undefined;
  private exports: Map<number, number> | undefined;

  constructor(
    private readonly provider: PdbProvider,
    readonly mod: number,
  ) {}

  /** The procedures with inline sites, sorted by start (one walk of the module, on first use). */
  private starts(): Uint32Array {
    if (this.procStarts) return this.procStarts;
    const ms = this.provider.pdb.moduleSymbols(this.mod);
    try {
      if (ms) this.walk(ms.symbols);
    } catch (e) {
      // A malformed stream leaves no half-built index behind: the next query fails the same way.
      this.procs.length = 0;
      this.sites.length = 0;
      throw e;
    }
    const order = this.procs.map((_, i) => i).sort((a, b) => this.procs[a].start - this.procs[b].start || a - b);
    const sorted = order.map((i) => this.procs[i]);
    const newIndex = new Uint32Array(order.length);
    order.forEach((old, i) => (newIndex[old] = i));
    for (const site of this.sites) site.proc = newIndex[site.proc];
    this.procs.splice(0, this.procs.length, ...sorted);
    this.procStarts = Uint32Array.from(this.procs, (p) => p.start);
    return this.procStarts;
  }

  /**
   * One pass over the module's records with a scope stack. Each entry remembers the code
   * scope (procedure or separated code) and the innermost inline site it is in.
   */
  private walk(symbols: SymbolStream): void {
    interface Scope {
      /** Index in procs, -1 when not yet needed (no site seen), -2 outside code. */
      proc: number;
      start: number;
      length: number;
      site: number;
      /** The scope record that made `proc` (to share one Proc between nested scopes). */
      owner: Scope | undefined;
    }
    const stack: Scope[] = [];
    symbols.forEach((kind, offset) => {
      const fam = symFamily(kind);
      if (fam === SymFamily.End) {
        stack.pop();
        return;
      }
      if (!opensScope(fam)) return;
      const top = stack[stack.length - 1];
      let scope: Scope;
      if (fam === SymFamily.Proc || fam === SymFamily.SepCode) {
        const { data } = symbols.recordAt(offset);
        let section: number;
        let off: number;
        let length: number;
        if (fam === SymFamily.Proc) {
          // PROCSYM32: parent, end, next, len, dbgStart, dbgEnd, typind, off, seg
          data.skip(12);
          length = data.u32();
          data.skip(12);
          off = data.u32();
          section = data.u16();
        } else {
          // SEPCODESYM: parent, end, length, scf, off, offParent, sect, sectParent
          data.skip(8);
          length = data.u32();
          data.skip(4);
          off = data.u32();
          data.skip(4);
          section = data.u16();
        }
        const start = this.provider.sectionOffsetToPdbRva(section, off);
        scope = { proc: start === undefined ? -2 : -1, start: start ?? 0, length, site: -1, owner: undefined };
        scope.owner = scope;
      } else if (fam === SymFamily.Inline) {
        const owner = top?.owner;
        if (!top || !owner || owner.proc === -2) {
          // An inline site outside any procedure has no code to be in.
          scope = { proc: -2, start: 0, length: 0, site: -1, owner: undefined };
        } else {
          if (owner.proc === -1) {
            owner.proc = this.procs.length;
            this.procs.push({ start: owner.start, length: owner.length, sites: [] });
          }
          const site = this.sites.length;
          this.sites.push({ record: offset, kind, proc: owner.proc, children: [] });
          if (top.site >= 0) this.sites[top.site].children.push(site);
          else this.procs[owner.proc].sites.push(site);
          scope = { ...top, site };
        }
      } else if (fam === SymFamily.Thunk) {
        scope = { proc: -2, start: 0, length: 0, site: -1, owner: undefined };
      } else {
        // Blocks: same code scope, same enclosing site.
        scope = top ? { ...top } : { proc: -2, start: 0, length: 0, site: -1, owner: undefined };
      }
      stack.push(scope);
    });
  }

  /** The site whose S_INLINESITE is at a record offset, or -1. */
  siteAt(record: number): number {
    this.starts();
    const sites = this.sites;
    // Sites are numbered in stream order, so their records are sorted.
    const i = lastWhere(sites.length, (k) => sites[k].record <= record);
    return i >= 0 && sites[i].record === record ? i : -1;
  }

  /** The procedure holding a PDB RVA, among those with inline sites. */
  procAt(pdbRva: number): number {
    const starts = this.starts();
    let i = lastAtOrBelow(starts, pdbRva);
    // Procedures sharing a start (folded code): the first whose extent holds the address.
    while (i > 0 && starts[i - 1] === starts[i]) i--;
    for (; i >= 0 && i < this.procs.length && starts[i] <= pdbRva; i++) {
      const p = this.procs[i];
      if (pdbRva - p.start < p.length) return i;
    }
    return -1;
  }

  /** The site's range holding a PDB RVA (index into its ranges), or -1. */
  rangeAt(site: number, pdbRva: number): number {
    const r = this.siteRanges(site);
    const i = lastAtOrBelow(r.starts, pdbRva);
    return i >= 0 && pdbRva < r.ends[i] ? i : -1;
  }

  siteRanges(site: number): SiteRanges {
    let r = this.ranges.get(site);
    if (r) return r;
    const s = this.sites[site];
    const proc = this.procs[s.proc];
    const { data } = this.provider.pdb.moduleSymbols(this.mod)!.symbols.recordAt(s.record);
    const rec = readInlineSite(s.kind, data);
    const entry = this.inlineeLines().get(rec.inlinee);
    const raw = inlineRanges(readBinaryAnnotations(rec.annotations), entry?.line ?? 0, entry?.fileId ?? NO_FILE);
    // Only the procedure's main body (chunk 0), non-empty, inside the procedure.
    const rows = raw
      .filter((x) => x.chunk === 0 && x.length > 0 && x.offset < proc.length)
      .map((x) => ({ start: proc.start + x.offset, end: proc.start + Math.min(x.offset + x.length, proc.length), line: x.line, fileId: entry ? x.fileId : NO_FILE }))
      .sort((a, b) => a.start - b.start);
    r = {
      starts: Uint32Array.from(rows, (x) => x.start),
      ends: Uint32Array.from(rows, (x) => x.end),
      lines: Uint32Array.from(rows, (x) => x.line),
      fileIds: Uint32Array.from(rows, (x) => x.fileId),
      inlinee: rec.inlinee,
    };
    this.ranges.set(site, r);
    return r;
  }

  /** DEBUG_S_INLINEELINES of the module, by inlinee item (read on first use). */
  private inlineeLines(): Map<number, InlineeSourceLine> {
    return this.c13Data().inlinees;
  }

  /** The /names offset of a file checksum offset of this module. */
  fileNameOffset(fileId: number): number {
    const { checksums } = this.c13Data();
    const pdb = this.provider.pdb;
    if (!checksums) throw badFormat(pdb.name, 0, `module ${this.mod} names inlinee files but has no file checksum subsection`);
    return checksumFileNameOffset(checksums, fileId);
  }

  /** The module's cross-scope imports (LTCG): what its 0x8xxxxxxx item ids refer to. */
  crossScopeImports(): CrossScopeImport[] {
    const d = this.c13Data();
    if (!d.imports) d.imports = d.importsAt ? readCrossScopeImports(d.importsAt) : [];
    return d.imports;
  }

  /** The module's cross-scope exports: its local item ids → IPI indices. */
  crossScopeExports(): Map<number, number> {
    if (this.exports) return this.exports;
    const at = this.c13Data().exportsAt;
    this.exports = at ? readCrossScopeExports(at) : new Map();
    return this.exports;
  }

  private c13Data(): C13Data {
    if (this.c13) return this.c13;
    const pdb = this.provider.pdb;
    const info = pdb.modules()[this.mod];
    const ms = pdb.moduleSymbols(this.mod);
    const inlinees = new Map<number, InlineeSourceLine>();
    const d: C13Data = { inlinees, checksums: undefined, importsAt: undefined, exportsAt: undefined, imports: undefined };
    if (ms && info.c13ByteSize > 0) {
      const found = findInlineeSubsections(ms.c13Block(info.c11ByteSize, info.c13ByteSize));
      d.checksums = found.checksums;
      d.importsAt = found.crossScopeImports;
      d.exportsAt = found.crossScopeExports;
      for (const body of found.inlineeLines) {
        for (const e of readInlineeLines(body)) if (!inlinees.has(e.inlinee)) inlinees.set(e.inlinee, e);
      }
    }
    this.c13 = d;
    return d;
  }
}

/** Per-PDB state: module indexes, names, and the last chain asked for. */
class PdbInlines {
  private readonly modules = new Map<number, ModuleInlines>();
  private readonly names = new Map<number, { name: string; typeIndex: number }>();
  private last: { pdbRva: number; chain: Chain | undefined } | undefined;
  private byName: Map<string, number> | undefined;

  constructor(private readonly provider: PdbProvider) {}

  chainAt(pdbRva: number): Chain | undefined {
    if (this.last && this.last.pdbRva === pdbRva) return this.last.chain;
    const chain = this.find(pdbRva);
    this.last = { pdbRva, chain };
    return chain;
  }

  private find(pdbRva: number): Chain | undefined {
    const p = this.provider;
    const so = p.pdbRvaToSectionOffset(pdbRva);
    if (!so) return undefined;
    const mod = p.pdb.sectionContribs().moduleAt(so.section, so.offset);
    if (mod < 0) return undefined;
    const state = this.module(mod);
    const proc = state.procAt(pdbRva);
    if (proc < 0) return undefined;
    const hits: Hit[] = [];
    let candidates = state.procs[proc].sites;
    while (hits.length < MAX_INLINE_DEPTH) {
      let next = -1;
      for (const site of candidates) {
        const i = state.rangeAt(site, pdbRva);
        if (i < 0) continue;
        const r = state.siteRanges(site);
        hits.push({ site, siteStart: r.starts[0], rangeStart: r.starts[i], line: r.lines[i], fileId: r.fileIds[i], inlinee: r.inlinee });
        next = site;
        break;
      }
      if (next < 0) break;
      candidates = state.sites[next].children;
    }
    if (!hits.length) return undefined;
    return { mod, state, hits, signature: signature(mod, state.sites[hits[hits.length - 1].site].record) };
  }

  /**
   * An S_INLINESITE as a symbol (SymGetTypeInfo on its id): the inlinee's name and function
   * type, and the PDB RVA where its first code range starts (Wine's TI_GET_ADDRESS of an
   * inline site: its first range's start); no start for a site without code.
   */
  siteFacts(mod: number, record: number, kind: number, data: Cursor): { name: string; typeIndex: number; start: number | undefined } {
    const { inlinee } = readInlineSite(kind, data);
    const { name, typeIndex } = this.name(mod, inlinee);
    const state = this.module(mod);
    const site = state.siteAt(record);
    const ranges = site < 0 ? undefined : state.siteRanges(site);
    return { name, typeIndex, start: ranges && ranges.starts.length ? ranges.starts[0] : undefined };
  }

  private module(mod: number): ModuleInlines {
    let state = this.modules.get(mod);
    if (!state) {
      state = new ModuleInlines(this.provider, mod);
      this.modules.set(mod, state);
    }
    return state;
  }

  /** The inlinee's qualified name and function type (IPI LF_FUNC_ID / LF_MFUNC_ID). */
  name(mod: number, inlinee: number): { name: string; typeIndex: number } {
    const item = this.resolve(mod, inlinee);
    let n = this.names.get(item);
    if (n) return n;
    const ipi = this.provider.pdb.ipi();
    if (!ipi) n = { name: `<inlinee 0x${item.toString(16)}>`, typeIndex: 0 };
    else n = { name: ipi.functionIdName(item), typeIndex: ipi.functionType(item) };
    this.names.set(item, n);
    return n;
  }

  /** An item id as an IPI index: cross-scope ids go through the imports and the exporter's exports. */
  private resolve(mod: number, id: number): number {
    if (!isCrossScopeId(id)) return id;
    const pdb = this.provider.pdb;
    const { imod, index } = crossScopeParts(id);
    const imp = this.module(mod).crossScopeImports()[imod];
    if (!imp || index >= imp.localIds.length) {
      throw badFormat(pdb.name, 0, `module ${mod} refers to cross-module item 0x${id.toString(16)}, which its DEBUG_S_CROSSSCOPEIMPORTS does not list`);
    }
    const moduleName = pdb.names()?.get(imp.moduleNameOffset);
    const from = moduleName === undefined ? -1 : this.moduleNamed(moduleName);
    const global = from < 0 ? undefined : this.module(from).crossScopeExports().get(imp.localIds[index]);
    if (global === undefined) {
      throw badFormat(pdb.name, 0, `cross-module item 0x${id.toString(16)} of module ${mod} (id 0x${imp.localIds[index].toString(16)} of ${moduleName ?? 'an unnamed module'}) is not exported by any module`);
    }
    return global;
  }

  /** A module by its object file name (case-insensitive; cross-scope imports name modules so). */
  private moduleNamed(name: string): number {
    if (!this.byName) {
      this.byName = new Map();
      for (const m of this.provider.pdb.modules()) {
        const k = m.moduleName.toLowerCase();
        if (!this.byName.has(k)) this.byName.set(k, m.index);
      }
    }
    return this.byName.get(name.toLowerCase()) ?? -1;
  }
}

/** FNV-1a over the module index and the record offset, folded to 16 bits. */
function signature(mod: number, record: number): number {
  let h = 0x811c9dc5;
  for (const v of [mod, record]) {
    for (let k = 0; k < 4; k++) {
      h ^= (v >>> (8 * k)) & 0xff;
      h = Math.imul(h, 0x01000193) >>> 0;
    }
  }
  return ((h >>> 16) ^ h) & 0xffff;
}

export function encodeInlineContext(signature: number, frameId: number): number {
  return (((signature & 0xffff) << 16) | (STACK_FRAME_TYPE_INLINE << 8) | (frameId & 0xff)) >>> 0;
}

/** The parts of an inline context, or undefined for contexts that name no inline frame. */
export function decodeInlineContext(ctx: number): { signature: number; frameId: number } | undefined {
  if (ctx === INLINE_FRAME_CONTEXT_IGNORE || !((ctx >>> 8) & STACK_FRAME_TYPE_INLINE)) return undefined;
  return { signature: ctx >>> 16, frameId: ctx & 0xff };
}

interface Located {
  module: LoadedModule;
  provider: PdbProvider;
  state: PdbInlines;
  chain: Chain;
}

function locate(h: HandlerContext, address: bigint): Located | undefined {
  const module = h.moduleAt(address);
  const provider = pdbOf(module);
  if (!module || !provider) return undefined;
  const pdbRva = provider.toPdbRva(rva(Number(address - module.base)));
  if (pdbRva === undefined) return undefined;
  const state = provider.memo('inlines', () => new PdbInlines(provider));
  const chain = state.chainAt(pdbRva);
  return chain ? { module, provider, state, chain } : undefined;
}

/** The frame a context names at an address: outermost-first index into the chain, or -1. */
function frameOf(loc: Located | undefined, ctx: number): number {
  const d = decodeInlineContext(ctx);
  if (!loc || !d || d.signature !== loc.chain.signature) return -1;
  const depth = loc.chain.hits.length;
  return d.frameId < depth ? depth - 1 - d.frameId : -1;
}

/**
 * SymSetScopeFromInlineContext: the inline frame a context names at an address, as its DBI
 * module and S_INLINESITE record; undefined when the context names the physical frame (INIT,
 * IGNORE, another chain's context, a FrameId past the chain: the same rule as
 * SymFromInlineContext).
 */
export function inlineFrameAt(h: HandlerContext, address: bigint, ctx: number): { mod: number; record: number } | undefined {
  const loc = decodeInlineContext(ctx) ? locate(h, address) : undefined;
  const frame = frameOf(loc, ctx);
  if (!loc || frame < 0) return undefined;
  return { mod: loc.chain.mod, record: loc.chain.state.sites[loc.chain.hits[frame].site].record };
}

/** The inline-site facts of a record (see PdbInlines.siteFacts), with the provider's per-PDB state. */
export function inlineSiteFacts(provider: PdbProvider, mod: number, record: number, kind: number, data: Cursor): { name: string; typeIndex: number; start: number | undefined } {
  return provider.memo('inlines', () => new PdbInlines(provider)).siteFacts(mod, record, kind, data);
}

/** Image VA of a PDB RVA in a located module, and the displacement of `address` from it. */
function place(loc: Located, address: bigint, pdbStart: number): { address: bigint; displacement: bigint } {
  const start = loc.module.base + BigInt(loc.provider.toImageRva(pdbStart));
  if (start <= address) return { address: start, displacement: address - start };
  // Reordered (OMAP) code moved before the range's start: the distance in the PDB's layout.
  const pdbAt = loc.provider.toPdbRva(rva(Number(address - loc.module.base))) ?? pdbStart;
  return { address: start, displacement: BigInt(pdbAt - pdbStart) };
}

/** SymFromAddr / SymGetLineFromAddr64: what the physical frame answers. */
function physicalSymbol(h: HandlerContext, address: bigint): FromAddrResult | undefined {
  return h.fromAddr?.(address);
}
function physicalLine(h: HandlerContext, address: bigint): LineInfo | undefined {
  return h.getLineFromAddr?.(address);
}

export function addrIncludeInlineTrace(h: HandlerContext, address: bigint): number {
  return locate(h, address)?.chain.hits.length ?? 0;
}

export function queryInlineTrace(h: HandlerContext, q: InlineTraceQuery): InlineTraceResult | undefined {
  // SymQueryInlineTrace: "Either the StartAddress or StartRetAddress parameters must be within
  // the same function scope as the CurAddress parameter." (Trivially so when one is CurAddress.)
  if (q.startAddress !== q.curAddress && q.startRetAddress !== q.curAddress) {
    const cur = physicalSymbol(h, q.curAddress);
    if (!cur) return undefined;
    const sameFunction = (a: bigint) => {
      const s = physicalSymbol(h, a);
      return s !== undefined && s.symbol.modBase === cur.symbol.modBase && s.symbol.address === cur.symbol.address;
    };
    if (!sameFunction(q.startAddress) && !sameFunction(q.startRetAddress)) {
      throw new DbgHelpError(
        'INVALID_PARAMETER',
        `queryInlineTrace: neither startAddress 0x${q.startAddress.toString(16)} nor startRetAddress 0x${q.startRetAddress.toString(16)} is in the function at curAddress 0x${q.curAddress.toString(16)} (${cur.symbol.name})`,
      );
    }
  }
  const loc = locate(h, q.curAddress);
  // No inline frame here: the physical frame's context (INLINE_FRAME_CONTEXT_INIT).
  if (!loc) return physicalSymbol(h, q.curAddress) ? { curContext: 0, curFrameIndex: 0 } : undefined;
  // A start context naming a frame of this chain is where the walk stands; else the innermost.
  const start = frameOf(loc, q.startContext);
  const frameId = start < 0 ? 0 : loc.chain.hits.length - 1 - start;
  return { curContext: encodeInlineContext(loc.chain.signature, frameId), curFrameIndex: frameId };
}

export function fromInlineContext(h: HandlerContext, address: bigint, ctx: number): FromAddrResult | undefined {
  const loc = decodeInlineContext(ctx) ? locate(h, address) : undefined;
  const frame = frameOf(loc, ctx);
  if (!loc || frame < 0) return physicalSymbol(h, address);
  const hit = loc.chain.hits[frame];
  const { name, typeIndex } = loc.state.name(loc.chain.mod, hit.inlinee);
  // Microsoft's dbghelp.dll: the symbol is at the start of the site's first range, wherever the
  // range holding the address is (corpus oracle inlines[].rva); the line at its own range's.
  const at = place(loc, address, hit.siteStart);
  const stream = loc.provider.pdb.modules()[loc.chain.mod].symStream;
  const symbol: SymbolInfo = {
    typeIndex,
    index: loc.provider.id(stream, loc.chain.state.sites[hit.site].record),
    size: 0,
    modBase: loc.module.base,
    flags: 0,
    value: 0n,
    address: at.address,
    register: 0,
    scope: 0,
    tag: SymTag.InlineSite,
    nameLen: name.length,
    name,
  };
  return { symbol, displacement: at.displacement };
}

export function getLineFromInlineContext(h: HandlerContext, address: bigint, ctx: number): LineInfo | undefined {
  const loc = decodeInlineContext(ctx) ? locate(h, address) : undefined;
  const frame = frameOf(loc, ctx);
  if (!loc || frame < 0) return physicalLine(h, address);
  const hit = loc.chain.hits[frame];
  if (hit.fileId === NO_FILE) return undefined;
  const names = loc.provider.pdb.names();
  if (!names) throw badFormat(loc.provider.pdb.name, 0, 'inline line tables name files, but the PDB has no /names stream');
  const at = place(loc, address, hit.rangeStart);
  return {
    fileName: names.get(loc.chain.state.fileNameOffset(hit.fileId)),
    lineNumber: hit.line,
    address: at.address,
    displacement: Number(at.displacement),
  };
}
