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
import { lastAtOrBelow } from '../formats/binary/search';
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
  // One pass over the stream, piece by piece: every S_PUB32 and data record with its address.
  const pub = { offsets: new U32List(), rvas: new U32List(), sizes: new U32List() };
  const data = { rvas: new U32List(), records: new U32List(), sizes: new U32List() };
  pdb.forEachSymbolRecordPiece((piece) => {
    // One loop with no call per record: it runs once per PDB, mostly before the JIT has
    // optimized anything (a cold lookup), where a callback per record cost ~100 ms here.
    const { buf, start, end } = piece.c;
    const base = piece.firstOffset - start;
    for (let at = start; at + 4 <= end; ) {
      const reclen = buf[at] | (buf[at + 1] << 8);
      if (reclen < 2 || at + 2 + reclen > end) break; // a piece holds whole records
      const kind = buf[at + 2] | (buf[at + 3] << 8);
      if ((kind === S.PUB32 || kind === S.GDATA32 || kind === S.LDATA32) && reclen >= 12) {
        // PUBSYM32 and DATASYM32 after reclen and kind: u32 (flags | type), u32 off, u16 seg, name.
        const o = (buf[at + 8] | (buf[at + 9] << 8) | (buf[at + 10] << 16)) + buf[at + 11] * 0x1000000;
        const rva = toImageRva(buf[at + 12] | (buf[at + 13] << 8), o);
        if (rva !== undefined && kind === S.PUB32) {
          pub.offsets.push(at + base);
          pub.rvas.push(rva);
          pub.sizes.push(reclen + 2);
        } else if (rva !== undefined) {
          data.records.push(at + base);
          data.rvas.push(rva);
          data.sizes.push(reclen + 2);
        }
      }
      at += 2 + reclen;
    }
  });
  return { publics: publicsInMapOrder(pdb, pub.offsets.view(), pub.rvas.view(), pub.sizes.view(), toImageRva), data: sorted(data, true) };
}

/**
 * The publics the address map lists, by image RVA (ties in map order), from the pass's records
 * (ascending stream offsets). A map entry the pass did not reach (past damage) is read on its
 * own, so a broken record is BAD_FORMAT with its offset, as a lookup would find it.
 */
function publicsInMapOrder(pdb: PdbFile, offsets: Uint32Array, rvas: Uint32Array, sizes: Uint32Array, toImageRva: ToImageRva): GlobalIndex {
  const map = pdb.publics()?.addressMap;
  if (!map?.length) return NO_GLOBALS;
  const out = { rvas: new U32List(map.length), records: new U32List(map.length), sizes: new U32List(map.length) };
  for (let i = 0; i < map.length; i++) {
    const off = map[i];
    const k = lastAtOrBelow(offsets, off);
    if (k >= 0 && offsets[k] === off) {
      out.rvas.push(rvas[k]);
      out.records.push(off);
      out.sizes.push(sizes[k]);
      continue;
    }
    const h = pdb.symbolRecordAt(off);
    if (h.kind !== S.PUB32) continue;
    h.data.skip(4);
    const o = h.data.u32();
    const rva = toImageRva(h.data.u16(), o);
    if (rva === undefined) continue;
    out.rvas.push(rva);
    out.records.push(off);
    out.sizes.push(h.data.end - h.data.start + 4);
  }
  // The address map is in section:offset order, which is RVA order unless OMAP reordered.
  return sorted(out, false);
}

/** Sorted by RVA (ties in list order, or the later record first with `lastFirst`). */
function sorted(l: { rvas: U32List; records: U32List; sizes: U32List }, lastFirst: boolean): GlobalIndex {
  const keys = l.rvas.view();
  const recs = l.records.view();
  let inOrder = true;
  for (let i = 1; i < keys.length && inOrder; i++) if (keys[i] < keys[i - 1] || (lastFirst && keys[i] === keys[i - 1])) inOrder = false;
  if (inOrder) return { rvas: l.rvas.pick(), records: l.records.pick(), sizes: l.sizes.pick() };
  const order = new Uint32Array(keys.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  // Of two data records at one address (`__xc_a` with and without its array bound) dbghelp.dll
  // answers one by no rule found; the one written last agrees most often (all but 14 of the
  // corpus oracle's sizes; the globals' hash order leaves 16, the first written 24).
  order.sort((a, b) => keys[a] - keys[b] || (lastFirst ? recs[b] - recs[a] : a - b));
  return { rvas: l.rvas.pick(order), records: l.records.pick(order), sizes: l.sizes.pick(order) };
}
