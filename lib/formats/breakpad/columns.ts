/**
 * Growable typed-array columns and a byte arena: how the .sym reader keeps its records
 * (one slot per record in a few typed arrays, names as UTF-8 bytes), so a file of millions of
 * line records costs a few bytes per record instead of one object each.
 */

type Typed = Float64Array | Uint32Array | Int32Array | Uint8Array;
type TypedCtor<T extends Typed> = { new (n: number): T };

export class Column<T extends Typed> {
  private data: T;
  length = 0;

  constructor(private readonly ctor: TypedCtor<T>, capacity = 64) {
    this.data = new ctor(capacity);
  }

  push(v: number): number {
    if (this.length === this.data.length) {
      const bigger = new this.ctor(this.data.length * 2);
      bigger.set(this.data as never);
      this.data = bigger;
    }
    this.data[this.length] = v;
    return this.length++;
  }

  get(i: number): number {
    return this.data[i];
  }

  set(i: number, v: number): void {
    this.data[i] = v;
  }

  /** The filled part, as a view (no copy); the column should not be pushed to afterwards. */
  view(): T {
    return this.data.subarray(0, this.length) as T;
  }
}

export const f64 = (): Column<Float64Array> => new Column(Float64Array);
export const u32 = (): Column<Uint32Array> => new Column(Uint32Array);
export const i32 = (): Column<Int32Array> => new Column(Int32Array);
export const u8 = (): Column<Uint8Array> => new Column(Uint8Array);

const utf8 = new TextDecoder('utf-8');

/** Strings as bytes in one growing buffer; a string is its (offset, length). */
export class Arena {
  private buf = new Uint8Array(4096);
  length = 0;

  /** Appends bytes [start, end) of `src`; returns the offset. */
  add(src: Uint8Array, start: number, end: number): number {
    const n = end - start;
    if (this.length + n > this.buf.length) {
      let cap = this.buf.length * 2;
      while (cap < this.length + n) cap *= 2;
      const bigger = new Uint8Array(cap);
      bigger.set(this.buf.subarray(0, this.length));
      this.buf = bigger;
    }
    this.buf.set(src.subarray(start, end), this.length);
    const at = this.length;
    this.length += n;
    return at;
  }

  text(offset: number, length: number): string {
    return utf8.decode(this.buf.subarray(offset, offset + length));
  }

  /** Gives back the unused capacity once parsing is done. */
  trim(): void {
    this.buf = this.buf.slice(0, this.length);
  }
}

/**
 * Indexes 0..n-1 ordered by `keys` (stable), or undefined when `keys` is already
 * non-decreasing (the usual case: dump_syms writes records sorted).
 */
export function sortedOrder(keys: ArrayLike<number>, n: number): Uint32Array | undefined {
  let sorted = true;
  for (let i = 1; i < n; i++) {
    if (keys[i] < keys[i - 1]) {
      sorted = false;
      break;
    }
  }
  if (sorted) return undefined;
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => keys[a] - keys[b] || a - b);
  return Uint32Array.from(order);
}

/** The last position p in [lo, hi) with keys[at(p)] <= value, or lo - 1. */
export function lastAtOrBelowIn(keys: ArrayLike<number>, order: Uint32Array | undefined, lo: number, hi: number, value: number): number {
  let best = lo - 1;
  let l = lo;
  let h = hi - 1;
  while (l <= h) {
    const mid = (l + h) >>> 1;
    const k = keys[order ? order[mid] : mid];
    if (k <= value) {
      best = mid;
      l = mid + 1;
    } else h = mid - 1;
  }
  return best;
}
