/**
 * The binary search of the sorted tables (procedures, publics, lines, OMAP, exports, sections,
 * .pdata, frame data, dump memory ranges, modules): `lastWhere(n, atOrBelow)` is the last index
 * i < n for which `atOrBelow(i)` holds, where the predicate is true for a prefix of the table
 * (an element at or below the value looked for), or -1. `lastAtOrBelow` is the common case over
 * a sorted array of numbers, and `lastPairAtOrBelow` over a table sorted by two keys.
 */
export function lastWhere(n: number, atOrBelow: (i: number) => boolean): number {
  let lo = 0;
  let hi = n - 1;
  let best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (atOrBelow(mid)) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best;
}

/**
 * The index of the last element at or below `value` in a sorted array (or its slice [from, to)),
 * or -1: lastWhere's loop written out, as bulk symbolization runs it millions of times (no
 * closure per step).
 */
export function lastAtOrBelow(sorted: ArrayLike<number>, value: number, from = 0, to = sorted.length): number {
  let lo = from;
  let hi = to - 1;
  let best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= value) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best;
}

/**
 * lastAtOrBelow over a table sorted by (major, minor), e.g. section contributions by section
 * then offset: the last i with (major[i], minor[i]) <= (a, b), or -1.
 */
export function lastPairAtOrBelow(major: ArrayLike<number>, minor: ArrayLike<number>, a: number, b: number): number {
  let lo = 0;
  let hi = major.length - 1;
  let best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (major[mid] < a || (major[mid] === a && minor[mid] <= b)) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best;
}

/**
 * Indexes 0..n-1 ordered by `keys` (stable: ties in index order), or undefined when `keys` is
 * already non-decreasing (the usual case: records written in address order). How the tables
 * above are sorted when they are built.
 */
export function sortedOrder(keys: ArrayLike<number>, n = keys.length): Uint32Array | undefined {
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) if (keys[i] < keys[i - 1]) sorted = false;
  if (sorted) return undefined;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return order.sort((a, b) => keys[a] - keys[b] || a - b);
}
