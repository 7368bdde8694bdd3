/**
 * A growable list of u32 in a typed array (an index under construction: no heap number or
 * array slot per entry), handed out trimmed or in a given order.
 */
export class U32List {
  private a: Uint32Array;
  length = 0;

  constructor(capacity = 64) {
    this.a = new Uint32Array(capacity);
  }

  push(v: number): void {
    if (this.length === this.a.length) {
      const b = new Uint32Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.length++] = v;
  }

  /** The entries, a view (valid until the next push). */
  view(): Uint32Array {
    return this.a.subarray(0, this.length);
  }

  /** A trimmed copy in list order, or in `order` (indices into the list). */
  pick(order?: Uint32Array): Uint32Array {
    if (!order) return this.a.slice(0, this.length);
    const a = this.a;
    const out = new Uint32Array(order.length);
    for (let i = 0; i < order.length; i++) out[i] = a[order[i]];
    return out;
  }
}
