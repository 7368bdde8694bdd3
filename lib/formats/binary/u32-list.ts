/**
 * A growable list of u32 in a typed array (an index under construction: no heap number or
 * array slot per entry), handed out trimmed or in a given order. The one such list the index
 * builders use (code, line-section, global and inline indexes).
 */
export class U32List {
  /** The entries 0..length-1 (the array may be longer; it is replaced when the list grows). */
  items: Uint32Array;
  length = 0;

  constructor(capacity = 64) {
    this.items = new Uint32Array(capacity);
  }

  push(v: number): void {
    if (this.length === this.items.length) {
      const b = new Uint32Array(Math.max(4, this.items.length * 2));
      b.set(this.items);
      this.items = b;
    }
    this.items[this.length++] = v;
  }

  /** Empty again, keeping the array (lists reused from build to build). */
  clear(): void {
    this.length = 0;
  }

  /** The entries, a view (valid until the next push). */
  view(): Uint32Array {
    return this.items.subarray(0, this.length);
  }

  /** A trimmed copy in list order, in 16 bits when every entry fits (line numbers, small offsets). */
  narrow(): Uint16Array | Uint32Array {
    const a = this.items;
    const n = this.length;
    let max = 0;
    for (let i = 0; i < n; i++) if (a[i] > max) max = a[i];
    return max <= 0xffff ? Uint16Array.from(a.subarray(0, n)) : a.slice(0, n);
  }

  /** A trimmed copy in list order, or in `order` (indices into the list). */
  pick(order?: Uint32Array): Uint32Array {
    if (!order) return this.items.slice(0, this.length);
    const a = this.items;
    const out = new Uint32Array(order.length);
    for (let i = 0; i < order.length; i++) out[i] = a[order[i]];
    return out;
  }
}
