/**
 * DBI section contribution substream: u32 version, then SectionContribEntry (SC, 28 bytes) or
 * SectionContribEntry2 (SC2, 32 bytes: + u32 isectCoff) records (Microsoft dbi.h).
 *
 *   u16 section  u16 pad  i32 offset  i32 size  u32 characteristics  u16 module  u16 pad
 *   u32 dataCrc  u32 relocCrc
 *
 * Kept as packed arrays sorted by (section, offset): they answer "which module holds this
 * address" with a binary search.
 */
import { Cursor } from '../binary/cursor';
import { lastPairAtOrBelow } from '../binary/search';

const SC_VER60 = 0xeffe0000 + 19970605;
const SC_V2 = 0xeffe0000 + 20140516;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

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
    if (c.remaining === 0) return new SectionContribs(new Uint16Array(0), new Uint32Array(0), new Uint32Array(0), new Uint16Array(0));
    const version = c.u32();
    const size = version === SC_V2 ? 32 : version === SC_VER60 ? 28 : c.fail(`unknown section contribution version 0x${version.toString(16)}`, c.pos - 4);
    const n = Math.floor(c.remaining / size);
    const body = c.take(n * size, 'section contributions');
    const b = body.buf;
    let sections = new Uint16Array(n);
    let offsets = new Uint32Array(n);
    let sizes = new Uint32Array(n);
    let modules = new Uint16Array(n);
    let k = 0;
    let sorted = true;
    // take() checked that n records fit: the reads below stay inside the substream. On a
    // little-endian host with the records 4-aligned in memory they are read as u32 words
    // (twice as fast on a big PDB's 200,000 records, most of a cold lookup's parsing); the two
    // loops are the same but for how a field is read (a call per record costs as much again
    // while the code is still interpreted).
    const at = b.byteOffset + body.start;
    if (LITTLE_ENDIAN && at % 4 === 0) {
      const w = new Uint32Array(b.buffer, at, (n * size) / 4);
      const stride = size / 4;
      for (let i = 0, p = 0; i < n; i++, p += stride) {
        const sz = w[p + 2] | 0;
        if (sz <= 0) continue;
        const section = w[p] & 0xffff;
        const offset = w[p + 1];
        if (k > 0 && (section < sections[k - 1] || (section === sections[k - 1] && offset < offsets[k - 1]))) sorted = false;
        sections[k] = section;
        offsets[k] = offset;
        sizes[k] = sz;
        modules[k] = w[p + 4] & 0xffff;
        k++;
      }
    } else {
      for (let i = 0, p = body.start; i < n; i++, p += size) {
        const sz = (b[p + 8] | (b[p + 9] << 8) | (b[p + 10] << 16) | (b[p + 11] << 24)) | 0;
        if (sz <= 0) continue;
        const section = b[p] | (b[p + 1] << 8);
        const offset = (b[p + 4] | (b[p + 5] << 8) | (b[p + 6] << 16)) + b[p + 7] * 0x1000000;
        if (k > 0 && (section < sections[k - 1] || (section === sections[k - 1] && offset < offsets[k - 1]))) sorted = false;
        sections[k] = section;
        offsets[k] = offset;
        sizes[k] = sz;
        modules[k] = b[p + 16] | (b[p + 17] << 8);
        k++;
      }
    }
    if (!sorted) {
      // By section, then offset; ties keep their order in the substream.
      const order = Array.from({ length: k }, (_, i) => i);
      order.sort((x, y) => sections[x] - sections[y] || offsets[x] - offsets[y] || x - y);
      sections = Uint16Array.from(order, (i) => sections[i]);
      offsets = Uint32Array.from(order, (i) => offsets[i]);
      sizes = Uint32Array.from(order, (i) => sizes[i]);
      modules = Uint16Array.from(order, (i) => modules[i]);
    } else {
      sections = sections.slice(0, k);
      offsets = offsets.slice(0, k);
      sizes = sizes.slice(0, k);
      modules = modules.slice(0, k);
    }
    return new SectionContribs(sections, offsets, sizes, modules);
  }

  /** The 0-based module index whose contribution covers section:offset, or -1. */
  moduleAt(section: number, offset: number): number {
    const { sections, offsets, sizes, modules } = this;
    const best = lastPairAtOrBelow(sections, offsets, section, offset);
    if (best < 0 || sections[best] !== section) return -1;
    return offset - offsets[best] < sizes[best] ? modules[best] : -1;
  }
}
