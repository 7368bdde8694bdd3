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

const SC_VER60 = 0xeffe0000 + 19970605;
const SC_V2 = 0xeffe0000 + 20140516;

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
    const rows: [number, number, number, number][] = [];
    for (let i = 0; i < n; i++) {
      const r = c.take(size, 'section contribution');
      const section = r.u16();
      r.u16();
      const offset = r.u32();
      const sz = r.i32();
      r.u32();
      const module = r.u16();
      if (sz > 0) rows.push([section, offset, sz, module]);
    }
    rows.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    return new SectionContribs(
      Uint16Array.from(rows, (r) => r[0]),
      Uint32Array.from(rows, (r) => r[1]),
      Uint32Array.from(rows, (r) => r[2]),
      Uint16Array.from(rows, (r) => r[3]),
    );
  }

  /** The 0-based module index whose contribution covers section:offset, or -1. */
  moduleAt(section: number, offset: number): number {
    const { sections, offsets, sizes, modules } = this;
    let lo = 0;
    let hi = sections.length - 1;
    let best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (sections[mid] < section || (sections[mid] === section && offsets[mid] <= offset)) {
        best = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (best < 0 || sections[best] !== section) return -1;
    return offset - offsets[best] < sizes[best] ? modules[best] : -1;
  }
}
