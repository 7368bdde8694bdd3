/**
 * Cross-module item ids (cvinfo.h CrossScopeId; DEBUG_S_CROSSSCOPEIMPORTS 0xf7,
 * DEBUG_S_CROSSSCOPEEXPORTS 0xf8), which LTCG (/GL) builds leave in module symbol streams:
 * an item id with bit 31 set is not an IPI index but
 *   bits 0-19   the position in the list of ids imported from one module
 *   bits 20-30  which import (0-based) of the referencing module's CROSSSCOPEIMPORTS
 *   bit 31      1
 * DEBUG_S_CROSSSCOPEIMPORTS, per imported module (aligned entries, no padding):
 *   u32 moduleNameOffset (/names offset of the exporting module's object file name)
 *   u32 count, u32 localIds[count]      (ids in the exporting module's own numbering)
 * DEBUG_S_CROSSSCOPEEXPORTS: (u32 localId, u32 globalId) pairs: the exporting module's local
 * ids and the IPI index each became in the PDB.
 * So an inlinee 0x80000005 of main.obj is main.obj's import 0, entry 5: a local id of, say,
 * client_info.obj, whose exports map it to the IPI index (crash.pdb, checked with
 * llvm-pdbutil dump -xmi -xme).
 */
import type { Cursor } from '../binary/cursor';

export { DEBUG_S_CROSSSCOPEIMPORTS, DEBUG_S_CROSSSCOPEEXPORTS } from './debug-subsections';

export function isCrossScopeId(id: number): boolean {
  return id >= 0x80000000;
}

export function crossScopeParts(id: number): { imod: number; index: number } {
  return { imod: (id >>> 20) & 0x7ff, index: id & 0xfffff };
}

export interface CrossScopeImport {
  /** /names offset of the exporting module's name. */
  moduleNameOffset: number;
  localIds: Uint32Array;
}

export function readCrossScopeImports(c: Cursor): CrossScopeImport[] {
  const out: CrossScopeImport[] = [];
  while (c.remaining > 0) {
    const moduleNameOffset = c.u32();
    const n = c.count(c.u32(), 4, 'cross-scope import id');
    const localIds = new Uint32Array(n);
    for (let i = 0; i < n; i++) localIds[i] = c.u32();
    out.push({ moduleNameOffset, localIds });
  }
  return out;
}

/** localId → global IPI index. */
export function readCrossScopeExports(c: Cursor): Map<number, number> {
  const out = new Map<number, number>();
  const n = c.count(Math.floor(c.remaining / 8), 8, 'cross-scope export');
  if (c.remaining % 8) c.fail(`cross-scope exports of ${c.remaining} bytes are not (local, global) pairs`);
  for (let i = 0; i < n; i++) {
    const local = c.u32();
    out.set(local, c.u32());
  }
  return out;
}
