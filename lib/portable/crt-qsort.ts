/**
 * The C runtime's qsort as dbghelp.dll 10.0.19041.685 gets it: the DLL imports `_o_qsort` from
 * the UCRT (api-ms-win-crt-private-l1-1-0.dll), and where Microsoft's answers were recorded
 * (under Wine, ../shared/tools/msoracle) that is Wine's ucrtbase, whose quick_sort/small_sort
 * (dlls/msvcrt/misc.c) this follows comparison for comparison. qsort is not stable: which of
 * several equal keys ends up where depends on the whole array, and dbghelp.dll names one of the
 * folded procedures by that order (folded-procs.ts). Checked against Wine's own qsort on the
 * sequences in test/unit/crt-qsort.test.ts.
 *
 * Sorts `ids` in place by keys[id] (ascending, compared as numbers).
 */
export function crtQsort(ids: Uint32Array, keys: ArrayLike<number>): void {
  const n = ids.length;
  if (n < 2) return;
  const cmp = (a: number, b: number): number => {
    const x = keys[ids[a]];
    const y = keys[ids[b]];
    return x < y ? -1 : x > y ? 1 : 0;
  };
  const swap = (a: number, b: number): void => {
    const t = ids[a];
    ids[a] = ids[b];
    ids[b] = t;
  };
  // An explicit stack of [beg, end] ranges, the larger half pushed first, as Wine does.
  const los: number[] = [0];
  const his: number[] = [n - 1];
  while (los.length > 0) {
    const beg = los.pop() as number;
    const end = his.pop() as number;
    if (end - beg < 8) {
      smallSort(beg, end - beg + 1, cmp, swap);
      continue;
    }
    let lo = beg;
    let hi = end;
    let med = lo + ((hi - lo + 1) >>> 1);
    if (cmp(lo, med) > 0) swap(lo, med);
    if (cmp(lo, hi) > 0) swap(lo, hi);
    if (cmp(med, hi) > 0) swap(med, hi);
    lo++;
    hi--;
    for (;;) {
      while (lo <= hi) {
        if (lo !== med && cmp(lo, med) > 0) break;
        lo++;
      }
      while (med !== hi) {
        if (cmp(hi, med) <= 0) break;
        hi--;
      }
      if (hi < lo) break;
      swap(lo, hi);
      if (hi === med) med = lo;
      lo++;
      hi--;
    }
    while (hi > beg) {
      if (hi !== med && cmp(hi, med) !== 0) break;
      hi--;
    }
    if (hi - beg >= end - lo) {
      los.push(beg, lo);
      his.push(hi, end);
    } else {
      los.push(lo, beg);
      his.push(end, hi);
    }
  }
}

/** Wine's small_sort: repeatedly moves the first maximum of [beg, beg+e) to its end. */
function smallSort(beg: number, count: number, cmp: (a: number, b: number) => number, swap: (a: number, b: number) => void): void {
  for (let e = count; e > 1; e--) {
    let max = beg;
    let p = beg;
    for (let i = 1; i < e; i++) {
      p = beg + i;
      if (cmp(p, max) > 0) max = p;
    }
    if (p !== max) swap(p, max);
  }
}
