/**
 * The PDB-wide address indexes kept in the Symbol Records stream, each built from one pass over
 * that stream (24 MB in the generated big PDB, read in pieces through one buffer and dropped): a
 * hit reads its one record again (PdbFile.symbolRecordAt).
 * - global and file-static data (S_GDATA32 / S_LDATA32: the stream holds only the globals'
 *   and publics' records, so one pass over it finds them without the globals' GSI) by image RVA, for
 *   SymFromAddr: Microsoft's dbghelp.dll answers the nearest symbol at or below an address
 *   among functions, data and publics alike (`MsetTab+148` inside memset, `__xc_a` as data of
 *   size 4 rather than its public). Thread-local data (TLS offsets) and constants are left out;
 *   data named with an `@` stay in (they are not answered, but nothing below them is either:
 *   PdbProvider.fromRva).
 *   The pass looks at data records only (a cold lookup needs it whole: data have no address map);
 * - publics (S_PUB32, in the publics stream's address map) by image RVA, for bulk lookups and
 *   enumeration; a few lookups binary search the address map in place instead
 *   (publics-index.ts), so a cold lookup does not pay for this one.
 */
import { S } from '../formats/codeview/symbol-kinds';
import type { PdbFile } from '../formats/pdb/pdb-file';
import { U32List } from '../formats/binary/u32-list';

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

// The kinds as constants: the walks below run once per PDB, mostly before the JIT has optimized
// anything (a cold lookup), so each step is kept to a few byte reads and compares, in a loop
// with no call per record (a callback per record cost ~100 ms here).
const PUB32 = S.PUB32;
const GDATA32 = S.GDATA32;
const LDATA32 = S.LDATA32;

/** The global and file-static data by image RVA (ties: the record written last first; data-ties.ts picks among them). */
export function buildDataIndex(pdb: PdbFile, toImageRva: ToImageRva): GlobalIndex {
  return dataIndexOf(scanGlobals(pdb, toImageRva, true, 0));
}

/**
 * The publics the address map lists, by image RVA (ties in map order): one pass over the stream
 * notes every S_PUB32's offset, section:offset and size, then each map entry is found among
 * them. A map entry the pass did not reach (past damage) is read on its own, so a broken record
 * is BAD_FORMAT with its offset, as a lookup would find it.
 */
export function buildPublicsIndex(pdb: PdbFile, toImageRva: ToImageRva): GlobalIndex {
  const map = pdb.publicsAddressMap()?.all();
  if (!map?.length) return NO_GLOBALS;
  return publicsIndexOf(pdb, map, scanGlobals(pdb, toImageRva, false, map.length), toImageRva);
}

/**
 * buildDataIndex and buildPublicsIndex from one pass over the stream (a batch of lookups that
 * will need both: the big PDB's 24 MB were read and walked twice).
 */
export function buildGlobalIndexes(pdb: PdbFile, toImageRva: ToImageRva): { data: GlobalIndex; publics: GlobalIndex } {
  const map = pdb.publicsAddressMap()?.all();
  const pass = scanGlobals(pdb, toImageRva, true, map?.length ?? 0);
  return { data: dataIndexOf(pass), publics: map?.length ? publicsIndexOf(pdb, map, pass, toImageRva) : NO_GLOBALS };
}

/** What a pass noted: data records by image RVA, and publics in stream order (ascending offsets). */
interface Pass {
  data: { rvas: U32List; records: U32List; sizes: U32List };
  n: number;
  offsets: Uint32Array;
  sections: Uint16Array;
  places: Uint32Array;
  sizes: Uint32Array;
}

/**
 * One pass over the Symbol Records stream noting the data records (`wantData`) and the publics
 * (`publics` > 0: arrays sized for the address map's `publics` entries).
 */
function scanGlobals(pdb: PdbFile, toImageRva: ToImageRva, wantData: boolean, publics: number): Pass {
  const data = { rvas: new U32List(), records: new U32List(), sizes: new U32List() };
  let n = 0;
  let offsets = new Uint32Array(publics);
  let sections = new Uint16Array(publics);
  let places = new Uint32Array(publics);
  let sizes = new Uint32Array(publics);
  const wantPublics = publics > 0;
  pdb.scanSymbolRecords((buf, end, at) => {
    let p = 0;
    while (p + 4 <= end) {
      const reclen = buf[p] | (buf[p + 1] << 8);
      if (reclen < 2 || p + 2 + reclen > end) break;
      const kind = buf[p + 2] | (buf[p + 3] << 8);
      if (kind === PUB32 && wantPublics && reclen >= 12) {
        if (n === offsets.length) [offsets, sections, places, sizes] = [grown(offsets), grown(sections), grown(places), grown(sizes)];
        // PUBSYM32 after reclen and kind: u32 flags, u32 off, u16 seg, name.
        offsets[n] = at + p;
        places[n] = (buf[p + 8] | (buf[p + 9] << 8) | (buf[p + 10] << 16)) + buf[p + 11] * 0x1000000;
        sections[n] = buf[p + 12] | (buf[p + 13] << 8);
        sizes[n] = reclen + 2;
        n++;
      } else if ((kind === GDATA32 || kind === LDATA32) && wantData && reclen >= 12) {
        // DATASYM32 after reclen and kind: u32 type, u32 off, u16 seg, name.
        const rva = toImageRva(buf[p + 12] | (buf[p + 13] << 8), (buf[p + 8] | (buf[p + 9] << 8) | (buf[p + 10] << 16)) + buf[p + 11] * 0x1000000);
        if (rva !== undefined) {
          data.records.push(at + p);
          data.rvas.push(rva);
          data.sizes.push(reclen + 2);
        }
      }
      p += 2 + reclen;
    }
    return p;
  });
  return { data, n, offsets, sections, places, sizes };
}

function dataIndexOf(pass: Pass): GlobalIndex {
  const { data } = pass;
  return sorted(data.rvas.view(), data.records.view(), data.sizes.view(), true);
}

/** The publics index from a pass's publics and the address map. */
function publicsIndexOf(pdb: PdbFile, map: Uint32Array, pass: Pass, toImageRva: ToImageRva): GlobalIndex {
  const { n, offsets, sections, places, sizes } = pass;
  // Each map entry is found among the pass's offsets through buckets over their range, one per
  // entry (a bucket holds ~1 offset: O(1), where a binary search per entry cost ~45 ms here).
  const low = n > 0 ? offsets[0] : 0;
  const span = n > 0 ? offsets[n - 1] - low + 1 : 1;
  const bucketOf = (off: number) => Math.floor(((off - low) * n) / span);
  const firstIn = new Uint32Array(n + 1); // the first pass entry in bucket b or after
  for (let j = 0, b = 0; b <= n; b++) {
    while (j < n && bucketOf(offsets[j]) < b) j++;
    firstIn[b] = j;
  }
  const out = { rvas: new Uint32Array(map.length), records: new Uint32Array(map.length), sizes: new Uint32Array(map.length) };
  let k = 0;
  for (let i = 0; i < map.length; i++) {
    const off = map[i];
    let j = off >= low && off - low < span ? firstIn[bucketOf(off)] : n;
    while (j < n && offsets[j] < off) j++;
    let rva: number | undefined;
    let size: number;
    if (j < n && offsets[j] === off) {
      rva = toImageRva(sections[j], places[j]);
      size = sizes[j];
    } else {
      const h = pdb.symbolRecordAt(off);
      if (h.kind !== PUB32) continue;
      h.data.skip(4);
      const o = h.data.u32();
      rva = toImageRva(h.data.u16(), o);
      size = h.data.end - h.data.start + 4;
    }
    if (rva === undefined) continue;
    out.rvas[k] = rva;
    out.records[k] = off;
    out.sizes[k] = size;
    k++;
  }
  // The address map is in section:offset order, which is RVA order unless OMAP reordered.
  return sorted(out.rvas.subarray(0, k), out.records.subarray(0, k), out.sizes.subarray(0, k), false);
}

/**
 * `a` itself when it is at least half of its buffer (the publics' arrays are sized for the
 * address map and lose only the entries outside the sections: a copy of the big PDB's 177,000
 * was ~2 MB of fresh pages), else a copy (a view would keep the rest alive).
 */
function trimmed(a: Uint32Array): Uint32Array {
  return 2 * a.byteLength >= a.buffer.byteLength ? a : a.slice();
}

function grown<T extends Uint16Array | Uint32Array>(a: T): T {
  const b = new (a.constructor as new (n: number) => T)(a.length * 2 + 16);
  b.set(a);
  return b;
}

/** Copies sorted by RVA (ties in list order, or the later record first with `lastFirst`). */
function sorted(keys: Uint32Array, recs: Uint32Array, sizes: Uint32Array, lastFirst: boolean): GlobalIndex {
  let inOrder = true;
  for (let i = 1; i < keys.length && inOrder; i++) if (keys[i] < keys[i - 1] || (lastFirst && keys[i] === keys[i - 1])) inOrder = false;
  if (inOrder) return { rvas: trimmed(keys), records: trimmed(recs), sizes: trimmed(sizes) };
  const order = new Uint32Array(keys.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  // Of two data records at one address (`__xc_a` with and without its array bound) dbghelp.dll
  // answers the one its qsort leaves last (data-ties.ts, which PdbProvider.fromRva asks); the
  // one written last, first here, stands in where the globals have no hash table.
  order.sort((a, b) => keys[a] - keys[b] || (lastFirst ? recs[b] - recs[a] : a - b));
  const pick = (a: Uint32Array) => Uint32Array.from(order, (i) => a[i]);
  return { rvas: pick(keys), records: pick(recs), sizes: pick(sizes) };
}
