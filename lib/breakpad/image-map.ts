/**
 * ImageMap: where a range of the original (pre-reordering) image landed in the final image, as
 * Breakpad's dump_syms computes it (src/common/windows/omap.cc BuildImageMap/MapAddressRange),
 * so that FUNC, line and PUBLIC records of a reordered image (BBT, OMAP) describe the final
 * image: a range that was split is written once per contiguous piece.
 *
 * The mapping merges OmapToSrc (final → original) and OmapFromSrc (original → final): one
 * interval per OmapToSrc record (its length up to the next record, capped at the original
 * image's end), with the final-image bytes injected after it and the original bytes removed
 * after it. A query clips every interval that meets the range, sorts the pieces by final
 * address and merges those that touch (across injected bytes).
 */
import type { Omap } from '../formats/pdb/omap';
import { lastWhere } from '../formats/binary/search';

interface Interval {
  orig: number;
  tran: number;
  length: number;
  injected: number;
  removed: number;
}

export class ImageMap {
  private constructor(
    private readonly map: Interval[],
    /** map[i].orig, for the binary searches. */
    private readonly origs: number[],
    /** Sorted interval endpoints and, per endpoint, the first interval holding it. */
    private readonly endpoints: number[],
    private readonly firstIndex: number[],
  ) {}

  /** undefined when the image was not reordered (addresses map to themselves). */
  static build(omapTo: Omap | undefined, omapFrom: Omap | undefined, originalLength: number): ImageMap | undefined {
    if (!omapTo || !omapFrom || !omapTo.length || !omapFrom.length) return undefined;
    const t = omapTo.entries();
    const f = omapFrom.entries();
    const map: Interval[] = [];
    if (t.from[0] > 0 && f.from[0] > 0) {
      const header = Math.min(t.from[0], f.from[0]);
      map.push({ orig: 0, tran: 0, length: header, injected: t.from[0] - header, removed: f.from[0] - header });
    }
    for (let i = 0; i < t.from.length; i++) {
      const tran = t.from[i];
      const orig = t.to[i];
      if (orig >= originalLength) continue;
      let length = i + 1 < t.from.length ? t.from[i + 1] - tran : originalLength - orig;
      if (orig + length > originalLength) length = originalLength - orig;
      if (length <= 0) continue;
      const prev = map[map.length - 1];
      if (prev) prev.injected = Math.max(0, prev.injected + tran - (prev.tran + prev.length));
      map.push({ orig, tran, length, injected: 0, removed: 0 });
    }
    map.sort((a, b) => a.orig - b.orig || a.length - b.length);
    fillRemoved(map);
    const set = new Set<number>();
    for (const m of map) {
      set.add(m.orig);
      set.add(m.orig + m.length + m.removed);
    }
    const endpoints = [...set].sort((a, b) => a - b);
    const firstIndex = endpoints.map(() => map.length);
    for (let i = 0; i < map.length; i++) {
      const a = lowerBound(endpoints, map[i].orig);
      const b = lowerBound(endpoints, map[i].orig + map[i].length + map[i].removed);
      for (let k = a; k < b; k++) firstIndex[k] = Math.min(firstIndex[k], i);
    }
    return new ImageMap(
      map,
      map.map((m) => m.orig),
      endpoints,
      firstIndex,
    );
  }

  /** The final-image pieces of the original range [rva, rva + length), in final order. */
  ranges(rva: number, length: number): [number, number][] {
    const qlen = length === 0 ? 1 : length;
    const qend = rva + qlen;
    let it1 = lowerBound(this.endpoints, rva);
    let imin: number;
    if (it1 === this.endpoints.length) imin = this.map.length;
    else {
      if (it1 > 0 && rva < this.endpoints[it1]) it1--;
      imin = this.firstIndex[it1];
    }
    const imax = lowerBound(this.origs, qend);
    const pieces: Interval[] = [];
    for (let i = imin; i < imax; i++) {
      const m = clip(rva, qend, { ...this.map[i] });
      if (m.length + m.injected > 0) pieces.push(m);
    }
    if (!pieces.length) return [];
    pieces.sort((a, b) => a.tran - b.tran || a.length - b.length);
    const out: [number, number][] = [];
    if (length === 0) {
      out.push([pieces[0].tran, 0]);
      for (let i = 1; i < pieces.length; i++) if (pieces[i].tran > out[out.length - 1][0]) out.push([pieces[i].tran, 0]);
      return out;
    }
    let begin = pieces[0].tran;
    let content = begin + pieces[0].length;
    let injected = content + pieces[0].injected;
    for (let i = 1; i < pieces.length; i++) {
      if (injected < pieces[i].tran) {
        if (begin < content) out.push([begin, content - begin]);
        begin = pieces[i].tran;
      }
      content = pieces[i].tran + pieces[i].length;
      injected = content + pieces[i].injected;
    }
    if (begin < content) out.push([begin, content - begin]);
    return out;
  }
}

/** Marks the intervals that end where a gap of the original space starts with its length. */
function fillRemoved(map: Interval[]): void {
  let fill = 0;
  let front = 0;
  for (let find = 0; find < map.length; find++) {
    if (front < map[find].orig) {
      const removed = map[find].orig - front;
      for (; fill < find; fill++) if (map[fill].orig + map[fill].length === front) map[fill].removed = removed;
    }
    front = map[find].orig + map[find].length;
  }
}

function clip(start: number, end: number, m: Interval): Interval {
  if (end <= m.orig || m.orig + m.length + m.removed <= start) return { ...m, length: 0, injected: 0, removed: 0 };
  if (m.orig < start) {
    const left = start - m.orig;
    m.orig += left;
    m.tran += left;
    if (left > m.length) {
      const trim = left - m.length;
      m.length = 0;
      m.injected -= Math.min(trim, m.injected);
      m.removed -= trim;
    } else m.length -= left;
  }
  const endOrig = m.orig + m.length;
  if (end < endOrig) {
    m.length -= endOrig - end;
    m.injected = 0;
    m.removed = 0;
    return m;
  }
  if (end < endOrig + m.removed) m.removed = end - endOrig;
  if (end < endOrig + m.injected) m.injected = end - endOrig;
  return m;
}

/** The first index whose element is >= v (a.length when none). */
function lowerBound(a: number[], v: number): number {
  return lastWhere(a.length, (i) => a[i] < v) + 1;
}
