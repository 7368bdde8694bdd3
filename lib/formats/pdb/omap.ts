/**
 * OMAP tables (DBI debug header streams OmapToSrc / OmapFromSrc): OMAP records, 8 bytes each,
 *   u32 rva (in the "from" space)   u32 rvaTo (in the other space; 0 = no mapping)
 * sorted by rva. An address maps through the last record at or below it, keeping its distance
 * from that record's start. Used for images reordered after linking (BBT, OMAP).
 */
import { lastAtOrBelow } from '../binary/search';
import { Cursor } from '../binary/cursor';

export class Omap {
  private constructor(
    private readonly from: Uint32Array,
    private readonly to: Uint32Array,
  ) {}

  get length(): number {
    return this.from.length;
  }

  /** The records themselves (views, not copies): `from[i]` maps to `to[i]`. */
  entries(): { from: Uint32Array; to: Uint32Array } {
    return { from: this.from, to: this.to };
  }

  static read(c: Cursor): Omap {
    const n = Math.floor(c.remaining / 8);
    const from = new Uint32Array(n);
    const to = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      from[i] = c.u32();
      to[i] = c.u32();
    }
    return new Omap(from, to);
  }

  /** Maps an address, or undefined when it falls before the table or in an unmapped range. */
  map(rva: number): number | undefined {
    const { from, to } = this;
    const best = lastAtOrBelow(from, rva);
    if (best < 0 || to[best] === 0) return undefined;
    return to[best] + (rva - from[best]);
  }
}
