/**
 * The PDB-wide address indexes kept in the Symbol Records stream, built from ONE read of that
 * stream (24 MB in the generated big PDB), which is dropped afterwards: a hit reads its one
 * record again (PdbFile.symbolRecordAt).
 * - publics (S_PUB32, in the publics stream's address map) by image RVA;
 * - global and file-static data (S_GDATA32 / S_LDATA32: the stream holds only the globals'
 *   and publics' records, so one pass over it finds them without the globals' GSI) by image RVA, for
 *   SymFromAddr: Microsoft's dbghelp.dll answers the nearest symbol at or below an address
 *   among functions, data and publics alike (`MsetTab+148` inside memset, `__xc_a` as data of
 *   size 4 rather than its public). Thread-local data (TLS offsets) and constants are left out.
 */
import { S } from '../formats/codeview/symbol-kinds';
import type { PdbFile } from '../formats/pdb/pdb-file';
import type { SymbolStream } from '../formats/pdb/symbol-stream';
import { U32List } from './u32-list';

/** Records sorted by image RVA: their offsets in the Symbol Records stream and sizes (reclen + 2). */
export interface GlobalIndex {
  rvas: Uint32Array;
  records: Uint32Array;
  sizes: Uint32Array;
}

const NONE = new Uint32Array(0);
export const NO_GLOBALS: GlobalIndex = { rvas: NONE, records: NONE, sizes: NONE };

/** The image RVA of a record's section:offset, or undefined outside the PDB's sections. */
export type ToImageRva = (section: number, offset: number) => number | undefined;

export function buildGlobalIndexes(pdb: PdbFile, toImageRva: ToImageRva): { publics: GlobalIndex; data: GlobalIndex } {
  const ps = pdb.publics();
  const recs = pdb.readSymbolRecords();
  if (!recs.c.remaining) return { publics: NO_GLOBALS, data: NO_GLOBALS };
  // The address map is in section:offset order, which is RVA order unless OMAP reordered.
  const publics = ps ? addressed(recs, ps.addressMap, S.PUB32, S.PUB32, toImageRva, false) : NO_GLOBALS;
  // Of two data records at one address (`__xc_a` with and without its array bound) dbghelp.dll
  // answers one by no rule found; the one written last agrees most often (all but 14 of the
  // corpus oracle's sizes; the globals' hash order leaves 16, the first written 24).
  const dataRecords = new U32List();
  recs.forEach((kind, offset) => {
    if (kind === S.GDATA32 || kind === S.LDATA32) dataRecords.push(offset);
  }, true);
  const data = addressed(recs, dataRecords.view(), S.GDATA32, S.LDATA32, toImageRva, true);
  return { publics, data };
}

/**
 * The records at `offsets` of kind `kindA` or `kindB`, by image RVA (ties in list order, or the
 * later record first with `lastFirst`). PUBSYM32 and DATASYM32 share their fixed part after
 * reclen and kind: u32 (flags | type), u32 off, u16 seg, then the name. The fields are read in
 * place where the record is whole; anything else goes through recordAt and its cursor, which
 * fail with BAD_FORMAT and the offset.
 */
function addressed(recs: SymbolStream, offsets: ArrayLike<number>, kindA: number, kindB: number, toImageRva: ToImageRva, lastFirst: boolean): GlobalIndex {
  const { buf, start: s0, end } = recs.c;
  const rvas = new U32List();
  const records = new U32List();
  const sizes = new U32List();
  for (let i = 0; i < offsets.length; i++) {
    const off = offsets[i];
    const at = s0 + off - recs.firstOffset;
    const ok = off >= recs.firstOffset && at + 4 <= end;
    const reclen = ok ? buf[at] | (buf[at + 1] << 8) : 0;
    let o: number;
    let seg: number;
    let size: number;
    if (ok && reclen >= 12 && at + 2 + reclen <= end) {
      const kind = buf[at + 2] | (buf[at + 3] << 8);
      if (kind !== kindA && kind !== kindB) continue;
      size = reclen + 2;
      o = (buf[at + 8] | (buf[at + 9] << 8) | (buf[at + 10] << 16)) + buf[at + 11] * 0x1000000;
      seg = buf[at + 12] | (buf[at + 13] << 8);
    } else {
      const r = recs.recordAt(off);
      if (r.kind !== kindA && r.kind !== kindB) continue;
      size = recs.recordBytes(off).length;
      r.data.skip(4);
      o = r.data.u32();
      seg = r.data.u16();
    }
    const imageRva = toImageRva(seg, o);
    if (imageRva === undefined) continue;
    rvas.push(imageRva);
    records.push(off);
    sizes.push(size);
  }
  const keys = rvas.view();
  const recView = records.view();
  let sorted = true;
  for (let i = 1; i < keys.length && sorted; i++) if (keys[i] < keys[i - 1] || (lastFirst && keys[i] === keys[i - 1])) sorted = false;
  if (sorted) return { rvas: rvas.pick(), records: records.pick(), sizes: sizes.pick() };
  const order = new Uint32Array(keys.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  order.sort((a, b) => keys[a] - keys[b] || (lastFirst ? recView[b] - recView[a] : a - b));
  return { rvas: rvas.pick(order), records: records.pick(order), sizes: sizes.pick(order) };
}
