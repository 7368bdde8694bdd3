/**
 * Growable typed-array columns and a byte arena: how the .sym reader keeps its records
 * (one slot per record in a few typed arrays, names as UTF-8 bytes), so a file of millions of
 * records costs a few bytes per record instead of one object each.
 *
 * A column grows in pages of PAGE entries (the first page doubles up to PAGE), so growing never
 * copies what is stored and wastes at most one page; `view()` joins the pages once into one
 * array of the exact length.
 */

type Typed = Float64Array | Uint32Array | Int32Array | Uint8Array;
type TypedCtor<T extends Typed> = { new (n: number): T };

const SHIFT = 16;
const PAGE = 1 << SHIFT;
const MASK = PAGE - 1;

export class Column<T extends Typed> {
  private pages: T[];
  private flat: T | undefined;
  length = 0;

  /** The first page is allocated on the first push, with `capacity` entries. */
  constructor(
    private readonly ctor: TypedCtor<T>,
    private readonly capacity = 16,
  ) {
    this.pages = [];
  }

  push(v: number): number {
    const n = this.length;
    if (this.flat) this.unflatten();
    const p = n >>> SHIFT;
    let page = this.pages[p];
    if (page === undefined) this.pages.push((page = new this.ctor(p === 0 ? Math.min(this.capacity, PAGE) : PAGE)));
    else if ((n & MASK) === page.length) {
      // Only the first page grows: doubling up to PAGE entries.
      const bigger = new this.ctor(Math.min(page.length * 2, PAGE));
      bigger.set(page as never);
      this.pages[0] = page = bigger;
    }
    page[n & MASK] = v;
    return this.length++;
  }

  get(i: number): number {
    return this.flat ? this.flat[i] : this.pages[i >>> SHIFT][i & MASK];
  }

  set(i: number, v: number): void {
    if (this.flat) this.flat[i] = v;
    else this.pages[i >>> SHIFT][i & MASK] = v;
  }

  /** Forgets the values (keeps the first page). */
  clear(): void {
    if (this.flat) this.unflatten();
    if (this.pages.length > 1) this.pages.length = 1;
    this.length = 0;
  }

  /**
   * The filled part as one array: a view of the only page, or the pages joined once (later
   * pushes split it into pages again).
   */
  view(): T {
    if (this.flat) return this.flat;
    if (this.pages.length === 0) return new this.ctor(0);
    if (this.pages.length === 1) return this.pages[0].subarray(0, this.length) as T;
    const out = new this.ctor(this.length);
    let at = 0;
    for (const page of this.pages) {
      const n = Math.min(page.length, this.length - at);
      out.set(page.subarray(0, n) as never, at);
      at += n;
    }
    this.flat = out;
    this.pages = [];
    return out;
  }

  private unflatten(): void {
    const flat = this.flat!;
    this.flat = undefined;
    this.pages = [];
    for (let at = 0; at < flat.length || this.pages.length === 0; at += PAGE) {
      const page = new this.ctor(PAGE);
      page.set(flat.subarray(at, Math.min(at + PAGE, flat.length)) as never);
      this.pages.push(page);
    }
  }
}

/**
 * Whole numbers up to 2^53 (addresses, sizes, file offsets) kept as Uint32 while they fit, as
 * Float64 from the first one that does not: half the memory for the usual module and file.
 */
export class WideColumn {
  private narrow: Column<Uint32Array> | undefined = new Column(Uint32Array);
  private wide: Column<Float64Array> | undefined;

  get length(): number {
    return (this.narrow ?? this.wide!).length;
  }

  push(v: number): number {
    if (this.narrow && v <= 0xffffffff) return this.narrow.push(v);
    return this.widened().push(v);
  }

  get(i: number): number {
    return (this.narrow ?? this.wide!).get(i);
  }

  set(i: number, v: number): void {
    if (this.narrow && v <= 0xffffffff) this.narrow.set(i, v);
    else this.widened().set(i, v);
  }

  clear(): void {
    this.narrow = new Column(Uint32Array);
    this.wide = undefined;
  }

  view(): Uint32Array | Float64Array {
    return (this.narrow ?? this.wide!).view();
  }

  private widened(): Column<Float64Array> {
    if (!this.wide) {
      const n = this.narrow!;
      const w = new Column(Float64Array, Math.max(16, n.length));
      for (let i = 0; i < n.length; i++) w.push(n.get(i));
      this.wide = w;
      this.narrow = undefined;
    }
    return this.wide;
  }
}

export const f64 = (): Column<Float64Array> => new Column(Float64Array);
export const u32 = (): Column<Uint32Array> => new Column(Uint32Array);
export const i32 = (): Column<Int32Array> => new Column(Int32Array);
export const u8 = (): Column<Uint8Array> => new Column(Uint8Array);
export const wide = (): WideColumn => new WideColumn();

const utf8 = new TextDecoder('utf-8');

/** Strings as bytes in one growing buffer; a string is its (offset, length). */
export class Arena {
  private buf = new Uint8Array(256);
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

  /** Forgets the strings (a buffer grown past 64 KiB is given back). */
  clear(): void {
    this.length = 0;
    if (this.buf.length > 1 << 16) this.buf = new Uint8Array(256);
  }

  /** Gives back the unused capacity once parsing is done. */
  trim(): void {
    this.buf = this.buf.slice(0, this.length);
  }
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

/** STACK WIN records of one type in address order, each with its enclosing record. */
export interface RangeIndex {
  /** Record indexes in address order, and each one's enclosing record (position in order, -1). */
  order: Uint32Array;
  parent: Int32Array;
}

export function containment(types: Uint8Array, addr: ArrayLike<number>, size: ArrayLike<number>, type: number): RangeIndex {
  let n = 0;
  for (let i = 0; i < types.length; i++) if (types[i] === type) n++;
  const order = new Uint32Array(n);
  for (let i = 0, k = 0; i < types.length; i++) if (types[i] === type) order[k++] = i;
  let sorted = true;
  for (let p = 1; p < n && sorted; p++) {
    const a = order[p - 1];
    const b = order[p];
    sorted = addr[a] < addr[b] || (addr[a] === addr[b] && size[a] >= size[b]);
  }
  if (!sorted) order.sort((a, b) => addr[a] - addr[b] || size[b] - size[a] || a - b);
  const parent = new Int32Array(n);
  const stack: number[] = [];
  for (let p = 0; p < n; p++) {
    const w = order[p];
    const start = addr[w];
    while (stack.length) {
      const top = order[stack[stack.length - 1]];
      if (addr[top] + size[top] > start) break;
      stack.pop();
    }
    parent[p] = stack.length ? stack[stack.length - 1] : -1;
    stack.push(p);
  }
  return { order, parent };
}
