/**
 * Questions asked of a module's inline index (inline-index.ts builds it): a site or owner by its
 * record, the S_SEPCODE owner holding an address, the range of a site holding one, a range's
 * file name, the cross-scope ids, and whether a batch build left out what a search needs.
 */
import { badFormat } from '../../api/errors';
import { lastAtOrBelow } from '../../formats/binary/search';
import { Cursor } from '../../formats/binary/cursor';
import { readCrossScopeExports, readCrossScopeImports, type CrossScopeImport } from '../../formats/codeview/cross-scope-ids';
import { checksumFileNameOffset } from '../../formats/codeview/inlinee-lines';
import type { ModuleInlineIndex } from './inline-index';

/** The index of `value` in a sorted array, or -1. */
function indexOf(a: Uint32Array, value: number): number {
  const i = lastAtOrBelow(a, value);
  return i >= 0 && a[i] === value ? i : -1;
}

/** The site whose S_INLINESITE is at a record offset, or -1 (sites are in stream order). */
export function siteAtRecord(idx: ModuleInlineIndex, record: number): number {
  return indexOf(idx.siteRecord, record);
}

/**
 * Whether a search at a PDB RVA whose covering code record is `record` (-1: none) may need sites
 * this index left out (a batch build): the index is then to be built whole first.
 */
export function leftOut(idx: ModuleInlineIndex, record: number): boolean {
  return record >= 0 ? indexOf(idx.skipped, record) >= 0 : idx.skippedSep;
}

/** Whether this index was built for a batch and left sites out. */
export function isPartial(idx: ModuleInlineIndex): boolean {
  return idx.skipped.length > 0;
}

/** The owner (code scope with sites) whose record is at `record`, or -1. */
export function ownerAtRecord(idx: ModuleInlineIndex, record: number): number {
  return indexOf(idx.ownerRecord, record);
}

/** The S_SEPCODE owner whose bytes hold a PDB RVA, or -1 (no corpus PDB has one). */
export function sepOwnerAt(idx: ModuleInlineIndex, pdbRva: number): number {
  const sep = idx.sepOwners;
  for (let k = 0; k < sep.length; k++) {
    const o = sep[k];
    if (pdbRva >= idx.ownerStart[o] && pdbRva - idx.ownerStart[o] < idx.ownerLength[o]) return o;
  }
  return -1;
}

/** The range of site `site` holding a PDB RVA, or -1. */
export function rangeHolding(idx: ModuleInlineIndex, site: number, pdbRva: number): number {
  // The last range starting at or below the address.
  const best = lastAtOrBelow(idx.rangeStart, pdbRva, idx.rangeFirst[site], idx.rangeFirst[site + 1]);
  return best >= 0 && pdbRva < idx.rangeEnd[best] ? best : -1;
}

/** The /names offset of a range's file (DEBUG_S_FILECHKSMS entry), cached per file. */
export function fileNameOffset(idx: ModuleInlineIndex, fileId: number, origin: string): number {
  const names = (idx.fileNames ??= new Map());
  let n = names.get(fileId);
  if (n !== undefined) return n;
  if (!idx.checksums) throw badFormat(origin, 0, `module ${idx.mod} names inlinee files but has no file checksum subsection`);
  n = checksumFileNameOffset(idx.checksums, fileId);
  names.set(fileId, n);
  return n;
}

/** The module's cross-scope imports (LTCG): what its 0x8xxxxxxx item ids refer to. */
export function crossScopeImports(idx: ModuleInlineIndex): CrossScopeImport[] {
  return (idx.imports ??= idx.crossImports
    ? readCrossScopeImports(new Cursor(idx.crossImports.buf, idx.crossImports.origin, idx.crossImports.start, idx.crossImports.end, idx.crossImports.base))
    : []);
}

/** The module's cross-scope exports: its local item ids → IPI indices. */
export function crossScopeExports(idx: ModuleInlineIndex): Map<number, number> {
  return (idx.exports ??= idx.crossExports
    ? readCrossScopeExports(new Cursor(idx.crossExports.buf, idx.crossExports.origin, idx.crossExports.start, idx.crossExports.end, idx.crossExports.base))
    : new Map());
}
