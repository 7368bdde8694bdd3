/**
 * Per-PDB inline state: each module's inline index (inline-index.ts, built on the first query
 * landing in the module), the inlinees' names, and the chain at the last address asked for (a
 * DbgHelp-style walk asks 2 + 2n questions about one address), held in reused typed arrays.
 *
 * The chain at an address is found from the procedure down: the provider names the code record
 * covering the address (its choice among folded procedures is the inline sites' too); among that
 * procedure's sites, the first (stream order) whose ranges hold the address, then the first
 * among that site's children, and so on (a parent's ranges cover its children's code, with the
 * call-site line). Sites inside an S_SEPCODE block count from that block's start and are found
 * by the block's extent.
 */
import { badFormat } from '../../api/errors';
import { crossScopeParts, isCrossScopeId } from '../../formats/codeview/cross-scope-ids';
import type { PdbProvider } from '../pdb-provider';
import { buildInlineIndex, type ModuleInlineIndex } from './inline-index';
import { crossScopeExports, crossScopeImports, isPartial, leftOut, ownerAtRecord, rangeHolding, sepOwnerAt } from './inline-index-queries';
import type { RvaBatch } from '../rva-batch';

/** FrameId is a byte: deeper chains are cut at this many frames (outermost kept). */
export const MAX_INLINE_DEPTH = 255;

export class PdbInlines {
  private readonly modules = new Map<number, ModuleInlineIndex>();
  private readonly names = new Map<number, { name: string; typeIndex: number }>();
  private byName: Map<string, number> | undefined;
  private lastRva = -1;
  /** The chain at `lastRva`: its module's index, depth, and per frame (outermost first) the site and the range holding the address. */
  idx: ModuleInlineIndex | undefined;
  depth = 0;
  readonly sites = new Int32Array(MAX_INLINE_DEPTH);
  readonly ranges = new Int32Array(MAX_INLINE_DEPTH);
  /** FrameSignature of the chain's contexts. */
  signature = 0;
  /** inlineFramesAt's last name and file per depth, for sites and files of module index `idx`. */
  readonly frameMemo = {
    idx: undefined as ModuleInlineIndex | undefined,
    site: new Int32Array(MAX_INLINE_DEPTH).fill(-1),
    name: new Array<string>(MAX_INLINE_DEPTH).fill(''),
    file: new Float64Array(MAX_INLINE_DEPTH).fill(-1),
    fileName: new Array<string>(MAX_INLINE_DEPTH).fill(''),
  };

  constructor(private readonly provider: PdbProvider) {}

  /** The chain at a PDB RVA into this object's fields; its depth (0: no inline frame). */
  chainAt(pdbRva: number): number {
    if (pdbRva === this.lastRva) return this.depth;
    // A failed search leaves no chain behind: the next question searches (and fails) again.
    this.lastRva = -1;
    this.depth = 0;
    this.idx = undefined;
    this.find(pdbRva);
    this.lastRva = pdbRva;
    return this.depth;
  }

  private find(pdbRva: number): void {
    const at = this.provider.codeRecordAt(pdbRva);
    if (!at) return;
    let idx = this.anyModule(at.mod);
    if (leftOut(idx, at.record)) idx = this.module(at.mod);
    let o = at.record < 0 ? -1 : ownerAtRecord(idx, at.record);
    if (o < 0 && at.record < 0 && idx.sepOwners.length) o = sepOwnerAt(idx, pdbRva);
    if (o < 0) return;
    const { siteOwner, siteParent, siteSkip, siteStart, siteEnd } = idx;
    let cur = -1;
    let i = idx.ownerFirst[o];
    let end = idx.ownerEnd[o];
    let depth = 0;
    while (i < end && depth < MAX_INLINE_DEPTH) {
      // A site whose extent misses, another owner's site or a deeper one: skip it and its subtree.
      if (pdbRva >= siteEnd[i] || pdbRva < siteStart[i] || siteOwner[i] !== o || siteParent[i] !== cur) {
        i = siteSkip[i];
        continue;
      }
      const r = rangeHolding(idx, i, pdbRva);
      if (r < 0) {
        i = siteSkip[i];
        continue;
      }
      this.sites[depth] = i;
      this.ranges[depth] = r;
      depth++;
      cur = i;
      end = siteSkip[i];
      i++;
    }
    if (!depth) return;
    this.idx = idx;
    this.depth = depth;
    this.signature = signature(at.mod, idx.siteRecord[this.sites[depth - 1]]);
  }

  /** A module's inline index, whole: built from one read of its stream on first use. */
  module(mod: number): ModuleInlineIndex {
    const idx = this.modules.get(mod);
    return idx && !isPartial(idx) ? idx : this.build(mod, undefined);
  }

  /**
   * A module's inline index as built first: during a batch (PdbProvider.batch), without the
   * sites of code scopes the batch does not reach (leftOut says when a search needs them).
   */
  private anyModule(mod: number): ModuleInlineIndex {
    return this.modules.get(mod) ?? this.build(mod, this.provider.batch);
  }

  private build(mod: number, batch: RvaBatch | undefined): ModuleInlineIndex {
    const p = this.provider;
    const info = p.pdb.modules()[mod];
    const ms = info ? p.readModule(mod) : undefined;
    const c13 = ms && info.c13ByteSize > 0 ? ms.c13Block(info.c11ByteSize, info.c13ByteSize) : undefined;
    const idx = ms ? buildInlineIndex(mod, ms, c13, (section, offset) => p.sectionOffsetToPdbRva(section, offset), batch) : buildEmpty(mod);
    this.modules.set(mod, idx);
    return idx;
  }

  /** The inlinee's qualified name and function type (IPI LF_FUNC_ID / LF_MFUNC_ID). */
  name(mod: number, inlinee: number): { name: string; typeIndex: number } {
    const item = this.resolve(mod, inlinee);
    let n = this.names.get(item);
    if (n) return n;
    const ipi = this.provider.pdb.ipi();
    if (!ipi) n = { name: `<inlinee 0x${item.toString(16)}>`, typeIndex: 0 };
    else {
      const f = ipi.functionId(item);
      n = { name: f.name, typeIndex: f.type };
    }
    this.names.set(item, n);
    return n;
  }

  /** An item id as an IPI index: cross-scope ids go through the imports and the exporter's exports. */
  private resolve(mod: number, id: number): number {
    if (!isCrossScopeId(id)) return id;
    const pdb = this.provider.pdb;
    const { imod, index } = crossScopeParts(id);
    const imp = crossScopeImports(this.anyModule(mod))[imod];
    if (!imp || index >= imp.localIds.length) {
      throw badFormat(pdb.name, 0, `module ${mod} refers to cross-module item 0x${id.toString(16)}, which its DEBUG_S_CROSSSCOPEIMPORTS does not list`);
    }
    const moduleName = pdb.names()?.get(imp.moduleNameOffset);
    const from = moduleName === undefined ? -1 : this.moduleNamed(moduleName);
    const global = from < 0 ? undefined : crossScopeExports(this.anyModule(from)).get(imp.localIds[index]);
    if (global === undefined) {
      throw badFormat(
        pdb.name,
        0,
        `cross-module item 0x${id.toString(16)} of module ${mod} (id 0x${imp.localIds[index].toString(16)} of ${moduleName ?? 'an unnamed module'}) is not exported by any module`,
      );
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

const NONE32 = new Uint32Array(0);
function buildEmpty(mod: number): ModuleInlineIndex {
  return {
    mod,
    siteRecord: NONE32,
    siteParent: new Int32Array(0),
    siteSkip: NONE32,
    siteOwner: NONE32,
    siteInlinee: NONE32,
    siteStart: NONE32,
    siteEnd: NONE32,
    rangeFirst: Uint32Array.of(0),
    rangeStart: NONE32,
    rangeEnd: NONE32,
    rangeLine: NONE32,
    rangeFile: NONE32,
    ownerRecord: NONE32,
    ownerStart: NONE32,
    ownerLength: NONE32,
    ownerFirst: NONE32,
    ownerEnd: NONE32,
    sepOwners: NONE32,
    skipped: NONE32,
    skippedSep: false,
    checksums: undefined,
    crossImports: undefined,
    crossExports: undefined,
  };
}

/** FNV-1a over the module index and the record offset, folded to 16 bits. */
function signature(mod: number, record: number): number {
  let h = 0x811c9dc5;
  for (let k = 0; k < 4; k++) {
    h ^= (mod >>> (8 * k)) & 0xff;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  for (let k = 0; k < 4; k++) {
    h ^= (record >>> (8 * k)) & 0xff;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return ((h >>> 16) ^ h) & 0xffff;
}
