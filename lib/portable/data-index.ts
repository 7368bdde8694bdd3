/**
 * Global and file-static data (S_GDATA32 / S_LDATA32 of the globals' GSI) by address, for
 * SymFromAddr: Microsoft's dbghelp.dll answers the nearest symbol at or below an address among
 * functions, data and publics alike (`MsetTab+148` inside memset, `__xc_a` as data of size 4
 * rather than its public). Built once per PDB from the globals' records into typed arrays;
 * thread-local data (addressed by TLS offset) and constants (no address) are left out.
 */
import { S } from '../formats/codeview/symbol-kinds';
import type { PdbFile } from '../formats/pdb/pdb-file';

export interface DataIndex {
  /** Image RVAs, ascending (ties: the record written last first). */
  rvas: Uint32Array;
  /** Offsets of the records in the Symbol Records stream. */
  records: Uint32Array;
  /** reclen + 2 of each record. */
  sizes: Uint32Array;
}

const NONE = new Uint32Array(0);

/**
 * `toImageRva(section, offset)`: the record's address as an image RVA, or undefined when it
 * lies outside the PDB's sections.
 */
export function buildDataIndex(pdb: PdbFile, toImageRva: (section: number, offset: number) => number | undefined): DataIndex {
  const globals = pdb.globals();
  if (!globals || !globals.recordOffsets.length) return { rvas: NONE, records: NONE, sizes: NONE };
  const recs = pdb.readSymbolRecords();
  const offs = globals.recordOffsets;
  const n = offs.length;
  const rvas = new Uint32Array(n);
  const records = new Uint32Array(n);
  const sizes = new Uint32Array(n);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const off = offs[i];
    const kind = recs.kindAt(off);
    if (kind !== S.GDATA32 && kind !== S.LDATA32) continue;
    // DATASYM32: u32 type, u32 offset, u16 segment, name.
    const { data } = recs.recordAt(off);
    data.skip(4);
    const o = data.u32();
    const seg = data.u16();
    const at = toImageRva(seg, o);
    if (at === undefined) continue;
    rvas[k] = at;
    records[k] = off;
    sizes[k] = recs.recordBytes(off).length;
    k++;
  }
  const order = new Uint32Array(k);
  for (let i = 0; i < k; i++) order[i] = i;
  // Of two records at one address (`__xc_a` with and without its array bound) dbghelp.dll
  // answers one by no rule found; the one written last agrees most often (all but 14 of the
  // corpus oracle's sizes; the globals' hash order leaves 16, the first written 24).
  order.sort((a, b) => rvas[a] - rvas[b] || records[b] - records[a]);
  return {
    rvas: Uint32Array.from(order, (j) => rvas[j]),
    records: Uint32Array.from(order, (j) => records[j]),
    sizes: Uint32Array.from(order, (j) => sizes[j]),
  };
}
