/**
 * DBI section contribution substream: u32 version, then SectionContribEntry (SC, 28 bytes) or
 * SectionContribEntry2 (SC2, 32 bytes: + u32 isectCoff) records (Microsoft dbi.h).
 *
 *   u16 section  u16 pad  i32 offset  i32 size  u32 characteristics  u16 module  u16 pad
 *   u32 dataCrc  u32 relocCrc
 *
 * Kept as packed arrays sorted by (section, offset): they answer "which module holds this
 * address" with a binary search. For a few lookups, SectionContribProbe answers the same
 * binary search over the substream itself, reading only the entries it probes.
 */
import { Cursor } from '../binary/cursor';
import { lastPairAtOrBelow, lastWhere } from '../binary/search';

const SC_VER60 = 0xeffe0000 + 19970605;
const SC_V2 = 0xeffe0000 + 20140516;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Reads `length` bytes at `offset` of the substream (offsets from its start), bounds-checked. */
export type SubstreamReader = (offset: number, length: number) => Cursor;

/** The version word and the size of an entry (SC or SC2) it announces; anything else is BAD_FORMAT. */
function entrySize(c: Cursor): number {
  const version = c.u32();
  return version === SC_V2 ? 32 : version === SC_VER60 ? 28 : c.fail(`unknown section contribution version 0x${version.toString(16)}`, c.pos - 4);
}

export class SectionContribs {
  private constructor(
    readonly sections: Uint16Array,
    readonly offsets: Uint32Array,
    readonly sizes: Uint32Array,
    readonly modules: Uint16Array,
  ) {}

  get length(): number {
    return this.sections.length;
  }

  static read(c: Cursor): SectionContribs {
    if (c.remaining === 0) return SectionContribs.empty();
    const size = entrySize(c);
    const n = Math.floor(c.remaining / size);
    const body = c.take(n * size, 'section contributions');
    const t = new ContribTable(n);
    t.add(body.buf, body.start, n, size);
    return SectionContribs.of(t);
  }

  /**
   * read() over a substream of `byteSize` bytes read piece by piece through one buffer of about
   * 1 MiB (`readInto(offset, length, into)`: bytes from the substream's start): the big bench
   * PDB's 5.85 MB of contributions, read whole, were ~1,400 fresh pages.
   */
  static readPieces(byteSize: number, readInto: (offset: number, length: number, into: Uint8Array) => Uint8Array, head: SubstreamReader): SectionContribs {
    if (byteSize === 0) return SectionContribs.empty();
    const size = entrySize(head(0, Math.min(4, byteSize)));
    const n = Math.floor((byteSize - 4) / size);
    const t = new ContribTable(n);
    const per = Math.max(1, Math.floor(PIECE_BYTES / size));
    const buf = new Uint8Array(Math.min(n, per) * size);
    for (let first = 0; first < n; first += per) {
      const count = Math.min(per, n - first);
      t.add(readInto(4 + first * size, count * size, buf), 0, count, size);
    }
    return SectionContribs.of(t);
  }

  private static of(t: ContribTable): SectionContribs {
    const { sections, offsets, sizes, modules } = t.done();
    return new SectionContribs(sections, offsets, sizes, modules);
  }

  private static empty(): SectionContribs {
    return new SectionContribs(new Uint16Array(0), new Uint32Array(0), new Uint32Array(0), new Uint16Array(0));
  }

  /** The 0-based module index whose contribution covers section:offset, or -1. */
  moduleAt(section: number, offset: number): number {
    const { sections, offsets, sizes, modules } = this;
    const best = lastPairAtOrBelow(sections, offsets, section, offset);
    if (best < 0 || sections[best] !== section) return -1;
    return offset - offsets[best] < sizes[best] ? modules[best] : -1;
  }
}

/** readPieces' piece size. */
const PIECE_BYTES = 1 << 20;

/** The table under construction: entries added piece by piece, then sorted and trimmed. */
class ContribTable {
  private sections: Uint16Array;
  private offsets: Uint32Array;
  private sizes: Uint32Array;
  private modules: Uint16Array;
  private k = 0;
  private sorted = true;

  constructor(n: number) {
    this.sections = new Uint16Array(n);
    this.offsets = new Uint32Array(n);
    this.sizes = new Uint32Array(n);
    this.modules = new Uint16Array(n);
  }

  /** `n` entries of `size` bytes at b[p..] (checked by the caller to be there). */
  add(b: Uint8Array, p: number, n: number, size: number): void {
    const { sections, offsets, sizes, modules } = this;
    let { k, sorted } = this;
    // On a little-endian host with the records 4-aligned in memory they are read as u32 words
    // (twice as fast on a big PDB's 200,000 records, most of a cold lookup's parsing); the two
    // loops are the same but for how a field is read (a call per record costs as much again
    // while the code is still interpreted).
    const at = b.byteOffset + p;
    if (LITTLE_ENDIAN && at % 4 === 0) {
      const w = new Uint32Array(b.buffer, at, (n * size) / 4);
      const stride = size / 4;
      for (let i = 0, q = 0; i < n; i++, q += stride) {
        const sz = w[q + 2] | 0;
        if (sz <= 0) continue;
        const section = w[q] & 0xffff;
        const offset = w[q + 1];
        if (k > 0 && (section < sections[k - 1] || (section === sections[k - 1] && offset < offsets[k - 1]))) sorted = false;
        sections[k] = section;
        offsets[k] = offset;
        sizes[k] = sz;
        modules[k] = w[q + 4] & 0xffff;
        k++;
      }
    } else {
      for (let i = 0, q = p; i < n; i++, q += size) {
        const sz = b[q + 8] | (b[q + 9] << 8) | (b[q + 10] << 16) | (b[q + 11] << 24) | 0;
        if (sz <= 0) continue;
        const section = b[q] | (b[q + 1] << 8);
        const offset = (b[q + 4] | (b[q + 5] << 8) | (b[q + 6] << 16)) + b[q + 7] * 0x1000000;
        if (k > 0 && (section < sections[k - 1] || (section === sections[k - 1] && offset < offsets[k - 1]))) sorted = false;
        sections[k] = section;
        offsets[k] = offset;
        sizes[k] = sz;
        modules[k] = b[q + 16] | (b[q + 17] << 8);
        k++;
      }
    }
    this.k = k;
    this.sorted = sorted;
  }

  done(): { sections: Uint16Array; offsets: Uint32Array; sizes: Uint32Array; modules: Uint16Array } {
    const { k } = this;
    let { sections, offsets, sizes, modules } = this;
    if (!this.sorted) {
      // By section, then offset; ties keep their order in the substream.
      const order = Array.from({ length: k }, (_, i) => i);
      order.sort((x, y) => sections[x] - sections[y] || offsets[x] - offsets[y] || x - y);
      sections = Uint16Array.from(order, (i) => sections[i]);
      offsets = Uint32Array.from(order, (i) => offsets[i]);
      sizes = Uint32Array.from(order, (i) => sizes[i]);
      modules = Uint16Array.from(order, (i) => modules[i]);
    } else {
      // Entries without bytes were left out: views of the first k (copies only when most were
      // left out; copying the big PDB's 208,569 of 208,983 cost ~10 ms of fresh pages).
      const trim = <T extends Uint16Array | Uint32Array>(a: T): T => (2 * k >= a.length ? (a.subarray(0, k) as T) : (a.slice(0, k) as T));
      sections = trim(sections);
      offsets = trim(offsets);
      sizes = trim(sizes);
      modules = trim(modules);
    }
    return { sections, offsets, sizes, modules };
  }
}

/** Entries read at once by a probe: 128 SC2 entries, one 4 KiB read. */
const PAGE_ENTRIES = 128;

/**
 * SectionContribs.moduleAt over the substream itself, for a few lookups in a big PDB (5.85 MB
 * of contributions in the generated 187 MB one, ~75 ms to read and parse): the same binary
 * search, reading the pages of entries it probes (cached). It relies on the substream being
 * sorted by section:offset, as linkers write it and as Microsoft's DBI code searches it; the
 * entries a search reads are checked to be in order, and where they are not the answer is
 * undefined (the caller parses the whole table, which sorts). Entries of size <= 0, which the
 * parsed table drops, are stepped over.
 */
export class SectionContribProbe {
  private readonly pages = new Map<number, Cursor>();

  private constructor(
    private readonly read: SubstreamReader,
    /** Entry size: 28 (SC) or 32 (SC2). */
    private readonly size: number,
    /** Number of entries. */
    readonly length: number,
  ) {}

  /** A probe over a substream of `byteSize` bytes: reads its version word now. */
  static open(read: SubstreamReader, byteSize: number): SectionContribProbe {
    if (byteSize === 0) return new SectionContribProbe(read, 28, 0);
    const size = entrySize(read(0, Math.min(4, byteSize)));
    return new SectionContribProbe(read, size, Math.floor((byteSize - 4) / size));
  }

  /** Entry i's cursor, positioned at the entry (its page read on first use). */
  private entry(i: number): Cursor {
    const page = Math.floor(i / PAGE_ENTRIES);
    let c = this.pages.get(page);
    if (!c) {
      const first = page * PAGE_ENTRIES;
      const n = Math.min(PAGE_ENTRIES, this.length - first);
      c = this.read(4 + first * this.size, n * this.size);
      this.pages.set(page, c);
    }
    return c.seek((i % PAGE_ENTRIES) * this.size);
  }

  /**
   * The 0-based module whose contribution covers section:offset, or -1, as
   * SectionContribs.moduleAt answers it; undefined when the entries read are out of order.
   */
  moduleAt(section: number, offset: number): number | undefined {
    // The keys known at or below the target (low) and above it (high): every probe must fall
    // between them, or the substream is not sorted.
    let lowSec = -1;
    let lowOff = 0;
    let highSec = Infinity;
    let highOff = 0;
    let sorted = true;
    let best = lastWhere(this.length, (mid) => {
      const c = this.entry(mid);
      const s = c.u16();
      c.skip(2);
      const o = c.u32();
      if (s < lowSec || (s === lowSec && o < lowOff) || s > highSec || (s === highSec && o > highOff)) sorted = false;
      else if (s < section || (s === section && o <= offset)) {
        lowSec = s;
        lowOff = o;
        return true;
      } else {
        highSec = s;
        highOff = o;
      }
      return false;
    });
    if (!sorted) return undefined;
    // The last entry at or below with a size, read in full.
    for (; best >= 0; best--) {
      const c = this.entry(best);
      const s = c.u16();
      c.skip(2);
      const o = c.u32();
      const size = c.i32();
      c.skip(4);
      const mod = c.u16();
      if (s > lowSec || (s === lowSec && o > lowOff)) return undefined;
      lowSec = s;
      lowOff = o;
      if (size <= 0) continue;
      if (s !== section) return -1;
      return offset - o < size ? mod : -1;
    }
    return -1;
  }
}
