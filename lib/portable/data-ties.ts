/**
 * Which of several global data records at one address Microsoft's dbghelp.dll 10.0.19041.685
 * answers (the CRT's `__xi_a`, `__xc_z`, `_XcptActTab`, `__newctype`...: the array with its
 * bound and the declaration without, sizes 8 and 0, both S_GDATA32 of the globals).
 *
 * The DLL answers them as it answers folded procedures (folded-procs.ts): the globals' data
 * records (S_GDATA32/S_LDATA32 whose name is not empty) in the order of the globals' GSI hash
 * records, sorted with the CRT's qsort by (section, offset), searched by a bsearch that lands
 * on the last of equal starts. qsort is not stable, so the record named is the one the whole
 * sort leaves last. Checked on the corpus: all 55 addresses of its five PDBs where two global
 * data records share an address and the oracle asked (the record written last, the rule
 * before, agreed on 45; GSI order without the sort or stream order with it, on fewer).
 *
 * Built on the first lookup that meets such an address: one pass over the Symbol Records
 * stream's pieces (PdbFile.forEachSymbolRecordPiece, the keys read by the DATASYM32 layout) and
 * one sort; an image whose data never tie pays nothing.
 */
import { DbgHelpError } from '../api/errors';
import type { PdbFile } from '../formats/pdb/pdb-file';
import { DATASYM32, u16At, u32At } from '../formats/codeview/record-layout';
import { S } from '../formats/codeview/symbol-kinds';
import { lastAtOrBelow } from '../formats/binary/search';
import { U32List } from '../formats/binary/u32-list';
import { crtQsort } from './crt-qsort';

const TWO_32 = 0x100000000;

let DATA_KINDS: Uint8Array | undefined;
/** forEachWanted's table: S_GDATA32 and S_LDATA32 (kinds past its end are passed on and checked). */
function dataKinds(): Uint8Array {
  if (DATA_KINDS) return DATA_KINDS;
  const t = new Uint8Array(0x1200);
  t[S.GDATA32] = t[S.LDATA32] = 1;
  return (DATA_KINDS = t);
}

/**
 * The stream offsets of the records dbghelp.dll answers at the addresses several global data
 * records share (one per address). Empty without a usable globals hash table; the pass stops at
 * a damaged record (those after it do not count).
 */
export function dbghelpDataPicks(pdb: PdbFile): Set<number> {
  const picks = new Set<number>();
  let hash: ReturnType<PdbFile['globals']>;
  try {
    hash = pdb.globals();
  } catch (e) {
    // A damaged globals stream only loses the tie-break (the record written last answers): the
    // lookup that met the tie must not fail for it.
    if (e instanceof DbgHelpError) return picks;
    throw e;
  }
  if (!hash) return picks;
  // Every named data record's stream offset and key, in stream order (ascending offsets).
  const offsets = new U32List(1024);
  const sections = new U32List(1024);
  const places = new U32List(1024);
  pdb.forEachSymbolRecordPiece((piece) => {
    const { buf, start } = piece.c;
    const base = start - piece.firstOffset;
    piece.forEachWanted(dataKinds(), (kind, offset, reclen) => {
      const p = base + offset;
      // A record too short for its name, or with an empty one, is skipped (so does the DLL).
      if ((kind !== S.GDATA32 && kind !== S.LDATA32) || reclen < DATASYM32.name - 1 || buf[p + DATASYM32.name] === 0) return;
      offsets.push(offset);
      places.push(u32At(buf, p + DATASYM32.offset));
      sections.push(u16At(buf, p + DATASYM32.segment));
    });
  });
  const byOffset = offsets.view();
  // The same records in GSI hash order, with their keys.
  const records = new U32List(byOffset.length);
  const keys: number[] = [];
  for (const off of hash.recordOffsets) {
    const i = lastAtOrBelow(byOffset, off);
    if (i < 0 || byOffset[i] !== off) continue;
    records.push(off);
    keys.push(sections.items[i] * TWO_32 + places.items[i]);
  }
  const order = new Uint32Array(keys.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  crtQsort(order, keys);
  for (let i = 0; i + 1 < order.length; i++) {
    const k = keys[order[i]];
    if (keys[order[i + 1]] !== k) continue;
    // A run of equal keys: its last entry is the bsearch's.
    let j = i + 1;
    while (j + 1 < order.length && keys[order[j + 1]] === k) j++;
    picks.add(records.items[order[j]]);
    i = j;
  }
  return picks;
}
