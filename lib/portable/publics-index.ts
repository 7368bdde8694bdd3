/**
 * The public nearest at or below an address, for SymFromAddr's nearest-symbol rule.
 *
 * The first PROBED_LOOKUPS lookups binary search the publics stream's address map in place
 * (PublicsProbe): a probe reads one map entry (a 4 KiB page of them, kept) and the S_PUB32
 * record it names, ~2 x 18 small reads for the 177,000 publics of the generated big PDB, where
 * the whole index (global-index.ts buildPublicsIndex: a pass over the 24 MB Symbol Records
 * stream and the map) costs ~100 ms of a cold process. After that many lookups the whole index
 * is built and answers from then on (bulk symbolization: a lookup is then one binary search in
 * memory); it is also what answers when probing cannot (below).
 *
 * Probing needs the map's order (section:offset) to be the order of image RVAs: the provider
 * only probes without OMAP and with the PDB's sections at ascending addresses. Records outside
 * the sections are where the whole index drops them: section 0 before every address, past the
 * last section after. The keys a search reads are checked to be in order, and a map entry that
 * is not an S_PUB32 (the whole index skips it) stops probing: the whole index answers.
 */
import { lastWhere } from '../formats/binary/search';
import { S } from '../formats/codeview/symbol-kinds';
import type { PdbFile } from '../formats/pdb/pdb-file';
import type { PublicsAddressMap } from '../formats/pdb/publics-stream';
import { lastAtOrBelow } from '../formats/binary/search';
import type { GlobalIndex, ToImageRva } from './global-index';

/** Lookups answered by probing before the whole index is built (see the header). */
export const PROBED_LOOKUPS = 256;

/** A binary search over the address map, reading the entries and records it probes (kept). */
export class PublicsProbe {
  /** Per map entry probed: its key (image RVA; -1 before every address, Infinity after all; NaN not a public) and record size. */
  private readonly keys = new Map<number, number>();
  private readonly sizes = new Map<number, number>();

  constructor(
    private readonly pdb: PdbFile,
    private readonly map: PublicsAddressMap,
    private readonly sectionCount: number,
    private readonly toImageRva: ToImageRva,
  ) {}

  private key(i: number): number {
    let k = this.keys.get(i);
    if (k !== undefined) return k;
    const { kind, data } = this.pdb.symbolRecordAt(this.map.at(i));
    if (kind !== S.PUB32) k = NaN;
    else {
      data.skip(4);
      const offset = data.u32();
      const section = data.u16();
      k = section < 1 ? -1 : section > this.sectionCount ? Infinity : (this.toImageRva(section, offset) ?? NaN);
      this.sizes.set(i, data.end - data.start + 4);
    }
    this.keys.set(i, k);
    return k;
  }

  /**
   * The entry nearest at or below `target` (the first in map order among those at its
   * address), -1 when there is none, undefined when the entries read are not in order or one
   * is not a public.
   */
  nearest(target: number): number | undefined {
    // The keys known at or below the target (low) and above it (high): every probe must fall
    // between them, or the map is not sorted.
    let low = -Infinity;
    let high = Infinity;
    let sorted = true;
    let best = lastWhere(this.map.length, (mid) => {
      const k = this.key(mid);
      if (!(k >= low && k <= high)) {
        sorted = false; // NaN fails too
        return false;
      }
      if (k > target) {
        high = k;
        return false;
      }
      low = k;
      return true;
    });
    if (!sorted) return undefined;
    if (best < 0 || low < 0) return -1;
    for (; best > 0; best--) {
      const k = this.key(best - 1);
      if (k !== low) return k < low ? best : undefined;
    }
    return best;
  }

  rva(i: number): number {
    return this.key(i);
  }
  record(i: number): number {
    return this.map.at(i);
  }
  size(i: number): number {
    return this.sizes.get(i)!;
  }
}

/** The nearest public: by probing first, then from the whole index (see the header). */
export class PublicsIndex {
  private lookups = 0;
  private index: GlobalIndex | undefined;

  constructor(
    private probe: PublicsProbe | undefined,
    /** The whole index (buildPublicsIndex), built on first use. */
    private readonly whole: () => GlobalIndex,
    private readonly probedLookups = PROBED_LOOKUPS,
    /** The whole index if something else (enumeration) built it already: then it answers. */
    private readonly built: () => GlobalIndex | undefined = () => undefined,
  ) {}

  /**
   * The public nearest at or below an image RVA: an entry number for rva(), record() and size()
   * (valid until the next call), the first among those at its address; -1 when there is none.
   */
  nearest(target: number): number {
    if (this.probe && ++this.lookups <= this.probedLookups && !this.built()) {
      const i = this.probe.nearest(target);
      if (i !== undefined) return i;
    }
    this.probe = undefined;
    const { rvas } = (this.index ??= this.whole());
    let u = lastAtOrBelow(rvas, target);
    while (u > 0 && rvas[u - 1] === rvas[u]) u--;
    return u;
  }

  rva(i: number): number {
    return this.probe ? this.probe.rva(i) : this.index!.rvas[i];
  }
  record(i: number): number {
    return this.probe ? this.probe.record(i) : this.index!.records[i];
  }
  size(i: number): number {
    return this.probe ? this.probe.size(i) : this.index!.sizes[i];
  }
}
